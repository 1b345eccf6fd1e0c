//! Footnote streams: `Ibid.`, `op. cit.` and short forms resolved against the earlier notes.

use super::{parse_with, Citation, CiteTables, Reference};
use crate::Key;

/// How a note of a stream was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resolution {
    /// A full citation: nothing to resolve.
    Full,
    /// `Ibid.` and its equivalents: the previous note's work.
    Ibid,
    /// `op. cit.` and its equivalents: the latest earlier work by the same author (or the previous note's work when
    /// no author is given).
    OpCit,
    /// A short form (`Trotsky, History, Vol. III`): the latest earlier work by the same author whose title begins
    /// with the short title.
    Short,
    /// A reference with nothing to refer to (`Ibid.` first in the stream, `op. cit.` of an author not cited before).
    Unresolved,
}

impl Resolution {
    /// Lower-case name (`full`, `ibid`, `opcit`, `short`, `unresolved`).
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Full => "full",
            Resolution::Ibid => "ibid",
            Resolution::OpCit => "opcit",
            Resolution::Short => "short",
            Resolution::Unresolved => "unresolved",
        }
    }
}

/// A note after resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Resolved {
    /// The note's citation completed from the note it refers to: the earlier work's authors, title and container,
    /// with this note's volume, issue, date and pages where it gives them (and the earlier pages only when it
    /// gives none of these). Spans of the fields taken from the earlier note point into that note's text.
    pub citation: Citation,
    /// How it was resolved.
    pub how: Resolution,
    /// The number (from 0) of the earlier note it was resolved against.
    pub from: Option<usize>,
}

impl Resolved {
    /// The resolved work's key ([`Citation::work_key`]).
    pub fn work_key(&self) -> Key {
        self.citation.work_key()
    }

    /// The resolved place's key ([`Citation::place_key`]).
    pub fn place_key(&self) -> Key {
        self.citation.place_key()
    }
}

/// The notes of one text, in order. Each note pushed is resolved against the ones before.
///
/// ```
/// use bibkey::cite::{Resolution, Stream};
///
/// let mut notes = Stream::new();
/// let first = notes.push_str("Proletarskaya revolyutsiya, no. 10 (69), 1927, pp. 246–7.");
/// let next = notes.push_str("Там же. 1927. № 11. С. 3.");
/// assert_eq!((next.how, next.from), (Resolution::Ibid, Some(0)));
/// assert_ne!(next.work_key(), first.work_key()); // the same journal, another issue
/// assert_eq!(notes.push_str("Ibid., no. 10 (69), 1927").work_key(), first.work_key());
///
/// notes.push_str("L. Trotsky, The History of the Russian Revolution, Vol. I (London, 1932), p. 45.");
/// let short = notes.push_str("Trotsky, History, Vol. III, p. 12.");
/// assert_eq!((short.how, short.from), (Resolution::Short, Some(3)));
/// let ibid = notes.push_str("Ibid., p. 14.");
/// assert_eq!((ibid.how, ibid.from), (Resolution::Ibid, Some(4)));
/// assert_eq!(ibid.citation.volume.as_ref().map(|v| v.value), Some(3));
/// assert_eq!(ibid.work_key(), short.work_key());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Stream {
    notes: Vec<Citation>,
    /// Whether each note holds a work of its own (a full citation or a resolved one), to be referred to.
    named: Vec<bool>,
}

impl Stream {
    /// An empty stream.
    pub fn new() -> Stream {
        Stream::default()
    }

    /// Number of notes pushed.
    pub fn len(&self) -> usize {
        self.notes.len()
    }

    /// True before the first note.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Parses `text` with the built-in lists and pushes it.
    pub fn push_str(&mut self, text: &str) -> Resolved {
        self.push(parse_with(text, CiteTables::builtin()))
    }

    /// Resolves the next note against the earlier ones and remembers it.
    pub fn push(&mut self, c: Citation) -> Resolved {
        let (how, from) = self.resolve(&c);
        let citation = match from {
            Some(f) => merge(&self.notes[f], &c),
            None => c,
        };
        self.notes.push(citation.clone());
        self.named.push(!citation.work_key().is_empty());
        Resolved { citation, how, from }
    }

    fn resolve(&self, c: &Citation) -> (Resolution, Option<usize>) {
        let last = self.named.iter().rposition(|&n| n);
        match c.reference.as_ref().map(|r| r.value) {
            Some(Reference::Ibid) => match last {
                Some(l) => (Resolution::Ibid, Some(l)),
                None => (Resolution::Unresolved, None),
            },
            Some(Reference::OpCit) => {
                let key = c.surname_key();
                let found = if key.is_empty() {
                    last
                } else {
                    (0..self.notes.len()).rev().find(|&i| self.named[i] && self.notes[i].surname_key() == key)
                };
                match found {
                    Some(f) => (Resolution::OpCit, Some(f)),
                    None => (Resolution::Unresolved, None),
                }
            }
            None => {
                // A short form: an author and a title, nothing that a full citation adds.
                let short = !c.authors.is_empty()
                    && !c.title_collected
                    && c.container.is_none()
                    && c.places.is_empty()
                    && c.publisher.is_none()
                    && c.date.is_none();
                let (Some(title), true) = (c.title_text_key(), short) else { return (Resolution::Full, None) };
                let key = c.surname_key();
                let found = (0..self.notes.len()).rev().find(|&i| {
                    let n = &self.notes[i];
                    self.named[i]
                        && n.surname_key() == key
                        && n.title_text_key().is_some_and(|t| t.as_str().starts_with(title.as_str()))
                });
                match found {
                    Some(f) => (Resolution::Short, Some(f)),
                    None => (Resolution::Full, None),
                }
            }
        }
    }
}

/// The earlier note's work with this note's numbers.
fn merge(base: &Citation, note: &Citation) -> Citation {
    let mut m = base.clone();
    let relocated = note.volume.is_some() || note.issue.is_some() || note.date.is_some() || note.part.is_some();
    if relocated || note.pages.is_some() {
        m.pages = note.pages.clone();
    }
    if note.volume.is_some() {
        m.volume = note.volume.clone();
    }
    if note.issue.is_some() || note.date.is_some() {
        m.issue = note.issue.clone();
    }
    if note.date.is_some() {
        m.date = note.date.clone();
    }
    if note.part.is_some() {
        m.part = note.part.clone();
    }
    m.reference = note.reference.clone();
    m.unassigned = note.unassigned.clone();
    m
}

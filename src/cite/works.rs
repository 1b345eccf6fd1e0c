//! Citations grouped by the work they cite, beyond equal work keys.

use std::collections::HashMap;

use super::Citation;
use crate::{Key, KeyKind};

/// What an earlier work is remembered by.
#[derive(Clone, Debug)]
struct Work {
    volume: Option<u32>,
}

/// How a citation joined its work (the result of [`Works::push`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Joined {
    /// A work not cited before.
    New,
    /// The work key of an earlier citation.
    Key,
    /// An earlier work whose first author and title share a reading with this one's (German, Polish, Czech,
    /// French or Spanish spelling read back), with the same volume.
    Reading,
    /// An author–year reference (`(Pipes 1990, p. 385)`): the earlier work of that author and year.
    AuthorYear,
    /// The one earlier work of that author and title, cited with a volume where this citation gives none (or the
    /// other way round).
    Volume,
}

/// The citations of one text (or bibliography), numbered by the work they cite, in the order they come.
///
/// A citation joins the work of an earlier one with the same [work key](Citation::work_key); when its key is new,
/// it joins an earlier work whose first author's surname and title share a
/// [reading](crate::KeyKind::readings) with its own (`Istorija russkoj rewoljuzii` as German spells it and
/// `Istoriia russkoi revoliutsii`), volumes equal; and an author–year reference (`(Pipes 1990, p. 385)`, no title)
/// joins the earlier work by that author with that year. A citation without a volume joins the one earlier work of
/// that author and title cited with one (and the other way round); with two such works it stays apart. Numbers are
/// never fuzzy.
///
/// ```
/// use bibkey::cite::{parse, Joined, Works};
/// let mut works = Works::new();
/// let a = works.push(&parse("Trotskii, L. Istoriia russkoi revoliutsii, vol. 1, Berlin: Granit, 1931, p. 112."));
/// let b = works.push(&parse("L. Trotzki, Istorija russkoi rewoljuzii, Bd. 1, Berlin 1931, S. 45."));
/// assert_eq!((b.0, b.1), (a.0, Joined::Reading));
/// let c = works.push(&parse("L. Trotzki, Istorija russkoi rewoljuzii, Bd. 2, Berlin 1933, S. 45."));
/// assert_eq!(c.1, Joined::New);
/// // Without its volume: the one earlier work of that author and title.
/// let d = works.push(&parse("Trotskii, L. Istoriia russkoi revoliutsii. Berlin: Granit, 1931."));
/// assert_eq!(d, (a.0, Joined::Volume));
/// let p = works.push(&parse("Pipes, R. (1990). The Russian Revolution. New York: Knopf."));
/// assert_eq!(works.push(&parse("(Pipes 1990, p. 385)")), (p.0, Joined::AuthorYear));
/// assert_eq!(works.push(&parse("(Pipes 1993, p. 38)")).1, Joined::New);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Works {
    works: Vec<Work>,
    by_key: HashMap<Key, usize>,
    /// Works by (surname reading, title reading).
    by_reading: HashMap<(Key, Key), Vec<usize>>,
    /// Works by (surname key, year), for author–year references.
    by_year: HashMap<(Key, u16), usize>,
    /// Works with a title of their own by their work key without its volume.
    by_base: HashMap<String, Vec<usize>>,
}

/// A titled work's key without its volume (`w|trocki|istoraruskoirevoluci|v1` → `w|trocki|istoraruskoirevoluci`).
fn base_key(key: &Key) -> Option<&str> {
    let k = key.as_str();
    if !k.starts_with("w|") {
        return None;
    }
    match k.rfind("|v") {
        Some(p) if k[p + 2..].bytes().all(|b| b.is_ascii_digit()) && p + 2 < k.len() => Some(&k[..p]),
        _ => Some(k),
    }
}

impl Works {
    /// No works yet.
    pub fn new() -> Works {
        Works::default()
    }

    /// How many works have been cited.
    pub fn len(&self) -> usize {
        self.works.len()
    }

    /// No work cited yet.
    pub fn is_empty(&self) -> bool {
        self.works.is_empty()
    }

    /// The number (from 0) of the work `c` cites, and how it was found; `None` when the citation names no work (a
    /// bare `Ibid.`: push the note [resolved](super::Stream) instead).
    pub fn push(&mut self, c: &Citation) -> (Option<usize>, Joined) {
        let key = c.work_key();
        let surname = c.surname_key();
        let year = c.year();
        let author_year =
            !surname.is_empty() && c.title.is_none() && c.container.is_none() && c.volume.is_none() && year.is_some();
        if key.is_empty() && !author_year {
            return (None, Joined::New);
        }
        if let Some(&w) = self.by_key.get(&key).filter(|_| !key.is_empty()) {
            return (Some(w), Joined::Key);
        }
        if author_year {
            let y = year.unwrap_or_default();
            if let Some(&w) = self.by_year.get(&(surname.clone(), y)) {
                return (Some(w), Joined::AuthorYear);
            }
        }
        let volume = c.volume.as_ref().map(|v| v.value);
        // A multi-volume work cited once without its volume: the one earlier work of that author and title.
        let base = base_key(&key).map(str::to_string);
        if let Some(ws) = base.as_ref().and_then(|b| self.by_base.get(b)).filter(|ws| ws.len() == 1) {
            let w = ws[0];
            let known = self.works[w].volume;
            if known.is_none() || volume.is_none() {
                if known.is_none() {
                    self.works[w].volume = volume;
                }
                self.by_key.insert(key, w);
                return (Some(w), Joined::Volume);
            }
        }
        // Readings of the first author's surname and of the title (a work with a title of its own only).
        let pairs = match (c.authors.first(), c.search_title()) {
            (Some(a), Some(t)) if !c.container_collected && c.container.is_none() => {
                let names = KeyKind::Name.readings(&a.name.surname);
                let titles = KeyKind::Title.readings(t);
                let mut pairs = Vec::with_capacity(names.len() * titles.len());
                for n in names.iter().filter(|k| !k.is_empty()) {
                    for t in titles.iter().filter(|k| !k.is_empty()) {
                        pairs.push((n.clone(), t.clone()));
                    }
                }
                pairs
            }
            _ => Vec::new(),
        };
        let found = pairs.iter().find_map(|p| {
            self.by_reading.get(p).and_then(|ws| ws.iter().copied().find(|&w| self.works[w].volume == volume))
        });
        let (w, how) = match found {
            Some(w) => (w, Joined::Reading),
            None => {
                self.works.push(Work { volume });
                (self.works.len() - 1, Joined::New)
            }
        };
        if !key.is_empty() {
            self.by_key.insert(key, w);
        }
        if let Some(b) = base {
            let list = self.by_base.entry(b).or_default();
            if !list.contains(&w) {
                list.push(w);
            }
        }
        for p in pairs {
            let list = self.by_reading.entry(p).or_default();
            if !list.contains(&w) {
                list.push(w);
            }
        }
        if let (false, Some(y)) = (surname.is_empty(), year) {
            // The first work of an author and year is the one an author–year reference means.
            self.by_year.entry((surname, y)).or_insert(w);
        }
        (Some(w), how)
    }
}

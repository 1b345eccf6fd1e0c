//! Work and place keys of a citation, and field-by-field comparison.
//!
//! The **work key** names the cited work whatever the convention, script or romanization:
//!
//! * a work with a title of its own (book, article, chapter, a piece in collected works): the key of the first
//!   author's surname and the [title key](crate::title_key) of the title (`w|lenin|bolseviki…`), and for a book
//!   cited by volume, the volume (`|v3`): an article is the same work in any edition of the journal or the
//!   collected works that reprints it;
//! * a volume of collected works cited as such (`Ленин В. И. Сочинения. Т. 21`, `Lenin, Vol. XXI`): the surname,
//!   the volume and the part (`c|lenin|v21`). The edition's title is not in the key, because the short forms
//!   omit it: Lenin's *Sochineniia* and *Polnoe sobranie sochinenii* vol. 21 share a key (their pages differ, so
//!   their place keys rarely do);
//! * an issue of a serial cited without an article title (`Пролетарская революция. 1927. № 10 (69)`): the title
//!   key of the serial, the volume, the issue number, the year and the day (`s|proletarskarevoluca|v|n10|y1927|d`).
//!
//! The **place key** is the work key followed by the cited pages (`|p246-247`).
//!
//! Names key by surname only (`Lenin, Vol. XXI` has no initials): Tolstoy and Tolstaya, Kamenev and Kameneva stay
//! apart because their surnames do.

use std::fmt::Write as _;

use super::{Citation, FieldName};
use crate::distance::Comparator;
use crate::name::PersonalName;
use crate::Key;

/// How one field of two citations compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldMatch {
    /// Equal keys (or numbers).
    Exact,
    /// Text keys this many edits apart, within the budget (one edit per ten bytes of key, at most three).
    Edits(u32),
    /// Present in both and different: for numbers, any difference (volume 21 is not volume 22).
    Different,
    /// Missing from one or both.
    Absent,
}

/// The result of [`Citation::compare`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Comparison {
    /// The two citations cite the same work.
    pub same: bool,
    /// Their work keys are equal (otherwise `same` was decided field by field).
    pub by_key: bool,
    /// How each field compared: authors, title, container, volume, issue, year, pages.
    pub fields: Vec<(FieldName, FieldMatch)>,
}

impl std::fmt::Display for Comparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.same { "same work" } else { "different works" })?;
        if self.by_key {
            f.write_str(" (work key)")?;
        }
        for (name, m) in &self.fields {
            let m = match m {
                FieldMatch::Exact => "exact".to_string(),
                FieldMatch::Edits(1) => "1 edit".to_string(),
                FieldMatch::Edits(n) => format!("{n} edits"),
                FieldMatch::Different => "different".to_string(),
                FieldMatch::Absent => continue,
            };
            write!(f, ", {} {m}", name.as_str())?;
        }
        Ok(())
    }
}

/// The last few texts keyed and their keys, per thread: the work key and the place key (which holds the work key)
/// of one citation key the same title and surname, and keying them was most of the time of both.
type Memo = std::cell::RefCell<Vec<(String, Key)>>;

thread_local! {
    static TITLES: Memo = const { std::cell::RefCell::new(Vec::new()) };
    static SURNAMES: Memo = const { std::cell::RefCell::new(Vec::new()) };
}

/// `f(text)`, remembered for the last four texts (the keys are pure functions of the text).
fn memo(cell: &'static std::thread::LocalKey<Memo>, text: &str, f: impl FnOnce(&str) -> Key) -> Key {
    const SLOTS: usize = 4;
    cell.with(|m| {
        let mut m = m.borrow_mut();
        if let Some((_, k)) = m.iter().find(|(t, _)| t == text) {
            return k.clone();
        }
        let k = f(text);
        if m.len() == SLOTS {
            m.remove(0);
        }
        m.push((text.to_string(), k.clone()));
        k
    })
}

/// What the work key is made of.
enum Shape {
    Titled,
    Collected,
    Serial,
    None,
}

impl Citation {
    fn shape(&self) -> Shape {
        // A piece in a volume of collected works is cited as that volume (the piece's own title varies with the
        // language it is cited in; the volume and its pages do not).
        if self.container_collected && self.volume.is_some() && !self.authors.is_empty() {
            return Shape::Collected;
        }
        if self.title.is_some() && !self.title_collected {
            Shape::Titled
        } else if self.title_collected
            || self.container_collected
            || (!self.authors.is_empty() && self.container.is_none() && self.volume.is_some())
        {
            Shape::Collected
        } else if self.container.is_some() {
            Shape::Serial
        } else {
            Shape::None
        }
    }

    /// The key of the first author's surname (empty without authors).
    pub(crate) fn surname_key(&self) -> Key {
        match self.authors.first() {
            Some(a) => memo(&SURNAMES, &a.name.surname, |s| {
                PersonalName { surname: s.to_string(), ..PersonalName::default() }.key()
            }),
            None => Key::default(),
        }
    }

    /// The title to look the work up by: the title written in full when the citation abbreviates a title of the
    /// lists (`PSS` → `Polnoe sobranie sochinenii`), else its main title (before a subtitle); `None` without a
    /// title.
    ///
    /// ```
    /// use bibkey::cite::parse;
    /// let c = parse("Trotsky, Leon. The History of the Russian Revolution: Volume One. New York, 1932.");
    /// assert_eq!(c.search_title(), Some("The History of the Russian Revolution"));
    /// ```
    pub fn search_title(&self) -> Option<&str> {
        let t = self.title.as_ref()?;
        Some(self.title_full.as_deref().unwrap_or_else(|| main_title(&t.value)))
    }

    /// The container to look the journal or edition up by: written in full when the citation abbreviates one of
    /// the lists (`Полн. собр. соч.` → `Полное собрание сочинений`); `None` without a container.
    ///
    /// ```
    /// use bibkey::cite::parse;
    /// let c = parse("Пролетарская революция. 1927. № 10 (69). С. 246–247.");
    /// assert_eq!(c.search_container(), Some("Пролетарская революция"));
    /// ```
    pub fn search_container(&self) -> Option<&str> {
        let t = self.container.as_ref()?;
        Some(self.container_full.as_deref().unwrap_or(&t.value))
    }

    pub(crate) fn title_text_key(&self) -> Option<Key> {
        let t = self.title.as_ref()?;
        Some(memo(&TITLES, self.title_full.as_deref().unwrap_or_else(|| main_title(&t.value)), crate::title_key))
    }

    pub(crate) fn container_text_key(&self) -> Option<Key> {
        let t = self.container.as_ref()?;
        Some(memo(&TITLES, self.container_full.as_deref().unwrap_or(&t.value), crate::title_key))
    }

    /// The work key; empty when the citation names no work (a bare `Ibid.`, which a [`Stream`](super::Stream)
    /// resolves).
    ///
    /// It names the cited work whatever the convention, script or romanization:
    ///
    /// * a work with a title of its own (book, article, chapter, a piece in collected works): the key of the first
    ///   author's surname and the [title key](crate::title_key) of the title (`w|lenin|bolseviki…`), and for a book
    ///   cited by volume, the volume (`|v3`): an article is the same work in any edition of the journal or the
    ///   collected works that reprints it;
    /// * a volume of collected works cited as such (`Ленин В. И. Сочинения. Т. 21`, `Lenin, Vol. XXI`): the surname,
    ///   the volume and the part (`c|lenin|v21`). The edition's title is not in the key, because the short forms
    ///   omit it: Lenin's *Sochineniia* and *Polnoe sobranie sochinenii* vol. 21 share a key (their pages differ, so
    ///   their place keys rarely do);
    /// * an issue of a serial cited without an article title (`Пролетарская революция. 1927. № 10 (69)`): the title
    ///   key of the serial, the volume, the issue number, the year and the day (`s|proletarskarevoluca|v|n10|y1927|d`).
    ///
    /// Names key by surname only (`Lenin, Vol. XXI` has no initials): Tolstoy and Tolstaya, Kamenev and Kameneva
    /// stay apart because their surnames do.
    ///
    /// ```
    /// use bibkey::cite::parse;
    /// let a = parse("Trotskiĭ, L. Istorii͡a russkoĭ revoli͡ut͡sii. Berlin: Granit, 1931.");
    /// let b = parse("Троцкий Л. История русской революции. Берлин: Гранит, 1931. Т. 2. С. 15.");
    /// assert_eq!(a.work_key().as_str(), "w|trocki|istoraruskoirevoluci");
    /// assert_ne!(a.work_key(), b.work_key()); // volume 2 of it
    /// assert_ne!(parse("Tolstoy, Leo. War and Peace.").work_key(), parse("Tolstaya, S. War and Peace.").work_key());
    /// ```
    pub fn work_key(&self) -> Key {
        let mut s = String::with_capacity(48);
        let num = |s: &mut String, tag: char, v: Option<u32>| {
            s.push('|');
            s.push(tag);
            if let Some(v) = v {
                let _ = write!(s, "{v}");
            }
        };
        match self.shape() {
            Shape::Titled => {
                s.push_str("w|");
                s.push_str(self.surname_key().as_str());
                s.push('|');
                if let Some(k) = self.title_text_key() {
                    s.push_str(k.as_str());
                }
                if self.container.is_none() {
                    if let Some(v) = &self.volume {
                        num(&mut s, 'v', Some(v.value));
                    }
                }
            }
            Shape::Collected => {
                s.push_str("c|");
                s.push_str(self.surname_key().as_str());
                num(&mut s, 'v', self.volume.as_ref().map(|v| v.value));
                if let Some(p) = &self.part {
                    num(&mut s, 'p', Some(p.value));
                }
                // A translated edition (Collected Works, Œuvres) numbers its volumes its own way.
                if let Some(e) = &self.translation {
                    s.push_str("|e");
                    s.push_str(e.as_str());
                }
                if self.authors.is_empty() {
                    // No author: the edition's title is all there is to tell it from another.
                    s.push('|');
                    if let Some(k) = self.title_text_key().or_else(|| self.container_text_key()) {
                        s.push_str(k.as_str());
                    }
                }
            }
            Shape::Serial => {
                s.push_str("s|");
                if let Some(k) = self.container_text_key() {
                    s.push_str(k.as_str());
                }
                num(&mut s, 'v', self.volume.as_ref().map(|v| v.value));
                num(&mut s, 'n', self.issue.as_ref().map(|v| v.value.number));
                let d = self.date.as_ref().map(|d| d.value);
                num(&mut s, 'y', d.map(|d| u32::from(d.year)));
                s.push_str("|d");
                if let Some(d) = d.filter(|d| d.day.is_some()) {
                    let _ = write!(s, "{}-{}", d.month.unwrap_or(0), d.day.unwrap_or(0));
                }
            }
            Shape::None => {}
        }
        Key(s)
    }

    /// The place key: the work key and the cited pages. Two citations of the same pages of the same work share it.
    ///
    /// ```
    /// use bibkey::cite::parse;
    /// let a = parse("Lenin, Vol. XXI, pp. 193–4");
    /// assert_eq!(a.place_key(), parse("Ленин В. И. Сочинения. Т. 21. С. 193–194.").place_key());
    /// assert_ne!(a.place_key(), parse("Ленин В. И. Сочинения. Т. 21. С. 195.").place_key());
    /// ```
    pub fn place_key(&self) -> Key {
        let mut k = self.work_key();
        if k.is_empty() {
            return k;
        }
        if let Some(p) = &self.pages {
            let _ = write!(k.0, "|p{}-{}", p.value.first, p.value.last);
        }
        k
    }

    /// Compares two citations: the same work when their work keys agree, or when, field by field, no field
    /// differs (numbers exactly, text keys within one edit per ten bytes, at most three; surnames exactly) and the
    /// title or the container matched. A serial issue needs the same issue and year on both sides, a volume of
    /// collected works the same author and volume.
    ///
    /// ```
    /// use bibkey::cite::{parse, FieldName, FieldMatch};
    /// let a = parse("Proletarskaia revoliutsiia, 1927, no. 10(69), pp. 246-247");
    /// // OCR damage in the journal's name (li for ii): two edits of its key, within the budget of a 21-byte key.
    /// let b = parse("Proletarskaia revoliutsila, 1927, no. 10, p. 250");
    /// let c = a.compare(&b);
    /// assert!(c.same && !c.by_key);
    /// assert!(c.fields.contains(&(FieldName::Container, FieldMatch::Edits(2))));
    /// assert_eq!(c.to_string(), "same work, container 2 edits, issue exact, date exact, pages different");
    /// // Numbers are never fuzzy.
    /// assert!(!a.compare(&parse("Proletarskaia revoliutsiia, 1927, no. 11")).same);
    /// ```
    pub fn compare(&self, other: &Citation) -> Comparison {
        let (ka, kb) = (self.work_key(), other.work_key());
        let by_key = !ka.is_empty() && ka == kb;
        let mut fields = Vec::with_capacity(7);
        let (sa, sb) = (self.surname_key(), other.surname_key());
        fields.push((
            FieldName::Author,
            if sa.is_empty() || sb.is_empty() {
                FieldMatch::Absent
            } else if sa == sb {
                FieldMatch::Exact
            } else {
                FieldMatch::Different
            },
        ));
        fields.push((FieldName::Title, text_match(self.title_text_key(), other.title_text_key())));
        fields.push((FieldName::Container, text_match(self.container_text_key(), other.container_text_key())));
        let n = |a: Option<u32>, b: Option<u32>| match (a, b) {
            (Some(a), Some(b)) if a == b => FieldMatch::Exact,
            (Some(_), Some(_)) => FieldMatch::Different,
            _ => FieldMatch::Absent,
        };
        fields.push((
            FieldName::Volume,
            n(self.volume.as_ref().map(|f| f.value), other.volume.as_ref().map(|f| f.value)),
        ));
        fields.push((
            FieldName::Issue,
            n(self.issue.as_ref().map(|f| f.value.number), other.issue.as_ref().map(|f| f.value.number)),
        ));
        fields.push((FieldName::Date, n(self.year().map(u32::from), other.year().map(u32::from))));
        let pm = match (&self.pages, &other.pages) {
            (Some(a), Some(b)) if a.value == b.value => FieldMatch::Exact,
            (Some(_), Some(_)) => FieldMatch::Different,
            _ => FieldMatch::Absent,
        };
        fields.push((FieldName::Pages, pm));
        let get = |name: FieldName| fields.iter().find(|(f, _)| *f == name).map_or(FieldMatch::Absent, |(_, m)| *m);
        let ok = |m: FieldMatch| matches!(m, FieldMatch::Exact | FieldMatch::Edits(_));
        let same = by_key || {
            // Pages may differ: a work is cited at many places.
            let contradicted = fields.iter().any(|(f, m)| *m == FieldMatch::Different && *f != FieldName::Pages);
            let text = ok(get(FieldName::Title)) || ok(get(FieldName::Container));
            let structure = match (self.shape(), other.shape()) {
                (Shape::Serial, _) | (_, Shape::Serial) => {
                    self.issue.as_ref().map(|i| i.value.number) == other.issue.as_ref().map(|i| i.value.number)
                        && self.year() == other.year()
                }
                (Shape::Collected, Shape::Collected) => {
                    get(FieldName::Author) == FieldMatch::Exact && get(FieldName::Volume) == FieldMatch::Exact
                }
                _ => true,
            };
            let collected_pair = matches!((self.shape(), other.shape()), (Shape::Collected, Shape::Collected));
            !contradicted && (text || collected_pair) && structure
        };
        Comparison { same, by_key, fields }
    }
}

/// The title proper without its subtitle (ISBD's "other title information"): up to the first `: `, ` = ` or `. `
/// before a capital. Short forms and other conventions cite a work by it, with or without the subtitle.
fn main_title(t: &str) -> &str {
    let b = t.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let next_space = b.get(i + 1) == Some(&b' ');
        let cut = match c {
            b':' | b';' => next_space,
            b'=' => i > 0 && b[i - 1] == b' ' && next_space,
            b'.' => {
                // Not after an abbreviation or an initial: the word before has at least four letters.
                next_space
                    && t[i + 2..].chars().next().is_some_and(char::is_uppercase)
                    && t[..i].rsplit(' ').next().is_some_and(|w| w.chars().count() >= 4)
            }
            _ => false,
        };
        if cut && i > 0 {
            return t[..i].trim_end();
        }
    }
    t
}

/// Text keys within one edit per ten bytes of the longer, at most three.
fn text_match(a: Option<Key>, b: Option<Key>) -> FieldMatch {
    match (a, b) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
            if a == b {
                return FieldMatch::Exact;
            }
            let budget = (a.as_str().len().max(b.as_str().len()) / 10).min(3);
            match Comparator::new(a.as_str()).distance_within(b.as_str(), budget) {
                Some(d) => FieldMatch::Edits(d as u32),
                None => FieldMatch::Different,
            }
        }
        _ => FieldMatch::Absent,
    }
}

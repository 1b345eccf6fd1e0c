//! Corporate bodies and meetings: parsing their headings, a key for them, and telling them from personal names.
//!
//! A corporate heading (MARC 110/410/610/710) is a hierarchy, `Parent. Subordinate` ("Akademiia nauk SSSR.
//! Institut istorii"), often with a qualifier in parentheses ("(Moscow, Russia)", "(Ukraine)"); a meeting heading
//! (111/411/611/711) adds the meeting's number, date and place, which catalogs write in different ways: LC and
//! RERO "(5th : 1960 : San Francisco)", IdRef "(38 ; 2008 ; Belgrade)", GND ", 1, 1992, Bellaterra".
//!
//! [`corporate_key`] keys such a heading so that its spellings meet across scripts, romanizations and the
//! abbreviations of title pages:
//!
//! * the parts of the hierarchy are keyed in order, each word with the transliteration-aware [`key`](crate::key())
//!   (a leading article of a part dropped, `&`/and/und/et read as и, pre-1918 endings modernized, as in a title);
//!   the key does not mark where a part ends, so a misplaced or missing period does not change it;
//! * a word with an abbreviation in `tables/corporate-abbreviations.tsv` becomes the key of its full form in all
//!   its spellings and grammatical forms: Gos. = гос. = Gosudarstvennyi = государственная; Un-t = ун-т = Univ. =
//!   Universitet = Университета (GOST 7.12-93, DSTU 3582-97, ISO 4);
//! * qualifiers in parentheses are set aside ([`CorporateName::qualifiers`]) and are not part of the key: they are
//!   written in the cataloging agency's language ("(Moscow, Russia)", "(Moscou, Russie)");
//! * a meeting's number and year are appended to the key as `n` and the number, `y` and the year (ordinals and
//!   Roman numerals read as numbers: "5th" = "5." = "V" = 5); its place is set aside, like a qualifier.
//!
//! ```
//! use bibkey::corporate::{corporate_key, parse_corporate};
//!
//! assert_eq!(
//!     corporate_key("Samarskii gosudarstvennyi universitet. Kafedra istorii"),
//!     corporate_key("Самарский гос. ун-т. Каф. истории"),
//! );
//! assert_eq!(corporate_key("Russkoe entomologicheskoe obshchestvo"), corporate_key("Русское энтомологическое о-во"));
//! assert_eq!(
//!     corporate_key("Magnitogorskij gosudarstvennyj universitet (Magnitogorsk, Russie)"),
//!     corporate_key("Magnitogorskii gosudarstvennyi universitet (Magnitogorsk, Russia)"),
//! );
//! assert_ne!(corporate_key("Institut istorii"), corporate_key("Institut filosofii"));
//!
//! let m = parse_corporate("Mezhdunarodnyi kongress slavistov (10th : 1988 : Sofia, Bulgaria)");
//! assert_eq!(m.parts, ["Mezhdunarodnyi kongress slavistov"]);
//! let meeting = m.meeting.as_ref().unwrap();
//! assert_eq!((meeting.number, meeting.year), (Some(10), Some(1988)));
//! assert_eq!(meeting.place.as_deref(), Some("Sofia, Bulgaria"));
//! assert_eq!(m.key(), corporate_key("Международный конгресс славистов, 10, 1988, София"));
//! ```
//!
//! # Corporate or personal?
//!
//! [`is_corporate`] decides for plain text, where no MARC tag says what a name is, and
//! [`name_key`](crate::name_key) uses it: a text it calls corporate is keyed with [`corporate_key`], any other with
//! the personal-name key. A text is corporate when
//!
//! 1. a parenthesis holds meeting elements separated by `:` or `;` ("(3 ; 2019 ; Budapest)"), or
//! 2. one of its words is in `tables/corporate-words.tsv` (университет, institute, obshchestvo, Gesellschaft,
//!    congress…), unless that word is only the surname of an inverted name ("Bank, Ivan") or the last of at most
//!    three capitalized words that begin with a known given name ("Robert Service"), or
//! 3. it has no comma, and it has a capitalized word and a lower-case word of three letters or more that is not a
//!    name particle (de, von, ibn, ogly…): personal names in direct order capitalize their words
//!    ("Русское энтомологическое общество", "Bolʹshoĭ teatr"), or
//! 4. it has no comma and a period after a word of four letters or more is followed by another word: the
//!    hierarchy of a body ("Moskovskii universitet. Biblioteka"), where a personal name has periods only after
//!    initials.
//!
//! Everything else is a person, including every inverted name ("Tolstoĭ, Lev, graf, 1828-1910") and every
//! direct-order name of capitalized words and initials ("Удо Б. Баркманн").

use std::collections::HashMap;

use once_cell::sync::Lazy;

use crate::text::{is_alphabetic, is_alphanumeric};
use crate::{Error, Key, Lang};

/// The text of `tables/corporate-abbreviations.tsv`, the built-in abbreviations of corporate-name words.
pub const ABBREVIATIONS_TABLE: &str = include_str!("../tables/corporate-abbreviations.tsv");

/// The text of `tables/corporate-words.tsv`, the words that make a plain-text name corporate.
pub const WORDS_TABLE: &str = include_str!("../tables/corporate-words.tsv");

/// A table of abbreviated words: each word's full forms (by stem) and abbreviations map to the key of its full
/// form. Format: `tables/corporate-abbreviations.tsv`.
#[derive(Clone, Debug, Default)]
pub struct Abbreviations {
    /// Key of the full form of each word.
    canonical: Vec<String>,
    /// Keys a whole word must equal.
    exact: HashMap<String, usize>,
    /// Stem keys a word's key may begin with, longest first.
    prefixes: Vec<(String, usize)>,
    /// Keys of abbreviations (written with a period or hyphen).
    abbreviations: HashMap<String, usize>,
}

static BUILTIN_ABBREVIATIONS: Lazy<Abbreviations> = Lazy::new(|| {
    // The built-in table is checked by the crate's tests; were it broken, words would be keyed as written.
    Abbreviations::parse("tables/corporate-abbreviations.tsv", ABBREVIATIONS_TABLE).unwrap_or_default()
});

impl Abbreviations {
    /// The built-in table (`tables/corporate-abbreviations.tsv`), compiled on first use.
    pub fn builtin() -> &'static Abbreviations {
        &BUILTIN_ABBREVIATIONS
    }

    /// Parses a table in the `tables/corporate-abbreviations.tsv` format. `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// A line without its four fields, a stem or abbreviation without letters, an abbreviation written without
    /// its period or hyphen, or a stem or abbreviation already given to another word: an [`Error`] with `origin`
    /// and the line number.
    ///
    /// ```
    /// use bibkey::corporate::Abbreviations;
    /// let t = Abbreviations::parse("mine.tsv", "# c\nинститут\tinstitut-\tин-т\tGOST 7.12-93\n")?;
    /// assert_eq!(t.canonical("Instituta"), t.canonical("Ин-т"));
    /// let err = Abbreviations::parse("bad.tsv", "институт\tinstitut-\tинт\tGOST\n").unwrap_err();
    /// assert_eq!(err.to_string(), "bad.tsv:1: abbreviation \"инт\" has neither a period nor a hyphen");
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn parse(origin: &str, text: &str) -> Result<Abbreviations, Error> {
        let mut t = Abbreviations::default();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.split('#').next().unwrap_or("");
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            if fields.len() != 4 || fields.iter().any(|f| f.is_empty()) {
                return Err(Error::table(
                    origin,
                    line_no,
                    format!("expected 4 tab-separated fields (form, stems, abbreviations, source), found {}", {
                        fields.iter().filter(|f| !f.is_empty()).count()
                    }),
                ));
            }
            let form = fields[0];
            let canonical = crate::key(form).into_string();
            if canonical.is_empty() {
                return Err(Error::table(origin, line_no, format!("form {form:?} has no letters")));
            }
            let id = t.canonical.len();
            t.canonical.push(canonical);
            let mut claim = |what: &str, k: &str| -> Result<(), Error> {
                match seen.get(k) {
                    Some(other) if other != form => {
                        Err(Error::table(origin, line_no, format!("{what} (key {k:?}) is already given to {other:?}")))
                    }
                    _ => {
                        seen.insert(k.to_string(), form.to_string());
                        Ok(())
                    }
                }
            };
            for stem in fields[1].split_whitespace() {
                let (body, prefix) = match stem.strip_suffix('-') {
                    Some(b) => (b, true),
                    None => (stem, false),
                };
                let k = crate::key(body).into_string();
                if k.is_empty() {
                    return Err(Error::table(origin, line_no, format!("stem {stem:?} has no letters")));
                }
                claim(&format!("stem {stem:?}"), &k)?;
                if prefix {
                    t.prefixes.push((k, id));
                } else {
                    t.exact.insert(k, id);
                }
            }
            for abbr in fields[2].split_whitespace() {
                if !looks_abbreviated(abbr) {
                    return Err(Error::table(
                        origin,
                        line_no,
                        format!("abbreviation {abbr:?} has neither a period nor a hyphen"),
                    ));
                }
                let k = crate::key(abbr).into_string();
                if k.is_empty() {
                    return Err(Error::table(origin, line_no, format!("abbreviation {abbr:?} has no letters")));
                }
                if t.abbreviations.get(&k).is_some_and(|&other| other != id) {
                    return Err(Error::table(
                        origin,
                        line_no,
                        format!("abbreviation {abbr:?} (key {k:?}) is already given to another word"),
                    ));
                }
                t.abbreviations.insert(k, id);
            }
        }
        // Longest stem first, so that obshchestvenn- (общественный) wins over a shorter stem.
        t.prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(t)
    }

    /// Number of words in the table.
    pub fn len(&self) -> usize {
        self.canonical.len()
    }

    /// True if the table has no words.
    pub fn is_empty(&self) -> bool {
        self.canonical.is_empty()
    }

    /// The key of the full form of `word` (one word as written, with its period or hyphen), if the table has the
    /// word: `"Gos."` and `"Государственная"` → `gosudarstvenni`; `None` for other words.
    pub fn canonical(&self, word: &str) -> Option<&str> {
        self.lookup(word, None)
    }

    fn lookup(&self, word: &str, lang: Option<Lang>) -> Option<&str> {
        let id = if looks_abbreviated(word) {
            self.abbreviations.get(crate::key::key_hint(word, lang).as_str()).copied()
        } else {
            None
        };
        let id = id.or_else(|| {
            let k = crate::key::key_hint(word, lang);
            let k = k.as_str();
            if k.is_empty() {
                return None;
            }
            self.exact
                .get(k)
                .copied()
                .or_else(|| self.prefixes.iter().find(|(p, _)| k.starts_with(p.as_str())).map(|&(_, id)| id))
        })?;
        self.canonical.get(id).map(String::as_str)
    }
}

/// Written as an abbreviation: ends with a period, or has a hyphen between letters (ун-т, Izd-vo).
fn looks_abbreviated(word: &str) -> bool {
    if word.ends_with('.') {
        return true;
    }
    let chars: Vec<char> = word.chars().collect();
    chars.windows(3).any(|w| is_alphabetic(w[0]) && w[1] == '-' && is_alphabetic(w[2]))
}

/// The words that make a plain-text name corporate. Format: `tables/corporate-words.tsv`.
#[derive(Clone, Debug, Default)]
pub struct CorporateWords {
    exact: std::collections::HashSet<String>,
    prefixes: Vec<String>,
}

static BUILTIN_WORDS: Lazy<CorporateWords> = Lazy::new(|| {
    // Checked by the crate's tests; were it broken, only the other clues would find corporate names.
    CorporateWords::parse("tables/corporate-words.tsv", WORDS_TABLE).unwrap_or_default()
});

impl CorporateWords {
    /// The built-in list (`tables/corporate-words.tsv`), compiled on first use.
    pub fn builtin() -> &'static CorporateWords {
        &BUILTIN_WORDS
    }

    /// Parses a list in the `tables/corporate-words.tsv` format. `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// A word without letters gives an [`Error`] with `origin` and the line number.
    pub fn parse(origin: &str, text: &str) -> Result<CorporateWords, Error> {
        let mut t = CorporateWords::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("");
            let Some(word) = line.split('\t').next().map(str::trim).filter(|w| !w.is_empty()) else { continue };
            let (body, prefix) = match word.strip_suffix('-') {
                Some(b) => (b, true),
                None => (word, false),
            };
            let k = crate::key(body).into_string();
            if k.is_empty() {
                return Err(Error::table(origin, i + 1, format!("{word:?} has no letters")));
            }
            if prefix {
                t.prefixes.push(k);
            } else {
                t.exact.insert(k);
            }
        }
        Ok(t)
    }

    /// Is `word` (one word, any script) a corporate word of this list?
    pub fn contains(&self, word: &str) -> bool {
        let k = crate::key(word);
        let k = k.as_str();
        !k.is_empty() && (self.exact.contains(k) || self.prefixes.iter().any(|p| k.starts_with(p.as_str())))
    }
}

/// A meeting's number, date and place (MARC 111/711 `$n`, `$d`, `$c`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meeting {
    /// The number ("5th", "5.", "V", "06" → 5, 5, 5, 6).
    pub number: Option<u32>,
    /// The date as written ("1960", "1992-1993").
    pub date: Option<String>,
    /// The first year of the date.
    pub year: Option<i32>,
    /// The place as written ("San Francisco", "Budapest, Hongrie"); not part of the key.
    pub place: Option<String>,
}

impl Meeting {
    /// Adds one element as written ("5th", "1960", "Moscow, Russia"): a number, a date or else a place.
    pub fn add(&mut self, element: &str) {
        let e = element.trim().trim_matches(|c: char| matches!(c, ':' | ';' | ',' | '.' | ' ' | '(' | ')'));
        if e.is_empty() {
            return;
        }
        if let (None, Some(y)) = (self.year, year_of(e)) {
            self.year = Some(y);
            self.date = Some(e.to_string());
        } else if let (None, Some(n)) = (self.number, number_of(e)) {
            self.number = Some(n);
        } else {
            match &mut self.place {
                Some(p) => {
                    p.push_str(", ");
                    p.push_str(e);
                }
                None => self.place = Some(e.to_string()),
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.number.is_none() && self.year.is_none() && self.place.is_none()
    }
}

/// The first year (1000–2999) in a date element, when the element is a date: digits, with at most a few other
/// characters around them ("1992-1993", "2008", "1960 Nov."), not a number or a name.
fn year_of(e: &str) -> Option<i32> {
    let b = e.as_bytes();
    let letters = e.chars().filter(|&c| is_alphabetic(c)).count();
    if letters > 12 {
        return None;
    }
    let i = b.windows(4).position(|w| w.iter().all(u8::is_ascii_digit))?;
    if b.get(i + 4).is_some_and(u8::is_ascii_digit) || (i > 0 && b[i - 1].is_ascii_digit()) {
        return None;
    }
    let y: i32 = e.get(i..i + 4)?.parse().ok()?;
    (1000..=2999).contains(&y).then_some(y)
}

/// A meeting number: digits with an ordinal ending ("5", "5th", "5.", "5e", "5-й", "06") or a Roman numeral.
fn number_of(e: &str) -> Option<u32> {
    let digits: String = e.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = &e[digits.len()..];
        if rest.chars().filter(|&c| is_alphabetic(c)).count() <= 3 && !rest.chars().any(|c| c.is_ascii_digit()) {
            return digits.parse().ok().filter(|&n| n > 0 && n < 1000);
        }
        return None;
    }
    crate::text::roman(e.trim_end_matches('.'))
}

/// A corporate body or meeting taken apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorporateName {
    /// The hierarchy, in order: the body, then each subordinate unit ("Akademiia nauk SSSR", "Institut istorii").
    pub parts: Vec<String>,
    /// Qualifiers in parentheses ("Moscow, Russia", "Ukraine"): set aside, not keyed.
    pub qualifiers: Vec<String>,
    /// The meeting's number, date and place, for a meeting.
    pub meeting: Option<Meeting>,
}

impl CorporateName {
    /// The corporate key with the built-in abbreviations: see the [module documentation](self).
    pub fn key(&self) -> Key {
        self.key_with(Abbreviations::builtin())
    }

    /// The corporate key with an abbreviation table of your own.
    pub fn key_with(&self, abbreviations: &Abbreviations) -> Key {
        self.key_hint(abbreviations, None)
    }

    /// [`key`](Self::key) with the name's Cyrillic read as `lang` spells it (see [`crate::key::key_as`]).
    pub fn key_as(&self, lang: Lang) -> Key {
        self.key_hint(Abbreviations::builtin(), Some(lang))
    }

    /// The key with the language `hint`, or the language the whole name's letters decide.
    pub(crate) fn key_hint(&self, abbreviations: &Abbreviations, hint: Option<Lang>) -> Key {
        let all: String = self.parts.join(" ");
        let lang = hint.or_else(|| crate::key::detect(&all));
        let mut out = String::with_capacity(all.len());
        let mut scratch = String::new();
        for part in &self.parts {
            for (i, raw) in part.split_whitespace().enumerate() {
                let w = trim_word(raw);
                if w.is_empty() || (i == 0 && crate::title::is_article(w)) {
                    continue;
                }
                key_word(w, lang, abbreviations, &mut scratch, &mut out);
            }
        }
        if let Some(m) = &self.meeting {
            if let Some(n) = m.number {
                out.push('n');
                out.push_str(&n.to_string());
            }
            if let Some(y) = m.year {
                out.push('y');
                out.push_str(&y.to_string());
            }
        }
        Key(out)
    }
}

/// Punctuation around a word that is not part of it: commas, quotes, brackets. A period stays (it marks an
/// abbreviation), as do inner hyphens.
fn trim_word(raw: &str) -> &str {
    raw.trim_matches(|c: char| {
        matches!(c, ',' | ';' | ':' | '"' | '«' | '»' | '“' | '”' | '„' | '(' | ')' | '[' | ']' | '<' | '>' | '/')
    })
}

/// Appends the key of one word: the key of its full form when the table has it, else its title-style key; a
/// hyphenated word that is not itself an abbreviation (ун-т) is taken piece by piece (науч.-исслед.).
fn key_word(w: &str, lang: Option<Lang>, abbreviations: &Abbreviations, scratch: &mut String, out: &mut String) {
    if let Some(c) = abbreviations.lookup(w, lang) {
        out.push_str(c);
        return;
    }
    if w.contains('-') {
        let pieces: Vec<&str> = w.split('-').filter(|p| !p.is_empty()).collect();
        if pieces.len() > 1 {
            for p in pieces {
                key_word(p, lang, abbreviations, scratch, out);
            }
            return;
        }
    }
    scratch.clear();
    crate::title::push_key_word(w, scratch);
    out.push_str(crate::key::key_hint(scratch, lang).as_str());
}

/// Parses a corporate or meeting heading written as text. Never panics.
///
/// ```
/// use bibkey::corporate::parse_corporate;
/// let c = parse_corporate("Akademiia nauk SSSR. Institut istorii (Moscow, Russia)");
/// assert_eq!(c.parts, ["Akademiia nauk SSSR", "Institut istorii"]);
/// assert_eq!(c.qualifiers, ["Moscow, Russia"]);
/// let m = parse_corporate("Naučni sastanak slavista u Vukove Dane (38 ; 2008 ; Belgrade)").meeting.unwrap();
/// assert_eq!((m.number, m.year, m.place.as_deref()), (Some(38), Some(2008), Some("Belgrade")));
/// ```
pub fn parse_corporate(text: &str) -> CorporateName {
    let mut out = CorporateName::default();
    let mut meeting = Meeting::default();
    // Parenthesized groups: meeting elements or qualifiers.
    let mut rest = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut group = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    group.clear();
                    continue;
                }
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    paren_group(group.trim(), &mut meeting, &mut out.qualifiers);
                    rest.push(' ');
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            group.push(c);
        } else {
            rest.push(c);
        }
    }
    if depth > 0 {
        // An unclosed parenthesis: its text stays in the name.
        rest.push(' ');
        rest.push_str(&group);
    }
    // GND writes a meeting's elements after commas: "Name, 1, 1992, Bellaterra". They start at the first comma
    // part that is a number or a year, and count as a meeting only if a year is among them.
    let mut name = rest.as_str();
    if meeting.is_empty() {
        let pieces: Vec<&str> = rest.split(',').collect();
        if let Some(start) = (1..pieces.len()).find(|&i| {
            let p = pieces[i].trim().trim_end_matches('.');
            year_of(p).is_some() || number_of(p).is_some()
        }) {
            if pieces[start..].iter().any(|p| year_of(p.trim()).is_some()) {
                for p in &pieces[start..] {
                    meeting.add(p);
                }
                let cut: usize = pieces[..start].iter().map(|p| p.len() + 1).sum::<usize>().saturating_sub(1);
                name = rest.get(..cut).unwrap_or(&rest);
            }
        }
    }
    out.parts = split_hierarchy(name);
    if !meeting.is_empty() {
        out.meeting = Some(meeting);
    }
    out
}

/// One parenthesized group: meeting elements when it holds `:` or `;` separators or is only a number or date
/// ("(5th : 1960 : San Francisco)", "(38 ; 2008 ; Belgrade)", "(1993)"), otherwise a qualifier.
fn paren_group(g: &str, meeting: &mut Meeting, qualifiers: &mut Vec<String>) {
    if g.is_empty() {
        return;
    }
    let separated = g.contains(':') || g.contains(';');
    if separated {
        let elements: Vec<&str> = g.split([':', ';']).collect();
        if elements.iter().any(|e| year_of(e.trim()).is_some() || number_of(e.trim()).is_some()) {
            for e in elements {
                meeting.add(e);
            }
            return;
        }
    } else if year_of(g).is_some() && g.chars().filter(|&c| is_alphabetic(c)).count() <= 4 || number_of(g).is_some() {
        meeting.add(g);
        return;
    }
    qualifiers.push(g.to_string());
}

/// Splits a heading into its hierarchy at periods that end a part: a period after a word that is neither an
/// initial (one or two letters) nor a listed abbreviation, followed by more text.
fn split_hierarchy(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    for raw in name.split_whitespace() {
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(raw);
        let w = trim_word(raw);
        if let Some(stem) = w.strip_suffix('.') {
            let letters = stem.chars().filter(|&c| is_alphabetic(c)).count();
            // A lone period (left where a qualifier was taken out) ends a part.
            let initial = letters > 0 && (letters <= 2 || stem.contains('.'));
            // A truncation (Akad., гос.) owns its period; a contraction (otd-nie, ун-т) is whole without one.
            let abbreviation =
                !stem.contains('-') && Abbreviations::builtin().abbreviations.contains_key(crate::key(w).as_str());
            if !initial && !abbreviation {
                push_part(&mut parts, &mut cur);
            }
        }
    }
    push_part(&mut parts, &mut cur);
    parts
}

/// Ends the current part: trailing punctuation goes, except the period of a truncated word (фак., Akad.) or an
/// initial, which is part of the word.
fn push_part(parts: &mut Vec<String>, cur: &mut String) {
    let mut p = cur.trim().trim_end_matches([',', ';', ':', ' ', '/', '=', '.']);
    let last = cur.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
    if let Some(stem) = last.strip_suffix('.') {
        let letters = stem.chars().filter(|&c| is_alphabetic(c)).count();
        let owned = (1..=2).contains(&letters)
            || !stem.contains('-') && Abbreviations::builtin().abbreviations.contains_key(crate::key(last).as_str());
        if owned && cur.trim_end().len() > p.len() {
            p = &cur.trim_end()[..p.len() + 1];
        }
    }
    if p.chars().any(is_alphanumeric) {
        parts.push(p.to_string());
    }
    cur.clear();
}

/// The corporate key of `text`: `parse_corporate(text).key()`.
///
/// ```
/// use bibkey::corporate::corporate_key;
/// assert_eq!(corporate_key("Gosudarstvennaia biblioteka SSSR imeni V.I. Lenina"),
///            corporate_key("Гос. б-ка СССР им. В. И. Ленина"));
/// assert_eq!(corporate_key("Congrès international de gérontologie (5 : 1960 : San Francisco)"),
///            corporate_key("Congrès international de gérontologie (5th : 1960 : San Francisco, Calif.)"));
/// ```
pub fn corporate_key(text: &str) -> Key {
    parse_corporate(text).key()
}

/// Name particles written in lower case inside personal names, which do not make a name corporate; `shi` is the
/// Chinese 氏 of catalog headings for women known by their family name ("Wang shi").
const PARTICLES: &[&str] = &[
    "de", "du", "des", "von", "van", "der", "den", "ter", "ten", "zu", "la", "le", "di", "da", "del", "della", "dos",
    "das", "do", "d", "l", "y", "e", "ibn", "bin", "bint", "ben", "al", "el", "abu", "ogly", "ogli", "oglu", "oğlu",
    "kyzy", "uulu", "und", "af", "av", "op", "het", "dei", "degli", "st", "shi",
];

/// The text without its parenthesized parts.
fn outside_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                out.push(' ');
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Is `text`, a name written as plain text, a corporate body or meeting rather than a person? See the [module
/// documentation](self) for the clues.
///
/// ```
/// use bibkey::corporate::is_corporate;
/// assert!(is_corporate("Русское энтомологическое общество"));
/// assert!(is_corporate("Samarskij Gosudarstvennyj Universitet. Kafedra Istorii"));
/// assert!(is_corporate("Semaine du document numérique (06 : 2006 : Fribourg)"));
/// assert!(!is_corporate("Удо Б. Баркманн"));
/// assert!(!is_corporate("Tolstoĭ, Lev, graf, 1828-1910"));
/// assert!(!is_corporate("Bank, Ivan"));
/// ```
pub fn is_corporate(text: &str) -> bool {
    // 1. Meeting elements in parentheses.
    let mut depth = 0usize;
    let mut group = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                group.clear();
            }
            ')' if depth > 0 => {
                depth -= 1;
                if (group.contains(':') || group.contains(';'))
                    && group.split([':', ';']).any(|e| year_of(e.trim()).is_some() || number_of(e.trim()).is_some())
                {
                    return true;
                }
            }
            _ if depth > 0 => group.push(c),
            _ => {}
        }
    }
    let has_comma = text.contains(',');
    let first_part = text.split(',').next().unwrap_or("");
    let first_part_words = first_part.split_whitespace().count();
    let second_has_letters = text.split(',').nth(1).is_some_and(|p| {
        let p = p.trim();
        p.chars().any(is_alphabetic) && !p.chars().any(|c| c.is_ascii_digit())
    });
    // Words outside parentheses: "Christine (de Tyr ; sainte)", "Collalto (famille)" qualify a person.
    let outside = outside_parentheses(text);
    let words: Vec<&str> = outside.split_whitespace().map(trim_word).filter(|w| w.chars().any(is_alphabetic)).collect();
    // 2. A corporate word.
    let table = CorporateWords::builtin();
    let mut offset = 0usize;
    let mut hit_outside_surname = false;
    for raw in text.split_whitespace() {
        let at = text[offset..].find(raw).map_or(offset, |i| offset + i);
        offset = at + raw.len();
        let w = trim_word(raw).trim_end_matches('.');
        let hit = w.split('-').any(|p| table.contains(p));
        if !hit {
            continue;
        }
        let in_surname = has_comma && at < first_part.len() && first_part_words == 1 && second_has_letters;
        if !in_surname {
            hit_outside_surname = true;
        }
    }
    if hit_outside_surname {
        let capitalized = words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
        let starts_with_given = words.first().is_some_and(|w| crate::GivenNames::builtin().canonical(w).is_some());
        let short_person = !has_comma && words.len() <= 3 && capitalized && starts_with_given;
        if !short_person {
            return true;
        }
    }
    if has_comma {
        return false;
    }
    // 3. A lower-case word that is not a particle, beside a capitalized one.
    let lower = |w: &&str| {
        // A particle joined to the name by a hyphen or apostrophe ("al-Dīn", "d'Ectot") is a particle too.
        let head = w.split(['-', '\'', '’']).next().unwrap_or(w);
        w.chars().next().is_some_and(char::is_lowercase)
            && w.chars().filter(|&c| is_alphabetic(c)).count() >= 3
            && !PARTICLES.contains(&w.to_lowercase().as_str())
            && !PARTICLES.contains(&head.to_lowercase().as_str())
            && !w.ends_with('.')
    };
    let upper = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    if words.len() >= 2 && words.iter().any(lower) && words.iter().any(upper) {
        return true;
    }
    // 4. A hierarchy: a period after a long word, followed by another word.
    let raw: Vec<&str> = outside.split_whitespace().collect();
    raw.iter().enumerate().any(|(i, w)| {
        i + 1 < raw.len()
            && w.ends_with('.')
            && w.trim_end_matches('.').chars().filter(|&c| is_alphabetic(c)).count() >= 4
            && !w.trim_end_matches('.').contains('.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_parse() {
        let a = Abbreviations::parse("tables/corporate-abbreviations.tsv", ABBREVIATIONS_TABLE);
        assert!(a.is_ok(), "{a:?}");
        assert!(Abbreviations::builtin().len() >= 25);
        let w = CorporateWords::parse("tables/corporate-words.tsv", WORDS_TABLE);
        assert!(w.is_ok(), "{w:?}");
    }

    #[test]
    fn meeting_elements() {
        assert_eq!(number_of("5th"), Some(5));
        assert_eq!(number_of("06"), Some(6));
        assert_eq!(number_of("XXV"), Some(25));
        assert_eq!(number_of("Moscow"), None);
        assert_eq!(year_of("1992-1993"), Some(1992));
        assert_eq!(year_of("12345"), None);
    }
}

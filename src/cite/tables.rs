//! The citation word lists of `tables/cite/` (format: `tables/cite/README.md`), compiled into one lookup.

use std::collections::HashMap;

use once_cell::sync::Lazy;

use super::token::{tokenize, Tk, Tok};
use crate::text::lower_short;
use crate::text::SHORT_WORD;
use crate::Error;

/// The built-in lists: `(origin, text)` of each file under `tables/cite/`.
pub const BUILTIN_TABLES: &[(&str, &str)] = &[
    ("tables/cite/markers.tsv", include_str!("../../tables/cite/markers.tsv")),
    ("tables/cite/places.tsv", include_str!("../../tables/cite/places.tsv")),
    ("tables/cite/titles.tsv", include_str!("../../tables/cite/titles.tsv")),
    ("tables/cite/months.tsv", include_str!("../../tables/cite/months.tsv")),
    ("tables/cite/references.tsv", include_str!("../../tables/cite/references.tsv")),
    ("tables/cite/numerals.tsv", include_str!("../../tables/cite/numerals.tsv")),
];

/// What a form of the lists is (the `ROLE` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    Volume,
    Issue,
    Part,
    Pages,
    Edition,
    Year,
    Place,
    Collected,
    Abbrev,
    Month,
    Ibid,
    OpCit,
    In,
    Editor,
    EtAl,
    Idem,
    Numeral,
}

impl Role {
    fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "volume" => Role::Volume,
            "issue" => Role::Issue,
            "part" => Role::Part,
            "pages" => Role::Pages,
            "edition" => Role::Edition,
            "year" => Role::Year,
            "place" => Role::Place,
            "collected" => Role::Collected,
            "abbrev" => Role::Abbrev,
            "month" => Role::Month,
            "ibid" => Role::Ibid,
            "opcit" => Role::OpCit,
            "in" => Role::In,
            "editor" => Role::Editor,
            "etal" => Role::EtAl,
            "idem" => Role::Idem,
            "numeral" => Role::Numeral,
            _ => return None,
        })
    }

    /// Whether the role needs a VALUE, and whether it is a number.
    fn value(self) -> (bool, bool) {
        match self {
            Role::Place | Role::Collected | Role::Abbrev => (true, false),
            Role::Month | Role::Numeral => (true, true),
            _ => (false, false),
        }
    }
}

/// One form of a list.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The form's words, lower case.
    pub words: Vec<String>,
    pub role: Role,
    /// The VALUE column (empty when the role has none).
    pub value: String,
    /// The VALUE as a number, for months and numerals.
    pub number: u32,
    /// The form ends in a colon, which is taken with it (`In:`).
    pub colon: bool,
    /// The form ends in a period (`vol.`), which is taken with it when the citation has it.
    pub dot: bool,
}

/// The citation word lists: markers, places, collected-works titles and abbreviations, months, references and
/// connectors, Roman numerals. [`CiteTables::builtin`] holds `tables/cite/`; your own lists in the same format
/// (`tables/cite/README.md`) extend it.
///
/// ```
/// use bibkey::cite::{parse_with, CiteTables};
///
/// // Rostock is not a built-in place; with it, "Rostock, 1923" is a place and a year.
/// let tables = CiteTables::with_extra("my-places.tsv", "Rostock\tplace\tRostock\n")?;
/// let c = parse_with("Müller, K. Die Stadt. Rostock, 1923.", &tables);
/// assert_eq!(c.places[0].value, "Rostock");
///
/// let err = CiteTables::with_extra("bad.tsv", "# a comment\nRostock\tcity\n").unwrap_err();
/// assert_eq!((err.origin(), err.line()), (Some("bad.tsv"), Some(2)));
/// # Ok::<(), bibkey::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CiteTables {
    pub(crate) entries: Vec<Entry>,
    /// Entries by their first word, longest form first.
    by_first: HashMap<String, Vec<u32>, Fnv>,
    /// Words that are written with a period in some form (`полн`, `vol`, `izd`): their period does not end a title.
    pub(crate) dotted: HashMap<String, (), Fnv>,
    /// Roman numeral letters (upper case) and their values.
    pub(crate) numerals: HashMap<char, u32>,
    /// The title keys of the collected-works titles written out (not abbreviated), and their full titles: other
    /// spellings of them (`Polnoe sobranie sočinenij`) are known by their key.
    pub(crate) collected_keys: HashMap<String, String>,
    /// The title keys of the collected editions that some form of the lists writes in Cyrillic (`Сочинения`,
    /// `Полное собрание сочинений`): the original editions. Any other (`Collected Works`, `Werke`, `Œuvres`) is a
    /// translation, another edition with other volumes and pages.
    pub(crate) original_editions: HashMap<String, ()>,
}

/// FNV-1a for the word maps: every token of a citation is looked up, and SipHash (the default, proof against
/// chosen keys) was a tenth of the parse time for words of a few bytes from fixed lists.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

/// The 64-bit FNV-1a state.
pub(crate) struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

static BUILTIN: Lazy<CiteTables> = Lazy::new(|| {
    let mut t = CiteTables::default();
    for (origin, text) in BUILTIN_TABLES {
        // The built-in lists are checked by a unit test; a broken one would only lose its own entries.
        let _ = t.extend(origin, text);
    }
    t
});

impl CiteTables {
    /// The built-in lists (`tables/cite/*.tsv`), compiled on first use.
    pub fn builtin() -> &'static CiteTables {
        &BUILTIN
    }

    /// Lists parsed from `text` alone (no built-in entries). `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// An unknown role, a missing or non-numeric value where one is needed, or a form without letters or digits:
    /// an [`Error`] with `origin` and the line number.
    pub fn parse(origin: &str, text: &str) -> Result<CiteTables, Error> {
        let mut t = CiteTables::default();
        t.extend(origin, text)?;
        Ok(t)
    }

    /// The built-in lists extended with `text` (same format).
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse).
    pub fn with_extra(origin: &str, text: &str) -> Result<CiteTables, Error> {
        let mut t = CiteTables::builtin().clone();
        t.extend(origin, text)?;
        Ok(t)
    }

    /// Adds the entries of `text` (same format) to these lists.
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse); the lines before the bad one stay added.
    pub fn extend(&mut self, origin: &str, text: &str) -> Result<(), Error> {
        let mut toks = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = raw.split('#').next().unwrap_or("");
            // A form may itself contain '#'? None does; '#' always starts a comment.
            if line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let form = cols.next().unwrap_or("").trim();
            let role_text = cols.next().map(str::trim).unwrap_or("");
            let value = cols.next().map(str::trim).unwrap_or("");
            if cols.next().is_some_and(|c| !c.trim().is_empty()) {
                return Err(Error::table(origin, line_no, "more than three columns (FORM, ROLE, VALUE)"));
            }
            let Some(role) = Role::parse(role_text) else {
                return Err(Error::table(
                    origin,
                    line_no,
                    format!("unknown role {role_text:?} (see tables/cite/README.md for the roles)"),
                ));
            };
            let (needs_value, numeric) = role.value();
            if needs_value && value.is_empty() {
                return Err(Error::table(origin, line_no, format!("role {role_text} needs a VALUE column")));
            }
            let number = if numeric {
                match value.parse::<u32>() {
                    Ok(v) if v > 0 => v,
                    _ => return Err(Error::table(origin, line_no, format!("VALUE {value:?} is not a number"))),
                }
            } else {
                0
            };
            tokenize(form, &mut toks);
            let words: Vec<String> = toks
                .iter()
                .filter(|t| t.k != Tk::Punct || is_word_symbol(&form[t.s..t.e]))
                .map(|t| lower(&form[t.s..t.e]))
                .collect();
            if words.is_empty() {
                return Err(Error::table(origin, line_no, format!("form {form:?} has no letters or digits")));
            }
            for (i, t) in toks.iter().enumerate() {
                if t.k == Tk::Word && toks.get(i + 1).is_some_and(|n| &form[n.s..n.e] == ".") {
                    self.dotted.insert(lower(&form[t.s..t.e]), ());
                }
            }
            if role == Role::Numeral {
                let mut cs = form.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => {
                        for u in c.to_uppercase() {
                            self.numerals.insert(u, number);
                        }
                    }
                    _ => return Err(Error::table(origin, line_no, format!("numeral {form:?} is not one letter"))),
                }
            }
            if role == Role::Collected && !form.contains('.') && words.len() > 1
                || role == Role::Collected && words[0].chars().count() > 6
            {
                let key = crate::title_key(form);
                if !key.is_empty() {
                    self.collected_keys.entry(key.as_str().to_string()).or_insert_with(|| value.to_string());
                }
            }
            if role == Role::Collected && form.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')) {
                let key = crate::title_key(value);
                if !key.is_empty() {
                    self.original_editions.insert(key.as_str().to_string(), ());
                }
            }
            let colon = form.ends_with(':');
            let dot = form.trim_end_matches(':').ends_with('.');
            let id = self.entries.len() as u32;
            self.entries.push(Entry { words, role, value: value.to_string(), number, colon, dot });
            let first = self.entries[id as usize].words[0].clone();
            let list = self.by_first.entry(first).or_default();
            list.push(id);
            let entries = &self.entries;
            list.sort_by_key(|&e| std::cmp::Reverse(entries[e as usize].words.len()));
        }
        Ok(())
    }

    /// The longest form with one of `roles` that starts at token `i` of `toks` (over `text`): the index after its
    /// last token (its trailing period or colon included) and the entry. Periods and hyphens between the words of
    /// the form are skipped; other punctuation is not.
    #[cfg(test)]
    pub(crate) fn lookup(&self, text: &str, toks: &[Tok], i: usize, roles: &[Role]) -> Option<(usize, &Entry)> {
        let first = toks.get(i)?;
        let list = self.candidates(&text[first.s..first.e])?;
        self.lookup_in(list, text, toks, i, roles)
    }

    /// The entries whose form starts with `word` (any case), longest first.
    pub(crate) fn candidates(&self, word: &str) -> Option<&[u32]> {
        let mut buf = [0; SHORT_WORD];
        let w = lower_short(word, &mut buf)?;
        self.by_first.get(w).map(Vec::as_slice)
    }

    /// [`lookup`](Self::lookup) among `list`, the [`candidates`](Self::candidates) of token `i`.
    pub(crate) fn lookup_in(
        &self,
        list: &[u32],
        text: &str,
        toks: &[Tok],
        i: usize,
        roles: &[Role],
    ) -> Option<(usize, &Entry)> {
        'entries: for &id in list {
            let e = &self.entries[id as usize];
            if !roles.contains(&e.role) {
                continue;
            }
            let mut j = i + 1;
            for word in &e.words[1..] {
                // Skip the periods and hyphens between words.
                while toks.get(j).is_some_and(|t| t.k == Tk::Punct && matches!(&text[t.s..t.e], "." | "-" | "‐")) {
                    j += 1;
                }
                let Some(t) = toks.get(j) else { continue 'entries };
                let mut b = [0; SHORT_WORD];
                if lower_short(&text[t.s..t.e], &mut b) != Some(word.as_str()) {
                    continue 'entries;
                }
                j += 1;
            }
            if e.dot && toks.get(j).is_some_and(|t| &text[t.s..t.e] == ".") {
                j += 1;
            }
            if e.colon && toks.get(j).is_some_and(|t| &text[t.s..t.e] == ":") {
                j += 1;
            }
            return Some((j, e));
        }
        None
    }
}

/// Symbols that stand for a word in a form (`№`).
pub(crate) fn is_word_symbol(s: &str) -> bool {
    matches!(s, "№" | "№№" | "/")
}

fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).map(|c| if c == '’' { '\'' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_parse() {
        for (origin, text) in BUILTIN_TABLES {
            CiteTables::parse(origin, text).unwrap();
        }
        assert!(CiteTables::builtin().entries.len() > 400);
    }

    #[test]
    fn errors_name_the_line() {
        let e = CiteTables::parse("x.tsv", "\nфевр.\tmonth\tтwo\n").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(CiteTables::parse("x.tsv", "Paris\tplace\n").is_err());
        assert!(CiteTables::parse("x.tsv", "...\tvolume\n").is_err());
        assert!(CiteTables::parse("x.tsv", "t.\tvolume\textra\tmore\n").is_err());
    }

    #[test]
    fn lookup_skips_periods_and_takes_the_longest() {
        let t = CiteTables::builtin();
        let text = "Полн.собр.соч. Т. 34";
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let (end, e) = t.lookup(text, &toks, 0, &[Role::Collected]).unwrap();
        assert_eq!(e.value, "Полное собрание сочинений");
        assert_eq!(&text[toks[end].s..], "Т. 34");
    }
}

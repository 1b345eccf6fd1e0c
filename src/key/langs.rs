//! The key's readings of Cyrillic per language (`tables/key/languages.tsv` and `tables/key/*.tbl`) and the
//! detection of a text's language from the letters that decide it.
//!
//! The Russian reading is `tables/key.tbl` itself. Every other reading is that table with a few letters read
//! another way: Ukrainian and Belarusian г as `h`, Ukrainian и as `y`, Bulgarian ъ as `a` and щ as `sht`, Serbian and
//! Macedonian ј љ њ as `j lj nj`. Only the Cyrillic side changes; Latin is read the same way whatever the language,
//! so a language hint never changes the key of a romanized text.

use crate::Lang;

/// One reading of Cyrillic: a row of `tables/key/languages.tsv`.
pub(crate) struct Reading {
    /// The row's table id (`ru`, `uk`, `bg-u`…), which the tests check against the built-in tables.
    #[cfg_attr(not(test), allow(dead_code))]
    pub id: &'static str,
    /// The language it reads.
    pub lang: Lang,
    /// The table text that overrides `tables/key.tbl` (empty for Russian).
    pub table: &'static str,
    /// The letters whose presence makes a text this language (lower case).
    pub decides: Vec<char>,
    /// The language's letters (lower case).
    pub alphabet: Vec<char>,
}

/// `(id, text)` of every language's override table, embedded at compile time.
const TABLES: &[(&str, &str)] = &[
    ("uk", include_str!("../../tables/key/uk.tbl")),
    ("uk-iso9", include_str!("../../tables/key/uk-iso9.tbl")),
    ("uk-g", include_str!("../../tables/key/uk-g.tbl")),
    ("uk-dstu", include_str!("../../tables/key/uk-dstu.tbl")),
    ("be", include_str!("../../tables/key/be.tbl")),
    ("be-w", include_str!("../../tables/key/be-w.tbl")),
    ("be-g", include_str!("../../tables/key/be-g.tbl")),
    ("bg", include_str!("../../tables/key/bg.tbl")),
    ("bg-u", include_str!("../../tables/key/bg-u.tbl")),
    ("bg-iso9", include_str!("../../tables/key/bg-iso9.tbl")),
    ("bg-sch", include_str!("../../tables/key/bg-sch.tbl")),
    ("sr", include_str!("../../tables/key/sr.tbl")),
    ("sr-iso9", include_str!("../../tables/key/sr-iso9.tbl")),
    ("mk", include_str!("../../tables/key/mk.tbl")),
    ("mk-j", include_str!("../../tables/key/mk-j.tbl")),
    ("mk-iso9", include_str!("../../tables/key/mk-iso9.tbl")),
];

/// The text of `tables/key/languages.tsv`.
pub(crate) const LANGUAGES: &str = include_str!("../../tables/key/languages.tsv");

/// The readings of `tables/key/languages.tsv`, in file order (Russian first), or the line that is wrong.
pub(crate) fn parse(text: &str) -> Result<Vec<Reading>, crate::Error> {
    let origin = "tables/key/languages.tsv";
    let mut out: Vec<Reading> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [id, lang, decides, alphabet] = cols[..] else {
            return Err(crate::Error::table(origin, n + 1, "expected four tab-separated columns"));
        };
        let lang = Lang::from_code(lang)
            .ok_or_else(|| crate::Error::table(origin, n + 1, format!("unknown language {lang:?}")))?;
        let table = if id == "ru" {
            ""
        } else {
            TABLES.iter().find(|(t, _)| *t == id).map(|(_, text)| *text).ok_or_else(|| {
                crate::Error::table(origin, n + 1, format!("no table tables/key/{id}.tbl is built in"))
            })?
        };
        let letters = |s: &str| -> Result<Vec<char>, crate::Error> {
            s.split_whitespace()
                .map(|w| {
                    let mut cs = w.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) if c.is_lowercase() => Ok(c),
                        _ => Err(crate::Error::table(origin, n + 1, format!("{w:?} is not one lower-case letter"))),
                    }
                })
                .collect()
        };
        let decides = letters(decides)?;
        if !decides.is_empty() && out.iter().any(|r| r.lang == lang) {
            return Err(crate::Error::table(origin, n + 1, "only a language's first reading decides it"));
        }
        if let Some(c) = decides.iter().find(|c| out.iter().any(|r| r.decides.contains(c))) {
            return Err(crate::Error::table(origin, n + 1, format!("{c} already decides another language")));
        }
        out.push(Reading { id: leak(id), lang, table, decides, alphabet: letters(alphabet)? });
    }
    match Lang::ALL.iter().find(|l| !out.iter().any(|r| r.lang == **l)) {
        Some(l) => Err(crate::Error::table(origin, 0, format!("no reading for {}", l.name()))),
        None if out.first().map(|r| r.lang) != Some(Lang::Russian) => {
            Err(crate::Error::table(origin, 0, "the first reading must be Russian (ru)"))
        }
        None => Ok(out),
    }
}

fn leak(s: &str) -> &'static str {
    // A handful of ids, read once per process.
    Box::leak(s.to_string().into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_parses_and_names_every_table() {
        let r = parse(LANGUAGES).expect("tables/key/languages.tsv");
        for (id, _) in TABLES {
            assert!(r.iter().any(|x| x.id == *id), "{id} is built in but not listed");
        }
        for l in Lang::ALL {
            let first = r.iter().find(|x| x.lang == l).expect("every language has a reading");
            assert_eq!(first.id, l.code());
        }
    }

    #[test]
    fn malformed_lists_name_the_line() {
        for (text, line) in [
            ("ru\tru\t\tа\nuk\txx\t\tа\n", 2),
            ("ru\tru\t\tа\nuk\tuk\tїї\tа\n", 2),
            ("ru\tru\t\tа\nuk\tuk\n", 2),
            ("ru\tru\t\tа\nzz\tuk\t\tа\n", 2),
            ("ru\tru\tї\tа\nuk\tuk\tї\tа\n", 2),
        ] {
            let e = parse(text).err().expect(text);
            assert_eq!(e.line(), Some(line), "{text:?}: {e}");
        }
        assert!(parse("uk\tuk\t\tа\n").is_err());
    }
}

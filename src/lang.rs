//! Languages written in Cyrillic that bibkey reads, and the codes catalogs carry for them.
//!
//! A [`Lang`] is a hint: the key, the title and name keys and the romanizer read a text's Cyrillic letters the way
//! that language spells them (Ukrainian г is `h`, Bulgarian щ is `sht`, Serbian ј is `j`). Without a hint the key
//! reads Cyrillic as Russian and [`crate::key::readings`] adds the readings of the other languages a text could be
//! in. A `Lang` is one byte; passing it costs nothing per call.

use std::fmt;
use std::str::FromStr;

/// A Cyrillic-script language.
///
/// Parse one from the codes catalogs carry: ISO 639-1 (`uk`), ISO 639-2/B as MARC 21 writes it (`ukr`, `mac`),
/// ISO 639-2/T (`mkd`), or the English name, in any case.
///
/// ```
/// use bibkey::Lang;
/// assert_eq!("ukr".parse::<Lang>()?, Lang::Ukrainian);
/// assert_eq!("MAC".parse::<Lang>()?, Lang::Macedonian);
/// assert_eq!("mkd".parse::<Lang>()?, Lang::Macedonian);
/// assert_eq!(Lang::Belarusian.code(), "be");
/// assert_eq!(Lang::Belarusian.marc_code(), "bel");
/// assert!("fre".parse::<Lang>().is_err());
/// # Ok::<(), bibkey::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Lang {
    /// Russian (`ru`, `rus`).
    Russian,
    /// Ukrainian (`uk`, `ukr`).
    Ukrainian,
    /// Belarusian (`be`, `bel`).
    Belarusian,
    /// Bulgarian (`bg`, `bul`).
    Bulgarian,
    /// Serbian in Cyrillic (`sr`, `srp`; MARC's obsolete `scc` too).
    Serbian,
    /// Macedonian (`mk`, `mac`, `mkd`).
    Macedonian,
}

impl Lang {
    /// Every language, in the order of their codes' use in this crate (Russian first).
    pub const ALL: [Lang; 6] =
        [Lang::Russian, Lang::Ukrainian, Lang::Belarusian, Lang::Bulgarian, Lang::Serbian, Lang::Macedonian];

    /// The ISO 639-1 code (`ru`, `uk`, `be`, `bg`, `sr`, `mk`), which prefixes the ids of the language's schemes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Russian => "ru",
            Lang::Ukrainian => "uk",
            Lang::Belarusian => "be",
            Lang::Bulgarian => "bg",
            Lang::Serbian => "sr",
            Lang::Macedonian => "mk",
        }
    }

    /// The MARC 21 language code (ISO 639-2/B), as 008/35-37 and field 041 carry it.
    pub fn marc_code(self) -> &'static str {
        match self {
            Lang::Russian => "rus",
            Lang::Ukrainian => "ukr",
            Lang::Belarusian => "bel",
            Lang::Bulgarian => "bul",
            Lang::Serbian => "srp",
            Lang::Macedonian => "mac",
        }
    }

    /// The language's English name.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Russian => "Russian",
            Lang::Ukrainian => "Ukrainian",
            Lang::Belarusian => "Belarusian",
            Lang::Bulgarian => "Bulgarian",
            Lang::Serbian => "Serbian",
            Lang::Macedonian => "Macedonian",
        }
    }

    /// The id of the language's ALA-LC scheme (`uk-alalc`), the table catalogers romanize with.
    pub fn alalc_scheme(self) -> String {
        format!("{}-alalc", self.code())
    }

    /// Position in [`Lang::ALL`], for tables indexed by language.
    #[allow(dead_code)] // used by the per-language key tables
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The language a code or name names, or `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let c = code.trim();
        Lang::ALL.into_iter().find(|l| {
            let aliases: &[&str] = match l {
                Lang::Serbian => &["scc"],
                Lang::Macedonian => &["mkd"],
                _ => &[],
            };
            [l.code(), l.marc_code(), l.name()].iter().chain(aliases).any(|a| a.eq_ignore_ascii_case(c))
        })
    }
}

impl FromStr for Lang {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Lang, crate::Error> {
        Lang::from_code(s).ok_or_else(|| crate::Error::unknown_lang(s))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for l in Lang::ALL {
            for c in [l.code(), l.marc_code(), l.name()] {
                assert_eq!(Lang::from_code(c), Some(l), "{c}");
                assert_eq!(Lang::from_code(&c.to_uppercase()), Some(l), "{c}");
            }
            assert_eq!(Lang::ALL[l.index()], l);
        }
        assert_eq!(Lang::from_code("scc"), Some(Lang::Serbian));
        for bad in ["", "r", "eng", "ukrainian language", "srb"] {
            assert_eq!(Lang::from_code(bad), None, "{bad}");
        }
    }
}

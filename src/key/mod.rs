//! The matching key: one string for a Cyrillic text and every romanization of it.
//!
//! The key of a text is the keys of its words, in order, written one after the other: spacing and punctuation are
//! not part of it, so a word split by OCR (`Bol’ sheviki`), a hyphen (`Yoshkar-Ola`) or nothing at all
//! (`Yoshkarola`) keys the same. A word's key is computed in two steps that follow the data's path:
//!
//! 1. **Reading.** Each character is turned into lower-case Latin letters: Cyrillic through `tables/key.tbl`
//!    (я → `ia`, щ → `shch`, ѣ → `e`…); Latin letters lose their diacritics (`ŝ` → `s`, `ĭ` → `i`), ties (U+0361,
//!    U+FE20/U+FE21) and other combining marks are dropped, and the special letters `ß æ œ ø ł đ ð þ ı` are spelled
//!    out. The soft- and hard-sign marks (`' ’ ‘ ʹ ʺ " “ ” ` ´ ʼ ʻ ′ ″ ·`) are dropped but do not end the word.
//!    Mixed-script words (`Shchёlkovo`) are read letter by letter.
//! 2. **Folding.** The Latin word goes through the fold in [`fold`], which documents the key alphabet and every
//!    merge it makes.
//!
//! Words are runs of letters and digits (combining marks and sign marks do not end a word). Word boundaries matter
//! because the fold treats the end of a word specially (-ий, -ый, -ы, -и all end in `i`).

pub mod fold;

use std::fmt;

use once_cell::sync::Lazy;
use unicode_normalization::char::decompose_canonical;

use crate::scheme::engine::{is_mark, lower};
use crate::Scheme;

/// A matching key. Two texts match when their keys are equal.
///
/// ```
/// use bibkey::key;
/// assert_eq!(key("Пролетарская революция"), key("Proletarskai͡a revoli͡ut͡sii͡a"));
/// assert_eq!(key("Proletarskaia revoliutsiia"), key("Proletarskaâ revolûciâ"));
/// assert_eq!(key("Троцкий"), key("Trotzki"));
/// assert_ne!(key("Tolstoy"), key("Tolstaya"));
/// assert_eq!(key("Proletarskaya revolyutsiya").as_str(), "proletarskarevoluca");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(String);

impl Key {
    /// The key as a string of the key alphabet.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Consumes the key, returning its string.
    pub fn into_string(self) -> String {
        self.0
    }
    /// True if the text had no letters or digits.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The key of `text`.
pub fn key(text: &str) -> Key {
    let mut s = String::with_capacity(text.len());
    key_into(text, &mut s);
    Key(s)
}

/// Appends the key of `text` to `out`. Does not allocate once `out` has grown to the size it needs.
///
/// ```
/// let mut buf = String::new();
/// for line in ["Trotskiĭ, Lev", "Троцкий, Лев"] {
///     buf.clear();
///     bibkey::key_into(line, &mut buf);
///     assert_eq!(buf, "trockilev");
/// }
/// ```
pub fn key_into(text: &str, out: &mut String) {
    KEYER.key_into(text, out)
}

/// How one character is read.
#[derive(Clone, Copy)]
enum Class {
    /// Letter or digit with its Latin reading (possibly empty, as for ь).
    Letter(&'static str),
    /// A letter of another script, kept as it is (lower case).
    Foreign(char),
    /// Combining mark or tie: dropped, does not end the word.
    Mark,
    /// Soft/hard-sign mark or apostrophe: dropped, stays inside the word.
    Sign,
    /// Anything else (white space, punctuation): ends the word.
    Break,
}

const CYR_BASE: u32 = 0x400;
const LATIN_BASE: u32 = 0x80;
const LATIN_END: u32 = 0x250;
const LATIN_EXT_ADD: u32 = 0x1E00;

/// The compiled reading tables.
struct Keyer {
    /// Lower-case Cyrillic U+0400..U+052F → Latin reading (from tables/key.tbl).
    cyrillic: Vec<Option<&'static str>>,
    /// U+0080..U+024F → Latin reading without diacritics.
    latin: Vec<Option<&'static str>>,
    /// U+1E00..U+1EFF → Latin reading without diacritics.
    latin_add: Vec<Option<&'static str>>,
}

/// Latin letters that do not decompose canonically but have a conventional ASCII spelling (the NACO special
/// letters and their kin).
const SPECIAL_LETTERS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ı', "i"),
    ('ħ', "h"),
    ('ŀ', "l"),
];

/// Marks that stand for the soft and hard signs (and the apostrophes OCR and keyboards put in their place).
const SIGN_MARKS: &[char] =
    &['\'', '’', '‘', 'ʹ', 'ʺ', '"', '“', '”', '`', '´', 'ʼ', 'ʻ', '′', '″', '·', 'ˮ', '‛', '＇'];

fn leak(s: String) -> &'static str {
    // The reading tables are built once per process (a few hundred short strings) and live for its whole life.
    Box::leak(s.into_boxed_str())
}

static KEYER: Lazy<Keyer> = Lazy::new(Keyer::new);

/// The text of the key's Cyrillic table, `tables/key.tbl`.
pub(crate) const KEY_TABLE: &str = include_str!("../../tables/key.tbl");

impl Keyer {
    fn new() -> Keyer {
        let mut cyrillic = vec![None; 0x130];
        // The key table is part of the crate and checked by its tests; were it ever broken, the key would read
        // Cyrillic letters as themselves rather than panic.
        if let Ok(table) = Scheme::parse("tables/key.tbl", KEY_TABLE) {
            for r in table.rules().filter(|r| !r.conditional) {
                let mut cs = r.source.chars();
                if let (Some(c), None) = (cs.next(), cs.next()) {
                    if let Some(slot) = cyrillic.get_mut((c as u32).wrapping_sub(CYR_BASE) as usize) {
                        *slot = Some(leak(r.target.to_string()));
                    }
                }
            }
        }
        let read_latin = |c: char| -> Option<&'static str> {
            let l = lower(c);
            if let Some(&(_, s)) = SPECIAL_LETTERS.iter().find(|(k, _)| *k == l) {
                return Some(s);
            }
            if !l.is_alphabetic() {
                return None;
            }
            let mut base = String::new();
            decompose_canonical(l, |d| {
                if d.is_ascii_alphabetic() {
                    base.push(d.to_ascii_lowercase())
                }
            });
            (!base.is_empty()).then(|| leak(base))
        };
        let latin = (LATIN_BASE..LATIN_END).map(|u| char::from_u32(u).and_then(read_latin)).collect();
        let latin_add =
            (LATIN_EXT_ADD..LATIN_EXT_ADD + 0x100).map(|u| char::from_u32(u).and_then(read_latin)).collect();
        Keyer { cyrillic, latin, latin_add }
    }

    #[inline]
    fn classify(&self, c: char) -> Class {
        const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
        if c.is_ascii() {
            let b = c as u8;
            return match b {
                b'a'..=b'z' => Class::Letter(&LETTERS[(b - b'a') as usize..][..1]),
                b'A'..=b'Z' => Class::Letter(&LETTERS[(b - b'A') as usize..][..1]),
                b'0'..=b'9' => Class::Letter(&LETTERS[26 + (b - b'0') as usize..][..1]),
                b'\'' | b'"' | b'`' => Class::Sign,
                _ => Class::Break,
            };
        }
        let u = c as u32;
        if (CYR_BASE..CYR_BASE + 0x130).contains(&u) {
            let l = lower(c) as u32;
            if let Some(Some(s)) = self.cyrillic.get(l.wrapping_sub(CYR_BASE) as usize) {
                return Class::Letter(s);
            }
        } else if (LATIN_BASE..LATIN_END).contains(&u) {
            if let Some(s) = self.latin[(u - LATIN_BASE) as usize] {
                return Class::Letter(s);
            }
        } else if (LATIN_EXT_ADD..LATIN_EXT_ADD + 0x100).contains(&u) {
            if let Some(s) = self.latin_add[(u - LATIN_EXT_ADD) as usize] {
                return Class::Letter(s);
            }
        }
        if SIGN_MARKS.contains(&c) {
            Class::Sign
        } else if is_mark(c) || matches!(c, '\u{200C}' | '\u{200D}' | '\u{AD}') {
            Class::Mark
        } else if c.is_alphabetic() || c.is_numeric() {
            // A letter outside the tables may still be a Latin or Cyrillic letter in disguise (U+212B Å, a
            // compatibility capital): read its lower case, then its canonical base letter, through the tables.
            let l = lower(c);
            if l != c {
                return self.classify(l);
            }
            let mut base = None;
            decompose_canonical(c, |d| {
                base.get_or_insert(d);
            });
            match base {
                Some(b) if b != c => self.classify(b),
                _ => Class::Foreign(c),
            }
        } else if unicode_normalization::char::is_combining_mark(c) {
            Class::Mark
        } else {
            Class::Break
        }
    }

    fn key_into(&self, text: &str, out: &mut String) {
        let mut buf = std::mem::take(out).into_bytes();
        let mut word_start: Option<usize> = None;
        for c in text.chars() {
            match self.classify(c) {
                Class::Letter(s) => {
                    word_start.get_or_insert(buf.len());
                    buf.extend_from_slice(s.as_bytes());
                }
                Class::Foreign(f) => {
                    word_start.get_or_insert(buf.len());
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(f.encode_utf8(&mut tmp).as_bytes());
                }
                Class::Mark | Class::Sign => {}
                Class::Break => {
                    if let Some(start) = word_start.take() {
                        fold::fold_word(&mut buf, start);
                    }
                }
            }
        }
        if let Some(start) = word_start {
            fold::fold_word(&mut buf, start);
        }
        *out = match String::from_utf8(buf) {
            Ok(s) => s,
            // Unreachable: only whole UTF-8 sequences are ever written. Stay total rather than panic.
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
    }
}

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
mod langs;
pub mod readings;
pub mod stored;

pub use readings::{reading_tables, readings, readings_with};

use std::fmt;

use once_cell::sync::{Lazy, OnceCell};
use unicode_normalization::char::{decompose_canonical, decompose_compatible, is_combining_mark};

use crate::scheme::engine::{is_mark, lower};
use crate::{Lang, Scheme};

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
pub struct Key(pub(crate) String);

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
    KEYERS.key_into(text, None, out)
}

/// The key of `text` with its Cyrillic read as `lang` spells it: Ukrainian г is `h` and и is `y`, Bulgarian ъ is
/// `a`, Serbian ј is `j`. Latin is read the same in every language, so the hint changes only the Cyrillic side.
///
/// [`key`] without a hint reads a text in the language its letters decide ([`detect`]: ї, є or ґ make it
/// Ukrainian, ў Belarusian, ђ ћ ј љ њ џ Serbian, ѓ ќ ѕ Macedonian) and otherwise as Russian; a catalog that knows a
/// record's language says so here.
///
/// ```
/// use bibkey::{key, key::key_as, Lang};
///
/// // Грушевський has no letter that only Ukrainian writes: the hint makes it meet its romanizations.
/// assert_eq!(key_as("Грушевський", Lang::Ukrainian), key("Hrushevsʹkyĭ"));
/// assert_eq!(key_as("Грушевський", Lang::Ukrainian), key("Hrushevskyi"));
/// assert_eq!(key_as("Щастие", Lang::Bulgarian), key("Shtastie"));
/// // Хмельницький is still not Хмельницкий's Russian romanization: и is y in Ukrainian.
/// assert_eq!(key_as("Хмельницький", Lang::Ukrainian), key("Khmelʹnyt͡sʹkyĭ"));
/// // Letters that decide the language need no hint.
/// assert_eq!(key("Бијелопољ"), key("Bijelopolj"));
/// assert_eq!(key("Іваноўскі"), key("Ivanouski"));
/// ```
pub fn key_as(text: &str, lang: Lang) -> Key {
    let mut s = String::with_capacity(text.len());
    key_as_into(text, lang, &mut s);
    Key(s)
}

/// [`key_as`] into `out`: appends the key, allocating nothing once `out` has grown to the size it needs.
pub fn key_as_into(text: &str, lang: Lang, out: &mut String) {
    KEYERS.key_into(text, Some(lang), out)
}

/// How to read the Cyrillic letters of a text: as its letters decide ([`detect`], Russian otherwise), or with one
/// reading of `tables/key/languages.tsv` (by its position there).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Cyr {
    /// As the text's letters decide.
    #[default]
    Auto,
    /// Reading number `n`.
    Reading(usize),
}

impl From<Option<Lang>> for Cyr {
    fn from(lang: Option<Lang>) -> Cyr {
        match lang {
            Some(l) => Cyr::Reading(KEYERS.primary[l.index()]),
            None => Cyr::Auto,
        }
    }
}

impl Cyr {
    /// The reading this resolves to for `text`.
    pub(crate) fn resolve(self, text: &str) -> usize {
        match self {
            Cyr::Reading(i) => i,
            Cyr::Auto => KEYERS.detect(text).unwrap_or(0),
        }
    }

    /// True if the reading is the Russian one (the first), which every alphabet's letters can also be read in.
    pub(crate) fn is_russian(i: usize) -> bool {
        i == 0
    }
}

/// Appends the key of `text` with its Cyrillic read as `cyr` says.
pub(crate) fn key_cyr_into(text: &str, cyr: Cyr, out: &mut String) {
    match cyr {
        Cyr::Auto => KEYERS.key_into(text, None, out),
        Cyr::Reading(i) => match KEYERS.reading(i) {
            Some(k) => k.key_into(text, out, &mut None),
            None => KEYERS.key_into(text, None, out),
        },
    }
}

/// The key of `text` read as `lang`, or in the language its letters decide when `lang` is `None`.
pub(crate) fn key_hint(text: &str, lang: Option<Lang>) -> Key {
    key_cyr(text, lang.into())
}

/// The key of `text` with its Cyrillic read as `cyr` says.
pub(crate) fn key_cyr(text: &str, cyr: Cyr) -> Key {
    let mut s = String::with_capacity(text.len());
    key_cyr_into(text, cyr, &mut s);
    Key(s)
}

/// The language that the letters of `text` decide: the language of its first letter that only one of the
/// languages bibkey reads has (`tables/key/languages.tsv`), or `None` when no letter decides (Russian text, Latin
/// text, and text such as Голос that several languages write alike).
///
/// ```
/// use bibkey::{key::detect, Lang};
/// assert_eq!(detect("Історія України-Руси"), Some(Lang::Ukrainian));
/// assert_eq!(detect("Беларуская мова"), None);
/// assert_eq!(detect("Максім Танк, Іваноўскі"), Some(Lang::Belarusian));
/// assert_eq!(detect("Ђоковић"), Some(Lang::Serbian));
/// assert_eq!(detect("Ѓорѓе Петров"), Some(Lang::Macedonian));
/// assert_eq!(detect("Извѣстія"), None);
/// ```
pub fn detect(text: &str) -> Option<Lang> {
    KEYERS.detect(text).map(|i| KEYERS.readings[i].lang)
}

/// The language of reading number `i` (see [`Cyr::Reading`]).
pub(crate) fn reading_lang(i: usize) -> Option<Lang> {
    KEYERS.readings.get(i).map(|r| r.lang)
}

/// The letters of `lang`'s alphabet (lower case), as `tables/key/languages.tsv` lists them: what a text in that
/// language may be written with.
///
/// ```
/// use bibkey::{key::alphabet, Lang};
/// assert!(alphabet(Lang::Ukrainian).contains(&'ї'));
/// assert!(!alphabet(Lang::Ukrainian).contains(&'ы'));
/// assert_eq!(alphabet(Lang::Serbian).len(), 30);
/// ```
pub fn alphabet(lang: Lang) -> &'static [char] {
    let i = KEYERS.primary[lang.index()];
    KEYERS.readings.get(i).map_or(&[], |r| r.alphabet.as_slice())
}

/// The readings of Cyrillic other than `cyr`'s that `text` may be in, for [`readings`](fn@readings): with a
/// language hint, that language's other readings (Bulgarian ъ as ALA-LC's `ŭ`, Ukrainian as ISO 9 writes it); without
/// one, every reading whose alphabet holds all the Cyrillic letters of `text` (Голос is Russian, Ukrainian,
/// Belarusian, Bulgarian…). Empty for text without Cyrillic.
pub(crate) fn other_readings(text: &str, cyr: Cyr) -> Vec<usize> {
    let own = cyr.resolve(text);
    let plausible = KEYERS.plausible(text);
    match cyr {
        Cyr::Reading(i) => {
            let lang = KEYERS.readings.get(i).map(|r| r.lang);
            plausible.into_iter().filter(|&(l, r)| r != own && Some(l) == lang).map(|(_, r)| r).collect()
        }
        Cyr::Auto => plausible.into_iter().map(|(_, r)| r).filter(|&r| r != own).collect(),
    }
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

/// Every reading's compiled tables, and the language detection.
struct Keyers {
    /// The readings of `tables/key/languages.tsv`, in file order.
    readings: Vec<langs::Reading>,
    /// One keyer per reading, same order; the first is Russian. Each is built the first time a text needs it: a
    /// keyer's tables take about 5 million instructions to build, and most runs key only Russian and Latin text.
    by_reading: Vec<OnceCell<Keyer>>,
    /// The key without a hint: the Russian reading, whose fast path stops at the first letter that decides a
    /// language so that the text is keyed again in that language.
    auto: Keyer,
    /// For each language of [`Lang::ALL`], its first reading.
    primary: [usize; Lang::ALL.len()],
    /// Every letter that decides a language (lower and upper case), with that language's first reading.
    deciders: Vec<(char, usize)>,
}

impl Keyers {
    fn new() -> Keyers {
        // The list is part of the crate and checked by its tests; were it ever broken, every text would be read
        // as Russian rather than panic.
        let readings = langs::parse(langs::LANGUAGES).unwrap_or_else(|_| {
            vec![langs::Reading { id: "ru", lang: Lang::Russian, table: "", decides: vec![], alphabet: vec![] }]
        });
        let by_reading = readings.iter().map(|_| OnceCell::new()).collect();
        let deciders: Vec<(char, usize)> =
            readings.iter().enumerate().flat_map(|(i, r)| r.decides.iter().map(move |&c| (c, i))).collect();
        // The Russian reading stops only at letters of a language whose table reads some letter otherwise (Ukrainian,
        // Belarusian, Bulgarian). Serbian and Macedonian read every letter as tables/key.tbl does (their letters are
        // there), so their text is keyed in one pass and `detect` alone names their language.
        let reads_otherwise = |i: usize| {
            let table = readings[i].table;
            !table.is_empty() && Scheme::parse("tables/key/*.tbl", table).is_ok_and(|t| t.rules().next().is_some())
        };
        let switches: Vec<(char, usize)> = deciders.iter().copied().filter(|&(_, i)| reads_otherwise(i)).collect();
        let auto = Keyer::new("", &switches);
        let mut primary = [0; Lang::ALL.len()];
        for l in Lang::ALL {
            primary[l.index()] = readings.iter().position(|r| r.lang == l).unwrap_or(0);
        }
        Keyers { readings, by_reading, auto, primary, deciders }
    }

    /// Appends the key of `text`, read in `lang` or, without a hint, in the language its letters decide.
    #[inline]
    fn key_into(&self, text: &str, lang: Option<Lang>, out: &mut String) {
        match lang {
            Some(l) => self.keyer(self.primary[l.index()]).key_into(text, out, &mut None),
            None => {
                let start = out.len();
                let mut switch = None;
                self.auto.key_into(text, out, &mut switch);
                if let Some(first) = switch {
                    // The first deciding letter, unless the text's deciding letters together say otherwise (`detect`).
                    let i = self.detect(text).unwrap_or(first);
                    out.truncate(start);
                    self.keyer(i).key_into(text, out, &mut None);
                }
            }
        }
    }

    /// The definition [`Keyers::key_into`] must equal: detect, then the reference key of that reading.
    #[cfg(test)]
    fn key_into_reference(&self, text: &str, lang: Option<Lang>, out: &mut String) {
        let i = match lang {
            Some(l) => self.primary[l.index()],
            None => self.detect(text).unwrap_or(0),
        };
        self.keyer(i).key_into_reference(text, out)
    }

    /// The keyer of reading `i`, built on first use; `None` if there is no such reading.
    fn reading(&self, i: usize) -> Option<&Keyer> {
        let (cell, reading) = (self.by_reading.get(i)?, self.readings.get(i)?);
        Some(cell.get_or_init(|| Keyer::new(reading.table, &[])))
    }

    /// The keyer of reading `i`, which is one of the list's (the Russian one if it were not).
    fn keyer(&self, i: usize) -> &Keyer {
        match self.reading(i) {
            Some(k) => k,
            None => self.reading(0).unwrap_or(&self.auto),
        }
    }

    /// The reading whose language `c` decides, if it decides one.
    #[inline]
    fn decider(&self, c: char) -> Option<usize> {
        // Every deciding letter is outside the Russian block а–я, А–Я (U+0410–U+044F), where most letters are.
        if ('\u{410}'..='\u{44F}').contains(&c) || c.is_ascii() {
            return None;
        }
        let l = lower(c);
        self.deciders.iter().find(|(d, _)| *d == l).map(|&(_, i)| i)
    }

    /// The language the deciding letters of `text` point to: the first, in text order, of the languages they decide
    /// whose alphabet has all of them (Serbian and Macedonian share ј љ њ џ, listed as Serbian's, and Bulgarian and
    /// Macedonian ѝ, listed as Bulgarian's: `љѝ ќ` is Macedonian), or the first one's when none has them all.
    fn detect(&self, text: &str) -> Option<usize> {
        // (letter, its reading) of each deciding letter, once, in a fixed array: no allocation per text (a text has
        // few; past eight, the rest are not looked at).
        let mut found = [('\0', 0usize); 8];
        let mut n = 0;
        for c in text.chars() {
            if let Some(i) = self.decider(c) {
                let c = lower(c);
                if n < found.len() && !found[..n].iter().any(|&(d, _)| d == c) {
                    found[n] = (c, i);
                    n += 1;
                }
            }
        }
        let found = &found[..n];
        let has_all = |i: usize| found.iter().all(|(c, _)| self.readings[i].alphabet.contains(c));
        found.iter().map(|&(_, i)| i).find(|&i| has_all(i)).or(found.first().map(|&(_, i)| i))
    }

    /// `(language, reading)` of every reading whose alphabet holds all the Cyrillic letters of `text`.
    fn plausible(&self, text: &str) -> Vec<(Lang, usize)> {
        let mut letters: Vec<char> = text
            .chars()
            .filter(|&c| crate::Script::of(c) == crate::Script::Cyrillic)
            .map(lower)
            .filter(|c| c.is_alphabetic())
            .collect();
        if letters.is_empty() {
            return Vec::new();
        }
        letters.sort_unstable();
        letters.dedup();
        self.readings
            .iter()
            .enumerate()
            .filter(|(_, r)| letters.iter().all(|c| r.alphabet.contains(c)))
            .map(|(i, r)| (r.lang, i))
            .collect()
    }
}

/// The compiled reading tables of one reading of Cyrillic.
struct Keyer {
    /// Lower-case Cyrillic U+0400..U+052F → Latin reading (from tables/key.tbl).
    cyrillic: Vec<Option<&'static str>>,
    /// U+0080..U+024F → Latin reading without diacritics.
    latin: Vec<Option<&'static str>>,
    /// U+1E00..U+1EFF → Latin reading without diacritics.
    latin_add: Vec<Option<&'static str>>,
    /// `classify` of every character in U+0000..U+052F and then U+1E00..U+1EFF, for the fast path.
    reads: Vec<Read>,
    /// Letters and digits whose compatibility decomposition is several letters or digits (ﬁ, ǆ, ĳ, Ⅻ, ⑩), with
    /// the readings of those joined, by character: see [`Keyer::compatible`].
    compat: Vec<(char, &'static str)>,
    /// `classify` of each ASCII byte: the lower-case letter or digit (through [`fold::map`]), [`ASCII_BREAK`],
    /// [`ASCII_SIGN`] or [`ASCII_SLOW`].
    ascii: [u8; 128],
    /// Letters (lower case) that decide a language, with the reading to key the text in instead. Their entries in
    /// [`Keyer::reads`] are [`Read::Slow`], so Russian text, which has none, pays nothing for the check.
    switch: Vec<(char, usize)>,
}

/// Latin letters that do not decompose canonically but have a conventional ASCII spelling (the NACO special
/// letters and their kin).
const SPECIAL_LETTERS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    // Serbian and Croatian đ is ђ, which ASCII writes dj (Djoković) and the key's Serbian reading reads as dj.
    ('đ', "dj"),
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

static KEYERS: Lazy<Keyers> = Lazy::new(Keyers::new);

/// The text of the key's Cyrillic table, `tables/key.tbl`.
pub(crate) const KEY_TABLE: &str = include_str!("../../tables/key.tbl");

impl Keyer {
    /// The key's reading of Cyrillic: `tables/key.tbl`, then the rules of `overrides` (a table of the same format,
    /// empty for Russian) in its place. `switch`: the letters that decide a language (see [`Keyer::switch`]).
    fn new(overrides: &str, switch: &[(char, usize)]) -> Keyer {
        let mut cyrillic = vec![None; 0x130];
        // The key tables are part of the crate and checked by its tests; were one ever broken, the key would read
        // its letters the Russian way, or Cyrillic letters as themselves, rather than panic.
        let tables = [("tables/key.tbl", KEY_TABLE), ("tables/key/*.tbl", overrides)];
        for (origin, text) in tables.into_iter().filter(|(_, t)| !t.is_empty()) {
            let Ok(table) = Scheme::parse(origin, text) else { continue };
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
        let mut keyer = Keyer {
            cyrillic,
            latin,
            latin_add,
            reads: Vec::new(),
            compat: Vec::new(),
            ascii: [ASCII_BREAK; 128],
            switch: Vec::new(),
        };
        // Before `reads`, which `classify` fills through them. The parts are plain letters and digits, which do not
        // need the table.
        keyer.compat = COMPAT_BLOCKS
            .iter()
            .flat_map(|r| r.clone())
            .filter_map(char::from_u32)
            .filter(|c| c.is_alphabetic() || c.is_numeric())
            .filter_map(|c| {
                let mut reading = String::new();
                let (mut parts, mut plain) = (0, true);
                decompose_compatible(c, |d| match keyer.classify(d) {
                    Class::Letter(s) => {
                        parts += 1;
                        reading.push_str(s);
                    }
                    Class::Mark | Class::Sign => {}
                    Class::Foreign(_) | Class::Break => plain = false,
                });
                (plain && parts > 1).then(|| (c, leak(reading)))
            })
            .collect();
        let read = |u: u32| char::from_u32(u).map_or(Read::Slow, |c| Read::of(keyer.classify(c)));
        let reads = (0..LOW_END).chain(LATIN_EXT_ADD..LATIN_EXT_ADD + 0x100).map(read).collect();
        let mut ascii = [ASCII_BREAK; 128];
        for (b, slot) in ascii.iter_mut().enumerate() {
            *slot = match keyer.classify(b as u8 as char) {
                Class::Letter(s) if s.len() == 1 && s.as_bytes()[0] > ASCII_SLOW => fold::map(s.as_bytes()[0]),
                Class::Sign | Class::Mark => ASCII_SIGN,
                Class::Break => ASCII_BREAK,
                Class::Letter(_) | Class::Foreign(_) => ASCII_SLOW,
            };
        }
        keyer.reads = reads;
        keyer.ascii = ascii;
        for &(c, i) in switch {
            for c in std::iter::once(c).chain(c.to_uppercase()) {
                if let Some(slot) = keyer.reads.get_mut(c as usize) {
                    *slot = Read::Slow;
                }
                keyer.switch.push((c, i));
            }
        }
        keyer
    }

    /// The reading that `c` makes the text's, if it decides a language.
    #[inline]
    fn switch_of(&self, c: char) -> Option<usize> {
        // Every deciding letter of tables/key/languages.tsv is outside the Russian block а–я, А–Я (U+0410–U+044F):
        // skip the list for them, which are most of the letters a Cyrillic text has.
        if ('\u{410}'..='\u{44F}').contains(&c) || c.is_ascii() {
            return None;
        }
        self.switch.iter().find(|(s, _)| *s == c).map(|&(_, i)| i)
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
                _ => self.compatible(c),
            }
        } else if unicode_normalization::char::is_combining_mark(c) {
            Class::Mark
        } else {
            Class::Break
        }
    }

    /// A letter or digit without a reading of its own, nor a lower case or a canonical decomposition that has one:
    /// read as its compatibility decomposition (NFKC), as PDFs and OCR write plain letters with ligatures (ﬁ),
    /// fullwidth forms (Ｋ), digraph letters (ǆ, ĳ), long s (ſ) and the like. Superscript and subscript digits are
    /// footnote markers in a title copied from a PDF: dropped like marks. A lower-case letter that has none of these
    /// is read as its case folding where that is another letter (Greek final ς is σ, Cyrillic ᲀ is в).
    fn compatible(&self, c: char) -> Class {
        if c.is_numeric() && matches!(c as u32, 0xB2 | 0xB3 | 0xB9 | 0x2070..=0x209F) {
            return Class::Mark;
        }
        if let Ok(i) = self.compat.binary_search_by_key(&c, |&(k, _)| k) {
            return Class::Letter(self.compat[i].1);
        }
        // One letter and marks or sign marks (Ｋ → K, ẛ → s + U+0307, ŉ → ʼ + n, µ → μ): read the letter. Several
        // letters are in `compat`. The parts are fully decomposed, so reading them does not come back here.
        let (mut first, mut parts) = (None, 0);
        decompose_compatible(c, |d| {
            // Spacing forms of marks (ﹲ is a space and U+064C) are not a space in the text: skip the space.
            if d != c && !is_combining_mark(d) && !SIGN_MARKS.contains(&d) && !d.is_whitespace() {
                first.get_or_insert(d);
                parts += 1;
            }
        });
        match first {
            Some(d) if parts == 1 => self.classify(d),
            _ if c.is_lowercase() => {
                let mut upper = c.to_uppercase();
                match (upper.next(), upper.next()) {
                    // Read through the tables: ᲀ (rounded ve) folds to в, which the key reads `v`.
                    (Some(u), None) if lower(u) != c && lower(u) != u => self.classify(lower(u)),
                    _ => Class::Foreign(c),
                }
            }
            _ => Class::Foreign(c),
        }
    }

    /// The straightforward key: classify every character, collect each word's reading, then run the two fold
    /// passes over it ([`fold::fold_word`]). This is the definition the fast path in [`Keyer::key_into`] must equal;
    /// the tests compare the two on random input.
    fn key_into_reference(&self, text: &str, out: &mut String) {
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

    /// The key, fast: one pass over the bytes of `text`. Characters below U+0530 and in U+1E00–U+1EFF are read
    /// from [`Keyer::reads`] (precomputed from [`Keyer::classify`]), others through `classify` itself. Pass 1 of
    /// the fold runs as each byte is read ([`fold::Word::push`]), pass 2 when the word ends. Same result as
    /// [`Keyer::key_into_reference`], which it falls back to for a word too long for its stack buffer.
    ///
    /// If `text` has a letter of [`Keyer::switch`], stops there and sets `switch` to its reading instead; the caller
    /// keys the text again with that reading.
    fn key_into(&self, text: &str, out: &mut String, switch: &mut Option<usize>) {
        let start_len = out.len();
        if self.key_into_fast(text, out, switch).is_none() && switch.is_none() {
            out.truncate(start_len);
            self.key_into_reference(text, out);
        }
    }

    /// `None` if a word overflowed the word buffer (the caller then starts over with the reference), or if a letter
    /// that decides a language was met (then `switch` says which reading).
    #[inline]
    fn key_into_fast(&self, text: &str, out: &mut String, switch: &mut Option<usize>) -> Option<()> {
        let bytes = text.as_bytes();
        let reads = &self.reads[..];
        let mut w = fold::Word::new();
        let mut wb = fold::word_buf();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (u, len) = if b < 0x80 {
                // ASCII: one byte-table lookup, letters first.
                let a = self.ascii[b as usize];
                if a > ASCII_SLOW {
                    w.push_mapped(&mut wb, a)?;
                    i += 1;
                    continue;
                } else if a == ASCII_BREAK {
                    w.flush(&mut wb, out)?;
                    i += 1;
                    continue;
                } else if a == ASCII_SIGN {
                    i += 1;
                    continue;
                }
                (b as u32, 1)
            } else if b < 0xE0 {
                // Two-byte sequence (valid UTF-8: a continuation byte follows).
                let b1 = bytes.get(i + 1).copied().unwrap_or(0x80);
                ((((b & 0x1F) as u32) << 6) | (b1 & 0x3F) as u32, 2)
            } else {
                let c = text[i..].chars().next().unwrap_or('\0');
                (c as u32, c.len_utf8())
            };
            i += len;
            let slot = if u < LOW_END {
                Some(u as usize)
            } else if (LATIN_EXT_ADD..LATIN_EXT_ADD + 0x100).contains(&u) {
                Some((u - LATIN_EXT_ADD) as usize + LOW_END as usize)
            } else {
                None
            };
            match slot.and_then(|s| reads.get(s).copied()) {
                Some(Read::Ascii { len, bytes: rb }) => {
                    for &rb in &rb[..len as usize] {
                        w.push_mapped(&mut wb, rb)?;
                    }
                }
                Some(Read::Skip) => {}
                Some(Read::Break) => w.flush(&mut wb, out)?,
                Some(Read::Slow) | None => {
                    let c = char::from_u32(u).unwrap_or('\u{FFFD}');
                    if !self.switch.is_empty() {
                        if let Some(r) = self.switch_of(c) {
                            *switch = Some(r);
                            return None;
                        }
                    }
                    match self.classify(c) {
                        Class::Letter(s) => {
                            for &rb in s.as_bytes() {
                                w.push(&mut wb, rb)?;
                            }
                        }
                        Class::Foreign(f) => {
                            let mut tmp = [0u8; 4];
                            for &rb in f.encode_utf8(&mut tmp).as_bytes() {
                                w.push(&mut wb, rb)?;
                            }
                        }
                        Class::Mark | Class::Sign => {}
                        Class::Break => w.flush(&mut wb, out)?,
                    }
                }
            }
        }
        w.flush(&mut wb, out)
    }
}

/// Byte-table entries for ASCII that are not letters (letters and digits map to their lower-case byte).
const ASCII_BREAK: u8 = 0;
const ASCII_SIGN: u8 = 1;
/// An ASCII character the byte table does not describe (none today): read through [`Keyer::reads`].
const ASCII_SLOW: u8 = 2;
/// The blocks with letters and digits whose compatibility decomposition is several letters or digits (Latin
/// Extended-B ǆ ǉ ǌ ǳ, Latin Extended-A ĳ ŉ, Letterlike Symbols and Number Forms ℻ Ⅻ, Enclosed Alphanumerics ⑩,
/// Enclosed CJK ㉑, the Latin ligatures ﬁ ﬂ), read once into [`Keyer::compat`]. The test
/// `every_compatibility_letter_keys_as_its_decomposition` (tests/key.rs) checks all of Unicode against them.
const COMPAT_BLOCKS: &[std::ops::Range<u32>] =
    &[0x100..0x250, 0x2100..0x2190, 0x2460..0x2500, 0x3200..0x3300, 0x1F100..0x1F200, 0xFB00..0xFB07];

/// [`Keyer::reads`] covers U+0000..LOW_END, then U+1E00..U+1EFF.
const LOW_END: u32 = 0x530;

/// A character's reading, precomputed from [`Keyer::classify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    /// A letter whose reading is 0–4 ASCII bytes, already through [`fold::map`] and [`fold::prefold`].
    Ascii { len: u8, bytes: [u8; 4] },
    /// A mark or a sign mark: dropped, the word goes on.
    Skip,
    /// Ends the word.
    Break,
    /// Anything else (a letter of another script, a long reading): ask `classify`.
    Slow,
}

impl Read {
    fn of(class: Class) -> Read {
        match class {
            Class::Letter(s) if s.len() <= 4 && s.is_ascii() => {
                let mapped: Vec<u8> = s.bytes().map(fold::map).collect();
                let short = fold::prefold(&mapped);
                let mut bytes = [0u8; 4];
                bytes[..short.len()].copy_from_slice(&short);
                Read::Ascii { len: short.len() as u8, bytes }
            }
            Class::Mark | Class::Sign => Read::Skip,
            Class::Break => Read::Break,
            Class::Letter(_) | Class::Foreign(_) => Read::Slow,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The fast key equals the reference key. These tests fail if the fast path drifts (see BENCHMARKS.md for how
    //! that was checked by breaking it on purpose).
    use super::*;
    use crate::Ties;
    use proptest::prelude::*;

    fn fast(text: &str) -> String {
        let mut out = String::from("prefix ");
        KEYERS.key_into(text, None, &mut out);
        out
    }

    fn reference(text: &str) -> String {
        let mut out = String::from("prefix ");
        KEYERS.key_into_reference(text, None, &mut out);
        out
    }

    /// Every Unicode scalar value, alone and between letters that take part in the fold.
    #[test]
    fn every_char_keys_as_the_reference() {
        for u in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            for text in [format!("{c}"), format!("ts{c}h yi{c}ou{c}")] {
                assert_eq!(fast(&text), reference(&text), "U+{u:04X} in {text:?}");
            }
        }
    }

    #[test]
    fn long_words_fall_back_to_the_reference() {
        for n in [30, 31, 32, 33, 63, 64, 125, 126, 127, 128, 250, 256, 257, 1000] {
            for unit in ["a", "щ", "shch", "ия", "Ωx"] {
                let text = format!("Start {} end", unit.repeat(n));
                assert_eq!(fast(&text), reference(&text), "{unit} × {n}");
            }
        }
    }

    /// Russian-like words: letters that exercise every fold rule, both cases, pre-1918 letters.
    fn russian() -> impl Strategy<Value = String> {
        "[а-яёА-ЯЁѣіѳѵ]{1,12}( [а-яёА-ЯЁ]{1,12}){0,5}"
    }

    /// Russian text romanized by a random built-in scheme (ties, diacritics, apostrophes for the signs), then maybe
    /// decomposed, with MARC-8 tie halves or with OCR apostrophes.
    fn romanized() -> impl Strategy<Value = String> {
        (russian(), 0usize..64, any::<bool>(), 0u8..4).prop_map(|(s, k, marc8, form)| {
            let schemes = crate::builtins();
            let scheme = &schemes[k % schemes.len()];
            let mut out = String::new();
            let ties = if marc8 { Ties::Marc8Halves } else { Ties::Combining };
            scheme.romanize_into(&s, ties, &mut out);
            match form {
                0 => out,
                1 => unicode_normalization::UnicodeNormalization::nfd(out.as_str()).collect(),
                2 => out.replace('ʹ', "’").replace('ʺ', "\""),
                _ => out.to_uppercase(),
            }
        })
    }

    /// Latin with the letters the fold rewrites, diacritics, ties, apostrophes and digits.
    fn latin_soup() -> impl Strategy<Value = String> {
        "[a-zA-Zšžčŝĭëėâûīẏḟ0-9 'ʹʺ’\u{301}\u{306}\u{361}\u{fe20}\u{fe21}xwjyiouhcstz-]{0,60}"
    }

    proptest! {
        #![proptest_config(crate::testing::cases(3000))]

        #[test]
        fn fast_equals_reference_on_any_string(s in any::<String>()) {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        #[test]
        fn fast_equals_reference_on_printable_unicode(s in "\\PC{0,120}") {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        #[test]
        fn fast_equals_reference_on_russian(s in russian()) {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        #[test]
        fn fast_equals_reference_on_romanized(s in romanized()) {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        #[test]
        fn fast_equals_reference_on_latin(s in latin_soup()) {
            prop_assert_eq!(fast(&s), reference(&s));
        }

        /// Text of several languages, whose deciding letters switch the reading (and let Serbian and Macedonian
        /// keep the words keyed before the switch).
        #[test]
        fn fast_equals_reference_on_mixed_cyrillic(s in "[а-яјљњђћџѓќѕѝѐїєґўі ,.-]{0,60}") {
            prop_assert_eq!(fast(&s), reference(&s));
        }
    }
}

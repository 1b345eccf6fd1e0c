//! NACO normalization: the PCC *Authority File Comparison Rules*.
//!
//! Source: Program for Cooperative Cataloging, *Authority File Comparison Rules
//! (NACO Normalization)*, report of the PCC Standing Committee on Automation's
//! Task Group on Normalization, approved by the PCC Policy Committee in
//! November 2007 and revised **April 1, 2009**
//! (<https://www.loc.gov/aba/pcc/naco/normrule-2.html>). The 2009 rules define
//! the normalization in terms of Unicode: steps 1–10 of "Preparation of
//! subfield text for comparison", with the character-by-character list of the
//! older MARC-8 table (Appendix A) as the readable summary.
//!
//! # What this module does
//!
//! The input is treated as the text of one subfield. In one pass over its
//! characters:
//!
//! 1. *(rule step 1)* text between a `U+0098` START OF STRING and the next
//!    `U+009C` STRING TERMINATOR (nonfiling text) is removed together with the
//!    two markers. The nonfiling-*indicator* half of step 1 needs the MARC field
//!    and is left to the caller.
//! 2. *(step 5)* each character is fully decomposed by Unicode **compatibility**
//!    decomposition (NFKD): `é` → `e` + U+0301, `²` → `2`, `ﬁ` → `fi`,
//!    `ℓ` → `l`, fullwidth `Ａ` → `A`, `½` → `1⁄2`.
//! 3. *(step 6)* special letters: `Æ æ` → `AE`, `Œ œ` → `OE`, `Đ đ Ð ð` → `D`,
//!    `ı` → `I`, `Ł ł` → `L`, `Ø ø` → `O`, `Þ þ` → `TH`, `ß ẞ` → `SS`.
//! 4. *(step 7)* by Unicode general category:
//!    * **deleted**: combining marks (Mn, Mc, Me — all diacritics, including the
//!      ligature ties U+0361 and U+FE20/U+FE21), modifier letters (Lm: `ʹ ʺ ʻ ʼ`
//!      and also `ʿ ʾ ˆ`, Arabic tatweel, Japanese `ー` and `々`), format
//!      characters (Cf: ZWJ, ZWNJ, soft hyphen, BOM, bidi marks), private-use
//!      characters (Co), control characters (Cc), `[` `]` and the apostrophe `'`;
//!    * **kept**: letters (lowercase ones are uppercased; a lowercase letter
//!      without an uppercase form, such as `ĸ`, is kept as it is), digits (any
//!      script's decimal digits become `0`–`9`), other numbers, currency
//!      symbols (Sc: `$ € £ ¥ …`), and `& # + @ ♭ ♯`;
//!    * **replaced by a blank**: every other punctuation mark or symbol,
//!      including ``! " ( ) - { } < > ; : . ? ¿ ¡ / \ * | % = ± ⁺ ⁻ ® ℗ © ° ^ _ ` ~ ·``,
//!      dashes, quotation marks (also `‘ ’ « »`), and all spaces (Zs, Zl, Zp);
//!      and every comma except, in subfield `$a`, the first one.
//! 5. *(steps 2 and 9)* blanks at the start and end are dropped and runs of
//!    blanks become one blank.
//!
//! # Interpretation decisions
//!
//! Where the rules are silent or where their Unicode steps and the character
//! list disagree, this module decides as follows:
//!
//! * **Superscript and subscript plus** (`⁺` U+207A, `₊` U+208A) become a blank,
//!   as the character list says, although NFKD alone would turn them into a
//!   retained `+`. `⁻` decomposes to a minus sign, which becomes a blank anyway.
//! * **Uppercase eth `Ð` and capital sharp s `ẞ`** are mapped like their
//!   lowercase forms (`D`, `SS`); the step 6 table lists only `ð` and `ß`.
//! * **Tab, line feed, carriage return and the other White_Space controls**
//!   become a blank rather than being deleted like the other Cc characters, so
//!   that words split by a line break in the source are not glued together.
//! * **Step 8** (restore the original text when normalization leaves nothing)
//!   is *not* applied: a string of only punctuation normalizes to `""`. Every
//!   result is therefore fully normalized (idempotent, uppercase, no marks).
//! * **The first comma** in subfield-`$a` mode is the first comma that is
//!   *internal*: a comma before any retained character is blanked and the next
//!   comma is still eligible. A kept comma that ends up last (only blanks or
//!   deleted characters follow it) is dropped along with a blank before it.
//!   Blanks next to a kept comma are otherwise left alone, so `Smith , John`
//!   gives `SMITH , JOHN` and `Smith,John` gives `SMITH,JOHN`.
//! * **Unassigned code points** are treated like symbols (a blank).
//!
//! Consequences worth knowing when matching romanized Cyrillic: the soft sign
//! `ʹ` (U+02B9) and the apostrophe `'` are deleted, but the right single
//! quotation mark `’` (U+2019, often typed for the soft sign) is punctuation
//! and becomes a blank, so `Arsenʹev` and `Arsen'ev` give `ARSENEV` while
//! `Arsen’ev` gives `ARSEN EV`. Cyrillic keeps its script: `й` → `И`,
//! `ё` → `Е` (the breve and diaeresis are combining marks).
//!
//! The general-category tables (classes Lm, Cf, Co, Sc and Nd) are generated
//! into `src/naco_tables.rs`, whose header names their Unicode version and the
//! command that writes them; they keep only characters that are their own NFKD
//! form, since every character is decomposed before it is classified. The
//! other tests (whitespace, controls, letters and digits, upper case) are the
//! standard library's `char` methods, which follow the Unicode version of the
//! Rust toolchain.
//!
//! ```
//! use bibkey::naco;
//! assert_eq!(
//!     naco::normalize_subfield_a("Lenin, Vladimir Ilʹich, 1870-1924"),
//!     "LENIN, VLADIMIR ILICH 1870 1924"
//! );
//! assert_eq!(naco::normalize("Trot͡skiĭ, Lev"), "TROTSKII LEV");
//! ```

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

#[path = "naco_tables.rs"]
mod tables;
use tables::{CURRENCY, DIGIT_ZEROS, FORMAT_AND_PRIVATE_USE, MODIFIER_LETTERS};

/// Normalizes a generic string: every comma becomes a blank.
///
/// ```
/// assert_eq!(bibkey::naco::normalize("War and peace : a novel / by Leo Tolstoy."),
///            "WAR AND PEACE A NOVEL BY LEO TOLSTOY");
/// ```
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, false, &mut out);
    out
}

/// Normalizes the text of a MARC subfield `$a`: the first internal comma is
/// kept, every other comma becomes a blank, and a comma left at the end is
/// dropped.
///
/// ```
/// assert_eq!(bibkey::naco::normalize_subfield_a("Tolstoĭ, Lev, graf, 1828-1910"),
///            "TOLSTOI, LEV GRAF 1828 1910");
/// assert_eq!(bibkey::naco::normalize_subfield_a("Brades, Susan Ferleger,"),
///            "BRADES, SUSAN FERLEGER");
/// ```
pub fn normalize_subfield_a(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, true, &mut out);
    out
}

/// Appends the NACO normalization of `s` to `out`, without allocating beyond
/// the growth of `out`. With `keep_first_comma` the first internal comma is
/// kept (subfield `$a` rule); otherwise every comma becomes a blank.
///
/// `out` is not cleared: the normalized text is appended after whatever it
/// already holds (which is left untouched), so a caller reusing a buffer
/// clears it first.
///
/// ```
/// let mut buf = String::new();
/// bibkey::naco::normalize_into("  Łódź ", false, &mut buf);
/// assert_eq!(buf, "LODZ");
/// ```
pub fn normalize_into(s: &str, keep_first_comma: bool, out: &mut String) {
    let start = out.len();
    let mut w = Writer { out, start, pending_blank: false, comma_wanted: keep_first_comma, comma_at: None };
    let mut pos = 0;
    while let Some(rest) = s.get(pos..) {
        let Some(c) = rest.chars().next() else { break };
        pos += c.len_utf8();
        if c.is_ascii() {
            w.ascii(c as u8);
        } else if c == NONSORT_START {
            // Step 1: drop the marked span if it is closed; a lone marker is
            // a control character and is deleted.
            if let Some(off) = s.get(pos..).and_then(|r| r.find(NONSORT_END)) {
                pos += off + NONSORT_END.len_utf8();
            }
        } else if BLANK_BEFORE_DECOMPOSITION.contains(&c) {
            w.blank();
        } else {
            decompose_compatible(c, |d| w.classify(d, true));
        }
    }
    w.finish();
}

/// Step 1: U+0098 START OF STRING opens nonfiling text.
const NONSORT_START: char = '\u{98}';
/// Step 1: U+009C STRING TERMINATOR closes nonfiling text.
const NONSORT_END: char = '\u{9C}';

/// Characters that become a blank *before* compatibility decomposition,
/// because the character list (Appendix A) blanks them while NFKD would turn
/// them into a retained `+`: superscript plus, subscript plus.
const BLANK_BEFORE_DECOMPOSITION: &[char] = &['\u{207A}', '\u{208A}'];

/// What happens to one character.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Act {
    /// Copied to the output as it is.
    Keep,
    /// Copied as its ASCII uppercase form.
    Upper,
    /// Replaced by a blank.
    Blank,
    /// Removed without trace.
    Delete,
    /// A comma: kept or blanked according to the subfield `$a` rule.
    Comma,
}

/// ASCII characters deleted: `[` `]` (step 7, Ps/Pe exceptions) and the
/// apostrophe (step 7, Po exception).
const ASCII_DELETED: &[u8] = b"[]'";
/// ASCII characters retained besides letters and digits: `#` `&` `@` (Po
/// exceptions), `+` (Sm exception) and `$` (Sc, currency: retained).
const ASCII_RETAINED: &[u8] = b"#&@+$";
/// ASCII punctuation and symbols replaced by a blank (Pc, Pd, Ps, Pe, Po, Sk,
/// Sm). Listed for documentation: blank is also the default.
const ASCII_BLANKED: &[u8] = b"!\"%()*-./:;<=>?\\^_`{|}~";
/// ASCII controls that are White_Space (tab, LF, VT, FF, CR) and the space:
/// a blank (see the module docs for the decision on controls).
const ASCII_SPACES: &[u8] = b"\t\n\x0B\x0C\r ";

/// Classification of every ASCII character.
const ASCII_TABLE: [Act; 128] = build_ascii_table();

const fn build_ascii_table() -> [Act; 128] {
    let mut t = [Act::Blank; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = if i < 0x20 || i == 0x7F {
            Act::Delete // Cc: removed
        } else if (i >= b'0' as usize && i <= b'9' as usize) || (i >= b'A' as usize && i <= b'Z' as usize) {
            Act::Keep
        } else if i >= b'a' as usize && i <= b'z' as usize {
            Act::Upper
        } else {
            Act::Blank
        };
        i += 1;
    }
    t = set_all(t, ASCII_SPACES, Act::Blank);
    t = set_all(t, ASCII_BLANKED, Act::Blank);
    t = set_all(t, ASCII_DELETED, Act::Delete);
    t = set_all(t, ASCII_RETAINED, Act::Keep);
    t[b',' as usize] = Act::Comma;
    t
}

const fn set_all(mut t: [Act; 128], bytes: &[u8], act: Act) -> [Act; 128] {
    let mut i = 0;
    while i < bytes.len() {
        t[(bytes[i] & 0x7F) as usize] = act;
        i += 1;
    }
    t
}

/// Step 6 substitutions (plus `Ð` and `ẞ`, see the module docs), already in
/// their final uppercase form. Sorted by character for binary search.
const SPECIAL_LETTERS: &[(char, &str)] = &[
    ('\u{00C6}', "AE"), // Æ uppercase digraph AE
    ('\u{00D0}', "D"),  // Ð uppercase eth
    ('\u{00D8}', "O"),  // Ø uppercase Scandinavian O
    ('\u{00DE}', "TH"), // Þ uppercase Icelandic thorn
    ('\u{00DF}', "SS"), // ß sharp s (SpecialCasing, step 4)
    ('\u{00E6}', "AE"), // æ lowercase digraph ae
    ('\u{00F0}', "D"),  // ð lowercase eth
    ('\u{00F8}', "O"),  // ø lowercase Scandinavian o
    ('\u{00FE}', "TH"), // þ lowercase Icelandic thorn
    ('\u{0110}', "D"),  // Đ uppercase D with crossbar
    ('\u{0111}', "D"),  // đ lowercase d with crossbar
    ('\u{0131}', "I"),  // ı lowercase Turkish dotless i
    ('\u{0141}', "L"),  // Ł uppercase Polish L
    ('\u{0142}', "L"),  // ł lowercase Polish l
    ('\u{0152}', "OE"), // Œ uppercase digraph OE
    ('\u{0153}', "OE"), // œ lowercase digraph oe
    ('\u{1E9E}', "SS"), // ẞ capital sharp s
];

/// Step 7, retained symbols outside ASCII: music flat (So) and sharp (Sm).
const RETAINED_SYMBOLS: &[char] = &['\u{266D}', '\u{266F}'];

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let cp = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                core::cmp::Ordering::Less
            } else if lo > cp {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn special_letter(c: char) -> Option<&'static str> {
    SPECIAL_LETTERS.binary_search_by(|&(k, _)| k.cmp(&c)).ok().and_then(|i| SPECIAL_LETTERS.get(i)).map(|&(_, r)| r)
}

/// The ASCII digit for a decimal digit of any script.
fn decimal_digit(c: char) -> Option<char> {
    let cp = u32::from(c);
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DIGIT_ZEROS.get(i.checked_sub(1)?)?;
    let value = cp - zero;
    if value < 10 {
        char::from_digit(value, 10)
    } else {
        None
    }
}

/// Output state of one normalization: handles blanks (trim, collapse) and the
/// first-comma rule while characters are pushed.
struct Writer<'a> {
    out: &'a mut String,
    /// Length of `out` before this normalization started.
    start: usize,
    /// A blank is owed before the next retained character.
    pending_blank: bool,
    /// The subfield `$a` comma has not been kept yet.
    comma_wanted: bool,
    /// Byte offset in `out` of the kept comma.
    comma_at: Option<usize>,
}

impl Writer<'_> {
    fn push(&mut self, c: char) {
        if self.pending_blank {
            self.pending_blank = false;
            if self.out.len() > self.start {
                self.out.push(' ');
            }
        }
        self.out.push(c);
    }

    fn blank(&mut self) {
        self.pending_blank = true;
    }

    fn comma(&mut self) {
        if self.comma_wanted && self.out.len() > self.start {
            self.comma_wanted = false;
            self.push(',');
            self.comma_at = Some(self.out.len() - 1);
        } else {
            self.blank();
        }
    }

    fn ascii(&mut self, b: u8) {
        match ASCII_TABLE.get(usize::from(b)).copied().unwrap_or(Act::Delete) {
            Act::Keep => self.push(char::from(b)),
            Act::Upper => self.push(char::from(b.to_ascii_uppercase())),
            Act::Blank => self.blank(),
            Act::Delete => {}
            Act::Comma => self.comma(),
        }
    }

    /// Classifies one fully decomposed character (steps 6 and 7).
    fn classify(&mut self, c: char, upcase: bool) {
        if c.is_ascii() {
            self.ascii(c as u8);
        } else if is_combining_mark(c) {
            // Mn, Mc, Me: removed.
        } else if let Some(rep) = special_letter(c) {
            rep.chars().for_each(|r| self.push(r));
        } else if in_ranges(c, MODIFIER_LETTERS) || in_ranges(c, FORMAT_AND_PRIVATE_USE) {
            // Lm, Cf, Co: removed.
        } else if c.is_whitespace() {
            self.blank();
        } else if c.is_control() {
            // Cc: removed.
        } else if RETAINED_SYMBOLS.contains(&c) || in_ranges(c, CURRENCY) {
            self.push(c);
        } else if c.is_alphanumeric() {
            if let Some(d) = decimal_digit(c) {
                self.push(d);
            } else if upcase {
                let mut up = c.to_uppercase();
                match (up.next(), up.next()) {
                    (Some(u), None) if u == c => self.push(c),
                    (first, second) => {
                        for u in first.into_iter().chain(second).chain(up) {
                            decompose_compatible(u, |d| self.classify(d, false));
                        }
                    }
                }
            } else {
                self.push(c);
            }
        } else {
            // Other punctuation and symbols (and unassigned code points).
            self.blank();
        }
    }

    fn finish(self) {
        if let Some(at) = self.comma_at {
            if at + 1 == self.out.len() {
                self.out.truncate(at);
                if self.out.len() > self.start && self.out.ends_with(' ') {
                    self.out.pop();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(SPECIAL_LETTERS.windows(2).all(|w| w[0].0 < w[1].0));
        for t in [MODIFIER_LETTERS, FORMAT_AND_PRIVATE_USE, CURRENCY] {
            assert!(t.iter().all(|&(lo, hi)| lo <= hi));
            assert!(t.windows(2).all(|w| w[0].1 < w[1].0));
        }
        assert!(DIGIT_ZEROS.windows(2).all(|w| w[0] + 10 <= w[1]));
    }

    #[test]
    fn special_letters_are_uppercase_ascii() {
        for &(_, r) in SPECIAL_LETTERS {
            assert!(r.bytes().all(|b| b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn ascii_table() {
        assert_eq!(ASCII_TABLE[b'\'' as usize], Act::Delete);
        assert_eq!(ASCII_TABLE[b'[' as usize], Act::Delete);
        assert_eq!(ASCII_TABLE[b'a' as usize], Act::Upper);
        assert_eq!(ASCII_TABLE[b'#' as usize], Act::Keep);
        assert_eq!(ASCII_TABLE[b'\t' as usize], Act::Blank);
        assert_eq!(ASCII_TABLE[0x07], Act::Delete);
        assert_eq!(ASCII_TABLE[b',' as usize], Act::Comma);
        for &b in ASCII_BLANKED {
            assert_eq!(ASCII_TABLE[b as usize], Act::Blank, "{}", b as char);
        }
    }

    #[test]
    fn digits_of_other_scripts() {
        assert_eq!(decimal_digit('\u{0663}'), Some('3'));
        assert_eq!(decimal_digit('\u{116E3}'), Some('9'));
        assert_eq!(decimal_digit('\u{0E5A}'), None);
        assert_eq!(decimal_digit('a'), None);
    }

    #[test]
    fn appends_to_existing_buffer() {
        let mut buf = String::from("X");
        normalize_into(" , smith, ", true, &mut buf);
        assert_eq!(buf, "XSMITH");
        normalize_into("", true, &mut buf);
        assert_eq!(buf, "XSMITH");
        let mut buf = String::from("ends with blank ");
        normalize_into(" a ,", true, &mut buf);
        assert_eq!(buf, "ends with blank A");
    }
}

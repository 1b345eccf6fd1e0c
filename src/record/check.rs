//! Is each romanized field the ALA-LC romanization of its 880?
//!
//! The 880's text (the subfields both fields carry, except $6 and the numeric-coded ones, which are not text) is
//! romanized with the ALA-LC table of the record's language and compared with the regular field's text:
//!
//! * **exact**: the same after case, subfield codes, ISBD punctuation and tie style (U+0361 or the MARC-8 halves
//!   U+FE20/U+FE21) are set aside;
//! * **variant**: not exact, but the same letters once diacritics, ties and the soft- and hard-sign marks are set
//!   aside, or once ѣ is read as the older rule's ě: dropped diacritics, `'` for `ʹ`, the word-final ъ that
//!   AACR2-era practice omitted;
//! * **different**: anything else: a typo, a wrong link, another text. The note says when the two still share a
//!   [`key`](crate::key()): the key merges doubled letters, so a typo can keep it.

use unicode_normalization::UnicodeNormalization;

use super::{Field, Record};
use crate::{Lang, Scheme};

/// The outcome of checking one linked pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The romanized field reproduces the romanization of its 880.
    Exact,
    /// Same key, different spelling.
    Variant,
    /// Not the romanization of the 880.
    Different,
    /// Not checked (no Cyrillic language, no table for it, no Cyrillic in the 880, no common text).
    Unchecked,
    /// A field whose $6 link leads nowhere.
    Unpaired,
}

impl Verdict {
    /// The verdict as the CLI writes it (`exact`, `variant`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Variant => "variant",
            Verdict::Different => "different",
            Verdict::Unchecked => "unchecked",
            Verdict::Unpaired => "unpaired",
        }
    }
}

/// Where the compared texts first part (both normalized: lower case, no punctuation, ties as U+0361).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Character position in the normalized texts.
    pub at: usize,
    /// The romanized field's normalized text from a few characters before that point.
    pub found: String,
    /// The expected romanization's, from the same point.
    pub expected: String,
}

/// One linked pair (or one unpaired field) and its verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PairCheck {
    /// The regular field's tag (`245`), or `880` for an 880 without partner.
    pub tag: String,
    /// The occurrence number of the link (`01`), empty when there is none.
    pub occurrence: String,
    /// Index of the regular field in [`Record::fields`], if there is one.
    pub field: Option<usize>,
    /// Index of the 880, if there is one.
    pub vernacular: Option<usize>,
    /// The language whose table was used.
    pub lang: Option<Lang>,
    /// The verdict.
    pub verdict: Verdict,
    /// The regular field's compared text (the subfields both fields carry).
    pub found: String,
    /// The 880's compared text.
    pub vernacular_text: String,
    /// The ALA-LC romanization of the 880's text.
    pub expected: String,
    /// For `different` (and `variant`): where the normalized texts part.
    pub difference: Option<Difference>,
    /// Why a pair is a variant, unchecked or unpaired.
    pub note: String,
}

/// Subfields that are not text to romanize: $6 linkage and the numeric-coded control subfields.
fn is_text_code(c: char) -> bool {
    !c.is_ascii_digit()
}

/// Checks every linked pair of a record, and lists its unpaired fields, in field order of the 880s.
///
/// ```
/// use bibkey::record::{check_record, read, Verdict};
/// let xml = r#"<record><leader>00000nam a2200000 i 4500</leader>
///   <controlfield tag="008">950101s1994    ru            000 1 rus d</controlfield>
///   <datafield tag="100" ind1="1" ind2=" "><subfield code="6">880-01</subfield>
///     <subfield code="a">Bulgakov, Mikhail,</subfield></datafield>
///   <datafield tag="880" ind1="1" ind2=" "><subfield code="6">100-01/(N</subfield>
///     <subfield code="a">Булгаков, Михаил,</subfield></datafield></record>"#;
/// let record = read(xml.as_bytes()).next().unwrap()?;
/// let checks = check_record(&record);
/// assert_eq!(checks[0].verdict, Verdict::Exact);
/// # Ok::<(), bibkey::record::RecordError>(())
/// ```
pub fn check_record(record: &Record) -> Vec<PairCheck> {
    let links = record.links();
    let lang = record.lang();
    let scheme: Result<&Scheme, String> = match lang {
        Some(l) => Scheme::builtin(&l.alalc_scheme()).map_err(|_| format!("no built-in scheme {}", l.alalc_scheme())),
        None => Err(match record.lang_codes().first() {
            Some(c) => format!("record language {c} is not a Cyrillic language"),
            None => "record states no language".to_string(),
        }),
    };
    let mut out = Vec::with_capacity(links.pairs.len() + links.unpaired.len());
    for &(r, v) in &links.pairs {
        out.push(check_pair(&record.fields[r], &record.fields[v], r, v, lang, scheme.as_ref().copied()));
    }
    for u in &links.unpaired {
        let f = &record.fields[u.field];
        let is_880 = f.tag == "880";
        let link = f.linkage();
        let codes: Vec<char> = f.subfields.iter().map(|s| s.code).filter(|&c| is_text_code(c)).collect();
        let text = f.text_of(&codes);
        out.push(PairCheck {
            tag: if is_880 {
                link.as_ref().map(|l| l.tag.clone()).unwrap_or_else(|| "880".into())
            } else {
                f.tag.clone()
            },
            occurrence: link.map(|l| l.occurrence).unwrap_or_default(),
            field: (!is_880).then_some(u.field),
            vernacular: is_880.then_some(u.field),
            lang,
            verdict: Verdict::Unpaired,
            found: if is_880 { String::new() } else { text.clone() },
            vernacular_text: if is_880 { text } else { String::new() },
            expected: String::new(),
            difference: None,
            note: u.reason.clone(),
        });
    }
    out
}

fn check_pair(
    regular: &Field,
    vernacular: &Field,
    r: usize,
    v: usize,
    lang: Option<Lang>,
    scheme: Result<&Scheme, &String>,
) -> PairCheck {
    // The subfield codes both carry, so that a $e relator term or $h medium on one side only does not count.
    let codes: Vec<char> = vernacular
        .subfields
        .iter()
        .map(|s| s.code)
        .filter(|&c| is_text_code(c) && regular.subfields.iter().any(|s| s.code == c))
        .collect();
    let found = regular.text_of(&codes);
    let vtext = vernacular.text_of(&codes);
    let mut check = PairCheck {
        tag: regular.tag.clone(),
        occurrence: regular.linkage().map(|l| l.occurrence).unwrap_or_default(),
        field: Some(r),
        vernacular: Some(v),
        lang,
        verdict: Verdict::Unchecked,
        found,
        vernacular_text: vtext,
        expected: String::new(),
        difference: None,
        note: String::new(),
    };
    let scheme = match scheme {
        Ok(s) => s,
        Err(why) => {
            check.note = why.clone();
            return check;
        }
    };
    if codes.is_empty() {
        check.note = "no text subfield in common".into();
        return check;
    }
    if !check.vernacular_text.chars().any(is_cyrillic) {
        check.note = "no Cyrillic in the 880".into();
        return check;
    }
    check.expected = scheme.romanize(&check.vernacular_text);
    let (a, b) = (normalize(&check.found), normalize(&check.expected));
    if a == b {
        check.verdict = Verdict::Exact;
        return check;
    }
    check.difference = Some(difference(&a, &b));
    // Variant: the same letters once diacritics, ties and the soft- and hard-sign marks are set aside, or once
    // ѣ is read as the older rule's ě. Not "the same key": the key also merges doubled letters and the vowels
    // of some endings, which would let a dropped or doubled letter pass as a variant.
    let (la, lb) = (loose(&a, false), loose(&b, false));
    if la == lb {
        check.verdict = Verdict::Variant;
        check.note = "diacritics, ties or soft and hard signs differ".into();
    } else if loose(&a, true) == loose(&b, true) {
        check.verdict = Verdict::Variant;
        check.note = "older rule (ѣ as ě)".into();
    } else {
        check.verdict = Verdict::Different;
        if crate::key(&check.found) == crate::key(&check.expected) {
            check.note = "same key".into();
        }
    }
    check
}

/// A normalized text without diacritics, ties and sign marks; with `yat`, the tied i͡e (ѣ in ALA-LC) read as e.
fn loose(normalized: &str, yat: bool) -> String {
    let text = if yat { normalized.replace("i\u{361}e", "e") } else { normalized.to_string() };
    text.nfd().filter(|&c| !is_mark(c) && !matches!(c, 'ʹ' | 'ʺ' | '\'' | '’' | 'ʼ' | '"' | '′' | '″')).collect()
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{52F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}')
}

/// Lower case, NFC, ties as U+0361, punctuation as space, runs of spaces as one. The soft and hard sign letters
/// (ʹ ʺ) and the apostrophes that stand in for them are kept: they are letters of the romanization.
pub(crate) fn normalize(text: &str) -> String {
    let mut unified = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FE20}' => unified.push('\u{361}'),
            '\u{FE21}' => {}
            _ => unified.push(c),
        }
    }
    let mut out = String::with_capacity(unified.len());
    let mut space = false;
    for c in unified.nfc().flat_map(char::to_lowercase) {
        let keep = c.is_alphanumeric() || is_mark(c) || matches!(c, 'ʹ' | 'ʺ' | '\'' | '’' | 'ʼ' | '"' | '′' | '″');
        if keep {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{FE20}'..='\u{FE2F}')
}

fn difference(a: &str, b: &str) -> Difference {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(8);
    let window = |s: &[char]| s[from.min(s.len())..(at + 16).min(s.len())].iter().collect::<String>();
    Difference { at, found: window(&a), expected: window(&b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        assert_eq!(normalize("Istorii\u{FE20}a\u{FE21} /"), "istorii\u{361}a");
        assert_eq!(normalize("Voĭna i mir : roman"), normalize("VOĬNA I MIR. ROMAN"));
        assert_ne!(normalize("Gorʹkiĭ"), normalize("Gorkiĭ"));
        let d = difference("abcdef", "abcxef");
        assert_eq!(d.at, 3);
        assert_eq!((d.found.as_str(), d.expected.as_str()), ("abcdef", "abcxef"));
    }
}

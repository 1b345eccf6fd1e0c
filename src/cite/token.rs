//! Tokens of a citation: words, numbers and punctuation with their byte spans.
//!
//! Words are found by one scan over the characters, with the rules of the Unicode word boundaries (UAX #29) that
//! citations need: a romanized word keeps its apostrophes, ties and combining marks in one piece (`Bol'sheviki`,
//! `revoli︠u︡t︠s︡ii︠a︡`), letters and digits run together (`2nd`, `30-e` is three tokens), and a dotted or comma'd
//! number is one number (`26.10.1917`). One rule is changed: a period between letters ends a word, as a cataloger
//! means it (`V.I.` is two initials, `a.a.O.` three words). (A full UAX #29 segmenter was a quarter of the parse
//! time; the scan gives the same tokens on the labelled citations.)

use unicode_normalization::char::is_combining_mark;

use crate::text::is_alphanumeric;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tk {
    /// Letters (and possibly digits): `Lenin`, `2nd`, `Bol'sheviki`.
    Word,
    /// Digits, possibly with inner periods or commas (`1917`, `26.10.1917`).
    Num,
    /// One punctuation or symbol character.
    Punct,
}

/// A token: its byte span in the input, what it is, and whether white space precedes it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub s: usize,
    pub e: usize,
    pub k: Tk,
    pub space: bool,
}

/// Characters that stay with the character before them (UAX #29 Extend and Format): combining marks (ties
/// U+FE20–FE2F among them), joiners, the soft hyphen.
fn extend(c: char) -> bool {
    !c.is_ascii() && (is_combining_mark(c) || matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}' | '\u{2060}'))
}

/// Joins two letters (UAX #29 MidLetter and MidNumLet): `Bol'sheviki`, `d’Encausse`, `V.I` (split again below).
fn mid_letter(c: char) -> bool {
    matches!(
        c,
        '\'' | '’'
            | '.'
            | ':'
            | '·'
            | '\u{2018}'
            | '\u{2024}'
            | '\u{FE13}'
            | '\u{FE52}'
            | '\u{FE55}'
            | '\u{FF07}'
            | '\u{FF0E}'
            | '\u{FF1A}'
    )
}

/// Joins two digits (UAX #29 MidNum and MidNumLet): `26.10.1917`, `1,000`.
fn mid_num(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | '.'
            | '\''
            | '’'
            | '\u{2018}'
            | '\u{2024}'
            | '\u{066C}'
            | '\u{FE10}'
            | '\u{FE14}'
            | '\u{FE50}'
            | '\u{FE52}'
            | '\u{FE54}'
            | '\u{FF07}'
            | '\u{FF0C}'
            | '\u{FF0E}'
            | '\u{FF1B}'
    )
}

fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        // Cyrillic (most of the letters met) has no digits: no table look-up for it.
        !('\u{0400}'..='\u{052F}').contains(&c) && c.is_numeric() && !c.is_alphabetic()
    }
}

/// The character at byte `i` and its length (none at the end).
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// The end of the word that starts at `i` with `first`: letters, digits and what joins them.
fn word_end(text: &str, i: usize, first: char, len: usize) -> usize {
    let mut j = i + len;
    let mut digit = is_digit(first);
    while let Some((c, l)) = char_at(text, j) {
        if is_alphanumeric(c) || c == '_' {
            digit = is_digit(c);
            j += l;
        } else if extend(c) {
            j += l;
        } else if (digit && mid_num(c)) || (!digit && mid_letter(c)) {
            // A joiner joins only when the same kind of character follows it (after its marks).
            let mut k = j + l;
            while let Some((m, ml)) = char_at(text, k).filter(|&(m, _)| extend(m)) {
                let _ = m;
                k += ml;
            }
            match char_at(text, k) {
                Some((n, nl)) if is_alphanumeric(n) && is_digit(n) == digit => {
                    j = k + nl;
                }
                _ => break,
            }
        } else {
            break;
        }
    }
    j
}

/// Splits `text` into tokens (white space is not a token; it sets `space` on the next one).
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let mut space = false;
    let mut i = 0;
    while let Some((first, len)) = char_at(text, i) {
        if first.is_whitespace() {
            space = true;
            i += len;
            // Marks after white space go with it.
            while let Some((_, l)) = char_at(text, i).filter(|&(c, _)| extend(c)) {
                i += l;
            }
            continue;
        }
        if is_alphanumeric(first) || first == '_' {
            let s = i;
            let e = word_end(text, i, first, len);
            let seg = &text[s..e];
            if seg.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
                out.push(Tok { s, e, k: Tk::Num, space });
            } else {
                // A period inside a word ends it (V.I → V . I).
                let mut start = 0;
                for (k, c) in seg.bytes().enumerate() {
                    if c == b'.' {
                        if k > start {
                            out.push(Tok { s: s + start, e: s + k, k: word_kind(&seg[start..k]), space });
                            space = false;
                        }
                        out.push(Tok { s: s + k, e: s + k + 1, k: Tk::Punct, space });
                        space = false;
                        start = k + 1;
                    }
                }
                if start < seg.len() {
                    out.push(Tok { s: s + start, e, k: word_kind(&seg[start..]), space });
                }
            }
            space = false;
            i = e;
        } else {
            // Punctuation: one token a character (its marks are tokens of their own).
            out.push(Tok { s: i, e: i + len, k: Tk::Punct, space });
            space = false;
            i += len;
        }
    }
}

fn word_kind(w: &str) -> Tk {
    if w.bytes().all(|b| b.is_ascii_digit()) {
        Tk::Num
    } else {
        Tk::Word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        let mut t = Vec::new();
        tokenize(s, &mut t);
        t.iter().map(|t| &s[t.s..t.e]).collect()
    }

    #[test]
    fn initials_dates_and_apostrophes() {
        assert_eq!(texts("Lenin, V.I. Bol'sheviki"), ["Lenin", ",", "V", ".", "I", ".", "Bol'sheviki"]);
        assert_eq!(texts("Izvestija, 26.10.1917."), ["Izvestija", ",", "26.10.1917", "."]);
        assert_eq!(texts("№ 10(69), с. 246–7"), ["№", "10", "(", "69", ")", ",", "с", ".", "246", "–", "7"]);
        assert_eq!(texts("a.a.O. //"), ["a", ".", "a", ".", "O", ".", "/", "/"]);
        // Ties and combining marks stay in their word; a number keeps its commas, not a letter's.
        assert_eq!(
            texts("revoli\u{361}ut\u{361}sii, 1,000 d’Encausse"),
            ["revoli\u{361}ut\u{361}sii", ",", "1,000", "d’Encausse"]
        );
        assert_eq!(texts("30-e gody; 2nd ed."), ["30", "-", "e", "gody", ";", "2nd", "ed", "."]);
    }
}

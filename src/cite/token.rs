//! Tokens of a citation: words, numbers and punctuation with their byte spans.
//!
//! Words come from the Unicode word boundaries of UAX #29 (`unicode-segmentation`), which keep a romanized word
//! with its apostrophes, ties and combining marks in one piece (`Bol'sheviki`, `revoli︠u︡t︠s︡ii︠a︡`) and a dotted date
//! in one number (`26.10.1917`). One rule is changed: a period between letters ends a word, as a cataloger means it
//! (`V.I.` is two initials, `a.a.O.` three words), because UAX #29 joins `V.I` into one word.

use unicode_segmentation::UnicodeSegmentation;

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

/// Splits `text` into tokens (white space is not a token; it sets `space` on the next one).
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let mut space = false;
    for (s, seg) in text.split_word_bound_indices() {
        let mut chars = seg.chars();
        let Some(first) = chars.next() else { continue };
        if first.is_whitespace() {
            space = true;
            continue;
        }
        if is_alphanumeric(first) || seg.chars().any(is_alphanumeric) {
            if seg.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
                out.push(Tok { s, e: s + seg.len(), k: Tk::Num, space });
            } else {
                // A period inside a word ends it (V.I → V . I).
                let mut start = 0;
                for (i, c) in seg.char_indices() {
                    if c == '.' {
                        if i > start {
                            out.push(Tok { s: s + start, e: s + i, k: word_kind(&seg[start..i]), space });
                            space = false;
                        }
                        out.push(Tok { s: s + i, e: s + i + 1, k: Tk::Punct, space });
                        space = false;
                        start = i + 1;
                    }
                }
                if start < seg.len() {
                    out.push(Tok { s: s + start, e: s + seg.len(), k: word_kind(&seg[start..]), space });
                }
            }
        } else {
            // Punctuation: one token a character.
            for (i, c) in seg.char_indices() {
                out.push(Tok { s: s + i, e: s + i + c.len_utf8(), k: Tk::Punct, space });
                space = false;
            }
        }
        space = false;
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
    }
}

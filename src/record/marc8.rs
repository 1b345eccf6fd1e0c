//! MARC-8 → Unicode for the sets Cyrillic records use: ASCII, Extended Latin (ANSEL, with its combining
//! diacritics and the two halves of the ligature tie), Basic and Extended Cyrillic.
//!
//! The code points come from `tables/marc8.tsv`, written from the Library of Congress code tables. MARC-8 puts
//! a combining diacritic *before* its letter and Unicode after it, so marks are held until the next spacing
//! character. The decoder keeps the designations (G0, G1) from one call to the next; the caller resets them at
//! the start of each field with [`Marc8::new`].

use once_cell::sync::Lazy;
use unicode_normalization::UnicodeNormalization;

/// The built-in table file, as shipped.
const TABLE: &str = include_str!("../../tables/marc8.tsv");

/// One 94-character set: code point for positions 0x00–0x7F (0 = not defined), and which are combining.
struct Set {
    chars: [u32; 128],
    combining: [bool; 128],
}

impl Set {
    fn empty() -> Set {
        Set { chars: [0; 128], combining: [false; 128] }
    }
}

/// The sets of `tables/marc8.tsv`.
struct Tables {
    ansel: Set,
    cyrillic: Set,
    cyrillic_ext: Set,
    /// Set C: the C1 control codes 0x80–0x9F, by byte − 0x80.
    c1: [u32; 32],
}

static TABLES: Lazy<Result<Tables, String>> = Lazy::new(|| parse_tables("tables/marc8.tsv", TABLE));

fn parse_tables(origin: &str, text: &str) -> Result<Tables, String> {
    let mut t = Tables { ansel: Set::empty(), cyrillic: Set::empty(), cyrillic_ext: Set::empty(), c1: [0; 32] };
    // Basic Cyrillic shares the ASCII punctuation and digits (the table says so rather than listing them).
    for b in 0x21..0x40 {
        t.cyrillic.chars[b] = b as u32;
    }
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.split('#').next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 || cols.len() > 4 {
            return Err(format!("{origin}:{n}: expected SET<TAB>HEX<TAB>UNICODE[<TAB>combining]"));
        }
        let code = u8::from_str_radix(cols[1], 16).map_err(|_| format!("{origin}:{n}: bad hex {:?}", cols[1]))?;
        let cp = u32::from_str_radix(cols[2], 16).map_err(|_| format!("{origin}:{n}: bad code point {:?}", cols[2]))?;
        if char::from_u32(cp).is_none() || cp == 0 {
            return Err(format!("{origin}:{n}: U+{cp:04X} is not a character"));
        }
        let combining = match cols.get(3) {
            None => false,
            Some(&"combining") => true,
            Some(other) => return Err(format!("{origin}:{n}: unknown flag {other:?}")),
        };
        let set = match cols[0] {
            "C" => {
                if !(0x80..0xA0).contains(&code) || combining {
                    return Err(format!("{origin}:{n}: set C holds spacing bytes 80-9F only"));
                }
                let slot = &mut t.c1[usize::from(code - 0x80)];
                if *slot != 0 {
                    return Err(format!("{origin}:{n}: C {code:02X} listed twice"));
                }
                *slot = cp;
                continue;
            }
            "E" => &mut t.ansel,
            "N" => &mut t.cyrillic,
            "Q" => &mut t.cyrillic_ext,
            other => return Err(format!("{origin}:{n}: unknown set {other:?} (C, E, N or Q)")),
        };
        let pos = usize::from(code & 0x7F);
        if !(0x21..0x7F).contains(&pos) {
            return Err(format!("{origin}:{n}: {code:02X} is outside the 94 graphic positions"));
        }
        if set.chars[pos] != 0 && !(cols[0] == "N" && pos < 0x40) {
            return Err(format!("{origin}:{n}: {} {code:02X} listed twice", cols[0]));
        }
        set.chars[pos] = cp;
        set.combining[pos] = combining;
    }
    Ok(t)
}

/// A designated graphic set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Charset {
    Ascii,
    Ansel,
    Cyrillic,
    CyrillicExt,
}

/// A MARC-8 decoding error: where in the input (byte index) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marc8Error {
    pub at: usize,
    pub reason: String,
}

/// MARC-8 decoder state: the G0 and G1 designations.
pub(crate) struct Marc8 {
    g0: Charset,
    g1: Charset,
}

impl Marc8 {
    /// The defaults at the start of a field: ASCII as G0, Extended Latin as G1.
    pub fn new() -> Marc8 {
        Marc8 { g0: Charset::Ascii, g1: Charset::Ansel }
    }

    /// Decodes `bytes` (one subfield's or control field's data), appending NFC text to `out`.
    pub fn decode(&mut self, bytes: &[u8], out: &mut String) -> Result<(), Marc8Error> {
        if bytes.iter().all(|&b| (0x20..0x7F).contains(&b)) && self.g0 == Charset::Ascii {
            // Plain ASCII: nothing to look up (the common case for control fields and English text).
            out.extend(bytes.iter().map(|&b| b as char));
            return Ok(());
        }
        let tables = TABLES.as_ref().map_err(|e| Marc8Error { at: 0, reason: format!("built-in table: {e}") })?;
        let mut text = String::with_capacity(bytes.len() * 2);
        let mut marks: Vec<char> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let at = i;
            i += 1;
            let (cp, combining) = match b {
                0x1B => {
                    i = self.escape(bytes, at)?;
                    continue;
                }
                0x20 => (0x20, false),
                0x21..=0x7E => self.lookup(tables, self.g0, b, at)?,
                0xA1..=0xFE => self.lookup(tables, self.g1, b, at)?,
                0x80..=0x9F if tables.c1[usize::from(b - 0x80)] != 0 => (tables.c1[usize::from(b - 0x80)], false),
                _ => {
                    return Err(Marc8Error { at, reason: format!("byte 0x{b:02X} is not a MARC-8 character") });
                }
            };
            // Built from a checked table: every code point is a char.
            let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
            if combining {
                marks.push(c);
            } else {
                text.push(c);
                text.extend(marks.drain(..));
            }
        }
        // A mark with no letter after it (malformed but seen): kept, at the end, rather than dropped.
        text.extend(marks.drain(..));
        out.extend(text.nfc());
        Ok(())
    }

    fn lookup(&self, t: &Tables, set: Charset, b: u8, at: usize) -> Result<(u32, bool), Marc8Error> {
        let pos = usize::from(b & 0x7F);
        let table = match set {
            Charset::Ascii => return Ok((u32::from(b & 0x7F), false)),
            Charset::Ansel => &t.ansel,
            Charset::Cyrillic => &t.cyrillic,
            Charset::CyrillicExt => &t.cyrillic_ext,
        };
        match table.chars[pos] {
            0 => Err(Marc8Error { at, reason: format!("byte 0x{b:02X} is not defined in the {set:?} set") }),
            cp => Ok((cp, table.combining[pos])),
        }
    }

    /// Reads the escape sequence at `at` (an ESC byte) and returns the index after it.
    fn escape(&mut self, bytes: &[u8], at: usize) -> Result<usize, Marc8Error> {
        let err = |reason: String| Marc8Error { at, reason };
        let shown = || {
            bytes[at + 1..bytes.len().min(at + 4)]
                .iter()
                .map(|&b| (b as char).escape_default().to_string())
                .collect::<String>()
        };
        let mut i = at + 1;
        let Some(&first) = bytes.get(i) else {
            return Err(err("escape sequence cut short at the end of the subfield".into()));
        };
        i += 1;
        match first {
            // Locking escapes of the "technique" sets: only the return to ASCII is supported.
            b's' => {
                self.g0 = Charset::Ascii;
                return Ok(i);
            }
            b'g' | b'b' | b'p' => {
                return Err(err(format!(
                    "escape ESC {} (Greek symbols, subscripts or superscripts) is not supported",
                    first as char
                )))
            }
            _ => {}
        }
        let g0 = match first {
            b'(' | b',' => true,
            b')' | b'-' => false,
            b'$' => return Err(err("multibyte sets (East Asian, ESC $) are not supported".into())),
            _ => return Err(err(format!("unknown escape sequence ESC {}", shown()))),
        };
        // ANSEL is announced with an intermediate '!' (ESC ) ! E).
        if bytes.get(i) == Some(&b'!') {
            i += 1;
        }
        let Some(&fin) = bytes.get(i) else {
            return Err(err("escape sequence cut short at the end of the subfield".into()));
        };
        i += 1;
        let set = match fin {
            b'B' => Charset::Ascii,
            b'E' => Charset::Ansel,
            b'N' => Charset::Cyrillic,
            b'Q' => Charset::CyrillicExt,
            b'S' | b'2' | b'3' | b'4' => {
                return Err(err(format!(
                    "character set ESC {} (Greek, Hebrew or Arabic) is not supported; only Latin and Cyrillic are",
                    shown()
                )))
            }
            _ => return Err(err(format!("unknown character set in escape sequence ESC {}", shown()))),
        };
        if g0 {
            self.g0 = set;
        } else {
            self.g1 = set;
        }
        Ok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(b: &[u8]) -> Result<String, Marc8Error> {
        let mut out = String::new();
        Marc8::new().decode(b, &mut out).map(|_| out)
    }

    #[test]
    fn table_loads() {
        let t = TABLES.as_ref().unwrap();
        assert_eq!(t.cyrillic.chars[0x40], 0x44E);
        assert_eq!(t.cyrillic_ext.chars[0x6F], 0x42A);
        assert!(t.ansel.combining[0x6B]);
    }

    #[test]
    fn table_errors_name_the_line() {
        let e = parse_tables("t", "# c\nN\t40\n").err().unwrap();
        assert!(e.starts_with("t:2:"), "{e}");
        let e = parse_tables("t", "X\t40\t0430\n").err().unwrap();
        assert!(e.contains("unknown set"), "{e}");
        let e = parse_tables("t", "N\t41\t0430\nN\t41\t0431\n").err().unwrap();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn latin_diacritics_and_ties() {
        // ĭ is breve (E6) before i; i͡a is EB i EC a.
        assert_eq!(dec(b"Tolsto\xE6i").unwrap(), "Tolsto\u{12D}");
        assert_eq!(dec(b"\xEBi\xECa").unwrap(), "i\u{FE20}a\u{FE21}");
        assert_eq!(dec(b"Gor\xCA\xB9").err().map(|e| e.at), Some(3));
        assert_eq!(dec(b"Gor\xA7kii").unwrap(), "Gor\u{2B9}kii");
    }

    #[test]
    fn cyrillic_escapes() {
        // ESC ( N, "Мир", ESC ( B
        assert_eq!(dec(b"\x1b(NmIR\x1b(B 1").unwrap(), "Мир 1");
        // as G1: high bytes
        assert_eq!(dec(b"\x1b)N\xED\xC9\xD2").unwrap(), "Мир");
        // Extended Cyrillic ё and Ъ.
        assert_eq!(dec(b"\x1b(Q\x44\x6F\x1b(B").unwrap(), "ёЪ");
        let e = dec(b"ab\x1b(S").unwrap_err();
        assert_eq!(e.at, 2);
        assert!(e.reason.contains("not supported"));
        assert_eq!(dec(b"ab\x1b(").unwrap_err().at, 2);
    }
}

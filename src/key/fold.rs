//! The Latin fold: the second half of the key, where every romanization meets.
//!
//! # The key alphabet
//!
//! A word's key is made of the lower-case ASCII letters `a b c d e f g h i k l m n o p r s t u v y z`, the digits,
//! and, unchanged but lower-cased, letters of scripts bibkey does not read (Greek, Armenian…). The letters `j q w x`
//! never occur: `j` and `x` are rewritten (below), `w` becomes `v`; `q` is left as it is in the rare word that has it.
//! Diacritics, ties, apostrophes and the soft and hard signs are gone before the fold starts.
//!
//! # Why a lossy key
//!
//! Some spellings the key must accept have already thrown information away, and the key can only be as fine as the
//! coarsest of them. ISO 9 stripped to ASCII (`uconv -x 'Any-Latin; Latin-ASCII'`, and every catalog that folds
//! diacritics) writes Шаг as `Sag`, жар as `zar`, чай as `caj`, я as `a` and ю as `u`: so ш≡с, ж≡з, ч≡ц, я≡а, ю≡у
//! in the key. ALA-LC without diacritics writes й as `i` (мой = мои = `moi`) and ц as `ts` (ц ≡ тс). Everything below
//! is either such a forced merge or bookkeeping that makes the spellings of one letter meet.
//!
//! # Pass 1: digraphs (suffix rewriting)
//!
//! Each byte is pushed onto the output, and while the output ends in one of these, it is rewritten:
//!
//! | suffix | becomes | letter | forced by |
//! |---|---|---|---|
//! | `sh` | `s` | ш | ALA-LC, BGN/PCGN, ICAO, popular (`sh`) meeting ISO 9 stripped (`s`) |
//! | `zh` | `z` | ж | same |
//! | `kh` | `h` | х | English `kh` meeting ISO 9 `h` |
//! | `ch` | `c` | ч | English `ch` meeting ISO 9 stripped `c` (č) |
//! | `ts`, `tz`, `tc`, `cz` | `c` | ц | ALA-LC/BGN `ts`, German `tz`, GOST 7034 `tc`, GOST B `cz`, ISO 9 `c` |
//! | `sc`, `sz` | `s` | щ ш | scholarly `šč` and ISO 9 `ŝ` stripped; Polish `sz` |
//! | `x` | `h` | х | GOST B and the scholarly system write х as `x` |
//! | `w` | `v` | в | German and Polish |
//!
//! Rewrites cascade, so `shch` → `sch` → `sc`… → `s`, `tsch` → `c`, `schtsch` → `s`, and Cyrillic сх (`skh`) →
//! `sh` → `s`, the same as ISO 9's `sh` for сх. Because rewriting continues until no suffix matches, no rule's
//! pattern survives anywhere in the output, which makes the pass idempotent.
//!
//! Not merged: ICAO Doc 9303 writes ъ as `ie` (подъезд `podieezd`), which is also и + е; reading it as ъ would
//! break keys of и + е elsewhere, so ICAO forms of words with ъ before an iotated vowel miss (ACCURACY.md).
//!
//! # Pass 2: glides, й and ы, doubles
//!
//! * `j` is read as `i`: it is й (ISO 9, scholarly, GOST B) or a glide (German, Polish), never ы.
//! * A run of `i`/`y` right before `a e o u` is a glide and is dropped: я `ia` = `ya` = `ja` = `â`(stripped `a`) →
//!   `a`; ю → `u`; е after a vowel or at the start (`ye`, `je`) → `e`. The run goes whole, so ия (`iia`, `iya`,
//!   ISO `iâ` → `ia`) → `a` as well. Merge: и/й + vowel ≡ the vowel (Мария ≡ Мара).
//! * A glide before `o` is ё, which the key reads as е: `Fyodor`, `Fiodor`, `Fjodor`, `Fëdor` and `Fedor` all give
//!   `fedor`, and `vlagoyomkimi` (GOST 52290 for влагоёмкими) meets `vlagoemkimi`. Merge: ио/йо/ьо ≡ е
//!   (район `raion` = `raen`).
//! * `ou` → `u`, after the glides are gone: French `ou` for у, and ISO 9 `oû` (ою) stripped to `ou` meets `oiu` → `ou`.
//! * `y` right before `i` is a glide and goes: `zdorovyitse` = `zdorovʹitse` (здоровьице). Merge: ыи ≡ и.
//! * `y` after a vowel is й and becomes `i` (`Maykop` = `Maĭkop` = `Majkop`); elsewhere `y` is ы and stays.
//! * A doubled letter is written once (`Rossiia`, `Rossiya`, German `ss`): Анна ≡ Ана.
//! * At the end of the word a run of `i`/`y` becomes one `i`: -ий, -ый, -ы, -и all end in `i`, because popular
//!   English, German, French and Polish write Троцкий as Trotsky, Trotzki, Trotski, Trocki. Tolstoy (-ой → `oi`)
//!   and Tolstaya (-ая → `a`) stay apart.

/// The suffix rewrites of pass 1, longest first. Documented in the table above.
const SUFFIXES: &[([u8; 2], u8)] = &[
    (*b"sh", b's'),
    (*b"sc", b's'),
    (*b"sz", b's'),
    (*b"zh", b'z'),
    (*b"kh", b'h'),
    (*b"ch", b'c'),
    (*b"ts", b'c'),
    (*b"tz", b'c'),
    (*b"tc", b'c'),
    (*b"cz", b'c'),
];

/// Pass 1 of the fold, applied to `w` in place; returns the new length. `w` holds lower-case bytes; bytes ≥ 0x80
/// (letters of other scripts) never match and so block rewriting across them.
fn digraphs(w: &mut [u8]) -> usize {
    let mut out = 0usize;
    let mut i = 0;
    while i < w.len() {
        let b = match w[i] {
            b'x' => b'h',
            b'w' => b'v',
            b => b,
        };
        w[out] = b;
        out += 1;
        i += 1;
        // Rewrite while the output ends in a pattern (all patterns are two bytes: compare them directly).
        while out >= 2 {
            let pair = [w[out - 2], w[out - 1]];
            match SUFFIXES.iter().find(|(pat, _)| *pat == pair) {
                Some((_, rep)) => {
                    out -= 1;
                    w[out - 1] = *rep;
                }
                None => break,
            }
        }
    }
    out
}

#[inline]
fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

#[inline]
fn is_glide(b: u8) -> bool {
    matches!(b, b'i' | b'y')
}

/// Pass 2 of the fold, applied to `w` in place.
pub(crate) fn glides(w: &mut [u8]) -> usize {
    let mut out = 0usize;
    let mut i = 0;
    while i < w.len() {
        let mut b = w[i];
        i += 1;
        if b == b'j' {
            b = b'i';
        }
        match b {
            b'a' | b'e' | b'o' | b'u' => {
                // French ou for у (Pouchkine). Not after a glide: `you` is GOST B and popular ёу.
                if b == b'o' && w.get(i) == Some(&b'u') && !(out > 0 && is_glide(w[out - 1])) {
                    b = b'u';
                    i += 1;
                }
                let mut start = out;
                while start > 0 && is_glide(w[start - 1]) {
                    start -= 1;
                }
                if start < out {
                    if b == b'o' {
                        b = b'e';
                    }
                    out = start;
                }
                // ISO 9 `oû` (ою) stripped to `ou` meets `oiu` → `ou`, and both meet French `ou`.
                if b == b'u' && out > 0 && w[out - 1] == b'o' {
                    out -= 1;
                }
            }
            b'y' if out > 0 && is_vowel(w[out - 1]) => b = b'i',
            _ => {}
        }
        // A glide y before i goes (mosmetro and popular write здоровьице as zdorovyitse).
        if b == b'i' && out > 0 && w[out - 1] == b'y' {
            out -= 1;
        }
        if out > 0 && w[out - 1] == b && b.is_ascii_lowercase() {
            continue;
        }
        w[out] = b;
        out += 1;
    }
    // Word-final -ий, -ый, -ы, -и … → i.
    let mut start = out;
    while start > 0 && is_glide(w[start - 1]) {
        start -= 1;
    }
    if start < out {
        w[start] = b'i';
        out = start + 1;
    }
    out
}

/// The byte `digraphs` pushes for `b` (x → h, w → v), for every byte.
const MAP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            b'x' => b'h',
            b'w' => b'v',
            b => b,
        };
        i += 1;
    }
    t
};

/// Row of the [`REWRITE`] table for a byte: 1 + the index of the first pattern that starts with it, 0 if none.
const ROW: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut rows = 0u8;
    let mut k = 0;
    while k < SUFFIXES.len() {
        let a = SUFFIXES[k].0[0] as usize;
        if t[a] == 0 {
            rows += 1;
            t[a] = rows;
        }
        k += 1;
    }
    t
};

/// `REWRITE[ROW[a]][b]`: what the suffix `ab` becomes in pass 1 (0: it stays), built from [`SUFFIXES`] (the first
/// pattern listed wins, as in `digraphs`).
const REWRITE: [[u8; 256]; 8] = {
    let mut t = [[0u8; 256]; 8];
    let mut k = SUFFIXES.len();
    while k > 0 {
        k -= 1;
        let ([a, b], rep) = SUFFIXES[k];
        t[ROW[a as usize] as usize][b as usize] = rep;
    }
    t
};

/// Longest word the fast path folds in its stack buffer (the reading of the word after pass 1, in bytes).
const WORD_CAP: usize = 256;

/// One word being read by the fast key: pass 1 ([`digraphs`]) is applied as each byte arrives, pass 2
/// ([`glides`]) when the word ends. The result equals [`fold_word`] on the same bytes.
pub(crate) struct Word {
    w: [u8; WORD_CAP],
    n: usize,
    /// Every byte in `w[..n]` is ASCII.
    ascii: bool,
}

impl Word {
    pub(crate) fn new() -> Word {
        Word { w: [0; WORD_CAP], n: 0, ascii: true }
    }

    /// Appends one byte of the word's reading and rewrites the suffix as `digraphs` does. `None` if the word is
    /// longer than the buffer.
    #[inline(always)]
    pub(crate) fn push(&mut self, b: u8) -> Option<()> {
        let b = MAP[b as usize];
        let mut n = self.n;
        if n >= WORD_CAP {
            return None;
        }
        self.ascii &= b < 0x80;
        self.w[n] = b;
        n += 1;
        // The output never ends in a pattern, so only a pair ending in the new byte can match; after a rewrite, the
        // new pair ending in the replacement may match in turn.
        let mut last = b;
        while n >= 2 {
            let rep = REWRITE[ROW[self.w[n - 2] as usize] as usize][last as usize];
            if rep == 0 {
                break;
            }
            n -= 1;
            self.w[n - 1] = rep;
            last = rep;
        }
        self.n = n;
        Some(())
    }

    /// Ends the word: runs pass 2 and appends the folded word to `out`. `None` if the bytes are not UTF-8 (they
    /// always are: only whole characters are pushed, and the fold never splits one).
    #[inline]
    pub(crate) fn flush(&mut self, out: &mut String) -> Option<()> {
        if self.n == 0 {
            return Some(());
        }
        let n = glides(&mut self.w[..self.n]);
        let word = &self.w[..n];
        if self.ascii {
            out.extend(word.iter().map(|&b| b as char));
        } else {
            out.push_str(std::str::from_utf8(word).ok()?);
        }
        self.n = 0;
        self.ascii = true;
        Some(())
    }
}

/// Folds the word in `buf[start..]` (lower-case, marks and signs already removed) in place.
pub(crate) fn fold_word(buf: &mut Vec<u8>, start: usize) {
    let n = digraphs(&mut buf[start..]);
    let n = glides(&mut buf[start..start + n]);
    buf.truncate(start + n);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        let mut v = s.as_bytes().to_vec();
        fold_word(&mut v, 0);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn merges_documented_above() {
        // Each row: spellings that the table in the module docs says must meet.
        let groups: &[&[&str]] = &[
            &["shchukin", "scukin", "sukin", "shhukin", "szczukin"],
            &["trotskii", "trotsky", "trotskiy", "trotskij", "trotzki", "trotski", "trocki"],
            &["proletarskaia", "proletarskaya", "proletarskaja", "proletarskaa"],
            &["fedor", "fyodor", "fiodor", "fjodor"],
            &["maikop", "maykop", "majkop"],
            &["elizovo", "yelizovo", "jelizovo"],
            &["italiia", "italiya", "italia", "italija"],
        ];
        for g in groups.iter() {
            let keys: Vec<String> = g.iter().map(|s| f(s)).collect();
            assert!(keys.windows(2).all(|w| w[0] == w[1]), "{g:?} → {keys:?}");
        }
        assert_ne!(f("tolstoy"), f("tolstaya"));
        assert_ne!(f("kamenev"), f("kameneva"));
        assert_ne!(f("byl"), f("bil"));
    }
}

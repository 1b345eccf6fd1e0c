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
//! | `gh` | `g` | г | Italian and French `gh` before e and i (Diaghilev); Cyrillic гх (`gkh` → `gh`) merges with г |
//! | `w` | `v` | в | German and Polish |
//!
//! Rewrites cascade, so `shch` → `sch` → `sc`… → `s`, `tsch` → `c`, `schtsch` → `s`, and Cyrillic сх (`skh`) →
//! `sh` → `s`, the same as ISO 9's `sh` for сх. Because rewriting continues until no suffix matches, no rule's
//! pattern survives anywhere in the output, which makes the pass idempotent.
//!
//! Not merged: ICAO Doc 9303 writes ъ as `ie` (подъезд `podieezd`), which is also и + е; reading it as ъ would
//! break keys of и + е elsewhere, so ICAO forms of words with ъ before an iotated vowel miss (ACCURACY.md).
//!
//! Not merged either: the pre-1918 plural adjective endings -кія/-кия and -ыя (Русскія вѣдомости, Отечественныя
//! записки), which [`title_key`](crate::title_key) reads as -кие and -ые. In the key they would break schemes
//! against each other: ISO 9 stripped writes кия as `kia`, which is also ALA-LC stripped кья, and ISO 9 writes кья as
//! `ka`; so a key that reads every scheme's -кия, -кья and -ка alike cannot also make -кия meet -кие without making
//! -ка (рука) meet -ке (руке). Likewise ISO 9 stripped -ыя is `ya`, which is also BGN/PCGN -ья (статья, `statya`).
//! (Tried: the property tests of tests/key.rs find АКЬЯ and similar words at once.)
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
//!   Not after a glide: `you` is GOST B and popular ёу. So French `iou` (ю, Milioukov) is not read as ю: ISO 9
//!   stripped writes иою as `iou` as well, and GOST B's `iyou` (иёу) becomes `iiou` → `iou` once `y` after a vowel
//!   is read as `i`.
//! * French `gu` before е and и is г (Tourguéniev, Sergueï, Gueorgui). Looking past further u's and glides, the `u`
//!   goes before `e`, before `o` after a glide (ё), and before a consonant or the end after и/й. Merge: гуе ≡ ге,
//!   гуё ≡ гё, гуи ≡ ги, гуй ≡ гй.
//! * `y` right before `i` is a glide and goes: `zdorovyitse` = `zdorovʹitse` (здоровьице). Merge: ыи ≡ и.
//! * `y` after a vowel is й and becomes `i` (`Maykop` = `Maĭkop` = `Majkop`). After `c` it becomes `i` as well:
//!   ц + ы and ц + и are one sound, and Polish writes both `cy` (Jelcyn for Ельцин), Spanish and French often
//!   `tsi` for -цын (Solzhenitsin); ч + ы does not occur. Merge: цы ≡ ци. Elsewhere `y` is ы and stays.
//! * A doubled vowel, or a doubled `c s z h`, is written once. Vowels: `ii`, `yy` and `ee` are how the glide
//!   and й spellings meet (`Rossiia`, BGN/PCGN `-yy`). The consonants are those that digraphs leave doubled:
//!   German `tsch` for ч passes through `tsc` to `cc`, `schtsch` to `ss`, French `tch` likewise, and German and
//!   French write с between vowels as `ss`; doubled `zh` and `kh` (жж, хх) meet their one-letter spellings the
//!   same way. Other doubled consonants are kept, because Russian has them: Анна ≠ Ана (Яна), Савва ≠ Сава,
//!   Фаддей ≠ Фадей. (Merging every double, as the key did before, put six such pairs in the evaluation's
//!   collision list and gained no recall; merging only `c` and `s` loses German `Tschaikowski` and forms of the
//!   telegram and French passport columns.)
//! * At the end of the word a run of `i`/`y` becomes one `i`: -ий, -ый, -ы, -и all end in `i`, because popular
//!   English, German, French and Polish write Троцкий as Trotsky, Trotzki, Trotski, Trocki. Tolstoy (-ой → `oi`)
//!   and Tolstaya (-ая → `a`) stay apart.
//! * At the end of a word of five letters or more, `ine` and `yne` lose the `e`: French writes -ин and -ын so
//!   (Lénine, Soljénitsyne; ru-fr and the French passport convention). Merge: -ине ≡ -ин.
//! * Then a final `off` or `eff` becomes `ov`, `ev`: old French and English -ff for -ов / -ев (Romanoff, Smirnoff,
//!   Zinovieff). Merge: final -офф ≡ -ов, which no Russian word ends in.
//! * Then a final `ovova` or `evova` loses its last `ov`: Czech adds -ová to a surname in -ov/-ev (Achmatovová,
//!   Cvetajevová for Ахматова, Цветаева). Merge: final -овова ≡ -ова, which no Russian word ends in.
//! * Last, a final `ov` or `ova` after `c` or `z` becomes `ev`, `eva`: after ч and ж, German, Polish, Czech and
//!   Spanish write ё as `o` (Gorbatschow, Gorbaczow, Gorbačov, Gorbachov for Горбачёв), and the key reads ё as е.
//!   Merge: final -чов ≡ -чев, -жов ≡ -жев (Russian itself spells Ежов with о), and, since `c` is also ц and `z`
//!   also з, -цов ≡ -цев and -зов ≡ -зев. Not after `s` (ш, щ, but also с): -сов and -сев are both common
//!   (Борисов, Тусов ≠ Тоюшев), and the evaluation's collisions rise when `s` is included.
//!
//! # Other languages
//!
//! The fold is the same for every language; what changes is how Cyrillic letters are read before it
//! (`tables/key/*.tbl`, listed in `tables/key/languages.tsv`; [`crate::key::key_as`]). Each reading is chosen so that
//! the fold above makes the language's published romanizations meet; the merges it adds, within that language only:
//!
//! | language | reading | merge | forced by |
//! |---|---|---|---|
//! | Ukrainian, Belarusian | г `h` | г ≡ х | national systems, BGN/PCGN and ALA-LC `h` for г, ISO 9 `h` for х |
//! | Ukrainian | и `y` | и ≡ ы of the Russian reading | ALA-LC, national, BGN/PCGN `y` (Ukrainian has no ы) |
//! | Ukrainian | ї `i`, є `ie` | ї ≡ і, є ≡ е after a glide | national `yi`/`ye` word-initially, `i`/`ie` elsewhere; ALA-LC `ï`, `i͡e` |
//! | Ukrainian | зг `zh` | зг ≡ ж | ALA-LC writes both `zh` (ж with a tie, dropped); the national `zgh` misses |
//! | Belarusian | ў `u` | ў ≡ у | ALA-LC and national `ŭ`, ISO 9 `ǔ`; BGN/PCGN `w` is a reading (`be-w`) |
//! | Bulgarian | ъ `a`, щ `sht` | ъ ≡ а, щ ≡ шт | streamlined 2009 and BGN/PCGN 2013 (`a`, `sht`), ISO 9 `ǎ`, scholarly `ă`; ALA-LC `ŭ` is a reading (`bg-u`) |
//! | Bulgarian | ь `y` (only before о) | ьо ≡ ё-like `e` | streamlined `yo`; ALA-LC and scholarly `ʹo` are readings (`bg-u`, `bg-sch`) |
//! | Serbian, Macedonian | ј `j`, љ `lj`, њ `nj` | ј ≡ й, љ ≡ ль, њ ≡ нь | Serbian Latin, ALA-LC, BGN/PCGN; ISO 9 `l̂ n̂ d̂` are readings (`sr-iso9`, `mk-iso9`) |
//! | Serbian | ђ `dj` (and Latin `đ` read `dj`) | ђ ≡ дј | Serbian Latin `đ`, ASCII `dj` (Djoković) |
//! | Macedonian | ѓ `g`, ќ `k`, ѕ `dz` | ѓ ≡ г, ќ ≡ к, ѕ ≡ дз | ALA-LC, ISO 9, BGN/PCGN 1981 `ǵ ḱ`; the official `gj kj` are a reading (`mk-j`) |
//!
//! Where one language's standards disagree on a letter beyond what the fold can reconcile, the other spelling is a
//! *reading* of the same language (the rows of `languages.tsv` after a language's first), never a change to the key:
//! Ukrainian г and и as ISO 9 and GOST write them (`uk-iso9`), as the 2007 passports (`uk-g`) and as DSTU
//! 9112:2021 (`uk-dstu`, ь as `j`); Belarusian г as ISO 9 (`be-g`). Russian text is read as before: none of these
//! tables applies to it, and ACCURACY.md counts what the other languages' readings of Russian Cyrillic cost.

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
    (*b"gh", b'g'),
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
const fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Letters written once when doubled: the vowels, and the consonants that digraphs and foreign spellings double
/// (see the module documentation).
#[inline]
const fn is_doubled_once(b: u8) -> bool {
    is_vowel(b) || matches!(b, b'c' | b's' | b'z' | b'h')
}

/// Whether the `u` of a `gu` whose following bytes are `rest` is French (Tourguéniev, Sergueï, Gueorgui: г before
/// е and и) and goes. Decided after the glides that follow, so that Russian гуе, which BGN/PCGN writes `guye` and
/// ALA-LC `gue`, goes the same way in every spelling (merge: гуе ≡ ге, гуё ≡ гё); a glide before another vowel (гуя)
/// keeps it.
///
/// When the `u` goes, so do the further u's and glides the decision looked past (each would be decided the same way
/// after the same `g`): `Some` of their length, which the caller skips, so that a long run of them costs linear time.
/// A `y` right after them, which the vowel made a й, is rewritten to `i` so that it stays one.
fn french_gu(rest: &mut [u8]) -> Option<usize> {
    // More u's, with or without glides between them, are written as this one (`uu`, ю after у `uiu`), so the
    // decision is made on what follows them.
    let mut skip = 0;
    loop {
        let glides = rest[skip..].iter().take_while(|&&c| matches!(c, b'i' | b'y' | b'j')).count();
        if rest.get(skip + glides) != Some(&b'u') {
            break;
        }
        skip += glides + 1;
    }
    let after = &mut rest[skip..];
    let run = after.iter().take_while(|&&c| matches!(c, b'i' | b'y' | b'j')).count();
    let goes = match after.get(run) {
        Some(b'e') => true,
        // A glide before o is ё, which the key reads as е.
        Some(b'o') => run > 0,
        Some(b'a' | b'u') => false,
        // и or й (any spelling) before a consonant or at the end.
        _ => run > 0,
    };
    if !goes {
        return None;
    }
    if after.first() == Some(&b'y') {
        after[0] = b'i';
    }
    Some(skip)
}

#[inline]
const fn is_glide(b: u8) -> bool {
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
            b'y' if out > 0 && (is_vowel(w[out - 1]) || w[out - 1] == b'c') => b = b'i',
            _ => {}
        }
        // French gu before e and i is г (Tourguéniev, Sergueï). Checked once the glides before the u are gone, so
        // that every spelling of гюе meets.
        if b == b'u' && out > 0 && w[out - 1] == b'g' {
            if let Some(skip) = french_gu(&mut w[i..]) {
                i += skip;
                continue;
            }
        }
        // A glide y before i goes (mosmetro and popular write здоровьице as zdorovyitse).
        if b == b'i' && out > 0 && w[out - 1] == b'y' {
            out -= 1;
        }
        if out > 0 && w[out - 1] == b && is_doubled_once(b) {
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
    word_end(&mut w[..out])
}

/// The last rewrites of a word, after pass 2; returns its new length. French -ine / -yne (Lénine, Poutine,
/// Soljénitsyne; ru-fr and the French passport convention write -ин / -ын so) lose the `e` in a word of five letters
/// or more: merge -ине ≡ -ин, -ыне ≡ -ын (Russian -ине and -ыне are case forms, в машине, о Ленине, that a title's
/// preposition keeps apart). Old French and English -off / -eff (Romanoff, Smirnoff, Zinovieff) are -ов / -ев:
/// merge final -офф ≡ -ов, which no Russian word ends in. Then -ов, -ова after `c` or `z` are -ев, -ева (ё written
/// `o` after ч and ж: Gorbatschow; see the module documentation).
#[inline]
fn word_end(w: &mut [u8]) -> usize {
    let mut n = w.len();
    match w {
        [_, _, .., b'i' | b'y', b'n', b'e'] => return n - 1,
        [.., b'o' | b'e', b'f', b'f'] => {
            w[n - 2] = b'v';
            n -= 1;
        }
        _ => {}
    }
    // Czech feminine -ová after a Russian -ов/-ев (Achmatovová, Cvetajevová): no Russian word ends in -овова.
    if let [.., b'o' | b'e', b'v', b'o', b'v', b'a'] = &w[..n] {
        w[n - 3] = b'a';
        n -= 2;
    }
    match &mut w[..n] {
        [.., b'c' | b'z', o @ b'o', b'v'] | [.., b'c' | b'z', o @ b'o', b'v', b'a'] => *o = b'e',
        _ => {}
    }
    n
}

/// The byte `digraphs` pushes for `b` (x → h, w → v), for every byte.
const MAP: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            b'x' => b'h',
            b'w' => b'v',
            // Not a rewrite of pass 1, which never looks at j: pass 2 reads every j as i (`glides`), and mapping it
            // here spares `glides_fast` the test on every byte.
            b'j' => b'i',
            b => b,
        };
        i += 1;
    }
    t
};

/// The byte `digraphs` pushes for `b` (x → h, w → v), with j already read as i as pass 2 reads it.
#[inline(always)]
pub(crate) fn map(b: u8) -> u8 {
    MAP[b as usize]
}

/// Shortens a reading (bytes through [`map`]) to one that pass 1 treats the same after any output: pushing either
/// one leaves the same output. It uses only rewrites that hold whatever comes before, because of the invariant that
/// the output never ends in a pattern:
///
/// * `sh`, `zh`, `ch` → `s`, `z`, `c`. Once `s`, `z` or `c` is pushed, the last byte is `s`, `z` or `c` (every rewrite
///   that can follow gives `s` or `c`), and an `h` after any of them is absorbed without changing it.
/// * `kh` → `h` and `ts`, `tz`, `tc` → `c`. No pattern ends in `k` or `t`, so they are appended as they are; then
///   the pair is rewritten to the second form, which meets the byte before just as pushing it directly would.
///
/// So ж `zh` → `z`, х `kh` → `h`, ц `ts` → `c`, ч `ch` → `c`, ш `sh` → `s`, щ `shch` → `sc`. Pass 1 is not
/// confluent (`tsc` gives `cc` left to right, `c` with `sc` first), so a reading cannot simply be run through
/// `digraphs` alone; the tests push every reading of the key table after many outputs both ways.
pub(crate) fn prefold(reading: &[u8]) -> Vec<u8> {
    let mut o: Vec<u8> = Vec::with_capacity(reading.len());
    for &b in reading {
        o.push(b);
        loop {
            match o[..] {
                [.., b's' | b'z' | b'c', b'h'] => {
                    o.pop();
                }
                [.., b'k', b'h'] => {
                    o.pop();
                    o.pop();
                    o.push(b'h');
                }
                [.., b't', b's' | b'z' | b'c'] => {
                    o.pop();
                    o.pop();
                    o.push(b'c');
                }
                _ => break,
            }
        }
    }
    o
}

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
const WORD_CAP: usize = 127;

/// Byte classes for [`glides_fast`].
const AEOU: u8 = 1;
/// `is_vowel`: a e i o u y.
const VOWEL: u8 = 2;
/// `is_glide`: i y.
const GLIDE: u8 = GLIDE_I | GLIDE_Y;
const GLIDE_I: u8 = 4;
const GLIDE_Y: u8 = 16;
/// `is_doubled_once`: doubles of these are written once.
const ONCE: u8 = 8;
/// The letter o.
const IS_O: u8 = 32;
/// The letter g.
const IS_G: u8 = 64;
/// The letter c.
const IS_C: u8 = 128;

const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if matches!(b, b'a' | b'e' | b'o' | b'u') {
            c |= AEOU;
        }
        if is_vowel(b) {
            c |= VOWEL;
        }
        if b == b'i' {
            c |= GLIDE_I;
        }
        if b == b'y' {
            c |= GLIDE_Y;
        }
        if b == b'o' {
            c |= IS_O;
        }
        if b == b'g' {
            c |= IS_G;
        }
        if b == b'c' {
            c |= IS_C;
        }
        if is_doubled_once(b) {
            c |= ONCE;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// For a byte `b` of pass 2, the [`CLASS`] bits of the byte before it that send it down the slow path of
/// [`glides_fast`]: those that make it drop that byte (a glide before a e o u, o before u, y before i), and a vowel
/// before y (which makes y an i).
const DROPS_AFTER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut m = 0;
        if matches!(b, b'a' | b'e' | b'o' | b'u') {
            m |= GLIDE;
        }
        if b == b'u' {
            m |= IS_O | IS_G;
        }
        if b == b'i' {
            m |= GLIDE_Y;
        }
        // Not a drop, but rare too: y after a vowel or c becomes i.
        if b == b'y' {
            m |= VOWEL | IS_C;
        }
        t[i] = m;
        i += 1;
    }
    t
};

/// [`glides`] over `w[1..end]`, with the last byte written kept in a register and one well-predicted branch per
/// byte: the rare bytes that drop something already written (a glide before a vowel, `ou`, `oiu`, `yi`) take a slow
/// path. `w[0]` is a sentinel 0 that stands for "no byte before". Returns the new end. It relies on an invariant of
/// `glides`' output: it never holds two glides in a row (`ii` and `yy` are written once, `y` before `i` is dropped,
/// `y` after a vowel becomes `i`), so the glide run that a vowel or the end of the word removes is at most one byte
/// long. Its input comes through [`map`], so it holds no `j` (pass 2 reads j as i). The tests check it against
/// `glides`.
#[inline]
fn glides_fast(w: &mut [u8], end: usize) -> usize {
    let mut out = 1usize;
    let mut i = 1usize;
    let mut p = 0u8; // w[out - 1]
    while i < end {
        let mut b = w[i];
        i += 1;
        let pc = CLASS[p as usize];
        // Integer arithmetic rather than `&&`, so that this stays one branch. A stale byte past `end` may look like
        // `u`; the slow path checks `i < end` again.
        let next = w.get(i).copied().unwrap_or(0);
        let ou = ((b ^ b'o') | (next ^ b'u')) == 0;
        let rare = (DROPS_AFTER[b as usize] & pc) | ou as u8;
        if rare != 0 {
            // y after a vowel is й; after c, ц + ы is ц + и.
            if b == b'y' && pc & (VOWEL | IS_C) != 0 {
                b = b'i';
            }
            // French ou, not after a glide.
            if b == b'o' && i < end && w[i] == b'u' && pc & GLIDE == 0 {
                b = b'u';
                i += 1;
            }
            // A glide before a e o u goes; a glide before o makes it e.
            if CLASS[b as usize] & AEOU != 0 && CLASS[p as usize] & GLIDE != 0 {
                if b == b'o' {
                    b = b'e';
                }
                out -= 1;
                p = w[out - 1];
            }
            // oiu → ou, like ou.
            if b == b'u' && p == b'o' {
                out -= 1;
                p = w[out - 1];
            }
            // French gu before e and i (after the glides before the u are gone).
            if b == b'u' && p == b'g' {
                if let Some(skip) = french_gu(&mut w[i..end]) {
                    i += skip;
                    continue;
                }
            }
            // y before i goes.
            if b == b'i' && p == b'y' {
                out -= 1;
                p = w[out - 1];
            }
        }
        // Doubles are written once.
        let dup = (p == b) & (CLASS[b as usize] & ONCE != 0);
        w[out] = b;
        out += !dup as usize;
        p = b;
    }
    // Word-final glide → i.
    if CLASS[p as usize] & GLIDE != 0 {
        w[out - 1] = b'i';
    }
    word_end(&mut w[1..out]) + 1
}

/// The bytes of a [`Word`]: `w[0]` is a sentinel 0, the word is `w[1..n]`.
pub(crate) type WordBuf = [u8; WORD_CAP + 1];

/// A zeroed [`WordBuf`].
pub(crate) fn word_buf() -> WordBuf {
    [0; WORD_CAP + 1]
}

/// One word being read by the fast key: pass 1 ([`digraphs`]) is applied as each byte arrives, pass 2
/// ([`glides_fast`]) when the word ends. The result equals [`fold_word`] on the same bytes.
///
/// The bytes live in a separate [`WordBuf`], so that this struct's fields stay in registers in the reading loop.
pub(crate) struct Word {
    n: usize,
    /// `ROW[w[n - 1]]`.
    row: u8,
}

impl Word {
    pub(crate) fn new() -> Word {
        Word { n: 1, row: 0 }
    }

    /// Appends one byte of the word's reading and rewrites the suffix as `digraphs` does. `None` if the word is
    /// longer than the buffer.
    #[inline(always)]
    pub(crate) fn push(&mut self, w: &mut WordBuf, b: u8) -> Option<()> {
        self.push_mapped(w, map(b))
    }

    /// [`Word::push`] for a byte already through [`map`].
    #[inline(always)]
    pub(crate) fn push_mapped(&mut self, w: &mut WordBuf, b: u8) -> Option<()> {
        let n = self.n;
        if n > WORD_CAP {
            return None;
        }
        // The output never ends in a pattern, so only the pair (last byte, b) can match; `row` is the last byte's
        // row of REWRITE, kept here so that the common case reads no byte back.
        let rep = REWRITE[self.row as usize][b as usize];
        if rep == 0 {
            w[n] = b;
            self.n = n + 1;
            self.row = ROW[b as usize];
        } else {
            self.rewrite(w, rep);
        }
        Some(())
    }

    /// The last byte is replaced by `rep`; then, while the output ends in a pattern, rewrite again. (The state
    /// goes to [`rewrite`] by value, so that `n` and `row` can stay in registers in the reading loop.)
    #[inline(always)]
    fn rewrite(&mut self, w: &mut WordBuf, rep: u8) {
        let (n, last) = rewrite(w, self.n, rep);
        self.n = n;
        self.row = ROW[last as usize];
    }

    /// Ends the word: runs pass 2 and appends the folded word to `out`. `None` if the bytes are not UTF-8 (they
    /// always are: only whole characters are pushed, and the fold never splits one).
    #[inline(always)]
    pub(crate) fn flush(&mut self, w: &mut WordBuf, out: &mut String) -> Option<()> {
        if self.n == 1 {
            return Some(());
        }
        let n = self.n;
        self.n = 1;
        self.row = 0;
        emit(w, n, out)
    }
}

/// [`Word::rewrite`]: returns the new length and last byte.
#[cold]
#[inline(never)]
fn rewrite(w: &mut WordBuf, mut n: usize, mut rep: u8) -> (usize, u8) {
    loop {
        w[n - 1] = rep;
        // The sentinel w[0] = 0 starts no pattern.
        let next = REWRITE[ROW[w[n - 2] as usize] as usize][rep as usize];
        if next == 0 {
            return (n, rep);
        }
        n -= 1;
        rep = next;
    }
}

/// [`Word::flush`]: pass 2 over `w[1..n]`, then the word is appended to `out`.
#[inline(never)]
fn emit(w: &mut WordBuf, n: usize, out: &mut String) -> Option<()> {
    let n = glides_fast(w, n);
    let word = &w[1..n];
    if word.is_ascii() {
        // Pushed a byte at a time: for a word of a few bytes, cheaper than `from_utf8`'s checks. The mask tells the
        // compiler that each char is one byte (it changes nothing: the bytes are ASCII).
        out.reserve(word.len());
        for &b in word {
            out.push(char::from(b & 0x7F));
        }
    } else {
        // Whole characters only (see `flush`).
        out.push_str(std::str::from_utf8(word).ok()?);
    }
    Some(())
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

    /// `glides_fast` equals `glides` on every word of up to 5 bytes over the letters that matter to it (`s` is
    /// written once when doubled, `n` is not; `g` for French `gu`, `f` for -off), and on random longer ones.
    #[test]
    fn glides_fast_equals_glides() {
        let alphabet = b"aeiouyjfgkns1\xd0";
        let check = |word: &[u8]| {
            let mut a = word.to_vec();
            let n = glides(&mut a);
            // What pass 1 hands over: through `map`, so j is already i.
            let mut b = vec![0u8];
            b.extend(word.iter().map(|&c| map(c)));
            let m = glides_fast(&mut b, word.len() + 1);
            assert_eq!(&a[..n], &b[1..m], "{:?}", String::from_utf8_lossy(word));
        };
        let mut word = Vec::new();
        for len in 0..=5u32 {
            for mut k in 0..(alphabet.len() as u32).pow(len) {
                word.clear();
                for _ in 0..len {
                    word.push(alphabet[(k % alphabet.len() as u32) as usize]);
                    k /= alphabet.len() as u32;
                }
                check(&word);
            }
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 24) as usize;
            word.clear();
            for k in 0..len {
                word.push(alphabet[((x >> (k * 2 % 60)) % alphabet.len() as u64) as usize]);
            }
            check(&word);
        }
    }

    /// Pushing a reading and its [`prefold`] gives the same word after every output of up to 4 bytes over the
    /// letters of the patterns (and a vowel, a digit), for every reading of the key table and every 1–3 byte string
    /// over the same letters.
    #[test]
    fn prefold_is_invisible_to_pass_1() {
        let alphabet = b"szckthxwa1";
        let strings = |max: u32| {
            let mut all = vec![Vec::new()];
            for len in 1..=max {
                for mut k in 0..(alphabet.len() as u32).pow(len) {
                    let mut s = Vec::new();
                    for _ in 0..len {
                        s.push(alphabet[(k % alphabet.len() as u32) as usize]);
                        k /= alphabet.len() as u32;
                    }
                    all.push(s);
                }
            }
            all
        };
        let mut readings: Vec<Vec<u8>> = strings(3);
        let table = crate::Scheme::parse("tables/key.tbl", super::super::KEY_TABLE).unwrap();
        readings.extend(table.rules().map(|r| r.target.bytes().collect()));
        let pass1 = |bytes: &[u8]| {
            let mut v = bytes.to_vec();
            let n = digraphs(&mut v);
            v.truncate(n);
            v
        };
        let mut shortened = 0;
        for reading in &readings {
            let mapped: Vec<u8> = reading.iter().map(|&b| map(b)).collect();
            let short = prefold(&mapped);
            shortened += (short.len() < mapped.len()) as usize;
            for ctx in strings(4) {
                let a = pass1(&[&ctx[..], &mapped[..]].concat());
                let b = pass1(&[&ctx[..], &short[..]].concat());
                assert_eq!(a, b, "{:?} after {:?}", String::from_utf8_lossy(reading), String::from_utf8_lossy(&ctx));
            }
        }
        assert!(shortened > 6);
        assert_eq!(prefold(b"shch"), b"sc");
        assert_eq!(prefold(b"kh"), b"h");
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

//! The compiled form of a table and the longest-match romanizer that runs it.
//!
//! Rules are grouped by the (lower-case) first letter of their source. For the Cyrillic block U+0400–U+04FF, where
//! nearly all lookups land, the group is found by direct indexing; anything else goes through a sorted side table.
//! Within a group, rules are ordered longest source first and then in file order, so the first rule whose source
//! and conditions match is the one the table format promises (longest match, first listed condition).
//! Text with no rule is copied in runs, so Latin and punctuation cost a byte scan, not a lookup per character.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::parse::{Cond, RuleDef, TableDef};

/// How the U+0361 double-width tie of ALA-LC targets is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ties {
    /// U+0361 COMBINING DOUBLE INVERTED BREVE between the two letters: `t͡s`.
    #[default]
    Combining,
    /// The MARC-8 ligature halves U+FE20 after the first letter and U+FE21 after the second, as catalog records
    /// converted from MARC-8 carry them: `t︠s︡`.
    Marc8Halves,
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub source: Box<[char]>,
    /// Target as written (lower case), then with the first cased letter upper, then all upper.
    pub lower: [String; 2],
    pub title: [String; 2],
    pub upper: [String; 2],
    pub conds: Box<[Cond]>,
}

const CYR_BASE: u32 = 0x400;
const CYR_LEN: usize = 0x100;

#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    rules: Vec<Rule>,
    /// For each first letter, a range into `order`.
    cyr: Box<[(u32, u32)]>,
    other: Vec<(char, u32, u32)>,
    order: Vec<u32>,
    classes: Vec<Vec<char>>,
    /// `starts(c)` for each ASCII character.
    ascii_starts: [bool; 128],
    /// For each character of U+0400–U+04FF: its case and what the fast path does with it.
    cyr_fast: Box<[Fast]>,
    /// For each class, `in_class` of each character of U+0400–U+04FF, as bits.
    class_cyr: Vec<[u64; CYR_LEN / 64]>,
    /// The context-table romanizer of [`Matcher::run_lane`]; `None` if the table has more than 64 signatures (then
    /// [`Matcher::run_fast`] runs).
    lane: Option<Box<Lane>>,
    /// The number of the table's own rules (the first ones); the others come from its fallback.
    own: u32,
}

/// A signature is what the rules can tell about a neighbouring character: whether it is a letter, in which classes
/// it is, and which second letter of a longer source it is (if any). Signature 0 is that of no character (and of
/// any non-letter that is not such a second letter). Characters of ASCII and the
/// Cyrillic block have a precomputed signature; any other character has none and takes the general path.
const NO_SIG: u8 = u8::MAX;

/// The lane's units: ASCII (0–127), the Cyrillic block (128–383), the end of the text, and any other character.
const UNIT_CYR: usize = 128;
const UNIT_END: usize = UNIT_CYR + CYR_LEN;
const UNIT_FOREIGN: usize = UNIT_END + 1;
/// The lane's unit array is `UNIT_MASK + 1` long (past `UNIT_FOREIGN`, unused).
const UNIT_MASK: usize = 511;

/// The lane writes each target as one [`WIDE`]-byte window: up to `WIDE - 1` bytes of target, and its length in the
/// last byte. An outcome with a longer target is left to `step`.
const WIDE: usize = 16;

/// In a decision or pair table: `step` decides (a source of three or more letters may match, a target is too long
/// for a window, or a neighbour has no signature).
const SLOW: u8 = u8::MAX;
/// In a decision table, `PAIR + k` sends the letter to its `k`-th pair table (the next character is the second
/// letter of a two-letter source); below `PAIR`, the entry is the outcome of the letter alone.
const PAIR: u8 = 64;
/// In a pair table, `TWO | k` is the two-letter outcome `k` (both letters consumed); below `PAIR`, the outcome of the
/// first letter alone.
const TWO: u8 = 0x80;

/// The case of the target to write (0 lower, 1 title, 2 upper), by the case logic of `step` for a one-letter source
/// whose neighbours are in ASCII or the Cyrillic block (which have no combining marks in the sense of `is_mark`).
/// Index: `(case kind of the letter * 2 + previous character upper) * 4 + cb of the next character`, where the case
/// kind is 0 lower, 1 upper, 2 neither, and `cb` has bit 0 for alphabetic and bit 1 for upper case.
const CASE: [u8; 32] = {
    // 24 entries used; 32 so that an index masked with 31 needs no bounds check.
    let mut t = [0u8; 32];
    let mut i = 0;
    while i < 24 {
        let (kind, prev_up, alpha, up) = (i / 8, i / 4 % 2 == 1, i & 1 != 0, i & 2 != 0);
        t[i] = match kind {
            0 => 0,
            // An upper-case letter: the case of the next letter, or else of the previous character.
            1 => {
                if (alpha && up) || (!alpha && prev_up) {
                    2
                } else {
                    1
                }
            }
            // A caseless source between capitals (or a capital and a non-letter) is written in capitals.
            _ => {
                if prev_up && (!alpha || up) {
                    2
                } else {
                    0
                }
            }
        };
        i += 1;
    }
    t
};

/// One character as the lane sees it (see [`Lane`]).
#[derive(Clone, Copy, Debug, Default)]
struct Unit {
    /// Its context signature (see [`NO_SIG`]); `nsig` for a character outside the units (a column of `SLOW`).
    sig: u8,
    /// Bit 0: alphabetic; bit 1: upper case.
    cb: u8,
    /// 0 lower case, 8 upper case, 16 neither (the case kind of [`CASE`] times 8).
    kind8: u8,
    /// 4 if upper case, else 0 (as the previous character in [`CASE`]).
    up4: u8,
    /// `sig * (nsig + 1)`: its row in a decision table, as the previous character.
    row: u16,
    /// A lower-case letter whose one rule has no conditions (or that no rule starts with): its first outcome, lower
    /// case, is written whatever its neighbours are.
    plain: bool,
    /// Offset of its decision table in [`Lane::dec`].
    dec: u32,
    /// Index of its first outcome (six windows each in [`Lane::win`]: ties, then case).
    out: u16,
    /// Index of its first pair table (each `nsig + 1` long) in [`Lane::pairs`].
    pair: u16,
}

/// The context-table romanizer, built at first use from the compiled rules when the table has at most 64
/// signatures. Each letter of the Cyrillic block has outcomes (its rules in `find`'s order, then the letter copied)
/// and a decision table indexed by the signatures of the previous and the next character, computed once per pair of
/// signatures with the reference predicates on a representative character. When the next character is the second
/// letter of one of the letter's two-letter sources, the decision sends it to a pair table indexed by the
/// signature of the character after that. Letters whose outcome never depends on context share one table.
#[derive(Clone, Debug)]
struct Lane {
    /// Indexed by a masked index ([`UNIT_MASK`]), so that the index needs no bounds check.
    units: Box<[Unit; UNIT_MASK + 1]>,
    /// For each byte starting a character: the index of its unit, if the byte is ASCII; the index of the first unit
    /// of the 64 it leads (added to the low 6 bits of the next byte, the mask), if it leads a character of the
    /// Cyrillic block; `UNIT_FOREIGN` otherwise. 0xFF (never in UTF-8) stands for the end of the text.
    lead: [(u16, u8); 256],
    nsig: usize,
    /// Decision tables, `(nsig + 1) * (nsig + 1)`: row and column `nsig` are a neighbour without a signature (all
    /// `SLOW`). Table 0 (all outcome 0 but that row and column) is shared by letters with one rule and no context.
    dec: Box<[u8]>,
    pairs: Box<[u8]>,
    /// For each outcome, ties, then case (lower, title, upper): its target, then its length in the last byte.
    win: Box<[[u8; WIDE]]>,
    /// The second letters of the longer sources (a character outside the units is given signature 0 only if it is
    /// not a letter and not one of these).
    seconds: Box<[char]>,
    /// Whether [`Matcher::run_lane`] writes plain letters (see [`Unit::plain`]) before looking at the next character
    /// (decided from the table's shape when the lane is built).
    plain_first: bool,
}

impl Lane {
    /// The lane of a matcher, or `None` if it has too many outcomes or pair tables for the 16-bit indices.
    fn build(m: &Matcher, reps: &[Option<char>], unit_sigs: &[u8], seconds: Box<[char]>) -> Option<Lane> {
        let nsig = reps.len();
        let row = nsig + 1;
        let side = row * row;
        let mut dec = vec![SLOW; side];
        for p in 0..nsig {
            dec[p * row..p * row + nsig].fill(0);
        }
        let mut pairs: Vec<u8> = Vec::new();
        let mut win: Vec<[u8; WIDE]> = Vec::new();
        let mut units = Vec::with_capacity(UNIT_FOREIGN + 1);
        for (i, &sig) in unit_sigs.iter().chain(&[nsig as u8]).enumerate() {
            let c = match i {
                _ if i < UNIT_CYR => char::from_u32(i as u32),
                _ if i < UNIT_END => char::from_u32(CYR_BASE + (i - UNIT_CYR) as u32),
                _ => None,
            };
            let mut unit = Unit {
                sig,
                cb: c.map_or(0, |c| c.is_alphabetic() as u8 | (c.is_uppercase() as u8) << 1),
                kind8: c.map_or(0, |c| {
                    if c.is_lowercase() {
                        0
                    } else if c.is_uppercase() {
                        8
                    } else {
                        16
                    }
                }),
                up4: c.map_or(0, |c| c.is_uppercase() as u8 * 4),
                row: (sig as usize * row) as u16,
                dec: 0,
                out: u16::try_from(win.len() / 6).ok()?,
                pair: u16::try_from(pairs.len() / row).ok()?,
                plain: false,
            };
            // ASCII is copied in runs or goes to `step` when a rule starts with it: only the Cyrillic block has
            // outcomes.
            let Some(c) = c.filter(|_| (UNIT_CYR..UNIT_END).contains(&i)) else {
                units.push(unit);
                continue;
            };
            let group: Vec<&Rule> = m.group(lower(c)).iter().map(|&ri| &m.rules[ri as usize]).collect();
            // The outcomes: each rule, then the letter copied; `fits[k]` if every target of outcome `k` fits a window.
            let mut fits = Vec::new();
            let copy = c.to_string();
            let targets = group
                .iter()
                .map(|r| [&r.lower[0], &r.title[0], &r.upper[0], &r.lower[1], &r.title[1], &r.upper[1]])
                .chain([[&copy, &copy, &copy, &copy, &copy, &copy]]);
            for six in targets {
                fits.push(six.iter().all(|t| t.len() < WIDE));
                for t in six {
                    let mut w = [0u8; WIDE];
                    if t.len() < WIDE {
                        w[..t.len()].copy_from_slice(t.as_bytes());
                        w[WIDE - 1] = t.len() as u8;
                    }
                    win.push(w);
                }
            }
            if group.len() + 1 >= PAIR as usize {
                // Too many rules for the table's outcome indices: every entry is `SLOW`.
                unit.dec = dec.len() as u32;
                dec.extend(std::iter::repeat_n(SLOW, side));
                units.push(unit);
                continue;
            }
            let outcome = |k: usize| if fits[k] { k as u8 } else { SLOW };
            // The first one-letter rule whose conditions hold between `before` and `after`, or the letter copied.
            let one = |before: Option<char>, after: Option<char>| {
                let k = group
                    .iter()
                    .position(|r| r.source.len() == 1 && r.conds.iter().all(|&k| m.holds::<false>(k, before, after)))
                    .unwrap_or(group.len());
                outcome(k)
            };
            let mut table = vec![SLOW; side];
            let mut mine: Vec<Vec<u8>> = Vec::new();
            for (p, &before) in reps.iter().enumerate() {
                for (n, &after) in reps.iter().enumerate() {
                    // The longer sources whose second letter is the next character.
                    let longer: Vec<usize> = (0..group.len())
                        .filter(|&k| group[k].source.len() > 1 && after.is_some_and(|x| lower(x) == group[k].source[1]))
                        .collect();
                    table[p * row + n] = if longer.is_empty() {
                        one(before, after)
                    } else if longer.iter().any(|&k| group[k].source.len() > 2) {
                        SLOW
                    } else {
                        // A pair table over the signature of the character after the second letter: the first
                        // two-letter rule whose conditions hold, or else the letter alone.
                        let alone = one(before, after);
                        let q: Vec<u8> = reps
                            .iter()
                            .map(|&after2| {
                                let two = longer
                                    .iter()
                                    .find(|&&k| group[k].conds.iter().all(|&c| m.holds::<false>(c, before, after2)));
                                match two {
                                    Some(&k) if fits[k] => TWO | k as u8,
                                    Some(_) => SLOW,
                                    None => alone,
                                }
                            })
                            .chain([SLOW])
                            .collect();
                        let k = mine.iter().position(|x| *x == q).unwrap_or_else(|| {
                            mine.push(q);
                            mine.len() - 1
                        });
                        u8::try_from(PAIR as usize + k).ok().filter(|&d| d < SLOW).unwrap_or(SLOW)
                    };
                }
            }
            if table[..] != dec[..side] {
                unit.dec = dec.len() as u32;
                dec.extend_from_slice(&table);
            } else {
                unit.plain = unit.kind8 == 0 && fits[0];
            }
            for q in mine {
                pairs.extend_from_slice(&q);
            }
            units.push(unit);
        }
        let lead: [(u16, u8); 256] = std::array::from_fn(|b| match b {
            0..=0x7F => (b as u16, 0),
            0xD0..=0xD3 => ((UNIT_CYR + (b & 3) * 64) as u16, 0x3F),
            0xFF => (UNIT_END as u16, 0),
            _ => (UNIT_FOREIGN as u16, 0),
        });
        // Writing plain letters before looking at the next character saves the decision for most letters, but
        // costs a mispredicted branch whenever the text changes between plain letters and the others. When more
        // than a quarter of the lower-case letters that rules start with are not plain, that costs more than it
        // saves: measured with benches/romanize_cpu.rs on the bench corpus, plain-first was 1.0–1.4 times as fast
        // for the built-in Russian tables with up to 8 of 37 such letters, and 0.8 times for ru-fr with 12 of 37 (see
        // record/2026-11-benchmarks-history.md, "Context schemes, third pass"). A heuristic on the table's shape: both
        // loops give the same output.
        let (mut lettered, mut plain) = (0, 0);
        for (i, u) in units.iter().enumerate().take(UNIT_END).skip(UNIT_CYR) {
            let c = char::from_u32(CYR_BASE + (i - UNIT_CYR) as u32).unwrap_or('\0');
            // Only letters of the table's own rules count: the fallback's hundreds of letters (from other
            // alphabets) are rare in the text a table is chosen for.
            if c.is_lowercase() && m.group(c).iter().any(|&ri| ri < m.own) {
                lettered += 1;
                plain += u.plain as usize;
            }
        }
        let plain_first = (lettered - plain) * 4 <= lettered;
        Some(Lane {
            units: {
                units.resize(UNIT_MASK + 1, Unit::default());
                units.into_boxed_slice().try_into().ok()?
            },
            lead,
            nsig,
            dec: dec.into_boxed_slice(),
            pairs: pairs.into_boxed_slice(),
            win: win.into_boxed_slice(),
            seconds,
            plain_first,
        })
    }

    /// The unit of the character at byte `at` (`UNIT_END` past the end, `UNIT_FOREIGN` outside ASCII and the
    /// Cyrillic block) and its length in bytes, without a branch on its kind.
    #[inline(always)]
    fn unit_at(&self, bytes: &[u8], at: usize) -> (Unit, usize) {
        let (b0, b1) = match bytes.get(at..at + 2) {
            Some(&[b0, b1]) => (b0, b1),
            _ => (bytes.get(at).copied().unwrap_or(0xFF), 0),
        };
        self.unit_of(b0, b1)
    }

    /// The unit of the character whose first bytes are `b0` and `b1` (`b1` is ignored unless `b0` leads a
    /// character of the Cyrillic block), and its length in bytes.
    #[inline(always)]
    fn unit_of(&self, b0: u8, b1: u8) -> (Unit, usize) {
        let (base, mask) = self.lead[b0 as usize];
        // ASCII is one byte, the Cyrillic block two; a foreign character is never consumed with the letter.
        ((self.units[(base as usize + (b1 & mask) as usize) & UNIT_MASK]), 1 + (mask & 1) as usize)
    }

    /// The unit of a character outside ASCII and the Cyrillic block, if it has signature 0.
    #[cold]
    fn foreign(&self, m: &Matcher, c: char) -> Option<Unit> {
        if m.alpha(c) || self.seconds.contains(&lower(c)) {
            return None;
        }
        Some(Unit { cb: (m.up(c) as u8) << 1, up4: m.up(c) as u8 * 4, ..Unit::default() })
    }

    /// The row in a decision table (row `nsig`, all `SLOW`, if it has no signature) and 4 if upper case, of the
    /// character before byte `pos`.
    #[inline]
    fn before(&self, m: &Matcher, input: &str, pos: usize) -> (usize, usize) {
        let Some(c) = input.get(..pos).and_then(|r| r.chars().next_back()) else { return (0, 0) };
        let u = match c as u32 {
            u @ 0..=0x7F => Some(self.units[u as usize]),
            u @ CYR_BASE..=0x4FF => Some(self.units[UNIT_CYR + (u - CYR_BASE) as usize]),
            _ => self.foreign(m, c),
        };
        match u {
            Some(u) => (u.row as usize, u.up4 as usize),
            None => (self.nsig * (self.nsig + 1), m.up(c) as usize * 4),
        }
    }
}

/// Bytes of output the lane gathers before they are appended to the `String`.
const CHUNK: usize = 512;

/// Appends the first `n` bytes of the lane's output buffer to `out` and returns 0 (the new length of the buffer).
/// The buffer holds whole targets and characters, so it is always UTF-8. Gathering the output there with
/// fixed-width copies, then checking and appending each chunk once, costs less than a `push_str` per target (a
/// `memcpy` call, or a char-boundary check in `String::truncate` that waits on the store just made).
#[inline]
fn flush(buf: &[u8], n: usize, out: &mut String) -> usize {
    match std::str::from_utf8(&buf[..n]) {
        Ok(s) => out.push_str(s),
        // Not reached: the buffer holds whole targets and characters. The lossy conversion avoids a panic path.
        Err(_) => out.push_str(&String::from_utf8_lossy(&buf[..n])),
    }
    0
}

/// Appends one window to the lane's output buffer with a fixed-width copy (its last byte is the target's length, so
/// only that much of it counts), flushing the buffer once it holds a chunk. Returns the buffer's new length.
#[inline(always)]
fn put(buf: &mut [u8; CHUNK + WIDE], n: usize, w: &[u8; WIDE], out: &mut String) -> usize {
    buf[n..n + WIDE].copy_from_slice(w);
    let n = n + w[WIDE - 1] as usize;
    if n > CHUNK {
        flush(buf, n, out)
    } else {
        n
    }
}

/// What [`Matcher::run_fast`] knows about one character of the Cyrillic block, precomputed from the rules and from
/// `char`'s own case predicates.
#[derive(Clone, Debug)]
struct Fast {
    /// `c.is_uppercase()`, `c.is_lowercase()`, `c.is_alphabetic()`.
    up: bool,
    low: bool,
    alpha: bool,
    kind: FastKind,
}

#[derive(Clone, Debug)]
enum FastKind {
    /// No rule starts with this letter: it is copied.
    Copy,
    /// The letter's only rule is one letter long and unconditional: its targets, indexed by ties then by case
    /// (lower, title, upper).
    Simple([[Piece; 3]; 2]),
    /// Any other letter: its rules in `find`'s order.
    Conditional(Box<[Alt]>),
}

/// One rule of a [`FastKind::Conditional`] letter.
#[derive(Clone, Debug)]
struct Alt {
    /// The source after its first letter (lower case).
    more: Box<[char]>,
    conds: Box<[Cond]>,
    /// The targets, indexed by ties then by case (lower, title, upper).
    pieces: [[Piece; 3]; 2],
}

/// One precomputed target.
#[derive(Clone, Debug)]
enum Piece {
    /// A one-character target, pushed as a `char`.
    One(char),
    /// Any other target.
    Str(Box<str>),
}

impl Piece {
    fn of(s: &str) -> Piece {
        let mut cs = s.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) => Piece::One(c),
            _ => Piece::Str(s.into()),
        }
    }

    #[inline(always)]
    fn push_to(&self, out: &mut String) {
        match self {
            Piece::One(c) => out.push(*c),
            Piece::Str(s) => out.push_str(s),
        }
    }
}

/// Lower-cases one character the way the matcher compares them (simple case mapping).
#[inline]
pub(crate) fn lower(c: char) -> char {
    match c {
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        'а'..='я' | 'ѐ'..='џ' => c,
        '\0'..='\u{7f}' => c.to_ascii_lowercase(),
        _ => {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        }
    }
}

/// Title case of a target: the first cased letter upper, and with it a letter tied to it by U+0361, as LC writes
/// capitals of tied pairs (Цветаева → T͡Svetaeva, Юлия → I͡Ulii͡a).
fn upper_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut state = 0; // 0: before the first cased letter; 1: just after it (a tie may follow); 2: after the tie; 3: done
    for c in s.chars() {
        match state {
            0 if c.is_lowercase() => {
                out.extend(c.to_uppercase());
                state = 1;
                continue;
            }
            1 if c == '\u{361}' => state = 2,
            1 if is_mark(c) => {}
            1 => state = 3,
            2 if c.is_lowercase() => {
                out.extend(c.to_uppercase());
                state = 3;
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out.nfc().collect()
}

fn upper_all(s: &str) -> String {
    s.chars().flat_map(char::to_uppercase).nfc().collect()
}

/// Rewrites each `x͡y` (U+0361) as `x︠y︡` (U+FE20 after the first letter, U+FE21 after the second letter and
/// its marks).
pub(crate) fn to_marc8_ties(s: &str) -> String {
    if !s.contains('\u{361}') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\u{361}' {
            out.push('\u{FE20}');
            i += 1;
            // Copy the next base letter and its combining marks, then close the tie.
            if i < chars.len() {
                out.push(chars[i]);
                i += 1;
                while i < chars.len() && is_mark(chars[i]) && chars[i] != '\u{361}' {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            out.push('\u{FE21}');
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A Cyrillic letter (not a combining mark): what [`Matcher::first_unmapped`] reports.
pub(crate) fn is_cyrillic_letter(c: char) -> bool {
    crate::script::Script::of(c) == crate::script::Script::Cyrillic && c.is_alphabetic() && !is_mark(c)
}

/// Combining marks of the blocks romanization uses (a full General_Category=M test is not needed here).
#[inline]
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

impl Matcher {
    /// Compiles `rules` (source, target, conditions); the first `own` are the table's own, the rest its fallback's
    /// (they only weigh less in a speed heuristic of the lane).
    pub(crate) fn new(rules: Vec<(Vec<char>, String, Vec<Cond>)>, classes: Vec<Vec<char>>, own: usize) -> Matcher {
        let rules: Vec<Rule> = rules
            .into_iter()
            .map(|(source, target, conds)| {
                let title = upper_first(&target);
                let upper = upper_all(&target);
                // Slot 0: ties as U+0361; slot 1: the MARC-8 halves (see `Ties`).
                let both = |s: String| {
                    let marc8 = to_marc8_ties(&s);
                    [s, marc8]
                };
                Rule {
                    source: source.into_boxed_slice(),
                    lower: both(target),
                    title: both(title),
                    upper: both(upper),
                    conds: conds.into_boxed_slice(),
                }
            })
            .collect();
        let mut idx: Vec<u32> = (0..rules.len() as u32).collect();
        // First letter, then longest source first, then file order (stable sort keeps it).
        idx.sort_by(|&a, &b| {
            let (ra, rb) = (&rules[a as usize], &rules[b as usize]);
            ra.source[0].cmp(&rb.source[0]).then(rb.source.len().cmp(&ra.source.len()))
        });
        let mut cyr = vec![(0u32, 0u32); CYR_LEN].into_boxed_slice();
        let mut other = Vec::new();
        let mut i = 0;
        while i < idx.len() {
            let first = rules[idx[i] as usize].source[0];
            let mut j = i;
            while j < idx.len() && rules[idx[j] as usize].source[0] == first {
                j += 1;
            }
            let off = (first as u32).wrapping_sub(CYR_BASE) as usize;
            if off < CYR_LEN {
                cyr[off] = (i as u32, j as u32);
            } else {
                other.push((first, i as u32, j as u32));
            }
            i = j;
        }
        other.sort_by_key(|e| e.0);
        let mut m = Matcher {
            rules,
            cyr,
            other,
            order: idx,
            classes,
            ascii_starts: [false; 128],
            cyr_fast: Box::new([]),
            class_cyr: Vec::new(),
            lane: None,
            own: own as u32,
        };
        // Context signatures of ASCII and the Cyrillic block, with a representative character of each (`None` for
        // signature 0), by the reference predicates.
        // The second letters of the longer sources are part of the signature too, so that a table can tell when a
        // longer source might match.
        let mut seconds: Vec<char> = m.rules.iter().filter_map(|r| r.source.get(1).copied()).collect();
        seconds.sort_unstable();
        seconds.dedup();
        let sig_of = |m: &Matcher, c: Option<char>| -> Vec<bool> {
            let mut v = vec![c.is_some_and(|c| c.is_alphabetic())];
            v.extend((0..m.classes.len()).map(|k| m.in_class::<false>(k, c)));
            v.extend(seconds.iter().map(|&x| c.is_some_and(|c| lower(c) == x)));
            v
        };
        let mut sigs: Vec<(Vec<bool>, Option<char>)> = vec![(sig_of(&m, None), None)];
        let mut char_sig = |m: &Matcher, c: char| -> u8 {
            let s = sig_of(m, Some(c));
            let k = match sigs.iter().position(|(x, _)| *x == s) {
                Some(k) => k,
                None => {
                    sigs.push((s, Some(c)));
                    sigs.len() - 1
                }
            };
            u8::try_from(k).ok().filter(|&k| k < 64).unwrap_or(NO_SIG)
        };
        let ascii_sig: Vec<u8> = (0..128u8).map(|b| char_sig(&m, b as char)).collect();
        let cyr_sig: Vec<u8> = (CYR_BASE..CYR_BASE + CYR_LEN as u32)
            .map(|u| char::from_u32(u).map_or(NO_SIG, |c| char_sig(&m, c)))
            .collect();
        // With more than 64 signatures no lane is built.
        let too_many = sigs.len() > 64;
        for b in 0..128u8 {
            m.ascii_starts[b as usize] = !m.group(lower(b as char)).is_empty();
        }
        let cyr_fast: Box<[Fast]> = (CYR_BASE..CYR_BASE + CYR_LEN as u32)
            .map(|u| {
                let c = char::from_u32(u).unwrap_or('\0');
                let group = m.group(lower(c));
                let kind = match group {
                    [] => FastKind::Copy,
                    &[ri] if m.rules[ri as usize].source.len() == 1 && m.rules[ri as usize].conds.is_empty() => {
                        let r = &m.rules[ri as usize];
                        let pieces =
                            |t: usize| [Piece::of(&r.lower[t]), Piece::of(&r.title[t]), Piece::of(&r.upper[t])];
                        FastKind::Simple([pieces(0), pieces(1)])
                    }
                    // Otherwise the rules of the group in `find`'s order: the first whose source matches and whose
                    // conditions hold fires.
                    group => {
                        let alts: Box<[Alt]> = group
                            .iter()
                            .map(|&ri| {
                                let r = &m.rules[ri as usize];
                                let pieces =
                                    |t: usize| [Piece::of(&r.lower[t]), Piece::of(&r.title[t]), Piece::of(&r.upper[t])];
                                Alt {
                                    more: r.source[1..].into(),
                                    conds: r.conds.clone(),
                                    pieces: [pieces(0), pieces(1)],
                                }
                            })
                            .collect();
                        FastKind::Conditional(alts)
                    }
                };
                Fast { up: c.is_uppercase(), low: c.is_lowercase(), alpha: c.is_alphabetic(), kind }
            })
            .collect();
        m.cyr_fast = cyr_fast;
        m.class_cyr = (0..m.classes.len())
            .map(|k| {
                let mut bits = [0u64; CYR_LEN / 64];
                for u in CYR_BASE..CYR_BASE + CYR_LEN as u32 {
                    let c = char::from_u32(u);
                    if m.in_class::<false>(k, c) {
                        let i = (u - CYR_BASE) as usize;
                        bits[i / 64] |= 1 << (i % 64);
                    }
                }
                bits
            })
            .collect();
        if !too_many {
            let reps: Vec<Option<char>> = sigs.iter().map(|(_, c)| *c).collect();
            let unit_sigs: Vec<u8> = ascii_sig.iter().chain(&cyr_sig).copied().chain([0]).collect();
            m.lane = Lane::build(&m, &reps, &unit_sigs, seconds.into_boxed_slice()).map(Box::new);
        }
        m
    }

    /// `c.is_uppercase()`, from tables for ASCII and the Cyrillic block.
    #[inline(always)]
    fn up(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else if let Some(f) = self.cyr_fast.get((c as u32).wrapping_sub(CYR_BASE) as usize) {
            f.up
        } else {
            c.is_uppercase()
        }
    }

    /// `c.is_lowercase()`, from tables for ASCII and the Cyrillic block.
    #[inline(always)]
    fn low(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_lowercase()
        } else if let Some(f) = self.cyr_fast.get((c as u32).wrapping_sub(CYR_BASE) as usize) {
            f.low
        } else {
            c.is_lowercase()
        }
    }

    /// `c.is_alphabetic()`, from tables for ASCII and the Cyrillic block.
    #[inline(always)]
    fn alpha(&self, c: char) -> bool {
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else if let Some(f) = self.cyr_fast.get((c as u32).wrapping_sub(CYR_BASE) as usize) {
            f.alpha
        } else {
            c.is_alphabetic()
        }
    }

    #[inline]
    fn group(&self, first_lower: char) -> &[u32] {
        let off = (first_lower as u32).wrapping_sub(CYR_BASE) as usize;
        let (a, b) = if off < CYR_LEN {
            self.cyr[off]
        } else {
            match self.other.binary_search_by_key(&first_lower, |e| e.0) {
                Ok(k) => (self.other[k].1, self.other[k].2),
                Err(_) => (0, 0),
            }
        };
        &self.order[a as usize..b as usize]
    }

    /// True if some rule could start at `c` (upper or lower case).
    #[cfg(test)]
    #[inline]
    pub(crate) fn starts(&self, c: char) -> bool {
        !self.group(lower(c)).is_empty()
    }

    /// The case predicates the matcher uses: `char`'s own when `FAST` is false (the reference), the tables above
    /// when it is true. Both give the same answers.
    #[inline(always)]
    fn is_up<const FAST: bool>(&self, c: char) -> bool {
        if FAST {
            self.up(c)
        } else {
            c.is_uppercase()
        }
    }

    #[inline(always)]
    fn is_low<const FAST: bool>(&self, c: char) -> bool {
        if FAST {
            self.low(c)
        } else {
            c.is_lowercase()
        }
    }

    #[inline(always)]
    fn is_alpha<const FAST: bool>(&self, c: char) -> bool {
        if FAST {
            self.alpha(c)
        } else {
            c.is_alphabetic()
        }
    }

    fn in_class<const FAST: bool>(&self, class: usize, c: Option<char>) -> bool {
        if FAST {
            if let Some(c) = c {
                let i = (c as u32).wrapping_sub(CYR_BASE) as usize;
                if i < CYR_LEN {
                    return self.class_cyr[class][i / 64] >> (i % 64) & 1 != 0;
                }
            }
        }
        match c {
            Some(c) if self.is_alpha::<FAST>(c) => self.classes[class].binary_search(&lower(c)).is_ok(),
            _ => false,
        }
    }

    fn holds<const FAST: bool>(&self, cond: Cond, prev: Option<char>, next: Option<char>) -> bool {
        let letter = |c: Option<char>| c.is_some_and(|c| self.is_alpha::<FAST>(c));
        match cond {
            Cond::Initial => !letter(prev),
            Cond::Final => !letter(next),
            Cond::After(k) => self.in_class::<FAST>(k, prev),
            Cond::Before(k) => self.in_class::<FAST>(k, next),
            Cond::NotAfter(k) => !self.in_class::<FAST>(k, prev),
            Cond::NotBefore(k) => !self.in_class::<FAST>(k, next),
        }
    }

    /// Finds the rule that fires at the start of `rest`, given the character before it. Returns the rule and the
    /// byte length of the source it consumed.
    #[inline]
    fn find<const FAST: bool>(&self, rest: &str, prev: Option<char>) -> Option<(&Rule, usize)> {
        let first = rest.chars().next()?;
        let group = self.group(lower(first));
        if group.is_empty() {
            return None;
        }
        'rules: for &ri in group {
            let rule = &self.rules[ri as usize];
            let mut it = rest.char_indices();
            let mut end = 0;
            for &sc in rule.source.iter() {
                match it.next() {
                    Some((i, c)) if lower(c) == sc => end = i + c.len_utf8(),
                    _ => continue 'rules,
                }
            }
            let next = rest[end..].chars().next();
            if rule.conds.iter().all(|&c| self.holds::<FAST>(c, prev, next)) {
                return Some((rule, end));
            }
        }
        None
    }

    /// Runs the rules over `input`, appending to `out`. Same output as [`Matcher::run_reference`], faster: text made
    /// only of characters that are always in NFC skips most of the NFC check, and the letters of the Cyrillic block
    /// are decided by precomputed tables (see [`Matcher::run_lane`], or [`Matcher::run_fast`] for a table with more
    /// than 64 signatures).
    pub(crate) fn run(&self, input: &str, ties: Ties, out: &mut String) {
        if !surely_nfc(input) && is_nfc_quick(input.chars()) != IsNormalized::Yes {
            let nfc: String = input.nfc().collect();
            return self.run_nfc(&nfc, ties, out);
        }
        self.run_nfc(input, ties, out)
    }

    #[inline]
    fn run_nfc(&self, input: &str, ties: Ties, out: &mut String) {
        match &self.lane {
            Some(lane) if lane.plain_first => self.run_lane::<true>(lane, input, ties, out),
            Some(lane) => self.run_lane::<false>(lane, input, ties, out),
            None => self.run_fast(input, ties, out),
        }
    }

    /// [`Matcher::run`] with the lane's other loop (plain letters first or not, see [`Lane::plain_first`]), so that the
    /// tests compare both loops on every table.
    #[cfg(test)]
    pub(crate) fn run_other_loop(&self, input: &str, ties: Ties, out: &mut String) {
        let nfc: String = input.nfc().collect();
        match &self.lane {
            Some(lane) if lane.plain_first => self.run_lane::<false>(lane, &nfc, ties, out),
            Some(lane) => self.run_lane::<true>(lane, &nfc, ties, out),
            None => self.run_fast(&nfc, ties, out),
        }
    }

    /// [`Matcher::run`] without the lane, as for a table with too many signatures (the tests compare it too).
    #[cfg(test)]
    pub(crate) fn run_without_lane(&self, input: &str, ties: Ties, out: &mut String) {
        let nfc: String = input.nfc().collect();
        self.run_fast(&nfc, ties, out)
    }

    /// The lane romanizer over NFC text (see [`Lane`]): ASCII runs by a byte table; each letter of the Cyrillic block
    /// by its decision table (and pair table), with the signature and case of the previous character carried from
    /// one character to the next; the rest (ASCII that starts a rule, Latin, other scripts, `SLOW` entries) by
    /// [`Matcher::step`].
    fn run_lane<const PLAIN: bool>(&self, lane: &Lane, input: &str, ties: Ties, out: &mut String) {
        let t = (ties == Ties::Marc8Halves) as usize * 3;
        let bytes = input.as_bytes();
        let row = lane.nsig + 1;
        // The windows of this tie style: outcome `k`, case `c` is `win[k * 6 + c]`.
        let (units, dec, win) = (&*lane.units, &lane.dec[..], lane.win.get(t..).unwrap_or_default());
        // The row of the previous character in a decision table (its signature times `row`; none at the start),
        // and 4 if it is upper case: carried from one character to the next.
        let (mut prow, mut pup) = (0usize, 0usize);
        let mut pos = 0;
        // Output gathered with fixed-width copies and appended to `out` as whole chunks (see `flush`).
        let mut buf = [0u8; CHUNK + WIDE];
        let mut n = 0;
        while pos < bytes.len() {
            let b = bytes[pos];
            if b < 0x80 {
                if !self.ascii_starts[b as usize] {
                    // Copy a run of ASCII that no rule starts with.
                    let run_start = pos;
                    pos = self.plain_ascii_end(bytes, pos + 1);
                    let run = &bytes[run_start..pos];
                    if run.len() == 1 {
                        buf[n] = b;
                        n += 1;
                    } else if run.len() <= CHUNK + WIDE - n {
                        buf[n..n + run.len()].copy_from_slice(run);
                        n += run.len();
                    } else {
                        n = flush(&buf, n, out);
                        out.push_str(&input[run_start..pos]);
                    }
                    if n > CHUNK {
                        n = flush(&buf, n, out);
                    }
                    let u = &units[bytes[pos - 1] as usize & 0x7F];
                    (prow, pup) = (u.row as usize, u.up4 as usize);
                    continue;
                }
            } else if b & 0xFC == 0xD0 {
                // U+0400–U+04FF, two bytes, and the first two bytes of the next character (0xFF past the end) read at
                // once.
                let [_, b1, n0, n1] = match bytes.get(pos..pos + 4) {
                    Some(&[b0, b1, n0, n1]) => [b0, b1, n0, n1],
                    _ => {
                        [b, bytes.get(pos + 1).copied().unwrap_or(0x80), bytes.get(pos + 2).copied().unwrap_or(0xFF), 0]
                    }
                };
                let cur = &units[UNIT_CYR + (((b & 3) as usize) << 6 | (b1 & 0x3F) as usize)];
                if PLAIN && cur.plain {
                    n = put(&mut buf, n, &win[cur.out as usize * 6], out);
                    (prow, pup) = (cur.row as usize, 0);
                    pos += 2;
                    continue;
                }
                let (next, nlen) = lane.unit_of(n0, n1);
                let d = dec[cur.dec as usize + prow + next.sig as usize];
                // The window of one-letter outcome `d` (below `PAIR`), in the case that the neighbours give.
                let alone = |d: u8| {
                    (cur.out as usize + d as usize) * 6
                        + CASE[(cur.kind8 as usize + pup + next.cb as usize) & 31] as usize
                };
                let mut k = usize::MAX;
                if d < PAIR {
                    k = alone(d);
                    (prow, pup) = (cur.row as usize, cur.up4 as usize);
                    pos += 2;
                } else if d != SLOW {
                    // The next character is the second letter of a two-letter source: the pair table decides by
                    // the character after it.
                    let after = pos + 2 + nlen;
                    let (next2, _) = lane.unit_at(bytes, after);
                    let q = lane.pairs[(cur.pair as usize + (d - PAIR) as usize) * row + next2.sig as usize];
                    if q < PAIR {
                        k = alone(q);
                        (prow, pup) = (cur.row as usize, cur.up4 as usize);
                        pos += 2;
                    } else if q != SLOW {
                        // As in `step`: an upper-case letter takes the case of the first letter after it, inside
                        // the source or after it; a caseless one looks at the character after the source.
                        let cb = if cur.kind8 == 8 && next.cb & 1 != 0 { next.cb } else { next2.cb };
                        let case = CASE[(cur.kind8 as usize + pup + cb as usize) & 31] as usize;
                        k = (cur.out as usize + (q & !TWO) as usize) * 6 + case;
                        (prow, pup) = (next.row as usize, next.up4 as usize);
                        pos = after;
                    }
                }
                if k != usize::MAX {
                    n = put(&mut buf, n, &win[k], out);
                    continue;
                }
            }
            n = flush(&buf, n, out);
            let mut prev = input.get(..pos).and_then(|r| r.chars().next_back());
            pos = self.step::<true>(input, pos, &mut prev, t / 3, out);
            (prow, pup) = lane.before(self, input, pos);
        }
        flush(&buf, n, out);
    }

    /// The straightforward romanizer: NFC check, then at each position the general rule search. [`Matcher::run`]
    /// must give the same output; the tests compare them on random input.
    #[cfg(test)]
    pub(crate) fn run_reference(&self, input: &str, ties: Ties, out: &mut String) {
        if is_nfc_quick(input.chars()) != IsNormalized::Yes {
            let nfc: String = input.nfc().collect();
            return self.run_nfc_reference(&nfc, ties, out);
        }
        self.run_nfc_reference(input, ties, out)
    }

    #[cfg(test)]
    fn run_nfc_reference(&self, input: &str, ties: Ties, out: &mut String) {
        let t = (ties == Ties::Marc8Halves) as usize;
        let bytes = input.as_bytes();
        let mut prev: Option<char> = None;
        let mut pos = 0;
        while pos < input.len() {
            // Copy a run of ASCII that no rule starts with.
            let run_start = pos;
            while pos < bytes.len() && bytes[pos] < 0x80 && !self.starts(bytes[pos] as char) {
                pos += 1;
            }
            if pos > run_start {
                out.push_str(&input[run_start..pos]);
                prev = Some(bytes[pos - 1] as char);
                if pos >= input.len() {
                    break;
                }
            }
            pos = self.step::<false>(input, pos, &mut prev, t, out);
        }
    }

    /// One step of the romanizer at `pos`: the rule that fires there (with its case), or the character copied.
    /// Returns the position after it.
    #[inline]
    fn step<const FAST: bool>(
        &self,
        input: &str,
        pos: usize,
        prev: &mut Option<char>,
        t: usize,
        out: &mut String,
    ) -> usize {
        let rest = &input[pos..];
        let Some(c) = rest.chars().next() else { return input.len() };
        match self.find::<FAST>(rest, *prev) {
            Some((rule, len)) => {
                let src = &rest[..len];
                let next = rest[len..].chars().next();
                let up = |c: char| self.is_up::<FAST>(c);
                // A caseless source (ʺ read back as ъ) takes the case of the letters around it: OBʺEKT → ОБЪЕКТ.
                let caseless_in_caps = !up(c)
                    && !self.is_low::<FAST>(c)
                    && prev.is_some_and(up)
                    && next.is_none_or(|n| up(n) || !self.is_alpha::<FAST>(n));
                if caseless_in_caps {
                    out.push_str(&rule.upper[t]);
                } else if up(c) {
                    // ЩУКИН → SHCHUKIN, Щукин → Shchukin: the case of the next letter (inside the source
                    // first, then after it) decides; a capital standing alone follows the letter before it.
                    let all_caps = match src.chars().skip(1).chain(next).find(|&c| self.is_alpha::<FAST>(c)) {
                        Some(n) if !is_mark(n) => up(n),
                        _ => prev.is_some_and(up),
                    };
                    out.push_str(if all_caps { &rule.upper[t] } else { &rule.title[t] });
                } else {
                    out.push_str(&rule.lower[t]);
                }
                *prev = src.chars().next_back();
                pos + len
            }
            None => {
                out.push(c);
                *prev = Some(c);
                pos + c.len_utf8()
            }
        }
    }

    /// The byte offset and the letter of the first Cyrillic letter of `input` (in NFC) that no rule fires for, so
    /// that the romanizer would copy it. Walks the text as [`Matcher::step`] does.
    pub(crate) fn first_unmapped(&self, input: &str) -> Option<(usize, char)> {
        let mut prev: Option<char> = None;
        let mut pos = 0;
        while pos < input.len() {
            let rest = &input[pos..];
            let c = rest.chars().next()?;
            match self.find::<false>(rest, prev) {
                Some((_, len)) => {
                    prev = rest[..len].chars().next_back();
                    pos += len;
                }
                None if is_cyrillic_letter(c) => return Some((pos, c)),
                None => {
                    prev = Some(c);
                    pos += c.len_utf8();
                }
            }
        }
        None
    }

    /// The end of the run of ASCII bytes from `pos` on that no rule starts with (copied as they are).
    #[inline]
    fn plain_ascii_end(&self, bytes: &[u8], mut pos: usize) -> usize {
        while pos < bytes.len() && bytes[pos] < 0x80 && !self.ascii_starts[bytes[pos] as usize] {
            pos += 1;
        }
        pos
    }

    /// The fast romanizer over NFC text when the table has no lane (more than 64 signatures, or more outcomes than
    /// the lane's 16-bit indices): ASCII runs by a byte table; each letter of the Cyrillic block by its
    /// precomputed entry in [`Matcher::cyr_fast`] (copied, its one unconditional one-letter rule, or its rules in
    /// `find`'s order); everything else (ASCII that starts a rule, Latin, other scripts) by [`Matcher::step`].
    fn run_fast(&self, input: &str, ties: Ties, out: &mut String) {
        let t = (ties == Ties::Marc8Halves) as usize;
        let bytes = input.as_bytes();
        let mut prev: Option<char> = None;
        let mut pos = 0;
        'chars: while pos < bytes.len() {
            let b = bytes[pos];
            if b < 0x80 {
                if !self.ascii_starts[b as usize] {
                    // Copy a run of ASCII that no rule starts with.
                    let run_start = pos;
                    pos = self.plain_ascii_end(bytes, pos + 1);
                    out.push_str(&input[run_start..pos]);
                    prev = Some(bytes[pos - 1] as char);
                    continue;
                }
            } else if (0xD0..=0xD3).contains(&b) {
                // U+0400–U+04FF, two bytes.
                let b1 = bytes.get(pos + 1).copied().unwrap_or(0x80);
                let u = (((b & 0x1F) as u32) << 6) | (b1 & 0x3F) as u32;
                let f = &self.cyr_fast[(u - CYR_BASE) as usize];
                let c = char::from_u32(u).unwrap_or('\0');
                match &f.kind {
                    FastKind::Copy => {
                        out.push(c);
                        prev = Some(c);
                        pos += 2;
                        continue;
                    }
                    FastKind::Simple(pieces) => {
                        if f.low {
                            pieces[t][0].push_to(out);
                        } else {
                            let next = peek(input, pos + 2);
                            self.push_cased(f, &pieces[t], prev, next, next.filter(|&n| self.alpha(n)), out);
                        }
                        prev = Some(c);
                        pos += 2;
                        continue;
                    }
                    FastKind::Conditional(alts) => {
                        let before = prev;
                        'alts: for alt in alts.iter() {
                            // The rest of the source, letter by letter, ignoring case.
                            let mut last = c;
                            let mut end = pos + 2;
                            for &sc in alt.more.iter() {
                                match peek(input, end) {
                                    Some(ch) if lower(ch) == sc => {
                                        end += ch.len_utf8();
                                        last = ch;
                                    }
                                    _ => continue 'alts,
                                }
                            }
                            let next = peek(input, end);
                            if !alt.conds.iter().all(|&k| self.holds::<true>(k, before, next)) {
                                continue;
                            }
                            let pieces = &alt.pieces[t];
                            if f.low {
                                pieces[0].push_to(out);
                            } else {
                                // As in `step`: the first letter after the source's first, inside it or after it.
                                let follow = input[pos + 2..end].chars().chain(next).find(|&n| self.alpha(n));
                                self.push_cased(f, pieces, before, next, follow, out);
                            }
                            prev = Some(last);
                            pos = end;
                            continue 'chars;
                        }
                        // No rule fired: the letter is copied.
                        out.push(c);
                        prev = Some(c);
                        pos += 2;
                        continue;
                    }
                }
            }
            pos = self.step::<true>(input, pos, &mut prev, t, out);
        }
    }
}

impl Matcher {
    /// The target of a rule for a letter `f` that is not lower case, by the case logic of `step`: `next` is the
    /// character after the source, `follow` the first letter after the source's first letter (inside the source or
    /// after it).
    #[inline(always)]
    fn push_cased(
        &self,
        f: &Fast,
        pieces: &[Piece; 3],
        prev: Option<char>,
        next: Option<char>,
        follow: Option<char>,
        out: &mut String,
    ) {
        if !f.up {
            // The caseless-source rule of `step`.
            let caseless_in_caps =
                prev.is_some_and(|p| self.up(p)) && next.is_none_or(|n| self.up(n) || !self.alpha(n));
            pieces[if caseless_in_caps { 2 } else { 0 }].push_to(out);
        } else {
            let all_caps = match follow {
                Some(n) if !is_mark(n) => self.up(n),
                _ => prev.is_some_and(|p| self.up(p)),
            };
            pieces[if all_caps { 2 } else { 1 }].push_to(out);
        }
    }
}

/// The character at byte `pos` of `input`, if any (`pos` is on a character boundary).
#[inline(always)]
fn peek(input: &str, pos: usize) -> Option<char> {
    let bytes = input.as_bytes();
    match bytes.get(pos) {
        None => None,
        Some(&b) if b < 0x80 => Some(b as char),
        Some(&b) if b < 0xE0 => {
            let b1 = bytes.get(pos + 1).copied().unwrap_or(0x80);
            char::from_u32((((b & 0x1F) as u32) << 6) | (b1 & 0x3F) as u32)
        }
        Some(_) => input.get(pos..).and_then(|r| r.chars().next()),
    }
}

/// True if `input` is certainly in NFC: every character has NFC_Quick_Check=Yes and canonical combining class 0,
/// so `is_nfc_quick` would say `Yes` too. Characters of U+0000–U+02FF and U+0400–U+0482 are known to be such (the
/// tests check each one), so for them only their lead byte is looked at; any other character is asked about alone.
/// False means "run the full check".
#[inline]
fn surely_nfc(input: &str) -> bool {
    let bytes = input.as_bytes();
    // First a branch-free pass over 64-byte blocks that accepts bytes below 0xCC (ASCII, continuation bytes and the
    // lead bytes of U+0080–U+02FF) and the lead bytes D0 and D1 (U+0400–U+047F): text of those characters only is
    // settled without decoding. Any other lead byte sends the rest to the exact loop below.
    let mut start = 0;
    for block in bytes.chunks(64) {
        let ok = block.iter().fold(true, |ok, &b| ok & ((b < 0xCC) | (b & 0xFE == 0xD0)));
        if !ok {
            break;
        }
        start += block.len();
    }
    if start == bytes.len() {
        return true;
    }
    // `start` is a multiple of 64 at which the block scan stopped; back up to the character boundary at or before
    // it (at most 3 continuation bytes).
    while start > 0 && !input.is_char_boundary(start) {
        start -= 1;
    }
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            0x00..=0x7F => i += 1,
            // Lead bytes of U+0080–U+02FF and U+0400–U+047F.
            0xC2..=0xCB | 0xD0 | 0xD1 => i += 2,
            // U+0480–U+0482.
            0xD2 if bytes.get(i + 1).is_some_and(|&b1| b1 <= 0x82) => i += 2,
            _ => {
                let Some(c) = input.get(i..).and_then(|r| r.chars().next()) else { return false };
                if unicode_normalization::char::canonical_combining_class(c) != 0
                    || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
                {
                    return false;
                }
                i += c.len_utf8();
            }
        }
    }
    true
}

/// Builds the forward matcher of a table (merged with its fallback): the first `own` rules are the table's own.
pub(crate) fn forward(def: &TableDef, own: usize) -> Matcher {
    let rules =
        def.rules.iter().map(|r: &RuleDef| (r.source.chars().collect(), r.target.clone(), r.conds.clone())).collect();
    Matcher::new(rules, def.classes.iter().map(|(_, s)| s.clone()).collect(), own)
}

/// Builds the reverse (Latin → Cyrillic) matcher from the unconditional rules of a reversible table.
pub(crate) fn reverse(def: &TableDef) -> Matcher {
    let rules = def
        .rules
        .iter()
        .filter(|r| r.conds.is_empty() && !r.target.is_empty())
        .flat_map(|r| reverse_forms(&r.target).into_iter().map(|f| (f, r.source.clone(), Vec::new())))
        .collect::<Vec<_>>();
    let own = rules.len();
    Matcher::new(rules, Vec::new(), own)
}

/// What the reverse matcher matches for a target: the target as written, and as its capital forms read letter by
/// letter in lower case where that differs: ǰ (U+01F0) has no precomposed capital, so J̌ is J + U+030C, which
/// lower-cases to j + U+030C. The parser's reversibility check works on these same forms.
pub(crate) fn reverse_forms(target: &str) -> Vec<Vec<char>> {
    let mut forms: Vec<Vec<char>> = Vec::new();
    for t in [target.to_string(), upper_first(target), upper_all(target)] {
        let form: Vec<char> = t.chars().map(lower).collect();
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

/// Rewrites MARC-8 tie halves into U+0361 so the reverse matcher sees one spelling: `t︠s︡` → `t͡s`.
pub(crate) fn unify_ties(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\u{FE20}', '\u{FE21}']) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars().filter(|&c| c != '\u{FE21}').map(|c| if c == '\u{FE20}' { '\u{361}' } else { c }).collect(),
    )
}

#[cfg(test)]
mod tests {
    //! The fast romanizer equals the reference on random input, for every built-in table in both directions.
    use super::*;
    use crate::scheme::builtins;
    use proptest::prelude::*;

    /// (fast, reference) output of every built-in matcher, forward and reverse, with both tie styles.
    fn both(input: &str) -> Vec<(String, String, String)> {
        let mut res = Vec::new();
        for s in builtins() {
            for (dir, m) in [("forward", Some(&s.forward)), ("reverse", s.reverse.as_ref())] {
                let Some(m) = m else { continue };
                for ties in [Ties::Combining, Ties::Marc8Halves] {
                    let (mut fast, mut reference) = (String::from(">"), String::from(">"));
                    m.run(input, ties, &mut fast);
                    m.run_reference(input, ties, &mut reference);
                    let mut no_lane = String::from(">");
                    m.run_without_lane(input, ties, &mut no_lane);
                    let mut other = String::from(">");
                    m.run_other_loop(input, ties, &mut other);
                    res.push((format!("{} {dir} {ties:?} other loop", s.id()), other, reference.clone()));
                    res.push((format!("{} {dir} {ties:?}", s.id()), fast, reference.clone()));
                    res.push((format!("{} {dir} {ties:?} without the lane", s.id()), no_lane, reference));
                }
            }
        }
        res
    }

    fn check(input: &str) -> Result<(), TestCaseError> {
        for (what, fast, reference) in both(input) {
            prop_assert_eq!(fast, reference, "{} on {:?}", what, input);
        }
        Ok(())
    }

    #[test]
    fn surely_nfc_is_right_for_every_char_it_accepts() {
        use unicode_normalization::char::canonical_combining_class;
        let mut accepted = 0;
        for u in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            let in_fast_ranges = u < 0x300 || (0x400..=0x482).contains(&u);
            let yes = is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes && canonical_combining_class(c) == 0;
            if in_fast_ranges {
                assert!(yes, "U+{u:04X}");
            }
            assert_eq!(surely_nfc(&c.to_string()), yes, "U+{u:04X}");
            accepted += surely_nfc(&c.to_string()) as u32;
        }
        assert!(accepted > 0x300 + 0x83);
        // A string of such characters is quick-checked Yes; one mark out of canonical order is not.
        assert!(surely_nfc("Щукин — «Ёлка» № 1…"));
        // One character of each kind at every position of a long text, across the 64-byte blocks of the first pass.
        let base = "Щукин и ёлка, abc ѣ ÿ Ÿ ʺ".repeat(8);
        for c in ['\u{301}', '\u{2000}', '—', 'ӕ', '\u{483}', 'Ҁ', '\u{361}', 'a', '\u{2126}', '가', '\u{1D15E}'] {
            let yes = is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes && canonical_combining_class(c) == 0;
            for (k, _) in base.char_indices() {
                let text = format!("{}{c}{}", &base[..k], &base[k..]);
                assert_eq!(surely_nfc(&text), yes, "{c:?} at {k}");
                if yes {
                    assert_eq!(is_nfc_quick(text.chars()), IsNormalized::Yes);
                }
            }
        }
        assert!(!surely_nfc("e\u{301}"));
        assert!(!surely_nfc("\u{2000}"));
    }

    #[test]
    fn every_char_of_the_cyrillic_block_and_latin_1_in_context() {
        for u in (0..0x300).chain(0x400..0x530) {
            let Some(c) = char::from_u32(u) else { continue };
            let up = c.to_uppercase().collect::<String>();
            for text in [format!("{c}"), format!("а{c}е {c}Я Щ{c}{c} Ъ{c}Й {c}ЖЁ."), format!("{up}{c}")] {
                check(&text).unwrap();
            }
        }
    }

    fn russian() -> impl Strategy<Value = String> {
        // Lower case, capitalized and all-capitals words, pre-1918 and Ukrainian letters, signs, punctuation.
        "([а-яё]{1,10}|[А-ЯЁ][а-яё]{0,9}|[А-ЯЁ]{1,10}|[ѣіѳѵєїґўЪЬъьЙй]{1,3}|[ .,ʺʹ'-]{1,2}|\u{301}|Ia|X){1,12}"
    }

    proptest! {
        #![proptest_config(crate::testing::cases(1000))]

        #[test]
        fn fast_equals_reference_on_russian(s in russian()) {
            check(&s)?;
        }

        #[test]
        fn fast_equals_reference_on_printable_unicode(s in "\\PC{0,60}") {
            check(&s)?;
        }

        #[test]
        fn fast_equals_reference_on_any_string(s in any::<String>()) {
            check(&s)?;
        }

        #[test]
        fn fast_equals_reference_on_decomposed_and_romanized(s in russian(), k in 0usize..64) {
            let schemes = builtins();
            let romanized = schemes[k % schemes.len()].romanize(&s);
            let nfd: String = s.nfd().collect();
            check(&romanized)?;
            check(&nfd)?;
            check(&romanized.to_uppercase())?;
        }
    }
}

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

/// Combining marks of the blocks romanization uses (a full General_Category=M test is not needed here).
#[inline]
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

impl Matcher {
    pub(crate) fn new(rules: Vec<(Vec<char>, String, Vec<Cond>)>, classes: Vec<Vec<char>>) -> Matcher {
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
        Matcher { rules, cyr, other, order: idx, classes }
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
    #[inline]
    pub(crate) fn starts(&self, c: char) -> bool {
        !self.group(lower(c)).is_empty()
    }

    fn in_class(&self, class: usize, c: Option<char>) -> bool {
        match c {
            Some(c) if c.is_alphabetic() => self.classes[class].binary_search(&lower(c)).is_ok(),
            _ => false,
        }
    }

    fn holds(&self, cond: Cond, prev: Option<char>, next: Option<char>) -> bool {
        let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
        match cond {
            Cond::Initial => !letter(prev),
            Cond::Final => !letter(next),
            Cond::After(k) => self.in_class(k, prev),
            Cond::Before(k) => self.in_class(k, next),
            Cond::NotAfter(k) => !self.in_class(k, prev),
            Cond::NotBefore(k) => !self.in_class(k, next),
        }
    }

    /// Finds the rule that fires at the start of `rest`, given the character before it. Returns the rule and the
    /// byte length of the source it consumed.
    #[inline]
    pub(crate) fn find(&self, rest: &str, prev: Option<char>) -> Option<(&Rule, usize)> {
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
            if rule.conds.iter().all(|&c| self.holds(c, prev, next)) {
                return Some((rule, end));
            }
        }
        None
    }

    /// Runs the rules over `input`, appending to `out`.
    pub(crate) fn run(&self, input: &str, ties: Ties, out: &mut String) {
        if is_nfc_quick(input.chars()) != IsNormalized::Yes {
            let nfc: String = input.nfc().collect();
            return self.run_nfc(&nfc, ties, out);
        }
        self.run_nfc(input, ties, out)
    }

    fn run_nfc(&self, input: &str, ties: Ties, out: &mut String) {
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
            let rest = &input[pos..];
            let Some(c) = rest.chars().next() else { break };
            match self.find(rest, prev) {
                Some((rule, len)) => {
                    let src = &rest[..len];
                    let next = rest[len..].chars().next();
                    // A caseless source (ʺ read back as ъ) takes the case of the letters around it: OBʺEKT → ОБЪЕКТ.
                    let caseless_in_caps = !c.is_uppercase()
                        && !c.is_lowercase()
                        && prev.is_some_and(char::is_uppercase)
                        && next.map_or(true, |n| n.is_uppercase() || !n.is_alphabetic());
                    if caseless_in_caps {
                        out.push_str(&rule.upper[t]);
                    } else if c.is_uppercase() {
                        // ЩУКИН → SHCHUKIN, Щукин → Shchukin: the case of the next letter (inside the source
                        // first, then after it) decides; a capital standing alone follows the letter before it.
                        let all_caps = match src.chars().skip(1).chain(next).find(|c| c.is_alphabetic()) {
                            Some(n) if !is_mark(n) => n.is_uppercase(),
                            _ => prev.is_some_and(|p| p.is_uppercase()),
                        };
                        out.push_str(if all_caps { &rule.upper[t] } else { &rule.title[t] });
                    } else {
                        out.push_str(&rule.lower[t]);
                    }
                    prev = src.chars().next_back();
                    pos += len;
                }
                None => {
                    out.push(c);
                    prev = Some(c);
                    pos += c.len_utf8();
                }
            }
        }
    }
}

/// Builds the forward matcher of a table.
pub(crate) fn forward(def: &TableDef) -> Matcher {
    let rules =
        def.rules.iter().map(|r: &RuleDef| (r.source.chars().collect(), r.target.clone(), r.conds.clone())).collect();
    Matcher::new(rules, def.classes.iter().map(|(_, s)| s.clone()).collect())
}

/// Builds the reverse (Latin → Cyrillic) matcher from the unconditional rules of a reversible table.
pub(crate) fn reverse(def: &TableDef) -> Matcher {
    let rules = def
        .rules
        .iter()
        .filter(|r| r.conds.is_empty() && !r.target.is_empty())
        .map(|r| (r.target.chars().map(lower).collect(), r.source.clone(), Vec::new()))
        .collect();
    Matcher::new(rules, Vec::new())
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

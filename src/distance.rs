//! Edit distance between keys, and a comparator that prepares one key for comparison with many.
//!
//! Keys (see [`crate::key`](mod@crate::key)) are compared byte by byte: the key alphabet is ASCII, so a byte is a letter. A letter
//! of a script bibkey does not read (Greek, Armenian…) stays in the key as UTF-8 and counts as its 2–4 bytes; such
//! keys are rare and the count is only ever used as a bound.
//!
//! Two distances are computed, both Levenshtein (insertions, deletions and substitutions, each costing 1):
//!
//! * the **global** distance between the query and the whole text;
//! * the **prefix** distance: the least distance between the query and any prefix of the text. A title cut short by
//!   a footnote or a field-length limit (`Istoriia grazhdanskoi voiny` for `Istoriia grazhdanskoi voiny v SSSR`) has
//!   prefix distance 0 to the full title.
//!
//! [`Comparator`] uses Myers' bit-parallel algorithm in Hyyrö's block form (a query of `m` bytes is `⌈m/64⌉` machine
//! words; each byte of the text costs a dozen word operations per block), and stops early once the distance is sure to
//! exceed a bound. [`levenshtein`] and [`prefix_levenshtein`] are the textbook dynamic programme it is tested against.
//!
//! ```
//! use bibkey::distance::Comparator;
//! let q = Comparator::new("istoriiagrazdanskoivoini");
//! assert_eq!(q.distance("istoriiagrazdanskoivoinivsssr"), 5);
//! assert_eq!(q.prefix_distance("istoriiagrazdanskoivoinivsssr"), 0);
//! assert_eq!(q.distance("istoriagrazdanskoivoini"), 1);
//! assert_eq!(q.distance_within("revolucia", 3), None);
//! ```

/// Levenshtein distance between the bytes of `a` and `b`, by the textbook dynamic programme. O(|a|·|b|) time.
///
/// This is the reference [`Comparator`] is tested against; use the comparator in loops.
pub fn levenshtein(a: &str, b: &str) -> usize {
    textbook(a.as_bytes(), b.as_bytes()).global
}

/// The least Levenshtein distance between the bytes of `query` and those of any prefix of `text` (the empty prefix
/// included), by the textbook dynamic programme.
pub fn prefix_levenshtein(query: &str, text: &str) -> usize {
    textbook(query.as_bytes(), text.as_bytes()).prefix
}

/// The dynamic programme, column by column over the text: `col[i]` is the distance between `q[..i]` and `t[..j]`.
/// The last entry of the last column is the global distance; the least last entry over all columns, the prefix one.
fn textbook(q: &[u8], t: &[u8]) -> Distances {
    let mut col: Vec<usize> = (0..=q.len()).collect();
    let mut best = col[q.len()];
    for (j, &y) in t.iter().enumerate() {
        let mut diag = col[0];
        col[0] = j + 1;
        for (i, &x) in q.iter().enumerate() {
            let next = (diag + usize::from(x != y)).min(col[i] + 1).min(col[i + 1] + 1);
            diag = col[i + 1];
            col[i + 1] = next;
        }
        best = best.min(col[q.len()]);
    }
    Distances { global: col[q.len()], prefix: best }
}

/// One query key, prepared for comparison with many texts (the one-against-many pattern of rapidfuzz's
/// `BatchComparator`): the per-byte match masks of Myers' algorithm are built once, in [`new`](Self::new).
#[derive(Clone, Debug)]
pub struct Comparator {
    query: Box<[u8]>,
    /// `peq[b * blocks + k]`: bit i set when `query[64 k + i] == b`. Only the bytes that occur in the query have
    /// non-zero masks; the table is indexed directly to keep the inner loop free of branches.
    peq: Box<[u64]>,
    blocks: usize,
}

/// The result of one pass of the comparator over a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distances {
    /// Distance between the query and the whole text.
    pub global: usize,
    /// Least distance between the query and a prefix of the text.
    pub prefix: usize,
}

/// Both distances of `q` against `t`, exact when at most `max` (otherwise some value above `max`), from the cells of
/// the textbook table within `max` of the diagonal (Ukkonen's band): `O(max × |q|)`. Row `i` holds `D[i][j]` for
/// `j = i − max ..= i + max` at index `j − i + max`, each value capped at `max + 1`.
fn banded(q: &[u8], t: &[u8], max: usize) -> Distances {
    let (m, n, big, w) = (q.len(), t.len(), max + 1, 2 * max + 1);
    let cell = |i: usize, d: usize| (i + d).checked_sub(max).filter(|&j| j <= n);
    let mut prev: Vec<usize> = (0..w).map(|d| cell(0, d).map_or(big, |j| j.min(big))).collect();
    let mut cur = vec![big; w];
    for i in 1..=m {
        let mut low = big;
        for d in 0..w {
            cur[d] = match cell(i, d) {
                None => big,
                Some(0) => i.min(big),
                Some(j) => {
                    // D[i−1][j−1] is on the same diagonal (prev[d]), D[i−1][j] one to the right (prev[d + 1]),
                    // D[i][j−1] one to the left (cur[d − 1]).
                    let diag = prev[d] + usize::from(q[i - 1] != t[j - 1]);
                    let up = prev.get(d + 1).map_or(big, |v| v + 1);
                    let left = if d > 0 { cur[d - 1] + 1 } else { big };
                    diag.min(up).min(left).min(big)
                }
            };
            low = low.min(cur[d]);
        }
        std::mem::swap(&mut prev, &mut cur);
        // Every later cell is at least the least of this row's band.
        if low > max {
            return Distances { global: big, prefix: big };
        }
    }
    let global = (n + max).checked_sub(m).filter(|&d| d < w).map_or(big, |d| prev[d]);
    let prefix = (0..w).filter(|&d| cell(m, d).is_some()).map(|d| prev[d]).min().unwrap_or(big);
    Distances { global, prefix }
}

impl Comparator {
    /// Prepares `query` (normally a key) for comparison.
    pub fn new(query: &str) -> Comparator {
        let q = query.as_bytes();
        let blocks = q.len().div_ceil(64).max(1);
        let mut peq = vec![0u64; 256 * blocks];
        for (i, &b) in q.iter().enumerate() {
            peq[usize::from(b) * blocks + i / 64] |= 1u64 << (i % 64);
        }
        Comparator { query: q.into(), peq: peq.into(), blocks }
    }

    /// The query, as given.
    pub fn query(&self) -> &str {
        // Built from a &str and never modified.
        std::str::from_utf8(&self.query).unwrap_or_default()
    }

    /// Length of the query in bytes.
    pub fn len(&self) -> usize {
        self.query.len()
    }

    /// True for an empty query.
    pub fn is_empty(&self) -> bool {
        self.query.is_empty()
    }

    /// Levenshtein distance between the query and `text`.
    pub fn distance(&self, text: &str) -> usize {
        self.run(text.as_bytes(), usize::MAX, false).global
    }

    /// Least Levenshtein distance between the query and a prefix of `text`.
    pub fn prefix_distance(&self, text: &str) -> usize {
        self.run(text.as_bytes(), usize::MAX, true).prefix
    }

    /// The distance if it is at most `max`, else `None`. Stops reading `text` as soon as the distance must exceed
    /// `max`, which makes rejecting a far candidate cheaper than measuring it.
    pub fn distance_within(&self, text: &str, max: usize) -> Option<usize> {
        let t = text.as_bytes();
        if t.len().abs_diff(self.query.len()) > max {
            return None;
        }
        let d = self.run(t, max, false).global;
        (d <= max).then_some(d)
    }

    /// Both distances in one pass. Either is exact when it is at most `max`; a distance above `max` is reported as
    /// some value above `max` (the pass may stop early).
    pub fn distances_within(&self, text: &str, max: usize) -> Distances {
        self.run(text.as_bytes(), max, true)
    }

    /// Normalized similarity in [0, 1]: `1 − distance / max(len(query), len(text))`; 1 for two empty strings.
    pub fn similarity(&self, text: &str) -> f64 {
        let longest = self.query.len().max(text.len());
        if longest == 0 {
            return 1.0;
        }
        1.0 - self.distance(text) as f64 / longest as f64
    }

    /// Myers/Hyyrö over `text`. Tracks `D[m][j]` (distance between the whole query and `text[..j]`) column by column.
    fn run(&self, text: &[u8], max: usize, want_prefix: bool) -> Distances {
        let m = self.query.len();
        if m == 0 {
            return Distances { global: text.len(), prefix: 0 };
        }
        if self.blocks == 1 {
            return self.run_one_block(text, max, want_prefix);
        }
        // A long query with a small bound: the cells within `max` of the diagonal are all that can stay within
        // `max`, and there are fewer of them per row than the bit-parallel pass has words per column, so that
        // pass (quadratic in the length) would do needless work: a 400 KB key against another took seconds.
        if max.checked_mul(2).is_some_and(|band| band + 1 < self.blocks) {
            return banded(&self.query, text, max);
        }
        let blocks = self.blocks;
        let last_bit = 1u64 << ((m - 1) % 64);
        // Vertical deltas per block: +1 everywhere in column 0 (D[i][0] = i).
        let mut pv = [u64::MAX; 4];
        let mut mv = [0u64; 4];
        let mut pv_big;
        let mut mv_big;
        let (pv, mv): (&mut [u64], &mut [u64]) = if blocks <= 4 {
            (&mut pv[..blocks], &mut mv[..blocks])
        } else {
            pv_big = vec![u64::MAX; blocks];
            mv_big = vec![0u64; blocks];
            (&mut pv_big[..], &mut mv_big[..])
        };
        let mut score = m;
        let mut best = m;
        let n = text.len();
        for (j, &c) in text.iter().enumerate() {
            let eqs = &self.peq[usize::from(c) * blocks..(usize::from(c) + 1) * blocks];
            // Row 0 is D[0][j] = j: the horizontal delta entering the first block is +1.
            let mut hin: i32 = 1;
            for k in 0..blocks {
                let (p, mneg) = (pv[k], mv[k]);
                let mut eq = eqs[k];
                let xv = eq | mneg;
                if hin < 0 {
                    eq |= 1;
                }
                let xh = (((eq & p).wrapping_add(p)) ^ p) | eq;
                let mut ph = mneg | !(xh | p);
                let mut mh = p & xh;
                let top = if k + 1 == blocks { last_bit } else { 1u64 << 63 };
                let hout = if ph & top != 0 {
                    1
                } else if mh & top != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if hin < 0 {
                    mh |= 1;
                } else if hin > 0 {
                    ph |= 1;
                }
                pv[k] = mh | !(xv | ph);
                mv[k] = ph & xv;
                hin = hout;
            }
            score = (score as i64 + i64::from(hin)) as usize;
            best = best.min(score);
            // The score falls by at most one per remaining byte.
            let remaining = n - j - 1;
            let floor = score.saturating_sub(remaining);
            if floor > max && (!want_prefix || best.min(floor) > max) {
                return Distances { global: floor, prefix: best.min(floor) };
            }
        }
        Distances { global: score, prefix: best }
    }
}

impl Comparator {
    /// [`run`](Self::run) for queries of at most 64 bytes (nearly every key): one machine word, no carries between
    /// blocks.
    fn run_one_block(&self, text: &[u8], max: usize, want_prefix: bool) -> Distances {
        let m = self.query.len();
        let last_bit = 1u64 << (m - 1);
        let (mut pv, mut mv) = (u64::MAX, 0u64);
        let mut score = m;
        let mut best = m;
        let n = text.len();
        for (j, &c) in text.iter().enumerate() {
            let eq = self.peq[usize::from(c)];
            let xv = eq | mv;
            let xh = (((eq & pv).wrapping_add(pv)) ^ pv) | eq;
            let ph = mv | !(xh | pv);
            let mh = pv & xh;
            if ph & last_bit != 0 {
                score += 1;
            } else if mh & last_bit != 0 {
                score -= 1;
            }
            // Row 0 is D[0][j] = j: a +1 enters at the bottom.
            let ph = (ph << 1) | 1;
            let mh = mh << 1;
            pv = mh | !(xv | ph);
            mv = ph & xv;
            best = best.min(score);
            let floor = score.saturating_sub(n - j - 1);
            if floor > max && (!want_prefix || best > max) {
                return Distances { global: floor, prefix: best.min(floor) };
            }
        }
        Distances { global: score, prefix: best }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(prefix_levenshtein("abc", "abcdef"), 0);
        assert_eq!(prefix_levenshtein("abx", "abcdef"), 1);
        assert_eq!(prefix_levenshtein("abc", ""), 3);
    }

    #[test]
    fn long_queries_cross_blocks() {
        let a = "a".repeat(70) + "b" + &"c".repeat(70);
        let b = "a".repeat(69) + "bb" + &"c".repeat(69) + "d";
        let c = Comparator::new(&a);
        assert_eq!(c.distance(&b), levenshtein(&a, &b));
        let long = "xy".repeat(200);
        let c = Comparator::new(&long);
        let other = format!("{}z{}", &long[1..150], &long[151..]);
        assert_eq!(c.distance(&long[1..]), 1);
        assert_eq!(c.distance(&other), levenshtein(&long, &other));
        assert_eq!(c.prefix_distance(&other), prefix_levenshtein(&long, &other));
    }
}

//! Four-gram posting lists: for every four-gram of a key, the ascending list of nodes whose key contains it.
//!
//! A key's four-grams are taken over the key with one start marker (`\x01`) in front, so a key of `n ≥ 3` bytes
//! has `n − 2` of them and its first letters count as much as the rest. No end marker: a title cut short keeps all
//! of its grams in the full title, which is what lets prefix (truncated-title) search use the same filter.
//!
//! # The filter: pigeonholes
//!
//! Cut the query into `m` disjoint four-letter windows. One edit (insertion, deletion or substitution) touches at
//! most one of them, so a key within `k` edits of the query — or of a prefix of it — still contains at least
//! `m − k` of the windows verbatim, and therefore has at least `max(1, d − k)` of their `d` distinct grams.
//! [`fill_windows`] and [`pick_windows`] pick the windows whose lists are shortest (a small dynamic programme over
//! positions), and the search reads only those lists. Four-grams rather than trigrams: rare four-grams are much rarer than rare
//! trigrams, and four letters still fit `k + 1` times in most titles at one edit per five letters.
//!
//! Lists are append-only (nodes are numbered in insertion order) and stored as LEB128 deltas. Removed nodes stay on
//! the lists and are skipped when read.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Gram id: four bytes, plus a field tag above them so titles and names share one map.
pub(crate) type Gram = u64;

/// Letters per gram.
pub(crate) const Q: usize = 4;

/// Start marker; never a byte of a key (keys are letters and digits).
const START: u8 = 1;

fn gram(field: u8, w: &[u8]) -> Gram {
    u64::from(field) << 32 | u64::from(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
}

/// The key with its start marker, in `buf`.
fn padded<'a>(key: &[u8], buf: &'a mut Vec<u8>) -> &'a [u8] {
    buf.clear();
    buf.push(START);
    buf.extend_from_slice(key);
    buf
}

/// Sets `out` to the distinct grams of `key` (tagged with `field`), sorted.
pub(crate) fn grams_of(key: &[u8], field: u8, buf: &mut Vec<u8>, out: &mut Vec<Gram>) {
    out.clear();
    out.extend(padded(key, buf).windows(Q).map(|w| gram(field, w)));
    out.sort_unstable();
    out.dedup();
}

/// The query's grams at each window position (position i covers bytes i..i+Q of the padded key).
pub(crate) fn windows_of(key: &[u8], field: u8, buf: &mut Vec<u8>, out: &mut Vec<Gram>) {
    out.clear();
    out.extend(padded(key, buf).windows(Q).map(|w| gram(field, w)));
}

#[cfg(test)]
/// Chooses `m` disjoint windows (positions at least `Q` apart) minimizing the total `cost` (list lengths). Returns
/// false when `m` disjoint windows do not fit. `dp` is scratch space.
pub(crate) fn choose_windows(cost: &[usize], m: usize, dp: &mut Vec<usize>, chosen: &mut Vec<usize>) -> bool {
    fill_windows(cost, m, dp);
    pick_windows(cost, m, m, dp, chosen)
}

/// Fills `dp` for up to `m_max` windows: `dp[i * (m_max + 1) + j]` is the least cost of `j` disjoint windows among
/// positions `i..` (usize::MAX when they do not fit). One fill answers every `m ≤ m_max`.
pub(crate) fn fill_windows(cost: &[usize], m_max: usize, dp: &mut Vec<usize>) {
    let n = cost.len();
    let w = m_max + 1;
    dp.clear();
    dp.resize((n + 1) * w, usize::MAX);
    dp[n * w] = 0;
    for i in (0..n).rev() {
        dp[i * w] = 0;
        for j in 1..=m_max {
            let skip = dp[(i + 1) * w + j];
            let rest = dp[(i + Q).min(n) * w + j - 1];
            let take = if rest == usize::MAX { usize::MAX } else { rest.saturating_add(cost[i]) };
            dp[i * w + j] = skip.min(take);
        }
    }
}

/// The least total cost of `m` windows from a `dp` filled for `m_max ≥ m`, or None when they do not fit.
pub(crate) fn windows_cost(dp: &[usize], m: usize, m_max: usize) -> Option<usize> {
    dp.get(m).copied().filter(|&c| c != usize::MAX && m <= m_max)
}

/// Reconstructs the `m` windows of least cost from a `dp` filled for `m_max ≥ m`. False when they do not fit.
pub(crate) fn pick_windows(cost: &[usize], m: usize, m_max: usize, dp: &[usize], chosen: &mut Vec<usize>) -> bool {
    chosen.clear();
    if windows_cost(dp, m, m_max).is_none() {
        return false;
    }
    let n = cost.len();
    let w = m_max + 1;
    let (mut i, mut j) = (0, m);
    while j > 0 && i < n {
        let rest = dp[(i + Q).min(n) * w + j - 1];
        if rest != usize::MAX && dp[i * w + j] == rest.saturating_add(cost[i]) {
            chosen.push(i);
            i += Q;
            j -= 1;
        } else {
            i += 1;
        }
    }
    j == 0
}

/// One posting list.
#[derive(Clone, Debug, Default)]
pub(crate) struct List {
    bytes: Vec<u8>,
    /// Last node appended, plus one (0: none yet).
    last: u32,
    /// Number of postings (removed nodes included).
    len: u32,
}

impl List {
    fn push(&mut self, node: u32) {
        let mut delta = node + 1 - self.last;
        self.last = node + 1;
        self.len += 1;
        while delta >= 0x80 {
            self.bytes.push((delta as u8) | 0x80);
            delta >>= 7;
        }
        self.bytes.push(delta as u8);
    }

    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// The nodes, ascending.
    pub(crate) fn iter(&self) -> ListIter<'_> {
        ListIter { bytes: &self.bytes, pos: 0, cur: 0 }
    }
}

pub(crate) struct ListIter<'a> {
    bytes: &'a [u8],
    pos: usize,
    cur: u32,
}

impl Iterator for ListIter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        let mut delta = 0u32;
        let mut shift = 0;
        loop {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            delta |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        self.cur += delta;
        Some(self.cur - 1)
    }
}

/// Multiplicative hash for gram ids (the default SipHash is several times slower, and needs no DoS resistance here:
/// gram ids are bounded by the key alphabet).
#[derive(Default)]
pub(crate) struct GramHasher(u64);

impl Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

/// Lists are kept in this many maps, by gram, so that a batch can fill them on all cores.
const SHARDS: usize = 16;

type Lists = HashMap<Gram, List, BuildHasherDefault<GramHasher>>;

fn shard_of(g: Gram) -> usize {
    (g.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % SHARDS
}

/// All posting lists.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    /// `SHARDS` maps once anything was added (empty before).
    shards: Vec<Lists>,
}

impl Postings {
    fn ready(&mut self) {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, Lists::default);
        }
    }

    /// Adds `node` to the lists of `grams`. Nodes must be added in ascending order (per field).
    pub(crate) fn add(&mut self, node: u32, grams: &[Gram]) {
        self.ready();
        for &g in grams {
            self.shards[shard_of(g)].entry(g).or_default().push(node);
        }
    }

    /// `add` for many (node, gram) pairs in order, one thread per shard under the `rayon` feature.
    pub(crate) fn add_many(&mut self, items: &[(u32, Gram)]) {
        if items.is_empty() {
            return;
        }
        self.ready();
        let mut buckets: Vec<Vec<(u32, Gram)>> =
            (0..SHARDS).map(|_| Vec::with_capacity(items.len() / SHARDS * 5 / 4)).collect();
        for &(node, g) in items {
            buckets[shard_of(g)].push((node, g));
        }
        crate::batch::zip_mut(&mut self.shards, &buckets, |lists, bucket| {
            for &(node, g) in bucket {
                lists.entry(g).or_default().push(node);
            }
        });
    }

    pub(crate) fn get(&self, gram: Gram) -> Option<&List> {
        self.shards.get(shard_of(gram))?.get(&gram)
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        for lists in &mut self.shards {
            for l in lists.values_mut() {
                l.bytes.shrink_to_fit();
            }
            lists.shrink_to_fit();
        }
    }

    /// Bytes on the heap: list bytes plus the maps' slots (key, value and one control byte each).
    pub(crate) fn heap_bytes(&self) -> usize {
        let slot = std::mem::size_of::<(Gram, List)>() + 1;
        self.shards
            .iter()
            .map(|m| m.values().map(|l| l.bytes.capacity()).sum::<usize>() + m.capacity() * slot)
            .sum::<usize>()
            + self.shards.capacity() * std::mem::size_of::<Lists>()
    }

    /// Number of postings in all lists.
    pub(crate) fn postings(&self) -> usize {
        self.shards.iter().flat_map(|m| m.values()).map(List::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip() {
        let mut l = List::default();
        let nodes = [0u32, 1, 5, 127, 128, 129, 20_000, 3_000_000, u32::MAX - 1];
        for &n in &nodes {
            l.push(n);
        }
        assert_eq!(l.iter().collect::<Vec<_>>(), nodes);
        assert_eq!(l.len(), nodes.len());
    }

    #[test]
    fn grams_of_a_key() {
        let (mut buf, mut g) = (Vec::new(), Vec::new());
        grams_of(b"ababa", 0, &mut buf, &mut g);
        // \x01aba, abab, baba
        assert_eq!(g.len(), 3);
        grams_of(b"ab", 0, &mut buf, &mut g);
        assert!(g.is_empty());
        grams_of(b"aaaaaa", 0, &mut buf, &mut g);
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn windows_are_cheapest_and_disjoint() {
        let (mut dp, mut chosen) = (Vec::new(), Vec::new());
        let cost = [5, 1, 9, 9, 9, 1, 9, 9, 2, 9];
        assert!(choose_windows(&cost, 2, &mut dp, &mut chosen));
        assert_eq!(chosen, [1, 5]);
        assert!(choose_windows(&cost, 3, &mut dp, &mut chosen));
        assert_eq!(chosen.iter().map(|&i| cost[i]).sum::<usize>(), 1 + 1 + 9);
        assert!(chosen.windows(2).all(|w| w[1] - w[0] >= Q));
        assert!(!choose_windows(&cost, 4, &mut dp, &mut chosen));
        // Brute force over all position sets for small cases.
        let cost = [3, 7, 1, 4, 4, 2, 8, 1, 5, 6, 2, 3];
        for m in 1..=3 {
            let mut best = usize::MAX;
            for mask in 0u32..(1 << cost.len()) {
                let pos: Vec<usize> = (0..cost.len()).filter(|&i| mask >> i & 1 == 1).collect();
                if pos.len() == m && pos.windows(2).all(|w| w[1] - w[0] >= Q) {
                    best = best.min(pos.iter().map(|&i| cost[i]).sum());
                }
            }
            assert!(choose_windows(&cost, m, &mut dp, &mut chosen));
            assert_eq!(chosen.iter().map(|&i| cost[i]).sum::<usize>(), best, "m = {m}");
        }
    }
}

//! Trigram posting lists: for every trigram of a key, the ascending list of nodes whose key contains it.
//!
//! A key's trigrams are taken over the key with one start marker (`\x01`) in front, so a key of `n ≥ 2` bytes has
//! `n − 1` trigrams and its first letters count as much as the rest. No end marker: a title cut short keeps all of
//! its trigrams in the full title, which is what lets prefix (truncated-title) search use the same filter.
//!
//! Lists are append-only (nodes are numbered in insertion order) and stored as LEB128 deltas: with a 22-letter key
//! alphabet, a million titles put on average one posting in 1,000 nodes on a list, and a gap under 16,384 costs two
//! bytes. Removed nodes stay on the lists and are skipped when read.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Trigram id: three bytes, plus a field tag in the top byte so titles and names share one map.
pub(crate) type Gram = u32;

/// Start marker; never a byte of a key (keys are letters and digits).
const START: u8 = 1;

/// Appends the distinct trigrams of `key` (tagged with `field`) to `out`, sorted.
pub(crate) fn grams_of(key: &[u8], field: u8, out: &mut Vec<Gram>) {
    out.clear();
    if key.len() < 2 {
        return;
    }
    let tag = u32::from(field) << 24;
    let gram = |a: u8, b: u8, c: u8| tag | u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
    out.push(gram(START, key[0], key[1]));
    out.extend(key.windows(3).map(|w| gram(w[0], w[1], w[2])));
    out.sort_unstable();
    out.dedup();
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

/// Multiplicative hash for trigram ids (the default SipHash is several times slower and needs no DoS resistance
/// here: trigram ids are bounded by the key alphabet).
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
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// All posting lists.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    lists: HashMap<Gram, List, BuildHasherDefault<GramHasher>>,
}

impl Postings {
    /// Adds `node` to the lists of `grams`. Nodes must be added in ascending order.
    pub(crate) fn add(&mut self, node: u32, grams: &[Gram]) {
        for &g in grams {
            self.lists.entry(g).or_default().push(node);
        }
    }

    pub(crate) fn get(&self, gram: Gram) -> Option<&List> {
        self.lists.get(&gram)
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        for l in self.lists.values_mut() {
            l.bytes.shrink_to_fit();
        }
        self.lists.shrink_to_fit();
    }

    /// Bytes on the heap: list bytes plus the map's slots (key, value and one control byte each).
    pub(crate) fn heap_bytes(&self) -> usize {
        let lists: usize = self.lists.values().map(|l| l.bytes.capacity()).sum();
        lists + self.lists.capacity() * (std::mem::size_of::<(Gram, List)>() + 1)
    }

    /// Number of postings in all lists.
    pub(crate) fn postings(&self) -> usize {
        self.lists.values().map(List::len).sum()
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
        let mut g = Vec::new();
        grams_of(b"abab", 0, &mut g);
        // \x01ab, aba, bab
        assert_eq!(g.len(), 3);
        grams_of(b"a", 0, &mut g);
        assert!(g.is_empty());
        grams_of(b"aaaaa", 0, &mut g);
        assert_eq!(g.len(), 2);
    }
}

//! The exact-lookup table: key → the records (or name entries) that have it.
//!
//! An open-addressing hash table of `u32` node ids with linear probing and backward-shift deletion (no tombstones).
//! Each slot holds the most recent node with a given key; older nodes with the same key are chained through a
//! `next` array owned by the caller. The table does not store keys: it asks the caller for a node's key bytes,
//! which live once, in the index's key arena. A slot is 12 bytes (the node, where its key starts, 16 bits of hash
//! and the length); the table is at most 3/4 full, so a key costs 16–32 bytes (at most 1/2 full for the clusterer's
//! keys: 24–48 bytes).

pub(crate) const NONE: u32 = u32::MAX;

/// 64-bit hash of a key (FxHash-style word mixing, then a final avalanche so the low bits index well).
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    // murmur3 finalizer
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// A view of a key arena: node n's key is `text[ends[n-1]..ends[n]]`; `hashes`, when it has one entry per node
/// (the clusterer's keys), the low 32 bits of each node's [`hash_bytes`], so that growing does not hash every key
/// again. Otherwise empty.
#[derive(Clone, Copy)]
pub(crate) struct Keys<'a> {
    pub(crate) text: &'a [u8],
    pub(crate) ends: &'a [u32],
    pub(crate) hashes: &'a [u32],
}

impl<'a> Keys<'a> {
    /// The arena `text` with the key ends `ends`, and no kept hashes.
    pub(crate) fn of(text: &'a [u8], ends: &'a [u32]) -> Keys<'a> {
        Keys { text, ends, hashes: &[] }
    }

    pub(crate) fn start(&self, n: u32) -> u32 {
        if n == 0 {
            0
        } else {
            self.ends[n as usize - 1]
        }
    }

    pub(crate) fn get(&self, n: u32) -> &'a [u8] {
        self.text.get(self.start(n) as usize..self.ends[n as usize] as usize).unwrap_or_default()
    }
}

/// One slot: the head node of a key's chain, where its key starts in the arena, and 16 bits of the key's hash with
/// the key's length (both compared before the key itself). 12 bytes.
#[derive(Clone, Copy, Debug)]
struct Slot {
    node: u32,
    start: u32,
    /// `hash >> 48 << 16 | min(len, 0xFFFF)`.
    meta: u32,
}

const EMPTY: Slot = Slot { node: NONE, start: 0, meta: 0 };
const LONG: u32 = 0xFFFF;

/// Keys looked up together by [`KeyTable::get_group`].
pub(crate) const GROUP: usize = 16;

fn meta(hash: u64, len: usize) -> u32 {
    ((hash >> 48) as u32) << 16 | (len.min(LONG as usize) as u32)
}

#[derive(Clone, Debug, Default)]
pub(crate) struct KeyTable {
    /// Linear probing from `hash & mask`. Keeping the start offset and the length in the slot lets a lookup reach
    /// the key's bytes with one memory access after the slot's.
    slots: Vec<Slot>,
    len: usize,
    /// At most half full rather than three quarters: shorter probe runs for the lookups of keys that are absent (most
    /// of the clusterer's), for up to twice the 12 bytes a slot. The clusterer's exact-only index is; an index with
    /// gram lists, whose memory per record is a goal (BENCHMARKS.md), is not.
    sparse: bool,
}

impl KeyTable {
    /// An empty table that stays at most half full (see `sparse`).
    pub(crate) fn sparse() -> KeyTable {
        KeyTable { sparse: true, ..KeyTable::default() }
    }

    /// Whether one more key would pass the table's load limit.
    fn full(&self) -> bool {
        let (num, den) = if self.sparse { (1, 2) } else { (3, 4) };
        (self.len + 1) * den > self.slots.len() * num
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Distinct keys in the table.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
    }

    fn matches(slot: &Slot, m: u32, key: &[u8], keys: Keys<'_>) -> bool {
        slot.meta == m && Self::key_of(slot, keys) == key
    }

    /// The slot holding `key`, or None.
    fn find(&self, key: &[u8], keys: Keys<'_>) -> Option<usize> {
        self.find_hashed(key, hash_bytes(key), keys)
    }

    /// [`find`](Self::find) of a key whose [`hash_bytes`] is `h`.
    fn find_hashed(&self, key: &[u8], h: u64, keys: Keys<'_>) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let m = meta(h, key.len());
        let mask = self.mask();
        let mut i = h as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.node == NONE {
                return None;
            }
            if Self::matches(slot, m, key, keys) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The head node of the chain of each key of `group` (at most [`GROUP`]; NONE when absent), in
    /// `out[..group.len()]`. The hashes first, then every key's home slot, then the first byte of each candidate key,
    /// then the comparisons: the loads of one group do not depend on each other, so the processor overlaps their
    /// cache misses, where one lookup after another would wait for each miss in turn.
    ///
    /// `hashes[j]` is set to the [`hash_bytes`] of `group[j]`, which [`insert_hashed`](Self::insert_hashed) takes
    /// so that a key found absent is not hashed again to be inserted.
    pub(crate) fn get_group(&self, group: &[&[u8]], keys: Keys<'_>, out: &mut [u32], hashes: &mut [u64]) {
        for (h, q) in hashes.iter_mut().zip(group) {
            *h = hash_bytes(q);
        }
        if self.slots.is_empty() {
            out[..group.len()].fill(NONE);
            return;
        }
        let mask = self.mask();
        let mut home = [0usize; GROUP];
        let mut metas = [0u32; GROUP];
        for (j, q) in group.iter().enumerate() {
            home[j] = hashes[j] as usize & mask;
            metas[j] = meta(hashes[j], q.len());
        }
        let mut first = [EMPTY; GROUP];
        for j in 0..group.len() {
            first[j] = self.slots[home[j]];
        }
        let mut lead = [false; GROUP];
        for (j, q) in group.iter().enumerate() {
            let f = &first[j];
            lead[j] =
                f.node != NONE && f.meta == metas[j] && keys.text.get(f.start as usize).copied() == q.first().copied();
        }
        for (j, q) in group.iter().enumerate() {
            out[j] = if lead[j] && Self::matches(&first[j], metas[j], q, keys) {
                first[j].node
            } else if first[j].node == NONE {
                NONE
            } else {
                self.find_hashed(q, hashes[j], keys).map_or(NONE, |i| self.slots[i].node)
            };
        }
    }

    /// The head node of `key`'s chain, or NONE.
    pub(crate) fn get(&self, key: &[u8], keys: Keys<'_>) -> u32 {
        self.find(key, keys).map_or(NONE, |i| self.slots[i].node)
    }

    /// Makes `node` (whose key, already in the arena, is `key`) the head of its key's chain. Returns the previous
    /// head (NONE if the key is new), which the caller links as `next[node]`.
    pub(crate) fn insert(&mut self, node: u32, key: &[u8], keys: Keys<'_>) -> u32 {
        self.insert_hashed(node, key, hash_bytes(key), keys)
    }

    /// [`insert`](Self::insert) of a key whose [`hash_bytes`] is `h`.
    pub(crate) fn insert_hashed(&mut self, node: u32, key: &[u8], h: u64, keys: Keys<'_>) -> u32 {
        if self.full() {
            self.grow(keys);
        }
        let m = meta(h, key.len());
        let fresh = Slot { node, start: keys.start(node), meta: m };
        let mask = self.mask();
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.node == NONE {
                self.slots[i] = fresh;
                self.len += 1;
                return NONE;
            }
            if Self::matches(&slot, m, key, keys) {
                self.slots[i] = fresh;
                return slot.node;
            }
            i = (i + 1) & mask;
        }
    }

    /// Replaces the head of `key`'s chain with `new_head` (a node with the same key), or removes the key when
    /// `new_head` is NONE.
    pub(crate) fn set_head(&mut self, key: &[u8], new_head: u32, keys: Keys<'_>) {
        let Some(i) = self.find(key, keys) else { return };
        if new_head != NONE {
            self.slots[i].node = new_head;
            self.slots[i].start = keys.start(new_head);
            return;
        }
        // Backward-shift deletion: pull later members of the probe run into the hole when their home slot allows.
        self.len -= 1;
        let mask = self.mask();
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let slot = self.slots[j];
            if slot.node == NONE {
                break;
            }
            let home = hash_bytes(keys.get(slot.node)) as usize & mask;
            // Move the entry if its home is not in the cyclic range (hole, j].
            let in_range = if hole <= j { hole < home && home <= j } else { hole < home || home <= j };
            if !in_range {
                self.slots[hole] = slot;
                hole = j;
            }
        }
        self.slots[hole] = EMPTY;
    }

    fn grow(&mut self, keys: Keys<'_>) {
        let cap = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; cap]);
        let mask = cap - 1;
        // The homes come from the keys' hashes. The clusterer's keys keep theirs (`keys.hashes`). Otherwise hashing a
        // key reads it from the arena, and in slot order every read is a cache miss (this loop was once a fifth of
        // `bibkey cluster`'s time): when the table holds most of the arena's nodes, the whole arena is hashed from
        // one end to the other instead, into a table by node that stays in cache; otherwise the keys are hashed
        // before any move, so that at least their misses overlap.
        let occupied = || old.iter().filter(|s| s.node != NONE).copied();
        if keys.hashes.len() == keys.ends.len() && mask <= u32::MAX as usize {
            // The homes are the hashes' low bits, which the caller kept.
            self.place_all(occupied().map(|s| (s, u64::from(keys.hashes[s.node as usize]))));
        } else if keys.ends.len() <= 2 * self.len && mask <= u32::MAX as usize {
            let by_node: Vec<u32> = (0..keys.ends.len() as u32).map(|n| hash_bytes(keys.get(n)) as u32).collect();
            self.place_all(occupied().map(|s| (s, u64::from(by_node[s.node as usize]))));
        } else {
            let hashes: Vec<u64> = occupied().map(|s| hash_bytes(Self::key_of(&s, keys))).collect();
            self.place_all(occupied().zip(hashes));
        }
    }

    /// Puts each slot, with its key's hash, in the first empty slot from its home.
    fn place_all(&mut self, moving: impl Iterator<Item = (Slot, u64)>) {
        let mask = self.mask();
        for (slot, h) in moving {
            let mut i = h as usize & mask;
            while self.slots[i].node != NONE {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// The key of a slot's node, found from the slot alone unless it is long.
    fn key_of<'k>(slot: &Slot, keys: Keys<'k>) -> &'k [u8] {
        let len = slot.meta & LONG;
        if len == LONG {
            keys.get(slot.node)
        } else {
            let start = slot.start as usize;
            keys.text.get(start..start + len as usize).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_delete_against_a_map() {
        // Node n has key "k{n % 97}"; heads checked against a HashMap model.
        let mut text = Vec::new();
        let mut ends = Vec::new();
        for n in 0..3000u32 {
            text.extend_from_slice(format!("k{}", n % 97).as_bytes());
            ends.push(text.len() as u32);
        }
        let keys = Keys::of(&text, &ends);
        let mut t = KeyTable::default();
        let mut model: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        for n in 0..3000u32 {
            let prev = t.insert(n, keys.get(n), keys);
            assert_eq!(prev, model.insert(keys.get(n).to_vec(), n).unwrap_or(NONE));
        }
        assert_eq!(t.len(), 97);
        // Remove every third key entirely; move the head of every fifth to an older node.
        for k in (0..97).step_by(3) {
            let key = format!("k{k}").into_bytes();
            t.set_head(&key, NONE, keys);
            model.remove(&key);
        }
        for k in (1..97).step_by(5) {
            let key = format!("k{k}").into_bytes();
            if model.contains_key(&key) {
                t.set_head(&key, k, keys);
                model.insert(key, k);
            }
        }
        let all: Vec<Vec<u8>> = (0..120).map(|k| format!("k{k}").into_bytes()).collect();
        let queries: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
        let mut many = Vec::new();
        for group in queries.chunks(GROUP) {
            let mut heads = [0; GROUP];
            let mut hashes = [0; GROUP];
            t.get_group(group, keys, &mut heads, &mut hashes);
            for (h, q) in hashes.iter().zip(group) {
                assert_eq!(*h, hash_bytes(q));
            }
            many.extend_from_slice(&heads[..group.len()]);
        }
        for (k, key) in all.iter().enumerate() {
            let want = model.get(key).copied().unwrap_or(NONE);
            assert_eq!(t.get(key, keys), want, "key {k}");
            assert_eq!(many[k], want, "key {k} in get_group");
        }
        assert_eq!(t.len(), model.len());
    }
}

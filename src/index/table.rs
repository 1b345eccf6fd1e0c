//! The exact-lookup table: key → the records (or name entries) that have it.
//!
//! An open-addressing hash table of `u32` node ids with linear probing and backward-shift deletion (no tombstones).
//! Each slot holds the most recent node with a given key; older nodes with the same key are chained through a
//! `next` array owned by the caller. The table does not store keys: it asks the caller for a node's key bytes,
//! which live once, in the index's key arena. At most 3/4 full, so a slot costs 4 bytes and a key 5.3–10.7 bytes.

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

#[derive(Clone, Debug, Default)]
pub(crate) struct KeyTable {
    slots: Vec<u32>,
    len: usize,
}

impl KeyTable {
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Distinct keys in the table.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 4
    }

    /// The head node of `key`'s chain, or NONE.
    pub(crate) fn get<'a>(&self, key: &[u8], key_of: impl Fn(u32) -> &'a [u8]) -> u32 {
        if self.slots.is_empty() {
            return NONE;
        }
        let mask = self.mask();
        let mut i = hash_bytes(key) as usize & mask;
        loop {
            let node = self.slots[i];
            if node == NONE {
                return NONE;
            }
            if key_of(node) == key {
                return node;
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes `node` (whose key is `key`) the head of its key's chain. Returns the previous head (NONE if the key is
    /// new), which the caller links as `next[node]`.
    pub(crate) fn insert<'a>(&mut self, node: u32, key: &[u8], key_of: impl Fn(u32) -> &'a [u8] + Copy) -> u32 {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow(key_of);
        }
        let mask = self.mask();
        let mut i = hash_bytes(key) as usize & mask;
        loop {
            let head = self.slots[i];
            if head == NONE {
                self.slots[i] = node;
                self.len += 1;
                return NONE;
            }
            if key_of(head) == key {
                self.slots[i] = node;
                return head;
            }
            i = (i + 1) & mask;
        }
    }

    /// Replaces the head of `key`'s chain with `new_head`, or removes the key when `new_head` is NONE.
    pub(crate) fn set_head<'a>(&mut self, key: &[u8], new_head: u32, key_of: impl Fn(u32) -> &'a [u8]) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.mask();
        let mut i = hash_bytes(key) as usize & mask;
        loop {
            let node = self.slots[i];
            if node == NONE {
                return;
            }
            if key_of(node) == key {
                break;
            }
            i = (i + 1) & mask;
        }
        if new_head != NONE {
            self.slots[i] = new_head;
            return;
        }
        // Backward-shift deletion: pull later members of the probe run into the hole when their home slot allows.
        self.len -= 1;
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let node = self.slots[j];
            if node == NONE {
                break;
            }
            let home = hash_bytes(key_of(node)) as usize & mask;
            // Move `node` if its home is not in the cyclic range (hole, j].
            let in_range = if hole <= j { hole < home && home <= j } else { hole < home || home <= j };
            if !in_range {
                self.slots[hole] = node;
                hole = j;
            }
        }
        self.slots[hole] = NONE;
    }

    fn grow<'a>(&mut self, key_of: impl Fn(u32) -> &'a [u8]) {
        let cap = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![NONE; cap]);
        let mask = cap - 1;
        for node in old.into_iter().filter(|&n| n != NONE) {
            let mut i = hash_bytes(key_of(node)) as usize & mask;
            while self.slots[i] != NONE {
                i = (i + 1) & mask;
            }
            self.slots[i] = node;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_delete_against_a_map() {
        // Keys of nodes: node n has key (n % 97) as text; heads and chains checked against a HashMap model.
        let keys: Vec<Vec<u8>> = (0..3000u32).map(|n| format!("k{}", n % 97).into_bytes()).collect();
        let key_of = |n: u32| keys[n as usize].as_slice();
        let mut t = KeyTable::default();
        let mut model: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        for n in 0..3000u32 {
            let prev = t.insert(n, key_of(n), key_of);
            assert_eq!(prev, model.insert(keys[n as usize].clone(), n).unwrap_or(NONE));
        }
        assert_eq!(t.len(), 97);
        // Remove every third key entirely.
        for k in (0..97).step_by(3) {
            let key = format!("k{k}").into_bytes();
            t.set_head(&key, NONE, key_of);
            model.remove(&key);
        }
        for k in 0..97 {
            let key = format!("k{k}").into_bytes();
            assert_eq!(t.get(&key, key_of), model.get(&key).copied().unwrap_or(NONE), "key {k}");
        }
        assert_eq!(t.len(), model.len());
    }
}

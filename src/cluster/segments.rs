//! Neighbour candidates for the clusterer: a Pass-Join segment index (Li, Deng, Wang and Feng, "Pass-Join: a
//! partition-based method for similarity joins", VLDB 2011), exact for the clusterer's small edit budgets.
//!
//! # Why not the index's four-gram lists
//!
//! The [`Index`] filter is built for budgets of up to six edits on titles and for prefixes; a
//! clusterer's budget is one edit per ten bytes, at most three, on whole keys. For that, a key of length `l` is cut
//! into `τ + 1` segments of about `l / (τ + 1)` bytes (ten to fifteen for a typical key), and each segment is filed
//! under (length, segment number, bytes). A query reads a few dozen table slots, most of them empty, instead of
//! thousands of postings.
//!
//! # Why it finds everything within the budget
//!
//! Take an optimal alignment of a stored key `r` (cut into `n ≥ d + 1` segments) with the query `s`, at `d ≤ k`
//! edits. Let `c_i` be the edits inside segments `1..=i` and `g(i) = c_i − i`: `g(0) = 0`, `g(n) = d − n ≤ −1`, and
//! `g` falls by at most one per step. At the first `i` where `g(i) = −1`, segment `i` has no edit and segments
//! before it hold exactly `i − 1`; since `g(i) ≤ d − i`, that `i` is at most `d + 1 ≤ k + 1`. So segment `i` appears
//! verbatim in `s`, shifted from its place in `r` by some `δ` with `|δ| ≤ i − 1` (the edits to its left) and
//! `|Δ − δ| ≤ k + 1 − i` (the edits to its right, where `Δ = |s| − |r|`). The query therefore probes, for each length
//! `l` within `k` of its own and each segment `i ≤ k + 1` of that length's partition, only the substrings at those
//! shifts: `Σ (⌊(k² − Δ²) / 2⌋ + k + 1)` probes over the `2k + 1` lengths, 44 at three edits (the paper's
//! multi-match-aware selection). Every key found is then measured exactly with the [`Comparator`].
//!
//! # Digit runs
//!
//! A neighbour must also have the query's digit runs (the clusterer's definition: numbers are not fuzzy-matched).
//! Those are part of the filter rather than checked after it: a hash of a key's digit runs ([`digit_mix`], zero
//! for a key without digits) is mixed into the seed of each of its segments, and a query mixes its own into the seed
//! of each probe. A key with the query's digit runs has the query's mix, so the argument above holds for it
//! unchanged; a key with other digit runs is filed under other tags and is not read at all (a hash collision only
//! adds a candidate, which [`best_of`] rejects by comparing the runs). Without this, the titles of a numbered series
//! (`Materialy po istorii …` + a number) shared their first segment under one tag, every search read the run of
//! every earlier title of its length, and clustering the series took time quadratic in its length.
//!
//! A length's partition has to serve every query that can reach it, so a key of length `l` is cut into `τ(l) + 1`
//! segments, where `τ(l)` is the largest budget of a query length `L` with `|L − l|` within that budget (budgets grow
//! with length, so only longer queries raise it). A query with a smaller budget uses the first `k + 1` segments.
//!
//! # Layout, and where the time goes
//!
//! One table, open addressing with linear probing, at most 4/5 full: a 16-byte slot per segment of each key, with
//! 32 bits of the segment's hash (whose top bits are also its home slot, so the table grows without reading the
//! keys), the key's record, and the key's letter-count [`signature`]. Keys with the same segment sit in the run of
//! slots from its home, read one after another. Runs are kept in tag order (an insert moves the larger tags of its
//! run up by one; runs do not wrap around, the table has spare slots past the last home), so a lookup stops at the
//! first larger tag instead of at the end of the run: at 4/5 full, a run from a home holds about thirteen slots,
//! and a lookup used to read them all (−7 % on `bibkey cluster` of a million titles). The signature is a lower
//! bound on the edit distance, so the keys that share a segment with the query and little else (a common title word
//! at the same place in a key of the same length: 18 per search at a million keys) are rejected from the slot
//! itself; 0.07 per search are left to measure. Hash collisions only add candidates, which the comparator rejects.
//!
//! Nearly all the time is memory latency: at a million keys the table is 64 MB and every probe is a cache and TLB
//! miss. So a bit filter (eight bits per slot, 4 MB at a million keys) is read first, for every probe before any
//! decision; only the probes whose bit is set (6.4 of the 37 of a search) read the table, and their home slots, and
//! those of the query's own segments that [`Segments::insert`] files next, are all read once, with no branch on what
//! is read, before the runs are scanned, so that the misses overlap instead of queueing.
//!
//! Better still is not to read at random: [`Segments::nearest_many`] does the searches and inserts of a whole batch
//! of new keys in the order of the table (DESIGN.md, "Clustering in batches"). What a search probes depends on the
//! query's length alone, so it is worked out once per length (a [`Plan`]) and a search only hashes.

use crate::distance::Comparator;
use crate::index::{Index, SearchOptions};

const NONE: u32 = u32::MAX;

/// One segment of one key. Entries with the same segment sit in the run of occupied slots that starts at the
/// segment's home slot, so a probe reads them one after another instead of chasing a chain through memory.
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// Top 32 bits of the segment's hash: the home slot, and most of what tells segments apart.
    tag: u32,
    /// The key (record of the clusterer's index) the segment was cut from, or `NONE` for an empty slot.
    key: u32,
    /// The key's [`signature`], so that most keys that share a segment with the query but little else are
    /// rejected from the table itself, without reading their bytes.
    sig: u64,
}

const EMPTY: Slot = Slot { tag: 0, key: NONE, sig: 0 };

/// Letter counts of a key in sixteen groups (a byte's low four bits: `a`/`q`, `e`/`u`, `i`/`y`…; digits alone),
/// four bits each, capped at 15.
///
/// One edit changes the counts by at most two in all (a substitution moves one letter from a group to another; an
/// insertion or a deletion changes one), and merging letters into groups or capping the counts only brings counts
/// closer, so two keys `d` edits apart have signatures at most `2d` apart in [`sig_distance`]. Unrelated keys of
/// forty letters are typically twenty or more apart.
fn signature(key: &[u8]) -> u64 {
    // Four sets of counters, for the bytes at positions 0, 1, 2, 3 mod 4: a repeated group (`ss`, `ii`) would
    // otherwise make each increment wait for the one before it.
    let mut counts = [[0u32; 16]; 4];
    let mut words = key.chunks_exact(4);
    for w in &mut words {
        for (lane, &b) in counts.iter_mut().zip(w) {
            lane[usize::from(b & 15)] += 1;
        }
    }
    for &b in words.remainder() {
        counts[0][usize::from(b & 15)] += 1;
    }
    (0..16).rev().fold(0u64, |sig, g| {
        let c = counts.iter().map(|lane| lane[g]).sum::<u32>();
        sig << 4 | u64::from(c.min(15))
    })
}

/// Sum over the sixteen groups of the difference of the counts.
fn sig_distance(a: u64, b: u64) -> u32 {
    // Eight lanes of a byte at a time (the even groups, then the odd ones): `x − y + 128` in each lane has its top
    // bit set exactly when `x ≥ y`, and the low seven bits are then `x − y`, else `128 − (y − x)`.
    const LOW: u64 = 0x0F0F_0F0F_0F0F_0F0F;
    const TOP: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let lanes = |x: u64, y: u64| {
        let t = (x | TOP) - y;
        let up = ((t & TOP) >> 7) * 0xFF;
        let low = t & !TOP;
        let diff = (low & up) | ((TOP - low) & !up);
        // Lanes hold at most 15 each: the byte sum fits in the top byte.
        (diff.wrapping_mul(ONES) >> 56) as u32
    };
    lanes(a & LOW, b & LOW) + lanes((a >> 4) & LOW, (b >> 4) & LOW)
}

/// What the neighbour searches so far cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NeighbourWork {
    /// Searches made (new keys with a budget of at least one edit).
    pub searches: u64,
    /// Segment-sized substrings of the queries probed in the filter.
    pub probes: u64,
    /// Probes that passed the filter and were looked up in the table.
    pub lookups: u64,
    /// Occupied slots read by the lookups (a segment of a key each, whether the probe's or another's).
    pub slots: u64,
    /// Distinct keys measured with the comparator.
    pub candidates: u64,
}

/// The segment index. See the [module documentation](self).
#[derive(Clone, Debug)]
pub(crate) struct Segments {
    /// Only `edits_for` is used: the budget of a key length.
    budget: SearchOptions,
    slots: Vec<Slot>,
    /// At least `(1 << bits) + SPILL` slots: homes are the top `bits` bits of the tags.
    bits: u32,
    /// One bit per `bits + 3`-bit tag prefix (eight per slot): set when a segment with that prefix is filed.
    /// A query reads these (1 MB per million slots) for every probe, and goes to the table only for the few
    /// probes whose bit is set.
    filter: Vec<u64>,
    used: usize,
    /// The partition of each key length computed so far: each of its `τ(l) + 1` segments (empty when not computed
    /// yet), so that searches do not divide, nor hash the length and segment number.
    parts: Vec<Vec<Part>>,
    /// The [`Plan`] of each query length seen (`None` before its first search, or when it has too many probes or
    /// the length is past [`PLANNED_LENGTHS`]).
    plans: Vec<Option<Plan>>,
    /// Keys filed, by length: lengths with none are not probed.
    per_len: Vec<u32>,
    /// The tags of a search's probes ([`list_probes`](Self::list_probes)).
    tags: Vec<u32>,
    /// The probes of [`nearest`](Self::nearest) that pass the filter, as (tag, 0).
    probes: Vec<(u32, u32)>,
    candidates: Vec<u32>,
    batch: Batch,
    work: NeighbourWork,
}

/// Segment `i` of a length's partition: where it starts, its length, and the seed of its hash
/// ([`segment_seed`]), computed once per length rather than once per probe.
#[derive(Clone, Copy, Debug)]
struct Part {
    start: u32,
    len: u32,
    seed: u64,
}

/// One substring that a search for a key of a given length probes: where it starts in the key, its length, and the
/// [`segment_seed`] of the segment it is probed for.
#[derive(Clone, Copy, Debug)]
struct Probe {
    at: u32,
    len: u32,
    seed: u64,
}

/// The substrings that a search for a key of a given length probes, which depend on the length alone (and the
/// budget, which depends on the length): `probes`, by length of the keys probed, `lengths` holding each length and
/// the end of its probes. A search then only hashes; working out the shifts each time was most of its instructions.
#[derive(Clone, Debug, Default)]
struct Plan {
    lengths: Vec<(u32, u32)>,
    probes: Vec<Probe>,
}

impl Plan {
    /// Appends to `tags` the tags of the substrings of `q` (of the plan's length) to probe, those of the lengths
    /// that have keys (`per_len`), with `q`'s [`digit_mix`] in their seeds.
    fn hash(&self, q: &[u8], per_len: &[u32], mix: u64, tags: &mut Vec<u32>) {
        let mut from = 0;
        for &(l, end) in &self.lengths {
            let probes = &self.probes[from as usize..end as usize];
            from = end;
            if per_len.get(l as usize).copied().unwrap_or(0) == 0 {
                continue;
            }
            for p in probes {
                let (at, len) = (p.at as usize, p.len as usize);
                // Most segments are 8 to 16 bytes: `hash_with_seed` without its branches on the length.
                let seed = p.seed ^ mix;
                let h = if (8..=16).contains(&len) {
                    finish(word(q, at), word(q, at + len - 8), seed)
                } else {
                    hash_with_seed(seed, &q[at..at + len])
                };
                tags.push((h >> 32) as u32);
            }
        }
    }
}

/// Searches with more probes than this (budgets far above the default three edits), and searches for keys of
/// `PLANNED_LENGTHS` bytes or more, work them out each time rather than keep a [`Plan`] for their length.
const MAX_PLAN: usize = 256;
const PLANNED_LENGTHS: usize = 1024;

/// Start and length of segment `i` of `n` of a key of `l` bytes: the first `n − l mod n` segments have `⌊l / n⌋`
/// bytes, the others one more (Pass-Join's even partition).
fn segment(l: usize, n: usize, i: usize) -> (usize, usize) {
    let base = l / n;
    let short = n - l % n;
    let start = i * base + i.saturating_sub(short);
    (start, if i < short { base } else { base + 1 })
}

/// The folded 64×64→128-bit multiply of wyhash and foldhash: one multiplication mixes every bit of both words.
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

// One slice (one bounds check, one load) rather than eight indexed bytes, which the compiler kept as eight checked
// loads: `word` was an eighth of the clusterer's instructions.
fn word(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn half(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const P2: u64 = 0x8ebc_6af0_9c88_c6e3;

/// The part of a segment's hash that depends on the length `l` of the keys cut and the segment number `i` only
/// (kept in the length's [`Part`]s).
fn segment_seed(l: usize, i: usize) -> u64 {
    fold((l as u64) ^ P0, (i as u64) ^ P2)
}

/// 64-bit hash of `bytes`, segment `i` of a key of length `l` or a substring probed for it, with the
/// [`segment_seed`] of `l` and `i`. A query hashes a few dozen substrings per search, so this is wyhash's scheme
/// rather than a byte loop: a segment of 8 to 16 bytes (most of them) is two overlapping word reads and two
/// multiplications. `l` and `i` fix the segment's length, so the overlap is the same for equal segments.
#[inline]
fn hash_with_seed(mut seed: u64, bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let (a, b) = if n >= 8 {
        let mut at = 8;
        while at + 8 < n {
            seed = fold(seed ^ word(bytes, at), P1);
            at += 8;
        }
        (word(bytes, 0), word(bytes, n - 8))
    } else if n >= 4 {
        (half(bytes, 0), half(bytes, n - 4))
    } else if n > 0 {
        (u64::from(bytes[0]) << 16 | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]), 0)
    } else {
        (0, 0)
    };
    finish(a, b, seed)
}

/// The last step of [`hash_with_seed`], from the first and last words of the bytes (and the seed, with any words
/// between mixed in).
#[inline]
fn finish(a: u64, b: u64, seed: u64) -> u64 {
    fold(fold(a ^ P0, b ^ seed) ^ P1, P2)
}

/// The digits of `key` with a separator between runs (`ab12cd3` → `1`, `2`, separator, `3`): two keys have the same
/// digit runs, in the same order, exactly when these sequences are equal.
fn digit_runs(key: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut seen = false;
    key.iter().enumerate().filter(|(_, b)| b.is_ascii_digit()).flat_map(move |(i, &b)| {
        // A digit after a non-digit starts a run: all runs but the first are preceded by a separator.
        let starts = i > 0 && !key[i - 1].is_ascii_digit() && seen;
        seen = true;
        starts.then_some(b'|').into_iter().chain(std::iter::once(b))
    })
}

/// Whether `a` and `b` have the same digit runs: a neighbour must (numbers are not fuzzy-matched).
fn same_digit_runs(a: &[u8], b: &[u8]) -> bool {
    digit_runs(a).eq(digit_runs(b))
}

/// A hash of the digit runs of `key`, mixed into the seeds of its segments and of its probes, so that a search meets
/// only keys with the same digit runs (and a few hash collisions, which [`best_of`] rejects). Zero, which changes no
/// seed, for a key without digits: most keys, whose tags are then those of a filter without this rule.
///
/// Without it, titles of a numbered series (`Materialy po istorii …` + a number) shared their first segments, and
/// every search read the run of every earlier title with that segment: quadratic work (BENCHMARKS.md, "A worst
/// case"). The Pass-Join argument is unchanged for the keys that may be neighbours: they have the query's mix.
fn digit_mix(key: &[u8]) -> u64 {
    if !key.iter().any(u8::is_ascii_digit) {
        return 0;
    }
    // Non-zero: one multiplication per digit, on the few keys that have digits.
    digit_runs(key).fold(P2, |h, b| fold(h ^ u64::from(b), P1)) | 1
}

/// The best of `candidates` (ascending records) within `k` edits of `query` and with its digit runs: the best
/// [`Index::search`] score `1 − d / max(|q|, |r|)`, the lowest record on a tie (ascending order and a strict
/// comparison).
fn best_of(query: &str, candidates: impl Iterator<Item = u32>, k: usize, keys: &Index) -> Option<(u32, u32)> {
    let cmp = Comparator::new(query);
    let mut best: Option<(f64, u32, u32)> = None;
    for r in candidates {
        let key = keys.title_of(r);
        if !same_digit_runs(query.as_bytes(), key.as_bytes()) {
            continue;
        }
        let Some(d) = cmp.distance_within(key, k) else { continue };
        let score = 1.0 - d as f64 / (query.len() as f64).max(key.len() as f64);
        if best.is_none_or(|(b, _, _)| score > b) {
            best = Some((score, r, d as u32));
        }
    }
    best.map(|(_, r, d)| (r, d))
}

/// Scratch space of [`Segments::nearest_many`], kept between batches.
#[derive(Clone, Debug, Default)]
struct Batch {
    /// The [`signature`] and the budget of each query `j` (whose record is `records[j]`).
    sigs: Vec<u64>,
    budgets: Vec<u32>,
    /// (tag, query), with [`FILE`] set in the query for a segment to file rather than a substring to probe.
    items: Vec<(u32, u32)>,
    /// `items` sorted by bucket.
    sorted: Vec<(u32, u32)>,
    /// End of each bucket in `sorted`.
    starts: Vec<u32>,
    /// One bucket of `sorted`, sorted by the next bits.
    sub: Vec<(u32, u32)>,
    sub_starts: Vec<u32>,
    /// (query, record) of each key that shares a segment and passes the signature test.
    pairs: Vec<(u32, u32)>,
}

/// Sorts `items` into `out` by `bucket(tag)` (of `1 << bits` buckets), keeping their order within a bucket;
/// `ends[b]` is then the end of bucket `b` in `out`.
fn counting_sort(
    items: &[(u32, u32)],
    out: &mut Vec<(u32, u32)>,
    ends: &mut Vec<u32>,
    bucket: impl Fn(u32) -> usize,
    bits: u32,
) {
    ends.clear();
    ends.resize(1 << bits, 0);
    for &(tag, _) in items {
        ends[bucket(tag)] += 1;
    }
    let mut sum = 0;
    for e in ends.iter_mut() {
        sum += *e;
        *e = sum - *e;
    }
    out.clear();
    out.resize(items.len(), (0, 0));
    for &(tag, x) in items {
        let at = &mut ends[bucket(tag)];
        out[*at as usize] = (tag, x);
        *at += 1;
    }
}

/// Fewer new keys than this are searched one by one: sorting costs more than it saves.
const MIN_BATCH: usize = 256;

/// Flag of a [`Batch`] item that files a segment.
const FILE: u32 = 1 << 31;

const MIN_BITS: u32 = 10;

/// Slots past the last home, so that runs need not wrap around (the table is in tag order from end to end); more
/// are added when the last run needs them. The last slot stays empty, and ends every scan.
const SPILL: usize = 64;

/// Filter bit of a tag, for a table of `1 << bits` slots: its top `bits + 3` bits.
fn filter_bit(tag: u32, bits: u32) -> usize {
    (tag >> (32 - bits - 3)) as usize
}

/// Whether `tag`'s bit is set in `filter` (of a table of `1 << bits` slots).
fn in_filter(filter: &[u64], bits: u32, tag: u32) -> bool {
    let f = filter_bit(tag, bits);
    filter[f / 64] >> (f % 64) & 1 != 0
}

impl Segments {
    /// An empty index for the budgets of `budget.edits_for` (capped as the four-gram index caps them, see
    /// [`Segments::budget`]).
    pub(crate) fn new(budget: SearchOptions) -> Segments {
        Segments {
            budget,
            slots: vec![EMPTY; (1 << MIN_BITS) + SPILL],
            bits: MIN_BITS,
            filter: vec![0; 1 << (MIN_BITS + 3 - 6)],
            used: 0,
            parts: Vec::new(),
            plans: Vec::new(),
            per_len: Vec::new(),
            tags: Vec::new(),
            probes: Vec::new(),
            candidates: Vec::new(),
            batch: Batch::default(),
            work: NeighbourWork::default(),
        }
    }

    /// The edit budget of a query of `len` bytes: the options' budget, capped at what four-gram windows could
    /// guarantee (`⌊(len − 3) / 4⌋`, as [`Index::search`] caps it), so that the clusters are those the four-gram
    /// search gave. The cap never binds at the default one edit per ten bytes; it also keeps segments at least three
    /// bytes long whatever the options.
    pub(crate) fn budget(&self, len: usize) -> usize {
        let fit = if len < 3 { 0 } else { (len - 3) / 4 };
        self.budget.edits_for(len).min(fit)
    }

    /// `τ(l)`: the largest budget of a query that can reach keys of `l` bytes. Cached per length.
    fn tau(&mut self, l: usize) -> usize {
        if let Some(parts) = self.parts.get(l).filter(|p| !p.is_empty()) {
            return parts.len() - 1;
        }
        // A query of length L reaches l when L − l ≤ budget(L) ≤ (L − 3) / 4, so L ≤ (4l − 3) / 3; budgets grow
        // with length, so shorter queries never need more than budget(l).
        let last = l.saturating_add(self.budget.max_edits.min(l / 3 + 1));
        let mut tau = self.budget(l);
        for big in l + 1..=last {
            let b = self.budget(big);
            if big - l <= b {
                tau = tau.max(b);
            }
        }
        if self.parts.len() <= l {
            self.parts.resize(l + 1, Vec::new());
        }
        // Lengths and starts fit in u32: keys come from lines of at most 4 GiB.
        self.parts[l] = (0..=tau)
            .map(|i| {
                let (start, len) = segment(l, tau + 1, i);
                Part { start: start as u32, len: len as u32, seed: segment_seed(l, i) }
            })
            .collect();
        tau
    }

    /// What the searches so far cost.
    pub(crate) fn work(&self) -> NeighbourWork {
        self.work
    }

    /// Whether `more` segments would take the table past 4/5 full. Half full was measured too: no faster at a
    /// million keys (the filter spares most probes the runs), and twice the memory.
    fn crowded(&self, more: usize) -> bool {
        (self.used + more) * 5 > (1usize << self.bits) * 4
    }

    /// Sets `tag`'s filter bit.
    fn set_filter(&mut self, tag: u32) {
        let f = filter_bit(tag, self.bits);
        self.filter[f / 64] |= 1 << (f % 64);
    }

    /// The tag of segment `i` of `key`, whose [`digit_mix`] is `mix` (its length's partition computed: see
    /// [`tau`](Self::tau)).
    fn segment_tag(&self, key: &[u8], i: usize, mix: u64) -> u32 {
        let part = self.parts[key.len()][i];
        let (start, len) = (part.start as usize, part.len as usize);
        (hash_with_seed(part.seed ^ mix, &key[start..start + len]) >> 32) as u32
    }

    /// Where the slots with `tag` are: its home's run is in tag order, so they follow the run's smaller tags and end
    /// at a larger tag or an empty slot. Returns `(first, end)`, the slots with the tag being `first..end`, and the
    /// number of slots read to find them.
    fn tag_range(&self, tag: u32) -> (usize, usize, u64) {
        let home = (tag >> (32 - self.bits)) as usize;
        let mut first = home;
        while self.slots[first].key != NONE && self.slots[first].tag < tag {
            first += 1;
        }
        let mut end = first;
        while self.slots[end].key != NONE && self.slots[end].tag == tag {
            end += 1;
        }
        (first, end, (end - home) as u64)
    }

    /// Files `slot` in its place: after the slots of its run with a tag at most its own, moving the rest of the run
    /// up by one (and adding spare slots at the end when the run reaches the last, which stays empty). The caller
    /// sets its filter bit.
    fn file(&mut self, slot: Slot) {
        let mut i = (slot.tag >> (32 - self.bits)) as usize;
        while self.slots[i].key != NONE && self.slots[i].tag <= slot.tag {
            i += 1;
        }
        // The rest of the run moves up by one, carried along slot by slot: a few slots at most at 4/5 full, fewer
        // instructions than finding the run's end and calling memmove.
        let mut carry = slot;
        loop {
            if i + 1 >= self.slots.len() {
                // The last run is long (many keys with one segment, homed near the end): growing would not shorten
                // it.
                self.slots.resize(i + 1 + SPILL, EMPTY);
            }
            carry = std::mem::replace(&mut self.slots[i], carry);
            if carry.key == NONE {
                return;
            }
            i += 1;
        }
    }

    /// Doubles the table: home slots come from the tags, and the slots are in tag order already, so each goes to
    /// its home or just after the one before, and no key is read again.
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.bits += 1;
        let size = (1 << self.bits) + SPILL;
        // One pass over the old table, writing the new one from end to end (empty slots only where they stay
        // empty) and the filter bits in increasing order; the table is then padded to its size, with at least one
        // empty slot past the last run.
        let mut slots = Vec::with_capacity(size);
        self.filter = vec![0; 1 << (self.bits + 3 - 6)];
        for s in old.iter().filter(|s| s.key != NONE) {
            let home = (s.tag >> (32 - self.bits)) as usize;
            if slots.len() < home {
                slots.resize(home, EMPTY);
            }
            slots.push(*s);
            self.set_filter(s.tag);
        }
        let end = size.max(slots.len() + SPILL);
        slots.resize(end, EMPTY);
        self.slots = slots;
    }

    /// Files the segments of `key`, record `r` of the clusterer's index. Keys that no query with a budget can reach
    /// are not filed. Returns false (and files nothing) when the table would pass 2³¹ slots.
    pub(crate) fn insert(&mut self, r: u32, key: &[u8]) -> bool {
        let l = key.len();
        let tau = self.tau(l);
        if tau == 0 {
            return true;
        }
        let n = tau + 1;
        while self.crowded(n) {
            if self.bits >= 29 {
                return false;
            }
            self.grow();
        }
        let (sig, mix) = (signature(key), digit_mix(key));
        for i in 0..n {
            let tag = self.segment_tag(key, i, mix);
            self.set_filter(tag);
            self.file(Slot { tag, key: r, sig });
        }
        self.used += n;
        if self.per_len.len() <= l {
            self.per_len.resize(l + 1, 0);
        }
        self.per_len[l] = self.per_len[l].saturating_add(1);
        true
    }

    /// The nearest key of `keys` to `query` within the query's budget: its record and distance. Nearest means the
    /// best [`Index::search`] score `1 − d / max(|q|, |r|)`, the lowest record on a tie, as the four-gram search
    /// with a limit of one ranks them.
    pub(crate) fn nearest(&mut self, query: &str, keys: &Index) -> Option<(u32, u32)> {
        let q = query.as_bytes();
        let big_l = q.len();
        let k = self.budget(big_l);
        if k == 0 {
            return None;
        }
        self.work.searches += 1;
        let mut probes = std::mem::take(&mut self.probes);
        probes.clear();
        let mix = digit_mix(q);
        self.work.probes += self.list_probes(q, k, mix, 0, &mut probes);
        self.candidates.clear();
        let sig = signature(q);
        let most = 2 * k as u32;
        let shift = 32 - self.bits;
        // Touch every home slot first, with no branch on what is read: the reads do not wait for one another, so
        // their cache and TLB misses overlap; the scans below then find the slots in cache.
        let mut touched = 0u32;
        for &(tag, _) in &probes {
            touched ^= self.slots[(tag >> shift) as usize].key;
        }
        // The query's own segments, which `insert` files next: their slots are rarely among the probes that passed
        // the filter (a new key mostly has new segments), so touch them now, with the others.
        let n = self.tau(big_l) + 1;
        for i in 0..n {
            let tag = self.segment_tag(q, i, mix);
            let f = filter_bit(tag, self.bits);
            touched ^= self.slots[(tag >> shift) as usize].key ^ (self.filter[f / 64] as u32);
        }
        // Keeps the reads, whose only purpose is to bring the lines into cache.
        std::hint::black_box(touched);
        self.work.lookups += probes.len() as u64;
        for &(tag, _) in &probes {
            let (first, end, read) = self.tag_range(tag);
            self.work.slots += read;
            let near = self.slots[first..end].iter().filter(|s| sig_distance(sig, s.sig) <= most);
            self.candidates.extend(near.map(|s| s.key));
        }
        self.probes = probes;
        if self.candidates.is_empty() {
            return None;
        }
        self.candidates.sort_unstable();
        self.candidates.dedup();
        self.work.candidates += self.candidates.len() as u64;
        best_of(query, self.candidates.iter().copied(), k, keys)
    }

    /// The substrings a search with budget `k` probes in a key of `big_l` bytes: for each length within `k` of its
    /// own, each of the first `k + 1` segments of that length's partition at the shifts an alignment within the
    /// budget allows (module documentation).
    fn plan_into(&mut self, big_l: usize, k: usize, plan: &mut Plan) {
        for l in big_l.saturating_sub(k)..=big_l + k {
            let tau = self.tau(l);
            debug_assert!(tau >= k, "τ({l}) = {tau} below the budget {k} of a query of {big_l} bytes");
            let delta = big_l as isize - l as isize;
            for (i, part) in self.parts[l].iter().enumerate().take(k + 1) {
                let (p, len) = (part.start as isize, part.len as isize);
                let (left, right) = (i as isize, (k - i) as isize);
                // Starts of the substrings at the shifts within the budget that keep them inside the query.
                let lo = (p - left).max(p + delta - right).max(0);
                let hi = (p + left).min(p + delta + right).min(big_l as isize - len);
                // Starts and lengths fit in u32: keys come from lines of at most 4 GiB.
                let at = (lo..=hi).map(|at| Probe { at: at as u32, len: len as u32, seed: part.seed });
                plan.probes.extend(at);
            }
            plan.lengths.push((l as u32, plan.probes.len() as u32));
        }
    }

    /// Appends `(tag, j)` to `items` for each substring of `q` (whose [`digit_mix`] is `mix`) that a search with
    /// budget `k` probes and whose filter bit is set: for each length within `k` of the query's that has keys, each of the first `k + 1`
    /// segments of that length's partition at the shifts an alignment within the budget allows (module
    /// documentation). Returns the number of substrings probed.
    ///
    /// All the tags first, then their filter bits: the filter stays in cache where the table does not, and most
    /// probes stop there, but a branch on a bit still waiting for memory would stop the hashing after it (testing
    /// each bit as its substring is hashed was slower on `bibkey cluster`: record/2026-11-benchmarks-history.md,
    /// "Fewer instructions per search").
    fn list_probes(&mut self, q: &[u8], k: usize, mix: u64, j: u32, items: &mut Vec<(u32, u32)>) -> u64 {
        let big_l = q.len();
        let mut tags = std::mem::take(&mut self.tags);
        tags.clear();
        debug_assert_eq!(k, self.budget(big_l));
        if big_l < PLANNED_LENGTHS && self.plans.len() <= big_l {
            self.plans.resize(big_l + 1, None);
        }
        match self.plans.get(big_l) {
            Some(Some(plan)) => plan.hash(q, &self.per_len, mix, &mut tags),
            _ => {
                let mut plan = Plan::default();
                self.plan_into(big_l, k, &mut plan);
                plan.hash(q, &self.per_len, mix, &mut tags);
                if big_l < PLANNED_LENGTHS && plan.probes.len() <= MAX_PLAN {
                    self.plans[big_l] = Some(plan);
                }
            }
        }
        let (filter, bits) = (&self.filter, self.bits);
        items.extend(tags.iter().filter(|&&tag| in_filter(filter, bits, tag)).map(|&tag| (tag, j)));
        let probes = tags.len() as u64;
        self.tags = tags;
        probes
    }

    /// [`nearest`](Self::nearest) for each of `records` (new keys of `keys`, in increasing order), then
    /// [`insert`](Self::insert) of each: `out[j]` is the nearest key to record `records[j]` among the keys filed
    /// before it, those of earlier calls and `records[..j]`, exactly as one `nearest` and one `insert` after another
    /// would give.
    ///
    /// Faster for large batches because of the order of the work: the substrings to probe and the segments to file
    /// of the whole batch are first listed as (tag, key) items, keeping only the probes whose filter bit is set (the
    /// 4 MB filter stays in cache, where the table does not), then sorted by home slot (two counting sorts on the
    /// tags' top bits), and done in that order, so that the table is read and written from one end to the other
    /// instead of with one cache and TLB miss per lookup. The sorts are stable and each key's probes are listed
    /// before its own segments, so among the items of one home a probe comes after the segments of the keys before
    /// its own and before the others: it finds what the one-at-a-time order would have found.
    pub(crate) fn nearest_many(&mut self, records: &[u32], keys: &Index, out: &mut Vec<Option<(u32, u32)>>) {
        out.clear();
        // The room the batch's segments need (and the partitions of their lengths).
        let filing: usize =
            records.iter().map(|&r| self.tau(keys.title_len(r))).filter(|&t| t > 0).map(|t| t + 1).sum();
        while records.len() >= MIN_BATCH && self.crowded(filing) && self.bits < 29 {
            self.grow();
        }
        if records.len() < MIN_BATCH || self.crowded(filing) {
            // A small batch, or one the table cannot hold: one key at a time (as far as the table goes).
            for &r in records {
                out.push(self.nearest(keys.title_of(r), keys));
                self.insert(r, keys.title_of(r).as_bytes());
            }
            return;
        }
        out.resize(records.len(), None);
        let mut b = std::mem::take(&mut self.batch);
        b.sigs.clear();
        b.budgets.clear();
        b.items.clear();
        b.pairs.clear();
        // Lengths only: the keys' bytes are read once, below.
        for &r in records {
            let l = keys.title_len(r);
            if self.tau(l) > 0 {
                if self.per_len.len() <= l {
                    self.per_len.resize(l + 1, 0);
                }
                // Counted now so that the probes of earlier keys of the batch look at this length too; the order of
                // the items below keeps them from finding later keys.
                self.per_len[l] = self.per_len[l].saturating_add(1);
            }
            b.budgets.push(self.budget(l) as u32);
        }
        // For each key in turn, the substrings to probe and then the segments to file (flagged), as (tag, query)
        // pairs. The sorts below keep this order among the items of a home, so a probe sees the segments of the
        // keys before its own and no others, as in one search and one insert after another.
        let mut files = 0;
        for (j, &r) in records.iter().enumerate() {
            let key = keys.title_of(r).as_bytes();
            let l = key.len();
            let k = b.budgets[j] as usize;
            b.sigs.push(signature(key));
            let mix = digit_mix(key);
            if k > 0 {
                self.work.searches += 1;
                self.work.probes += self.list_probes(key, k, mix, j as u32, &mut b.items);
            }
            let n = self.tau(l) + 1;
            if n > 1 {
                for i in 0..n {
                    let tag = self.segment_tag(key, i, mix);
                    b.items.push((tag, j as u32 | FILE));
                    // Set now, so that the probes of the batch's later keys pass the filter to find it.
                    self.set_filter(tag);
                }
                files += n;
            }
        }
        // Sorted by home slot, to 8 slots (128 bytes), in two stable counting sorts: by the top bits into at most
        // 256 buckets (few enough output streams to write), then each bucket, which fits in cache, by the next
        // bits. Stable, so the segments to file of a home come before its probes.
        let sort_bits = self.bits.saturating_sub(3);
        let (b1, b2) = (sort_bits.min(8), sort_bits - sort_bits.min(8));
        counting_sort(&b.items, &mut b.sorted, &mut b.starts, |tag| (u64::from(tag) >> (32 - b1)) as usize, b1);
        let mut at = 0;
        for bucket in 0..1usize << b1 {
            let end = b.starts[bucket] as usize;
            let by_next = |tag: u32| (u64::from(tag << b1) >> (32 - b2)) as usize;
            counting_sort(&b.sorted[at..end], &mut b.sub, &mut b.sub_starts, by_next, b2);
            at = end;
            for &(tag, x) in &b.sub {
                if x & FILE != 0 {
                    let j = (x & !FILE) as usize;
                    self.file(Slot { tag, key: records[j], sig: b.sigs[j] });
                    continue;
                }
                self.work.lookups += 1;
                let (first, end, read) = self.tag_range(tag);
                self.work.slots += read;
                if first < end {
                    let (sig, most) = (b.sigs[x as usize], 2 * b.budgets[x as usize]);
                    let near = self.slots[first..end].iter().filter(|s| sig_distance(sig, s.sig) <= most);
                    b.pairs.extend(near.map(|s| (x, s.key)));
                }
            }
        }
        self.used += files;
        // Measure each query's candidates, as `nearest` does.
        b.pairs.sort_unstable();
        b.pairs.dedup();
        self.work.candidates += b.pairs.len() as u64;
        let mut at = 0;
        while at < b.pairs.len() {
            let j = b.pairs[at].0;
            let end = at + b.pairs[at..].iter().take_while(|p| p.0 == j).count();
            let query = keys.title_of(records[j as usize]);
            let k = b.budgets[j as usize] as usize;
            out[j as usize] = best_of(query, b.pairs[at..end].iter().map(|p| p.1), k, keys);
            at = end;
        }
        self.batch = b;
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + 8 * self.filter.capacity()
            + self.parts.iter().map(|p| 16 * p.capacity() + std::mem::size_of::<Vec<Part>>()).sum::<usize>()
            + self
                .plans
                .iter()
                .map(|p| {
                    let held = p.as_ref().map_or(0, |p| 8 * p.lengths.capacity() + 16 * p.probes.capacity());
                    held + std::mem::size_of::<Option<Plan>>()
                })
                .sum::<usize>()
            + 4 * (self.per_len.capacity() + self.candidates.capacity())
            + 8 * self.probes.capacity()
            + 4 * self.tags.capacity()
            + 8 * self.batch.sigs.capacity()
            + 4 * self.batch.budgets.capacity()
            + 8 * (self.batch.items.capacity() + self.batch.sorted.capacity() + self.batch.pairs.capacity())
            + 8 * self.batch.sub.capacity()
            + 4 * (self.batch.starts.capacity() + self.batch.sub_starts.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slots in tag order from end to end, every one at or after its home with no empty slot in between.
    fn assert_ordered(s: &Segments) {
        let mut last = 0;
        for (i, slot) in s.slots.iter().enumerate().filter(|(_, s)| s.key != NONE) {
            assert!(slot.tag >= last, "slot {i} out of order");
            last = slot.tag;
            let home = (slot.tag >> (32 - s.bits)) as usize;
            assert!(home <= i && s.slots[home..i].iter().all(|s| s.key != NONE), "slot {i} cut off from its home");
        }
        assert_eq!(s.slots.last().map(|s| s.key), Some(NONE));
    }

    #[test]
    fn runs_stay_in_tag_order_through_long_runs_and_growth() {
        let mut s = Segments::new(SearchOptions::default());
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for r in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // A third of the tags in one long run at the very end of the table (a segment shared by thousands of
            // keys, homed last), a third in a long run at the start, the rest anywhere.
            let tag = match r % 3 {
                0 => u32::MAX,
                1 => 5,
                _ => (x >> 32) as u32,
            };
            if s.crowded(1) {
                s.grow();
            }
            s.file(Slot { tag, key: r, sig: 0 });
            s.used += 1;
        }
        assert_ordered(&s);
        assert_eq!(s.slots.iter().filter(|s| s.key != NONE && s.tag == u32::MAX).count(), 6667);
    }

    #[test]
    fn plans_probe_what_the_module_documentation_says() {
        let mut s = Segments::new(SearchOptions { edit_ratio: 0.2, max_edits: 8, ..SearchOptions::default() });
        let q: Vec<u8> = (0..200u32).map(|i| b"abcdefghijklmnopqrstuvwxyz0123456789 "[(i * 7 % 37) as usize]).collect();
        s.per_len = vec![1; 300];
        for big_l in 0..200 {
            let k = s.budget(big_l);
            let mut plan = Plan::default();
            s.plan_into(big_l, k, &mut plan);
            // Σ over the 2k + 1 lengths of ⌊(k² − Δ²) / 2⌋ + k + 1 substrings, fewer near the ends of short keys.
            let most: usize =
                (-(k as isize)..=k as isize).map(|d| ((k * k) as isize - d * d) as usize / 2 + k + 1).sum();
            assert!(plan.probes.len() <= most, "length {big_l}");
            if big_l >= 60 {
                assert_eq!(plan.probes.len(), most, "length {big_l}, budget {k}");
            }
            // Each tag is the hash of its substring with its segment's seed (the plan's hashing skips the general
            // path for 8 to 16 bytes).
            let key = &q[..big_l];
            let mut tags = Vec::new();
            plan.hash(key, &s.per_len, 0, &mut tags);
            let want: Vec<u32> = plan
                .probes
                .iter()
                .map(|p| (hash_with_seed(p.seed, &key[p.at as usize..(p.at + p.len) as usize]) >> 32) as u32)
                .collect();
            assert_eq!(tags, want, "length {big_l}");
        }
        // The clusterer's default budget: 44 at three edits.
        let mut d = Segments::new(SearchOptions { edit_ratio: 0.1, max_edits: 3, ..SearchOptions::default() });
        assert_eq!(d.budget(60), 3);
        let mut plan = Plan::default();
        d.plan_into(60, 3, &mut plan);
        assert_eq!(plan.probes.len(), 44);
    }

    #[test]
    fn digit_runs_are_compared_run_by_run() {
        let same = [("ab12cd3", "xy12z3"), ("materialy", "materialu"), ("t22", "22")];
        let other = [("t22", "t21"), ("a1b2", "a12b"), ("a12b", "a1b2"), ("1", ""), ("x1917", "x917"), ("a1b", "a1b1")];
        for (a, b) in same {
            assert!(same_digit_runs(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert_eq!(digit_mix(a.as_bytes()), digit_mix(b.as_bytes()), "{a} {b}");
        }
        for (a, b) in other {
            assert!(!same_digit_runs(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert_ne!(digit_mix(a.as_bytes()), digit_mix(b.as_bytes()), "{a} {b}");
        }
        assert_eq!(digit_mix(b"no digits"), 0);
        assert_eq!(digit_runs(b"v1a22b3").collect::<Vec<u8>>(), b"1|22|3");
    }

    #[test]
    fn even_partition_covers_the_key() {
        for l in 1..60 {
            for n in 1..=l.min(7) {
                let mut end = 0;
                for i in 0..n {
                    let (start, len) = segment(l, n, i);
                    assert_eq!(start, end, "l {l} n {n} i {i}");
                    assert!(len == l / n || len == l / n + 1);
                    end = start + len;
                }
                assert_eq!(end, l);
            }
        }
    }

    #[test]
    fn sig_distance_is_the_sum_of_group_differences() {
        let mut x = 0x1234_5678_9abc_def0u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (a, b) = (x, x.rotate_left(23) ^ 0x5555);
            let slow: u32 = (0..16).map(|i| ((a >> (4 * i)) & 15).abs_diff((b >> (4 * i)) & 15) as u32).sum();
            assert_eq!(sig_distance(a, b), slow);
        }
        assert_eq!(sig_distance(signature(b"abcabc"), signature(b"abcab")), 1);
        // The signature against its definition (counts capped at 15), on keys of every length up to 70 and on long
        // runs of one group.
        let naive = |key: &[u8]| {
            (0..16u8).rev().fold(0u64, |sig, g| sig << 4 | key.iter().filter(|&&b| b & 15 == g).count().min(15) as u64)
        };
        let text = b"proletarskaia revoliutsiia 1917 trotskii lev davidovich sochineniia tom 3";
        for len in 0..text.len() {
            assert_eq!(signature(&text[..len]), naive(&text[..len]), "{len}");
        }
        for key in [vec![b'a'; 300], [b"xy".as_slice(); 200].concat()] {
            assert_eq!(signature(&key), naive(&key));
        }
        assert_eq!(sig_distance(signature(b"abcabc"), signature(b"abxabc")), 2);
    }

    #[test]
    fn tau_covers_every_query_that_reaches_a_length() {
        for (ratio, max) in [(0.1, 3), (0.2, 6), (0.5, 100), (1.0, 2), (0.0, 3)] {
            let mut s = Segments::new(SearchOptions { edit_ratio: ratio, max_edits: max, ..SearchOptions::default() });
            for big_l in 0..200 {
                let k = s.budget(big_l);
                for l in big_l.saturating_sub(k)..=big_l + k {
                    assert!(s.tau(l) >= k, "ratio {ratio}: τ({l}) < budget {k} of {big_l}");
                }
            }
        }
    }
}

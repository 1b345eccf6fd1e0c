//! Matching at catalog scale: keying, index build, exact lookup, fuzzy top-10, clustering and memory per record, on
//! a million synthetic records (benches/common/synth.rs: Russian titles and names from the crate's own data,
//! rendered in Cyrillic or one of ten romanizations; queries are other renderings with typos, OCR damage, cut-short
//! titles and capitals). See BENCHMARKS.md for the figures and how to read them.
//!
//! Two parts:
//!
//! 1. A **report**, printed before criterion starts (single runs timed with `Instant`, because criterion reports means
//!    and the goals are about medians, memory and recall): build time, heap per record (the index's own account and
//!    a counting allocator's), exact lookups per second, the latency distribution (p50/p90/p99) and recall of fuzzy
//!    top-10 search, and the alternatives measured before settling on trigram prefix filtering: a linear scan with
//!    the same comparator, a BK-tree, and the size of a SymSpell deletion dictionary.
//! 2. **criterion groups**, each with the peers that apply: keying (any_ascii on the same titles), pairwise
//!    similarity (strsim, rapidfuzz's BatchComparator), build, exact lookup, fuzzy top-10, clustering.
//!
//! `BIBKEY_BENCH_RECORDS` sets the number of records (default 1,000,000) for a quick run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bibkey::cluster::How;
use bibkey::distance::Comparator;
use bibkey::index::{Index, Query, SearchOptions, Searcher};
use bibkey::{Clusterer, Key, KeyKind};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

#[path = "common/synth.rs"]
mod synth;

/// Counts live heap bytes; otherwise the system allocator.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the `GlobalAlloc` contract; the counter is
// an atomic and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const QUERIES: usize = 10_000;

struct Data {
    records: Vec<synth::SynthRecord>,
    queries: Vec<synth::SynthQuery>,
    title_keys: Vec<Key>,
    name_keys: Vec<Vec<Key>>,
    query_keys: Vec<Query>,
    index: Index,
}

fn records_wanted() -> usize {
    std::env::var("BIBKEY_BENCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000)
}

fn build(title_keys: &[Key], name_keys: &[Vec<Key>]) -> Index {
    let mut index = Index::new();
    for (t, n) in title_keys.iter().zip(name_keys) {
        index.insert_keys(t, n).expect("index has room");
    }
    index
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let n = records_wanted();
        let t = Instant::now();
        let synth = synth::Synth::new();
        let records = synth.records(n, 1);
        let queries = synth.queries(&records, QUERIES, 2);
        eprintln!("[report] generated {n} records and {} queries in {:.1} s", queries.len(), t.elapsed().as_secs_f64());
        let t = Instant::now();
        let title_keys: Vec<Key> = records.iter().map(|r| bibkey::title_key(&r.title)).collect();
        let name_keys: Vec<Vec<Key>> =
            records.iter().map(|r| r.names.iter().map(|n| bibkey::name_key(n)).collect()).collect();
        let bytes: usize = records.iter().map(|r| r.title.len() + r.names.iter().map(String::len).sum::<usize>()).sum();
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "[report] keyed titles and names ({:.1} MB) in {secs:.2} s: {:.1} MB/s, {:.0} records/s (one core)",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            n as f64 / secs
        );
        let query_keys: Vec<Query> = queries
            .iter()
            .map(|q| {
                let names: Vec<&str> = q.names.iter().map(String::as_str).collect();
                Query::new(&q.title, &names)
            })
            .collect();
        let before = LIVE.load(Ordering::Relaxed);
        let t = Instant::now();
        let mut index = build(&title_keys, &name_keys);
        let secs = t.elapsed().as_secs_f64();
        index.shrink_to_fit();
        let live = LIVE.load(Ordering::Relaxed).saturating_sub(before);
        let stats = index.stats();
        eprintln!(
            "[report] index build from keys: {secs:.2} s ({:.0} records/s); heap {:.1} bytes/record by \
             Index::heap_bytes, {:.1} by the allocator (after shrink_to_fit); {stats:?}",
            n as f64 / secs,
            stats.heap_bytes as f64 / n as f64,
            live as f64 / n as f64,
        );
        // The same, from text, through insert_batch (keying on all cores with the rayon feature).
        let texts: Vec<(&str, Vec<&str>)> =
            records.iter().map(|r| (r.title.as_str(), r.names.iter().map(String::as_str).collect())).collect();
        let t = Instant::now();
        let mut from_text = Index::new();
        for chunk in texts.chunks(1 << 16) {
            from_text.insert_batch(chunk).expect("index has room");
        }
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "[report] index build from text with insert_batch ({}): {secs:.2} s ({:.0} records/s)",
            if cfg!(feature = "rayon") { "rayon feature: all cores" } else { "one core" },
            n as f64 / secs
        );
        drop(from_text);
        drop(texts);
        let avg_title = title_keys.iter().map(|k| k.as_str().len()).sum::<usize>() as f64 / n as f64;
        eprintln!("[report] mean title key length {avg_title:.1} bytes");
        Data { records, queries, title_keys, name_keys, query_keys, index }
    })
}

/// The default search options; `BIBKEY_BENCH_MAX_EDITS`, `BIBKEY_BENCH_EDIT_RATIO` and `BIBKEY_BENCH_MAX_POSTINGS`
/// override them (for
/// measuring the trade-off between edit budget, speed and recall).
fn search_options() -> SearchOptions {
    let mut o = SearchOptions::default();
    if let Some(v) = std::env::var("BIBKEY_BENCH_MAX_EDITS").ok().and_then(|v| v.parse().ok()) {
        o.max_edits = v;
    }
    if let Some(v) = std::env::var("BIBKEY_BENCH_EDIT_RATIO").ok().and_then(|v| v.parse().ok()) {
        o.edit_ratio = v;
    }
    if let Some(v) = std::env::var("BIBKEY_BENCH_MAX_POSTINGS").ok().and_then(|v| v.parse().ok()) {
        o.max_postings = v;
    }
    o
}

/// Every record's title key, copied, in the order i·7919 mod n.
fn probe_keys(d: &Data) -> Vec<Key> {
    let n = d.title_keys.len();
    (0..n).map(|i| d.title_keys[(i * 7919) % n].clone()).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// The single-run figures: exact lookup rate, fuzzy latency distribution and recall, alternatives.
fn report() {
    let d = data();
    let n = d.records.len();
    // Exact lookup: every record's own title key, in a scattered order (stride 7919 over the records), one probe
    // each. The probe keys are copied into their own vector first, as a stream of queries would arrive: the index
    // side is reached at random, the query side in order.
    let probes = probe_keys(d);
    let t = Instant::now();
    let mut hits = 0usize;
    for key in &probes {
        hits += d.index.lookup_title(key).next().is_some() as usize;
    }
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "[report] exact lookup: {n} lookups in {secs:.3} s = {:.2} M lookups/s ({hits} hits)",
        n as f64 / secs / 1e6
    );
    let t = Instant::now();
    let mut found = Vec::new();
    let mut hits = 0usize;
    for batch in probes.chunks(1024) {
        d.index.lookup_titles(batch, &mut found);
        hits += found.iter().filter(|f| f.is_some()).count();
    }
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "[report] exact lookup, batches of 1024 (lookup_titles): {n} lookups in {secs:.3} s = {:.2} M lookups/s ({hits} hits)",
        n as f64 / secs / 1e6
    );

    // Fuzzy top-10: latency per query and recall (the query's work among the top 10 / first).
    let options = search_options();
    let mut searcher = Searcher::new();
    let mut out = Vec::new();
    let mut times = Vec::with_capacity(d.queries.len());
    let mut by_damage: std::collections::BTreeMap<&str, (usize, usize, usize)> = Default::default();
    let (mut top1, mut top10) = (0, 0);
    let (mut postings, mut candidates) = (0, 0);
    let mut slow: Vec<(Duration, usize, bibkey::index::SearchWork)> = Vec::new();
    let mut misses: Vec<String> = Vec::new();
    for (q, key) in d.queries.iter().zip(&d.query_keys) {
        let t = Instant::now();
        d.index.search_with(&mut searcher, key, &options, &mut out);
        times.push(t.elapsed());
        slow.push((t.elapsed(), times.len() - 1, searcher.work()));
        postings += searcher.work().postings;
        candidates += searcher.work().candidates;
        let first = out.first().is_some_and(|m| d.records[m.id.index()].work == q.work);
        let any = out.iter().any(|m| d.records[m.id.index()].work == q.work);
        top1 += first as usize;
        top10 += any as usize;
        if !any && misses.len() < 12 {
            let want = d.records.iter().position(|r| r.work == q.work).map(|r| d.title_keys[r].as_str());
            misses.push(format!("{} query {:?} expected {:?}", q.damage, key.title().as_str(), want.unwrap_or("?")));
        }
        let e = by_damage.entry(q.damage).or_default();
        e.0 += 1;
        e.1 += first as usize;
        e.2 += any as usize;
    }
    times.sort();
    let nq = d.queries.len();
    eprintln!(
        "[report] fuzzy top-10 over {n} records, {nq} queries: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}; \
         recall@1 {:.1} %, recall@10 {:.1} %",
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        times[nq - 1],
        100.0 * top1 as f64 / nq as f64,
        100.0 * top10 as f64 / nq as f64
    );
    eprintln!(
        "[report]   per query on average: {:.0} postings read, {:.0} candidates measured",
        postings as f64 / nq as f64,
        candidates as f64 / nq as f64
    );
    slow.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (time, i, work) in slow.iter().take(5) {
        eprintln!(
            "[report]   slow: {time:?} {work:?} key {:?} ({} bytes, {})",
            d.query_keys[*i].title().as_str(),
            d.query_keys[*i].title().as_str().len(),
            d.queries[*i].damage
        );
    }
    for m in &misses {
        eprintln!("[report]   missed: {m}");
    }
    for (damage, (count, one, ten)) in &by_damage {
        eprintln!(
            "[report]   {damage:<14} {count:>5} queries  recall@1 {:>5.1} %  recall@10 {:>5.1} %",
            100.0 * *one as f64 / *count as f64,
            100.0 * *ten as f64 / *count as f64
        );
    }

    // The same queries through `search_readings` (the query as written, then read as German, Polish, Czech, French
    // and Spanish spell Russian): recall per form of the query, the first 2,000 queries (six searches each).
    let sample = d.queries.len().min(2_000);
    let mut by_form: std::collections::BTreeMap<&str, (usize, usize, usize, usize)> = Default::default();
    let t = Instant::now();
    for (q, key) in d.queries[..sample].iter().zip(&d.query_keys) {
        let names: Vec<&str> = q.names.iter().map(String::as_str).collect();
        let with = d.index.search_readings(&q.title, &names, &options);
        d.index.search_with(&mut searcher, key, &options, &mut out);
        let hit = |ms: &[bibkey::index::Match]| ms.iter().any(|m| d.records[m.id.index()].work == q.work);
        let e = by_form.entry(q.form).or_default();
        e.0 += 1;
        e.1 += hit(&out) as usize;
        e.2 += hit(&with) as usize;
        e.3 += with.iter().any(|m| m.reading.is_some()) as usize;
    }
    eprintln!(
        "[report] search_readings on the first {sample} queries ({:.2} ms per query with the plain search): recall@10 per query form, plain → with readings",
        t.elapsed().as_secs_f64() * 1e3 / sample as f64
    );
    for (form, (count, plain, with, via)) in &by_form {
        eprintln!(
            "[report]   {form:<14} {count:>5} queries  {:>5.1} % → {:>5.1} %  ({via} with a candidate found through a reading)",
            100.0 * *plain as f64 / *count as f64,
            100.0 * *with as f64 / *count as f64
        );
    }

    let mut cluster_of: Vec<u64> = Vec::new();
    // Clustering quality on the first 100,000 records' titles (title keys), against the works they render.
    let m = n.min(100_000);
    for (nearest, readings) in [(false, false), (true, false), (true, true)] {
        let mut c = Clusterer::with_options(
            bibkey::cluster::ClusterOptions::new(KeyKind::Title).nearest(nearest).readings(readings),
        );
        let mut starter_of_work: std::collections::HashMap<u64, u64> = Default::default();
        let (mut joined_key, mut right_key, mut joined_near, mut right_near, mut with_first) = (0, 0, 0, 0, 0);
        let (mut joined_reading, mut right_reading) = (0, 0);
        let mut repeats = 0;
        for (i, r) in d.records[..m].iter().enumerate() {
            let a = c.push(&r.title);
            let first = *starter_of_work.entry(r.work).or_insert(i as u64 + 1);
            if first != i as u64 + 1 {
                repeats += 1;
                // Same cluster as the work's first record?
                let first_cluster = cluster_of[first as usize - 1];
                with_first += (a.cluster == first_cluster) as usize;
            }
            let right = d.records[a.cluster as usize - 1].work == r.work;
            match a.how {
                How::Key => {
                    joined_key += 1;
                    right_key += right as usize;
                }
                How::Near(_) => {
                    joined_near += 1;
                    right_near += right as usize;
                }
                How::Reading => {
                    joined_reading += 1;
                    right_reading += right as usize;
                }
                _ => {}
            }
            cluster_of.push(a.cluster);
        }
        cluster_of.clear();
        eprintln!(
            "[report] cluster quality, {m} titles, {}: {joined_key} joined by key ({:.2} % the starter's work), {joined_reading} by a reading ({:.2} %), {joined_near} joined as nearest ({:.2} %); {:.2} % of {repeats} repeated works in their first record's cluster",
            match (nearest, readings) {
                (false, _) => "key only",
                (true, false) => "key + nearest",
                (true, true) => "key + readings + nearest",
            },
            100.0 * right_key as f64 / joined_key.max(1) as f64,
            100.0 * right_reading as f64 / joined_reading.max(1) as f64,
            100.0 * right_near as f64 / joined_near.max(1) as f64,
            100.0 * with_first as f64 / repeats.max(1) as f64
        );
    }

    // Alternative 1: linear scan with the same comparator and the same edit budget (no filter).
    let sample: Vec<&Query> = d.query_keys.iter().step_by(nq / 20).take(20).collect();
    let mut scan_times = Vec::new();
    for q in &sample {
        let cmp = Comparator::new(q.title().as_str());
        let k = options.edits_for(q.title().as_str().len());
        let t = Instant::now();
        let found = d.title_keys.iter().filter(|key| cmp.distance_within(key.as_str(), k).is_some()).count();
        scan_times.push(t.elapsed());
        black_box(found);
    }
    scan_times.sort();
    eprintln!(
        "[report] alternative: linear scan with the comparator, p50 {:?} per query",
        percentile(&scan_times, 0.5)
    );

    // Alternative 2: BK-tree over the distinct title keys.
    let t = Instant::now();
    let tree = BkTree::new(&d.title_keys);
    let build = t.elapsed();
    let mut bk_times = Vec::new();
    let mut visited_total = 0;
    for q in &sample {
        let k = options.edits_for(q.title().as_str().len());
        let t = Instant::now();
        let (found, visited) = tree.search(q.title().as_str(), k);
        bk_times.push(t.elapsed());
        visited_total += visited;
        black_box(found);
    }
    bk_times.sort();
    eprintln!(
        "[report] alternative: BK-tree, build {:.1} s, p50 {:?} per query, {:.0} % of nodes visited on average",
        build.as_secs_f64(),
        percentile(&bk_times, 0.5),
        100.0 * visited_total as f64 / (sample.len() * tree.nodes.len()) as f64
    );
    drop(tree);

    // Alternative 3: SymSpell's deletion dictionary, sized (not built) for the edit budget of each key.
    let mut entries: u128 = 0;
    for key in &d.title_keys {
        let len = key.as_str().len() as u128;
        let k = options.edits_for(len as usize).min(2) as u128;
        // Deletion variants of up to k letters: sum of C(len, i), i ≤ k (an upper bound; repeats collapse).
        let mut c: u128 = 1;
        let mut total: u128 = 1;
        for i in 0..k {
            c = c * (len - i) / (i + 1);
            total += c;
        }
        entries += total;
    }
    eprintln!(
        "[report] alternative: SymSpell deletion dictionary with at most 2 deletions: {:.0} entries per record \
         (at least 8 bytes each: {:.0} bytes/record before the keys themselves)",
        entries as f64 / n as f64,
        8.0 * entries as f64 / n as f64
    );
}

/// A BK-tree (Burkhard–Keller) over keys: each child edge is labelled with its distance to the parent.
struct BkTree<'a> {
    nodes: Vec<(&'a str, Vec<(u32, u32)>)>,
}

impl<'a> BkTree<'a> {
    fn new(keys: &'a [Key]) -> BkTree<'a> {
        let mut tree = BkTree { nodes: Vec::with_capacity(keys.len()) };
        for key in keys {
            let key = key.as_str();
            if tree.nodes.is_empty() {
                tree.nodes.push((key, Vec::new()));
                continue;
            }
            let cmp = Comparator::new(key);
            let mut cur = 0usize;
            loop {
                let d = cmp.distance(tree.nodes[cur].0) as u32;
                if d == 0 {
                    break;
                }
                match tree.nodes[cur].1.iter().find(|&&(e, _)| e == d) {
                    Some(&(_, child)) => cur = child as usize,
                    None => {
                        let id = tree.nodes.len() as u32;
                        tree.nodes.push((key, Vec::new()));
                        tree.nodes[cur].1.push((d, id));
                        break;
                    }
                }
            }
        }
        tree
    }

    fn search(&self, query: &str, k: usize) -> (usize, usize) {
        let cmp = Comparator::new(query);
        let (mut found, mut visited) = (0, 0);
        let mut stack = vec![0u32];
        while let Some(n) = stack.pop() {
            visited += 1;
            let (key, children) = &self.nodes[n as usize];
            let d = cmp.distance(key);
            if d <= k {
                found += 1;
            }
            let (lo, hi) = (d.saturating_sub(k) as u32, (d + k) as u32);
            stack.extend(children.iter().filter(|&&(e, _)| lo <= e && e <= hi).map(|&(_, c)| c));
        }
        (found, visited)
    }
}

fn benches(c: &mut Criterion) {
    report();
    let d = data();
    let n = d.records.len();

    // Keying: title_key and name_key of the first 100k records, against any_ascii on the same text.
    let sub = &d.records[..n.min(100_000)];
    let bytes: usize = sub.iter().map(|r| r.title.len() + r.names.iter().map(String::len).sum::<usize>()).sum();
    let mut g = c.benchmark_group("keying");
    g.sample_size(10).throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bibkey title_key+name_key", |b| {
        b.iter(|| {
            for r in sub {
                black_box(bibkey::title_key(&r.title));
                for name in &r.names {
                    black_box(bibkey::name_key(name));
                }
            }
        })
    });
    g.bench_function("bibkey key_into (text key)", |b| {
        let mut buf = String::new();
        b.iter(|| {
            for r in sub {
                buf.clear();
                bibkey::key_into(&r.title, &mut buf);
                for name in &r.names {
                    buf.clear();
                    bibkey::key_into(name, &mut buf);
                }
                black_box(&buf);
            }
        })
    });
    g.bench_function("any_ascii", |b| {
        let mut buf = String::new();
        b.iter(|| {
            for r in sub {
                buf.clear();
                buf.extend(r.title.chars().map(any_ascii::any_ascii_char));
                for name in &r.names {
                    buf.clear();
                    buf.extend(name.chars().map(any_ascii::any_ascii_char));
                }
                black_box(&buf);
            }
        })
    });
    g.finish();

    // Pairwise similarity, one query against 10,000 keys (the one-against-many case).
    let targets: Vec<&str> = d.title_keys.iter().take(10_000).map(Key::as_str).collect();
    let query = d.query_keys[0].title().as_str();
    let mut g = c.benchmark_group("similarity");
    g.sample_size(20).throughput(Throughput::Elements(targets.len() as u64));
    g.bench_function("bibkey Comparator", |b| {
        let cmp = Comparator::new(query);
        b.iter(|| targets.iter().map(|t| cmp.distance(t)).sum::<usize>())
    });
    g.bench_function("rapidfuzz BatchComparator (bytes)", |b| {
        let cmp = rapidfuzz::distance::levenshtein::BatchComparator::new(query.bytes());
        b.iter(|| targets.iter().map(|t| cmp.distance(t.bytes())).sum::<usize>())
    });
    g.bench_function("strsim levenshtein", |b| {
        b.iter(|| targets.iter().map(|t| strsim::levenshtein(query, t)).sum::<usize>())
    });
    g.finish();

    let mut g = c.benchmark_group("index");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("build from keys", |b| {
        b.iter_batched(|| (), |()| build(&d.title_keys, &d.name_keys), BatchSize::PerIteration)
    });
    let probes = probe_keys(d);
    g.throughput(Throughput::Elements(probes.len() as u64));
    g.bench_function("exact lookup", |b| {
        b.iter(|| probes.iter().map(|k| d.index.lookup_title(k).next().is_some() as usize).sum::<usize>())
    });
    g.bench_function("exact lookup, batches of 1024", |b| {
        let mut found = Vec::new();
        b.iter(|| {
            probes
                .chunks(1024)
                .map(|batch| {
                    d.index.lookup_titles(batch, &mut found);
                    found.iter().filter(|f| f.is_some()).count()
                })
                .sum::<usize>()
        })
    });
    let fuzzy: Vec<&Query> = d.query_keys.iter().take(500).collect();
    g.throughput(Throughput::Elements(fuzzy.len() as u64));
    g.bench_function("fuzzy top-10", |b| {
        let mut s = Searcher::new();
        let mut out = Vec::new();
        let options = search_options();
        b.iter(|| {
            for q in &fuzzy {
                d.index.search_with(&mut s, q, &options, &mut out);
                black_box(&out);
            }
        })
    });
    g.finish();

    // Clustering of the first 100k titles (as plain text, the CLI's default).
    let titles: Vec<&str> = d.records.iter().take(100_000).map(|r| r.title.as_str()).collect();
    let mut g = c.benchmark_group("cluster");
    g.sample_size(10).throughput(Throughput::Elements(titles.len() as u64));
    g.bench_function("key only", |b| {
        b.iter(|| {
            let mut buf = String::new();
            for t in &titles {
                buf.clear();
                bibkey::key_into(t, &mut buf);
                black_box(&buf);
            }
        })
    });
    g.bench_function("Clusterer (key + nearest)", |b| {
        b.iter(|| {
            let mut c = Clusterer::new(KeyKind::Text);
            for t in &titles {
                black_box(c.push(t));
            }
        })
    });
    g.bench_function("Clusterer::push_many (batches of 65,536, as the CLI)", |b| {
        b.iter(|| {
            let mut c = Clusterer::new(KeyKind::Text);
            let mut out = Vec::with_capacity(titles.len());
            for batch in titles.chunks(1 << 16) {
                c.push_many(batch, &mut out);
            }
            black_box(out)
        })
    });
    g.finish();
}

criterion_group!(index_benches, benches);
criterion_main!(index_benches);

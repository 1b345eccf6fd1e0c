//! The clusterer against an obviously correct reference: every text's key compared with every earlier distinct key
//! by the textbook edit distance, with the same budget, the same digit runs and the same ranking (best
//! `1 − d / longer length`, the earliest on a tie). The clusterer's segment filter must find exactly what this scan
//! finds.

#[path = "common/deep.rs"]
mod deep;

#[path = "../benches/common/synth.rs"]
mod synth;

use bibkey::cluster::{Assignment, ClusterOptions, How};
use bibkey::distance::levenshtein;
use bibkey::{Clusterer, KeyKind};
use proptest::prelude::*;

/// The edit budget of a key of `len` bytes: one edit per `1 / ratio` bytes, at most `max`, and never more than
/// four-gram windows could guarantee (`⌊(len − 3) / 4⌋`), as the clusterer documents.
fn budget(len: usize, ratio: f64, max: usize) -> usize {
    let by_ratio = (len as f64 * ratio).floor();
    let by_ratio = if by_ratio.is_nan() || by_ratio < 0.0 { 0 } else { by_ratio as usize };
    let fit = if len < 3 { 0 } else { (len - 3) / 4 };
    by_ratio.min(max).min(fit)
}

/// The runs of digits of a key, in order (`t22` → `["22"]`, `ab12cd34` → `["12", "34"]`).
fn digit_runs(key: &str) -> Vec<&str> {
    key.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect()
}

/// The reference clusterer: a linear scan over the distinct keys seen so far. A neighbour is a key within the edit
/// budget with the same digit runs: numbers are never fuzzy-matched (volume 22 is not a typo of volume 21).
fn reference(texts: &[String], options: &ClusterOptions) -> Vec<Assignment> {
    let mut seen: Vec<(String, u64)> = Vec::new();
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let number = i as u64 + 1;
        let key = options.kind.key(t).into_string();
        if key.is_empty() {
            out.push(Assignment { cluster: number, how: How::Empty });
            continue;
        }
        if let Some((_, cluster)) = seen.iter().find(|(k, _)| *k == key) {
            out.push(Assignment { cluster: *cluster, how: How::Key });
            continue;
        }
        let mut assignment = Assignment { cluster: number, how: How::New };
        let k = if options.nearest { budget(key.len(), options.edit_ratio, options.max_edits) } else { 0 };
        if k > 0 {
            let mut best: Option<(f64, u64, usize)> = None;
            for (other, cluster) in &seen {
                // Only a shortcut: keys whose lengths differ by more than k are more than k edits apart.
                if other.len().abs_diff(key.len()) > k {
                    continue;
                }
                let d = levenshtein(&key, other);
                if d > k || digit_runs(&key) != digit_runs(other) {
                    continue;
                }
                let score = 1.0 - d as f64 / key.len().max(other.len()) as f64;
                // Earlier keys come first: a strictly better score is needed to replace one.
                if best.is_none_or(|(b, _, _)| score > b) {
                    best = Some((score, *cluster, d));
                }
            }
            if let Some((_, cluster, d)) = best {
                assignment = Assignment { cluster, how: How::Near(d as u32) };
            }
        }
        seen.push((key, assignment.cluster));
        out.push(assignment);
    }
    out
}

fn clustered(texts: &[String], options: &ClusterOptions) -> Vec<Assignment> {
    let mut c = Clusterer::with_options(options.clone());
    texts.iter().map(|t| c.push(t)).collect()
}

/// Texts made from a few bases by a few random edits each, so that many keys are within the budget of one another,
/// at every distance up to it and beyond, with ties. Strings of `b d f m` are their own keys (no fold applies to
/// them), so an edit to the text is an edit to the key; some texts have digits, so that edits meet digit runs
/// (changed, split, joined, added, removed), and a few have vowels and spaces too, which the key folds.
fn near_duplicates() -> impl Strategy<Value = Vec<String>> {
    let bases = prop::collection::vec(
        prop_oneof![6 => "[bdfm]{0,70}", 2 => "[bdfm]{0,30}[0-2]{0,4}[bdfm]{0,30}", 1 => "[0-3a-e ]{0,70}"],
        1..6,
    );
    let edits =
        prop::collection::vec((0u8..3, any::<prop::sample::Index>(), prop_oneof![5 => "[bdfmg]", 1 => "[0-4]"]), 0..6);
    let texts = prop::collection::vec((any::<prop::sample::Index>(), edits), 1..150);
    (bases, texts).prop_map(|(bases, texts)| {
        texts
            .into_iter()
            .map(|(base, edits)| {
                let mut t: Vec<char> = base.get(&bases).chars().collect();
                for (op, at, c) in edits {
                    let c = c.chars().next().unwrap_or('0');
                    match op {
                        0 => t.insert(at.index(t.len() + 1), c),
                        1 if !t.is_empty() => {
                            t.remove(at.index(t.len()));
                        }
                        _ if !t.is_empty() => {
                            let i = at.index(t.len());
                            t[i] = c;
                        }
                        _ => {}
                    }
                }
                t.into_iter().collect()
            })
            .collect()
    })
}

fn options() -> impl Strategy<Value = ClusterOptions> {
    let ratio = prop_oneof![3 => Just(0.1), 1 => Just(0.2), 2 => 0.0f64..0.6];
    let nearest = prop_oneof![9 => Just(true), 1 => Just(false)];
    (ratio, prop_oneof![3 => Just(3usize), 1 => 0usize..8], nearest).prop_map(|(edit_ratio, max_edits, nearest)| {
        ClusterOptions::new(KeyKind::Text).nearest(nearest).edit_ratio(edit_ratio).max_edits(max_edits)
    })
}

proptest! {
    #![proptest_config(deep::cases(300))]

    /// The nearest-neighbour clusters are those of the linear scan: same cluster, same reason, same distance.
    #[test]
    fn nearest_is_the_linear_scan_answer(texts in near_duplicates(), options in options()) {
        let want = reference(&texts, &options);
        let got = clustered(&texts, &options);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            prop_assert_eq!(g, w, "text {} {:?} (key {:?}), options {:?}", i + 1, texts[i], bibkey::key(&texts[i]), options);
        }
    }
}

/// `push_many` on the texts cut into chunks of the given sizes (the last chunk takes the rest).
fn clustered_many(texts: &[String], options: &ClusterOptions, chunks: &[usize]) -> Vec<Assignment> {
    let mut c = Clusterer::with_options(options.clone());
    let mut out = Vec::new();
    let mut rest = texts;
    for &n in chunks {
        let n = n.min(rest.len());
        c.push_many(&rest[..n], &mut out);
        rest = &rest[n..];
    }
    c.push_many(rest, &mut out);
    out
}

/// Many near-duplicate texts (enough new keys for the batched search, which smaller batches skip), with repeats
/// and empty texts, so that equal keys meet within a lookup group, within a batch and across batches.
fn many_near_duplicates() -> impl Strategy<Value = Vec<String>> {
    let texts = prop::collection::vec(near_duplicates(), 3..12).prop_map(|v| v.concat());
    (texts, prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..200)).prop_map(
        |(mut texts, copies)| {
            for (from, to) in copies {
                let t = from.get(&texts).clone();
                let at = to.index(texts.len() + 1);
                texts.insert(at, t);
            }
            texts.insert(texts.len() / 2, String::new());
            texts
        },
    )
}

proptest! {
    #![proptest_config(deep::cases(60))]

    /// Texts pushed in batches get what one `push` after another gives, whatever the cut.
    #[test]
    fn batches_are_one_push_after_another(
        texts in many_near_duplicates(),
        options in options(),
        chunks in prop::collection::vec(prop_oneof![1 => 0usize..20, 3 => 200usize..2000], 0..4),
    ) {
        let want = clustered(&texts, &options);
        let got = clustered_many(&texts, &options, &chunks);
        prop_assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            prop_assert_eq!(g, w, "text {} {:?}, options {:?}, chunks {:?}", i + 1, texts[i], options, chunks);
        }
        let keys: Vec<_> = texts.iter().map(|t| options.kind.key(t)).collect();
        let mut c = Clusterer::with_options(options.clone());
        let mut by_keys = Vec::new();
        c.push_keys(&keys, &mut by_keys);
        prop_assert_eq!(by_keys, want);
    }
}

/// `n` synthetic catalog titles (every scheme, German and French among them) and a damaged rendering of each (typos,
/// OCR damage and the rest), interleaved, so that damage meets its work both before and after.
fn synthetic_titles(n: usize, seed: u64) -> Vec<String> {
    let g = synth::Synth::new();
    let records = g.records(n, seed);
    let queries = g.queries(&records, n, seed);
    records.iter().zip(&queries).flat_map(|(r, q)| [r.title.clone(), q.title.clone()]).collect()
}

/// `push_many` gives `want` whether the texts come all at once or in uneven pieces.
fn assert_batches_give(texts: &[String], options: &ClusterOptions, want: &[Assignment], pieces: &[usize]) {
    for chunks in [&[][..], pieces] {
        let got = clustered_many(texts, options, chunks);
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(g, w, "{options:?}, text {} {:?} in chunks {chunks:?}", i + 1, texts[i]);
        }
    }
}

/// Synthetic catalog titles with typos, OCR damage and the rest, in the CLI's default setting, against the scan.
#[test]
fn synthetic_titles_cluster_as_the_linear_scan() {
    let texts = synthetic_titles(1500, 11);
    let options = ClusterOptions::default();
    let want = reference(&texts, &options);
    let got = clustered(&texts, &options);
    let near = want.iter().filter(|a| matches!(a.how, How::Near(_))).count();
    assert!(near > 300, "only {near} nearest-neighbour joins: the test would prove little");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "text {} {:?}", i + 1, texts[i]);
    }
    // The same in batches, as the CLI pushes them.
    assert_batches_give(&texts, &options, &want, &[700, 5, 1300]);
}

/// With readings, batches give what one push after another gives, on synthetic titles in every scheme (German and
/// French among them) with their damaged renderings.
#[test]
fn batches_with_readings_are_one_push_after_another() {
    let texts = synthetic_titles(2500, 5);
    for kind in [KeyKind::Text, KeyKind::Title] {
        let options = ClusterOptions::new(kind).readings(true);
        let want = clustered(&texts, &options);
        let readings = want.iter().filter(|a| a.how == How::Reading).count();
        assert!(readings > 20, "{kind:?}: only {readings} joins through a reading: the test would prove little");
        assert_batches_give(&texts, &options, &want, &[900, 3, 2000]);
    }
}

/// With readings, foreign spellings join the cluster of their original in either order, and what must stay apart
/// does; without them, nothing changes.
#[test]
fn readings_join_foreign_spellings() {
    let with = ClusterOptions::default().readings(true);
    let without = ClusterOptions::default();
    let run = |texts: &[&str], o: &ClusterOptions| -> Vec<(u64, How)> {
        let mut c = Clusterer::with_options(o.clone());
        texts.iter().map(|t| c.push(t)).map(|a| (a.cluster, a.how)).collect()
    };
    for texts in [["Tschechow, Anton", "Чехов, Антон"], ["Чехов, Антон", "Tschechow, Anton"]] {
        assert_eq!(run(&texts, &with), vec![(1, How::New), (1, How::Reading)], "{texts:?}");
        assert_eq!(run(&texts, &without), vec![(1, How::New), (2, How::New)], "{texts:?}");
    }
    // A third spelling that keys like the second joins through the reading filed for the first.
    let got = run(&["Chruschtschow", "Хрущёв", "Khrushchev", "Chruščov"], &with);
    assert!(got.iter().all(|&(c, _)| c == 1), "{got:?}");
    // Must-not-match pairs stay apart with readings too.
    for pair in [["Tolstoy", "Толстая"], ["Gorbatschow", "Горбачёва"], ["Tschechow", "Чехова"]] {
        assert_eq!(run(&pair, &with), vec![(1, How::New), (2, How::New)], "{pair:?}");
    }
    // push_key has no text to read: it ignores the option.
    let mut c = Clusterer::with_options(with);
    c.push_key(bibkey::key("Tschechow"));
    assert_eq!(c.push_key(bibkey::key("Чехов")).how, How::New);
}

/// Texts of ten consonants (their own keys: no fold applies to them) made from `bases` bases of `len` letters by up to
/// `edits` random substitutions, insertions and deletions each: a deterministic xorshift, so that the test is the
/// same on every run.
fn edited_letters(count: usize, bases: usize, len: usize, edits: usize, seed: u64) -> Vec<String> {
    const LETTERS: &[u8; 10] = b"bdfglmnprt";
    let mut x = seed | 1;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let bases: Vec<Vec<u8>> = (0..bases).map(|_| (0..len).map(|_| LETTERS[next(10)]).collect()).collect();
    (0..count)
        .map(|_| {
            let mut t = bases[next(bases.len())].clone();
            for _ in 0..next(edits + 1) {
                let at = next(t.len());
                match next(3) {
                    0 => t[at] = LETTERS[next(10)],
                    1 => t.insert(at, LETTERS[next(10)]),
                    _ => {
                        t.remove(at);
                    }
                }
            }
            String::from_utf8(t).expect("ASCII letters")
        })
        .collect()
}

/// Keys past the lengths whose probes the segment index keeps worked out (1,024 bytes), and budgets whose probes are
/// too many to keep (eight edits): their searches work the probes out each time, and find what the scan finds.
#[test]
fn long_keys_and_large_budgets_cluster_as_the_linear_scan() {
    for (texts, options) in [
        (edited_letters(24, 3, 1030, 3, 7), ClusterOptions::default()),
        (edited_letters(300, 6, 70, 8, 9), ClusterOptions::default().edit_ratio(0.5).max_edits(8)),
    ] {
        let want = reference(&texts, &options);
        let near = want.iter().filter(|a| matches!(a.how, How::Near(_))).count();
        assert!(near * 4 > texts.len(), "only {near} nearest-neighbour joins of {}", texts.len());
        let got = clustered(&texts, &options);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "{options:?}, text {}", i + 1);
        }
        assert_batches_give(&texts, &options, &want, &[10, 3]);
    }
}

/// The worst case of BENCHMARKS.md: `n` titles that share a long first segment, `Materialy po istorii` + three of
/// ten words + a number below 100,000 (a deterministic xorshift, so that the test is the same on every run).
fn numbered_series(n: usize, seed: u64) -> Vec<String> {
    const WORDS: [&str; 10] = [
        "istorii",
        "revoliutsii",
        "partii",
        "rabochego",
        "dvizheniia",
        "krestianstva",
        "goroda",
        "oblasti",
        "kraia",
        "uezda",
    ];
    let mut x = seed | 1;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n) as usize
    };
    (0..n)
        .map(|_| {
            let w: Vec<&str> = (0..3).map(|_| WORDS[next(10)]).collect();
            format!("Materialy po istorii {} {} {} {}", w[0], w[1], w[2], next(100_000))
        })
        .collect()
}

/// On a series whose titles share their first segment and differ in a number, the work of a search (table slots
/// read, keys measured) and the memory per title stay bounded as the input grows: numbers are not fuzzy-matched,
/// so keys with other numbers are not candidates, and the filter does not even read them. Counts, not times.
#[test]
fn a_numbered_series_costs_the_same_per_title_at_every_size() {
    let mut per_search = Vec::new();
    for n in [2000, 4000, 8000] {
        let texts = numbered_series(n, 3);
        for batched in [false, true] {
            let mut c = Clusterer::new(KeyKind::Text);
            let mut out = Vec::new();
            if batched {
                c.push_many(&texts, &mut out);
            } else {
                out.extend(texts.iter().map(|t| c.push(t)));
            }
            let w = c.neighbour_work();
            assert!(w.searches as usize > n * 9 / 10, "{n}: {w:?}");
            let slots = w.slots as f64 / w.searches as f64;
            let candidates = w.candidates as f64 / w.searches as f64;
            let bytes = c.heap_bytes() as f64 / n as f64;
            per_search.push((n, batched, slots, candidates, bytes));
            // Each search reads its probes' slots and little else; a key with the same number and words within
            // three edits is rare.
            assert!(slots < 8.0 && candidates < 0.5, "{n} titles, batched {batched}: {w:?}");
            assert!(bytes < 1500.0, "{n} titles, batched {batched}: {bytes} heap bytes per title");
            // Same answers as one push after another and as the scan (which the neighbours of a number must pass).
            if n == 2000 {
                assert_eq!(out, reference(&texts, &ClusterOptions::default()));
            }
        }
    }
    for pair in per_search.windows(2).filter(|p| p[0].1 == p[1].1) {
        // Twice the titles: at most a little more work per search (the table fills, then grows), never twice.
        assert!(pair[1].2 < pair[0].2 * 1.5 + 1.0, "{per_search:?}");
    }
    eprintln!("{per_search:?}");
}

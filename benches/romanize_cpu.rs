//! A/B harness for the romanizer on the bench corpus (benches/common/corpus.rs): on-CPU time of one
//! `romanize_into` over the corpus, from /proc/thread-self/schedstat (less noisy than wall clock on a shared machine),
//! best of `rounds` batches of ~0.3 s. Prints MB/s per scheme and, for the ratio, translit's gost779b.
//!
//! cargo run --release -p bibkey-benches --example romanize_cpu -- [rounds] [scheme…]   (`--loop SCHEME SECONDS` for perf record,
//! `--iters SCHEME N` for a fixed amount of work under valgrind)

use std::hint::black_box;
use std::time::Instant;

use bibkey::Ties;
use translit::ToLatin;

#[path = "common/corpus.rs"]
mod corpus;

fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}

fn best(rounds: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let (t0, w0) = (cpu_ns(), Instant::now());
        let mut n = 0u64;
        while w0.elapsed().as_millis() < 300 {
            f();
            n += 1;
        }
        best = best.min((cpu_ns() - t0) as f64 / n as f64);
    }
    best
}

fn main() {
    let text = corpus::cyrillic_corpus();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--iters") {
        // A fixed amount of work, for instruction counts under `valgrind --tool=cachegrind --branch-sim=yes`.
        let s = bibkey::Scheme::builtin(&args[1]).expect("scheme");
        let iters: u64 = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(10);
        let mut out = String::new();
        for _ in 0..iters {
            out.clear();
            s.romanize_into(black_box(&text), Ties::Combining, &mut out);
            black_box(out.len());
        }
        return;
    }
    if args.first().map(String::as_str) == Some("--loop") {
        let s = bibkey::Scheme::builtin(&args[1]).expect("scheme");
        let secs: u64 = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(10);
        let mut out = String::new();
        let t = Instant::now();
        while t.elapsed().as_secs() < secs {
            out.clear();
            s.romanize_into(black_box(&text), Ties::Combining, &mut out);
            black_box(out.len());
        }
        return;
    }
    let rounds: usize = args.first().and_then(|x| x.parse().ok()).unwrap_or(7);
    let mut ids: Vec<String> = args.iter().skip(1).cloned().collect();
    if ids.is_empty() {
        ids = bibkey::builtins().iter().filter(|s| s.lang() == "ru").map(|s| s.id().to_string()).collect();
    }
    let gost = translit::Gost779B::new(translit::Language::Ru);
    let base = best(rounds, || {
        black_box(gost.to_latin(black_box(&text)).len());
    });
    let mbs = |ns: f64| text.len() as f64 / ns * 1e3;
    println!("{:<22} {:>8.1} MB/s", "translit/gost779b", mbs(base));
    let mut out = String::with_capacity(text.len() * 2);
    for id in ids {
        let s = bibkey::Scheme::builtin(&id).expect("scheme");
        let ns = best(rounds, || {
            out.clear();
            s.romanize_into(black_box(&text), Ties::Combining, &mut out);
            black_box(out.len());
        });
        println!("{:<22} {:>8.1} MB/s  {:>5.2}x", id, mbs(ns), base / ns);
    }
}

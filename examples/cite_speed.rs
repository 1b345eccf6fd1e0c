//! Citation parse+keys throughput on one core, for profiling: `cargo run --release --example cite_speed -- [REPS]`
//! parses the citations of examples/footnotes.txt and tests/data/citations/ (the `citation` column) REPS times
//! (default 200) and prints MiB/s. Under valgrind: `cargo build --profile profiling --example cite_speed` and
//! `valgrind --tool=callgrind target/profiling/examples/cite_speed 5`. The benchmark of record is
//! `cargo bench -p bibkey-benches --bench cite` (BENCHMARKS.md).

use std::hint::black_box;
use std::time::Instant;

fn corpus() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut lines: Vec<String> = std::fs::read_to_string(format!("{root}/examples/footnotes.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/citations"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let mut col = None;
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = l.split('\t').collect();
            match col {
                None => col = f.iter().position(|c| *c == "citation"),
                Some(c) => lines.extend(f.get(c).map(|s| s.to_string())),
            }
        }
    }
    lines
}

fn main() {
    let reps: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let lines = corpus();
    let bytes: usize = lines.iter().map(String::len).sum();
    let start = Instant::now();
    for _ in 0..reps {
        for l in &lines {
            let c = bibkey::cite::parse(black_box(l));
            black_box((c.work_key(), c.place_key()));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mib = (bytes * reps) as f64 / (1024.0 * 1024.0);
    println!("{} lines, {bytes} bytes, {reps} times: {:.2} s, {:.2} MiB/s", lines.len(), secs, mib / secs);
}

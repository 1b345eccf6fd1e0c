//! Citation parse+keys throughput on one core, for profiling: `cargo run --release -p bibkey-benches --example cite_speed -- [REPS]`
//! parses the citations of examples/footnotes.txt and tests/data/citations/ (the `citation` column) REPS times
//! (default 200) and prints MiB/s. Under valgrind: `cargo build --profile profiling -p bibkey-benches --example cite_speed` and
//! `valgrind --tool=callgrind target/profiling/examples/cite_speed 5`. The benchmark of record is
//! `cargo bench -p bibkey-benches --bench cite` (BENCHMARKS.md).

use std::hint::black_box;
use std::time::Instant;

#[path = "common/cite_corpus.rs"]
mod cite_corpus;
use cite_corpus::corpus;

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

//! Citation parsing and keying throughput (bytes of input per second, one core): `bibkey::cite::parse` and the
//! work and place keys of each line, over the citations of examples/footnotes.txt and tests/data/citations/ (the
//! `citation` column), repeated. A second group parses the same text as lines 1×, 4× and 16× as long, to show
//! that the work per byte does not grow with the length of a line. See BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "common/cite_corpus.rs"]
mod cite_corpus;
use cite_corpus::corpus;

fn cite(c: &mut Criterion) {
    let lines = corpus();
    // An empty corpus would measure nothing and print 0 B/s.
    assert!(!lines.is_empty(), "no citations found under the repository root");
    let bytes: usize = lines.iter().map(String::len).sum();
    let mut g = c.benchmark_group("cite");
    g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse+keys per line", |b| {
        b.iter(|| {
            for l in &lines {
                let c = bibkey::cite::parse(black_box(l));
                black_box((c.work_key(), c.place_key()));
            }
        })
    });
    for times in [1usize, 4, 16] {
        let long: Vec<String> = lines.chunks(times).map(|ch| ch.join(" ")).collect::<Vec<_>>();
        let b2: usize = long.iter().map(String::len).sum();
        g.throughput(Throughput::Bytes(b2 as u64));
        g.bench_with_input(BenchmarkId::new("parse, lines joined", times), &long, |b, long| {
            b.iter(|| {
                for l in long {
                    black_box(bibkey::cite::parse(black_box(l)));
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, cite);
criterion_main!(benches);

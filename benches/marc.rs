//! `bibkey marc keys` without the output: reading ISO 2709 records and making their key rows, on synthetic
//! records (benches/common/marc_synth.rs). Records per second are in BENCHMARKS.md ("MARC keys").

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "common/marc_synth.rs"]
mod marc_synth;

fn bench(c: &mut Criterion) {
    const N: usize = 10_000;
    let mut data = Vec::new();
    for i in 0..N {
        data.extend(marc_synth::record(i).expect("synthetic record"));
    }
    let mut g = c.benchmark_group("marc");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    g.bench_function("read", |b| b.iter(|| bibkey::record::read(black_box(&data)).filter(Result::is_ok).count()));
    g.bench_function("keys", |b| {
        b.iter(|| {
            let mut n = 0;
            for r in bibkey::record::read(black_box(&data)).flatten() {
                n += bibkey::record::key_rows(&r).len();
            }
            n
        })
    });
    g.bench_function("check", |b| {
        b.iter(|| {
            let mut n = 0;
            for r in bibkey::record::read(black_box(&data)).flatten() {
                n += bibkey::record::check_record(&r).len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

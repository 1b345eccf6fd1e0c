//! Romanization throughput (bytes of Cyrillic input per second) of every built-in Russian scheme, with peer crates
//! converting the same text in the same group. See BENCHMARKS.md for the figures and the command.
//!
//! The corpus is ~64 KiB of Cyrillic lines (words, surnames, given names, patronymics, full names and titles) taken
//! from the Cyrillic column of `tests/data/eval/items.tsv`: every second row, in file order, cut at the last whole
//! line below 64 KiB. It is built the same way on every run.

use std::hint::black_box;
use std::time::Duration;

use bibkey::Ties;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use translit::ToLatin;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::cyrillic_corpus;

fn romanize(c: &mut Criterion) {
    let text = cyrillic_corpus();
    let mut group = c.benchmark_group("romanize");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(text.len() as u64));

    let schemes = bibkey::builtins();
    let mut out = String::with_capacity(text.len() * 2);
    for scheme in schemes.iter().filter(|s| s.lang() == "ru") {
        group.bench_function(format!("bibkey/{}", scheme.id()), |b| {
            b.iter(|| {
                out.clear();
                scheme.romanize_into(black_box(&text), Ties::Combining, &mut out);
                black_box(out.len())
            })
        });
    }
    // Peers. Their APIs return a fresh String per call; for a 64 KiB input that one allocation is noise.
    // iuliia (compiled schemas): the schemas closest to bibkey's ru-alalc, ru-popular and ru-iso9.
    for schema in ["ala_lc", "wikipedia", "gost_779"] {
        group.bench_function(format!("iuliia/{schema}"), |b| {
            b.iter(|| black_box(iuliia::transliterate(black_box(&text), schema).expect("known schema")).len())
        });
    }
    // iuliia-rust (JSON schemas interpreted at run time); the schema is parsed once, outside the loop.
    let wikipedia = iuliia_rust::Schema::for_name("wikipedia");
    group.bench_function("iuliia-rust/wikipedia", |b| {
        b.iter(|| black_box(iuliia_rust::parse_by_schema(black_box(&text), &wikipedia)).len())
    });
    // translit (Aho-Corasick replacement); the automaton is built once, outside the loop.
    let gost = translit::Gost779B::new(translit::Language::Ru);
    group.bench_function("translit/gost779b", |b| b.iter(|| black_box(gost.to_latin(black_box(&text))).len()));
    let passport = translit::Passport2013::new();
    group.bench_function("translit/passport2013", |b| b.iter(|| black_box(passport.to_latin(black_box(&text))).len()));
    group.finish();
}

criterion_group!(benches, romanize);
criterion_main!(benches);

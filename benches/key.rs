//! Matching-key throughput (bytes of input per second) on three forms of one corpus — ASCII romanization
//! (`ru-alalc-ascii`), ALA-LC with diacritics and ties (`ru-alalc`) and the Cyrillic itself — with the Unicode→ASCII
//! crates `any_ascii` and `deunicode` converting the same text in the same group. See BENCHMARKS.md.
//!
//! Every function is called once per line (one title or name per call, as the CLI and a record-linkage loop do),
//! writing into one reused buffer that is cleared before each line. The peers go through their per-character APIs
//! into that same kind of buffer, so no side pays for an allocation per call.
//!
//! After the timed groups the bench counts heap allocations over 1000 warm `key_into` calls (a counting global
//! allocator wraps the system one; the crate itself forbids unsafe code, the bench file needs it for the
//! `GlobalAlloc` impl) and prints the count. tests/alloc.rs asserts the same count is zero.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bibkey::{Scheme, Ties};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Counts allocations and reallocations; otherwise the system allocator.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the `GlobalAlloc` contract.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::cyrillic_corpus;

fn romanized(text: &str, id: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    Scheme::builtin(id).expect("built-in scheme").romanize_into(text, Ties::Combining, &mut out);
    out
}

fn key(c: &mut Criterion) {
    let cyrillic = cyrillic_corpus();
    let inputs = [
        ("ascii", romanized(&cyrillic, "ru-alalc-ascii")),
        ("alalc", romanized(&cyrillic, "ru-alalc")),
        ("cyrillic", cyrillic),
    ];
    let mut buf = String::with_capacity(1024);
    for (name, text) in &inputs {
        let lines: Vec<&str> = text.lines().collect();
        let mut group = c.benchmark_group(format!("key/{name}"));
        group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("bibkey::key_into", |b| {
            b.iter(|| {
                let mut n = 0;
                for line in &lines {
                    buf.clear();
                    bibkey::key_into(black_box(line), &mut buf);
                    n += buf.len();
                }
                black_box(n)
            })
        });
        group.bench_function("any_ascii", |b| {
            b.iter(|| {
                let mut n = 0;
                for line in &lines {
                    buf.clear();
                    // The body of any_ascii::any_ascii, into the reused buffer.
                    for ch in black_box(line).chars() {
                        if ch.is_ascii() {
                            buf.push(ch);
                        } else {
                            buf.push_str(any_ascii::any_ascii_char(ch));
                        }
                    }
                    n += buf.len();
                }
                black_box(n)
            })
        });
        group.bench_function("deunicode", |b| {
            b.iter(|| {
                let mut n = 0;
                for line in &lines {
                    buf.clear();
                    // deunicode_with_tofu_cow's logic (ASCII lines copied whole, the rest per character with the
                    // same "[?]" tofu), into the reused buffer instead of a new String per non-ASCII line.
                    let line = black_box(line);
                    if line.is_ascii() {
                        buf.push_str(line);
                    } else {
                        for ch in line.chars() {
                            if ch.is_ascii() {
                                buf.push(ch);
                            } else {
                                buf.push_str(deunicode::deunicode_char(ch).unwrap_or("[?]"));
                            }
                        }
                    }
                    n += buf.len();
                }
                black_box(n)
            })
        });
        group.finish();
    }

    // Allocation count of warm key_into calls (outside criterion; printed, asserted in tests/alloc.rs).
    for (name, text) in &inputs {
        let lines: Vec<&str> = text.lines().collect();
        let mut buf = String::with_capacity(1024);
        for line in &lines {
            buf.clear();
            bibkey::key_into(line, &mut buf);
        }
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let mut calls = 0;
        for line in lines.iter().cycle().take(1000) {
            buf.clear();
            bibkey::key_into(black_box(line), &mut buf);
            calls += 1;
        }
        let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
        println!("key_into on {name}: {allocations} heap allocations in {calls} warm calls");
    }
}

criterion_group!(benches, key);
criterion_main!(benches);

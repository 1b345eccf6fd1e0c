//! `key_into` does not allocate once its output buffer has grown to the size it needs (its documented promise).
//!
//! This test binary has its own global allocator, a counting wrapper over the system one. The crate forbids unsafe
//! code; this file needs it only for the `GlobalAlloc` impl. Other tests run on other threads of the same process, so
//! the count is per thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use bibkey::{Scheme, Ties};

thread_local! {
    /// Allocations (and reallocations) made by this thread. `const` so reading it never allocates.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

fn count() {
    // `try_with`: the slot may already be gone while the thread is being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the `GlobalAlloc` contract; the counter is a
// const-initialized thread-local `Cell`, whose access neither allocates nor re-enters the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Titles and names in Cyrillic, ALA-LC (ties, diacritics, MARC-8 tie halves), ASCII, other schemes, mixed script,
/// pre-1918 spelling, OCR damage and text in decomposed form.
const SAMPLES: &[&str] = &[
    "Пролетарская революция",
    "Proletarskai͡a revoli͡ut͡sii͡a",
    "T︠S︡vetaeva, Marina Ivanovna",
    "Proletarskaia revoliutsiia",
    "Proletarskaya revolyutsiya",
    "Proletarskaâ revolûciâ",
    "Trotzki, Leo",
    "Shchёlkovo",
    "Извѣстія Императорской Академіи наукъ",
    "Bol’ sheviki",
    "Йошкар-Ола",
    "Ŝukin",
    "S\u{302}ukin, Trotskii\u{306}",
    "Shchukin, Ivan",
    "Istorii︠a︡ Rossii v XX veke: 1917–1991",
    "Вопросы истории Февральской революции, 1917 г.",
    "Достоевский Ф. М. «Братья Карамазовы»",
    "",
    "   ",
];

#[test]
fn warm_key_into_does_not_allocate() {
    let alalc = Scheme::builtin("ru-alalc").expect("built-in scheme");
    let mut inputs: Vec<String> = SAMPLES.iter().map(|s| s.to_string()).collect();
    for s in SAMPLES {
        let mut out = String::new();
        alalc.romanize_into(s, Ties::Combining, &mut out);
        inputs.push(out);
    }
    let mut buf = String::new();
    // Warm: the tables are built and the buffer has grown to the longest key.
    for text in &inputs {
        buf.clear();
        bibkey::key_into(text, &mut buf);
    }
    let before = allocations();
    let mut total = 0;
    for text in inputs.iter().cycle().take(1000) {
        buf.clear();
        bibkey::key_into(text, &mut buf);
        total += buf.len();
    }
    let made = allocations() - before;
    assert!(total > 0);
    assert_eq!(made, 0, "{made} heap allocations in 1000 warm key_into calls");
}

#[test]
fn counter_sees_allocations() {
    // Guards the test above against a counter that never counts.
    let before = allocations();
    let v: Vec<u8> = Vec::with_capacity(std::hint::black_box(64));
    drop(std::hint::black_box(v));
    assert!(allocations() > before);
}

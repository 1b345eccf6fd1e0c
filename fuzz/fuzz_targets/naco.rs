//! NACO normalization on any text: no panic, idempotent (the module documents the result as fully normalized),
//! in upper case, and normalize_into appends exactly what normalize returns.
#![no_main]

use bibkey::naco::{normalize, normalize_into, normalize_subfield_a};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let plain = normalize(text);
    assert_eq!(normalize(&plain), plain, "{text:?}");
    let sub = normalize_subfield_a(text);
    assert_eq!(normalize_subfield_a(&sub), sub, "{text:?}");
    // Upper case: every letter that has a capital is one (ȹ, ĸ and the like have none and stay as they are).
    assert!(plain.chars().all(|c| c.to_uppercase().eq(std::iter::once(c))), "{text:?} -> {plain:?}");
    let mut out = String::from("kept");
    normalize_into(text, true, &mut out);
    assert_eq!(&out[4..], sub);
});

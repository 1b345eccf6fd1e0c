//! Readings on any text: the first is the key itself, all are in the key alphabet, none repeats; the same for the
//! title and name kinds.
#![no_main]

use bibkey::{Key, KeyKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let r = bibkey::key::readings(text);
    assert_eq!(r.first(), Some(&bibkey::key(text)), "{text:?}");
    for kind in [KeyKind::Text, KeyKind::Title, KeyKind::Name] {
        let r = kind.readings(text);
        assert_eq!(r.first(), Some(&kind.key(text)), "{kind:?} {text:?}");
        for (i, k) in r.iter().enumerate() {
            assert!(Key::from_stored(k.as_str()).is_ok(), "{kind:?} {text:?}: reading {k:?}");
            assert!(!r[..i].contains(k), "{kind:?} {text:?}: {k:?} repeats in {r:?}");
        }
    }
});

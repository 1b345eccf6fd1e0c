//! The clusterer on any texts and options: no panic; push, push_many (in any split) and push_keys give the same
//! assignments; a cluster is the number of a text at or before this one; an empty key is a cluster of its own; a
//! text whose key was seen joins that key's cluster; a new cluster is numbered by the text that starts it.
#![no_main]

use arbitrary::Arbitrary;
use bibkey::cluster::{ClusterOptions, How};
use bibkey::{Clusterer, KeyKind};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    nearest: bool,
    readings: bool,
    max_edits: u8,
    ratio: u8,
    split: u8,
    texts: Vec<String>,
}

fuzz_target!(|input: Input| {
    let kind = [KeyKind::Text, KeyKind::Title, KeyKind::Name][input.kind as usize % 3];
    let options = ClusterOptions::new(kind)
        .nearest(input.nearest)
        .readings(input.readings)
        .max_edits(input.max_edits as usize % 9)
        .edit_ratio(input.ratio as f64 / 255.0);
    let texts: Vec<&str> = input.texts.iter().map(String::as_str).filter(|t| t.len() < 2048).take(200).collect();

    let mut one = Clusterer::with_options(options.clone());
    let singles: Vec<_> = texts.iter().map(|t| one.push(t)).collect();

    let mut many = Clusterer::with_options(options.clone());
    let mut batched = Vec::new();
    let cut = (input.split as usize).min(texts.len());
    many.push_many(&texts[..cut], &mut batched);
    many.push_many(&texts[cut..], &mut batched);
    assert_eq!(singles, batched);

    if !input.readings {
        let keys: Vec<_> = texts.iter().map(|t| kind.key(t)).collect();
        let mut by_keys = Clusterer::with_options(options);
        let mut out = Vec::new();
        by_keys.push_keys(&keys, &mut out);
        assert_eq!(singles, out);
    }

    let mut seen = std::collections::HashMap::new();
    for (i, (t, a)) in texts.iter().zip(&singles).enumerate() {
        let number = i as u64 + 1;
        assert!(a.cluster >= 1 && a.cluster <= number, "{a:?} for text {number}");
        let k = kind.key(t);
        if k.is_empty() {
            assert_eq!((a.cluster, a.how), (number, How::Empty));
            continue;
        }
        if let Some(&c) = seen.get(&k) {
            assert_eq!((a.cluster, a.how), (c, How::Key), "{t:?}");
        } else {
            assert_ne!(a.how, How::Key, "{t:?}");
            if a.how == How::New {
                assert_eq!(a.cluster, number);
            }
            seen.insert(k, a.cluster);
        }
    }
});

//! Sequences of inserts, removals, lookups and searches on an index, against a plain list of what was inserted:
//! no panic; an inserted record's keys are stored as computed; an exact lookup and an unlimited search find every
//! live record with that title key and no removed one; len counts the live records.
#![no_main]

use arbitrary::Arbitrary;
use bibkey::{name_key, title_key, Index, Query, SearchOptions};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Insert(String, Vec<String>),
    /// Insert again the title of an earlier record with other names (keys that collide).
    Repeat(u8, Vec<String>),
    Remove(u8),
    Search(String, Vec<String>),
}

fuzz_target!(|input: (bool, Vec<Op>)| {
    let (exact_only, ops) = input;
    let mut index = if exact_only { Index::exact_only() } else { Index::new() };
    // (id, title, live)
    let mut model: Vec<(bibkey::index::RecordId, String, bool)> = Vec::new();
    let all = SearchOptions::default().limit(usize::MAX).max_postings(usize::MAX);
    for op in ops.into_iter().take(64) {
        match op {
            Op::Insert(title, names) | Op::Search(title, names) if title.len() > 4096 || names.len() > 8 => {}
            Op::Insert(title, names) => insert(&mut index, &mut model, title, &names),
            Op::Repeat(i, names) if !model.is_empty() && names.len() <= 8 => {
                let title = model[i as usize % model.len()].1.clone();
                insert(&mut index, &mut model, title, &names);
            }
            Op::Repeat(..) => {}
            Op::Remove(i) if !model.is_empty() => {
                let n = model.len();
                let m = &mut model[i as usize % n];
                assert_eq!(index.remove(m.0), m.2);
                m.2 = false;
                assert!(!index.contains(m.0) && index.get(m.0).is_none());
            }
            Op::Remove(_) => {}
            Op::Search(title, names) => {
                let found = index.search(&Query::new(&title, &names), &SearchOptions::default());
                assert!(found.len() <= 10);
                for m in &found {
                    assert!(index.contains(m.id) && (0.0..=1.0).contains(&m.score), "{m:?}");
                }
            }
        }
        assert_eq!(index.len(), model.iter().filter(|m| m.2).count());
    }
    // Every live record is found by its title key, exactly and by search; no removed one is.
    for (id, title, live) in &model {
        let k = title_key(title);
        if k.is_empty() {
            continue;
        }
        let exact: Vec<_> = index.lookup_title(&k).collect();
        assert_eq!(exact.contains(id), *live, "lookup {title:?}");
        let found = index.search(&Query::from_keys(k.clone(), vec![]), &all);
        assert_eq!(found.iter().any(|m| m.id == *id), *live, "search {title:?}");
        for m in &found {
            assert!(index.contains(m.id));
        }
    }
});

fn insert(
    index: &mut Index,
    model: &mut Vec<(bibkey::index::RecordId, String, bool)>,
    title: String,
    names: &[String],
) {
    let id = index.insert(&title, names).unwrap();
    let keys = index.get(id).unwrap();
    assert_eq!(keys.title, title_key(&title).as_str());
    for k in &keys.names {
        assert!(names.iter().any(|n| name_key(n).as_str() == *k));
    }
    model.push((id, title, true));
}

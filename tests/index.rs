//! The index and the comparator against naive references: the bit-parallel comparator against the textbook dynamic
//! programme, the trigram-filtered search against a linear scan of every record, exact lookup against a filter.

#[path = "common/deep.rs"]
mod deep;

use bibkey::cluster::How;
use bibkey::distance::{levenshtein, prefix_levenshtein, Comparator};
use bibkey::index::{FieldMatch, Index, Query, RecordId, SearchOptions, Searcher};
use bibkey::{Clusterer, Key, KeyKind};
use proptest::prelude::*;

/// Keys over a small alphabet, so that random keys are often close to each other.
fn small_key(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[abcde]{{0,{max}}}")).unwrap()
}

fn key_of(s: &str) -> Key {
    // Keys of the small alphabet are their own keys (no fold applies to a–e except doubled letters, which the
    // index does not care about): build them through the public constructor to stay honest.
    Query::from_keys(bibkey::key(s), Vec::new()).title().clone()
}

proptest! {
    #![proptest_config(deep::cases(400))]

    #[test]
    fn comparator_equals_textbook(a in small_key(150), b in small_key(150)) {
        let c = Comparator::new(&a);
        prop_assert_eq!(c.distance(&b), levenshtein(&a, &b));
        prop_assert_eq!(c.prefix_distance(&b), prefix_levenshtein(&a, &b));
        let d = levenshtein(&a, &b);
        for max in [0, 1, 2, 5, 20] {
            prop_assert_eq!(c.distance_within(&b, max), (d <= max).then_some(d));
            let both = c.distances_within(&b, max);
            if d <= max { prop_assert_eq!(both.global, d); } else { prop_assert!(both.global > max); }
            let p = prefix_levenshtein(&a, &b);
            if p <= max { prop_assert_eq!(both.prefix, p); } else { prop_assert!(both.prefix > max); }
        }
    }

    /// Long keys with small bounds take the banded path: a key and a copy with a few random edits.
    #[test]
    fn comparator_equals_textbook_on_long_keys(
        a in small_key(700).prop_filter("long", |a| a.len() >= 200),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(vec!['a', 'b', 'z'])), 0..6),
    ) {
        let mut b: Vec<char> = a.chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(b.len() + 1);
            match kind {
                0 => b.insert(i, c),
                1 if i < b.len() => { b.remove(i); }
                _ if i < b.len() => b[i] = c,
                _ => {}
            }
        }
        let b: String = b.into_iter().collect();
        let c = Comparator::new(&a);
        let d = levenshtein(&a, &b);
        let p = prefix_levenshtein(&a, &b);
        for max in [0, 1, 2, 3, 4, 6] {
            prop_assert_eq!(c.distance_within(&b, max), (d <= max).then_some(d), "max {}", max);
            let both = c.distances_within(&b, max);
            if d <= max { prop_assert_eq!(both.global, d); } else { prop_assert!(both.global > max); }
            if p <= max { prop_assert_eq!(both.prefix, p); } else { prop_assert!(both.prefix > max); }
        }
    }

    #[test]
    fn comparator_on_any_bytes(a in "\\PC{0,80}", b in "\\PC{0,80}") {
        prop_assert_eq!(Comparator::new(&a).distance(&b), levenshtein(&a, &b));
    }

    /// Every record whose title key is within the search's edit bound of the query is found, with the right
    /// distance; nothing farther is reported as an edit match; removed records never come back.
    #[test]
    fn fuzzy_search_is_complete(
        titles in prop::collection::vec(small_key(30), 1..120),
        query in small_key(30),
        removed in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
        ratio in 0.0f64..0.5,
    ) {
        let mut index = Index::new();
        let keys: Vec<Key> = titles.iter().map(|t| key_of(t)).collect();
        let ids: Vec<RecordId> = keys.iter().map(|k| index.insert_keys(k, &[]).unwrap()).collect();
        let mut gone = std::collections::HashSet::new();
        for r in removed {
            let id = ids[r.index(ids.len())];
            prop_assert_eq!(index.remove(id), !gone.contains(&id));
            gone.insert(id);
        }
        let q = key_of(&query);
        let options = SearchOptions::default().limit(usize::MAX).edit_ratio(ratio).prefix(false);
        let found = index.search(&Query::from_keys(q.clone(), Vec::new()), &options);
        // The bound the index promises: the budget, lowered to what the query's disjoint four-letter windows can
        // guarantee (the key with a start marker has len − 2 window positions; windows are 4 apart).
        let positions = (q.as_str().len() + 1).saturating_sub(3);
        let k = if positions == 0 { 0 } else { options.edits_for(q.as_str().len()).min((positions - 1) / 4) };
        for (i, key) in keys.iter().enumerate() {
            let id = ids[i];
            let d = levenshtein(q.as_str(), key.as_str());
            let hit = found.iter().find(|m| m.id == id);
            if gone.contains(&id) {
                prop_assert!(hit.is_none());
            } else if d <= k && !q.is_empty() {
                let m = hit.expect("a record within the bound was not found");
                let want = if d == 0 { FieldMatch::Exact } else { FieldMatch::Edits(d as u32) };
                prop_assert_eq!(m.title, want);
                prop_assert!((m.score - (1.0 - d as f64 / q.as_str().len().max(key.as_str().len()) as f64)).abs() < 1e-9);
            } else if let Some(m) = hit {
                prop_assert!(false, "{:?} reported at distance {}, bound {}", m, d, k);
            }
        }
        // Best first.
        prop_assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
        // Exact lookup equals a filter.
        let mut exact: Vec<RecordId> = index.lookup_title(&q).collect();
        exact.sort();
        let want: Vec<RecordId> = ids.iter().copied().zip(&keys)
            .filter(|(id, k)| **k == q && !gone.contains(id) && !q.is_empty()).map(|(id, _)| id).collect();
        prop_assert_eq!(exact, want);
        // The batch lookup agrees with one lookup at a time, for every stored key and the query.
        let mut probes: Vec<Key> = keys.clone();
        probes.push(q.clone());
        let mut batch = Vec::new();
        index.lookup_titles(&probes, &mut batch);
        let single: Vec<Option<RecordId>> = probes.iter().map(|k| index.lookup_title(k).next()).collect();
        prop_assert_eq!(batch, single);
    }

    /// Prefix search finds every record whose key starts within the bound of the query.
    #[test]
    fn prefix_search_is_complete(titles in prop::collection::vec(small_key(40), 1..80), query in small_key(20)) {
        let mut index = Index::new();
        let keys: Vec<Key> = titles.iter().map(|t| key_of(t)).collect();
        for k in &keys { index.insert_keys(k, &[]).unwrap(); }
        let q = key_of(&query);
        let options = SearchOptions::default().limit(usize::MAX).min_prefix_len(0);
        let found = index.search(&Query::from_keys(q.clone(), Vec::new()), &options);
        let positions = (q.as_str().len() + 1).saturating_sub(3);
        let k = if positions == 0 { 0 } else { options.edits_for(q.as_str().len()).min((positions - 1) / 4) };
        for (i, key) in keys.iter().enumerate() {
            let p = prefix_levenshtein(q.as_str(), key.as_str());
            if p <= k && key.as_str().len() > q.as_str().len() && positions > 0 {
                let m = found.iter().find(|m| m.id.index() == i);
                prop_assert!(m.is_some(), "{:?} is within {} edits of a prefix of {:?} but was not found", q, p, key);
            }
        }
    }

    /// Clusters: equal keys share a cluster, a cluster is named by a text that came no later, and the first text of
    /// every cluster is New.
    #[test]
    fn clusters_are_consistent(texts in prop::collection::vec("[a-e ]{0,25}", 1..150)) {
        let mut c = Clusterer::new(KeyKind::Text);
        let mut first_of_key: std::collections::HashMap<Key, u64> = Default::default();
        let mut assignments = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let n = i as u64 + 1;
            let a = c.push(t);
            prop_assert!(a.cluster <= n);
            prop_assert_eq!(a.how == How::New || a.how == How::Empty, a.cluster == n);
            let k = bibkey::key(t);
            if !k.is_empty() {
                let cluster_of_first = first_of_key.get(&k).map(|&j| assignments[j as usize - 1]);
                match cluster_of_first {
                    Some(cl) => { prop_assert_eq!(a.cluster, cl); prop_assert_eq!(a.how, How::Key); }
                    None => { first_of_key.insert(k, n); }
                }
            }
            assignments.push(a.cluster);
        }
    }
}

proptest! {
    #![proptest_config(deep::cases(64))]

    /// Any text as titles, names and queries: no panic, results within bounds, removal consistent.
    #[test]
    fn any_input_is_safe(
        records in prop::collection::vec(("\\PC{0,60}", prop::collection::vec("\\PC{0,20}", 0..3)), 0..40),
        query in "\\PC{0,60}",
        names in prop::collection::vec("\\PC{0,20}", 0..2),
        limit in 0usize..5,
    ) {
        let mut index = Index::new();
        for (t, n) in &records {
            let n: Vec<&str> = n.iter().map(String::as_str).collect();
            index.insert(t, &n).unwrap();
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let options = SearchOptions::default().limit(limit);
        let found = index.search(&Query::new(&query, &names), &options);
        prop_assert!(found.len() <= limit);
        for m in &found {
            prop_assert!(index.contains(m.id));
            prop_assert!((0.0..=1.0).contains(&m.score), "score {}", m.score);
        }
        // A record's own title finds it, as an exact title match (if its key is not empty).
        if let Some((i, (t, _))) = records.iter().enumerate().find(|(_, (t, _))| !bibkey::title_key(t).is_empty()) {
            let own = index.search(&Query::new(t, None::<&str>), &SearchOptions::default());
            let hit = own.iter().find(|m| m.id.index() == i);
            let same_key = records.iter().filter(|(u, _)| bibkey::title_key(u) == bibkey::title_key(t)).count();
            if same_key <= 10 {
                prop_assert!(hit.is_some_and(|m| m.title == FieldMatch::Exact), "{:?} not found by its own title", t);
            }
        }
        let mut c = Clusterer::new(KeyKind::Title);
        for (t, _) in &records {
            c.push(t);
        }
        prop_assert_eq!(c.count(), records.len() as u64);
        if let Some(first) = found.first() {
            prop_assert!(index.remove(first.id));
            prop_assert!(!index.contains(first.id));
            prop_assert!(index.search(&Query::new(&query, &names), &options).iter().all(|m| m.id != first.id));
        }
    }
}

#[test]
fn names_and_scores_explain_themselves() {
    let mut index = Index::new();
    let a = index.insert("Istoriia grazhdanskoi voiny v SSSR", ["Gorkii, M."]).unwrap();
    let b = index.insert("Istoriia grazhdanskoi voiny v SSSR", ["Mints, I. I."]).unwrap();
    let c = index.insert("Istoriia grazhdanskoi voiny v SSSR", None::<&str>).unwrap();
    // Same title; the name decides: exact name first, no name next, another name last.
    let found = index.search(&Query::new("История гражданской войны в СССР", ["Минц И."]), &SearchOptions::default());
    let order: Vec<RecordId> = found.iter().map(|m| m.id).collect();
    assert_eq!(order, [b, c, a]);
    assert_eq!((found[0].title, found[0].name), (FieldMatch::Exact, FieldMatch::Exact));
    assert_eq!(found[1].name, FieldMatch::Absent);
    assert_eq!(found[2].name, FieldMatch::Different);
    assert!(found[0].score > found[1].score && found[1].score > found[2].score);
    // A title cut short.
    let found = index.search(&Query::new("Istoriia grazhdanskoi voiny", None::<&str>), &SearchOptions::default());
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|m| m.title == FieldMatch::Prefix(0)));
    // Name-only queries.
    let found = index.search(&Query::new("", ["Mintz, I."]), &SearchOptions::default());
    assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), [b]);
    assert_eq!(found[0].name, FieldMatch::Exact);
    assert_eq!(index.lookup_name(&bibkey::name_key("Минц, И.")).collect::<Vec<_>>(), [b]);
    assert_eq!(index.get(b).unwrap().names, ["minci"]);
}

#[test]
fn searcher_reuse_gives_the_same_results() {
    let mut index = Index::new();
    let titles = ["Krasnyi arkhiv", "Krasnaia nov'", "Proletarskaia revoliutsiia", "Bol'shevik", "Katorga i ssylka"];
    for t in titles {
        index.insert(t, None::<&str>).unwrap();
    }
    let mut s = Searcher::new();
    let mut out = Vec::new();
    for t in titles.iter().rev() {
        let q = Query::new(&t.replace('a', "o"), None::<&str>);
        index.search_with(&mut s, &q, &SearchOptions::default(), &mut out);
        assert_eq!(out, index.search(&q, &SearchOptions::default()));
    }
}

#[test]
fn removal_and_reinsertion() {
    let mut index = Index::new();
    let a = index.insert("Krasnyi arkhiv", ["Pokrovskii"]).unwrap();
    let b = index.insert("Красный архив", None::<&str>).unwrap();
    let key = bibkey::title_key("Krasnyi arkhiv");
    assert_eq!(index.lookup_title(&key).collect::<Vec<_>>(), [b, a]);
    assert!(index.remove(b));
    assert!(!index.remove(b));
    assert_eq!(index.lookup_title(&key).collect::<Vec<_>>(), [a]);
    assert!(index.remove(a));
    assert_eq!(index.lookup_title(&key).count(), 0);
    assert_eq!(index.lookup_name(&bibkey::name_key("Pokrovskii")).count(), 0);
    assert!(index.is_empty() && index.get(a).is_none());
    let c = index.insert("Krasnyi arkhiv", None::<&str>).unwrap();
    assert_eq!(index.lookup_title(&key).collect::<Vec<_>>(), [c]);
    assert_eq!(index.search(&Query::new("Krasnyj archiv", None::<&str>), &SearchOptions::default())[0].id, c);
}

#[test]
fn batch_insert_equals_one_by_one() {
    let records: Vec<(String, Vec<String>)> = (0..200)
        .map(|i| (format!("Sbornik statei {i}"), vec![format!("Ivanov, I. {i}"), "Petrov".to_string()]))
        .collect();
    let mut a = Index::new();
    let ids = a.insert_batch(&records).unwrap();
    let mut b = Index::new();
    for (t, n) in &records {
        let n: Vec<&str> = n.iter().map(String::as_str).collect();
        b.insert(t, &n).unwrap();
    }
    assert_eq!(ids.len(), 200);
    for &id in &ids {
        assert_eq!(a.get(id), b.get(id));
    }
    assert_eq!(a.stats().postings, b.stats().postings);
    assert_eq!(a.stats().distinct_titles, b.stats().distinct_titles);
    // The gram lists give the same searches (title and name-only).
    for (t, n) in [("Sbornik statej 17", "Ivanov I. 17"), ("Sbornik statei 1", ""), ("", "Petrov"), ("Sbornik", "")] {
        let names: Vec<&str> = if n.is_empty() { vec![] } else { vec![n] };
        let q = Query::new(t, &names);
        let o = SearchOptions::default().limit(50).min_prefix_len(4);
        let (x, y) = (a.search(&q, &o), b.search(&q, &o));
        assert!(!x.is_empty(), "{t:?} {n:?} found nothing");
        assert_eq!(x, y, "{t:?} {n:?}");
    }
    // Batches after single inserts continue the numbering.
    let more = a.insert_batch(&records[..3]).unwrap();
    assert_eq!(more.iter().map(|r| r.index()).collect::<Vec<_>>(), [200, 201, 202]);
}

#[test]
fn default_index_is_a_full_index() {
    let mut index = Index::default();
    index.insert("Proletarskaia revoliutsiia", None::<&str>).unwrap();
    let found = index.search(&Query::new("Proletarskaia revoluitsiia", None::<&str>), &SearchOptions::default());
    assert_eq!(found.len(), 1, "Index::default() must search fuzzily like Index::new()");
    let mut exact = Index::exact_only();
    exact.insert("Proletarskaia revoliutsiia", None::<&str>).unwrap();
    assert!(exact
        .search(&Query::new("Proletarskaia revoluitsiia", None::<&str>), &SearchOptions::default())
        .is_empty());
    assert_eq!(exact.search(&Query::new("Пролетарская революция", None::<&str>), &SearchOptions::default()).len(), 1);
    // A reused searcher carries nothing from one search to the next.
    exact.insert("Krasnyi arkhiv", None::<&str>).unwrap();
    let mut s = Searcher::new();
    let mut out = Vec::new();
    for title in ["Пролетарская революция", "Красный архив", "nothing"] {
        exact.search_with(&mut s, &Query::new(title, None::<&str>), &SearchOptions::default(), &mut out);
        assert_eq!(out, exact.search(&Query::new(title, None::<&str>), &SearchOptions::default()), "{title}");
    }
}

/// An exact-only index (which keeps its keys' hashes to grow its table) through many growths, with empty and
/// repeated keys among the others, finds every record by its key, newest first, against a map.
#[test]
fn exact_only_index_finds_every_key_through_growth() {
    let mut index = Index::exact_only();
    let mut model: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for i in 0..20_000usize {
        // Every seventh title is empty (no key); the others repeat with period 5,003.
        let title = if i % 7 == 0 { String::new() } else { format!("zapiski {} tom", (i * 31) % 5003) };
        let id = index.insert_keys(&bibkey::key(&title), &[]).unwrap();
        assert_eq!(id.index(), i);
        if !title.is_empty() {
            model.entry(title).or_default().push(i);
        }
    }
    for (title, ids) in &model {
        let found: Vec<usize> = index.lookup_title(&bibkey::key(title)).map(|r| r.index()).collect();
        let newest_first: Vec<usize> = ids.iter().rev().copied().collect();
        assert_eq!(found, newest_first, "{title}");
    }
    assert_eq!(index.lookup_title(&bibkey::key("zapiski 5003 tom")).count(), 0);
}

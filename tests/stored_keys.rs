//! Keys saved as strings and read back (`Key::from_stored`) give the same index lookups, searches and clusters as
//! the keys computed from the text. The records are the titles and names of tests/data/titles.tsv and names.tsv
//! (both columns of every row: Cyrillic, romanized, German, typos…), so that many keys collide and many are near.

use std::collections::HashMap;
use std::path::Path;

use bibkey::{name_key, title_key, Clusterer, Index, Key, KeyKind, Query, SearchOptions};

/// Column `col` (0-based) of every data row of tests/data/`file`.
fn column(file: &str, col: usize) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').nth(col).map(str::to_string))
        .collect()
}

/// Records: every title of titles.tsv with up to two names of names.tsv, taken in turn.
fn records() -> Vec<(String, Vec<String>)> {
    let titles: Vec<String> = column("titles.tsv", 0).into_iter().chain(column("titles.tsv", 1)).collect();
    let names: Vec<String> = column("names.tsv", 0).into_iter().chain(column("names.tsv", 1)).collect();
    assert!(titles.len() > 150 && names.len() > 250, "{} titles, {} names", titles.len(), names.len());
    titles
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let n = (0..i % 3).map(|j| names[(2 * i + j) % names.len()].clone()).collect();
            (t, n)
        })
        .collect()
}

/// The keys of a record as a database row would hold them: one text column for the title key, one for the name
/// keys joined with `;` (which no key contains).
fn store(title: &Key, names: &[Key]) -> (String, String) {
    let names: Vec<&str> = names.iter().map(Key::as_str).collect();
    (title.to_string(), names.join(";"))
}

fn load(row: &(String, String)) -> (Key, Vec<Key>) {
    let title: Key = row.0.parse().unwrap();
    let names = row.1.split(';').filter(|s| !s.is_empty()).map(|s| Key::from_stored(s).unwrap()).collect();
    (title, names)
}

#[test]
fn stored_keys_index_and_cluster_like_fresh_ones() {
    let records = records();
    let fresh: Vec<(Key, Vec<Key>)> =
        records.iter().map(|(t, n)| (title_key(t), n.iter().map(|n| name_key(n)).collect())).collect();
    let rows: Vec<(String, String)> = fresh.iter().map(|(t, n)| store(t, n)).collect();
    let loaded: Vec<(Key, Vec<Key>)> = rows.iter().map(load).collect();
    assert_eq!(loaded, fresh);

    // The index built from the text, and one built from the stored keys.
    let mut from_text = Index::new();
    for (t, n) in &records {
        from_text.insert(t, n).unwrap();
    }
    let mut from_store = Index::new();
    for (t, n) in &loaded {
        from_store.insert_keys(t, n).unwrap();
    }
    let mut collisions = 0;
    for (t, n) in &loaded {
        let a: Vec<_> = from_text.lookup_title(t).collect();
        assert_eq!(a, from_store.lookup_title(t).collect::<Vec<_>>());
        collisions += usize::from(a.len() > 1);
        for k in n {
            assert_eq!(from_text.lookup_name(k).collect::<Vec<_>>(), from_store.lookup_name(k).collect::<Vec<_>>());
        }
    }
    // The data has titles that are spellings of one another, so lookups return several records.
    assert!(collisions > 50, "{collisions} titles shared with another record");

    // Fuzzy search: a query from stored keys finds what the query from the text finds.
    let options = SearchOptions::default();
    for ((t, n), (tk, nk)) in records.iter().zip(&loaded) {
        let names: Vec<&str> = n.iter().map(String::as_str).collect();
        let by_text = from_text.search(&Query::new(t, &names), &options);
        let by_store = from_store.search(&Query::from_keys(tk.clone(), nk.clone()), &options);
        assert_eq!(by_text, by_store, "{t}");
    }

    // Clusters of the titles as text, and of their stored keys.
    let mut a = Clusterer::new(KeyKind::Title);
    let mut b = Clusterer::new(KeyKind::Title);
    let mut by_store = Vec::new();
    b.push_keys(&loaded.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), &mut by_store);
    let mut c = Clusterer::new(KeyKind::Title);
    for (i, ((t, _), (tk, _))) in records.iter().zip(&loaded).enumerate() {
        let x = a.push(t);
        assert_eq!(x, by_store[i], "{t}");
        assert_eq!(x, c.push_key(tk.clone()), "{t}");
    }
    // Both steps happened: texts joined by key collision and by nearest neighbour.
    use bibkey::cluster::How;
    assert!(by_store.iter().filter(|x| x.how == How::Key).count() > 50);
    assert!(by_store.iter().any(|x| matches!(x.how, How::Near(_))));
}

#[test]
fn a_key_map_is_looked_up_with_stored_strings() {
    let mut by_key: HashMap<Key, usize> = HashMap::new();
    for (i, (t, _)) in records().iter().enumerate() {
        by_key.entry(title_key(t)).or_insert(i);
    }
    let stored = title_key("Proletarskai͡a revoli͡ut͡sii͡a").into_string();
    assert!(by_key.contains_key(stored.as_str()));
    assert_eq!(by_key.get(stored.as_str()), by_key.get(&title_key("Пролетарская революция")));
}

#[test]
fn keying_a_key_again_is_not_the_way_back() {
    // Why the contract says "use it as a key": re-keying a stored multi-word key may change it, because the words
    // run together in the key and the fold treats the end of a word specially.
    let k = bibkey::key("Krasnyi arkhiv");
    assert_eq!(k.as_str(), "krasniarhiv");
    assert_ne!(bibkey::key(k.as_str()), k);
    assert_eq!(Key::from_stored(k.as_str()).unwrap(), k);
}

#[test]
fn bad_stored_keys_say_where() {
    let err = Key::from_stored("istoriarusskoi revolucii").unwrap_err();
    assert_eq!(err.invalid_key_char(), Some((' ', 14)));
    assert!(err.to_string().contains("byte 14"), "{err}");
    let err = "trockiЛ".parse::<Key>().unwrap_err();
    assert_eq!(err.invalid_key_char(), Some(('Л', 6)));
    assert!(Key::try_from("Trocki".to_string()).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn serde_as_a_string_with_the_same_check() {
    let k = title_key("Пролетарская революция");
    let json = serde_json::to_string(&k).unwrap();
    assert_eq!(json, "\"proletarskarevoluca\"");
    assert_eq!(serde_json::from_str::<Key>(&json).unwrap(), k);
    let keys: Vec<Key> = serde_json::from_str(r#"["trocki", "", "αβ"]"#).unwrap();
    assert_eq!(keys, ["trocki", "", "αβ"]);
    let err = serde_json::from_str::<Key>("\"Trocki\"").unwrap_err().to_string();
    assert!(err.contains("at byte 0"), "{err}");
}

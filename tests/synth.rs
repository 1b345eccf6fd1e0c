//! The synthetic benchmark data (benches/common/synth.rs): deterministic, shaped as documented, and honest about
//! which records and queries belong to which work.

#[path = "../benches/common/synth.rs"]
mod synth;

use std::collections::{HashMap, HashSet};

use synth::{damage, Rng, Synth, SynthRecord, DAMAGES, FORMS};

const N: usize = 20_000;

fn records(seed: u64) -> Vec<SynthRecord> {
    Synth::new().records(N, seed)
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let g = Synth::new();
    let a = g.records(3000, 7);
    assert_eq!(a, g.records(3000, 7));
    let b = g.records(3000, 8);
    assert_ne!(a, b);
    // Not just a shuffle or a relabelling: most titles differ.
    let titles: HashSet<&str> = a.iter().map(|r| r.title.as_str()).collect();
    assert!(b.iter().filter(|r| titles.contains(r.title.as_str())).count() < 100);
    // A shorter run is a prefix of a longer one.
    assert_eq!(g.records(500, 7), a[..500]);
    assert_eq!(g.queries(&a, 500, 1), g.queries(&a, 500, 1));
    assert_ne!(g.queries(&a, 500, 1), g.queries(&a, 500, 2));
}

#[test]
fn records_are_well_formed() {
    for (i, r) in records(1).iter().enumerate() {
        assert_eq!(r.id, i as u64);
        assert!(!r.title.trim().is_empty(), "{r:?}");
        assert!(r.names.len() <= 2, "{r:?}");
        for field in std::iter::once(&r.title).chain(&r.names) {
            assert!(!field.contains(['\t', '\n', '\r', ';']), "{r:?}");
            assert_eq!(field.trim(), field, "{r:?}");
        }
        if r.form == "cyrillic" {
            assert!(r.title.chars().next().is_some_and(char::is_uppercase), "{r:?}");
            // 2–7 words before the subtitle, not counting a volume.
            let main = r.title.split(" : ").next().unwrap();
            let mut words: Vec<&str> = main.split_whitespace().collect();
            if words.len() > 2 && words[words.len() - 2] == "Т." {
                words.truncate(words.len() - 2);
            }
            assert!((2..=7).contains(&words.len()), "{r:?}");
            for n in &r.names {
                let shapes = [n.contains(", "), n.ends_with('.') && !n.contains(','), n.find(". ") == Some(2)];
                assert_eq!(shapes.iter().filter(|&&s| s).count(), 1, "name shape: {n}");
            }
        } else {
            // Romanized: no Cyrillic letters left, and the scheme really is the one named.
            assert!(!r.title.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c)), "{r:?}");
        }
    }
}

#[test]
fn about_a_fifth_are_other_renderings_of_an_earlier_work() {
    let recs = records(2);
    let mut by_work: HashMap<u64, Vec<&SynthRecord>> = HashMap::new();
    for r in &recs {
        by_work.entry(r.work).or_default().push(r);
    }
    let repeats = recs.len() - by_work.len();
    let share = repeats as f64 / recs.len() as f64;
    assert!((0.17..=0.23).contains(&share), "{repeats} of {} records repeat a work", recs.len());
    let mut checked = 0;
    for group in by_work.values().filter(|g| g.len() > 1) {
        // Every rendering of a work is in its own form while there are forms left.
        let forms: HashSet<&str> = group.iter().map(|r| r.form).collect();
        assert_eq!(forms.len(), group.len().min(FORMS.len()), "{group:?}");
        // Titles are renderings of one text: the Cyrillic one romanizes to each romanized one (ALA-LC aside, which
        // may carry MARC-8 tie halves).
        if let Some(cyr) = group.iter().find(|r| r.form == "cyrillic") {
            for r in group.iter().filter(|r| r.form != "cyrillic" && r.form != "ru-alalc") {
                assert_eq!(bibkey::romanize(&cyr.title, r.form).unwrap(), r.title, "{cyr:?} {r:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} renderings checked");
}

#[test]
fn every_form_is_used_by_records_and_queries() {
    let g = Synth::new();
    let recs = g.records(N, 3);
    let qs = g.queries(&recs, 5000, 3);
    for form in FORMS {
        let records = recs.iter().filter(|r| r.form == form).count();
        let queries = qs.iter().filter(|q| q.form == form).count();
        assert!(records > N / 40, "{form}: {records} records");
        assert!(queries > 5000 / 40, "{form}: {queries} queries");
    }
    for kind in &DAMAGES[..5] {
        assert!(qs.iter().filter(|q| q.damage == *kind).count() > 5000 / 20, "damage {kind} is rare");
    }
}

#[test]
fn queries_point_at_their_work_and_differ_from_their_record() {
    let g = Synth::new();
    let recs = g.records(N, 4);
    let qs = g.queries(&recs, 5000, 4);
    assert_eq!(qs.len(), 5000);
    for q in &qs {
        let r = &recs[q.record as usize];
        assert_eq!(q.work, r.work);
        assert_ne!(q.form, r.form);
        assert!(q.title != r.title || q.names != r.names, "{q:?} equals {r:?}");
        assert_eq!(q.names.len(), r.names.len(), "{q:?} {r:?}");
        assert!(!q.title.is_empty() && !q.title.contains(['\t', '\n']), "{q:?}");
        assert!(DAMAGES.contains(&q.damage));
        if q.damage == "caps" {
            assert_eq!(q.title, q.title.to_uppercase(), "{q:?}");
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + (ca != cb) as usize).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[test]
fn damage_does_what_it_says() {
    let mut rng = Rng::new(9);
    let title = "Bolʹsheviki i menʹsheviki v 1905 godu : sbornik statei͡. T. 3";
    let names = vec!["Ul'ianov, Vladimir Ilʹich".to_string()];
    for _ in 0..500 {
        let (mut t, mut n) = (title.to_string(), names.clone());
        assert_eq!(damage(&mut t, &mut n, "typo", &mut rng), "typo");
        let d = edit_distance(&t, title) + edit_distance(&n[0], &names[0]);
        assert!((1..=6).contains(&d), "{d} edits: {t} / {}", n[0]);

        let (mut t, mut n) = (title.to_string(), names.clone());
        assert_eq!(damage(&mut t, &mut n, "truncate", &mut rng), "truncate");
        assert!(
            t == "Bolʹsheviki i menʹsheviki v 1905 godu : sbornik" || t == "Bolʹsheviki i menʹsheviki v 1905 godu",
            "{t}"
        );
        assert_eq!(n, names);

        let (mut t, mut n) = (title.to_string(), names.clone());
        assert_eq!(damage(&mut t, &mut n, "ocr", &mut rng), "ocr");
        assert!(t != title || n != names);

        let (mut t, mut n) = (title.to_string(), names.clone());
        assert_eq!(damage(&mut t, &mut n, "caps", &mut rng), "caps");
        assert_eq!(t, title.to_uppercase());
    }
    // The documented OCR forms all occur.
    let mut seen = [false; 3];
    for _ in 0..500 {
        let (mut t, mut n) = ("Bolʹsheviki Trotskiĭ".to_string(), vec![]);
        damage(&mut t, &mut n, "ocr", &mut rng);
        seen[0] |= t.contains("ʹ s") || t.contains("' s") || t.contains("’ s") || t.contains("ʼ s");
        seen[1] |= t.contains("l's") || t.contains("l’s") || t.contains("lʼs");
        seen[2] |= t.ends_with("Trotskii");
    }
    assert_eq!(seen, [true; 3]);
    // Nothing to truncate or capitalize: a typo instead, said so.
    let (mut t, mut n) = ("Былое".to_string(), vec![]);
    assert_eq!(damage(&mut t, &mut n, "truncate", &mut rng), "typo");
    assert_ne!(t, "Былое");
    let (mut t, mut n) = ("КПСС".to_string(), vec![]);
    assert_eq!(damage(&mut t, &mut n, "caps", &mut rng), "typo");
}

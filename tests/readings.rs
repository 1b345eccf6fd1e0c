//! Readings (bibkey::key::readings): the built-in reading tables compile and say where they come from, the key
//! comes first and nothing repeats, text without Latin letters has no other reading, user tables go through the
//! same API, and no input panics. How many real-world spellings the readings bring to their cluster, and what they
//! cost in precision, is measured in ACCURACY.md (floors in tests/accuracy.rs).

use bibkey::key::{key, reading_tables, readings, readings_with};
use bibkey::{KeyKind, Lang, Scheme};
use proptest::prelude::*;

#[test]
fn built_in_reading_tables_compile_with_their_headers() {
    let tables = reading_tables();
    let ids: Vec<&str> = tables.iter().map(Scheme::id).collect();
    assert_eq!(ids, ["read-de", "read-de-voiced", "read-pl", "read-cs", "read-fr", "read-es"]);
    for t in tables {
        assert!(t.origin().starts_with("tables/readings/"), "{}", t.origin());
        assert!(t.standard().len() > 10 && !t.source().is_empty() && !t.name().is_empty(), "{}", t.id());
    }
}

#[test]
fn every_reading_table_file_is_built_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables/readings");
    let built: Vec<String> = reading_tables().iter().map(|t| t.origin().to_string()).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".tbl") {
            assert!(built.contains(&format!("tables/readings/{name}")), "{name} is not in src/key/readings.rs");
        }
    }
}

#[test]
fn each_convention_reads_its_own_spellings() {
    // (spelling, original): the key misses each of them; one reading reaches it.
    let cases = [
        ("Chruschtschow", "Хрущёв"), // German
        ("Rachmaninow", "Рахманинов"),
        ("Zwetajewa", "Цветаева"),
        ("Schukow", "Жуков"), // German, voiced reading
        ("Breschnew", "Брежнев"),
        ("Dserschinski", "Дзержинский"),
        ("Chruszczow", "Хрущёв"), // Polish
        ("Plechanow", "Плеханов"),
        ("Dzierżyński", "Дзержинский"),
        ("Bułhakow", "Булгаков"),
        ("Chruščov", "Хрущёв"), // Czech
        ("Tuchačevskij", "Тухачевский"),
        ("Khrouchtchev", "Хрущёв"), // French
        ("Chaliapine", "Шаляпин"),
        ("Joukov", "Жуков"),
        ("Jrushchov", "Хрущёв"), // Spanish
        ("Ajmátova", "Ахматова"),
    ];
    for (form, original) in cases {
        assert_ne!(key(form), key(original), "{form}: the key alone already matches");
        assert!(readings(form).contains(&key(original)), "{form} has no reading {original}: {:?}", readings(form));
    }
}

#[test]
fn readings_keep_what_must_stay_apart() {
    for (a, b) in
        [("Tolstoy", "Толстая"), ("Tschechow", "Чехова"), ("Gorbatschow", "Горбачёва"), ("Kamenev", "Каменева")]
    {
        let rb = readings(b);
        assert!(!readings(a).iter().any(|k| rb.contains(k)), "{a} and {b} share a reading");
    }
}

#[test]
fn user_reading_tables_work_through_the_same_api() {
    let table = "@id x-it\n@name Italian\n@standard usage 2026\n@source here\n@lang ru\n@class front e i\nsci ш\nc ч before:front\n";
    let italian = Scheme::parse("it.tbl", table).expect("table parses");
    let r = readings_with("Sciostakovič", &[italian]);
    assert_eq!(r[0], key("Sciostakovič"));
    assert!(r.contains(&key("Шостакович")), "{r:?}");
}

proptest! {
    #[test]
    fn the_key_comes_first_and_nothing_repeats(s in "\\PC{0,40}") {
        let r = readings(&s);
        prop_assert_eq!(&r[0], &key(&s));
        for (i, k) in r.iter().enumerate() {
            prop_assert!(!r[..i].contains(k), "{:?} repeats in {:?}", k, r);
        }
    }

    /// Cyrillic text has other readings only in the other languages it could be written in; with ы and и it can
    /// only be Russian (Ukrainian, Bulgarian, Serbian and Macedonian have no ы, Belarusian no и).
    #[test]
    fn russian_only_text_without_latin_letters_has_only_its_key(
        a in "[а-яА-ЯёЁіѣ0-9 .,:;'ʹ-]{0,20}", b in "[а-яА-ЯёЁіѣ0-9 .,:;'ʹ-]{0,20}"
    ) {
        let s = format!("{a}ы{b}и");
        prop_assert_eq!(readings(&s), vec![key(&s)]);
    }

    /// Without Latin letters, every reading is the key of the text in a language whose alphabet has its letters.
    #[test]
    fn readings_of_cyrillic_are_its_keys_in_other_languages(s in "[а-яА-ЯіїєґўјљњђћџѓќѕІЇЄҐЎЈЉЊЂЋЏЃЌЅ -]{0,30}") {
        let mut by_lang: Vec<bibkey::Key> = Lang::ALL.iter().map(|&l| KeyKind::Text.key_as(&s, l)).collect();
        by_lang.extend(Lang::ALL.iter().flat_map(|&l| KeyKind::Text.readings_as(&s, l)));
        for r in readings(&s) {
            prop_assert!(by_lang.contains(&r), "{:?} is no language's key of {:?}", r, s);
        }
    }
}

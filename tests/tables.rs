//! Table files: the built-in list is complete, every built-in table compiles, malformed tables give the documented
//! errors (tests/data/table_errors.txt), user tables work through the same API, and the parser never panics.

#[path = "common/deep.rs"]
mod deep;

use std::path::Path;

use bibkey::Scheme;
use proptest::prelude::*;

#[test]
fn every_table_file_is_built_in() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tables");
    let builtin: Vec<String> =
        bibkey::builtins().expect("built-ins compile").iter().map(|s| s.origin().to_string()).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".tbl") && name != "key.tbl" {
            let origin = format!("tables/{name}");
            assert!(builtin.contains(&origin), "{origin} is not listed in src/scheme/builtin.rs");
        }
    }
}

#[test]
fn every_builtin_has_its_header() {
    for s in bibkey::builtins().unwrap() {
        assert!(s.id().len() > 2 && !s.name().is_empty() && s.standard().len() > 10 && !s.source().is_empty());
        assert!(["ru", "uk", "be", "bg"].contains(&s.lang()), "{}: lang {}", s.id(), s.lang());
    }
    let rev: Vec<&str> = bibkey::builtins().unwrap().iter().filter(|s| s.is_reversible()).map(|s| s.id()).collect();
    assert_eq!(rev, ["ru-alalc", "ru-iso9", "ru-scholarly"]);
}

#[test]
fn malformed_tables_give_located_errors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/table_errors.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut blocks = Vec::new();
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("=== ") {
            let (l, why) = head.split_once(" | ").expect("=== LINE | REASON");
            blocks.push((l.parse::<u64>().unwrap(), why.to_string(), String::new()));
        } else if let Some(b) = blocks.last_mut() {
            b.2.push_str(line);
            b.2.push('\n');
        }
    }
    assert!(blocks.len() >= 12);
    for (line, why, table) in blocks {
        let err = Scheme::parse("t.tbl", &table).expect_err(&why);
        assert!(err.is_table_error());
        assert_eq!(err.line(), Some(line), "{why}: {err}");
        assert_eq!(err.origin(), Some("t.tbl"));
        assert!(err.to_string().contains(&why), "{err} does not say {why:?}");
        assert!(err.to_string().starts_with(&format!("t.tbl:{line}: ")), "{err}");
    }
}

#[test]
fn user_table_from_path_works_like_a_builtin() {
    let dir = std::env::temp_dir().join(format!("bibkey-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("mine.tbl");
    std::fs::write(&p, "@id x-mine\n@name Mine\n@standard none, 2026\n@source test\n@lang ru\n@class vowel а е о\nе je after:vowel\nе e\nщ šč\n").unwrap();
    let s = Scheme::from_path(&p).unwrap();
    assert_eq!(s.romanize("Щее ЩЕЕ"), "Ščeje ŠČEJE");
    let missing = Scheme::from_path(dir.join("nope.tbl")).unwrap_err();
    assert!(missing.to_string().contains("nope.tbl"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unknown_scheme_lists_valid_ids() {
    let e = Scheme::builtin("ru-klingon").unwrap_err();
    assert!(e.known_schemes().unwrap().iter().any(|k| k == "ru-alalc"));
    assert!(e.to_string().contains("ru-iso9"));
    assert!(Scheme::builtin("ru-iso9").unwrap().reverse("x").is_ok());
    assert!(Scheme::builtin("ru-bgn-pcgn").unwrap().reverse("x").is_err());
}

proptest! {
    #![proptest_config(deep::cases(2000))]
    #[test]
    fn parser_never_panics(text in "(@id x\n@name n\n@standard s\n@source s\n@lang ru\n)?([@a-zа-яА-Я\" \\\\{}#:\n\u{301}\u{361}]{0,60}\n?){0,8}") {
        let _ = Scheme::parse("p.tbl", &text);
    }

    #[test]
    fn parser_never_panics_on_any_string(text in "\\PC{0,200}") {
        let _ = Scheme::parse("p.tbl", &text);
    }

    #[test]
    fn romanize_never_panics_and_latin_passes_through(s in "\\PC{0,80}", latin in "[ -~]{0,80}") {
        for scheme in bibkey::builtins().unwrap() {
            let _ = scheme.romanize(&s);
            prop_assert_eq!(scheme.romanize(&latin), latin.clone(), "{}", scheme.id());
            if scheme.is_reversible() {
                let _ = scheme.reverse(&s);
            }
        }
    }
}

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
    let builtin: Vec<String> = bibkey::builtins().iter().map(|s| s.origin().to_string()).collect();
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
    for s in bibkey::builtins() {
        assert!(s.id().len() > 2 && !s.name().is_empty() && s.standard().len() > 10 && !s.source().is_empty());
        assert!(!s.langs().is_empty() && s.lang() == s.langs()[0], "{}", s.id());
        for l in s.langs() {
            assert!(l.parse::<bibkey::Lang>().is_ok_and(|x| x.code() == l), "{}: lang {l}", s.id());
        }
    }
    let rev: Vec<&str> = bibkey::builtins().iter().filter(|s| s.is_reversible()).map(|s| s.id()).collect();
    assert_eq!(rev, REVERSIBLE);
}

/// The built-in schemes whose table is one-to-one (`@reversible yes`).
const REVERSIBLE: &[&str] = &[
    "ru-alalc",
    "ru-iso9",
    "ru-scholarly",
    "sr-alalc",
    "mk-alalc",
    "sr-latin",
    "mk-bgn-pcgn",
    "iso9",
    "uk-scholarly",
    "be-scholarly",
    "bg-scholarly",
];

#[test]
fn every_builtin_romanization_falls_back_to_the_generic_alalc_table() {
    let generic = Scheme::builtin("cyrillic-alalc").unwrap();
    assert_eq!(generic.fallback(), None);
    // Every letter the generic table has a rule for, small and capital.
    let letters: Vec<char> = generic
        .rules()
        .filter_map(|r| r.source.chars().next())
        .flat_map(|c| [c, c.to_uppercase().next().unwrap_or(c)])
        .collect();
    assert!(letters.len() > 250, "{}", letters.len());
    for s in bibkey::builtins().iter().filter(|s| s.id() != "cyrillic-alalc") {
        assert_eq!(s.fallback(), Some("cyrillic-alalc"), "{}", s.id());
        for &c in &letters {
            let out = s.try_romanize(&format!("а{c}а")).unwrap_or_else(|e| panic!("{}: {e}", s.id()));
            assert!(!out.contains(c), "{}: {c} copied: {out}", s.id());
        }
    }
}

#[test]
fn a_table_without_fallback_reports_the_letter_it_lacks() {
    let head = "@id x-demo\n@name Demo\n@standard none, 2026\n@source test\n@lang sr\n";
    let none = Scheme::parse("demo.tbl", &format!("{head}@fallback none\nа a\nб b\n")).unwrap();
    assert_eq!(none.fallback(), None);
    assert_eq!(none.try_romanize("Баба, 1905").unwrap(), "Baba, 1905");
    // The infallible romanizer copies the letter, the fallible one says which and where (byte offset).
    assert_eq!(none.romanize("Бај"), "Baј");
    let e = none.try_romanize("Бај").unwrap_err();
    assert_eq!(e.unmapped_letter(), Some(('ј', 4)));
    assert!(e.to_string().contains("x-demo") && e.to_string().contains("U+0458"), "{e}");
    // No directive is the same as @fallback none.
    let absent = Scheme::parse("demo.tbl", &format!("{head}а a\n")).unwrap();
    assert!(absent.try_romanize("аы").is_err());
    // With a fallback the letter is romanized by the generic table; the table's own rules win.
    let with = Scheme::parse("demo.tbl", &format!("{head}@fallback cyrillic-alalc\nј y\n")).unwrap();
    assert_eq!(with.try_romanize("Бај Ы").unwrap(), "Bay Y");
    // A letter with only conditional rules falls back where none of them fires.
    let cond =
        Scheme::parse("demo.tbl", &format!("{head}@fallback cyrillic-alalc\n@class vowel а е\nе je after:vowel\n"))
            .unwrap();
    assert_eq!(cond.try_romanize("ае де").unwrap(), "aje de");
    // The fallback's rules do not count as the table's own.
    assert_eq!(with.rules().count(), 1);
    // The built-in API reports a Cyrillic letter no table covers instead of copying it.
    let e = bibkey::romanize("Ꙗко", "ru-alalc").unwrap_err();
    assert_eq!(e.unmapped_letter(), Some(('Ꙗ', 0)));
    assert!(e.to_string().contains("cyrillic-alalc"), "{e}");
}

#[test]
fn key_and_reading_tables_have_no_fallback() {
    let key = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tables/key.tbl")).unwrap();
    let key = Scheme::parse("tables/key.tbl", &key).unwrap();
    assert_eq!(key.fallback(), None);
    // A letter the key table lacks stays as it is for the key to handle, not romanized the LC way.
    assert_eq!(key.romanize("ә"), "ә");
    for t in bibkey::key::reading_tables() {
        assert_eq!(t.fallback(), None, "{}", t.id());
    }
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
        assert!(!shows_internal_names(&err.to_string()), "{err} shows an internal name");
    }
}

/// True if `message` has something like `After(0)` or `NotBefore(2)`: a Rust name with a number, which a table's
/// author never wrote.
fn shows_internal_names(message: &str) -> bool {
    let b = message.as_bytes();
    (0..b.len()).any(|i| {
        b[i].is_ascii_uppercase()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b[i..]
                .iter()
                .position(|&c| !c.is_ascii_alphabetic())
                .is_some_and(|n| b.get(i + n) == Some(&b'(') && b.get(i + n + 1).is_some_and(u8::is_ascii_digit))
    })
}

#[test]
fn internal_names_are_recognized() {
    assert!(shows_internal_names("contradictory conditions Initial and After(0)"));
    assert!(!shows_internal_names("contradictory conditions initial and after:vowel (line 3)"));
}

#[test]
fn user_table_from_path_works_like_a_builtin() {
    let dir = std::env::temp_dir().join(format!("bibkey-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("mine.tbl");
    std::fs::write(&p, "@id x-mine\n@name Mine\n@standard none, 2026\n@source test\n@lang ru\n@class vowel а е о\nе je after:vowel\nе e\nщ šč\n").unwrap();
    let s = Scheme::from_path(&p).unwrap();
    assert_eq!(s.romanize("Щее ЩЕЕ"), "Ščeje ŠČEJE");
    // Invalid UTF-8 is reported at its line, with the byte, like any other table error.
    let bad = dir.join("bad.tbl");
    std::fs::write(&bad, b"@id x-mine\n@name Mine \xe2\x80\n@standard s\n").unwrap();
    let e = Scheme::from_path(&bad).unwrap_err();
    assert!(e.is_table_error() && e.line() == Some(2), "{e}");
    assert!(e.to_string().ends_with(":2: invalid UTF-8 at column 12 (byte 0xE2)"), "{e}");
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
        for scheme in bibkey::builtins() {
            let _ = scheme.romanize(&s);
            prop_assert_eq!(scheme.romanize(&latin), latin.clone(), "{}", scheme.id());
            if scheme.is_reversible() {
                let _ = scheme.reverse(&s);
            }
        }
    }
}

/// A reversible table whose standard writes a letter pair like one letter declares it, and then only that pair
/// fails to read back.
#[test]
fn declared_ambiguities_are_the_only_ones() {
    let head = "@id x-demo\n@name Demo\n@standard none, 2026\n@source test\n@lang ru\n@reversible yes\n";
    let rules = "ш sh\nч ch\nщ shch\nа a\n";
    assert!(Scheme::parse("demo.tbl", &format!("{head}{rules}")).is_err());
    let s = Scheme::parse("demo.tbl", &format!("{head}@ambiguous шч щ\n{rules}")).unwrap();
    assert_eq!(s.reverse("shcha shacha").unwrap(), "ща шача");
    assert_eq!(s.reverse(&s.romanize("шча")).unwrap(), "ща");
}

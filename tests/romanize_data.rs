//! Data-driven romanization tests: `tests/data/romanize/<scheme-id>.tsv`, one case per line,
//! `INPUT<TAB>EXPECTED<TAB>NOTE`. See tests/data/romanize/README.md for where the cases come from.
//! Every failing line is reported (file:line) before the test fails.

use std::path::Path;

use bibkey::Scheme;

fn cases(path: &Path) -> Vec<(usize, String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let mut f = l.split('\t');
            let input = f.next().unwrap_or_default().to_string();
            let expected = f.next().unwrap_or_else(|| panic!("{}:{}: no EXPECTED column", path.display(), i + 1));
            (i + 1, input, expected.to_string())
        })
        .collect()
}

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/romanize")
}

#[test]
fn every_builtin_scheme_has_test_data() {
    for s in bibkey::builtins() {
        let p = data_dir().join(format!("{}.tsv", s.id()));
        assert!(p.exists(), "no test data for {}: {}", s.id(), p.display());
        assert!(cases(&p).len() >= 5, "too few cases in {}", p.display());
    }
}

#[test]
fn romanize_matches_data_files() {
    let mut failures = Vec::new();
    let mut n = 0;
    for s in bibkey::builtins() {
        let p = data_dir().join(format!("{}.tsv", s.id()));
        if !p.exists() {
            continue;
        }
        for (line, input, expected) in cases(&p) {
            n += 1;
            let got = s.romanize(&input);
            if got != expected {
                failures.push(format!(
                    "{}:{line}: {input:?}\n    expected {expected:?}\n    got      {got:?}",
                    p.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} cases fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn reverse_of_expected_is_input_for_reversible_schemes() {
    let mut failures = Vec::new();
    for s in bibkey::builtins().iter().filter(|s| s.is_reversible()) {
        let p = data_dir().join(format!("{}.tsv", s.id()));
        for (line, input, expected) in cases(&p) {
            // Only cases whose input is entirely Cyrillic-or-neutral can round-trip.
            if input.chars().any(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let back = s.reverse(&expected).expect("reversible");
            if back != input {
                failures.push(format!("{}:{line}: reverse({expected:?}) = {back:?}, want {input:?}", p.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn marc8_ties_variant() {
    let s = Scheme::builtin("ru-alalc").unwrap();
    let mut out = String::new();
    s.romanize_into("Пролетарская революция", bibkey::Ties::Marc8Halves, &mut out);
    assert_eq!(out, "Proletarskai\u{FE20}a\u{FE21} revoli\u{FE20}u\u{FE21}t\u{FE20}s\u{FE21}ii\u{FE20}a\u{FE21}");
    assert_eq!(s.reverse(&out).unwrap(), "Пролетарская революция");
}

//! What `Scheme::reverse` promises, found by fuzzing (fuzz/fuzz_targets/romanize.rs): every letter of a reversible
//! scheme comes back as itself, and a text comes back as a text with the same romanization, but not always as
//! itself: where two letters' romanizations spell a third's, the reverse reads the third. The words and their
//! romanizations are written by hand from the standards' tables (ALA-LC Russian: ш sh, ч ch, щ shch; the Serbian
//! Latin alphabet: д d, ж ž, џ dž, н n, ј j, њ nj).

use bibkey::Scheme;

#[test]
fn pairs_that_spell_a_third_letter_come_back_as_it() {
    let cases = [
        // (scheme, word, its romanization, what the reverse reads)
        ("ru-alalc", "веснушчатый", "vesnushchatyĭ", "веснущатый"),
        ("sr-latin", "надживети", "nadživeti", "наџивети"),
        ("sr-latin", "конјуктура", "konjuktura", "коњуктура"),
        ("mk-bgn-pcgn", "поджари", "podžari", "поџари"),
    ];
    for (id, word, roman, back) in cases {
        let s = Scheme::builtin(id).unwrap();
        assert_eq!(s.romanize(word), roman, "{id}");
        assert_eq!(s.reverse(roman).unwrap(), back, "{id}");
        assert_eq!(s.romanize(back), roman, "{id}: the reverse has the same romanization");
    }
}

#[test]
fn every_letter_of_a_reversible_scheme_comes_back() {
    for s in bibkey::builtins().iter().filter(|s| s.is_reversible()) {
        let mut letters = 0;
        for r in s.rules().filter(|r| !r.conditional && r.source.chars().count() == 1) {
            let c = r.source;
            if !c.chars().all(|c| ('\u{400}'..='\u{52F}').contains(&c)) {
                continue;
            }
            letters += 1;
            assert_eq!(s.reverse(&s.romanize(c)).unwrap(), c, "{}: {c}", s.id());
            // Capitals too, unless the romanization has no case (ъ and ь are ʺ and ʹ either way).
            let upper = c.to_uppercase();
            if s.romanize(&upper) != s.romanize(c) {
                assert_eq!(s.reverse(&s.romanize(&upper)).unwrap(), upper, "{}: {upper}", s.id());
            }
        }
        assert!(letters >= 30, "{}: {letters} letters", s.id());
    }
}

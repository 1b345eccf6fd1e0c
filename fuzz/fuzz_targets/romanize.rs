//! Every built-in scheme on any text: romanize, try_romanize, the MARC-8 ties, and reverse for the reversible
//! schemes. No panic; line breaks are kept (one output line per input line); try_romanize agrees with romanize
//! when it succeeds; a reversible scheme reverses the romanization of a word of its letters to a text with the same
//! romanization, and each letter to itself.
#![no_main]

use bibkey::{builtins, Ties};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let lines = text.matches('\n').count();
    let schemes = builtins();
    let mut out = String::new();
    for s in schemes {
        let r = s.romanize(text);
        assert_eq!(r.matches('\n').count(), lines, "{}: {text:?} -> {r:?}", s.id());
        if let Ok(t) = s.try_romanize(text) {
            assert_eq!(t, r, "{}", s.id());
        }
        out.clear();
        s.romanize_into(text, Ties::Marc8Halves, &mut out);
        assert_eq!(out.matches('\n').count(), lines, "{}: marc8 {text:?}", s.id());
        if s.is_reversible() {
            if let Ok(back) = s.reverse(text) {
                assert_eq!(back.matches('\n').count(), lines, "{}: reverse {text:?}", s.id());
            }
        }
    }
    // Round trip through a reversible scheme: a word of its single-letter lower-case Cyrillic sources.
    let reversible: Vec<_> = schemes.iter().filter(|s| s.is_reversible()).collect();
    let s = reversible[pick as usize % reversible.len()];
    let letters: Vec<char> = s
        .rules()
        .filter(|r| !r.conditional)
        .filter_map(|r| {
            let mut cs = r.source.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if ('а'..='я').contains(&c) || ('ѐ'..='џ').contains(&c) => Some(c),
                _ => None,
            }
        })
        .collect();
    if letters.is_empty() {
        return;
    }
    let word: String = rest.iter().take(24).map(|&b| letters[b as usize % letters.len()]).collect();
    let roman = s.romanize(&word);
    // Reverse gives a Cyrillic text with the same romanization. Not always the word itself: where two letters'
    // targets spell a third's (ALA-LC ш + ч = shch = щ, Serbian д + ж = dž = џ), longest match reads the third
    // (Scheme::reverse documents this); every single letter comes back as itself.
    match s.reverse(&roman) {
        Ok(back) => {
            assert_eq!(s.romanize(&back), roman, "{}: {word:?} -> {roman:?} -> {back:?}", s.id());
            assert!(back.chars().count() <= word.chars().count(), "{}: {word:?} -> {back:?}", s.id());
        }
        Err(e) => panic!("{}: {word:?} -> {roman:?}: {e}", s.id()),
    }
    for c in word.chars().take(4) {
        let one = c.to_string();
        assert_eq!(s.reverse(&s.romanize(&one)).ok().as_deref(), Some(one.as_str()), "{}: letter {c}", s.id());
    }
});

//! The table parser and compiler on any text: an error names the origin and a line of the text, never a panic; a
//! table that parses romanizes (and, when reversible, reverses) any text without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// A valid header, so that most inputs reach the rules and the compiler (context rules, capitals, @fallback).
const HEADER: &str = "@id x-fuzz\n@name Fuzz\n@standard none\n@source fuzz\n@lang ru\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let text = match mode % 3 {
        0 => body.to_string(),
        1 => format!("{HEADER}{body}"),
        _ => format!("{HEADER}@fallback cyrillic-alalc\n{body}"),
    };
    match bibkey::Scheme::parse("fuzz.tbl", &text) {
        Ok(s) => {
            let sample = "Щукин ЯЁЖ ѣ ї ђ abc";
            let _ = s.romanize(sample);
            let _ = s.romanize(body);
            let _ = s.try_romanize(body);
            for r in s.rules() {
                let _ = s.romanize(r.source);
            }
            if s.is_reversible() {
                let _ = s.reverse(body);
                let _ = s.reverse(&s.romanize(sample));
            }
        }
        Err(e) => {
            if e.is_table_error() {
                assert_eq!(e.origin(), Some("fuzz.tbl"), "{e}");
                let lines = text.split('\n').count() as u64;
                let line = e.line().unwrap_or(0);
                assert!(line <= lines.max(1), "line {line} of {lines}: {e}");
            }
        }
    }
    let _ = bibkey::name::GivenNames::parse("fuzz.tsv", body);
});

//! Data-driven tests for `bibkey::naco` (cases in `tests/data/naco.tsv`) and
//! property tests of the normalization's invariants.

#[path = "common/deep.rs"]
mod deep;

use bibkey::naco::{normalize, normalize_into, normalize_subfield_a};
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/naco.tsv");

/// Decodes the escapes of the data file: `\u{HEX}` and `\\`.
fn unescape(field: &str) -> Result<String, String> {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('u') => {
                if chars.next() != Some('{') {
                    return Err(format!("bad escape in {field:?}: expected \\u{{HEX}}"));
                }
                let hex: String = chars.by_ref().take_while(|&h| h != '}').collect();
                let cp = u32::from_str_radix(&hex, 16).map_err(|e| format!("bad hex {hex:?} in {field:?}: {e}"))?;
                let ch = char::from_u32(cp).ok_or_else(|| format!("not a scalar value: U+{cp:04X} in {field:?}"))?;
                out.push(ch);
            }
            Some(other) => return Err(format!("unknown escape \\{other} in {field:?}")),
            None => return Err(format!("backslash at the end of {field:?}")),
        }
    }
    Ok(out)
}

#[test]
fn naco_tsv_cases() {
    let text = std::fs::read_to_string(DATA).unwrap_or_else(|e| panic!("reading {DATA}: {e}"));
    let mut failures = Vec::new();
    let mut cases = 0usize;
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 || fields.len() > 4 {
            failures.push(format!(
                "{DATA}:{lineno}: expected INPUT<TAB>MODE<TAB>EXPECTED<TAB>NOTE, got {} fields: {line:?}",
                fields.len()
            ));
            continue;
        }
        let (input, expected) = match (unescape(fields[0]), unescape(fields[2])) {
            (Ok(i), Ok(e)) => (i, e),
            (Err(e), _) | (_, Err(e)) => {
                failures.push(format!("{DATA}:{lineno}: {e}"));
                continue;
            }
        };
        let got = match fields[1] {
            "plain" => normalize(&input),
            "subfield-a" => normalize_subfield_a(&input),
            other => {
                failures.push(format!("{DATA}:{lineno}: unknown mode {other:?}"));
                continue;
            }
        };
        cases += 1;
        if got != expected {
            let note = fields.get(3).copied().unwrap_or("");
            failures.push(format!(
                "{DATA}:{lineno}: [{mode}] {note}\n    input:    {input:?}\n    expected: {expected:?}\n    got:      {got:?}",
                mode = fields[1]
            ));
        }
    }
    assert!(cases > 0, "no cases read from {DATA}");
    if !failures.is_empty() {
        panic!("{} of {} NACO cases failed (or were malformed):\n{}", failures.len(), cases, failures.join("\n"));
    }
}

/// The invariants every normalized string satisfies.
fn check_invariants(input: &str, out: &str, subfield_a: bool) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{what}: input {input:?} gave {out:?}"));
    if out.starts_with(' ') || out.ends_with(' ') {
        return fail("leading or trailing blank");
    }
    if out.contains("  ") {
        return fail("double blank");
    }
    for c in out.chars() {
        // "No lowercase letter": every character is its own uppercase. (A
        // lowercase letter with no uppercase form, such as U+0138 kra, is
        // retained by the rules.)
        let mut up = c.to_uppercase();
        if up.next() != Some(c) || up.next().is_some() {
            return fail(&format!("character {c:?} is not uppercase"));
        }
        if is_combining_mark(c) {
            return fail(&format!("combining mark {c:?}"));
        }
        if c.is_whitespace() && c != ' ' {
            return fail(&format!("whitespace other than a blank: {c:?}"));
        }
        if c.is_control() {
            return fail(&format!("control character {c:?}"));
        }
    }
    let commas = out.matches(',').count();
    if subfield_a {
        if commas > 1 {
            return fail("more than one comma in subfield $a mode");
        }
        if out.starts_with(',') || out.ends_with(',') {
            return fail("comma at an end");
        }
    } else if commas > 0 {
        return fail("comma in plain mode");
    }
    Ok(())
}

fn check_all(s: &str) -> Result<(), String> {
    let plain = normalize(s);
    let sub = normalize_subfield_a(s);
    check_invariants(s, &plain, false)?;
    check_invariants(s, &sub, true)?;
    let again = normalize(&plain);
    if again != plain {
        return Err(format!("plain not idempotent: {s:?} -> {plain:?} -> {again:?}"));
    }
    let again = normalize_subfield_a(&sub);
    if again != sub {
        return Err(format!("subfield-a not idempotent: {s:?} -> {sub:?} -> {again:?}"));
    }
    // Blanking the one kept comma gives the plain form.
    let via_sub = normalize(&sub);
    if via_sub != plain {
        return Err(format!("plain(subfield-a) != plain: {s:?} -> {sub:?} -> {via_sub:?}, plain {plain:?}"));
    }
    // normalize_into appends after existing content and leaves it alone.
    let mut buf = String::from("prefix ");
    normalize_into(s, true, &mut buf);
    if buf.strip_prefix("prefix ") != Some(sub.as_str()) {
        return Err(format!("normalize_into appended {buf:?}, expected prefix + {sub:?}"));
    }
    Ok(())
}

/// Every Unicode scalar value on its own and between letters and commas.
#[test]
fn every_char_satisfies_invariants() {
    let mut failures = Vec::new();
    for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
        for s in [c.to_string(), format!("a,{c}b, {c}")] {
            if let Err(e) = check_all(&s) {
                failures.push(format!("U+{:04X}: {e}", u32::from(c)));
            }
        }
    }
    let shown: Vec<_> = failures.iter().take(50).collect();
    assert!(failures.is_empty(), "{} failures, first ones:\n{shown:#?}", failures.len());
}

/// Characters the rules treat specially, to bias generated strings.
fn interesting_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        ',', ' ', ' ', '\t', '\n', '\'', '[', ']', '-', '.', '(', ')', '&', '#', '+', '@', '$', 'a', 'z', 'A', 'Z',
        '0', '9', 'ß', 'ẞ', 'Æ', 'æ', 'Œ', 'œ', 'Đ', 'Ð', 'ð', 'ı', 'Ł', 'ł', 'Ø', 'ø', 'Þ', 'þ', 'ĸ', 'ʹ', 'ʺ', 'ʻ',
        'ʼ', '’', '\u{200C}', '\u{200D}', '\u{AD}', '\u{301}', '\u{361}', '\u{FE20}', '\u{FE21}', '\u{98}', '\u{9C}',
        '⁺', '₊', '⁻', '²', '₂', '½', 'ﬁ', '♭', '♯', 'й', 'ё', 'Ὅ', 'ǅ', 'İ', '\u{A0}', '\u{3000}', 'ー', '\u{640}',
        '١',
    ])
}

fn mixed_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![interesting_char(), any::<char>()], 0..40).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(deep::cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic_and_hold_invariants(s in any::<String>()) {
        prop_assert!(check_all(&s).is_ok(), "{:?}", check_all(&s));
    }

    #[test]
    fn rule_heavy_strings_hold_invariants(s in mixed_string()) {
        prop_assert!(check_all(&s).is_ok(), "{:?}", check_all(&s));
    }

    #[test]
    fn idempotent(s in mixed_string()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
        let once = normalize_subfield_a(&s);
        prop_assert_eq!(normalize_subfield_a(&once), once);
    }
}

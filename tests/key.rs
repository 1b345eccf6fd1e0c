//! The matching key: data-driven cases (tests/data/key.tsv) and the properties the key promises.

#[path = "common/deep.rs"]
mod deep;

use bibkey::{key, key_into, Scheme};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

#[test]
fn key_cases_from_data_file() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/key.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (rel, a, b) = (f[0], f[1], f[2]);
        let (ka, kb) = (key(a), key(b));
        n += 1;
        let ok = match rel {
            "same" => ka == kb,
            "different" => ka != kb,
            other => panic!("{}:{}: unknown relation {other}", path.display(), i + 1),
        };
        if !ok {
            failures.push(format!("{}:{}: {rel} {a:?} `{ka}` vs {b:?} `{kb}`", path.display(), i + 1));
        }
    }
    assert!(n > 50);
    assert!(failures.is_empty(), "{} of {n} fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn key_alphabet() {
    let k = key("Щукин, Ж. Ю. — «Ёлка» (1917), t͡s ŝ ž č ß Æ; Wolf Xenia Quark");
    assert!(k.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{k}");
    for forbidden in ['j', 'w', 'x'] {
        assert!(!k.as_str().contains(forbidden), "{k}");
    }
    assert_eq!(key("…, — !?").as_str(), "");
}

#[test]
fn key_into_appends_and_reuses() {
    let mut buf = String::from("x:");
    key_into("Троцкий", &mut buf);
    assert_eq!(buf, format!("x:{}", key("Trotsky")));
}

/// Random Russian-like text: words of syllables (onset consonants, an optional ь after a consonant or ъ before an
/// iotated vowel, a vowel, an optional coda consonant or й), some capitalized, some in capitals. This is the shape
/// of Russian words; strings of arbitrary letters (ъ before a consonant, a word-initial ь) are left to the
/// no-panic properties.
fn russian_text() -> impl Strategy<Value = String> {
    let consonants: Vec<&str> = "б в г д ж з к л м н п р с т ф х ц ч ш щ".split(' ').collect();
    let vowels: Vec<&str> = "а е ё и о у ы э ю я".split(' ').collect();
    let syllable = (
        proptest::collection::vec(prop::sample::select(consonants.clone()), 0..3),
        0u8..6,
        prop::sample::select(vowels),
        prop::option::of(prop::sample::select([consonants, vec!["й"]].concat())),
    )
        .prop_map(|(onset, sign, vowel, coda)| {
            let mut s: String = onset.concat();
            if !onset.is_empty() && sign == 0 {
                s.push('ь');
            }
            if !onset.is_empty() && sign == 1 && ["е", "ё", "ю", "я"].contains(&vowel) {
                s.push('ъ');
            }
            s.push_str(vowel);
            s.push_str(coda.unwrap_or(""));
            s
        });
    let word = proptest::collection::vec(syllable, 1..4).prop_map(|s| s.concat());
    proptest::collection::vec((word, 0u8..4), 1..5).prop_map(|ws| {
        ws.into_iter()
            .map(|(w, case)| match case {
                0 => w.to_uppercase(),
                1 => {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
                }
                _ => w,
            })
            .collect::<Vec<String>>()
            .join(" ")
    })
}

/// The schemes whose every spelling the key must accept (see DESIGN.md for why ru-popular, ru-de, ru-fr and the
/// other languages' tables are measured instead of promised).
/// ru-icao is left out because ICAO writes ъ as `ie`, also и + е (see src/key/fold.rs).
const STRICT: &[&str] = &["ru-alalc", "ru-alalc-ascii", "ru-bgn-pcgn", "ru-iso9", "ru-gost-b", "ru-scholarly"];

proptest! {
    #![proptest_config(deep::cases(3000))]

    #[test]
    fn key_of_romanization_is_key_of_original(s in russian_text()) {
        let k = key(&s);
        for id in STRICT {
            let r = Scheme::builtin(id).unwrap().romanize(&s);
            prop_assert_eq!(key(&r), k.clone(), "{} {:?} → {:?}", id, s, r);
        }
    }

    #[test]
    fn key_ignores_normalization_case_ties_and_apostrophes(s in russian_text()) {
        let k = key(&s);
        prop_assert_eq!(key(&s.nfd().collect::<String>()), k.clone());
        prop_assert_eq!(key(&s.to_uppercase()), k.clone());
        prop_assert_eq!(key(&s.to_lowercase()), k.clone());
        let alalc = Scheme::builtin("ru-alalc").unwrap();
        let r = alalc.romanize(&s);
        let mut marc8 = String::new();
        alalc.romanize_into(&s, bibkey::Ties::Marc8Halves, &mut marc8);
        prop_assert_eq!(key(&marc8), key(&r));
        prop_assert_eq!(key(&r.nfd().collect::<String>()), key(&r));
        for mark in ["'", "’", "ʹ", "`", "\"", "”"] {
            prop_assert_eq!(key(&r.replace(['ʹ', 'ʺ'], mark)), key(&r));
        }
    }

    #[test]
    /// Idempotent word by word: the key of a text concatenates its word keys, so re-keying a whole key may join
    /// what were two words (`y` + `a` → `ya` → `a`); the key of one word is a fixed point.
    fn key_is_idempotent(s in "[\\p{L}\\p{M}ʹʺ'’]{0,30}") {
        let k = key(&s);
        prop_assert_eq!(key(k.as_str()), k);
    }

    #[test]
    fn key_never_panics_and_stays_small(s in "\\PC{0,200}") {
        let k = key(&s);
        prop_assert!(k.as_str().len() <= 4 * s.len());
    }

    /// Linear time, as a property: the key is computed word by word, and each word's key depends only on that word,
    /// so keying n copies of a text is n copies of its key (no backtracking or quadratic rescans across words), and
    /// the output is at most a constant factor longer than the input.
    #[test]
    fn key_is_word_local(a in russian_text(), b in "[a-zA-Z' ]{0,30}", n in 1usize..20) {
        let ab = format!("{a} {b}");
        prop_assert_eq!(key(&ab).into_string(), format!("{}{}", key(&a), key(&b)));
        let rep = vec![a.as_str(); n].join(" ");
        prop_assert_eq!(key(&rep).into_string(), key(&a).as_str().repeat(n));
    }
}

#[test]
fn reverse_round_trips_on_random_russian_text() {
    // romanize-then-reverse is the identity for the one-to-one schemes, except on the few digraphs their standards
    // leave ambiguous (listed below; a case containing one is skipped for that scheme only).
    let mut runner = proptest::test_runner::TestRunner::new(deep::cases(3000));
    runner
        .run(&russian_text(), |s| {
            for id in ["ru-alalc", "ru-iso9", "ru-scholarly"] {
                let scheme = Scheme::builtin(id).unwrap();
                // Digraphs the standard itself writes like another letter, as the tables declare them (@ambiguous):
                // ALA-LC шч/щ (shch); scholarly шч/щ (šč) and йа/я, йу/ю (ja, ju). ISO 9 has none. (сх, кх and зх,
                // once skipped for ALA-LC too, read back as they are: skh, kkh, zkh.)
                let standard_ambiguities: &[&str] = match id {
                    "ru-alalc" => &["шч"],
                    "ru-scholarly" => &["шч", "йа", "йу"],
                    _ => &[],
                };
                let ambiguous = standard_ambiguities.iter().any(|d| s.to_lowercase().contains(d));
                if ambiguous {
                    continue;
                }
                let back = scheme.reverse(&scheme.romanize(&s)).unwrap();
                prop_assert_eq!(&back, &s, "{}", id);
            }
            Ok(())
        })
        .unwrap();
}

/// Compatibility characters from PDFs and OCR (ligatures, fullwidth letters, the digraph letters ǆ ǅ Ǆ, ŉ, ĳ, long s)
/// and the Greek final sigma key like their plain forms, written by hand from the Unicode code charts.
#[test]
fn compatibility_characters_key_like_their_plain_forms() {
    let pairs = [
        ("Oﬃcial ﬂow ﬁle", "Official flow file"),
        ("ﬀ ﬃ ﬄ ﬆ ﬅ", "ff ffi ffl st st"),
        ("Ｋｒａｓｎｙｉ ａｒｋｈｉｖ １９２３", "Krasnyi arkhiv 1923"),
        ("ǅurić ǆurić ǄURIĆ", "Džurić džurić DŽURIĆ"),
        ("Ǉubljana ǌegoš ǲ", "Ljubljana njegoš Dz"),
        ("ŉ ĳzer ſlovo", "ʼn ijzer slovo"),
        ("ªº", "ao"),
        ("Ⓐⓑ Ⅻ ⅲ", "Ab XII iii"),
        ("𝐊𝐫𝐚𝐬𝐧𝐲𝐢", "Krasnyi"),
        ("λόγος ΛΌΓΟΣ", "λόγοσ λόγοσ"),
        ("ϐϑϕ", "βθφ"),
    ];
    for (compat, plain) in pairs {
        let (k, want) = (key(compat), key(plain));
        assert_eq!(k, want, "{compat:?} keys as `{k}`, {plain:?} as `{want}`");
        assert!(!want.as_str().is_ascii() || k.as_str().is_ascii(), "{compat:?}: `{k}`");
    }
    // Superscript and subscript digits are footnote markers in titles copied from PDFs: dropped, not read as digits.
    assert_eq!(key("Krasnyi arkhiv¹²³ ⁴⁵₆"), key("Krasnyi arkhiv"));
}

/// Every letter or digit whose compatibility decomposition (NFKC) is plain ASCII letters and digits keys as that
/// decomposition, inside a word (superscript and subscript digits apart: they are dropped).
#[test]
fn every_compatibility_letter_keys_as_its_decomposition() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for u in 0x80..=0x10FFFFu32 {
        let Some(c) = char::from_u32(u) else { continue };
        if !(c.is_alphabetic() || c.is_numeric()) {
            continue;
        }
        let plain: String = c.to_string().nfkc().collect();
        if plain == c.to_string() || !plain.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let superscript = c.is_numeric() && matches!(u, 0xB2 | 0xB3 | 0xB9 | 0x2070..=0x209F);
        let (got, want) = (key(&format!("b{c}b")), key(&format!("b{}b", if superscript { "" } else { &plain })));
        checked += 1;
        if got != want {
            wrong.push(format!("U+{u:04X} {c} `{got}` vs {plain:?} `{want}`"));
        }
    }
    assert!(checked > 1000, "{checked}");
    assert!(wrong.is_empty(), "{} of {checked}: {:?}", wrong.len(), &wrong[..wrong.len().min(30)]);
}

/// Every built-in reversible table: random words of its own letters (small and capital) read back as themselves,
/// except those with a letter pair the table declares ambiguous (`@ambiguous`, read here from the table files).
#[test]
fn every_reversible_table_reads_back_its_letters() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables");
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    for scheme in bibkey::builtins().iter().filter(|s| s.is_reversible()) {
        let text = std::fs::read_to_string(dir.join(scheme.origin().trim_start_matches("tables/"))).unwrap();
        let pairs: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("@ambiguous "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect();
        // Letters with a rule of their own that holds everywhere (conditional rules may write them otherwise).
        let conditional: Vec<&str> = scheme.rules().filter(|r| r.conditional).map(|r| r.source).collect();
        let letters: Vec<String> = scheme
            .rules()
            .filter(|r| !r.conditional && r.source.chars().count() == 1 && !conditional.contains(&r.source))
            .map(|r| r.source.to_string())
            .collect();
        let mut checked = 0;
        for _ in 0..3000 {
            let word: String = (0..1 + next(8)).map(|_| letters[next(letters.len())].as_str()).collect();
            if pairs.iter().any(|p| word.contains(p.as_str())) {
                continue;
            }
            let latin = scheme.romanize(&word);
            assert_eq!(scheme.reverse(&latin).unwrap(), word, "{}: {word} is written {latin}", scheme.id());
            // In capitals the letters read back too; the case of a caseless sign (ъ ʺ, ь ʹ) comes from its
            // neighbours, which a random word that starts with one or doubles it does not always give.
            let upper = word.to_uppercase();
            let latin = scheme.romanize(&upper);
            let back = scheme.reverse(&latin).unwrap();
            assert_eq!(back.to_lowercase(), word, "{}: {upper} is written {latin}, read back {back}", scheme.id());
            checked += 1;
        }
        assert!(checked > 1000, "{}: {checked}", scheme.id());
    }
}

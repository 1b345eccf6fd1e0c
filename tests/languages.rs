//! The other Cyrillic languages: every built-in scheme of a language, on random words of its alphabet, meets the
//! Cyrillic through the key or a shared reading, with the language hint and without it; language detection and the
//! hint cost nothing on text the hint does not concern.

#[path = "common/deep.rs"]
mod deep;

use bibkey::key::{alphabet, key_as, readings};
use bibkey::{key, KeyKind, Lang, Scheme};
use proptest::prelude::*;

const OTHERS: [Lang; 5] = [Lang::Ukrainian, Lang::Belarusian, Lang::Bulgarian, Lang::Serbian, Lang::Macedonian];

/// Vowel letters of the alphabets (Bulgarian ъ is a vowel; in the others ъ, like ь and й, is not a syllable).
const VOWELS: &str = "аеиоуыэюяіїєёѐѝ";

/// A word of `lang` from random syllables: a consonant and a vowel, sometimes followed by й or ў (after the vowel)
/// or a consonant and ь. Bulgarian writes ь only before о, as ьо, and ends no word in ъ. The seeds pick the letters.
fn word(lang: Lang, seeds: &[u32]) -> String {
    let a = alphabet(lang);
    let is_vowel = |c: &char| VOWELS.contains(*c) || (*c == 'ъ' && lang == Lang::Bulgarian);
    let vowels: Vec<char> = a.iter().copied().filter(is_vowel).collect();
    let consonants: Vec<char> = a.iter().copied().filter(|c| !is_vowel(c) && !"ьъйў".contains(*c)).collect();
    let mut w = String::new();
    for (n, s) in seeds.iter().enumerate() {
        let s = *s as usize;
        w.push(consonants[s % consonants.len()]);
        let last = n + 1 == seeds.len();
        if lang == Lang::Bulgarian && s % 11 == 0 {
            w.push_str("ьо");
        } else {
            // No Bulgarian word has ended in ъ since the 1945 reform.
            let v = vowels[(s / 7) % vowels.len()];
            w.push(if v == 'ъ' && last { 'а' } else { v });
        }
        match (s / 101) % 6 {
            0 if a.contains(&'й') => w.push('й'),
            1 if a.contains(&'ў') => w.push('ў'),
            2 if lang != Lang::Bulgarian && a.contains(&'ь') => {
                w.push(consonants[(s / 13) % consonants.len()]);
                w.push('ь');
            }
            _ => {}
        }
    }
    w
}

/// The built-in schemes of a language other than Russian (the generic Cyrillic fallback table is for any alphabet
/// and is not one of them).
fn schemes_of(lang: Lang) -> Vec<&'static Scheme> {
    bibkey::builtins()
        .iter()
        .filter(|s| s.id() != "cyrillic-alalc" && s.langs().iter().any(|l| Lang::from_code(l) == Some(lang)))
        .collect()
}

/// Schemes whose romanization of every word must have the key of the word read in its language: the rest differ
/// from the key's reading in a letter the key cannot hold (Belarusian national and BGN/PCGN х as `ch` and ў as `w`,
/// Macedonian official ѓ ќ as `gj kj`, ISO 9 г as `g`, ALA-LC and ISO 9 Bulgarian ъ, scholarly Bulgarian ьо) and
/// meet through readings.
const KEY_EQUAL: &[&str] =
    &["uk-alalc", "be-alalc", "sr-alalc", "mk-alalc", "uk-national", "bg-streamlined", "sr-latin", "mk-bgn-pcgn"];

fn syllables() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 1..5)
}

proptest! {
    #![proptest_config(deep::cases(300))]

    /// key(romanize(s, S)) meets s in L: the key itself for the schemes the key follows, readings for the others,
    /// with the hint and without it.
    #[test]
    fn every_scheme_of_a_language_meets_its_cyrillic(lang in prop::sample::select(OTHERS.to_vec()), seeds in syllables()) {
        let w = word(lang, &seeds);
        for s in schemes_of(lang) {
            let rom = s.romanize(&w);
            let rom_readings = readings(&rom);
            if KEY_EQUAL.contains(&s.id()) && !(s.id() == "uk-national" && w.contains("зг")) {
                prop_assert_eq!(key(&rom), key_as(&w, lang), "{} {:?} → {:?}", s.id(), w, rom);
            }
            let hinted = KeyKind::Text.readings_as(&w, lang);
            prop_assert!(hinted.iter().any(|k| rom_readings.contains(k)),
                "{}: {:?} → {:?} shares no reading with the hint", s.id(), w, rom);
            let unhinted = readings(&w);
            prop_assert!(unhinted.iter().any(|k| rom_readings.contains(k)),
                "{}: {:?} → {:?} shares no reading without the hint", s.id(), w, rom);
        }
    }

    /// A hint changes only the Cyrillic side: Latin text keys the same in every language.
    #[test]
    fn latin_text_keys_the_same_in_every_language(s in "[a-zA-Zšžčćđŭĭïìâûê'ʹ ]{0,30}") {
        for lang in Lang::ALL {
            prop_assert_eq!(key_as(&s, lang), key(&s));
        }
    }

    /// Text with a letter that decides its language keys the same with that hint and without one.
    #[test]
    fn deciding_letters_make_the_hint_unnecessary(lang in prop::sample::select(OTHERS.to_vec()), seeds in syllables()) {
        let decider = match lang {
            Lang::Ukrainian => "ї",
            Lang::Belarusian => "ў",
            Lang::Serbian => "ћ",
            Lang::Macedonian => "ќ",
            _ => "ѝ",
        };
        let w = format!("{} {decider}", word(lang, &seeds));
        prop_assert_eq!(bibkey::key::detect(&w), Some(lang));
        prop_assert_eq!(key(&w), key_as(&w, lang));
    }
}

/// Russian text (no letter decides another language) keys as it did before languages were read: with the Russian
/// hint and without one alike.
#[test]
fn russian_keys_are_the_russian_reading() {
    for t in ["Пролетарская революция", "Известия", "Извѣстія", "Троцкий", "Голос", "Щукин", "подъезд"]
    {
        assert_eq!(key(t), key_as(t, Lang::Russian), "{t}");
        assert_eq!(bibkey::key::detect(t), None, "{t}");
    }
}

/// The examples of the issue that asked for the languages: the Cyrillic meets its romanizations.
#[test]
fn real_names_and_titles_meet_their_romanizations() {
    let with_hint = [
        (Lang::Ukrainian, "Грушевський", "Hrushevsʹkyĭ"),
        (Lang::Ukrainian, "Грушевський", "Hrushevskyi"),
        (Lang::Ukrainian, "Хмельницький", "Khmelʹnyt͡sʹkyĭ"),
        (Lang::Ukrainian, "Хмельницький", "Khmelnytskyi"),
        (Lang::Ukrainian, "Голос", "Holos"),
        (Lang::Belarusian, "Максім Багдановіч", "Maksim Bahdanovich"),
        (Lang::Bulgarian, "Щастие", "Shtastie"),
        (Lang::Bulgarian, "Българска академия на науките", "Balgarska akademiya na naukite"),
        (Lang::Serbian, "Бијелопољ", "Bijelopolj"),
        (Lang::Serbian, "Ђоковић", "Đoković"),
        (Lang::Serbian, "Ђоковић", "Djokovic"),
        (Lang::Macedonian, "Скопје", "Skopje"),
    ];
    for (lang, cyr, lat) in with_hint {
        assert_eq!(key_as(cyr, lang), key(lat), "{cyr} = {lat} in {lang}");
    }
    // Without a hint: the deciding letters, or readings.
    let rb = |a: &str, b: &str| readings(a).iter().any(|k| readings(b).contains(k));
    for (cyr, lat) in [
        ("Іваноўскі", "Ivanowski"),
        ("Іваноўскі", "Ivanoŭski"),
        ("Голос", "Holos"),
        ("Грушевський", "Hrushevsʹkyĭ"),
        ("Българска академия на науките", "Bŭlgarska akademii͡a na naukite"),
        ("Българска академия на науките", "Balgarska akademiya na naukite"),
        ("Бијелопољ", "Bijelopolj"),
    ] {
        assert!(rb(cyr, lat), "{cyr} and {lat} share no reading");
    }
    // And what must stay apart still does.
    for (a, b) in [("Шевченко", "Шевчук"), ("Грушевський", "Грушевська"), ("Толстой", "Толстая")]
    {
        assert!(!rb(a, b), "{a} and {b} share a reading");
    }
}

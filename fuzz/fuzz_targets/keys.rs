//! The keys on any text: key, key_into, key_as for every language, title_key, name_key. No panic; every key is in
//! the key alphabet (Key::from_stored accepts it); key_into and key_as_into append what key and key_as return; the
//! key of one word (letters, marks and sign marks only) is a fixed point; keys stay within four bytes per input byte.
#![no_main]

use bibkey::key::{key_as, key_as_into};
use bibkey::{key, key_into, name_key, title_key, Key, Lang};
use libfuzzer_sys::fuzz_target;

fn check(what: &str, text: &str, k: &Key) {
    if let Err(e) = Key::from_stored(k.as_str()) {
        panic!("{what} of {text:?} is {k:?}, not in the key alphabet: {e}");
    }
}

fuzz_target!(|text: &str| {
    let k = key(text);
    check("key", text, &k);
    assert!(k.as_str().len() <= 4 * text.len(), "{text:?} -> {k:?}");
    let mut buf = String::from("prefix");
    key_into(text, &mut buf);
    assert_eq!(&buf[6..], k.as_str(), "key_into of {text:?}");

    let one_word = text.chars().all(|c| c.is_alphabetic() || "ʹʺ'’".contains(c));
    if one_word {
        assert_eq!(key(k.as_str()), k, "one word {text:?}: not a fixed point");
    }
    for lang in Lang::ALL {
        let kl = key_as(text, lang);
        check("key_as", text, &kl);
        buf.clear();
        key_as_into(text, lang, &mut buf);
        assert_eq!(buf, kl.as_str(), "key_as_into of {text:?} in {lang:?}");
    }
    check("title_key", text, &title_key(text));
    check("name_key", text, &name_key(text));
    let _ = bibkey::parse_title(text);
    let _ = bibkey::parse_name(text);
    let _ = bibkey::key::detect(text);
});

//! Keys read back from storage: a key saved to a database, a file or a search engine becomes a [`Key`] again.
//!
//! # The contract
//!
//! [`Key::from_stored`] (and `str::parse`, `TryFrom<String>`, `TryFrom<&str>` and, with the `serde` feature,
//! deserializing) accepts exactly the strings made of the characters a key can hold ([`fold`](super::fold), "The key
//! alphabet"):
//!
//! * the lower-case ASCII letters `a`–`z` (`j`, `w` and `x` never come out of this version's key, but are accepted
//!   so that the check does not depend on the details of the fold) and the ASCII digits `0`–`9`;
//! * a character that the key keeps as it is, because it is a letter or digit of a script bibkey does not read
//!   (Greek `α`, Armenian `ա`, Georgian `ა`, CJK `中`…), already in lower case. The test is the key's own: a
//!   character is accepted when [`key`](super::key()) or [`key_as`](super::key_as) in some [`Lang`] maps it to itself.
//!
//! Anything else (upper case, white space, punctuation, Cyrillic, a Latin letter with a diacritic, a combining
//! mark) is rejected with an [`Error`] whose [`invalid_key_char`](Error::invalid_key_char) gives the character and
//! its byte offset. The empty string is accepted: it is the key of a text without letters or digits.
//!
//! The check is about the alphabet only: it does not (and cannot) tell whether the string is the key of some text.
//!
//! # Use a stored key as a key, do not key it again
//!
//! The key of a text concatenates the keys of its words, and the fold treats the end of a word specially, so keying
//! a key again may give another key: `key(key(x))` differs from `key(x)` when the words that ran together make a
//! digraph or lose a word end (`Krasnyi arkhiv` → `krasniarhiv` → `krasnarhiv`): for 5,960 of the 209,088 texts
//! of the evaluation set (2.9 %; tests/data/eval/items.tsv, every column), and likewise for
//! [`title_key`](crate::title_key). A stored key goes back into the API as a [`Key`]: [`Index::insert_keys`],
//! [`Index::lookup_title`], [`Query::from_keys`], [`Clusterer::push_key`] take it as it is, and give what the
//! key computed from the text gives.
//!
//! [`Index::insert_keys`]: crate::Index::insert_keys
//! [`Index::lookup_title`]: crate::Index::lookup_title
//! [`Query::from_keys`]: crate::Query::from_keys
//! [`Clusterer::push_key`]: crate::Clusterer::push_key

use std::borrow::Borrow;
use std::str::FromStr;

use super::{key_as_into, key_into, Key};
use crate::{Error, Lang};

impl Key {
    /// A key read back from storage, checked against the key alphabet (see the [module documentation](self)).
    ///
    /// ```
    /// use bibkey::{title_key, Key};
    ///
    /// let k = title_key("Istorii͡a russkoĭ revoli͡ut͡sii");
    /// let stored: String = k.clone().into_string(); // saved to a database…
    /// assert_eq!(Key::from_stored(stored)?, k); // …and read back
    ///
    /// let err = Key::from_stored("istoria Russkoi").unwrap_err();
    /// assert_eq!(err.invalid_key_char(), Some((' ', 7)));
    /// assert!(err.to_string().contains("byte 7"));
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn from_stored(stored: impl Into<String>) -> Result<Key, Error> {
        let s = stored.into();
        match first_invalid(&s) {
            None => Ok(Key(s)),
            Some((offset, c)) => Err(Error::invalid_key(c, offset)),
        }
    }
}

/// The byte offset and character of the first character of `s` that no key holds.
fn first_invalid(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| !in_key_alphabet(c))
}

/// True if `c` can be part of a key: `a`–`z`, `0`–`9`, or a character some reading of the key keeps as it is.
fn in_key_alphabet(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    let mut text = [0u8; 4];
    let text = c.encode_utf8(&mut text);
    let mut out = String::with_capacity(4);
    // The key itself decides, so that the check cannot drift from what the key writes: each reading (the automatic
    // one and one per language) reads Cyrillic differently, and a Cyrillic letter outside a language's alphabet is
    // kept as it is by that language's reading.
    key_into(text, &mut out);
    if out == *text {
        return true;
    }
    Lang::ALL.iter().any(|&lang| {
        out.clear();
        key_as_into(text, lang, &mut out);
        out == *text
    })
}

impl FromStr for Key {
    type Err = Error;

    /// [`Key::from_stored`].
    fn from_str(s: &str) -> Result<Key, Error> {
        Key::from_stored(s)
    }
}

impl TryFrom<String> for Key {
    type Error = Error;

    /// [`Key::from_stored`], reusing the string's allocation.
    fn try_from(s: String) -> Result<Key, Error> {
        Key::from_stored(s)
    }
}

impl TryFrom<&str> for Key {
    type Error = Error;

    /// [`Key::from_stored`].
    fn try_from(s: &str) -> Result<Key, Error> {
        Key::from_stored(s)
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.0
    }
}

/// A key hashes and compares as its string, so a `HashMap<Key, _>` or `BTreeMap<Key, _>` can be looked up with a
/// `&str` read from storage:
///
/// ```
/// use std::collections::HashMap;
/// use bibkey::key;
///
/// let mut seen: HashMap<bibkey::Key, u32> = HashMap::new();
/// seen.insert(key("Троцкий"), 1);
/// assert_eq!(seen.get("trocki"), Some(&1));
/// ```
impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::Key;
    use std::fmt;

    /// A key is written as its string.
    impl serde::Serialize for Key {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }

    /// A key is read from a string and checked as [`Key::from_stored`] checks it.
    impl<'de> serde::Deserialize<'de> for Key {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
            deserializer.deserialize_string(KeyVisitor)
        }
    }

    struct KeyVisitor;

    impl serde::de::Visitor<'_> for KeyVisitor {
        type Value = Key;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a bibkey key: a string of a-z, 0-9 and lower-case letters of scripts the key keeps")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
            Key::from_stored(v).map_err(E::custom)
        }

        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key, E> {
            Key::from_stored(v).map_err(E::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_by_hand() {
        for ok in ["", "a", "proletarskarevoluca", "0123456789", "abcdefghijklmnopqrstuvwxyz", "αβγ", "中文", "ա"]
        {
            assert!(Key::from_stored(ok).is_ok(), "{ok:?}");
        }
        // Upper case, space, punctuation, Cyrillic, Latin with a diacritic, a combining mark, upper-case Greek.
        for (bad, offset) in
            [("A", 0), ("ab c", 2), ("ab-c", 2), ("abя", 2), ("trotskiĭ", 7), ("e\u{301}", 1), ("αΒ", 2), ("ä", 0)]
        {
            let err = Key::from_stored(bad).unwrap_err();
            assert_eq!(err.invalid_key_char().map(|(_, o)| o), Some(offset), "{bad:?}");
        }
    }

    #[test]
    fn every_character_the_key_writes_is_accepted() {
        // Every scalar value as a one-character text, in every reading: what the key writes, the check accepts.
        let mut out = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).step_by(7) {
            let text = c.to_string();
            out.clear();
            key_into(&text, &mut out);
            assert!(first_invalid(&out).is_none(), "{c:?} keys as {out:?}");
            for lang in Lang::ALL {
                out.clear();
                key_as_into(&text, lang, &mut out);
                assert!(first_invalid(&out).is_none(), "{c:?} keys as {out:?} in {lang:?}");
            }
        }
    }
}

//! Keying many texts at once — on all cores when the crate's `rayon` feature is on, on one otherwise. The results
//! are the same either way, in input order.
//!
//! ```
//! use bibkey::{keys, KeyKind};
//! let titles = ["Gosudarstvo i revoliut͡sii͡a", "Государство и революция"];
//! let k = keys(&titles, KeyKind::Title);
//! assert_eq!(k[0], k[1]);
//! ```

use crate::key::Cyr;
use crate::{Key, Lang};

/// Which key to compute for a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// [`key`](crate::key()): the text as it is.
    #[default]
    Text,
    /// [`title_key`](crate::title_key): a title (article, volume and part, statement of responsibility handled).
    Title,
    /// [`name_key`](crate::name_key): a personal name (surname and first initial), or a corporate body or
    /// meeting when the text [looks like one](crate::corporate::is_corporate).
    Name,
    /// [`corporate_key`](crate::corporate_key): a corporate body or meeting (hierarchy, abbreviations,
    /// qualifiers, meeting number and year), whatever the text looks like.
    Corporate,
}

impl KeyKind {
    /// The key of `text` of this kind.
    pub fn key(self, text: &str) -> Key {
        match self {
            KeyKind::Text => crate::key(text),
            KeyKind::Title => crate::title_key(text),
            KeyKind::Name => crate::name_key(text),
            KeyKind::Corporate => crate::corporate_key(text),
        }
    }

    /// [`key`](Self::key) with the text's Cyrillic read as `lang` spells it (see [`crate::key::key_as`]).
    ///
    /// ```
    /// use bibkey::{KeyKind, Lang};
    /// assert_eq!(KeyKind::Name.key_as("Гончар, Олесь", Lang::Ukrainian), KeyKind::Name.key("Honchar, Oles"));
    /// ```
    pub fn key_as(self, text: &str, lang: Lang) -> Key {
        self.key_cyr(text, Some(lang).into())
    }

    /// The key of this kind with Cyrillic read as `cyr` says.
    pub(crate) fn key_cyr(self, text: &str, cyr: Cyr) -> Key {
        match self {
            KeyKind::Text => crate::key::key_cyr(text, cyr),
            KeyKind::Title => crate::title::title_key_cyr(text, cyr),
            KeyKind::Name => crate::name::name_key_cyr(text, cyr),
            KeyKind::Corporate => match cyr {
                Cyr::Reading(i) => crate::corporate::parse_corporate(text)
                    .key_hint(crate::corporate::Abbreviations::builtin(), crate::key::reading_lang(i)),
                Cyr::Auto => crate::corporate_key(text),
            },
        }
    }

    /// [`key_cyr`](Self::key_cyr) into `out`, reusing its allocation for text keys.
    pub(crate) fn key_into_cyr(self, text: &str, cyr: Cyr, out: &mut Key) {
        match self {
            KeyKind::Text => {
                out.0.clear();
                crate::key::key_cyr_into(text, cyr, &mut out.0)
            }
            _ => *out = self.key_cyr(text, cyr),
        }
    }

    /// The key of `text` of this kind, then the keys of this kind of its readings (see
    /// [`readings`](fn@crate::key::readings)) that differ from it.
    ///
    /// ```
    /// use bibkey::KeyKind;
    /// assert!(KeyKind::Name.readings("Anton Tschechow").contains(&KeyKind::Name.key("Чехов, Антон Павлович")));
    /// ```
    pub fn readings(self, text: &str) -> Vec<Key> {
        self.readings_of(text, self.key(text))
    }

    /// [`readings`](Self::readings) of `text`, whose key of this kind is `own`.
    pub(crate) fn readings_of(self, text: &str, own: Key) -> Vec<Key> {
        self.readings_cyr(text, own, Cyr::Auto)
    }

    /// [`readings`](Self::readings) with a language hint: the text's key and Latin readings as before, and for
    /// Cyrillic the other readings of the hinted language (or, without a hint, of every language the text may be in).
    ///
    /// ```
    /// use bibkey::{KeyKind, Lang};
    /// // Bulgarian ъ is `a` in the key; ALA-LC's ŭ is another reading.
    /// let r = KeyKind::Text.readings_as("Българска академия", Lang::Bulgarian);
    /// assert_eq!(r[0], bibkey::key("Balgarska akademiya"));
    /// assert!(r.contains(&bibkey::key("Bŭlgarska akademii͡a")));
    /// ```
    pub fn readings_as(self, text: &str, lang: Lang) -> Vec<Key> {
        let cyr = Cyr::from(Some(lang));
        self.readings_cyr(text, self.key_cyr(text, cyr), cyr)
    }

    pub(crate) fn readings_cyr(self, text: &str, own: Key, cyr: Cyr) -> Vec<Key> {
        let mut out = crate::key::readings::read_keys(text, crate::key::reading_tables(), own, |t| self.key(t));
        for r in crate::key::other_readings(text, cyr) {
            let k = self.key_cyr(text, Cyr::Reading(r));
            if !k.is_empty() && !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }
}

/// The keys of `texts`, in order.
pub fn keys<S: AsRef<str> + Sync>(texts: &[S], kind: KeyKind) -> Vec<Key> {
    map(texts, |t| kind.key(t.as_ref()))
}

/// `items.iter().map(f).collect()`, in parallel under the `rayon` feature.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "rayon"))]
    {
        items.iter().map(f).collect()
    }
}

/// Calls `f` on each pair of `a[i]` and `b[i]`, in parallel under the `rayon` feature.
pub(crate) fn zip_mut<A: Send, B: Sync>(a: &mut [A], b: &[B], f: impl Fn(&mut A, &B) + Sync + Send) {
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        a.par_iter_mut().zip(b.par_iter()).for_each(|(x, y)| f(x, y));
    }
    #[cfg(not(feature = "rayon"))]
    {
        a.iter_mut().zip(b).for_each(|(x, y)| f(x, y));
    }
}

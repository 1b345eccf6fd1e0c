//! Keying many texts at once — on all cores when the crate's `rayon` feature is on, on one otherwise. The results
//! are the same either way, in input order.
//!
//! ```
//! use bibkey::{keys, KeyKind};
//! let titles = ["Gosudarstvo i revoliut͡sii͡a", "Государство и революция"];
//! let k = keys(&titles, KeyKind::Title);
//! assert_eq!(k[0], k[1]);
//! ```

use crate::Key;

/// Which key to compute for a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// [`key`](crate::key()): the text as it is.
    #[default]
    Text,
    /// [`title_key`](crate::title_key): a title (article, volume and part, statement of responsibility handled).
    Title,
    /// [`name_key`](crate::name_key): a personal name (surname and first initial).
    Name,
}

impl KeyKind {
    /// The key of `text` of this kind.
    pub fn key(self, text: &str) -> Key {
        match self {
            KeyKind::Text => crate::key(text),
            KeyKind::Title => crate::title_key(text),
            KeyKind::Name => crate::name_key(text),
        }
    }

    /// [`key`](Self::key) into `out`, reusing its allocation for text keys.
    pub(crate) fn key_into(self, text: &str, out: &mut Key) {
        match self {
            KeyKind::Text => {
                out.0.clear();
                crate::key_into(text, &mut out.0)
            }
            _ => *out = self.key(text),
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
        crate::key::readings::read_keys(text, crate::key::reading_tables(), own, |t| self.key(t))
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

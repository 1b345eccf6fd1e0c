//! Script detection: which writing system a character (or a text) is in.
//!
//! The key and the romanizers treat Cyrillic, Latin and everything else differently; this module is the one place
//! that decides which is which.

/// The writing systems bibkey distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Script {
    /// Cyrillic letters (U+0400–U+052F, U+1C80–U+1C8F, U+2DE0–U+2DFF, U+A640–U+A69F).
    Cyrillic,
    /// Latin letters, including letters with diacritics and the IPA/modifier block used by romanizations.
    Latin,
    /// Anything else: digits, punctuation, other scripts.
    Other,
}

impl Script {
    /// The script of one character.
    ///
    /// ```
    /// use bibkey::Script;
    /// assert_eq!(Script::of('Щ'), Script::Cyrillic);
    /// assert_eq!(Script::of('ŝ'), Script::Latin);
    /// assert_eq!(Script::of('7'), Script::Other);
    /// ```
    pub fn of(c: char) -> Script {
        match c {
            'a'..='z' | 'A'..='Z' => Script::Latin,
            '\u{400}'..='\u{52F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}' => {
                Script::Cyrillic
            }
            '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}'
                if c.is_alphabetic() =>
            {
                Script::Latin
            }
            _ => Script::Other,
        }
    }
}

/// Which scripts occur among the letters of a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScriptMix {
    /// Number of Cyrillic letters.
    pub cyrillic: usize,
    /// Number of Latin letters.
    pub latin: usize,
    /// Number of letters of other scripts.
    pub other: usize,
}

impl ScriptMix {
    /// Counts the letters of `text` by script.
    ///
    /// ```
    /// let m = bibkey::ScriptMix::of("Shchёlkovo");
    /// assert_eq!((m.cyrillic, m.latin), (1, 9));
    /// assert!(m.is_mixed());
    /// ```
    pub fn of(text: &str) -> ScriptMix {
        let mut m = ScriptMix::default();
        for c in text.chars() {
            match Script::of(c) {
                Script::Cyrillic => m.cyrillic += 1,
                Script::Latin => m.latin += 1,
                Script::Other if c.is_alphabetic() => m.other += 1,
                Script::Other => {}
            }
        }
        m
    }

    /// True if letters of more than one script occur.
    pub fn is_mixed(&self) -> bool {
        [self.cyrillic, self.latin, self.other].iter().filter(|&&n| n > 0).count() > 1
    }
}

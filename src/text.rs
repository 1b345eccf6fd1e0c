//! Text cleanup helpers shared by the title and name parsers: letter tests and lower-casing of short words, each
//! with a fast path for ASCII and basic Cyrillic (what bibkey mostly reads) that gives the same answer as the
//! standard library, which the tests check on every character.

/// `char::is_alphabetic`, answered without the Unicode table for ASCII and the basic Cyrillic alphabet (А–я,
/// U+0410–U+044F), which is most of what bibkey reads: titles and names test every token with it.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        ('\u{410}'..='\u{44F}').contains(&c) || c.is_alphabetic()
    }
}

/// `char::is_alphanumeric`, with the fast paths of [`is_alphabetic`].
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        ('\u{410}'..='\u{44F}').contains(&c) || c.is_alphanumeric()
    }
}

/// Room for [`lower_short`]'s result: the longest word any of bibkey's word lists (designators, titles of
/// nobility, particles) holds is 16 bytes.
pub(crate) const SHORT_WORD: usize = 32;

/// `word` lower-cased, with ’ read as ', written into `buf`; `None` when that takes more than [`SHORT_WORD`] bytes.
/// For looking words up in short lists without allocating.
pub(crate) fn lower_short<'b>(word: &str, buf: &'b mut [u8; SHORT_WORD]) -> Option<&'b str> {
    if word.len() > SHORT_WORD {
        return None;
    }
    let mut n = 0;
    let mut put = |ch: char| {
        let ch = if ch == '’' { '\'' } else { ch };
        let len = ch.len_utf8();
        if n + len > SHORT_WORD {
            return false;
        }
        ch.encode_utf8(&mut buf[n..]);
        n += len;
        true
    };
    for c in word.chars() {
        let fits = match simple_lower(c) {
            Some(l) => put(l),
            None => c.to_lowercase().all(&mut put),
        };
        if !fits {
            return None;
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// The lower case of ASCII and of the Russian and other basic Cyrillic capitals (U+0400–U+042F), which is one
/// character; `None` for every other character (ask `char::to_lowercase`).
#[inline]
pub(crate) fn simple_lower(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        _ if c.is_ascii() => Some(c),
        '\u{410}'..='\u{42F}' => char::from_u32(c as u32 + 0x20),
        '\u{400}'..='\u{40F}' => char::from_u32(c as u32 + 0x50),
        '\u{430}'..='\u{45F}' => Some(c),
        _ => None,
    }
}

/// Parses a Roman numeral in canonical form (I–MMMCMXCIX). Upper case; lower case only with the letters i v x.
/// Cyrillic Х and І written for X and I are accepted.
pub(crate) fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 15 {
        return None;
    }
    let upper = s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M' | 'Х' | 'І'));
    let lower_ok = s.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'х' | 'і'));
    if !upper && !lower_ok {
        return None;
    }
    let val = |c: char| match c {
        'I' | 'i' | 'І' | 'і' => 1,
        'V' | 'v' => 5,
        'X' | 'x' | 'Х' | 'х' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let vals: Vec<i64> = s.chars().map(val).collect();
    let mut total = 0i64;
    for (i, &v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|&n| n > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    let total = u32::try_from(total).unwrap_or(0);
    // Only canonical spellings: rewrite and compare.
    (total > 0 && to_roman(total).eq_ignore_ascii_case(&s.replace(['Х', 'х'], "X").replace(['І', 'і'], "I")))
        .then_some(total)
}

/// `n` as a Roman numeral in canonical form (upper case), for comparing a parsed numeral with its spelling.
pub(crate) fn to_roman(mut n: u32) -> String {
    const TABLE: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for &(v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_letter_tests_agree_with_std_on_every_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn simple_lower_agrees_with_std() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(l) = super::simple_lower(c) {
                assert_eq!(c.to_lowercase().collect::<String>(), l.to_string(), "{c:?}");
            }
        }
        assert_eq!(super::simple_lower('Ё'), Some('ё'));
        assert_eq!(super::simple_lower('Ж'), Some('ж'));
    }

    #[test]
    fn lower_short_is_lower_case_with_one_apostrophe() {
        let mut buf = [0; super::SHORT_WORD];
        assert_eq!(super::lower_short("ChastʹTom’S", &mut buf), Some("chastʹtom's"));
        assert_eq!(super::lower_short("ВЫПУСК", &mut buf), Some("выпуск"));
        assert_eq!(super::lower_short("", &mut buf), Some(""));
        // 16 Cyrillic letters are 32 bytes; one more does not fit.
        assert_eq!(super::lower_short(&"Я".repeat(16), &mut buf).map(str::len), Some(32));
        assert_eq!(super::lower_short(&"Я".repeat(17), &mut buf), None);
        // İ lower-cases to two characters (i + U+0307), three bytes: 11 of them fit, not 12.
        assert!(super::lower_short(&"İ".repeat(10), &mut buf).is_some());
        assert_eq!(super::lower_short(&"İ".repeat(11), &mut buf), None);
    }
}

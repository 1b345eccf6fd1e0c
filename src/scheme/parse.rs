//! Parser for the table format documented in `tables/README.md`.
//!
//! The parser only checks and collects; [`compile`](super::engine) turns the result into the matching structure.
//! Every rejection names the origin and the 1-based line.

use unicode_normalization::UnicodeNormalization;

use crate::Error;

/// A condition on the neighbourhood of a rule's source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Cond {
    Initial,
    Final,
    After(usize),
    Before(usize),
    NotAfter(usize),
    NotBefore(usize),
}

/// One rule line.
#[derive(Clone, Debug)]
pub(crate) struct RuleDef {
    pub line: usize,
    pub source: String,
    pub target: String,
    pub conds: Vec<Cond>,
}

/// A parsed, checked table.
#[derive(Clone, Debug)]
pub(crate) struct TableDef {
    pub id: String,
    pub aliases: Vec<String>,
    pub name: String,
    pub standard: String,
    pub source: String,
    /// The first `@lang` code; `langs` has them all.
    pub lang: String,
    pub langs: Vec<String>,
    pub reversible: bool,
    /// `@fallback ID`: the built-in table whose rules cover the letters this one lacks (`None` for `@fallback none`
    /// or no directive), and the line of the directive (for errors found when it is resolved).
    pub fallback: Option<(String, usize)>,
    pub classes: Vec<(String, Vec<char>)>,
    pub rules: Vec<RuleDef>,
    /// `@ambiguous XY Z` of a reversible table: the two letters XY are written as Z is (its line), and read back
    /// as Z: a known ambiguity of the standard, the only kind the reversibility check lets pass.
    pub ambiguous: Vec<(String, String, usize)>,
}

/// Splits a line into tokens: bare words separated by white space, or double-quoted strings with `\"`, `\\` and
/// `\u{…}` escapes. A `#` outside quotes starts a comment. Returns (token, was_quoted).
fn tokenize(origin: &str, lineno: usize, line: &str) -> Result<Vec<(String, bool)>, Error> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        if c == '#' {
            break;
        }
        if c == '"' {
            chars.next();
            let mut tok = String::new();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some('"') => tok.push('"'),
                        Some('\\') => tok.push('\\'),
                        Some('u') => {
                            if chars.next() != Some('{') {
                                return Err(Error::table(origin, lineno, "bad escape: expected \\u{HEX}"));
                            }
                            let mut hex = String::new();
                            for c in chars.by_ref() {
                                if c == '}' {
                                    break;
                                }
                                hex.push(c);
                            }
                            let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).ok_or_else(|| {
                                Error::table(origin, lineno, format!("bad escape \\u{{{hex}}}: not a Unicode scalar"))
                            })?;
                            tok.push(ch);
                        }
                        other => {
                            return Err(Error::table(
                                origin,
                                lineno,
                                format!("unknown escape \\{}", other.map(String::from).unwrap_or_default()),
                            ))
                        }
                    },
                    c => tok.push(c),
                }
            }
            if !closed {
                return Err(Error::table(origin, lineno, "unterminated quoted target"));
            }
            out.push((tok, true));
        } else {
            let mut tok = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '#' {
                    break;
                }
                tok.push(c);
                chars.next();
            }
            out.push((tok, false));
        }
    }
    Ok(out)
}

fn parse_cond(origin: &str, lineno: usize, tok: &str, classes: &[(String, Vec<char>)]) -> Result<Cond, Error> {
    match tok {
        "initial" => return Ok(Cond::Initial),
        "final" => return Ok(Cond::Final),
        _ => {}
    }
    let Some((kind, class)) = tok.split_once(':') else {
        return Err(Error::table(
            origin,
            lineno,
            format!(
                "unknown condition {tok:?} (expected initial, final, after:CLASS, before:CLASS, not-after:CLASS or \
                 not-before:CLASS)"
            ),
        ));
    };
    let idx = classes.iter().position(|(n, _)| n == class).ok_or_else(|| {
        Error::table(origin, lineno, format!("unknown class {class:?} in condition {tok:?}; declare it with @class"))
    })?;
    match kind {
        "after" => Ok(Cond::After(idx)),
        "before" => Ok(Cond::Before(idx)),
        "not-after" => Ok(Cond::NotAfter(idx)),
        "not-before" => Ok(Cond::NotBefore(idx)),
        _ => Err(Error::table(origin, lineno, format!("unknown condition {kind:?} in {tok:?}"))),
    }
}

/// A condition as the table writes it (`after:vowel`), for error messages.
fn cond_words(c: Cond, classes: &[(String, Vec<char>)]) -> String {
    let class = |i: usize| classes.get(i).map_or("?", |(n, _)| n.as_str());
    match c {
        Cond::Initial => "initial".to_string(),
        Cond::Final => "final".to_string(),
        Cond::After(i) => format!("after:{}", class(i)),
        Cond::Before(i) => format!("before:{}", class(i)),
        Cond::NotAfter(i) => format!("not-after:{}", class(i)),
        Cond::NotBefore(i) => format!("not-before:{}", class(i)),
    }
}

/// Why a set of conditions can never hold together, if it cannot, naming the two in the order of the line.
fn contradiction(conds: &[Cond], classes: &[(String, Vec<char>)]) -> Option<String> {
    let clash = |a: Cond, b: Cond| match (a, b) {
        (Cond::Initial, Cond::After(_)) | (Cond::Final, Cond::Before(_)) => true,
        (Cond::After(x), Cond::NotAfter(y)) | (Cond::Before(x), Cond::NotBefore(y)) => x == y,
        _ => false,
    };
    for (i, &a) in conds.iter().enumerate() {
        for &b in &conds[i + 1..] {
            if clash(a, b) || clash(b, a) {
                return Some(format!(
                    "contradictory conditions {} and {}: the rule can never fire",
                    cond_words(a, classes),
                    cond_words(b, classes)
                ));
            }
        }
    }
    None
}

/// Rejects a control character (a newline, NUL, tab…) or a line or paragraph separator in `text`, which `what`
/// names (`target "…"`): a rule's target is written into every output line, and one output line per input line
/// is the promise of every command, so nothing a table writes may break or control a line.
fn no_control(origin: &str, lineno: usize, what: &str, text: &str) -> Result<(), Error> {
    let Some(c) = text.chars().find(|&c| c.is_control() || c == '\u{2028}' || c == '\u{2029}') else {
        return Ok(());
    };
    let kind = match c {
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        _ => "control character",
    };
    Err(Error::table(
        origin,
        lineno,
        format!(
            "{what} contains the {kind} U+{:04X}; a table may not write line breaks or control characters",
            c as u32
        ),
    ))
}

/// Parses table text. `origin` names the table in errors (a path, or `tables/ru-alalc.tbl` for built-ins).
pub(crate) fn parse(origin: &str, text: &str) -> Result<TableDef, Error> {
    let mut id = None;
    let mut aliases = Vec::new();
    let mut name = None;
    let mut standard = None;
    let mut source = None;
    let mut lang = None;
    let mut reversible = false;
    let mut fallback: Option<Option<(String, usize)>> = None;
    let mut classes: Vec<(String, Vec<char>)> = Vec::new();
    let mut rules: Vec<RuleDef> = Vec::new();
    let mut ambiguous = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim_end_matches('\r');
        if !unicode_normalization::is_nfc(line) {
            return Err(Error::table(origin, lineno, "text is not in Unicode NFC (normalize the file to NFC)"));
        }
        let toks = tokenize(origin, lineno, line)?;
        let Some(((first, first_quoted), rest)) = toks.split_first() else { continue };
        if !first_quoted && first.starts_with('@') {
            let rest_text = || -> Result<String, Error> {
                if rest.is_empty() {
                    return Err(Error::table(origin, lineno, format!("directive {first} needs a value")));
                }
                let v = rest.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(" ");
                no_control(origin, lineno, &format!("{first} {v:?}"), &v)?;
                Ok(v)
            };
            let once = |slot: &mut Option<String>, v: String| -> Result<(), Error> {
                if slot.is_some() {
                    return Err(Error::table(origin, lineno, format!("directive {first} given twice")));
                }
                *slot = Some(v);
                Ok(())
            };
            match first.as_str() {
                "@id" => once(&mut id, rest_text()?)?,
                "@alias" => aliases.push(rest_text()?),
                "@name" => once(&mut name, rest_text()?)?,
                "@standard" => once(&mut standard, rest_text()?)?,
                "@source" => once(&mut source, rest_text()?)?,
                "@lang" => once(&mut lang, rest_text()?)?,
                "@fallback" => {
                    if fallback.is_some() {
                        return Err(Error::table(origin, lineno, "directive @fallback given twice"));
                    }
                    let v = rest_text()?;
                    if v.contains(char::is_whitespace) {
                        return Err(Error::table(
                            origin,
                            lineno,
                            format!("@fallback takes one scheme id or none, not {v:?}"),
                        ));
                    }
                    fallback = Some((v != "none").then_some((v, lineno)));
                }
                "@reversible" => match rest_text()?.as_str() {
                    "yes" => reversible = true,
                    "no" => reversible = false,
                    v => return Err(Error::table(origin, lineno, format!("@reversible takes yes or no, not {v:?}"))),
                },
                "@ambiguous" => match rest {
                    [(pair, false), (one, false)] => ambiguous.push((pair.clone(), one.clone(), lineno)),
                    _ => {
                        return Err(Error::table(
                            origin,
                            lineno,
                            "@ambiguous takes two letters and the letter they are written like (@ambiguous шч щ)",
                        ))
                    }
                },
                "@class" => {
                    let Some(((cname, _), letters)) = rest.split_first() else {
                        return Err(Error::table(origin, lineno, "@class needs a name and letters"));
                    };
                    if classes.iter().any(|(n, _)| n == cname) {
                        return Err(Error::table(origin, lineno, format!("class {cname:?} defined twice")));
                    }
                    let mut set = Vec::new();
                    for (l, _) in letters {
                        no_control(origin, lineno, &format!("class {cname:?}"), l)?;
                        for c in l.chars() {
                            if c.is_uppercase() {
                                return Err(Error::table(
                                    origin,
                                    lineno,
                                    format!("class {cname:?}: {c:?} is upper case; write lower case only"),
                                ));
                            }
                            set.push(c);
                        }
                    }
                    if set.is_empty() {
                        return Err(Error::table(origin, lineno, format!("class {cname:?} is empty")));
                    }
                    set.sort_unstable();
                    set.dedup();
                    classes.push((cname.clone(), set));
                }
                other => return Err(Error::table(origin, lineno, format!("unknown directive {other}"))),
            }
            continue;
        }
        // A rule.
        let src = first;
        if src.is_empty() {
            return Err(Error::table(origin, lineno, "empty source"));
        }
        no_control(origin, lineno, &format!("source {src:?}"), src)?;
        if let Some(c) = src.chars().find(|c| c.is_uppercase()) {
            return Err(Error::table(
                origin,
                lineno,
                format!("source {src:?} has upper-case {c:?}; write sources in lower case (case is derived)"),
            ));
        }
        let Some(((target, _), cond_toks)) = rest.split_first() else {
            return Err(Error::table(
                origin,
                lineno,
                format!("rule for {src:?} has no target (write \"\" to drop the letter on purpose)"),
            ));
        };
        no_control(origin, lineno, &format!("target {target:?}"), target)?;
        if target.nfc().ne(target.chars()) {
            return Err(Error::table(origin, lineno, format!("target {target:?} is not in NFC")));
        }
        let mut conds = Vec::new();
        for (t, quoted) in cond_toks {
            if *quoted {
                return Err(Error::table(origin, lineno, format!("unexpected quoted text {t:?} after the target")));
            }
            let c = parse_cond(origin, lineno, t, &classes)?;
            if !conds.contains(&c) {
                conds.push(c);
            }
        }
        if let Some(why) = contradiction(&conds, &classes) {
            return Err(Error::table(origin, lineno, why));
        }
        for prev in rules.iter().filter(|r| r.source == *src) {
            let same = prev.conds.len() == conds.len() && prev.conds.iter().all(|c| conds.contains(c));
            if same {
                return Err(Error::table(
                    origin,
                    lineno,
                    format!("source {src:?} defined twice with the same conditions (first at line {})", prev.line),
                ));
            }
            if prev.conds.is_empty() {
                return Err(Error::table(
                    origin,
                    lineno,
                    format!(
                        "rule for {src:?} can never fire: the unconditional rule at line {} comes first",
                        prev.line
                    ),
                ));
            }
        }
        rules.push(RuleDef { line: lineno, source: src.clone(), target: target.clone(), conds });
    }

    let need = |v: Option<String>, d: &str| -> Result<String, Error> {
        v.ok_or_else(|| Error::table(origin, 1, format!("missing required directive {d}")))
    };
    let mut def = TableDef {
        id: need(id, "@id")?,
        aliases,
        name: need(name, "@name")?,
        standard: need(standard, "@standard")?,
        source: need(source, "@source")?,
        langs: Vec::new(),
        lang: need(lang, "@lang")?,
        reversible,
        fallback: fallback.flatten(),
        classes,
        rules,
        ambiguous,
    };
    def.langs = def.lang.split_whitespace().map(str::to_string).collect();
    if let Some(first) = def.langs.first() {
        def.lang = first.clone();
    }
    if def.rules.is_empty() {
        return Err(Error::table(origin, 1, "the table has no rules"));
    }
    if def.reversible {
        check_reversible(origin, &def)?;
    } else if let Some((_, _, line)) = def.ambiguous.first() {
        return Err(Error::table(origin, *line, "@ambiguous is for tables marked @reversible yes"));
    }
    Ok(def)
}

/// Checks that a table marked `@reversible yes` can be read back: the reverse matcher reads the longest target (in
/// any of its [`reverse_forms`]) at each position, so the text a sequence of letters is written as must read back as
/// those letters. That holds exactly when
///
/// * no target is empty and no two letters share a target (or a form of one),
/// * no two targets written one after the other combine into other characters in NFC (the reverse reads NFC), and
/// * wherever a target `a` is a proper prefix of a target `b`, with `b = a + d`, no sequence of targets that may
///   follow `a` begins with `d` (else the matcher, at `a`, would read `b`). Such a sequence is searched over the
///   suffixes of the targets (a depth-first search that takes targets one at a time off the front of `d`), so
///   the check is exact and finite.
///
/// The last condition makes the targets uniquely decodable (no text is written by two letter sequences) and
/// decodable by longest match, which is what `reverse` does. Letter pairs a standard itself writes like another
/// letter (ALA-LC шч and щ, both `shch`) are declared with `@ambiguous шч щ`: the pair's targets must then be
/// exactly the letter's, and sequences with that pair are left out of the search (they read back as the letter).
fn check_reversible(origin: &str, def: &TableDef) -> Result<(), Error> {
    let uncond: Vec<&RuleDef> = def.rules.iter().filter(|r| r.conds.is_empty()).collect();
    for (i, a) in uncond.iter().enumerate() {
        if a.target.is_empty() {
            return Err(Error::table(
                origin,
                a.line,
                format!("@reversible yes, but {:?} has an empty target", a.source),
            ));
        }
        for b in &uncond[..i] {
            if a.target == b.target {
                return Err(Error::table(
                    origin,
                    a.line,
                    format!(
                        "@reversible yes, but {:?} and {:?} (line {}) share the target {:?}",
                        a.source, b.source, b.line, a.target
                    ),
                ));
            }
        }
    }
    // Every form the reverse matcher reads, with the rule (index in `uncond`) it reads back as.
    let words: Vec<(Vec<char>, usize)> = uncond
        .iter()
        .enumerate()
        .flat_map(|(i, r)| super::engine::reverse_forms(&r.target).into_iter().map(move |f| (f, i)))
        .collect();
    for (x, (fa, a)) in words.iter().enumerate() {
        for (fb, b) in &words[..x] {
            if fa == fb && a != b {
                let (ra, rb) = (uncond[*a], uncond[*b]);
                return Err(Error::table(
                    origin,
                    ra.line,
                    format!(
                        "@reversible yes, but {:?} and {:?} (line {}) share the target {:?} in capitals",
                        ra.source,
                        rb.source,
                        rb.line,
                        fa.iter().collect::<String>()
                    ),
                ));
            }
        }
    }
    for a in &uncond {
        for b in &uncond {
            let ab = format!("{}{}", a.target, b.target);
            if !unicode_normalization::is_nfc(&ab) {
                return Err(Error::table(
                    origin,
                    b.line,
                    format!(
                        "@reversible yes, but {:?} is written {ab:?}, which is not in NFC: the targets of {:?} and {:?} \
                         combine and cannot be read back",
                        format!("{}{}", a.source, b.source),
                        a.source,
                        b.source
                    ),
                ));
            }
        }
    }
    // The declared ambiguities, as pairs of rules whose sequence is left out.
    let rule_of = |src: &str| uncond.iter().position(|r| r.source == src);
    let mut excluded: Vec<(usize, usize)> = Vec::new();
    for (pair, one, line) in &def.ambiguous {
        let split =
            pair.char_indices().skip(1).find_map(|(at, _)| Some((rule_of(&pair[..at])?, rule_of(&pair[at..])?)));
        let (Some((x, y)), Some(z)) = (split, rule_of(one)) else {
            return Err(Error::table(
                origin,
                *line,
                format!("@ambiguous {pair} {one}: each letter needs a rule without conditions"),
            ));
        };
        let (written, like) = (format!("{}{}", uncond[x].target, uncond[y].target), &uncond[z].target);
        if written != *like {
            return Err(Error::table(
                origin,
                *line,
                format!("@ambiguous {pair} {one}: {pair} is written {written:?} and {one} {like:?}, not alike"),
            ));
        }
        excluded.push((x, y));
    }
    let mut seen = std::collections::HashSet::new();
    for (fa, a) in &words {
        for (fb, b) in &words {
            if fb.len() <= fa.len() || !fb.starts_with(fa) {
                continue;
            }
            seen.clear();
            let Some(rest) = follows(&fb[fa.len()..], *a, &words, &excluded, &mut seen) else { continue };
            let letters: String =
                std::iter::once(*a).chain(rest.iter().copied()).map(|r| uncond[r].source.as_str()).collect();
            let written: String = std::iter::once(*a).chain(rest).map(|r| uncond[r].target.as_str()).collect();
            return Err(Error::table(
                origin,
                uncond[*a].line,
                format!(
                    "@reversible yes, but {letters:?} is written {written:?}, which reads back starting with {:?} \
                     (line {}); if the standard itself writes them alike, declare it with @ambiguous",
                    uncond[*b].source, uncond[*b].line
                ),
            ));
        }
    }
    Ok(())
}

/// A sequence of rules (indices of `words`' rules) that may follow rule `last` and whose forms, one after another,
/// begin with `d`, if there is one (`excluded`: rule pairs that may not follow one another). `seen` holds the
/// (rest of `d`, last rule) states already searched.
fn follows(
    d: &[char],
    last: usize,
    words: &[(Vec<char>, usize)],
    excluded: &[(usize, usize)],
    seen: &mut std::collections::HashSet<(Vec<char>, usize)>,
) -> Option<Vec<usize>> {
    if !seen.insert((d.to_vec(), last)) {
        return None;
    }
    for (f, r) in words {
        if excluded.contains(&(last, *r)) {
            continue;
        }
        if f.starts_with(d) {
            return Some(vec![*r]);
        }
        if d.starts_with(f) {
            if let Some(mut rest) = follows(&d[f.len()..], *r, words, excluded, seen) {
                rest.insert(0, *r);
                return Some(rest);
            }
        }
    }
    None
}

/// `own` with the rules of `fb` (already merged with its own fallback) for the letters `own` lacks, for the forward
/// matcher. A letter is `own`'s if it has an unconditional one-letter rule for it; then none of `fb`'s rules starting
/// with it are taken. If `own` has only other rules starting with the letter (conditional ones, or longer sources),
/// `fb`'s one-letter rules for it are appended after them, as the default where `own`'s rules do not fire; `fb`'s
/// longer sources are left out there, since the longest match would let them override `own`'s rules. A letter
/// `own` has no rule for at all takes all of `fb`'s rules starting with it. `fb`'s classes are appended with their
/// indices shifted, so its conditions keep their meaning.
pub(crate) fn with_fallback(own: &TableDef, fb: &TableDef) -> TableDef {
    let first = |s: &str| s.chars().next();
    let shift = own.classes.len();
    let mut merged = own.clone();
    merged.classes.extend(fb.classes.iter().map(|(n, set)| (format!("{}:{n}", fb.id), set.clone())));
    for r in &fb.rules {
        let c = first(&r.source);
        let mine: Vec<&RuleDef> = own.rules.iter().filter(|o| first(&o.source) == c).collect();
        let covered = mine.iter().any(|o| o.conds.is_empty() && o.source.chars().nth(1).is_none());
        let one_letter = r.source.chars().nth(1).is_none();
        if covered || (!mine.is_empty() && !one_letter) {
            continue;
        }
        let conds: Vec<Cond> = r
            .conds
            .iter()
            .map(|&k| match k {
                Cond::After(i) => Cond::After(i + shift),
                Cond::Before(i) => Cond::Before(i + shift),
                Cond::NotAfter(i) => Cond::NotAfter(i + shift),
                Cond::NotBefore(i) => Cond::NotBefore(i + shift),
                k => k,
            })
            .collect();
        merged.rules.push(RuleDef { line: r.line, source: r.source.clone(), target: r.target.clone(), conds });
    }
    merged
}

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
    };
    def.langs = def.lang.split_whitespace().map(str::to_string).collect();
    if let Some(first) = def.langs.first() {
        def.lang = first.clone();
    }
    if def.rules.is_empty() {
        return Err(Error::table(origin, 1, "the table has no rules"));
    }
    if def.reversible {
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
    }
    Ok(def)
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

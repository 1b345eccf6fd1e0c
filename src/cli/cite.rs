//! `bibkey cite` (each line's citation as JSON) and `bibkey cluster --kind citation`.
//!
//! Lines are the notes of one footnote stream, in order, so that `Ibid.` and short forms resolve against the
//! lines before them; an empty line ends a stream (and starts another).

use std::io::{self, BufWriter, Write};

use bibkey::cite::{parse, Citation, Field, Joined, Resolved, Span, Stream, Works};
use bibkey::cluster::{ClusterOptions, How};
use bibkey::Clusterer;
use serde_json::{json, Map, Value};

use super::input::{Line, LineReader};
use super::{line_error, open, Skipped};

/// The text of each line (invalid UTF-8 replaced under `lossy`), or the error naming it.
fn each_text(file: &str, lossy: bool, mut f: impl FnMut(u64, Option<&str>) -> io::Result<()>) -> io::Result<()> {
    let (reader, _) = open(file)?;
    let mut lines = LineReader::new(reader);
    let mut skipped = Skipped::default();
    let origin = if file == "-" { "stdin" } else { file };
    while let Some((n, line)) = lines.next_line()? {
        match line {
            Line::Overlong if !lossy => return Err(line_error(file, n, "longer than 1 MiB")),
            Line::Overlong => {
                skipped.add(origin, "longer than 1 MiB: not parsed", n);
                f(n, None)?;
            }
            Line::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(t) => f(n, Some(t))?,
                Err(e) if !lossy => {
                    return Err(line_error(file, n, format_args!("invalid UTF-8 at byte {}", e.valid_up_to())))
                }
                Err(_) => {
                    skipped.add(origin, "with invalid UTF-8: parsed with U+FFFD in its place", n);
                    f(n, Some(&String::from_utf8_lossy(bytes)))?
                }
            },
        }
    }
    skipped.report();
    Ok(())
}

/// One footnote stream across lines, numbering notes by line.
struct Notes {
    stream: Stream,
    /// Line number of each note of the current stream.
    lines: Vec<u64>,
}

impl Notes {
    fn new() -> Notes {
        Notes { stream: Stream::new(), lines: Vec::new() }
    }

    /// The resolved note of a line; an empty line ends the stream and gives None.
    fn push(&mut self, n: u64, text: &str) -> Option<(Citation, Resolved)> {
        if text.trim().is_empty() {
            self.stream = Stream::new();
            self.lines.clear();
            return None;
        }
        let c = parse(text);
        let r = self.stream.push(c.clone());
        self.lines.push(n);
        Some((c, r))
    }

    fn line_of(&self, note: usize) -> Option<u64> {
        self.lines.get(note).copied()
    }
}

fn span(s: Span) -> Value {
    json!([s.start, s.end])
}

fn text_field(f: &Option<Field<String>>) -> Value {
    match f {
        Some(f) => json!({"text": f.value, "span": span(f.span)}),
        None => Value::Null,
    }
}

fn to_json(n: u64, c: &Citation, r: &Resolved, notes: &Notes) -> Value {
    let mut o = Map::new();
    o.insert("line".into(), json!(n));
    o.insert("kind".into(), json!(r.citation.kind.as_str()));
    let authors: Vec<Value> = c
        .authors
        .iter()
        .map(|a| json!({"surname": a.name.surname, "given": a.name.given, "span": span(a.span)}))
        .collect();
    o.insert("authors".into(), Value::Array(authors));
    o.insert("title".into(), text_field(&c.title));
    o.insert("container".into(), text_field(&c.container));
    let num = |f: &Option<Field<u32>>| match f {
        Some(f) => json!({"value": f.value, "span": span(f.span)}),
        None => Value::Null,
    };
    o.insert("volume".into(), num(&c.volume));
    o.insert(
        "issue".into(),
        match &c.issue {
            Some(f) => {
                json!({"number": f.value.number, "whole": f.value.whole, "last": f.value.last, "span": span(f.span)})
            }
            None => Value::Null,
        },
    );
    o.insert("part".into(), num(&c.part));
    o.insert(
        "date".into(),
        match &c.date {
            Some(f) => json!({"year": f.value.year, "month": f.value.month, "day": f.value.day, "span": span(f.span)}),
            None => Value::Null,
        },
    );
    o.insert(
        "pages".into(),
        match &c.pages {
            Some(f) => json!({"first": f.value.first, "last": f.value.last, "span": span(f.span)}),
            None => Value::Null,
        },
    );
    o.insert("extent".into(), num(&c.extent));
    let places: Vec<Value> = c.places.iter().map(|p| json!({"text": p.value, "span": span(p.span)})).collect();
    o.insert("places".into(), Value::Array(places));
    o.insert("publisher".into(), text_field(&c.publisher));
    o.insert("edition".into(), text_field(&c.edition));
    o.insert("series".into(), text_field(&c.series));
    o.insert("editors".into(), text_field(&c.editors));
    o.insert(
        "reference".into(),
        match &c.reference {
            Some(f) => json!({"value": format!("{:?}", f.value).to_lowercase(), "span": span(f.span)}),
            None => Value::Null,
        },
    );
    o.insert("resolved".into(), json!({"how": r.how.as_str(), "from_line": r.from.and_then(|f| notes.line_of(f))}));
    o.insert("work_key".into(), json!(r.work_key().as_str()));
    o.insert("place_key".into(), json!(r.place_key().as_str()));
    o.insert("unassigned".into(), Value::Array(c.unassigned.iter().map(|s| span(*s)).collect()));
    Value::Object(o)
}

/// `bibkey cite`: one JSON object per line (`{}` for an empty line, which ends a footnote stream).
pub fn run(file: &str, lossy: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut notes = Notes::new();
    each_text(file, lossy, |n, text| {
        match text.and_then(|t| notes.push(n, t).map(|x| (t, x))) {
            Some((_, (c, r))) => {
                serde_json::to_writer(&mut out, &to_json(n, &c, &r, &notes))?;
            }
            None => out.write_all(format!("{{\"line\":{n}}}").as_bytes())?,
        }
        out.write_all(b"\n")
    })?;
    out.flush()
}

/// `bibkey cluster --kind citation [--place]`: each line after the number of the first line citing the same work
/// (or, with `place`, the same pages of it), as `bibkey cluster` prints; with `explain`, how it joined and, for a
/// resolved note, from which line. Citations of works cluster as [`Works`] groups them: by work key, then by a
/// shared German, Polish, Czech, French or Spanish reading of author and title (volumes equal), and author–year
/// references with their work; a number is never fuzzy. Places cluster by key only.
pub fn cluster(file: &str, place: bool, explain: bool, lossy: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut notes = Notes::new();
    let mut clusterer = Clusterer::with_options(ClusterOptions::default().nearest(false));
    let mut works = Works::new();
    let mut first_lines: Vec<u64> = Vec::new();
    let mut any = false;
    each_text(file, lossy, |n, text| {
        any = true;
        let resolved = text.and_then(|t| notes.push(n, t));
        let (cluster, how) = if place {
            let key = resolved.as_ref().map(|(_, r)| r.place_key()).unwrap_or_default();
            let a = clusterer.push_key(key);
            let how = match a.how {
                How::New => "new",
                How::Key => "key",
                _ => "empty",
            };
            (a.cluster, how)
        } else {
            // Works are numbered from 0 in the order they come; a cluster is named by its first line.
            match resolved.as_ref().map(|(_, r)| works.push(&r.citation)) {
                Some((Some(w), how)) => {
                    if w == first_lines.len() {
                        first_lines.push(n);
                    }
                    let how = match how {
                        Joined::Key => "key",
                        Joined::Reading => "reading",
                        Joined::AuthorYear => "author-year",
                        Joined::Volume => "volume",
                        _ => "new",
                    };
                    (first_lines.get(w).copied().unwrap_or(n), how)
                }
                _ => (n, "empty"),
            }
        };
        write!(out, "{cluster}\t")?;
        if explain {
            out.write_all(how.as_bytes())?;
            if let Some((_, r)) = &resolved {
                if let Some(l) = r.from.and_then(|f| notes.line_of(f)) {
                    write!(out, ", {} of line {l}", r.how.as_str())?;
                }
            }
            out.write_all(b"\t")?;
        }
        out.write_all(text.unwrap_or("").as_bytes())?;
        out.write_all(b"\n")
    })?;
    out.flush()?;
    if !any {
        let name = if file == "-" { "stdin" } else { file };
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{name}: empty input: no lines to cluster")));
    }
    Ok(())
}

/// The volume a catalog record's title names (`Polnoe sobranie sochinenii. T. 34`), read as a citation is.
fn record_volume(title: &str) -> Option<u32> {
    parse(title).volume.map(|v| v.value)
}

/// A name as `Surname, Given…` for its key (the citation's own spans may be in an earlier note).
fn name_text(n: &bibkey::PersonalName) -> String {
    let mut s = n.surname.clone();
    if !n.given.is_empty() {
        s.push_str(", ");
        s.push_str(&n.given.join(" "));
    }
    s
}

/// The catalog records a resolved citation may be: searched by its title and by its container (the journal, the
/// edited volume, the collected works), with its authors; each record once, with its best score. A record whose
/// title names another volume than the citation's is dropped: numbers are never fuzzy.
fn candidates(
    index: &bibkey::Index,
    titles: &super::Strings,
    c: &Citation,
    options: &bibkey::SearchOptions,
    readings: bool,
) -> Vec<(bibkey::index::Match, &'static str)> {
    use bibkey::cite::Kind;
    let names: Vec<String> = c.authors.iter().map(|a| name_text(&a.name)).collect();
    // Volumes of one edition differ only in their number: look further than the top before dropping the others.
    let wide = options.clone().limit(options.limit.saturating_mul(4).max(50));
    let mut searches: Vec<(&str, &[String], &'static str)> = Vec::new();
    if let Some(t) = c.search_title() {
        searches.push((t, &names, "title"));
    }
    if let Some(t) = c.search_container() {
        // A journal or newspaper is catalogued without the article's authors; an edited volume without the
        // chapter's; collected works under their author.
        let with_names = matches!(c.kind, Kind::Collected | Kind::Book);
        searches.push((t, if with_names { &names } else { &[] }, "container"));
    }
    let mut best: Vec<(bibkey::index::Match, &'static str)> = Vec::new();
    let mut searcher = bibkey::index::Searcher::new();
    let mut found = Vec::new();
    for (text, names, field) in searches {
        if readings {
            found = index.search_readings(text, names, &wide);
        } else {
            index.search_with(&mut searcher, &bibkey::Query::new(text, names), &wide, &mut found);
        }
        for m in found.drain(..) {
            let volume = c.volume.as_ref().map(|v| v.value);
            if volume.is_some() && record_volume(titles.get(m.id.index())).is_some_and(|w| Some(w) != volume) {
                continue;
            }
            match best.iter_mut().find(|(b, _)| b.id == m.id) {
                Some((b, _)) if b.score >= m.score => {}
                Some(b) => *b = (m, field),
                None => best.push((m, field)),
            }
        }
    }
    best.sort_by(|(a, _), (b, _)| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    best.truncate(options.limit);
    best
}

/// `bibkey match --citations`: each input line is a footnote (an empty line ends a stream); `Ibid.`, `op. cit.`
/// and short forms are resolved against the earlier notes first, then the work is looked up in the index. Rows as
/// `bibkey match` prints them: line number, rank, id, score, how.
pub fn match_citations(
    file: &super::matching::IndexFile,
    args: &super::input::InputArgs,
    options: bibkey::SearchOptions,
    readings: bool,
) -> io::Result<()> {
    if args.json || args.column.is_some() || args.header || args.delimiter.is_some() || args.quoted {
        return Err(super::input::usage("--citations reads plain lines, one footnote each".to_string()));
    }
    let (index, ids, titles) = super::matching::load(file, args.lossy, true)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let line_buffered = args.line_buffered();
    let mut offset = 0;
    for path in &args.files {
        let mut notes = Notes::new();
        let mut last = 0;
        each_text(path, args.lossy, |n, text| {
            last = n;
            let number = offset + n;
            let mut any = false;
            if let Some((_, r)) = text.and_then(|t| notes.push(n, t)) {
                let via = r
                    .from
                    .and_then(|f| notes.line_of(f))
                    .map(|l| format!(", {} of line {}", r.how.as_str(), offset + l));
                for (rank, (m, field)) in
                    candidates(&index, &titles, &r.citation, &options, readings).iter().enumerate()
                {
                    any = true;
                    write!(
                        out,
                        "{number}\t{}\t{}\t{:.3}\t{field} {}, name {}",
                        rank + 1,
                        ids.get(m.id.index()),
                        m.score,
                        m.title,
                        m.name
                    )?;
                    if let Some(reading) = m.reading {
                        write!(out, ", as {reading}")?;
                    }
                    writeln!(out, "{}", via.as_deref().unwrap_or(""))?;
                }
            }
            if !any {
                writeln!(out, "{number}\t\t\t\t")?;
            }
            if line_buffered {
                out.flush()?;
            }
            Ok(())
        })?;
        offset += last;
    }
    out.flush()
}

//! `bibkey cite` (each line's citation as JSON) and `bibkey cluster --kind citation`.
//!
//! Lines are the notes of one footnote stream, in order, so that `Ibid.` and short forms resolve against the
//! lines before them; an empty line ends a stream (and starts another).

use std::io::{self, BufWriter, Write};

use bibkey::cite::{parse, Citation, Field, Resolved, Span, Stream};
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
/// resolved note, from which line. Citations cluster by key only: a number in a key is never fuzzy, and the text
/// parts are already spelling-independent keys.
pub fn cluster(file: &str, place: bool, explain: bool, lossy: bool) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut notes = Notes::new();
    let mut clusterer = Clusterer::with_options(ClusterOptions::default().nearest(false));
    let mut any = false;
    each_text(file, lossy, |n, text| {
        any = true;
        let resolved = text.and_then(|t| notes.push(n, t));
        let key = match &resolved {
            Some((_, r)) if place => r.place_key(),
            Some((_, r)) => r.work_key(),
            None => bibkey::Key::default(),
        };
        let a = clusterer.push_key(key);
        write!(out, "{}\t", a.cluster)?;
        if explain {
            let how = match a.how {
                How::New => "new",
                How::Key => "key",
                _ => "empty",
            };
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

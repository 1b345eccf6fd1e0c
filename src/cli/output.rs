//! Output of every line-oriented subcommand, in the format of its input: plain lines, TSV, CSV (the `csv` crate)
//! or JSON Lines; flushed line by line when asked.

use std::cell::RefCell;
use std::io::{self, BufWriter, Write};
use std::rc::Rc;

use super::input::{Body, Format, Record, Records};

/// Where bibkey's values go on an output line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// bibkey's values only (`key`, `romanize`, `naco` on plain lines; `match`).
    ValuesOnly,
    /// bibkey's values, then the line (`cluster` on plain lines).
    ValuesThenLine,
    /// The record (its fields, or its JSON object), then bibkey's values.
    Append,
}

/// One of bibkey's values on an output line.
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    Str(&'a str),
    Int(u64),
    /// A score, written with three decimals.
    Score(f64),
    /// A list: tab-separated on plain lines, ` ; ` in a delimited column, an array in JSON.
    List(&'a [String]),
    /// No value: an empty field, or null in JSON.
    None,
}

/// The csv writer writes here; each row is then copied to stdout.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes the output lines of a command.
pub struct Output {
    format: Format,
    layout: Layout,
    names: Vec<&'static str>,
    header: bool,
    header_done: bool,
    line_buffered: bool,
    out: BufWriter<io::StdoutLock<'static>>,
    csv: csv::Writer<Shared>,
    row: Shared,
    fields: Vec<String>,
}

impl Output {
    /// `names` are the names of bibkey's values (header row, JSON fields); `header` says a header row is wanted.
    pub fn new(format: Format, layout: Layout, names: &[&'static str], header: bool, line_buffered: bool) -> Output {
        let row = Shared::default();
        let (delimiter, style) = match format {
            Format::Delimited { delimiter, quoting: true } => (delimiter, csv::QuoteStyle::Necessary),
            // TSV without quoting: no field can hold a tab or a line break, as none could in the input.
            Format::Delimited { delimiter, quoting: false } => (delimiter, csv::QuoteStyle::Never),
            _ => (b'\t', csv::QuoteStyle::Never),
        };
        let csv = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .quote_style(style)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(row.clone());
        Output {
            format,
            layout,
            names: names.to_vec(),
            header,
            header_done: false,
            line_buffered,
            out: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
            csv,
            row,
            fields: Vec::new(),
        }
    }

    /// The header row, once, before the first record (delimited output with `--header`).
    pub fn header(&mut self, records: &Records) -> io::Result<()> {
        if self.header_done || !self.header || !matches!(self.format, Format::Delimited { .. }) {
            return Ok(());
        }
        self.header_done = true;
        self.fields.clear();
        if self.layout == Layout::Append {
            match &records.header_row {
                Some(h) => self.fields.extend(h.iter().map(str::to_string)),
                // An empty input: no header, no records.
                None => return Ok(()),
            }
        }
        self.fields.extend(self.names.iter().map(|n| n.to_string()));
        self.write_fields()
    }

    fn write_fields(&mut self) -> io::Result<()> {
        self.csv.write_record(&self.fields).map_err(csv_io)?;
        self.csv.flush()?;
        let mut row = self.row.0.borrow_mut();
        self.out.write_all(&row)?;
        row.clear();
        Ok(())
    }

    /// Writes a record's line with bibkey's `values`.
    pub fn record(&mut self, rec: &mut Record, values: &[Value]) -> io::Result<()> {
        match (self.format, self.layout) {
            (Format::Lines, Layout::ValuesOnly) => {
                self.plain_values(values)?;
                self.out.write_all(b"\n")?;
            }
            (Format::Lines, _) => {
                self.plain_values(values)?;
                self.out.write_all(b"\t")?;
                let line = match &rec.body {
                    Body::Raw(raw) => raw.as_str(),
                    _ => rec.texts.first().map_or("", String::as_str),
                };
                self.out.write_all(line.as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            (Format::Json, Layout::Append) => match &mut rec.body {
                Body::Object(object) => {
                    for (name, value) in self.names.iter().zip(values) {
                        if object.contains_key(*name) {
                            return Err(io::Error::new(
                                io::ErrorKind::InvalidData,
                                format!(
                                    "line {}: the object already has a field {name:?}, which bibkey would replace",
                                    rec.line
                                ),
                            ));
                        }
                        object.insert(name.to_string(), json(*value));
                    }
                    serde_json::to_writer(&mut self.out, object).map_err(json_io)?;
                    self.out.write_all(b"\n")?;
                }
                Body::Raw(raw) => {
                    self.out.write_all(raw.as_bytes())?;
                    self.out.write_all(b"\n")?;
                }
                _ => {}
            },
            (Format::Json, _) => {
                let mut object = serde_json::Map::new();
                for (name, value) in self.names.iter().zip(values) {
                    object.insert(name.to_string(), json(*value));
                }
                serde_json::to_writer(&mut self.out, &object).map_err(json_io)?;
                self.out.write_all(b"\n")?;
            }
            (Format::Delimited { .. }, layout) => {
                self.fields.clear();
                if layout == Layout::Append {
                    match &rec.body {
                        Body::Fields(f) => self.fields.extend(f.iter().map(str::to_string)),
                        Body::Raw(raw) => self.fields.push(raw.clone()),
                        _ => self.fields.extend(rec.texts.iter().cloned()),
                    }
                }
                for v in values {
                    self.fields.push(cell(*v));
                }
                self.write_fields()?;
            }
        }
        Ok(())
    }

    /// Bytes as they are (output lines made by the caller).
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    /// On plain lines, bibkey's value only: `value`, and `list` after it, tab-separated.
    pub fn plain_line(&mut self, value: &str, list: Option<&[String]>) -> io::Result<()> {
        self.out.write_all(value.as_bytes())?;
        for item in list.unwrap_or_default() {
            self.out.write_all(b"\t")?;
            self.out.write_all(item.as_bytes())?;
        }
        self.out.write_all(b"\n")
    }

    /// On plain lines: bibkey's values, a tab, and the line.
    pub fn values_then_line(&mut self, values: &[Value], line: &str) -> io::Result<()> {
        self.plain_values(values)?;
        self.out.write_all(b"\t")?;
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")
    }

    fn plain_values(&mut self, values: &[Value]) -> io::Result<()> {
        for (i, v) in values.iter().enumerate() {
            if matches!(v, Value::List(items) if items.is_empty()) {
                // `key --readings`: a line without other readings is its key alone.
                continue;
            }
            if i > 0 {
                self.out.write_all(b"\t")?;
            }
            match v {
                Value::Str(s) => self.out.write_all(s.as_bytes())?,
                Value::List(items) => {
                    for (j, item) in items.iter().enumerate() {
                        if j > 0 {
                            self.out.write_all(b"\t")?;
                        }
                        self.out.write_all(item.as_bytes())?;
                    }
                }
                Value::Int(n) => write_decimal(&mut self.out, *n)?,
                v => self.out.write_all(cell(*v).as_bytes())?,
            }
        }
        Ok(())
    }

    /// Under `--lossy`, a line longer than 1 MiB: copied through as read with empty values (only the values for
    /// `ValuesOnly`).
    pub fn overlong(&mut self, records: &mut Records, values: &[Value]) -> io::Result<()> {
        match (self.format, self.layout) {
            (_, Layout::ValuesOnly) => {
                records.copy_rest(&mut io::sink())?;
                let mut rec = Record { number: 0, line: 0, texts: vec![String::new()], body: Body::Line };
                return self.record(&mut rec, values);
            }
            (Format::Lines, _) => {
                self.plain_values(values)?;
                self.out.write_all(b"\t")?;
                records.copy_rest(&mut self.out)?;
            }
            (Format::Json, _) => records.copy_rest(&mut self.out)?,
            (Format::Delimited { delimiter, .. }, _) => {
                records.copy_rest(&mut self.out)?;
                for v in values {
                    self.out.write_all(&[delimiter])?;
                    self.out.write_all(cell(*v).as_bytes())?;
                }
            }
        }
        self.out.write_all(b"\n")
    }

    /// After a record's lines: flushes when line-buffered.
    pub fn end_record(&mut self) -> io::Result<()> {
        if self.line_buffered {
            self.out.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes `n` in decimal: the formatting machinery of `write!` was a fiftieth of the clusterer's instructions.
fn write_decimal(out: &mut impl Write, mut n: u64) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_all(&digits[at..])
}

/// A value in a delimited field.
fn cell(v: Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Score(x) => format!("{x:.3}"),
        Value::List(items) => items.join(" ; "),
        Value::None => String::new(),
    }
}

fn json(v: Value) -> serde_json::Value {
    match v {
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::Int(n) => serde_json::Value::from(n),
        Value::Score(x) => serde_json::Number::from_f64((x * 1000.0).round() / 1000.0)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::List(items) => serde_json::Value::from(items.to_vec()),
        Value::None => serde_json::Value::Null,
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn json_io(e: serde_json::Error) -> io::Error {
    io::Error::from(e)
}

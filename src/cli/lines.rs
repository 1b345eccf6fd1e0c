//! `bibkey key`, `romanize` and `naco`: one result per record.

use std::io;

use super::input::{Column, Format, InputArgs, Item, Records, Text, Want};
use super::output::{Layout, Output, Value};

/// What a command makes of one text: its result and, for `key --readings`, a list.
#[derive(Default)]
pub struct Made {
    pub text: String,
    pub list: Vec<String>,
}

/// The column `--column` names, by default the first (a JSON field must be named).
pub fn main_column(args: &InputArgs, format: Format) -> io::Result<Column> {
    match (&args.column, format) {
        (Some(c), _) => Column::parse(c, format, args.header),
        (None, Format::Json) => Err(super::input::usage("--json needs --field NAME: the field to read")),
        (None, _) => Ok(Column::Number(1)),
    }
}

/// Reads every record of `args`' inputs and writes it with what `f` makes of its text. `names` are the names of
/// the output columns (one, or two when `f` gives a list).
pub fn run(args: &InputArgs, names: &[&'static str], mut f: impl FnMut(&str, &mut Made)) -> io::Result<()> {
    let format = args.format(false)?;
    let column = main_column(args, format)?;
    let mut records = Records::new(args, format, vec![Want { column, required: true, fallback: None }])?;
    let layout = if format == Format::Lines { Layout::ValuesOnly } else { Layout::Append };
    let line_buffered = args.line_buffered();
    let mut out = Output::new(format, layout, names, args.header, line_buffered);
    let mut made = Made::default();
    let with_list = names.len() > 1;
    let none = vec![Value::None; names.len()];
    let result = (|| -> io::Result<()> {
        if format == Format::Lines {
            // Plain lines: each line's text straight from the reader's buffer to `f`, as many as the buffer holds
            // at a time when they are valid UTF-8.
            loop {
                if let Some(block) = records.next_block()? {
                    // Lines are short: a plain byte loop finds their ends faster than `split` (memchr) does.
                    let bytes = block.as_bytes();
                    let mut start = 0;
                    while start < bytes.len() {
                        let mut end = start;
                        while end < bytes.len() && bytes[end] != b'\n' {
                            end += 1;
                        }
                        let line = &block[start..end];
                        start = end + 1;
                        let line = line.strip_suffix('\r').unwrap_or(line);
                        if with_list {
                            made.text.clear();
                            made.list.clear();
                            f(line, &mut made);
                            out.plain_line(&made.text, Some(&made.list))?;
                            out.end_record()?;
                        } else {
                            // The results pile up in `made.text` (`f` appends) and are written 64 KiB at a
                            // time: a tenth fewer instructions than a write per line.
                            f(line, &mut made);
                            made.text.push('\n');
                            if line_buffered || made.text.len() >= 1 << 16 {
                                out.raw(made.text.as_bytes())?;
                                made.text.clear();
                                out.end_record()?;
                            }
                        }
                    }
                    continue;
                }
                // The lines before this one are written first (before an error, too).
                out.raw(made.text.as_bytes())?;
                made.text.clear();
                let Some(text) = records.next_text()? else { break };
                match text {
                    Text::Line(text) => {
                        made.text.clear();
                        made.list.clear();
                        f(&text, &mut made);
                        out.plain_line(&made.text, with_list.then_some(&made.list[..]))?;
                        made.text.clear();
                    }
                    Text::Overlong => out.overlong(&mut records, &none)?,
                }
                out.end_record()?;
            }
            return Ok(());
        }
        while let Some(item) = records.next()? {
            out.header(&records)?;
            match item {
                Item::Record(mut rec) => {
                    made.text.clear();
                    made.list.clear();
                    let values: Vec<Value> = if rec.is_read() {
                        f(&rec.texts[0], &mut made);
                        if with_list {
                            vec![Value::Str(&made.text), Value::List(&made.list)]
                        } else {
                            vec![Value::Str(&made.text)]
                        }
                    } else {
                        vec![Value::None; names.len()]
                    };
                    out.record(&mut rec, &values)?;
                }
                Item::Overlong { .. } => out.overlong(&mut records, &none)?,
            }
            out.end_record()?;
        }
        out.header(&records)
    })();
    // The lines before an error are written before it is reported.
    let flushed = out.flush();
    result?;
    flushed?;
    records.report();
    Ok(())
}

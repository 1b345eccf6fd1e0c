//! `bibkey key`, `romanize` and `naco`: one result per record.

use std::io;

use super::input::{Column, Format, InputArgs, Item, Records, Want};
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
    let mut out = Output::new(format, layout, names, args.header, args.line_buffered());
    let mut made = Made::default();
    let with_list = names.len() > 1;
    let result = (|| -> io::Result<()> {
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
                Item::Overlong { .. } => out.overlong(&mut records, &vec![Value::None; names.len()])?,
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

//! ISO 2709 (MARC 21 "binary") records: leader, directory, fields.
//!
//! A record is read up to its record terminator (0x1D), which is what lets the reader go on after a damaged
//! record: the next one starts after that byte whatever the damaged leader or directory said.

use super::marc8::Marc8;
use super::{ControlField, Field, Record, RecordError, RecordErrorKind as Kind, Subfield};

const RECORD_END: u8 = 0x1D;
const FIELD_END: u8 = 0x1E;
const SUBFIELD: u8 = 0x1F;

pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    number: u64,
    done: bool,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0, number: 0, done: false }
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Record, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // Line breaks between records (files written one record a line) are not part of any record.
        while self.pos < self.data.len() && matches!(self.data[self.pos], b'\n' | b'\r') {
            self.pos += 1;
        }
        if self.pos >= self.data.len() {
            self.done = true;
            return None;
        }
        self.number += 1;
        let start = self.pos;
        let rest = &self.data[start..];
        let Some(end) = rest.iter().position(|&b| b == RECORD_END) else {
            self.done = true;
            return Some(Err(RecordError::new(
                self.number,
                start as u64,
                Kind::Length,
                format!("the file ends {} bytes into the record, with no record terminator (0x1D)", rest.len()),
            )
            .fatal()));
        };
        let bytes = &rest[..=end];
        self.pos = start + end + 1;
        Some(parse(bytes, self.number, start as u64))
    }
}

/// A number of ASCII digits, or None.
fn digits(b: &[u8]) -> Option<usize> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, &d| n * 10 + usize::from(d - b'0')))
}

#[derive(Clone, Copy)]
enum Coding {
    Utf8,
    Marc8,
}

/// Parses one record (`bytes` ends with its 0x1D), `at` being its offset in the file.
pub(crate) fn parse(bytes: &[u8], number: u64, at: u64) -> Result<Record, RecordError> {
    let err = |off: usize, kind: Kind, reason: String| RecordError::new(number, at + off as u64, kind, reason);
    if bytes.len() < 24 {
        return Err(err(0, Kind::Leader, format!("{} bytes: shorter than the 24-byte leader", bytes.len())));
    }
    let leader = &bytes[..24];
    if let Some(i) = leader.iter().position(|b| !(0x20..0x7F).contains(b)) {
        return Err(err(i, Kind::Leader, format!("leader/{i:02} is byte 0x{:02X}, not ASCII", leader[i])));
    }
    let Some(length) = digits(&leader[0..5]) else {
        return Err(err(0, Kind::Leader, format!("record length {:?} is not five digits", ascii(&leader[0..5]))));
    };
    if length != bytes.len() {
        return Err(err(
            0,
            Kind::Length,
            format!("the leader gives {length} bytes but the record terminator comes after {}", bytes.len()),
        ));
    }
    let coding = match leader[9] {
        b'a' => Coding::Utf8,
        b' ' => Coding::Marc8,
        c => {
            return Err(err(
                9,
                Kind::Leader,
                format!("leader/09 (character coding) is {:?}: neither blank (MARC-8) nor a (UTF-8)", c as char),
            ))
        }
    };
    let Some(base) = digits(&leader[12..17]) else {
        return Err(err(12, Kind::Leader, format!("base address {:?} is not five digits", ascii(&leader[12..17]))));
    };
    if base < 25 || base > bytes.len() - 1 {
        return Err(err(
            12,
            Kind::Leader,
            format!("base address {base} is outside the record (25..{})", bytes.len() - 1),
        ));
    }
    // The entry map (leader/20-21): lengths of the length and start fields of a directory entry; usually 4 and 5.
    let len_len = digits(&leader[20..21]).filter(|&n| n > 0).unwrap_or(4);
    let start_len = digits(&leader[21..22]).filter(|&n| n > 0).unwrap_or(5);
    let entry = 3 + len_len + start_len;
    if bytes[base - 1] != FIELD_END {
        return Err(err(
            base - 1,
            Kind::Directory,
            "the directory does not end with a field terminator (0x1E) where the base address says".into(),
        ));
    }
    let directory = &bytes[24..base - 1];
    if directory.len() % entry != 0 {
        return Err(err(
            24,
            Kind::Directory,
            format!("the directory is {} bytes, not a multiple of the {entry}-byte entry", directory.len()),
        ));
    }
    let mut record = Record {
        number,
        offset: at,
        leader: ascii(leader),
        control: Vec::new(),
        fields: Vec::with_capacity(directory.len() / entry),
    };
    for (k, e) in directory.chunks_exact(entry).enumerate() {
        let eoff = 24 + k * entry;
        let tag = &e[..3];
        if !tag.iter().all(u8::is_ascii_alphanumeric) {
            return Err(err(
                eoff,
                Kind::Directory,
                format!("entry {}: tag {:?} is not three letters or digits", k + 1, ascii(tag)),
            ));
        }
        let tag = ascii(tag);
        let (Some(flen), Some(fstart)) = (digits(&e[3..3 + len_len]), digits(&e[3 + len_len..])) else {
            return Err(err(eoff, Kind::Directory, format!("entry {} ({tag}): length or start is not digits", k + 1)));
        };
        let from = base + fstart;
        let to = from + flen;
        if flen == 0 || to > bytes.len() - 1 {
            return Err(err(
                eoff,
                Kind::Directory,
                format!("entry {} ({tag}): field of {flen} bytes at {fstart} runs past the end of the record", k + 1),
            ));
        }
        let data = &bytes[from..to];
        if data[flen - 1] != FIELD_END {
            return Err(err(to - 1, Kind::Field, format!("field {tag} does not end with a field terminator (0x1E)")));
        }
        let data = &data[..flen - 1];
        // Designations start over with each field.
        let mut marc8 = Marc8::new();
        if tag.starts_with("00") {
            let mut value = String::new();
            decode(coding, &mut marc8, data, &mut value)
                .map_err(|(i, why)| err(from + i, Kind::Encoding, format!("field {tag}: {why}")))?;
            record.control.push(ControlField { tag, value });
            continue;
        }
        if data.len() < 2 {
            return Err(err(from, Kind::Field, format!("field {tag} is too short for its two indicators")));
        }
        let (ind1, ind2) = (data[0], data[1]);
        if !ind1.is_ascii() || !ind2.is_ascii() || ind1 < 0x20 || ind2 < 0x20 {
            return Err(err(from, Kind::Field, format!("field {tag}: indicators are not ASCII characters")));
        }
        let body = &data[2..];
        let mut field = Field { tag: tag.clone(), ind1: ind1 as char, ind2: ind2 as char, subfields: Vec::new() };
        if !body.is_empty() {
            if body[0] != SUBFIELD {
                return Err(err(
                    from + 2,
                    Kind::Field,
                    format!("field {tag}: data after the indicators does not start with a subfield delimiter (0x1F)"),
                ));
            }
            let mut off = from + 3;
            for sub in body[1..].split(|&b| b == SUBFIELD) {
                let Some((&code, value)) = sub.split_first() else {
                    return Err(err(off, Kind::Field, format!("field {tag}: empty subfield (no code)")));
                };
                if !code.is_ascii_graphic() {
                    return Err(err(
                        off,
                        Kind::Field,
                        format!("field {tag}: subfield code 0x{code:02X} is not a letter or digit"),
                    ));
                }
                let mut text = String::with_capacity(value.len());
                decode(coding, &mut marc8, value, &mut text).map_err(|(i, why)| {
                    err(off + 1 + i, Kind::Encoding, format!("field {tag} ${}: {why}", code as char))
                })?;
                field.subfields.push(Subfield { code: code as char, value: text });
                off += sub.len() + 1;
            }
        }
        record.fields.push(field);
    }
    Ok(record)
}

fn ascii(b: &[u8]) -> String {
    b.iter().map(|&c| if c.is_ascii() { c as char } else { '\u{FFFD}' }).collect()
}

/// Decodes field data; on error, the index of the bad byte and why.
fn decode(coding: Coding, marc8: &mut Marc8, data: &[u8], out: &mut String) -> Result<(), (usize, String)> {
    if let Some(i) = data.iter().position(|&b| b < 0x20 && b != 0x1B) {
        return Err((i, format!("control character 0x{:02X} in the data", data[i])));
    }
    match coding {
        Coding::Utf8 => match std::str::from_utf8(data) {
            Ok(s) => {
                out.push_str(s);
                Ok(())
            }
            Err(e) => Err((e.valid_up_to(), "invalid UTF-8 (leader/09 says UTF-8)".to_string())),
        },
        Coding::Marc8 => marc8.decode(data, out).map_err(|e| (e.at, format!("MARC-8: {}", e.reason))),
    }
}

/// ISO 2709 in UTF-8 (see [`super::to_iso2709`]).
pub(crate) fn write(record: &Record) -> Result<Vec<u8>, String> {
    let mut directory = Vec::new();
    let mut data = Vec::new();
    let entry = |tag: &str, body: &[u8], directory: &mut Vec<u8>, data: &mut Vec<u8>| -> Result<(), String> {
        // The reader takes only three letters or digits as a tag.
        if tag.len() != 3 || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("tag {tag:?} is not three letters or digits"));
        }
        let len = body.len() + 1;
        if len > 9999 {
            return Err(format!("field {tag} is {len} bytes: over 9,999"));
        }
        directory.extend_from_slice(format!("{tag}{len:04}{:05}", data.len()).as_bytes());
        data.extend_from_slice(body);
        data.push(FIELD_END);
        Ok(())
    };
    // The delimiters and the other control characters that `decode` rejects cannot be written: the record would not
    // read back (or would read back as other fields).
    let clean = |tag: &str, what: &str, value: &str| match value.bytes().find(|&b| b < 0x20 && b != 0x1B) {
        Some(b) => Err(format!("field {tag}{what}: control character 0x{b:02X} cannot be written")),
        None => Ok(()),
    };
    // ISO 2709 tells a control field from a data field by its tag alone (`parse`: 00X tags are control fields), so
    // a field whose tag says otherwise (a MARCXML `controlfield` tagged 044) would read back as the other kind.
    for c in &record.control {
        if !c.tag.starts_with("00") {
            return Err(format!("control field {}: only tags 001-009 are control fields in ISO 2709", c.tag));
        }
        clean(&c.tag, "", &c.value)?;
        entry(&c.tag, c.value.as_bytes(), &mut directory, &mut data)?;
    }
    let mut body = Vec::new();
    for f in &record.fields {
        body.clear();
        let mut b = [0u8; 4];
        body.extend_from_slice(f.ind1.encode_utf8(&mut b).as_bytes());
        body.extend_from_slice(f.ind2.encode_utf8(&mut b).as_bytes());
        if f.tag.starts_with("00") {
            return Err(format!("data field {}: tags 001-009 are control fields in ISO 2709", f.tag));
        }
        if [f.ind1, f.ind2].iter().chain(f.subfields.iter().map(|s| &s.code)).any(|c| c.is_ascii_control()) {
            return Err(format!("field {}: a control character as an indicator or subfield code", f.tag));
        }
        for s in &f.subfields {
            clean(&f.tag, &format!(" ${}", s.code), &s.value)?;
            body.push(SUBFIELD);
            body.extend_from_slice(s.code.encode_utf8(&mut b).as_bytes());
            body.extend_from_slice(s.value.as_bytes());
        }
        entry(&f.tag, &body, &mut directory, &mut data)?;
    }
    let base = 24 + directory.len() + 1;
    let total = base + data.len() + 1;
    if total > 99_999 {
        return Err(format!("record is {total} bytes: over 99,999"));
    }
    let mut leader: Vec<u8> = record.leader.bytes().collect();
    leader.resize(24, b' ');
    leader[0..5].copy_from_slice(format!("{total:05}").as_bytes());
    leader[9] = b'a';
    leader[10] = b'2';
    leader[11] = b'2';
    leader[12..17].copy_from_slice(format!("{base:05}").as_bytes());
    leader[20..24].copy_from_slice(b"4500");
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&leader);
    out.extend_from_slice(&directory);
    out.push(FIELD_END);
    out.extend_from_slice(&data);
    out.push(RECORD_END);
    Ok(out)
}

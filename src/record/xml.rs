//! MARCXML (the MARC 21 slim schema): `record` elements holding `leader`, `controlfield`, `datafield` and
//! `subfield`, with or without a namespace prefix. The text is UTF-8 whatever leader/09 says.
//!
//! A record that is well-formed XML but not a valid MARC record (a leader that is not 24 characters, a tag that
//! is not three, a missing attribute) gives an error for that record, and reading goes on at the next one. XML
//! that is not well-formed ends the reading: after it there is no reliable next record.

use quick_xml::events::{BytesStart, Event};

use super::{ControlField, Field, Record, RecordError, RecordErrorKind as Kind, Subfield};

/// Which element's text is being collected.
enum Capture {
    None,
    Leader,
    Control(String),
    Subfield(char),
}

pub(crate) struct Reader<'a> {
    xml: quick_xml::Reader<&'a [u8]>,
    number: u64,
    done: bool,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        let mut xml = quick_xml::Reader::from_reader(data);
        xml.config_mut().check_end_names = true;
        Reader { xml, number: 0, done: false }
    }

    fn attr(&self, e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
        match e.try_get_attribute(name) {
            Ok(Some(a)) => a.unescape_value().map(|v| Some(v.into_owned())).map_err(|e| e.to_string()),
            Ok(None) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The record being read and the first problem found in it.
struct Current {
    record: Record,
    field: Option<Field>,
    capture: Capture,
    text: String,
    error: Option<RecordError>,
}

impl Iterator for Reader<'_> {
    type Item = Result<Record, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut cur: Option<Current> = None;
        loop {
            let at = self.xml.buffer_position();
            let event = match self.xml.read_event() {
                Ok(e) => e,
                Err(e) => {
                    self.done = true;
                    let number = if cur.is_some() { self.number } else { self.number + 1 };
                    let err = RecordError::new(number, self.xml.error_position(), Kind::Xml, e.to_string());
                    return Some(Err(err.fatal()));
                }
            };
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"record" => {
                    if cur.is_some() {
                        self.done = true;
                        let e = RecordError::new(self.number, at, Kind::Xml, "a record inside a record");
                        return Some(Err(e.fatal()));
                    }
                    self.number += 1;
                    let record = Record {
                        number: self.number,
                        offset: at,
                        leader: String::new(),
                        control: Vec::new(),
                        fields: Vec::new(),
                    };
                    let c = Current { record, field: None, capture: Capture::None, text: String::new(), error: None };
                    if empty {
                        return Some(finish(c, self.number, at));
                    }
                    cur = Some(c);
                }
                Event::Start(e) | Event::Empty(e) => {
                    let Some(c) = cur.as_mut() else { continue };
                    let name = e.local_name();
                    let problem = |c: &mut Current, kind: Kind, why: String| {
                        if c.error.is_none() {
                            c.error = Some(RecordError::new(c.record.number, at, kind, why));
                        }
                    };
                    match name.as_ref() {
                        b"leader" => c.capture = Capture::Leader,
                        b"controlfield" => match self.attr(&e, "tag") {
                            // The same test as for a datafield's tag (and the ISO 2709 reader's).
                            Ok(Some(tag)) if tag.len() != 3 || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                                problem(
                                    c,
                                    Kind::Field,
                                    format!("controlfield tag {tag:?} is not three letters or digits"),
                                )
                            }
                            Ok(Some(tag)) => c.capture = Capture::Control(tag),
                            Ok(None) => problem(c, Kind::Field, "controlfield without a tag attribute".into()),
                            Err(why) => problem(c, Kind::Xml, why),
                        },
                        b"datafield" => {
                            let tag = self.attr(&e, "tag");
                            let ind1 = self.attr(&e, "ind1");
                            let ind2 = self.attr(&e, "ind2");
                            match (tag, ind1, ind2) {
                                (Ok(Some(tag)), Ok(i1), Ok(i2)) => {
                                    if tag.len() != 3 || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
                                        problem(
                                            c,
                                            Kind::Field,
                                            format!("datafield tag {tag:?} is not three letters or digits"),
                                        );
                                    }
                                    let ind = |i: Option<String>| -> Result<char, String> {
                                        let i = i.unwrap_or_default();
                                        let mut chars = i.chars();
                                        match (chars.next(), chars.next()) {
                                            (None, _) => Ok(' '),
                                            (Some(ch), None) => Ok(ch),
                                            _ => Err(format!("datafield {tag}: indicator {i:?} is not one character")),
                                        }
                                    };
                                    match (ind(i1), ind(i2)) {
                                        (Ok(ind1), Ok(ind2)) => {
                                            c.field = Some(Field { tag, ind1, ind2, subfields: Vec::new() });
                                        }
                                        (Err(why), _) | (_, Err(why)) => problem(c, Kind::Field, why),
                                    }
                                }
                                (Ok(None), _, _) => problem(c, Kind::Field, "datafield without a tag attribute".into()),
                                (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => problem(c, Kind::Xml, why),
                            }
                            if empty {
                                if let Some(f) = c.field.take() {
                                    c.record.fields.push(f);
                                }
                            }
                            continue;
                        }
                        b"subfield" => match self.attr(&e, "code") {
                            Ok(Some(code)) => {
                                let mut chars = code.chars();
                                match (chars.next(), chars.next()) {
                                    (Some(ch), None) => c.capture = Capture::Subfield(ch),
                                    _ => {
                                        problem(c, Kind::Field, format!("subfield code {code:?} is not one character"))
                                    }
                                }
                            }
                            Ok(None) => problem(c, Kind::Field, "subfield without a code attribute".into()),
                            Err(why) => problem(c, Kind::Xml, why),
                        },
                        _ => {}
                    }
                    c.text.clear();
                    if empty {
                        end_element(c, name.as_ref(), at);
                    }
                }
                Event::Text(t) => {
                    if let Some(c) = cur.as_mut() {
                        if !matches!(c.capture, Capture::None) {
                            match t.unescape() {
                                Ok(s) => match control_char(&s) {
                                    None => c.text.push_str(&s),
                                    // The offset of the character in the file when it is there as it is, else (a
                                    // character reference) the start of the text.
                                    Some(b) if c.error.is_none() => {
                                        let i = t.iter().position(|&x| x == b).unwrap_or(0);
                                        c.error = Some(RecordError::new(
                                            c.record.number,
                                            at + i as u64,
                                            Kind::Encoding,
                                            control_reason(b),
                                        ));
                                    }
                                    Some(_) => {}
                                },
                                Err(e) => {
                                    if c.error.is_none() {
                                        c.error =
                                            Some(RecordError::new(c.record.number, at, Kind::Encoding, e.to_string()));
                                    }
                                }
                            }
                        }
                    }
                }
                Event::CData(t) => {
                    if let Some(c) = cur.as_mut() {
                        match std::str::from_utf8(&t) {
                            Ok(s) => match control_char(s) {
                                None => c.text.push_str(s),
                                Some(b) if c.error.is_none() => {
                                    let i = t.iter().position(|&x| x == b).unwrap_or(0);
                                    let off = at + 9 + i as u64;
                                    c.error =
                                        Some(RecordError::new(c.record.number, off, Kind::Encoding, control_reason(b)));
                                }
                                Some(_) => {}
                            },
                            Err(e) => {
                                if c.error.is_none() {
                                    let off = at + 9 + e.valid_up_to() as u64;
                                    c.error =
                                        Some(RecordError::new(c.record.number, off, Kind::Encoding, "invalid UTF-8"));
                                }
                            }
                        }
                    }
                }
                Event::End(e) => {
                    let Some(c) = cur.as_mut() else { continue };
                    let name = e.local_name();
                    if name.as_ref() == b"record" {
                        let c = cur.take()?;
                        let offset = c.record.offset;
                        return Some(finish(c, self.number, offset));
                    }
                    end_element(c, name.as_ref(), at);
                }
                Event::Eof => {
                    self.done = true;
                    return cur.map(|c| {
                        Err(RecordError::new(c.record.number, at, Kind::Length, "the file ends inside the record")
                            .fatal())
                    });
                }
                _ => {}
            }
        }
    }
}

/// The first control character of `s` that XML 1.0 does not allow (all of C0 but tab, line feed and carriage
/// return). The ISO 2709 reader rejects the same characters in field data, where 0x1D–0x1F are the delimiters: a
/// record must not read from MARCXML with what it could not hold as ISO 2709.
fn control_char(s: &str) -> Option<u8> {
    s.bytes().find(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

fn control_reason(b: u8) -> String {
    format!("control character 0x{b:02X} in the text (XML 1.0 does not allow it)")
}

fn end_element(c: &mut Current, name: &[u8], at: u64) {
    let text = std::mem::take(&mut c.text);
    match (std::mem::replace(&mut c.capture, Capture::None), name) {
        (Capture::Leader, b"leader") => c.record.leader = text,
        (Capture::Control(tag), b"controlfield") => c.record.control.push(ControlField { tag, value: text }),
        (Capture::Subfield(code), b"subfield") => match c.field.as_mut() {
            Some(f) => f.subfields.push(Subfield { code, value: text }),
            None => {
                if c.error.is_none() {
                    c.error = Some(RecordError::new(c.record.number, at, Kind::Field, "subfield outside a datafield"));
                }
            }
        },
        (_, b"datafield") => {
            if let Some(f) = c.field.take() {
                c.record.fields.push(f);
            }
        }
        _ => {}
    }
}

fn finish(c: Current, number: u64, at: u64) -> Result<Record, RecordError> {
    if let Some(e) = c.error {
        return Err(e);
    }
    let n = c.record.leader.chars().count();
    if n != 24 {
        return Err(RecordError::new(number, at, Kind::Leader, format!("the leader is {n} characters, not 24")));
    }
    Ok(c.record)
}

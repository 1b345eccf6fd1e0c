//! MARC inputs found by fuzzing (fuzz/fuzz_targets/marc.rs), written here by hand.
#![cfg(feature = "marc")]

use bibkey::record::{read, to_iso2709, ControlField, Field, Record, RecordErrorKind, Subfield};

/// A MARCXML record whose subfield text holds a raw field terminator (0x1E). XML 1.0 allows no C0 control but tab,
/// line feed and carriage return, and the ISO 2709 reader rejects the same byte in field data; the MARCXML reader
/// used to accept it, and the record then could not be written as ISO 2709 and read back.
fn xml_with(text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<collection xmlns=\"http://www.loc.gov/MARC21/slim\"><record>\
         <leader>00000cam a2200000 a 4500</leader><controlfield tag=\"001\">x1</controlfield>\
         <datafield tag=\"260\" ind1=\" \" ind2=\" \"><subfield code=\"b\">{text}</subfield></datafield>\
         </record></collection>"
    )
}

#[test]
fn marcxml_control_characters_are_encoding_errors_at_their_offset() {
    let xml = xml_with("Tovarishchestvo zarubezhnykh\u{1e}pisatele\u{12d},");
    let at = xml.find('\u{1e}').unwrap() as u64;
    let got: Vec<_> = read(xml.as_bytes()).collect();
    assert_eq!(got.len(), 1);
    let e = got[0].as_ref().unwrap_err();
    assert_eq!(e.kind(), RecordErrorKind::Encoding);
    assert_eq!(e.record(), 1);
    assert_eq!(e.offset(), at);
    assert!(e.reason().contains("0x1E"), "{e}");
    // As a character reference too, and in CDATA.
    for text in ["a&#x1F;b", "<![CDATA[a\u{1d}b]]>"] {
        let r = read(xml_with(text).as_bytes()).next().unwrap();
        assert_eq!(r.map_err(|e| e.kind()).err(), Some(RecordErrorKind::Encoding), "{text}");
    }
    // Tab, line feed and carriage return stay allowed.
    let r = read(xml_with("a\tb\nc").as_bytes()).next().unwrap().unwrap();
    assert_eq!(r.fields[0].subfields[0].value, "a\tb\nc");
}

#[test]
fn the_writer_refuses_what_the_reader_would_reject() {
    let mut r = Record {
        number: 1,
        offset: 0,
        leader: "00000nam a2200000 i 4500".into(),
        control: vec![ControlField { tag: "001".into(), value: "x1".into() }],
        fields: vec![Field {
            tag: "245".into(),
            ind1: '1',
            ind2: '0',
            subfields: vec![Subfield { code: 'a', value: "Vo\u{1e}ĭna i mir".into() }],
        }],
    };
    let e = to_iso2709(&r).unwrap_err();
    assert!(e.contains("245 $a") && e.contains("0x1E"), "{e}");
    r.fields[0].subfields[0].value = "Voĭna i mir".into();
    r.fields[0].ind2 = '\u{1f}';
    assert!(to_iso2709(&r).is_err());
    r.fields[0].ind2 = '0';
    let back = read(&to_iso2709(&r).unwrap()).next().unwrap().unwrap();
    assert_eq!(back.fields, r.fields);
}

#[test]
fn the_writer_refuses_fields_whose_tag_says_the_other_kind() {
    // Found by fuzzing: a MARCXML controlfield tagged 044 read as a control field, was written as ISO 2709 and read
    // back as a data field (the ISO reader knows the kind from the tag only).
    let xml = "<record><leader>00000cam a2200000 a 4500</leader><controlfield tag=\"001\">x1</controlfield>\
               <controlfield tag=\"044\">ru</controlfield></record>";
    let r = read(xml.as_bytes()).next().unwrap().unwrap();
    let e = to_iso2709(&r).unwrap_err();
    assert!(e.contains("044"), "{e}");
    let mut r = Record { control: vec![], ..r };
    r.fields.push(Field { tag: "008".into(), ind1: ' ', ind2: ' ', subfields: vec![] });
    assert!(to_iso2709(&r).unwrap_err().contains("008"));
}

#[test]
fn controlfield_tags_are_three_letters_or_digits() {
    // Found by fuzzing: a controlfield tagged "00" + U+0011 was read, and written as ISO 2709 that did not read back.
    let xml =
        "<record><leader>00000cam a2200000 a 4500</leader><controlfield tag=\"00&#x11;\">x</controlfield></record>";
    let e = read(xml.as_bytes()).next().unwrap().unwrap_err();
    assert_eq!(e.kind(), RecordErrorKind::Field);
    assert!(e.reason().contains("controlfield tag"), "{e}");
    // Letters are tags too (exports carry FMT), and the writer refuses what the reader would.
    let xml = "<record><leader>00000cam a2200000 a 4500</leader><controlfield tag=\"FMT\">BK</controlfield></record>";
    assert!(read(xml.as_bytes()).next().unwrap().is_ok());
    let mut r = Record {
        number: 1,
        offset: 0,
        leader: "00000nam a2200000 i 4500".into(),
        control: vec![ControlField { tag: "00\u{11}".into(), value: "x".into() }],
        fields: vec![],
    };
    assert!(to_iso2709(&r).unwrap_err().contains("three letters or digits"));
    r.control[0].tag = "001".into();
    assert!(to_iso2709(&r).is_ok());
}

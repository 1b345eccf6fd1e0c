//! The MARC reader on any bytes (ISO 2709 and, when the first byte is `<`, MARCXML): no panic; errors name a record
//! and an offset within the data; a record read checks, keys and links without panicking; a record written back
//! with to_iso2709 reads back with the same fields.
#![no_main]

use bibkey::record::{check_record, key_rows, read, to_iso2709};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (i, r) in read(data).enumerate().take(100) {
        match r {
            Ok(rec) => {
                let _ = check_record(&rec);
                let _ = key_rows(&rec);
                let _ = rec.links();
                let _ = rec.lang();
                if let Ok(bytes) = to_iso2709(&rec) {
                    let back = read(&bytes).next();
                    match back {
                        Some(Ok(b)) => {
                            assert_eq!(b.fields, rec.fields, "record {i}");
                            assert_eq!(b.control, rec.control, "record {i}");
                        }
                        other => panic!("record {i} written back does not read: {other:?}"),
                    }
                }
            }
            Err(e) => {
                assert!(e.offset() <= data.len() as u64, "{e}");
                let _ = e.to_string();
            }
        }
    }
});

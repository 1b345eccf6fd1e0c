//! `bibkey key` reads its input through the CLI's one bounded line reader (src/cli/input.rs): these check that it
//! writes exactly one key per input line, as `key` gives it, whatever the line endings, buffer boundaries, line
//! lengths up to the 1 MiB limit and invalid bytes.

#[path = "common/cli.rs"]
mod cli;

fn run(input: &[u8], args: &[&str]) -> (Vec<u8>, String, i32) {
    let out = cli::bibkey(&[&["key"], args].concat(), input);
    (out.stdout, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap_or(-1))
}

/// What the line reader promises: the input split at `\n`, one `\r` stripped, one key per line.
fn expected(input: &str) -> String {
    let mut out = String::new();
    for line in input.split_terminator('\n') {
        out.push_str(bibkey::key(line.strip_suffix('\r').unwrap_or(line)).as_str());
        out.push('\n');
    }
    out
}

#[test]
fn one_key_per_line() {
    for input in ["", "\n", "\n\n", "Щукин", "Щукин\n", "Trotskii\r\nЩукин\nno newline at end", "a\n\nb\r\n\r\n", "\r"]
    {
        let (out, err, code) = run(input.as_bytes(), &[]);
        assert_eq!((String::from_utf8(out).unwrap(), err.as_str(), code), (expected(input), "", 0), "{input:?}");
    }
}

#[test]
fn lines_across_buffers() {
    // Many times the reader's buffer, with a line just under the 1 MiB limit in the middle.
    let mut input = String::new();
    for i in 0..60_000 {
        input.push_str(["Proletarskai͡a revoli͡ut͡sii͡a\n", "Щукин, Иван\r\n", "Trotzki\n", "\n"][i % 4]);
    }
    input.push_str(&"щи".repeat(262_143)); // 1,048,572 bytes
    input.push('\n');
    for i in 0..30_000 {
        input.push_str(["Bol’ sheviki\n", "Ŝukin\n"][i % 2]);
    }
    input.push_str("last");
    let (out, err, code) = run(input.as_bytes(), &[]);
    assert_eq!((err.as_str(), code), ("", 0));
    assert!(String::from_utf8(out).unwrap() == expected(&input));
}

#[test]
fn invalid_utf8_names_the_line_or_is_replaced() {
    let mut input = b"Moskva\n".repeat(200_000);
    input.extend_from_slice(b"ok \xd0\n");
    input.extend_from_slice(b"tail\n");
    let (out, err, code) = run(&input, &[]);
    assert_eq!(code, 1);
    assert_eq!(err.trim_end(), "bibkey: line 200001: invalid UTF-8 at byte 3 (use --lossy to replace it)");
    assert_eq!(String::from_utf8(out).unwrap(), "moskva\n".repeat(200_000));

    let (out, err, code) = run(&input, &["--lossy"]);
    let report = "bibkey: stdin: 1 line with invalid UTF-8: read with U+FFFD in its place (first: line 200001)\n";
    assert_eq!((err.as_str(), code), (report, 0));
    let lossy = String::from_utf8_lossy(&input).into_owned();
    assert_eq!(String::from_utf8(out).unwrap(), expected(&lossy));
}

#[test]
fn lines_over_the_limit() {
    // 1 MiB and one byte: an error naming the line, after the keys of the lines before it; with --lossy an empty
    // key, counted on stderr, and the next line keyed.
    let mut input = b"Moskva\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', (1 << 20) + 1));
    input.extend_from_slice(b"\r\nTrotzki\n");
    let (out, err, code) = run(&input, &[]);
    assert_eq!(code, 1);
    assert!(err.starts_with("bibkey: line 2: longer than 1 MiB"), "{err}");
    assert_eq!(String::from_utf8(out).unwrap(), "moskva\n");
    let (out, err, code) = run(&input, &["--lossy"]);
    assert_eq!(code, 0);
    assert!(err.contains("stdin: 1 line longer than 1 MiB"), "{err}");
    let want = format!("{}\n\n{}\n", bibkey::key("Moskva"), bibkey::key("Trotzki"));
    assert_eq!(String::from_utf8(out).unwrap(), want);
}

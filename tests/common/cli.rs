//! Runs the `bibkey` binary with arguments and stdin, for the CLI tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `bibkey ARGS` with `stdin` as its input and waits for it. The input is written from another thread, so a
/// tool that stops reading early (on an error) cannot deadlock the test; the broken pipe is expected then.
pub fn bibkey(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bibkey"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run bibkey");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    out
}

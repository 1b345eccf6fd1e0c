//! Test support shared by the unit tests: how many cases a property test runs.

use proptest::test_runner::Config;

/// `n` cases, or ten times as many when `BIBKEY_DEEP` is set (as `.ci/run` does): `cargo test` stays quick for
/// whoever runs it, and CI runs the deep version of the same properties.
pub(crate) fn cases(n: u32) -> Config {
    let deep = std::env::var_os("BIBKEY_DEEP").is_some_and(|v| !v.is_empty() && v != "0");
    Config::with_cases(if deep { n.saturating_mul(10) } else { n })
}

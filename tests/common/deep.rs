//! How many cases a property test runs: `n`, or ten times as many when `BIBKEY_DEEP` is set (as `.ci/run` does),
//! so `cargo test` stays quick and CI runs the deep version of the same properties. (The library's unit tests
//! have the same rule in src/testing.rs; integration tests cannot see that module.)

use proptest::test_runner::Config;

#[allow(dead_code)] // not every test file that includes this module uses both functions
pub fn cases(n: u32) -> Config {
    Config::with_cases(if deep() { n.saturating_mul(10) } else { n })
}

/// True when `BIBKEY_DEEP` asks for the deep runs.
#[allow(dead_code)]
pub fn deep() -> bool {
    std::env::var_os("BIBKEY_DEEP").is_some_and(|v| !v.is_empty() && v != "0")
}

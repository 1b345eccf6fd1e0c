//! Nothing here: this crate exists for its benchmarks (`benches/*.rs`, see Cargo.toml) and the `romanize_cpu`
//! example, which compare bibkey with the peer crates without making `cargo test` of bibkey compile them.

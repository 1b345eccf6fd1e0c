//! The built-in tables, embedded at compile time: the romanization tables (in the order `bibkey schemes` lists
//! them; `tests/tables.rs` checks that every `tables/*.tbl` file is listed, so a new table cannot be forgotten) and
//! the reading tables of `tables/readings/`.

macro_rules! tables {
    ($(#[$doc:meta])* $name:ident = $dir:literal [$($file:literal),* $(,)?]) => {
        $(#[$doc])*
        pub(crate) const $name: &[(&str, &str)] = &[$(($file, include_str!(concat!("../../tables/", $dir, $file)))),*];
    };
}

tables!(
    /// (file name, text) of every built-in romanization table.
    TABLES = "" [
    "ru-alalc.tbl",
    "ru-alalc-ascii.tbl",
    "ru-bgn-pcgn.tbl",
    "ru-iso9.tbl",
    "ru-gost-b.tbl",
    "ru-scholarly.tbl",
    "ru-icao.tbl",
    "ru-popular.tbl",
    "ru-de.tbl",
    "ru-fr.tbl",
    "uk-alalc.tbl",
    "be-alalc.tbl",
    "bg-alalc.tbl",
    "sr-alalc.tbl",
    "mk-alalc.tbl",
    "cyrillic-alalc.tbl",
    "uk-national.tbl",
    "be-national.tbl",
    "bg-streamlined.tbl",
    "sr-latin.tbl",
    "mk-latin.tbl",
    "be-bgn-pcgn.tbl",
    "mk-bgn-pcgn.tbl",
    "iso9.tbl",
    "uk-scholarly.tbl",
    "be-scholarly.tbl",
    "bg-scholarly.tbl",
]);

tables!(
    /// (file name, text) of every built-in reading table (`tables/readings/`, see `crate::key::readings`), in the
    /// order readings are made. `tests/readings.rs` checks that every file there is listed.
    READING_TABLES = "readings/" ["de.tbl", "de-voiced.tbl", "pl.tbl", "cs.tbl", "fr.tbl", "es.tbl"]
);

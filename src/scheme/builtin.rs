//! The built-in tables, embedded at compile time. The order here is the order `bibkey schemes` lists them in.
//! `tests/tables.rs` checks that every `tables/*.tbl` file is listed here, so a new table cannot be forgotten.

macro_rules! tables {
    ($($file:literal),* $(,)?) => {
        /// (file name, text) of every built-in table.
        pub(crate) const TABLES: &[(&str, &str)] = &[$(($file, include_str!(concat!("../../tables/", $file)))),*];
    };
}

tables!(
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
);

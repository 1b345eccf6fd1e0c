//! Synthetic MARC records for the `marc` bench and `examples/marc_gen.rs`: deterministic, varied titles and
//! names from a small word list, romanized with the crate's own ALA-LC table (speed only, not a correctness test).

use bibkey::record::{to_iso2709, ControlField, Field, Record, Subfield};
use bibkey::Scheme;

const WORDS: &[&str] = &[
    "история",
    "русской",
    "революции",
    "война",
    "мир",
    "записки",
    "жизнь",
    "стихотворения",
    "собрание",
    "сочинений",
    "письма",
    "дневник",
    "очерки",
    "литература",
    "искусство",
    "народ",
    "земля",
    "время",
    "город",
    "память",
    "поэзия",
    "проза",
    "статьи",
    "воспоминания",
    "театр",
    "музыка",
    "философия",
    "государство",
    "право",
    "наука",
];
const SURNAMES: &[&str] = &[
    "Толстой",
    "Достоевский",
    "Чехов",
    "Горький",
    "Цветаева",
    "Ахматова",
    "Булгаков",
    "Пастернак",
    "Бунин",
    "Щедрин",
    "Тургенев",
    "Гончаров",
    "Лесков",
    "Блок",
    "Есенин",
    "Маяковский",
    "Набоков",
    "Шолохов",
    "Платонов",
    "Зощенко",
];
const GIVEN: &[&str] = &["Лев", "Фёдор", "Антон", "Максим", "Марина", "Анна", "Михаил", "Борис", "Иван", "Юрий"];

fn pick<'a>(list: &[&'a str], seed: usize) -> &'a str {
    list[seed % list.len()]
}

fn field(tag: &str, subs: Vec<(char, String)>) -> Field {
    Field {
        tag: tag.into(),
        ind1: '1',
        ind2: '0',
        subfields: subs.into_iter().map(|(code, value)| Subfield { code, value }).collect(),
    }
}

/// Record number `i` as ISO 2709 bytes.
pub fn record(i: usize) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let alalc = Scheme::builtin("ru-alalc")?;
    let mut s = i.wrapping_mul(2654435761);
    let mut next = || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        s >> 33
    };
    let words = 2 + next() % 4;
    let mut title: Vec<&str> = (0..words).map(|_| pick(WORDS, next())).collect();
    let first = title[0].to_string();
    let cap: String = first.chars().take(1).flat_map(char::to_uppercase).chain(first.chars().skip(1)).collect();
    title[0] = &cap;
    let title = title.join(" ");
    let name = format!("{}, {}", pick(SURNAMES, next()), pick(GIVEN, next()));
    let added = format!("{}, {}", pick(SURNAMES, next()), pick(GIVEN, next()));
    let year = 1900 + next() % 120;
    let r = Record {
        number: 0,
        offset: 0,
        leader: "00000cam a2200000 i 4500".into(),
        control: vec![
            ControlField { tag: "001".into(), value: format!("syn{i:08}") },
            ControlField { tag: "008".into(), value: format!("000101s{year}    ru            000 1 rus d") },
        ],
        fields: vec![
            field("100", vec![('6', "880-01".into()), ('a', alalc.romanize(&name) + ","), ('d', "1880-1950.".into())]),
            field(
                "245",
                vec![('6', "880-02".into()), ('a', alalc.romanize(&title) + " /"), ('c', alalc.romanize(&name))],
            ),
            field("260", vec![('a', "Moskva :".into()), ('b', "Nauka,".into()), ('c', format!("{year}."))]),
            field("700", vec![('a', alalc.romanize(&added) + ".")]),
            field("880", vec![('6', "100-01/(N".into()), ('a', name.clone() + ","), ('d', "1880-1950.".into())]),
            field("880", vec![('6', "245-02/(N".into()), ('a', title + " /"), ('c', name)]),
        ],
    };
    Ok(to_iso2709(&r)?)
}

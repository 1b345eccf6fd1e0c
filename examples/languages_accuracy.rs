//! Writes the part of ACCURACY.md about Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian to stdout:
//!
//!     cargo run --release --example languages_accuracy >> ACCURACY.md
//!
//! (ACCURACY.md's first line gives the whole command.) Data and measures: tests/common/eval_lang.rs.
//! `cargo run --release --example languages_accuracy -- misses uk` lists the first misses of each tool instead.

#[path = "../tests/common/eval.rs"]
mod eval;
#[path = "../tests/common/eval_lang.rs"]
mod eval_lang;

use bibkey::Lang;

fn pct(x: f64) -> String {
    format!("{:.2} %", 100.0 * x)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("misses") {
        let lang = args.get(1).and_then(|c| Lang::from_code(c)).unwrap_or(Lang::Ukrainian);
        let r = eval_lang::evaluate(&eval_lang::load(lang));
        for t in &r.per_tool {
            println!("== {} ({}) {}", t.tool, t.standard, pct(t.hinted.rate()));
            for m in t.misses.iter().take(12) {
                println!("  {}\t{}\t{}\t{}", m.0, m.1, m.2, m.3);
            }
            println!("  -- no reading in common: {}", pct(t.readings.rate()));
            for m in t.reading_misses.iter().take(12) {
                println!("  {}\t{}", m.0, m.1);
            }
        }
        return;
    }
    println!("## Other Cyrillic languages\n");
    println!(
        "Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian items (lexicon words, personal and place names,"
    );
    println!(
        "a few titles), each romanized by every third-party tool that knows the language (tests/data/eval/<lang>/,"
    );
    println!("tests/data/eval/README.md). A form is reached when its key equals the key of its Cyrillic original read");
    println!("in the item's language (`key_as`, what a catalog that knows the record's language gets); without a hint");
    println!(
        "(`key`, which reads the language from its letters: ї є ґ, ў, ђ ћ ј љ њ џ, ѓ ќ ѕ); and when the two share a"
    );
    println!(
        "reading (`key::readings` on both sides, no hint). *Standard* tools are those tools.tsv names a published"
    );
    println!(
        "standard for; the targets (≥ 99 % recall per language) are about them. Collisions: distinct Cyrillic items"
    );
    println!("(lower case, one apostrophe) whose key is another item's (Russian: the Collisions section above).\n");
    println!("| language | items | standard tools: key with hint | no hint | readings, no hint | readings with hint | all tools: key with hint | readings, no hint | collisions with hint | without |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let reports: Vec<_> = eval_lang::LANGS.iter().map(|&l| eval_lang::evaluate(&eval_lang::load(l))).collect();
    for r in &reports {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.lang.name(),
            r.distinct_items,
            pct(r.standard[0].rate()),
            pct(r.standard[1].rate()),
            pct(r.standard[2].rate()),
            pct(r.standard[3].rate()),
            pct(r.all[0].rate()),
            pct(r.all[2].rate()),
            pct(r.collision_rate()),
            pct(r.collision_rate_auto()),
        );
    }
    println!();
    println!("Real-world spellings (tests/data/eval/<lang>/realworld.tsv, written by hand: famous people, places and");
    println!("titles in English, German, French, Polish and the language's own Latin spellings):\n");
    println!("| language | forms | key with hint | title/name key with hint | key, no hint | a reading in common | must-not-match pairs apart (with hint / without / no common reading) |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    let rws: Vec<_> = eval_lang::LANGS.iter().map(|&l| (l, eval_lang::realworld(l))).collect();
    for (l, rw) in &rws {
        let apart = |i: usize| rw.distinct.iter().filter(|d| d.2[i]).count();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} / {} / {} of {} |",
            l.name(),
            rw.forms.len(),
            pct(rw.reach(0)),
            pct(rw.reach(1)),
            pct(rw.reach(2)),
            pct(rw.reach(3)),
            apart(0),
            apart(1),
            apart(2),
            rw.distinct.len()
        );
    }
    let (with, without) = russian_links();
    println!(
        "\nWhat the other languages' readings cost Russian: over the Russian evaluation's romanized forms, {} share a \
         reading with a different Russian item when Russian Cyrillic also gets its Ukrainian, Belarusian, Bulgarian, \
         Serbian and Macedonian readings (`key::readings`, no hint), against {} with the Russian reading alone \
         (`KeyKind::readings_as(text, Lang::Russian)`); the keys themselves are unchanged. A Russian catalog that \
         knows its language passes the hint and pays nothing.",
        with, without
    );
    for r in &reports {
        println!("\n### {}\n", r.lang.name());
        println!("| tool | standard | key with hint | no hint | readings, no hint | readings with hint |");
        println!("|---|---|---:|---:|---:|---:|");
        for t in &r.per_tool {
            println!(
                "| `{}` | {} | {} | {} | {} | {} |",
                t.tool,
                if t.standard.is_empty() { "—" } else { &t.standard },
                pct(t.hinted.rate()),
                pct(t.auto.rate()),
                pct(t.readings.rate()),
                pct(t.hinted_readings.rate())
            );
        }
        let examples: Vec<String> = r.collision_examples.iter().take(8).map(|g| g.join(" = ")).collect();
        let (forced, avoidable) = eval_lang::forced_collisions(&eval_lang::load(r.lang), r);
        println!(
            "\nCollisions with the hint: {} of {} items ({forced} forced: a standard tool writes them alike; \
             {avoidable} avoidable). Examples: {}.",
            r.colliding_items,
            r.distinct_items,
            if examples.is_empty() { "none".to_string() } else { examples.join("; ") }
        );
        println!(
            "Readings: {} of {} standard-tool forms have a reading other than their key; {} of them have a reading that is \
             the key of a different item{}.",
            r.with_extra,
            r.standard[0].total,
            r.false_links,
            if r.false_link_examples.is_empty() {
                String::new()
            } else {
                format!(
                    " (e.g. {})",
                    r.false_link_examples
                        .iter()
                        .take(4)
                        .map(|(f, a, b)| format!("`{f}` of {a} reads as {b}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
        let (_, rw) = rws.iter().find(|(l, _)| *l == r.lang).expect("every language has real-world data");
        let missed: Vec<String> =
            rw.forms.iter().filter(|f| !f.4[3] && !f.4[1]).take(12).map(|f| format!("{} ≠ {}", f.0, f.3)).collect();
        println!(
            "Real-world forms reached neither by key of their kind nor by a reading: {}.",
            if missed.is_empty() { "none".to_string() } else { missed.join(", ") }
        );
        let kept: Vec<String> = rw.distinct.iter().filter(|d| !d.2[0]).map(|d| d.0.clone()).collect();
        if !kept.is_empty() {
            println!("Must-not-match pairs that share a key with the hint: {}.", kept.join(", "));
        }
    }
}

/// Romanized forms of the Russian evaluation that share a reading with a Russian item other than their own:
/// (with every language's readings of the Cyrillic, with the Russian reading only).
fn russian_links() -> (String, String) {
    use std::collections::HashMap;
    let items = eval::load_items();
    let count = |hint: bool| {
        let mut by_reading: HashMap<String, Vec<usize>> = HashMap::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut item_of = Vec::new();
        for (_, cyr, _) in &items.rows {
            let next = ids.len();
            let id = *ids.entry(eval::item_identity(cyr)).or_insert(next);
            item_of.push(id);
            if id != next {
                continue;
            }
            let r =
                if hint { bibkey::KeyKind::Text.readings_as(cyr, Lang::Russian) } else { bibkey::key::readings(cyr) };
            for k in r {
                by_reading.entry(k.into_string()).or_default().push(id);
            }
        }
        let (mut linked, mut total) = (0usize, 0usize);
        for ((_, _, forms), &own) in items.rows.iter().zip(&item_of) {
            for (tool, form) in items.tools.iter().zip(forms) {
                if form.is_empty() || eval::NOT_RUSSIAN.contains(&tool.as_str()) {
                    continue;
                }
                total += 1;
                let other = bibkey::key::readings(form)
                    .iter()
                    .any(|k| by_reading.get(k.as_str()).is_some_and(|v| v.iter().any(|&i| i != own)));
                linked += other as usize;
            }
        }
        format!("{linked} of {total} ({})", pct(linked as f64 / total.max(1) as f64))
    };
    (count(false), count(true))
}

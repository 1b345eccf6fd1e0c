//! Accuracy floors: each figure of ACCURACY.md must not drop below a floor set just under the value measured when
//! the report was last written, so a regression in the key fails CI. Raise the floors when the key improves.

#[path = "common/eval.rs"]
mod eval;

/// (tool, floor on recall). Tools not listed must reach DEFAULT_FLOOR.
const TOOL_FLOORS: &[(&str, f64)] = &[
    ("iuliia:iso_9_1968_alt", 0.475),
    ("iuliia:mvd_310_fr", 0.72),
    ("iuliia:telegram", 0.93),
    ("iuliia:uz", 0.78),
    ("iuliia:gost_16876_alt", 0.975),
];
const DEFAULT_FLOOR: f64 = 0.995;

#[test]
fn recall_and_collision_floors() {
    let items = eval::load_items();
    let r = eval::evaluate(&items);
    assert!(r.overall.rate() >= 0.974, "overall recall {:.4}", r.overall.rate());
    for (tool, tally, misses) in &r.per_tool {
        let floor = TOOL_FLOORS.iter().find(|(t, _)| t == tool).map_or(DEFAULT_FLOOR, |f| f.1);
        assert!(
            tally.rate() >= floor,
            "{tool}: recall {:.4} < {floor}; e.g. {:?}",
            tally.rate(),
            &misses[..3.min(misses.len())]
        );
    }
    assert!(r.collision_rate() <= 0.0065, "collision rate {:.4}", r.collision_rate());
}

#[test]
fn realworld_floors() {
    let rw = eval::realworld();
    let reached = rw.forms.iter().filter(|f| f.4).count() as f64 / rw.forms.len() as f64;
    assert!(reached >= 0.867, "real-world reach {reached:.4}");
    // title_key and name_key, which titles and names go through in the index and the clusterer.
    let by_readings = rw.forms.iter().filter(|f| f.6).count() as f64 / rw.forms.len() as f64;
    assert!(by_readings >= 0.983, "real-world reach by readings {by_readings:.4}");
    let by_kind = rw.forms.iter().filter(|f| f.5).count() as f64 / rw.forms.len() as f64;
    assert!(by_kind >= 0.877, "real-world reach by title_key / name_key {by_kind:.4}");
    for (pair, apart, no_common_reading) in &rw.distinct {
        assert!(apart, "{pair} must keep different keys");
        assert!(no_common_reading, "{pair} must not share a reading");
    }
}

#[path = "common/eval_lang.rs"]
mod eval_lang;

/// Floors of the other languages (ACCURACY.md, "Other Cyrillic languages"): per language, the share of forms by
/// tools that follow a published standard that meet their original through readings with the language hint (the
/// target is 0.99; all are at 1.0), the key alone with the hint (short of the target where standards disagree on a
/// letter: Ukrainian г and и, Belarusian ў and х, Bulgarian ъ), collisions no worse than Russian's, the real-world
/// forms reached through readings, and every must-not-match pair apart.
#[test]
fn other_languages_floors() {
    use bibkey::Lang;
    // (language, key with hint, real-world forms sharing a reading)
    const FLOORS: [(Lang, f64, f64); 5] = [
        (Lang::Ukrainian, 0.815, 0.93),
        (Lang::Belarusian, 0.845, 0.78),
        (Lang::Bulgarian, 0.93, 0.96),
        (Lang::Serbian, 0.995, 0.96),
        (Lang::Macedonian, 0.995, 0.97),
    ];
    for (lang, key_floor, realworld_floor) in FLOORS {
        let r = eval_lang::evaluate(&eval_lang::load(lang));
        let name = lang.name();
        assert!(r.standard[3].rate() >= 0.995, "{name}: readings with hint {:.4}", r.standard[3].rate());
        assert!(r.standard[2].rate() >= 0.995, "{name}: readings without hint {:.4}", r.standard[2].rate());
        assert!(r.standard[0].rate() >= key_floor, "{name}: key with hint {:.4}", r.standard[0].rate());
        assert!(
            r.collision_rate() <= 0.006,
            "{name}: collisions {:.4}: {:?}",
            r.collision_rate(),
            r.collision_examples
        );
        let rw = eval_lang::realworld(lang);
        assert!(rw.reach(3) >= realworld_floor, "{name}: real-world reach by readings {:.4}", rw.reach(3));
        for (pair, _, apart) in &rw.distinct {
            assert!(apart.iter().all(|&a| a), "{name}: {pair} must stay apart: {apart:?}");
        }
    }
}

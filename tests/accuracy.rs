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

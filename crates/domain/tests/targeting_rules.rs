//! The targeting rules against the vectors the field app is tested with too
//! (vectors/targeting_rules.json), so the plan on a device and the server's reports agree.

use chrono::NaiveDate;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::targeting::{hcp_target, Cycle, CycleKind, HcpTarget};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Deserialize)]
struct Vectors {
    frequencies: Vec<Frequency>,
    targets: Vec<TargetCase>,
    cycles: Vec<CycleCase>,
}

#[derive(Deserialize)]
struct Frequency {
    product_id: Uuid,
    tier: Tier,
    calls: u32,
}

#[derive(Deserialize)]
struct Segment {
    product_id: Uuid,
    tier: Tier,
}

#[derive(Deserialize)]
struct TargetCase {
    name: String,
    segments: Vec<Segment>,
    expect: Option<HcpTarget>,
}

#[derive(Deserialize)]
struct CycleCase {
    kind: String,
    day: NaiveDate,
    expect: CycleExpect,
}

#[derive(Deserialize)]
struct CycleExpect {
    label: String,
    from: NaiveDate,
    to: NaiveDate,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../vectors/targeting_rules.json")).expect("vectors parse")
}

#[test]
fn hcp_targets_match_the_vectors() {
    let v = vectors();
    let frequencies: HashMap<(Uuid, Tier), u32> = v
        .frequencies
        .iter()
        .map(|f| ((f.product_id, f.tier), f.calls))
        .collect();
    for case in &v.targets {
        let segments: Vec<(Uuid, Tier)> = case
            .segments
            .iter()
            .map(|s| (s.product_id, s.tier))
            .collect();
        assert_eq!(
            hcp_target(&segments, &frequencies),
            case.expect,
            "{}",
            case.name
        );
    }
}

#[test]
fn cycles_match_the_vectors() {
    for case in vectors().cycles {
        let cycle = Cycle::of(CycleKind::parse(&case.kind).expect("kind"), case.day);
        assert_eq!(
            (cycle.label(), cycle.from, cycle.to),
            (case.expect.label.clone(), case.expect.from, case.expect.to),
            "{} {}",
            case.kind,
            case.day
        );
    }
}

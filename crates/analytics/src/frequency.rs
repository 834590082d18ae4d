//! Frequency tracking for a period (a plan cycle, or a month, quarter or year): calls
//! against each HCP's target, rolled up per tier and territory, with coverage and the
//! targets falling behind.

use chrono::NaiveDate;
use pharmacrm_domain::org::TerritoryRef;
use pharmacrm_domain::segment::Tier;
pub use pharmacrm_domain::targeting::Cycle;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// An HCP with a tier in a territory: a target of the period, with the calls it should get
/// in the period (see `pharmacrm_domain::targeting::hcp_target` and `Cycle::scaled_target`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetHcp {
    pub hcp_id: Uuid,
    pub name: String,
    pub territory_id: Uuid,
    pub tier: Tier,
    pub target: u32,
}

/// One attendance of an HCP at a call of the period, with the territory the call is
/// attributed to (the HCP's territory on the call's date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFact {
    pub hcp_id: Uuid,
    pub territory_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TierFrequency {
    pub tier: Tier,
    /// HCPs of this tier (the targets).
    pub hcps: u32,
    /// Σ target over the tier's HCPs.
    pub target_calls: u32,
    /// All calls on the tier's HCPs attributed to the territory.
    pub calls: u32,
    /// Σ min(calls, target) per HCP: extra calls on one HCP do not make up for another.
    pub calls_toward_target: u32,
    /// calls_toward_target / target_calls (1 when there is no target).
    pub adherence: f64,
    /// HCPs with at least one call.
    pub reached: u32,
    /// reached / hcps.
    pub coverage: f64,
}

/// A target behind plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Gap {
    pub hcp_id: Uuid,
    pub name: String,
    pub tier: Tier,
    pub target: u32,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TerritoryFrequency {
    pub territory: TerritoryRef,
    pub tiers: Vec<TierFrequency>,
    /// Targets behind plan, tier A first, the furthest behind first (at most 25).
    pub gaps: Vec<Gap>,
    pub gaps_total: u32,
    /// Every HCP attendance at a call attributed to this territory in the cycle, target or
    /// not (an HCP realigned away since keeps its calls here).
    pub calls_attributed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FrequencyReport {
    pub cycle: Cycle,
    pub days_left: i64,
    /// How every number was computed.
    pub method: String,
    pub territories: Vec<TerritoryFrequency>,
    /// All territories together, per tier.
    pub totals: Vec<TierFrequency>,
}

pub const METHOD: &str = "Targets are the HCPs aligned to each territory today with a tier for at least one product \
(their best tier counts). An HCP's target is the largest calls per plan cycle among its products' frequency targets \
(product x tier, from the targeting version in force), scaled to the period by its months over the plan cycle's months, \
rounded up. A call counts for an HCP when the HCP attended it and the call is attributed to the territory (the HCP's \
territory on the call's date), within the period. Adherence = Σ min(calls, target) / Σ target; coverage = HCPs with at \
least one call / HCPs.";

const GAPS_SHOWN: usize = 25;

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    hcps: u32,
    target_calls: u32,
    calls: u32,
    toward: u32,
    reached: u32,
}

impl Tally {
    fn add(&mut self, target: u32, calls: u32) {
        self.hcps += 1;
        self.target_calls += target;
        self.calls += calls;
        self.toward += calls.min(target);
        self.reached += u32::from(calls > 0);
    }

    fn merge(&mut self, other: Tally) {
        self.hcps += other.hcps;
        self.target_calls += other.target_calls;
        self.calls += other.calls;
        self.toward += other.toward;
        self.reached += other.reached;
    }

    fn report(self, tier: Tier) -> TierFrequency {
        TierFrequency {
            tier,
            hcps: self.hcps,
            target_calls: self.target_calls,
            calls: self.calls,
            calls_toward_target: self.toward,
            adherence: ratio(self.toward, self.target_calls),
            reached: self.reached,
            coverage: ratio(self.reached, self.hcps),
        }
    }
}

const TIERS: [Tier; 3] = [Tier::A, Tier::B, Tier::C];

/// Computes the report for `territories` (in the order given).
pub fn frequency_report(
    cycle: Cycle,
    today: NaiveDate,
    territories: &[TerritoryRef],
    hcps: &[TargetHcp],
    calls: &[CallFact],
) -> FrequencyReport {
    let mut counted: HashMap<(Uuid, Uuid), u32> = HashMap::new();
    let mut attributed: HashMap<Uuid, u32> = HashMap::new();
    for call in calls {
        if let Some(t) = call.territory_id {
            *counted.entry((call.hcp_id, t)).or_default() += 1;
            *attributed.entry(t).or_default() += 1;
        }
    }
    let mut by_territory: HashMap<Uuid, Vec<&TargetHcp>> = HashMap::new();
    for h in hcps {
        by_territory.entry(h.territory_id).or_default().push(h);
    }
    let mut totals = [Tally::default(); 3];
    let mut out = Vec::new();
    for territory in territories {
        let mut tallies = [Tally::default(); 3];
        let mut gaps = Vec::new();
        for hcp in by_territory
            .get(&territory.id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let n = counted
                .get(&(hcp.hcp_id, territory.id))
                .copied()
                .unwrap_or(0);
            tallies[hcp.tier as usize].add(hcp.target, n);
            if n < hcp.target {
                gaps.push(Gap {
                    hcp_id: hcp.hcp_id,
                    name: hcp.name.clone(),
                    tier: hcp.tier,
                    target: hcp.target,
                    calls: n,
                });
            }
        }
        gaps.sort_by(|a, b| {
            a.tier
                .cmp(&b.tier)
                .then((b.target - b.calls).cmp(&(a.target - a.calls)))
                .then(a.name.cmp(&b.name))
        });
        let gaps_total = gaps.len() as u32;
        gaps.truncate(GAPS_SHOWN);
        for (i, t) in tallies.iter().enumerate() {
            totals[i].merge(*t);
        }
        out.push(TerritoryFrequency {
            calls_attributed: attributed.get(&territory.id).copied().unwrap_or(0),
            territory: territory.clone(),
            tiers: TIERS
                .iter()
                .map(|t| tallies[*t as usize].report(*t))
                .collect(),
            gaps,
            gaps_total,
        });
    }
    FrequencyReport {
        cycle,
        days_left: cycle.days_left(today),
        method: METHOD.to_string(),
        territories: out,
        totals: TIERS
            .iter()
            .map(|t| totals[*t as usize].report(*t))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn extra_calls_do_not_make_up_for_missed_targets() {
        let t1 = TerritoryRef {
            id: Uuid::now_v7(),
            code: "T01".into(),
            name: "One".into(),
        };
        let t2 = Uuid::now_v7();
        let a1 = TargetHcp {
            hcp_id: Uuid::now_v7(),
            name: "A One".into(),
            territory_id: t1.id,
            tier: Tier::A,
            target: 3,
        };
        let a2 = TargetHcp {
            hcp_id: Uuid::now_v7(),
            name: "A Two".into(),
            territory_id: t1.id,
            tier: Tier::A,
            target: 3,
        };
        let c1 = TargetHcp {
            hcp_id: Uuid::now_v7(),
            name: "C One".into(),
            territory_id: t1.id,
            tier: Tier::C,
            target: 1,
        };
        let mut calls = vec![
            CallFact {
                hcp_id: a1.hcp_id,
                territory_id: Some(t1.id)
            };
            5
        ];
        calls.push(CallFact {
            hcp_id: a2.hcp_id,
            territory_id: Some(t1.id),
        });
        // A call attributed to another territory (before a realignment) does not count here.
        calls.push(CallFact {
            hcp_id: c1.hcp_id,
            territory_id: Some(t2),
        });
        let report = frequency_report(
            Cycle::parse("2026-11").unwrap(),
            day("2026-11-20"),
            &[t1],
            &[a1.clone(), a2.clone(), c1.clone()],
            &calls,
        );
        let a = &report.territories[0].tiers[0];
        assert_eq!(
            (
                a.hcps,
                a.target_calls,
                a.calls,
                a.calls_toward_target,
                a.reached
            ),
            (2, 6, 6, 4, 2)
        );
        assert!((a.adherence - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(a.coverage, 1.0);
        let c = &report.territories[0].tiers[2];
        assert_eq!((c.hcps, c.calls, c.reached), (1, 0, 0));
        assert_eq!(
            report.territories[0].tiers[1].adherence, 1.0,
            "no B targets: nothing missed"
        );
        let gaps: Vec<&str> = report.territories[0]
            .gaps
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        assert_eq!(gaps, vec!["A Two", "C One"]);
        assert_eq!(report.days_left, 11);
        assert_eq!(report.totals[0].calls_toward_target, 4);
        assert_eq!(report.territories[0].calls_attributed, 6);
    }
}

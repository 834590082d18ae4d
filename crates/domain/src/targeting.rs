//! Targeting: the cycle a plan runs on (a month or a quarter), the frequency targets of a
//! product x tier, and the rule that turns an HCP's segmentation into its target calls per
//! cycle. The field app runs the same rule offline (`web/src/offline/plan.ts`, checked by
//! `crates/domain/vectors/targeting_rules.json`).

use crate::segment::Tier;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// How long a cycle is: call plans run on months or quarters; reports also cover a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CycleKind {
    Month,
    Quarter,
    Year,
}

impl CycleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CycleKind::Month => "month",
            CycleKind::Quarter => "quarter",
            CycleKind::Year => "year",
        }
    }

    /// A plan cycle: a month or a quarter.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "month" => Ok(CycleKind::Month),
            "quarter" => Ok(CycleKind::Quarter),
            other => Err(format!("'{other}' is not a plan cycle (month or quarter)")),
        }
    }

    pub fn months(self) -> u32 {
        match self {
            CycleKind::Month => 1,
            CycleKind::Quarter => 3,
            CycleKind::Year => 12,
        }
    }
}

/// One cycle: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cycle {
    pub kind: CycleKind,
    /// First day.
    pub from: NaiveDate,
    /// First day of the next cycle.
    pub to: NaiveDate,
}

fn first_of(year: i32, month0: u32) -> NaiveDate {
    let (y, m) = (year + (month0 / 12) as i32, month0 % 12 + 1);
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

impl Cycle {
    /// The cycle of `kind` containing `day`.
    pub fn of(kind: CycleKind, day: NaiveDate) -> Cycle {
        let months = kind.months();
        let start0 = day.month0() - day.month0() % months;
        Cycle {
            kind,
            from: first_of(day.year(), start0),
            to: first_of(day.year(), start0 + months),
        }
    }

    pub fn month_of(day: NaiveDate) -> Cycle {
        Cycle::of(CycleKind::Month, day)
    }

    /// Parses `YYYY-MM` (a month), `YYYY-Qn` (a quarter) or `YYYY` (a year).
    pub fn parse(text: &str) -> Option<Cycle> {
        let text = text.trim();
        if text.len() == 4 {
            let year: i32 = text.parse().ok()?;
            return Some(Cycle::of(CycleKind::Year, first_of(year, 0)));
        }
        if let Some((year, q)) = text.split_once("-Q").or_else(|| text.split_once("-q")) {
            let (year, q): (i32, u32) = (year.parse().ok()?, q.parse().ok()?);
            return (1..=4)
                .contains(&q)
                .then(|| Cycle::of(CycleKind::Quarter, first_of(year, (q - 1) * 3)));
        }
        NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .ok()
            .map(Cycle::month_of)
    }

    /// `2026-11` or `2026-Q4`.
    pub fn label(&self) -> String {
        match self.kind {
            CycleKind::Month => self.from.format("%Y-%m").to_string(),
            CycleKind::Quarter => format!("{}-Q{}", self.from.year(), self.from.month0() / 3 + 1),
            CycleKind::Year => self.from.format("%Y").to_string(),
        }
    }

    /// The target for this period of a plan giving `calls` per `plan` cycle: scaled by the
    /// months in the period over the months in a plan cycle, rounded up (a quarter plan of 4
    /// calls asks 2 in a month; a month plan of 2 asks 24 in a year).
    pub fn scaled_target(&self, plan: CycleKind, calls: u32) -> u32 {
        (calls * self.kind.months()).div_ceil(plan.months())
    }

    /// Days from `today` (inclusive) to the end of the cycle; 0 once it is over.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        if today >= self.to {
            0
        } else {
            (self.to - today.max(self.from)).num_days()
        }
    }
}

/// Whether `day` starts a calendar quarter (1 January, 1 April, 1 July, 1 October).
pub fn is_quarter_start(day: NaiveDate) -> bool {
    day.day() == 1 && day.month0().is_multiple_of(3)
}

/// Calls per cycle an HCP of a tier should receive for a product, as in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FrequencyTarget {
    /// `{product_id}:{tier}`.
    pub id: String,
    pub product_id: Uuid,
    pub tier: Tier,
    pub cycle: CycleKind,
    /// Calls per cycle.
    pub calls: u32,
    /// The targeting version these figures come from (none: the defaults before any version).
    pub targeting_version_id: Option<Uuid>,
}

impl FrequencyTarget {
    pub fn key(product_id: Uuid, tier: Tier) -> String {
        format!("{product_id}:{}", tier.as_str())
    }
}

/// An HCP's place in the plan: its best tier and the calls it should get per cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HcpTarget {
    pub tier: Tier,
    pub calls: u32,
}

/// The target of an HCP from its segments (product, tier): the best tier over its products,
/// and the largest calls-per-cycle among them, because one call details several products.
/// `None` when the HCP has no segment.
pub fn hcp_target(
    segments: &[(Uuid, Tier)],
    frequencies: &HashMap<(Uuid, Tier), u32>,
) -> Option<HcpTarget> {
    let tier = segments.iter().map(|(_, t)| *t).min()?;
    let calls = segments
        .iter()
        .map(|(p, t)| frequencies.get(&(*p, *t)).copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    Some(HcpTarget { tier, calls })
}

/// Checks a calls-per-cycle figure (a call a working day at most).
pub fn check_calls(kind: CycleKind, calls: i64) -> Result<u32, String> {
    let max = match kind {
        CycleKind::Month => 31,
        CycleKind::Quarter => 92,
        CycleKind::Year => 366,
    };
    if (0..=max).contains(&calls) {
        Ok(calls as u32)
    } else {
        Err(format!(
            "calls per {} must be between 0 and {max}",
            kind.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cycles_are_months_or_quarters() {
        let q = Cycle::of(CycleKind::Quarter, d("2026-11-25"));
        assert_eq!((q.from, q.to), (d("2026-10-01"), d("2027-01-01")));
        assert_eq!(q.label(), "2026-Q4");
        assert_eq!(Cycle::parse("2026-Q1").unwrap().to, d("2026-04-01"));
        assert_eq!(Cycle::parse("2026-12").unwrap().to, d("2027-01-01"));
        assert!(Cycle::parse("2026-13").is_none());
        assert!(Cycle::parse("2026-Q5").is_none());
        assert_eq!(q.days_left(d("2026-12-30")), 2);
        assert!(is_quarter_start(d("2027-04-01")));
        assert!(!is_quarter_start(d("2027-05-01")));
        let y = Cycle::parse("2026").unwrap();
        assert_eq!(
            (y.from, y.to, y.label()),
            (d("2026-01-01"), d("2027-01-01"), "2026".to_string())
        );
        assert_eq!(
            Cycle::month_of(d("2026-11-02")).scaled_target(CycleKind::Quarter, 4),
            2
        );
        assert_eq!(y.scaled_target(CycleKind::Month, 2), 24);
        assert_eq!(q.scaled_target(CycleKind::Quarter, 5), 5);
    }

    #[test]
    fn the_largest_product_target_wins() {
        let (p1, p2) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let f: HashMap<_, _> = [((p1, Tier::A), 3), ((p2, Tier::B), 4), ((p1, Tier::C), 1)]
            .into_iter()
            .collect();
        assert_eq!(
            hcp_target(&[(p1, Tier::A), (p2, Tier::B)], &f),
            Some(HcpTarget {
                tier: Tier::A,
                calls: 4
            })
        );
        assert_eq!(
            hcp_target(&[(p2, Tier::C)], &f),
            Some(HcpTarget {
                tier: Tier::C,
                calls: 0
            })
        );
        assert_eq!(hcp_target(&[], &f), None);
    }
}

/// Where a targeting version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Being prepared by ops.
    Draft,
    /// Published, its effective date not reached yet.
    Scheduled,
    /// The version call plans follow today.
    InForce,
    /// Was in force; a later version replaced it. Still readable.
    Superseded,
}

/// One frequency row of a version: calls per cycle for a product x tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VersionFrequency {
    pub product_id: Uuid,
    pub tier: Tier,
    pub calls: u32,
}

/// A targeting version: the segmentation rows it sets and its whole frequency table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TargetingVersion {
    pub id: Uuid,
    /// 1, 2, 3... in creation order.
    pub number: u32,
    pub name: String,
    pub cycle: CycleKind,
    pub state: VersionState,
    pub effective_from: Option<NaiveDate>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub published_by: Option<String>,
    pub published_at: Option<String>,
    /// When it came into force (copied into the segmentation and targets in force).
    pub applied_at: Option<String>,
    /// Segmentation rows (HCP x product) this version sets.
    pub segments: u32,
    pub frequencies: Vec<VersionFrequency>,
}

/// A segmentation row of a version, for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VersionSegment {
    pub hcp_id: Uuid,
    pub npi: String,
    pub hcp_name: String,
    pub product_id: Uuid,
    pub tier: Tier,
    pub decile: u8,
}

//! Realignment cycles: a draft of ZIP moves and account overrides goes through field
//! review and is published with an effective date. This module owns the statuses, the
//! field-review marks and the timing rule for publishing; the impact figures are views.

use crate::segment::Tier;
use crate::targeting::is_quarter_start;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Days of notice a realignment needs before it takes effect, unless overridden.
pub const NOTICE_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RealignmentStatus {
    /// Ops edits it; nobody else sees it.
    Draft,
    /// Open for field review: reps and managers of the territories concerned see it and mark it.
    Review,
    /// In force from its effective date; never edited again.
    Published,
    Cancelled,
}

impl RealignmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Review, Self::Published, Self::Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// Whether ops may still change the draft.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Review)
    }
}

/// What the field says about an HCP on a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    /// "This relationship would be lost in a hand-off."
    KeyRelationship,
    /// The draft breaks a critical relationship: ops must look at it.
    Escalation,
}

impl MarkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KeyRelationship => "key_relationship",
            Self::Escalation => "escalation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::KeyRelationship, Self::Escalation]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// How ops resolved a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The draft stands as it is.
    Accepted,
    /// Ops changed the draft for it.
    Changed,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Changed => "changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Accepted, Self::Changed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// Why a publication date needs an explicit override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimingIssue {
    /// Less than 30 days from today.
    ShortNotice,
    /// Not the first day of a calendar quarter.
    NotQuarterStart,
    /// Before today: the past cannot be realigned.
    InThePast,
}

impl TimingIssue {
    pub fn message(self) -> &'static str {
        match self {
            Self::ShortNotice => "takes effect less than 30 days from today",
            Self::NotQuarterStart => {
                "is not the first day of a quarter (1 Jan, 1 Apr, 1 Jul, 1 Oct)"
            }
            Self::InThePast => "is in the past",
        }
    }
}

/// What is wrong with publishing on `effective` seen from `today`; empty when it is fine.
/// `ShortNotice` and `NotQuarterStart` can be overridden with a reason; `InThePast` cannot,
/// because calls already attributed must stay where they are.
pub fn timing_issues(today: NaiveDate, effective: NaiveDate) -> Vec<TimingIssue> {
    let mut issues = Vec::new();
    if effective < today {
        issues.push(TimingIssue::InThePast);
    } else if (effective - today).num_days() < NOTICE_DAYS {
        issues.push(TimingIssue::ShortNotice);
    }
    if !is_quarter_start(effective) {
        issues.push(TimingIssue::NotQuarterStart);
    }
    issues
}

/// Checks a publication: `Err(message)` when it may not go ahead as asked.
pub fn check_publication(
    today: NaiveDate,
    effective: NaiveDate,
    override_reason: Option<&str>,
) -> Result<Vec<TimingIssue>, String> {
    let issues = timing_issues(today, effective);
    if issues.contains(&TimingIssue::InThePast) {
        return Err(format!("{effective} {}", TimingIssue::InThePast.message()));
    }
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    match (issues.is_empty(), reason) {
        (true, _) | (false, Some(_)) => Ok(issues),
        (false, None) => Err(format!(
            "{effective} {}: publishing needs an override with a reason",
            issues
                .iter()
                .map(|i| i.message())
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// A mark raised during field review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Mark {
    pub id: Uuid,
    pub realignment_id: Uuid,
    pub hcp_id: Uuid,
    pub hcp_name: String,
    pub kind: MarkKind,
    pub note: String,
    pub raised_by: Uuid,
    pub raised_by_name: String,
    pub raised_at: String,
    pub resolution: Option<Resolution>,
    pub resolution_note: Option<String>,
    /// Who resolved it (username).
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

/// An HCP the draft moves, with what makes the relationship valuable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MovingHcp {
    pub hcp_id: Uuid,
    pub name: String,
    pub zip: String,
    pub from_territory: Option<Uuid>,
    pub to_territory: Uuid,
    pub tier: Option<Tier>,
    /// Highest decile over its products (0: not segmented).
    pub decile: u8,
    /// Target calls per cycle under the targeting in force.
    pub target_calls: u32,
    /// Calls the losing territory made on this HCP in the last 12 months.
    pub calls_last_year: u32,
}

/// How a draft changes one territory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TerritoryImpact {
    pub territory: crate::org::TerritoryRef,
    /// The rep(s) assigned today (empty: vacant).
    pub reps: Vec<String>,
    pub hcps_before: u32,
    pub hcps_out: u32,
    pub hcps_in: u32,
    pub hcps_after: u32,
    /// Workload: target calls per cycle before and after.
    pub target_calls_before: u32,
    pub target_calls_after: u32,
    pub accounts_out: u32,
    pub accounts_in: u32,
    /// HCPs leaving that matter most (tier A or decile 8+ or called at least 3 times in a
    /// year), the most valuable first (at most 10).
    pub key_losses: Vec<MovingHcp>,
}

/// A realignment cycle with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Realignment {
    pub id: Uuid,
    pub name: String,
    pub status: RealignmentStatus,
    pub effective_from: Option<NaiveDate>,
    pub override_reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub review_opened_at: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<String>,
    /// ZIPs the draft aligns (to a territory other than today's or not).
    pub zips: u32,
    pub account_overrides: u32,
    pub marks_open: u32,
    pub marks: u32,
}

/// One line of a draft: a ZIP or an account and the territory the draft gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DraftLine {
    /// The ZIP, or the account's id.
    pub key: String,
    pub territory_id: Uuid,
}

/// A notice for a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Notice {
    pub id: Uuid,
    pub kind: String,
    /// The realignment (or other change) it is about.
    pub subject_id: Uuid,
    pub title: String,
    pub body: String,
    pub effective_from: Option<NaiveDate>,
    pub created_at: String,
}

/// Whether losing this HCP in a hand-off matters most: tier A, decile 8 or more, or called
/// at least 3 times in the last year by the territory losing it.
pub fn is_key_relationship(m: &MovingHcp) -> bool {
    m.tier == Some(Tier::A) || m.decile >= 8 || m.calls_last_year >= 3
}

/// The most valuable first: tier, decile, calls, then name.
pub fn by_value(a: &MovingHcp, b: &MovingHcp) -> std::cmp::Ordering {
    let tier = |m: &MovingHcp| m.tier.map_or(3, |t| t as u8);
    tier(a)
        .cmp(&tier(b))
        .then(b.decile.cmp(&a.decile))
        .then(b.calls_last_year.cmp(&a.calls_last_year))
        .then(a.name.cmp(&b.name))
}

/// Key losses shown per territory.
pub const KEY_LOSSES_SHOWN: usize = 10;

/// How a draft changes each territory it touches. `population` is every HCP aligned today
/// to one of `territories` with its target calls per cycle; `moving` the HCPs the draft
/// moves; `accounts` the (from, to) of each account it moves.
pub fn impact(
    territories: &[(crate::org::TerritoryRef, Vec<String>)],
    population: &[(Uuid, Uuid, u32)],
    moving: &[MovingHcp],
    accounts: &[(Option<Uuid>, Uuid)],
) -> Vec<TerritoryImpact> {
    use std::collections::HashMap;
    let mut rows: HashMap<Uuid, TerritoryImpact> = territories
        .iter()
        .map(|(t, reps)| {
            let row = TerritoryImpact {
                territory: t.clone(),
                reps: reps.clone(),
                hcps_before: 0,
                hcps_out: 0,
                hcps_in: 0,
                hcps_after: 0,
                target_calls_before: 0,
                target_calls_after: 0,
                accounts_out: 0,
                accounts_in: 0,
                key_losses: Vec::new(),
            };
            (t.id, row)
        })
        .collect();
    for (_, territory, target) in population {
        if let Some(r) = rows.get_mut(territory) {
            r.hcps_before += 1;
            r.target_calls_before += target;
        }
    }
    for r in rows.values_mut() {
        r.hcps_after = r.hcps_before;
        r.target_calls_after = r.target_calls_before;
    }
    for m in moving {
        if let Some(r) = m.from_territory.and_then(|t| rows.get_mut(&t)) {
            r.hcps_out += 1;
            r.hcps_after = r.hcps_after.saturating_sub(1);
            r.target_calls_after = r.target_calls_after.saturating_sub(m.target_calls);
            if is_key_relationship(m) {
                r.key_losses.push(m.clone());
            }
        }
        if let Some(r) = rows.get_mut(&m.to_territory) {
            r.hcps_in += 1;
            r.hcps_after += 1;
            r.target_calls_after += m.target_calls;
        }
    }
    for (from, to) in accounts {
        if let Some(r) = from.and_then(|t| rows.get_mut(&t)) {
            r.accounts_out += 1;
        }
        if let Some(r) = rows.get_mut(to) {
            r.accounts_in += 1;
        }
    }
    let mut out: Vec<TerritoryImpact> = territories
        .iter()
        .filter_map(|(t, _)| rows.remove(&t.id))
        .collect();
    for r in &mut out {
        r.key_losses.sort_by(by_value);
        r.key_losses.truncate(KEY_LOSSES_SHOWN);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn thirty_days_and_a_quarter_start_need_no_override() {
        let today = d("2026-11-25");
        assert_eq!(timing_issues(today, d("2027-01-01")), vec![]);
        assert_eq!(
            timing_issues(today, d("2026-12-01")),
            vec![TimingIssue::ShortNotice, TimingIssue::NotQuarterStart]
        );
        assert_eq!(
            timing_issues(today, d("2027-02-01")),
            vec![TimingIssue::NotQuarterStart]
        );
        assert_eq!(
            timing_issues(d("2026-12-15"), d("2027-01-01")),
            vec![TimingIssue::ShortNotice]
        );
        assert_eq!(
            timing_issues(today, d("2026-11-24")),
            vec![TimingIssue::InThePast, TimingIssue::NotQuarterStart]
        );
    }

    #[test]
    fn an_override_needs_a_reason_and_cannot_reach_the_past() {
        let today = d("2026-11-25");
        assert!(check_publication(today, d("2027-01-01"), None).is_ok());
        let err = check_publication(today, d("2026-12-01"), None).unwrap_err();
        assert!(
            err.contains("less than 30 days") && err.contains("override"),
            "{err}"
        );
        assert!(check_publication(today, d("2026-12-01"), Some("  ")).is_err());
        assert_eq!(
            check_publication(today, d("2026-12-01"), Some("merger"))
                .unwrap()
                .len(),
            2
        );
        assert!(check_publication(today, d("2026-11-01"), Some("merger")).is_err());
    }

    #[test]
    fn impact_moves_hcps_targets_and_key_relationships() {
        use crate::org::TerritoryRef;
        let t = |code: &str| TerritoryRef {
            id: crate::new_id(),
            code: code.into(),
            name: code.into(),
        };
        let (t1, t2) = (t("T1"), t("T2"));
        let h: Vec<Uuid> = (0..4).map(|_| crate::new_id()).collect();
        let population = vec![
            (h[0], t1.id, 3),
            (h[1], t1.id, 1),
            (h[2], t1.id, 0),
            (h[3], t2.id, 2),
        ];
        let mv =
            |hcp: Uuid, tier: Option<Tier>, decile: u8, target_calls: u32, calls: u32| MovingHcp {
                hcp_id: hcp,
                name: hcp.to_string(),
                zip: "10001".into(),
                from_territory: Some(t1.id),
                to_territory: t2.id,
                tier,
                decile,
                target_calls,
                calls_last_year: calls,
            };
        let moving = vec![
            mv(h[0], Some(Tier::A), 9, 3, 10),
            mv(h[1], Some(Tier::C), 2, 1, 0),
        ];
        let rows = impact(
            &[(t1.clone(), vec!["rep.t1".into()]), (t2.clone(), vec![])],
            &population,
            &moving,
            &[(Some(t1.id), t2.id)],
        );
        let (a, b) = (&rows[0], &rows[1]);
        assert_eq!(
            (
                a.hcps_before,
                a.hcps_out,
                a.hcps_after,
                a.target_calls_before,
                a.target_calls_after
            ),
            (3, 2, 1, 4, 0)
        );
        assert_eq!(
            (
                b.hcps_before,
                b.hcps_in,
                b.hcps_after,
                b.target_calls_before,
                b.target_calls_after
            ),
            (1, 2, 3, 2, 6)
        );
        assert_eq!((a.accounts_out, b.accounts_in), (1, 1));
        assert_eq!(
            a.key_losses.iter().map(|m| m.hcp_id).collect::<Vec<_>>(),
            vec![h[0]],
            "only the tier-A, decile-9 HCP is a key loss"
        );
    }
}

//! Data completeness monitoring: the three shares commercial leaders review with sales
//! performance — call reports complete within 24 hours of the call, target HCPs with
//! current segmentation, sample transactions with a signature — per org unit and month,
//! each with its numerator and denominator so the figure explains itself.

use crate::org::OrgLevel;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A call report counts as complete when submitted within this long after the call...
pub const CALL_REPORT_WINDOW_HOURS: i64 = 24;
/// ...and, with no targeting version in force, a segmentation as current when set within
/// this many days.
pub const SEGMENTATION_CURRENT_DAYS: i64 = 365;

/// Whether a call report was complete within 24 hours: submitted no later than 24 hours
/// after the call, with an outcome, a next step and at least one product.
pub fn call_report_complete(
    called_at: DateTime<Utc>,
    submitted_at: DateTime<Utc>,
    outcome: &str,
    next_step: &str,
    products: usize,
) -> bool {
    submitted_at - called_at <= Duration::hours(CALL_REPORT_WINDOW_HOURS)
        && !outcome.trim().is_empty()
        && !next_step.trim().is_empty()
        && products > 0
}

/// Whether a segmentation set on `set_on` is current at `day`: set under the targeting
/// version in force that day (on or after its effective date `in_force_from`), or, with none
/// in force, within the last year.
pub fn segmentation_current(
    set_on: NaiveDate,
    day: NaiveDate,
    in_force_from: Option<NaiveDate>,
) -> bool {
    match in_force_from {
        _ if set_on > day => false,
        Some(from) => set_on >= from,
        None => (day - set_on).num_days() < SEGMENTATION_CURRENT_DAYS,
    }
}

/// A share with what it is made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Share {
    pub count: u64,
    pub of: u64,
    /// count / of, or `None` when there is nothing to count.
    pub share: Option<f64>,
}

impl Share {
    pub fn add(&mut self, yes: bool) {
        self.of += 1;
        if yes {
            self.count += 1;
        }
        self.share = Some(self.count as f64 / self.of as f64);
    }

    pub fn merge(&mut self, other: &Share) {
        self.count += other.count;
        self.of += other.of;
        self.share = (self.of > 0).then(|| self.count as f64 / self.of as f64);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// One org unit (or the whole scope when `unit` is `None`) in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompletenessRow {
    pub unit: Option<UnitRef>,
    /// `YYYY-MM`.
    pub month: String,
    /// Call reports (originals, not corrections) of calls made that month.
    pub call_reports: Share,
    /// Active HCPs aligned to the unit today, segmented under the plan in force at the month's end.
    pub segmentation: Share,
    /// Sample records (disbursements and requests) of that month with a captured signature.
    pub signatures: Share,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompletenessReport {
    pub level: OrgLevel,
    pub months: Vec<String>,
    pub rows: Vec<CompletenessRow>,
    /// How each share is computed, in words.
    pub method: Vec<String>,
}

/// The method statements of the report.
pub fn method() -> Vec<String> {
    vec![
        format!(
            "Call reports: of the calls made in the month (corrections not counted again), those submitted within {CALL_REPORT_WINDOW_HOURS} hours of the call with an outcome, a next step and at least one product; by the territory the call was attributed to on its day."
        ),
        format!(
            "Segmentation: of the active HCPs aligned to the unit today (verified or proposed records), those holding at least one product segment set under the targeting version in force on the month's last day (on or after its effective date; with no version in force, in the {SEGMENTATION_CURRENT_DAYS} days before)."
        ),
        "Signatures: of the sample records (disbursements and requests) of the month, those with a captured signature bound to the record; by the territory of the call, else of the HCP today.".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_complete_only_within_24_hours_and_with_its_fields() {
        let at = DateTime::parse_from_rfc3339("2026-11-02T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(call_report_complete(
            at,
            at + Duration::hours(24),
            "Positive",
            "Follow up",
            1
        ));
        assert!(!call_report_complete(
            at,
            at + Duration::hours(25),
            "Positive",
            "Follow up",
            1
        ));
        assert!(!call_report_complete(
            at,
            at + Duration::hours(1),
            "Positive",
            " ",
            1
        ));
        assert!(!call_report_complete(
            at,
            at + Duration::hours(1),
            "Positive",
            "Follow up",
            0
        ));
    }

    #[test]
    fn segmentation_is_current_for_a_year_and_shares_add_up() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert!(segmentation_current(day - Duration::days(364), day, None));
        assert!(!segmentation_current(day - Duration::days(365), day, None));
        assert!(!segmentation_current(day + Duration::days(1), day, None));
        let plan = Some(day - Duration::days(500));
        assert!(
            segmentation_current(day - Duration::days(500), day, plan),
            "set by the plan in force, however old"
        );
        assert!(
            !segmentation_current(day - Duration::days(501), day, plan),
            "set before the plan in force"
        );
        let mut a = Share::default();
        a.add(true);
        a.add(false);
        let mut b = Share::default();
        b.add(true);
        a.merge(&b);
        assert_eq!((a.count, a.of), (2, 3));
        assert!((a.share.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    }
}

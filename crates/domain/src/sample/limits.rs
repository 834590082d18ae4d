//! Sample limit templates: how much of a product one HCP may receive, counted in units or
//! in value, per call, per calendar month/quarter/year, over a rolling number of days, or in
//! windows that start at the HCP's first sample of the product (optionally ending the
//! programme after a number of days). A template is an error (blocks) or a warning (asks
//! the rep to confirm). Together they express company policy such as "at most 4 units per
//! HCP per year for 2 years after the first request".

use crate::validation::ValidationErrors;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitMeasure {
    /// Units.
    Quantity,
    /// Value in cents (units × the SKU's unit value).
    Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitWindow {
    /// One call (the per-call maximum).
    Call,
    Month,
    Quarter,
    Year,
    /// The last `window_days` days up to and including the day of the disbursement.
    Rolling,
    /// Consecutive windows of `window_days` days from the HCP's first sample of the product.
    FromFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A limit template, configured by compliance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleLimit {
    pub id: Uuid,
    pub name: String,
    pub product_id: Uuid,
    pub measure: LimitMeasure,
    /// Units, or cents for a value limit.
    pub max: i64,
    pub window: LimitWindow,
    /// Length of a `rolling` or `from_first` window.
    pub window_days: Option<i64>,
    /// For `from_first`: no more samples of the product once this many days have passed
    /// since the first one.
    pub ends_after_days: Option<i64>,
    pub severity: Severity,
}

impl SampleLimit {
    /// Field-level validation of a template.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.name.trim().is_empty() {
            errors.add("name", "is required");
        }
        if self.max < 0 {
            errors.add("max", "cannot be negative");
        } else if self.max > super::MAX_UNITS * super::MAX_UNIT_VALUE_CENTS {
            errors.add("max", "is beyond any sample limit");
        }
        let needs_days = matches!(self.window, LimitWindow::Rolling | LimitWindow::FromFirst);
        match self.window_days {
            Some(d) if d < 1 => errors.add("window_days", "must be at least 1"),
            None if needs_days => errors.add(
                "window_days",
                "is required for a rolling or from-first window",
            ),
            Some(_) if !needs_days => errors.add(
                "window_days",
                "only applies to a rolling or from-first window",
            ),
            _ => {}
        }
        match self.ends_after_days {
            Some(_) if self.window != LimitWindow::FromFirst => {
                errors.add("ends_after_days", "only applies to a from-first window")
            }
            Some(d) if d < 1 => errors.add("ends_after_days", "must be at least 1"),
            _ => {}
        }
        errors.into_result(|| ())
    }

    /// The window (first day, day after the last) that counts for a sample given on `on`,
    /// when the HCP's first sample of the product was on `first`.
    fn window_of(&self, on: NaiveDate, first: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let days = self.window_days.unwrap_or(1).max(1);
        match self.window {
            LimitWindow::Call => None,
            LimitWindow::Month => {
                let start = on.with_day(1)?;
                Some((start, add_months(start, 1)?))
            }
            LimitWindow::Quarter => {
                let start = NaiveDate::from_ymd_opt(on.year(), (on.month0() / 3) * 3 + 1, 1)?;
                Some((start, add_months(start, 3)?))
            }
            LimitWindow::Year => Some((
                NaiveDate::from_ymd_opt(on.year(), 1, 1)?,
                NaiveDate::from_ymd_opt(on.year() + 1, 1, 1)?,
            )),
            LimitWindow::Rolling => Some((on - Duration::days(days - 1), on + Duration::days(1))),
            LimitWindow::FromFirst => {
                let k = (on - first).num_days().max(0) / days;
                let start = first + Duration::days(k * days);
                Some((start, start + Duration::days(days)))
            }
        }
    }

    fn amount(&self, quantity: i64, unit_value_cents: i64) -> i64 {
        match self.measure {
            LimitMeasure::Quantity => quantity,
            LimitMeasure::Value => quantity * unit_value_cents,
        }
    }

    fn describe(&self, amount: i64) -> String {
        match self.measure {
            LimitMeasure::Quantity => format!("{amount} units"),
            LimitMeasure::Value => format!("${}.{:02}", amount / 100, amount % 100),
        }
    }
}

fn add_months(d: NaiveDate, months: u32) -> Option<NaiveDate> {
    d.checked_add_months(chrono::Months::new(months))
}

/// A sample an HCP already received (or requested) of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PastSample {
    pub hcp_id: Uuid,
    pub product_id: Uuid,
    pub on: NaiveDate,
    pub quantity: i64,
    pub value_cents: i64,
}

/// A limit a proposed sample would break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LimitBreach {
    pub limit_id: Uuid,
    pub severity: Severity,
    pub message: String,
    /// What could still be given within the limit (units or cents), never negative.
    pub remaining: i64,
}

/// Checks `quantity` units (worth `unit_value_cents` each) of `product_id` for an HCP on
/// `on` against `limits`, given what the HCP already received (`past`, any product).
pub fn check_limits(
    limits: &[SampleLimit],
    product_id: Uuid,
    past: &[PastSample],
    quantity: i64,
    unit_value_cents: i64,
    on: NaiveDate,
) -> Vec<LimitBreach> {
    let history: Vec<&PastSample> = past.iter().filter(|p| p.product_id == product_id).collect();
    let first = history.iter().map(|p| p.on).min().map_or(on, |d| d.min(on));
    let mut breaches = Vec::new();
    for limit in limits.iter().filter(|l| l.product_id == product_id) {
        let asked = limit.amount(quantity, unit_value_cents);
        if let (LimitWindow::FromFirst, Some(ends)) = (limit.window, limit.ends_after_days) {
            if (on - first).num_days() >= ends {
                breaches.push(LimitBreach {
                    limit_id: limit.id,
                    severity: limit.severity,
                    message: format!(
                        "{}: the programme ended {ends} days after the first sample on {first}",
                        limit.name
                    ),
                    remaining: 0,
                });
                continue;
            }
        }
        let used: i64 = match limit.window_of(on, first) {
            None => 0,
            Some((from, to)) => history
                .iter()
                .filter(|p| p.on >= from && p.on < to)
                .map(|p| match limit.measure {
                    LimitMeasure::Quantity => p.quantity,
                    LimitMeasure::Value => p.value_cents,
                })
                .sum(),
        };
        if used + asked > limit.max {
            let remaining = (limit.max - used).max(0);
            breaches.push(LimitBreach {
                limit_id: limit.id,
                severity: limit.severity,
                message: if limit.window == LimitWindow::Call {
                    format!(
                        "{}: at most {} per call",
                        limit.name,
                        limit.describe(limit.max)
                    )
                } else {
                    format!(
                        "{}: at most {} (already {}, {} left)",
                        limit.name,
                        limit.describe(limit.max),
                        limit.describe(used),
                        limit.describe(remaining)
                    )
                },
                remaining,
            });
        }
    }
    breaches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn limit(window: LimitWindow, max: i64, days: Option<i64>, ends: Option<i64>) -> SampleLimit {
        SampleLimit {
            id: Uuid::nil(),
            name: "policy".into(),
            product_id: Uuid::nil(),
            measure: LimitMeasure::Quantity,
            max,
            window,
            window_days: days,
            ends_after_days: ends,
            severity: Severity::Error,
        }
    }

    fn given(on: &str, quantity: i64) -> PastSample {
        PastSample {
            hcp_id: Uuid::nil(),
            product_id: Uuid::nil(),
            on: day(on),
            quantity,
            value_cents: quantity * 500,
        }
    }

    #[test]
    fn four_per_year_for_two_years_after_the_first_request() {
        let rule = [limit(LimitWindow::FromFirst, 4, Some(365), Some(730))];
        let past = [given("2025-03-01", 3)];
        assert!(check_limits(&rule, Uuid::nil(), &past, 1, 500, day("2025-12-01")).is_empty());
        assert_eq!(
            check_limits(&rule, Uuid::nil(), &past, 2, 500, day("2025-12-01"))[0].remaining,
            1
        );
        // A new year of the programme starts on the anniversary of the first sample.
        assert!(check_limits(&rule, Uuid::nil(), &past, 4, 500, day("2026-03-01")).is_empty());
        // Two years after the first sample the programme is over.
        let ended = check_limits(&rule, Uuid::nil(), &past, 1, 500, day("2027-03-01"));
        assert_eq!(ended.len(), 1);
        assert!(ended[0].message.contains("programme ended"));
    }

    #[test]
    fn calendar_and_rolling_windows_count_what_falls_inside() {
        let past = [given("2026-03-31", 2), given("2026-04-02", 2)];
        let quarter = [limit(LimitWindow::Quarter, 4, None, None)];
        assert!(check_limits(&quarter, Uuid::nil(), &past, 2, 500, day("2026-06-30")).is_empty());
        assert_eq!(
            check_limits(&quarter, Uuid::nil(), &past, 3, 500, day("2026-06-30")).len(),
            1
        );
        let rolling = [limit(LimitWindow::Rolling, 4, Some(30), None)];
        assert_eq!(
            check_limits(&rolling, Uuid::nil(), &past, 1, 500, day("2026-04-10")).len(),
            1
        );
        assert!(check_limits(&rolling, Uuid::nil(), &past, 1, 500, day("2026-05-01")).is_empty());
        let per_call = [limit(LimitWindow::Call, 2, None, None)];
        assert_eq!(
            check_limits(&per_call, Uuid::nil(), &past, 3, 500, day("2026-04-10"))[0].remaining,
            2
        );
    }

    #[test]
    fn value_limits_count_cents() {
        let mut rule = limit(LimitWindow::Year, 2000, None, None);
        rule.measure = LimitMeasure::Value;
        let past = [given("2026-01-10", 2)]; // $10.00
        assert!(check_limits(
            &[rule.clone()],
            Uuid::nil(),
            &past,
            2,
            500,
            day("2026-02-01")
        )
        .is_empty());
        let over = check_limits(&[rule], Uuid::nil(), &past, 3, 500, day("2026-02-01"));
        assert!(over[0].message.contains("$20.00"), "{}", over[0].message);
    }

    #[test]
    fn templates_are_validated_by_field() {
        let bad = limit(LimitWindow::Rolling, -1, None, Some(3));
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["max", "window_days", "ends_after_days"]);
    }
}

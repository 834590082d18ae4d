//! Reading the effective-dated alignment: which territory each ZIP and each account
//! override belongs to on a given day (and which realignment cycle put it there), and the
//! published changes still to come. This module owns the shapes of those reads and the
//! rule for the days they may be asked about; storage computes them inside the caller's
//! scope.

use crate::org::TerritoryRef;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// What an alignment row aligns: a ZIP (with every HCP and account of it) or a single
/// account whatever its ZIP (an account-level override).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlignedKind {
    Zip,
    Account,
}

impl AlignedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zip => "zip",
            Self::Account => "account",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Zip, Self::Account]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The realignment cycle a row comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CycleRef {
    pub id: Uuid,
    pub name: String,
}

/// The account an override aligns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OverriddenAccount {
    pub id: Uuid,
    pub name: String,
    pub external_id: String,
    /// The account's own ZIP (the override wins over it).
    pub zip: String,
}

/// A ZIP or an account override and the territory it belongs to on the day asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlignedOn {
    pub kind: AlignedKind,
    /// The ZIP, or the account's id.
    pub key: String,
    /// Set for account overrides.
    pub account: Option<OverriddenAccount>,
    pub territory: TerritoryRef,
    /// The alignment row that holds on that day.
    pub alignment_id: Uuid,
    /// The first day of that row.
    pub since: NaiveDate,
    /// The day the row ends (a later change takes over), if one is known.
    pub until: Option<NaiveDate>,
    /// The cycle whose publication wrote the row; none for the initial alignment (or one
    /// loaded outside a cycle).
    pub cycle: Option<CycleRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlignmentPage {
    /// The day the alignment is read for.
    pub on: NaiveDate,
    /// ZIPs by code first, then account overrides by account name.
    pub items: Vec<AlignedOn>,
    pub next_cursor: Option<String>,
}

/// A published move that has not taken effect yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScheduledChange {
    pub kind: AlignedKind,
    /// The ZIP, or the account's id.
    pub key: String,
    pub account: Option<OverriddenAccount>,
    /// The territory until the day before (for a first account override, its ZIP's); none
    /// when the key was not aligned.
    pub from_territory: Option<TerritoryRef>,
    pub to_territory: TerritoryRef,
    pub effective_from: NaiveDate,
    pub alignment_id: Uuid,
    pub cycle: Option<CycleRef>,
    /// The override reason the cycle was published with (short notice, not a quarter start).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScheduledChanges {
    /// Changes take effect after this day (today).
    pub after: NaiveDate,
    /// By effective date, then ZIPs before accounts, then key.
    pub items: Vec<ScheduledChange>,
    pub next_cursor: Option<String>,
}

/// Earliest and latest years the alignment may be read for. Days are stored as ISO text,
/// which orders correctly only with four-digit years; nothing was aligned before 1900.
pub const READABLE_YEARS: (i32, i32) = (1900, 9999);

/// Checks a day the alignment is asked about.
pub fn readable_day(day: NaiveDate) -> Result<NaiveDate, String> {
    let (first, last) = READABLE_YEARS;
    if (first..=last).contains(&day.year()) {
        Ok(day)
    } else {
        Err(format!("must be a day in the years {first} to {last}"))
    }
}

/// Checks a ZIP filter: the first one to five digits of a ZIP.
pub fn zip_prefix(input: &str) -> Result<String, String> {
    let input = input.trim();
    if (1..=5).contains(&input.len()) && input.bytes().all(|b| b.is_ascii_digit()) {
        Ok(input.to_string())
    } else {
        Err("must be 1 to 5 digits (a ZIP or its start)".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_readable_only_with_four_digit_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert!(readable_day(d(2027, 6, 30)).is_ok());
        assert!(readable_day(d(1900, 1, 1)).is_ok());
        assert!(readable_day(d(1899, 12, 31)).is_err());
        assert!(readable_day(d(10000, 1, 1)).is_err());
    }

    #[test]
    fn zip_filters_are_digits_only() {
        assert_eq!(zip_prefix(" 100 ").unwrap(), "100");
        assert_eq!(zip_prefix("10001").unwrap(), "10001");
        for bad in ["", "100011", "10%", "1_0", "abc"] {
            assert!(zip_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_travel_as_snake_case() {
        for k in [AlignedKind::Zip, AlignedKind::Account] {
            assert_eq!(AlignedKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
    }
}

//! Deadlines of a loss or theft report: notice to FDA within 5 working days of discovery
//! (21 CFR 203.37(c)) and the written report within 30 days. Working days skip Saturdays
//! and Sundays; public holidays are not modelled, so the date shown is never later than
//! the real deadline.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Working days allowed for the notice to FDA.
pub const FDA_NOTICE_WORKING_DAYS: i64 = 5;
/// Calendar days allowed for the written report.
pub const WRITTEN_REPORT_DAYS: i64 = 30;

/// The day `n` working days after `from`.
pub fn add_working_days(from: NaiveDate, n: i64) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// (FDA notice due, written report due) for a loss discovered on `discovered_on`.
pub fn deadlines(discovered_on: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        add_working_days(discovered_on, FDA_NOTICE_WORKING_DAYS),
        discovered_on + Duration::days(WRITTEN_REPORT_DAYS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_working_days_skip_the_weekend() {
        // Thursday 2026-11-26 → Thursday 2026-12-03.
        let (notice, report) = deadlines("2026-11-26".parse().unwrap());
        assert_eq!(notice, "2026-12-03".parse::<NaiveDate>().unwrap());
        assert_eq!(report, "2026-12-26".parse::<NaiveDate>().unwrap());
    }
}

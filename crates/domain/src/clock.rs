//! The clock: the one place the wall clock is read. Everything that needs "now" or "today"
//! (effective dates, the 30-day realignment notice, sample-loss deadlines, session expiry,
//! SLAs) is handed a [`Clock`], so every date rule can be tested at any date without
//! sleeping. `clippy.toml` forbids `Utc::now` and friends everywhere else.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::fmt::Debug;
use std::sync::{Arc, Mutex, PoisonError};

/// A source of the current instant.
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in UTC: the day alignments, assignments and targeting are evaluated on.
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The clock handle passed between layers.
pub type SharedClock = Arc<dyn Clock>;

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned read of the wall clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl SystemClock {
    pub fn shared() -> SharedClock {
        Arc::new(SystemClock)
    }
}

/// A clock that stands still until moved: for tests, the demo's "as of" dates and replays.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn at(now: DateTime<Utc>) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            now: Mutex::new(now),
        })
    }

    /// A clock standing at midday UTC of `day`.
    pub fn on(day: NaiveDate) -> Arc<ManualClock> {
        Self::at(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let day = NaiveDate::from_ymd_opt(2031, 2, 28).expect("a date");
        let clock = ManualClock::on(day);
        assert_eq!(clock.today(), day);
        clock.advance(Duration::days(1));
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2031, 3, 1).expect("a date")
        );
    }
}

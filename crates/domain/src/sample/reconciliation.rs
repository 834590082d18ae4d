//! Reconciliation of a rep's sample inventory (21 CFR 203.31(d)). Two comparisons, both
//! per lot:
//!
//! - a physical count against the book **as of the count's time** (every ledger line with
//!   `occurred_at <= counted_at`), so a movement after the count never hides a difference;
//!   a lot the rep held then but left out of the count is *not counted*, never 0;
//! - a period: opening balance (the last physical count before the period, carried to the
//!   period's start by the movements in between; the book only for a lot that count did not
//!   list) + received + transferred in - distributed (disbursed, transferred out, returned,
//!   destroyed) - lost or stolen, set against the period's last count at that count's time.
//!
//! And the annual inventory rule (203.31(d)(1)): a count is due a year after the last one.
//! Every sum is checked: quantities are bounded (`MAX_UNITS`), so an overflow means corrupt
//! data and is reported as [`OutOfRange`], never wrapped.

use super::{LedgerEntry, TxnKind};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;
use uuid::Uuid;

/// A sum went beyond `i64` (impossible with bounded quantities: corrupt data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

/// `a + b`, checked.
pub fn plus(a: i64, b: i64) -> Result<i64, OutOfRange> {
    a.checked_add(b).ok_or(OutOfRange)
}

/// `a - b`, checked.
pub fn minus(a: i64, b: i64) -> Result<i64, OutOfRange> {
    a.checked_sub(b).ok_or(OutOfRange)
}

/// The signed effect of a ledger line on the book.
fn signed(e: &LedgerEntry) -> Result<i64, OutOfRange> {
    e.quantity.checked_mul(e.kind.sign()).ok_or(OutOfRange)
}

/// Where a lot's opening balance comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpeningSource {
    /// The last physical count before the period listed the lot: its units plus the
    /// movements between that count and the period's start.
    Count,
    /// No count before the period listed the lot: every movement before the period.
    #[default]
    Book,
}

/// The movements of one lot (or, summed, of one SKU) over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Balance {
    /// Units at the period's start: `opening_counted + moved_before_period` when
    /// `opening_source` is `count`, the book before the period when it is `book`.
    pub opening: i64,
    pub opening_source: OpeningSource,
    /// Units of the lot found by the opening count (the report's `opening_count`).
    pub opening_counted: Option<i64>,
    /// Net movements between the opening count and the period's start (0 from the book).
    pub moved_before_period: i64,
    pub received: i64,
    pub transferred_in: i64,
    pub disbursed: i64,
    pub transferred_out: i64,
    pub returned: i64,
    pub destroyed: i64,
    pub lost: i64,
    pub stolen: i64,
    /// At the period's end: opening + received + transferred_in - (disbursed +
    /// transferred_out + returned + destroyed) - (lost + stolen).
    pub expected: i64,
    /// At the closing count's time: opening + the period's movements up to that time.
    pub expected_at_count: Option<i64>,
    /// Units found by the closing count (the period's last); none when the lot was not counted.
    pub counted: Option<i64>,
    /// The lot was held (book not 0 at the closing count) but the count does not list it.
    pub not_counted: bool,
    /// counted - expected_at_count: what went missing (or appeared) in the period.
    pub discrepancy: Option<i64>,
}

/// Adds `b` to `a` when both are known; keeps whichever is known otherwise.
fn plus_opt(a: Option<i64>, b: Option<i64>) -> Result<Option<i64>, OutOfRange> {
    Ok(match (a, b) {
        (Some(x), Some(y)) => Some(plus(x, y)?),
        (x, None) => x,
        (None, y) => y,
    })
}

impl Balance {
    fn add(&mut self, kind: TxnKind, quantity: i64) -> Result<(), OutOfRange> {
        let slot = match kind {
            TxnKind::Receipt => &mut self.received,
            TxnKind::TransferIn => &mut self.transferred_in,
            TxnKind::Disbursement => &mut self.disbursed,
            TxnKind::TransferOut => &mut self.transferred_out,
            TxnKind::Return => &mut self.returned,
            TxnKind::Destruction => &mut self.destroyed,
            TxnKind::Loss => &mut self.lost,
            TxnKind::Theft => &mut self.stolen,
        };
        *slot = plus(*slot, quantity)?;
        Ok(())
    }

    fn close(&mut self) -> Result<(), OutOfRange> {
        let came = plus(plus(self.opening, self.received)?, self.transferred_in)?;
        let distributed = [self.transferred_out, self.returned, self.destroyed]
            .into_iter()
            .try_fold(self.disbursed, plus)?;
        let lost = plus(self.lost, self.stolen)?;
        self.expected = minus(minus(came, distributed)?, lost)?;
        self.discrepancy = match (self.counted, self.expected_at_count) {
            (Some(c), Some(e)) => Some(minus(c, e)?),
            _ => None,
        };
        Ok(())
    }

    fn sum(&mut self, o: &Balance) -> Result<(), OutOfRange> {
        for (a, b) in [
            (&mut self.opening, o.opening),
            (&mut self.moved_before_period, o.moved_before_period),
            (&mut self.received, o.received),
            (&mut self.transferred_in, o.transferred_in),
            (&mut self.disbursed, o.disbursed),
            (&mut self.transferred_out, o.transferred_out),
            (&mut self.returned, o.returned),
            (&mut self.destroyed, o.destroyed),
            (&mut self.lost, o.lost),
            (&mut self.stolen, o.stolen),
            (&mut self.expected, o.expected),
        ] {
            *a = plus(*a, b)?;
        }
        if o.opening_source == OpeningSource::Book {
            self.opening_source = OpeningSource::Book;
        }
        self.opening_counted = plus_opt(self.opening_counted, o.opening_counted)?;
        self.expected_at_count = plus_opt(self.expected_at_count, o.expected_at_count)?;
        self.counted = plus_opt(self.counted, o.counted)?;
        self.discrepancy = plus_opt(self.discrepancy, o.discrepancy)?;
        self.not_counted |= o.not_counted;
        Ok(())
    }
}

/// A physical count: when it was taken and the units found per lot.
#[derive(Debug, Clone, Copy)]
pub struct Counted<'a> {
    pub at: DateTime<Utc>,
    pub units: &'a HashMap<Uuid, i64>,
}

/// The book per lot as of `at`, inclusive (every line with `occurred_at <= at`).
pub fn book_at(
    entries: &[LedgerEntry],
    at: DateTime<Utc>,
) -> Result<HashMap<Uuid, i64>, OutOfRange> {
    let mut book: HashMap<Uuid, i64> = HashMap::new();
    for e in entries.iter().filter(|e| e.occurred_at <= at) {
        let n = book.entry(e.lot_id).or_default();
        *n = plus(*n, signed(e)?)?;
    }
    Ok(book)
}

/// Whether a lot was found by a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountStatus {
    Counted,
    /// The book held units of the lot at the count's time and the count does not list it.
    NotCounted,
}

/// One lot of a count set against the book as of the count's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CountComparison {
    pub lot_id: Uuid,
    pub status: CountStatus,
    pub counted: Option<i64>,
    /// Every ledger line of the lot up to and including the count's time.
    pub book: i64,
    /// counted - book; none when not counted.
    pub difference: Option<i64>,
}

/// A count set against the book as of its time, per lot (by lot id): every lot counted, and
/// every lot the book held (not 0) that the count does not list, as not counted.
pub fn compare_count(
    entries: &[LedgerEntry],
    count: Counted<'_>,
) -> Result<Vec<CountComparison>, OutOfRange> {
    let book = book_at(entries, count.at)?;
    let mut lots: Vec<Uuid> = book
        .iter()
        .filter(|(_, n)| **n != 0)
        .map(|(l, _)| *l)
        .chain(count.units.keys().copied())
        .collect();
    lots.sort();
    lots.dedup();
    lots.into_iter()
        .map(|lot| {
            let held = book.get(&lot).copied().unwrap_or(0);
            Ok(match count.units.get(&lot) {
                Some(c) => CountComparison {
                    lot_id: lot,
                    status: CountStatus::Counted,
                    counted: Some(*c),
                    book: held,
                    difference: Some(minus(*c, held)?),
                },
                None => CountComparison {
                    lot_id: lot,
                    status: CountStatus::NotCounted,
                    counted: None,
                    book: held,
                    difference: None,
                },
            })
        })
        .collect()
}

/// The period `[start, end)` and the counts that frame it.
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The last count before `start`: the opening balance.
    pub opening: Option<Counted<'a>>,
    /// The last count in the period: what the expected balance is set against.
    pub closing: Option<Counted<'a>>,
}

/// Balances per lot (keyed by lot id, with the lot's SKU; nil for a lot seen only in a
/// count) for the entries of one rep.
pub fn reconcile(
    entries: &[LedgerEntry],
    period: Period<'_>,
) -> Result<BTreeMap<Uuid, (Uuid, Balance)>, OutOfRange> {
    let mut lots: BTreeMap<Uuid, (Uuid, Balance)> = BTreeMap::new();
    let counted_lots = [period.opening, period.closing]
        .into_iter()
        .flatten()
        .flat_map(|c| c.units.keys().copied());
    for lot in counted_lots {
        lots.entry(lot).or_insert((Uuid::nil(), Balance::default()));
    }
    let mut book_before: HashMap<Uuid, i64> = HashMap::new();
    let mut moved_since_opening: HashMap<Uuid, i64> = HashMap::new();
    let mut moved_to_closing: HashMap<Uuid, i64> = HashMap::new();
    for e in entries.iter().filter(|e| e.occurred_at < period.end) {
        let (sku, b) = lots
            .entry(e.lot_id)
            .or_insert((e.sku_id, Balance::default()));
        *sku = e.sku_id;
        let n = signed(e)?;
        if e.occurred_at < period.start {
            let before = book_before.entry(e.lot_id).or_default();
            *before = plus(*before, n)?;
            if period.opening.is_some_and(|o| e.occurred_at > o.at) {
                let m = moved_since_opening.entry(e.lot_id).or_default();
                *m = plus(*m, n)?;
            }
        } else {
            b.add(e.kind, e.quantity)?;
            if period.closing.is_some_and(|c| e.occurred_at <= c.at) {
                let m = moved_to_closing.entry(e.lot_id).or_default();
                *m = plus(*m, n)?;
            }
        }
    }
    let closing_book = match period.closing {
        Some(c) => book_at(entries, c.at)?,
        None => HashMap::new(),
    };
    for (lot, (_, b)) in lots.iter_mut() {
        let get = |m: &HashMap<Uuid, i64>| m.get(lot).copied().unwrap_or(0);
        match period.opening.and_then(|o| o.units.get(lot)) {
            Some(c) => {
                b.opening_source = OpeningSource::Count;
                b.opening_counted = Some(*c);
                b.moved_before_period = get(&moved_since_opening);
                b.opening = plus(*c, b.moved_before_period)?;
            }
            None => b.opening = get(&book_before),
        }
        if let Some(c) = period.closing {
            b.expected_at_count = Some(plus(b.opening, get(&moved_to_closing))?);
            b.counted = c.units.get(lot).copied();
            b.not_counted = b.counted.is_none() && get(&closing_book) != 0;
        }
        b.close()?;
    }
    Ok(lots)
}

/// Sums lot balances per SKU (product and strength).
pub fn per_sku(
    lots: &BTreeMap<Uuid, (Uuid, Balance)>,
) -> Result<BTreeMap<Uuid, Balance>, OutOfRange> {
    let mut skus: BTreeMap<Uuid, Balance> = BTreeMap::new();
    for (sku, b) in lots.values() {
        match skus.get_mut(sku) {
            Some(total) => total.sum(b)?,
            None => {
                skus.insert(*sku, b.clone());
            }
        }
    }
    Ok(skus)
}

/// Where a rep stands with the annual physical inventory (203.31(d)(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnualStatus {
    /// The next count is due on or after today.
    Current,
    /// The due day has passed without a count.
    Overdue,
    /// Never counted and never held samples: nothing to count yet.
    NotDue,
}

/// The day the next physical inventory is due: a year after the last count, or, for a rep
/// never counted, a year after their first movement; and whether it is overdue on `today`.
pub fn annual_due(
    last_count: Option<NaiveDate>,
    first_movement: Option<NaiveDate>,
    today: NaiveDate,
) -> (Option<NaiveDate>, AnnualStatus) {
    let due = last_count
        .or(first_movement)
        .and_then(|d| d.checked_add_months(Months::new(12)));
    let status = match due {
        None => AnnualStatus::NotDue,
        Some(d) if today > d => AnnualStatus::Overdue,
        Some(_) => AnnualStatus::Current,
    };
    (due, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: TxnKind, quantity: i64, at: &str, lot: Uuid) -> LedgerEntry {
        LedgerEntry {
            id: Uuid::now_v7(),
            rep_id: Uuid::nil(),
            kind,
            sku_id: Uuid::nil(),
            lot_id: lot,
            quantity,
            occurred_at: at.parse().unwrap(),
            counterparty: String::new(),
            reference_id: None,
        }
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn expected_balance_and_discrepancy_at_the_counts_time() {
        let lot = Uuid::now_v7();
        let entries = vec![
            entry(TxnKind::Receipt, 100, "2026-01-05T00:00:00Z", lot),
            entry(TxnKind::Disbursement, 10, "2026-01-20T00:00:00Z", lot),
            entry(TxnKind::Receipt, 50, "2026-02-02T00:00:00Z", lot),
            entry(TxnKind::TransferIn, 5, "2026-02-03T00:00:00Z", lot),
            entry(TxnKind::Disbursement, 12, "2026-02-10T00:00:00Z", lot),
            entry(TxnKind::Theft, 3, "2026-02-11T00:00:00Z", lot),
            entry(TxnKind::Return, 20, "2026-02-12T00:00:00Z", lot),
            // After the count, still in the period: it must not hide the count's shortfall.
            entry(TxnKind::Disbursement, 7, "2026-02-25T00:00:00Z", lot),
        ];
        let counts = HashMap::from([(lot, 108)]);
        let lots = reconcile(
            &entries,
            Period {
                start: t("2026-02-01T00:00:00Z"),
                end: t("2026-03-01T00:00:00Z"),
                opening: None,
                closing: Some(Counted {
                    at: t("2026-02-20T00:00:00Z"),
                    units: &counts,
                }),
            },
        )
        .unwrap();
        let b = &lots[&lot].1;
        assert_eq!(
            (b.opening, b.opening_source, b.received, b.transferred_in),
            (90, OpeningSource::Book, 50, 5)
        );
        assert_eq!((b.disbursed, b.stolen, b.returned), (19, 3, 20));
        assert_eq!(b.expected, 103);
        assert_eq!(b.expected_at_count, Some(110));
        assert_eq!(b.discrepancy, Some(-2));
        assert_eq!(per_sku(&lots).unwrap()[&Uuid::nil()].expected, 103);
    }

    #[test]
    fn a_later_movement_never_hides_a_count_difference() {
        let lot = Uuid::now_v7();
        let entries = vec![
            entry(TxnKind::Receipt, 60, "2026-01-05T00:00:00Z", lot),
            entry(TxnKind::Disbursement, 1, "2026-01-07T00:00:00Z", lot),
        ];
        let units = HashMap::from([(lot, 59)]);
        let at = t("2026-01-06T00:00:00Z");
        let got = compare_count(&entries, Counted { at, units: &units }).unwrap();
        assert_eq!(
            (got[0].counted, got[0].book, got[0].difference),
            (Some(59), 60, Some(-1))
        );
    }

    #[test]
    fn the_opening_comes_from_the_last_count_and_held_lots_left_out_are_not_counted() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let entries = vec![
            entry(TxnKind::Receipt, 60, "2026-01-05T00:00:00Z", a),
            entry(TxnKind::Receipt, 10, "2026-01-05T00:00:00Z", b),
            entry(TxnKind::Disbursement, 4, "2026-01-20T00:00:00Z", a),
            entry(TxnKind::Disbursement, 6, "2026-02-10T00:00:00Z", a),
        ];
        let opening = HashMap::from([(a, 59)]); // one short, b left out
        let closing = HashMap::from([(a, 49)]); // b left out again
        let lots = reconcile(
            &entries,
            Period {
                start: t("2026-02-01T00:00:00Z"),
                end: t("2026-03-01T00:00:00Z"),
                opening: Some(Counted {
                    at: t("2026-01-10T00:00:00Z"),
                    units: &opening,
                }),
                closing: Some(Counted {
                    at: t("2026-02-20T00:00:00Z"),
                    units: &closing,
                }),
            },
        )
        .unwrap();
        let la = &lots[&a].1;
        assert_eq!(
            (
                la.opening_source,
                la.opening_counted,
                la.moved_before_period
            ),
            (OpeningSource::Count, Some(59), -4)
        );
        assert_eq!(
            (la.opening, la.expected_at_count, la.discrepancy),
            (55, Some(49), Some(0))
        );
        let lb = &lots[&b].1;
        assert_eq!((lb.opening_source, lb.opening), (OpeningSource::Book, 10));
        assert!(lb.not_counted && lb.counted.is_none() && lb.discrepancy.is_none());
        let by_count = compare_count(
            &entries,
            Counted {
                at: t("2026-02-20T00:00:00Z"),
                units: &closing,
            },
        )
        .unwrap();
        let missing = by_count.iter().find(|c| c.lot_id == b).unwrap();
        assert_eq!(
            (missing.status, missing.book),
            (CountStatus::NotCounted, 10)
        );
    }

    #[test]
    fn the_annual_inventory_is_due_a_year_after_the_last_count() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            annual_due(
                Some(d("2025-03-01")),
                Some(d("2024-01-01")),
                d("2026-03-01")
            ),
            (Some(d("2026-03-01")), AnnualStatus::Current)
        );
        assert_eq!(
            annual_due(Some(d("2025-03-01")), None, d("2026-03-02")).1,
            AnnualStatus::Overdue
        );
        assert_eq!(
            annual_due(None, Some(d("2025-06-01")), d("2026-06-02")),
            (Some(d("2026-06-01")), AnnualStatus::Overdue)
        );
        assert_eq!(
            annual_due(None, None, d("2026-06-02")).1,
            AnnualStatus::NotDue
        );
    }

    #[test]
    fn sums_are_checked() {
        assert_eq!(plus(i64::MAX, 1), Err(OutOfRange));
        assert_eq!(minus(i64::MIN, 1), Err(OutOfRange));
    }
}

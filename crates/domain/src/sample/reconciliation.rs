//! Reconciliation of a rep's sample inventory over a period (21 CFR 203.31(d)): per lot,
//! opening balance + received + transferred in - distributed (disbursed, transferred out,
//! returned, destroyed) - lost or stolen = expected, set against the physical count.

use super::{LedgerEntry, TxnKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;
use uuid::Uuid;

/// The movements of one lot (or, summed, of one SKU) over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Balance {
    pub opening: i64,
    pub received: i64,
    pub transferred_in: i64,
    pub disbursed: i64,
    pub transferred_out: i64,
    pub returned: i64,
    pub destroyed: i64,
    pub lost: i64,
    pub stolen: i64,
    /// opening + received + transferred_in - (disbursed + transferred_out + returned +
    /// destroyed) - (lost + stolen).
    pub expected: i64,
    /// The physical count, when one was recorded for the period.
    pub counted: Option<i64>,
    /// counted - expected.
    pub discrepancy: Option<i64>,
}

impl Balance {
    fn add(&mut self, kind: TxnKind, quantity: i64) {
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
        *slot += quantity;
    }

    fn close(&mut self, counted: Option<i64>) {
        self.expected = self.opening + self.received + self.transferred_in
            - (self.disbursed + self.transferred_out + self.returned + self.destroyed)
            - (self.lost + self.stolen);
        self.counted = counted;
        self.discrepancy = counted.map(|c| c - self.expected);
    }

    fn sum(&mut self, other: &Balance) {
        self.opening += other.opening;
        self.received += other.received;
        self.transferred_in += other.transferred_in;
        self.disbursed += other.disbursed;
        self.transferred_out += other.transferred_out;
        self.returned += other.returned;
        self.destroyed += other.destroyed;
        self.lost += other.lost;
        self.stolen += other.stolen;
        self.expected += other.expected;
        self.counted = match (self.counted, other.counted) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.discrepancy = match (self.discrepancy, other.discrepancy) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
    }
}

/// Balances per lot (keyed by lot id, with the SKU of the lot) for entries of one rep.
/// `counts` is the physical count per lot at the end of the period, if one was taken; a
/// lot the count does not list counts as zero when a count exists.
pub fn reconcile(
    entries: &[LedgerEntry],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    counts: Option<&HashMap<Uuid, i64>>,
) -> BTreeMap<Uuid, (Uuid, Balance)> {
    let mut lots: BTreeMap<Uuid, (Uuid, Balance)> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.occurred_at < to) {
        let (_, b) = lots
            .entry(e.lot_id)
            .or_insert_with(|| (e.sku_id, Balance::default()));
        if e.occurred_at < from {
            b.opening += e.kind.sign() * e.quantity;
        } else {
            b.add(e.kind, e.quantity);
        }
    }
    if let Some(counts) = counts {
        for lot in counts.keys() {
            lots.entry(*lot)
                .or_insert_with(|| (Uuid::nil(), Balance::default()));
        }
    }
    for (lot, (_, b)) in lots.iter_mut() {
        b.close(counts.map(|c| c.get(lot).copied().unwrap_or(0)));
    }
    lots
}

/// Sums lot balances per SKU (product and strength).
pub fn per_sku(lots: &BTreeMap<Uuid, (Uuid, Balance)>) -> BTreeMap<Uuid, Balance> {
    let mut skus: BTreeMap<Uuid, Balance> = BTreeMap::new();
    for (sku, b) in lots.values() {
        skus.entry(*sku).or_default().sum(b);
    }
    skus
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

    #[test]
    fn expected_balance_and_discrepancy() {
        let lot = Uuid::now_v7();
        let entries = vec![
            entry(TxnKind::Receipt, 100, "2026-01-05T00:00:00Z", lot),
            entry(TxnKind::Disbursement, 10, "2026-01-20T00:00:00Z", lot),
            entry(TxnKind::Receipt, 50, "2026-02-02T00:00:00Z", lot),
            entry(TxnKind::TransferIn, 5, "2026-02-03T00:00:00Z", lot),
            entry(TxnKind::Disbursement, 12, "2026-02-10T00:00:00Z", lot),
            entry(TxnKind::Theft, 3, "2026-02-11T00:00:00Z", lot),
            entry(TxnKind::Return, 20, "2026-02-12T00:00:00Z", lot),
            entry(TxnKind::Disbursement, 7, "2026-03-02T00:00:00Z", lot),
        ];
        let counts = HashMap::from([(lot, 108)]);
        let lots = reconcile(
            &entries,
            "2026-02-01T00:00:00Z".parse().unwrap(),
            "2026-03-01T00:00:00Z".parse().unwrap(),
            Some(&counts),
        );
        let b = &lots[&lot].1;
        assert_eq!(
            (
                b.opening,
                b.received,
                b.transferred_in,
                b.disbursed,
                b.stolen,
                b.returned
            ),
            (90, 50, 5, 12, 3, 20)
        );
        assert_eq!(b.expected, 110);
        assert_eq!(b.discrepancy, Some(-2));
        assert_eq!(per_sku(&lots)[&Uuid::nil()].expected, 110);
    }
}

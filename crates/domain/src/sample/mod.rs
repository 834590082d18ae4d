//! Sample accountability (PDMA, 21 CFR Part 203): lots, the rep's inventory ledger, the
//! limits and eligibility rules checked at the point of disbursement, the signed record
//! (21 CFR Part 11) and the reconciliation of a rep's inventory. Pure rules: the server runs
//! them when a record arrives and the field app runs the same rules offline
//! (`web/src/offline/samples.ts`, kept in step by `vectors/sample_rules.json`).

pub mod check;
pub mod limits;
pub mod loss;
pub mod reconciliation;
pub mod signature;
pub mod views;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A movement in a rep's sample inventory. Quantities are always positive; the kind says
/// whether units came in or went out.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TxnKind {
    /// Received from headquarters (a shipment acknowledged).
    Receipt,
    /// Received from another rep (a transfer acknowledged).
    TransferIn,
    /// Sent to another rep.
    TransferOut,
    /// Returned to headquarters.
    Return,
    /// Destroyed (expired or damaged stock, witnessed).
    Destruction,
    /// Given to a practitioner against a signature.
    Disbursement,
    Loss,
    Theft,
}

impl TxnKind {
    pub const ALL: [TxnKind; 8] = [
        TxnKind::Receipt,
        TxnKind::TransferIn,
        TxnKind::TransferOut,
        TxnKind::Return,
        TxnKind::Destruction,
        TxnKind::Disbursement,
        TxnKind::Loss,
        TxnKind::Theft,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TxnKind::Receipt => "receipt",
            TxnKind::TransferIn => "transfer_in",
            TxnKind::TransferOut => "transfer_out",
            TxnKind::Return => "return",
            TxnKind::Destruction => "destruction",
            TxnKind::Disbursement => "disbursement",
            TxnKind::Loss => "loss",
            TxnKind::Theft => "theft",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        TxnKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// +1 when units come into the rep's inventory, -1 when they leave it.
    pub fn sign(self) -> i64 {
        match self {
            TxnKind::Receipt | TxnKind::TransferIn => 1,
            _ => -1,
        }
    }
}

/// One line of the inventory ledger (a fact: never updated; a mistake is corrected by a
/// new entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LedgerEntry {
    pub id: Uuid,
    pub rep_id: Uuid,
    pub kind: TxnKind,
    pub sku_id: Uuid,
    pub lot_id: Uuid,
    pub quantity: i64,
    pub occurred_at: DateTime<Utc>,
    /// Sender (receipts, transfers in) or recipient (disbursements, transfers out, returns).
    pub counterparty: String,
    /// The shipment, transfer, disbursement or loss report this line belongs to.
    pub reference_id: Option<Uuid>,
}

/// A manufactured lot of a sample SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Lot {
    pub id: Uuid,
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub lot_number: String,
    pub expires_on: NaiveDate,
}

/// Most units one line may carry (a shipment, a receipt, a disbursement, a count): far above
/// any real sample movement, far below where the sums of a rep's book could overflow.
pub const MAX_UNITS: i64 = 100_000;

/// Most one sample unit may be worth, in cents ($100,000), so a line's value cannot overflow.
pub const MAX_UNIT_VALUE_CENTS: i64 = 10_000_000;

/// What is wrong with `quantity` as the units of one line, if anything (`allow_zero` for a
/// physical count, where a lot may be found empty).
pub fn quantity_problem(quantity: i64, allow_zero: bool) -> Option<String> {
    if quantity > MAX_UNITS {
        Some(format!("must be at most {MAX_UNITS}"))
    } else if allow_zero && quantity < 0 {
        Some("cannot be negative".into())
    } else if !allow_zero && quantity < 1 {
        Some("must be at least 1".into())
    } else {
        None
    }
}

/// A quantity of one lot (shipments, transfers, returns, losses, counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LotQuantity {
    pub lot_id: Uuid,
    pub quantity: i64,
}

/// Samples given during a call: the lines (each with its lot) and the HCP's signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DisbursementInput {
    pub id: Uuid,
    pub lines: Vec<check::SampleLine>,
    pub signature: signature::Signature,
    /// The rep saw the warnings (not errors) and went ahead.
    #[serde(default)]
    pub warnings_acknowledged: bool,
}

/// Picks lots for `quantity` units first-expiry-first among lots that have not expired on
/// `on` and have units on hand. Returns what each lot gives; short when stock is short.
pub fn pick_lots(lots: &[(Lot, i64)], quantity: i64, on: NaiveDate) -> Vec<LotQuantity> {
    let mut usable: Vec<&(Lot, i64)> = lots
        .iter()
        .filter(|(l, n)| *n > 0 && l.expires_on >= on)
        .collect();
    usable.sort_by(|a, b| {
        a.0.expires_on
            .cmp(&b.0.expires_on)
            .then(a.0.lot_number.cmp(&b.0.lot_number))
    });
    let mut left = quantity;
    let mut picked = Vec::new();
    for (lot, on_hand) in usable {
        if left <= 0 {
            break;
        }
        let take = left.min(*on_hand);
        picked.push(LotQuantity {
            lot_id: lot.id,
            quantity: take,
        });
        left -= take;
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(n: &str, expires: &str) -> Lot {
        Lot {
            id: Uuid::now_v7(),
            sku_id: Uuid::nil(),
            product_id: Uuid::nil(),
            lot_number: n.into(),
            expires_on: expires.parse().unwrap(),
        }
    }

    #[test]
    fn lots_are_picked_first_expiry_first_skipping_expired_and_empty() {
        let today: NaiveDate = "2026-06-01".parse().unwrap();
        let (old, soon, later, empty) = (
            lot("L0", "2026-05-31"),
            lot("L1", "2026-07-01"),
            lot("L2", "2027-01-01"),
            lot("L3", "2026-06-15"),
        );
        let stock = vec![
            (later.clone(), 10),
            (old, 10),
            (soon.clone(), 3),
            (empty, 0),
        ];
        let picked = pick_lots(&stock, 5, today);
        assert_eq!(
            picked,
            vec![
                LotQuantity {
                    lot_id: soon.id,
                    quantity: 3
                },
                LotQuantity {
                    lot_id: later.id,
                    quantity: 2
                }
            ]
        );
    }

    #[test]
    fn kinds_round_trip_and_sign() {
        for k in TxnKind::ALL {
            assert_eq!(TxnKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(TxnKind::Receipt.sign() + TxnKind::Disbursement.sign(), 0);
    }
}

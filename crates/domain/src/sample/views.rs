//! What the API and the field app show of samples: the rep's sample book (everything the
//! device needs to check a disbursement offline), shipments and transfers in transit,
//! signed records, exceptions, loss/theft reports, counts and the reconciliation report.

use super::check::{AllocationFacts, CredentialRule, Finding};
use super::limits::{PastSample, SampleLimit};
use super::reconciliation::{AnnualStatus, Balance, CountStatus};
use super::signature::Signature;
use super::{LedgerEntry, LotQuantity, TxnKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A lot as a rep sees it, with what they hold of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LotView {
    pub lot_id: Uuid,
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub ndc: String,
    pub strength: String,
    pub lot_number: String,
    pub expires_on: NaiveDate,
    pub on_hand: i64,
}

/// A shipment from headquarters or a transfer from another rep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ShipmentView {
    pub id: Uuid,
    /// `shipment` (from headquarters) or `transfer` (from a rep).
    pub kind: String,
    pub from_rep_id: Option<Uuid>,
    pub to_rep_id: Uuid,
    pub sender: String,
    pub recipient: String,
    pub sent_at: String,
    pub lines: Vec<LotQuantity>,
    /// `in_transit` or `received`.
    pub status: String,
    pub received_at: Option<String>,
    pub received_lines: Option<Vec<LotQuantity>>,
    pub note: Option<String>,
}

/// A key message of a product: a benefit claim or the risk information that balances it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KeyMessage {
    pub id: Uuid,
    pub product_id: Uuid,
    /// `benefit` or `risk`.
    pub kind: String,
    pub text: String,
}

/// A colleague samples can be transferred to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Colleague {
    pub id: Uuid,
    pub name: String,
}

/// Everything a rep's device needs for samples, shipped as one record by sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleBook {
    pub rep_id: Uuid,
    pub lots: Vec<LotView>,
    pub allocations: Vec<AllocationFacts>,
    pub limits: Vec<SampleLimit>,
    pub credential_rules: Vec<CredentialRule>,
    pub key_messages: Vec<KeyMessage>,
    /// What HCPs of the rep's territories received or requested (every rep's records).
    pub history: Vec<PastSample>,
    /// Shipments and transfers waiting for this rep to acknowledge.
    pub incoming: Vec<ShipmentView>,
    /// The rep's ledger over the last 120 days, newest first.
    pub recent: Vec<LedgerEntry>,
    pub colleagues: Vec<Colleague>,
    /// Every sample SKU with what the rules need (schedule, unit value).
    pub skus: Vec<super::check::SkuFacts>,
    /// Manufacturer of each product (for the signed record).
    pub manufacturers: Vec<Manufacturer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Manufacturer {
    pub product_id: Uuid,
    pub name: String,
}

/// A signed disbursement or request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleRecord {
    pub id: Uuid,
    /// `sample_disbursement` or `sample_request`.
    pub record_type: String,
    pub call_id: Option<Uuid>,
    pub rep_id: Uuid,
    pub rep_name: String,
    pub hcp_id: Uuid,
    pub hcp_name: String,
    pub occurred_at: String,
    /// State where the samples were given (or shipped to).
    pub state: String,
    pub ship_to: Option<String>,
    pub lines: Vec<super::check::SampleLine>,
    pub signature: Signature,
    /// Rules the server found broken when the record arrived.
    pub findings: Vec<Finding>,
    pub corrects: Option<Uuid>,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleException {
    pub id: Uuid,
    pub record_id: Uuid,
    pub record_type: String,
    pub rep_id: Uuid,
    pub rep_name: String,
    pub hcp_id: Option<Uuid>,
    pub hcp_name: Option<String>,
    pub findings: Vec<Finding>,
    /// When the samples were given or requested (the record's time).
    pub occurred_at: Option<String>,
    /// When the server raised the exception (the record arrived).
    pub raised_at: String,
    /// `open` or `closed`.
    pub status: String,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub comment: Option<String>,
    /// For suspected falsification of a sample record (`signer_mismatch`,
    /// `signature_copied`): the day FDA must be notified by, 5 working days after discovery
    /// (21 CFR 203.37(a)).
    pub fda_notice_due: Option<NaiveDate>,
    /// Open past its FDA notice day.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LossReport {
    pub id: Uuid,
    pub rep_id: Uuid,
    pub rep_name: String,
    /// `loss` or `theft`.
    pub kind: String,
    pub reason: String,
    pub police_report: Option<String>,
    pub discovered_on: NaiveDate,
    pub lines: Vec<LotQuantity>,
    pub reported_at: String,
    pub fda_notice_due: NaiveDate,
    pub written_report_due: NaiveDate,
    pub fda_notified_on: Option<NaiveDate>,
    pub written_report_on: Option<NaiveDate>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub note: Option<String>,
    /// `overdue` when a deadline passed with its step not done, `open` or `closed`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InventoryCount {
    pub id: Uuid,
    pub rep_id: Uuid,
    pub counted_at: String,
    pub lines: Vec<LotQuantity>,
    /// The rep's explanation of the differences from the book (required when there are any).
    #[serde(default)]
    pub explanation: Option<String>,
}

/// One lot of a physical count set against the book as of the count's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CountLine {
    pub lot_id: Uuid,
    pub lot_number: String,
    pub product: String,
    pub strength: String,
    /// `not_counted` when the rep held the lot (book not 0) and the count does not list it.
    pub status: CountStatus,
    pub counted: Option<i64>,
    /// Every ledger line of the lot up to and including the count's time.
    pub book: i64,
    /// counted - book (none when not counted).
    pub difference: Option<i64>,
}

/// A physical count compared with the book as of its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CountCheck {
    pub id: Uuid,
    pub counted_at: String,
    pub explanation: Option<String>,
    pub lines: Vec<CountLine>,
    /// Lots counted with a difference from the book.
    pub lots_differing: i64,
    /// Lots held but not counted.
    pub lots_not_counted: i64,
    /// Sum of the differences of the lots counted.
    pub net_difference: i64,
}

/// Where a rep stands with the annual physical inventory (21 CFR 203.31(d)(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnnualInventory {
    /// The rep's last physical count (any time up to today).
    pub last_count_at: Option<String>,
    /// A year after the last count (after the first movement when never counted).
    pub due_on: Option<NaiveDate>,
    pub status: AnnualStatus,
}

/// One rep in the compliance roll-up of physical inventories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RepInventoryStatus {
    pub rep_id: Uuid,
    pub rep_name: String,
    pub annual: AnnualInventory,
    pub last_count_id: Option<Uuid>,
    /// Open exceptions raised by the rep's counts (discrepancies not yet reviewed).
    pub open_discrepancies: i64,
    /// Units on the rep's book today.
    pub on_hand: i64,
    /// At the last count: units counted, the book of the lots counted as of the count's
    /// time, and counted - book.
    pub last_counted: Option<i64>,
    pub last_book: Option<i64>,
    pub last_difference: Option<i64>,
    /// At the last count: lots held but not counted.
    pub lots_not_counted: i64,
}

/// Sums over the reps of the roll-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InventoryTotals {
    pub reps: i64,
    pub overdue: i64,
    pub never_counted: i64,
    pub open_discrepancies: i64,
    pub on_hand: i64,
    pub last_counted: i64,
    pub last_book: i64,
    pub last_difference: i64,
    pub lots_not_counted: i64,
}

/// The physical inventories of every rep the caller oversees, for compliance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InventoryRollup {
    /// The day overdue is judged on (the server's today).
    pub as_of: NaiveDate,
    pub reps: Vec<RepInventoryStatus>,
    pub totals: InventoryTotals,
    /// How each figure is computed, in words.
    pub method: String,
}

/// One movement listed in the reconciliation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MovementLine {
    pub occurred_at: String,
    pub kind: TxnKind,
    pub product: String,
    pub strength: String,
    pub lot_number: String,
    pub quantity: i64,
    /// Sender of a receipt, recipient of a distribution.
    pub counterparty: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LotBalance {
    pub lot_id: Uuid,
    pub lot_number: String,
    pub product: String,
    pub strength: String,
    pub expires_on: Option<NaiveDate>,
    pub balance: Balance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProductBalance {
    pub sku_id: Uuid,
    pub product: String,
    pub strength: String,
    pub balance: Balance,
}

/// The reconciliation of one rep's inventory over a period (21 CFR 203.31(d)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReconciliationReport {
    pub rep_id: Uuid,
    pub rep_name: String,
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
    /// The last physical count before the period, where the opening balances come from.
    pub opening_count: Option<InventoryCount>,
    /// The closing count: the latest in the period, if any (`per_lot`'s counted).
    pub count: Option<InventoryCount>,
    /// Every count in the period, each compared with the book as of its own time.
    pub counts: Vec<CountCheck>,
    /// The rep's annual inventory as of today.
    pub annual: AnnualInventory,
    pub receipts: Vec<MovementLine>,
    pub distributions: Vec<MovementLine>,
    pub losses: Vec<MovementLine>,
    pub per_lot: Vec<LotBalance>,
    pub per_product: Vec<ProductBalance>,
    /// How every figure is computed, in words.
    pub method: String,
}

/// A rep's allocation of a product for a cycle, as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Allocation {
    pub id: Uuid,
    pub rep_id: Uuid,
    pub product_id: Uuid,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub quantity: i64,
}

/// Steps of a loss or theft report done by compliance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LossReportUpdate {
    pub fda_notified_on: Option<NaiveDate>,
    pub written_report_on: Option<NaiveDate>,
    #[serde(default)]
    pub close: bool,
    pub note: Option<String>,
}

//! The reconciliation report of a rep's sample inventory (21 CFR 203.31(d)) and the sample
//! record of an HCP or a lot, as JSON and as CSV for auditors.

use super::{ensure_overseen, overseen_reps};
use crate::auth::Principal;
use crate::{Result, ServiceError, Store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use pharmacrm_domain::sample::reconciliation::{per_sku, reconcile, Balance};
use pharmacrm_domain::sample::views::{
    InventoryCount, LotBalance, MovementLine, ProductBalance, ReconciliationReport, SampleRecord,
};
use pharmacrm_domain::sample::{LedgerEntry, TxnKind};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::samples::{fact_time, RecordFilter};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub const METHOD: &str = "expected = opening balance (every movement before the period) + received from headquarters + \
transferred in - (disbursed + transferred out + returned + destroyed) - (lost + stolen); discrepancy = physical count - expected, \
per lot, using the latest count taken in the period";

pub async fn reconciliation(
    store: &Store,
    principal: &Principal,
    rep_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ReconciliationReport> {
    ensure_overseen(store, principal, rep_id).await?;
    if to < from {
        return Err(ValidationErrors::single("to", "is before from").into());
    }
    let rep = store
        .user(rep_id)
        .await?
        .ok_or(ServiceError::NotFound("rep"))?;
    let (start, end) = period_bounds(from, to)?;
    let entries = store.ledger_of_rep(rep_id, Some(end)).await?;
    let count = count_in_period(store, rep_id, start, end).await?;
    let counts = count.as_ref().map(counted_per_lot);
    let names = Names::load(store).await?;
    let balances = lot_balances(&entries, start, end, counts.as_ref(), &names);
    let per_lot = lot_lines(&balances, &names);
    let per_product = product_lines(&balances, &names);
    let (receipts, distributions, losses) = movements_in_period(&entries, start, &names);
    Ok(ReconciliationReport {
        rep_id,
        rep_name: rep.display_name,
        from,
        to,
        count,
        receipts,
        distributions,
        losses,
        per_lot,
        per_product,
        method: METHOD.into(),
    })
}

/// The period's first instant and the instant after its last day.
fn period_bounds(from: NaiveDate, to: NaiveDate) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let start = from
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or(ServiceError::NotFound("date"))?;
    let end = (to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or(ServiceError::NotFound("date"))?;
    Ok((start, end))
}

/// The rep's latest physical count before `end`, if it was taken in the period.
async fn count_in_period(
    store: &Store,
    rep_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Option<InventoryCount>> {
    Ok(store
        .latest_count(rep_id, end)
        .await?
        .filter(|c| c.counted_at.as_str() >= fact_time(start).as_str()))
}

/// Units counted of each lot.
fn counted_per_lot(count: &InventoryCount) -> HashMap<Uuid, i64> {
    let mut m = HashMap::new();
    for l in &count.lines {
        *m.entry(l.lot_id).or_default() += l.quantity;
    }
    m
}

/// Lots by id, and each SKU's product name and strength.
struct Names {
    lots: HashMap<Uuid, pharmacrm_domain::sample::Lot>,
    skus: HashMap<Uuid, (String, String)>,
}

impl Names {
    async fn load(store: &Store) -> Result<Self> {
        let lots = store.lots().await?.into_iter().map(|l| (l.id, l)).collect();
        let skus = store
            .sku_facts()
            .await?
            .into_iter()
            .map(|s| (s.sku_id, (s.product_name, s.strength)))
            .collect();
        Ok(Names { lots, skus })
    }

    /// Product name and strength of a SKU (empty when unknown).
    fn of_sku(&self, sku: &Uuid) -> (String, String) {
        self.skus.get(sku).cloned().unwrap_or_default()
    }

    /// Number of a lot (empty when unknown).
    fn lot_number(&self, lot: &Uuid) -> String {
        self.lots
            .get(lot)
            .map(|l| l.lot_number.clone())
            .unwrap_or_default()
    }
}

/// The balance of each lot with its SKU; a lot seen only in the count takes its SKU from
/// the lot list.
fn lot_balances(
    entries: &[LedgerEntry],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    counts: Option<&HashMap<Uuid, i64>>,
    names: &Names,
) -> BTreeMap<Uuid, (Uuid, Balance)> {
    let mut balances = reconcile(entries, start, end, counts);
    for (lot, (sku, _)) in balances.iter_mut() {
        if sku.is_nil() {
            if let Some(l) = names.lots.get(lot) {
                *sku = l.sku_id;
            }
        }
    }
    balances
}

fn lot_lines(balances: &BTreeMap<Uuid, (Uuid, Balance)>, names: &Names) -> Vec<LotBalance> {
    balances
        .iter()
        .map(|(lot, (sku, b))| {
            let (product, strength) = names.of_sku(sku);
            let l = names.lots.get(lot);
            LotBalance {
                lot_id: *lot,
                lot_number: l.map(|l| l.lot_number.clone()).unwrap_or_default(),
                product,
                strength,
                expires_on: l.map(|l| l.expires_on),
                balance: b.clone(),
            }
        })
        .collect()
}

fn product_lines(balances: &BTreeMap<Uuid, (Uuid, Balance)>, names: &Names) -> Vec<ProductBalance> {
    per_sku(balances)
        .into_iter()
        .map(|(sku, balance)| {
            let (product, strength) = names.of_sku(&sku);
            ProductBalance {
                sku_id: sku,
                product,
                strength,
                balance,
            }
        })
        .collect()
}

/// The movements from `start` on, as receipts, distributions and losses.
fn movements_in_period(
    entries: &[LedgerEntry],
    start: DateTime<Utc>,
    names: &Names,
) -> (Vec<MovementLine>, Vec<MovementLine>, Vec<MovementLine>) {
    let (mut receipts, mut distributions, mut losses) = (Vec::new(), Vec::new(), Vec::new());
    for e in entries.iter().filter(|e| e.occurred_at >= start) {
        let (product, strength) = names.of_sku(&e.sku_id);
        let line = MovementLine {
            occurred_at: fact_time(e.occurred_at),
            kind: e.kind,
            product,
            strength,
            lot_number: names.lot_number(&e.lot_id),
            quantity: e.quantity,
            counterparty: e.counterparty.clone(),
        };
        match e.kind {
            TxnKind::Receipt | TxnKind::TransferIn => receipts.push(line),
            TxnKind::Loss | TxnKind::Theft => losses.push(line),
            _ => distributions.push(line),
        }
    }
    (receipts, distributions, losses)
}

fn balance_cells(b: &Balance) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    vec![
        b.opening.to_string(),
        b.received.to_string(),
        b.transferred_in.to_string(),
        b.disbursed.to_string(),
        b.transferred_out.to_string(),
        b.returned.to_string(),
        b.destroyed.to_string(),
        b.lost.to_string(),
        b.stolen.to_string(),
        b.expected.to_string(),
        opt(b.counted),
        opt(b.discrepancy),
    ]
}

const BALANCE_HEADERS: [&str; 12] = [
    "opening",
    "received",
    "transferred_in",
    "disbursed",
    "transferred_out",
    "returned",
    "destroyed",
    "lost",
    "stolen",
    "expected",
    "counted",
    "discrepancy",
];

fn write(w: &mut csv::Writer<Vec<u8>>, cells: &[String]) -> Result<()> {
    w.write_record(cells)
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// The report as one CSV file: sections told apart by the first column.
pub fn reconciliation_csv(r: &ReconciliationReport) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let s = |v: &str| v.to_string();
    write(
        &mut w,
        &[s("section"), s("rep"), s("from"), s("to"), s("method")],
    )?;
    write(
        &mut w,
        &[
            s("report"),
            r.rep_name.clone(),
            r.from.to_string(),
            r.to.to_string(),
            r.method.clone(),
        ],
    )?;
    let mut head = vec![s("section"), s("product"), s("strength")];
    head.extend(BALANCE_HEADERS.iter().map(|h| h.to_string()));
    write(&mut w, &head)?;
    for p in &r.per_product {
        let mut row = vec![s("product_summary"), p.product.clone(), p.strength.clone()];
        row.extend(balance_cells(&p.balance));
        write(&mut w, &row)?;
    }
    let mut head = vec![
        s("section"),
        s("product"),
        s("strength"),
        s("lot"),
        s("expires_on"),
    ];
    head.extend(BALANCE_HEADERS.iter().map(|h| h.to_string()));
    write(&mut w, &head)?;
    for l in &r.per_lot {
        let mut row = vec![
            s("lot"),
            l.product.clone(),
            l.strength.clone(),
            l.lot_number.clone(),
            l.expires_on.map(|d| d.to_string()).unwrap_or_default(),
        ];
        row.extend(balance_cells(&l.balance));
        write(&mut w, &row)?;
    }
    write(
        &mut w,
        &[
            s("section"),
            s("date"),
            s("type"),
            s("product"),
            s("strength"),
            s("lot"),
            s("units"),
            s("sender_or_recipient"),
        ],
    )?;
    for (section, lines) in [
        ("receipt", &r.receipts),
        ("distribution", &r.distributions),
        ("loss_or_theft", &r.losses),
    ] {
        for m in lines.iter() {
            write(
                &mut w,
                &[
                    s(section),
                    m.occurred_at.clone(),
                    s(m.kind.as_str()),
                    m.product.clone(),
                    m.strength.clone(),
                    m.lot_number.clone(),
                    m.quantity.to_string(),
                    m.counterparty.clone(),
                ],
            )?;
        }
    }
    w.into_inner()
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Signed records of an HCP, a lot or a rep the caller may see.
pub async fn records(
    store: &Store,
    principal: &Principal,
    filter: RecordFilter,
) -> Result<Vec<SampleRecord>> {
    if let RecordFilter::Hcp(id) = filter {
        store
            .hcp(&principal.scope, id)
            .await?
            .ok_or(ServiceError::NotFound("HCP"))?;
    }
    if let RecordFilter::Rep(id) = filter {
        ensure_overseen(store, principal, id).await?;
    }
    // Whatever the filter, a caller sees the records of the reps they oversee (a rep their
    // own): an HCP in scope does not open other reps' signed records.
    let reps = overseen_reps(store, principal).await?;
    Ok(store.sample_records(filter, reps.as_deref()).await?)
}

/// The sample record as CSV: one row per line, with the signature manifestation and hash.
pub fn records_csv(records: &[SampleRecord]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "record_id",
        "record_type",
        "date",
        "rep",
        "hcp",
        "state",
        "ship_to",
        "product",
        "strength",
        "ndc",
        "lot",
        "quantity",
        "signer_name",
        "signed_at",
        "meaning",
        "signature_hash",
        "call_id",
        "findings",
    ];
    write(&mut w, &header.map(String::from))?;
    for r in records {
        for l in &r.signature.record.lines {
            let findings: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
            let row = [
                r.id.to_string(),
                r.record_type.clone(),
                r.occurred_at.clone(),
                r.rep_name.clone(),
                r.hcp_name.clone(),
                r.state.clone(),
                r.ship_to.clone().unwrap_or_default(),
                l.product.clone(),
                l.strength.clone(),
                l.ndc.clone(),
                l.lot_number.clone().unwrap_or_default(),
                l.quantity.to_string(),
                r.signature.record.signer_name.clone(),
                r.signature.record.signed_at.clone(),
                r.signature.record.meaning.clone(),
                r.signature.hash.clone(),
                r.call_id.map(|c| c.to_string()).unwrap_or_default(),
                findings.join(" "),
            ];
            write(&mut w, &row)?;
        }
    }
    w.into_inner()
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

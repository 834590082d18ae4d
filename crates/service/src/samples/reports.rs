//! The reconciliation report of a rep's sample inventory (21 CFR 203.31(d)) and the sample
//! record of an HCP or a lot, as JSON and as CSV for auditors.

use super::mutations::out_of_range;
use super::{ensure_overseen, holder_roles, overseen_reps};
use crate::auth::Principal;
use crate::csv_format::{Cell, CsvOut};
use crate::{Result, ServiceError, Store};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use pharmacrm_domain::sample::reconciliation::{
    annual_due, compare_count, minus, per_sku, plus, reconcile, AnnualStatus, Balance, CountStatus,
    Counted, Period,
};
use pharmacrm_domain::sample::views::{
    AnnualInventory, CountCheck, CountLine, InventoryCount, InventoryRollup, InventoryTotals,
    LotBalance, MovementLine, ProductBalance, ReconciliationReport, RepInventoryStatus,
    SampleRecord,
};
use pharmacrm_domain::sample::{LedgerEntry, TxnKind};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::samples::{fact_time, RecordFilter, RepInventoryRow};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub const METHOD: &str = "Per lot. Opening = the units found by the last physical count before the period plus \
the net movements between that count and the period's start (opening_source count); for a lot that count did not list, \
or with no count before the period, every movement before the period (opening_source book). \
expected (at the period's end) = opening + received from headquarters + transferred in - (disbursed + transferred out + \
returned + destroyed) - (lost + stolen). expected_at_count = opening + the period's movements up to and including the \
closing count's time (the last count in the period); discrepancy = counted - expected_at_count, so a movement after the \
count never hides a difference. A lot held at the count (book not 0) that the count does not list is not counted: its \
counted and discrepancy are blank, never 0. Each count in the period is also set against the book as of its own time \
(every ledger line up to and including counted_at): difference = counted - book. The annual inventory is due a year \
after the rep's last count (a year after the first movement when never counted) and overdue after that day.";

pub const ROLLUP_METHOD: &str = "Per rep holding samples whom you oversee. last count = the rep's latest physical \
count; due = a year after it (a year after the rep's first movement when never counted); overdue when today is after \
the due day. open discrepancies = exceptions raised by the rep's counts that compliance has not closed. on hand = the \
rep's book today. At the last count, per lot counted: last book = every ledger line up to and including the count's \
time; last difference = counted - book; lots not counted = lots the book held then that the count does not list. \
Totals are sums over the reps listed.";

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
    let entries = store.ledger_of_rep(rep_id, None).await?;
    let counts = Timed::all(store.counts_of_rep(rep_id).await?)?;
    let opening = counts.iter().rev().find(|c| c.at < start);
    let in_period: Vec<&Timed> = counts
        .iter()
        .filter(|c| c.at >= start && c.at < end)
        .collect();
    let closing = in_period.last().copied();
    let names = Names::load(store).await?;
    let period = Period {
        start,
        end,
        opening: opening.map(Timed::counted),
        closing: closing.map(Timed::counted),
    };
    let balances = lot_balances(&entries, period, &names)?;
    let (receipts, distributions, losses) = movements_in_period(&entries, start, end, &names);
    Ok(ReconciliationReport {
        rep_id,
        rep_name: rep.display_name,
        from,
        to,
        opening_count: opening.map(|c| c.count.clone()),
        count: closing.map(|c| c.count.clone()),
        counts: in_period
            .iter()
            .map(|c| count_check(&entries, c, &names))
            .collect::<Result<_>>()?,
        annual: annual_of(counts.last(), entries.first(), store.today()),
        receipts,
        distributions,
        losses,
        per_lot: lot_lines(&balances, &names),
        per_product: product_lines(&balances, &names)?,
        method: METHOD.into(),
    })
}

/// The period's first instant and the instant after its last day.
fn period_bounds(from: NaiveDate, to: NaiveDate) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let start = from
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or(ServiceError::NotFound("date"))?;
    let end = to
        .checked_add_signed(Duration::days(1))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| ValidationErrors::single("to", "is out of range"))?;
    Ok((start, end))
}

/// A physical count with its time read and its units summed per lot.
struct Timed {
    count: InventoryCount,
    at: DateTime<Utc>,
    units: HashMap<Uuid, i64>,
}

impl Timed {
    fn all(counts: Vec<InventoryCount>) -> Result<Vec<Timed>> {
        counts.into_iter().map(Timed::of).collect()
    }

    fn of(count: InventoryCount) -> Result<Timed> {
        let at = DateTime::parse_from_rfc3339(&count.counted_at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| ServiceError::Internal(format!("count {}: {e}", count.id)))?;
        let units = counted_per_lot(&count)?;
        Ok(Timed { count, at, units })
    }

    fn counted(&self) -> Counted<'_> {
        Counted {
            at: self.at,
            units: &self.units,
        }
    }
}

/// Units counted of each lot (a lot listed twice is summed).
fn counted_per_lot(count: &InventoryCount) -> Result<HashMap<Uuid, i64>> {
    let mut m: HashMap<Uuid, i64> = HashMap::new();
    for l in &count.lines {
        let n = m.entry(l.lot_id).or_default();
        *n = plus(*n, l.quantity).map_err(out_of_range)?;
    }
    Ok(m)
}

/// A count set against the book as of its time, with lot names and its sums.
fn count_check(entries: &[LedgerEntry], c: &Timed, names: &Names) -> Result<CountCheck> {
    let compared = compare_count(entries, c.counted()).map_err(out_of_range)?;
    let mut check = CountCheck {
        id: c.count.id,
        counted_at: c.count.counted_at.clone(),
        explanation: c.count.explanation.clone(),
        lines: Vec::with_capacity(compared.len()),
        lots_differing: 0,
        lots_not_counted: 0,
        net_difference: 0,
    };
    for x in compared {
        match (x.status, x.difference) {
            (CountStatus::NotCounted, _) => check.lots_not_counted += 1,
            (CountStatus::Counted, Some(d)) if d != 0 => {
                check.lots_differing += 1;
                check.net_difference = plus(check.net_difference, d).map_err(out_of_range)?;
            }
            _ => {}
        }
        let sku = names
            .lots
            .get(&x.lot_id)
            .map(|l| l.sku_id)
            .unwrap_or_default();
        let (product, strength) = names.of_sku(&sku);
        check.lines.push(CountLine {
            lot_id: x.lot_id,
            lot_number: names.lot_number(&x.lot_id),
            product,
            strength,
            status: x.status,
            counted: x.counted,
            book: x.book,
            difference: x.difference,
        });
    }
    Ok(check)
}

/// The annual inventory as of `today`, from the rep's last count and first movement.
fn annual_of(
    last: Option<&Timed>,
    first_movement: Option<&LedgerEntry>,
    today: NaiveDate,
) -> AnnualInventory {
    let (due_on, status) = annual_due(
        last.map(|c| c.at.date_naive()),
        first_movement.map(|e| e.occurred_at.date_naive()),
        today,
    );
    AnnualInventory {
        last_count_at: last.map(|c| c.count.counted_at.clone()),
        due_on,
        status,
    }
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

/// The balance of each lot with its SKU; a lot seen only in a count takes its SKU from the
/// lot list.
fn lot_balances(
    entries: &[LedgerEntry],
    period: Period<'_>,
    names: &Names,
) -> Result<BTreeMap<Uuid, (Uuid, Balance)>> {
    let mut balances = reconcile(entries, period).map_err(out_of_range)?;
    for (lot, (sku, _)) in balances.iter_mut() {
        if sku.is_nil() {
            if let Some(l) = names.lots.get(lot) {
                *sku = l.sku_id;
            }
        }
    }
    Ok(balances)
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

fn product_lines(
    balances: &BTreeMap<Uuid, (Uuid, Balance)>,
    names: &Names,
) -> Result<Vec<ProductBalance>> {
    Ok(per_sku(balances)
        .map_err(out_of_range)?
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
        .collect())
}

/// The movements in `[start, end)`, as receipts, distributions and losses.
fn movements_in_period(
    entries: &[LedgerEntry],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    names: &Names,
) -> (Vec<MovementLine>, Vec<MovementLine>, Vec<MovementLine>) {
    let (mut receipts, mut distributions, mut losses) = (Vec::new(), Vec::new(), Vec::new());
    for e in entries
        .iter()
        .filter(|e| e.occurred_at >= start && e.occurred_at < end)
    {
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

fn opt(v: Option<i64>) -> Cell {
    Cell::optional(v)
}

fn balance_cells(b: &Balance) -> Vec<Cell> {
    let source = match b.opening_source {
        pharmacrm_domain::sample::reconciliation::OpeningSource::Count => "count",
        pharmacrm_domain::sample::reconciliation::OpeningSource::Book => "book",
    };
    vec![
        Cell::number(b.opening),
        source.into(),
        opt(b.opening_counted),
        Cell::number(b.moved_before_period),
        Cell::number(b.received),
        Cell::number(b.transferred_in),
        Cell::number(b.disbursed),
        Cell::number(b.transferred_out),
        Cell::number(b.returned),
        Cell::number(b.destroyed),
        Cell::number(b.lost),
        Cell::number(b.stolen),
        Cell::number(b.expected),
        opt(b.expected_at_count),
        if b.not_counted {
            "not counted".into()
        } else {
            opt(b.counted)
        },
        opt(b.discrepancy),
    ]
}

const BALANCE_HEADERS: [&str; 16] = [
    "opening",
    "opening_source",
    "opening_counted",
    "moved_before_period",
    "received",
    "transferred_in",
    "disbursed",
    "transferred_out",
    "returned",
    "destroyed",
    "lost",
    "stolen",
    "expected",
    "expected_at_count",
    "counted",
    "discrepancy",
];

fn write(w: &mut CsvOut<Vec<u8>>, cells: &[Cell]) -> Result<()> {
    w.row(cells)
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

fn header(w: &mut CsvOut<Vec<u8>>, names: &[&str]) -> Result<()> {
    w.header(names)
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// The report as one CSV file: sections told apart by the first column.
pub fn reconciliation_csv(r: &ReconciliationReport) -> Result<Vec<u8>> {
    let mut w = CsvOut::flexible(Vec::new());
    let s = |v: &str| Cell::from(v);
    header(
        &mut w,
        &[
            "section",
            "rep",
            "from",
            "to",
            "opening_count_at",
            "closing_count_at",
            "last_count_at",
            "annual_due_on",
            "annual_status",
            "method",
        ],
    )?;
    write(
        &mut w,
        &[
            s("report"),
            r.rep_name.clone().into(),
            r.from.to_string().into(),
            r.to.to_string().into(),
            r.opening_count
                .as_ref()
                .map(|c| c.counted_at.clone())
                .unwrap_or_default()
                .into(),
            r.count
                .as_ref()
                .map(|c| c.counted_at.clone())
                .unwrap_or_default()
                .into(),
            r.annual.last_count_at.clone().unwrap_or_default().into(),
            r.annual
                .due_on
                .map(|d| d.to_string())
                .unwrap_or_default()
                .into(),
            s(annual_status_text(r.annual.status)),
            r.method.clone().into(),
        ],
    )?;
    balance_sections(&mut w, r)?;
    count_sections(&mut w, r)?;
    movement_sections(&mut w, r)?;
    w.into_inner().map_err(ServiceError::Internal)
}

fn annual_status_text(status: AnnualStatus) -> &'static str {
    match status {
        AnnualStatus::Current => "current",
        AnnualStatus::Overdue => "overdue",
        AnnualStatus::NotDue => "not_due",
    }
}

fn balance_sections(w: &mut CsvOut<Vec<u8>>, r: &ReconciliationReport) -> Result<()> {
    let s = |v: &str| Cell::from(v);
    let mut head = vec!["section", "product", "strength"];
    head.extend(BALANCE_HEADERS);
    header(w, &head)?;
    for p in &r.per_product {
        let mut row = vec![
            s("product_summary"),
            p.product.clone().into(),
            p.strength.clone().into(),
        ];
        row.extend(balance_cells(&p.balance));
        write(w, &row)?;
    }
    let mut head = vec!["section", "product", "strength", "lot", "expires_on"];
    head.extend(BALANCE_HEADERS);
    header(w, &head)?;
    for l in &r.per_lot {
        let mut row = vec![
            s("lot"),
            l.product.clone().into(),
            l.strength.clone().into(),
            l.lot_number.clone().into(),
            l.expires_on
                .map(|d| d.to_string())
                .unwrap_or_default()
                .into(),
        ];
        row.extend(balance_cells(&l.balance));
        write(w, &row)?;
    }
    Ok(())
}

/// Each count in the period, lot by lot, against the book as of its time.
fn count_sections(w: &mut CsvOut<Vec<u8>>, r: &ReconciliationReport) -> Result<()> {
    header(
        w,
        &[
            "section",
            "counted_at",
            "product",
            "strength",
            "lot",
            "status",
            "counted",
            "book_at_count",
            "difference",
            "explanation",
        ],
    )?;
    for c in &r.counts {
        for l in &c.lines {
            let status = match l.status {
                CountStatus::Counted => "counted",
                CountStatus::NotCounted => "not_counted",
            };
            write(
                w,
                &[
                    "count".to_string().into(),
                    c.counted_at.clone().into(),
                    l.product.clone().into(),
                    l.strength.clone().into(),
                    l.lot_number.clone().into(),
                    status.to_string().into(),
                    opt(l.counted),
                    Cell::number(l.book),
                    opt(l.difference),
                    c.explanation.clone().unwrap_or_default().into(),
                ],
            )?;
        }
    }
    Ok(())
}

fn movement_sections(w: &mut CsvOut<Vec<u8>>, r: &ReconciliationReport) -> Result<()> {
    let s = |v: &str| Cell::from(v);
    header(
        w,
        &[
            "section",
            "date",
            "type",
            "product",
            "strength",
            "lot",
            "units",
            "sender_or_recipient",
        ],
    )?;
    for (section, lines) in [
        ("receipt", &r.receipts),
        ("distribution", &r.distributions),
        ("loss_or_theft", &r.losses),
    ] {
        for m in lines.iter() {
            write(
                w,
                &[
                    s(section),
                    m.occurred_at.clone().into(),
                    s(m.kind.as_str()),
                    m.product.clone().into(),
                    m.strength.clone().into(),
                    m.lot_number.clone().into(),
                    Cell::number(m.quantity),
                    m.counterparty.clone().into(),
                ],
            )?;
        }
    }
    Ok(())
}

/// The physical inventories of every rep the caller oversees (compliance, ops and admin:
/// every rep; a manager: the district's reps; a rep: themselves), with totals.
pub async fn inventory_rollup(store: &Store, principal: &Principal) -> Result<InventoryRollup> {
    let reps = overseen_reps(store, principal).await?;
    let rows = store
        .rep_inventories(&holder_roles(), reps.as_deref())
        .await?;
    let books = store.books_at_latest_counts(reps.as_deref()).await?;
    let today = store.today();
    let mut totals = InventoryTotals::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let status = rep_status(row, &books, today)?;
        add_to_totals(&mut totals, &status)?;
        out.push(status);
    }
    Ok(InventoryRollup {
        as_of: today,
        reps: out,
        totals,
        method: ROLLUP_METHOD.into(),
    })
}

/// One rep's line of the roll-up.
fn rep_status(
    row: RepInventoryRow,
    books: &HashMap<(Uuid, Uuid), i64>,
    today: NaiveDate,
) -> Result<RepInventoryStatus> {
    let last = row.last_count.map(Timed::of).transpose()?;
    let (due_on, status) = annual_due(
        last.as_ref().map(|c| c.at.date_naive()),
        row.first_movement.map(|t| t.date_naive()),
        today,
    );
    let mut line = RepInventoryStatus {
        rep_id: row.rep_id,
        rep_name: row.rep_name,
        annual: AnnualInventory {
            last_count_at: last.as_ref().map(|c| c.count.counted_at.clone()),
            due_on,
            status,
        },
        last_count_id: last.as_ref().map(|c| c.count.id),
        open_discrepancies: row.open_discrepancies,
        on_hand: row.on_hand,
        last_counted: None,
        last_book: None,
        last_difference: None,
        lots_not_counted: 0,
    };
    let Some(last) = last else {
        return Ok(line);
    };
    let (mut counted, mut book) = (0i64, 0i64);
    for (lot, n) in &last.units {
        counted = plus(counted, *n).map_err(out_of_range)?;
        let held = books.get(&(row.rep_id, *lot)).copied().unwrap_or(0);
        book = plus(book, held).map_err(out_of_range)?;
    }
    line.lots_not_counted = books
        .iter()
        .filter(|((rep, lot), n)| *rep == row.rep_id && **n != 0 && !last.units.contains_key(lot))
        .count() as i64;
    line.last_counted = Some(counted);
    line.last_book = Some(book);
    line.last_difference = Some(minus(counted, book).map_err(out_of_range)?);
    Ok(line)
}

fn add_to_totals(t: &mut InventoryTotals, s: &RepInventoryStatus) -> Result<()> {
    let overdue = i64::from(s.annual.status == AnnualStatus::Overdue);
    let never = i64::from(s.last_count_id.is_none());
    for (slot, v) in [
        (&mut t.reps, 1),
        (&mut t.overdue, overdue),
        (&mut t.never_counted, never),
        (&mut t.open_discrepancies, s.open_discrepancies),
        (&mut t.on_hand, s.on_hand),
        (&mut t.last_counted, s.last_counted.unwrap_or(0)),
        (&mut t.last_book, s.last_book.unwrap_or(0)),
        (&mut t.last_difference, s.last_difference.unwrap_or(0)),
        (&mut t.lots_not_counted, s.lots_not_counted),
    ] {
        *slot = plus(*slot, v).map_err(out_of_range)?;
    }
    Ok(())
}

/// The roll-up as CSV: one row per rep, then the totals.
pub fn inventory_rollup_csv(r: &InventoryRollup) -> Result<Vec<u8>> {
    let mut w = CsvOut::new(Vec::new());
    header(
        &mut w,
        &[
            "rep",
            "last_count_at",
            "due_on",
            "status",
            "open_discrepancies",
            "on_hand",
            "last_counted",
            "last_book",
            "last_difference",
            "lots_not_counted",
        ],
    )?;
    for s in &r.reps {
        write(
            &mut w,
            &[
                s.rep_name.clone().into(),
                s.annual.last_count_at.clone().unwrap_or_default().into(),
                s.annual
                    .due_on
                    .map(|d| d.to_string())
                    .unwrap_or_default()
                    .into(),
                annual_status_text(s.annual.status).to_string().into(),
                Cell::number(s.open_discrepancies),
                Cell::number(s.on_hand),
                opt(s.last_counted),
                opt(s.last_book),
                opt(s.last_difference),
                Cell::number(s.lots_not_counted),
            ],
        )?;
    }
    let t = &r.totals;
    write(
        &mut w,
        &[
            format!("total ({} reps, as of {})", t.reps, r.as_of).into(),
            String::new().into(),
            String::new().into(),
            format!("{} overdue, {} never counted", t.overdue, t.never_counted).into(),
            Cell::number(t.open_discrepancies),
            Cell::number(t.on_hand),
            Cell::number(t.last_counted),
            Cell::number(t.last_book),
            Cell::number(t.last_difference),
            Cell::number(t.lots_not_counted),
        ],
    )?;
    w.into_inner().map_err(ServiceError::Internal)
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
    let mut w = CsvOut::new(Vec::new());
    let columns = [
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
    header(&mut w, &columns)?;
    for r in records {
        for l in &r.signature.record.lines {
            let findings: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
            let row = [
                r.id.to_string().into(),
                r.record_type.clone().into(),
                r.occurred_at.clone().into(),
                r.rep_name.clone().into(),
                r.hcp_name.clone().into(),
                r.state.clone().into(),
                r.ship_to.clone().unwrap_or_default().into(),
                l.product.clone().into(),
                l.strength.clone().into(),
                l.ndc.clone().into(),
                l.lot_number.clone().unwrap_or_default().into(),
                Cell::number(l.quantity),
                r.signature.record.signer_name.clone().into(),
                r.signature.record.signed_at.clone().into(),
                r.signature.record.meaning.clone().into(),
                r.signature.hash.clone().into(),
                r.call_id.map(|c| c.to_string()).unwrap_or_default().into(),
                findings.join(" ").into(),
            ];
            write(&mut w, &row)?;
        }
    }
    w.into_inner().map_err(ServiceError::Internal)
}

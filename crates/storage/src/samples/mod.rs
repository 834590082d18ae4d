//! Sample accountability storage: lots, the per-rep inventory ledger, signed disbursement
//! and request records, shipments and transfers, and the writes a pushed sample mutation
//! makes inside its sync transaction ([`Effect`]). Ledger lines and signed records are
//! facts: inserted once with an audit entry, never updated; `verify_sample_facts` finds
//! any stored fact that no longer matches what the audit log recorded.

mod config;
pub mod guard;
mod oversight;
mod seal;

pub use oversight::{FactsReport, RecordFilter, RepInventoryRow};
pub use seal::SealReport;

use crate::audit::{audit_row, NewEntry};
use crate::changes::Tx;
use crate::sql::{
    get_date, get_i64, get_opt_str, get_opt_uuid, get_str, get_uuid, insert_rows, stmt, Sql, Value,
};
use crate::{Result, StorageError, Store};
use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::call::Call;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::sample::check::{Finding, SampleLine};
use pharmacrm_domain::sample::limits::PastSample;
use pharmacrm_domain::sample::signature::Signature;
use pharmacrm_domain::sample::views::{InventoryCount, LotView, ShipmentView};
use pharmacrm_domain::sample::{LedgerEntry, Lot, LotQuantity, TxnKind};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Timestamps of facts are stored with microseconds so text order is time order.
pub fn fact_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_time(column: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::corrupt(column, e))
}

pub(crate) fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T> {
    serde_json::from_str(&get_str(row, column)?).map_err(|e| StorageError::corrupt(column, e))
}

/// A signed disbursement or request as stored (and as audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSampleRecord {
    pub id: Uuid,
    pub record_type: String,
    pub call_id: Option<Uuid>,
    pub rep_id: Uuid,
    pub hcp_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub state: String,
    pub ship_to: Option<String>,
    pub lines: Vec<SampleLine>,
    pub signature: Signature,
    pub findings: Vec<Finding>,
    pub corrects: Option<Uuid>,
}

/// What one line of a record gives an HCP (product and value resolved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenLine {
    pub product_id: Uuid,
    pub sku_id: Uuid,
    pub lot_id: Option<Uuid>,
    pub quantity: i64,
    pub value_cents: i64,
}

/// A shipment or transfer as created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewShipment {
    pub id: Uuid,
    pub kind: String,
    pub from_rep_id: Option<Uuid>,
    pub to_rep_id: Uuid,
    pub sender: String,
    pub sent_at: DateTime<Utc>,
    pub lines: Vec<LotQuantity>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLossReport {
    pub id: Uuid,
    pub rep_id: Uuid,
    pub kind: String,
    pub reason: String,
    pub police_report: Option<String>,
    pub discovered_on: NaiveDate,
    pub lines: Vec<LotQuantity>,
    pub fda_notice_due: NaiveDate,
    pub written_report_due: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewException {
    pub id: Uuid,
    pub record_id: Uuid,
    pub record_type: String,
    pub rep_id: Uuid,
    pub hcp_id: Option<Uuid>,
    pub findings: Vec<Finding>,
    /// For suspected falsification of a record: the day FDA must be told by (21 CFR
    /// 203.37(a)). Absent on other exceptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fda_notice_due: Option<NaiveDate>,
}

/// A write a pushed mutation makes, applied in the mutation's transaction. Effects are
/// built once per mutation and applied at once, so variant sizes do not matter.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Effect {
    Call(Call),
    SampleRecord(NewSampleRecord, Vec<GivenLine>),
    Ledger(Vec<LedgerEntry>),
    Shipment(NewShipment),
    /// The receiver acknowledged a shipment or transfer with the quantities that arrived.
    Received {
        id: Uuid,
        lines: Vec<LotQuantity>,
        note: Option<String>,
        at: DateTime<Utc>,
    },
    LossReport(NewLossReport),
    Count(InventoryCount),
    Exception(NewException),
}

fn ledger_row(e: &LedgerEntry, now: &str) -> Vec<Value> {
    vec![
        e.id.into(),
        e.rep_id.into(),
        e.kind.as_str().into(),
        e.sku_id.into(),
        e.lot_id.into(),
        e.quantity.into(),
        fact_time(e.occurred_at).into(),
        e.counterparty.clone().into(),
        e.reference_id.into(),
        now.to_string().into(),
    ]
}

const LEDGER_INSERT: &str = "id, rep_id, kind, sku_id, lot_id, quantity, occurred_at, counterparty, reference_id, recorded_at";
const LEDGER_COLUMNS: &str =
    "id, rep_id, kind, sku_id, lot_id, quantity, occurred_at, counterparty, reference_id";

/// A row of (hcp_id, product_id, given_on, q, v) sums.
fn past_sample_of(r: &AnyRow) -> Result<PastSample> {
    Ok(PastSample {
        hcp_id: get_uuid(r, "hcp_id")?,
        product_id: get_uuid(r, "product_id")?,
        on: get_date(r, "given_on")?,
        quantity: get_i64(r, "q")?,
        value_cents: get_i64(r, "v")?,
    })
}

pub(crate) fn ledger_of(row: &AnyRow) -> Result<LedgerEntry> {
    let kind = get_str(row, "kind")?;
    Ok(LedgerEntry {
        id: get_uuid(row, "id")?,
        rep_id: get_uuid(row, "rep_id")?,
        kind: TxnKind::parse(&kind)
            .ok_or_else(|| StorageError::corrupt("sample_ledger.kind", &kind))?,
        sku_id: get_uuid(row, "sku_id")?,
        lot_id: get_uuid(row, "lot_id")?,
        quantity: get_i64(row, "quantity")?,
        occurred_at: parse_time("sample_ledger.occurred_at", &get_str(row, "occurred_at")?)?,
        counterparty: get_str(row, "counterparty")?,
        reference_id: get_opt_uuid(row, "reference_id")?,
    })
}

/// Appends ledger lines with their audit entries (inside the caller's transaction).
pub(crate) async fn append_ledger(
    conn: &mut AnyConnection,
    actor: &Actor,
    entries: &[LedgerEntry],
    now: &str,
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    insert_rows(
        conn,
        "sample_ledger",
        LEDGER_INSERT,
        entries.iter().map(|e| ledger_row(e, now)).collect(),
    )
    .await?;
    let audit: Vec<NewEntry> = entries
        .iter()
        .map(|e| {
            audit_row(
                actor,
                "sample_txn",
                e.id,
                AuditAction::Create,
                None,
                Some(e),
                now,
            )
        })
        .collect();
    crate::audit::append(conn, audit).await
}

/// Applies one effect inside a mutation's transaction. Calls are inserted by the caller.
/// Every other effect changes a rep's sample book, so devices are told on commit.
pub(crate) async fn apply(tx: &mut Tx, actor: &Actor, effect: &Effect, now: &str) -> Result<()> {
    if !matches!(effect, Effect::Call(_)) {
        tx.tell_devices();
    }
    let keys = tx.keys.clone();
    let conn: &mut AnyConnection = tx;
    match effect {
        Effect::Call(_) => Ok(()),
        Effect::SampleRecord(r, given) => {
            let keys = keys.ok_or_else(|| {
                StorageError::Config(
                    "no seal key: a signed record is never stored unsealed (configure seal_keys)"
                        .into(),
                )
            })?;
            insert_record(conn, actor, r, given, now, &keys).await
        }
        Effect::Ledger(entries) => append_ledger(conn, actor, entries, now).await,
        Effect::Shipment(s) => insert_shipment(conn, actor, s, now).await,
        Effect::Received {
            id,
            lines,
            note,
            at,
        } => {
            let done = stmt(
                "UPDATE sample_shipments SET status = 'received', received_at = $1, received_lines = $2, note = COALESCE($3, note) \
                 WHERE id = $4 AND status = 'in_transit'",
                vec![fact_time(*at).into(), json(lines).into(), note.clone().into(), (*id).into()],
            )
            .query()
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StorageError::NotFound("shipment in transit"));
            }
            let after =
                serde_json::json!({ "status": "received", "received_lines": lines, "note": note });
            crate::audit::record(
                conn,
                now,
                actor,
                "sample_shipment",
                id,
                AuditAction::Update,
                None,
                Some(&after),
            )
            .await
        }
        Effect::LossReport(l) => oversight::insert_loss_report(conn, actor, l, now).await,
        Effect::Count(c) => oversight::insert_count(conn, actor, c, now).await,
        Effect::Exception(x) => oversight::insert_exception(conn, actor, x, now).await,
    }
}

async fn insert_record(
    conn: &mut AnyConnection,
    actor: &Actor,
    r: &NewSampleRecord,
    given: &[GivenLine],
    now: &str,
    keys: &pharmacrm_domain::seal::Keyring,
) -> Result<()> {
    stmt(
        "INSERT INTO sample_records (id, record_type, call_id, rep_id, hcp_id, occurred_at, state, ship_to, lines, signature, \
         signature_hash, findings, corrects, recorded_at, image_sha256, seal) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        vec![
            r.id.into(),
            r.record_type.clone().into(),
            r.call_id.into(),
            r.rep_id.into(),
            r.hcp_id.into(),
            fact_time(r.occurred_at).into(),
            r.state.clone().into(),
            r.ship_to.clone().into(),
            json(&r.lines).into(),
            json(&r.signature).into(),
            r.signature.hash.clone().into(),
            json(&r.findings).into(),
            r.corrects.into(),
            now.to_string().into(),
            r.signature.record.image_sha256.clone().into(),
            keys.seal(&seal::sealed_text(r)).into(),
        ],
    )
    .query()
    .execute(&mut *conn)
    .await
    .map_err(|e| crate::sql::unique_violation(e, Code::DuplicateRecord, "sample record", "id", &r.id.to_string()))?;
    let day = r.occurred_at.date_naive();
    let rows = given
        .iter()
        .map(|g| {
            vec![
                r.id.into(),
                r.hcp_id.into(),
                g.product_id.into(),
                g.sku_id.into(),
                g.lot_id.into(),
                day.into(),
                g.quantity.into(),
                g.value_cents.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "hcp_samples",
        "record_id, hcp_id, product_id, sku_id, lot_id, given_on, quantity, value_cents",
        rows,
    )
    .await?;
    crate::audit::record(
        conn,
        now,
        actor,
        "sample_record",
        r.id,
        AuditAction::Create,
        None,
        Some(r),
    )
    .await
}

async fn insert_shipment(
    conn: &mut AnyConnection,
    actor: &Actor,
    s: &NewShipment,
    now: &str,
) -> Result<()> {
    stmt(
        "INSERT INTO sample_shipments (id, kind, from_rep_id, to_rep_id, sender, sent_at, lines, status, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'in_transit', $8)",
        vec![
            s.id.into(),
            s.kind.clone().into(),
            s.from_rep_id.into(),
            s.to_rep_id.into(),
            s.sender.clone().into(),
            fact_time(s.sent_at).into(),
            json(&s.lines).into(),
            s.note.clone().into(),
        ],
    )
    .query()
    .execute(&mut *conn)
    .await
    .map_err(|e| crate::sql::unique_violation(e, Code::DuplicateRecord, "shipment", "id", &s.id.to_string()))?;
    crate::audit::record(
        conn,
        now,
        actor,
        "sample_shipment",
        s.id,
        AuditAction::Create,
        None,
        Some(s),
    )
    .await
}

const SHIPMENT_COLUMNS: &str = "s.id, s.kind, s.from_rep_id, s.to_rep_id, s.sender, s.sent_at, s.lines, s.status, s.received_at, \
    s.received_lines, s.note, u.display_name AS recipient";

fn shipment_of(row: &AnyRow) -> Result<ShipmentView> {
    Ok(ShipmentView {
        id: get_uuid(row, "id")?,
        kind: get_str(row, "kind")?,
        from_rep_id: get_opt_uuid(row, "from_rep_id")?,
        to_rep_id: get_uuid(row, "to_rep_id")?,
        sender: get_str(row, "sender")?,
        recipient: get_str(row, "recipient")?,
        sent_at: get_str(row, "sent_at")?,
        lines: from_json(row, "lines")?,
        status: get_str(row, "status")?,
        received_at: get_opt_str(row, "received_at")?,
        received_lines: get_opt_str(row, "received_lines")?
            .map(|t| {
                serde_json::from_str(&t)
                    .map_err(|e| StorageError::corrupt("sample_shipments.received_lines", e))
            })
            .transpose()?,
        note: get_opt_str(row, "note")?,
    })
}

impl Store {
    /// Creates lots (demo, fixtures and the ops API).
    pub async fn insert_lots(&self, actor: &Actor, lots: &[Lot]) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        tx.tell_devices();
        let rows = lots
            .iter()
            .map(|l| {
                vec![
                    l.id.into(),
                    l.sku_id.into(),
                    l.lot_number.clone().into(),
                    l.expires_on.into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "sample_lots",
            "id, sku_id, lot_number, expires_on",
            rows,
        )
        .await
        .map_err(|e| match e {
            StorageError::Database(db) => crate::sql::unique_violation(
                db,
                Code::Duplicate,
                "lot",
                "lot_number",
                "(SKU, lot number)",
            ),
            other => other,
        })?;
        let audit = lots
            .iter()
            .map(|l| {
                audit_row(
                    actor,
                    "sample_lot",
                    l.id,
                    AuditAction::Create,
                    None,
                    Some(l),
                    &now,
                )
            })
            .collect();
        crate::audit::append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every lot, with its SKU's product.
    pub async fn lots(&self) -> Result<Vec<Lot>> {
        let rows = sqlx::query(
            "SELECT l.id, l.sku_id, s.product_id, l.lot_number, l.expires_on FROM sample_lots l \
             JOIN sample_skus s ON s.id = l.sku_id ORDER BY l.expires_on, l.lot_number",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Lot {
                    id: get_uuid(r, "id")?,
                    sku_id: get_uuid(r, "sku_id")?,
                    product_id: get_uuid(r, "product_id")?,
                    lot_number: get_str(r, "lot_number")?,
                    expires_on: get_date(r, "expires_on")?,
                })
            })
            .collect()
    }

    /// Writes ledger lines directly (demo history, fixtures, headquarters adjustments).
    pub async fn insert_ledger(&self, actor: &Actor, entries: &[LedgerEntry]) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        tx.tell_devices();
        let written: Vec<_> = entries
            .iter()
            .map(|e| guard::Guarded::RepBook(e.rep_id))
            .collect();
        guard::hold(&mut tx, &[], &written).await?;
        append_ledger(&mut tx, actor, entries, &now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies effects outside a sync mutation (headquarters shipments, demo data), in one
    /// transaction.
    pub async fn apply_effects(&self, actor: &Actor, effects: &[Effect]) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        guard::hold(&mut tx, &[], &guard::written_by(effects)).await?;
        for e in effects {
            apply(&mut tx, actor, e, &now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A rep's ledger, oldest first, up to (not including) `until` when given.
    pub async fn ledger_of_rep(
        &self,
        rep_id: Uuid,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<LedgerEntry>> {
        let mut sql = Sql::new(&format!(
            "SELECT {LEDGER_COLUMNS} FROM sample_ledger WHERE rep_id = "
        ));
        sql.bind(rep_id);
        if let Some(t) = until {
            sql.push(" AND occurred_at < ").bind(fact_time(t));
        }
        sql.push(" ORDER BY occurred_at, id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(ledger_of)
            .collect()
    }

    /// Units on hand per lot for a rep (the ledger's running balance).
    pub async fn on_hand(&self, rep_id: Uuid) -> Result<HashMap<Uuid, i64>> {
        let mut sql = Sql::new(
            "SELECT lot_id, CAST(SUM(CASE WHEN kind IN ('receipt', 'transfer_in') THEN quantity ELSE -quantity END) AS BIGINT) AS n \
             FROM sample_ledger WHERE rep_id = ",
        );
        sql.bind(rep_id).push(" GROUP BY lot_id");
        let mut map = HashMap::new();
        for row in sql.query().fetch_all(self.pool()).await? {
            map.insert(get_uuid(&row, "lot_id")?, get_i64(&row, "n")?);
        }
        Ok(map)
    }

    /// The lots a rep holds or held, with the units on hand.
    pub async fn lot_views(&self, rep_id: Uuid) -> Result<Vec<LotView>> {
        let on_hand = self.on_hand(rep_id).await?;
        let mut sql = Sql::new(
            "SELECT l.id, l.sku_id, s.product_id, p.brand, s.ndc, s.strength, l.lot_number, l.expires_on FROM sample_lots l \
             JOIN sample_skus s ON s.id = l.sku_id JOIN products p ON p.id = s.product_id \
             WHERE l.id IN (SELECT DISTINCT lot_id FROM sample_ledger WHERE rep_id = ",
        );
        sql.bind(rep_id)
            .push(") ORDER BY p.brand, s.strength, l.expires_on, l.lot_number");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let id = get_uuid(r, "id")?;
                let ndc = get_str(r, "ndc")?;
                Ok(LotView {
                    lot_id: id,
                    sku_id: get_uuid(r, "sku_id")?,
                    product_id: get_uuid(r, "product_id")?,
                    product_name: get_str(r, "brand")?,
                    ndc: pharmacrm_domain::ndc::Ndc::parse(&ndc)
                        .map(|n| n.hyphenated())
                        .unwrap_or(ndc),
                    strength: get_str(r, "strength")?,
                    lot_number: get_str(r, "lot_number")?,
                    expires_on: get_date(r, "expires_on")?,
                    on_hand: on_hand.get(&id).copied().unwrap_or(0),
                })
            })
            .collect()
    }

    /// Shipments and transfers to (or from) a rep; `in_transit_only` for what awaits them.
    /// Shipments to or from `rep_id` (any rep when none), limited to those of `reps` when
    /// given (the reps the caller oversees).
    pub async fn shipments(
        &self,
        rep_id: Option<Uuid>,
        reps: Option<&[Uuid]>,
        in_transit_only: bool,
    ) -> Result<Vec<ShipmentView>> {
        let mut sql = Sql::new(&format!("SELECT {SHIPMENT_COLUMNS} FROM sample_shipments s JOIN users u ON u.id = s.to_rep_id WHERE 1 = 1"));
        if let Some(rep) = rep_id {
            sql.push(" AND (s.to_rep_id = ")
                .bind(rep)
                .push(" OR s.from_rep_id = ")
                .bind(rep)
                .push(")");
        }
        if let Some(reps) = reps {
            sql.push(" AND (s.to_rep_id IN ")
                .bind_list(reps.iter().copied())
                .push(" OR s.from_rep_id IN ")
                .bind_list(reps.iter().copied())
                .push(")");
        }
        if in_transit_only {
            sql.push(" AND s.status = 'in_transit'");
        }
        sql.push(" ORDER BY s.sent_at DESC");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(shipment_of)
            .collect()
    }

    pub async fn shipment(&self, id: Uuid) -> Result<Option<ShipmentView>> {
        let mut sql = Sql::new(&format!("SELECT {SHIPMENT_COLUMNS} FROM sample_shipments s JOIN users u ON u.id = s.to_rep_id WHERE s.id = "));
        sql.bind(id);
        sql.query()
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(shipment_of)
            .transpose()
    }

    /// What the given HCPs received or requested, per product, since `since`.
    pub async fn sample_history(
        &self,
        hcp_ids: &[Uuid],
        since: NaiveDate,
    ) -> Result<Vec<PastSample>> {
        let mut out = Vec::new();
        for chunk in hcp_ids.chunks(500) {
            let mut sql = Sql::new("SELECT hcp_id, product_id, given_on, CAST(SUM(quantity) AS BIGINT) AS q, CAST(SUM(value_cents) AS BIGINT) AS v FROM hcp_samples WHERE hcp_id IN ");
            sql.bind_list(chunk.iter().copied())
                .push(" AND given_on >= ")
                .bind(since)
                .push(" GROUP BY hcp_id, product_id, given_on ORDER BY hcp_id, given_on");
            for r in sql.query().fetch_all(self.pool()).await? {
                out.push(past_sample_of(&r)?);
            }
        }
        Ok(out)
    }

    /// Units of each product a rep disbursed between two days (inclusive), for allocations.
    pub async fn disbursed_by_rep(
        &self,
        rep_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<Uuid, i64>> {
        let mut sql = Sql::new(
            "SELECT g.product_id, CAST(SUM(g.quantity) AS BIGINT) AS q FROM hcp_samples g JOIN sample_records r ON r.id = g.record_id \
             WHERE r.record_type = 'sample_disbursement' AND r.rep_id = ",
        );
        sql.bind(rep_id)
            .push(" AND g.given_on >= ")
            .bind(from)
            .push(" AND g.given_on <= ")
            .bind(to)
            .push(" GROUP BY g.product_id");
        let mut map = HashMap::new();
        for r in sql.query().fetch_all(self.pool()).await? {
            map.insert(get_uuid(&r, "product_id")?, get_i64(&r, "q")?);
        }
        Ok(map)
    }
}

impl Store {
    /// What HCPs visible in `scope` received or requested since `since`, per day and product.
    pub async fn sample_history_in_scope(
        &self,
        scope: &pharmacrm_domain::access::Scope,
        since: NaiveDate,
    ) -> Result<Vec<PastSample>> {
        let mut sql = Sql::new(
            "SELECT g.hcp_id, g.product_id, g.given_on, CAST(SUM(g.quantity) AS BIGINT) AS q, CAST(SUM(g.value_cents) AS BIGINT) AS v FROM hcp_samples g \
             JOIN hcps h ON h.id = g.hcp_id",
        );
        crate::scope::join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE g.given_on >= ").bind(since);
        crate::scope::restrict(&mut sql, scope);
        sql.push(" GROUP BY g.hcp_id, g.product_id, g.given_on ORDER BY g.hcp_id, g.given_on");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(past_sample_of)
            .collect()
    }
}

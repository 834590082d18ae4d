//! What compliance reviews: exceptions raised by the server's re-check, loss and theft
//! reports with their deadlines, physical inventory counts, the signed sample record by
//! HCP, lot or rep, and the check that stored facts still match their audit entries.

use super::{
    fact_time, from_json, json, ledger_of, parse_time, NewException, NewLossReport,
    NewSampleRecord, LEDGER_COLUMNS,
};
use crate::audit::record;
use crate::sql::{get_date, get_opt_date, get_opt_str, get_opt_uuid, get_str, get_uuid, stmt, Sql};
use crate::{Result, StorageError, Store};
use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::sample::views::{
    InventoryCount, LossReport, LossReportUpdate, SampleException, SampleRecord,
};
use pharmacrm_domain::sample::LedgerEntry;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) async fn insert_exception(
    conn: &mut AnyConnection,
    actor: &Actor,
    x: &NewException,
    now: &str,
) -> Result<()> {
    stmt(
        "INSERT INTO sample_exceptions (id, record_id, record_type, rep_id, hcp_id, findings, raised_at, status, fda_notice_due) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
        vec![x.id.into(), x.record_id.into(), x.record_type.clone().into(), x.rep_id.into(), x.hcp_id.into(), json(&x.findings).into(), now.to_string().into(), x.fda_notice_due.into()],
    )
    .query()
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        now,
        actor,
        "sample_exception",
        x.id,
        AuditAction::Create,
        None,
        Some(x),
    )
    .await
}

pub(crate) async fn insert_loss_report(
    conn: &mut AnyConnection,
    actor: &Actor,
    l: &NewLossReport,
    now: &str,
) -> Result<()> {
    stmt(
        "INSERT INTO loss_reports (id, rep_id, kind, reason, police_report, discovered_on, lines, reported_at, fda_notice_due, written_report_due) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        vec![
            l.id.into(),
            l.rep_id.into(),
            l.kind.clone().into(),
            l.reason.clone().into(),
            l.police_report.clone().into(),
            l.discovered_on.into(),
            json(&l.lines).into(),
            now.to_string().into(),
            l.fda_notice_due.into(),
            l.written_report_due.into(),
        ],
    )
    .query()
    .execute(&mut *conn)
    .await
    .map_err(|e| crate::sql::unique_violation(e, Code::DuplicateRecord, "loss report", "id", &l.id.to_string()))?;
    record(
        conn,
        now,
        actor,
        "loss_report",
        l.id,
        AuditAction::Create,
        None,
        Some(l),
    )
    .await
}

pub(crate) async fn insert_count(
    conn: &mut AnyConnection,
    actor: &Actor,
    c: &InventoryCount,
    now: &str,
) -> Result<()> {
    stmt(
        "INSERT INTO inventory_counts (id, rep_id, counted_at, lines, explanation, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![c.id.into(), c.rep_id.into(), c.counted_at.clone().into(), json(&c.lines).into(), c.explanation.clone().into(), now.to_string().into()],
    )
    .query()
    .execute(&mut *conn)
    .await
    .map_err(|e| crate::sql::unique_violation(e, Code::DuplicateRecord, "inventory count", "id", &c.id.to_string()))?;
    record(
        conn,
        now,
        actor,
        "inventory_count",
        c.id,
        AuditAction::Create,
        None,
        Some(c),
    )
    .await
}

/// The result of comparing stored sample facts with the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsReport {
    pub checked: i64,
    pub problem: Option<String>,
}

/// The after-image of each created sample fact, by (audit entity, id).
type AuditedFacts = HashMap<(String, String), serde_json::Value>;

const EXCEPTION_COLUMNS: &str = "x.id, x.record_id, x.record_type, x.rep_id, u.display_name AS rep_name, x.hcp_id, \
    h.first_name, h.last_name, x.findings, r.occurred_at, x.raised_at, x.status, x.closed_by, x.closed_at, x.comment, x.fda_notice_due";

fn exception_of(r: &AnyRow, today: NaiveDate) -> Result<SampleException> {
    let status = get_str(r, "status")?;
    let fda_notice_due = get_opt_date(r, "fda_notice_due")?;
    let open = status == "open";
    let hcp_name = match get_opt_str(r, "last_name")? {
        Some(last) => Some(format!(
            "{} {}",
            get_opt_str(r, "first_name")?.unwrap_or_default(),
            last
        )),
        None => None,
    };
    Ok(SampleException {
        id: get_uuid(r, "id")?,
        record_id: get_uuid(r, "record_id")?,
        record_type: get_str(r, "record_type")?,
        rep_id: get_uuid(r, "rep_id")?,
        rep_name: get_str(r, "rep_name")?,
        hcp_id: get_opt_uuid(r, "hcp_id")?,
        hcp_name,
        findings: from_json(r, "findings")?,
        occurred_at: get_opt_str(r, "occurred_at")?,
        raised_at: get_str(r, "raised_at")?,
        status,
        closed_by: get_opt_str(r, "closed_by")?,
        closed_at: get_opt_str(r, "closed_at")?,
        comment: get_opt_str(r, "comment")?,
        overdue: open && fda_notice_due.is_some_and(|due| today > due),
        fda_notice_due,
    })
}

const LOSS_COLUMNS: &str = "l.id, l.rep_id, u.display_name AS rep_name, l.kind, l.reason, l.police_report, l.discovered_on, l.lines, \
    l.reported_at, l.fda_notice_due, l.written_report_due, l.fda_notified_on, l.written_report_on, l.closed_at, l.closed_by, l.note";

fn loss_of(r: &AnyRow, today: NaiveDate) -> Result<LossReport> {
    let mut report = LossReport {
        id: get_uuid(r, "id")?,
        rep_id: get_uuid(r, "rep_id")?,
        rep_name: get_str(r, "rep_name")?,
        kind: get_str(r, "kind")?,
        reason: get_str(r, "reason")?,
        police_report: get_opt_str(r, "police_report")?,
        discovered_on: get_date(r, "discovered_on")?,
        lines: from_json(r, "lines")?,
        reported_at: get_str(r, "reported_at")?,
        fda_notice_due: get_date(r, "fda_notice_due")?,
        written_report_due: get_date(r, "written_report_due")?,
        fda_notified_on: get_opt_date(r, "fda_notified_on")?,
        written_report_on: get_opt_date(r, "written_report_on")?,
        closed_at: get_opt_str(r, "closed_at")?,
        closed_by: get_opt_str(r, "closed_by")?,
        note: get_opt_str(r, "note")?,
        status: String::new(),
    };
    let overdue = (report.fda_notified_on.is_none() && today > report.fda_notice_due)
        || (report.written_report_on.is_none() && today > report.written_report_due);
    report.status = if report.closed_at.is_some() {
        "closed"
    } else if overdue {
        "overdue"
    } else {
        "open"
    }
    .into();
    Ok(report)
}

const RECORD_COLUMNS: &str = "r.id, r.record_type, r.call_id, r.rep_id, u.display_name AS rep_name, r.hcp_id, h.first_name, h.last_name, \
    r.occurred_at, r.state, r.ship_to, r.lines, r.signature, r.findings, r.corrects, r.recorded_at";

fn sample_record_of(r: &AnyRow) -> Result<SampleRecord> {
    Ok(SampleRecord {
        id: get_uuid(r, "id")?,
        record_type: get_str(r, "record_type")?,
        call_id: get_opt_uuid(r, "call_id")?,
        rep_id: get_uuid(r, "rep_id")?,
        rep_name: get_str(r, "rep_name")?,
        hcp_id: get_uuid(r, "hcp_id")?,
        hcp_name: format!("{} {}", get_str(r, "first_name")?, get_str(r, "last_name")?),
        occurred_at: get_str(r, "occurred_at")?,
        state: get_str(r, "state")?,
        ship_to: get_opt_str(r, "ship_to")?,
        lines: from_json(r, "lines")?,
        signature: from_json(r, "signature")?,
        findings: from_json(r, "findings")?,
        corrects: get_opt_uuid(r, "corrects")?,
        recorded_at: get_str(r, "recorded_at")?,
    })
}

/// A physical count from a row whose count columns carry `prefix` in their names.
fn count_of(r: &AnyRow, prefix: &str) -> Result<InventoryCount> {
    let col = |c: &str| format!("{prefix}{c}");
    Ok(InventoryCount {
        id: get_uuid(r, &col("id"))?,
        rep_id: get_uuid(r, &col("rep_id"))?,
        counted_at: get_str(r, &col("counted_at"))?,
        lines: from_json(r, &col("lines"))?,
        explanation: get_opt_str(r, &col("explanation"))?,
    })
}

/// One rep's physical inventory facts, as the compliance roll-up reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepInventoryRow {
    pub rep_id: Uuid,
    pub rep_name: String,
    pub last_count: Option<InventoryCount>,
    /// When the rep's first ledger line occurred.
    pub first_movement: Option<DateTime<Utc>>,
    /// Units on the rep's book (every ledger line).
    pub on_hand: i64,
    /// Open exceptions raised by the rep's counts.
    pub open_discrepancies: i64,
}

/// The signed quantity of a ledger line, in SQL (alias `l`).
const SIGNED_QUANTITY: &str =
    "CASE WHEN l.kind IN ('receipt', 'transfer_in') THEN l.quantity ELSE -l.quantity END";

/// The id of the latest count of the rep in `rep_column`.
fn latest_count_of(rep_column: &str) -> String {
    format!(
        "(SELECT c2.id FROM inventory_counts c2 WHERE c2.rep_id = {rep_column} ORDER BY c2.counted_at DESC, c2.id DESC LIMIT 1)"
    )
}

/// Which signed records to list.
#[derive(Debug, Clone, Copy)]
pub enum RecordFilter {
    Hcp(Uuid),
    Lot(Uuid),
    Rep(Uuid),
    Call(Uuid),
}

impl Store {
    pub async fn sample_exceptions(
        &self,
        status: Option<&str>,
        rep_ids: Option<&[Uuid]>,
    ) -> Result<Vec<SampleException>> {
        let mut sql = Sql::new(&format!(
            "SELECT {EXCEPTION_COLUMNS} FROM sample_exceptions x JOIN users u ON u.id = x.rep_id LEFT JOIN hcps h ON h.id = x.hcp_id \
             LEFT JOIN sample_records r ON r.id = x.record_id WHERE 1 = 1"
        ));
        if let Some(s) = status {
            sql.push(" AND x.status = ").bind(s);
        }
        if let Some(reps) = rep_ids {
            if reps.is_empty() {
                return Ok(vec![]);
            }
            sql.push(" AND x.rep_id IN ")
                .bind_list(reps.iter().copied());
        }
        sql.push(" ORDER BY x.raised_at DESC, x.id");
        let today = self.today();
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| exception_of(r, today))
            .collect()
    }

    pub async fn sample_exception(&self, id: Uuid) -> Result<Option<SampleException>> {
        let mut sql = Sql::new(&format!(
            "SELECT {EXCEPTION_COLUMNS} FROM sample_exceptions x JOIN users u ON u.id = x.rep_id LEFT JOIN hcps h ON h.id = x.hcp_id \
             LEFT JOIN sample_records r ON r.id = x.record_id WHERE x.id = "
        ));
        sql.bind(id);
        let today = self.today();
        sql.query()
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(|r| exception_of(r, today))
            .transpose()
    }

    /// Closes an open exception with the reviewer's comment.
    pub async fn close_exception(
        &self,
        actor: &Actor,
        id: Uuid,
        comment: &str,
    ) -> Result<SampleException> {
        let before = self
            .sample_exception(id)
            .await?
            .ok_or(StorageError::NotFound("exception"))?;
        let mut tx = self.pool().begin().await?;
        let done = stmt(
            "UPDATE sample_exceptions SET status = 'closed', closed_by = $1, closed_at = $2, comment = $3 WHERE id = $4 AND status = 'open'",
            vec![actor.name.clone().into(), self.now_timestamp().into(), comment.to_string().into(), id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(pharmacrm_domain::ValidationErrors::single(
                "status",
                "the exception is already closed",
            )
            .into());
        }
        let after = serde_json::json!({ "status": "closed", "comment": comment });
        let before = serde_json::to_value(&before).unwrap_or_default();
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "sample_exception",
            id,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.sample_exception(id)
            .await?
            .ok_or(StorageError::NotFound("exception"))
    }

    pub async fn loss_reports(&self, rep_ids: Option<&[Uuid]>) -> Result<Vec<LossReport>> {
        let mut sql = Sql::new(&format!(
            "SELECT {LOSS_COLUMNS} FROM loss_reports l JOIN users u ON u.id = l.rep_id WHERE 1 = 1"
        ));
        if let Some(reps) = rep_ids {
            if reps.is_empty() {
                return Ok(vec![]);
            }
            sql.push(" AND l.rep_id IN ")
                .bind_list(reps.iter().copied());
        }
        sql.push(" ORDER BY l.discovered_on DESC, l.id");
        let today = self.today();
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| loss_of(r, today))
            .collect()
    }

    pub async fn loss_report(&self, id: Uuid) -> Result<Option<LossReport>> {
        let mut sql = Sql::new(&format!("SELECT {LOSS_COLUMNS} FROM loss_reports l JOIN users u ON u.id = l.rep_id WHERE l.id = "));
        sql.bind(id);
        let today = self.today();
        sql.query()
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(|r| loss_of(r, today))
            .transpose()
    }

    /// Records the steps compliance took on a loss or theft report.
    pub async fn update_loss_report(
        &self,
        actor: &Actor,
        id: Uuid,
        update: &LossReportUpdate,
    ) -> Result<LossReport> {
        let before = self
            .loss_report(id)
            .await?
            .ok_or(StorageError::NotFound("loss report"))?;
        let mut tx = self.pool().begin().await?;
        let (closed_at, closed_by) = if update.close && before.closed_at.is_none() {
            (Some(self.now_timestamp()), Some(actor.name.clone()))
        } else {
            (before.closed_at.clone(), before.closed_by.clone())
        };
        stmt(
            "UPDATE loss_reports SET fda_notified_on = $1, written_report_on = $2, closed_at = $3, closed_by = $4, note = $5 WHERE id = $6",
            vec![
                update.fda_notified_on.or(before.fda_notified_on).into(),
                update.written_report_on.or(before.written_report_on).into(),
                closed_at.into(),
                closed_by.into(),
                update.note.clone().or(before.note.clone()).into(),
                id.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let (before, after) = (
            serde_json::to_value(&before).unwrap_or_default(),
            serde_json::to_value(update).unwrap_or_default(),
        );
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "loss_report",
            id,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.loss_report(id)
            .await?
            .ok_or(StorageError::NotFound("loss report"))
    }

    /// Every physical count of a rep, oldest first.
    pub async fn counts_of_rep(&self, rep_id: Uuid) -> Result<Vec<InventoryCount>> {
        let mut sql = Sql::new(
            "SELECT id, rep_id, counted_at, lines, explanation FROM inventory_counts WHERE rep_id = ",
        );
        sql.bind(rep_id).push(" ORDER BY counted_at, id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| count_of(r, ""))
            .collect()
    }

    /// The physical inventory facts of the active users in `roles` (those who hold samples),
    /// limited to `reps` when given (the reps the caller oversees), by name.
    pub async fn rep_inventories(
        &self,
        roles: &[pharmacrm_domain::role::Role],
        reps: Option<&[Uuid]>,
    ) -> Result<Vec<RepInventoryRow>> {
        if reps.is_some_and(<[Uuid]>::is_empty) || roles.is_empty() {
            return Ok(vec![]);
        }
        let mut sql = Sql::new(&format!(
            "SELECT u.id AS rep_id, u.display_name AS rep_name, \
             c.id AS c_id, c.rep_id AS c_rep_id, c.counted_at AS c_counted_at, c.lines AS c_lines, c.explanation AS c_explanation, \
             (SELECT MIN(l.occurred_at) FROM sample_ledger l WHERE l.rep_id = u.id) AS first_movement, \
             (SELECT CAST(COALESCE(SUM({SIGNED_QUANTITY}), 0) AS BIGINT) FROM sample_ledger l WHERE l.rep_id = u.id) AS on_hand, \
             (SELECT COUNT(*) FROM sample_exceptions x WHERE x.rep_id = u.id AND x.record_type = 'inventory_count' AND x.status = 'open') AS open_discrepancies \
             FROM users u LEFT JOIN inventory_counts c ON c.id = {} WHERE u.role IN ",
            latest_count_of("u.id")
        ));
        sql.bind_list(roles.iter().map(|r| r.as_str()))
            .push(" AND u.active = ")
            .bind(true);
        if let Some(reps) = reps {
            sql.push(" AND u.id IN ").bind_list(reps.iter().copied());
        }
        sql.push(" ORDER BY u.display_name, u.id");
        let mut out = Vec::new();
        for r in sql.query().fetch_all(self.pool()).await? {
            let last_count = match get_opt_str(&r, "c_id")? {
                Some(_) => Some(count_of(&r, "c_")?),
                None => None,
            };
            out.push(RepInventoryRow {
                rep_id: get_uuid(&r, "rep_id")?,
                rep_name: get_str(&r, "rep_name")?,
                last_count,
                first_movement: get_opt_str(&r, "first_movement")?
                    .map(|t| super::parse_time("sample_ledger.occurred_at", &t))
                    .transpose()?,
                on_hand: crate::sql::get_i64(&r, "on_hand")?,
                open_discrepancies: crate::sql::get_i64(&r, "open_discrepancies")?,
            });
        }
        Ok(out)
    }

    /// The book per lot of each rep as of their latest count (every ledger line up to and
    /// including the count's time), limited to `reps` when given: (rep, lot) -> units.
    pub async fn books_at_latest_counts(
        &self,
        reps: Option<&[Uuid]>,
    ) -> Result<HashMap<(Uuid, Uuid), i64>> {
        if reps.is_some_and(<[Uuid]>::is_empty) {
            return Ok(HashMap::new());
        }
        let mut sql = Sql::new(&format!(
            "SELECT l.rep_id, l.lot_id, CAST(SUM({SIGNED_QUANTITY}) AS BIGINT) AS n FROM sample_ledger l \
             JOIN inventory_counts c ON c.id = {} WHERE l.occurred_at <= c.counted_at",
            latest_count_of("l.rep_id")
        ));
        if let Some(reps) = reps {
            sql.push(" AND l.rep_id IN ")
                .bind_list(reps.iter().copied());
        }
        sql.push(" GROUP BY l.rep_id, l.lot_id");
        let mut out = HashMap::new();
        for r in sql.query().fetch_all(self.pool()).await? {
            out.insert(
                (get_uuid(&r, "rep_id")?, get_uuid(&r, "lot_id")?),
                crate::sql::get_i64(&r, "n")?,
            );
        }
        Ok(out)
    }

    /// Signed records matching `filter`, limited to those of `reps` when given (the reps the
    /// caller oversees).
    pub async fn sample_records(
        &self,
        filter: RecordFilter,
        reps: Option<&[Uuid]>,
    ) -> Result<Vec<SampleRecord>> {
        let mut sql = Sql::new(&format!(
            "SELECT {RECORD_COLUMNS} FROM sample_records r JOIN users u ON u.id = r.rep_id JOIN hcps h ON h.id = r.hcp_id WHERE "
        ));
        match filter {
            // An HCP's record includes what was signed by the records merged into it.
            RecordFilter::Hcp(id) => sql
                .push("(r.hcp_id = ")
                .bind(id)
                .push(" OR h.merged_into = ")
                .bind(id)
                .push(")"),
            RecordFilter::Rep(id) => sql.push("r.rep_id = ").bind(id),
            RecordFilter::Call(id) => sql.push("r.call_id = ").bind(id),
            RecordFilter::Lot(id) => sql
                .push("r.id IN (SELECT record_id FROM hcp_samples WHERE lot_id = ")
                .bind(id)
                .push(")"),
        };
        if let Some(reps) = reps {
            sql.push(" AND r.rep_id IN ")
                .bind_list(reps.iter().copied());
        }
        sql.push(" ORDER BY r.occurred_at DESC, r.id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(sample_record_of)
            .collect()
    }

    /// Compares every stored ledger line and signed record with the after-image its audit
    /// entry recorded; reports the first that differs or has no entry.
    pub async fn verify_sample_facts(&self) -> Result<FactsReport> {
        let audited = self.audited_sample_facts().await?;
        let mut checked = 0;
        let mut problem = self.removed_sample_facts(&audited).await?;
        if problem.is_none() {
            problem = self.changed_ledger_line(&audited, &mut checked).await?;
        }
        if problem.is_none() {
            problem = self.changed_sample_record(&audited, &mut checked).await?;
        }
        if problem.is_none() {
            problem = self.changed_sample_history(&audited, &mut checked).await?;
        }
        if problem.is_none() {
            problem = self.changed_exception(&mut checked).await?;
        }
        Ok(FactsReport { checked, problem })
    }

    /// A problem when what an HCP received (`hcp_samples`, the history limits count) differs
    /// from the lines of the signed record the audit log holds.
    async fn changed_sample_history(
        &self,
        audited: &AuditedFacts,
        checked: &mut i64,
    ) -> Result<Option<String>> {
        let rows = sqlx::query("SELECT record_id, sku_id, lot_id, quantity FROM hcp_samples")
            .fetch_all(self.pool())
            .await?;
        let mut given: HashMap<String, Vec<(String, Option<String>, i64)>> = HashMap::new();
        for r in &rows {
            given.entry(get_str(r, "record_id")?).or_default().push((
                get_str(r, "sku_id")?,
                get_opt_str(r, "lot_id")?,
                crate::sql::get_i64(r, "quantity")?,
            ));
        }
        let mut records: Vec<(&String, &serde_json::Value)> = audited
            .iter()
            .filter(|((entity, _), _)| entity == "sample_record")
            .map(|((_, id), after)| (id, after))
            .collect();
        records.sort_by(|a, b| a.0.cmp(b.0));
        for (id, after) in records {
            let Ok(record) = serde_json::from_value::<NewSampleRecord>(after.clone()) else {
                continue; // reported by changed_sample_record
            };
            let mut signed: Vec<(String, Option<String>, i64)> = record
                .lines
                .iter()
                .map(|l| {
                    (
                        l.sku_id.to_string(),
                        l.lot_id.map(|x| x.to_string()),
                        l.quantity,
                    )
                })
                .collect();
            let mut stored = given.remove(id).unwrap_or_default();
            signed.sort();
            stored.sort();
            if signed != stored {
                return Ok(Some(format!(
                    "the samples HCP history holds for record {id} differ from its signed lines"
                )));
            }
            *checked += 1;
        }
        if let Some(id) = given.keys().min() {
            return Ok(Some(format!(
                "HCP sample history names record {id}, which the audit log never created"
            )));
        }
        Ok(None)
    }

    /// A problem when an exception's state differs from what its audit entries say: closed
    /// without an audited close, reopened, or its closing comment changed.
    async fn changed_exception(&self, checked: &mut i64) -> Result<Option<String>> {
        let rows = sqlx::query(
            "SELECT x.id, x.status, x.comment, \
             (SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'sample_exception' AND a.entity_id = x.id AND a.action = 'create') AS created, \
             (SELECT MAX(a.after) FROM audit_log a WHERE a.entity = 'sample_exception' AND a.entity_id = x.id AND a.action = 'update') AS closed \
             FROM sample_exceptions x ORDER BY x.id",
        )
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let id = get_str(r, "id")?;
            let close: Option<serde_json::Value> =
                get_opt_str(r, "closed")?.and_then(|t| serde_json::from_str(&t).ok());
            let expected = match &close {
                Some(after) => (
                    "closed".to_string(),
                    after["comment"].as_str().map(str::to_string),
                ),
                None => ("open".to_string(), None),
            };
            let stored = (get_str(r, "status")?, get_opt_str(r, "comment")?);
            if crate::sql::get_i64(r, "created")? == 0 || stored != expected {
                return Ok(Some(format!(
                    "sample exception {id} differs from its audit record"
                )));
            }
            *checked += 1;
        }
        Ok(None)
    }

    /// The after-image the audit log recorded for each created ledger line and sample record.
    async fn audited_sample_facts(&self) -> Result<AuditedFacts> {
        let mut audited: AuditedFacts = HashMap::new();
        let rows = sqlx::query("SELECT entity, entity_id, after FROM audit_log WHERE action = 'create' AND entity IN ('sample_txn', 'sample_record')")
            .fetch_all(self.pool())
            .await?;
        for r in rows {
            let after: serde_json::Value = get_opt_str(&r, "after")?
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            audited.insert((get_str(&r, "entity")?, get_str(&r, "entity_id")?), after);
        }
        Ok(audited)
    }

    /// A problem when a table holds fewer rows than the audit log created (rows removed).
    async fn removed_sample_facts(&self, audited: &AuditedFacts) -> Result<Option<String>> {
        for entity in ["sample_txn", "sample_record"] {
            let table = if entity == "sample_txn" {
                "sample_ledger"
            } else {
                "sample_records"
            };
            let stored = crate::sql::get_i64(
                &sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
                    .fetch_one(self.pool())
                    .await?,
                "n",
            )?;
            let recorded = audited.keys().filter(|(e, _)| e == entity).count() as i64;
            if stored < recorded {
                let problem = format!(
                    "{} {entity} entries of the audit log have no stored row (removed)",
                    recorded - stored
                );
                return Ok(Some(problem));
            }
        }
        Ok(None)
    }

    /// The first ledger line, in id order, that differs from its audit record; counts the
    /// lines that match.
    async fn changed_ledger_line(
        &self,
        audited: &AuditedFacts,
        checked: &mut i64,
    ) -> Result<Option<String>> {
        let ledger = sqlx::query(&format!(
            "SELECT {LEDGER_COLUMNS} FROM sample_ledger ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        for row in &ledger {
            let stored = ledger_of(row)?;
            let original = audited
                .get(&("sample_txn".into(), stored.id.to_string()))
                .and_then(|v| serde_json::from_value::<LedgerEntry>(v.clone()).ok());
            let same = original.is_some_and(|mut o| {
                o.occurred_at =
                    parse_time("audit", &fact_time(o.occurred_at)).unwrap_or(o.occurred_at);
                o == stored
            });
            if !same {
                let problem = format!(
                    "sample transaction {} ({} of {} units) differs from its audit record",
                    stored.id,
                    stored.kind.as_str(),
                    stored.quantity
                );
                return Ok(Some(problem));
            }
            *checked += 1;
        }
        Ok(None)
    }

    /// The first signed sample record, in id order, that differs from its audit record or
    /// whose signature hash column differs from its signature; counts the records that match.
    async fn changed_sample_record(
        &self,
        audited: &AuditedFacts,
        checked: &mut i64,
    ) -> Result<Option<String>> {
        let records = sqlx::query(&format!(
            "SELECT {STORED_RECORD_COLUMNS}, signature_hash FROM sample_records ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        for row in &records {
            let stored = stored_record(row)?;
            let hash_column = get_str(row, "signature_hash")?;
            let original = audited
                .get(&("sample_record".into(), stored.id.to_string()))
                .and_then(|v| serde_json::from_value::<NewSampleRecord>(v.clone()).ok());
            let same = hash_column == stored.signature.hash
                && original.is_some_and(|mut o| {
                    o.occurred_at =
                        parse_time("audit", &fact_time(o.occurred_at)).unwrap_or(o.occurred_at);
                    o == stored
                });
            if !same {
                return Ok(Some(format!(
                    "signed sample record {} differs from its audit record",
                    stored.id
                )));
            }
            *checked += 1;
        }
        Ok(None)
    }
}

/// The columns [`stored_record`] reads.
pub(crate) const STORED_RECORD_COLUMNS: &str =
    "id, record_type, call_id, rep_id, hcp_id, occurred_at, state, ship_to, lines, signature, findings, corrects";

/// A signed record as stored, in the shape it was audited and sealed in.
pub(crate) fn stored_record(row: &AnyRow) -> Result<NewSampleRecord> {
    Ok(NewSampleRecord {
        id: get_uuid(row, "id")?,
        record_type: get_str(row, "record_type")?,
        call_id: get_opt_uuid(row, "call_id")?,
        rep_id: get_uuid(row, "rep_id")?,
        hcp_id: get_uuid(row, "hcp_id")?,
        occurred_at: parse_time("sample_records.occurred_at", &get_str(row, "occurred_at")?)?,
        state: get_str(row, "state")?,
        ship_to: get_opt_str(row, "ship_to")?,
        lines: from_json(row, "lines")?,
        signature: from_json(row, "signature")?,
        findings: from_json(row, "findings")?,
        corrects: get_opt_uuid(row, "corrects")?,
    })
}

//! Calls and the record of sync mutations. A pushed mutation, the call it creates and the
//! device's last-applied mutation id are written in one transaction, so a retry after a
//! lost answer finds the outcome instead of applying twice.

use crate::audit::record;
use crate::samples::guard::{self, Seen};
use crate::samples::Effect;
use crate::scope::{join_alignment, restrict};
use crate::sql::{
    get_opt_date, get_opt_str, get_opt_uuid, get_str, get_uuid, insert_rows, next_version, stmt,
    Sql,
};
use crate::{Result, StorageError, Store};
use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::call::{Call, CallType};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::HcpStatus;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use uuid::Uuid;

pub use pharmacrm_domain::mutation::{MutationOutcome, MutationStatus};

/// The stored `code` column of a mutation: the code, or the flags joined by commas.
fn outcome_code_text(outcome: &MutationOutcome) -> Option<String> {
    if outcome.flags.is_empty() {
        outcome.code.map(|c| c.as_str().to_string())
    } else {
        Some(
            outcome
                .flags
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(","),
        )
    }
}

fn outcome_from_row(row: &AnyRow) -> Result<MutationOutcome> {
    let status = get_str(row, "status")?;
    let status = MutationStatus::parse(&status)
        .ok_or_else(|| StorageError::corrupt("sync_mutations.status", &status))?;
    let codes = get_opt_str(row, "code")?
        .map(|text| {
            text.split(',')
                .map(|c| {
                    Code::parse(c).ok_or_else(|| StorageError::corrupt("sync_mutations.code", c))
                })
                .collect::<Result<Vec<Code>>>()
        })
        .transpose()?
        .unwrap_or_default();
    let flagged = status == MutationStatus::AppliedWithFlag;
    Ok(MutationOutcome {
        status,
        code: codes.first().copied(),
        flags: if flagged { codes } else { Vec::new() },
        message: get_opt_str(row, "message")?,
        errors: serde_json::from_str(&get_str(row, "errors")?).unwrap_or_default(),
    })
}

/// What call rules need to know about an HCP, read without scope (the caller judges scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HcpCallFacts {
    pub id: Uuid,
    pub status: HcpStatus,
    pub do_not_call: Option<(String, Option<DateTime<Utc>>)>,
    pub blacklisted: Option<(String, Option<DateTime<Utc>>)>,
    pub zip: String,
}

pub(crate) const CALL_COLUMNS: &str = "c.id, c.rep_id, (SELECT u.display_name FROM users u WHERE u.id = c.rep_id) AS rep_name, c.call_type, c.account_id, c.territory_id, c.called_at, c.product_ids, \
    c.outcome, c.next_step, c.next_step_date, c.notes, c.corrects, c.correction_reason, c.flags, c.submitted_at, c.key_message_ids, c.disbursement_id, c.district_id, c.region_id";

fn parse_time(column: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::corrupt(column, e))
}

fn json_list<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> Result<Vec<T>> {
    serde_json::from_str(&get_str(row, column)?).map_err(|e| StorageError::corrupt(column, e))
}

/// Builds calls from rows of [`CALL_COLUMNS`], fetching their attendees.
pub(crate) async fn calls_from_rows(store: &Store, rows: &[AnyRow]) -> Result<Vec<Call>> {
    let ids: Vec<Uuid> = rows
        .iter()
        .map(|r| get_uuid(r, "id"))
        .collect::<Result<_>>()?;
    let mut attendees: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("SELECT call_id, hcp_id FROM call_attendees WHERE call_id IN ");
        sql.bind_list(chunk.iter().copied())
            .push(" ORDER BY hcp_id");
        for row in sql.query().fetch_all(store.pool()).await? {
            attendees
                .entry(get_uuid(&row, "call_id")?)
                .or_default()
                .push(get_uuid(&row, "hcp_id")?);
        }
    }
    rows.iter()
        .map(|row| {
            let id = get_uuid(row, "id")?;
            let kind = get_str(row, "call_type")?;
            Ok(Call {
                id,
                rep_id: get_uuid(row, "rep_id")?,
                rep_name: get_opt_str(row, "rep_name")?.unwrap_or_default(),
                call_type: CallType::parse(&kind)
                    .ok_or_else(|| StorageError::corrupt("calls.call_type", &kind))?,
                hcp_ids: attendees.remove(&id).unwrap_or_default(),
                account_id: get_opt_uuid(row, "account_id")?,
                territory_id: get_opt_uuid(row, "territory_id")?,
                called_at: parse_time("calls.called_at", &get_str(row, "called_at")?)?,
                product_ids: json_list(row, "product_ids")?,
                outcome: get_str(row, "outcome")?,
                next_step: get_str(row, "next_step")?,
                next_step_date: get_opt_date(row, "next_step_date")?,
                notes: get_opt_str(row, "notes")?,
                corrects: get_opt_uuid(row, "corrects")?,
                correction_reason: get_opt_str(row, "correction_reason")?,
                flags: json_list(row, "flags")?,
                submitted_at: get_str(row, "submitted_at")?,
                key_message_ids: json_list(row, "key_message_ids")?,
                disbursement_id: get_opt_uuid(row, "disbursement_id")?,
                district_id: get_opt_uuid(row, "district_id")?,
                region_id: get_opt_uuid(row, "region_id")?,
            })
        })
        .collect()
}

fn call_row(call: &Call, version: i64) -> Vec<crate::sql::Value> {
    vec![
        call.id.into(),
        call.rep_id.into(),
        call.call_type.as_str().into(),
        call.account_id.into(),
        call.territory_id.into(),
        call.called_at
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string()
            .into(),
        serde_json::to_string(&call.product_ids)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        call.outcome.clone().into(),
        call.next_step.clone().into(),
        call.next_step_date.into(),
        call.notes.clone().into(),
        call.corrects.into(),
        call.correction_reason.clone().into(),
        serde_json::to_string(&call.flags)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        call.submitted_at.clone().into(),
        version.into(),
        serde_json::to_string(&call.key_message_ids)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        call.disbursement_id.into(),
        call.district_id.into(),
        call.region_id.into(),
    ]
}

const CALL_INSERT: &str = "id, rep_id, call_type, account_id, territory_id, called_at, product_ids, outcome, next_step, \
    next_step_date, notes, corrects, correction_reason, flags, submitted_at, version, key_message_ids, disbursement_id, district_id, region_id";

/// A pushed mutation as recorded: its answer, and what it writes with it.
#[derive(Debug, Clone, Copy)]
pub struct RecordedMutation<'a> {
    pub client_id: Uuid,
    pub mutation_id: Uuid,
    pub kind: &'a str,
    pub effects: &'a [Effect],
    /// The versions of the rows the decision read (empty for a decision on its own data).
    pub seen: &'a [Seen],
    pub outcome: &'a MutationOutcome,
}

impl Store {
    /// The stored answer to a mutation `user_id` sent already. Idempotency is per user: a
    /// mutation id another user sent is not theirs to read.
    pub async fn mutation_outcome(
        &self,
        id: Uuid,
        user_id: Uuid,
    ) -> Result<Option<MutationOutcome>> {
        let mut sql =
            Sql::new("SELECT status, code, message, errors FROM sync_mutations WHERE id = ");
        sql.bind(id).push(" AND user_id = ").bind(user_id);
        match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some(outcome_from_row(&row)?)),
            None => Ok(None),
        }
    }

    /// Records a mutation's outcome, its effects (the call it creates, sample records,
    /// ledger lines, ...) and the device's last-applied mutation, in one transaction. A
    /// concurrent replay of the same mutation loses on the primary key and changes nothing.
    /// Effects decided on other rows are written only if those rows are as the decision saw
    /// them ([`crate::samples::guard`]); otherwise nothing is written and the answer is
    /// [`StorageError::Stale`].
    pub async fn record_mutation(&self, actor: &Actor, m: &RecordedMutation<'_>) -> Result<()> {
        let RecordedMutation {
            client_id,
            mutation_id,
            kind,
            effects,
            seen,
            outcome,
        } = *m;
        let user_id = actor.user_id.ok_or(StorageError::NotFound("user"))?;
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        stmt(
            "INSERT INTO sync_mutations (id, client_id, user_id, kind, status, code, message, errors, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                mutation_id.into(),
                client_id.into(),
                user_id.into(),
                kind.into(),
                outcome.status.as_str().into(),
                outcome_code_text(outcome).into(),
                outcome.message.clone().into(),
                serde_json::to_string(&outcome.errors).unwrap_or_else(|_| "[]".into()).into(),
                now.clone().into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::MutationSeen,
            other => StorageError::Database(other),
        })?;
        if !effects.is_empty() {
            guard::hold(&mut tx, seen, &guard::written_by(effects)).await?;
        }
        for call in effects.iter().filter_map(|e| match e {
            Effect::Call(c) => Some(c),
            _ => None,
        }) {
            let version = next_version(&mut tx).await?;
            insert_rows(&mut tx, "calls", CALL_INSERT, vec![call_row(call, version)])
                .await
                .map_err(|e| match e {
                    StorageError::Database(db) => crate::sql::unique_violation(
                        db,
                        Code::DuplicateCall,
                        "call",
                        "id",
                        &call.id.to_string(),
                    ),
                    other => other,
                })?;
            let attendees = call
                .hcp_ids
                .iter()
                .map(|h| vec![call.id.into(), (*h).into()])
                .collect();
            insert_rows(&mut tx, "call_attendees", "call_id, hcp_id", attendees).await?;
            record(
                &mut tx,
                &self.now_timestamp(),
                actor,
                "call",
                call.id,
                AuditAction::Create,
                None,
                Some(call),
            )
            .await?;
        }
        for effect in effects {
            crate::samples::apply(&mut tx, actor, effect, &now).await?;
        }
        let done = stmt(
            "UPDATE sync_clients SET last_mutation_id = $1, updated_at = $2 WHERE client_id = $3 AND last_mutation_id < $4",
            vec![mutation_id.into(), now.clone().into(), client_id.into(), mutation_id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            stmt(
                "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (client_id) DO NOTHING",
                vec![client_id.into(), user_id.into(), mutation_id.into(), now.into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The last mutation applied for a device.
    pub async fn last_mutation_of(&self, client_id: Uuid) -> Result<Option<Uuid>> {
        let mut sql = Sql::new("SELECT last_mutation_id FROM sync_clients WHERE client_id = ");
        sql.bind(client_id);
        match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some(get_uuid(&row, "last_mutation_id")?)),
            None => Ok(None),
        }
    }

    /// Inserts calls directly (demo history and benchmarks), each audited.
    pub async fn insert_calls(&self, actor: &Actor, calls: &[Call]) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        insert_rows(
            &mut tx,
            "calls",
            CALL_INSERT,
            calls.iter().map(|c| call_row(c, version)).collect(),
        )
        .await?;
        let attendees = calls
            .iter()
            .flat_map(|c| c.hcp_ids.iter().map(|h| vec![c.id.into(), (*h).into()]))
            .collect();
        insert_rows(&mut tx, "call_attendees", "call_id, hcp_id", attendees).await?;
        let audit = calls
            .iter()
            .map(|c| {
                crate::audit::audit_row(
                    actor,
                    "call",
                    c.id,
                    AuditAction::Create,
                    None,
                    Some(c),
                    &now,
                )
            })
            .collect();
        crate::audit::append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A call by id, whoever made it (for correction and duplicate checks).
    pub async fn call_by_id(&self, id: Uuid) -> Result<Option<Call>> {
        let mut sql = Sql::new(&format!("SELECT {CALL_COLUMNS} FROM calls c WHERE c.id = "));
        sql.bind(id);
        let rows = sql.query().fetch_all(self.pool()).await?;
        Ok(calls_from_rows(self, &rows).await?.pop())
    }

    /// Calls with at least one attendee visible in `scope`, most recent first.
    pub async fn calls_of_hcp(&self, scope: &Scope, hcp_id: Uuid) -> Result<Vec<Call>> {
        let mut sql = Sql::new(&format!(
            "SELECT {CALL_COLUMNS} FROM calls c JOIN call_attendees ca ON ca.call_id = c.id JOIN hcps h ON h.id = ca.hcp_id"
        ));
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE ca.hcp_id = ").bind(hcp_id);
        restrict(&mut sql, scope);
        sql.push(" ORDER BY c.called_at DESC");
        let rows = sql.query().fetch_all(self.pool()).await?;
        calls_from_rows(self, &rows).await
    }

    /// Status, do-not-call flag and ZIP of HCPs, whatever their territory.
    pub async fn hcp_call_facts(&self, ids: &[Uuid]) -> Result<Vec<HcpCallFacts>> {
        let mut sql =
            Sql::new("SELECT id, status, dnc_reason, dnc_set_at, zip FROM hcps WHERE id IN ");
        sql.bind_list(ids.iter().copied());
        let rows = sql.query().fetch_all(self.pool()).await?;
        let found: Vec<Uuid> = rows
            .iter()
            .map(|r| get_uuid(r, "id"))
            .collect::<Result<_>>()?;
        let blacklist = self.blacklist_of(&found).await?;
        rows.iter()
            .map(|row| {
                let id = get_uuid(row, "id")?;
                let blacklisted = match blacklist.get(&id) {
                    Some(b) => Some((
                        b.reason.clone(),
                        Some(parse_time("hcp_blacklist.set_at", &b.set_at)?),
                    )),
                    None => None,
                };
                let status = get_str(row, "status")?;
                let set_at = get_opt_str(row, "dnc_set_at")?
                    .map(|t| parse_time("hcps.dnc_set_at", &t))
                    .transpose()?;
                Ok(HcpCallFacts {
                    id: get_uuid(row, "id")?,
                    status: HcpStatus::parse(&status)
                        .map_err(|e| StorageError::corrupt("hcps.status", e))?,
                    do_not_call: get_opt_str(row, "dnc_reason")?.map(|r| (r, set_at)),
                    blacklisted,
                    zip: get_str(row, "zip")?,
                })
            })
            .collect()
    }

    /// The territory a ZIP was aligned to on `day`.
    pub async fn territory_of_zip_on(&self, zip: &str, day: NaiveDate) -> Result<Option<Uuid>> {
        let mut sql = Sql::new("SELECT territory_id FROM zip_alignments WHERE zip = ");
        sql.bind(zip)
            .push(" AND valid_from <= ")
            .bind(day)
            .push(" AND (valid_to IS NULL OR valid_to > ")
            .bind(day)
            .push(")");
        match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some(get_uuid(&row, "territory_id")?)),
            None => Ok(None),
        }
    }
}

//! Effective-dated alignment of ZIPs (and of accounts overriding their ZIP) to territories.
//! Aligning a key from a date closes the row that covered it, so each key has at most one
//! territory on any day and the history of who covered what stays queryable.

use crate::audit::{append, audit_row};
use crate::sql::{
    get_date, get_opt_date, get_opt_uuid, get_str, get_uuid, insert_rows, next_version, Sql, Value,
};
use crate::{timestamp_text, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::org::Effective;
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// One alignment row: a ZIP (or an account id) aligned to a territory over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alignment {
    pub id: Uuid,
    /// The ZIP, or the account's id.
    pub key: String,
    pub territory_id: Uuid,
    pub effective: Effective,
    /// The realignment cycle whose publication wrote the row, if any.
    pub realignment_id: Option<Uuid>,
}

/// What aligning a set of keys changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlignmentOutcome {
    pub created: usize,
    pub unchanged: usize,
}

/// Aligns each `(key, territory)` from `from` on in `table` (`zip_alignments` keyed by
/// `zip`, or `account_alignments` keyed by `account_id`), given every row of those keys
/// (`current`). A key already aligned to the same territory from that day on is left
/// alone; otherwise the covering row is closed at `from` and a new one opened. Rows starting
/// after `from` are superseded (closed at their start, i.e. removed from force). New rows
/// name `cycle`, the realignment being published (none outside a cycle).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn align_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    table: &str,
    key_column: &str,
    current: &HashMap<String, Vec<Alignment>>,
    pairs: &[(String, Uuid)],
    from: NaiveDate,
    cycle: Option<Uuid>,
    version: i64,
    now: &str,
) -> Result<AlignmentOutcome> {
    let entity = table.trim_end_matches('s');
    // Aligned from today: in force from this instant, not from midnight (facts earlier
    // today stay with the row it replaces). `now` is stored-timestamp text, its day first.
    let instant = (now.get(..10) == Some(from.to_string().as_str())).then_some(now);
    let mut outcome = AlignmentOutcome::default();
    let mut rows = Vec::new();
    let mut audit = Vec::new();
    for (key, territory) in pairs {
        let existing = current.get(key).map(Vec::as_slice).unwrap_or(&[]);
        if existing.iter().any(|a| {
            a.territory_id == *territory && a.effective.contains(from) && a.effective.to.is_none()
        }) {
            outcome.unchanged += 1;
            continue;
        }
        for a in existing
            .iter()
            .filter(|a| a.effective.to.is_none_or(|to| to > from))
        {
            let close_at = a.effective.from.max(from);
            let mut closed = a.clone();
            closed.effective.to = Some(close_at);
            let mut sql = Sql::new(&format!("UPDATE {table} SET valid_to = "));
            sql.bind(close_at)
                .push(", ends_at = ")
                .bind(Value::OptText(
                    instant.filter(|_| close_at == from).map(str::to_string),
                ))
                .push(", version = ")
                .bind(version)
                .push(" WHERE id = ")
                .bind(a.id);
            if close_at == a.effective.from {
                // A row that would become empty is removed from force by ending it where it starts.
                sql = Sql::new(&format!("DELETE FROM {table} WHERE id = "));
                sql.bind(a.id);
            }
            sql.query().execute(&mut *conn).await?;
            let action = if close_at == a.effective.from {
                AuditAction::Delete
            } else {
                AuditAction::Update
            };
            let after = (action == AuditAction::Update).then_some(&closed);
            audit.push(audit_row(actor, entity, a.id, action, Some(a), after, now));
        }
        let new = Alignment {
            id: pharmacrm_domain::new_id(),
            key: key.clone(),
            territory_id: *territory,
            effective: Effective { from, to: None },
            realignment_id: cycle,
        };
        rows.push(vec![
            new.id.into(),
            key.clone().into(),
            (*territory).into(),
            from.into(),
            Value::OptText(None),
            Value::OptText(cycle.map(|c| c.to_string())),
            version.into(),
            Value::OptText(instant.map(str::to_string)),
        ]);
        audit.push(audit_row(
            actor,
            entity,
            new.id,
            AuditAction::Create,
            None,
            Some(&new),
            now,
        ));
        outcome.created += 1;
    }
    insert_rows(
        conn,
        table,
        &format!("id, {key_column}, territory_id, valid_from, valid_to, realignment_id, version, starts_at"),
        rows,
    )
    .await?;
    append(conn, audit).await?;
    Ok(outcome)
}

/// Appends ` AND ...` keeping the alignment rows (`alias`) in force at instant `at`: begun
/// (before `at`'s day, or that day and not after `at`) and not ended (open, after that day,
/// or that day but only after `at`).
pub(crate) fn in_force_at(sql: &mut Sql, alias: &str, at: DateTime<Utc>) {
    let (day, instant) = (at.date_naive(), timestamp_text(at));
    sql.push(&format!(" AND ({alias}.valid_from < "))
        .bind(day)
        .push(&format!(" OR ({alias}.valid_from = "))
        .bind(day)
        .push(&format!(
            " AND ({alias}.starts_at IS NULL OR {alias}.starts_at <= "
        ))
        .bind(instant.clone())
        .push(&format!(
            "))) AND ({alias}.valid_to IS NULL OR {alias}.valid_to > "
        ))
        .bind(day)
        .push(&format!(" OR ({alias}.valid_to = "))
        .bind(day)
        .push(&format!(" AND {alias}.ends_at > "))
        .bind(instant)
        .push("))");
}

impl Store {
    /// Aligns each `(zip, territory)` from `from` on (see [`align_in`]), in one transaction.
    pub async fn align_zips(
        &self,
        actor: &Actor,
        pairs: &[(String, Uuid)],
        from: NaiveDate,
    ) -> Result<AlignmentOutcome> {
        let current = self
            .alignments_for(pairs.iter().map(|(z, _)| z.clone()).collect())
            .await?;
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let outcome = align_in(
            &mut tx,
            actor,
            "zip_alignments",
            "zip",
            &current,
            pairs,
            from,
            None,
            version,
            &self.now_timestamp(),
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn rows_for(
        &self,
        table: &str,
        key_column: &str,
        keys: Vec<String>,
    ) -> Result<HashMap<String, Vec<Alignment>>> {
        let mut map: HashMap<String, Vec<Alignment>> = HashMap::new();
        for chunk in keys.chunks(500) {
            let mut sql = Sql::new(&format!("SELECT id, {key_column} AS k, territory_id, valid_from, valid_to, realignment_id FROM {table} WHERE {key_column} IN "));
            sql.bind_list(chunk.iter().cloned())
                .push(" ORDER BY valid_from");
            for row in sql.query().fetch_all(self.pool()).await? {
                let a = Alignment {
                    id: get_uuid(&row, "id")?,
                    key: get_str(&row, "k")?,
                    territory_id: get_uuid(&row, "territory_id")?,
                    effective: Effective {
                        from: get_date(&row, "valid_from")?,
                        to: get_opt_date(&row, "valid_to")?,
                    },
                    realignment_id: get_opt_uuid(&row, "realignment_id")?,
                };
                map.entry(a.key.clone()).or_default().push(a);
            }
        }
        Ok(map)
    }

    /// Every alignment row (past, present, future) of these ZIPs.
    pub async fn alignments_for(
        &self,
        zips: Vec<String>,
    ) -> Result<HashMap<String, Vec<Alignment>>> {
        self.rows_for("zip_alignments", "zip", zips).await
    }

    /// Every override row (past, present, future) of these accounts (ids as text).
    pub async fn account_alignments_for(
        &self,
        accounts: Vec<String>,
    ) -> Result<HashMap<String, Vec<Alignment>>> {
        self.rows_for("account_alignments", "account_id", accounts)
            .await
    }

    /// The territory a ZIP was aligned to at instant `at`: on a day an alignment changed,
    /// the row published that day governs only from its publication.
    pub async fn territory_of_zip_at(&self, zip: &str, at: DateTime<Utc>) -> Result<Option<Uuid>> {
        let mut sql = Sql::new("SELECT territory_id FROM zip_alignments a WHERE a.zip = ");
        sql.bind(zip);
        in_force_at(&mut sql, "a", at);
        match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some(get_uuid(&row, "territory_id")?)),
            None => Ok(None),
        }
    }

    /// The territory of an account at instant `at`: its override then, else its ZIP's
    /// (the ZIP it had then).
    pub async fn account_territory_at(&self, id: Uuid, at: DateTime<Utc>) -> Result<Option<Uuid>> {
        let mut sql =
            Sql::new("SELECT territory_id FROM account_alignments a WHERE a.account_id = ");
        sql.bind(id);
        in_force_at(&mut sql, "a", at);
        if let Some(row) = sql.query().fetch_optional(self.pool()).await? {
            return Ok(Some(get_uuid(&row, "territory_id")?));
        }
        match self
            .zip_at(crate::addresses::Addressee::Account, id, at)
            .await?
        {
            Some(zip) => self.territory_of_zip_at(&zip, at).await,
            None => Ok(None),
        }
    }

    /// The territory a ZIP is aligned to today, if it is within `scope`.
    pub async fn territory_of_zip(&self, scope: &Scope, zip: &str) -> Result<Option<Uuid>> {
        let day = self.today();
        let mut sql = Sql::new("SELECT territory_id FROM zip_alignments WHERE zip = ");
        sql.bind(zip)
            .push(" AND valid_from <= ")
            .bind(day)
            .push(" AND (valid_to IS NULL OR valid_to > ")
            .bind(day)
            .push(")");
        let territory = match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Some(get_uuid(&row, "territory_id")?),
            None => None,
        };
        Ok(territory.filter(|t| scope.includes(Some(*t))))
    }

    /// The ZIPs aligned to a territory today.
    pub async fn zips_of_territory(&self, territory: Uuid) -> Result<Vec<String>> {
        let day = self.today();
        let mut sql = Sql::new("SELECT zip FROM zip_alignments WHERE territory_id = ");
        sql.bind(territory)
            .push(" AND valid_from <= ")
            .bind(day)
            .push(" AND (valid_to IS NULL OR valid_to > ")
            .bind(day)
            .push(") ORDER BY zip");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| get_str(r, "zip"))
            .collect()
    }
}

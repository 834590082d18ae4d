//! ZIP-to-territory alignment, effective-dated. Aligning a ZIP from a date closes the
//! alignment that covered it, so each ZIP has at most one territory on any day and the
//! history of who covered what stays queryable.

use crate::audit::{append, audit_row};
use crate::sql::{get_date, get_opt_date, get_str, get_uuid, insert_rows, next_version, now_timestamp, today, Sql, Value};
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::org::Effective;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZipAlignment {
    pub id: Uuid,
    pub zip: String,
    pub territory_id: Uuid,
    pub effective: Effective,
}

/// What aligning a set of ZIPs changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlignmentOutcome {
    pub created: usize,
    pub unchanged: usize,
}

impl Store {
    /// Aligns each `(zip, territory)` from `from` on. A ZIP already aligned to the same
    /// territory on that day is left alone; otherwise the covering row is closed at `from`
    /// and a new one opened. Rows starting after `from` are superseded (closed at their start).
    pub async fn align_zips(&self, actor: &Actor, pairs: &[(String, Uuid)], from: NaiveDate) -> Result<AlignmentOutcome> {
        let current = self.alignments_for(pairs.iter().map(|(z, _)| z.clone()).collect()).await?;
        let now = now_timestamp();
        let mut outcome = AlignmentOutcome::default();
        let mut tx = self.pool().begin().await?;
        let version = next_version(&mut tx).await?;
        let mut rows = Vec::new();
        let mut audit = Vec::new();
        for (zip, territory) in pairs {
            let existing = current.get(zip).map(Vec::as_slice).unwrap_or(&[]);
            if existing.iter().any(|a| a.territory_id == *territory && a.effective.contains(from) && a.effective.to.is_none()) {
                outcome.unchanged += 1;
                continue;
            }
            for a in existing.iter().filter(|a| a.effective.to.is_none_or(|to| to > from)) {
                let close_at = a.effective.from.max(from);
                let mut closed = a.clone();
                closed.effective.to = Some(close_at);
                let mut sql = Sql::new("UPDATE zip_alignments SET valid_to = ");
                sql.bind(close_at).push(", version = ").bind(version).push(" WHERE id = ").bind(a.id);
                if close_at == a.effective.from {
                    // A row that would become empty is removed from force by ending it where it starts.
                    sql = Sql::new("DELETE FROM zip_alignments WHERE id = ");
                    sql.bind(a.id);
                }
                sql.query().execute(&mut *tx).await?;
                let action = if close_at == a.effective.from { AuditAction::Delete } else { AuditAction::Update };
                let after = (action == AuditAction::Update).then_some(&closed);
                audit.push(audit_row(actor, "zip_alignment", a.id, action, Some(a), after, &now));
            }
            let new = ZipAlignment {
                id: pharmacrm_domain::new_id(),
                zip: zip.clone(),
                territory_id: *territory,
                effective: Effective { from, to: None },
            };
            rows.push(vec![new.id.into(), zip.clone().into(), (*territory).into(), from.into(), Value::OptText(None), version.into()]);
            audit.push(audit_row(actor, "zip_alignment", new.id, AuditAction::Create, None, Some(&new), &now));
            outcome.created += 1;
        }
        insert_rows(&mut tx, "zip_alignments", "id, zip, territory_id, valid_from, valid_to, version", rows).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Every alignment row (past, present, future) of these ZIPs.
    pub async fn alignments_for(&self, zips: Vec<String>) -> Result<HashMap<String, Vec<ZipAlignment>>> {
        let mut map: HashMap<String, Vec<ZipAlignment>> = HashMap::new();
        for chunk in zips.chunks(500) {
            let mut sql = Sql::new("SELECT id, zip, territory_id, valid_from, valid_to FROM zip_alignments WHERE zip IN ");
            sql.bind_list(chunk.iter().cloned()).push(" ORDER BY valid_from");
            for row in sql.query().fetch_all(self.pool()).await? {
                let a = ZipAlignment {
                    id: get_uuid(&row, "id")?,
                    zip: get_str(&row, "zip")?,
                    territory_id: get_uuid(&row, "territory_id")?,
                    effective: Effective { from: get_date(&row, "valid_from")?, to: get_opt_date(&row, "valid_to")? },
                };
                map.entry(a.zip.clone()).or_default().push(a);
            }
        }
        Ok(map)
    }

    /// The territory a ZIP is aligned to today, if it is within `scope`.
    pub async fn territory_of_zip(&self, scope: &Scope, zip: &str) -> Result<Option<Uuid>> {
        let day = today();
        let mut sql = Sql::new("SELECT territory_id FROM zip_alignments WHERE zip = ");
        sql.bind(zip).push(" AND valid_from <= ").bind(day).push(" AND (valid_to IS NULL OR valid_to > ").bind(day).push(")");
        let territory = match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Some(get_uuid(&row, "territory_id")?),
            None => None,
        };
        Ok(territory.filter(|t| scope.includes(Some(*t))))
    }

    /// The ZIPs aligned to a territory today.
    pub async fn zips_of_territory(&self, territory: Uuid) -> Result<Vec<String>> {
        let day = today();
        let mut sql = Sql::new("SELECT zip FROM zip_alignments WHERE territory_id = ");
        sql.bind(territory).push(" AND valid_from <= ").bind(day).push(" AND (valid_to IS NULL OR valid_to > ").bind(day).push(") ORDER BY zip");
        sql.query().fetch_all(self.pool()).await?.iter().map(|r| get_str(r, "zip")).collect()
    }
}

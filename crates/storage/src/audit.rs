//! The append-only audit log: written in the same transaction as the change it records
//! (the tables refuse updates and deletes), read back per entity.

use crate::sql::{get_i64, get_opt_str, get_str, now_timestamp, Sql, Value};
use crate::{Result, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Appends one entry. Call with the transaction that makes the change.
pub(crate) async fn record<T: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    entity: &str,
    entity_id: impl std::fmt::Display,
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let row = audit_row(actor, entity, entity_id, action, before, after, &now_timestamp());
    crate::sql::insert_rows(conn, "audit_log", AUDIT_COLUMNS, vec![row]).await
}

pub(crate) const AUDIT_COLUMNS: &str = "id, at, actor_id, actor_name, entity, entity_id, action, before, after";

/// The values of one audit row, for single and multi-row inserts.
pub(crate) fn audit_row<T: Serialize>(
    actor: &Actor,
    entity: &str,
    entity_id: impl std::fmt::Display,
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
    now: &str,
) -> Vec<Value> {
    let json = |v: Option<&T>| v.and_then(|v| serde_json::to_string(v).ok());
    vec![
        pharmacrm_domain::new_id().into(),
        now.into(),
        actor.user_id.into(),
        actor.name.clone().into(),
        entity.into(),
        entity_id.to_string().into(),
        action.as_str().into(),
        json(before).into(),
        json(after).into(),
    ]
}

impl Store {
    /// Every entry about one record, oldest first.
    pub async fn audit_entries(&self, entity: &str, entity_id: impl std::fmt::Display) -> Result<Vec<AuditEntry>> {
        let mut sql = Sql::new("SELECT seq, at, actor_name, entity, entity_id, action, before, after FROM audit_log WHERE entity = ");
        sql.bind(entity).push(" AND entity_id = ").bind(entity_id.to_string()).push(" ORDER BY seq");
        let rows = sql.query().fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let parse = |col: &str| -> Result<Option<serde_json::Value>> {
                    Ok(get_opt_str(row, col)?.and_then(|t| serde_json::from_str(&t).ok()))
                };
                Ok(AuditEntry {
                    seq: get_i64(row, "seq")?,
                    at: get_str(row, "at")?,
                    actor_name: get_str(row, "actor_name")?,
                    entity: get_str(row, "entity")?,
                    entity_id: get_str(row, "entity_id")?,
                    action: get_str(row, "action")?,
                    before: parse("before")?,
                    after: parse("after")?,
                })
            })
            .collect()
    }

    pub async fn audit_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM audit_log").fetch_one(self.pool()).await?;
        get_i64(&row, 0)
    }
}

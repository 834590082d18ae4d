//! The append-only audit log: written in the same transaction as the change it records
//! (the tables refuse updates and deletes), read back per entity.

use crate::sql::{get_i64, get_opt_str, get_str, insert_rows, stmt, Sql};
use crate::{Result, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use serde::Serialize;
use sha2::{Digest, Sha256};
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
// The arguments are the entry's fields, named at each of the many call sites.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record<T: Serialize>(
    conn: &mut AnyConnection,
    at: &str,
    actor: &Actor,
    entity: &str,
    entity_id: impl std::fmt::Display,
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let row = audit_row(actor, entity, entity_id, action, before, after, at);
    append(conn, vec![row]).await
}

/// One entry to append.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NewEntry {
    id: String,
    at: String,
    actor_id: Option<String>,
    actor_name: String,
    entity: String,
    entity_id: String,
    action: String,
    before: Option<String>,
    after: Option<String>,
}

/// The entry for a change of `entity_id` from `before` to `after`.
pub(crate) fn audit_row<T: Serialize>(
    actor: &Actor,
    entity: &str,
    entity_id: impl std::fmt::Display,
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
    now: &str,
) -> NewEntry {
    let json = |v: Option<&T>| v.and_then(|v| serde_json::to_string(v).ok());
    NewEntry {
        id: pharmacrm_domain::new_id().to_string(),
        at: now.to_string(),
        actor_id: actor.user_id.map(|u| u.to_string()),
        actor_name: actor.name.clone(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        action: action.as_str().to_string(),
        before: json(before),
        after: json(after),
    }
}

/// The hash of an entry: SHA-256 over its position, the previous hash and its contents.
fn chain_hash(position: i64, prev: &str, e: &NewEntry) -> String {
    let canonical = serde_json::to_string(&(position, prev, e)).unwrap_or_default();
    Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends entries at the end of the chain. Taking the head locks it until the transaction
/// ends, so concurrent writers chain one after the other.
pub(crate) async fn append(conn: &mut AnyConnection, entries: Vec<NewEntry>) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let head = sqlx::query(
        "UPDATE audit_head SET position = position WHERE id = 1 RETURNING position, hash",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (mut position, mut prev) = (get_i64(&head, "position")?, get_str(&head, "hash")?);
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        position += 1;
        let hash = chain_hash(position, &prev, &e);
        rows.push(vec![
            e.id.into(),
            e.at.into(),
            e.actor_id.into(),
            e.actor_name.into(),
            e.entity.into(),
            e.entity_id.into(),
            e.action.into(),
            e.before.into(),
            e.after.into(),
            position.into(),
            prev.clone().into(),
            hash.clone().into(),
        ]);
        prev = hash;
    }
    insert_rows(conn, "audit_log", AUDIT_COLUMNS, rows).await?;
    stmt(
        "UPDATE audit_head SET position = $1, hash = $2 WHERE id = 1",
        vec![position.into(), prev.into()],
    )
    .query()
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const AUDIT_COLUMNS: &str = "id, at, actor_id, actor_name, entity, entity_id, action, before, after, position, prev_hash, hash";

/// What `verify_audit_chain` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: i64,
    /// The first problem: an entry altered, removed, or added out of chain.
    pub problem: Option<String>,
}

fn entry_of(row: &sqlx::any::AnyRow) -> Result<NewEntry> {
    Ok(NewEntry {
        id: get_str(row, "id")?,
        at: get_str(row, "at")?,
        actor_id: get_opt_str(row, "actor_id")?,
        actor_name: get_str(row, "actor_name")?,
        entity: get_str(row, "entity")?,
        entity_id: get_str(row, "entity_id")?,
        action: get_str(row, "action")?,
        before: get_opt_str(row, "before")?,
        after: get_opt_str(row, "after")?,
    })
}

impl Store {
    /// Every entry about one record, oldest first.
    pub async fn audit_entries(
        &self,
        entity: &str,
        entity_id: impl std::fmt::Display,
    ) -> Result<Vec<AuditEntry>> {
        let mut sql = Sql::new("SELECT seq, at, actor_name, entity, entity_id, action, before, after FROM audit_log WHERE entity = ");
        sql.bind(entity)
            .push(" AND entity_id = ")
            .bind(entity_id.to_string())
            .push(" ORDER BY seq");
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

    /// Recomputes the hash chain from the first entry to the head and reports the first
    /// entry that was altered or removed (or appended around the chain).
    pub async fn verify_audit_chain(&self) -> Result<ChainReport> {
        let head = sqlx::query("SELECT position, hash FROM audit_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        let (head_position, head_hash) = (get_i64(&head, "position")?, get_str(&head, "hash")?);
        let unchained = get_i64(
            &sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE position IS NULL")
                .fetch_one(self.pool())
                .await?,
            "n",
        )?;
        let (mut expected, mut prev) = (1i64, "genesis".to_string());
        loop {
            let mut sql = Sql::new("SELECT id, at, actor_id, actor_name, entity, entity_id, action, before, after, position, prev_hash, hash FROM audit_log WHERE position >= ");
            sql.bind(expected).push(" ORDER BY position LIMIT 5000");
            let rows = sql.query().fetch_all(self.pool()).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let position = get_i64(row, "position")?;
                let entry = entry_of(row)?;
                if position != expected {
                    let problem = format!(
                        "entry {expected} is missing (removed); the chain continues at {position}"
                    );
                    return Ok(ChainReport {
                        entries: expected - 1,
                        problem: Some(problem),
                    });
                }
                let stored_prev = get_opt_str(row, "prev_hash")?.unwrap_or_default();
                let stored = get_opt_str(row, "hash")?.unwrap_or_default();
                if stored_prev != prev || stored != chain_hash(position, &prev, &entry) {
                    let problem = format!(
                        "entry {position} ({} {} {} at {}) was altered",
                        entry.action, entry.entity, entry.entity_id, entry.at
                    );
                    return Ok(ChainReport {
                        entries: position - 1,
                        problem: Some(problem),
                    });
                }
                prev = stored;
                expected += 1;
            }
        }
        let checked = expected - 1;
        let problem = if checked != head_position || prev != head_hash {
            Some(format!("the chain ends at entry {checked} but its head says {head_position}: entries at the end were removed"))
        } else if unchained > 0 {
            Some(format!("{unchained} entries were added outside the chain"))
        } else {
            None
        };
        Ok(ChainReport {
            entries: checked,
            problem,
        })
    }

    /// Chains entries written before the chain existed (run by `migrate`).
    pub(crate) async fn chain_unchained_entries(&self) -> Result<()> {
        loop {
            let mut tx = self.pool().begin().await?;
            let rows = sqlx::query("SELECT seq, id, at, actor_id, actor_name, entity, entity_id, action, before, after FROM audit_log WHERE position IS NULL ORDER BY seq LIMIT 5000")
                .fetch_all(&mut *tx)
                .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let head = sqlx::query(
                "UPDATE audit_head SET position = position WHERE id = 1 RETURNING position, hash",
            )
            .fetch_one(&mut *tx)
            .await?;
            let (mut position, mut prev) = (get_i64(&head, "position")?, get_str(&head, "hash")?);
            for row in &rows {
                position += 1;
                let hash = chain_hash(position, &prev, &entry_of(row)?);
                stmt(
                    "UPDATE audit_log SET position = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
                    vec![
                        position.into(),
                        prev.clone().into(),
                        hash.clone().into(),
                        get_i64(row, "seq")?.into(),
                    ],
                )
                .query()
                .execute(&mut *tx)
                .await?;
                prev = hash;
            }
            stmt(
                "UPDATE audit_head SET position = $1, hash = $2 WHERE id = 1",
                vec![position.into(), prev.into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
    }

    /// The end of the chain: the last entry's position and hash (0 and `genesis` when empty).
    pub async fn audit_head(&self) -> Result<(i64, String)> {
        let head = sqlx::query("SELECT position, hash FROM audit_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        Ok((get_i64(&head, "position")?, get_str(&head, "hash")?))
    }

    /// The hash stored for the entry at `position`, if there is one.
    pub async fn audit_hash_at(&self, position: i64) -> Result<Option<String>> {
        let row = stmt(
            "SELECT hash FROM audit_log WHERE position = $1",
            vec![position.into()],
        )
        .query()
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| get_opt_str(&r, "hash").map(Option::unwrap_or_default))
            .transpose()
    }

    pub async fn audit_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM audit_log")
            .fetch_one(self.pool())
            .await?;
        get_i64(&row, 0)
    }
}

//! Merging duplicate HCPs and undoing a merge. A merge moves the merged record's calls,
//! segmentation, affiliations, licences, DEA registrations, blacklist entry, sample history,
//! targeting rows, realignment marks and sample exceptions to the survivor — except where the
//! survivor already holds the same thing (the same product's segment, the same account), in
//! which case the survivor's stands — and retires the merged record (`merged`, pointing at
//! the survivor). Signed sample records are facts bound to their HCP and stay where they
//! were signed; reads of an HCP's sample record include the records merged into it. Every
//! row moved is listed in the merge, so undo moves exactly those rows back.

use crate::audit::record;
use crate::changes::Tx;
use crate::samples::guard::{self, Guarded};
use crate::sql::{get_opt_str, get_str, get_uuid, next_version, stmt, touch_hcps, Sql, Value};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A table holding rows of an HCP: the columns that identify a row besides `hcp_id`, and
/// those that may not repeat for one HCP (the survivor's row wins there).
struct Holding {
    table: &'static str,
    key: &'static [&'static str],
    unique: &'static [&'static str],
}

const HOLDINGS: [Holding; 10] = [
    Holding {
        table: "call_attendees",
        key: &["call_id"],
        unique: &["call_id"],
    },
    Holding {
        table: "segments",
        key: &["id"],
        unique: &["product_id"],
    },
    Holding {
        table: "affiliations",
        key: &["id"],
        unique: &["account_id"],
    },
    Holding {
        table: "hcp_licences",
        key: &["id"],
        unique: &["state", "number"],
    },
    Holding {
        table: "hcp_dea_registrations",
        key: &["number"],
        unique: &["number"],
    },
    Holding {
        table: "hcp_blacklist",
        key: &[],
        unique: &[],
    },
    Holding {
        table: "hcp_samples",
        key: &["record_id", "product_id", "sku_id"],
        unique: &[],
    },
    Holding {
        table: "targeting_segments",
        key: &["targeting_version_id", "product_id"],
        unique: &["targeting_version_id", "product_id"],
    },
    Holding {
        table: "realignment_marks",
        key: &["id"],
        unique: &[],
    },
    Holding {
        table: "sample_exceptions",
        key: &["id"],
        unique: &[],
    },
];

/// A merge as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMerge {
    pub id: Uuid,
    pub survivor_id: Uuid,
    pub merged_id: Uuid,
    /// The merged record's master status before the merge (restored by undo).
    pub merged_status: String,
    pub pair_id: Option<Uuid>,
    pub reason: Option<String>,
    /// Per table, the key values of each row moved to the survivor.
    pub moved: BTreeMap<String, Vec<Vec<String>>>,
    pub merged_by: String,
    pub merged_at: String,
    pub undone_by: Option<String>,
    pub undone_at: Option<String>,
}

fn merge_of(row: &AnyRow) -> Result<StoredMerge> {
    Ok(StoredMerge {
        id: get_uuid(row, "id")?,
        survivor_id: get_uuid(row, "survivor_id")?,
        merged_id: get_uuid(row, "merged_id")?,
        merged_status: get_str(row, "merged_status")?,
        pair_id: crate::sql::get_opt_uuid(row, "pair_id")?,
        reason: get_opt_str(row, "reason")?,
        moved: serde_json::from_str(&get_str(row, "moved")?)
            .map_err(|e| StorageError::corrupt("hcp_merges.moved", e))?,
        merged_by: get_str(row, "merged_by")?,
        merged_at: get_str(row, "merged_at")?,
        undone_by: get_opt_str(row, "undone_by")?,
        undone_at: get_opt_str(row, "undone_at")?,
    })
}

fn key_condition(sql: &mut Sql, alias: &str, columns: &[&str], values: &[String]) {
    for (column, value) in columns.iter().zip(values) {
        sql.push(&format!(" AND {alias}{column} = "))
            .bind(value.clone());
    }
}

/// Moves the rows listed in `rows` of `holding` from HCP `from` to HCP `to`.
async fn move_rows(
    conn: &mut AnyConnection,
    holding: &Holding,
    rows: &[Vec<String>],
    from: Uuid,
    to: Uuid,
) -> Result<()> {
    for values in rows {
        let mut sql = Sql::new(&format!("UPDATE {} SET hcp_id = ", holding.table));
        sql.bind(to).push(" WHERE hcp_id = ").bind(from);
        key_condition(&mut sql, "", holding.key, values);
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The key values of `from`'s rows in `holding` that `to` does not already hold.
async fn movable(
    conn: &mut AnyConnection,
    holding: &Holding,
    from: Uuid,
    to: Uuid,
) -> Result<Vec<Vec<String>>> {
    let columns = if holding.key.is_empty() {
        "x.hcp_id".to_string()
    } else {
        holding
            .key
            .iter()
            .map(|c| format!("x.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut sql = Sql::new(&format!(
        "SELECT {columns} FROM {} x WHERE x.hcp_id = ",
        holding.table
    ));
    sql.bind(from);
    if holding.key.is_empty() || !holding.unique.is_empty() {
        sql.push(&format!(
            " AND NOT EXISTS (SELECT 1 FROM {} y WHERE y.hcp_id = ",
            holding.table
        ))
        .bind(to);
        for column in holding.unique {
            sql.push(&format!(" AND y.{column} = x.{column}"));
        }
        sql.push(")");
    }
    let rows = sql.query().fetch_all(&mut *conn).await?;
    let width = holding.key.len();
    rows.iter()
        .map(|row| {
            (0..width)
                .map(|i| crate::sql::get_text_at(row, i))
                .collect::<Result<Vec<String>>>()
        })
        .collect()
}

/// The master status of the merged record, once both records are live (verified or
/// proposed); `NotFound` otherwise.
async fn merged_status_of_live_pair(
    tx: &mut Tx,
    survivor_id: Uuid,
    merged_id: Uuid,
) -> Result<String> {
    let mut status = Sql::new("SELECT id, master_status FROM hcps WHERE id IN ");
    status.bind_list([survivor_id, merged_id]);
    let rows = status.query().fetch_all(&mut **tx).await?;
    let status_of = |id: Uuid| -> Result<Option<String>> {
        for row in &rows {
            if get_uuid(row, "id")? == id {
                return Ok(Some(get_str(row, "master_status")?));
            }
        }
        Ok(None)
    };
    let live = |s: &Option<String>| matches!(s.as_deref(), Some("verified") | Some("proposed"));
    let merged_status = status_of(merged_id)?;
    if !live(&status_of(survivor_id)?) || !live(&merged_status) {
        return Err(StorageError::NotFound("live HCP"));
    }
    Ok(merged_status.unwrap_or_default())
}

/// Moves every holding of `merged_id` that `survivor_id` does not already hold to the
/// survivor; returns, per table, the keys of the rows moved.
async fn move_holdings_to_survivor(
    tx: &mut Tx,
    merged_id: Uuid,
    survivor_id: Uuid,
) -> Result<BTreeMap<String, Vec<Vec<String>>>> {
    let mut moved = BTreeMap::new();
    for holding in &HOLDINGS {
        let rows = movable(tx, holding, merged_id, survivor_id).await?;
        if holding.key.is_empty() {
            if !rows.is_empty() {
                stmt(
                    &format!("UPDATE {} SET hcp_id = $1 WHERE hcp_id = $2", holding.table),
                    vec![survivor_id.into(), merged_id.into()],
                )
                .query()
                .execute(&mut **tx)
                .await?;
                moved.insert(holding.table.to_string(), vec![vec![]]);
            }
            continue;
        }
        move_rows(tx, holding, &rows, merged_id, survivor_id).await?;
        if !rows.is_empty() {
            moved.insert(holding.table.to_string(), rows);
        }
    }
    Ok(moved)
}

/// Retires the merged record (`merged`, pointing at the survivor) and gives both records
/// the merge's version.
async fn retire_merged(
    tx: &mut Tx,
    survivor_id: Uuid,
    merged_id: Uuid,
    version: i64,
) -> Result<()> {
    stmt(
        "UPDATE hcps SET master_status = 'merged', merged_into = $1 WHERE id = $2",
        vec![survivor_id.into(), merged_id.into()],
    )
    .query()
    .execute(&mut **tx)
    .await?;
    touch_hcps(tx, &[survivor_id, merged_id], version).await
}

/// Records the decision on the duplicate pair the merge resolves.
async fn decide_pair_merged(
    tx: &mut Tx,
    pair: Uuid,
    actor: &Actor,
    now: &str,
    reason: Option<&str>,
) -> Result<()> {
    stmt(
        "UPDATE duplicate_pairs SET status = 'merged', decided_by = $1, decided_at = $2, reason = $3 WHERE id = $4",
        vec![actor.name.clone().into(), now.to_string().into(), reason.map(str::to_string).into(), pair.into()],
    )
    .query()
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the merge, with the rows it moved, at `version`.
async fn insert_merge(tx: &mut Tx, merge: &StoredMerge, version: i64) -> Result<()> {
    let moved_json =
        serde_json::to_string(&merge.moved).map_err(|e| StorageError::corrupt("moved", e))?;
    stmt(
        "INSERT INTO hcp_merges (id, survivor_id, merged_id, merged_status, pair_id, reason, moved, merged_by, merged_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        vec![
            merge.id.into(),
            merge.survivor_id.into(),
            merge.merged_id.into(),
            merge.merged_status.clone().into(),
            merge.pair_id.into(),
            merge.reason.clone().into(),
            moved_json.into(),
            merge.merged_by.clone().into(),
            merge.merged_at.clone().into(),
            version.into(),
        ],
    )
    .query()
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Merges HCP `merged_id` into `survivor_id` in one transaction (audited as `hcp_merge`).
    pub async fn merge_hcps(
        &self,
        actor: &Actor,
        survivor_id: Uuid,
        merged_id: Uuid,
        pair_id: Option<Uuid>,
        reason: Option<&str>,
    ) -> Result<StoredMerge> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        // The survivor's sample history grows by the merged record's: limits decided on it
        // meanwhile are decided again.
        let histories = [survivor_id, merged_id].map(Guarded::HcpHistory);
        guard::hold(&mut tx, &[], &histories).await?;
        let merged_status = merged_status_of_live_pair(&mut tx, survivor_id, merged_id).await?;
        let moved = move_holdings_to_survivor(&mut tx, merged_id, survivor_id).await?;
        let version = next_version(&mut tx).await?;
        retire_merged(&mut tx, survivor_id, merged_id, version).await?;
        if let Some(pair) = pair_id {
            decide_pair_merged(&mut tx, pair, actor, &now, reason).await?;
        }
        let merge = StoredMerge {
            id: pharmacrm_domain::new_id(),
            survivor_id,
            merged_id,
            merged_status,
            pair_id,
            reason: reason.map(str::to_string),
            moved,
            merged_by: actor.name.clone(),
            merged_at: now,
            undone_by: None,
            undone_at: None,
        };
        insert_merge(&mut tx, &merge, version).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "hcp_merge",
            merge.id,
            AuditAction::Create,
            None,
            Some(&merge),
        )
        .await?;
        tx.commit().await?;
        Ok(merge)
    }

    /// Undoes a merge: the rows it moved go back to the merged record, which takes back its
    /// earlier master status; what the survivor gained since stays with the survivor.
    pub async fn undo_merge(&self, actor: &Actor, id: Uuid) -> Result<StoredMerge> {
        let mut tx = self.begin().await?;
        let row = stmt("SELECT * FROM hcp_merges WHERE id = $1", vec![id.into()])
            .query()
            .fetch_optional(&mut *tx)
            .await?;
        let before = row
            .as_ref()
            .map(merge_of)
            .transpose()?
            .ok_or(StorageError::NotFound("merge"))?;
        if before.undone_at.is_some() {
            return Err(StorageError::NotFound("merge not yet undone"));
        }
        let histories = [before.survivor_id, before.merged_id].map(Guarded::HcpHistory);
        guard::hold(&mut tx, &[], &histories).await?;
        for holding in &HOLDINGS {
            let Some(rows) = before.moved.get(holding.table) else {
                continue;
            };
            if holding.key.is_empty() {
                stmt(
                    &format!("UPDATE {} SET hcp_id = $1 WHERE hcp_id = $2", holding.table),
                    vec![before.merged_id.into(), before.survivor_id.into()],
                )
                .query()
                .execute(&mut *tx)
                .await?;
            } else {
                move_rows(&mut tx, holding, rows, before.survivor_id, before.merged_id).await?;
            }
        }
        let version = next_version(&mut tx).await?;
        stmt(
            "UPDATE hcps SET master_status = $1, merged_into = NULL WHERE id = $2",
            vec![before.merged_status.clone().into(), before.merged_id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        touch_hcps(&mut tx, &[before.survivor_id, before.merged_id], version).await?;
        if let Some(pair) = before.pair_id {
            stmt(
                "UPDATE duplicate_pairs SET status = 'open', decided_by = NULL, decided_at = NULL, reason = NULL WHERE id = $1",
                vec![pair.into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
        }
        let now = self.now_timestamp();
        stmt(
            "UPDATE hcp_merges SET undone_by = $1, undone_at = $2, version = $3 WHERE id = $4",
            vec![
                actor.name.clone().into(),
                now.clone().into(),
                version.into(),
                id.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let after = StoredMerge {
            undone_by: Some(actor.name.clone()),
            undone_at: Some(now),
            ..before.clone()
        };
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "hcp_merge",
            id,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Merges, most recent first.
    pub async fn merges(&self, limit: i64) -> Result<Vec<StoredMerge>> {
        let mut sql = Sql::new("SELECT * FROM hcp_merges ORDER BY merged_at DESC, id DESC LIMIT ");
        sql.bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(merge_of)
            .collect()
    }

    pub async fn merge(&self, id: Uuid) -> Result<Option<StoredMerge>> {
        let row = stmt("SELECT * FROM hcp_merges WHERE id = $1", vec![id.into()])
            .query()
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(merge_of).transpose()
    }

    /// The live record an HCP id now stands for: itself, or the survivor it was merged
    /// into (following merges of merges). `None` for an unknown or rejected id.
    pub async fn live_hcp_id(&self, id: Uuid) -> Result<Option<Uuid>> {
        let mut current = id;
        for _ in 0..16 {
            let row = stmt(
                "SELECT master_status, merged_into FROM hcps WHERE id = $1",
                vec![current.into()],
            )
            .query()
            .fetch_optional(self.pool())
            .await?;
            let Some(row) = row else { return Ok(None) };
            match (
                get_str(&row, "master_status")?.as_str(),
                crate::sql::get_opt_uuid(&row, "merged_into")?,
            ) {
                ("merged", Some(next)) => current = next,
                ("verified" | "proposed", _) => return Ok(Some(current)),
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Whether any merge was made or undone after change version `from` (devices then
    /// rebuild their copy, dropping merged records).
    pub async fn merges_since(&self, from: i64) -> Result<bool> {
        let row = stmt(
            "SELECT COUNT(*) AS n FROM hcp_merges WHERE version > $1",
            vec![Value::from(from)],
        )
        .query()
        .fetch_one(self.pool())
        .await?;
        Ok(crate::sql::get_i64(&row, "n")? > 0)
    }
}

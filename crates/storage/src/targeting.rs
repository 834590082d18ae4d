//! Targeting versions: drafts ops edits (segmentation rows and the frequency table),
//! publication with an effective date, and bringing a version into force by copying it into
//! `segments` and `frequency_targets`, which every reader (plans, reports, sync) uses.

use crate::audit::{append, audit_row, record};
use crate::sql::{
    get_i64, get_opt_date, get_opt_str, get_opt_uuid, get_str, get_uuid, insert_rows, next_version,
    touch_hcps, Sql,
};
use crate::{Result, StorageError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::targeting::{
    CycleKind, FrequencyTarget, TargetingVersion, VersionFrequency, VersionSegment, VersionState,
};
use sqlx::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// A segmentation row to put into a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DraftSegment {
    pub hcp_id: Uuid,
    pub product_id: Uuid,
    pub tier: Tier,
    pub decile: u8,
}

fn tier_of(text: &str, column: &str) -> Result<Tier> {
    Tier::parse(text).map_err(|e| StorageError::corrupt(column, e))
}

const VERSION_COLUMNS: &str = "id, number, name, cycle, status, effective_from, note, created_by, created_at, published_by, published_at, applied_at, \
(SELECT COUNT(*) FROM targeting_segments s WHERE s.targeting_version_id = targeting_versions.id) AS segment_count";

impl Store {
    /// Every version, newest first.
    pub async fn targeting_versions(&self) -> Result<Vec<TargetingVersion>> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM targeting_versions ORDER BY number DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut freq: HashMap<Uuid, Vec<VersionFrequency>> = HashMap::new();
        for r in sqlx::query("SELECT targeting_version_id, product_id, tier, calls FROM targeting_frequencies ORDER BY product_id, tier")
            .fetch_all(self.pool())
            .await?
        {
            freq.entry(get_uuid(&r, "targeting_version_id")?).or_default().push(VersionFrequency {
                product_id: get_uuid(&r, "product_id")?,
                tier: tier_of(&get_str(&r, "tier")?, "targeting_frequencies.tier")?,
                calls: get_i64(&r, "calls")?.max(0) as u32,
            });
        }
        let in_force = rows
            .iter()
            .filter(|r| get_opt_str(r, "applied_at").ok().flatten().is_some())
            .filter_map(|r| {
                Some((
                    get_opt_date(r, "effective_from").ok()??,
                    get_i64(r, "number").ok()?,
                    get_uuid(r, "id").ok()?,
                ))
            })
            .max()
            .map(|(_, _, id)| id);
        rows.iter()
            .map(|r| {
                let id = get_uuid(r, "id")?;
                let applied_at = get_opt_str(r, "applied_at")?;
                let state = match (get_str(r, "status")?.as_str(), applied_at.is_some()) {
                    ("draft", _) => VersionState::Draft,
                    (_, false) => VersionState::Scheduled,
                    _ if in_force == Some(id) => VersionState::InForce,
                    _ => VersionState::Superseded,
                };
                Ok(TargetingVersion {
                    id,
                    number: get_i64(r, "number")?.max(0) as u32,
                    name: get_str(r, "name")?,
                    cycle: CycleKind::parse(&get_str(r, "cycle")?)
                        .map_err(|e| StorageError::corrupt("targeting_versions.cycle", e))?,
                    state,
                    effective_from: get_opt_date(r, "effective_from")?,
                    note: get_opt_str(r, "note")?,
                    created_by: get_str(r, "created_by")?,
                    created_at: get_str(r, "created_at")?,
                    published_by: get_opt_str(r, "published_by")?,
                    published_at: get_opt_str(r, "published_at")?,
                    applied_at,
                    segments: get_i64(r, "segment_count")?.max(0) as u32,
                    frequencies: freq.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    pub async fn targeting_version(&self, id: Uuid) -> Result<TargetingVersion> {
        self.targeting_versions()
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or(StorageError::NotFound("targeting version"))
    }

    /// A page of the segmentation rows a version sets, by HCP name.
    pub async fn targeting_version_segments(
        &self,
        id: Uuid,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<VersionSegment>> {
        let mut sql = Sql::new(
            "SELECT s.hcp_id, h.npi, h.first_name, h.last_name, s.product_id, s.tier, s.decile FROM targeting_segments s \
             JOIN hcps h ON h.id = s.hcp_id WHERE s.targeting_version_id = ",
        );
        sql.bind(id)
            .push(" ORDER BY h.last_name, h.first_name, h.id, s.product_id LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(VersionSegment {
                    hcp_id: get_uuid(r, "hcp_id")?,
                    npi: get_str(r, "npi")?,
                    hcp_name: format!("{} {}", get_str(r, "first_name")?, get_str(r, "last_name")?),
                    product_id: get_uuid(r, "product_id")?,
                    tier: tier_of(&get_str(r, "tier")?, "targeting_segments.tier")?,
                    decile: get_i64(r, "decile")?.clamp(1, 10) as u8,
                })
            })
            .collect()
    }

    /// Creates a draft whose frequency table starts as the one in force.
    pub async fn create_targeting_version(
        &self,
        actor: &Actor,
        name: &str,
        cycle: CycleKind,
        note: Option<&str>,
    ) -> Result<Uuid> {
        let id = pharmacrm_domain::new_id();
        let now = self.now_timestamp();
        let mut tx = self.pool().begin().await?;
        let number = get_i64(
            &sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM targeting_versions")
                .fetch_one(&mut *tx)
                .await?,
            "n",
        )?;
        let mut sql = Sql::new("INSERT INTO targeting_versions (id, number, name, cycle, status, note, created_by, created_at) VALUES ");
        sql.bind_list(Vec::<crate::sql::Value>::from([
            id.into(),
            number.into(),
            name.into(),
            cycle.as_str().into(),
            "draft".into(),
            note.map(str::to_string).into(),
            actor.name.clone().into(),
            now.clone().into(),
        ]));
        sql.query().execute(&mut *tx).await?;
        let mut copy = Sql::new("INSERT INTO targeting_frequencies (targeting_version_id, product_id, tier, calls) SELECT ");
        copy.bind(id)
            .push(", product_id, tier, calls FROM frequency_targets");
        copy.query().execute(&mut *tx).await?;
        let after = serde_json::json!({"number": number, "name": name, "cycle": cycle.as_str(), "note": note});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "targeting_version",
            id,
            AuditAction::Create,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn lock_draft(conn: &mut AnyConnection, id: Uuid) -> Result<()> {
        let mut sql = Sql::new("SELECT status FROM targeting_versions WHERE id = ");
        sql.bind(id);
        match sql.query().fetch_optional(&mut *conn).await? {
            None => Err(StorageError::NotFound("targeting version")),
            Some(r) if get_str(&r, "status")? != "draft" => {
                Err(pharmacrm_domain::ValidationErrors::single(
                    "status",
                    "a published version cannot be changed; create a new version",
                )
                .into())
            }
            Some(_) => Ok(()),
        }
    }

    /// Renames a draft or changes its cycle or note.
    pub async fn update_targeting_draft(
        &self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        cycle: CycleKind,
        note: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        Self::lock_draft(&mut tx, id).await?;
        let mut sql = Sql::new("UPDATE targeting_versions SET name = ");
        sql.bind(name)
            .push(", cycle = ")
            .bind(cycle.as_str())
            .push(", note = ")
            .bind(note.map(str::to_string))
            .push(" WHERE id = ")
            .bind(id);
        sql.query().execute(&mut *tx).await?;
        let after = serde_json::json!({"name": name, "cycle": cycle.as_str(), "note": note});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "targeting_version",
            id,
            AuditAction::Update,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a draft's frequency table.
    pub async fn set_targeting_frequencies(
        &self,
        actor: &Actor,
        id: Uuid,
        rows: &[VersionFrequency],
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        Self::lock_draft(&mut tx, id).await?;
        let mut del = Sql::new("DELETE FROM targeting_frequencies WHERE targeting_version_id = ");
        del.bind(id).query().execute(&mut *tx).await?;
        let values = rows
            .iter()
            .map(|f| {
                vec![
                    id.into(),
                    f.product_id.into(),
                    f.tier.as_str().into(),
                    i64::from(f.calls).into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "targeting_frequencies",
            "targeting_version_id, product_id, tier, calls",
            values,
        )
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "targeting_frequencies",
            id,
            AuditAction::Update,
            None,
            Some(&rows),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts segmentation rows into a draft (a row for the same HCP x product replaces the
    /// earlier one). Returns (created, updated).
    pub async fn put_targeting_segments(
        &self,
        actor: &Actor,
        id: Uuid,
        rows: &[DraftSegment],
    ) -> Result<(usize, usize)> {
        let now = self.now_timestamp();
        let mut tx = self.pool().begin().await?;
        Self::lock_draft(&mut tx, id).await?;
        let (mut created, mut updated) = (0, 0);
        let mut audit = Vec::new();
        let mut inserts = Vec::new();
        for s in rows {
            let mut sql = Sql::new("UPDATE targeting_segments SET tier = ");
            sql.bind(s.tier.as_str())
                .push(", decile = ")
                .bind(i64::from(s.decile));
            sql.push(" WHERE targeting_version_id = ")
                .bind(id)
                .push(" AND hcp_id = ")
                .bind(s.hcp_id)
                .push(" AND product_id = ")
                .bind(s.product_id);
            if sql.query().execute(&mut *tx).await?.rows_affected() == 0 {
                inserts.push(vec![
                    id.into(),
                    s.hcp_id.into(),
                    s.product_id.into(),
                    s.tier.as_str().into(),
                    i64::from(s.decile).into(),
                ]);
                created += 1;
            } else {
                updated += 1;
            }
            audit.push(audit_row(
                actor,
                "targeting_segment",
                format!("{id}:{}:{}", s.hcp_id, s.product_id),
                AuditAction::Update,
                None,
                Some(s),
                &now,
            ));
        }
        insert_rows(
            &mut tx,
            "targeting_segments",
            "targeting_version_id, hcp_id, product_id, tier, decile",
            inserts,
        )
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok((created, updated))
    }

    /// Adds segmentation rows to a draft that has none for these HCP x product pairs (a
    /// bulk load, e.g. the first segmentation of a new database), audited as one entry.
    pub async fn add_targeting_segments(
        &self,
        actor: &Actor,
        id: Uuid,
        rows: &[DraftSegment],
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        Self::lock_draft(&mut tx, id).await?;
        let values = rows
            .iter()
            .map(|s| {
                vec![
                    id.into(),
                    s.hcp_id.into(),
                    s.product_id.into(),
                    s.tier.as_str().into(),
                    i64::from(s.decile).into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "targeting_segments",
            "targeting_version_id, hcp_id, product_id, tier, decile",
            values,
        )
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "targeting_segments",
            id,
            AuditAction::Create,
            None,
            Some(&serde_json::json!({"rows": rows.len()})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a draft: from now on it is read-only and comes into force on `effective_from`.
    pub async fn publish_targeting_version(
        &self,
        actor: &Actor,
        id: Uuid,
        effective_from: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        Self::lock_draft(&mut tx, id).await?;
        let mut sql =
            Sql::new("UPDATE targeting_versions SET status = 'published', effective_from = ");
        sql.bind(effective_from)
            .push(", published_by = ")
            .bind(actor.name.clone())
            .push(", published_at = ")
            .bind(self.now_timestamp());
        sql.push(" WHERE id = ").bind(id);
        sql.query().execute(&mut *tx).await?;
        let after = serde_json::json!({"status": "published", "effective_from": effective_from});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "targeting_version",
            id,
            AuditAction::Update,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Published versions whose effective date has come and that are not yet in force, in
    /// the order they take effect.
    pub async fn due_targeting_versions(&self, today: NaiveDate) -> Result<Vec<Uuid>> {
        let mut sql = Sql::new("SELECT id FROM targeting_versions WHERE status = 'published' AND applied_at IS NULL AND effective_from <= ");
        sql.bind(today).push(" ORDER BY effective_from, number");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| get_uuid(r, "id"))
            .collect()
    }

    /// Brings a published version into force: its segmentation rows replace those in force
    /// for the same HCP x product, and its frequency table becomes the one in force. One
    /// transaction; devices receive the touched HCPs and targets on their next pull.
    /// Segmentation rows take effect on the version's effective date (`set_on`).
    pub async fn apply_targeting_version(
        &self,
        actor: &Actor,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        // Claim the version first: whoever brings it into force (the scheduler, a publication)
        // does so once; the others find it already applied.
        let mut claim = Sql::new("UPDATE targeting_versions SET applied_at = ");
        claim
            .bind(self.now_timestamp())
            .push(" WHERE id = ")
            .bind(id)
            .push(" AND status = 'published' AND applied_at IS NULL");
        if claim.query().execute(&mut *tx).await?.rows_affected() == 0 {
            return Ok(());
        }
        let mut sql = Sql::new("SELECT cycle, effective_from FROM targeting_versions WHERE id = ");
        sql.bind(id);
        let version_row = sql.query().fetch_one(&mut *tx).await?;
        let cycle = get_str(&version_row, "cycle")?;
        let set_on = get_opt_date(&version_row, "effective_from")?.unwrap_or(today);
        let version = next_version(&mut tx).await?;
        let mut sql = Sql::new("SELECT hcp_id, product_id, tier, decile FROM targeting_segments WHERE targeting_version_id = ");
        sql.bind(id);
        let rows = sql.query().fetch_all(&mut *tx).await?;
        let mut hcps = Vec::with_capacity(rows.len());
        let mut inserts = Vec::with_capacity(rows.len());
        for r in &rows {
            let hcp = get_uuid(r, "hcp_id")?;
            hcps.push(hcp);
            inserts.push(vec![
                pharmacrm_domain::new_id().into(),
                hcp.into(),
                get_str(r, "product_id")?.into(),
                get_str(r, "tier")?.into(),
                get_i64(r, "decile")?.into(),
                set_on.into(),
            ]);
        }
        hcps.sort();
        hcps.dedup();
        // Replace the rows in force for the same HCP x product, then copy the version's rows.
        let mut del = Sql::new("DELETE FROM segments WHERE EXISTS (SELECT 1 FROM targeting_segments s WHERE s.targeting_version_id = ");
        del.bind(id)
            .push(" AND s.hcp_id = segments.hcp_id AND s.product_id = segments.product_id)");
        del.query().execute(&mut *tx).await?;
        insert_rows(
            &mut tx,
            "segments",
            "id, hcp_id, product_id, tier, decile, set_on",
            inserts,
        )
        .await?;
        touch_hcps(&mut tx, &hcps, version).await?;
        sqlx::query("DELETE FROM frequency_targets")
            .execute(&mut *tx)
            .await?;
        let mut copy = Sql::new("INSERT INTO frequency_targets (product_id, tier, cycle, calls, targeting_version_id, version) SELECT product_id, tier, ");
        copy.bind(cycle)
            .push(", calls, ")
            .bind(id)
            .push(", ")
            .bind(version)
            .push(" FROM targeting_frequencies WHERE targeting_version_id = ")
            .bind(id);
        copy.query().execute(&mut *tx).await?;
        // A product the version leaves out gets no calls (rather than keeping the old figure
        // on devices, which replace rows and never delete them).
        let mut rest = Sql::new("INSERT INTO frequency_targets (product_id, tier, cycle, calls, targeting_version_id, version) SELECT p.id, t.tier, ");
        rest.bind(get_str(&version_row, "cycle")?)
            .push(", 0, ")
            .bind(id)
            .push(", ")
            .bind(version);
        rest.push(
            " FROM products p CROSS JOIN (SELECT 'A' AS tier UNION ALL SELECT 'B' UNION ALL SELECT 'C') t \
             WHERE NOT EXISTS (SELECT 1 FROM frequency_targets f WHERE f.product_id = p.id AND f.tier = t.tier)",
        );
        rest.query().execute(&mut *tx).await?;
        let after = serde_json::json!({"in_force": true, "segments": hcps.len()});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "targeting_version",
            id,
            AuditAction::Update,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The frequency targets in force changed after `from` (all when `None`).
    pub async fn frequency_targets(&self, from: Option<i64>) -> Result<Vec<FrequencyTarget>> {
        let mut sql = Sql::new("SELECT product_id, tier, cycle, calls, targeting_version_id FROM frequency_targets WHERE 1 = 1");
        if let Some(v) = from {
            sql.push(" AND version > ").bind(v);
        }
        sql.push(" ORDER BY product_id, tier");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let (product_id, tier) = (
                    get_uuid(r, "product_id")?,
                    tier_of(&get_str(r, "tier")?, "frequency_targets.tier")?,
                );
                Ok(FrequencyTarget {
                    id: FrequencyTarget::key(product_id, tier),
                    product_id,
                    tier,
                    cycle: CycleKind::parse(&get_str(r, "cycle")?)
                        .map_err(|e| StorageError::corrupt("frequency_targets.cycle", e))?,
                    calls: get_i64(r, "calls")?.max(0) as u32,
                    targeting_version_id: get_opt_uuid(r, "targeting_version_id")?,
                })
            })
            .collect()
    }
}

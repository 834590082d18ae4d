//! Segmentation per HCP x product: tier and decile with the date they were set. Setting a
//! segment again replaces it; the audit log keeps the earlier values.

use crate::audit::{append, audit_row};
use crate::sql::{get_i64, get_str, get_uuid, insert_rows, next_version, stmt, touch_hcps, Sql};
use crate::StorageError;
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::segment::Tier;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentAssignment {
    pub hcp_id: Uuid,
    pub product_id: Uuid,
    pub tier: Tier,
    pub decile: u8,
    pub set_on: NaiveDate,
}

impl Store {
    /// The (tier, decile) of each HCP x product among these HCPs.
    pub async fn segments_of_hcps(
        &self,
        hcp_ids: &[Uuid],
    ) -> Result<HashMap<(Uuid, Uuid), (Tier, u8)>> {
        let mut map = HashMap::new();
        for chunk in hcp_ids.chunks(500) {
            let mut sql =
                Sql::new("SELECT hcp_id, product_id, tier, decile FROM segments WHERE hcp_id IN ");
            sql.bind_list(chunk.iter().copied());
            for row in sql.query().fetch_all(self.pool()).await? {
                let tier = Tier::parse(&get_str(&row, "tier")?)
                    .map_err(|e| StorageError::corrupt("segments.tier", e))?;
                map.insert(
                    (get_uuid(&row, "hcp_id")?, get_uuid(&row, "product_id")?),
                    (tier, get_i64(&row, "decile")?.clamp(1, 10) as u8),
                );
            }
        }
        Ok(map)
    }

    /// Sets segments in one transaction.
    pub async fn set_segments(&self, actor: &Actor, segments: &[SegmentAssignment]) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let hcps: Vec<Uuid> = segments.iter().map(|s| s.hcp_id).collect();
        touch_hcps(&mut tx, &hcps, version).await?;
        let mut rows = Vec::new();
        let mut audit = Vec::new();
        for s in segments {
            let done = stmt(
                "UPDATE segments SET tier = $1, decile = $2, set_on = $3 WHERE hcp_id = $4 AND product_id = $5",
                vec![s.tier.as_str().into(), i64::from(s.decile).into(), s.set_on.into(), s.hcp_id.into(), s.product_id.into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                rows.push(vec![
                    pharmacrm_domain::new_id().into(),
                    s.hcp_id.into(),
                    s.product_id.into(),
                    s.tier.as_str().into(),
                    i64::from(s.decile).into(),
                    s.set_on.into(),
                ]);
            }
            let key = format!("{}:{}", s.hcp_id, s.product_id);
            let action = if done.rows_affected() == 0 {
                AuditAction::Create
            } else {
                AuditAction::Update
            };
            audit.push(audit_row(
                actor,
                "segment",
                key,
                action,
                None,
                Some(s),
                &now,
            ));
        }
        insert_rows(
            &mut tx,
            "segments",
            "id, hcp_id, product_id, tier, decile, set_on",
            rows,
        )
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}

//! The facts data completeness monitoring counts, per territory: call reports of a period,
//! live HCPs with their latest segmentation date, and sample records with or without a
//! signature. Shares are computed by the service with the domain's rules.

use crate::scope::{join_alignment, LIVE_HCP};
use crate::sql::{get_opt_date, get_opt_uuid, get_str, Sql};
use crate::{Result, StorageError, Store};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A call report: who it is attributed to, when it was made and submitted, what it holds.
#[derive(Debug, Clone)]
pub struct CallReportFact {
    pub territory_id: Option<Uuid>,
    pub called_at: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    pub outcome: String,
    pub next_step: String,
    pub products: usize,
}

/// A live active HCP, its territory today and the latest date any of its segments was set.
#[derive(Debug, Clone)]
pub struct SegmentationFact {
    pub territory_id: Option<Uuid>,
    pub latest_set_on: Option<NaiveDate>,
}

/// A sample record: its territory (the call's, else the HCP's today), day, and whether it
/// carries a signature.
#[derive(Debug, Clone)]
pub struct SignatureFact {
    pub territory_id: Option<Uuid>,
    pub day: NaiveDate,
    pub signed: bool,
}

fn time(column: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::corrupt(column, e))
}

impl Store {
    /// Original call reports (not corrections) of calls made in [from, to).
    pub async fn call_report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CallReportFact>> {
        let mut sql = Sql::new("SELECT c.territory_id, c.called_at, c.submitted_at, c.outcome, c.next_step, c.product_ids FROM calls c WHERE c.corrects IS NULL AND c.called_at >= ");
        sql.bind(from.to_string())
            .push(" AND c.called_at < ")
            .bind(to.to_string());
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                let products: Vec<serde_json::Value> =
                    serde_json::from_str(&get_str(row, "product_ids")?)
                        .map_err(|e| StorageError::corrupt("calls.product_ids", e))?;
                Ok(CallReportFact {
                    territory_id: get_opt_uuid(row, "territory_id")?,
                    called_at: time("calls.called_at", &get_str(row, "called_at")?)?,
                    submitted_at: time("calls.submitted_at", &get_str(row, "submitted_at")?)?,
                    outcome: get_str(row, "outcome")?,
                    next_step: get_str(row, "next_step")?,
                    products: products.len(),
                })
            })
            .collect()
    }

    /// Every live, active HCP with its territory today and latest segmentation date.
    pub async fn segmentation_facts(&self) -> Result<Vec<SegmentationFact>> {
        let mut sql = Sql::new("SELECT za.territory_id, (SELECT MAX(g.set_on) FROM segments g WHERE g.hcp_id = h.id) AS latest FROM hcps h");
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE h.status = 'active'").push(LIVE_HCP);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(SegmentationFact {
                    territory_id: get_opt_uuid(row, "territory_id")?,
                    latest_set_on: get_opt_date(row, "latest")?,
                })
            })
            .collect()
    }

    /// Sample records that occurred in [from, to).
    pub async fn signature_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SignatureFact>> {
        let mut sql = Sql::new(
            "SELECT COALESCE(c.territory_id, za.territory_id) AS territory_id, r.occurred_at, r.signature, r.signature_hash \
             FROM sample_records r JOIN hcps h ON h.id = r.hcp_id LEFT JOIN calls c ON c.id = r.call_id",
        );
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE r.occurred_at >= ")
            .bind(from.to_string())
            .push(" AND r.occurred_at < ")
            .bind(to.to_string());
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                let at = get_str(row, "occurred_at")?;
                let day = NaiveDate::parse_from_str(at.get(..10).unwrap_or_default(), "%Y-%m-%d")
                    .map_err(|e| StorageError::corrupt("sample_records.occurred_at", e))?;
                let signature = get_str(row, "signature")?;
                let hash = get_str(row, "signature_hash")?;
                Ok(SignatureFact {
                    territory_id: get_opt_uuid(row, "territory_id")?,
                    day,
                    signed: !signature.trim().is_empty()
                        && signature != "{}"
                        && !hash.trim().is_empty(),
                })
            })
            .collect()
    }
}

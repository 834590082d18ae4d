//! Inputs of the analytics reports, read within a scope.

use crate::scope::{join_alignment, restrict, restrict_column};
use crate::sql::{get_opt_uuid, get_str, get_uuid, Sql};
use crate::{Result, StorageError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::hcp::display_name;
use pharmacrm_domain::segment::Tier;
use uuid::Uuid;

/// An active, callable HCP with at least one segment, in a territory of the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieredHcp {
    pub hcp_id: Uuid,
    pub name: String,
    pub territory_id: Uuid,
    /// (product, tier) of each of its segments.
    pub segments: Vec<(Uuid, Tier)>,
}

impl Store {
    /// The HCPs that are call targets in `scope` today: active, not do-not-call nor
    /// blacklisted, with a segment for at least one product, aligned to a territory; in no
    /// particular order.
    pub async fn tiered_hcps(
        &self,
        scope: &Scope,
        territory: Option<Uuid>,
    ) -> Result<Vec<TieredHcp>> {
        let mut sql = Sql::new(
            "SELECT h.id, h.first_name, h.last_name, h.credentials, za.territory_id, g.product_id, g.tier \
             FROM hcps h JOIN segments g ON g.hcp_id = h.id",
        );
        join_alignment(&mut sql, "h", self.today());
        sql.push(
            " WHERE za.territory_id IS NOT NULL AND h.status = 'active' AND h.dnc_reason IS NULL \
                  AND NOT EXISTS (SELECT 1 FROM hcp_blacklist b WHERE b.hcp_id = h.id)",
        );
        restrict(&mut sql, scope);
        if let Some(t) = territory {
            sql.push(" AND za.territory_id = ").bind(t);
        }
        // No ORDER BY: a national report reads every HCP, and a scan in storage order is
        // several times faster than one through the name index; rows are grouped here.
        let mut out: Vec<TieredHcp> = Vec::new();
        let mut at: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
        for r in sql.query().fetch_all(self.pool()).await? {
            let id = get_uuid(&r, "id")?;
            let segment = (
                get_uuid(&r, "product_id")?,
                Tier::parse(&get_str(&r, "tier")?)
                    .map_err(|e| StorageError::corrupt("segments.tier", e))?,
            );
            match at.get(&id) {
                Some(i) => out[*i].segments.push(segment),
                None => {
                    at.insert(id, out.len());
                    out.push(TieredHcp {
                        hcp_id: id,
                        name: display_name(
                            &get_str(&r, "first_name")?,
                            &get_str(&r, "last_name")?,
                            &get_str(&r, "credentials")?,
                        ),
                        territory_id: get_uuid(&r, "territory_id")?,
                        segments: vec![segment],
                    })
                }
            }
        }
        Ok(out)
    }

    /// (HCP, attributed territory) of every attendance at a call in `[from, to)` attributed to
    /// a territory of `scope`; a call later corrected counts through its correction only.
    pub async fn call_attendances(
        &self,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(Uuid, Option<Uuid>)>> {
        let mut sql = Sql::new(
            "SELECT ca.hcp_id, c.territory_id FROM calls c JOIN call_attendees ca ON ca.call_id = c.id WHERE c.called_at >= ",
        );
        sql.bind(from).push(" AND c.called_at < ").bind(to);
        sql.push(" AND NOT EXISTS (SELECT 1 FROM calls x WHERE x.corrects = c.id)");
        restrict_column(&mut sql, scope, "c.territory_id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| Ok((get_uuid(r, "hcp_id")?, get_opt_uuid(r, "territory_id")?)))
            .collect()
    }

    /// (territory, district, region) of every call in `[from, to)` attributed to a territory
    /// of `scope`; a call later corrected counts through its correction only.
    pub async fn call_units(
        &self,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(Option<Uuid>, Option<Uuid>, Option<Uuid>)>> {
        let mut sql = Sql::new(
            "SELECT c.territory_id, c.district_id, c.region_id FROM calls c WHERE c.called_at >= ",
        );
        sql.bind(from).push(" AND c.called_at < ").bind(to);
        sql.push(" AND NOT EXISTS (SELECT 1 FROM calls x WHERE x.corrects = c.id)");
        restrict_column(&mut sql, scope, "c.territory_id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    get_opt_uuid(r, "territory_id")?,
                    get_opt_uuid(r, "district_id")?,
                    get_opt_uuid(r, "region_id")?,
                ))
            })
            .collect()
    }
}

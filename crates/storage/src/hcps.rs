//! HCP storage: scoped list, search and profile reads, and audited writes.

use crate::audit::{append, audit_row, record};
use crate::page;
use crate::scope::{join_alignment, restrict, territory_of, TERRITORY_COLUMNS};
use crate::sql::{
    get_bool, get_date, get_i64, get_opt_f64, get_opt_str, get_str, get_uuid, insert_rows,
    like_escape, next_version, stmt, unique_violation, Sql, Value,
};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::account::AccountType;
use pharmacrm_domain::address::Address;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::{CallWindow, HcpRecord, HcpStatus, LicenceInput};
use pharmacrm_domain::npi::Npi;
use pharmacrm_domain::org::TerritoryRef;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::views::{Affiliation, DoNotCall, Hcp, HcpPage, HcpSummary, Licence, Segment};
use sqlx::any::AnyRow;
use std::collections::HashMap;
use uuid::Uuid;

/// Filters of the HCP list; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct HcpFilter {
    /// Words that must all appear in the name or NPI.
    pub q: Option<String>,
    pub specialty: Option<String>,
    /// Holds this tier for at least one product.
    pub tier: Option<Tier>,
    pub city: Option<String>,
    pub territory: Option<Uuid>,
    pub status: Option<HcpStatus>,
}

/// An HCP as stored, with its id and current territory.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHcp {
    pub id: Uuid,
    pub record: HcpRecord,
    pub territory: Option<TerritoryRef>,
}

const RECORD_COLUMNS: &str = "h.id, h.npi, h.first_name, h.middle_name, h.last_name, h.suffix, h.credentials, \
    h.specialty_code, h.status, h.language, h.line1, h.line2, h.city, h.state, h.zip, h.latitude, h.longitude, \
    h.preferred_call_times, h.dnc_reason, h.dnc_set_by, h.dnc_set_at, h.phone, h.master_status, h.created_at, h.updated_at";

fn search_name(r: &HcpRecord) -> String {
    format!("{} {} {}", r.last_name, r.first_name, r.npi).to_lowercase()
}

fn status_of(text: &str) -> Result<HcpStatus> {
    HcpStatus::parse(text).map_err(|e| StorageError::corrupt("status", e))
}

fn address_of(row: &AnyRow) -> Result<Address> {
    Ok(Address {
        line1: get_str(row, "line1")?,
        line2: get_opt_str(row, "line2")?,
        city: get_str(row, "city")?,
        state: get_str(row, "state")?,
        zip: get_str(row, "zip")?,
        latitude: get_opt_f64(row, "latitude")?,
        longitude: get_opt_f64(row, "longitude")?,
    })
}

fn record_of(row: &AnyRow, licences: Vec<LicenceInput>) -> Result<HcpRecord> {
    let npi = get_str(row, "npi")?;
    let windows = get_str(row, "preferred_call_times")?;
    Ok(HcpRecord {
        npi: Npi::parse(&npi).map_err(|e| StorageError::corrupt("hcps.npi", e))?,
        first_name: get_str(row, "first_name")?,
        middle_name: get_opt_str(row, "middle_name")?,
        last_name: get_str(row, "last_name")?,
        suffix: get_opt_str(row, "suffix")?,
        credentials: get_str(row, "credentials")?,
        specialty_code: get_str(row, "specialty_code")?,
        status: status_of(&get_str(row, "status")?)?,
        language: get_str(row, "language")?,
        address: address_of(row)?,
        phone: get_opt_str(row, "phone")?,
        licences,
        preferred_call_times: serde_json::from_str::<Vec<CallWindow>>(&windows)
            .map_err(|e| StorageError::corrupt("hcps.preferred_call_times", e))?,
        do_not_call_reason: get_opt_str(row, "dnc_reason")?,
    })
}

fn hcp_values(
    id: Uuid,
    r: &HcpRecord,
    dnc_set_by: Option<String>,
    dnc_set_at: Option<String>,
    now: &str,
    version: i64,
) -> Vec<Value> {
    vec![
        id.into(),
        r.npi.as_str().into(),
        r.first_name.clone().into(),
        r.middle_name.clone().into(),
        r.last_name.clone().into(),
        r.suffix.clone().into(),
        r.credentials.clone().into(),
        r.specialty_code.clone().into(),
        r.status.as_str().into(),
        r.language.clone().into(),
        r.address.line1.clone().into(),
        r.address.line2.clone().into(),
        r.address.city.clone().into(),
        r.address.state.clone().into(),
        r.address.zip.clone().into(),
        r.address.latitude.into(),
        r.address.longitude.into(),
        serde_json::to_string(&r.preferred_call_times)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        r.do_not_call_reason.clone().into(),
        dnc_set_by.into(),
        dnc_set_at.into(),
        r.phone.clone().into(),
        search_name(r).into(),
        r.address.city.to_lowercase().into(),
        now.into(),
        now.into(),
        version.into(),
    ]
}

const HCP_INSERT_COLUMNS: &str = "id, npi, first_name, middle_name, last_name, suffix, credentials, specialty_code, \
    status, language, line1, line2, city, state, zip, latitude, longitude, preferred_call_times, dnc_reason, \
    dnc_set_by, dnc_set_at, phone, search_name, city_lc, created_at, updated_at, version";

fn licence_rows(id: Uuid, r: &HcpRecord) -> Vec<Vec<Value>> {
    r.licences
        .iter()
        .map(|l| {
            vec![
                pharmacrm_domain::new_id().into(),
                id.into(),
                l.state.clone().into(),
                l.number.clone().into(),
                l.expires_on.into(),
            ]
        })
        .collect()
}

fn apply_filter(sql: &mut Sql, filter: &HcpFilter) {
    if let Some(q) = &filter.q {
        for word in q.split_whitespace().take(5) {
            sql.push(" AND h.search_name LIKE ")
                .bind(format!("%{}%", like_escape(&word.to_lowercase())))
                .push(" ESCAPE '\\'");
        }
    }
    if let Some(code) = &filter.specialty {
        sql.push(" AND h.specialty_code = ")
            .bind(code.to_ascii_uppercase());
    }
    if let Some(tier) = filter.tier {
        sql.push(" AND EXISTS (SELECT 1 FROM segments g WHERE g.hcp_id = h.id AND g.tier = ")
            .bind(tier.as_str())
            .push(")");
    }
    if let Some(city) = &filter.city {
        sql.push(" AND h.city_lc = ")
            .bind(city.trim().to_lowercase());
    }
    if let Some(t) = filter.territory {
        sql.push(" AND za.territory_id = ").bind(t);
    }
    if let Some(status) = filter.status {
        sql.push(" AND h.status = ").bind(status.as_str());
    }
}

fn apply_cursor(sql: &mut Sql, cursor: Option<&str>) -> Result<()> {
    if let Some(cursor) = cursor {
        let key = page::decode(cursor, 3)?;
        sql.push(" AND (h.last_name, h.first_name, h.id) > (")
            .bind(key[0].clone())
            .push(", ")
            .bind(key[1].clone())
            .push(", ")
            .bind(key[2].clone())
            .push(")");
    }
    Ok(())
}

/// Keeps `limit` rows and returns the cursor of the next page if there is more.
fn cut_page<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(key) } else { None };
    (rows, next)
}

impl Store {
    /// One page of the HCPs visible in `scope`, by name.
    pub async fn hcp_page(
        &self,
        scope: &Scope,
        filter: &HcpFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<HcpPage> {
        let mut sql = Sql::new(&format!(
            "SELECT h.id, h.npi, h.first_name, h.last_name, h.credentials, h.specialty_code, s.name AS specialty_name, \
             h.city, h.state, h.zip, h.status, h.dnc_reason, h.master_status, \
             (SELECT MIN(g.tier) FROM segments g WHERE g.hcp_id = h.id) AS top_tier, {TERRITORY_COLUMNS} \
             FROM hcps h JOIN specialties s ON s.code = h.specialty_code"
        ));
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE 1 = 1");
        restrict(&mut sql, scope);
        apply_filter(&mut sql, filter);
        apply_cursor(&mut sql, cursor)?;
        sql.push(" ORDER BY h.last_name, h.first_name, h.id LIMIT ")
            .bind(limit + 1);
        let rows = sql.query().fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(|row| {
                let tier = get_opt_str(row, "top_tier")?;
                Ok(HcpSummary {
                    id: get_uuid(row, "id")?,
                    npi: get_str(row, "npi")?,
                    first_name: get_str(row, "first_name")?,
                    last_name: get_str(row, "last_name")?,
                    credentials: get_str(row, "credentials")?,
                    specialty_code: get_str(row, "specialty_code")?,
                    specialty_name: get_str(row, "specialty_name")?,
                    city: get_str(row, "city")?,
                    state: get_str(row, "state")?,
                    zip: get_str(row, "zip")?,
                    status: status_of(&get_str(row, "status")?)?,
                    do_not_call: get_opt_str(row, "dnc_reason")?.is_some(),
                    top_tier: tier
                        .map(|t| {
                            Tier::parse(&t).map_err(|e| StorageError::corrupt("segments.tier", e))
                        })
                        .transpose()?,
                    territory: territory_of(row)?,
                    master_status: get_str(row, "master_status")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (items, next_cursor) = cut_page(items, limit, |h| {
            page::encode(&[&h.last_name, &h.first_name, &h.id.to_string()])
        });
        Ok(HcpPage { items, next_cursor })
    }

    /// Full records of the HCPs visible in `scope` (for export), one page at a time.
    pub async fn hcp_records(
        &self,
        scope: &Scope,
        filter: &HcpFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<(Vec<StoredHcp>, Option<String>)> {
        let mut sql = Sql::new(&format!(
            "SELECT {RECORD_COLUMNS}, {TERRITORY_COLUMNS} FROM hcps h"
        ));
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE 1 = 1");
        restrict(&mut sql, scope);
        apply_filter(&mut sql, filter);
        apply_cursor(&mut sql, cursor)?;
        sql.push(" ORDER BY h.last_name, h.first_name, h.id LIMIT ")
            .bind(limit + 1);
        let rows = sql.query().fetch_all(self.pool()).await?;
        let stored = self.stored_from_rows(&rows).await?;
        Ok(cut_page(stored, limit, |h| {
            page::encode(&[&h.record.last_name, &h.record.first_name, &h.id.to_string()])
        }))
    }

    async fn stored_from_rows(&self, rows: &[AnyRow]) -> Result<Vec<StoredHcp>> {
        let ids: Vec<Uuid> = rows
            .iter()
            .map(|r| get_uuid(r, "id"))
            .collect::<Result<_>>()?;
        let mut licences = self.licences_of(&ids).await?;
        rows.iter()
            .map(|row| {
                let id = get_uuid(row, "id")?;
                Ok(StoredHcp {
                    id,
                    record: record_of(row, licences.remove(&id).unwrap_or_default())?,
                    territory: territory_of(row)?,
                })
            })
            .collect()
    }

    async fn licences_of(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<LicenceInput>>> {
        let mut map: HashMap<Uuid, Vec<LicenceInput>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(
                "SELECT hcp_id, state, number, expires_on FROM hcp_licences WHERE hcp_id IN ",
            );
            sql.bind_list(chunk.iter().copied())
                .push(" ORDER BY state, number");
            for row in sql.query().fetch_all(self.pool()).await? {
                map.entry(get_uuid(&row, "hcp_id")?)
                    .or_default()
                    .push(LicenceInput {
                        state: get_str(&row, "state")?,
                        number: get_str(&row, "number")?,
                        expires_on: get_date(&row, "expires_on")?,
                    });
            }
        }
        Ok(map)
    }

    /// The HCP profile, or `None` when it does not exist or is outside `scope`.
    pub async fn hcp(&self, scope: &Scope, id: Uuid) -> Result<Option<Hcp>> {
        Ok(self.hcp_profiles(scope, &[id]).await?.pop())
    }

    /// Profiles of the HCPs among `ids` that are in `scope`, in id order (four queries per
    /// 500 ids, so a device's initial sync of thousands stays fast).
    pub async fn hcp_profiles(&self, scope: &Scope, ids: &[Uuid]) -> Result<Vec<Hcp>> {
        let day = self.today();
        let mut profiles = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(&format!(
                "SELECT {RECORD_COLUMNS}, s.name AS specialty_name, {TERRITORY_COLUMNS} FROM hcps h \
                 JOIN specialties s ON s.code = h.specialty_code"
            ));
            join_alignment(&mut sql, "h", day);
            sql.push(" WHERE h.id IN ").bind_list(chunk.iter().copied());
            restrict(&mut sql, scope);
            sql.push(" ORDER BY h.id");
            let rows = sql.query().fetch_all(self.pool()).await?;
            let found: Vec<Uuid> = rows
                .iter()
                .map(|r| get_uuid(r, "id"))
                .collect::<Result<_>>()?;
            let mut licences = self.licences_of(&found).await?;
            let mut affiliations = self.affiliations_of(scope, &found).await?;
            let mut segments = self.segments_of(&found).await?;
            let mut blacklist = self.blacklist_of(&found).await?;
            let mut dea = self.dea_registrations(&found).await?;
            for row in &rows {
                let id = get_uuid(row, "id")?;
                let record = record_of(row, licences.remove(&id).unwrap_or_default())?;
                let do_not_call = match &record.do_not_call_reason {
                    Some(reason) => Some(DoNotCall {
                        reason: reason.clone(),
                        set_by: get_opt_str(row, "dnc_set_by")?.unwrap_or_default(),
                        set_at: get_opt_str(row, "dnc_set_at")?.unwrap_or_default(),
                    }),
                    None => None,
                };
                profiles.push(Hcp {
                    id,
                    npi: record.npi.to_string(),
                    first_name: record.first_name,
                    middle_name: record.middle_name,
                    last_name: record.last_name,
                    suffix: record.suffix,
                    credentials: record.credentials,
                    specialty_code: record.specialty_code,
                    specialty_name: get_str(row, "specialty_name")?,
                    status: record.status,
                    language: record.language,
                    address: record.address,
                    phone: record.phone,
                    master_status: get_str(row, "master_status")?,
                    licences: record
                        .licences
                        .iter()
                        .map(|l| Licence {
                            state: l.state.clone(),
                            number: l.number.clone(),
                            expires_on: l.expires_on,
                            active: l.active_on(day),
                        })
                        .collect(),
                    do_not_call,
                    blacklist: blacklist.remove(&id),
                    dea_registrations: dea.remove(&id).unwrap_or_default(),
                    preferred_call_times: record.preferred_call_times,
                    affiliations: affiliations.remove(&id).unwrap_or_default(),
                    segments: segments.remove(&id).unwrap_or_default(),
                    territory: territory_of(row)?,
                    created_at: get_str(row, "created_at")?,
                    updated_at: get_str(row, "updated_at")?,
                });
            }
        }
        Ok(profiles)
    }

    /// Affiliations of these HCPs with accounts visible in `scope`, primary first. Two
    /// index-driven queries (affiliations by HCP, then the accounts in scope) rather than one
    /// join, whose plan degrades when a few accounts carry thousands of affiliations.
    async fn affiliations_of(
        &self,
        scope: &Scope,
        hcp_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<Affiliation>>> {
        let mut map: HashMap<Uuid, Vec<Affiliation>> = HashMap::new();
        if hcp_ids.is_empty() {
            return Ok(map);
        }
        let mut sql = Sql::new(
            "SELECT hcp_id, account_id, role, is_primary FROM affiliations WHERE hcp_id IN ",
        );
        sql.bind_list(hcp_ids.iter().copied());
        let links = sql.query().fetch_all(self.pool()).await?;
        let mut account_ids: Vec<Uuid> = links
            .iter()
            .map(|r| get_uuid(r, "account_id"))
            .collect::<Result<_>>()?;
        account_ids.sort();
        account_ids.dedup();
        let mut accounts: HashMap<Uuid, (String, AccountType)> = HashMap::new();
        for chunk in account_ids.chunks(500) {
            let mut sql = Sql::new("SELECT a.id, a.name, a.account_type FROM accounts a");
            crate::scope::join_account_alignment(&mut sql, "a", self.today());
            sql.push(" WHERE a.id IN ").bind_list(chunk.iter().copied());
            crate::scope::restrict_account(&mut sql, scope);
            for row in sql.query().fetch_all(self.pool()).await? {
                let kind = get_str(&row, "account_type")?;
                let kind = AccountType::parse(&kind)
                    .map_err(|e| StorageError::corrupt("accounts.account_type", e))?;
                accounts.insert(get_uuid(&row, "id")?, (get_str(&row, "name")?, kind));
            }
        }
        for row in &links {
            let account_id = get_uuid(row, "account_id")?;
            let Some((name, kind)) = accounts.get(&account_id) else {
                continue;
            };
            map.entry(get_uuid(row, "hcp_id")?)
                .or_default()
                .push(Affiliation {
                    account_id,
                    account_name: name.clone(),
                    account_type: *kind,
                    role: get_str(row, "role")?,
                    primary: get_bool(row, "is_primary")?,
                });
        }
        for list in map.values_mut() {
            list.sort_by(|a, b| {
                b.primary
                    .cmp(&a.primary)
                    .then_with(|| a.account_name.cmp(&b.account_name))
            });
        }
        Ok(map)
    }

    async fn segments_of(&self, hcp_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Segment>>> {
        let mut map: HashMap<Uuid, Vec<Segment>> = HashMap::new();
        if hcp_ids.is_empty() {
            return Ok(map);
        }
        let mut sql = Sql::new(
            "SELECT g.hcp_id, g.product_id, p.brand, g.tier, g.decile, g.set_on FROM segments g \
             JOIN products p ON p.id = g.product_id WHERE g.hcp_id IN ",
        );
        sql.bind_list(hcp_ids.iter().copied())
            .push(" ORDER BY p.brand");
        for row in sql.query().fetch_all(self.pool()).await? {
            map.entry(get_uuid(&row, "hcp_id")?)
                .or_default()
                .push(Segment {
                    product_id: get_uuid(&row, "product_id")?,
                    product_name: get_str(&row, "brand")?,
                    tier: Tier::parse(&get_str(&row, "tier")?)
                        .map_err(|e| StorageError::corrupt("segments.tier", e))?,
                    decile: get_i64(&row, "decile")?.clamp(1, 10) as u8,
                    set_on: get_date(&row, "set_on")?,
                });
        }
        Ok(map)
    }

    /// The stored HCPs with these NPIs, whatever their territory (imports and duplicate
    /// checks need to see across territories; callers never show the result to a user).
    pub async fn hcps_by_npi(&self, npis: &[String]) -> Result<HashMap<String, StoredHcp>> {
        let mut found = HashMap::new();
        for chunk in npis.chunks(500) {
            let mut sql = Sql::new(&format!(
                "SELECT {RECORD_COLUMNS}, {TERRITORY_COLUMNS} FROM hcps h"
            ));
            join_alignment(&mut sql, "h", self.today());
            sql.push(" WHERE h.npi IN ")
                .bind_list(chunk.iter().cloned());
            let rows = sql.query().fetch_all(self.pool()).await?;
            for hcp in self.stored_from_rows(&rows).await? {
                found.insert(hcp.record.npi.to_string(), hcp);
            }
        }
        Ok(found)
    }

    /// The stored HCPs with these ids, whatever their territory or master status (stewardship
    /// reads; callers check the reader's rights).
    pub async fn hcp_records_by_id(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, StoredHcp>> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(&format!(
                "SELECT {RECORD_COLUMNS}, {TERRITORY_COLUMNS} FROM hcps h"
            ));
            join_alignment(&mut sql, "h", self.today());
            sql.push(" WHERE h.id IN ").bind_list(chunk.iter().copied());
            let rows = sql.query().fetch_all(self.pool()).await?;
            for hcp in self.stored_from_rows(&rows).await? {
                found.insert(hcp.id, hcp);
            }
        }
        Ok(found)
    }

    /// Creates HCPs in one transaction, each with an audit entry. A duplicate NPI fails the
    /// whole batch with [`StorageError::Duplicate`].
    pub async fn insert_hcps(&self, actor: &Actor, hcps: &[(Uuid, HcpRecord)]) -> Result<()> {
        self.insert_hcps_with_status(actor, hcps, "verified").await
    }

    /// Inserts HCPs with a master status (`verified`, or `proposed` for a rep's proposal).
    pub async fn insert_hcps_with_status(
        &self,
        actor: &Actor,
        hcps: &[(Uuid, HcpRecord)],
        master_status: &str,
    ) -> Result<()> {
        if hcps.is_empty() {
            return Ok(());
        }
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let rows = hcps
            .iter()
            .map(|(id, r)| {
                let by = r.do_not_call_reason.as_ref().map(|_| actor.name.clone());
                let at = r.do_not_call_reason.as_ref().map(|_| now.clone());
                hcp_values(*id, r, by, at, &now, version)
            })
            .collect();
        let dup = if hcps.len() == 1 {
            hcps[0].1.npi.to_string()
        } else {
            "in batch".into()
        };
        insert_rows(&mut tx, "hcps", HCP_INSERT_COLUMNS, rows)
            .await
            .map_err(|e| match e {
                StorageError::Database(db) => {
                    unique_violation(db, Code::DuplicateNpi, "HCP", "NPI", &dup)
                }
                other => other,
            })?;
        let licences: Vec<Vec<Value>> = hcps
            .iter()
            .flat_map(|(id, r)| licence_rows(*id, r))
            .collect();
        insert_rows(
            &mut tx,
            "hcp_licences",
            "id, hcp_id, state, number, expires_on",
            licences,
        )
        .await?;
        let keys = crate::matching::keys_of(hcps.iter().map(|(id, r)| (*id, r)));
        crate::matching::file_match_keys(&mut tx, keys, false).await?;
        if master_status != "verified" {
            for chunk in hcps.chunks(500) {
                let mut sql = Sql::new("UPDATE hcps SET master_status = ");
                sql.bind(master_status)
                    .push(" WHERE id IN ")
                    .bind_list(chunk.iter().map(|(id, _)| *id));
                sql.query().execute(&mut *tx).await?;
            }
        }
        let audit = hcps
            .iter()
            .map(|(id, r)| audit_row(actor, "hcp", *id, AuditAction::Create, None, Some(r), &now))
            .collect();
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an HCP's data, keeping the before and after in the audit log.
    pub async fn update_hcp(
        &self,
        actor: &Actor,
        id: Uuid,
        before: &HcpRecord,
        after: &HcpRecord,
    ) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let (by, at) = if after.do_not_call_reason.is_some()
            && after.do_not_call_reason != before.do_not_call_reason
        {
            (Some(actor.name.clone()), Some(now.clone()))
        } else {
            let mut sql = Sql::new("SELECT dnc_set_by, dnc_set_at FROM hcps WHERE id = ");
            sql.bind(id);
            let row = sql
                .query()
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StorageError::NotFound("HCP"))?;
            (
                get_opt_str(&row, "dnc_set_by")?,
                get_opt_str(&row, "dnc_set_at")?,
            )
        };
        let (by, at) = if after.do_not_call_reason.is_none() {
            (None, None)
        } else {
            (by, at)
        };
        let mut values = hcp_values(id, after, by, at, &now, version);
        values.remove(values.len() - 3); // created_at stays
        let columns: Vec<&str> = HCP_INSERT_COLUMNS
            .split(", ")
            .filter(|c| *c != "id" && *c != "created_at")
            .collect();
        let mut sql = Sql::new("UPDATE hcps SET ");
        for (i, (column, value)) in columns.iter().zip(values.into_iter().skip(1)).enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(&format!("{column} = ")).bind(value);
        }
        sql.push(" WHERE id = ").bind(id);
        sql.query().execute(&mut *tx).await?;
        if before.address.zip != after.address.zip {
            crate::sql::note_scope_change(&mut tx, version, "hcp", id, &now).await?;
        }
        let hcp = crate::addresses::Addressee::Hcp;
        crate::addresses::keep_previous(&mut tx, hcp, id, &before.address, &after.address, &now)
            .await?;
        stmt(
            "DELETE FROM hcp_licences WHERE hcp_id = $1",
            vec![id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        insert_rows(
            &mut tx,
            "hcp_licences",
            "id, hcp_id, state, number, expires_on",
            licence_rows(id, after),
        )
        .await?;
        let keys = crate::matching::keys_of([(id, after)]);
        crate::matching::file_match_keys(&mut tx, keys, true).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "hcp",
            id,
            AuditAction::Update,
            Some(before),
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// HCPs per territory today, within `scope`.
    pub async fn hcp_counts_by_territory(&self, scope: &Scope) -> Result<HashMap<Uuid, i64>> {
        let mut sql = Sql::new("SELECT za.territory_id, COUNT(*) AS n FROM hcps h");
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE za.territory_id IS NOT NULL");
        restrict(&mut sql, scope);
        sql.push(" GROUP BY za.territory_id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| Ok((get_uuid(r, "territory_id")?, get_i64(r, "n")?)))
            .collect()
    }

    /// How many HCPs are visible in `scope`.
    pub async fn count_hcps(&self, scope: &Scope) -> Result<i64> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM hcps h");
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE 1 = 1");
        restrict(&mut sql, scope);
        get_i64(&sql.query().fetch_one(self.pool()).await?, "n")
    }
}

//! Duplicate-detection storage: every HCP's blocking keys (written with the HCP), the
//! candidates that share a key with a record, the estimated matching parameters and the
//! stewards' thresholds, and the candidate duplicate pairs found by scans and at creation.

use crate::scope::{join_alignment, territory_of, LIVE_HCP, TERRITORY_COLUMNS};
use crate::sql::{get_i64, get_opt_str, get_str, get_uuid, insert_rows, stmt, Sql, Value};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::hcp::HcpRecord;
use pharmacrm_domain::matching::model::{MatchScore, Parameters, Thresholds};
use pharmacrm_domain::matching::{blocking_keys, MatchRecord};
use pharmacrm_domain::org::TerritoryRef;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// The blocking keys of HCPs, ready to file.
pub(crate) fn keys_of<'a>(
    hcps: impl IntoIterator<Item = (Uuid, &'a HcpRecord)>,
) -> Vec<(Uuid, Vec<String>)> {
    hcps.into_iter()
        .map(|(id, r)| (id, blocking_keys(&r.match_record())))
        .collect()
}

/// Files HCPs under their blocking keys (replacing their old keys when `replace`).
pub(crate) async fn file_match_keys(
    conn: &mut AnyConnection,
    keys: Vec<(Uuid, Vec<String>)>,
    replace: bool,
) -> Result<()> {
    let mut rows = Vec::new();
    for (id, keys) in keys {
        if replace {
            stmt(
                "DELETE FROM hcp_match_keys WHERE hcp_id = $1",
                vec![id.into()],
            )
            .query()
            .execute(&mut *conn)
            .await?;
        }
        for key in keys {
            rows.push(vec![Value::from(key), id.into()]);
        }
    }
    insert_rows(conn, "hcp_match_keys", "key, hcp_id", rows).await
}

/// A live HCP that shares a blocking key with the record being checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: Uuid,
    pub record: MatchRecord,
    pub display_name: String,
    pub specialty_name: String,
    pub master_status: String,
    pub territory: Option<TerritoryRef>,
}

/// The matching model in use.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchingSettings {
    pub parameters: Parameters,
    pub thresholds: Thresholds,
    pub estimated_at: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
    /// Change version of the last save (devices get the model again when it changes).
    pub version: i64,
}

/// A candidate duplicate pair as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPair {
    pub id: Uuid,
    pub hcp_a: Uuid,
    pub hcp_b: Uuid,
    pub score: MatchScore,
    pub source: String,
    pub status: String,
    pub found_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
}

const CANDIDATE_COLUMNS: &str = "h.id, h.npi, h.first_name, h.last_name, h.credentials, h.specialty_code, s.name AS specialty_name, \
    h.line1, h.city, h.state, h.zip, h.phone, h.master_status";

fn candidate_of(row: &AnyRow) -> Result<Candidate> {
    let (first, last) = (get_str(row, "first_name")?, get_str(row, "last_name")?);
    Ok(Candidate {
        id: get_uuid(row, "id")?,
        display_name: pharmacrm_domain::hcp::display_name(
            &first,
            &last,
            &get_str(row, "credentials")?,
        ),
        record: MatchRecord {
            npi: Some(get_str(row, "npi")?),
            first_name: first,
            last_name: last,
            specialty_code: Some(get_str(row, "specialty_code")?),
            street: Some(get_str(row, "line1")?),
            city: Some(get_str(row, "city")?),
            state: Some(get_str(row, "state")?),
            zip: Some(get_str(row, "zip")?),
            phone: get_opt_str(row, "phone")?,
            affiliations: Vec::new(),
        },
        specialty_name: get_str(row, "specialty_name")?,
        master_status: get_str(row, "master_status")?,
        territory: territory_of(row)?,
    })
}

fn pair_of(row: &AnyRow) -> Result<StoredPair> {
    let evidence = get_str(row, "evidence")?;
    Ok(StoredPair {
        id: get_uuid(row, "id")?,
        hcp_a: get_uuid(row, "hcp_a")?,
        hcp_b: get_uuid(row, "hcp_b")?,
        score: serde_json::from_str(&evidence)
            .map_err(|e| StorageError::corrupt("duplicate_pairs.evidence", e))?,
        source: get_str(row, "source")?,
        status: get_str(row, "status")?,
        found_at: get_str(row, "found_at")?,
        decided_by: get_opt_str(row, "decided_by")?,
        decided_at: get_opt_str(row, "decided_at")?,
        reason: get_opt_str(row, "reason")?,
    })
}

impl Store {
    /// Live HCPs (any territory) filed under any of `keys`, at most `limit`, without `except`.
    /// Their affiliations (account ids) are filled in.
    pub async fn match_candidates(
        &self,
        keys: &[String],
        except: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Candidate>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(&format!(
            "SELECT {CANDIDATE_COLUMNS}, {TERRITORY_COLUMNS} FROM hcps h JOIN specialties s ON s.code = h.specialty_code"
        ));
        join_alignment(&mut sql, "h", self.today());
        // Those sharing the most keys first: when a common name fills its blocks beyond the
        // limit, the records that also share a phone, a street or a ZIP are the ones kept.
        sql.push(" WHERE h.id IN (SELECT k.hcp_id FROM hcp_match_keys k JOIN hcps h ON h.id = k.hcp_id WHERE k.key IN ")
            .bind_list(keys.iter().cloned());
        sql.push(LIVE_HCP);
        if let Some(id) = except {
            sql.push(" AND k.hcp_id <> ").bind(id);
        }
        sql.push(" GROUP BY k.hcp_id ORDER BY COUNT(*) DESC, k.hcp_id LIMIT ")
            .bind(limit)
            .push(")");
        let mut candidates: Vec<Candidate> = sql
            .query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(candidate_of)
            .collect::<Result<_>>()?;
        let ids: Vec<Uuid> = candidates.iter().map(|c| c.id).collect();
        let affiliations = self.affiliation_ids(&ids).await?;
        for c in &mut candidates {
            c.record.affiliations = affiliations.get(&c.id).cloned().unwrap_or_default();
        }
        Ok(candidates)
    }

    /// HCPs by id whatever their master status (stewardship screens), with affiliations.
    pub async fn match_records(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Candidate>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(&format!(
                "SELECT {CANDIDATE_COLUMNS}, {TERRITORY_COLUMNS} FROM hcps h JOIN specialties s ON s.code = h.specialty_code"
            ));
            join_alignment(&mut sql, "h", self.today());
            sql.push(" WHERE h.id IN ").bind_list(chunk.iter().copied());
            for row in sql.query().fetch_all(self.pool()).await? {
                let c = candidate_of(&row)?;
                out.insert(c.id, c);
            }
            let affiliations = self.affiliation_ids(chunk).await?;
            for (id, accounts) in affiliations {
                if let Some(c) = out.get_mut(&id) {
                    c.record.affiliations = accounts;
                }
            }
        }
        Ok(out)
    }

    async fn affiliation_ids(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>> {
        let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new("SELECT hcp_id, account_id FROM affiliations WHERE hcp_id IN ");
            sql.bind_list(chunk.iter().copied());
            for row in sql.query().fetch_all(self.pool()).await? {
                out.entry(get_uuid(&row, "hcp_id")?)
                    .or_default()
                    .push(get_str(&row, "account_id")?);
            }
        }
        Ok(out)
    }

    /// Up to `n` live HCP ids spread over the universe (for estimating `u` on random pairs).
    pub async fn sample_hcp_ids(&self, n: i64) -> Result<Vec<Uuid>> {
        let total = get_i64(
            &Sql::new("SELECT COUNT(*) AS n FROM hcps")
                .query()
                .fetch_one(self.pool())
                .await?,
            "n",
        )?;
        let step = (total / n.max(1)).max(1);
        // Every step-th HCP in id order: ids are UUIDv7, so this spreads over creation time.
        let mut sql = Sql::new("SELECT id FROM (SELECT h.id, ROW_NUMBER() OVER (ORDER BY h.id) AS r FROM hcps h WHERE 1 = 1");
        sql.push(LIVE_HCP)
            .push(") x WHERE x.r % ")
            .bind(step)
            .push(" = 0 LIMIT ")
            .bind(n);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| get_uuid(r, "id"))
            .collect()
    }

    /// Pairs of live HCPs that share a blocking key (of one kind when `kind` is given: `s`,
    /// `z`, ...), in key order, skipping blocks larger than `block_limit`; at most `max_pairs`.
    /// Returns the pairs and the blocks skipped.
    pub async fn blocked_pairs(
        &self,
        kind: Option<char>,
        block_limit: usize,
        max_pairs: usize,
    ) -> Result<(Vec<(Uuid, Uuid)>, usize)> {
        let mut sql = Sql::new("SELECT k.key, k.hcp_id FROM hcp_match_keys k JOIN hcps h ON h.id = k.hcp_id WHERE 1 = 1");
        if let Some(kind) = kind {
            // Keys are `kind:...`; ';' sorts right after ':'.
            sql.push(" AND k.key >= ")
                .bind(format!("{kind}:"))
                .push(" AND k.key < ")
                .bind(format!("{kind};"));
        }
        sql.push(LIVE_HCP).push(" ORDER BY k.key, k.hcp_id");
        let mut pairs = std::collections::HashSet::new();
        let mut skipped = 0;
        let mut block: Vec<Uuid> = Vec::new();
        let mut current = String::new();
        let mut flush =
            |block: &mut Vec<Uuid>, pairs: &mut std::collections::HashSet<(Uuid, Uuid)>| {
                if block.len() > block_limit {
                    skipped += 1;
                } else {
                    for i in 0..block.len() {
                        for j in i + 1..block.len() {
                            pairs.insert((block[i].min(block[j]), block[i].max(block[j])));
                        }
                    }
                }
                block.clear();
            };
        // Streamed in key order: memory holds one block and the pairs, not the whole index.
        let query = sql.query();
        let mut rows = query.fetch(self.pool());
        while let Some(row) = futures::TryStreamExt::try_next(&mut rows).await? {
            let key = get_str(&row, "key")?;
            if key != current {
                flush(&mut block, &mut pairs);
                current = key;
                if pairs.len() >= max_pairs {
                    break;
                }
            }
            block.push(get_uuid(&row, "hcp_id")?);
        }
        drop(rows);
        flush(&mut block, &mut pairs);
        let mut pairs: Vec<(Uuid, Uuid)> = pairs.into_iter().collect();
        pairs.sort();
        pairs.truncate(max_pairs);
        Ok((pairs, skipped))
    }

    /// The matching model in use: the last estimate and thresholds, or the starting values.
    pub async fn matching_settings(&self) -> Result<MatchingSettings> {
        let row = Sql::new("SELECT * FROM matching_settings WHERE id = 1")
            .query()
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Ok(MatchingSettings {
                parameters: Parameters::starting_values(),
                thresholds: Thresholds::default(),
                estimated_at: None,
                updated_by: None,
                updated_at: None,
                version: 0,
            });
        };
        let parameters = serde_json::from_str(&get_str(&row, "parameters")?)
            .map_err(|e| StorageError::corrupt("matching_settings.parameters", e))?;
        Ok(MatchingSettings {
            parameters,
            thresholds: Thresholds {
                link: crate::sql::get_opt_f64(&row, "link_threshold")?.unwrap_or(0.99),
                review: crate::sql::get_opt_f64(&row, "review_threshold")?.unwrap_or(0.5),
            },
            estimated_at: get_opt_str(&row, "estimated_at")?,
            updated_by: get_opt_str(&row, "updated_by")?,
            updated_at: get_opt_str(&row, "updated_at")?,
            version: get_i64(&row, "version")?,
        })
    }

    /// Stores the matching model (audited as `matching_settings`).
    pub async fn save_matching_settings(
        &self,
        actor: &pharmacrm_domain::audit::Actor,
        settings: &MatchingSettings,
    ) -> Result<()> {
        let before = self.matching_settings().await?;
        let now = self.now_timestamp();
        let parameters = serde_json::to_string(&settings.parameters)
            .map_err(|e| StorageError::corrupt("parameters", e))?;
        let mut tx = self.begin().await?;
        let version = crate::sql::next_version(&mut tx).await?;
        stmt("DELETE FROM matching_settings WHERE id = 1", vec![])
            .query()
            .execute(&mut *tx)
            .await?;
        stmt(
            "INSERT INTO matching_settings (id, parameters, link_threshold, review_threshold, estimated_at, updated_by, updated_at, version) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7)",
            vec![
                parameters.into(),
                Some(settings.thresholds.link).into(),
                Some(settings.thresholds.review).into(),
                settings.estimated_at.clone().into(),
                actor.name.clone().into(),
                now.into(),
                version.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let audit = |s: &MatchingSettings| serde_json::json!({ "thresholds": s.thresholds, "estimated_at": s.estimated_at, "prior": s.parameters.prior });
        crate::audit::record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "matching_settings",
            1,
            pharmacrm_domain::audit::AuditAction::Update,
            Some(&audit(&before)),
            Some(&audit(settings)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records candidate duplicate pairs (`a` < `b`); a pair already known keeps its status
    /// and gets the new score. Returns how many were new.
    pub async fn record_pairs(
        &self,
        pairs: &[(Uuid, Uuid, MatchScore)],
        source: &str,
    ) -> Result<usize> {
        let now = self.now_timestamp();
        let mut new = 0;
        let mut tx = self.pool().begin().await?;
        for (a, b, score) in pairs {
            let (a, b) = if a < b { (*a, *b) } else { (*b, *a) };
            let evidence =
                serde_json::to_string(score).map_err(|e| StorageError::corrupt("evidence", e))?;
            let updated = stmt(
                "UPDATE duplicate_pairs SET probability = $1, score = $2, evidence = $3 WHERE hcp_a = $4 AND hcp_b = $5",
                vec![Some(score.probability).into(), Some(score.score).into(), evidence.clone().into(), a.into(), b.into()],
            )
            .query()
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                stmt(
                    "INSERT INTO duplicate_pairs (id, hcp_a, hcp_b, probability, score, evidence, source, status, found_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
                    vec![
                        pharmacrm_domain::new_id().into(),
                        a.into(),
                        b.into(),
                        Some(score.probability).into(),
                        Some(score.score).into(),
                        evidence.into(),
                        source.into(),
                        now.clone().into(),
                    ],
                )
                .query()
                .execute(&mut *tx)
                .await?;
                new += 1;
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// Duplicate pairs with `status` (all when `None`) whose both records are still live
    /// (an open pair whose record was merged elsewhere drops out), most likely first.
    pub async fn duplicate_pairs(
        &self,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<StoredPair>> {
        let mut sql = Sql::new("SELECT p.* FROM duplicate_pairs p WHERE 1 = 1");
        if let Some(status) = status {
            sql.push(" AND p.status = ").bind(status.to_string());
        }
        if status == Some("open") {
            sql.push(" AND EXISTS (SELECT 1 FROM hcps h WHERE h.id = p.hcp_a");
            sql.push(LIVE_HCP)
                .push(") AND EXISTS (SELECT 1 FROM hcps h WHERE h.id = p.hcp_b");
            sql.push(LIVE_HCP).push(")");
        }
        sql.push(" ORDER BY p.probability DESC, p.id LIMIT ")
            .bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(pair_of)
            .collect()
    }

    pub async fn duplicate_pair(&self, id: Uuid) -> Result<Option<StoredPair>> {
        let row = stmt(
            "SELECT * FROM duplicate_pairs WHERE id = $1",
            vec![id.into()],
        )
        .query()
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(pair_of).transpose()
    }

    /// Marks an open pair not a duplicate (audited).
    pub async fn dismiss_pair(
        &self,
        actor: &pharmacrm_domain::audit::Actor,
        id: Uuid,
        reason: &str,
    ) -> Result<StoredPair> {
        let mut tx = self.pool().begin().await?;
        let done = stmt(
            "UPDATE duplicate_pairs SET status = 'dismissed', decided_by = $1, decided_at = $2, reason = $3 WHERE id = $4 AND status = 'open'",
            vec![actor.name.clone().into(), self.now_timestamp().into(), reason.into(), id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(StorageError::NotFound("open duplicate pair"));
        }
        let after = serde_json::json!({ "status": "dismissed", "reason": reason });
        crate::audit::record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "duplicate_pair",
            id,
            pharmacrm_domain::audit::AuditAction::Update,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.duplicate_pair(id)
            .await?
            .ok_or(StorageError::NotFound("duplicate pair"))
    }
}

//! Duplicate detection use cases: the at-creation check (what a rep or an import sees
//! before an HCP is created), estimating the model from the data, scanning the universe for
//! candidate pairs, and the stewards' pair queue, merges and their undo.

use crate::auth::Principal;
use crate::{Result, ServiceError, Store};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::matching::model::{MatchScore, Outcome, Parameters, Thresholds};
use pharmacrm_domain::matching::{blocking_keys, compare, same_npi, MatchRecord};
use pharmacrm_domain::org::TerritoryRef;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::matching::{Candidate, MatchingSettings};
use pharmacrm_storage::merges::StoredMerge;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// Most candidates one check scores (blocks are small; this bounds a pathological one).
const CANDIDATE_LIMIT: i64 = 2_000;
/// Most matches a check returns.
const SHOWN: usize = 10;

/// An existing HCP that may be the record being checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HcpMatch {
    pub id: Uuid,
    pub display_name: String,
    pub npi: String,
    pub specialty_name: String,
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: Option<String>,
    /// `verified` or `proposed`.
    pub master_status: String,
    pub territory: Option<TerritoryRef>,
    pub score: MatchScore,
}

/// What a check found: matches the caller may see (same record or ask-a-steward, most
/// likely first), and whether one exists outside the caller's territories (not shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MatchCheck {
    /// The strongest outcome over all existing records, in scope or not.
    pub outcome: Outcome,
    pub matches: Vec<HcpMatch>,
    pub match_outside_scope: bool,
    pub thresholds: Thresholds,
}

fn hcp_match(c: &Candidate, score: MatchScore) -> HcpMatch {
    HcpMatch {
        id: c.id,
        display_name: c.display_name.clone(),
        npi: c.record.npi.clone().unwrap_or_default(),
        specialty_name: c.specialty_name.clone(),
        street: c.record.street.clone().unwrap_or_default(),
        city: c.record.city.clone().unwrap_or_default(),
        state: c.record.state.clone().unwrap_or_default(),
        zip: c.record.zip.clone().unwrap_or_default(),
        phone: c.record.phone.clone(),
        master_status: c.master_status.clone(),
        territory: c.territory.clone(),
        score,
    }
}

fn in_scope(scope: &Scope, territory: &Option<TerritoryRef>) -> bool {
    match scope {
        Scope::All => true,
        Scope::Territories(ts) => territory.as_ref().is_some_and(|t| ts.contains(&t.id)),
    }
}

fn strongest(a: Outcome, b: Outcome) -> Outcome {
    let rank = |o: Outcome| match o {
        Outcome::SameRecord => 2,
        Outcome::AskSteward => 1,
        Outcome::NewRecord => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Scores `record` against every live HCP sharing a blocking key with it (without
/// `except`). Matches outside `scope` are only counted.
pub async fn check_record(
    store: &Store,
    scope: &Scope,
    record: &MatchRecord,
    except: Option<Uuid>,
) -> Result<MatchCheck> {
    let settings = store.matching_settings().await?;
    let candidates = store
        .match_candidates(&blocking_keys(record), except, CANDIDATE_LIMIT)
        .await?;
    let mut outcome = Outcome::NewRecord;
    let mut matches = Vec::new();
    let mut outside = false;
    for c in &candidates {
        let score = settings.parameters.score(
            &compare(record, &c.record),
            same_npi(record, &c.record),
            &settings.thresholds,
        );
        if score.outcome == Outcome::NewRecord {
            continue;
        }
        outcome = strongest(outcome, score.outcome);
        if in_scope(scope, &c.territory) {
            matches.push(hcp_match(c, score));
        } else {
            outside = true;
        }
    }
    matches.sort_by(|a, b| {
        b.score
            .probability
            .total_cmp(&a.score.probability)
            .then(a.display_name.cmp(&b.display_name))
    });
    matches.truncate(SHOWN);
    Ok(MatchCheck {
        outcome,
        matches,
        match_outside_scope: outside,
        thresholds: settings.thresholds,
    })
}

/// For each record (an import batch), its most likely existing live HCP at or above the
/// review threshold, whatever the territory: one candidate read for the whole batch.
pub async fn best_matches(store: &Store, records: &[MatchRecord]) -> Result<Vec<Option<HcpMatch>>> {
    let settings = store.matching_settings().await?;
    let keys_of: Vec<Vec<String>> = records.iter().map(blocking_keys).collect();
    let mut all: Vec<String> = keys_of.iter().flatten().cloned().collect();
    all.sort();
    all.dedup();
    let mut candidates = Vec::new();
    for chunk in all.chunks(2_000) {
        candidates.extend(
            store
                .match_candidates(chunk, None, CANDIDATE_LIMIT * 10)
                .await?,
        );
    }
    candidates.sort_by_key(|c| c.id);
    candidates.dedup_by_key(|c| c.id);
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        for key in blocking_keys(&c.record) {
            by_key.entry(key).or_default().push(i);
        }
    }
    Ok(records
        .iter()
        .zip(&keys_of)
        .map(|(record, keys)| {
            let mut seen: Vec<usize> = keys
                .iter()
                .filter_map(|k| by_key.get(k))
                .flatten()
                .copied()
                .collect();
            seen.sort_unstable();
            seen.dedup();
            seen.into_iter()
                .map(|i| {
                    let c = &candidates[i];
                    (
                        c,
                        settings.parameters.score(
                            &compare(record, &c.record),
                            same_npi(record, &c.record),
                            &settings.thresholds,
                        ),
                    )
                })
                .filter(|(_, score)| score.outcome != Outcome::NewRecord)
                .max_by(|a, b| a.1.probability.total_cmp(&b.1.probability))
                .map(|(c, score)| hcp_match(c, score))
        })
        .collect())
}

/// The at-creation check as a rep or steward types: any field may still be blank.
pub async fn check(
    store: &Store,
    principal: &Principal,
    record: &MatchRecord,
) -> Result<MatchCheck> {
    if record.first_name.trim().is_empty()
        && record.last_name.trim().is_empty()
        && record.npi.as_deref().unwrap_or("").trim().is_empty()
    {
        return Err(ValidationErrors::single(
            "last_name",
            "type a name or an NPI to look for matches",
        )
        .into());
    }
    check_record(store, &principal.scope, record, None).await
}

/// The matching model a device needs to check a new HCP against its own HCPs offline (the
/// `matching` sync entity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeviceModel {
    pub parameters: Parameters,
    pub thresholds: Thresholds,
}

/// The matching model as stewards see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MatchingModel {
    pub thresholds: Thresholds,
    pub parameters: Parameters,
    /// Per field and level: m, u and the weight log2(m/u) in bits.
    pub weights: Vec<FieldWeights>,
    pub estimated_at: Option<String>,
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldWeights {
    pub field: pharmacrm_domain::matching::Field,
    pub levels: Vec<LevelWeight>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelWeight {
    pub level: String,
    pub m: f64,
    pub u: f64,
    pub weight: f64,
}

fn model_of(s: MatchingSettings) -> MatchingModel {
    use pharmacrm_domain::matching::Field;
    let weights = Field::ALL
        .iter()
        .enumerate()
        .map(|(f, field)| FieldWeights {
            field: *field,
            levels: field
                .levels()
                .iter()
                .enumerate()
                .map(|(l, name)| {
                    let (m, u) = (s.parameters.m[f][l], s.parameters.u[f][l]);
                    LevelWeight {
                        level: name.to_string(),
                        m,
                        u,
                        weight: ((m / u).log2() * 100.0).round() / 100.0,
                    }
                })
                .collect(),
        })
        .collect();
    MatchingModel {
        thresholds: s.thresholds,
        parameters: s.parameters,
        weights,
        estimated_at: s.estimated_at,
        updated_by: s.updated_by,
    }
}

pub async fn model(store: &Store, principal: &Principal) -> Result<MatchingModel> {
    principal.require(Permission::StewardMasterData)?;
    Ok(model_of(store.matching_settings().await?))
}

/// Sets the thresholds (data stewards).
pub async fn set_thresholds(
    store: &Store,
    principal: &Principal,
    thresholds: Thresholds,
) -> Result<MatchingModel> {
    principal.require(Permission::StewardMasterData)?;
    thresholds.validate()?;
    let mut settings = store.matching_settings().await?;
    settings.thresholds = thresholds;
    store
        .save_matching_settings(&principal.actor(), &settings)
        .await?;
    Ok(model_of(store.matching_settings().await?))
}

/// Candidate pairs and random pairs the estimate uses at most.
const ESTIMATE_PAIRS: usize = 200_000;
/// The kinds of blocking key (`pharmacrm_domain::matching::blocking_keys`) but the NPI's.
const BLOCKING_KINDS: [char; 5] = ['a', 'p', 's', 'y', 'z'];
const RANDOM_RECORDS: i64 = 400;

/// Re-estimates the model from the data: `u` on random pairs of HCPs, `m` and the prior by
/// EM on the pairs blocking yields. Thresholds stay.
pub async fn estimate(
    store: &Store,
    actor: &pharmacrm_domain::audit::Actor,
) -> Result<MatchingModel> {
    // An equal share of pairs from each kind of key, so a large universe is not estimated
    // from the first kind in key order alone.
    let mut pairs = Vec::new();
    for kind in BLOCKING_KINDS {
        pairs.extend(
            store
                .blocked_pairs(Some(kind), 200, ESTIMATE_PAIRS / BLOCKING_KINDS.len())
                .await?
                .0,
        );
    }
    pairs.sort();
    pairs.dedup();
    let records = records_of(store, pairs.iter().flat_map(|(a, b)| [*a, *b])).await?;
    let candidates: Vec<_> = pairs
        .iter()
        .filter_map(|(a, b)| Some(compare(&records.get(a)?.record, &records.get(b)?.record)))
        .collect();
    let sample = store.sample_hcp_ids(RANDOM_RECORDS).await?;
    let sampled = records_of(store, sample.iter().copied()).await?;
    let mut random = Vec::new();
    for (i, a) in sample.iter().enumerate() {
        for b in sample.iter().skip(i + 1) {
            if let (Some(x), Some(y)) = (sampled.get(a), sampled.get(b)) {
                random.push(compare(&x.record, &y.record));
            }
        }
    }
    let mut settings = store.matching_settings().await?;
    let records = store.count_hcps(&Scope::All).await? as u64;
    settings.parameters = Parameters::estimate(&candidates, &random, records);
    settings.estimated_at = Some(store.now_timestamp());
    store.save_matching_settings(actor, &settings).await?;
    Ok(model_of(store.matching_settings().await?))
}

pub async fn estimate_as(store: &Store, principal: &Principal) -> Result<MatchingModel> {
    principal.require(Permission::StewardMasterData)?;
    estimate(store, &principal.actor()).await
}

async fn records_of(
    store: &Store,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Candidate>> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort();
    ids.dedup();
    Ok(store.match_records(&ids).await?)
}

/// What a scan of the whole universe found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScanReport {
    pub candidate_pairs: usize,
    /// Blocks too large to compare within (a very common name in one place).
    pub skipped_blocks: usize,
    pub same_record: usize,
    pub ask_steward: usize,
    /// Pairs not in the queue before.
    pub new_pairs: usize,
}

/// Pairs a scan compares at most.
const SCAN_PAIRS: usize = 2_000_000;

/// Compares every pair of live HCPs that share a blocking key and queues those at or above
/// the review threshold for stewards.
pub async fn scan(store: &Store, principal: &Principal) -> Result<ScanReport> {
    principal.require(Permission::StewardMasterData)?;
    scan_all(store).await
}

pub async fn scan_all(store: &Store) -> Result<ScanReport> {
    let settings = store.matching_settings().await?;
    let (pairs, skipped_blocks) = store.blocked_pairs(None, 200, SCAN_PAIRS).await?;
    let mut found = Vec::new();
    let (mut same, mut ask) = (0, 0);
    for chunk in pairs.chunks(5_000) {
        let records = records_of(store, chunk.iter().flat_map(|(a, b)| [*a, *b])).await?;
        for (a, b) in chunk {
            let (Some(x), Some(y)) = (records.get(a), records.get(b)) else {
                continue;
            };
            let score = settings.parameters.score(
                &compare(&x.record, &y.record),
                same_npi(&x.record, &y.record),
                &settings.thresholds,
            );
            match score.outcome {
                Outcome::SameRecord => same += 1,
                Outcome::AskSteward => ask += 1,
                Outcome::NewRecord => continue,
            }
            found.push((*a, *b, score));
        }
    }
    let new_pairs = store.record_pairs(&found, "scan").await?;
    Ok(ScanReport {
        candidate_pairs: pairs.len(),
        skipped_blocks,
        same_record: same,
        ask_steward: ask,
        new_pairs,
    })
}

/// One side of a duplicate pair, with what a steward compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PairSide {
    pub id: Uuid,
    pub display_name: String,
    /// The names the matcher compares, each on its own row of the pair card.
    pub last_name: String,
    pub first_name: String,
    pub npi: String,
    pub specialty_code: String,
    pub specialty_name: String,
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: Option<String>,
    pub affiliations: usize,
    pub master_status: String,
    pub territory: Option<TerritoryRef>,
}

/// A candidate duplicate pair in the stewards' queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DuplicatePair {
    pub id: Uuid,
    pub a: PairSide,
    pub b: PairSide,
    pub score: MatchScore,
    /// `scan`, `creation` or `import`.
    pub source: String,
    /// `open`, `merged` or `dismissed`.
    pub status: String,
    pub found_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
}

fn side(c: &Candidate) -> PairSide {
    PairSide {
        id: c.id,
        display_name: c.display_name.clone(),
        last_name: c.record.last_name.clone(),
        first_name: c.record.first_name.clone(),
        npi: c.record.npi.clone().unwrap_or_default(),
        specialty_code: c.record.specialty_code.clone().unwrap_or_default(),
        specialty_name: c.specialty_name.clone(),
        street: c.record.street.clone().unwrap_or_default(),
        city: c.record.city.clone().unwrap_or_default(),
        state: c.record.state.clone().unwrap_or_default(),
        zip: c.record.zip.clone().unwrap_or_default(),
        phone: c.record.phone.clone(),
        affiliations: c.record.affiliations.len(),
        master_status: c.master_status.clone(),
        territory: c.territory.clone(),
    }
}

/// The pair queue (`open` by default), most likely first.
pub async fn pairs(
    store: &Store,
    principal: &Principal,
    status: Option<&str>,
) -> Result<Vec<DuplicatePair>> {
    principal.require(Permission::StewardMasterData)?;
    if let Some(s) = status {
        if !["open", "merged", "dismissed"].contains(&s) {
            return Err(
                ValidationErrors::single("status", "must be open, merged or dismissed").into(),
            );
        }
    }
    let stored = store.duplicate_pairs(status, 500).await?;
    let records = records_of(store, stored.iter().flat_map(|p| [p.hcp_a, p.hcp_b])).await?;
    Ok(stored
        .into_iter()
        .filter_map(|p| {
            Some(DuplicatePair {
                a: side(records.get(&p.hcp_a)?),
                b: side(records.get(&p.hcp_b)?),
                id: p.id,
                score: p.score,
                source: p.source,
                status: p.status,
                found_at: p.found_at,
                decided_by: p.decided_by,
                decided_at: p.decided_at,
                reason: p.reason,
            })
        })
        .collect())
}

/// Marks an open pair "not a duplicate" (a reason is required).
pub async fn dismiss(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    reason: Option<&str>,
) -> Result<()> {
    principal.require(Permission::StewardMasterData)?;
    let reason = pharmacrm_domain::stewardship::check_reason(reason, true)?.unwrap_or_default();
    store.dismiss_pair(&principal.actor(), id, &reason).await?;
    Ok(())
}

/// A merge to make.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MergeInput {
    /// The record that stays.
    pub survivor_id: Uuid,
    /// The record merged into it.
    pub merged_id: Uuid,
    /// The queued pair this merge resolves, if any.
    #[serde(default)]
    pub pair_id: Option<Uuid>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A merge as stewards see it, with what it moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Merge {
    pub id: Uuid,
    pub survivor: PairSide,
    pub merged: PairSide,
    pub reason: Option<String>,
    /// Rows moved to the survivor per kind: calls, segments, affiliations, licences, DEA
    /// registrations, blacklist, samples, targeting rows, realignment marks, sample exceptions.
    pub moved: Vec<MovedCount>,
    pub merged_by: String,
    pub merged_at: String,
    pub undone_by: Option<String>,
    pub undone_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MovedCount {
    pub what: String,
    pub rows: usize,
}

fn moved_name(table: &str) -> &str {
    match table {
        "call_attendees" => "calls",
        "segments" => "segments",
        "affiliations" => "affiliations",
        "hcp_licences" => "licences",
        "hcp_dea_registrations" => "DEA registrations",
        "hcp_blacklist" => "blacklist entries",
        "hcp_samples" => "sample lines",
        "targeting_segments" => "targeting rows",
        "realignment_marks" => "realignment marks",
        "sample_exceptions" => "sample exceptions",
        other => other,
    }
}

async fn merge_view(store: &Store, m: StoredMerge) -> Result<Merge> {
    let records = store.match_records(&[m.survivor_id, m.merged_id]).await?;
    let get = |id: Uuid| {
        records
            .get(&id)
            .map(side)
            .ok_or(ServiceError::NotFound("HCP"))
    };
    Ok(Merge {
        id: m.id,
        survivor: get(m.survivor_id)?,
        merged: get(m.merged_id)?,
        reason: m.reason,
        moved: m
            .moved
            .iter()
            .map(|(t, rows)| MovedCount {
                what: moved_name(t).into(),
                rows: rows.len(),
            })
            .collect(),
        merged_by: m.merged_by,
        merged_at: m.merged_at,
        undone_by: m.undone_by,
        undone_at: m.undone_at,
    })
}

/// Merges two live HCPs (data stewards). The survivor keeps every call, sample record,
/// segmentation and affiliation of both.
pub async fn merge(store: &Store, principal: &Principal, input: &MergeInput) -> Result<Merge> {
    principal.require(Permission::StewardMasterData)?;
    if input.survivor_id == input.merged_id {
        return Err(ValidationErrors::single("merged_id", "must differ from the survivor").into());
    }
    let reason = pharmacrm_domain::stewardship::check_reason(input.reason.as_deref(), false)?;
    if let Some(pair) = input.pair_id {
        let p = store
            .duplicate_pair(pair)
            .await?
            .ok_or(ServiceError::NotFound("duplicate pair"))?;
        let ids = [p.hcp_a, p.hcp_b];
        if !ids.contains(&input.survivor_id) || !ids.contains(&input.merged_id) {
            return Err(ValidationErrors::single("pair_id", "is a pair of other HCPs").into());
        }
    }
    let m = store
        .merge_hcps(
            &principal.actor(),
            input.survivor_id,
            input.merged_id,
            input.pair_id,
            reason.as_deref(),
        )
        .await?;
    merge_view(store, m).await
}

pub async fn undo(store: &Store, principal: &Principal, id: Uuid) -> Result<Merge> {
    principal.require(Permission::StewardMasterData)?;
    let m = store
        .merge(id)
        .await?
        .ok_or(ServiceError::NotFound("merge"))?;
    if m.undone_at.is_some() {
        return Err(ServiceError::Conflict {
            code: Code::AlreadyUndone,
            message: "this merge was already undone".into(),
        });
    }
    let m = store.undo_merge(&principal.actor(), id).await?;
    merge_view(store, m).await
}

pub async fn merges(store: &Store, principal: &Principal) -> Result<Vec<Merge>> {
    principal.require(Permission::StewardMasterData)?;
    let mut out = Vec::new();
    for m in store.merges(200).await? {
        out.push(merge_view(store, m).await?);
    }
    Ok(out)
}

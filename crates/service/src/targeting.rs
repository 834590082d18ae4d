//! Targeting versions as commercial ops use them: create a draft, upload segmentation into
//! it, set calls per cycle per product x tier, publish with an effective date; the version
//! comes into force on that date (at once when it is today) and call plans follow.

use crate::auth::Principal;
use crate::import::{import_segments, ImportReport, Progress};
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::targeting::{check_calls, CycleKind, TargetingVersion, VersionFrequency};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::targeting::DraftSegment;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use utoipa::ToSchema;
use uuid::Uuid;

/// The plan cycle in force (a month before any version) and calls per cycle by (product, tier).
pub async fn frequencies_in_force(
    store: &Store,
) -> Result<(CycleKind, HashMap<(Uuid, Tier), u32>)> {
    let targets = store.frequency_targets(None).await?;
    let cycle = targets.first().map_or(CycleKind::Month, |t| t.cycle);
    Ok((
        cycle,
        targets
            .into_iter()
            .map(|t| ((t.product_id, t.tier), t.calls))
            .collect(),
    ))
}

/// Who may read targeting versions (reps read the version in force through their plan).
pub fn ensure_targeting_reader(principal: &Principal) -> Result<()> {
    principal.require(Permission::ReadTargeting)
}

/// A draft's name, cycle and note.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VersionInput {
    pub name: String,
    /// `month` or `quarter`.
    pub cycle: String,
    pub note: Option<String>,
}

fn check_input(input: &VersionInput) -> Result<(String, CycleKind, Option<String>)> {
    let mut errors = ValidationErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.add("name", "is required");
    }
    let cycle = errors.check("cycle", CycleKind::parse(&input.cycle));
    errors.into_result(|| ())?;
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    Ok((name, cycle.unwrap_or(CycleKind::Month), note))
}

pub async fn create(
    store: &Store,
    principal: &Principal,
    input: &VersionInput,
) -> Result<TargetingVersion> {
    principal.require(Permission::ManageTargeting)?;
    let (name, cycle, note) = check_input(input)?;
    let id = store
        .create_targeting_version(&principal.actor(), &name, cycle, note.as_deref())
        .await?;
    Ok(store.targeting_version(id).await?)
}

pub async fn update(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    input: &VersionInput,
) -> Result<TargetingVersion> {
    principal.require(Permission::ManageTargeting)?;
    let (name, cycle, note) = check_input(input)?;
    store
        .update_targeting_draft(&principal.actor(), id, &name, cycle, note.as_deref())
        .await?;
    Ok(store.targeting_version(id).await?)
}

/// Replaces a draft's frequency table; every figure is checked against the draft's cycle
/// and every product must exist. A product x tier left out gets no calls.
pub async fn set_frequencies(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    rows: &[VersionFrequency],
) -> Result<TargetingVersion> {
    principal.require(Permission::ManageTargeting)?;
    let version = store.targeting_version(id).await?;
    let products: Vec<Uuid> = store.products().await?.into_iter().map(|p| p.id).collect();
    let mut errors = ValidationErrors::new();
    let mut seen = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if !products.contains(&row.product_id) {
            errors.add(format!("frequencies[{i}].product_id"), "no such product");
        }
        if !seen.insert((row.product_id, row.tier)) {
            errors.add(
                format!("frequencies[{i}].tier"),
                "this product and tier are already given",
            );
        }
        if let Err(e) = check_calls(version.cycle, i64::from(row.calls)) {
            errors.add(format!("frequencies[{i}].calls"), e);
        }
    }
    errors.into_result(|| ())?;
    store
        .set_targeting_frequencies(&principal.actor(), id, rows)
        .await?;
    Ok(store.targeting_version(id).await?)
}

/// A segmentation row edited on screen.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SegmentInput {
    pub hcp_id: Uuid,
    pub product_id: Uuid,
    /// Blank: follows from the decile.
    pub tier: Option<pharmacrm_domain::segment::Tier>,
    pub decile: i64,
}

/// Puts segmentation rows edited on screen into a draft, checked as a whole (nothing is
/// written when one is wrong). Returns (created, updated).
pub async fn put_segments(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    rows: &[SegmentInput],
) -> Result<(usize, usize)> {
    principal.require(Permission::ManageTargeting)?;
    store.targeting_version(id).await?;
    let products: Vec<Uuid> = store.products().await?.into_iter().map(|p| p.id).collect();
    let hcps: Vec<Uuid> = store
        .hcp_profiles(
            &pharmacrm_domain::access::Scope::All,
            &rows.iter().map(|r| r.hcp_id).collect::<Vec<_>>(),
        )
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    let mut errors = ValidationErrors::new();
    let mut valid = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !hcps.contains(&row.hcp_id) {
            errors.add(format!("segments[{i}].hcp_id"), "no such HCP");
        }
        if !products.contains(&row.product_id) {
            errors.add(format!("segments[{i}].product_id"), "no such product");
        }
        if let Some(decile) = errors.check(
            &format!("segments[{i}].decile"),
            pharmacrm_domain::segment::parse_decile(row.decile),
        ) {
            let tier = row
                .tier
                .unwrap_or(pharmacrm_domain::segment::Tier::from_decile(decile));
            valid.push(DraftSegment {
                hcp_id: row.hcp_id,
                product_id: row.product_id,
                tier,
                decile,
            });
        }
    }
    errors.into_result(|| ())?;
    Ok(store
        .put_targeting_segments(&principal.actor(), id, &valid)
        .await?)
}

/// Uploads a segmentation CSV into a draft (see [`import_segments`]).
pub async fn upload_segments(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    input: impl Read,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    principal.require(Permission::ManageTargeting)?;
    store.targeting_version(id).await?;
    import_segments(store, &principal.actor(), id, input, progress).await
}

/// Publishes a draft from `effective_from` (today or later); a version due today comes into
/// force at once. Returns the version as it now stands.
pub async fn publish(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    effective_from: NaiveDate,
    today: NaiveDate,
) -> Result<TargetingVersion> {
    principal.require(Permission::ManageTargeting)?;
    if effective_from < today {
        return Err(ValidationErrors::single(
            "effective_from",
            "cannot be in the past: calls already made were planned on the version then in force",
        )
        .into());
    }
    store
        .publish_targeting_version(&principal.actor(), id, effective_from)
        .await?;
    apply_due(store, &principal.actor(), today).await?;
    Ok(store.targeting_version(id).await?)
}

/// Brings every published version whose date has come into force, oldest first. Run when a
/// version is published and by the server once a minute (a date passing needs no one to act).
pub async fn apply_due(store: &Store, actor: &Actor, today: NaiveDate) -> Result<usize> {
    let due = store.due_targeting_versions(today).await?;
    for id in &due {
        store.apply_targeting_version(actor, *id, today).await?;
        tracing::info!(version = %id, "targeting version in force");
    }
    Ok(due.len())
}

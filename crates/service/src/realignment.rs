//! Realignment cycles as ops and the field use them: ops drafts ZIP moves and account
//! overrides, sees the impact, opens the draft for field review; reps and managers mark key
//! relationships and escalate; ops resolves every mark and publishes with an effective date
//! (30 days ahead on a quarter start, or an override with a reason); affected reps and their
//! managers get a notice at once.

use crate::auth::Principal;
use crate::import::{import_realignment, ImportReport};
use crate::targeting::frequencies_in_force;
use crate::{Result, ServiceError, Store};
use chrono::{Duration, NaiveDate};
use pharmacrm_domain::org::{district_and_region, OrgLevel, TerritoryRef};
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::realignment::{
    by_value, check_publication, impact, DraftLine, Mark, MarkKind, MovingHcp, Notice, Realignment,
    RealignmentStatus, Resolution, TerritoryImpact, TimingIssue,
};
use pharmacrm_domain::targeting::hcp_target;
use pharmacrm_domain::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use utoipa::ToSchema;
use uuid::Uuid;

fn ensure_ops(principal: &Principal) -> Result<()> {
    principal.require(Permission::ManageAlignments)
}

fn is_field(principal: &Principal) -> bool {
    principal.may(Permission::ReviewRealignments)
}

/// Whether the reader sees `r`: those who manage alignments see every one; the field sees
/// those open for review or published; other roles none.
fn sees(principal: &Principal, r: &Realignment) -> bool {
    principal.may(Permission::ManageAlignments)
        || (is_field(principal)
            && matches!(
                r.status,
                RealignmentStatus::Review | RealignmentStatus::Published
            ))
}

async fn visible(store: &Store, principal: &Principal, id: Uuid) -> Result<Realignment> {
    let r = store.realignment(id).await?;
    if sees(principal, &r) {
        Ok(r)
    } else {
        Err(ServiceError::NotFound("realignment"))
    }
}

pub async fn list(store: &Store, principal: &Principal) -> Result<Vec<Realignment>> {
    let all = store.realignments().await?;
    Ok(all.into_iter().filter(|r| sees(principal, r)).collect())
}

pub async fn get(store: &Store, principal: &Principal, id: Uuid) -> Result<Realignment> {
    visible(store, principal, id).await
}

pub async fn create(store: &Store, principal: &Principal, name: &str) -> Result<Realignment> {
    ensure_ops(principal)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ValidationErrors::single("name", "is required").into());
    }
    let id = store.create_realignment(&principal.actor(), name).await?;
    Ok(store.realignment(id).await?)
}

/// The draft's lines: ZIP moves and account overrides.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DraftLines {
    pub zips: Vec<DraftLine>,
    pub accounts: Vec<DraftLine>,
}

pub async fn lines(store: &Store, principal: &Principal, id: Uuid) -> Result<DraftLines> {
    ensure_ops(principal)?;
    store.realignment(id).await?;
    Ok(DraftLines {
        zips: store.realignment_lines(id, true).await?,
        accounts: store.realignment_lines(id, false).await?,
    })
}

/// Adds or replaces lines edited on screen, checked as a whole (nothing is written when one is wrong).
pub async fn put_lines(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    input: &DraftLines,
) -> Result<DraftLines> {
    ensure_ops(principal)?;
    let territories: Vec<Uuid> = store
        .org_tree()
        .await?
        .into_iter()
        .filter(|u| u.level == OrgLevel::Territory)
        .map(|u| u.id)
        .collect();
    let mut errors = ValidationErrors::new();
    let mut zips = Vec::new();
    for (i, line) in input.zips.iter().enumerate() {
        if let Some(zip) = errors.check(
            &format!("zips[{i}].key"),
            pharmacrm_domain::address::parse_zip(&line.key),
        ) {
            zips.push(DraftLine {
                key: zip,
                territory_id: line.territory_id,
            });
        }
        if !territories.contains(&line.territory_id) {
            errors.add(format!("zips[{i}].territory_id"), "no such territory");
        }
    }
    let accounts = store
        .existing_accounts(
            &input
                .accounts
                .iter()
                .filter_map(|l| Uuid::parse_str(&l.key).ok())
                .collect::<Vec<_>>(),
        )
        .await?;
    for (i, line) in input.accounts.iter().enumerate() {
        if !Uuid::parse_str(&line.key).is_ok_and(|id| accounts.contains(&id)) {
            errors.add(format!("accounts[{i}].key"), "no such account");
        }
        if !territories.contains(&line.territory_id) {
            errors.add(format!("accounts[{i}].territory_id"), "no such territory");
        }
    }
    errors.into_result(|| ())?;
    store
        .put_realignment_lines(&principal.actor(), id, true, &zips)
        .await?;
    store
        .put_realignment_lines(&principal.actor(), id, false, &input.accounts)
        .await?;
    lines(store, principal, id).await
}

/// Which lines to take out of a draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LineKeys {
    #[serde(default)]
    pub zips: Vec<String>,
    #[serde(default)]
    pub accounts: Vec<String>,
}

pub async fn remove_lines(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    keys: &LineKeys,
) -> Result<DraftLines> {
    ensure_ops(principal)?;
    store
        .remove_realignment_lines(&principal.actor(), id, true, &keys.zips)
        .await?;
    store
        .remove_realignment_lines(&principal.actor(), id, false, &keys.accounts)
        .await?;
    lines(store, principal, id).await
}

pub async fn upload(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    input: impl Read,
) -> Result<ImportReport> {
    ensure_ops(principal)?;
    store.realignment(id).await?;
    import_realignment(store, &principal.actor(), id, input).await
}

/// What a draft does, before it is published.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RealignmentImpact {
    pub realignment: Realignment,
    /// The day the figures are computed for: the effective date once published, else today.
    pub as_of: NaiveDate,
    pub hcps_moving: u32,
    pub accounts_moving: u32,
    /// Territories the draft touches (of the reader's scope), largest change first.
    pub territories: Vec<TerritoryImpact>,
    pub method: String,
}

const IMPACT_METHOD: &str = "HCPs moving are those whose ZIP the draft aligns to a territory other than the one in force; \
accounts moving are those whose override or (without an override) ZIP the draft moves. Workload is target calls per plan \
cycle: for each HCP the largest calls-per-cycle among its products' frequency targets in force (best tier), summed over \
the territory's HCPs before and after. Key losses are HCPs leaving a territory that are tier A, decile 8 or more, or were \
called 3 times or more in the last 12 months by that territory; the most valuable first.";

/// The HCPs a draft moves, each with its tier, decile, target and the losing territory's
/// calls in the last year, the most valuable first.
async fn moving_hcps(store: &Store, id: Uuid, day: NaiveDate) -> Result<Vec<MovingHcp>> {
    let moved = store.realignment_moved_hcps(id, day).await?;
    let ids: Vec<Uuid> = moved.iter().map(|m| m.hcp_id).collect();
    let mut segments: HashMap<Uuid, Vec<(Uuid, pharmacrm_domain::segment::Tier, u8)>> =
        HashMap::new();
    for ((hcp, product), (tier, decile)) in store.segments_of_hcps(&ids).await? {
        segments
            .entry(hcp)
            .or_default()
            .push((product, tier, decile));
    }
    let (_, frequencies) = frequencies_in_force(store).await?;
    let calls: HashMap<(Uuid, Uuid), u32> = store
        .calls_by_hcp_and_territory(&ids, day - Duration::days(365))
        .await?
        .into_iter()
        .map(|(h, t, n)| ((h, t), n))
        .collect();
    let mut out: Vec<MovingHcp> = moved
        .into_iter()
        .map(|m| {
            let segs = segments.get(&m.hcp_id).map(Vec::as_slice).unwrap_or(&[]);
            let target = hcp_target(
                &segs.iter().map(|(p, t, _)| (*p, *t)).collect::<Vec<_>>(),
                &frequencies,
            );
            MovingHcp {
                tier: target.map(|t| t.tier),
                decile: segs.iter().map(|(_, _, d)| *d).max().unwrap_or(0),
                target_calls: target.map_or(0, |t| t.calls),
                calls_last_year: m
                    .from_territory
                    .and_then(|t| calls.get(&(m.hcp_id, t)).copied())
                    .unwrap_or(0),
                hcp_id: m.hcp_id,
                name: m.name,
                zip: m.zip,
                from_territory: m.from_territory,
                to_territory: m.to_territory,
            }
        })
        .collect();
    out.sort_by(by_value);
    Ok(out)
}

fn as_of(r: &Realignment, today: NaiveDate) -> NaiveDate {
    // Before publication the draft is compared with what is in force today; afterwards with
    // what was in force the day before it took effect.
    match (r.status, r.effective_from) {
        (RealignmentStatus::Published, Some(d)) => d.pred_opt().unwrap_or(d),
        _ => today,
    }
}

pub async fn impact_of(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    today: NaiveDate,
) -> Result<RealignmentImpact> {
    let realignment = visible(store, principal, id).await?;
    let day = as_of(&realignment, today);
    let moving = moving_hcps(store, id, day).await?;
    let accounts = store.realignment_moved_accounts(id, day).await?;
    let touched: BTreeSet<Uuid> = moving
        .iter()
        .flat_map(|m| [m.from_territory, Some(m.to_territory)])
        .chain(accounts.iter().flat_map(|(_, f, t)| [*f, Some(*t)]))
        .flatten()
        .collect();
    let touched: Vec<Uuid> = touched
        .into_iter()
        .filter(|t| principal.scope.includes(Some(*t)))
        .collect();
    let tree = store.org_tree().await?;
    let users: HashMap<Uuid, String> = store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    let mut territories = Vec::new();
    for t in &touched {
        let Some(unit) = tree.iter().find(|u| u.id == *t) else {
            continue;
        };
        let reps = store
            .assignments_to(*t)
            .await?
            .into_iter()
            .filter(|a| a.effective.contains(today))
            .filter_map(|a| users.get(&a.user_id).cloned())
            .collect();
        territories.push((
            TerritoryRef {
                id: unit.id,
                code: unit.code.clone(),
                name: unit.name.clone(),
            },
            reps,
        ));
    }
    let (_, frequencies) = frequencies_in_force(store).await?;
    let mut per_hcp: HashMap<(Uuid, Uuid), Vec<(Uuid, pharmacrm_domain::segment::Tier)>> =
        HashMap::new();
    for (hcp, territory, segment) in store.territory_segments(&touched, day).await? {
        let entry = per_hcp.entry((hcp, territory)).or_default();
        if let Some((p, tier, _)) = segment {
            entry.push((p, tier));
        }
    }
    let population: Vec<(Uuid, Uuid, u32)> = per_hcp
        .into_iter()
        .map(|((h, t), segs)| (h, t, hcp_target(&segs, &frequencies).map_or(0, |x| x.calls)))
        .collect();
    let account_moves: Vec<(Option<Uuid>, Uuid)> =
        accounts.iter().map(|(_, f, t)| (*f, *t)).collect();
    let mut rows = impact(&territories, &population, &moving, &account_moves);
    rows.sort_by_key(|r| std::cmp::Reverse(r.hcps_out + r.hcps_in));
    // Counts are scoped like everything else: a reader outside a move does not count it.
    let sees = |from: Option<Uuid>, to: Uuid| {
        principal.scope.includes(from) || principal.scope.includes(Some(to))
    };
    let visible_moving = moving
        .iter()
        .filter(|m| sees(m.from_territory, m.to_territory))
        .count();
    let visible_accounts = accounts.iter().filter(|(_, f, t)| sees(*f, *t)).count();
    Ok(RealignmentImpact {
        realignment,
        as_of: day,
        hcps_moving: visible_moving as u32,
        accounts_moving: visible_accounts as u32,
        territories: rows,
        method: IMPACT_METHOD.to_string(),
    })
}

/// The HCPs a draft moves out of or into the reader's territories (all for ops), the most
/// valuable first, with the marks raised on them: what the field reviews.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FieldReview {
    pub realignment: Realignment,
    pub moves: Vec<MovingHcp>,
    /// Moves in scope; `moves` holds the first 1,000.
    pub moves_total: u32,
    pub marks: Vec<Mark>,
    /// Territory codes by id, for the moves shown.
    pub territories: Vec<TerritoryRef>,
}

pub async fn field_review(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    today: NaiveDate,
) -> Result<FieldReview> {
    let realignment = visible(store, principal, id).await?;
    let moving = moving_hcps(store, id, as_of(&realignment, today)).await?;
    let mut moves: Vec<MovingHcp> = moving
        .into_iter()
        .filter(|m| {
            principal.scope.includes(m.from_territory)
                || principal.scope.includes(Some(m.to_territory))
        })
        .collect();
    let moves_total = moves.len() as u32;
    moves.truncate(1000);
    let mut marks = store.realignment_marks(id).await?;
    if is_field(principal) {
        let shown: BTreeSet<Uuid> = moves.iter().map(|m| m.hcp_id).collect();
        marks.retain(|m| shown.contains(&m.hcp_id));
    }
    let ids: BTreeSet<Uuid> = moves
        .iter()
        .flat_map(|m| [m.from_territory, Some(m.to_territory)])
        .flatten()
        .collect();
    let territories = store
        .org_tree()
        .await?
        .into_iter()
        .filter(|u| ids.contains(&u.id))
        .map(|u| TerritoryRef {
            id: u.id,
            code: u.code,
            name: u.name,
        })
        .collect();
    Ok(FieldReview {
        realignment,
        moves,
        moves_total,
        marks,
        territories,
    })
}

/// A mark from the field.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MarkInput {
    pub hcp_id: Uuid,
    pub kind: MarkKind,
    pub note: String,
}

/// Marks an HCP the draft moves out of or into one of the reader's territories.
pub async fn mark(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    input: &MarkInput,
    today: NaiveDate,
) -> Result<Mark> {
    if !is_field(principal) {
        return Err(ServiceError::Forbidden(
            "field review marks come from reps and managers".into(),
        ));
    }
    let realignment = visible(store, principal, id).await?;
    let note = input.note.trim();
    if note.is_empty() {
        return Err(ValidationErrors::single("note", "say why this relationship matters").into());
    }
    let moved = store
        .realignment_moved_hcps(id, as_of(&realignment, today))
        .await?;
    let concerned = moved.iter().any(|m| {
        m.hcp_id == input.hcp_id
            && (principal.scope.includes(m.from_territory)
                || principal.scope.includes(Some(m.to_territory)))
    });
    if !concerned {
        return Err(ValidationErrors::single(
            "hcp_id",
            "this draft does not move this HCP out of or into your territory",
        )
        .into());
    }
    let mark = store
        .add_realignment_mark(
            &principal.actor(),
            id,
            principal.user.id,
            input.hcp_id,
            input.kind,
            note,
        )
        .await?;
    store
        .realignment_marks(id)
        .await?
        .into_iter()
        .find(|m| m.id == mark)
        .ok_or(ServiceError::NotFound("mark"))
}

/// How ops resolves a mark.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MarkResolution {
    pub resolution: Resolution,
    pub note: String,
}

pub async fn resolve(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    mark: Uuid,
    input: &MarkResolution,
) -> Result<Vec<Mark>> {
    ensure_ops(principal)?;
    let note = input.note.trim();
    if note.is_empty() {
        return Err(ValidationErrors::single("note", "say what was decided").into());
    }
    store
        .resolve_realignment_mark(&principal.actor(), id, mark, input.resolution, note)
        .await?;
    Ok(store.realignment_marks(id).await?)
}

pub async fn open_review(store: &Store, principal: &Principal, id: Uuid) -> Result<Realignment> {
    ensure_ops(principal)?;
    store
        .open_realignment_review(&principal.actor(), id)
        .await?;
    Ok(store.realignment(id).await?)
}

pub async fn cancel(store: &Store, principal: &Principal, id: Uuid) -> Result<Realignment> {
    ensure_ops(principal)?;
    store.cancel_realignment(&principal.actor(), id).await?;
    Ok(store.realignment(id).await?)
}

/// A publication request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Publication {
    pub effective_from: NaiveDate,
    /// Required when the date is less than 30 days ahead or not a quarter start.
    pub override_reason: Option<String>,
}

/// Publishes a draft. Every field-review mark must be resolved; the date must be 30 days
/// ahead and a quarter start unless overridden with a reason. Reps of the territories that
/// lose or gain HCPs, and the managers of their districts, get a notice.
pub async fn publish(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    input: &Publication,
    today: NaiveDate,
) -> Result<Realignment> {
    ensure_ops(principal)?;
    let issues = check_publication(
        today,
        input.effective_from,
        input.override_reason.as_deref(),
    )
    .map_err(|message| {
        let field = if message.contains("override") {
            "override_reason"
        } else {
            "effective_from"
        };
        ServiceError::from(ValidationErrors::single(field, message))
    })?;
    let realignment = store.realignment(id).await?;
    let impact = impact_of(store, principal, id, today).await?;
    let notices = notices_for(
        store,
        &realignment,
        &impact.territories,
        input.effective_from,
        today,
    )
    .await?;
    let reason = if issues.is_empty() {
        None
    } else {
        input.override_reason.as_deref().map(str::trim)
    };
    store
        .publish_realignment(
            &principal.actor(),
            id,
            input.effective_from,
            reason,
            &notices,
        )
        .await?;
    if issues.contains(&TimingIssue::ShortNotice) {
        tracing::info!(realignment = %id, "published at short notice: {}", reason.unwrap_or_default());
    }
    Ok(store.realignment(id).await?)
}

async fn notices_for(
    store: &Store,
    realignment: &Realignment,
    rows: &[TerritoryImpact],
    effective_from: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<(Uuid, String, String)>> {
    let tree = store.org_tree().await?;
    let title = format!(
        "{}: territory changes from {effective_from}",
        realignment.name
    );
    let mut by_user: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in rows
        .iter()
        .filter(|r| r.hcps_out + r.hcps_in + r.accounts_out + r.accounts_in > 0)
    {
        let mut parts = Vec::new();
        if row.hcps_out > 0 {
            parts.push(format!("{} HCP(s) leave", row.hcps_out));
        }
        if row.hcps_in > 0 {
            parts.push(format!("{} HCP(s) join", row.hcps_in));
        }
        if row.accounts_out + row.accounts_in > 0 {
            parts.push(format!(
                "{} account(s) leave, {} join",
                row.accounts_out, row.accounts_in
            ));
        }
        let key: Vec<String> = row
            .key_losses
            .iter()
            .take(3)
            .map(|m| m.name.clone())
            .collect();
        let mut line = format!(
            "{} {}: {}; target calls per cycle {} → {}",
            row.territory.code,
            row.territory.name,
            parts.join(", "),
            row.target_calls_before,
            row.target_calls_after
        );
        if !key.is_empty() {
            line.push_str(&format!(" (incl. {})", key.join(", ")));
        }
        let (district, _) = district_and_region(&tree, row.territory.id);
        for unit in [Some(row.territory.id), district].into_iter().flatten() {
            for a in store
                .assignments_to(unit)
                .await?
                .into_iter()
                .filter(|a| a.effective.contains(today) || a.effective.contains(effective_from))
            {
                by_user.entry(a.user_id).or_default().push(line.clone());
            }
        }
    }
    Ok(by_user
        .into_iter()
        .map(|(user, mut lines)| {
            lines.sort();
            lines.dedup();
            (
                user,
                title.clone(),
                format!("From {effective_from}: {}.", lines.join(". ")),
            )
        })
        .collect())
}

/// The caller's notices, newest first.
pub async fn notices(store: &Store, principal: &Principal) -> Result<Vec<Notice>> {
    Ok(store.notices_of(principal.user.id, None).await?)
}

//! Sample management use cases: the rep's sample book shipped to devices, the sample
//! mutations devices push (disbursements with calls, requests, receipts, transfers,
//! returns, losses, counts), compliance and ops configuration and oversight, and the
//! reconciliation and sample-record reports.

pub mod admin;
pub mod mutations;
pub mod reports;

use crate::auth::Principal;
use crate::{Result, ServiceError, Store};
use chrono::Duration;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::role::Role;
use pharmacrm_domain::sample::views::{Colleague, LotView, SampleBook};
use uuid::Uuid;

/// How far back the device's HCP sample history reaches (long enough for two-year
/// programmes counted from the first sample).
pub const HISTORY_DAYS: i64 = 3 * 366;

/// The sample book of a rep: inventory by lot, allocations, policy and history.
pub async fn book(store: &Store, principal: &Principal) -> Result<SampleBook> {
    let rep = principal.user.id;
    let today = store.today();
    let mut recent = store.ledger_of_rep(rep, None).await?;
    let since = store.now() - Duration::days(120);
    recent.retain(|e| e.occurred_at >= since);
    recent.reverse();
    let colleagues = sample_holders(store, None, true)
        .await?
        .into_iter()
        .filter(|c| c.id != rep)
        .collect();
    let incoming: Vec<_> = store
        .shipments(Some(rep), None, true)
        .await?
        .into_iter()
        .filter(|s| s.to_rep_id == rep)
        .collect();
    let mut lots = store.lot_views(rep).await?;
    let skus = store.sku_facts().await?;
    // Lots arriving in a shipment the rep never held yet, so the device can name them.
    for lot in store.lots().await? {
        let arriving = incoming
            .iter()
            .any(|s| s.lines.iter().any(|l| l.lot_id == lot.id));
        if arriving && !lots.iter().any(|l| l.lot_id == lot.id) {
            if let Some(sku) = skus.iter().find(|s| s.sku_id == lot.sku_id) {
                lots.push(LotView {
                    lot_id: lot.id,
                    sku_id: lot.sku_id,
                    product_id: lot.product_id,
                    product_name: sku.product_name.clone(),
                    ndc: sku.ndc.clone(),
                    strength: sku.strength.clone(),
                    lot_number: lot.lot_number,
                    expires_on: lot.expires_on,
                    on_hand: 0,
                });
            }
        }
    }
    Ok(SampleBook {
        rep_id: rep,
        lots,
        allocations: store.allocation_facts(rep).await?,
        limits: store.sample_limits().await?,
        credential_rules: store.credential_rules().await?,
        key_messages: store.key_messages().await?,
        history: store
            .sample_history_in_scope(&principal.scope, today - Duration::days(HISTORY_DAYS))
            .await?,
        incoming,
        recent,
        colleagues,
        skus,
        manufacturers: store.manufacturers().await?,
    })
}

/// The roles that hold sample inventory, from the permission table.
fn holder_roles() -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| r.may(Permission::HoldSamples))
        .collect()
}

/// Users who hold sample inventory (of `only`, when given; active ones if `active_only`).
async fn sample_holders(
    store: &Store,
    only: Option<&[Uuid]>,
    active_only: bool,
) -> Result<Vec<Colleague>> {
    Ok(store
        .users_in_roles(&holder_roles(), only, active_only)
        .await?
        .into_iter()
        .map(|u| Colleague {
            id: u.id,
            name: u.display_name,
        })
        .collect())
}

/// The reps whose samples the caller oversees, by name.
pub async fn overseen_colleagues(store: &Store, principal: &Principal) -> Result<Vec<Colleague>> {
    let reps = overseen_reps(store, principal).await?;
    sample_holders(store, reps.as_deref(), false).await
}

/// Reps whose samples the caller may oversee: `None` for everyone (compliance, ops,
/// admin), the district's reps for a manager, themselves for a rep.
pub async fn overseen_reps(store: &Store, principal: &Principal) -> Result<Option<Vec<Uuid>>> {
    if principal.may(Permission::OverseeAllSamples) {
        Ok(None)
    } else if principal.may(Permission::HoldSamples) {
        Ok(Some(vec![principal.user.id]))
    } else {
        principal.require(Permission::OverseeTeamSamples)?;
        {
            let today = store.today();
            let mut reps = Vec::new();
            for t in principal.territories(store).await? {
                for a in store.assignments_to(t.id).await? {
                    if a.effective.contains(today) {
                        reps.push(a.user_id);
                    }
                }
            }
            reps.sort();
            reps.dedup();
            Ok(Some(reps))
        }
    }
}

/// Fails unless the caller may oversee `rep_id`'s samples (out of reach reads as not found).
pub async fn ensure_overseen(store: &Store, principal: &Principal, rep_id: Uuid) -> Result<()> {
    match overseen_reps(store, principal).await? {
        None => Ok(()),
        Some(reps) if reps.contains(&rep_id) => Ok(()),
        Some(_) => Err(ServiceError::NotFound("rep")),
    }
}

/// Fails unless the caller configures sample policy (compliance, ops, admin).
pub fn ensure_policy_owner(principal: &Principal) -> Result<()> {
    principal.require(Permission::ManageSamplePolicy)
}

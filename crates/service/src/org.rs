//! Field-force changes: a rep or manager leaving or moving, effective on a date. The unit
//! they leave becomes vacant (its HCPs stay aligned to it), and every assignment is kept as
//! history of who covered what and when.

use crate::auth::Principal;
use crate::{Result, ServiceError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::org::{Effective, OrgLevel, OrgUnit, TerritoryRef};
use pharmacrm_domain::role::Role;
use pharmacrm_domain::views::User;
use pharmacrm_domain::ValidationErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Someone covering a unit over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Coverer {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub from: NaiveDate,
    /// Exclusive end; null while it lasts.
    pub to: Option<NaiveDate>,
}

/// A territory as ops see it: where it sits, who covers it now, how many HCPs it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TerritoryOverview {
    pub territory: TerritoryRef,
    pub district: Option<TerritoryRef>,
    pub region: Option<TerritoryRef>,
    /// Reps assigned today.
    pub reps: Vec<Coverer>,
    /// No rep today; the HCPs stay aligned to the territory.
    pub vacant: bool,
    /// When the last rep's assignment ended, if vacant.
    pub vacant_since: Option<NaiveDate>,
    pub hcps: i64,
}

fn unit_ref(unit: &OrgUnit) -> TerritoryRef {
    TerritoryRef {
        id: unit.id,
        code: unit.code.clone(),
        name: unit.name.clone(),
    }
}

async fn user_named(store: &Store, username: &str) -> Result<User> {
    Ok(store
        .user_credentials(username)
        .await?
        .ok_or(ServiceError::NotFound("user"))?
        .0)
}

/// Ends every assignment of `username` in force on `on` (exclusive end), leaving the units vacant.
pub async fn leave(store: &Store, actor: &Actor, username: &str, on: NaiveDate) -> Result<usize> {
    let user = user_named(store, username).await?;
    let current: Vec<_> = store
        .assignments_of(user.id)
        .await?
        .into_iter()
        .filter(|a| a.effective.contains(on) || a.effective.from >= on)
        .collect();
    if current.is_empty() {
        return Err(ValidationErrors::single(
            "username",
            format!("{username} has no assignment in force on {on}"),
        )
        .into());
    }
    for a in &current {
        if a.effective.from >= on {
            return Err(ValidationErrors::single(
                "on",
                format!(
                    "{username}'s assignment starts on {}; end it after that",
                    a.effective.from
                ),
            )
            .into());
        }
    }
    for a in &current {
        store.end_assignment(actor, a.id, on).await?;
    }
    Ok(current.len())
}

/// Moves `username` to the unit `unit_code` from `on`: their assignments end the day before
/// the move takes effect (exclusive end = `on`) and the new one starts on `on`.
pub async fn move_to(
    store: &Store,
    actor: &Actor,
    username: &str,
    unit_code: &str,
    on: NaiveDate,
) -> Result<()> {
    let user = user_named(store, username).await?;
    let wanted = match user.role {
        Role::Rep => OrgLevel::Territory,
        Role::Manager => OrgLevel::District,
        other => {
            return Err(ValidationErrors::single(
                "username",
                format!("a {other} covers every territory and is not assigned"),
            )
            .into())
        }
    };
    let unit = store
        .org_unit_by_code(unit_code)
        .await?
        .filter(|u| u.level == wanted);
    let Some(unit) = unit else {
        return Err(ValidationErrors::single(
            "unit",
            format!("'{unit_code}' is not a {}", wanted.as_str()),
        )
        .into());
    };
    if store
        .assignments_of(user.id)
        .await?
        .iter()
        .any(|a| a.effective.contains(on) && a.org_unit_id == unit.id)
    {
        return Err(ValidationErrors::single(
            "unit",
            format!("{username} already covers {unit_code} on {on}"),
        )
        .into());
    }
    if store
        .assignments_of(user.id)
        .await?
        .iter()
        .any(|a| a.effective.contains(on))
    {
        leave(store, actor, username, on).await?;
    }
    store
        .assign(actor, user.id, unit.id, Effective { from: on, to: None })
        .await?;
    Ok(())
}

/// Territories in the caller's scope with their coverage today.
pub async fn territory_overview(
    store: &Store,
    principal: &Principal,
    today: NaiveDate,
) -> Result<Vec<TerritoryOverview>> {
    let tree = store.org_tree().await?;
    let users = store.users().await?;
    let counts = store.hcp_counts_by_territory(&principal.scope).await?;
    let mut out = Vec::new();
    for territory in store.territories(&principal.scope).await? {
        let history = coverers(store, &users, territory.id).await?;
        let reps: Vec<Coverer> = history
            .iter()
            .filter(|c| {
                Effective {
                    from: c.from,
                    to: c.to,
                }
                .contains(today)
            })
            .cloned()
            .collect();
        let vacant_since = if reps.is_empty() {
            history
                .iter()
                .filter_map(|c| c.to)
                .filter(|to| *to <= today)
                .max()
        } else {
            None
        };
        let district = tree.iter().find(|u| {
            Some(u.id)
                == tree
                    .iter()
                    .find(|t| t.id == territory.id)
                    .and_then(|t| t.parent_id)
        });
        let region = district.and_then(|d| tree.iter().find(|u| Some(u.id) == d.parent_id));
        out.push(TerritoryOverview {
            hcps: counts.get(&territory.id).copied().unwrap_or(0),
            district: district.map(unit_ref),
            region: region.map(unit_ref),
            vacant: reps.is_empty(),
            vacant_since,
            reps,
            territory,
        });
    }
    Ok(out)
}

async fn coverers(store: &Store, users: &[User], unit: Uuid) -> Result<Vec<Coverer>> {
    Ok(store
        .assignments_to(unit)
        .await?
        .into_iter()
        .filter_map(|a| {
            users.iter().find(|u| u.id == a.user_id).map(|u| Coverer {
                user_id: u.id,
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                from: a.effective.from,
                to: a.effective.to,
            })
        })
        .collect())
}

/// Who covered a territory of the caller's scope, and when (oldest first).
pub async fn territory_history(
    store: &Store,
    principal: &Principal,
    territory: Uuid,
) -> Result<Vec<Coverer>> {
    if !principal.scope.includes(Some(territory))
        || !store
            .territories(&principal.scope)
            .await?
            .iter()
            .any(|t| t.id == territory)
    {
        return Err(ServiceError::NotFound("territory"));
    }
    let users = store.users().await?;
    coverers(store, &users, territory).await
}

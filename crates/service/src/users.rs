//! User administration: creating users with a hashed password and an assignment.

use crate::auth::hash_password;
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::org::{Effective, OrgLevel};
use pharmacrm_domain::role::Role;
use pharmacrm_domain::views::User;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::users::NewUser;

pub struct UserRequest {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    /// Territory code for a rep, district code for a manager.
    pub unit_code: Option<String>,
    pub from: NaiveDate,
}

pub async fn add_user(store: &Store, actor: &Actor, request: UserRequest) -> Result<User> {
    let mut errors = ValidationErrors::new();
    let username = request.username.trim().to_lowercase();
    if username.is_empty()
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
    {
        errors.add("username", "letters, digits, '.', '-' and '_' only");
    }
    if request.password.chars().count() < 4 {
        errors.add("password", "must be at least 4 characters");
    }
    let wanted = match request.role {
        Role::Rep => Some(OrgLevel::Territory),
        Role::Manager => Some(OrgLevel::District),
        _ => None,
    };
    let unit = match (&request.unit_code, wanted) {
        (Some(code), Some(level)) => match store.org_unit_by_code(code).await? {
            Some(unit) if unit.level == level => Some(unit),
            _ => {
                errors.add("unit", format!("'{code}' is not a {}", level.as_str()));
                None
            }
        },
        (None, Some(level)) => {
            errors.add(
                "unit",
                format!("a {} needs a {}", request.role, level.as_str()),
            );
            None
        }
        (Some(_), None) => {
            errors.add(
                "unit",
                format!("a {} covers every territory; give no unit", request.role),
            );
            None
        }
        (None, None) => None,
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let new = NewUser {
        id: pharmacrm_domain::new_id(),
        username,
        display_name: request.display_name.trim().to_string(),
        role: request.role,
        password_hash: hash_password(&request.password)?,
    };
    let user = store.insert_user(actor, &new).await?;
    if let Some(unit) = unit {
        store
            .assign(
                actor,
                user.id,
                unit.id,
                Effective {
                    from: request.from,
                    to: None,
                },
            )
            .await?;
    }
    Ok(user)
}

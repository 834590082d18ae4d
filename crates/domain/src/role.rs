//! User roles. What each may do is the permission table (`permission`); which records it
//! sees is its scope (`access`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Rep,
    Manager,
    Ops,
    Marketing,
    Compliance,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Rep,
        Role::Manager,
        Role::Ops,
        Role::Marketing,
        Role::Compliance,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
            Role::Ops => "ops",
            Role::Marketing => "marketing",
            Role::Compliance => "compliance",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

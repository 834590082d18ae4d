//! What the audit log records about a change: who made it, to what, and the state before
//! and after. The log is append-only; storage writes an entry in the same transaction as
//! the change it describes.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who makes a change: a signed-in user, or a named process (an import, the demo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub name: String,
}

impl Actor {
    pub fn user(id: Uuid, username: &str) -> Self {
        Self {
            user_id: Some(id),
            name: username.to_string(),
        }
    }

    pub fn system(name: &str) -> Self {
        Self {
            user_id: None,
            name: name.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
        }
    }
}

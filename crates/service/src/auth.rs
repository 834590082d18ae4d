//! Authentication: argon2id password hashes, and opaque session tokens of which only the
//! SHA-256 digest is stored. A signed-in [`Principal`] carries the scope every read uses.

use crate::{Result, ServiceError, Store};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::org::TerritoryRef;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::views::User;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a session lasts without signing in again.
pub const SESSION_HOURS: i64 = 12;

/// The signed-in user, with what they may see.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub scope: Scope,
}

impl Principal {
    /// Fails with `forbidden` unless the user's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.may(permission) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "a {} user cannot {}",
                self.user.role,
                permission.action()
            )))
        }
    }

    /// Whether the user's role grants `permission` (the table in `domain::permission`).
    pub fn may(&self, permission: Permission) -> bool {
        self.user.role.may(permission)
    }

    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }

    /// The territories whose data this user sees.
    pub async fn territories(&self, store: &Store) -> Result<Vec<TerritoryRef>> {
        Ok(store.territories(&self.scope).await?)
    }
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("hashing password: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn digest(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new session: the token to hand to the client and when it expires.
pub struct Session {
    pub token: String,
    pub expires_at: String,
    pub principal: Principal,
}

pub async fn login(store: &Store, username: &str, password: &str) -> Result<Session> {
    let found = store.user_credentials(username.trim()).await?;
    let Some((user, hash)) = found.filter(|(u, _)| u.active) else {
        // Spend the same time as a real check so usernames cannot be probed by timing.
        let _ = verify_password(password, dummy_hash());
        return Err(ServiceError::InvalidCredentials);
    };
    if !verify_password(password, &hash) {
        return Err(ServiceError::InvalidCredentials);
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let expires_at =
        pharmacrm_storage::timestamp_text(store.now() + Duration::hours(SESSION_HOURS));
    store.purge_expired_sessions().await?;
    store
        .insert_session(&digest(&token), user.id, &expires_at)
        .await?;
    let scope = store.scope_of(user.id, user.role).await?;
    tracing::info!(user = %user.username, role = %user.role, "signed in");
    Ok(Session {
        token,
        expires_at,
        principal: Principal { user, scope },
    })
}

/// The principal holding `token`, with their scope as of now.
pub async fn authenticate(store: &Store, token: &str) -> Result<Principal> {
    let user = store
        .session_user(&digest(token))
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    let scope = store.scope_of(user.id, user.role).await?;
    Ok(Principal { user, scope })
}

pub async fn logout(store: &Store, token: &str) -> Result<()> {
    Ok(store.delete_session(&digest(token)).await?)
}

/// A hash to verify against when the username is unknown, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a password anyone has").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("demo").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("demo", &hash));
        assert!(!verify_password("Demo", &hash));
        assert!(!verify_password("demo", "not a hash"));
        assert!(PasswordHash::new(dummy_hash()).is_ok());
    }

    #[test]
    fn tokens_are_stored_as_digests() {
        assert_eq!(digest("abc").len(), 64);
        assert_ne!(digest("abc"), digest("abd"));
    }
}

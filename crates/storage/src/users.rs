//! Users and their sessions. Passwords arrive here already hashed (argon2id, in the
//! service layer); session tokens arrive as their SHA-256 digest, never in clear.

use crate::audit::record;
use crate::sql::{get_bool, get_str, get_uuid, stmt, unique_violation, Sql};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::role::Role;
use pharmacrm_domain::views::User;
use uuid::Uuid;

/// A user to create; `password_hash` is a PHC string.
pub struct NewUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

const USER_COLUMNS: &str = "id, username, display_name, role, active, password_hash";

fn user_from(row: &sqlx::any::AnyRow) -> Result<User> {
    let role = get_str(row, "role")?;
    Ok(User {
        id: get_uuid(row, "id")?,
        username: get_str(row, "username")?,
        display_name: get_str(row, "display_name")?,
        role: Role::parse(&role).ok_or_else(|| StorageError::corrupt("users.role", &role))?,
        active: get_bool(row, "active")?,
    })
}

impl Store {
    pub async fn insert_user(&self, actor: &Actor, user: &NewUser) -> Result<User> {
        let created = User {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            active: true,
        };
        let mut tx = self.pool().begin().await?;
        stmt(
            "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                user.id.into(),
                user.username.clone().into(),
                user.display_name.clone().into(),
                user.role.as_str().into(),
                user.password_hash.clone().into(),
                true.into(),
                self.now_timestamp().into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, Code::Duplicate, "user", "username", &user.username))?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "user",
            user.id,
            AuditAction::Create,
            None,
            Some(&created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The user and their password hash, for sign-in.
    pub async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let mut sql = Sql::new(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = "
        ));
        sql.bind(username);
        match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some((user_from(&row)?, get_str(&row, "password_hash")?))),
            None => Ok(None),
        }
    }

    pub async fn user(&self, id: Uuid) -> Result<Option<User>> {
        let mut sql = Sql::new(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = "));
        sql.bind(id);
        sql.query()
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(user_from)
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user_from).collect()
    }

    /// Users holding one of `roles` (active ones only if `active_only`), limited to `only`
    /// when given, by name.
    pub async fn users_in_roles(
        &self,
        roles: &[Role],
        only: Option<&[Uuid]>,
        active_only: bool,
    ) -> Result<Vec<User>> {
        let mut sql = Sql::new(&format!("SELECT {USER_COLUMNS} FROM users WHERE role IN "));
        sql.bind_list(roles.iter().map(|r| r.as_str()));
        if active_only {
            sql.push(" AND active = ").bind(true);
        }
        if let Some(ids) = only {
            sql.push(" AND id IN ").bind_list(ids.iter().copied());
        }
        sql.push(" ORDER BY display_name, id");
        let rows = sql.query().fetch_all(self.pool()).await?;
        rows.iter().map(user_from).collect()
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        expires_at: &str,
    ) -> Result<()> {
        stmt(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            vec![token_hash.into(), user_id.into(), self.now_timestamp().into(), expires_at.into()],
        )
        .query()
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The active user holding an unexpired session with this token digest.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        let mut sql = Sql::new(
            "SELECT u.id, u.username, u.display_name, u.role, u.active, u.password_hash FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = ",
        );
        sql.bind(token_hash)
            .push(" AND s.expires_at > ")
            .bind(self.now_timestamp());
        let user = sql
            .query()
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(user_from)
            .transpose()?;
        Ok(user.filter(|u| u.active))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        stmt(
            "DELETE FROM sessions WHERE token_hash = $1",
            vec![token_hash.into()],
        )
        .query()
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self) -> Result<u64> {
        let done = stmt(
            "DELETE FROM sessions WHERE expires_at <= $1",
            vec![self.now_timestamp().into()],
        )
        .query()
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }
}

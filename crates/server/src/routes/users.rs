//! User administration endpoints (admin only).

use crate::extract::Auth;
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::views::User;

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = [User]), (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<User>>, ApiError> {
    auth.principal.require(Permission::ManageUsers)?;
    Ok(Json(state.store.users().await?))
}

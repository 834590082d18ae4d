//! User administration endpoints (admin only).

use crate::extract::Auth;
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pharmacrm_domain::views::User;

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = [User]), (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<User>>, ApiError> {
    if !auth.principal.user.role.may_manage_users() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only an admin can list users",
        ));
    }
    Ok(Json(state.store.users().await?))
}

//! Sign-in, sign-out and who am I.

use crate::extract::{ApiJson, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pharmacrm_domain::org::TerritoryRef;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::role::Role;
use pharmacrm_service::auth::{self as service, Principal};
use pharmacrm_storage::Store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in user and the territories whose data they see.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// What the user may do (the server's permission table); the web app shows actions by
    /// these, never by role.
    pub permissions: Vec<Permission>,
    pub territories: Vec<TerritoryRef>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: String,
    pub user: Me,
}

async fn me_of(store: &Store, principal: &Principal) -> Result<Me, ApiError> {
    Ok(Me {
        id: principal.user.id,
        username: principal.user.username.clone(),
        display_name: principal.user.display_name.clone(),
        role: principal.user.role,
        permissions: principal.user.role.permissions().to_vec(),
        territories: principal.territories(store).await?,
    })
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let session = service::login(&state.store, &body.username, &body.password).await?;
    let user = me_of(&state.store, &session.principal).await?;
    Ok(Json(LoginResponse {
        token: session.token,
        expires_at: session.expires_at,
        user,
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<AppState>, auth: Auth) -> Result<StatusCode, ApiError> {
    service::logout(&state.store, &auth.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, auth: Auth) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&state.store, &auth.principal).await?))
}

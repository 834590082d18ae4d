//! Operations endpoints: liveness with a database check and the OpenAPI document
//! (`/metrics` is `crate::metrics::router`, guarded by its token).

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use pharmacrm_domain::code::Code;

pub async fn healthz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    sqlx::query("SELECT 1")
        .execute(state.store.pool())
        .await
        .map_err(|e| ApiError::new(Code::DatabaseUnavailable, e.to_string()))?;
    Ok("ok")
}

pub async fn openapi_document() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}

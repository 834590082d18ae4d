//! Commercial-ops self-service: CSV uploads (the same importers as the CLI) and frequency
//! targets. Ops and admin only.

use crate::extract::Auth;
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use pharmacrm_domain::call::FrequencyTarget;
use pharmacrm_domain::role::Role;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_service::import::{self, ImportReport};
use serde::Deserialize;
use utoipa::ToSchema;

/// Largest CSV upload.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

fn ops_only(auth: &Auth) -> Result<(), ApiError> {
    match auth.principal.user.role {
        Role::Ops | Role::Admin => Ok(()),
        _ => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "only ops and admin change master data in bulk")),
    }
}

#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "hcps, accounts, alignment, segments or specialties")),
    request_body(content = String, content_type = "text/csv", description = "The file, header row first (layouts in the README)"),
    security(("bearer" = [])),
    responses((status = 200, description = "Every row accounted for: created, updated, unchanged or rejected with line, field and reason", body = ImportReport),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(State(state): State<AppState>, auth: Auth, Path(kind): Path<String>, body: Bytes) -> Result<Json<ImportReport>, ApiError> {
    ops_only(&auth)?;
    let actor = auth.principal.actor();
    let store = &state.store;
    let none = |_: usize, _: usize| {};
    let reader = body.as_ref();
    let report = match kind.as_str() {
        "hcps" => import::import_hcps(store, &actor, reader, &none).await?,
        "accounts" => import::import_accounts(store, &actor, reader, &none).await?,
        "alignment" => import::import_alignment(store, &actor, reader, &none).await?,
        "segments" => import::import_segments(store, &actor, reader, &none).await?,
        "specialties" => import::import_specialties(store, &actor, reader).await?,
        _ => return Err(ApiError::not_found("import kind")),
    };
    if report.created + report.updated > 0 {
        let _ = state.pokes.send(());
    }
    Ok(Json(report))
}

#[utoipa::path(get, path = "/api/v1/targets", tag = "imports", security(("bearer" = [])),
    responses((status = 200, body = [FrequencyTarget]), (status = 401, body = Problem)))]
pub async fn list_targets(State(state): State<AppState>, _auth: Auth) -> Result<Json<Vec<FrequencyTarget>>, ApiError> {
    Ok(Json(state.store.frequency_targets(None).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TargetChange {
    pub calls_per_month: u32,
}

#[utoipa::path(put, path = "/api/v1/targets/{tier}", tag = "imports", params(("tier" = String, Path, description = "A, B or C")),
    request_body = TargetChange, security(("bearer" = [])),
    responses((status = 200, body = [FrequencyTarget]), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_target(
    State(state): State<AppState>,
    auth: Auth,
    Path(tier): Path<String>,
    crate::extract::ApiJson(change): crate::extract::ApiJson<TargetChange>,
) -> Result<Json<Vec<FrequencyTarget>>, ApiError> {
    ops_only(&auth)?;
    let tier = Tier::parse(&tier).map_err(|e| ApiError::invalid(ValidationErrors::single("tier", e)))?;
    if change.calls_per_month > 31 {
        return Err(ApiError::invalid(ValidationErrors::single("calls_per_month", "at most 31 calls per month")));
    }
    state.store.set_frequency_target(&auth.principal.actor(), tier, change.calls_per_month).await?;
    let _ = state.pokes.send(());
    Ok(Json(state.store.frequency_targets(None).await?))
}

//! HCP endpoints: list and search, profile, create, CSV export. Every read passes the
//! caller's scope to storage, so out-of-scope HCPs are simply not found.

use super::parse_id;
use crate::extract::{ApiJson, ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use pharmacrm_domain::call::Call;
use pharmacrm_domain::hcp::{HcpInput, HcpStatus};
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::views::{Hcp, HcpPage};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_service::hcps as service;
use pharmacrm_storage::hcps::HcpFilter;
use pharmacrm_storage::page;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HcpQuery {
    /// Words that must all appear in the name or NPI.
    pub q: Option<String>,
    /// NUCC taxonomy code.
    pub specialty: Option<String>,
    /// A, B or C: holds this tier for at least one product.
    pub tier: Option<String>,
    pub city: Option<String>,
    /// Territory id.
    pub territory: Option<Uuid>,
    /// active, retired or deceased.
    pub status: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1-200 (default 50).
    pub limit: Option<i64>,
}

fn blank(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl HcpQuery {
    fn filter(&self) -> Result<HcpFilter, ApiError> {
        let mut errors = ValidationErrors::new();
        let tier = blank(&self.tier).and_then(|t| errors.check("tier", Tier::parse(&t)));
        let status = blank(&self.status).and_then(|s| errors.check("status", HcpStatus::parse(&s)));
        if !errors.is_empty() {
            return Err(ApiError::invalid(errors));
        }
        Ok(HcpFilter {
            q: blank(&self.q),
            specialty: blank(&self.specialty),
            tier,
            city: blank(&self.city),
            territory: self.territory,
            status,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/hcps", tag = "hcps", params(HcpQuery), security(("bearer" = [])),
    responses((status = 200, body = HcpPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_hcps(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<HcpQuery>,
) -> Result<Json<HcpPage>, ApiError> {
    let filter = query.filter()?;
    let limit = page::limit(query.limit).map_err(ApiError::invalid)?;
    let cursor = blank(&query.cursor);
    Ok(Json(
        state
            .store
            .hcp_page(&auth.principal.scope, &filter, cursor.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/hcps/{id}", tag = "hcps", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Hcp), (status = 404, body = Problem)))]
pub async fn get_hcp(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Hcp>, ApiError> {
    let id = parse_id(&id, "HCP")?;
    state
        .store
        .hcp(&auth.principal.scope, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("HCP"))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateQuery {
    /// The caller saw the likely duplicates and says this is a different person.
    pub confirmed_different: Option<bool>,
}

/// Creates an HCP: a steward's goes into master data (409 `likely_duplicate` when the
/// matcher is sure it exists, unless confirmed different); a rep's or manager's is a
/// proposal for the data stewards, usable at once (or linked to the HCP it matches).
#[utoipa::path(post, path = "/api/v1/hcps", tag = "hcps", params(CreateQuery), request_body = HcpInput, security(("bearer" = [])),
    responses((status = 201, body = Hcp), (status = 400, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_hcp(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<CreateQuery>,
    ApiJson(input): ApiJson<HcpInput>,
) -> Result<(StatusCode, Json<Hcp>), ApiError> {
    let hcp = service::create_hcp(
        &state.store,
        &auth.principal,
        &input,
        query.confirmed_different.unwrap_or(false),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(hcp)))
}

#[utoipa::path(get, path = "/api/v1/hcps/export", tag = "hcps", params(HcpQuery), security(("bearer" = [])),
    responses((status = 200, description = "CSV in the import layout plus territory_code", content_type = "text/csv", body = String)))]
pub async fn export_hcps(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<HcpQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let filter = query.filter()?;
    let mut out = Vec::new();
    service::export_hcps(&state.store, &auth.principal.scope, &filter, &mut out).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hcps.csv\"",
            ),
        ],
        out,
    ))
}

#[utoipa::path(get, path = "/api/v1/hcps/{id}/calls", tag = "hcps", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Call]), (status = 404, body = Problem)))]
pub async fn hcp_calls(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<Call>>, ApiError> {
    let id = parse_id(&id, "HCP")?;
    let scope = &auth.principal.scope;
    if state.store.hcp(scope, id).await?.is_none() {
        return Err(ApiError::not_found("HCP"));
    }
    Ok(Json(state.store.calls_of_hcp(scope, id).await?))
}

/// A do-not-call flag to set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DoNotCallChange {
    /// Why the HCP must not be called (kept with who set it and when).
    pub reason: String,
}

#[utoipa::path(put, path = "/api/v1/hcps/{id}/do-not-call", tag = "hcps", params(("id" = Uuid, Path)), request_body = DoNotCallChange,
    security(("bearer" = [])),
    responses((status = 200, body = Hcp), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn flag_do_not_call(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<DoNotCallChange>,
) -> Result<Json<Hcp>, ApiError> {
    let id = parse_id(&id, "HCP")?;
    if change.reason.trim().is_empty() {
        return Err(ApiError::invalid(ValidationErrors::single(
            "reason",
            "is required",
        )));
    }
    let hcp =
        service::set_do_not_call(&state.store, &auth.principal, id, Some(&change.reason)).await?;
    Ok(Json(hcp))
}

#[utoipa::path(delete, path = "/api/v1/hcps/{id}/do-not-call", tag = "hcps", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Hcp), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn clear_do_not_call(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Hcp>, ApiError> {
    let id = parse_id(&id, "HCP")?;
    let hcp = service::set_do_not_call(&state.store, &auth.principal, id, None).await?;
    Ok(Json(hcp))
}

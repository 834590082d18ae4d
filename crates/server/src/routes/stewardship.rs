//! HCP master data governance: the at-creation duplicate check, reps' proposals (new HCPs
//! and changes), the data stewards' request queue, candidate duplicate pairs, merges and
//! their undo, the matching model, and data completeness monitoring.

use super::parse_id;
use crate::extract::{ApiJson, ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use pharmacrm_domain::completeness::CompletenessReport;
use pharmacrm_domain::matching::model::Thresholds;
use pharmacrm_domain::matching::MatchRecord;
use pharmacrm_domain::org::OrgLevel;
use pharmacrm_domain::stewardship::RequestStatus;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_service::matching::{
    self, DuplicatePair, MatchCheck, MatchingModel, Merge, MergeInput, ScanReport,
};
use pharmacrm_service::stewardship::{self, ChangeProposal, DataRequest, Decision, HcpProposal};
use serde::Deserialize;
use utoipa::IntoParams;

#[utoipa::path(post, path = "/api/v1/hcps/matches", tag = "stewardship", request_body = MatchRecord, security(("bearer" = [])),
    responses((status = 200, description = "Likely existing HCPs the caller may see, and whether one exists elsewhere", body = MatchCheck),
        (status = 422, body = Problem)))]
pub async fn match_hcp(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(record): ApiJson<MatchRecord>,
) -> Result<Json<MatchCheck>, ApiError> {
    Ok(Json(
        matching::check(&state.store, &auth.principal, &record).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/hcp-proposals", tag = "stewardship", request_body = HcpProposal, security(("bearer" = [])),
    responses((status = 201, body = DataRequest), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn propose_hcp(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(p): ApiJson<HcpProposal>,
) -> Result<(StatusCode, Json<DataRequest>), ApiError> {
    let request = stewardship::propose_hcp(&state.store, &auth.principal, &p).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

#[utoipa::path(post, path = "/api/v1/hcp-changes", tag = "stewardship", request_body = ChangeProposal, security(("bearer" = [])),
    responses((status = 201, body = DataRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn propose_hcp_change(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(p): ApiJson<ChangeProposal>,
) -> Result<(StatusCode, Json<DataRequest>), ApiError> {
    let request = stewardship::propose_change(&state.store, &auth.principal, &p).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// Data requests: pending, approved, rejected or merged. Pairs: open, merged or dismissed.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/data-requests", tag = "stewardship", params(StatusQuery), security(("bearer" = [])),
    responses((status = 200, description = "Stewards: all; others: their own", body = [DataRequest]), (status = 422, body = Problem)))]
pub async fn list_data_requests(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> Result<Json<Vec<DataRequest>>, ApiError> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            RequestStatus::parse(s)
                .map_err(|e| ApiError::invalid(ValidationErrors::single("status", e)))?,
        ),
        None => None,
    };
    Ok(Json(
        stewardship::requests(&state.store, &auth.principal, status).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/data-requests/{id}/approve", tag = "stewardship", params(("id" = Uuid, Path)), request_body = Decision,
    security(("bearer" = [])),
    responses((status = 200, body = DataRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn approve_data_request(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<Json<DataRequest>, ApiError> {
    let id = parse_id(&id, "data request")?;
    let request = stewardship::approve(&state.store, &auth.principal, id, &d).await?;
    Ok(Json(request))
}

#[utoipa::path(post, path = "/api/v1/data-requests/{id}/reject", tag = "stewardship", params(("id" = Uuid, Path)), request_body = Decision,
    security(("bearer" = [])),
    responses((status = 200, body = DataRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reject_data_request(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<Json<DataRequest>, ApiError> {
    let id = parse_id(&id, "data request")?;
    let request = stewardship::reject(&state.store, &auth.principal, id, &d).await?;
    Ok(Json(request))
}

#[utoipa::path(get, path = "/api/v1/duplicates", tag = "stewardship", params(StatusQuery), security(("bearer" = [])),
    responses((status = 200, body = [DuplicatePair]), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_duplicates(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> Result<Json<Vec<DuplicatePair>>, ApiError> {
    let status = q
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("open");
    Ok(Json(
        matching::pairs(&state.store, &auth.principal, Some(status)).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/duplicates/scan", tag = "stewardship", security(("bearer" = [])),
    responses((status = 200, body = ScanReport), (status = 403, body = Problem)))]
pub async fn scan_duplicates(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<ScanReport>, ApiError> {
    Ok(Json(matching::scan(&state.store, &auth.principal).await?))
}

#[utoipa::path(post, path = "/api/v1/duplicates/{id}/dismiss", tag = "stewardship", params(("id" = Uuid, Path)), request_body = Decision,
    security(("bearer" = [])),
    responses((status = 204, description = "Marked not a duplicate"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn dismiss_duplicate(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id, "duplicate pair")?;
    matching::dismiss(&state.store, &auth.principal, id, d.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/merges", tag = "stewardship", security(("bearer" = [])),
    responses((status = 200, body = [Merge]), (status = 403, body = Problem)))]
pub async fn list_merges(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Merge>>, ApiError> {
    Ok(Json(matching::merges(&state.store, &auth.principal).await?))
}

#[utoipa::path(post, path = "/api/v1/merges", tag = "stewardship", request_body = MergeInput, security(("bearer" = [])),
    responses((status = 201, body = Merge), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn merge_hcps(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<MergeInput>,
) -> Result<(StatusCode, Json<Merge>), ApiError> {
    let merge = matching::merge(&state.store, &auth.principal, &input).await?;
    Ok((StatusCode::CREATED, Json(merge)))
}

#[utoipa::path(post, path = "/api/v1/merges/{id}/undo", tag = "stewardship", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Merge), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo_merge(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Merge>, ApiError> {
    let id = parse_id(&id, "merge")?;
    let merge = matching::undo(&state.store, &auth.principal, id).await?;
    Ok(Json(merge))
}

#[utoipa::path(get, path = "/api/v1/matching", tag = "stewardship", security(("bearer" = [])),
    responses((status = 200, body = MatchingModel), (status = 403, body = Problem)))]
pub async fn matching_model(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<MatchingModel>, ApiError> {
    Ok(Json(matching::model(&state.store, &auth.principal).await?))
}

#[utoipa::path(put, path = "/api/v1/matching/thresholds", tag = "stewardship", request_body = Thresholds, security(("bearer" = [])),
    responses((status = 200, body = MatchingModel), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_matching_thresholds(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(t): ApiJson<Thresholds>,
) -> Result<Json<MatchingModel>, ApiError> {
    Ok(Json(
        matching::set_thresholds(&state.store, &auth.principal, t).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/matching/estimate", tag = "stewardship", security(("bearer" = [])),
    responses((status = 200, body = MatchingModel), (status = 403, body = Problem)))]
pub async fn estimate_matching(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<MatchingModel>, ApiError> {
    Ok(Json(
        matching::estimate_as(&state.store, &auth.principal).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompletenessQuery {
    /// territory (default), district or region.
    pub level: Option<String>,
    /// Months up to and including this one (default 6, at most 24).
    pub months: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/reports/completeness", tag = "reports", params(CompletenessQuery), security(("bearer" = [])),
    responses((status = 200, body = CompletenessReport), (status = 422, body = Problem)))]
pub async fn completeness_report(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CompletenessQuery>,
) -> Result<Json<CompletenessReport>, ApiError> {
    let level = match q.level.as_deref().map(str::trim).unwrap_or("territory") {
        "" | "territory" => OrgLevel::Territory,
        "district" => OrgLevel::District,
        "region" => OrgLevel::Region,
        other => {
            return Err(ApiError::invalid(ValidationErrors::single(
                "level",
                format!("'{other}' is not territory, district or region"),
            )))
        }
    };
    Ok(Json(
        pharmacrm_service::completeness::report(
            &state.store,
            &auth.principal,
            level,
            q.months.unwrap_or(6),
        )
        .await?,
    ))
}

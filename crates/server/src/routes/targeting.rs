//! Targeting versions: ops create a draft, upload segmentation into it, set calls per cycle
//! per product x tier and publish it with an effective date; earlier versions stay readable.
//! The frequency targets in force are read by everyone (the field app plans on them).

use crate::extract::{ApiJson, ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use pharmacrm_domain::targeting::{
    FrequencyTarget, TargetingVersion, VersionFrequency, VersionSegment,
};
use pharmacrm_service::import::ImportReport;
use pharmacrm_service::targeting::{self as service, SegmentInput, VersionInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/targets", tag = "targeting", security(("bearer" = [])),
    responses((status = 200, description = "Calls per plan cycle per product x tier, in force", body = [FrequencyTarget]), (status = 401, body = Problem)))]
pub async fn list_targets(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<FrequencyTarget>>, ApiError> {
    Ok(Json(state.store.frequency_targets(None).await?))
}

#[utoipa::path(get, path = "/api/v1/targeting/versions", tag = "targeting", security(("bearer" = [])),
    responses((status = 200, description = "Every version, newest first", body = [TargetingVersion]), (status = 403, body = Problem)))]
pub async fn list_targeting_versions(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<TargetingVersion>>, ApiError> {
    service::ensure_targeting_reader(&auth.principal)?;
    Ok(Json(state.store.targeting_versions().await?))
}

#[utoipa::path(post, path = "/api/v1/targeting/versions", tag = "targeting", request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, description = "A draft whose frequencies start as those in force", body = TargetingVersion), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_targeting_version(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<VersionInput>,
) -> Result<Json<TargetingVersion>, ApiError> {
    Ok(Json(
        service::create(&state.store, &auth.principal, &input).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/targeting/versions/{id}", tag = "targeting", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = TargetingVersion), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_targeting_version(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<TargetingVersion>, ApiError> {
    service::ensure_targeting_reader(&auth.principal)?;
    Ok(Json(state.store.targeting_version(id).await?))
}

#[utoipa::path(put, path = "/api/v1/targeting/versions/{id}", tag = "targeting", params(("id" = Uuid, Path)), request_body = VersionInput, security(("bearer" = [])),
    responses((status = 200, body = TargetingVersion), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_targeting_version(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<VersionInput>,
) -> Result<Json<TargetingVersion>, ApiError> {
    Ok(Json(
        service::update(&state.store, &auth.principal, id, &input).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/targeting/versions/{id}/frequencies", tag = "targeting", params(("id" = Uuid, Path)),
    request_body = [VersionFrequency], security(("bearer" = [])),
    responses((status = 200, body = TargetingVersion), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_targeting_frequencies(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(rows): ApiJson<Vec<VersionFrequency>>,
) -> Result<Json<TargetingVersion>, ApiError> {
    Ok(Json(
        service::set_frequencies(&state.store, &auth.principal, id, &rows).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SegmentPage {
    #[serde(default)]
    pub offset: i64,
    /// At most 500; default 100.
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/targeting/versions/{id}/segments", tag = "targeting", params(("id" = Uuid, Path), SegmentPage), security(("bearer" = [])),
    responses((status = 200, description = "The segmentation rows this version sets, by HCP name", body = [VersionSegment]), (status = 403, body = Problem)))]
pub async fn list_targeting_segments(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiQuery(page): ApiQuery<SegmentPage>,
) -> Result<Json<Vec<VersionSegment>>, ApiError> {
    service::ensure_targeting_reader(&auth.principal)?;
    state.store.targeting_version(id).await?;
    Ok(Json(
        state
            .store
            .targeting_version_segments(
                id,
                page.offset.max(0),
                page.limit.unwrap_or(100).clamp(1, 500),
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/targeting/versions/{id}/segments", tag = "targeting", params(("id" = Uuid, Path)),
    request_body(content = String, content_type = "text/csv", description = "npi,product,tier,decile (tier blank: from the decile)"),
    security(("bearer" = [])),
    responses((status = 200, description = "Every row accounted for", body = ImportReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_targeting_segments(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let none = |_: usize, _: usize| {};
    Ok(Json(
        service::upload_segments(&state.store, &auth.principal, id, body.as_ref(), &none).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/targeting/versions/{id}/segments", tag = "targeting", params(("id" = Uuid, Path)),
    request_body = [SegmentInput], security(("bearer" = [])),
    responses((status = 200, description = "Rows created and updated in the draft", body = ImportReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_targeting_segments(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(rows): ApiJson<Vec<SegmentInput>>,
) -> Result<Json<ImportReport>, ApiError> {
    let (created, updated) =
        service::put_segments(&state.store, &auth.principal, id, &rows).await?;
    Ok(Json(ImportReport {
        rows: rows.len(),
        created,
        updated,
        ..Default::default()
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VersionPublication {
    /// Today or later; today brings it into force at once.
    pub effective_from: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/targeting/versions/{id}/publish", tag = "targeting", params(("id" = Uuid, Path)), request_body = VersionPublication,
    security(("bearer" = [])),
    responses((status = 200, body = TargetingVersion), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn publish_targeting_version(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<VersionPublication>,
) -> Result<Json<TargetingVersion>, ApiError> {
    let version = service::publish(
        &state.store,
        &auth.principal,
        id,
        input.effective_from,
        state.store.today(),
    )
    .await?;
    Ok(Json(version))
}

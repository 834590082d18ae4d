//! Realignment cycles: ops draft ZIP moves and account overrides (edited or uploaded), see
//! the impact, open the draft for field review, resolve the field's marks and publish with
//! an effective date; reps and managers review and mark; everyone reads their notices.

use crate::extract::{ApiJson, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use pharmacrm_domain::realignment::{Mark, Notice, Realignment};
use pharmacrm_service::import::ImportReport;
use pharmacrm_service::realignment::{
    self as service, DraftLines, FieldReview, LineKeys, MarkInput, MarkResolution, Publication,
    RealignmentImpact,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/realignments", tag = "realignment", security(("bearer" = [])),
    responses((status = 200, description = "Ops: all; reps and managers: those in review or published", body = [Realignment])))]
pub async fn list_realignments(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Realignment>>, ApiError> {
    Ok(Json(service::list(&state.store, &auth.principal).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewRealignment {
    pub name: String,
}

#[utoipa::path(post, path = "/api/v1/realignments", tag = "realignment", request_body = NewRealignment, security(("bearer" = [])),
    responses((status = 200, body = Realignment), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_realignment(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<NewRealignment>,
) -> Result<Json<Realignment>, ApiError> {
    Ok(Json(
        service::create(&state.store, &auth.principal, &input.name).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/realignments/{id}", tag = "realignment", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Realignment), (status = 404, body = Problem)))]
pub async fn get_realignment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<Realignment>, ApiError> {
    Ok(Json(service::get(&state.store, &auth.principal, id).await?))
}

#[utoipa::path(get, path = "/api/v1/realignments/{id}/lines", tag = "realignment", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = DraftLines), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn realignment_lines(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<DraftLines>, ApiError> {
    Ok(Json(
        service::lines(&state.store, &auth.principal, id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/realignments/{id}/lines", tag = "realignment", params(("id" = Uuid, Path)), request_body = DraftLines,
    security(("bearer" = [])),
    responses((status = 200, body = DraftLines), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_realignment_lines(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<DraftLines>,
) -> Result<Json<DraftLines>, ApiError> {
    Ok(Json(
        service::put_lines(&state.store, &auth.principal, id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/realignments/{id}/lines", tag = "realignment", params(("id" = Uuid, Path)), request_body = LineKeys,
    security(("bearer" = [])),
    responses((status = 200, body = DraftLines), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn remove_realignment_lines(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<LineKeys>,
) -> Result<Json<DraftLines>, ApiError> {
    Ok(Json(
        service::remove_lines(&state.store, &auth.principal, id, &input).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/realignments/{id}/upload", tag = "realignment", params(("id" = Uuid, Path)),
    request_body(content = String, content_type = "text/csv", description = "zip,account_external_id,territory_code (a ZIP or an account per row)"),
    security(("bearer" = [])),
    responses((status = 200, description = "Every row accounted for", body = ImportReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_realignment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(
        service::upload(&state.store, &auth.principal, id, body.as_ref()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/realignments/{id}/impact", tag = "realignment", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = RealignmentImpact), (status = 404, body = Problem)))]
pub async fn realignment_impact(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<RealignmentImpact>, ApiError> {
    Ok(Json(
        service::impact_of(&state.store, &auth.principal, id, state.store.today()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/realignments/{id}/review", tag = "realignment", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, description = "HCPs moving out of or into the caller's territories, with marks", body = FieldReview), (status = 404, body = Problem)))]
pub async fn realignment_review(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<FieldReview>, ApiError> {
    Ok(Json(
        service::field_review(&state.store, &auth.principal, id, state.store.today()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/realignments/{id}/review", tag = "realignment", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Opened for field review", body = Realignment), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn open_realignment_review(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<Realignment>, ApiError> {
    Ok(Json(
        service::open_review(&state.store, &auth.principal, id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/realignments/{id}/marks", tag = "realignment", params(("id" = Uuid, Path)), request_body = MarkInput,
    security(("bearer" = [])),
    responses((status = 200, body = Mark), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_realignment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<MarkInput>,
) -> Result<Json<Mark>, ApiError> {
    Ok(Json(
        service::mark(
            &state.store,
            &auth.principal,
            id,
            &input,
            state.store.today(),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/realignments/{id}/marks/{mark}/resolve", tag = "realignment", params(("id" = Uuid, Path), ("mark" = Uuid, Path)),
    request_body = MarkResolution, security(("bearer" = [])),
    responses((status = 200, body = [Mark]), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve_realignment_mark(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, mark)): Path<(Uuid, Uuid)>,
    ApiJson(input): ApiJson<MarkResolution>,
) -> Result<Json<Vec<Mark>>, ApiError> {
    Ok(Json(
        service::resolve(&state.store, &auth.principal, id, mark, &input).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/realignments/{id}/publish", tag = "realignment", params(("id" = Uuid, Path)), request_body = Publication,
    security(("bearer" = [])),
    responses((status = 200, body = Realignment), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, description = "Marks unresolved, or a date needing an override without a reason", body = Problem)))]
pub async fn publish_realignment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<Publication>,
) -> Result<Json<Realignment>, ApiError> {
    let published = service::publish(
        &state.store,
        &auth.principal,
        id,
        &input,
        state.store.today(),
    )
    .await?;
    Ok(Json(published))
}

#[utoipa::path(post, path = "/api/v1/realignments/{id}/cancel", tag = "realignment", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Realignment), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel_realignment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Uuid>,
) -> Result<Json<Realignment>, ApiError> {
    Ok(Json(
        service::cancel(&state.store, &auth.principal, id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/notices", tag = "realignment", security(("bearer" = [])),
    responses((status = 200, description = "What published changes do to the caller, newest first", body = [Notice])))]
pub async fn list_notices(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Notice>>, ApiError> {
    Ok(Json(service::notices(&state.store, &auth.principal).await?))
}

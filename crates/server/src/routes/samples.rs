//! Sample endpoints: the rep's sample book, headquarters lots and shipments, policy
//! (limits, allocations, credential rules, key messages, blacklist, DEA registrations),
//! the exceptions queue, loss/theft reports, the reconciliation report and the sample
//! record. Reps record disbursements and inventory movements through sync pushes.

use super::parse_id;
use crate::extract::{ApiJson, ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::sample::check::{CredentialRule, DeaRegistration, SkuFacts};
use pharmacrm_domain::sample::limits::SampleLimit;
use pharmacrm_domain::sample::views::{
    Allocation, Colleague, InventoryRollup, KeyMessage, LossReport, LossReportUpdate,
    ReconciliationReport, SampleBook, SampleException, SampleRecord, ShipmentView,
};
use pharmacrm_domain::sample::Lot;
use pharmacrm_domain::views::Hcp;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_service::samples::{self as service, admin, reports};
use pharmacrm_storage::samples::RecordFilter;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/samples/book", tag = "samples", security(("bearer" = [])),
    responses((status = 200, body = SampleBook), (status = 403, body = Problem)))]
pub async fn sample_book(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<SampleBook>, ApiError> {
    auth.principal.require(Permission::HoldSamples)?;
    Ok(Json(service::book(&state.store, &auth.principal).await?))
}

#[utoipa::path(get, path = "/api/v1/samples/reps", tag = "samples", security(("bearer" = [])),
    responses((status = 200, description = "Reps whose samples the caller oversees", body = [Colleague])))]
pub async fn sample_reps(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Colleague>>, ApiError> {
    Ok(Json(
        service::overseen_colleagues(&state.store, &auth.principal).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/samples/lots", tag = "samples", security(("bearer" = [])), responses((status = 200, body = [Lot])))]
pub async fn list_lots(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<Lot>>, ApiError> {
    Ok(Json(state.store.lots().await?))
}

#[utoipa::path(post, path = "/api/v1/samples/lots", tag = "samples", request_body = admin::NewLot, security(("bearer" = [])),
    responses((status = 200, body = Lot), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_lot(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<admin::NewLot>,
) -> Result<Json<Lot>, ApiError> {
    Ok(Json(
        admin::create_lot(&state.store, &auth.principal, &input).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RepQuery {
    pub rep_id: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/samples/shipments", tag = "samples", params(RepQuery), security(("bearer" = [])),
    responses((status = 200, body = [ShipmentView])))]
pub async fn list_shipments(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RepQuery>,
) -> Result<Json<Vec<ShipmentView>>, ApiError> {
    let reps = service::overseen_reps(&state.store, &auth.principal).await?;
    Ok(Json(
        state
            .store
            .shipments(q.rep_id, reps.as_deref(), false)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/samples/shipments", tag = "samples", request_body = admin::ShipmentInput, security(("bearer" = [])),
    responses((status = 200, body = ShipmentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_shipment(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<admin::ShipmentInput>,
) -> Result<Json<ShipmentView>, ApiError> {
    let shipment = admin::ship(&state.store, &auth.principal, &input).await?;
    Ok(Json(shipment))
}

#[utoipa::path(get, path = "/api/v1/samples/skus", tag = "samples", security(("bearer" = [])), responses((status = 200, body = [SkuFacts])))]
pub async fn list_skus(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<SkuFacts>>, ApiError> {
    Ok(Json(state.store.sku_facts().await?))
}

#[utoipa::path(put, path = "/api/v1/samples/skus/{id}", tag = "samples", params(("id" = Uuid, Path)), request_body = admin::SkuPolicy,
    security(("bearer" = [])), responses((status = 200, body = SkuFacts), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_sku_policy(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(policy): ApiJson<admin::SkuPolicy>,
) -> Result<Json<SkuFacts>, ApiError> {
    let saved = admin::set_sku_policy(
        &state.store,
        &auth.principal,
        parse_id(&id, "sample SKU")?,
        &policy,
    )
    .await?;
    Ok(Json(saved))
}

#[utoipa::path(get, path = "/api/v1/samples/limits", tag = "samples", security(("bearer" = [])), responses((status = 200, body = [SampleLimit])))]
pub async fn list_limits(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<SampleLimit>>, ApiError> {
    Ok(Json(state.store.sample_limits().await?))
}

#[utoipa::path(put, path = "/api/v1/samples/limits/{id}", tag = "samples", params(("id" = Uuid, Path)), request_body = SampleLimit,
    security(("bearer" = [])), responses((status = 200, body = SampleLimit), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_limit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(mut limit): ApiJson<SampleLimit>,
) -> Result<Json<SampleLimit>, ApiError> {
    limit.id = parse_id(&id, "limit")?;
    let saved = admin::put_limit(&state.store, &auth.principal, &limit).await?;
    Ok(Json(saved))
}

#[utoipa::path(delete, path = "/api/v1/samples/limits/{id}", tag = "samples", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_limit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    admin::delete_limit(&state.store, &auth.principal, parse_id(&id, "limit")?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/samples/allocations", tag = "samples", params(RepQuery), security(("bearer" = [])),
    responses((status = 200, body = [Allocation])))]
pub async fn list_allocations(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RepQuery>,
) -> Result<Json<Vec<Allocation>>, ApiError> {
    let reps = service::overseen_reps(&state.store, &auth.principal).await?;
    Ok(Json(
        state.store.allocations(q.rep_id, reps.as_deref()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/samples/allocations", tag = "samples", request_body = admin::AllocationInput, security(("bearer" = [])),
    responses((status = 200, body = Allocation), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_allocation(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<admin::AllocationInput>,
) -> Result<Json<Allocation>, ApiError> {
    let saved = admin::put_allocation(&state.store, &auth.principal, &input).await?;
    Ok(Json(saved))
}

#[utoipa::path(get, path = "/api/v1/samples/credential-rules", tag = "samples", security(("bearer" = [])),
    responses((status = 200, body = [CredentialRule])))]
pub async fn list_credential_rules(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<CredentialRule>>, ApiError> {
    Ok(Json(state.store.credential_rules().await?))
}

#[utoipa::path(put, path = "/api/v1/samples/credential-rules/{id}", tag = "samples", params(("id" = Uuid, Path)), request_body = CredentialRule,
    security(("bearer" = [])), responses((status = 200, body = CredentialRule), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_credential_rule(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(mut rule): ApiJson<CredentialRule>,
) -> Result<Json<CredentialRule>, ApiError> {
    rule.id = parse_id(&id, "rule")?;
    let saved = admin::put_credential_rule(&state.store, &auth.principal, &rule).await?;
    Ok(Json(saved))
}

#[utoipa::path(get, path = "/api/v1/key-messages", tag = "samples", security(("bearer" = [])), responses((status = 200, body = [KeyMessage])))]
pub async fn list_key_messages(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<KeyMessage>>, ApiError> {
    Ok(Json(state.store.key_messages().await?))
}

#[utoipa::path(put, path = "/api/v1/key-messages/{id}", tag = "samples", params(("id" = Uuid, Path)), request_body = KeyMessage,
    security(("bearer" = [])), responses((status = 200, body = KeyMessage), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_key_message(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(mut m): ApiJson<KeyMessage>,
) -> Result<Json<KeyMessage>, ApiError> {
    m.id = parse_id(&id, "key message")?;
    let saved = admin::put_key_message(&state.store, &auth.principal, &m).await?;
    Ok(Json(saved))
}

/// A blacklist entry to set.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BlacklistChange {
    /// Why the HCP may not be called or sampled (e.g. an OIG exclusion).
    pub reason: String,
}

#[utoipa::path(put, path = "/api/v1/hcps/{id}/blacklist", tag = "samples", params(("id" = Uuid, Path)), request_body = BlacklistChange,
    security(("bearer" = [])), responses((status = 200, body = Hcp), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn blacklist_hcp(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<BlacklistChange>,
) -> Result<Json<Hcp>, ApiError> {
    if change.reason.trim().is_empty() {
        return Err(ApiError::invalid(ValidationErrors::single(
            "reason",
            "is required",
        )));
    }
    let hcp = admin::set_blacklist(
        &state.store,
        &auth.principal,
        parse_id(&id, "HCP")?,
        Some(&change.reason),
    )
    .await?;
    Ok(Json(hcp))
}

#[utoipa::path(delete, path = "/api/v1/hcps/{id}/blacklist", tag = "samples", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Hcp), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unblacklist_hcp(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Hcp>, ApiError> {
    let hcp =
        admin::set_blacklist(&state.store, &auth.principal, parse_id(&id, "HCP")?, None).await?;
    Ok(Json(hcp))
}

#[utoipa::path(put, path = "/api/v1/hcps/{id}/dea-registration", tag = "samples", params(("id" = Uuid, Path)), request_body = DeaRegistration,
    security(("bearer" = [])), responses((status = 200, body = Hcp), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_dea_registration(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(reg): ApiJson<DeaRegistration>,
) -> Result<Json<Hcp>, ApiError> {
    let hcp = admin::put_dea(&state.store, &auth.principal, parse_id(&id, "HCP")?, &reg).await?;
    Ok(Json(hcp))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExceptionQuery {
    /// `open` or `closed`; all when absent.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/samples/exceptions", tag = "samples", params(ExceptionQuery), security(("bearer" = [])),
    responses((status = 200, body = [SampleException]), (status = 403, body = Problem)))]
pub async fn list_exceptions(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ExceptionQuery>,
) -> Result<Json<Vec<SampleException>>, ApiError> {
    Ok(Json(
        admin::exceptions(
            &state.store,
            &auth.principal,
            q.status.as_deref().filter(|s| !s.is_empty()),
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseException {
    /// What the review found and what was done.
    pub comment: String,
}

#[utoipa::path(post, path = "/api/v1/samples/exceptions/{id}/close", tag = "samples", params(("id" = Uuid, Path)), request_body = CloseException,
    security(("bearer" = [])), responses((status = 200, body = SampleException), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn close_exception(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CloseException>,
) -> Result<Json<SampleException>, ApiError> {
    Ok(Json(
        admin::close_exception(
            &state.store,
            &auth.principal,
            parse_id(&id, "exception")?,
            &body.comment,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/samples/loss-reports", tag = "samples", security(("bearer" = [])),
    responses((status = 200, body = [LossReport]), (status = 403, body = Problem)))]
pub async fn list_loss_reports(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<LossReport>>, ApiError> {
    Ok(Json(
        admin::loss_reports(&state.store, &auth.principal).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/samples/loss-reports/{id}", tag = "samples", params(("id" = Uuid, Path)), request_body = LossReportUpdate,
    security(("bearer" = [])), responses((status = 200, body = LossReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_loss_report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<LossReportUpdate>,
) -> Result<Json<LossReport>, ApiError> {
    Ok(Json(
        admin::update_loss_report(
            &state.store,
            &auth.principal,
            parse_id(&id, "loss report")?,
            &update,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    pub rep_id: Uuid,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
    /// `csv` for a download; JSON otherwise.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/samples/reconciliation", tag = "samples", params(ReconciliationQuery), security(("bearer" = [])),
    responses((status = 200, body = ReconciliationReport), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reconciliation(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ReconciliationQuery>,
) -> Result<Response, ApiError> {
    let report =
        reports::reconciliation(&state.store, &auth.principal, q.rep_id, q.from, q.to).await?;
    if q.format.as_deref() == Some("csv") {
        let name = format!(
            "reconciliation-{}-{}-{}.csv",
            report.rep_name.replace(' ', "_"),
            q.from,
            q.to
        );
        return Ok(csv_response(&name, reports::reconciliation_csv(&report)?));
    }
    Ok(Json(report).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InventoryStatusQuery {
    /// `csv` for a download; JSON otherwise.
    pub format: Option<String>,
}

/// The annual physical inventory of every rep the caller oversees: last count, due day,
/// overdue, open count discrepancies and the last count against the book, with totals.
#[utoipa::path(get, path = "/api/v1/samples/inventory-status", tag = "samples", params(InventoryStatusQuery), security(("bearer" = [])),
    responses((status = 200, body = InventoryRollup), (status = 403, body = Problem)))]
pub async fn inventory_status(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<InventoryStatusQuery>,
) -> Result<Response, ApiError> {
    let rollup = reports::inventory_rollup(&state.store, &auth.principal).await?;
    if q.format.as_deref() == Some("csv") {
        let name = format!("inventory-status-{}.csv", rollup.as_of);
        return Ok(csv_response(&name, reports::inventory_rollup_csv(&rollup)?));
    }
    Ok(Json(rollup).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordQuery {
    pub hcp_id: Option<Uuid>,
    pub lot_id: Option<Uuid>,
    pub rep_id: Option<Uuid>,
    pub call_id: Option<Uuid>,
    /// `csv` for a download; JSON otherwise.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/samples/records", tag = "samples", params(RecordQuery), security(("bearer" = [])),
    responses((status = 200, body = [SampleRecord]), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn sample_records(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> Result<Response, ApiError> {
    let filter = match (q.hcp_id, q.lot_id, q.rep_id, q.call_id) {
        (Some(id), None, None, None) => RecordFilter::Hcp(id),
        (None, Some(id), None, None) => RecordFilter::Lot(id),
        (None, None, Some(id), None) => RecordFilter::Rep(id),
        (None, None, None, Some(id)) => RecordFilter::Call(id),
        _ => {
            return Err(ApiError::invalid(ValidationErrors::single(
                "hcp_id",
                "give exactly one of hcp_id, lot_id, rep_id or call_id",
            )))
        }
    };
    let list = reports::records(&state.store, &auth.principal, filter).await?;
    if q.format.as_deref() == Some("csv") {
        return Ok(csv_response(
            "sample-records.csv",
            reports::records_csv(&list)?,
        ));
    }
    Ok(Json(list).into_response())
}

#[utoipa::path(post, path = "/api/v1/screening/leie", tag = "samples",
    request_body(content = String, content_type = "text/csv", description = "The HHS-OIG LEIE file (UPDATED.csv layout)"),
    security(("bearer" = [])),
    responses((status = 200, description = "NPI matches blacklisted; name-and-state matches listed for review", body = pharmacrm_service::screening::ScreeningReport),
        (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn screen_leie(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<pharmacrm_service::screening::ScreeningReport>, ApiError> {
    let report =
        pharmacrm_service::screening::screen_leie(&state.store, &auth.principal, body.as_ref())
            .await?;
    Ok(Json(report))
}

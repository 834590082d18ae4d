//! The alignment read back: which territory each ZIP and account override belongs to on any
//! day, with the cycle that put it there, and the published changes still to come. Reps and
//! managers read their own territories; ops and admin every one.

use crate::extract::{ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use pharmacrm_domain::alignment::{AlignedKind, AlignmentPage, ScheduledChanges};
use pharmacrm_service::alignment::{self as service, AsOf, PageOf};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlignmentQuery {
    /// The day (`YYYY-MM-DD`, past or future) the alignment is read for.
    pub on: NaiveDate,
    /// Only ZIPs and overrides aligned to this territory.
    pub territory: Option<Uuid>,
    /// Only ZIPs (and overridden accounts whose ZIP) start with these 1 to 5 digits.
    pub zip: Option<String>,
    /// Only ZIPs or only account overrides.
    pub kind: Option<AlignedKind>,
    pub cursor: Option<String>,
    /// 1 to 200 (default 50).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/alignment", tag = "realignment", params(AlignmentQuery), security(("bearer" = [])),
    responses((status = 200, description = "The alignment on the day, in the caller's territories: ZIPs by code, then account overrides by name", body = AlignmentPage),
        (status = 403, body = Problem), (status = 422, description = "A missing or invalid parameter, named", body = Problem)))]
pub async fn alignment_as_of(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<AlignmentQuery>,
) -> Result<Json<AlignmentPage>, ApiError> {
    let as_of = AsOf {
        on: query.on,
        territory: query.territory,
        zip: query.zip,
        kind: query.kind,
        cursor: query.cursor,
        limit: query.limit,
    };
    Ok(Json(
        service::as_of(&state.store, &auth.principal, &as_of).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduledQuery {
    /// Only changes moving out of or into this territory.
    pub territory: Option<Uuid>,
    pub cursor: Option<String>,
    /// 1 to 200 (default 50).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/alignment/scheduled", tag = "realignment", params(ScheduledQuery), security(("bearer" = [])),
    responses((status = 200, description = "Published changes taking effect after today, out of or into the caller's territories, soonest first", body = ScheduledChanges),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn scheduled_alignment_changes(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<ScheduledQuery>,
) -> Result<Json<ScheduledChanges>, ApiError> {
    let page = PageOf {
        cursor: query.cursor,
        limit: query.limit,
    };
    Ok(Json(
        service::scheduled(
            &state.store,
            &auth.principal,
            state.store.today(),
            query.territory,
            &page,
        )
        .await?,
    ))
}

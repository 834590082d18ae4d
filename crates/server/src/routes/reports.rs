//! Report endpoints: frequency tracking (calls vs targets, coverage, gaps) per cycle.

use crate::extract::{ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use pharmacrm_analytics::frequency::{Cycle, FrequencyReport};
use pharmacrm_domain::ValidationErrors;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FrequencyQuery {
    /// A month `YYYY-MM`, a quarter `YYYY-Qn` or a year `YYYY`; default the plan cycle (month
    /// or quarter of the targeting in force) containing today.
    pub cycle: Option<String>,
    /// One territory of the caller's scope.
    pub territory: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/reports/frequency", tag = "reports", params(FrequencyQuery), security(("bearer" = [])),
    responses((status = 200, body = FrequencyReport), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn frequency_report(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<FrequencyQuery>,
) -> Result<Json<FrequencyReport>, ApiError> {
    let today = state.store.today();
    let cycle = match query
        .cycle
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(text) => Some(Cycle::parse(text).ok_or_else(|| {
            ApiError::invalid(ValidationErrors::single(
                "cycle",
                "must be a month like 2026-11, a quarter like 2026-Q4 or a year like 2026",
            ))
        })?),
        None => None,
    };
    let report = pharmacrm_service::reports::frequency(
        &state.store,
        &auth.principal,
        cycle,
        query.territory,
        today,
    )
    .await?;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttributionQuery {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

#[utoipa::path(get, path = "/api/v1/reports/calls-by-unit", tag = "reports", params(AttributionQuery), security(("bearer" = [])),
    responses((status = 200, body = pharmacrm_analytics::attribution::AttributionReport), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn calls_by_unit(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AttributionQuery>,
) -> Result<Json<pharmacrm_analytics::attribution::AttributionReport>, ApiError> {
    Ok(Json(
        pharmacrm_service::reports::attribution(&state.store, &auth.principal, q.from, q.to)
            .await?,
    ))
}

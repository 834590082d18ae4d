//! Reference data every signed-in user needs: territories in scope, specialties, products,
//! the call report's pick lists.

use crate::extract::Auth;
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use pharmacrm_domain::call::{picklists, Picklists};
use pharmacrm_domain::org::TerritoryRef;
use pharmacrm_domain::specialty::Specialty;
use pharmacrm_domain::views::Product;
use pharmacrm_service::org::{Coverer, TerritoryOverview};

#[utoipa::path(get, path = "/api/v1/territories", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = [TerritoryRef]), (status = 401, body = Problem)))]
pub async fn list_territories(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<TerritoryRef>>, ApiError> {
    Ok(Json(state.store.territories(&auth.principal.scope).await?))
}

#[utoipa::path(get, path = "/api/v1/specialties", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = [Specialty]), (status = 401, body = Problem)))]
pub async fn list_specialties(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<Specialty>>, ApiError> {
    Ok(Json(state.store.specialties().await?))
}

#[utoipa::path(get, path = "/api/v1/products", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = [Product]), (status = 401, body = Problem)))]
pub async fn list_products(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<Vec<Product>>, ApiError> {
    Ok(Json(state.store.products().await?))
}

#[utoipa::path(get, path = "/api/v1/picklists", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = Picklists), (status = 401, body = Problem)))]
pub async fn list_picklists(_auth: Auth) -> Json<Picklists> {
    Json(picklists())
}

#[utoipa::path(get, path = "/api/v1/territories/overview", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = [TerritoryOverview]), (status = 401, body = Problem)))]
pub async fn territories_overview(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<TerritoryOverview>>, ApiError> {
    Ok(Json(
        pharmacrm_service::org::territory_overview(
            &state.store,
            &auth.principal,
            state.store.today(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/territories/{id}/coverage", tag = "reference", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Who covered the territory, and when", body = [Coverer]), (status = 404, body = Problem)))]
pub async fn territory_coverage(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<Coverer>>, ApiError> {
    let id = super::parse_id(&id, "territory")?;
    Ok(Json(
        pharmacrm_service::org::territory_history(&state.store, &auth.principal, id).await?,
    ))
}

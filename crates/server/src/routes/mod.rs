//! Route table. Each submodule owns the endpoints of one resource.

mod accounts;
mod auth;
mod hcps;
mod imports;
mod ops;
mod reference;
mod reports;
mod sync;
mod users;

pub use accounts::*;
pub use auth::*;
pub use hcps::*;
pub use imports::*;
pub use ops::*;
pub use reference::*;
pub use reports::*;
pub use sync::*;
pub use users::*;

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
        .route("/hcps", get(list_hcps).post(create_hcp))
        .route("/hcps/export", get(export_hcps))
        .route("/hcps/{id}", get(get_hcp))
        .route("/hcps/{id}/calls", get(hcp_calls))
        .route("/hcps/{id}/do-not-call", put(flag_do_not_call).delete(clear_do_not_call))
        .route("/accounts", get(list_accounts))
        .route("/accounts/{id}", get(get_account))
        .route("/territories", get(list_territories))
        .route("/territories/overview", get(territories_overview))
        .route("/territories/{id}/coverage", get(territory_coverage))
        .route("/specialties", get(list_specialties))
        .route("/products", get(list_products))
        .route("/picklists", get(list_picklists))
        .route("/users", get(list_users))
        .route("/reports/frequency", get(frequency_report))
        .route("/imports/{kind}", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
        .route("/targets", get(list_targets))
        .route("/targets/{tier}", put(set_target))
        .route("/sync/pull", get(pull))
        .route("/sync/push", post(push))
        .route("/sync/events", get(events))
        .route("/openapi.json", get(openapi_document))
        .fallback(|| async { ApiError::not_found("endpoint") })
}

pub fn ops() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

/// Parses an id from a path; a malformed id is simply not found.
pub(crate) fn parse_id(text: &str, what: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(text).map_err(|_| ApiError::not_found(what))
}

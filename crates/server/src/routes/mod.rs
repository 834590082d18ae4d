//! Route table. Each submodule owns the endpoints of one resource.

mod accounts;
mod alignment;
mod auth;
mod hcps;
mod imports;
mod ops;
mod realignment;
mod reference;
mod reports;
mod samples;
mod stewardship;
mod sync;
mod targeting;
mod users;

pub use accounts::*;
pub use alignment::*;
pub use auth::*;
pub use hcps::*;
pub use imports::*;
pub use ops::*;
pub use realignment::*;
pub use reference::*;
pub use reports::*;
pub use samples::*;
pub use stewardship::*;
pub use sync::*;
pub use targeting::*;
pub use users::*;

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// The API under `/api/v1`, with its OpenAPI document. Each route is declared once, by its
/// handlers: `routes!` takes the method and path from a handler's `#[utoipa::path]` and
/// registers it with the router and in the document together, so no route can be served
/// undocumented or documented unserved. Handlers sharing a path share one `routes!`.
pub fn api() -> OpenApiRouter<AppState> {
    let upload_limit = || DefaultBodyLimit::max(MAX_UPLOAD_BYTES);
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_hcps, create_hcp))
        .routes(routes!(export_hcps))
        .routes(routes!(match_hcp))
        .routes(routes!(propose_hcp))
        .routes(routes!(propose_hcp_change))
        .routes(routes!(list_data_requests))
        .routes(routes!(approve_data_request))
        .routes(routes!(reject_data_request))
        .routes(routes!(list_duplicates))
        .routes(routes!(scan_duplicates))
        .routes(routes!(dismiss_duplicate))
        .routes(routes!(list_merges, merge_hcps))
        .routes(routes!(undo_merge))
        .routes(routes!(matching_model))
        .routes(routes!(put_matching_thresholds))
        .routes(routes!(estimate_matching))
        .routes(routes!(completeness_report))
        .routes(routes!(get_hcp))
        .routes(routes!(hcp_calls))
        .routes(routes!(flag_do_not_call, clear_do_not_call))
        .routes(routes!(list_accounts))
        .routes(routes!(get_account))
        .routes(routes!(list_territories))
        .routes(routes!(territories_overview))
        .routes(routes!(territory_coverage))
        .routes(routes!(list_specialties))
        .routes(routes!(list_products))
        .routes(routes!(list_picklists))
        .routes(routes!(list_users))
        .routes(routes!(frequency_report))
        .routes(routes!(calls_by_unit))
        .routes(routes!(upload).layer(upload_limit()))
        .routes(routes!(list_targets))
        .routes(routes!(list_targeting_versions, create_targeting_version))
        .routes(routes!(get_targeting_version, update_targeting_version))
        .routes(routes!(put_targeting_frequencies))
        .routes(
            routes!(
                list_targeting_segments,
                upload_targeting_segments,
                put_targeting_segments
            )
            .layer(upload_limit()),
        )
        .routes(routes!(publish_targeting_version))
        .routes(routes!(list_realignments, create_realignment))
        .routes(routes!(get_realignment))
        .routes(routes!(
            realignment_lines,
            put_realignment_lines,
            remove_realignment_lines
        ))
        .routes(routes!(upload_realignment).layer(upload_limit()))
        .routes(routes!(realignment_impact))
        .routes(routes!(realignment_review, open_realignment_review))
        .routes(routes!(mark_realignment))
        .routes(routes!(resolve_realignment_mark))
        .routes(routes!(publish_realignment))
        .routes(routes!(cancel_realignment))
        .routes(routes!(list_notices))
        .routes(routes!(alignment_as_of))
        .routes(routes!(scheduled_alignment_changes))
        .routes(routes!(blacklist_hcp, unblacklist_hcp))
        .routes(routes!(put_dea_registration))
        .routes(routes!(sample_book))
        .routes(routes!(sample_reps))
        .routes(routes!(list_lots, create_lot))
        .routes(routes!(list_shipments, create_shipment))
        .routes(routes!(list_skus))
        .routes(routes!(put_sku_policy))
        .routes(routes!(list_limits))
        .routes(routes!(put_limit, delete_limit))
        .routes(routes!(list_allocations, put_allocation))
        .routes(routes!(list_credential_rules))
        .routes(routes!(put_credential_rule))
        .routes(routes!(list_exceptions))
        .routes(routes!(close_exception))
        .routes(routes!(list_loss_reports))
        .routes(routes!(update_loss_report))
        .routes(routes!(reconciliation))
        .routes(routes!(inventory_status))
        .routes(routes!(sample_records))
        .routes(routes!(screen_leie).layer(upload_limit()))
        .routes(routes!(list_key_messages))
        .routes(routes!(put_key_message))
        .routes(routes!(pull))
        .routes(routes!(push))
        .routes(routes!(events))
        // The document itself is the one API route it does not list.
        .route("/api/v1/openapi.json", get(openapi_document))
}

pub fn ops() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

/// Parses an id from a path; a malformed id is simply not found.
pub(crate) fn parse_id(text: &str, what: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(text).map_err(|_| ApiError::not_found(what))
}

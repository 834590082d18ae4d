//! Route table. Each submodule owns the endpoints of one resource.

mod accounts;
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
use axum::routing::{get, post, put};
use axum::Router;

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
        .route("/hcps", get(list_hcps).post(create_hcp))
        .route("/hcps/export", get(export_hcps))
        .route("/hcps/matches", post(match_hcp))
        .route("/hcp-proposals", post(propose_hcp))
        .route("/hcp-changes", post(propose_hcp_change))
        .route("/data-requests", get(list_data_requests))
        .route("/data-requests/{id}/approve", post(approve_data_request))
        .route("/data-requests/{id}/reject", post(reject_data_request))
        .route("/duplicates", get(list_duplicates))
        .route("/duplicates/scan", post(scan_duplicates))
        .route("/duplicates/{id}/dismiss", post(dismiss_duplicate))
        .route("/merges", get(list_merges).post(merge_hcps))
        .route("/merges/{id}/undo", post(undo_merge))
        .route("/matching", get(matching_model))
        .route("/matching/thresholds", put(put_matching_thresholds))
        .route("/matching/estimate", post(estimate_matching))
        .route("/reports/completeness", get(completeness_report))
        .route("/hcps/{id}", get(get_hcp))
        .route("/hcps/{id}/calls", get(hcp_calls))
        .route(
            "/hcps/{id}/do-not-call",
            put(flag_do_not_call).delete(clear_do_not_call),
        )
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
        .route("/reports/calls-by-unit", get(calls_by_unit))
        .route(
            "/imports/{kind}",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/targets", get(list_targets))
        .route(
            "/targeting/versions",
            get(list_targeting_versions).post(create_targeting_version),
        )
        .route(
            "/targeting/versions/{id}",
            get(get_targeting_version).put(update_targeting_version),
        )
        .route(
            "/targeting/versions/{id}/frequencies",
            put(put_targeting_frequencies),
        )
        .route(
            "/targeting/versions/{id}/segments",
            get(list_targeting_segments)
                .post(upload_targeting_segments)
                .put(put_targeting_segments)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/targeting/versions/{id}/publish",
            post(publish_targeting_version),
        )
        .route(
            "/realignments",
            get(list_realignments).post(create_realignment),
        )
        .route("/realignments/{id}", get(get_realignment))
        .route(
            "/realignments/{id}/lines",
            get(realignment_lines)
                .put(put_realignment_lines)
                .delete(remove_realignment_lines),
        )
        .route(
            "/realignments/{id}/upload",
            post(upload_realignment).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/realignments/{id}/impact", get(realignment_impact))
        .route(
            "/realignments/{id}/review",
            get(realignment_review).post(open_realignment_review),
        )
        .route("/realignments/{id}/marks", post(mark_realignment))
        .route(
            "/realignments/{id}/marks/{mark}/resolve",
            post(resolve_realignment_mark),
        )
        .route("/realignments/{id}/publish", post(publish_realignment))
        .route("/realignments/{id}/cancel", post(cancel_realignment))
        .route("/notices", get(list_notices))
        .route(
            "/hcps/{id}/blacklist",
            put(blacklist_hcp).delete(unblacklist_hcp),
        )
        .route("/hcps/{id}/dea-registration", put(put_dea_registration))
        .route("/samples/book", get(sample_book))
        .route("/samples/reps", get(sample_reps))
        .route("/samples/lots", get(list_lots).post(create_lot))
        .route(
            "/samples/shipments",
            get(list_shipments).post(create_shipment),
        )
        .route("/samples/skus", get(list_skus))
        .route("/samples/skus/{id}", put(put_sku_policy))
        .route("/samples/limits", get(list_limits))
        .route("/samples/limits/{id}", put(put_limit).delete(delete_limit))
        .route(
            "/samples/allocations",
            get(list_allocations).post(put_allocation),
        )
        .route("/samples/credential-rules", get(list_credential_rules))
        .route("/samples/credential-rules/{id}", put(put_credential_rule))
        .route("/samples/exceptions", get(list_exceptions))
        .route("/samples/exceptions/{id}/close", post(close_exception))
        .route("/samples/loss-reports", get(list_loss_reports))
        .route(
            "/samples/loss-reports/{id}",
            axum::routing::patch(update_loss_report),
        )
        .route("/samples/reconciliation", get(reconciliation))
        .route("/samples/records", get(sample_records))
        .route(
            "/screening/leie",
            post(screen_leie).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/key-messages", get(list_key_messages))
        .route("/key-messages/{id}", put(put_key_message))
        .route("/sync/pull", get(pull))
        .route("/sync/push", post(push))
        .route("/sync/events", get(events))
        .route("/openapi.json", get(openapi_document))
        .fallback(|| async { ApiError::not_found("endpoint") })
}

pub fn ops() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

/// Parses an id from a path; a malformed id is simply not found.
pub(crate) fn parse_id(text: &str, what: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(text).map_err(|_| ApiError::not_found(what))
}

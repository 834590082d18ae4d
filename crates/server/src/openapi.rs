//! The OpenAPI 3.1 document, generated from the handlers' annotations and the domain's
//! schemas. The web client's TypeScript types are generated from it.

use crate::routes;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "pharmacrm API", description = "HCP and account master data, territories and users of the pharmacrm field-force CRM."),
    paths(
        routes::login, routes::logout, routes::me,
        routes::list_hcps, routes::get_hcp, routes::hcp_calls, routes::flag_do_not_call, routes::clear_do_not_call, routes::create_hcp, routes::export_hcps,
        routes::list_accounts, routes::get_account,
        routes::list_territories, routes::list_specialties, routes::list_products, routes::list_picklists, routes::territories_overview, routes::territory_coverage,
        routes::list_users,
        routes::pull, routes::push, routes::events,
        routes::frequency_report, routes::calls_by_unit,
        routes::upload, routes::list_targets,
        routes::list_targeting_versions, routes::create_targeting_version, routes::get_targeting_version, routes::update_targeting_version,
        routes::put_targeting_frequencies, routes::list_targeting_segments, routes::upload_targeting_segments, routes::put_targeting_segments, routes::publish_targeting_version,
        routes::list_realignments, routes::create_realignment, routes::get_realignment, routes::realignment_lines, routes::put_realignment_lines,
        routes::remove_realignment_lines, routes::upload_realignment, routes::realignment_impact, routes::realignment_review,
        routes::open_realignment_review, routes::mark_realignment, routes::resolve_realignment_mark, routes::publish_realignment,
        routes::cancel_realignment, routes::list_notices,
        routes::sample_book, routes::sample_reps, routes::list_lots, routes::create_lot, routes::list_shipments, routes::create_shipment,
        routes::list_skus, routes::put_sku_policy, routes::list_limits, routes::put_limit, routes::delete_limit, routes::list_allocations, routes::put_allocation,
        routes::list_credential_rules, routes::put_credential_rule, routes::list_key_messages, routes::put_key_message,
        routes::blacklist_hcp, routes::unblacklist_hcp, routes::put_dea_registration,
        routes::list_exceptions, routes::close_exception, routes::list_loss_reports, routes::update_loss_report,
        routes::reconciliation, routes::sample_records, routes::screen_leie,
        routes::match_hcp, routes::propose_hcp, routes::propose_hcp_change, routes::list_data_requests, routes::approve_data_request,
        routes::reject_data_request, routes::list_duplicates, routes::scan_duplicates, routes::dismiss_duplicate, routes::list_merges,
        routes::merge_hcps, routes::undo_merge, routes::matching_model, routes::put_matching_thresholds, routes::estimate_matching,
        routes::completeness_report,
    ),
    components(schemas(
        crate::Problem, pharmacrm_domain::FieldError,
        pharmacrm_domain::call::Call, pharmacrm_domain::call::CallInput, pharmacrm_domain::targeting::FrequencyTarget, pharmacrm_domain::realignment::Notice,
        pharmacrm_domain::call::Picklists, pharmacrm_domain::views::AccountSummary, pharmacrm_domain::views::Hcp,
        pharmacrm_domain::views::Product,
        pharmacrm_domain::sample::views::SampleBook, pharmacrm_domain::sample::DisbursementInput,
        pharmacrm_service::samples::mutations::SampleRequestInput, pharmacrm_service::samples::mutations::ReceiveInput,
        pharmacrm_service::samples::mutations::MoveInput, pharmacrm_service::samples::mutations::LossInput,
        pharmacrm_service::samples::mutations::CountInput,
        pharmacrm_service::stewardship::HcpProposal, pharmacrm_service::stewardship::ChangeProposal,
        pharmacrm_service::matching::DeviceModel,
        pharmacrm_service::sync::MutationKind, pharmacrm_domain::permission::Permission,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in and the current user"),
        (name = "hcps", description = "Healthcare professionals, limited to the caller's territories"),
        (name = "accounts", description = "Healthcare organisations, limited to the caller's territories"),
        (name = "reference", description = "Territories, specialties, products"),
        (name = "users", description = "User administration"),
        (name = "imports", description = "Commercial ops self-service: bulk CSV uploads of master data"),
        (name = "targeting", description = "Targeting versions: segmentation and calls per cycle per product x tier, effective-dated"),
        (name = "realignment", description = "Realignment cycles: draft, impact, field review, publication, notices"),
        (name = "reports", description = "Explainable KPIs: frequency tracking and coverage"),
        (name = "sync", description = "Offline field app: push mutations, pull changes, pokes"),
        (name = "stewardship", description = "HCP master data governance: duplicate checks, proposals, the stewards' queue, merges"),
        (name = "samples", description = "Sample accountability (PDMA): inventory, policy, exceptions, reconciliation, signed records"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

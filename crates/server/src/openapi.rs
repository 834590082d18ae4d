//! The OpenAPI 3.1 document, generated from the handlers' annotations and the domain's
//! schemas. The web client's TypeScript types are generated from it. This module holds what
//! is not a route (title, tags, shared schemas, the bearer scheme); the paths come from the
//! route table, `routes::api`, which documents each route as it registers it.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "pharmacrm API", description = "HCP and account master data, territories and users of the pharmacrm field-force CRM."),
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

/// The document without paths, which the route table starts from.
pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole document: [`base`] and the path of every route the API serves.
pub fn document() -> utoipa::openapi::OpenApi {
    crate::routes::api().into_openapi()
}

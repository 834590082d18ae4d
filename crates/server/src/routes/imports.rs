//! Commercial-ops self-service: bulk CSV uploads of master data (the same importers as the
//! CLI). Ops and admin only. Segmentation goes through targeting versions.

use crate::extract::Auth;
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_service::import::{self, ImportReport};

/// Largest CSV upload.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "hcps, accounts, alignment or specialties")),
    request_body(content = String, content_type = "text/csv", description = "The file, header row first (layouts in the README)"),
    security(("bearer" = [])),
    responses((status = 200, description = "Every row accounted for: created, updated, unchanged or rejected with line, field and reason", body = ImportReport),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    auth.principal.require(Permission::ImportMasterData)?;
    let actor = auth.principal.actor();
    let store = &state.store;
    let none = |_: usize, _: usize| {};
    let reader = body.as_ref();
    let report = match kind.as_str() {
        "hcps" => import::import_hcps(store, &actor, reader, &none).await?,
        "accounts" => import::import_accounts(store, &actor, reader, &none).await?,
        "alignment" => import::import_alignment(store, &actor, reader, &none).await?,
        "segments" => {
            let message = "segmentation goes into a targeting version: POST /api/v1/targeting/versions/{id}/segments";
            return Err(ApiError::invalid(ValidationErrors::single("kind", message)));
        }
        "specialties" => import::import_specialties(store, &actor, reader).await?,
        _ => return Err(ApiError::not_found("import kind")),
    };
    Ok(Json(report))
}

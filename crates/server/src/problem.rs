//! RFC 9457 problem details: every error the API returns, with a stable `code` clients can
//! branch on and, for invalid input, one message per field.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::{FieldError, ValidationErrors};
use pharmacrm_service::ServiceError;
use pharmacrm_storage::StorageError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`.
    pub code: Code,
    /// Per-field problems of invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The HTTP status of each code: the one place codes meet HTTP. (Sync answers carry the
/// code itself, inside a 200.)
pub fn status_of(code: Code) -> StatusCode {
    match code {
        Code::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        Code::MalformedJson | Code::MalformedBody => StatusCode::BAD_REQUEST,
        Code::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Code::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Code::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        Code::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::Unauthenticated | Code::InvalidCredentials => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Code::DuplicateNpi
        | Code::Duplicate
        | Code::Conflict
        | Code::LikelyDuplicate
        | Code::AlreadyDecided
        | Code::HcpMerged
        | Code::AlreadyUndone
        | Code::AlreadyReceived
        | Code::DuplicateCall
        | Code::DuplicateRecord => StatusCode::CONFLICT,
        // Rule outcomes: answered in sync results; as an HTTP error, a broken rule.
        Code::UnknownKind
        | Code::Linked
        | Code::HcpNotInScope
        | Code::HcpInactive
        | Code::Blacklisted
        | Code::DoNotCall
        | Code::HcpRealignedSinceCall
        | Code::BlacklistedAfterCall
        | Code::DoNotCallSetAfterCall
        | Code::FairBalance
        | Code::NoLines
        | Code::QuantityInvalid
        | Code::UnknownSku
        | Code::LotRequired
        | Code::LotMismatch
        | Code::LotExpired
        | Code::InsufficientInventory
        | Code::AllocationExceeded
        | Code::SampleLimit
        | Code::NoActiveLicence
        | Code::CredentialNotEligible
        | Code::DeaRequired
        | Code::SignatureInvalid
        | Code::ReceiptDiscrepancy
        | Code::SignerMismatch
        | Code::SignatureCopied
        | Code::CountDiscrepancy
        | Code::TotalOutOfRange => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub detail: String,
    pub errors: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        ApiError {
            status: status_of(code),
            code,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(Code::NotFound, format!("{what} not found"))
    }

    pub fn invalid(errors: ValidationErrors) -> Self {
        let detail = match errors.0.len() {
            1 => format!("{} {}", errors.0[0].field, errors.0[0].message),
            n => format!("{n} fields are invalid"),
        };
        ApiError {
            errors: errors.0,
            ..ApiError::new(Code::ValidationFailed, detail)
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Validation(errors) => ApiError::invalid(errors),
            ServiceError::NotFound(what) => ApiError::not_found(what),
            ServiceError::InvalidCredentials => {
                ApiError::new(Code::InvalidCredentials, err.to_string())
            }
            ServiceError::Unauthenticated => ApiError::new(
                Code::Unauthenticated,
                "sign in and send Authorization: Bearer <token>",
            ),
            ServiceError::Forbidden(message) => ApiError::new(Code::Forbidden, message),
            ServiceError::Conflict { code, message } => ApiError::new(code, message),
            ServiceError::Storage(e) => ApiError::from(e),
            ServiceError::Internal(message) => {
                tracing::error!(%message, "internal error");
                ApiError::new(Code::Internal, "an internal error occurred")
            }
        }
    }
}

/// Whether a database error is worth retrying as it is: the database unreachable or busy, a
/// lock or serialisation conflict. Such a request changed nothing (its transaction rolled
/// back), so it is answered 503 with `Retry-After` and the device retries.
fn transient(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => matches!(
            db.code().as_deref(),
            // PostgreSQL: serialization failure, deadlock, lock not available, shutting
            // down, too many connections. SQLite: busy, locked (and their extended codes).
            Some("40001" | "40P01" | "55P03" | "57P01" | "57P03" | "53300")
                | Some("5" | "6" | "261" | "262" | "517")
        ),
        _ => false,
    }
}

impl From<StorageError> for ApiError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::Database(e) if transient(&e) => {
                tracing::warn!(error = %e, "database busy or unavailable");
                ApiError::new(
                    Code::DatabaseUnavailable,
                    "the database is busy or unavailable; nothing was changed, try again",
                )
            }
            // Decided again and again while others kept writing the same rows.
            StorageError::Stale => ApiError::new(
                Code::DatabaseUnavailable,
                "the data this change depends on is changing; nothing was changed, try again",
            ),
            StorageError::Invalid(errors) => ApiError::invalid(errors),
            StorageError::NotFound(what) => ApiError::not_found(what),
            StorageError::Duplicate { .. } | StorageError::Conflict { .. } => {
                ServiceError::from(err).into()
            }
            other => {
                tracing::error!(error = %other, "storage error");
                ApiError::new(Code::Internal, "an internal error occurred")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem {
            kind: format!(
                "https://pharmacrm.dev/problems/{}",
                self.code.as_str().replace('_', "-")
            ),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string(),
            status: self.status.as_u16(),
            detail: self.detail,
            code: self.code,
            errors: self.errors,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if self.code == Code::DatabaseUnavailable {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
        }
        response
    }
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        Code::MethodNotAllowed,
        "this method is not allowed on this path",
    )
}

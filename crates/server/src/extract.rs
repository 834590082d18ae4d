//! Request extractors that fail with problem+json: JSON bodies (malformed → 400, wrong
//! shape, unknown field → 422 naming the field, too large → 413), query strings, and the signed-in user.

use crate::problem::ApiError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::strict_json::Strict;
use pharmacrm_domain::validation::{control_characters, is_refused_control, printable};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_service::auth::{authenticate, Principal};
use serde::de::DeserializeOwned;

/// A JSON body. A text holding a control character (other than tab and line breaks) is
/// refused here, for every field of every operation, with a field error naming it.
pub struct ApiJson<T>(pub T);

/// A JSON body whose items are judged one by one (a sync push): control characters are not
/// refused here but by each item's reader, so one bad item cannot fail the others.
pub struct ApiJsonItems<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJsonItems<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req, state).await?;
        parse(&bytes).map(ApiJsonItems)
    }
}

/// Whether the JSON text may spell a control character: only through an escape (`\u00..`,
/// `\b`, `\f`), since raw control characters are not valid JSON.
fn may_hold_controls(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|w| w[0] == b'\\' && matches!(w[1], b'u' | b'U' | b'b' | b'f'))
}

/// Refuses a body with a text holding a control character, naming every such field.
fn refuse_controls(bytes: &[u8]) -> Result<(), ApiError> {
    if !may_hold_controls(bytes) {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(()); // the parser reports malformed JSON
    };
    let errors = control_characters(&value, "");
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(errors))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req, state).await?;
        refuse_controls(&bytes)?;
        parse(&bytes).map(ApiJson)
    }
}

/// The body of a request declared `application/json` (or `+json`).
async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().eq_ignore_ascii_case("application/json") || v.trim().ends_with("+json"))
        .unwrap_or(false);
    if !is_json {
        return Err(ApiError::new(
            Code::UnsupportedMediaType,
            "send Content-Type: application/json",
        ));
    }
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                Code::PayloadTooLarge,
                format!("the body exceeds {} bytes", crate::MAX_BODY_BYTES),
            )
        } else {
            ApiError::new(Code::MalformedBody, rejection.body_text())
        }
    })
}

/// Parses a JSON body: malformed → 400; wrong shape → 422 naming the field. The shape is
/// read strictly (`pharmacrm_domain::strict_json`): an object only where the schema has
/// one, and no field the schema does not declare.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            Code::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    serde_path_to_error::deserialize::<_, T>(Strict(&value)).map_err(|err| {
        let message = err.inner().to_string();
        // A field the schema does not declare ends the path with an unknown segment.
        let path = err.path().to_string();
        let path = match path.strip_suffix("?").map(|p| p.trim_end_matches('.')) {
            Some("") => ".".to_string(),
            Some(parent) => parent.to_string(),
            None => path,
        };
        let field = match (path.as_str(), named_field(&message)) {
            (".", Some(name)) => name,
            (".", None) => "body".to_string(),
            (_, Some(name)) => format!("{path}.{name}"),
            _ => path,
        };
        ApiError::invalid(ValidationErrors::single(field, message))
    })
}

/// The field named by serde's "missing field `x`" or "unknown field `x`" message.
fn named_field(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next().map(str::to_string)
}

/// A query string; a value of the wrong type names its parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let mut errors = ValidationErrors::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if value.chars().chain(name.chars()).any(is_refused_control) {
                errors.add(
                    printable(&name),
                    "holds a control character (only tab and line breaks are allowed)",
                );
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::invalid(errors));
        }
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|err| {
                let path = err.path().to_string();
                let message = err.inner().to_string();
                // A missing parameter is named like a missing body field.
                let field = match (path.as_str(), named_field(&message)) {
                    (".", Some(name)) => name,
                    (".", None) => "query".into(),
                    _ => path,
                };
                ApiError::invalid(ValidationErrors::single(field, message))
            })
    }
}

/// The signed-in user, from `Authorization: Bearer <token>`.
pub struct Auth {
    pub principal: Principal,
    pub token: String,
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(pharmacrm_service::ServiceError::Unauthenticated)?
            .to_string();
        let principal = authenticate(&state.store, &token).await?;
        Ok(Auth { principal, token })
    }
}

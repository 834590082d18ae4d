//! An operation that takes no body refuses one: a body sent to it is junk the handler would
//! otherwise ignore silently (a decision, a confirmation the caller thinks it sent). Which
//! operations take none is read from the OpenAPI document (those without `requestBody`), so
//! the rule follows each handler's annotation and cannot drift from it.

use crate::problem::ApiError;
use axum::body::HttpBody as _;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pharmacrm_domain::ValidationErrors;
use std::collections::HashSet;
use std::sync::Arc;
use utoipa::openapi::path::Operation;
use utoipa::openapi::OpenApi;

/// The (method, path template) of every documented operation without a request body.
#[derive(Debug, Default)]
pub struct Bodyless(HashSet<(Method, String)>);

impl Bodyless {
    pub fn of(doc: &OpenApi) -> Arc<Bodyless> {
        let mut set = HashSet::new();
        for (path, item) in &doc.paths.paths {
            let operations: [(Method, &Option<Operation>); 5] = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ];
            for (method, operation) in operations {
                if operation.as_ref().is_some_and(|o| o.request_body.is_none()) {
                    set.insert((method, path.clone()));
                }
            }
        }
        Arc::new(Bodyless(set))
    }
}

/// Refuses a request carrying a body (declared by length or sent in chunks) to an operation
/// that takes none: 422 on `body`. An empty JSON object says nothing and is let through, as
/// some clients send one with every POST.
pub async fn refuse_body(
    State(bodyless): State<Arc<Bodyless>>,
    request: Request,
    next: Next,
) -> Response {
    let hint = request.body().size_hint();
    let has_body = hint.lower() > 0 || hint.upper().is_none();
    let takes_none = request.extensions().get::<MatchedPath>().is_some_and(|p| {
        bodyless
            .0
            .contains(&(request.method().clone(), p.as_str().to_string()))
    });
    if !(has_body && takes_none) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let says_nothing = match axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await {
        Ok(bytes) => {
            bytes.iter().all(u8::is_ascii_whitespace)
                || serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
                    .is_ok_and(|m| m.is_empty())
        }
        Err(_) => false,
    };
    if !says_nothing {
        return ApiError::invalid(ValidationErrors::single(
            "body",
            "this operation takes no body",
        ))
        .into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::empty()))
        .await
}

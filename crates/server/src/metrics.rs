//! Prometheus metrics: request counts and latencies per route and status, rendered at
//! `GET /metrics` for whoever holds the metrics token (when one is configured) on the
//! listener that serves them: the main one, or a separate address (docs/security.md).

use crate::problem::ApiError;
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use pharmacrm_domain::code::Code;
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::Instant;

/// The process-wide recorder (installed on first use).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (several apps in one test process):
        // then this handle still renders what this recorder would have seen, i.e. nothing.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub async fn track(request: Request, next: Next) -> Response {
    let _ = handle();
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`, answered only with `Authorization: Bearer <token>` when there is a token.
pub fn router<S: Clone + Send + Sync + 'static>(token: Option<String>) -> Router<S> {
    let token: Option<Arc<str>> = token.map(Arc::from);
    Router::new().route(
        "/metrics",
        get(move |headers: HeaderMap| render(token.clone(), headers)),
    )
}

/// `GET /metrics` where it is not served (off, or on its own address): not found, rather
/// than the web UI's page.
pub fn elsewhere<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(
        "/metrics",
        get(|| async { ApiError::not_found("metrics").into_response() }),
    )
}

async fn render(token: Option<Arc<str>>, headers: HeaderMap) -> Response {
    if let Some(token) = token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !sent.is_some_and(|sent| same(sent.as_bytes(), token.as_bytes())) {
            let refusal = ApiError::new(Code::Unauthenticated, "the metrics token is required");
            return refusal.into_response();
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
        .into_response()
}

/// Compares in time independent of where the texts differ (their length aside).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

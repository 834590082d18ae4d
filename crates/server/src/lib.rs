//! The pharmacrm HTTP server: the REST API under `/api/v1` (with its OpenAPI document),
//! health and metrics endpoints, and the embedded web UI. Handlers are thin: they parse,
//! call a service or a scoped storage read, and map errors once to problem+json. Around
//! them: security headers (`headers`), a time limit per request, and the sockets with
//! their own limits and TLS (`listen`); docs/security.md says how to set them.

mod bodyless;
mod extract;
mod headers;
mod listen;
mod metrics;
pub mod openapi;
mod problem;
mod routes;
mod web;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures::FutureExt;
use pharmacrm_domain::code::Code;
use pharmacrm_storage::Store;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use headers::{CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY};
pub use listen::{Limits, TlsFiles};
pub use problem::{ApiError, Problem};

/// Largest request body accepted (JSON bodies are small; imports go through the CLI).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What handlers share. Devices are told of changes by the store itself
/// ([`Store::subscribe_changes`]), on the commit of any write they would pull.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// How the server is exposed: its connection limits, TLS, and who may read `/metrics`.
#[derive(Debug, Clone, Default)]
pub struct Exposure {
    pub limits: Limits,
    /// Speak TLS with this certificate and key (and send HSTS).
    pub tls: Option<TlsFiles>,
    /// `/metrics` answers only `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// Serve `/metrics` on this address instead (plain HTTP, for a private network).
    pub metrics_listen: Option<SocketAddr>,
}

impl Exposure {
    /// `/metrics` is on the main address when it has a token and no address of its own;
    /// with neither it is not served at all.
    fn metrics_on_main(&self) -> bool {
        self.metrics_listen.is_none() && self.metrics_token.is_some()
    }
}

/// The whole application with the default exposure (no TLS, no metrics): API, health,
/// web UI.
pub fn app(store: Store) -> Router {
    app_with(store, &Exposure::default())
}

/// The whole application as `exposure` says: API, health, metrics (if on this address), web
/// UI, each answer with the security headers and within the request time limit.
pub fn app_with(store: Store, exposure: &Exposure) -> Router {
    let state = AppState { store };
    let header = axum::http::HeaderName::from_static("x-request-id");
    // The API's routes carry their full `/api/v1/...` paths (as documented); an unknown
    // path under `/api/` falls through to `web::serve`, which answers a problem+json 404.
    let (api, doc) = routes::api().split_for_parts();
    let api = api.route_layer(axum::middleware::from_fn_with_state(
        bodyless::Bodyless::of(&doc),
        bodyless::refuse_body,
    ));
    let mut routes = Router::new().merge(api).merge(routes::ops());
    if exposure.metrics_on_main() {
        routes = routes.merge(metrics::router(exposure.metrics_token.clone()));
    } else {
        routes = routes.merge(metrics::elsewhere());
    }
    let app = routes
        .fallback(web::serve)
        .method_not_allowed_fallback(problem::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            exposure.limits.request,
            limit_time,
        ))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .compress_when(compressible()),
        )
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
        .with_state(state);
    headers::secure(app, exposure.tls.is_some())
}

/// Answers `request_timeout` when a request is not read and answered within `limit` (a
/// stalled upload, say). A stream's body, once its headers are sent, is not limited.
async fn limit_time(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let detail = format!("not answered within {} s", limit.as_secs_f32());
            ApiError::new(Code::RequestTimeout, detail).into_response()
        }
    }
}

/// Gzip bodies worth it (sync pulls shrink about tenfold), never the event stream, whose
/// pokes must not wait in a compressor's buffer.
fn compressible() -> impl Predicate {
    SizeAbove::new(1024).and(NotForContentType::const_new("text/event-stream"))
}

/// Serves on `listener` as `exposure` says until `shutdown` completes, then finishes the
/// requests in flight (for `listen::DRAIN` at most: event streams are then cut). With a checkpoint file, anchors the audit chain in it every minute
/// the chain grew.
pub async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    checkpoints: Option<std::path::PathBuf>,
    exposure: Exposure,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = exposure.tls.as_ref().map(TlsFiles::acceptor).transpose()?;
    let shutdown = shutdown.boxed().shared();
    let metrics = match exposure.metrics_listen {
        Some(addr) => Some(tokio::net::TcpListener::bind(addr).await?),
        None => None,
    };
    tokio::spawn(bring_versions_into_force(store.clone()));
    if let Some(file) = checkpoints {
        tokio::spawn(anchor_audit_chain(store.clone(), file));
    }
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(address = %listener.local_addr()?, scheme, "serving");
    if let Some(metrics) = metrics {
        tracing::info!(address = %metrics.local_addr()?, "serving /metrics");
        let app = headers::secure(metrics::router(exposure.metrics_token.clone()), false);
        let limits = exposure.limits;
        tokio::spawn(listen::run(metrics, app, limits, None, shutdown.clone()));
    } else if exposure.metrics_token.is_none() {
        tracing::info!("/metrics is off: set a metrics token or a metrics address to read it");
    }
    let app = app_with(store, &exposure);
    listen::run(listener, app, exposure.limits, tls, shutdown).await
}

/// Once a minute, brings targeting versions whose effective date has come into force (a date
/// passing needs nobody to act; devices get the new plan on their next pull).
async fn bring_versions_into_force(store: Store) {
    let actor = pharmacrm_domain::audit::Actor::system("scheduler");
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(e) = pharmacrm_service::targeting::apply_due(&store, &actor, store.today()).await
        {
            tracing::warn!(error = %e, "could not bring targeting versions into force");
        }
    }
}

/// Once a minute, appends a sealed checkpoint of the audit chain's head to `file` if the
/// chain grew (docs/samples.md, "Seals and the anchor").
async fn anchor_audit_chain(store: Store, file: std::path::PathBuf) {
    let mut last = match pharmacrm_service::audit::last_checkpoint(&store, &file) {
        Ok(last) => last,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the audit checkpoints; not anchoring");
            return;
        }
    };
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        match pharmacrm_service::audit::checkpoint(&store, &file, last.as_ref()).await {
            Ok(Some(written)) => last = Some(written),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not write an audit checkpoint"),
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

pub fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    text.parse()
        .map_err(|e| format!("'{text}' is not an address like 127.0.0.1:8080: {e}"))
}

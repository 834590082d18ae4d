//! The pharmacrm HTTP server: the REST API under `/api/v1` (with its OpenAPI document),
//! health and metrics endpoints, and the embedded web UI. Handlers are thin: they parse,
//! call a service or a scoped storage read, and map errors once to problem+json.

mod bodyless;
mod extract;
mod metrics;
pub mod openapi;
mod problem;
mod routes;
mod web;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use pharmacrm_storage::Store;
use std::future::Future;
use std::net::SocketAddr;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use problem::{ApiError, Problem};

/// Largest request body accepted (JSON bodies are small; imports go through the CLI).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What handlers share. Devices are told of changes by the store itself
/// ([`Store::subscribe_changes`]), on the commit of any write they would pull.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// The whole application: API, health, metrics, web UI.
pub fn app(store: Store) -> Router {
    let state = AppState { store };
    let header = axum::http::HeaderName::from_static("x-request-id");
    // The API's routes carry their full `/api/v1/...` paths (as documented); an unknown
    // path under `/api/` falls through to `web::serve`, which answers a problem+json 404.
    let (api, doc) = routes::api().split_for_parts();
    let api = api.route_layer(axum::middleware::from_fn_with_state(
        bodyless::Bodyless::of(&doc),
        bodyless::refuse_body,
    ));
    Router::new()
        .merge(api)
        .merge(routes::ops())
        .fallback(web::serve)
        .method_not_allowed_fallback(problem::method_not_allowed)
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
        .with_state(state)
}

/// Gzip bodies worth it (sync pulls shrink about tenfold), never the event stream, whose
/// pokes must not wait in a compressor's buffer.
fn compressible() -> impl Predicate {
    SizeAbove::new(1024).and(NotForContentType::const_new("text/event-stream"))
}

/// Serves until `shutdown` completes, then finishes the requests in flight. With a
/// checkpoint file, anchors the audit chain in it every minute the chain grew.
pub async fn serve(
    store: Store,
    addr: SocketAddr,
    checkpoints: Option<std::path::PathBuf>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tokio::spawn(bring_versions_into_force(store.clone()));
    if let Some(file) = checkpoints {
        tokio::spawn(anchor_audit_chain(store.clone(), file));
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    axum::serve(listener, app(store))
        .with_graceful_shutdown(shutdown)
        .await
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

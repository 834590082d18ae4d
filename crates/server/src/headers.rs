//! The security headers. Every answer carries the content security policy (the web app's:
//! its own scripts, styles, images and API only; never framed), `nosniff` and the referrer
//! rule; answers that say nothing of caching (the API, `/healthz`, `/metrics`, problems)
//! are never stored; and a server speaking TLS itself asks browsers to keep to HTTPS.
//! The web UI's files say how they are cached themselves (`crate::web`).

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The app's policy: no inline script or style, no plugins, no framing by anyone. Images
/// may be `data:`/`blob:` URLs (the favicon, drawn signatures). Third-party HTML content
/// will run in a sandboxed frame served with a policy of its own.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

/// HSTS for a server speaking TLS itself: a year, subdomains not included (they may be
/// other sites).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Adds the headers to every answer of `router`; HSTS only when `tls`.
pub fn secure<S: Clone + Send + Sync + 'static>(router: Router<S>, tls: bool) -> Router<S> {
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ));
    if tls {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        ))
    } else {
        router
    }
}

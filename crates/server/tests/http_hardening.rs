//! HTTP hardening (docs/security.md): security headers, timeouts and the connection cap
//! (tested with limits of a second or two against a real socket, never by waiting minutes),
//! TLS with HSTS, and `/metrics` behind its token or on its own address.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::Api;
use pharmacrm_fixtures::testdb::TestDb;
use pharmacrm_server::{Exposure, Limits, TlsFiles};
use pharmacrm_storage::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{sleep, timeout, Instant};
use tower::ServiceExt;

/// Limits short enough for a test; each test shortens the one it checks.
fn quick() -> Limits {
    Limits {
        header_read: Duration::from_secs(5),
        request: Duration::from_secs(5),
        idle: Duration::from_secs(5),
        max_connections: 16,
    }
}

/// A served application on a free loopback port; dropping it stops the server.
struct Running {
    addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn start(store: Store, exposure: Exposure) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(pharmacrm_server::serve(
        store,
        listener,
        None,
        exposure,
        async move {
            let _ = stopped.await;
        },
    ));
    Running { addr, _stop: stop }
}

/// Reads until the peer closes (true) or `limit` passes (false).
async fn closes_within(stream: &mut (impl AsyncRead + Unpin), limit: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends one request on a new connection and reads the whole answer.
async fn exchange(stream: &mut (impl AsyncRead + AsyncWrite + Unpin), request: &str) -> String {
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 5 s")
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

const HEALTHZ: &str = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers() {
    let db = TestDb::sqlite().await;
    let app = pharmacrm_server::app(db.store.clone());
    for path in [
        "/api/v1/me",
        "/api/v1/nothing-here",
        "/healthz",
        "/",
        "/metrics",
    ] {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert_eq!(csp, pharmacrm_server::CONTENT_SECURITY_POLICY, "{path}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("script-src 'self';"), "no inline script");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{path}");
        assert!(
            !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "no HSTS over plain HTTP: {path}"
        );
        if path != "/" {
            assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{path}");
        }
    }
    // The web UI's files keep their own caching (when the UI is built into this binary).
    let page = Request::get("/").body(Body::empty()).unwrap();
    let page = app.clone().oneshot(page).await.unwrap();
    if page.status() == StatusCode::OK {
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
    }
}

/// The status of `GET /metrics` with `token`, if any.
async fn get(app: axum::Router, token: Option<&str>) -> StatusCode {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_their_token_or_their_own_address() {
    let db = TestDb::sqlite().await;
    let off = pharmacrm_server::app(db.store.clone());
    assert_eq!(
        get(off, None).await,
        StatusCode::NOT_FOUND,
        "off by default"
    );
    let guarded = Exposure {
        metrics_token: Some("s3cret-metrics".into()),
        ..Exposure::default()
    };
    let app = pharmacrm_server::app_with(db.store.clone(), &guarded);
    assert_eq!(get(app.clone(), None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(app.clone(), Some("s3cret-metric")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(app.clone(), Some("s3cret-metrics")).await,
        StatusCode::OK
    );

    // On its own address: not on the main one, answered on the other.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let metrics_addr = probe.local_addr().unwrap();
    drop(probe);
    let separate = Exposure {
        limits: quick(),
        metrics_listen: Some(metrics_addr),
        ..Exposure::default()
    };
    let running = start(db.store.clone(), separate).await;
    let mut main = TcpStream::connect(running.addr).await.unwrap();
    let answer = exchange(
        &mut main,
        "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let mut side = TcpStream::connect(metrics_addr).await.unwrap();
    let answer = exchange(
        &mut side,
        "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("text/plain"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_connections_are_closed() {
    let db = TestDb::sqlite().await;
    let running = start(
        db.store.clone(),
        Exposure {
            limits: Limits {
                header_read: Duration::from_secs(1),
                ..quick()
            },
            ..Exposure::default()
        },
    )
    .await;

    // Connected, never a byte.
    let mut silent = TcpStream::connect(running.addr).await.unwrap();
    assert!(closes_within(&mut silent, Duration::from_secs(2)).await);

    // Half a header, then nothing.
    let mut half = TcpStream::connect(running.addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    assert!(closes_within(&mut half, Duration::from_secs(2)).await);

    // A header trickled a byte every 100 ms never ends in time.
    let mut trickle = TcpStream::connect(running.addr).await.unwrap();
    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET /healthz HTTP/1.1\r\nX-Slow: ".iter().cycle() {
        if trickle.write_all(&[*byte]).await.is_err() || started.elapsed() > Duration::from_secs(2)
        {
            closed = trickle.write_all(b"x").await.is_err()
                || closes_within(&mut trickle, Duration::from_millis(200)).await;
            break;
        }
        sleep(Duration::from_millis(100)).await;
    }
    assert!(closed, "a trickled header is cut");
    assert!(started.elapsed() < Duration::from_secs(3));

    // A kept-alive connection waits for its next request no longer than the header limit.
    let mut kept = TcpStream::connect(running.addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 512];
    let n = kept.read(&mut first).await.unwrap();
    assert!(first[..n].starts_with(b"HTTP/1.1 200"));
    assert!(closes_within(&mut kept, Duration::from_secs(2)).await);

    // A well-behaved client is still served.
    let mut client = TcpStream::connect(running.addr).await.unwrap();
    assert!(exchange(&mut client, HEALTHZ)
        .await
        .starts_with("HTTP/1.1 200"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_connection_is_closed_and_a_stalled_upload_answered() {
    let db = TestDb::sqlite().await;
    let stalled_upload = "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":";

    // No byte either way for the idle limit closes the connection mid-request.
    let idle = start(
        db.store.clone(),
        Exposure {
            limits: Limits {
                idle: Duration::from_secs(1),
                ..quick()
            },
            ..Exposure::default()
        },
    )
    .await;
    let mut stream = TcpStream::connect(idle.addr).await.unwrap();
    stream.write_all(stalled_upload.as_bytes()).await.unwrap();
    assert!(closes_within(&mut stream, Duration::from_secs(2)).await);

    // The request limit answers a problem instead.
    let limited = start(
        db.store.clone(),
        Exposure {
            limits: Limits {
                request: Duration::from_secs(1),
                ..quick()
            },
            ..Exposure::default()
        },
    )
    .await;
    let mut stream = TcpStream::connect(limited.addr).await.unwrap();
    stream.write_all(stalled_upload.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = timeout(Duration::from_secs(2), stream.read(&mut answer))
        .await
        .expect("answered within 2 s")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_stream_outlives_the_request_limit() {
    let db = TestDb::sqlite().await;
    let api = Api::demo(db.store.clone()).await;
    let token = api.login("rep.t01").await;
    let running = start(
        db.store.clone(),
        Exposure {
            limits: Limits {
                request: Duration::from_secs(1),
                ..quick()
            },
            ..Exposure::default()
        },
    )
    .await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    let request = format!(
        "GET /api/v1/sync/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = [0u8; 1024];
    let n = timeout(Duration::from_secs(2), stream.read(&mut head))
        .await
        .unwrap()
        .unwrap();
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/event-stream"), "{head}");
    assert!(
        !closes_within(&mut stream, Duration::from_millis(1800)).await,
        "still open past the 1 s request limit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_wait_for_a_free_one() {
    let db = TestDb::sqlite().await;
    let running = start(
        db.store.clone(),
        Exposure {
            limits: Limits {
                max_connections: 1,
                ..quick()
            },
            ..Exposure::default()
        },
    )
    .await;
    let holder = TcpStream::connect(running.addr).await.unwrap();
    sleep(Duration::from_millis(100)).await; // accepted, holding the one slot
    let mut waiting = TcpStream::connect(running.addr).await.unwrap();
    waiting.write_all(HEALTHZ.as_bytes()).await.unwrap();
    let mut buf = [0u8; 256];
    assert!(
        timeout(Duration::from_millis(500), waiting.read(&mut buf))
            .await
            .is_err(),
        "not served while the cap is reached"
    );
    drop(holder);
    let n = timeout(Duration::from_secs(2), waiting.read(&mut buf))
        .await
        .expect("served once a slot is free")
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_served_with_hsts() {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
    let db = TestDb::sqlite().await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls");
    let files = TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    let running = start(
        db.store.clone(),
        Exposure {
            limits: quick(),
            tls: Some(files.clone()),
            ..Exposure::default()
        },
    )
    .await;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&files.cert).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(running.addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    let answer = exchange(&mut tls, HEALTHZ).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let hsts = format!(
        "strict-transport-security: {}",
        pharmacrm_server::STRICT_TRANSPORT_SECURITY
    );
    assert!(answer.to_ascii_lowercase().contains(&hsts), "{answer}");

    // Plain HTTP to the TLS port gets no answer, and a silent TLS client is cut.
    let mut plain = TcpStream::connect(running.addr).await.unwrap();
    plain.write_all(HEALTHZ.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let _ = timeout(Duration::from_secs(2), plain.read_to_end(&mut buf)).await;
    assert!(!String::from_utf8_lossy(&buf).contains("200"));

    // Missing files are refused when the server starts.
    let missing = TlsFiles {
        cert: dir.join("absent.pem"),
        key: files.key.clone(),
    };
    let error = missing
        .acceptor()
        .err()
        .expect("missing certificate refused");
    assert!(error.to_string().contains("absent.pem"), "{error}");
}

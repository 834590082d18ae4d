//! Calling the application in-process (no socket) and signing demo users in.
#![allow(dead_code)] // each test binary uses a different part

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use pharmacrm_storage::Store;
use serde_json::Value;
use tower::ServiceExt;

/// The argon2 hash of the demo password, computed once per test process.
pub fn demo_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        pharmacrm_service::auth::hash_password(pharmacrm_fixtures::DEMO_PASSWORD).unwrap()
    })
}

pub struct Api {
    pub app: Router,
    pub store: Store,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Api {
    pub async fn demo(store: Store) -> Api {
        pharmacrm_fixtures::populate_small(&store, demo_hash()).await;
        Api {
            app: pharmacrm_server::app(store.clone()),
            store,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            content_type,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None, Vec::new()).await
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(
            Method::POST,
            path,
            token,
            Some("application/json"),
            serde_json::to_vec(body).unwrap(),
        )
        .await
    }

    pub async fn login(&self, username: &str) -> String {
        let reply = self
            .post_json(
                "/api/v1/auth/login",
                None,
                &serde_json::json!({"username": username, "password": "demo"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json()["token"].as_str().unwrap().to_string()
    }

    /// Every page of a list endpoint.
    pub async fn all(&self, path: &str, token: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit=200&cursor={c}"),
                None => format!("{path}{sep}limit=200"),
            };
            let reply = self.get(&url, Some(token)).await;
            assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.text);
            let page = reply.json();
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return items,
            }
        }
    }
}

/// HCPs a call by the signed-in user may name: active, not do-not-call, not blacklisted
/// (read from each profile, as a device holds it).
#[allow(dead_code)]
pub async fn callable_hcps(api: &Api, token: &str) -> Vec<String> {
    let mut hcps = Vec::new();
    for h in api.all("/api/v1/hcps", token).await {
        let id = h["id"].as_str().unwrap().to_string();
        let profile = api
            .get(&format!("/api/v1/hcps/{id}"), Some(token))
            .await
            .json();
        if profile["status"] == "active"
            && profile["do_not_call"].is_null()
            && profile["blacklist"].is_null()
        {
            hcps.push(id);
        }
    }
    hcps
}

/// A valid new-HCP body with its address in `zip`.
pub fn new_hcp(npi: &str, zip: &str) -> Value {
    serde_json::json!({
        "npi": npi,
        "first_name": "Ana",
        "last_name": "Lopez",
        "credentials": "MD",
        "specialty_code": "207RC0000X",
        "language": "es",
        "address": {"line1": "1 Main St", "line2": null, "city": "Boston", "state": "MA", "zip": zip, "latitude": null, "longitude": null},
        "licences": [{"state": "MA", "number": "MA1", "expires_on": "2030-01-01"}],
        "preferred_call_times": [{"day": "tue", "from": "09:00", "to": "11:00"}]
    })
}

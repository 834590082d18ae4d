//! API behaviour on both backends: sign-in, problem+json errors (4xx, never 5xx, never a
//! partial write), pagination, the OpenAPI document, health and metrics.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::{new_hcp, Api};
use pharmacrm_domain::access::Scope;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::json;

async fn sign_in_and_out(store: Store) {
    let api = Api::demo(store).await;
    let wrong = api
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({"username": "rep.t01", "password": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["code"], "invalid_credentials");
    let unknown = api
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({"username": "nobody", "password": "demo"}),
        )
        .await;
    assert_eq!(
        unknown.json()["code"],
        "invalid_credentials",
        "unknown users look like wrong passwords"
    );
    let login = api
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({"username": "rep.t01", "password": "demo"}),
        )
        .await
        .json();
    assert_eq!(login["user"]["role"], "rep");
    assert_eq!(login["user"]["territories"][0]["code"], "T01");
    let token = login["token"].as_str().unwrap();
    assert_eq!(
        api.get("/api/v1/me", Some(token)).await.status,
        StatusCode::OK
    );
    let out = api
        .send(
            Method::POST,
            "/api/v1/auth/logout",
            Some(token),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.get("/api/v1/me", Some(token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn bad_input_is_a_4xx_and_writes_nothing(store: Store) {
    let api = Api::demo(store).await;
    let token = api.login("ops").await;
    let before = api.store.count_hcps(&Scope::All).await.unwrap();
    let audit_before = api.store.audit_count().await.unwrap();
    let zip = api.all("/api/v1/hcps", &token).await[0]["zip"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |body: Vec<u8>, ct: &'static str| {
        let api = &api;
        let token = token.clone();
        async move {
            api.send(Method::POST, "/api/v1/hcps", Some(&token), Some(ct), body)
                .await
        }
    };

    let malformed = post(b"{\"npi\": \"12".to_vec(), "application/json").await;
    assert_eq!(
        (malformed.status, malformed.json()["code"].as_str().unwrap()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let trailing = post(b"{} {}".to_vec(), "application/json").await;
    assert!(trailing.status.is_client_error());
    let wrong_type = post(
        serde_json::to_vec(&json!({"npi": 1234567893})).unwrap(),
        "application/json",
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.json()["errors"][0]["field"], "npi");
    let mut missing = new_hcp("1234567893", &zip);
    missing.as_object_mut().unwrap().remove("last_name");
    let missing = api.post_json("/api/v1/hcps", Some(&token), &missing).await;
    assert_eq!(missing.json()["errors"][0]["field"], "last_name");
    let bad_npi = api
        .post_json("/api/v1/hcps", Some(&token), &new_hcp("1234567890", &zip))
        .await;
    assert_eq!(bad_npi.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_npi.content_type, "application/problem+json");
    let problem = bad_npi.json();
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "npi");
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("check digit"));
    let mut many = new_hcp("1234567890", "ABCDE");
    many["licences"][0]["state"] = json!("ZZ");
    let many = api
        .post_json("/api/v1/hcps", Some(&token), &many)
        .await
        .json();
    let fields: Vec<&str> = many["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["npi", "address.zip", "licences[0].state"]);
    let wrong_media = post(b"npi=1".to_vec(), "text/plain").await;
    assert_eq!(wrong_media.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let oversize = post(
        vec![b' '; pharmacrm_server::MAX_BODY_BYTES + 10],
        "application/json",
    )
    .await;
    assert_eq!(oversize.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(oversize.json()["code"], "payload_too_large");
    assert_eq!(
        api.store.count_hcps(&Scope::All).await.unwrap(),
        before,
        "nothing written"
    );
    assert_eq!(
        api.store.audit_count().await.unwrap(),
        audit_before,
        "nothing audited"
    );

    let created = api
        .post_json("/api/v1/hcps", Some(&token), &new_hcp("1234567893", &zip))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let hcp = created.json();
    assert_eq!(hcp["specialty_name"], "Cardiovascular Disease");
    assert_eq!(hcp["licences"][0]["active"], true);
    let again = api
        .post_json("/api/v1/hcps", Some(&token), &new_hcp("1234567893", &zip))
        .await;
    assert_eq!(
        (again.status, again.json()["code"].as_str().unwrap()),
        (StatusCode::CONFLICT, "duplicate_npi")
    );
    assert_eq!(api.store.count_hcps(&Scope::All).await.unwrap(), before + 1);
    let audit = api
        .store
        .audit_entries("hcp", hcp["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_name, "ops");
}

async fn unknown_things_are_404_problems(store: Store) {
    let api = Api::demo(store).await;
    let token = api.login("admin").await;
    for path in [
        "/api/v1/hcps/0190a1b2-0000-7000-8000-000000000000",
        "/api/v1/hcps/not-a-uuid",
        "/api/v1/accounts/0190a1b2-0000-7000-8000-000000000000",
        "/api/v1/no-such-thing",
    ] {
        let reply = api.get(path, Some(&token)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply.json()["code"], "not_found", "{path}");
    }
    let wrong_method = api
        .send(
            Method::DELETE,
            "/api/v1/hcps",
            Some(&token),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["code"], "method_not_allowed");
    for (query, field) in [
        ("tier=D", "tier"),
        ("status=asleep", "status"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("cursor=zzz", "cursor"),
        ("territory=x", "territory"),
    ] {
        let reply = api
            .get(&format!("/api/v1/hcps?{query}"), Some(&token))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            reply.text
        );
        assert_eq!(reply.json()["errors"][0]["field"], field, "{query}");
    }
    let bad_type = api.get("/api/v1/accounts?type=castle", Some(&token)).await;
    assert_eq!(bad_type.json()["errors"][0]["field"], "type");
}

async fn lists_paginate_and_filter(store: Store) {
    let api = Api::demo(store).await;
    let token = api.login("mgr.d01").await;
    let first = api.get("/api/v1/hcps?limit=7", Some(&token)).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 7);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = api
        .get(
            &format!("/api/v1/hcps?limit=7&cursor={cursor}"),
            Some(&token),
        )
        .await
        .json();
    assert_ne!(first["items"][6]["id"], second["items"][0]["id"]);
    let specialty = first["items"][0]["specialty_code"].as_str().unwrap();
    let filtered = api
        .all(
            &format!("/api/v1/hcps?specialty={specialty}&tier=A"),
            &token,
        )
        .await;
    assert!(filtered
        .iter()
        .all(|h| h["specialty_code"] == specialty && h["top_tier"] == "A"));
    let clinics = api.all("/api/v1/accounts?type=clinic", &token).await;
    assert!(!clinics.is_empty() && clinics.iter().all(|a| a["account_type"] == "clinic"));
    let hcp = api
        .get(
            &format!("/api/v1/hcps/{}", first["items"][0]["id"].as_str().unwrap()),
            Some(&token),
        )
        .await
        .json();
    for key in [
        "npi",
        "specialty_name",
        "licences",
        "affiliations",
        "preferred_call_times",
        "language",
        "segments",
        "do_not_call",
        "address",
    ] {
        assert!(hcp.get(key).is_some(), "profile has {key}");
    }
}

async fn operations_endpoints(store: Store) {
    let api = Api::demo(store).await;
    let health = api.get("/healthz", None).await;
    assert_eq!(
        (health.status, health.text.as_str()),
        (StatusCode::OK, "ok")
    );
    let doc = api.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/hcps",
        "/api/v1/hcps/{id}",
        "/api/v1/accounts",
        "/api/v1/accounts/{id}",
        "/api/v1/users",
    ] {
        assert!(doc["paths"].get(path).is_some(), "OpenAPI documents {path}");
    }
    for schema in [
        "Hcp",
        "HcpSummary",
        "HcpPage",
        "Account",
        "Problem",
        "Me",
        "HcpInput",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "schema {schema}"
        );
    }
    let token = api.login("rep.t01").await;
    let products = api.get("/api/v1/products", Some(&token)).await.json();
    let brands: Vec<&str> = products
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["brand"].as_str().unwrap())
        .collect();
    assert_eq!(brands, vec!["Cardivex", "Glucora", "Neurvanta", "Respiral"]);
    let picklists = api.get("/api/v1/picklists", Some(&token)).await.json();
    assert_eq!(picklists["outcomes"][0]["code"], "interested");
    assert_eq!(picklists["call_types"].as_array().unwrap().len(), 4);
    let launch = &products[2];
    assert_eq!(launch["lifecycle_stage"], "launch");
    assert_eq!(
        launch["sample_skus"][0]["ndc"], "59148-0006-13",
        "5-3-2 label form stored as 5-4-2"
    );
    assert_eq!(launch["sample_skus"][0]["dea_schedule"], "IV");
    assert_eq!(
        products[1]["sample_skus"][0]["ndc"], "00002-8215-01",
        "4-4-2 label form stored as 5-4-2"
    );
    let compressed = {
        use tower::ServiceExt;
        let request = axum::http::Request::get("/api/v1/hcps?limit=200")
            .header("authorization", format!("Bearer {token}"))
            .header("accept-encoding", "gzip")
            .body(axum::body::Body::empty())
            .unwrap();
        api.app.clone().oneshot(request).await.unwrap()
    };
    assert_eq!(
        compressed.headers()["content-encoding"],
        "gzip",
        "large JSON answers are compressed"
    );
    // `/metrics` is off unless it has a token (or an address of its own).
    assert_eq!(
        api.get("/metrics", None).await.status,
        StatusCode::NOT_FOUND
    );
    let exposure = pharmacrm_server::Exposure {
        metrics_token: Some("metrics-token".into()),
        ..pharmacrm_server::Exposure::default()
    };
    let guarded = Api {
        app: pharmacrm_server::app_with(api.store.clone(), &exposure),
        store: api.store.clone(),
    };
    let metrics = guarded.get("/metrics", Some("metrics-token")).await;
    assert!(metrics.content_type.starts_with("text/plain"));
    assert!(
        metrics.text.contains("http_requests_total"),
        "{}",
        metrics.text
    );
}

/// A call's history names the rep who made it; a duplicate pair shows each side's last and
/// first name on their own rows.
async fn call_history_names_the_rep_and_pairs_split_the_names(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let me = api.get("/api/v1/me", Some(&rep)).await.json();
    let hcp = common::callable_hcps(&api, &rep).await.remove(0);
    let call = json!({"id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": [hcp],
        "called_at": api.store.now().to_rfc3339(), "product_ids": [], "outcome": "interested",
        "next_step": "follow_up_visit"});
    let push = json!({"client_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(),
        "client_ts": api.store.now().to_rfc3339(), "kind": "call.submit", "payload": call}]});
    let pushed = api.post_json("/api/v1/sync/push", Some(&rep), &push).await;
    assert_eq!(
        pushed.json()["results"][0]["status"],
        "applied",
        "{}",
        pushed.text
    );
    let calls = api
        .get(&format!("/api/v1/hcps/{hcp}/calls"), Some(&rep))
        .await
        .json();
    let mine = calls
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == call["id"])
        .expect("the call in the HCP's history")
        .clone();
    assert_eq!(mine["rep_name"], me["display_name"], "{mine}");
    pharmacrm_fixtures::stewardship::seed(&api.store, 7)
        .await
        .expect("the demo's planted duplicates");
    let ops = api.login("ops").await;
    let scan = api
        .send(
            Method::POST,
            "/api/v1/duplicates/scan",
            Some(&ops),
            None,
            vec![],
        )
        .await;
    assert_eq!(scan.status, StatusCode::OK, "{}", scan.text);
    let pairs = api.get("/api/v1/duplicates", Some(&ops)).await.json();
    let items = pairs.as_array().unwrap().clone();
    assert!(!items.is_empty(), "the planted duplicates are found");
    for p in items {
        for side in [&p["a"], &p["b"]] {
            let (last, first) = (
                side["last_name"].as_str().unwrap(),
                side["first_name"].as_str().unwrap(),
            );
            assert!(!last.is_empty() && !first.is_empty(), "{side}");
        }
    }
}

backend_tests!(
    call_history_names_the_rep_and_pairs_split_the_names,
    sign_in_and_out,
    bad_input_is_a_4xx_and_writes_nothing,
    unknown_things_are_404_problems,
    lists_paginate_and_filter,
    operations_endpoints,
);

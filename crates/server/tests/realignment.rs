//! Realignment cycles and targeting versions through the API on both backends: who may do
//! what (6 roles), field review visibility, problem+json for blocked publications, notices.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::json;

const ROLES: [&str; 6] = [
    "rep.t01",
    "mgr.d01",
    "ops",
    "marketing",
    "compliance",
    "admin",
];

async fn realignment_cycle_through_the_api(store: Store) {
    let api = Api::demo(store).await;
    let mut tokens = std::collections::HashMap::new();
    for r in ROLES {
        tokens.insert(r, api.login(r).await);
    }
    let ops = tokens["ops"].clone();
    for r in ROLES {
        let created = api
            .post_json(
                "/api/v1/realignments",
                Some(&tokens[r]),
                &json!({"name": format!("by {r}")}),
            )
            .await;
        let expected = if matches!(r, "ops" | "admin") {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(created.status, expected, "{r} creates a realignment");
        let versions = api
            .get("/api/v1/targeting/versions", Some(&tokens[r]))
            .await;
        let expected = if matches!(r, "ops" | "admin" | "marketing" | "mgr.d01") {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(versions.status, expected, "{r} reads targeting versions");
    }
    let cycle = api
        .post_json("/api/v1/realignments", Some(&ops), &json!({"name": "Q1"}))
        .await
        .json();
    let id = cycle["id"].as_str().unwrap().to_string();
    let t02 = api.store.org_unit_by_code("T02").await.unwrap().unwrap().id;
    let hcps = api.all("/api/v1/hcps", &tokens["rep.t01"]).await;
    let zip = hcps[0]["zip"].as_str().unwrap().to_string();
    let lines = json!({"zips": [{"key": zip, "territory_id": t02}], "accounts": []});
    let put = api
        .send(
            Method::PUT,
            &format!("/api/v1/realignments/{id}/lines"),
            Some(&ops),
            Some("application/json"),
            serde_json::to_vec(&lines).unwrap(),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let upload = api
        .send(
            Method::POST,
            &format!("/api/v1/realignments/{id}/upload"),
            Some(&ops),
            Some("text/csv"),
            b"zip,account_external_id,territory_code\n,,T02\n99999,,T77\n".to_vec(),
        )
        .await
        .json();
    assert_eq!(
        (
            upload["rejected"].as_u64(),
            upload["errors"][0]["field"].as_str()
        ),
        (Some(2), Some("zip"))
    );

    // A draft is ops' alone.
    for r in ["rep.t01", "mgr.d01", "marketing"] {
        assert_eq!(
            api.get(
                &format!("/api/v1/realignments/{id}/review"),
                Some(&tokens[r])
            )
            .await
            .status,
            StatusCode::NOT_FOUND,
            "{r}"
        );
    }
    let impact = api
        .get(&format!("/api/v1/realignments/{id}/impact"), Some(&ops))
        .await
        .json();
    let moving = hcps.iter().filter(|h| h["zip"] == zip.as_str()).count() as u64;
    assert_eq!(impact["hcps_moving"].as_u64(), Some(moving));
    assert!(impact["method"].as_str().unwrap().contains("Key losses"));
    assert_eq!(
        api.post_json(
            &format!("/api/v1/realignments/{id}/review"),
            Some(&ops),
            &json!({})
        )
        .await
        .status,
        StatusCode::OK
    );

    let review = api
        .get(
            &format!("/api/v1/realignments/{id}/review"),
            Some(&tokens["rep.t01"]),
        )
        .await
        .json();
    assert_eq!(review["moves_total"].as_u64(), Some(moving));
    assert_eq!(
        api.get(
            &format!("/api/v1/realignments/{id}/review"),
            Some(&tokens["marketing"])
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let hcp = review["moves"][0]["hcp_id"].clone();
    let marked = api
        .post_json(
            &format!("/api/v1/realignments/{id}/marks"),
            Some(&tokens["rep.t01"]),
            &json!({"hcp_id": hcp, "kind": "key_relationship", "note": "KOL"}),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    assert_eq!(
        api.post_json(
            &format!("/api/v1/realignments/{id}/marks"),
            Some(&ops),
            &json!({"hcp_id": hcp, "kind": "escalation", "note": "x"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let today = api.store.today();
    let blocked = api
        .post_json(
            &format!("/api/v1/realignments/{id}/publish"),
            Some(&ops),
            &json!({"effective_from": today, "override_reason": "now"}),
        )
        .await;
    assert_eq!(blocked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blocked.json()["errors"][0]["field"], "marks");
    let mark = marked.json()["id"].as_str().unwrap().to_string();
    let resolved = api
        .post_json(
            &format!("/api/v1/realignments/{id}/marks/{mark}/resolve"),
            Some(&ops),
            &json!({"resolution": "accepted", "note": "joint visit"}),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    let no_reason = api
        .post_json(
            &format!("/api/v1/realignments/{id}/publish"),
            Some(&ops),
            &json!({"effective_from": today}),
        )
        .await;
    assert_eq!(no_reason.json()["errors"][0]["field"], "override_reason");
    let published = api
        .post_json(
            &format!("/api/v1/realignments/{id}/publish"),
            Some(&ops),
            &json!({"effective_from": today, "override_reason": "now"}),
        )
        .await;
    assert_eq!(
        (published.status, published.json()["status"].as_str()),
        (StatusCode::OK, Some("published"))
    );

    let notices = api
        .get("/api/v1/notices", Some(&tokens["rep.t01"]))
        .await
        .json();
    assert!(notices[0]["title"].as_str().unwrap().contains("Q1"));
    let pulled = api
        .get("/api/v1/sync/pull?limit=2000", Some(&tokens["rep.t01"]))
        .await
        .json();
    assert!(
        pulled["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["entity"] == "notice"),
        "notices reach the device"
    );
    assert_eq!(
        api.all("/api/v1/hcps", &tokens["rep.t01"]).await.len() as u64,
        hcps.len() as u64 - moving
    );
}

backend_tests!(realignment_cycle_through_the_api);

//! Do-not-call flags set by compliance reach the field and block calls, on both backends.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::json;

async fn a_do_not_call_flag_reaches_the_rep_and_blocks_calls(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let compliance = api.login("compliance").await;
    let initial = api
        .get("/api/v1/sync/pull?limit=2000", Some(&rep))
        .await
        .json();
    let cursor = initial["cursor"].as_str().unwrap().to_string();
    let hcp = api
        .all("/api/v1/hcps", &rep)
        .await
        .into_iter()
        .find(|h| h["do_not_call"] == false && h["status"] == "active")
        .unwrap();
    let id = hcp["id"].as_str().unwrap();
    let path = format!("/api/v1/hcps/{id}/do-not-call");
    let put = |token: String, body: serde_json::Value| {
        let api = &api;
        let path = path.clone();
        async move {
            api.send(
                Method::PUT,
                &path,
                Some(&token),
                Some("application/json"),
                serde_json::to_vec(&body).unwrap(),
            )
            .await
        }
    };

    assert_eq!(
        put(rep.clone(), json!({"reason": "x"})).await.status,
        StatusCode::FORBIDDEN,
        "reps cannot flag"
    );
    let empty = put(compliance.clone(), json!({"reason": "  "})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["errors"][0]["field"], "reason");
    let flagged = put(
        compliance.clone(),
        json!({"reason": "Excluded by the HHS-OIG list"}),
    )
    .await;
    assert_eq!(flagged.status, StatusCode::OK, "{}", flagged.text);
    let dnc = &flagged.json()["do_not_call"];
    assert_eq!(
        (dnc["reason"].as_str(), dnc["set_by"].as_str()),
        (Some("Excluded by the HHS-OIG list"), Some("compliance"))
    );

    let next = api
        .get(
            &format!("/api/v1/sync/pull?limit=2000&cursor={cursor}"),
            Some(&rep),
        )
        .await
        .json();
    let change = next["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .expect("the flag reaches the device");
    assert_eq!(
        change["data"]["do_not_call"]["reason"],
        "Excluded by the HHS-OIG list"
    );

    let call = json!({"client_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "client_ts": api.store.now().to_rfc3339(),
        "kind": "call.submit", "payload": {"id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": [id],
        "called_at": (api.store.now() + Duration::seconds(1)).to_rfc3339(), "outcome": "interested", "next_step": "none"}}]});
    let pushed = api
        .post_json("/api/v1/sync/push", Some(&rep), &call)
        .await
        .json();
    assert_eq!(pushed["results"][0]["code"], "do_not_call");

    let ops = api.login("ops").await;
    let cleared = api
        .send(
            Method::DELETE,
            &format!("/api/v1/hcps/{id}/do-not-call"),
            Some(&ops),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert!(cleared.json()["do_not_call"].is_null());
    let audit = api.store.audit_entries("hcp", id).await.unwrap();
    let actors: Vec<&str> = audit
        .iter()
        .skip(1)
        .map(|e| e.actor_name.as_str())
        .collect();
    assert_eq!(
        actors,
        vec!["compliance", "ops"],
        "both changes are audited with who made them"
    );
    let missing = api
        .send(
            Method::DELETE,
            "/api/v1/hcps/0190a1b2-0000-7000-8000-000000000000/do-not-call",
            Some(&ops),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

backend_tests!(a_do_not_call_flag_reaches_the_rep_and_blocks_calls);

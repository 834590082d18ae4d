//! Ops self-service through the API on both backends: CSV uploads and frequency targets,
//! reaching reps' devices on their next pull.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::json;

async fn ops_uploads_segmentation_and_targets_reach_the_rep(store: Store) {
    let api = Api::demo(store).await;
    let ops = api.login("ops").await;
    let rep = api.login("rep.t01").await;
    let initial = api
        .get("/api/v1/sync/pull?limit=2000", Some(&rep))
        .await
        .json();
    let cursor = initial["cursor"].as_str().unwrap().to_string();
    let hcps = api.all("/api/v1/hcps", &rep).await;
    let c_tier = hcps.iter().find(|h| h["top_tier"] == "C").unwrap();
    let npi = c_tier["npi"].as_str().unwrap();
    let json_body = |v: serde_json::Value| serde_json::to_vec(&v).unwrap();

    let version = api
        .send(
            Method::POST,
            "/api/v1/targeting/versions",
            Some(&ops),
            Some("application/json"),
            json_body(json!({"name": "Re-tier", "cycle": "month"})),
        )
        .await;
    assert_eq!(version.status, StatusCode::OK, "{}", version.text);
    let version = version.json();
    let id = version["id"].as_str().unwrap().to_string();
    let refused = api
        .send(
            Method::POST,
            "/api/v1/targeting/versions",
            Some(&rep),
            Some("application/json"),
            json_body(json!({"name": "x", "cycle": "month"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A big file (over the 256 KiB JSON limit): one real change and many repeats of it.
    let mut file = String::from("npi,product,tier,decile\n");
    file.push_str(&format!("{npi},Cardivex,A,10\n"));
    for _ in 0..12_000 {
        file.push_str(&format!("{npi},Cardivex,A,10\n"));
    }
    assert!(file.len() > 256 * 1024);
    let upload = |token: String, path: String, body: String| {
        let api = &api;
        async move {
            api.send(
                Method::POST,
                &path,
                Some(&token),
                Some("text/csv"),
                body.into_bytes(),
            )
            .await
        }
    };
    let segments = format!("/api/v1/targeting/versions/{id}/segments");
    let report = upload(ops.clone(), segments.clone(), file.clone()).await;
    assert_eq!(
        report.status,
        StatusCode::OK,
        "{}",
        &report.text[..200.min(report.text.len())]
    );
    let report = report.json();
    assert_eq!(
        report["created"].as_u64().unwrap() + report["updated"].as_u64().unwrap(),
        1
    );
    assert_eq!(
        report["rejected"], 12_000,
        "repeats are reported, not applied twice"
    );
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(
        upload(rep.clone(), segments.clone(), file.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let old_way = upload(ops.clone(), "/api/v1/imports/segments".into(), file.clone()).await;
    assert_eq!(
        (
            old_way.status,
            old_way.json()["errors"][0]["field"].as_str()
        ),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
        "segmentation goes through versions"
    );
    assert_eq!(
        upload(ops.clone(), "/api/v1/imports/castles".into(), file)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let missing = upload(
        ops.clone(),
        "/api/v1/imports/hcps".into(),
        "npi\n1234567893\n".into(),
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"][0]["field"], "file");

    let mut rows: Vec<serde_json::Value> = version["frequencies"].as_array().unwrap().clone();
    let products = api.get("/api/v1/products", Some(&ops)).await.json();
    let cardivex = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["brand"] == "Cardivex")
        .unwrap()["id"]
        .clone();
    let i = rows
        .iter()
        .position(|r| r["product_id"] == cardivex && r["tier"] == "A")
        .unwrap();
    let frequencies = format!("/api/v1/targeting/versions/{id}/frequencies");
    rows[i]["calls"] = json!(32);
    let bad = api
        .send(
            Method::PUT,
            &frequencies,
            Some(&ops),
            Some("application/json"),
            json_body(json!(rows)),
        )
        .await;
    assert_eq!(
        (
            bad.status,
            bad.json()["errors"][0]["field"]
                .as_str()
                .map(str::to_string)
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(format!("frequencies[{i}].calls"))
        )
    );
    rows[i]["calls"] = json!(5);
    let changed = api
        .send(
            Method::PUT,
            &frequencies,
            Some(&ops),
            Some("application/json"),
            json_body(json!(rows)),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let refused = api
        .send(
            Method::PUT,
            &frequencies,
            Some(&rep),
            Some("application/json"),
            json_body(json!(rows)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Nothing reaches the rep before publication.
    let quiet = api
        .get(
            &format!("/api/v1/sync/pull?limit=2000&cursor={cursor}"),
            Some(&rep),
        )
        .await
        .json();
    assert!(quiet["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["entity"] != "target" && c["entity"] != "hcp"));
    let today = api.store.today().to_string();
    let published = api
        .send(
            Method::POST,
            &format!("/api/v1/targeting/versions/{id}/publish"),
            Some(&ops),
            Some("application/json"),
            json_body(json!({"effective_from": today})),
        )
        .await;
    assert_eq!(
        (published.status, published.json()["state"].as_str()),
        (StatusCode::OK, Some("in_force"))
    );

    let next = api
        .get(
            &format!("/api/v1/sync/pull?limit=2000&cursor={cursor}"),
            Some(&rep),
        )
        .await
        .json();
    let changes = next["changes"].as_array().unwrap();
    let target = changes
        .iter()
        .find(|c| {
            c["entity"] == "target"
                && c["data"]["product_id"] == cardivex
                && c["data"]["tier"] == "A"
        })
        .unwrap();
    assert_eq!(
        (
            target["data"]["calls"].as_u64(),
            target["data"]["cycle"].as_str()
        ),
        (Some(5), Some("month"))
    );
    let hcp = changes.iter().find(|c| c["entity"] == "hcp").unwrap();
    assert_eq!(hcp["data"]["npi"], npi);
    assert!(hcp["data"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["product_name"] == "Cardivex" && s["tier"] == "A" && s["decile"] == 10));
    let versions = api
        .get("/api/v1/targeting/versions", Some(&ops))
        .await
        .json();
    let states: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        vec!["in_force", "draft", "superseded"],
        "newest first; version 1 stays readable"
    );
}

backend_tests!(ops_uploads_segmentation_and_targets_reach_the_rep);

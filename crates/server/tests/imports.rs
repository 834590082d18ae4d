//! Ops self-service through the API on both backends: CSV uploads and frequency targets,
//! reaching reps' devices on their next pull.

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
    let initial = api.get("/api/v1/sync/pull?limit=2000", Some(&rep)).await.json();
    let cursor = initial["cursor"].as_str().unwrap().to_string();
    let hcps = api.all("/api/v1/hcps", &rep).await;
    let c_tier = hcps.iter().find(|h| h["top_tier"] == "C").unwrap();
    let npi = c_tier["npi"].as_str().unwrap();
    // A big file (over the 256 KiB JSON limit): one real change and many repeats of it.
    let mut file = String::from("npi,product,tier,decile,set_on\n");
    file.push_str(&format!("{npi},Cardivex,A,10,\n"));
    for _ in 0..12_000 {
        file.push_str(&format!("{npi},Cardivex,A,10,\n"));
    }
    assert!(file.len() > 256 * 1024);
    let upload = |token: String, kind: &'static str, body: String| {
        let api = &api;
        async move { api.send(Method::POST, &format!("/api/v1/imports/{kind}"), Some(&token), Some("text/csv"), body.into_bytes()).await }
    };
    let report = upload(ops.clone(), "segments", file.clone()).await;
    assert_eq!(report.status, StatusCode::OK, "{}", &report.text[..200.min(report.text.len())]);
    let report = report.json();
    assert_eq!(report["created"].as_u64().unwrap() + report["updated"].as_u64().unwrap(), 1);
    assert_eq!(report["rejected"], 12_000, "repeats are reported, not applied twice");
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(upload(rep.clone(), "segments", file.clone()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(upload(ops.clone(), "castles", file).await.status, StatusCode::NOT_FOUND);
    let missing = upload(ops.clone(), "hcps", "npi\n1234567893\n".into()).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"][0]["field"], "file");

    let changed = api.send(Method::PUT, "/api/v1/targets/A", Some(&ops), Some("application/json"), serde_json::to_vec(&json!({"calls_per_month": 5})).unwrap()).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let refused = api.send(Method::PUT, "/api/v1/targets/A", Some(&rep), Some("application/json"), serde_json::to_vec(&json!({"calls_per_month": 9})).unwrap()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = api.send(Method::PUT, "/api/v1/targets/D", Some(&ops), Some("application/json"), serde_json::to_vec(&json!({"calls_per_month": 2})).unwrap()).await;
    assert_eq!(bad.json()["errors"][0]["field"], "tier");

    let next = api.get(&format!("/api/v1/sync/pull?limit=2000&cursor={cursor}"), Some(&rep)).await.json();
    let changes = next["changes"].as_array().unwrap();
    let target = changes.iter().find(|c| c["entity"] == "target").unwrap();
    assert_eq!((target["data"]["tier"].as_str(), target["data"]["calls_per_month"].as_u64()), (Some("A"), Some(5)));
    let hcp = changes.iter().find(|c| c["entity"] == "hcp").unwrap();
    assert_eq!(hcp["data"]["npi"], npi);
    assert!(hcp["data"]["segments"].as_array().unwrap().iter().any(|s| s["product_name"] == "Cardivex" && s["tier"] == "A" && s["decile"] == 10));
}

backend_tests!(ops_uploads_segmentation_and_targets_reach_the_rep);

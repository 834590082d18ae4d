//! Sample endpoints over HTTP for every role, on SQLite and PostgreSQL: who sees whose
//! inventory, exceptions, records and reconciliation; who may change sample policy; the
//! CSV downloads.

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};

async fn rep_id(api: &Api, admin: &str, username: &str) -> String {
    let users = api.get("/api/v1/users", Some(admin)).await.json();
    users.as_array().unwrap().iter().find(|u| u["username"] == username).unwrap()["id"].as_str().unwrap().to_string()
}

async fn sample_endpoints_respect_every_role(store: Store) {
    let api = Api::demo(store).await;
    let admin = api.login("admin").await;
    let (t01, t03) = (rep_id(&api, &admin, "rep.t01").await, rep_id(&api, &admin, "rep.t03").await);
    let ops = api.login("ops").await;
    let all_hcps = api.all("/api/v1/hcps", &ops).await;
    let hcp_in = |code: &str| all_hcps.iter().find(|h| h["territory"]["code"] == code).unwrap()["id"].as_str().unwrap().to_string();
    let (hcp_t01, hcp_t03) = (hcp_in("T01"), hcp_in("T03"));
    let today = pharmacrm_storage::today();
    let period = format!("from={}&to={today}", today - chrono::Duration::days(120));

    for username in ["rep.t01", "mgr.d01", "ops", "marketing", "compliance", "admin"] {
        let token = api.login(username).await;
        let book = api.get("/api/v1/samples/book", Some(&token)).await;
        assert_eq!(book.status, if username == "rep.t01" { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{username}: book");

        let exceptions = api.get("/api/v1/samples/exceptions", Some(&token)).await;
        if username == "marketing" {
            assert_eq!(exceptions.status, StatusCode::FORBIDDEN);
            continue;
        }
        let reps: Vec<String> = exceptions.json().as_array().unwrap().iter().map(|x| x["rep_id"].as_str().unwrap().to_string()).collect();
        match username {
            "rep.t01" => assert!(!reps.is_empty() && reps.iter().all(|r| *r == t01), "a rep sees only their own exceptions"),
            "mgr.d01" => assert!(reps.iter().all(|r| *r != t03), "a manager sees the district's reps only"),
            _ => assert!(reps.contains(&t03) && reps.contains(&t01), "{username} sees everyone's exceptions"),
        }
        let own = api.get(&format!("/api/v1/samples/reconciliation?rep_id={t01}&{period}"), Some(&token)).await;
        assert_eq!(own.status, StatusCode::OK, "{username}: reconciliation of rep.t01");
        let other = api.get(&format!("/api/v1/samples/reconciliation?rep_id={t03}&{period}"), Some(&token)).await;
        let sees_t03 = !["rep.t01", "mgr.d01"].contains(&username);
        assert_eq!(other.status, if sees_t03 { StatusCode::OK } else { StatusCode::NOT_FOUND }, "{username}: reconciliation of rep.t03");
        let records = api.get(&format!("/api/v1/samples/records?hcp_id={hcp_t03}"), Some(&token)).await;
        assert_eq!(records.status, if sees_t03 { StatusCode::OK } else { StatusCode::NOT_FOUND }, "{username}: records of a T03 HCP");
        let limit = json!({"id": pharmacrm_domain::new_id(), "name": "x", "product_id": pharmacrm_domain::new_id(), "measure": "quantity", "max": 1,
            "window": "call", "window_days": null, "ends_after_days": null, "severity": "error"});
        let put = api.send(Method::PUT, &format!("/api/v1/samples/limits/{}", limit["id"].as_str().unwrap()), Some(&token), Some("application/json"), limit.to_string().into_bytes()).await;
        let owner = ["ops", "compliance", "admin"].contains(&username);
        assert_eq!(put.status, if owner { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::FORBIDDEN }, "{username}: a limit of an unknown product");
        let blacklist = api.send(Method::PUT, &format!("/api/v1/hcps/{hcp_t01}/blacklist"), Some(&token), Some("application/json"), br#"{"reason":"test"}"#.to_vec()).await;
        let may = ["compliance", "admin"].contains(&username);
        assert_eq!(blacklist.status, if may { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{username}: blacklist");
        if may {
            assert_eq!(blacklist.json()["blacklist"]["reason"], "test");
            api.send(Method::DELETE, &format!("/api/v1/hcps/{hcp_t01}/blacklist"), Some(&token), None, vec![]).await;
        }
    }
}

async fn reports_download_as_csv_and_problems_name_the_field(store: Store) {
    let api = Api::demo(store).await;
    let compliance = api.login("compliance").await;
    let admin = api.login("admin").await;
    let t01 = rep_id(&api, &admin, "rep.t01").await;
    let today = pharmacrm_storage::today();
    let csv = api.get(&format!("/api/v1/samples/reconciliation?rep_id={t01}&from={}&to={today}&format=csv", today - chrono::Duration::days(200)), Some(&compliance)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let text = csv.text.clone();
    assert!(text.starts_with("section,rep,from,to,method") && text.contains("product_summary,") && text.contains("receipt,"), "{text}");
    let records = api.get(&format!("/api/v1/samples/records?rep_id={t01}&format=csv"), Some(&compliance)).await;
    let text = records.text.clone();
    assert!(text.starts_with("record_id,record_type,date,rep,hcp") && text.lines().count() > 5);
    let bad = api.get(&format!("/api/v1/samples/reconciliation?rep_id={t01}&from={today}&to={}", today - chrono::Duration::days(1)), Some(&compliance)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "to");
    let exceptions = api.get("/api/v1/samples/exceptions?status=open", Some(&compliance)).await.json();
    let first = exceptions.as_array().unwrap()[0]["id"].as_str().unwrap().to_string();
    let empty = api.post_json(&format!("/api/v1/samples/exceptions/{first}/close"), Some(&compliance), &json!({"comment": ""})).await;
    assert_eq!(empty.json()["errors"][0]["field"], "comment");
    let closed = api.post_json(&format!("/api/v1/samples/exceptions/{first}/close"), Some(&compliance), &json!({"comment": "reviewed"})).await.json();
    assert_eq!(closed["status"], "closed");
    // Compliance flags a SKU as controlled; the rep's book carries it, marketing may not.
    let skus = api.get("/api/v1/samples/skus", Some(&compliance)).await.json();
    let sku = skus.as_array().unwrap().iter().find(|s| s["dea_schedule"].is_null()).unwrap()["sku_id"].as_str().unwrap().to_string();
    let body = br#"{"dea_schedule":"II","unit_value_cents":1500}"#.to_vec();
    let marketing = api.login("marketing").await;
    let denied = api.send(Method::PUT, &format!("/api/v1/samples/skus/{sku}"), Some(&marketing), Some("application/json"), body.clone()).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let set = api.send(Method::PUT, &format!("/api/v1/samples/skus/{sku}"), Some(&compliance), Some("application/json"), body).await;
    assert_eq!(set.json()["dea_schedule"], "II");
    let rep = api.login("rep.t01").await;
    let book = api.get("/api/v1/samples/book", Some(&rep)).await.json();
    let mine = book["skus"].as_array().unwrap().iter().find(|s| s["sku_id"] == sku.as_str()).unwrap().clone();
    assert_eq!((mine["dea_schedule"].as_str(), mine["unit_value_cents"].as_i64()), (Some("II"), Some(1500)));
    let loss: Value = api.get("/api/v1/samples/loss-reports", Some(&compliance)).await.json();
    assert!(loss.as_array().unwrap().iter().any(|l| l["status"] == "overdue"), "the demo's older loss is overdue");
}

backend_tests!(sample_endpoints_respect_every_role, reports_download_as_csv_and_problems_name_the_field);

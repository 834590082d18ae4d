//! Sample endpoints over HTTP for every role, on SQLite and PostgreSQL: who sees whose
//! inventory, exceptions, records and reconciliation; who may change sample policy; the
//! CSV downloads.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};

async fn rep_id(api: &Api, admin: &str, username: &str) -> String {
    let users = api.get("/api/v1/users", Some(admin)).await.json();
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn sample_endpoints_respect_every_role(store: Store) {
    let api = Api::demo(store).await;
    let admin = api.login("admin").await;
    let (t01, t03) = (
        rep_id(&api, &admin, "rep.t01").await,
        rep_id(&api, &admin, "rep.t03").await,
    );
    let ops = api.login("ops").await;
    let all_hcps = api.all("/api/v1/hcps", &ops).await;
    let hcp_in = |code: &str| {
        all_hcps
            .iter()
            .find(|h| h["territory"]["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (hcp_t01, hcp_t03) = (hcp_in("T01"), hcp_in("T03"));
    let today = api.store.today();
    let period = format!("from={}&to={today}", today - chrono::Duration::days(120));

    for username in [
        "rep.t01",
        "mgr.d01",
        "ops",
        "marketing",
        "compliance",
        "admin",
    ] {
        let token = api.login(username).await;
        let book = api.get("/api/v1/samples/book", Some(&token)).await;
        assert_eq!(
            book.status,
            if username == "rep.t01" {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{username}: book"
        );

        let exceptions = api.get("/api/v1/samples/exceptions", Some(&token)).await;
        if username == "marketing" {
            assert_eq!(exceptions.status, StatusCode::FORBIDDEN);
            continue;
        }
        let reps: Vec<String> = exceptions
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["rep_id"].as_str().unwrap().to_string())
            .collect();
        match username {
            "rep.t01" => assert!(
                !reps.is_empty() && reps.iter().all(|r| *r == t01),
                "a rep sees only their own exceptions"
            ),
            "mgr.d01" => assert!(
                reps.iter().all(|r| *r != t03),
                "a manager sees the district's reps only"
            ),
            _ => assert!(
                reps.contains(&t03) && reps.contains(&t01),
                "{username} sees everyone's exceptions"
            ),
        }
        // The annual inventory roll-up: the reps chosen in SQL from the caller's oversight.
        let rollup = api
            .get("/api/v1/samples/inventory-status", Some(&token))
            .await;
        assert_eq!(
            rollup.status,
            StatusCode::OK,
            "{username}: inventory status"
        );
        let listed: Vec<String> = rollup.json()["reps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rep_id"].as_str().unwrap().to_string())
            .collect();
        match username {
            "rep.t01" => assert_eq!(listed, vec![t01.clone()], "a rep sees themselves"),
            "mgr.d01" => assert!(
                listed.contains(&t01) && !listed.contains(&t03),
                "a manager sees the district's reps: {listed:?}"
            ),
            _ => assert!(listed.contains(&t01) && listed.contains(&t03)),
        }
        let csv = api
            .get("/api/v1/samples/inventory-status?format=csv", Some(&token))
            .await;
        assert!(
            csv.text.starts_with("rep,last_count_at,due_on,status"),
            "{}",
            csv.text
        );
        let own = api
            .get(
                &format!("/api/v1/samples/reconciliation?rep_id={t01}&{period}"),
                Some(&token),
            )
            .await;
        assert_eq!(
            own.status,
            StatusCode::OK,
            "{username}: reconciliation of rep.t01"
        );
        let other = api
            .get(
                &format!("/api/v1/samples/reconciliation?rep_id={t03}&{period}"),
                Some(&token),
            )
            .await;
        let sees_t03 = !["rep.t01", "mgr.d01"].contains(&username);
        assert_eq!(
            other.status,
            if sees_t03 {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            },
            "{username}: reconciliation of rep.t03"
        );
        let records = api
            .get(
                &format!("/api/v1/samples/records?hcp_id={hcp_t03}"),
                Some(&token),
            )
            .await;
        assert_eq!(
            records.status,
            if sees_t03 {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            },
            "{username}: records of a T03 HCP"
        );
        let limit = json!({"id": pharmacrm_domain::new_id(), "name": "x", "product_id": pharmacrm_domain::new_id(), "measure": "quantity", "max": 1,
            "window": "call", "window_days": null, "ends_after_days": null, "severity": "error"});
        let put = api
            .send(
                Method::PUT,
                &format!("/api/v1/samples/limits/{}", limit["id"].as_str().unwrap()),
                Some(&token),
                Some("application/json"),
                limit.to_string().into_bytes(),
            )
            .await;
        let owner = ["ops", "compliance", "admin"].contains(&username);
        assert_eq!(
            put.status,
            if owner {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::FORBIDDEN
            },
            "{username}: a limit of an unknown product"
        );
        let blacklist = api
            .send(
                Method::PUT,
                &format!("/api/v1/hcps/{hcp_t01}/blacklist"),
                Some(&token),
                Some("application/json"),
                br#"{"reason":"test"}"#.to_vec(),
            )
            .await;
        let may = ["compliance", "admin"].contains(&username);
        assert_eq!(
            blacklist.status,
            if may {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{username}: blacklist"
        );
        if may {
            assert_eq!(blacklist.json()["blacklist"]["reason"], "test");
            api.send(
                Method::DELETE,
                &format!("/api/v1/hcps/{hcp_t01}/blacklist"),
                Some(&token),
                None,
                vec![],
            )
            .await;
        }
    }
}

async fn reports_download_as_csv_and_problems_name_the_field(store: Store) {
    let api = Api::demo(store).await;
    let compliance = api.login("compliance").await;
    let admin = api.login("admin").await;
    let t01 = rep_id(&api, &admin, "rep.t01").await;
    let today = api.store.today();
    let csv = api
        .get(
            &format!(
                "/api/v1/samples/reconciliation?rep_id={t01}&from={}&to={today}&format=csv",
                today - chrono::Duration::days(200)
            ),
            Some(&compliance),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let text = csv.text.clone();
    assert!(
        text.starts_with("section,rep,from,to,opening_count_at,closing_count_at,last_count_at,annual_due_on,annual_status,method")
            && text.contains("product_summary,")
            && text.contains("\ncount,")
            && text.contains("receipt,"),
        "{text}"
    );
    let records = api
        .get(
            &format!("/api/v1/samples/records?rep_id={t01}&format=csv"),
            Some(&compliance),
        )
        .await;
    let text = records.text.clone();
    assert!(text.starts_with("record_id,record_type,date,rep,hcp") && text.lines().count() > 5);
    let bad = api
        .get(
            &format!(
                "/api/v1/samples/reconciliation?rep_id={t01}&from={today}&to={}",
                today - chrono::Duration::days(1)
            ),
            Some(&compliance),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "to");
    let exceptions = api
        .get("/api/v1/samples/exceptions?status=open", Some(&compliance))
        .await
        .json();
    let first = exceptions.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let empty = api
        .post_json(
            &format!("/api/v1/samples/exceptions/{first}/close"),
            Some(&compliance),
            &json!({"comment": ""}),
        )
        .await;
    assert_eq!(empty.json()["errors"][0]["field"], "comment");
    let closed = api
        .post_json(
            &format!("/api/v1/samples/exceptions/{first}/close"),
            Some(&compliance),
            &json!({"comment": "reviewed"}),
        )
        .await
        .json();
    assert_eq!(closed["status"], "closed");
    // Compliance flags a SKU as controlled; the rep's book carries it, marketing may not.
    let skus = api
        .get("/api/v1/samples/skus", Some(&compliance))
        .await
        .json();
    let sku = skus
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dea_schedule"].is_null())
        .unwrap()["sku_id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = br#"{"dea_schedule":"II","unit_value_cents":1500}"#.to_vec();
    let marketing = api.login("marketing").await;
    let denied = api
        .send(
            Method::PUT,
            &format!("/api/v1/samples/skus/{sku}"),
            Some(&marketing),
            Some("application/json"),
            body.clone(),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let set = api
        .send(
            Method::PUT,
            &format!("/api/v1/samples/skus/{sku}"),
            Some(&compliance),
            Some("application/json"),
            body,
        )
        .await;
    assert_eq!(set.json()["dea_schedule"], "II");
    let rep = api.login("rep.t01").await;
    let book = api.get("/api/v1/samples/book", Some(&rep)).await.json();
    let mine = book["skus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sku_id"] == sku.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (
            mine["dea_schedule"].as_str(),
            mine["unit_value_cents"].as_i64()
        ),
        (Some("II"), Some(1500))
    );
    let loss: Value = api
        .get("/api/v1/samples/loss-reports", Some(&compliance))
        .await
        .json();
    assert!(
        loss.as_array()
            .unwrap()
            .iter()
            .any(|l| l["status"] == "overdue"),
        "the demo's older loss is overdue"
    );
}

async fn leie_screening_blacklists_npi_matches_and_lists_name_matches(store: Store) {
    let api = Api::demo(store).await;
    let compliance = api.login("compliance").await;
    let ops = api.login("ops").await;
    let hcps = api.all("/api/v1/hcps", &ops).await;
    let clean: Vec<&Value> = hcps.iter().filter(|h| h["do_not_call"] == false).collect();
    let (a, b, c) = (clean[0], clean[1], clean[2]);
    let field = |h: &Value, f: &str| h[f].as_str().unwrap().to_string();
    let file = format!(
        "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\n\
         {},{},,,IND- LIC HC SERV PRO,NURSE/NURSES AIDE,,{},19700101,1 MAIN ST,BOSTON,MA,02139,1128b4,20240115,00000000,00000000,\n\
         {},{},,,IND- LIC HC SERV PRO,PHYSICIAN,,{},19650101,2 MAIN ST,BOSTON,MA,02139,1128a1,20190301,20230301,00000000,\n\
         {},{},,,IND- LIC HC SERV PRO,PHYSICIAN,,0000000000,19600101,3 MAIN ST,X,{},00000,1128a1,20200601,00000000,00000000,\n\
         ,,,ACME PHARMACY LLC,PHARMACY,,,0000000000,,9 ELM ST,X,FL,33101,1128a1,20200101,00000000,00000000,\n",
        field(a, "last_name"), field(a, "first_name"), field(a, "npi"),
        field(b, "last_name"), field(b, "first_name"), field(b, "npi"),
        field(c, "last_name").to_uppercase(), field(c, "first_name").to_uppercase(), field(c, "state"),
    );
    let denied = api
        .send(
            Method::POST,
            "/api/v1/screening/leie",
            Some(&ops),
            Some("text/csv"),
            file.clone().into_bytes(),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let report = api
        .send(
            Method::POST,
            "/api/v1/screening/leie",
            Some(&compliance),
            Some("text/csv"),
            file.clone().into_bytes(),
        )
        .await
        .json();
    assert_eq!(
        (
            report["rows"].as_i64(),
            report["flagged"].as_i64(),
            report["reinstated"].as_i64()
        ),
        (Some(4), Some(1), Some(1)),
        "{report}"
    );
    let possible = report["possible_matches"].as_array().unwrap();
    assert!(
        possible.iter().any(|m| m["hcp_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| *id == c["id"])),
        "{report}"
    );
    let profile = api
        .get(
            &format!("/api/v1/hcps/{}", field(a, "id")),
            Some(&compliance),
        )
        .await
        .json();
    assert!(
        profile["blacklist"]["reason"]
            .as_str()
            .unwrap()
            .contains("LEIE) 1128b4 since 2024-01-15"),
        "{profile}"
    );
    let b_profile = api
        .get(
            &format!("/api/v1/hcps/{}", field(b, "id")),
            Some(&compliance),
        )
        .await
        .json();
    assert!(
        b_profile["blacklist"].is_null(),
        "a reinstated practitioner is not flagged"
    );
    let again = api
        .send(
            Method::POST,
            "/api/v1/screening/leie",
            Some(&compliance),
            Some("text/csv"),
            file.into_bytes(),
        )
        .await
        .json();
    assert_eq!(
        (again["flagged"].as_i64(), again["already_flagged"].as_i64()),
        (Some(0), Some(1))
    );
}

backend_tests!(
    sample_endpoints_respect_every_role,
    reports_download_as_csv_and_problems_name_the_field,
    leie_screening_blacklists_npi_matches_and_lists_name_matches,
);

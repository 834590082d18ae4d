//! Every endpoint x role x in-scope / out-of-scope record, on SQLite and PostgreSQL.
//! Out-of-scope records answer 404 (never 403) so ids do not leak.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::StatusCode;
use common::{new_hcp, Api};
use pharmacrm_domain::npi::Npi;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::Value;
use std::collections::BTreeSet;

/// Territory codes a user sees in the small demo.
fn territories_of(username: &str) -> BTreeSet<&'static str> {
    match username {
        "rep.t01" => ["T01"].into(),
        "mgr.d01" => ["T01", "T02"].into(),
        _ => ["T01", "T02", "T03", "T04"].into(),
    }
}

fn codes(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|i| {
            i["territory"]["code"]
                .as_str()
                .unwrap_or("none")
                .to_string()
        })
        .collect()
}

async fn every_endpoint_respects_every_role(store: Store) {
    let api = Api::demo(store).await;
    let ops = api.login("ops").await;
    let all_hcps = api.all("/api/v1/hcps", &ops).await;
    let all_accounts = api.all("/api/v1/accounts", &ops).await;
    let in_territory = |items: &[Value], code: &str| {
        items
            .iter()
            .find(|i| i["territory"]["code"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (hcp_t01, hcp_t02, hcp_t03) = (
        in_territory(&all_hcps, "T01"),
        in_territory(&all_hcps, "T02"),
        in_territory(&all_hcps, "T03"),
    );
    let (acc_t01, acc_t03) = (
        in_territory(&all_accounts, "T01"),
        in_territory(&all_accounts, "T03"),
    );
    let zip_of = |code: &str| {
        all_hcps
            .iter()
            .find(|h| h["territory"]["code"] == code)
            .unwrap()["zip"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (zip_t01, zip_t03) = (zip_of("T01"), zip_of("T03"));

    for username in [
        "rep.t01",
        "mgr.d01",
        "ops",
        "marketing",
        "compliance",
        "admin",
    ] {
        let token = api.login(username).await;
        let visible = territories_of(username);
        let sees = |code: &str| visible.contains(code);

        let me = api.get("/api/v1/me", Some(&token)).await.json();
        let me_codes: BTreeSet<&str> = me["territories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["code"].as_str().unwrap())
            .collect();
        assert_eq!(me_codes, visible, "{username}: /me territories");
        let territories = api.get("/api/v1/territories", Some(&token)).await.json();
        assert_eq!(
            territories.as_array().unwrap().len(),
            visible.len(),
            "{username}: /territories"
        );
        let overview = api
            .get("/api/v1/territories/overview", Some(&token))
            .await
            .json();
        let overview_codes: BTreeSet<&str> = overview
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["territory"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(overview_codes, visible, "{username}: /territories/overview");
        let t03 = all_hcps
            .iter()
            .find(|h| h["territory"]["code"] == "T03")
            .unwrap()["territory"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let coverage = api
            .get(&format!("/api/v1/territories/{t03}/coverage"), Some(&token))
            .await;
        assert_eq!(
            coverage.status,
            if sees("T03") {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            },
            "{username}: coverage of T03"
        );

        let hcps = api.all("/api/v1/hcps", &token).await;
        assert_eq!(
            codes(&hcps),
            visible.iter().map(|s| s.to_string()).collect(),
            "{username}: list"
        );
        assert_eq!(hcps.len(), visible.len() * 100, "{username}: list size");
        let searched = api.all("/api/v1/hcps?q=a", &token).await;
        assert!(
            codes(&searched).iter().all(|c| sees(c)),
            "{username}: search"
        );
        let other_territory = api
            .all(
                &format!(
                    "/api/v1/hcps?territory={}",
                    all_hcps
                        .iter()
                        .find(|h| h["territory"]["code"] == "T03")
                        .unwrap()["territory"]["id"]
                        .as_str()
                        .unwrap()
                ),
                &token,
            )
            .await;
        assert_eq!(
            other_territory.is_empty(),
            !sees("T03"),
            "{username}: territory filter"
        );

        for (id, code) in [(&hcp_t01, "T01"), (&hcp_t02, "T02"), (&hcp_t03, "T03")] {
            let reply = api.get(&format!("/api/v1/hcps/{id}"), Some(&token)).await;
            let expected = if sees(code) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(reply.status, expected, "{username}: GET hcp in {code}");
            if expected == StatusCode::NOT_FOUND {
                assert_eq!(reply.json()["code"], "not_found");
            }
            let calls = api
                .get(&format!("/api/v1/hcps/{id}/calls"), Some(&token))
                .await;
            assert_eq!(
                calls.status, expected,
                "{username}: GET calls of hcp in {code}"
            );
        }
        for (id, code) in [(&acc_t01, "T01"), (&acc_t03, "T03")] {
            let reply = api
                .get(&format!("/api/v1/accounts/{id}"), Some(&token))
                .await;
            assert_eq!(
                reply.status,
                if sees(code) {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                },
                "{username}: GET account in {code}"
            );
        }
        let accounts = api.all("/api/v1/accounts", &token).await;
        assert_eq!(
            codes(&accounts),
            visible.iter().map(|s| s.to_string()).collect(),
            "{username}: accounts"
        );

        let export = api.get("/api/v1/hcps/export", Some(&token)).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.content_type.starts_with("text/csv"));
        let mut reader = csv::Reader::from_reader(export.text.as_bytes());
        let exported: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(
            exported.len(),
            visible.len() * 100,
            "{username}: export size"
        );
        assert!(
            exported.iter().all(|r| sees(&r[20])),
            "{username}: export scope (territory_code column)"
        );

        let users = api.get("/api/v1/users", Some(&token)).await;
        assert_eq!(
            users.status,
            if username == "admin" {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{username}: users"
        );
    }

    // Creation last, so the counts above hold.
    for (n, username) in [
        "rep.t01",
        "mgr.d01",
        "ops",
        "marketing",
        "compliance",
        "admin",
    ]
    .into_iter()
    .enumerate()
    {
        let token = api.login(username).await;
        let sees = |code: &str| territories_of(username).contains(code);
        let may_create = matches!(username, "rep.t01" | "mgr.d01" | "ops" | "admin");
        // A different person per role: the same name and address again would (rightly) be
        // caught as a duplicate.
        let mut hcp = new_hcp(Npi::from_base(900_000 + n as u64 * 2).as_str(), &zip_t01);
        hcp["first_name"] = ["Ana", "Bea", "Cyd", "Dee", "Eve", "Fay"][n].into();
        hcp["last_name"] = ["Lopez", "Marsh", "Nakamura", "Oyelaran", "Petrov", "Quispe"][n].into();
        let inside = api.post_json("/api/v1/hcps", Some(&token), &hcp).await;
        assert_eq!(
            inside.status,
            if may_create {
                StatusCode::CREATED
            } else {
                StatusCode::FORBIDDEN
            },
            "{username}: create in T01: {}",
            inside.text
        );
        let mut hcp = new_hcp(Npi::from_base(900_001 + n as u64 * 2).as_str(), &zip_t03);
        hcp["first_name"] = ["Gus", "Hal", "Ike", "Jon", "Kai", "Lou"][n].into();
        hcp["last_name"] = ["Rasmussen", "Sato", "Tembo", "Ulloa", "Varga", "Wojcik"][n].into();
        let outside = api.post_json("/api/v1/hcps", Some(&token), &hcp).await;
        let expected = match (may_create, sees("T03")) {
            (false, _) => StatusCode::FORBIDDEN,
            (true, true) => StatusCode::CREATED,
            (true, false) => StatusCode::UNPROCESSABLE_ENTITY,
        };
        assert_eq!(
            outside.status, expected,
            "{username}: create in T03: {}",
            outside.text
        );
        if expected == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(outside.json()["errors"][0]["field"], "address.zip");
        }
    }

    for path in [
        "/api/v1/me",
        "/api/v1/hcps",
        &format!("/api/v1/hcps/{hcp_t01}"),
        &format!("/api/v1/hcps/{hcp_t01}/calls"),
        "/api/v1/sync/pull",
        "/api/v1/sync/events",
        "/api/v1/reports/frequency",
        "/api/v1/territories/overview",
        "/api/v1/hcps/export",
        "/api/v1/accounts",
        &format!("/api/v1/accounts/{acc_t01}"),
        "/api/v1/territories",
        "/api/v1/specialties",
        "/api/v1/products",
        "/api/v1/users",
    ] {
        let reply = api.get(path, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "anonymous {path}");
        assert_eq!(reply.content_type, "application/problem+json");
        assert_eq!(
            api.get(path, Some("forged-token")).await.status,
            StatusCode::UNAUTHORIZED,
            "forged token {path}"
        );
    }
    let anonymous_create = api
        .post_json("/api/v1/hcps", None, &new_hcp("1234567893", &zip_t01))
        .await;
    assert_eq!(anonymous_create.status, StatusCode::UNAUTHORIZED);
}

backend_tests!(every_endpoint_respects_every_role);

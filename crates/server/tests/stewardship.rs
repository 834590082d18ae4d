//! Master data governance through the API on both backends: who may do what (6 roles),
//! problem+json for a likely duplicate and for field errors, a rep's offline proposal and
//! change through sync push, the `matching` and `data_request` sync entities, merge and undo,
//! and the completeness report's scope.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::{new_hcp, Api};
use pharmacrm_domain::npi::Npi;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};

const ROLES: [&str; 6] = [
    "rep.t01",
    "mgr.d01",
    "ops",
    "marketing",
    "compliance",
    "admin",
];

async fn push(api: &Api, token: &str, kind: &str, payload: Value) -> Value {
    let body = json!({"client_id": pharmacrm_domain::new_id(), "mutations": [
        {"id": pharmacrm_domain::new_id(), "client_ts": "2026-12-01T10:00:00Z", "kind": kind, "payload": payload}]});
    let reply = api.post_json("/api/v1/sync/push", Some(token), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()["results"][0].clone()
}

/// Every entity of a complete pull.
async fn pull_all(api: &Api, token: &str) -> Vec<Value> {
    let mut changes = Vec::new();
    let mut cursor = String::new();
    loop {
        let url = if cursor.is_empty() {
            "/api/v1/sync/pull?limit=2000".to_string()
        } else {
            format!("/api/v1/sync/pull?limit=2000&cursor={cursor}")
        };
        let page = api.get(&url, Some(token)).await.json();
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_str().unwrap().to_string();
        if !page["has_more"].as_bool().unwrap() {
            return changes;
        }
    }
}

async fn governance_through_the_api(store: Store) {
    let api = Api::demo(store).await;
    pharmacrm_fixtures::stewardship::seed(&api.store, 7)
        .await
        .unwrap();
    let mut tokens = std::collections::HashMap::new();
    for r in ROLES {
        tokens.insert(r, api.login(r).await);
    }
    let (ops, rep) = (tokens["ops"].clone(), tokens["rep.t01"].clone());
    let estimated = api
        .post_json("/api/v1/matching/estimate", Some(&ops), &json!({}))
        .await;
    assert_eq!(estimated.status, StatusCode::OK, "{}", estimated.text);
    assert!(estimated.json()["weights"].as_array().unwrap().len() == 7);

    for r in ROLES {
        let steward = matches!(r, "ops" | "admin");
        let ok = |yes: bool| {
            if yes {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            }
        };
        assert_eq!(
            api.get("/api/v1/duplicates", Some(&tokens[r])).await.status,
            ok(steward),
            "{r} reads duplicate pairs"
        );
        assert_eq!(
            api.get("/api/v1/merges", Some(&tokens[r])).await.status,
            ok(steward),
            "{r} reads merges"
        );
        assert_eq!(
            api.get("/api/v1/matching", Some(&tokens[r])).await.status,
            ok(steward),
            "{r} reads the model"
        );
        assert_eq!(
            api.get("/api/v1/data-requests", Some(&tokens[r]))
                .await
                .status,
            StatusCode::OK,
            "{r} reads requests"
        );
        assert_eq!(
            api.get("/api/v1/reports/completeness", Some(&tokens[r]))
                .await
                .status,
            StatusCode::OK,
            "{r} reads completeness"
        );
        let check = api
            .post_json(
                "/api/v1/hcps/matches",
                Some(&tokens[r]),
                &json!({"first_name": "Imani", "last_name": "Okafor"}),
            )
            .await;
        assert_eq!(check.status, StatusCode::OK, "{r} checks for matches");
    }
    // Requests: stewards see all pending, a rep their own, another role none.
    let pending = api
        .get("/api/v1/data-requests?status=pending", Some(&ops))
        .await
        .json();
    assert_eq!(
        pending.as_array().unwrap().len(),
        2,
        "the demo's proposal and change"
    );
    assert_eq!(
        api.get("/api/v1/data-requests", Some(&rep))
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        api.get("/api/v1/data-requests", Some(&tokens["mgr.d01"]))
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let bad = api
        .get("/api/v1/data-requests?status=maybe", Some(&ops))
        .await;
    assert_eq!(
        (bad.status, bad.json()["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );
    let new_hcp_request = pending
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "new_hcp")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let no_reason = api
        .post_json(
            &format!("/api/v1/data-requests/{new_hcp_request}/reject"),
            Some(&ops),
            &json!({}),
        )
        .await;
    assert_eq!(
        (
            no_reason.status,
            no_reason.json()["errors"][0]["field"].as_str()
        ),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let by_rep = api
        .post_json(
            &format!("/api/v1/data-requests/{new_hcp_request}/approve"),
            Some(&rep),
            &json!({}),
        )
        .await;
    assert_eq!(by_rep.status, StatusCode::FORBIDDEN);
    let approved = api
        .post_json(
            &format!("/api/v1/data-requests/{new_hcp_request}/approve"),
            Some(&ops),
            &json!({"reason": "Checked NPPES"}),
        )
        .await;
    assert_eq!(approved.json()["status"], "approved");
    let again = api
        .post_json(
            &format!("/api/v1/data-requests/{new_hcp_request}/approve"),
            Some(&ops),
            &json!({}),
        )
        .await;
    assert_eq!(
        (again.status, again.json()["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_decided"))
    );

    // A steward creating an HCP that already exists gets problem+json `likely_duplicate`.
    let hcps = api.all("/api/v1/hcps", &rep).await;
    let existing = &hcps[0];
    let profile = api
        .get(
            &format!("/api/v1/hcps/{}", existing["id"].as_str().unwrap()),
            Some(&rep),
        )
        .await
        .json();
    let mut twin = new_hcp(
        Npi::from_base(77_123_456).as_str(),
        existing["zip"].as_str().unwrap(),
    );
    twin["first_name"] = profile["first_name"].clone();
    twin["last_name"] = profile["last_name"].clone();
    twin["specialty_code"] = profile["specialty_code"].clone();
    twin["address"] = profile["address"].clone();
    twin["phone"] = profile["phone"].clone();
    let dup = api.post_json("/api/v1/hcps", Some(&ops), &twin).await;
    assert_eq!(
        (dup.status, dup.json()["code"].as_str()),
        (StatusCode::CONFLICT, Some("likely_duplicate")),
        "{}",
        dup.text
    );
    assert!(dup.content_type.starts_with("application/problem+json"));
    let confirmed = api
        .post_json("/api/v1/hcps?confirmed_different=true", Some(&ops), &twin)
        .await;
    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.text);

    // A rep's proposal and change arrive through sync push; the outcome syncs back.
    let zip = existing["zip"].as_str().unwrap();
    let hcp_id = pharmacrm_domain::new_id();
    let mut proposal = new_hcp(Npi::from_base(77_654_321).as_str(), zip);
    proposal["first_name"] = "Thandiwe".into();
    proposal["last_name"] = "Mabaso".into();
    let result = push(
        &api,
        &rep,
        "hcp.propose",
        json!({"id": pharmacrm_domain::new_id(), "hcp_id": hcp_id, "hcp": proposal}),
    )
    .await;
    assert_eq!(result["status"], "applied", "{result}");
    let refused = push(&api, &rep, "hcp.propose", json!({"id": pharmacrm_domain::new_id(), "hcp_id": pharmacrm_domain::new_id(), "hcp": {"npi": "1", "first_name": "", "last_name": "X", "specialty_code": "207RC0000X", "address": {"line1": "1 A St", "city": "B", "state": "MA", "zip": zip}}})).await;
    assert_eq!(refused["status"], "rejected");
    assert!(refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "npi"));
    let change = push(&api, &rep, "hcp.change", json!({"id": pharmacrm_domain::new_id(), "hcp_id": existing["id"], "changes": {"status": "retired"}, "note": "Retired"})).await;
    assert_eq!(change["status"], "applied", "{change}");
    let proposed = api
        .get(&format!("/api/v1/hcps/{hcp_id}"), Some(&rep))
        .await
        .json();
    assert_eq!(proposed["master_status"], "proposed");
    let entities = pull_all(&api, &rep).await;
    assert!(entities
        .iter()
        .any(|c| c["entity"] == "matching" && c["data"]["thresholds"]["link"].as_f64().is_some()));
    let requests: Vec<&Value> = entities
        .iter()
        .filter(|c| c["entity"] == "data_request")
        .collect();
    assert_eq!(
        requests.len(),
        4,
        "the demo's two, the proposal and the change"
    );
    assert!(requests
        .iter()
        .any(|c| c["data"]["status"] == "approved"
            && c["data"]["decision_reason"] == "Checked NPPES"));
    assert!(entities
        .iter()
        .any(|c| c["entity"] == "notice" && c["data"]["kind"] == "data_request"));
    assert_eq!(push(&api, &tokens["marketing"], "hcp.change", json!({"id": pharmacrm_domain::new_id(), "hcp_id": existing["id"], "changes": {"status": "retired"}})).await["code"], "forbidden");

    // Merge and undo through the API.
    let pairs = api.get("/api/v1/duplicates", Some(&ops)).await.json();
    let pair = &pairs.as_array().unwrap()[0];
    let (a, b) = (pair["a"]["id"].clone(), pair["b"]["id"].clone());
    let merge = api
        .post_json(
            "/api/v1/merges",
            Some(&ops),
            &json!({"survivor_id": a, "merged_id": b, "pair_id": pair["id"]}),
        )
        .await;
    assert_eq!(merge.status, StatusCode::CREATED, "{}", merge.text);
    let merge_id = merge.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        api.get(&format!("/api/v1/hcps/{}", b.as_str().unwrap()), Some(&ops))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let undo = api
        .send(
            Method::POST,
            &format!("/api/v1/merges/{merge_id}/undo"),
            Some(&ops),
            None,
            vec![],
        )
        .await;
    assert_eq!(undo.status, StatusCode::OK, "{}", undo.text);
    assert_eq!(
        api.get(&format!("/api/v1/hcps/{}", b.as_str().unwrap()), Some(&ops))
            .await
            .status,
        StatusCode::OK
    );
    let twice = api
        .send(
            Method::POST,
            &format!("/api/v1/merges/{merge_id}/undo"),
            Some(&ops),
            None,
            vec![],
        )
        .await;
    assert_eq!(
        (twice.status, twice.json()["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_undone"))
    );
    let thresholds = api
        .send(
            Method::PUT,
            "/api/v1/matching/thresholds",
            Some(&ops),
            Some("application/json"),
            br#"{"link": 0.9, "review": 0.95}"#.to_vec(),
        )
        .await;
    assert_eq!(
        (
            thresholds.status,
            thresholds.json()["errors"][0]["field"].as_str()
        ),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("review"))
    );

    // Completeness: a manager's rows are their district's territories.
    let report = api
        .get(
            "/api/v1/reports/completeness?level=territory&months=2",
            Some(&tokens["mgr.d01"]),
        )
        .await
        .json();
    let codes: std::collections::BTreeSet<&str> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["unit"]["code"].as_str())
        .collect();
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), vec!["T01", "T02"]);
    let wrong = api
        .get("/api/v1/reports/completeness?level=planet", Some(&ops))
        .await;
    assert_eq!(
        (wrong.status, wrong.json()["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("level"))
    );
}

backend_tests!(governance_through_the_api);

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

/// The alignment as of a day and the scheduled changes through the API: who may read them,
/// each within their territories, the cycle and reason of a change published for later, and
/// a missing or invalid parameter named in the problem.
async fn the_alignment_as_of_a_day_through_the_api(store: Store) {
    let api = Api::demo(store).await;
    let mut tokens = std::collections::HashMap::new();
    for r in ROLES {
        tokens.insert(r, api.login(r).await);
    }
    let ops = tokens["ops"].clone();
    let today = api.store.today();
    let t01 = api.store.org_unit_by_code("T01").await.unwrap().unwrap();
    let zip = api.store.zips_of_territory(t01.id).await.unwrap()[0].clone();
    let t02 = api.store.org_unit_by_code("T02").await.unwrap().unwrap().id;
    let cycle = api
        .post_json("/api/v1/realignments", Some(&ops), &json!({"name": "Soon"}))
        .await
        .json();
    let id = cycle["id"].as_str().unwrap().to_string();
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
    let soon = today + chrono::Duration::days(10);
    let published = api
        .post_json(
            &format!("/api/v1/realignments/{id}/publish"),
            Some(&ops),
            &json!({"effective_from": soon, "override_reason": "office moves"}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.text);

    for r in ROLES {
        let reads = matches!(r, "rep.t01" | "mgr.d01" | "ops" | "admin");
        let path = format!("/api/v1/alignment?on={today}");
        if !reads {
            let refused = api.get(&path, Some(&tokens[r])).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{r}");
            continue;
        }
        let rows = api.all(&path, &tokens[r]).await;
        let codes: std::collections::BTreeSet<&str> = rows
            .iter()
            .map(|row| row["territory"]["code"].as_str().unwrap())
            .collect();
        let expected: std::collections::BTreeSet<&str> = match r {
            "rep.t01" => ["T01"].into(),
            "mgr.d01" => ["T01", "T02"].into(),
            _ => ["T01", "T02", "T03", "T04"].into(),
        };
        assert_eq!(codes, expected, "{r}: alignment today");
        let scheduled = api
            .get("/api/v1/alignment/scheduled", Some(&tokens[r]))
            .await
            .json();
        let item = &scheduled["items"][0];
        assert_eq!(item["key"], zip.as_str(), "{r}: the move of T01's ZIP");
        assert_eq!(
            (
                item["from_territory"]["code"].as_str(),
                item["to_territory"]["code"].as_str(),
                item["cycle"]["name"].as_str(),
                item["reason"].as_str(),
                item["effective_from"].as_str()
            ),
            (
                Some("T01"),
                Some("T02"),
                Some("Soon"),
                Some("office moves"),
                Some(soon.to_string().as_str())
            )
        );
    }
    let then = api
        .get(
            &format!("/api/v1/alignment?on={soon}&zip={zip}"),
            Some(&ops),
        )
        .await
        .json();
    assert_eq!(then["items"][0]["territory"]["code"], "T02");
    assert_eq!(then["items"][0]["cycle"]["id"], id.as_str());
    assert_eq!(then["items"][0]["since"], soon.to_string().as_str());

    for (query, field) in [
        ("", "on"),
        ("on=2027-02-30", "on"),
        ("on=1850-01-01", "on"),
        ("on=2027-01-01&limit=500", "limit"),
        ("on=2027-01-01&zip=1x", "zip"),
        ("on=2027-01-01&kind=region", "kind"),
        ("on=2027-01-01&territory=T01", "territory"),
        ("on=2027-01-01&cursor=xyz", "cursor"),
    ] {
        let reply = api
            .get(&format!("/api/v1/alignment?{query}"), Some(&ops))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            reply.text
        );
        assert_eq!(reply.json()["errors"][0]["field"], field, "{query}");
    }
    let capped = api
        .get("/api/v1/alignment/scheduled?limit=0", Some(&ops))
        .await;
    assert_eq!(capped.json()["errors"][0]["field"], "limit");
}

backend_tests!(
    realignment_cycle_through_the_api,
    the_alignment_as_of_a_day_through_the_api
);

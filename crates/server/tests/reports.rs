//! The frequency report through the API on both backends, checked against an independent
//! count from the HCP list and pushed calls.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use common::Api;
use pharmacrm_domain::audit::Actor;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};

fn tier_row<'a>(report: &'a Value, territory: usize, tier: &str) -> &'a Value {
    report["territories"][territory]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tier"] == tier)
        .unwrap()
}

async fn push_calls(api: &Api, token: &str, hcp: &str, n: usize) {
    let mutations: Vec<Value> = (0..n)
        .map(|i| {
            json!({"id": uuid::Uuid::now_v7(), "client_ts": api.store.now().to_rfc3339(), "kind": "call.submit", "payload": {
                "id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": [hcp],
                "called_at": (api.store.now() - Duration::minutes(5 + i as i64)).to_rfc3339(), "product_ids": [],
                "outcome": "interested", "next_step": "follow_up_visit"}})
        })
        .collect();
    let reply = api
        .post_json(
            "/api/v1/sync/push",
            Some(token),
            &json!({"client_id": uuid::Uuid::now_v7(), "mutations": mutations}),
        )
        .await;
    assert!(
        reply.json()["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "applied"),
        "{}",
        reply.text
    );
}

async fn frequency_tracking_counts_calls_against_targets(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let report = api
        .get("/api/v1/reports/frequency", Some(&rep))
        .await
        .json();
    assert_eq!(report["territories"].as_array().unwrap().len(), 1);
    assert_eq!(report["territories"][0]["territory"]["code"], "T01");
    assert!(report["method"]
        .as_str()
        .unwrap()
        .contains("Adherence = Σ min(calls, target) / Σ target"));
    // Independent count of targets from the HCP list.
    let hcps = api.all("/api/v1/hcps", &rep).await;
    for tier in ["A", "B", "C"] {
        let expected = hcps
            .iter()
            .filter(|h| {
                h["top_tier"] == tier && h["status"] == "active" && h["do_not_call"] == false
            })
            .count();
        assert_eq!(
            tier_row(&report, 0, tier)["hcps"],
            expected,
            "tier {tier} targets"
        );
    }
    // Two calls on a tier-A HCP move the numbers by exactly what the method says.
    let target = hcps
        .iter()
        .find(|h| h["top_tier"] == "A" && h["status"] == "active" && h["do_not_call"] == false)
        .unwrap();
    let id = target["id"].as_str().unwrap();
    let before = tier_row(&report, 0, "A").clone();
    let done_before = api
        .get(&format!("/api/v1/hcps/{id}/calls"), Some(&rep))
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["called_at"].as_str().unwrap() >= report["cycle"]["from"].as_str().unwrap())
        .count() as u64;
    push_calls(&api, &rep, id, 2).await;
    let after_report = api
        .get("/api/v1/reports/frequency", Some(&rep))
        .await
        .json();
    let after = tier_row(&after_report, 0, "A");
    assert_eq!(
        after["calls"].as_u64().unwrap(),
        before["calls"].as_u64().unwrap() + 2
    );
    // The HCP's target: the largest calls per cycle among its products' frequency targets.
    let profile = api
        .get(&format!("/api/v1/hcps/{id}"), Some(&rep))
        .await
        .json();
    let targets = api.get("/api/v1/targets", Some(&rep)).await.json();
    let per = profile["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| {
            targets
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["product_id"] == s["product_id"] && t["tier"] == s["tier"])
        })
        .map(|t| t["calls"].as_u64().unwrap())
        .max()
        .unwrap();
    let gained = (done_before + 2).min(per) - done_before.min(per);
    assert_eq!(
        after["calls_toward_target"].as_u64().unwrap(),
        before["calls_toward_target"].as_u64().unwrap() + gained
    );
    assert_eq!(
        after_report["territories"][0]["calls_attributed"]
            .as_u64()
            .unwrap(),
        report["territories"][0]["calls_attributed"]
            .as_u64()
            .unwrap()
            + 2
    );

    let manager = api.login("mgr.d01").await;
    let district = api
        .get("/api/v1/reports/frequency", Some(&manager))
        .await
        .json();
    let codes: Vec<&str> = district["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["territory"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["T01", "T02"]);
    let ops = api.login("ops").await;
    assert_eq!(
        api.get("/api/v1/reports/frequency", Some(&ops))
            .await
            .json()["territories"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let t03 = api.store.org_unit_by_code("T03").await.unwrap().unwrap();
    let foreign = api
        .get(
            &format!("/api/v1/reports/frequency?territory={}", t03.id),
            Some(&rep),
        )
        .await
        .json();
    assert!(
        foreign["territories"].as_array().unwrap().is_empty(),
        "another territory's report is empty for a rep"
    );
    let bad = api
        .get("/api/v1/reports/frequency?cycle=2026-13", Some(&rep))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "cycle");

    // Realigned away, the HCP's calls stay attributed to T01 and never count for T02.
    let t02 = api.store.org_unit_by_code("T02").await.unwrap().unwrap();
    let zip = target["zip"].as_str().unwrap().to_string();
    api.store
        .align_zips(&Actor::system("ops"), &[(zip, t02.id)], api.store.today())
        .await
        .unwrap();
    let moved = api
        .get("/api/v1/reports/frequency", Some(&manager))
        .await
        .json();
    assert_eq!(
        moved["territories"][0]["calls_attributed"],
        after_report["territories"][0]["calls_attributed"]
    );
    let t02_gaps = moved["territories"][1]["gaps"].as_array().unwrap();
    let in_t02 = moved["territories"][1]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["calls"].as_u64().unwrap())
        .sum::<u64>();
    let t02_before = district["territories"][1]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["calls"].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(
        in_t02, t02_before,
        "calls made while the HCP was in T01 do not count for T02"
    );
    assert!(
        t02_gaps.iter().any(|g| g["hcp_id"] == id)
            || moved["territories"][1]["gaps_total"].as_u64().unwrap() > 25
    );
}

async fn calls_by_unit_is_scoped_and_adds_up(store: Store) {
    let api = Api::demo(store).await;
    let today = api.store.today();
    let range = format!("from={}&to={today}", today - chrono::Duration::days(365));
    let rep = api.login("rep.t01").await;
    let mine = api
        .get(
            &format!("/api/v1/reports/calls-by-unit?{range}"),
            Some(&rep),
        )
        .await
        .json();
    let codes: Vec<&str> = mine["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["T01"]);
    let t01 = mine["territories"][0]["calls"].as_u64().unwrap();
    assert!(
        t01 > 0 && mine["districts"][0]["calls"].as_u64() == Some(t01),
        "{mine}"
    );
    let ops = api.login("ops").await;
    let all = api
        .get(
            &format!("/api/v1/reports/calls-by-unit?{range}"),
            Some(&ops),
        )
        .await
        .json();
    let sum: u64 = all["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["calls"].as_u64().unwrap())
        .sum();
    assert_eq!(
        sum + all["unattributed"].as_u64().unwrap(),
        all["total"].as_u64().unwrap()
    );
    let regions: u64 = all["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["calls"].as_u64().unwrap())
        .sum();
    assert_eq!(regions, sum, "every attributed call has its region");
    let bad = api
        .get(
            &format!(
                "/api/v1/reports/calls-by-unit?from={today}&to={}",
                today - chrono::Duration::days(1)
            ),
            Some(&ops),
        )
        .await;
    assert_eq!(bad.json()["errors"][0]["field"], "to");
}

backend_tests!(
    frequency_tracking_counts_calls_against_targets,
    calls_by_unit_is_scoped_and_adds_up
);

//! The sync protocol on both backends: initial and incremental pulls within scope,
//! idempotent pushes, rejections that do not wedge the queue, realignment resets, a
//! change committed late that a pull must not skip, and pokes on every committed write.

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use common::Api;
use pharmacrm_domain::audit::Actor;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};
use std::collections::BTreeMap;

struct Pulled {
    reset: bool,
    changes: Vec<Value>,
    cursor: String,
    pages: usize,
}

async fn pull_all(api: &Api, token: &str, cursor: Option<&str>, limit: usize) -> Pulled {
    let mut changes = Vec::new();
    let mut cursor = cursor.map(str::to_string);
    let mut reset = None;
    let mut pages = 0;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/sync/pull?limit={limit}&cursor={c}"),
            None => format!("/api/v1/sync/pull?limit={limit}"),
        };
        let reply = api.get(&url, Some(token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let page = reply.json();
        pages += 1;
        let page_reset = page["reset"].as_bool().unwrap();
        assert_eq!(
            *reset.get_or_insert(page_reset),
            page_reset,
            "every page of a checkpoint agrees on reset"
        );
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["cursor"].as_str().unwrap().to_string());
        if !page["has_more"].as_bool().unwrap() {
            return Pulled {
                reset: reset.unwrap(),
                changes,
                cursor: cursor.unwrap(),
                pages,
            };
        }
    }
}

fn count_by_entity(changes: &[Value]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in changes {
        *counts
            .entry(c["entity"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    counts
}

fn hcps_in(changes: &[Value]) -> Vec<&Value> {
    changes
        .iter()
        .filter(|c| c["entity"] == "hcp")
        .map(|c| &c["data"])
        .collect()
}

/// The device's clock: these tests drive the server as a device does, in real time.
fn device_now() -> chrono::DateTime<chrono::Utc> {
    use pharmacrm_domain::clock::Clock;
    pharmacrm_domain::clock::SystemClock.now()
}

/// A call on `hcp` an hour ago, as the field app submits it.
fn call(hcp: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7(),
        "call_type": "in_person",
        "hcp_ids": [hcp],
        "account_id": null,
        "called_at": (device_now() - Duration::hours(1)).to_rfc3339(),
        "product_ids": [],
        "outcome": "interested",
        "next_step": "follow_up_visit",
        "next_step_date": null,
        "notes": "Discussed dosing",
    })
}

fn push_body(client: uuid::Uuid, calls: &[Value]) -> Value {
    let mutations: Vec<Value> = calls
        .iter()
        .map(|c| json!({"id": uuid::Uuid::now_v7(), "client_ts": device_now().to_rfc3339(), "kind": "call.submit", "payload": c}))
        .collect();
    json!({"client_id": client, "mutations": mutations})
}

async fn initial_pull_is_the_reps_scope_in_priority_order(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let pulled = pull_all(&api, &rep, None, 37).await;
    assert!(pulled.reset, "an initial sync replaces the device state");
    assert!(pulled.pages > 3, "paged");
    let counts = count_by_entity(&pulled.changes);
    assert_eq!(counts["picklists"], 1);
    assert_eq!(counts["product"], 4);
    assert_eq!(
        counts["target"], 12,
        "calls per cycle for each product x tier"
    );
    assert_eq!(counts["hcp"], 100);
    let accounts = api.all("/api/v1/accounts", &rep).await.len();
    assert_eq!(counts["account"], accounts);
    let calls_expected = counts.get("call").copied().unwrap_or(0);
    assert!(calls_expected > 0, "the demo carries call history");
    assert!(hcps_in(&pulled.changes)
        .iter()
        .all(|h| h["territory"]["code"] == "T01"));
    let order: Vec<&str> = pulled
        .changes
        .iter()
        .map(|c| c["entity"].as_str().unwrap())
        .collect();
    let first_hcp = order.iter().position(|e| *e == "hcp").unwrap();
    assert!(
        order[..first_hcp]
            .iter()
            .all(|e| ["picklists", "product", "target", "samples"].contains(e)),
        "plan data first"
    );
    assert_eq!(counts["samples"], 1, "the rep's sample book");
    let tiers: Vec<String> = hcps_in(&pulled.changes)
        .iter()
        .map(|h| {
            h["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["tier"].as_str().unwrap().to_string())
                .min()
                .unwrap_or("-".into())
        })
        .collect();
    let mut sorted = tiers.clone();
    sorted.sort_by_key(|t| if t == "-" { "Z".to_string() } else { t.clone() });
    assert_eq!(tiers, sorted, "tier A HCPs arrive first");
    let again = pull_all(&api, &rep, Some(&pulled.cursor), 100).await;
    assert!(!again.reset);
    assert!(
        again.changes.is_empty(),
        "an incremental pull with nothing new is empty: {:?}",
        count_by_entity(&again.changes)
    );
}

async fn pushes_apply_once_and_reach_the_manager(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let mgr = api.login("mgr.d01").await;
    let initial = pull_all(&api, &rep, None, 500).await;
    let mgr_initial = pull_all(&api, &mgr, None, 2000).await;
    let hcps: Vec<String> = hcps_in(&initial.changes)
        .iter()
        .filter(|h| h["do_not_call"].is_null() && h["status"] != "deceased")
        .take(3)
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let client = uuid::Uuid::now_v7();
    let body = push_body(client, &hcps.iter().map(|h| call(h)).collect::<Vec<_>>());
    let first = api.post_json("/api/v1/sync/push", Some(&rep), &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let statuses: Vec<String> = first.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, vec!["applied"; 3]);
    // The answer was lost on the way back: the device retries the same batch.
    let retry = api
        .post_json("/api/v1/sync/push", Some(&rep), &body)
        .await
        .json();
    assert_eq!(retry, first.json(), "a replay gets the same answers");
    let after = pull_all(&api, &rep, Some(&initial.cursor), 500).await;
    assert_eq!(
        count_by_entity(&after.changes),
        BTreeMap::from([("call".to_string(), 3)]),
        "exactly three new calls, no duplicates"
    );
    let last = api.store.last_mutation_of(client).await.unwrap().unwrap();
    let ids: Vec<&str> = body["mutations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(last.to_string(), *ids.iter().max().unwrap());
    let mgr_after = pull_all(&api, &mgr, Some(&mgr_initial.cursor), 500).await;
    assert_eq!(
        mgr_after
            .changes
            .iter()
            .filter(|c| c["entity"] == "call")
            .count(),
        3,
        "the manager sees the calls in one sync"
    );
    let ops = api.login("ops").await;
    let territory_of_call = &after.changes[0]["data"]["territory_id"];
    assert_eq!(
        territory_of_call,
        &initial
            .changes
            .iter()
            .find(|c| c["entity"] == "hcp")
            .unwrap()["data"]["territory"]["id"]
    );
    let other_rep = api.login("rep.t03").await;
    let theirs = pull_all(&api, &other_rep, None, 2000).await;
    let call_ids: Vec<&Value> = after.changes.iter().map(|c| &c["id"]).collect();
    assert!(
        theirs.changes.iter().all(|c| !call_ids.contains(&&c["id"])),
        "another territory never receives them"
    );
    let _ = ops;
}

async fn rejections_are_answered_and_do_not_wedge_the_queue(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let initial = pull_all(&api, &rep, None, 2000).await;
    let hcps = hcps_in(&initial.changes);
    let dnc = hcps.iter().find(|h| !h["do_not_call"].is_null());
    let ok = hcps
        .iter()
        .find(|h| h["do_not_call"].is_null() && h["status"] == "active")
        .unwrap();
    let ops = api.login("ops").await;
    let foreign = api
        .all("/api/v1/hcps", &ops)
        .await
        .into_iter()
        .find(|h| h["territory"]["code"] == "T03")
        .unwrap();
    let mut bad = call(ok["id"].as_str().unwrap());
    bad["outcome"] = json!("maybe");
    let mut calls = vec![call(foreign["id"].as_str().unwrap()), bad];
    if let Some(dnc) = dnc {
        // Flagged do-not-call when the demo was created, moments ago: a call after that is
        // refused; one that happened (offline) before it is kept, with a flag.
        let mut after_flag = call(dnc["id"].as_str().unwrap());
        after_flag["called_at"] = json!(api.store.now().to_rfc3339());
        calls.push(after_flag);
        calls.push(call(dnc["id"].as_str().unwrap()));
    }
    calls.push(call(ok["id"].as_str().unwrap()));
    let body = push_body(uuid::Uuid::now_v7(), &calls);
    let results = api
        .post_json("/api/v1/sync/push", Some(&rep), &body)
        .await
        .json();
    let codes: Vec<(String, String)> = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap().into(),
                r["code"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let mut expected = vec![
        ("rejected".to_string(), "hcp_not_in_scope".to_string()),
        ("rejected".into(), "validation_failed".into()),
    ];
    if dnc.is_some() {
        expected.push(("rejected".into(), "do_not_call".into()));
        expected.push((
            "applied_with_flag".into(),
            "do_not_call_set_after_call".into(),
        ));
    }
    expected.push(("applied".into(), String::new()));
    assert_eq!(codes, expected);
    assert_eq!(results["results"][1]["errors"][0]["field"], "outcome");
    let after = pull_all(&api, &rep, Some(&initial.cursor), 500).await;
    let recorded = after
        .changes
        .iter()
        .filter(|c| c["entity"] == "call")
        .count();
    assert_eq!(
        recorded,
        if dnc.is_some() { 2 } else { 1 },
        "only the valid and the flagged call were recorded"
    );
    assert!(dnc.is_some(), "the small demo has a do-not-call HCP in T01");
    // A call whose id was already used is refused, not duplicated.
    let mut reused = calls.last().unwrap().clone();
    reused["notes"] = json!("again");
    let again = api
        .post_json(
            "/api/v1/sync/push",
            Some(&rep),
            &push_body(uuid::Uuid::now_v7(), &[reused]),
        )
        .await
        .json();
    assert_eq!(again["results"][0]["code"], "duplicate_call");
    let wrong_cursor = api
        .get("/api/v1/sync/pull?cursor=nonsense", Some(&rep))
        .await;
    assert_eq!(wrong_cursor.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_cursor.json()["errors"][0]["field"], "cursor");
}

async fn a_realignment_resets_the_devices_it_touches(store: Store) {
    let api = Api::demo(store).await;
    let rep1 = api.login("rep.t01").await;
    let rep2 = api.login("rep.t02").await;
    let one = pull_all(&api, &rep1, None, 2000).await;
    let two = pull_all(&api, &rep2, None, 2000).await;
    let moving_zip = hcps_in(&one.changes)[0]["address"]["zip"]
        .as_str()
        .unwrap()
        .to_string();
    let moving: Vec<String> = hcps_in(&one.changes)
        .iter()
        .filter(|h| h["address"]["zip"] == moving_zip.as_str())
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let t02 = api.store.org_unit_by_code("T02").await.unwrap().unwrap();
    api.store
        .align_zips(
            &Actor::system("ops"),
            &[(moving_zip.clone(), t02.id)],
            api.store.today(),
        )
        .await
        .unwrap();
    let one_after = pull_all(&api, &rep1, Some(&one.cursor), 2000).await;
    assert!(one_after.reset, "the device is told its territory changed");
    let ids1: Vec<&str> = hcps_in(&one_after.changes)
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids1.len(), 100 - moving.len());
    assert!(
        moving.iter().all(|m| !ids1.contains(&m.as_str())),
        "realigned HCPs leave the device"
    );
    let two_after = pull_all(&api, &rep2, Some(&two.cursor), 2000).await;
    assert!(two_after.reset);
    let ids2: Vec<&str> = hcps_in(&two_after.changes)
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(
        moving.iter().all(|m| ids2.contains(&m.as_str())),
        "realigned HCPs arrive whole on the new territory's device"
    );
}

/// An HCP whose address moves to another territory (an import, an approved change) leaves
/// the old rep's device and reaches the new rep's whole, with its calls.
async fn an_hcp_moving_address_to_another_territory_reaches_both_devices(store: Store) {
    let api = Api::demo(store).await;
    let rep1 = api.login("rep.t01").await;
    let rep2 = api.login("rep.t02").await;
    let one = pull_all(&api, &rep1, None, 2000).await;
    let two = pull_all(&api, &rep2, None, 2000).await;
    let hcp_id = hcps_in(&one.changes)
        .iter()
        .find(|h| h["status"] == "active" && h["do_not_call"].is_null())
        .and_then(|h| h["id"].as_str())
        .unwrap()
        .to_string();
    let call = call(&hcp_id);
    let pushed = api
        .post_json(
            "/api/v1/sync/push",
            Some(&rep1),
            &push_body(uuid::Uuid::now_v7(), std::slice::from_ref(&call)),
        )
        .await;
    assert_eq!(
        pushed.json()["results"][0]["status"],
        "applied",
        "{}",
        pushed.text
    );
    let one = pull_all(&api, &rep1, Some(&one.cursor), 2000).await;
    let t02_zip = hcps_in(&two.changes)[0]["address"]["zip"]
        .as_str()
        .unwrap()
        .to_string();
    let (records, _) = api
        .store
        .hcp_records(
            &pharmacrm_domain::access::Scope::All,
            &Default::default(),
            None,
            5000,
        )
        .await
        .unwrap();
    let hcp = records
        .into_iter()
        .find(|h| h.id.to_string() == hcp_id)
        .unwrap();
    let mut moved = hcp.record.clone();
    moved.address.zip = t02_zip;
    api.store
        .update_hcp(&Actor::system("ops import"), hcp.id, &hcp.record, &moved)
        .await
        .unwrap();

    let one_after = pull_all(&api, &rep1, Some(&one.cursor), 2000).await;
    assert!(one_after.reset, "the old territory's device is told");
    assert!(
        hcps_in(&one_after.changes)
            .iter()
            .all(|h| h["id"] != hcp_id.as_str()),
        "the HCP leaves the old rep's device"
    );
    let two_after = pull_all(&api, &rep2, Some(&two.cursor), 2000).await;
    assert!(two_after.reset, "the new territory's device is told");
    assert!(hcps_in(&two_after.changes)
        .iter()
        .any(|h| h["id"] == hcp_id.as_str()));
    assert!(
        two_after
            .changes
            .iter()
            .any(|c| c["entity"] == "call" && c["id"] == call["id"]),
        "the HCP arrives with its calls"
    );
}

async fn a_change_committed_late_is_not_skipped(store: Store) {
    let api = Api::demo(store.clone()).await;
    let rep = api.login("rep.t01").await;
    let initial = pull_all(&api, &rep, None, 2000).await;
    let hcps = hcps_in(&initial.changes);
    let (slow_id, fast_id) = (
        hcps[0]["id"].as_str().unwrap().to_string(),
        hcps[1]["id"].as_str().unwrap().to_string(),
    );
    // A slow writer takes a version and holds its transaction open.
    let mut slow = store.pool().begin().await.unwrap();
    let row = sqlx::query(
        "UPDATE sync_counter SET value = value + 1 WHERE name = 'changes' RETURNING value",
    )
    .fetch_one(&mut *slow)
    .await
    .unwrap();
    let version: i64 = sqlx::Row::try_get(&row, "value").unwrap();
    sqlx::query("UPDATE hcps SET first_name = 'Late', version = $1 WHERE id = $2")
        .bind(version)
        .bind(&slow_id)
        .execute(&mut *slow)
        .await
        .unwrap();
    // A fast writer starts meanwhile; it cannot take a later version before the slow one commits.
    let fast_store = store.clone();
    let fast = tokio::spawn(async move {
        let (records, _) = fast_store
            .hcp_records(
                &pharmacrm_domain::access::Scope::All,
                &Default::default(),
                None,
                500,
            )
            .await
            .unwrap();
        let hcp = records
            .into_iter()
            .find(|h| h.id.to_string() == fast_id)
            .unwrap();
        let mut after = hcp.record.clone();
        after.first_name = "Fast".into();
        fast_store
            .update_hcp(&Actor::system("fast"), hcp.id, &hcp.record, &after)
            .await
            .unwrap();
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // A device pulls while the slow transaction is open.
    let during = pull_all(&api, &rep, Some(&initial.cursor), 2000).await;
    assert!(
        hcps_in(&during.changes)
            .iter()
            .all(|h| h["first_name"] != "Fast"),
        "nothing newer than an uncommitted version is visible"
    );
    slow.commit().await.unwrap();
    fast.await.unwrap();
    let after = pull_all(&api, &rep, Some(&during.cursor), 2000).await;
    let names: Vec<&str> = hcps_in(&after.changes)
        .iter()
        .map(|h| h["first_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Late"),
        "the late commit arrives: {names:?}"
    );
    assert!(names.contains(&"Fast"));
}

async fn events_stream_pokes_after_a_push(store: Store) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let request = axum::http::Request::get("/api/v1/sync/events")
        .header("authorization", format!("Bearer {rep}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = api.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut body = response.into_body();
    let initial = pull_all(&api, &rep, None, 2000).await;
    let hcp = hcps_in(&initial.changes)
        .into_iter()
        .find(|h| h["do_not_call"].is_null() && h["status"] == "active")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.post_json(
        "/api/v1/sync/push",
        Some(&rep),
        &push_body(uuid::Uuid::now_v7(), &[call(&hcp)]),
    )
    .await;
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .expect("a poke within 5 s")
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("event: poke"), "{text}");
}

/// A device's event stream, open.
async fn events_of(api: &Api, token: &str) -> axum::body::Body {
    use tower::ServiceExt;
    let request = axum::http::Request::get("/api/v1/sync/events")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = api.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.into_body()
}

/// Waits for the next frame of an event stream (up to 5 s, well before a heartbeat is
/// due) and asserts it is a poke.
async fn assert_poked(events: &mut axum::body::Body, after: &str) {
    use http_body_util::BodyExt;
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), events.frame())
        .await
        .unwrap_or_else(|_| panic!("a poke within 5 s after {after}"))
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.contains("event: poke"), "after {after}: {text}");
}

/// Pokes come from the store on commit, so every writing path pokes without its handler
/// saying so: an HCP created over HTTP, the matching thresholds (whose handler never
/// poked by hand), and a write made outside HTTP (the scheduler, an in-process import).
async fn every_committed_write_pokes_the_event_stream(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let ops = api.login("ops").await;
    let mut events = events_of(&api, &rep).await;

    let zip = api.all("/api/v1/hcps", &ops).await[0]["zip"]
        .as_str()
        .unwrap()
        .to_string();
    let created = api
        .post_json(
            "/api/v1/hcps?confirmed_different=true",
            Some(&ops),
            &common::new_hcp("1234567893", &zip),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_poked(&mut events, "an HCP was created").await;

    let thresholds = api
        .send(
            axum::http::Method::PUT,
            "/api/v1/matching/thresholds",
            Some(&ops),
            Some("application/json"),
            br#"{"link": 0.98, "review": 0.8}"#.to_vec(),
        )
        .await;
    assert_eq!(thresholds.status, StatusCode::OK, "{}", thresholds.text);
    assert_poked(&mut events, "the matching thresholds changed").await;

    let settings = api.store.matching_settings().await.unwrap();
    api.store
        .save_matching_settings(&Actor::system("test"), &settings)
        .await
        .unwrap();
    assert_poked(&mut events, "a write outside HTTP").await;
}

backend_tests!(
    an_hcp_moving_address_to_another_territory_reaches_both_devices,
    initial_pull_is_the_reps_scope_in_priority_order,
    pushes_apply_once_and_reach_the_manager,
    rejections_are_answered_and_do_not_wedge_the_queue,
    a_realignment_resets_the_devices_it_touches,
    a_change_committed_late_is_not_skipped,
    events_stream_pokes_after_a_push,
    every_committed_write_pokes_the_event_stream,
);

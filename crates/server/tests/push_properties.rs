//! A property-based test of the sync push on both backends: seeded random batches of valid
//! and invalid mutations (empty and huge arrays, control characters, extreme numbers, unknown
//! ids and kinds, replays, mixed kinds) interleaved with pulls. Properties: no push answers a
//! 5xx; every batch is answered item by item (the queue never wedges); a replay gets the
//! answer it got the first time; each valid call is applied exactly once; and the device's
//! view built from incremental pulls equals a fresh full pull. A failing case names its seed.

mod common;

use axum::http::StatusCode;
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Cases per backend in `make test`; `make bench` runs many more through
/// `PUSH_PROPERTY_CASES`.
const CASES: u64 = 64;

fn cases() -> u64 {
    std::env::var("PUSH_PROPERTY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES)
}

struct World {
    hcps: Vec<String>,
    now: String,
}

/// One random mutation, and the call id it applies when it is valid.
fn mutation(rng: &mut ChaCha8Rng, w: &World) -> (Value, Option<String>) {
    let hcp = &w.hcps[rng.gen_range(0..w.hcps.len())];
    let call = |hcp_ids: Value, notes: Value, called_at: &str| {
        json!({"id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": hcp_ids,
            "called_at": called_at, "product_ids": [], "outcome": "interested",
            "next_step": "follow_up_visit", "notes": notes})
    };
    let (kind, payload, valid) = match rng.gen_range(0..10) {
        0..=3 => (
            "call.submit",
            call(json!([hcp]), json!("fine\nnotes"), &w.now),
            true,
        ),
        4 => ("call.submit", call(json!([]), Value::Null, &w.now), false),
        5 => (
            "call.submit",
            call(json!([hcp]), json!("nul \u{0} bell \u{7}"), &w.now),
            false,
        ),
        6 => {
            let many: Vec<String> = (0..300).map(|_| uuid::Uuid::now_v7().to_string()).collect();
            ("call.submit", call(json!(many), Value::Null, &w.now), false)
        }
        7 => (
            "call.submit",
            call(json!([hcp]), json!(i64::MIN), "9999-12-31T23:59:59Z"),
            false,
        ),
        8 => (
            "sample.return",
            json!({"id": uuid::Uuid::now_v7(), "occurred_at": w.now,
                "lines": [{"lot_id": uuid::Uuid::now_v7(), "quantity": i64::MAX}]}),
            false,
        ),
        _ => ("call.\u{1}unknown", json!("not an object"), false),
    };
    let call_id = valid.then(|| payload["id"].as_str().unwrap_or_default().to_string());
    let m =
        json!({"id": uuid::Uuid::now_v7(), "client_ts": w.now, "kind": kind, "payload": payload});
    (m, call_id)
}

/// Calls a device holds after applying pulled changes from `cursor` on.
async fn pull_calls(
    api: &Api,
    token: &str,
    cursor: Option<String>,
    held: &mut BTreeSet<String>,
) -> String {
    let mut cursor = cursor;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/sync/pull?limit=500&cursor={c}"),
            None => "/api/v1/sync/pull?limit=500".to_string(),
        };
        let reply = api.get(&url, Some(token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.text);
        let page = reply.json();
        for c in page["changes"].as_array().unwrap() {
            if c["entity"] == "call" {
                held.insert(c["id"].as_str().unwrap().to_string());
            }
        }
        cursor = Some(page["cursor"].as_str().unwrap().to_string());
        if page["has_more"] == false {
            return cursor.unwrap_or_default();
        }
    }
}

async fn random_pushes_never_fail_and_apply_each_valid_call_once(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let hcps = common::callable_hcps(&api, &rep).await;
    let world = World {
        hcps,
        now: api.store.now().to_rfc3339(),
    };
    let mut held = BTreeSet::new();
    let mut cursor = Some(pull_calls(&api, &rep, None, &mut held).await);
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    let mut sent: Vec<Value> = Vec::new();
    let mut applied: BTreeSet<String> = BTreeSet::new();
    for seed in 0..cases() {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut batch = Vec::new();
        let mut calls = BTreeMap::new();
        for _ in 0..rng.gen_range(1..=6) {
            if !sent.is_empty() && rng.gen_bool(0.2) {
                batch.push(sent[rng.gen_range(0..sent.len())].clone()); // a replay
            } else {
                let (m, call) = mutation(&mut rng, &world);
                if let Some(call) = call {
                    calls.insert(m["id"].as_str().unwrap().to_string(), call);
                }
                batch.push(m);
            }
        }
        let body = json!({"client_id": uuid::Uuid::now_v7(), "mutations": batch});
        let reply = api.post_json("/api/v1/sync/push", Some(&rep), &body).await;
        assert_eq!(reply.status, StatusCode::OK, "seed {seed}: {}", reply.text);
        let results = reply.json()["results"].as_array().unwrap().clone();
        let ids: BTreeSet<&str> = batch.iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(
            results.len(),
            batch.len(),
            "seed {seed}: one answer per item"
        );
        for r in &results {
            let id = r["mutation_id"].as_str().unwrap().to_string();
            assert!(ids.contains(id.as_str()), "seed {seed}: {r}");
            if let Some(first) = answers.get(&id) {
                assert_eq!(first, r, "seed {seed}: a replay keeps its answer");
            }
            answers.insert(id.clone(), r.clone());
            if let Some(call) = calls.get(&id) {
                assert_ne!(r["status"], "rejected", "seed {seed}: a valid call: {r}");
                applied.insert(call.clone());
            } else if !sent.iter().any(|m| m["id"] == id.as_str()) {
                assert_eq!(r["status"], "rejected", "seed {seed}: an invalid item: {r}");
            }
        }
        sent.extend(batch);
        if rng.gen_bool(0.3) {
            cursor = Some(pull_calls(&api, &rep, cursor.take(), &mut held).await);
        }
    }
    pull_calls(&api, &rep, cursor, &mut held).await;
    let mut fresh = BTreeSet::new();
    pull_calls(&api, &rep, None, &mut fresh).await;
    assert!(
        applied.is_subset(&fresh),
        "every applied call is on the server"
    );
    assert_eq!(held, fresh, "the device's view equals a fresh pull");
    let stored: i64 = {
        let ids: Vec<String> = applied.iter().cloned().collect();
        let mut n = 0;
        for id in ids {
            let id = uuid::Uuid::parse_str(&id).unwrap();
            n += i64::from(api.store.call_by_id(id).await.unwrap().is_some());
        }
        n
    };
    assert_eq!(
        stored as usize,
        applied.len(),
        "each valid call applied exactly once"
    );
}

backend_tests!(random_pushes_never_fail_and_apply_each_valid_call_once);

//! Input an attacker or a broken device sends, on both backends: never a 5xx. A text holding
//! a control character is refused at the edge with the field named; inside a sync push each
//! mutation is answered on its own, so one bad item never holds back the queue behind it.

mod common;

use axum::http::StatusCode;
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};

/// The first HCP the signed-in rep may call on.
async fn callable_hcp(api: &Api, token: &str) -> String {
    common::callable_hcps(api, token)
        .await
        .into_iter()
        .next()
        .expect("a callable HCP")
}

fn call(hcp_ids: Value, notes: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": hcp_ids,
        "called_at": "2020-01-01T10:00:00Z", "product_ids": [], "outcome": "interested",
        "next_step": "follow_up_visit", "notes": notes,
    })
}

fn mutation(kind: &str, payload: Value) -> Value {
    json!({"id": uuid::Uuid::now_v7(), "client_ts": "2020-01-01T10:00:00Z", "kind": kind, "payload": payload})
}

async fn a_push_of_bad_items_answers_each_and_applies_the_good_one(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let hcp = callable_hcp(&api, &rep).await;
    let mut good = call(json!([hcp]), "Discussed dosing\nand titration");
    good["called_at"] = json!(api.store.now().to_rfc3339());
    let mutations = vec![
        mutation("call.submit", call(json!([]), "no attendees")),
        mutation(
            "call.submit",
            call(json!([hcp]), "a nul \u{0} in the notes"),
        ),
        mutation("call.\u{0}submit", json!({})),
        mutation(
            "call.submit",
            json!({"id": 1, "hcp_ids": [i64::MAX, -1.5e308]}),
        ),
        mutation("call.submit", good),
    ];
    let body = json!({"client_id": uuid::Uuid::now_v7(), "mutations": mutations});
    for attempt in 0..2 {
        let reply = api.post_json("/api/v1/sync/push", Some(&rep), &body).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "attempt {attempt}: {}",
            reply.text
        );
        let results = reply.json()["results"].as_array().unwrap().clone();
        let answers: Vec<(&str, &str)> = results
            .iter()
            .map(|r| {
                (
                    r["status"].as_str().unwrap(),
                    r["code"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            answers,
            [
                ("rejected", "validation_failed"),
                ("rejected", "validation_failed"),
                ("rejected", "unknown_kind"),
                ("rejected", "validation_failed"),
                ("applied", ""),
            ],
            "attempt {attempt}: the same answers on a replay"
        );
        assert_eq!(results[0]["errors"][0]["field"], "hcp_ids");
        assert_eq!(results[1]["errors"][0]["field"], "payload.notes");
        assert!(!results[2]["message"].as_str().unwrap().contains('\u{0}'));
    }
}

async fn control_characters_are_refused_at_the_edge_with_the_field_named(store: Store) {
    let api = Api::demo(store).await;
    let login = api
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({"username": "ad\u{0}min", "password": "demo"}),
        )
        .await;
    assert_eq!(
        login.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        login.text
    );
    assert_eq!(login.json()["errors"][0]["field"], "username");
    let rep = api.login("rep.t01").await;
    for path in [
        "/api/v1/hcps?q=%00",
        "/api/v1/hcps?q=a%07b",
        "/api/v1/accounts?q=%1B",
    ] {
        let reply = api.get(path, Some(&rep)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            reply.text
        );
        assert_eq!(reply.json()["errors"][0]["field"], "q", "{path}");
    }
    let half = api
        .get("/api/v1/reports/calls-by-unit?from=2026-01-01", Some(&rep))
        .await;
    assert_eq!(
        half.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        half.text
    );
    assert_eq!(
        half.json()["errors"][0]["field"],
        "to",
        "the missing parameter is named"
    );
    let tabbed = api.get("/api/v1/hcps?q=a%09b", Some(&rep)).await;
    assert_eq!(
        tabbed.status,
        StatusCode::OK,
        "a tab is text: {}",
        tabbed.text
    );
    let proposal = api
        .post_json(
            "/api/v1/hcps/matches",
            Some(&rep),
            &json!({"first_name": "An\u{8}a", "last_name": "Lopez"}),
        )
        .await;
    assert_eq!(
        proposal.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        proposal.text
    );
    assert_eq!(proposal.json()["errors"][0]["field"], "first_name");
}

async fn a_mutation_id_another_rep_used_is_refused_and_tells_nothing(store: Store) {
    let api = Api::demo(store).await;
    let (rep1, rep2) = (api.login("rep.t01").await, api.login("rep.t02").await);
    let mut first = call(json!([callable_hcp(&api, &rep1).await]), "rep.t01's visit");
    first["called_at"] = json!(api.store.now().to_rfc3339());
    let id = uuid::Uuid::now_v7();
    let push = |payload: Value| {
        json!({"client_id": uuid::Uuid::now_v7(), "mutations": [
            {"id": id, "client_ts": "2020-01-01T10:00:00Z", "kind": "call.submit", "payload": payload}
        ]})
    };
    let answer = |reply: common::Reply| reply.json()["results"][0].clone();
    let mine = answer(
        api.post_json("/api/v1/sync/push", Some(&rep1), &push(first.clone()))
            .await,
    );
    assert_eq!(mine["status"], "applied", "{mine}");
    let mut second = call(json!([callable_hcp(&api, &rep2).await]), "rep.t02's visit");
    second["called_at"] = json!(api.store.now().to_rfc3339());
    let theirs = answer(
        api.post_json("/api/v1/sync/push", Some(&rep2), &push(second.clone()))
            .await,
    );
    assert_eq!(
        (&theirs["status"], &theirs["code"]),
        (&json!("rejected"), &json!("conflict"))
    );
    assert!(!theirs.to_string().contains("t01"), "{theirs}");
    let calls = api
        .get(
            &format!(
                "/api/v1/hcps/{}/calls",
                second["hcp_ids"][0].as_str().unwrap()
            ),
            Some(&rep2),
        )
        .await;
    assert!(
        !calls.text.contains(second["id"].as_str().unwrap()),
        "nothing applied for rep.t02"
    );
    let again = answer(
        api.post_json("/api/v1/sync/push", Some(&rep1), &push(first))
            .await,
    );
    assert_eq!(
        again["status"], "applied",
        "rep.t01's replay keeps its answer"
    );
}

/// Quantities at the limits of an integer are refused with the field named, and the books
/// stay readable.
async fn a_quantity_beyond_any_sample_movement_is_refused_and_the_books_stay_readable(
    store: Store,
) {
    let api = Api::demo(store).await;
    let ops = api.login("ops").await;
    let rep = api.login("rep.t01").await;
    let reps = api.get("/api/v1/samples/reps", Some(&ops)).await.json();
    let me = api.get("/api/v1/me", Some(&rep)).await.json();
    assert!(reps.as_array().unwrap().iter().any(|r| r["id"] == me["id"]));
    let lots = api.get("/api/v1/samples/lots", Some(&ops)).await.json();
    let lot = lots[0]["id"].clone();
    for quantity in [json!(i64::MAX), json!(100_001), json!(0), json!(-5)] {
        let shipment =
            json!({"rep_id": me["id"], "lines": [{"lot_id": lot, "quantity": quantity}]});
        let reply = api
            .post_json("/api/v1/samples/shipments", Some(&ops), &shipment)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{quantity}: {}",
            reply.text
        );
        assert_eq!(
            reply.json()["errors"][0]["field"],
            "lines[0].quantity",
            "{quantity}"
        );
    }
    let book = api.get("/api/v1/samples/book", Some(&rep)).await.json();
    let held = book["lots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["on_hand"].as_i64().unwrap_or(0) > 0)
        .expect("a lot on hand")
        .clone();
    let ret = json!({"id": uuid::Uuid::now_v7(), "occurred_at": api.store.now().to_rfc3339(),
        "lines": [{"lot_id": held["lot_id"], "quantity": i64::MAX}]});
    let body =
        json!({"client_id": uuid::Uuid::now_v7(), "mutations": [mutation("sample.return", ret)]});
    let reply = api.post_json("/api/v1/sync/push", Some(&rep), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let answer = &reply.json()["results"][0];
    assert_eq!(
        (&answer["status"], &answer["code"]),
        (&json!("rejected"), &json!("validation_failed"))
    );
    assert_eq!(answer["errors"][0]["field"], "lines[0].quantity");
    assert_eq!(
        api.get("/api/v1/samples/book", Some(&rep)).await.status,
        StatusCode::OK
    );
}

backend_tests!(
    a_quantity_beyond_any_sample_movement_is_refused_and_the_books_stay_readable,
    a_mutation_id_another_rep_used_is_refused_and_tells_nothing,
    a_push_of_bad_items_answers_each_and_applies_the_good_one,
    control_characters_are_refused_at_the_edge_with_the_field_named,
);

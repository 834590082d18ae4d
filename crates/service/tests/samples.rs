//! Sample accountability end to end through the service layer, on SQLite and PostgreSQL:
//! signed disbursements, every guardrail re-checked by the server (breaches kept as facts
//! with an exception), two devices beyond a shared limit, inventory movements, the
//! reconciliation report against an independent recomputation, tamper detection.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use chrono::Duration;
use common::{eligible, principal, regular_lot};
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::clock::ManualClock;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_domain::new_id;
use pharmacrm_domain::sample::check::{
    blocks, check_samples, LicenceFacts, LotFacts, RecipientFacts, SampleContext, SampleLine,
    SampleMode,
};
use pharmacrm_domain::sample::limits::{LimitMeasure, LimitWindow, SampleLimit, Severity};
use pharmacrm_domain::sample::reconciliation::{AnnualStatus, CountStatus, OpeningSource};
use pharmacrm_domain::sample::views::{LossReportUpdate, SampleBook};
use pharmacrm_domain::sample::{LotQuantity, TxnKind};
use pharmacrm_domain::views::Hcp;
use pharmacrm_fixtures::samples::call_with_samples;
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::samples::{self, admin, reports};
use pharmacrm_service::sync::{push, MutationKind, MutationResult, PushRequest, ReceivedMutation};
use pharmacrm_storage::samples::RecordFilter;
use pharmacrm_storage::Store;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

async fn send(
    store: &Store,
    who: &Principal,
    client: Uuid,
    kind: MutationKind,
    payload: serde_json::Value,
) -> MutationResult {
    let m = ReceivedMutation {
        id: new_id(),
        client_ts: store.now().to_rfc3339(),
        kind: kind.as_str().into(),
        payload,
        undeclared: Default::default(),
    };
    let mut out = push(
        store,
        who,
        &PushRequest {
            client_id: client,
            mutations: vec![m],
        },
    )
    .await
    .unwrap();
    out.results.remove(0)
}

/// The flags of an applied mutation, or the code of any other answer.
fn codes(r: &MutationResult) -> Vec<Code> {
    if r.flags.is_empty() {
        r.code.into_iter().collect()
    } else {
        r.flags.clone()
    }
}

async fn a_signed_disbursement_is_recorded_with_its_call(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let book = samples::book(&store, &rep).await.unwrap();
    let hcp = eligible(&store, &rep).await.remove(0);
    let lot = regular_lot(&book, store.today());
    let before = store.on_hand(rep.user.id).await.unwrap()[&lot];
    let call = call_with_samples(&book, &hcp, &[(lot, 2)], store.now() - Duration::minutes(5));
    let result = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&call).unwrap(),
    )
    .await;
    assert_eq!(result.status, MutationStatus::Applied, "{result:?}");
    assert_eq!(store.on_hand(rep.user.id).await.unwrap()[&lot], before - 2);
    let records = store
        .sample_records(RecordFilter::Hcp(hcp.id), None)
        .await
        .unwrap();
    let record = records
        .iter()
        .find(|r| Some(r.id) == call.disbursement.as_ref().map(|d| d.id))
        .expect("the record");
    assert_eq!(record.call_id, Some(call.id));
    assert_eq!(record.signature.hash, record.signature.record.hash());
    assert!(record.findings.is_empty());
    let stored_call = store.call_by_id(call.id).await.unwrap().unwrap();
    assert_eq!(stored_call.disbursement_id, Some(record.id));
    assert!(store.verify_sample_facts().await.unwrap().problem.is_none());
    // The call is read-only: a correction is a new linked call and cannot carry samples.
    let mut correction =
        call_with_samples(&book, &hcp, &[(lot, 1)], store.now() - Duration::minutes(2));
    correction.corrects = Some(call.id);
    correction.correction_reason = Some("wrong outcome".into());
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&correction).unwrap(),
    )
    .await;
    assert_eq!(
        (r.status, r.errors[0].field.as_str()),
        (MutationStatus::Rejected, "disbursement")
    );
    correction.disbursement = None;
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&correction).unwrap(),
    )
    .await;
    assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
    assert_eq!(
        store
            .sample_records(RecordFilter::Call(call.id), None)
            .await
            .unwrap()
            .len(),
        1,
        "the original signed record stands"
    );
}

async fn the_server_rechecks_every_guardrail(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let compliance = principal(&store, "compliance").await;
    let book = samples::book(&store, &rep).await.unwrap();
    let hcps = eligible(&store, &rep).await;
    let lot = regular_lot(&book, store.today());
    let now = store.now() - Duration::minutes(5);
    let client = new_id();
    let push_call = |call: pharmacrm_domain::call::CallInput| {
        let store = store.clone();
        let rep = rep.clone();
        async move {
            send(
                &store,
                &rep,
                client,
                MutationKind::CallSubmit,
                serde_json::to_value(&call).unwrap(),
            )
            .await
        }
    };

    // Above the per-call maximum: the samples left the trunk, so the record is kept and flagged.
    let over = push_call(call_with_samples(&book, &hcps[0], &[(lot, 5)], now)).await;
    assert_eq!(
        (over.status, codes(&over)),
        (MutationStatus::AppliedWithFlag, vec![Code::SampleLimit])
    );
    // An expired lot.
    let expired = book
        .lots
        .iter()
        .find(|l| l.expires_on < store.today() && l.on_hand > 0)
        .unwrap();
    let r = push_call(call_with_samples(
        &book,
        &hcps[1],
        &[(expired.lot_id, 1)],
        now,
    ))
    .await;
    assert!(codes(&r).contains(&Code::LotExpired), "{r:?}");
    // A controlled product for an HCP without a DEA registration.
    let no_dea = hcps
        .iter()
        .find(|h| h.dea_registrations.is_empty())
        .expect("an HCP without DEA");
    let controlled = book
        .lots
        .iter()
        .find(|l| {
            l.on_hand > 0
                && l.expires_on > store.today()
                && book
                    .skus
                    .iter()
                    .any(|s| s.sku_id == l.sku_id && s.dea_schedule.is_some())
        })
        .unwrap();
    let r = push_call(call_with_samples(
        &book,
        no_dea,
        &[(controlled.lot_id, 1)],
        now,
    ))
    .await;
    assert!(codes(&r).contains(&Code::DeaRequired), "{r:?}");
    // A credential the state excludes from the product.
    let target = &hcps[2];
    let rule = pharmacrm_domain::sample::check::CredentialRule {
        id: new_id(),
        state: target.address.state.clone(),
        credential: target.credentials.clone(),
        product_id: Some(
            book.lots
                .iter()
                .find(|l| l.lot_id == lot)
                .unwrap()
                .product_id,
        ),
        controlled_only: false,
    };
    admin::put_credential_rule(&store, &compliance, &rule)
        .await
        .unwrap();
    let r = push_call(call_with_samples(&book, target, &[(lot, 1)], now)).await;
    assert!(codes(&r).contains(&Code::CredentialNotEligible), "{r:?}");
    // Above the rep's remaining allocation.
    let product = book
        .lots
        .iter()
        .find(|l| l.lot_id == lot)
        .unwrap()
        .product_id;
    let (from, to) = (
        store.today() - Duration::days(1),
        store.today() + Duration::days(1),
    );
    admin::put_allocation(
        &store,
        &compliance,
        &admin::AllocationInput {
            rep_id: rep.user.id,
            product_id: product,
            period_from: from,
            period_to: to,
            quantity: 1,
        },
    )
    .await
    .unwrap();
    let r = push_call(call_with_samples(&book, &hcps[3], &[(lot, 2)], now)).await;
    assert!(codes(&r).contains(&Code::AllocationExceeded), "{r:?}");
    // No active licence in the state of the call.
    let unlicensed = &hcps[4];
    let stored = store
        .hcps_by_npi(std::slice::from_ref(&unlicensed.npi))
        .await
        .unwrap()
        .remove(&unlicensed.npi)
        .unwrap();
    let mut lapsed = stored.record.clone();
    for l in &mut lapsed.licences {
        l.expires_on = store.today() - Duration::days(3);
    }
    store
        .update_hcp(&Actor::system("test"), stored.id, &stored.record, &lapsed)
        .await
        .unwrap();
    let unlicensed = store.hcp(&rep.scope, unlicensed.id).await.unwrap().unwrap();
    let r = push_call(call_with_samples(&book, &unlicensed, &[(lot, 1)], now)).await;
    assert!(codes(&r).contains(&Code::NoActiveLicence), "{r:?}");
    // Every breach is in the exceptions queue with the rule broken.
    let open = admin::exceptions(&store, &compliance, Some("open"))
        .await
        .unwrap();
    for code in [
        Code::SampleLimit,
        Code::LotExpired,
        Code::DeaRequired,
        Code::CredentialNotEligible,
        Code::AllocationExceeded,
        Code::NoActiveLicence,
    ] {
        assert!(
            open.iter()
                .any(|x| x.rep_id == rep.user.id && x.findings.iter().any(|f| f.code == code)),
            "no exception for {code}"
        );
    }

    // Blacklisted: a call alone is refused; signature-less or re-bound signatures never record.
    let blacklisted = hcps[5].clone();
    admin::set_blacklist(&store, &compliance, blacklisted.id, Some("OIG exclusion"))
        .await
        .unwrap();
    let mut plain = call_with_samples(&book, &blacklisted, &[(lot, 1)], now);
    plain.disbursement = None;
    plain.called_at = store.now();
    let r = push_call(plain).await;
    assert_eq!(
        (r.status, codes(&r)),
        (MutationStatus::Rejected, vec![Code::Blacklisted])
    );
    let mut unsigned = call_with_samples(&book, &hcps[6], &[(lot, 1)], now);
    unsigned.disbursement.as_mut().unwrap().signature.image = String::new();
    let r = push_call(unsigned).await;
    assert_eq!(
        (r.status, codes(&r)),
        (MutationStatus::Rejected, vec![Code::SignatureInvalid])
    );
    let mut moved = call_with_samples(&book, &hcps[6], &[(lot, 1)], now);
    let other = call_with_samples(&book, &hcps[6], &[(lot, 1)], now);
    moved.disbursement.as_mut().unwrap().signature = other.disbursement.unwrap().signature;
    let r = push_call(moved).await;
    assert!(
        r.errors
            .iter()
            .any(|e| e.field == "signature.record.record_id"),
        "{r:?}"
    );
    let mut altered = call_with_samples(&book, &hcps[6], &[(lot, 1)], now);
    altered.disbursement.as_mut().unwrap().lines[0].quantity = 3;
    let r = push_call(altered).await;
    assert_eq!(codes(&r), vec![Code::SignatureInvalid]);
}

async fn two_devices_beyond_a_shared_limit_raise_one_exception(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let compliance = principal(&store, "compliance").await;
    let hcp = eligible(&store, &rep).await.remove(0);
    let book = samples::book(&store, &rep).await.unwrap();
    let lot = regular_lot(&book, store.today());
    let product = book
        .lots
        .iter()
        .find(|l| l.lot_id == lot)
        .unwrap()
        .product_id;
    // Leave 6 units of the lot and allow 6 units a year per HCP.
    let on_hand = book.lots.iter().find(|l| l.lot_id == lot).unwrap().on_hand;
    let r = send(&store, &rep, new_id(), MutationKind::SampleReturn, json!({"id": new_id(), "occurred_at": store.now() - Duration::hours(2), "lines": [{"lot_id": lot, "quantity": on_hand - 6}]})).await;
    assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
    let limit = SampleLimit {
        id: new_id(),
        name: "Six a year".into(),
        product_id: product,
        measure: LimitMeasure::Quantity,
        max: 6,
        window: LimitWindow::Year,
        window_days: None,
        ends_after_days: None,
        severity: Severity::Error,
    };
    admin::put_limit(&store, &compliance, &limit).await.unwrap();
    // Both devices synced this book, then went offline.
    let book = samples::book(&store, &rep).await.unwrap();
    let local_check = |book: &SampleBook| {
        let recipient = RecipientFacts {
            hcp_id: hcp.id,
            status: hcp.status,
            credentials: hcp.credentials.clone(),
            blacklisted: None,
            do_not_call: None,
            licences: hcp
                .licences
                .iter()
                .map(|l| LicenceFacts {
                    state: l.state.clone(),
                    number: l.number.clone(),
                    expires_on: l.expires_on,
                })
                .collect(),
            dea: hcp.dea_registrations.clone(),
        };
        let lots: Vec<LotFacts> = book
            .lots
            .iter()
            .map(|l| LotFacts {
                lot_id: l.lot_id,
                sku_id: l.sku_id,
                lot_number: l.lot_number.clone(),
                expires_on: l.expires_on,
                on_hand: l.on_hand,
            })
            .collect();
        let ctx = SampleContext {
            mode: SampleMode::Disbursement,
            on: store.today(),
            state: &hcp.address.state,
            recipient: &recipient,
            skus: &book.skus,
            lots: &lots,
            allocations: &book.allocations,
            limits: &book.limits,
            credential_rules: &book.credential_rules,
            history: &book.history,
        };
        let sku = book.lots.iter().find(|l| l.lot_id == lot).unwrap().sku_id;
        check_samples(
            &ctx,
            &[SampleLine {
                sku_id: sku,
                lot_id: Some(lot),
                quantity: 4,
            }],
        )
    };
    assert!(
        !blocks(&local_check(&book)),
        "each device's own view allows 4 units: {:?}",
        local_check(&book)
    );
    let now = store.now() - Duration::minutes(30);
    let a = call_with_samples(&book, &hcp, &[(lot, 4)], now);
    let b = call_with_samples(&book, &hcp, &[(lot, 4)], now + Duration::minutes(10));
    let ra = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&a).unwrap(),
    )
    .await;
    let rb = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&b).unwrap(),
    )
    .await;
    assert_eq!(ra.status, MutationStatus::Applied, "{ra:?}");
    assert_eq!(rb.status, MutationStatus::AppliedWithFlag, "{rb:?}");
    let records = store
        .sample_records(RecordFilter::Hcp(hcp.id), None)
        .await
        .unwrap();
    let ids: Vec<Uuid> = [&a, &b]
        .iter()
        .map(|c| c.disbursement.as_ref().unwrap().id)
        .collect();
    assert_eq!(
        records.iter().filter(|r| ids.contains(&r.id)).count(),
        2,
        "both disbursements exist"
    );
    let exceptions: Vec<_> = admin::exceptions(&store, &compliance, Some("open"))
        .await
        .unwrap()
        .into_iter()
        .filter(|x| ids.contains(&x.record_id))
        .collect();
    assert_eq!(exceptions.len(), 1);
    assert_eq!(exceptions[0].record_id, ids[1]);
    let found: Vec<Code> = exceptions[0].findings.iter().map(|f| f.code).collect();
    assert!(
        found.contains(&Code::SampleLimit) && found.contains(&Code::InsufficientInventory),
        "{found:?}"
    );
    // The shortfall is visible, not silent: the lot shows -2 with the exception naming it.
    assert_eq!(store.on_hand(rep.user.id).await.unwrap()[&lot], -2);
    // Compliance reviews and closes it with a comment.
    let rep_try = admin::close_exception(&store, &rep, exceptions[0].id, "fine").await;
    assert!(rep_try.is_err());
    assert!(
        admin::close_exception(&store, &compliance, exceptions[0].id, " ")
            .await
            .is_err()
    );
    let closed = admin::close_exception(
        &store,
        &compliance,
        exceptions[0].id,
        "Two devices; counted trunk, rep coached",
    )
    .await
    .unwrap();
    assert_eq!(closed.status, "closed");
}

async fn inventory_movements_balance_or_are_refused(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let colleague = principal(&store, "rep.t02").await;
    let compliance = principal(&store, "compliance").await;
    let book = samples::book(&store, &rep).await.unwrap();
    let lot = regular_lot(&book, store.today());
    let held = book.lots.iter().find(|l| l.lot_id == lot).unwrap().on_hand;
    let now = store.now() - Duration::hours(1);
    // Nothing leaves beyond what is on hand.
    let r = send(&store, &rep, new_id(), MutationKind::SampleReturn, json!({"id": new_id(), "occurred_at": now, "lines": [{"lot_id": lot, "quantity": held + 1}]})).await;
    assert_eq!(r.status, MutationStatus::Rejected);
    assert_eq!(r.errors[0].field, "lines[0].quantity");
    // A transfer leaves now and arrives when the colleague acknowledges it.
    let transfer = new_id();
    let r = send(&store, &rep, new_id(), MutationKind::SampleTransfer, json!({"id": transfer, "occurred_at": now, "to_rep_id": colleague.user.id, "lines": [{"lot_id": lot, "quantity": 10}]})).await;
    assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
    let incoming = samples::book(&store, &colleague).await.unwrap().incoming;
    assert!(incoming
        .iter()
        .any(|s| s.id == transfer && s.kind == "transfer"));
    let r = send(&store, &colleague, new_id(), MutationKind::SampleReceive, json!({"shipment_id": transfer, "received_at": now, "lines": [{"lot_id": lot, "quantity": 9}]})).await;
    assert_eq!(r.errors[0].field, "note", "a discrepancy needs a note");
    let early = now - Duration::days(1);
    let r = send(&store, &colleague, new_id(), MutationKind::SampleReceive, json!({"shipment_id": transfer, "received_at": early, "lines": [{"lot_id": lot, "quantity": 10}]})).await;
    assert_eq!(
        r.errors[0].field, "received_at",
        "not received before it was sent"
    );
    let other = book.lots.iter().find(|l| l.lot_id != lot).unwrap().lot_id;
    let r = send(&store, &colleague, new_id(), MutationKind::SampleReceive, json!({"shipment_id": transfer, "received_at": now, "lines": [{"lot_id": lot, "quantity": 10}, {"lot_id": other, "quantity": 1}], "note": "extra box"})).await;
    assert_eq!(
        r.errors[0].field, "lines[1].lot_id",
        "a lot the shipment did not carry"
    );
    let r = send(&store, &colleague, new_id(), MutationKind::SampleReceive, json!({"shipment_id": transfer, "received_at": now, "lines": [{"lot_id": lot, "quantity": 9}], "note": "one box crushed"})).await;
    assert_eq!(
        (r.status, codes(&r)),
        (
            MutationStatus::AppliedWithFlag,
            vec![Code::ReceiptDiscrepancy]
        )
    );
    let raised = admin::exceptions(&store, &compliance, Some("open"))
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.record_id == transfer)
        .expect("the discrepancy is in the exceptions queue");
    assert_eq!(raised.rep_id, colleague.user.id);
    assert_eq!(raised.findings[0].code, Code::ReceiptDiscrepancy);
    assert!(
        raised.findings[0].message.contains("9 of lot"),
        "{:?}",
        raised.findings
    );
    let again = send(&store, &colleague, new_id(), MutationKind::SampleReceive, json!({"shipment_id": transfer, "received_at": now, "lines": [{"lot_id": lot, "quantity": 9}], "note": "x"})).await;
    assert_eq!(codes(&again), vec![Code::AlreadyReceived]);
    assert_eq!(store.on_hand(rep.user.id).await.unwrap()[&lot], held - 10);
    // A theft needs the police report; then it has its FDA deadlines.
    let theft = json!({"id": new_id(), "kind": "theft", "discovered_on": store.today(), "reason": "bag stolen", "lines": [{"lot_id": lot, "quantity": 2}]});
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::SampleLoss,
        theft.clone(),
    )
    .await;
    assert_eq!(r.errors[0].field, "police_report");
    let mut theft = theft;
    theft["police_report"] = json!("PD-1");
    theft["id"] = json!(new_id());
    assert_eq!(
        send(
            &store,
            &rep,
            new_id(),
            MutationKind::SampleLoss,
            theft.clone()
        )
        .await
        .status,
        MutationStatus::Applied
    );
    let report = admin::loss_reports(&store, &compliance)
        .await
        .unwrap()
        .into_iter()
        .find(|l| Some(l.id.to_string().as_str()) == theft["id"].as_str())
        .unwrap();
    assert_eq!(
        report.fda_notice_due,
        pharmacrm_domain::sample::loss::deadlines(store.today()).0
    );
    let early = admin::update_loss_report(
        &store,
        &compliance,
        report.id,
        &LossReportUpdate {
            close: true,
            ..Default::default()
        },
    )
    .await;
    assert!(
        early.is_err(),
        "closing needs the FDA notice and written report"
    );
    let today = store.today();
    let done = LossReportUpdate {
        fda_notified_on: Some(today),
        written_report_on: Some(today),
        close: true,
        note: Some("filed".into()),
    };
    assert_eq!(
        admin::update_loss_report(&store, &compliance, report.id, &done)
            .await
            .unwrap()
            .status,
        "closed"
    );
    // A witnessed destruction of the expired lot.
    let expired = book
        .lots
        .iter()
        .find(|l| l.expires_on < store.today() && l.on_hand > 0)
        .unwrap();
    let destroy = json!({"id": new_id(), "occurred_at": now, "lines": [{"lot_id": expired.lot_id, "quantity": expired.on_hand}]});
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::SampleDestroy,
        destroy.clone(),
    )
    .await;
    assert_eq!(r.errors[0].field, "note", "a destruction names its witness");
    let mut destroy = destroy;
    destroy["note"] = json!("Witness: Dana Lee (district manager); incinerated at HQ depot");
    assert_eq!(
        send(&store, &rep, new_id(), MutationKind::SampleDestroy, destroy)
            .await
            .status,
        MutationStatus::Applied
    );
    assert_eq!(
        store.on_hand(rep.user.id).await.unwrap()[&expired.lot_id],
        0
    );
    let ledger = store.ledger_of_rep(rep.user.id, None).await.unwrap();
    assert!(ledger
        .iter()
        .any(|e| e.kind == TxnKind::Destruction && e.counterparty.contains("Dana Lee")));
    // A count is recorded as counted (zero allowed); units short of the book need an
    // explanation, and a count dated ahead of the clock is refused.
    let count = json!({"id": new_id(), "counted_at": store.now(), "lines": [{"lot_id": lot, "quantity": 0}]});
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::SampleCount,
        count.clone(),
    )
    .await;
    assert_eq!(r.errors[0].field, "explanation", "{r:?}");
    let mut count = count;
    count["explanation"] = json!("The box was left at the office");
    let mut ahead = count.clone();
    ahead["counted_at"] = json!(store.now() + Duration::hours(1));
    let r = send(&store, &rep, new_id(), MutationKind::SampleCount, ahead).await;
    assert_eq!(r.errors[0].field, "counted_at", "{r:?}");
    let r = send(&store, &rep, new_id(), MutationKind::SampleCount, count).await;
    assert_eq!(r.status, MutationStatus::AppliedWithFlag, "{r:?}");
    // Only reps hold inventory.
    let r = send(
        &store,
        &compliance,
        new_id(),
        MutationKind::SampleCount,
        json!({"id": new_id(), "counted_at": store.now(), "lines": []}),
    )
    .await;
    assert_eq!(codes(&r), vec![Code::Forbidden]);
}

/// A tiny deterministic generator so the sequence is the same on both backends.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A new rep sharing T01, so their ledger starts empty.
async fn new_rep(store: &Store, username: &str) -> Principal {
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let user = store
        .insert_user(
            &Actor::system("test"),
            &pharmacrm_storage::users::NewUser {
                id: new_id(),
                username: username.into(),
                display_name: "Nia New".into(),
                role: pharmacrm_domain::role::Role::Rep,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    store
        .assign(
            &Actor::system("test"),
            user.id,
            t01.id,
            pharmacrm_domain::org::Effective {
                from: store.today() - Duration::days(400),
                to: None,
            },
        )
        .await
        .unwrap();
    principal(store, username).await
}

/// Headquarters ships `lines` at `at` and the rep acknowledges them then.
async fn receive_at(
    store: &Store,
    ops: &Principal,
    rep: &Principal,
    at: chrono::DateTime<chrono::Utc>,
    lines: Vec<LotQuantity>,
) {
    let shipping = store.clone().with_clock(ManualClock::at(at));
    let shipment = admin::ship(
        &shipping,
        ops,
        &admin::ShipmentInput {
            rep_id: rep.user.id,
            lines: lines.clone(),
            note: None,
        },
    )
    .await
    .unwrap();
    let r = send(
        store,
        rep,
        new_id(),
        MutationKind::SampleReceive,
        json!({"shipment_id": shipment.id, "received_at": at, "lines": lines}),
    )
    .await;
    assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
}

/// The case of issue 13: a count of 59 against a book of 60, then a disbursement. Compared
/// with the book at the period's end the two cancelled out; compared with the book as of
/// the count's time the unit is still missing. The lot held but left out is not counted,
/// the explanation is required, and the next period opens from the count.
async fn a_later_disbursement_never_hides_a_count_discrepancy(store: Store) {
    populate_small(&store, "x").await;
    let ops = principal(&store, "ops").await;
    let compliance = principal(&store, "compliance").await;
    let rep = new_rep(&store, "rep.counted").await;
    let today = store.today();
    let lots: Vec<Uuid> = store
        .lots()
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.expires_on > today + Duration::days(30))
        .map(|l| l.id)
        .take(2)
        .collect();
    let (a, b) = (lots[0], lots[1]);
    let now = store.now();
    let (received, counted_at, given) = (
        now - Duration::days(20),
        now - Duration::days(10),
        now - Duration::days(2),
    );
    receive_at(
        &store,
        &ops,
        &rep,
        received,
        vec![
            LotQuantity {
                lot_id: a,
                quantity: 60,
            },
            LotQuantity {
                lot_id: b,
                quantity: 10,
            },
        ],
    )
    .await;

    // 59 of lot a counted, lot b left out: the difference needs an explanation.
    let count_id = new_id();
    let mut count =
        json!({"id": count_id, "counted_at": counted_at, "lines": [{"lot_id": a, "quantity": 59}]});
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::SampleCount,
        count.clone(),
    )
    .await;
    assert_eq!(r.status, MutationStatus::Rejected, "{r:?}");
    assert_eq!(r.errors[0].field, "explanation");
    count["explanation"] = json!("One box crushed in the car, thrown away without a witness");
    let r = send(&store, &rep, new_id(), MutationKind::SampleCount, count).await;
    assert_eq!(r.status, MutationStatus::AppliedWithFlag, "{r:?}");
    assert_eq!(r.flags, vec![Code::CountDiscrepancy]);
    let raised = admin::exceptions(&store, &compliance, Some("open"))
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.record_id == count_id)
        .expect("an exception for the count");
    assert_eq!(raised.record_type, "inventory_count");
    assert!(
        raised.findings[0].message.contains("59 of lot"),
        "{:?}",
        raised.findings
    );
    assert!(raised.findings[0].message.contains("crushed"));

    // A disbursement after the count brings the book down to what was counted.
    let book = samples::book(&store, &rep).await.unwrap();
    let hcp = eligible(&store, &rep).await.remove(0);
    let call = call_with_samples(&book, &hcp, &[(a, 1)], given);
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&call).unwrap(),
    )
    .await;
    assert!(r.status.is_applied(), "{r:?}");
    assert_eq!(store.on_hand(rep.user.id).await.unwrap()[&a], 59);

    let report =
        reports::reconciliation(&store, &ops, rep.user.id, today - Duration::days(15), today)
            .await
            .unwrap();
    let check = &report.counts[0];
    let line_a = check.lines.iter().find(|l| l.lot_id == a).unwrap();
    assert_eq!(
        (line_a.counted, line_a.book, line_a.difference),
        (Some(59), 60, Some(-1))
    );
    let line_b = check.lines.iter().find(|l| l.lot_id == b).unwrap();
    assert_eq!(
        (line_b.status, line_b.counted, line_b.book),
        (CountStatus::NotCounted, None, 10)
    );
    assert_eq!(
        (
            check.lots_differing,
            check.lots_not_counted,
            check.net_difference
        ),
        (1, 1, -1)
    );
    assert!(check.explanation.as_deref().unwrap().contains("crushed"));
    let lot_a = &report
        .per_lot
        .iter()
        .find(|l| l.lot_id == a)
        .unwrap()
        .balance;
    assert_eq!(
        (
            lot_a.opening,
            lot_a.disbursed,
            lot_a.expected,
            lot_a.expected_at_count,
            lot_a.counted,
            lot_a.discrepancy
        ),
        (60, 1, 59, Some(60), Some(59), Some(-1)),
        "the disbursement after the count does not hide the missing unit"
    );
    let lot_b = &report
        .per_lot
        .iter()
        .find(|l| l.lot_id == b)
        .unwrap()
        .balance;
    assert!(lot_b.not_counted && lot_b.counted.is_none() && lot_b.discrepancy.is_none());
    let csv = String::from_utf8(reports::reconciliation_csv(&report).unwrap()).unwrap();
    assert!(csv.contains(",not_counted,,10,,"), "{csv}");

    // The next period opens from the count, not from the book.
    let next = reports::reconciliation(&store, &ops, rep.user.id, today - Duration::days(5), today)
        .await
        .unwrap();
    assert_eq!(next.opening_count.as_ref().map(|c| c.id), Some(count_id));
    let lot_a = &next.per_lot.iter().find(|l| l.lot_id == a).unwrap().balance;
    assert_eq!(
        (
            lot_a.opening_source,
            lot_a.opening_counted,
            lot_a.opening,
            lot_a.expected
        ),
        (OpeningSource::Count, Some(59), 59, 58)
    );
    let lot_b = &next.per_lot.iter().find(|l| l.lot_id == b).unwrap().balance;
    assert_eq!(
        (lot_b.opening_source, lot_b.opening),
        (OpeningSource::Book, 10)
    );

    // The annual inventory: due a year after the count, overdue once that day has passed.
    let due = counted_at
        .date_naive()
        .checked_add_months(chrono::Months::new(12));
    assert_eq!(
        (next.annual.due_on, next.annual.status),
        (due, AnnualStatus::Current)
    );
    let rollup = reports::inventory_rollup(&store, &compliance)
        .await
        .unwrap();
    let mine = rollup
        .reps
        .iter()
        .find(|r| r.rep_id == rep.user.id)
        .unwrap();
    assert_eq!(
        (
            mine.open_discrepancies,
            mine.on_hand,
            mine.last_counted,
            mine.last_book,
            mine.last_difference,
            mine.lots_not_counted
        ),
        (1, 69, Some(59), Some(60), Some(-1), 1)
    );
    assert_eq!(rollup.totals.reps, rollup.reps.len() as i64);
    let later = store
        .clone()
        .with_clock(ManualClock::at(now + Duration::days(400)));
    let rollup = reports::inventory_rollup(&later, &compliance)
        .await
        .unwrap();
    let mine = rollup
        .reps
        .iter()
        .find(|r| r.rep_id == rep.user.id)
        .unwrap();
    assert_eq!(mine.annual.status, AnnualStatus::Overdue);
    assert!(rollup.totals.overdue >= 1);
    // A rep sees only their own line; compliance closing the exception clears it.
    let own = reports::inventory_rollup(&store, &rep).await.unwrap();
    assert_eq!(own.reps.len(), 1);
    admin::close_exception(
        &store,
        &compliance,
        raised.id,
        "Accepted: crushed box written off",
    )
    .await
    .unwrap();
    let rollup = reports::inventory_rollup(&store, &compliance)
        .await
        .unwrap();
    let mine = rollup
        .reps
        .iter()
        .find(|r| r.rep_id == rep.user.id)
        .unwrap();
    assert_eq!(mine.open_discrepancies, 0);
}

async fn reconciliation_matches_an_independent_recomputation(store: Store) {
    populate_small(&store, "x").await;
    let ops = principal(&store, "ops").await;
    let rep = new_rep(&store, "rep.new").await;
    let colleague = principal(&store, "rep.t02").await;
    let today = store.today();
    let lots: Vec<Uuid> = store
        .lots()
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.expires_on > today + Duration::days(30))
        .map(|l| l.id)
        .take(4)
        .collect();
    let hcps = eligible(&store, &rep).await;
    let mut rng = Lcg(42);
    // The independent ledger: (day offset, lot, signed quantity, kind).
    let mut log: Vec<(i64, Uuid, i64, TxnKind)> = Vec::new();
    let mut on_hand: HashMap<Uuid, i64> = HashMap::new();
    let start = store.now() - Duration::days(60);
    for step in 0..200u64 {
        let at = start + Duration::hours((step * 7) as i64);
        let lot = lots[rng.next(lots.len() as u64) as usize];
        let held = on_hand.get(&lot).copied().unwrap_or(0);
        let choice = if held < 8 { 0 } else { rng.next(6) };
        let q = 1 + rng.next(4) as i64;
        let client = new_id();
        let (kind, applied) = match choice {
            0 => {
                // Headquarters ships at the step's time (a receipt cannot predate its shipment).
                let shipping = store.clone().with_clock(ManualClock::at(at));
                let shipment = admin::ship(
                    &shipping,
                    &ops,
                    &admin::ShipmentInput {
                        rep_id: rep.user.id,
                        lines: vec![LotQuantity {
                            lot_id: lot,
                            quantity: 20,
                        }],
                        note: None,
                    },
                )
                .await
                .unwrap();
                let r = send(&store, &rep, client, MutationKind::SampleReceive, json!({"shipment_id": shipment.id, "received_at": at, "lines": [{"lot_id": lot, "quantity": 20}]})).await;
                log.push(((at - start).num_hours(), lot, 20, TxnKind::Receipt));
                (TxnKind::Receipt, r.status == MutationStatus::Applied)
            }
            1 => {
                let book = samples::book(&store, &rep).await.unwrap();
                let hcp = &hcps[rng.next(hcps.len() as u64) as usize];
                let call = call_with_samples(&book, hcp, &[(lot, q.min(4))], at);
                let r = send(
                    &store,
                    &rep,
                    client,
                    MutationKind::CallSubmit,
                    serde_json::to_value(&call).unwrap(),
                )
                .await;
                log.push((
                    (at - start).num_hours(),
                    lot,
                    -q.min(4),
                    TxnKind::Disbursement,
                ));
                (TxnKind::Disbursement, r.status.is_applied())
            }
            2 => {
                let r = send(&store, &rep, client, MutationKind::SampleReturn, json!({"id": new_id(), "occurred_at": at, "lines": [{"lot_id": lot, "quantity": q}]})).await;
                log.push(((at - start).num_hours(), lot, -q, TxnKind::Return));
                (TxnKind::Return, r.status == MutationStatus::Applied)
            }
            3 => {
                let id = new_id();
                let r = send(&store, &rep, client, MutationKind::SampleTransfer, json!({"id": id, "occurred_at": at, "to_rep_id": colleague.user.id, "lines": [{"lot_id": lot, "quantity": q}]})).await;
                log.push(((at - start).num_hours(), lot, -q, TxnKind::TransferOut));
                (TxnKind::TransferOut, r.status == MutationStatus::Applied)
            }
            4 => {
                let r = send(&store, &rep, client, MutationKind::SampleLoss, json!({"id": new_id(), "kind": "loss", "discovered_on": at.date_naive(), "reason": "lost", "lines": [{"lot_id": lot, "quantity": 1}]})).await;
                log.push((
                    (at.date_naive().and_hms_opt(12, 0, 0).unwrap().and_utc() - start).num_hours(),
                    lot,
                    -1,
                    TxnKind::Loss,
                ));
                (TxnKind::Loss, r.status == MutationStatus::Applied)
            }
            _ => {
                // Transfer in: the colleague sends and this rep acknowledges.
                let id = new_id();
                let theirs = samples::book(&store, &colleague).await.unwrap();
                let Some(their_lot) = theirs
                    .lots
                    .iter()
                    .find(|l| l.on_hand >= q && l.expires_on > today)
                else {
                    continue;
                };
                let r = send(&store, &colleague, new_id(), MutationKind::SampleTransfer, json!({"id": id, "occurred_at": at, "to_rep_id": rep.user.id, "lines": [{"lot_id": their_lot.lot_id, "quantity": q}]})).await;
                assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
                let r = send(&store, &rep, client, MutationKind::SampleReceive, json!({"shipment_id": id, "received_at": at, "lines": [{"lot_id": their_lot.lot_id, "quantity": q}]})).await;
                log.push((
                    (at - start).num_hours(),
                    their_lot.lot_id,
                    q,
                    TxnKind::TransferIn,
                ));
                (TxnKind::TransferIn, r.status == MutationStatus::Applied)
            }
        };
        assert!(applied, "step {step} ({kind:?}) was refused");
        let (_, l, n, _) = *log.last().unwrap();
        *on_hand.entry(l).or_default() += n;
    }
    assert!(log.len() >= 190, "most steps moved stock: {}", log.len());
    // A count at the end, two units short on the first lot.
    let counted: Vec<LotQuantity> = on_hand
        .iter()
        .map(|(l, n)| LotQuantity {
            lot_id: *l,
            quantity: *n - i64::from(*l == lots[0]) * 2,
        })
        .collect();
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::SampleCount,
        json!({"id": new_id(), "counted_at": store.now(), "lines": counted, "explanation": "two units missing"}),
    )
    .await;
    assert_eq!(r.flags, vec![Code::CountDiscrepancy], "{r:?}");

    let from = (start + Duration::days(20)).date_naive();
    let period_start = from.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let report = reports::reconciliation(&store, &ops, rep.user.id, from, today)
        .await
        .unwrap();
    for lot in on_hand.keys() {
        let line = report
            .per_lot
            .iter()
            .find(|l| l.lot_id == *lot)
            .expect("every lot reported");
        let mine: Vec<&(i64, Uuid, i64, TxnKind)> =
            log.iter().filter(|(_, l, _, _)| l == lot).collect();
        let before = |h: &i64| start + Duration::hours(*h) < period_start;
        let opening: i64 = mine
            .iter()
            .filter(|(h, ..)| before(h))
            .map(|(_, _, n, _)| n)
            .sum();
        let moved = |k: TxnKind| -> i64 {
            mine.iter()
                .filter(|(h, _, _, kind)| !before(h) && *kind == k)
                .map(|(_, _, n, _)| n.abs())
                .sum()
        };
        let b = &line.balance;
        assert_eq!(b.opening, opening, "opening of {lot}");
        assert_eq!(
            (
                b.received,
                b.transferred_in,
                b.disbursed,
                b.returned,
                b.transferred_out,
                b.lost
            ),
            (
                moved(TxnKind::Receipt),
                moved(TxnKind::TransferIn),
                moved(TxnKind::Disbursement),
                moved(TxnKind::Return),
                moved(TxnKind::TransferOut),
                moved(TxnKind::Loss)
            )
        );
        assert_eq!(b.expected, on_hand[lot], "expected balance of {lot}");
        assert_eq!(b.discrepancy, Some(if *lot == lots[0] { -2 } else { 0 }));
    }
    let csv = String::from_utf8(reports::reconciliation_csv(&report).unwrap()).unwrap();
    assert!(csv.contains("product_summary") && csv.contains("distribution,"));

    // Any direct change to a stored sample transaction is detected.
    assert!(store.verify_sample_facts().await.unwrap().problem.is_none());
    let victim = store.ledger_of_rep(rep.user.id, None).await.unwrap()[5].id;
    sqlx::query(&format!(
        "UPDATE sample_ledger SET quantity = quantity + 1 WHERE id = '{victim}'"
    ))
    .execute(store.pool())
    .await
    .unwrap();
    let problem = store
        .verify_sample_facts()
        .await
        .unwrap()
        .problem
        .expect("tampering detected");
    assert!(problem.contains(&victim.to_string()), "{problem}");
}

/// Samples signed for an HCP outside the rep's territory are kept (they left the trunk) and
/// flagged, and compliance gets an exception naming the rule.
async fn samples_given_outside_the_territory_open_an_exception(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let rep2 = principal(&store, "rep.t02").await;
    let compliance = principal(&store, "compliance").await;
    let book = samples::book(&store, &rep).await.unwrap();
    let stranger = eligible(&store, &rep2).await.remove(0);
    let lot = regular_lot(&book, store.today());
    let call = call_with_samples(
        &book,
        &stranger,
        &[(lot, 1)],
        store.now() - Duration::minutes(5),
    );
    let r = send(
        &store,
        &rep,
        new_id(),
        MutationKind::CallSubmit,
        serde_json::to_value(&call).unwrap(),
    )
    .await;
    assert_eq!(r.status, MutationStatus::AppliedWithFlag, "{r:?}");
    assert!(r.flags.contains(&Code::HcpNotInScope), "{r:?}");
    let record = call.disbursement.as_ref().unwrap().id;
    let raised = admin::exceptions(&store, &compliance, Some("open"))
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.record_id == record)
        .expect("an exception for the record");
    assert!(
        raised
            .findings
            .iter()
            .any(|f| f.code == Code::HcpNotInScope),
        "{:?}",
        raised.findings
    );
}

/// An HCP realigned into a rep's territory brings the HCP, not another rep's signed records.
async fn a_rep_sees_only_their_own_signed_records_of_an_hcp(store: Store) {
    populate_small(&store, "x").await;
    let rep1 = principal(&store, "rep.t01").await;
    let rep2 = principal(&store, "rep.t02").await;
    let compliance = principal(&store, "compliance").await;
    let theirs = store
        .sample_records(RecordFilter::Rep(rep2.user.id), None)
        .await
        .unwrap();
    let record = theirs
        .first()
        .expect("the demo has rep.t02's signed records");
    let hcp = store
        .hcp(&rep2.scope, record.hcp_id)
        .await
        .unwrap()
        .expect("rep.t02's HCP");
    let t01 = rep1.territories(&store).await.unwrap()[0].id;
    store
        .align_zips(
            &Actor::system("ops"),
            &[(hcp.address.zip.clone(), t01)],
            store.today(),
        )
        .await
        .unwrap();
    let rep1 = principal(&store, "rep.t01").await;
    assert!(
        store.hcp(&rep1.scope, hcp.id).await.unwrap().is_some(),
        "realigned to T01"
    );
    let seen = reports::records(&store, &rep1, RecordFilter::Hcp(hcp.id))
        .await
        .unwrap();
    assert!(
        seen.iter().all(|r| r.rep_id == rep1.user.id),
        "rep.t01 sees rep.t02's records: {seen:?}"
    );
    let all = reports::records(&store, &compliance, RecordFilter::Hcp(hcp.id))
        .await
        .unwrap();
    assert!(
        all.iter().any(|r| r.rep_id == rep2.user.id),
        "compliance sees every record"
    );
}

backend_tests!(
    samples_given_outside_the_territory_open_an_exception,
    a_rep_sees_only_their_own_signed_records_of_an_hcp,
    a_signed_disbursement_is_recorded_with_its_call,
    the_server_rechecks_every_guardrail,
    two_devices_beyond_a_shared_limit_raise_one_exception,
    inventory_movements_balance_or_are_refused,
    reconciliation_matches_an_independent_recomputation,
    a_later_disbursement_never_hides_a_count_discrepancy,
);

/// A limit of `max` units a year per HCP on `product`, blocking.
async fn yearly_limit(store: &Store, compliance: &Principal, product: Uuid, max: i64) {
    let limit = SampleLimit {
        id: new_id(),
        name: format!("{max} a year"),
        product_id: product,
        measure: LimitMeasure::Quantity,
        max,
        window: LimitWindow::Year,
        window_days: None,
        ends_after_days: None,
        severity: Severity::Error,
    };
    admin::put_limit(store, compliance, &limit).await.unwrap();
}

/// Pushes one call of `who`'s (from a device of their own) on a task of its own, so that
/// several run at the same moment.
fn push_call(
    store: &Store,
    who: &Principal,
    call: &pharmacrm_domain::call::CallInput,
) -> tokio::task::JoinHandle<MutationResult> {
    let (store, who) = (store.clone(), who.clone());
    let payload = serde_json::to_value(call).unwrap();
    tokio::spawn(
        async move { send(&store, &who, new_id(), MutationKind::CallSubmit, payload).await },
    )
}

/// The HCPs among `hcps` who received none of `product` in the last year (from any rep).
async fn never_given(store: &Store, hcps: &[Hcp], product: Uuid) -> Vec<Hcp> {
    let since = store.today() - Duration::days(400);
    let ids: Vec<Uuid> = hcps.iter().map(|h| h.id).collect();
    let given = store.sample_history(&ids, since).await.unwrap();
    hcps.iter()
        .filter(|h| {
            !given
                .iter()
                .any(|p| p.hcp_id == h.id && p.product_id == product)
        })
        .cloned()
        .collect()
}

/// The product of a lot of the book.
fn product_of(book: &SampleBook, lot: Uuid) -> Uuid {
    book.lots
        .iter()
        .find(|l| l.lot_id == lot)
        .unwrap()
        .product_id
}

/// Both disbursements are facts (signed samples have left the trunk); exactly one of them
/// carries `code`, with an open exception naming it.
async fn exactly_one_flagged(
    store: &Store,
    compliance: &Principal,
    pushed: [(&MutationResult, Uuid); 2],
    code: Code,
    round: usize,
) {
    for (r, _) in pushed {
        assert_ne!(r.status, MutationStatus::Rejected, "round {round}: {r:?}");
    }
    let flagged: Vec<Uuid> = pushed
        .iter()
        .filter(|(r, _)| r.flags.contains(&code))
        .map(|(_, record)| *record)
        .collect();
    assert_eq!(
        flagged.len(),
        1,
        "round {round}: one of the two escapes {code:?}: {:?}",
        pushed.map(|(r, _)| r.clone())
    );
    let raised = admin::exceptions(store, compliance, Some("open"))
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.record_id == flagged[0])
        .expect("an exception for the flagged record");
    assert!(raised.findings.iter().any(|f| f.code == code), "{raised:?}");
}

/// Two devices of one rep, offline with the same book, push at the same moment 3 units each
/// to one HCP under a limit of 4: the decision is taken under the lock that commits it, so
/// the second to commit is flagged with an exception — every round, on both backends.
async fn two_devices_of_one_rep_at_once_cannot_both_escape_a_limit(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let compliance = principal(&store, "compliance").await;
    let book = samples::book(&store, &rep).await.unwrap();
    let lot = regular_lot(&book, store.today());
    yearly_limit(&store, &compliance, product_of(&book, lot), 4).await;
    let book = samples::book(&store, &rep).await.unwrap();
    let hcps = never_given(
        &store,
        &eligible(&store, &rep).await,
        product_of(&book, lot),
    )
    .await;
    for (round, hcp) in hcps.iter().take(5).enumerate() {
        let at = store.now() - Duration::minutes(30);
        let a = call_with_samples(&book, hcp, &[(lot, 3)], at);
        let b = call_with_samples(&book, hcp, &[(lot, 3)], at + Duration::minutes(1));
        let (ra, rb) = (push_call(&store, &rep, &a), push_call(&store, &rep, &b));
        let (ra, rb) = (ra.await.unwrap(), rb.await.unwrap());
        let records = [&a, &b].map(|c| c.disbursement.as_ref().unwrap().id);
        exactly_one_flagged(
            &store,
            &compliance,
            [(&ra, records[0]), (&rb, records[1])],
            Code::SampleLimit,
            round,
        )
        .await;
    }
}

/// Leaves `units` of `lot` in the rep's book (a headquarters adjustment an hour ago).
async fn leave_units(store: &Store, rep: &Principal, book: &SampleBook, lot: Uuid, units: i64) {
    let on_hand = store.on_hand(rep.user.id).await.unwrap()[&lot];
    if on_hand == units {
        return;
    }
    let (kind, quantity) = if on_hand > units {
        (TxnKind::Return, on_hand - units)
    } else {
        (TxnKind::Receipt, units - on_hand)
    };
    let adjustment = pharmacrm_domain::sample::LedgerEntry {
        id: new_id(),
        rep_id: rep.user.id,
        kind,
        sku_id: book.lots.iter().find(|l| l.lot_id == lot).unwrap().sku_id,
        lot_id: lot,
        quantity,
        occurred_at: store.now() - Duration::hours(1),
        counterparty: "Headquarters".into(),
        reference_id: None,
    };
    store
        .insert_ledger(&Actor::system("test"), &[adjustment])
        .await
        .unwrap();
}

/// Two devices of one rep give the last units of a lot to two HCPs at the same moment: the
/// book never goes short without an exception; and of two returns of the same last units at
/// once, one is refused.
async fn two_devices_of_one_rep_at_once_cannot_both_spend_the_last_units(store: Store) {
    populate_small(&store, "x").await;
    let rep = principal(&store, "rep.t01").await;
    let compliance = principal(&store, "compliance").await;
    let book = samples::book(&store, &rep).await.unwrap();
    let lot = regular_lot(&book, store.today());
    let hcps = eligible(&store, &rep).await;
    for round in 0..3 {
        leave_units(&store, &rep, &book, lot, 4).await;
        let book = samples::book(&store, &rep).await.unwrap();
        let at = store.now() - Duration::minutes(20);
        let a = call_with_samples(&book, &hcps[2 * round], &[(lot, 3)], at);
        let b = call_with_samples(&book, &hcps[2 * round + 1], &[(lot, 3)], at);
        let (ra, rb) = (push_call(&store, &rep, &a), push_call(&store, &rep, &b));
        let (ra, rb) = (ra.await.unwrap(), rb.await.unwrap());
        let records = [&a, &b].map(|c| c.disbursement.as_ref().unwrap().id);
        exactly_one_flagged(
            &store,
            &compliance,
            [(&ra, records[0]), (&rb, records[1])],
            Code::InsufficientInventory,
            round,
        )
        .await;
    }
    for round in 0..3 {
        leave_units(&store, &rep, &book, lot, 4).await;
        let [x, y] = [0, 1].map(|_| {
            let (store, rep) = (store.clone(), rep.clone());
            let payload = json!({"id": new_id(), "occurred_at": store.now() - Duration::minutes(5), "lines": [{"lot_id": lot, "quantity": 3}]});
            tokio::spawn(async move {
                send(&store, &rep, new_id(), MutationKind::SampleReturn, payload).await
            })
        });
        let (x, y) = (x.await.unwrap(), y.await.unwrap());
        let statuses = [x.status, y.status];
        assert!(
            statuses.contains(&MutationStatus::Applied)
                && statuses.contains(&MutationStatus::Rejected),
            "round {round}: {x:?} {y:?}"
        );
        assert_eq!(store.on_hand(rep.user.id).await.unwrap()[&lot], 1);
    }
}

/// A limit counts every rep's samples to an HCP: two reps giving 3 units each to one HCP at
/// the same moment under a limit of 4 cannot both escape it.
async fn two_reps_at_once_cannot_both_escape_a_limit_to_one_hcp(store: Store) {
    populate_small(&store, "x").await;
    let rep1 = principal(&store, "rep.t01").await;
    let rep2 = principal(&store, "rep.t02").await;
    let compliance = principal(&store, "compliance").await;
    let book1 = samples::book(&store, &rep1).await.unwrap();
    let book2 = samples::book(&store, &rep2).await.unwrap();
    let lot1 = regular_lot(&book1, store.today());
    let product = product_of(&book1, lot1);
    let lot2 = book2
        .lots
        .iter()
        .find(|l| l.product_id == product && l.on_hand > 20 && l.lot_id != lot1)
        .or_else(|| {
            book2
                .lots
                .iter()
                .find(|l| l.product_id == product && l.on_hand > 20)
        })
        .expect("rep.t02 holds the product")
        .lot_id;
    yearly_limit(&store, &compliance, product, 4).await;
    let (book1, book2) = (
        samples::book(&store, &rep1).await.unwrap(),
        samples::book(&store, &rep2).await.unwrap(),
    );
    // rep.t02 gives outside their territory (flagged for that as well): the limit is the
    // HCP's, whoever gives.
    let hcps = never_given(&store, &eligible(&store, &rep1).await, product).await;
    for (round, hcp) in hcps.iter().take(5).enumerate() {
        let at = store.now() - Duration::minutes(30);
        let a = call_with_samples(&book1, hcp, &[(lot1, 3)], at);
        let b = call_with_samples(&book2, hcp, &[(lot2, 3)], at + Duration::minutes(1));
        let (ra, rb) = (push_call(&store, &rep1, &a), push_call(&store, &rep2, &b));
        let (ra, rb) = (ra.await.unwrap(), rb.await.unwrap());
        let records = [&a, &b].map(|c| c.disbursement.as_ref().unwrap().id);
        exactly_one_flagged(
            &store,
            &compliance,
            [(&ra, records[0]), (&rb, records[1])],
            Code::SampleLimit,
            round,
        )
        .await;
    }
}

mod concurrent {
    use super::*;
    backend_tests!(
        two_devices_of_one_rep_at_once_cannot_both_escape_a_limit,
        two_devices_of_one_rep_at_once_cannot_both_spend_the_last_units,
        two_reps_at_once_cannot_both_escape_a_limit_to_one_hcp,
    );
}

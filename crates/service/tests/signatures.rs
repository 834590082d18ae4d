//! PDMA signatures and the audit trail's anchor, through the service layer on SQLite and
//! PostgreSQL: a drawing copied from another record, a record naming someone else, a
//! designee's receipt and request, a sealed record rewritten in SQL, and an audit chain
//! rewritten and recomputed behind a checkpoint (docs/samples.md).
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use chrono::Duration;
use common::{eligible, principal, regular_lot};
use pharmacrm_domain::clock::ManualClock;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_domain::new_id;
use pharmacrm_domain::sample::check::SampleLine;
use pharmacrm_domain::sample::loss::deadlines;
use pharmacrm_domain::sample::signature::{
    image_digest, Signature, SignerRole, MEANING_REQUEST, RECORD_REQUEST,
};
use pharmacrm_domain::sample::views::SampleBook;
use pharmacrm_domain::views::Hcp;
use pharmacrm_fixtures::samples::call_with_samples;
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::samples;
use pharmacrm_service::sync::{push, MutationKind, MutationResult, PushRequest, ReceivedMutation};
use pharmacrm_storage::samples::RecordFilter;
use pharmacrm_storage::{Backend, Store};
use uuid::Uuid;

async fn send(
    store: &Store,
    who: &Principal,
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
    let request = PushRequest {
        client_id: new_id(),
        mutations: vec![m],
    };
    push(store, who, &request).await.unwrap().results.remove(0)
}

/// Re-binds a signature after its record or drawing was changed, as a forger's device would:
/// the drawing's digest and the hash recomputed.
fn rebind(sig: &mut Signature) {
    sig.record.image_sha256 = image_digest(&sig.image);
    sig.hash = sig.record.hash();
}

async fn push_call(
    store: &Store,
    rep: &Principal,
    call: &pharmacrm_domain::call::CallInput,
) -> MutationResult {
    send(
        store,
        rep,
        MutationKind::CallSubmit,
        serde_json::to_value(call).unwrap(),
    )
    .await
}

struct Scene {
    rep: Principal,
    book: SampleBook,
    hcps: Vec<Hcp>,
    lot: Uuid,
}

async fn scene(store: &Store) -> Scene {
    populate_small(store, "x").await;
    let rep = principal(store, "rep.t01").await;
    let book = samples::book(store, &rep).await.unwrap();
    let hcps = eligible(store, &rep).await;
    let lot = regular_lot(&book, store.today());
    Scene {
        rep,
        book,
        hcps,
        lot,
    }
}

async fn a_drawing_copied_from_another_record_is_refused_even_with_its_hash_recomputed(
    store: Store,
) {
    let s = scene(&store).await;
    let at = store.now() - Duration::minutes(30);
    let first = call_with_samples(&s.book, &s.hcps[0], &[(s.lot, 1)], at);
    assert_eq!(
        push_call(&store, &s.rep, &first).await.status,
        MutationStatus::Applied
    );
    let copied_from = first.disbursement.as_ref().unwrap();

    // Another HCP's record with the first one's drawing, digest and hash recomputed.
    let mut second = call_with_samples(&s.book, &s.hcps[1], &[(s.lot, 1)], at);
    let d = second.disbursement.as_mut().unwrap();
    d.signature.image = copied_from.signature.image.clone();
    rebind(&mut d.signature);
    let second_id = d.id;
    let before = store.on_hand(s.rep.user.id).await.unwrap()[&s.lot];
    let r = push_call(&store, &s.rep, &second).await;
    assert_eq!(r.status, MutationStatus::Rejected, "{r:?}");
    assert_eq!(r.code, Some(Code::SignatureCopied));
    assert_eq!(store.on_hand(s.rep.user.id).await.unwrap()[&s.lot], before);
    let exceptions = store.sample_exceptions(Some("open"), None).await.unwrap();
    let x = exceptions
        .iter()
        .find(|x| x.record_id == second_id)
        .expect("an exception for suspected falsification");
    assert_eq!(x.findings[0].code, Code::SignatureCopied);
    assert_eq!(x.fda_notice_due, Some(deadlines(store.today()).0));

    // A drawing swapped without its digest recomputed does not bind the record at all.
    let mut third = call_with_samples(&s.book, &s.hcps[2], &[(s.lot, 1)], at);
    let d = third.disbursement.as_mut().unwrap();
    d.signature.image = "M 3 3 L 40 40 L 90 12".into();
    d.signature.hash = d.signature.record.hash();
    let r = push_call(&store, &s.rep, &third).await;
    assert_eq!(r.code, Some(Code::SignatureInvalid), "{r:?}");
    assert!(r
        .errors
        .iter()
        .any(|e| e.field == "signature.record.image_sha256"));
}

async fn a_record_naming_someone_else_is_refused_and_reported_with_the_fda_deadline(store: Store) {
    let s = scene(&store).await;
    let at = store.now() - Duration::minutes(30);
    let mut call = call_with_samples(&s.book, &s.hcps[0], &[(s.lot, 2)], at);
    let d = call.disbursement.as_mut().unwrap();
    d.signature.record.practitioner_name = "Someone Else, MD".into();
    d.signature.record.signer_name = "Someone Else".into();
    rebind(&mut d.signature);
    let record_id = d.id;
    let r = push_call(&store, &s.rep, &call).await;
    assert_eq!(r.status, MutationStatus::Rejected, "{r:?}");
    assert_eq!(r.code, Some(Code::SignerMismatch));
    assert_eq!(r.errors[0].field, "signature.record.practitioner_name");
    assert!(store
        .sample_records(RecordFilter::Call(call.id), None)
        .await
        .unwrap()
        .is_empty());
    assert!(store.call_by_id(call.id).await.unwrap().is_none());

    let due = deadlines(store.today()).0;
    let x = store
        .sample_exceptions(Some("open"), None)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.record_id == record_id)
        .expect("the exception");
    assert_eq!(x.fda_notice_due, Some(due));
    assert!(!x.overdue);
    assert_eq!(x.hcp_id, Some(s.hcps[0].id));
    let later = store
        .clone()
        .with_clock(ManualClock::on(due + Duration::days(1)));
    let x = later.sample_exception(x.id).await.unwrap().unwrap();
    assert!(x.overdue, "open past its FDA notice day");

    // The practitioner named, but someone else signing as the practitioner.
    let mut call = call_with_samples(&s.book, &s.hcps[1], &[(s.lot, 1)], at);
    let d = call.disbursement.as_mut().unwrap();
    d.signature.record.signer_name = "Bo Chen".into();
    rebind(&mut d.signature);
    let r = push_call(&store, &s.rep, &call).await;
    assert_eq!(r.code, Some(Code::SignerMismatch), "{r:?}");
    assert_eq!(r.errors[0].field, "signature.record.signer_name");
}

async fn a_designee_may_sign_a_receipt_but_not_a_request(store: Store) {
    let s = scene(&store).await;
    let at = store.now() - Duration::minutes(30);
    let mut call = call_with_samples(&s.book, &s.hcps[0], &[(s.lot, 1)], at);
    let d = call.disbursement.as_mut().unwrap();
    d.signature.record.signer_name = "Bo Chen".into();
    d.signature.record.signer_role = SignerRole::Designee;
    rebind(&mut d.signature);
    let r = push_call(&store, &s.rep, &call).await;
    assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
    let stored = store
        .sample_records(RecordFilter::Call(call.id), None)
        .await
        .unwrap();
    assert_eq!(stored[0].signature.record.signer_role, SignerRole::Designee);

    // The same designee signing a written request for the practitioner.
    let hcp = &s.hcps[1];
    let sku = s
        .book
        .lots
        .iter()
        .find(|l| l.lot_id == s.lot)
        .unwrap()
        .sku_id;
    let base = call_with_samples(&s.book, hcp, &[(s.lot, 1)], at);
    let mut signature = base.disbursement.unwrap().signature;
    let id = new_id();
    signature.record.record_id = id;
    signature.record.record_type = RECORD_REQUEST.into();
    signature.record.meaning = MEANING_REQUEST.into();
    signature.record.lines[0].lot_number = None;
    signature.record.signer_name = "Bo Chen".into();
    signature.record.signer_role = SignerRole::Designee;
    signature.image = pharmacrm_fixtures::samples::drawing(id);
    rebind(&mut signature);
    let request = |signature: &Signature| {
        serde_json::json!({
            "id": id, "hcp_id": hcp.id, "requested_at": at,
            "lines": [SampleLine { sku_id: sku, lot_id: None, quantity: 1 }],
            "signature": signature,
        })
    };
    let r = send(
        &store,
        &s.rep,
        MutationKind::SampleRequest,
        request(&signature),
    )
    .await;
    assert_eq!(r.code, Some(Code::SignerMismatch), "{r:?}");
    assert_eq!(r.errors[0].field, "signature.record.signer_role");

    // Signed by the practitioner, the request stands.
    signature.record.signer_name = format!("{} {}", hcp.first_name, hcp.last_name);
    signature.record.signer_role = SignerRole::Practitioner;
    rebind(&mut signature);
    let r = send(
        &store,
        &s.rep,
        MutationKind::SampleRequest,
        request(&signature),
    )
    .await;
    assert_eq!(r.status, MutationStatus::Applied, "{r:?}");
}

async fn a_sealed_record_rewritten_in_sql_is_reported_by_verify(store: Store) {
    let s = scene(&store).await;
    let at = store.now() - Duration::minutes(30);
    let call = call_with_samples(&s.book, &s.hcps[0], &[(s.lot, 2)], at);
    assert_eq!(
        push_call(&store, &s.rep, &call).await.status,
        MutationStatus::Applied
    );
    let clean = pharmacrm_service::audit::verify(&store, None)
        .await
        .unwrap();
    assert!(!clean.tampered(), "{clean:?}");
    assert!(clean.seals.sealed >= 1);

    // Someone with write access to the database renames the practitioner on the record and
    // recomputes the signature's hash: the record still binds, but its seal no longer checks.
    let id = call.disbursement.as_ref().unwrap().id;
    let mut sig = call.disbursement.as_ref().unwrap().signature.clone();
    sig.record.practitioner_name = "Someone Else, MD".into();
    rebind(&mut sig);
    sqlx::query("UPDATE sample_records SET signature = $1, signature_hash = $2 WHERE id = $3")
        .bind(serde_json::to_string(&sig).unwrap())
        .bind(sig.hash.clone())
        .bind(id.to_string())
        .execute(store.pool())
        .await
        .unwrap();
    let report = store.verify_seals().await.unwrap();
    assert_eq!(
        report.problems,
        vec![format!(
            "signed record {id}: its seal does not match its content (altered)"
        )]
    );
    let full = pharmacrm_service::audit::verify(&store, None)
        .await
        .unwrap();
    assert!(full.tampered());

    // A seal removed is reported too, and a key other than the store's does not check.
    sqlx::query("UPDATE sample_records SET seal = NULL")
        .execute(store.pool())
        .await
        .unwrap();
    let report = store.verify_seals().await.unwrap();
    assert!(report.problems.iter().any(|p| p.ends_with("has no seal")));
    let stranger = store
        .clone()
        .with_keys(pharmacrm_domain::seal::Keyring::single(
            "test",
            b"a key the forger made up",
        ));
    let n = stranger.seal_unsealed_records().await.unwrap();
    assert!(n >= 1);
    assert!(store
        .verify_seals()
        .await
        .unwrap()
        .problems
        .iter()
        .all(|p| p.contains("does not match")));
}

/// A database writer drops the audit log's append-only triggers.
async fn drop_append_only_triggers(store: &Store) {
    let drop = match store.backend() {
        Backend::Sqlite => vec![
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Backend::Postgres => vec!["DROP TRIGGER audit_log_no_change ON audit_log"],
    };
    for sql in drop {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
}

/// What a database writer without the key file does to hide a change: edit entries, and let
/// the application's own code chain everything from the first of them again.
async fn rewrite_chain_from(store: &Store, position: i64) {
    drop_append_only_triggers(store).await;
    sqlx::query(&format!(
        "UPDATE audit_log SET actor_name = 'nobody', position = NULL, prev_hash = NULL, hash = NULL WHERE position >= {position}"
    ))
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE audit_head SET position = {p}, hash = (SELECT hash FROM audit_log WHERE position = {p}) WHERE id = 1",
        p = position - 1
    ))
    .execute(store.pool())
    .await
    .unwrap();
    store.migrate().await.unwrap();
}

async fn an_audit_chain_rewritten_and_recomputed_is_caught_by_its_checkpoint(store: Store) {
    populate_small(&store, "x").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.checkpoints");
    let written = pharmacrm_service::audit::checkpoint(&store, &file, None)
        .await
        .unwrap()
        .expect("a checkpoint of a chain that has entries");
    let again = pharmacrm_service::audit::checkpoint(&store, &file, Some(&written))
        .await
        .unwrap();
    assert_eq!(again, None, "nothing new to anchor");
    let clean = pharmacrm_service::audit::verify(&store, Some(&file))
        .await
        .unwrap();
    assert!(!clean.tampered(), "{clean:?}");
    assert_eq!(clean.anchor.as_ref().unwrap().confirmed, 1);

    rewrite_chain_from(&store, written.position - 10).await;
    let chain = store.verify_audit_chain().await.unwrap();
    assert_eq!(
        chain.problem, None,
        "recomputed, the chain checks by itself"
    );
    let report = pharmacrm_service::audit::verify(&store, Some(&file))
        .await
        .unwrap();
    assert!(report.tampered());
    let problem = report.anchor.unwrap().problem.unwrap();
    assert!(
        problem.contains(&format!(
            "entry {} differs from checkpoint line 1",
            written.position
        )),
        "{problem}"
    );
}

async fn entries_cut_after_a_checkpoint_and_a_forged_checkpoint_are_reported(store: Store) {
    populate_small(&store, "x").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.checkpoints");
    let written = pharmacrm_service::audit::checkpoint(&store, &file, None)
        .await
        .unwrap()
        .unwrap();
    // A checkpoint line made without the key: its seal does not check.
    let forger = store
        .clone()
        .with_keys(pharmacrm_domain::seal::Keyring::single(
            "test",
            b"a key the forger made up",
        ));
    let forged_file = dir.path().join("forged.checkpoints");
    pharmacrm_service::audit::checkpoint(&forger, &forged_file, None)
        .await
        .unwrap();
    let forged = pharmacrm_service::audit::verify_anchor(&store, &forged_file)
        .await
        .unwrap();
    assert!(forged.problem.unwrap().contains("cannot be trusted"));

    // The last entries removed and the head moved back to match.
    drop_append_only_triggers(&store).await;
    let keep = written.position - 3;
    sqlx::query(&format!("DELETE FROM audit_log WHERE position > {keep}"))
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query(&format!(
        "UPDATE audit_head SET position = {keep}, hash = (SELECT hash FROM audit_log WHERE position = {keep}) WHERE id = 1"
    ))
    .execute(store.pool())
    .await
    .unwrap();
    assert_eq!(store.verify_audit_chain().await.unwrap().problem, None);
    let report = pharmacrm_service::audit::verify_anchor(&store, &file)
        .await
        .unwrap();
    assert!(
        report
            .problem
            .as_deref()
            .unwrap()
            .contains("entries were removed"),
        "{report:?}"
    );
}

backend_tests!(
    a_drawing_copied_from_another_record_is_refused_even_with_its_hash_recomputed,
    a_record_naming_someone_else_is_refused_and_reported_with_the_fda_deadline,
    a_designee_may_sign_a_receipt_but_not_a_request,
    a_sealed_record_rewritten_in_sql_is_reported_by_verify,
    an_audit_chain_rewritten_and_recomputed_is_caught_by_its_checkpoint,
    entries_cut_after_a_checkpoint_and_a_forged_checkpoint_are_reported,
);

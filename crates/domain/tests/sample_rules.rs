//! The shared sample-rule vectors (`vectors/sample_rules.json`), also run by the field
//! app's tests, so the server and the device judge a disbursement alike.

use pharmacrm_domain::code::Code;
use pharmacrm_domain::sample::check::{
    check_samples, AllocationFacts, CredentialRule, LotFacts, RecipientFacts, SampleContext,
    SampleLine, SampleMode, SkuFacts,
};
use pharmacrm_domain::sample::limits::{PastSample, SampleLimit, Severity};
use pharmacrm_domain::sample::signature::{
    image_digest, signer_problem, Signature, SignedRecord, SignerRole,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Context {
    mode: SampleMode,
    on: chrono::NaiveDate,
    state: String,
    recipient: RecipientFacts,
    skus: Vec<SkuFacts>,
    lots: Vec<LotFacts>,
    allocations: Vec<AllocationFacts>,
    limits: Vec<SampleLimit>,
    credential_rules: Vec<CredentialRule>,
    history: Vec<PastSample>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    context: Context,
    lines: Vec<SampleLine>,
    expect: Vec<(Code, Severity)>,
}

#[derive(Deserialize)]
struct SignatureCase {
    record: SignedRecord,
    canonical_text: String,
    hash: String,
}

#[derive(Deserialize)]
struct Drawing {
    image: String,
    image_sha256: String,
}

#[derive(Deserialize)]
struct Binding {
    name: String,
    signature: Signature,
    expect: Option<String>,
}

#[derive(Deserialize)]
struct Person {
    first_name: String,
    last_name: String,
}

#[derive(Deserialize)]
struct Signer {
    name: String,
    hcp: Person,
    record_type: String,
    practitioner_name: String,
    signer_name: String,
    signer_role: SignerRole,
    expect: Option<String>,
}

#[derive(Deserialize)]
struct Vectors {
    checks: Vec<Case>,
    signatures: Vec<SignatureCase>,
    drawings: Vec<Drawing>,
    bindings: Vec<Binding>,
    signers: Vec<Signer>,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../vectors/sample_rules.json")).expect("vectors parse")
}

#[test]
fn every_guardrail_vector_gives_its_findings() {
    let v = vectors();
    assert!(v.checks.len() >= 15);
    for case in v.checks {
        let c = &case.context;
        let ctx = SampleContext {
            mode: c.mode,
            on: c.on,
            state: &c.state,
            recipient: &c.recipient,
            skus: &c.skus,
            lots: &c.lots,
            allocations: &c.allocations,
            limits: &c.limits,
            credential_rules: &c.credential_rules,
            history: &c.history,
        };
        let got: Vec<(Code, Severity)> = check_samples(&ctx, &case.lines)
            .into_iter()
            .map(|f| (f.code, f.severity))
            .collect();
        assert_eq!(got, case.expect, "{}", case.name);
    }
}

#[test]
fn signed_records_hash_to_the_shared_value() {
    for s in vectors().signatures {
        assert_eq!(s.record.canonical_text(), s.canonical_text);
        assert_eq!(s.record.hash(), s.hash);
    }
}

#[test]
fn drawings_digest_to_the_shared_value() {
    for d in vectors().drawings {
        assert_eq!(image_digest(&d.image), d.image_sha256);
    }
}

#[test]
fn a_signature_binds_its_record_and_drawing_as_the_vectors_say() {
    let v = vectors();
    assert!(v.bindings.iter().any(|b| b.expect.is_some()));
    for b in v.bindings {
        let r = &b.signature.record;
        let lines: Vec<(Option<String>, i64)> = r
            .lines
            .iter()
            .map(|l| (l.lot_number.clone(), l.quantity))
            .collect();
        let first = b
            .signature
            .verify(r.record_id, &r.record_type, &lines)
            .err()
            .map(|e| e.0[0].field.clone());
        assert_eq!(first, b.expect, "{}", b.name);
    }
}

#[test]
fn who_may_sign_is_decided_as_the_vectors_say() {
    let v = vectors();
    let template = v.signatures[1].record.clone();
    for s in v.signers {
        let record = SignedRecord {
            record_type: s.record_type,
            practitioner_name: s.practitioner_name,
            signer_name: s.signer_name,
            signer_role: s.signer_role,
            ..template.clone()
        };
        let got = signer_problem(&record, &s.hcp.first_name, &s.hcp.last_name).map(|f| f.field);
        assert_eq!(got, s.expect, "{}", s.name);
    }
}

//! The shared sample-rule vectors (`vectors/sample_rules.json`), also run by the field
//! app's tests, so the server and the device judge a disbursement alike.

use pharmacrm_domain::code::Code;
use pharmacrm_domain::sample::check::{
    check_samples, AllocationFacts, CredentialRule, LotFacts, RecipientFacts, SampleContext,
    SampleLine, SampleMode, SkuFacts,
};
use pharmacrm_domain::sample::limits::{PastSample, SampleLimit, Severity};
use pharmacrm_domain::sample::signature::SignedRecord;
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
struct Vectors {
    checks: Vec<Case>,
    signatures: Vec<SignatureCase>,
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

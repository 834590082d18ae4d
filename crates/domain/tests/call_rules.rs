//! The call rules against the vectors the field app is tested with too
//! (vectors/call_rules.json), so the offline checks and the server's agree.

use chrono::{DateTime, Utc};
use pharmacrm_domain::call::{CallInput, HcpFacts};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::HcpStatus;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
struct Vectors {
    now: DateTime<Utc>,
    hcps: Vec<Hcp>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Hcp {
    id: uuid::Uuid,
    status: HcpStatus,
    do_not_call: Option<Dnc>,
    #[serde(default)]
    blacklist: Option<Dnc>,
}

#[derive(Deserialize)]
struct Dnc {
    reason: String,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    call: CallInput,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    code: Option<Code>,
}

#[test]
fn the_server_rules_give_the_shared_answers() {
    let vectors: Vectors =
        serde_json::from_str(include_str!("../vectors/call_rules.json")).unwrap();
    let facts: Vec<HcpFacts> = vectors
        .hcps
        .iter()
        .map(|h| HcpFacts {
            id: h.id,
            status: h.status,
            do_not_call: h.do_not_call.as_ref().map(|d| (d.reason.clone(), None)),
            blacklisted: h.blacklist.as_ref().map(|d| (d.reason.clone(), None)),
            in_scope_on_call_day: true,
            in_scope_now: true,
        })
        .collect();
    assert!(vectors.cases.len() >= 10);
    for case in &vectors.cases {
        let result = case.call.check(&facts, |_| true, |_| true, vectors.now);
        match (&result, &case.expect) {
            (Ok(flags), e) if e.ok => assert!(flags.is_empty(), "{}: {flags:?}", case.name),
            (Err(r), e) if !e.fields.is_empty() => {
                assert_eq!(r.code, Code::ValidationFailed, "{}", case.name);
                let fields: BTreeSet<&str> = r.errors.0.iter().map(|f| f.field.as_str()).collect();
                let expected: BTreeSet<&str> = e.fields.iter().map(String::as_str).collect();
                assert_eq!(fields, expected, "{}", case.name);
            }
            (
                Err(r),
                Expect {
                    code: Some(code), ..
                },
            ) => assert_eq!(r.code, *code, "{}", case.name),
            _ => panic!("{}: got {result:?}", case.name),
        }
    }
}

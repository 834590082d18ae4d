//! HCP master data governance on both backends: the at-creation duplicate check with
//! spelling variants, nicknames, swapped names and moved addresses; reps' proposals and the
//! stewards' decisions; merge and undo restoring both records and their histories; import
//! matching; completeness monitoring.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use common::{field_of, principal, push_call};
use pharmacrm_domain::address::Address;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::hcp::{HcpInput, HcpStatus};
use pharmacrm_domain::matching::model::Outcome;
use pharmacrm_domain::matching::MatchRecord;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_domain::npi::Npi;
use pharmacrm_domain::org::OrgLevel;
use pharmacrm_domain::stewardship::{HcpChange, RequestKind, RequestStatus};
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::matching::{self, MergeInput};
use pharmacrm_service::stewardship::{self, ChangeProposal, Decision, HcpProposal};
use pharmacrm_service::{hcps, ServiceError};
use pharmacrm_storage::Store;
use uuid::Uuid;

/// The demo with its planted duplicates and proposals, and the matching model estimated
/// from its data.
async fn demo(store: &Store) {
    populate_small(store, "x").await;
    pharmacrm_fixtures::stewardship::seed(store, 7)
        .await
        .unwrap();
    matching::estimate(store, &Actor::system("test"))
        .await
        .unwrap();
}

async fn free_npi(store: &Store, seed: u64) -> String {
    let mut base = 55_000_000 + seed * 1_000;
    loop {
        let npi = Npi::from_base(base).to_string();
        if store
            .hcps_by_npi(std::slice::from_ref(&npi))
            .await
            .unwrap()
            .is_empty()
        {
            return npi;
        }
        base += 1;
    }
}

/// An HCP input in `zip` (of T01 in the tests).
async fn input(
    store: &Store,
    first: &str,
    last: &str,
    street: &str,
    zip: &str,
    phone: Option<&str>,
) -> HcpInput {
    let seed = (first.len() * 31 + last.len() * 7 + street.len()) as u64;
    HcpInput {
        npi: free_npi(store, seed).await,
        first_name: first.into(),
        middle_name: None,
        last_name: last.into(),
        suffix: None,
        credentials: "MD".into(),
        specialty_code: "207RC0000X".into(),
        status: HcpStatus::Active,
        language: "en".into(),
        address: Address {
            line1: street.into(),
            line2: None,
            city: "Springfield".into(),
            state: "MA".into(),
            zip: zip.into(),
            latitude: None,
            longitude: None,
        },
        phone: phone.map(str::to_string),
        licences: vec![],
        preferred_call_times: vec![],
        do_not_call_reason: None,
    }
}

fn record(first: &str, last: &str, street: &str, zip: &str, phone: Option<&str>) -> MatchRecord {
    MatchRecord {
        npi: None,
        first_name: first.into(),
        last_name: last.into(),
        specialty_code: Some("207RC0000X".into()),
        street: Some(street.into()),
        city: Some("Springfield".into()),
        state: Some("MA".into()),
        zip: Some(zip.into()),
        phone: phone.map(str::to_string),
        affiliations: vec![],
    }
}

async fn t01_zip(store: &Store) -> String {
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    store.zips_of_territory(t01.id).await.unwrap()[0].clone()
}

/// Ops creates Robert Kowalski in T01; returns his id.
async fn robert(store: &Store, ops: &Principal) -> Uuid {
    let zip = t01_zip(store).await;
    let hcp = hcps::create_hcp(
        store,
        ops,
        &input(
            store,
            "Robert",
            "Kowalski",
            "12 North Main Street",
            &zip,
            Some("617-555-0134"),
        )
        .await,
        false,
    )
    .await
    .unwrap();
    assert_eq!(hcp.master_status, "verified");
    hcp.id
}

async fn variants_are_caught_at_creation_within_the_callers_scope(store: Store) {
    demo(&store).await;
    let (ops, rep1, rep3) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t03").await,
    );
    let id = robert(&store, &ops).await;
    let zip = t01_zip(&store).await;
    let check = |r: MatchRecord, who: Principal| {
        let store = store.clone();
        async move { matching::check(&store, &who, &r).await.unwrap() }
    };
    let found = |c: &pharmacrm_service::matching::MatchCheck| {
        c.matches
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.score.clone())
    };

    // A nickname with the street abbreviated: the same person.
    let nick = check(
        record(
            "Bob",
            "Kowalski",
            "12 N Main St",
            &zip,
            Some("(617) 555-0134"),
        ),
        rep1.clone(),
    )
    .await;
    let score = found(&nick).expect("Bob is Robert");
    assert_eq!(score.outcome, Outcome::SameRecord);
    assert_eq!(
        score.fields[1].level, "nickname",
        "the evidence says how the first name matched"
    );
    // A misspelt surname, no phone.
    let typo = check(
        record("Robert", "Kowalsky", "12 North Main St.", &zip, None),
        rep1.clone(),
    )
    .await;
    assert_ne!(
        found(&typo).expect("a spelling variant is found").outcome,
        Outcome::NewRecord
    );
    // First and last names swapped.
    let swapped = check(
        record(
            "Kowalski",
            "Robert",
            "12 North Main Street",
            &zip,
            Some("6175550134"),
        ),
        rep1.clone(),
    )
    .await;
    let s = found(&swapped).expect("swapped names are found");
    assert!(s.swapped_names);
    assert_ne!(s.outcome, Outcome::NewRecord);
    // Moved to another town, same phone.
    let moved = MatchRecord {
        city: Some("Worcester".into()),
        zip: Some("01608".into()),
        ..record(
            "Robert",
            "Kowalski",
            "400 Elm Avenue",
            "01608",
            Some("617-555-0134"),
        )
    };
    let m = found(&check(moved, rep1.clone()).await).expect("a moved HCP is found");
    assert_ne!(m.outcome, Outcome::NewRecord);
    assert_eq!(
        m.fields
            .iter()
            .find(|f| f.field == pharmacrm_domain::matching::Field::Street)
            .unwrap()
            .level,
        "different"
    );
    // Someone else.
    let other = check(
        record("Alice", "Zimmermann", "9 Oak Road", &zip, None),
        rep1.clone(),
    )
    .await;
    assert!(found(&other).is_none());

    // Another territory's rep learns only that a match exists elsewhere.
    let elsewhere = check(
        record(
            "Bob",
            "Kowalski",
            "12 N Main St",
            &zip,
            Some("617-555-0134"),
        ),
        rep3.clone(),
    )
    .await;
    assert!(elsewhere.matches.iter().all(|m| m.id != id));
    assert!(elsewhere.match_outside_scope);
    assert_eq!(elsewhere.outcome, Outcome::SameRecord);
    assert_eq!(
        field_of(
            matching::check(&store, &rep1, &MatchRecord::default())
                .await
                .unwrap_err()
        ),
        "last_name"
    );

    // A steward creating the duplicate is stopped unless they confirm a different person,
    // and then the pair goes to the queue.
    let again = input(
        &store,
        "Bob",
        "Kowalski",
        "12 N Main St",
        &zip,
        Some("617-555-0134"),
    )
    .await;
    match hcps::create_hcp(&store, &ops, &again, false).await {
        Err(ServiceError::Conflict {
            code: pharmacrm_domain::code::Code::LikelyDuplicate,
            message,
        }) => assert!(message.contains("Robert Kowalski"), "{message}"),
        other => panic!("expected likely_duplicate, got {other:?}"),
    }
    let created = hcps::create_hcp(&store, &ops, &again, true).await.unwrap();
    let pairs = matching::pairs(&store, &ops, Some("open")).await.unwrap();
    let pair = pairs
        .iter()
        .find(|p| [p.a.id, p.b.id].contains(&created.id) && [p.a.id, p.b.id].contains(&id))
        .expect("queued");
    assert_eq!(pair.source, "creation");
    assert!(matches!(
        matching::pairs(&store, &rep1, None).await,
        Err(ServiceError::Forbidden(_))
    ));
}

async fn proposals_reach_the_stewards_and_reps_see_the_outcome(store: Store) {
    demo(&store).await;
    let (ops, rep1, rep3) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t03").await,
    );
    let zip = t01_zip(&store).await;

    // A new HCP: usable at once as proposed, a call can be logged on it.
    let proposal = HcpProposal {
        id: pharmacrm_domain::new_id(),
        hcp_id: pharmacrm_domain::new_id(),
        hcp: input(&store, "Zora", "Quintero", "77 Harbor Road", &zip, None).await,
        note: Some("New in the practice".into()),
        confirmed_different: false,
    };
    let request = stewardship::propose_hcp(&store, &rep1, &proposal)
        .await
        .unwrap();
    assert_eq!(
        (request.kind, request.status),
        (RequestKind::NewHcp, RequestStatus::Pending)
    );
    assert_eq!(
        store
            .hcp(&rep1.scope, proposal.hcp_id)
            .await
            .unwrap()
            .unwrap()
            .master_status,
        "proposed"
    );
    assert_eq!(
        push_call(&store, &rep1, proposal.hcp_id, store.now())
            .await
            .0,
        MutationStatus::Applied
    );
    // Replaying the same proposal changes nothing.
    assert_eq!(
        stewardship::propose_hcp(&store, &rep1, &proposal)
            .await
            .unwrap()
            .id,
        request.id
    );

    let queue = stewardship::requests(&store, &ops, Some(RequestStatus::Pending))
        .await
        .unwrap();
    assert!(queue.iter().any(|r| r.id == request.id));
    assert!(
        stewardship::requests(&store, &rep3, None)
            .await
            .unwrap()
            .iter()
            .all(|r| r.id != request.id),
        "reps read their own"
    );
    assert!(matches!(
        stewardship::approve(&store, &rep1, request.id, &Decision::default()).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert_eq!(
        field_of(
            stewardship::reject(&store, &ops, request.id, &Decision::default())
                .await
                .unwrap_err()
        ),
        "reason"
    );
    let rejected = stewardship::reject(
        &store,
        &ops,
        request.id,
        &Decision {
            reason: Some("Not a prescriber".into()),
            merge_into: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(rejected.status, RequestStatus::Rejected);
    assert!(
        store
            .hcp(&rep1.scope, proposal.hcp_id)
            .await
            .unwrap()
            .is_none(),
        "a rejected proposal leaves the lists"
    );
    let notices = store.notices_of(rep1.user.id, None).await.unwrap();
    assert!(notices
        .iter()
        .any(|n| n.title.contains("Zora Quintero") && n.body.contains("Not a prescriber")));
    assert!(matches!(
        stewardship::reject(
            &store,
            &ops,
            request.id,
            &Decision {
                reason: Some("again".into()),
                merge_into: None
            }
        )
        .await,
        Err(ServiceError::Conflict { .. })
    ));

    // A change: nothing happens until approved, then the record changes with an audit trail.
    let page = store
        .hcp_page(&rep1.scope, &Default::default(), None, 5)
        .await
        .unwrap();
    let target = page.items[0].id;
    let bad = ChangeProposal {
        id: pharmacrm_domain::new_id(),
        hcp_id: target,
        changes: HcpChange {
            phone: Some("12".into()),
            ..HcpChange::default()
        },
        note: None,
    };
    assert_eq!(
        field_of(
            stewardship::propose_change(&store, &rep1, &bad)
                .await
                .unwrap_err()
        ),
        "phone"
    );
    let change = ChangeProposal {
        id: pharmacrm_domain::new_id(),
        hcp_id: target,
        changes: HcpChange {
            status: Some(HcpStatus::Retired),
            phone: Some("617 555 0199".into()),
            ..HcpChange::default()
        },
        note: Some("Retired last month".into()),
    };
    let pending = stewardship::propose_change(&store, &rep1, &change)
        .await
        .unwrap();
    assert_eq!(
        pending
            .changes
            .iter()
            .map(|c| c.field.as_str())
            .collect::<Vec<_>>(),
        vec!["phone", "status"]
    );
    assert_eq!(
        store
            .hcp(&rep1.scope, target)
            .await
            .unwrap()
            .unwrap()
            .status,
        HcpStatus::Active
    );
    let other_rep = ChangeProposal {
        id: pharmacrm_domain::new_id(),
        ..change.clone()
    };
    assert!(
        matches!(
            stewardship::propose_change(&store, &rep3, &other_rep).await,
            Err(ServiceError::NotFound(_))
        ),
        "only HCPs in scope"
    );
    let approved = stewardship::approve(
        &store,
        &ops,
        pending.id,
        &Decision {
            reason: Some("Confirmed with the practice".into()),
            merge_into: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(approved.status, RequestStatus::Approved);
    let after = store.hcp(&rep1.scope, target).await.unwrap().unwrap();
    assert_eq!(
        (after.status, after.phone.as_deref()),
        (HcpStatus::Retired, Some("6175550199"))
    );
    assert!(store.audit_entries("hcp", target).await.unwrap().len() >= 2);
    let mine = stewardship::own_requests_since(&store, &rep1, None)
        .await
        .unwrap();
    let decided = mine.iter().find(|r| r.id == pending.id).unwrap();
    assert_eq!(
        (decided.status, decided.decision_reason.as_deref()),
        (RequestStatus::Approved, Some("Confirmed with the practice"))
    );
    let status_line = decided
        .changes
        .iter()
        .find(|c| c.field == "status")
        .expect("the decided change still says what it changed");
    assert_eq!(
        (status_line.from.as_str(), status_line.to.as_str()),
        ("active", "retired")
    );

    // A rep proposing an HCP already on file in their territory is linked to it.
    let id = robert(&store, &ops).await;
    let dup = HcpProposal {
        id: pharmacrm_domain::new_id(),
        hcp_id: pharmacrm_domain::new_id(),
        hcp: input(
            &store,
            "Bob",
            "Kowalski",
            "12 N Main St",
            &zip,
            Some("617-555-0134"),
        )
        .await,
        note: None,
        confirmed_different: false,
    };
    let linked = stewardship::propose_hcp(&store, &rep1, &dup).await.unwrap();
    assert_eq!(
        (linked.status, linked.merged_into),
        (RequestStatus::Merged, Some(id))
    );
    assert_eq!(store.live_hcp_id(dup.hcp_id).await.unwrap(), Some(id));
    // A call logged offline on the proposed record lands on the existing HCP.
    let (status, call_id) = push_call(&store, &rep1, dup.hcp_id, store.now()).await;
    assert_eq!(status, MutationStatus::Applied);
    assert_eq!(
        store.call_by_id(call_id).await.unwrap().unwrap().hcp_ids,
        vec![id]
    );

    // The steward merges a pending proposal into the HCP it duplicates.
    let sure = HcpProposal {
        confirmed_different: true,
        id: pharmacrm_domain::new_id(),
        hcp_id: pharmacrm_domain::new_id(),
        hcp: input(&store, "Robert", "Kowalsky", "12 North Main St", &zip, None).await,
        note: None,
    };
    let queued = stewardship::propose_hcp(&store, &rep1, &sure)
        .await
        .unwrap();
    assert_eq!(queued.status, RequestStatus::Pending);
    let as_steward = stewardship::requests(&store, &ops, Some(RequestStatus::Pending))
        .await
        .unwrap();
    assert!(
        as_steward
            .iter()
            .find(|r| r.id == queued.id)
            .unwrap()
            .matches
            .iter()
            .any(|m| m.id == id),
        "stewards see the likely match"
    );
    let merged = stewardship::approve(
        &store,
        &ops,
        queued.id,
        &Decision {
            reason: None,
            merge_into: Some(id),
        },
    )
    .await
    .unwrap();
    assert_eq!(merged.status, RequestStatus::Merged);

    // A proposal merged from the duplicate queue meanwhile cannot be approved any more.
    let other = HcpProposal {
        confirmed_different: true,
        id: pharmacrm_domain::new_id(),
        hcp_id: pharmacrm_domain::new_id(),
        hcp: input(&store, "Rob", "Kowalski", "12 North Main St", &zip, None).await,
        note: None,
    };
    let waiting = stewardship::propose_hcp(&store, &rep1, &other)
        .await
        .unwrap();
    matching::merge(
        &store,
        &ops,
        &MergeInput {
            survivor_id: id,
            merged_id: other.hcp_id,
            pair_id: None,
            reason: None,
        },
    )
    .await
    .unwrap();
    match stewardship::approve(&store, &ops, waiting.id, &Decision::default()).await {
        Err(ServiceError::Conflict {
            code: pharmacrm_domain::code::Code::HcpMerged,
            ..
        }) => {}
        other => panic!("expected hcp_merged, got {other:?}"),
    }
    assert_eq!(
        store.live_hcp_id(other.hcp_id).await.unwrap(),
        Some(id),
        "the merge stands"
    );
}

async fn merge_and_undo_restore_both_records_and_their_histories(store: Store) {
    demo(&store).await;
    let ops = principal(&store, "ops").await;
    let rep1 = principal(&store, "rep.t01").await;
    let report = matching::scan(&store, &ops).await.unwrap();
    assert!(
        report.same_record + report.ask_steward >= 6,
        "most of the demo's 8 planted duplicates are found: {report:?}"
    );
    let pairs = matching::pairs(&store, &ops, Some("open")).await.unwrap();
    let pair = pairs
        .iter()
        .find(|p| p.a.territory.as_ref().is_some_and(|t| t.code == "T01"))
        .expect("a pair in T01")
        .clone();
    assert!(
        pair.score.fields.iter().any(|f| f.weight > 0.0),
        "the evidence is explained field by field"
    );
    let (a, b) = (pair.a.id, pair.b.id);

    // Give the merged-away record an affiliation and a segment of its own.
    let account = store
        .account_page(&rep1.scope, &Default::default(), None, 50)
        .await
        .unwrap()
        .items;
    let a_profile = store
        .hcp(&pharmacrm_domain::access::Scope::All, a)
        .await
        .unwrap()
        .unwrap();
    let account = account
        .iter()
        .find(|x| a_profile.affiliations.iter().all(|f| f.account_id != x.id))
        .expect("an account A is not affiliated with");
    let actor = ops.actor();
    store
        .insert_affiliations(
            &actor,
            &[pharmacrm_storage::accounts::NewAffiliation {
                hcp_id: b,
                account_id: account.id,
                role: "staff".into(),
                primary: false,
            }],
        )
        .await
        .unwrap();
    let calls = |id: Uuid| {
        let store = store.clone();
        async move {
            store
                .calls_of_hcp(&pharmacrm_domain::access::Scope::All, id)
                .await
                .unwrap()
                .len()
        }
    };
    let (calls_a, calls_b) = (calls(a).await, calls(b).await);
    assert!(calls_b > 0, "the duplicate has calls of its own");
    let aff_a = a_profile.affiliations.len();

    assert!(matches!(
        matching::merge(
            &store,
            &rep1,
            &MergeInput {
                survivor_id: a,
                merged_id: b,
                pair_id: Some(pair.id),
                reason: None
            }
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert_eq!(
        field_of(
            matching::merge(
                &store,
                &ops,
                &MergeInput {
                    survivor_id: a,
                    merged_id: a,
                    pair_id: None,
                    reason: None
                }
            )
            .await
            .unwrap_err()
        ),
        "merged_id"
    );
    let cursor = pharmacrm_service::sync::pull(&store, &rep1, None, 2000)
        .await
        .unwrap();
    let merge = matching::merge(
        &store,
        &ops,
        &MergeInput {
            survivor_id: a,
            merged_id: b,
            pair_id: Some(pair.id),
            reason: Some("Same NPI on the state licence".into()),
        },
    )
    .await
    .unwrap();
    assert!(merge
        .moved
        .iter()
        .any(|m| m.what == "calls" && m.rows == calls_b));
    assert_eq!(
        calls(a).await,
        calls_a + calls_b,
        "the survivor keeps every call of both"
    );
    let survivor = store
        .hcp(&pharmacrm_domain::access::Scope::All, a)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        survivor.affiliations.len(),
        aff_a + 1,
        "and the affiliations of both"
    );
    assert!(
        store
            .hcp(&pharmacrm_domain::access::Scope::All, b)
            .await
            .unwrap()
            .is_none(),
        "the merged record leaves every list"
    );
    assert!(matching::pairs(&store, &ops, Some("merged"))
        .await
        .unwrap()
        .iter()
        .any(|p| p.id == pair.id));
    let next = pharmacrm_service::sync::pull(&store, &rep1, Some(&cursor.cursor), 2000)
        .await
        .unwrap();
    assert!(next.reset, "devices rebuild their copy after a merge");

    let undone = matching::undo(&store, &ops, merge.id).await.unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(
        (calls(a).await, calls(b).await),
        (calls_a, calls_b),
        "undo gives each record its own history back"
    );
    let restored = store
        .hcp(&pharmacrm_domain::access::Scope::All, b)
        .await
        .unwrap()
        .expect("the merged record is back");
    assert_eq!(restored.affiliations.len(), 1);
    assert_eq!(
        store
            .hcp(&pharmacrm_domain::access::Scope::All, a)
            .await
            .unwrap()
            .unwrap()
            .affiliations
            .len(),
        aff_a
    );
    assert!(
        matching::pairs(&store, &ops, Some("open"))
            .await
            .unwrap()
            .iter()
            .any(|p| p.id == pair.id),
        "the pair is open again"
    );
    assert!(matches!(
        matching::undo(&store, &ops, merge.id).await,
        Err(ServiceError::Conflict { .. })
    ));
    let history = store.audit_entries("hcp_merge", merge.id).await.unwrap();
    assert_eq!(
        history.len(),
        2,
        "the merge and its undo are both in the audit trail"
    );
}

async fn imports_link_spelling_variants_instead_of_creating_duplicates(store: Store) {
    use pharmacrm_service::csv_format::{hcp_input_fields, HCP_COLUMNS};
    demo(&store).await;
    let ops = principal(&store, "ops").await;
    let id = robert(&store, &ops).await;
    let zip = t01_zip(&store).await;
    let mut file = csv::Writer::from_writer(Vec::new());
    file.write_record(HCP_COLUMNS).unwrap();
    // Robert again under another NPI with a nickname; and a genuinely new HCP.
    file.write_record(hcp_input_fields(
        &input(
            &store,
            "Bob",
            "Kowalski",
            "12 N Main St",
            &zip,
            Some("617-555-0134"),
        )
        .await,
    ))
    .unwrap();
    file.write_record(hcp_input_fields(
        &input(&store, "Ingrid", "Solberg", "3 Fjord Way", &zip, None).await,
    ))
    .unwrap();
    let bytes = file.into_inner().unwrap();
    let before = store
        .count_hcps(&pharmacrm_domain::access::Scope::All)
        .await
        .unwrap();
    let report =
        pharmacrm_service::import::import_hcps(&store, &ops.actor(), bytes.as_slice(), &|_, _| {})
            .await
            .unwrap();
    assert_eq!((report.created, report.linked), (1, 1), "{report:?}");
    assert_eq!(report.matches[0].matched.id, id);
    assert_eq!(report.matches[0].line, 2);
    assert_eq!(
        store
            .count_hcps(&pharmacrm_domain::access::Scope::All)
            .await
            .unwrap(),
        before + 1
    );
}

async fn completeness_is_reported_by_unit_and_month(store: Store) {
    demo(&store).await;
    let (ops, rep1) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
    );
    let report = pharmacrm_service::completeness::report(&store, &ops, OrgLevel::Territory, 3)
        .await
        .unwrap();
    assert_eq!(report.months.len(), 3);
    assert_eq!(report.method.len(), 3);
    let totals: Vec<_> = report.rows.iter().filter(|r| r.unit.is_none()).collect();
    assert_eq!(totals.len(), 3, "one total per month");
    let last = totals[1];
    let share = last.call_reports.share.unwrap();
    assert!(
        last.call_reports.of > 0 && (0.7..1.0).contains(&share),
        "most demo reports are filed on time, some late: {share}"
    );
    assert!(last.segmentation.share.unwrap() > 0.5);
    // The shares add up from the units' counts.
    let units: u64 = report
        .rows
        .iter()
        .filter(|r| r.unit.is_some() && r.month == last.month)
        .map(|r| r.call_reports.of)
        .sum();
    assert_eq!(units, last.call_reports.of);
    let mine = pharmacrm_service::completeness::report(&store, &rep1, OrgLevel::Territory, 3)
        .await
        .unwrap();
    assert!(mine
        .rows
        .iter()
        .filter_map(|r| r.unit.as_ref())
        .all(|u| u.code == "T01"));
    let districts = pharmacrm_service::completeness::report(&store, &ops, OrgLevel::District, 1)
        .await
        .unwrap();
    assert!(districts
        .rows
        .iter()
        .filter_map(|r| r.unit.as_ref())
        .all(|u| u.code.starts_with('D')));
    assert_eq!(
        field_of(
            pharmacrm_service::completeness::report(&store, &ops, OrgLevel::Territory, 0)
                .await
                .unwrap_err()
        ),
        "months"
    );
}

backend_tests!(
    variants_are_caught_at_creation_within_the_callers_scope,
    proposals_reach_the_stewards_and_reps_see_the_outcome,
    merge_and_undo_restore_both_records_and_their_histories,
    imports_link_spelling_variants_instead_of_creating_duplicates,
    completeness_is_reported_by_unit_and_month,
);

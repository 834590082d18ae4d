//! Realignment cycles on both backends: draft lines, impact, field review marks blocking
//! publication, the 30-day / quarter-start rule, publication into the effective-dated
//! alignment, account overrides, and notices to the reps and managers affected.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{field_of, principal};
use pharmacrm_domain::realignment::{DraftLine, MarkKind, RealignmentStatus, Resolution};
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::realignment::{
    self as service, DraftLines, MarkInput, MarkResolution, Publication,
};
use pharmacrm_service::ServiceError;
use pharmacrm_storage::Store;

/// The first quarter start at least 30 days after `today`.
fn next_quarter_start(today: NaiveDate) -> NaiveDate {
    let mut day = today + Duration::days(30);
    while !pharmacrm_domain::targeting::is_quarter_start(day) {
        day += Duration::days(1);
    }
    day
}

async fn field_review_marks_block_publishing_until_resolved(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let (ops, rep1, rep3, mgr) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t03").await,
        principal(&store, "mgr.d01").await,
    );
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let zip = store.zips_of_territory(t01.id).await.unwrap()[0].clone();
    let (before1, before2) = (
        store.count_hcps(&rep1.scope).await.unwrap(),
        store
            .count_hcps(&principal(&store, "rep.t02").await.scope)
            .await
            .unwrap(),
    );

    assert!(matches!(
        service::create(&store, &rep1, "mine").await,
        Err(ServiceError::Forbidden(_))
    ));
    let cycle = service::create(&store, &ops, "Q1 realignment")
        .await
        .unwrap();
    let bad = DraftLines {
        zips: vec![DraftLine {
            key: "ABCDE".into(),
            territory_id: t02.id,
        }],
        accounts: vec![],
    };
    assert_eq!(
        field_of(
            service::put_lines(&store, &ops, cycle.id, &bad)
                .await
                .unwrap_err()
        ),
        "zips[0].key"
    );
    let lines = DraftLines {
        zips: vec![DraftLine {
            key: zip.clone(),
            territory_id: t02.id,
        }],
        accounts: vec![],
    };
    assert_eq!(
        service::put_lines(&store, &ops, cycle.id, &lines)
            .await
            .unwrap()
            .zips
            .len(),
        1
    );
    assert!(
        matches!(
            service::field_review(&store, &rep1, cycle.id, today).await,
            Err(ServiceError::NotFound(_))
        ),
        "a draft is ops' alone"
    );

    let impact = service::impact_of(&store, &ops, cycle.id, today)
        .await
        .unwrap();
    let (row1, row2) = (
        impact
            .territories
            .iter()
            .find(|t| t.territory.id == t01.id)
            .unwrap(),
        impact
            .territories
            .iter()
            .find(|t| t.territory.id == t02.id)
            .unwrap(),
    );
    let moving = row1.hcps_out;
    assert!(moving > 0);
    assert_eq!(
        (
            row1.hcps_before as i64,
            row1.hcps_after,
            row2.hcps_in,
            row2.hcps_after
        ),
        (
            before1,
            row1.hcps_before - moving,
            moving,
            row2.hcps_before + moving
        )
    );
    assert_eq!(impact.hcps_moving, moving);
    assert!(
        row1.target_calls_after <= row1.target_calls_before
            && row2.target_calls_after >= row2.target_calls_before
    );
    assert_eq!(row1.reps, vec!["rep.t01".to_string()]);

    service::open_review(&store, &ops, cycle.id).await.unwrap();
    let review = service::field_review(&store, &rep1, cycle.id, today)
        .await
        .unwrap();
    assert_eq!(review.moves.len() as u32, moving);
    assert!(
        service::field_review(&store, &rep3, cycle.id, today)
            .await
            .unwrap()
            .moves
            .is_empty(),
        "T03 is not concerned"
    );
    let hcp = review.moves[0].hcp_id;
    let mark = |kind, note: &str| MarkInput {
        hcp_id: hcp,
        kind,
        note: note.into(),
    };
    assert_eq!(
        field_of(
            service::mark(
                &store,
                &rep3,
                cycle.id,
                &mark(MarkKind::Escalation, "not mine"),
                today
            )
            .await
            .unwrap_err()
        ),
        "hcp_id"
    );
    assert_eq!(
        field_of(
            service::mark(
                &store,
                &rep1,
                cycle.id,
                &mark(MarkKind::KeyRelationship, " "),
                today
            )
            .await
            .unwrap_err()
        ),
        "note"
    );
    let key = service::mark(
        &store,
        &rep1,
        cycle.id,
        &mark(
            MarkKind::KeyRelationship,
            "Ten years of trust; runs the lipid clinic",
        ),
        today,
    )
    .await
    .unwrap();
    let escalation = service::mark(
        &store,
        &mgr,
        cycle.id,
        &mark(MarkKind::Escalation, "Speaker programme lead"),
        today,
    )
    .await
    .unwrap();
    assert!(matches!(
        service::mark(
            &store,
            &ops,
            cycle.id,
            &mark(MarkKind::Escalation, "x"),
            today
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));

    let on_time = Publication {
        effective_from: next_quarter_start(today),
        override_reason: None,
    };
    assert_eq!(
        field_of(
            service::publish(&store, &ops, cycle.id, &on_time, today)
                .await
                .unwrap_err()
        ),
        "marks",
        "open marks block publishing"
    );
    let accept = MarkResolution {
        resolution: Resolution::Accepted,
        note: "".into(),
    };
    assert_eq!(
        field_of(
            service::resolve(&store, &ops, cycle.id, key.id, &accept)
                .await
                .unwrap_err()
        ),
        "note"
    );
    let accept = MarkResolution {
        resolution: Resolution::Accepted,
        note: "Hand-off visit planned with rep.t02".into(),
    };
    service::resolve(&store, &ops, cycle.id, key.id, &accept)
        .await
        .unwrap();
    assert_eq!(
        field_of(
            service::publish(&store, &ops, cycle.id, &on_time, today)
                .await
                .unwrap_err()
        ),
        "marks",
        "every mark must be resolved"
    );
    let changed = MarkResolution {
        resolution: Resolution::Changed,
        note: "Kept the speaker with T01 until the programme ends".into(),
    };
    let marks = service::resolve(&store, &ops, cycle.id, escalation.id, &changed)
        .await
        .unwrap();
    assert!(marks.iter().all(|m| m.resolution.is_some()));

    // The 30-day and quarter-start rule.
    let soon = Publication {
        effective_from: today + Duration::days(7),
        override_reason: None,
    };
    assert_eq!(
        field_of(
            service::publish(&store, &ops, cycle.id, &soon, today)
                .await
                .unwrap_err()
        ),
        "override_reason"
    );
    let past = Publication {
        effective_from: today - Duration::days(1),
        override_reason: Some("typo".into()),
    };
    assert_eq!(
        field_of(
            service::publish(&store, &ops, cycle.id, &past, today)
                .await
                .unwrap_err()
        ),
        "effective_from"
    );
    let now = Publication {
        effective_from: today,
        override_reason: Some("Rep resigned; cover the ZIP at once".into()),
    };
    let published = service::publish(&store, &ops, cycle.id, &now, today)
        .await
        .unwrap();
    assert_eq!(published.status, RealignmentStatus::Published);
    assert_eq!(
        published.override_reason.as_deref(),
        Some("Rep resigned; cover the ZIP at once")
    );
    assert_eq!(
        field_of(
            service::put_lines(&store, &ops, cycle.id, &lines)
                .await
                .unwrap_err()
        ),
        "status",
        "published cycles are read-only"
    );

    assert_eq!(
        store
            .count_hcps(&principal(&store, "rep.t01").await.scope)
            .await
            .unwrap(),
        before1 - moving as i64
    );
    assert_eq!(
        store
            .count_hcps(&principal(&store, "rep.t02").await.scope)
            .await
            .unwrap(),
        before2 + moving as i64
    );
    let history = store
        .alignments_for(vec![zip.clone()])
        .await
        .unwrap()
        .remove(&zip)
        .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|a| (a.territory_id, a.effective.to))
            .collect::<Vec<_>>(),
        vec![(t01.id, Some(today)), (t02.id, None)],
        "history kept"
    );

    // Notices from the moment of publication: both reps and their manager; not T03.
    let notice = |p: Principal| {
        let store = store.clone();
        async move { service::notices(&store, &p).await.unwrap() }
    };
    let n1 = notice(principal(&store, "rep.t01").await).await;
    assert_eq!(n1.len(), 1);
    assert!(
        n1[0].title.contains("Q1 realignment")
            && n1[0].body.contains(&format!("{moving} HCP(s) leave")),
        "{n1:?}"
    );
    assert!(notice(principal(&store, "rep.t02").await).await[0]
        .body
        .contains(&format!("{moving} HCP(s) join")));
    assert_eq!(notice(principal(&store, "mgr.d01").await).await.len(), 1);
    assert!(notice(rep3).await.is_empty());
}

async fn a_future_publication_and_an_account_override(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let (ops, rep1, rep2) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t02").await,
    );
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let zip = store.zips_of_territory(t01.id).await.unwrap()[1].clone();
    let filter = pharmacrm_storage::accounts::AccountFilter::default();
    let account = store
        .account_page(&rep1.scope, &filter, None, 1)
        .await
        .unwrap()
        .items[0]
        .clone();

    let cycle = service::create(&store, &ops, "Key accounts").await.unwrap();
    let lines = DraftLines {
        zips: vec![DraftLine {
            key: zip.clone(),
            territory_id: t02.id,
        }],
        accounts: vec![DraftLine {
            key: account.id.to_string(),
            territory_id: t02.id,
        }],
    };
    service::put_lines(&store, &ops, cycle.id, &lines)
        .await
        .unwrap();
    let impact = service::impact_of(&store, &ops, cycle.id, today)
        .await
        .unwrap();
    let row1 = impact
        .territories
        .iter()
        .find(|t| t.territory.id == t01.id)
        .unwrap();
    assert!(row1.accounts_out >= 1);

    // Next quarter start, 30+ days ahead: no override needed; nothing moves before then.
    let on = next_quarter_start(today);
    service::publish(
        &store,
        &ops,
        cycle.id,
        &Publication {
            effective_from: on,
            override_reason: None,
        },
        today,
    )
    .await
    .unwrap();
    assert!(
        store
            .account(&rep1.scope, account.id)
            .await
            .unwrap()
            .is_some(),
        "still T01's until the effective date"
    );
    assert_eq!(
        store
            .territory_of_zip_on(&zip, on - Duration::days(1))
            .await
            .unwrap(),
        Some(t01.id)
    );
    assert_eq!(
        store.territory_of_zip_on(&zip, on).await.unwrap(),
        Some(t02.id),
        "calls from that day are T02's"
    );
    assert!(
        store
            .account_alignments_for(vec![account.id.to_string()])
            .await
            .unwrap()[&account.id.to_string()][0]
            .effective
            .from
            == on
    );
    let _ = rep2;

    // An override in force today moves the account whatever its ZIP.
    let now = service::create(&store, &ops, "Hospital to T02 now")
        .await
        .unwrap();
    let only_account = DraftLines {
        zips: vec![],
        accounts: vec![DraftLine {
            key: account.id.to_string(),
            territory_id: t02.id,
        }],
    };
    service::put_lines(&store, &ops, now.id, &only_account)
        .await
        .unwrap();
    service::publish(
        &store,
        &ops,
        now.id,
        &Publication {
            effective_from: today,
            override_reason: Some("IDN contract".into()),
        },
        today,
    )
    .await
    .unwrap();
    assert!(
        store
            .account(&rep1.scope, account.id)
            .await
            .unwrap()
            .is_none(),
        "no longer T01's"
    );
    let moved = store
        .account(&rep2.scope, account.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.territory.unwrap().id, t02.id);
}

/// A cycle published for a later date is never silently undone by one published for an
/// earlier date on the same ZIP: the second publication is refused and the first stands.
async fn a_cycle_cannot_silently_undo_a_later_published_one(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let ops = principal(&store, "ops").await;
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let t03 = store.org_unit_by_code("T03").await.unwrap().unwrap();
    let zip = store.zips_of_territory(t01.id).await.unwrap()[0].clone();
    let draft = |name: &'static str, to: uuid::Uuid| {
        let (store, ops, zip) = (store.clone(), ops.clone(), zip.clone());
        async move {
            let cycle = service::create(&store, &ops, name).await.unwrap();
            let lines = DraftLines {
                zips: vec![DraftLine {
                    key: zip,
                    territory_id: to,
                }],
                accounts: vec![],
            };
            service::put_lines(&store, &ops, cycle.id, &lines)
                .await
                .unwrap();
            cycle
        }
    };
    let later = draft("Q-next", t02.id).await;
    let quarter = next_quarter_start(today);
    let on_time = Publication {
        effective_from: quarter,
        override_reason: None,
    };
    service::publish(&store, &ops, later.id, &on_time, today)
        .await
        .unwrap();
    let sooner = draft("Urgent", t03.id).await;
    let tomorrow = Publication {
        effective_from: today + Duration::days(1),
        override_reason: Some("practice closing".into()),
    };
    match service::publish(&store, &ops, sooner.id, &tomorrow, today).await {
        Err(ServiceError::Conflict { code, message }) => {
            assert_eq!(code, pharmacrm_domain::code::Code::Conflict);
            assert!(message.contains("Q-next"), "{message}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        store.territory_of_zip_on(&zip, quarter).await.unwrap(),
        Some(t02.id),
        "the later cycle still moves the ZIP on its date"
    );
}

/// The impact a reader outside every move sees counts nothing, accounts included.
async fn impact_counts_only_the_moves_a_reader_may_see(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let (ops, rep1, rep3) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t03").await,
    );
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let filter = pharmacrm_storage::accounts::AccountFilter::default();
    let account = store
        .account_page(&rep1.scope, &filter, None, 1)
        .await
        .unwrap()
        .items[0]
        .clone();
    let cycle = service::create(&store, &ops, "One account").await.unwrap();
    let lines = DraftLines {
        zips: vec![],
        accounts: vec![DraftLine {
            key: account.id.to_string(),
            territory_id: t02.id,
        }],
    };
    service::put_lines(&store, &ops, cycle.id, &lines)
        .await
        .unwrap();
    service::open_review(&store, &ops, cycle.id).await.unwrap();
    let counts = |i: &service::RealignmentImpact| (i.hcps_moving, i.accounts_moving);
    let mine = service::impact_of(&store, &rep1, cycle.id, today)
        .await
        .unwrap();
    assert_eq!(counts(&mine), (0, 1), "T01 loses the account");
    let outside = service::impact_of(&store, &rep3, cycle.id, today)
        .await
        .unwrap();
    assert_eq!(counts(&outside), (0, 0), "T03 is not part of the move");
}

backend_tests!(
    a_cycle_cannot_silently_undo_a_later_published_one,
    impact_counts_only_the_moves_a_reader_may_see,
    field_review_marks_block_publishing_until_resolved,
    a_future_publication_and_an_account_override
);

//! Realignment cycles on both backends: draft lines, impact, field review marks blocking
//! publication, the 30-day / quarter-start rule, publication into the effective-dated
//! alignment, account overrides, notices to the reps and managers affected, and the
//! alignment read back as of any day with the changes still to come.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{field_of, principal};
use pharmacrm_domain::alignment::{AlignedKind, AlignedOn};
use pharmacrm_domain::clock::ManualClock;
use pharmacrm_domain::realignment::{DraftLine, MarkKind, RealignmentStatus, Resolution};
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::alignment::{self, AsOf, PageOf};
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

/// A draft of one ZIP moved to `to`, created by ops.
async fn zip_cycle(
    store: &Store,
    ops: &Principal,
    name: &str,
    zip: &str,
    to: uuid::Uuid,
) -> pharmacrm_domain::realignment::Realignment {
    let cycle = service::create(store, ops, name).await.unwrap();
    let lines = DraftLines {
        zips: vec![DraftLine {
            key: zip.to_string(),
            territory_id: to,
        }],
        accounts: vec![],
    };
    service::put_lines(store, ops, cycle.id, &lines)
        .await
        .unwrap();
    cycle
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn as_of(on: NaiveDate) -> AsOf {
    AsOf {
        on,
        territory: None,
        zip: None,
        kind: None,
        cursor: None,
        limit: None,
    }
}

/// The row of `zip` in the alignment a reader sees on `on` (`None`: not theirs that day).
async fn zip_on(store: &Store, who: &Principal, zip: &str, on: NaiveDate) -> Option<AlignedOn> {
    let query = AsOf {
        zip: Some(zip.to_string()),
        ..as_of(on)
    };
    let page = alignment::as_of(store, who, &query).await.unwrap();
    page.items.into_iter().find(|r| r.key == zip)
}

/// Cycle Y moves ZIP Z to T04 from tomorrow (short notice, with a reason), cycle B moves it on
/// to T02 from 1 April 2027. The alignment read on any day names the territory and the cycle
/// that put Z there, and the scheduled changes list both moves, soonest first, until the
/// first has taken effect.
async fn the_alignment_on_any_day_and_the_changes_to_come_follow_the_published_cycles(
    store: Store,
) {
    let clock = ManualClock::on(day("2027-01-15"));
    let store = store.with_clock(clock.clone());
    populate_small(&store, "x").await;
    let today = store.today();
    let ops = principal(&store, "ops").await;
    let code = |t: &Option<pharmacrm_domain::org::TerritoryRef>| {
        t.as_ref().map(|t| t.code.clone()).unwrap_or_default()
    };
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let t04 = store.org_unit_by_code("T04").await.unwrap().unwrap();
    let z = store.zips_of_territory(t01.id).await.unwrap()[0].clone();

    let y = zip_cycle(&store, &ops, "Y", &z, t04.id).await;
    let tomorrow = Publication {
        effective_from: today + Duration::days(1),
        override_reason: Some("practice closing".into()),
    };
    service::publish(&store, &ops, y.id, &tomorrow, today)
        .await
        .unwrap();
    let b = zip_cycle(&store, &ops, "B", &z, t02.id).await;
    let april = Publication {
        effective_from: day("2027-04-01"),
        override_reason: None,
    };
    service::publish(&store, &ops, b.id, &april, today)
        .await
        .unwrap();

    let today_row = zip_on(&store, &ops, &z, today).await.unwrap();
    assert_eq!(today_row.territory.id, t01.id, "Z is T01's until tomorrow");
    assert_eq!(today_row.cycle, None, "the initial alignment has no cycle");
    assert_eq!(today_row.until, Some(today + Duration::days(1)));
    let february = zip_on(&store, &ops, &z, day("2027-02-01")).await.unwrap();
    assert_eq!(february.territory.id, t04.id);
    assert_eq!(february.cycle.as_ref().map(|c| c.id), Some(y.id));
    assert_eq!(february.since, today + Duration::days(1));
    assert_eq!(february.until, Some(day("2027-04-01")));
    let june = zip_on(&store, &ops, &z, day("2027-06-30")).await.unwrap();
    assert_eq!(june.territory.id, t02.id, "on 2027-06-30 Z sits in T02");
    assert_eq!(june.cycle.as_ref().map(|c| c.name.as_str()), Some("B"));
    assert_eq!((june.since, june.until), (day("2027-04-01"), None));

    let scheduled = alignment::scheduled(&store, &ops, today, None, &PageOf::default())
        .await
        .unwrap();
    let moves: Vec<_> = scheduled
        .items
        .iter()
        .map(|c| {
            (
                c.key.as_str(),
                code(&c.from_territory),
                c.to_territory.code.as_str(),
                c.effective_from,
                c.cycle.as_ref().map(|c| c.name.as_str()),
                c.reason.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        vec![
            (
                z.as_str(),
                "T01".to_string(),
                "T04",
                today + Duration::days(1),
                Some("Y"),
                Some("practice closing")
            ),
            (
                z.as_str(),
                "T04".to_string(),
                "T02",
                day("2027-04-01"),
                Some("B"),
                None
            ),
        ]
    );

    // The cycles still read as published, and publishing the earlier move now would undo B.
    for cycle in [y.id, b.id] {
        let r = service::get(&store, &ops, cycle).await.unwrap();
        assert_eq!(r.status, RealignmentStatus::Published);
    }
    let late = zip_cycle(&store, &ops, "Late", &z, t01.id).await;
    assert!(matches!(
        service::publish(&store, &ops, late.id, &tomorrow, today).await,
        Err(ServiceError::Conflict { .. })
    ));

    // Once Y has taken effect, only B is still to come.
    clock.advance(Duration::days(20));
    let later = alignment::scheduled(&store, &ops, store.today(), None, &PageOf::default())
        .await
        .unwrap();
    assert_eq!(
        later
            .items
            .iter()
            .map(|c| c.cycle.as_ref().map(|c| c.id))
            .collect::<Vec<_>>(),
        vec![Some(b.id)]
    );
}

/// A rep reads only the rows of their territory and the changes out of or into it; a manager
/// those of the district; a page walk covers every row once; bad questions name their field.
async fn a_rep_reads_only_their_territorys_alignment(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let (ops, rep1, rep2, manager, marketing) = (
        principal(&store, "ops").await,
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t02").await,
        principal(&store, "mgr.d01").await,
        principal(&store, "marketing").await,
    );
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t03 = store.org_unit_by_code("T03").await.unwrap().unwrap();
    let t04 = store.org_unit_by_code("T04").await.unwrap().unwrap();
    let filter = pharmacrm_storage::accounts::AccountFilter::default();
    let account = store
        .account_page(&rep1.scope, &filter, None, 1)
        .await
        .unwrap()
        .items[0]
        .clone();
    let z = store.zips_of_territory(t03.id).await.unwrap()[0].clone();
    let cycle = zip_cycle(&store, &ops, "T03 ZIP to T04, account to T03", &z, t04.id).await;
    let account_line = DraftLines {
        zips: vec![],
        accounts: vec![DraftLine {
            key: account.id.to_string(),
            territory_id: t03.id,
        }],
    };
    service::put_lines(&store, &ops, cycle.id, &account_line)
        .await
        .unwrap();
    let quarter = next_quarter_start(today);
    let on_time = Publication {
        effective_from: quarter,
        override_reason: None,
    };
    service::publish(&store, &ops, cycle.id, &on_time, today)
        .await
        .unwrap();

    // Every page, seven rows at a time.
    let walk = |who: Principal, on: NaiveDate| {
        let store = store.clone();
        async move {
            let mut rows = Vec::new();
            let mut cursor = None;
            loop {
                let query = AsOf {
                    cursor,
                    limit: Some(7),
                    ..as_of(on)
                };
                let page = alignment::as_of(&store, &who, &query).await.unwrap();
                rows.extend(page.items);
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => return rows,
                }
            }
        }
    };
    let codes = |rows: &[AlignedOn]| {
        rows.iter()
            .map(|r| r.territory.code.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let everything = walk(ops.clone(), quarter).await;
    assert_eq!(
        codes(&everything).into_iter().collect::<Vec<_>>(),
        ["T01", "T02", "T03", "T04"]
    );
    let keys: std::collections::BTreeSet<_> =
        everything.iter().map(|r| (r.kind, r.key.clone())).collect();
    assert_eq!(keys.len(), everything.len(), "no row twice across pages");
    let overrides: Vec<_> = everything
        .iter()
        .filter(|r| r.kind == AlignedKind::Account)
        .collect();
    assert_eq!(overrides.len(), 1, "the one override, after the ZIPs");
    assert_eq!(everything.last().unwrap().kind, AlignedKind::Account);
    assert_eq!(
        overrides[0].account.as_ref().map(|a| a.id),
        Some(account.id)
    );
    assert_eq!(overrides[0].cycle.as_ref().map(|c| c.id), Some(cycle.id));

    let mine = walk(rep1.clone(), quarter).await;
    assert_eq!(codes(&mine).into_iter().collect::<Vec<_>>(), ["T01"]);
    assert_eq!(
        mine.len(),
        store.zips_of_territory(t01.id).await.unwrap().len(),
        "T01's ZIPs; the account has left for T03"
    );
    let district = walk(manager.clone(), quarter).await;
    assert_eq!(
        codes(&district).into_iter().collect::<Vec<_>>(),
        ["T01", "T02"]
    );
    assert!(
        zip_on(&store, &rep1, &z, today).await.is_none(),
        "another territory's ZIP is not found"
    );

    // Scheduled: rep.t01 loses the account, rep.t02 is not concerned.
    let scheduled_for = |who: Principal| {
        let store = store.clone();
        async move {
            alignment::scheduled(&store, &who, today, None, &PageOf::default())
                .await
                .unwrap()
                .items
        }
    };
    let for_rep1 = scheduled_for(rep1.clone()).await;
    assert_eq!(for_rep1.len(), 1);
    assert_eq!(for_rep1[0].kind, AlignedKind::Account);
    assert_eq!(
        for_rep1[0].from_territory.as_ref().map(|t| t.id),
        Some(t01.id),
        "a first override moves the account from its ZIP's territory"
    );
    assert!(scheduled_for(rep2.clone()).await.is_empty());
    let for_ops = scheduled_for(ops.clone()).await;
    assert_eq!(
        for_ops.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [AlignedKind::Zip, AlignedKind::Account],
        "ZIPs before accounts on the same day"
    );

    // Bounded questions.
    let bad = AsOf {
        on: day("1800-01-01"),
        zip: Some("12a".into()),
        limit: Some(201),
        ..as_of(today)
    };
    assert_eq!(
        field_of(alignment::as_of(&store, &ops, &bad).await.unwrap_err()),
        "on,zip,limit"
    );
    let forged = AsOf {
        cursor: Some("not a cursor".into()),
        ..as_of(today)
    };
    assert_eq!(
        field_of(alignment::as_of(&store, &ops, &forged).await.unwrap_err()),
        "cursor"
    );
    assert!(matches!(
        alignment::as_of(&store, &marketing, &as_of(today)).await,
        Err(ServiceError::Forbidden(_))
    ));
}

backend_tests!(
    the_alignment_on_any_day_and_the_changes_to_come_follow_the_published_cycles,
    a_rep_reads_only_their_territorys_alignment,
    a_cycle_cannot_silently_undo_a_later_published_one,
    impact_counts_only_the_moves_a_reader_may_see,
    field_review_marks_block_publishing_until_resolved,
    a_future_publication_and_an_account_override
);

//! Targeting versions on both backends: drafts, validation, publication with an effective
//! date, coming into force on that date, earlier versions staying readable.
// Scenario tests read as one story, start to end, however long.
#![allow(clippy::too_many_lines)]

mod common;

use chrono::Duration;
use common::{field_of, principal};
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::targeting::{CycleKind, VersionState};
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::targeting::{self, VersionInput};
use pharmacrm_service::ServiceError;
use pharmacrm_storage::Store;

async fn a_version_comes_into_force_on_its_date_and_earlier_ones_stay_readable(store: Store) {
    populate_small(&store, "x").await;
    let ops = principal(&store, "ops").await;
    let today = store.today();
    let versions = store.targeting_versions().await.unwrap();
    let v1 = versions.iter().find(|v| v.number == 1).unwrap().clone();
    assert_eq!(
        (v1.state, v1.cycle),
        (VersionState::InForce, CycleKind::Month)
    );
    assert!(v1.segments > 0, "the demo's segmentation is version 1's");
    assert_eq!(
        versions.iter().find(|v| v.number == 2).unwrap().state,
        VersionState::Draft
    );

    let rep = principal(&store, "rep.t01").await;
    let input = VersionInput {
        name: "Quarterly".into(),
        cycle: "quarter".into(),
        note: None,
    };
    assert!(matches!(
        targeting::create(&store, &rep, &input).await,
        Err(ServiceError::Forbidden(_))
    ));
    let bad = VersionInput {
        name: " ".into(),
        cycle: "week".into(),
        note: None,
    };
    assert_eq!(
        field_of(targeting::create(&store, &ops, &bad).await.unwrap_err()),
        "name,cycle"
    );
    let draft = targeting::create(&store, &ops, &input).await.unwrap();
    assert_eq!(
        draft.frequencies, v1.frequencies,
        "a draft starts from the frequencies in force"
    );

    let cardivex = store
        .products()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.brand == "Cardivex")
        .unwrap()
        .id;
    let mut rows = draft.frequencies.clone();
    let i = rows
        .iter()
        .position(|f| f.product_id == cardivex && f.tier == Tier::A)
        .unwrap();
    rows[i].calls = 93;
    let err = targeting::set_frequencies(&store, &ops, draft.id, &rows)
        .await
        .unwrap_err();
    assert_eq!(
        field_of(err),
        format!("frequencies[{i}].calls"),
        "at most 92 calls a quarter"
    );
    rows[i].calls = 9;
    targeting::set_frequencies(&store, &ops, draft.id, &rows)
        .await
        .unwrap();

    // Segmentation edited on screen: checked as a whole.
    let hcp = store
        .hcp_records(
            &pharmacrm_domain::access::Scope::All,
            &Default::default(),
            None,
            1,
        )
        .await
        .unwrap()
        .0[0]
        .id;
    let row = |decile| targeting::SegmentInput {
        hcp_id: hcp,
        product_id: cardivex,
        tier: None,
        decile,
    };
    let err = targeting::put_segments(&store, &ops, draft.id, &[row(9), row(11)])
        .await
        .unwrap_err();
    assert_eq!(field_of(err), "segments[1].decile");
    assert_eq!(
        store.targeting_version(draft.id).await.unwrap().segments,
        0,
        "nothing written"
    );
    assert_eq!(
        targeting::put_segments(&store, &ops, draft.id, &[row(9)])
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(
        store
            .targeting_version_segments(draft.id, 0, 10)
            .await
            .unwrap()[0]
            .tier,
        Tier::A,
        "a blank tier follows from the decile"
    );

    let err = targeting::publish(&store, &ops, draft.id, today - Duration::days(1), today)
        .await
        .unwrap_err();
    assert_eq!(field_of(err), "effective_from");
    let on = today + Duration::days(10);
    let published = targeting::publish(&store, &ops, draft.id, on, today)
        .await
        .unwrap();
    assert_eq!(published.state, VersionState::Scheduled);
    let in_force = store.frequency_targets(None).await.unwrap();
    assert!(
        in_force.iter().all(|t| t.cycle == CycleKind::Month),
        "nothing changes before the effective date"
    );
    assert_eq!(
        field_of(
            targeting::update(&store, &ops, draft.id, &input)
                .await
                .unwrap_err()
        ),
        "status",
        "a published version is read-only"
    );

    let system = pharmacrm_domain::audit::Actor::system("scheduler");
    assert_eq!(
        targeting::apply_due(&store, &system, today).await.unwrap(),
        0
    );
    assert_eq!(targeting::apply_due(&store, &system, on).await.unwrap(), 1);
    assert_eq!(
        targeting::apply_due(&store, &system, on).await.unwrap(),
        0,
        "applied once"
    );
    let in_force = store.frequency_targets(None).await.unwrap();
    assert!(in_force
        .iter()
        .all(|t| t.cycle == CycleKind::Quarter && t.targeting_version_id == Some(draft.id)));
    assert_eq!(
        in_force
            .iter()
            .find(|t| t.product_id == cardivex && t.tier == Tier::A)
            .unwrap()
            .calls,
        9
    );

    let versions = store.targeting_versions().await.unwrap();
    let old = versions.iter().find(|v| v.number == 1).unwrap();
    assert_eq!(old.state, VersionState::Superseded);
    assert_eq!(
        old.frequencies, v1.frequencies,
        "the earlier version stays readable"
    );
    assert_eq!(
        store
            .targeting_version_segments(old.id, 0, 5)
            .await
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        versions.iter().find(|v| v.id == draft.id).unwrap().state,
        VersionState::InForce
    );

    // Reports follow the plan cycle in force: a quarter, targets scaled for a month.
    let report = pharmacrm_service::reports::frequency(&store, &ops, None, None, on)
        .await
        .unwrap();
    assert_eq!(report.cycle.kind, CycleKind::Quarter);
    let month = pharmacrm_domain::targeting::Cycle::month_of(on);
    let monthly = pharmacrm_service::reports::frequency(&store, &ops, Some(month), None, on)
        .await
        .unwrap();
    let (q, m): (u32, u32) = (
        report.totals.iter().map(|t| t.target_calls).sum(),
        monthly.totals.iter().map(|t| t.target_calls).sum(),
    );
    assert!(
        m * 3 >= q && m < q,
        "a month asks a third of a quarter, rounded up per HCP: {m} vs {q}"
    );
}

backend_tests!(a_version_comes_into_force_on_its_date_and_earlier_ones_stay_readable);

//! Reps leaving and moving on both backends: vacancy, HCPs kept on the territory, history;
//! calls judged where the HCP was and under the alignment in force at the call's time.

mod common;

use chrono::Duration;
use common::{principal, push_call as call};
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::clock::ManualClock;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_domain::views::Hcp;
use pharmacrm_fixtures::{backend_tests, populate_small, scope_of};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::org::{leave, move_to, territory_history, territory_overview};
use pharmacrm_storage::Store;

async fn a_rep_leaving_leaves_a_vacant_territory_with_its_hcps(store: Store) {
    populate_small(&store, "x").await;
    let ops = principal(&store, "ops").await;
    let today = store.today();
    let before = territory_overview(&store, &ops, today).await.unwrap();
    assert!(before
        .iter()
        .all(|t| !t.vacant && t.reps.len() == 1 && t.hcps == 100));
    assert_eq!(before[0].district.as_ref().unwrap().code, "D01");
    assert_eq!(before[0].region.as_ref().unwrap().code, "R1");

    let actor = Actor::system("ops");
    leave(&store, &actor, "rep.t02", today).await.unwrap();
    let after = territory_overview(&store, &ops, today).await.unwrap();
    let t02 = after.iter().find(|t| t.territory.code == "T02").unwrap();
    assert!(t02.vacant);
    assert_eq!(t02.vacant_since, Some(today));
    assert_eq!(
        t02.hcps, 100,
        "the HCPs stay aligned to the vacant territory"
    );
    assert_eq!(
        scope_of(&store, "rep.t02").await,
        pharmacrm_domain::access::Scope::Territories(vec![]),
        "the leaver sees nothing"
    );
    let history = territory_history(&store, &ops, t02.territory.id)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].username.as_str(), history[0].to),
        ("rep.t02", Some(today))
    );
    let again = leave(&store, &actor, "rep.t02", today)
        .await
        .unwrap_err()
        .to_string();
    assert!(again.contains("no assignment in force"), "{again}");
}

async fn a_rep_moving_covers_the_new_territory_and_history_shows_both(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let actor = Actor::system("ops");
    let ops = principal(&store, "ops").await;
    leave(&store, &actor, "rep.t02", today).await.unwrap();
    let tomorrow = today + Duration::days(1);
    move_to(&store, &actor, "rep.t01", "T02", tomorrow)
        .await
        .unwrap();
    // Until tomorrow rep.t01 still covers T01; then T02, and T01 becomes vacant.
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    assert_eq!(
        scope_of(&store, "rep.t01").await,
        pharmacrm_domain::access::Scope::Territories(vec![t01.id])
    );
    let (rep, _) = store.user_credentials("rep.t01").await.unwrap().unwrap();
    assert_eq!(
        store.scope_of_on(rep.id, rep.role, tomorrow).await.unwrap(),
        pharmacrm_domain::access::Scope::Territories(vec![t02.id])
    );
    let on_tomorrow = territory_overview(&store, &ops, tomorrow).await.unwrap();
    assert!(
        on_tomorrow
            .iter()
            .find(|t| t.territory.code == "T01")
            .unwrap()
            .vacant
    );
    let t02_view = on_tomorrow
        .iter()
        .find(|t| t.territory.code == "T02")
        .unwrap();
    assert_eq!(
        t02_view
            .reps
            .iter()
            .map(|r| r.username.as_str())
            .collect::<Vec<_>>(),
        vec!["rep.t01"]
    );
    let history: Vec<(String, Option<chrono::NaiveDate>)> = territory_history(&store, &ops, t02.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.username, c.to))
        .collect();
    assert_eq!(
        history,
        vec![
            ("rep.t02".to_string(), Some(today)),
            ("rep.t01".to_string(), None)
        ]
    );
    let err = move_to(&store, &actor, "rep.t01", "D01", tomorrow)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not a territory"), "{err}");
    let manager = principal(&store, "mgr.d02").await;
    assert!(
        territory_history(&store, &manager, t02.id).await.is_err(),
        "another district's territory is not found"
    );
}

/// An active HCP of `rep`'s territory with no do-not-call or blacklist flag.
async fn callable_hcp(store: &Store, rep: &Principal) -> Hcp {
    let page = store
        .hcp_page(&rep.scope, &Default::default(), None, 50)
        .await
        .unwrap();
    let ids: Vec<uuid::Uuid> = page.items.iter().map(|h| h.id).collect();
    store
        .hcp_profiles(&rep.scope, &ids)
        .await
        .unwrap()
        .into_iter()
        .find(|h| {
            h.status == pharmacrm_domain::hcp::HcpStatus::Active
                && h.do_not_call.is_none()
                && h.blacklist.is_none()
        })
        .unwrap()
}

/// Ops moves an HCP's office into a ZIP of T02 an hour ago; a call rep.t01 made offline
/// before the move arrives afterwards and is judged where the HCP was then.
async fn a_call_made_before_an_office_move_counts_where_the_hcp_was(store: Store) {
    populate_small(&store, "x").await;
    let clock = ManualClock::at(store.now());
    let store = store.with_clock(clock.clone());
    let (rep1, rep2) = (
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t02").await,
    );
    let hcp = callable_hcp(&store, &rep1).await;
    let (t01, t02) = (
        store.org_unit_by_code("T01").await.unwrap().unwrap(),
        store.org_unit_by_code("T02").await.unwrap().unwrap(),
    );
    let called_before_the_move = store.now() - Duration::hours(2);
    let stored = store.hcp_records_by_id(&[hcp.id]).await.unwrap()[&hcp.id].clone();
    let mut moved = stored.record.clone();
    moved.address.zip = store.zips_of_territory(t02.id).await.unwrap()[0].clone();
    store
        .update_hcp(&Actor::system("ops"), hcp.id, &stored.record, &moved)
        .await
        .unwrap();
    clock.advance(Duration::hours(1));

    let (status, id) = call(&store, &rep1, hcp.id, called_before_the_move).await;
    assert_eq!(
        status,
        MutationStatus::AppliedWithFlag,
        "kept, flagged as moved since"
    );
    let kept = store.call_by_id(id).await.unwrap().unwrap();
    assert_eq!(
        kept.territory_id,
        Some(t01.id),
        "attributed where the HCP was"
    );
    let after_the_move = store.now() - Duration::minutes(10);
    let (status, _) = call(&store, &rep1, hcp.id, after_the_move).await;
    assert_eq!(status, MutationStatus::Rejected);
    let (status, id) = call(&store, &rep2, hcp.id, after_the_move).await;
    assert_eq!(status, MutationStatus::Applied);
    let theirs = store.call_by_id(id).await.unwrap().unwrap();
    assert_eq!(theirs.territory_id, Some(t02.id));
}

/// A realignment published at 14:00 for today moves the HCP's ZIP from T01 to T02: a call
/// rep.t01 made at 10:00 that day is kept with T01; from 14:00 on the ZIP is T02's.
async fn a_same_day_realignment_applies_from_its_publication(store: Store) {
    populate_small(&store, "x").await;
    let today = store.today();
    let at = |h: u32, m: u32| today.and_hms_opt(h, m, 0).unwrap().and_utc();
    let clock = ManualClock::at(at(14, 0));
    let store = store.with_clock(clock.clone());
    let (rep1, rep2) = (
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t02").await,
    );
    let hcp = callable_hcp(&store, &rep1).await;
    let (t01, t02) = (
        store.org_unit_by_code("T01").await.unwrap().unwrap(),
        store.org_unit_by_code("T02").await.unwrap().unwrap(),
    );
    let zip = hcp.address.zip.clone();
    store
        .align_zips(&Actor::system("ops"), &[(zip.clone(), t02.id)], today)
        .await
        .unwrap();
    assert_eq!(
        store.territory_of_zip_at(&zip, at(13, 59)).await.unwrap(),
        Some(t01.id)
    );
    assert_eq!(
        store.territory_of_zip_at(&zip, at(14, 1)).await.unwrap(),
        Some(t02.id)
    );
    clock.advance(Duration::hours(1));

    let (status, id) = call(&store, &rep1, hcp.id, at(10, 0)).await;
    assert_eq!(
        status,
        MutationStatus::AppliedWithFlag,
        "kept, flagged as realigned since"
    );
    let kept = store.call_by_id(id).await.unwrap().unwrap();
    assert_eq!(kept.territory_id, Some(t01.id));
    let (status, _) = call(&store, &rep1, hcp.id, at(14, 30)).await;
    assert_eq!(status, MutationStatus::Rejected);
    let (status, id) = call(&store, &rep2, hcp.id, at(14, 30)).await;
    assert_eq!(status, MutationStatus::Applied);
    let theirs = store.call_by_id(id).await.unwrap().unwrap();
    assert_eq!(theirs.territory_id, Some(t02.id));
}

async fn calls_split_across_a_midyear_realignment(store: Store) {
    use pharmacrm_service::reports::attribution;
    populate_small(&store, "x").await;
    let today = store.today();
    let (rep1, rep2, ops) = (
        principal(&store, "rep.t01").await,
        principal(&store, "rep.t02").await,
        principal(&store, "ops").await,
    );
    let hcp = callable_hcp(&store, &rep1).await;
    let (t01, t02) = (
        store.org_unit_by_code("T01").await.unwrap().unwrap(),
        store.org_unit_by_code("T02").await.unwrap().unwrap(),
    );
    let from = today - Duration::days(40);
    let before = attribution(&store, &ops, from, today).await.unwrap();
    // The HCP's ZIP moves from T01 to T02 twenty days ago.
    let realigned = today - Duration::days(20);
    store
        .align_zips(
            &Actor::system("ops"),
            &[(hcp.address.zip.clone(), t02.id)],
            realigned,
        )
        .await
        .unwrap();
    let noon = |d: chrono::NaiveDate| d.and_hms_opt(12, 0, 0).unwrap().and_utc();
    let (status, old_call) = call(&store, &rep1, hcp.id, noon(realigned - Duration::days(5))).await;
    assert!(status.is_applied(), "{status:?}");
    let (status, new_call) = call(&store, &rep2, hcp.id, noon(realigned + Duration::days(3))).await;
    assert_eq!(status, MutationStatus::Applied);
    let (old_call, new_call) = (
        store.call_by_id(old_call).await.unwrap().unwrap(),
        store.call_by_id(new_call).await.unwrap().unwrap(),
    );
    assert_eq!(
        (old_call.territory_id, new_call.territory_id),
        (Some(t01.id), Some(t02.id))
    );
    assert_eq!(old_call.district_id, t01.parent_id);
    assert!(old_call.region_id.is_some());
    // rep.t01 can no longer report on the HCP after the realignment.
    let (status, _) = call(&store, &rep1, hcp.id, noon(realigned + Duration::days(4))).await;
    assert_eq!(status, MutationStatus::Rejected);
    let after = attribution(&store, &ops, from, today).await.unwrap();
    let count = |r: &pharmacrm_analytics::attribution::AttributionReport, code: &str| {
        r.territories
            .iter()
            .chain(&r.districts)
            .chain(&r.regions)
            .find(|u| u.code == code)
            .map_or(0, |u| u.calls)
    };
    assert_eq!(
        count(&after, "T01") - count(&before, "T01"),
        1,
        "the call before the realignment stays with T01"
    );
    assert_eq!(
        count(&after, "T02") - count(&before, "T02"),
        1,
        "the call after it counts for T02"
    );
    assert_eq!(count(&after, "D01") - count(&before, "D01"), 2);
    assert_eq!(after.total - before.total, 2);
    let by_territory: u32 = after.territories.iter().map(|t| t.calls).sum();
    assert_eq!(
        by_territory + after.unattributed,
        after.total,
        "no call falls into neither territory"
    );
    let manager = principal(&store, "mgr.d02").await;
    let theirs = attribution(&store, &manager, from, today).await.unwrap();
    assert!(theirs
        .territories
        .iter()
        .all(|t| t.code == "T03" || t.code == "T04"));
}

backend_tests!(
    a_rep_leaving_leaves_a_vacant_territory_with_its_hcps,
    a_rep_moving_covers_the_new_territory_and_history_shows_both,
    calls_split_across_a_midyear_realignment,
    a_call_made_before_an_office_move_counts_where_the_hcp_was,
    a_same_day_realignment_applies_from_its_publication,
);

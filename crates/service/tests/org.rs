//! Reps leaving and moving on both backends: vacancy, HCPs kept on the territory, history.

use chrono::Duration;
use pharmacrm_domain::audit::Actor;
use pharmacrm_fixtures::{backend_tests, populate_small, scope_of};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::org::{leave, move_to, territory_history, territory_overview};
use pharmacrm_storage::Store;

async fn principal(store: &Store, username: &str) -> Principal {
    let (user, _) = store.user_credentials(username).await.unwrap().unwrap();
    let scope = store.scope_of(user.id, user.role).await.unwrap();
    Principal { user, scope }
}

async fn a_rep_leaving_leaves_a_vacant_territory_with_its_hcps(store: Store) {
    populate_small(&store, "x").await;
    let ops = principal(&store, "ops").await;
    let today = pharmacrm_storage::today();
    let before = territory_overview(&store, &ops, today).await.unwrap();
    assert!(before.iter().all(|t| !t.vacant && t.reps.len() == 1 && t.hcps == 100));
    assert_eq!(before[0].district.as_ref().unwrap().code, "D01");
    assert_eq!(before[0].region.as_ref().unwrap().code, "R1");

    let actor = Actor::system("ops");
    leave(&store, &actor, "rep.t02", today).await.unwrap();
    let after = territory_overview(&store, &ops, today).await.unwrap();
    let t02 = after.iter().find(|t| t.territory.code == "T02").unwrap();
    assert!(t02.vacant);
    assert_eq!(t02.vacant_since, Some(today));
    assert_eq!(t02.hcps, 100, "the HCPs stay aligned to the vacant territory");
    assert_eq!(scope_of(&store, "rep.t02").await, pharmacrm_domain::access::Scope::Territories(vec![]), "the leaver sees nothing");
    let history = territory_history(&store, &ops, t02.territory.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].username.as_str(), history[0].to), ("rep.t02", Some(today)));
    let again = leave(&store, &actor, "rep.t02", today).await.unwrap_err().to_string();
    assert!(again.contains("no assignment in force"), "{again}");
}

async fn a_rep_moving_covers_the_new_territory_and_history_shows_both(store: Store) {
    populate_small(&store, "x").await;
    let today = pharmacrm_storage::today();
    let actor = Actor::system("ops");
    let ops = principal(&store, "ops").await;
    leave(&store, &actor, "rep.t02", today).await.unwrap();
    let tomorrow = today + Duration::days(1);
    move_to(&store, &actor, "rep.t01", "T02", tomorrow).await.unwrap();
    // Until tomorrow rep.t01 still covers T01; then T02, and T01 becomes vacant.
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    assert_eq!(scope_of(&store, "rep.t01").await, pharmacrm_domain::access::Scope::Territories(vec![t01.id]));
    let (rep, _) = store.user_credentials("rep.t01").await.unwrap().unwrap();
    assert_eq!(store.scope_of_on(rep.id, rep.role, tomorrow).await.unwrap(), pharmacrm_domain::access::Scope::Territories(vec![t02.id]));
    let on_tomorrow = territory_overview(&store, &ops, tomorrow).await.unwrap();
    assert!(on_tomorrow.iter().find(|t| t.territory.code == "T01").unwrap().vacant);
    let t02_view = on_tomorrow.iter().find(|t| t.territory.code == "T02").unwrap();
    assert_eq!(t02_view.reps.iter().map(|r| r.username.as_str()).collect::<Vec<_>>(), vec!["rep.t01"]);
    let history: Vec<(String, Option<chrono::NaiveDate>)> =
        territory_history(&store, &ops, t02.id).await.unwrap().into_iter().map(|c| (c.username, c.to)).collect();
    assert_eq!(history, vec![("rep.t02".to_string(), Some(today)), ("rep.t01".to_string(), None)]);
    let err = move_to(&store, &actor, "rep.t01", "D01", tomorrow).await.unwrap_err().to_string();
    assert!(err.contains("is not a territory"), "{err}");
    let manager = principal(&store, "mgr.d02").await;
    assert!(territory_history(&store, &manager, t02.id).await.is_err(), "another district's territory is not found");
}

backend_tests!(
    a_rep_leaving_leaves_a_vacant_territory_with_its_hcps,
    a_rep_moving_covers_the_new_territory_and_history_shows_both,
);

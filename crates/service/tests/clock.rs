//! Time is a parameter: a store reads "now" from the clock it is given, so rules that depend
//! on the date run at any date, and time passes in a test without sleeping.

mod common;

use chrono::{Duration, NaiveDate};
use common::push_call;
use pharmacrm_domain::clock::ManualClock;
use pharmacrm_domain::hcp::HcpStatus;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_fixtures::{backend_tests, populate_small};
use pharmacrm_service::auth::{self, hash_password};
use pharmacrm_service::ServiceError;
use pharmacrm_storage::Store;

const PASSWORD: &str = "a long enough test password";

/// A store whose clock stands at midday on 28 February 2031 (a day before a month ends).
async fn store_on_the_last_day_of_february_2031(
    store: Store,
) -> (Store, std::sync::Arc<ManualClock>) {
    let clock = ManualClock::on(NaiveDate::from_ymd_opt(2031, 2, 28).expect("a date"));
    let store = store.with_clock(clock.clone());
    populate_small(&store, &hash_password(PASSWORD).expect("a hash")).await;
    (store, clock)
}

async fn a_session_ends_twelve_hours_after_sign_in_without_waiting(store: Store) {
    let (store, clock) = store_on_the_last_day_of_february_2031(store).await;
    let session = auth::login(&store, "rep.t01", PASSWORD).await.unwrap();
    assert!(
        session.expires_at.starts_with("2031-03-01T00:00:00"),
        "{}",
        session.expires_at
    );
    clock.advance(Duration::hours(11));
    assert!(auth::authenticate(&store, &session.token).await.is_ok());
    clock.advance(Duration::hours(2));
    assert!(matches!(
        auth::authenticate(&store, &session.token).await,
        Err(ServiceError::Unauthenticated)
    ));
}

async fn a_call_later_than_the_clocks_now_is_refused_until_that_time_comes(store: Store) {
    let (store, clock) = store_on_the_last_day_of_february_2031(store).await;
    let rep = common::principal(&store, "rep.t01").await;
    let hcp = store
        .hcp_page(&rep.scope, &Default::default(), None, 50)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|h| !h.do_not_call && h.status == HcpStatus::Active)
        .expect("a callable HCP")
        .id;
    let at_three = store.now() + Duration::hours(3);
    let (status, _) = push_call(&store, &rep, hcp, at_three).await;
    assert_eq!(
        status,
        MutationStatus::Rejected,
        "three hours ahead is in the future"
    );
    clock.advance(Duration::hours(4));
    let (status, call) = push_call(&store, &rep, hcp, at_three).await;
    assert!(status.is_applied(), "{status:?}");
    let stored = store.call_by_id(call).await.unwrap().unwrap();
    assert!(
        stored.submitted_at.starts_with("2031-02-28T16:00:00"),
        "submitted at the clock's time: {}",
        stored.submitted_at
    );
}

backend_tests!(
    a_session_ends_twelve_hours_after_sign_in_without_waiting,
    a_call_later_than_the_clocks_now_is_refused_until_that_time_comes,
);

//! Helpers shared by the service test suites: a signed-in user's principal, the fields a
//! validation error names, and the HCPs and lots a sample scenario gives from.

use pharmacrm_service::auth::Principal;
use pharmacrm_service::ServiceError;
use pharmacrm_storage::Store;

/// The principal of a demo user, with their scope today.
pub async fn principal(store: &Store, username: &str) -> Principal {
    let (user, _) = store.user_credentials(username).await.unwrap().unwrap();
    let scope = store.scope_of(user.id, user.role).await.unwrap();
    Principal { user, scope }
}

/// The fields a validation error names, comma-separated; panics on any other error.
#[allow(dead_code)]
pub fn field_of(err: ServiceError) -> String {
    match err {
        ServiceError::Validation(e) => {
            e.0.iter()
                .map(|f| f.field.clone())
                .collect::<Vec<_>>()
                .join(",")
        }
        other => panic!("expected a validation error, got {other}"),
    }
}

/// A call report on `hcp` at `at` pushed by `who` through sync; returns the mutation's
/// status and the call's id.
#[allow(dead_code)]
pub async fn push_call(
    store: &Store,
    who: &Principal,
    hcp: uuid::Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> (pharmacrm_domain::mutation::MutationStatus, uuid::Uuid) {
    use pharmacrm_service::sync::{push, PushRequest, ReceivedMutation};
    let id = pharmacrm_domain::new_id();
    let payload = serde_json::json!({"id": id, "call_type": "in_person", "hcp_ids": [hcp], "called_at": at,
        "outcome": "interested", "next_step": "follow_up_visit"});
    let m = ReceivedMutation {
        id: pharmacrm_domain::new_id(),
        client_ts: at.to_rfc3339(),
        kind: "call.submit".into(),
        payload,
        undeclared: Default::default(),
    };
    let out = push(
        store,
        who,
        &PushRequest {
            client_id: pharmacrm_domain::new_id(),
            mutations: vec![m],
        },
    )
    .await
    .unwrap();
    (out.results[0].status, id)
}

/// HCPs of the rep's territory who may receive samples (active, licensed, not flagged).
#[allow(dead_code)]
pub async fn eligible(store: &Store, rep: &Principal) -> Vec<pharmacrm_domain::views::Hcp> {
    use pharmacrm_domain::hcp::HcpStatus;
    let page = store
        .hcp_page(
            &rep.scope,
            &pharmacrm_storage::hcps::HcpFilter::default(),
            None,
            200,
        )
        .await
        .unwrap();
    let ids: Vec<uuid::Uuid> = page.items.iter().map(|h| h.id).collect();
    let today = store.today();
    store
        .hcp_profiles(&rep.scope, &ids)
        .await
        .unwrap()
        .into_iter()
        .filter(|h| {
            h.status == HcpStatus::Active
                && h.do_not_call.is_none()
                && h.blacklist.is_none()
                && h.licences
                    .iter()
                    .any(|l| l.state == h.address.state && l.expires_on > today)
        })
        .collect()
}

/// A lot of a non-controlled SKU that is in date, with units on hand.
#[allow(dead_code)]
pub fn regular_lot(
    book: &pharmacrm_domain::sample::views::SampleBook,
    today: chrono::NaiveDate,
) -> uuid::Uuid {
    book.lots
        .iter()
        .filter(|l| l.on_hand > 10 && l.expires_on > today + chrono::Duration::days(60))
        .find(|l| {
            book.skus
                .iter()
                .any(|s| s.sku_id == l.sku_id && s.dea_schedule.is_none())
        })
        .expect("an in-date regular lot")
        .lot_id
}

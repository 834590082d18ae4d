//! Helpers shared by the service test suites: a signed-in user's principal and the fields a
//! validation error names.

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
        ServiceError::Validation(e) => e.0.iter().map(|f| f.field.clone()).collect::<Vec<_>>().join(","),
        other => panic!("expected a validation error, got {other}"),
    }
}

//! The route table and the OpenAPI document agree: every operation the document lists is
//! answered by the router (not the unknown-endpoint 404, not 405), and on each documented
//! path every method the document does not list is refused with 405. Routes are declared
//! once with `utoipa_axum::routes!`, which registers a handler and documents it together,
//! so a route served without a documented path cannot be written except with a plain
//! `.route(...)` in `routes::api`, of which there is one: the document itself.

mod common;

use axum::http::{Method, StatusCode};
use common::Api;
use pharmacrm_fixtures::backend_tests;
use pharmacrm_storage::Store;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// A concrete URL for a documented path template: every `{param}` gets a value the
/// router's path matching accepts (the handlers never run: requests carry no token).
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{kind}" => "hcps".to_string(),
            s if s.starts_with('{') => "0190f0e0-0000-7000-8000-000000000001".to_string(),
            s => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the router has no route here: the web fallback's problem+json 404.
fn unrouted(status: StatusCode, body: &str) -> bool {
    status == StatusCode::NOT_FOUND && body.contains("endpoint not found")
}

async fn every_documented_operation_is_routed_and_no_other_method_is(store: Store) {
    let api = Api {
        app: pharmacrm_server::app(store.clone()),
        store,
    };
    let doc = serde_json::to_value(pharmacrm_server::openapi::document()).expect("document");
    let served = api.get("/api/v1/openapi.json", None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        served.json(),
        doc,
        "the served document is the route table's"
    );
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() > 60, "{} paths", paths.len());
    let mut operations = 0;
    for (template, item) in paths {
        assert!(template.starts_with("/api/v1/"), "{template}");
        let url = concrete(template);
        for method in METHODS {
            let documented = item.get(method).is_some();
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let reply = api.send(m, &url, None, None, Vec::new()).await;
            if documented {
                operations += 1;
                assert!(
                    !unrouted(reply.status, &reply.text)
                        && reply.status != StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {template} is documented but not routed: {} {}",
                    reply.status,
                    reply.text
                );
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {template} is routed but not documented: {}",
                    reply.text
                );
            }
        }
    }
    assert!(operations >= paths.len());
    // The one route deliberately left out of the document is the document.
    assert!(!paths.contains_key("/api/v1/openapi.json"));
    // And `unrouted` does tell a path nobody declared.
    let nowhere = api.get("/api/v1/no-such-endpoint", None).await;
    assert!(unrouted(nowhere.status, &nowhere.text), "{}", nowhere.text);
}

backend_tests!(every_documented_operation_is_routed_and_no_other_method_is);

//! Sync endpoints for the offline field app: push mutations, pull changes, and a
//! server-sent event stream that pokes devices to pull (docs/sync.md).

use crate::extract::{ApiJsonItems, ApiQuery, Auth};
use crate::problem::{ApiError, Problem};
use crate::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures::stream::Stream;
use pharmacrm_service::sync::{self as service, PushRequest, PushResult, SyncPage};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor of the previous page; absent for an initial sync.
    pub cursor: Option<String>,
    /// Changes per page, 1-2000 (default 500).
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", params(PullQuery), security(("bearer" = [])),
    responses((status = 200, body = SyncPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn pull(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<SyncPage>, ApiError> {
    let cursor = query.cursor.as_deref().filter(|c| !c.is_empty());
    Ok(Json(
        service::pull(
            &state.store,
            &auth.principal,
            cursor,
            query.limit.unwrap_or(500),
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResult), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn push(
    State(state): State<AppState>,
    auth: Auth,
    ApiJsonItems(request): ApiJsonItems<PushRequest>,
) -> Result<Json<PushResult>, ApiError> {
    let result = service::push(&state.store, &auth.principal, &request).await?;
    Ok(Json(result))
}

/// Heartbeat interval of the event stream (under 30 s, so proxies keep it open).
pub const HEARTBEAT: Duration = Duration::from_secs(20);

/// The kinds of event on the sync event stream.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncEventKind {
    /// Data the device pulls may have changed: pull.
    Poke,
}

impl SyncEventKind {
    /// The event's name on the wire (as serialized).
    pub const fn as_str(self) -> &'static str {
        match self {
            SyncEventKind::Poke => "poke",
        }
    }
}

/// One server-sent event of `GET /api/v1/sync/events` (comment heartbeats aside).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SyncEvent {
    pub event: SyncEventKind,
    /// Always `{}`: a poke carries no data; the device pulls.
    pub data: String,
}

#[utoipa::path(get, path = "/api/v1/sync/events", tag = "sync", security(("bearer" = [])),
    responses((status = 200, description = "`event: poke` when data may have changed; comment heartbeats every 20 s", content_type = "text/event-stream", body = SyncEvent)))]
pub async fn events(
    State(state): State<AppState>,
    _auth: Auth,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // The store tells of every commit devices would pull, whoever made it.
    let mut pokes = state.store.subscribe_changes();
    let stream = async_stream::stream! {
        // A lagging receiver still pokes: it missed pokes, not data. Closed ends the stream.
        while let Ok(()) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) = pokes.recv().await {
            yield Ok(Event::default().event(SyncEventKind::Poke.as_str()).data("{}"));
        }
    };
    Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
}

#[cfg(test)]
mod tests {
    use super::SyncEventKind;

    #[test]
    fn event_names_on_the_wire_are_as_documented() {
        let documented = serde_json::to_value(SyncEventKind::Poke).unwrap_or_default();
        assert_eq!(documented, SyncEventKind::Poke.as_str());
    }
}

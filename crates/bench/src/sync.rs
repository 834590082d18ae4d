//! Sync benchmarks: an initial pull for a rep with 1,000 HCPs and about 3,000 historical
//! calls, and for one with 15,000 HCPs and accounts; an empty incremental pull; a push of 20
//! calls; and what durable commits cost (one-call pushes with SQLite's `synchronous = FULL`,
//! the server's setting, against `NORMAL`). Server time in-process through the service layer
//! (what the HTTP handler runs), and the bytes of the JSON pages raw and gzipped (the server
//! gzips on the wire).

use anyhow::Result;
use chrono::Duration as Days;
use flate2::write::GzEncoder;
use flate2::Compression;
use pharmacrm_domain::mutation::MutationStatus;
use pharmacrm_fixtures::{populate, DemoSpec};
use pharmacrm_service::auth::Principal;
use pharmacrm_service::sync::{pull, push, Entity, PushRequest, ReceivedMutation};
use pharmacrm_storage::{Durability, Store};
use std::io::Write;
use std::time::{Duration, Instant};

async fn principal(store: &Store, username: &str) -> Result<Principal> {
    let (user, _) = store
        .user_credentials(username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no {username}"))?;
    let scope = store.scope_of(user.id, user.role).await?;
    Ok(Principal { user, scope })
}

struct Pulled {
    time: Duration,
    pages: usize,
    changes: usize,
    calls: usize,
    raw: usize,
    gzipped: usize,
    cursor: String,
}

async fn full_pull(store: &Store, who: &Principal, cursor: Option<String>) -> Result<Pulled> {
    let started = Instant::now();
    let mut cursor = cursor;
    let (mut pages, mut changes, mut calls, mut raw, mut gzipped) = (0, 0, 0, 0, 0);
    loop {
        let page = pull(store, who, cursor.as_deref(), 2000).await?;
        let json = serde_json::to_vec(&page)?;
        raw += json.len();
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&json)?;
        gzipped += gz.finish()?.len();
        pages += 1;
        changes += page.changes.len();
        calls += page
            .changes
            .iter()
            .filter(|c| c.entity == Entity::Call)
            .count();
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    // Serialising and compressing is measured too: the handler does both.
    Ok(Pulled {
        time: started.elapsed(),
        pages,
        changes,
        calls,
        raw,
        gzipped,
        cursor: cursor.unwrap_or_default(),
    })
}

fn row(name: &str, p: &Pulled) -> String {
    format!(
        "| {name} | {} | {} | {} | {:.0} ms | {:.1} MB | {:.2} MB |\n",
        p.changes,
        p.calls,
        p.pages,
        p.time.as_secs_f64() * 1e3,
        p.raw as f64 / 1e6,
        p.gzipped as f64 / 1e6
    )
}

pub async fn run(url_for: impl Fn(&str) -> String) -> Result<String> {
    let mut out = String::from(
        "\n## Sync (server side)\n\nIn-process through the sync service on SQLite, pages of 2,000 changes; time includes serialising and gzip-compressing each page as the server does on the wire.\n\n| pull | changes | of which calls | pages | server time | JSON | gzipped |\n|---|---|---|---|---|---|---|\n",
    );
    // A rep with 1,000 HCPs and about 3,000 historical calls.
    let store = Store::connect(&url_for("sync1"))
        .await?
        .with_keys(pharmacrm_fixtures::test_keys());
    store.migrate().await?;
    let spec = DemoSpec {
        seed: 7,
        territories: 3,
        territories_per_district: 3,
        hcps: 3_000,
        accounts: 750,
        call_history_months: 4,
    };
    populate(&store, &spec, "bench-no-login", &|_, _, _| {}).await?;
    let rep = principal(&store, "rep.t01").await?;
    let initial = full_pull(&store, &rep, None).await?;
    out.push_str(&row("initial, rep with 1,000 HCPs", &initial));
    let empty = full_pull(&store, &rep, Some(initial.cursor.clone())).await?;
    out.push_str(&row("incremental, nothing new", &empty));
    let hcps: Vec<String> = store
        .hcp_page(&rep.scope, &Default::default(), None, 200)
        .await?
        .items
        .into_iter()
        .filter(|h| !h.do_not_call && h.status == pharmacrm_domain::hcp::HcpStatus::Active)
        .take(20)
        .map(|h| h.id.to_string())
        .collect();
    let mutations: Vec<ReceivedMutation> = hcps
        .iter()
        .map(|h| ReceivedMutation {
            id: uuid::Uuid::now_v7(),
            client_ts: store.now().to_rfc3339(),
            kind: "call.submit".into(),
            payload: serde_json::json!({
                "id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": [h],
                "called_at": (store.now() - Days::minutes(30)).to_rfc3339(), "product_ids": [],
                "outcome": "interested", "next_step": "follow_up_visit"
            }),
            undeclared: Default::default(),
        })
        .collect();
    let request = PushRequest {
        client_id: uuid::Uuid::now_v7(),
        mutations,
    };
    let started = Instant::now();
    let result = push(&store, &rep, &request).await?;
    let push_time = started.elapsed();
    let applied = result
        .results
        .iter()
        .filter(|r| r.status == MutationStatus::Applied)
        .count();
    let after_push = full_pull(&store, &rep, Some(initial.cursor)).await?;
    out.push_str(&row("incremental after a push of 20 calls", &after_push));
    out.push_str(&format!(
        "\nPush of 20 calls ({applied} applied): {:.0} ms server time.\n",
        push_time.as_secs_f64() * 1e3
    ));
    store.close().await;

    // A rep with 15,000 HCPs and accounts (the incumbent's iPad ceiling).
    let store = Store::connect(&url_for("sync2"))
        .await?
        .with_keys(pharmacrm_fixtures::test_keys());
    store.migrate().await?;
    let spec = DemoSpec {
        seed: 7,
        territories: 1,
        territories_per_district: 1,
        hcps: 12_000,
        accounts: 3_000,
        call_history_months: 1,
    };
    populate(&store, &spec, "bench-no-login", &|_, _, _| {}).await?;
    let rep = principal(&store, "rep.t01").await?;
    let big = full_pull(&store, &rep, None).await?;
    out.push_str(&format!(
        "\n| pull | changes | of which calls | pages | server time | JSON | gzipped |\n|---|---|---|---|---|---|---|\n{}",
        row("initial, rep with 12,000 HCPs + 3,000 accounts", &big)
    ));
    store.close().await;
    Ok(out)
}

/// Pushes one call at a time (one commit each), as a device draining its outbox on a poor
/// network does; returns each push's time.
async fn one_call_pushes(store: &Store, rep: &Principal, count: usize) -> Result<Vec<Duration>> {
    let hcps: Vec<String> = store
        .hcp_page(&rep.scope, &Default::default(), None, 200)
        .await?
        .items
        .into_iter()
        .filter(|h| !h.do_not_call && h.status == pharmacrm_domain::hcp::HcpStatus::Active)
        .map(|h| h.id.to_string())
        .collect();
    let client_id = uuid::Uuid::now_v7();
    let mut times = Vec::with_capacity(count);
    for i in 0..count {
        let hcp = &hcps[i % hcps.len()];
        let request = PushRequest {
            client_id,
            mutations: vec![ReceivedMutation {
                id: uuid::Uuid::now_v7(),
                client_ts: store.now().to_rfc3339(),
                kind: "call.submit".into(),
                payload: serde_json::json!({
                    "id": uuid::Uuid::now_v7(), "call_type": "in_person", "hcp_ids": [hcp],
                    "called_at": (store.now() - Days::minutes(30)).to_rfc3339(), "product_ids": [],
                    "outcome": "interested", "next_step": "follow_up_visit"
                }),
                undeclared: Default::default(),
            }],
        };
        let started = Instant::now();
        push(store, rep, &request).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

/// What `synchronous = FULL` (every acknowledged mutation survives a power loss) costs
/// against `NORMAL` on this machine's disk, per one-call push.
pub async fn durability(url_for: impl Fn(&str) -> String) -> Result<String> {
    const PUSHES: usize = 300;
    let spec = DemoSpec {
        seed: 7,
        territories: 1,
        territories_per_district: 1,
        hcps: 400,
        accounts: 100,
        call_history_months: 1,
    };
    let mut rows = Vec::new();
    for (name, durability) in [("FULL", Durability::Full), ("NORMAL", Durability::Normal)] {
        let store = Store::connect_with(&url_for(&format!("durability-{name}")), durability)
            .await?
            .with_keys(pharmacrm_fixtures::test_keys());
        store.migrate().await?;
        populate(&store, &spec, "bench-no-login", &|_, _, _| {}).await?;
        let rep = principal(&store, "rep.t01").await?;
        let times = one_call_pushes(&store, &rep, PUSHES).await?;
        store.close().await;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let total: Duration = times.iter().sum();
        rows.push((
            name,
            ms(times[times.len() / 2]),
            ms(times[times.len() * 95 / 100]),
            ms(total) / PUSHES as f64,
        ));
    }
    let mut out = format!(
        "\n## Durable commits (SQLite)\n\n{PUSHES} pushes of one call each (one commit per push), in-process. The server runs `synchronous = FULL`: the WAL is synced at every commit, so a mutation the device was told is applied survives an OS crash or a power loss. PostgreSQL's default `synchronous_commit = on` gives the same; both settings are asserted in `crates/storage/tests`.\n\n| synchronous | median push | p95 push | mean push |\n|---|---|---|---|\n"
    );
    for (name, median, p95, mean) in &rows {
        out.push_str(&format!(
            "| {name} | {median:.2} ms | {p95:.2} ms | {mean:.2} ms |\n"
        ));
    }
    if let [(_, full, _, _), (_, normal, _, _)] = rows.as_slice() {
        out.push_str(&format!(
            "\nFULL costs {:.2} ms more per commit at the median ({:.2}x NORMAL).\n",
            full - normal,
            full / normal
        ));
    }
    Ok(out)
}

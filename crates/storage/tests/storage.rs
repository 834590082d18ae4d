//! The storage suite: every test runs on SQLite and on PostgreSQL.

use chrono::Duration;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::org::Effective;
use pharmacrm_domain::segment::Tier;
use pharmacrm_fixtures::{backend_tests, populate_small, scope_of};
use pharmacrm_storage::hcps::HcpFilter;
use pharmacrm_storage::{StorageError, Store};
use std::collections::HashSet;

async fn all_pages(
    store: &Store,
    scope: &Scope,
    filter: &HcpFilter,
) -> Vec<pharmacrm_domain::views::HcpSummary> {
    let mut items = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .hcp_page(scope, filter, cursor.as_deref(), 37)
            .await
            .unwrap();
        items.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return items,
        }
    }
}

async fn a_rep_lists_exactly_their_territory(store: Store) {
    populate_small(&store, "x").await;
    let rep = scope_of(&store, "rep.t01").await;
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    assert_eq!(rep, Scope::Territories(vec![t01.id]));
    let seen = all_pages(&store, &rep, &HcpFilter::default()).await;
    assert_eq!(seen.len(), 100, "400 HCPs over 4 territories");
    assert!(seen
        .iter()
        .all(|h| h.territory.as_ref().map(|t| t.code.as_str()) == Some("T01")));
    assert_eq!(store.count_hcps(&rep).await.unwrap(), 100);
    let everything = all_pages(&store, &Scope::All, &HcpFilter::default()).await;
    assert_eq!(everything.len(), 400);
    let ids: HashSet<_> = everything.iter().map(|h| h.id).collect();
    assert_eq!(ids.len(), 400, "pages never repeat a row");
    let mut sorted = everything.clone();
    sorted.sort_by(|a, b| {
        (&a.last_name, &a.first_name, a.id).cmp(&(&b.last_name, &b.first_name, b.id))
    });
    assert_eq!(sorted, everything, "pages come in name order");
}

async fn another_territorys_hcp_is_invisible(store: Store) {
    populate_small(&store, "x").await;
    let rep = scope_of(&store, "rep.t01").await;
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let filter = HcpFilter {
        territory: Some(t02.id),
        ..Default::default()
    };
    let theirs = store
        .hcp_page(&Scope::All, &filter, None, 5)
        .await
        .unwrap()
        .items;
    assert_eq!(theirs.len(), 5);
    for hcp in &theirs {
        assert!(store.hcp(&rep, hcp.id).await.unwrap().is_none());
        assert!(store.hcp(&Scope::All, hcp.id).await.unwrap().is_some());
    }
    assert!(
        store
            .hcp_page(&rep, &filter, None, 50)
            .await
            .unwrap()
            .items
            .is_empty(),
        "a territory filter cannot widen scope"
    );
    let (records, _) = store
        .hcp_records(&rep, &HcpFilter::default(), None, 1000)
        .await
        .unwrap();
    assert_eq!(records.len(), 100);
    assert!(records
        .iter()
        .all(|h| h.territory.as_ref().unwrap().code == "T01"));
    let accounts = store
        .account_page(&rep, &Default::default(), None, 200)
        .await
        .unwrap()
        .items;
    assert!(!accounts.is_empty());
    assert!(accounts
        .iter()
        .all(|a| a.territory.as_ref().unwrap().code == "T01"));
    let others = store
        .account_page(&Scope::All, &Default::default(), None, 200)
        .await
        .unwrap()
        .items;
    let foreign = others
        .iter()
        .find(|a| a.territory.as_ref().unwrap().code != "T01")
        .unwrap();
    assert!(store.account(&rep, foreign.id).await.unwrap().is_none());
    assert!(store
        .account(&Scope::All, foreign.id)
        .await
        .unwrap()
        .is_some());
}

async fn a_manager_sees_their_district(store: Store) {
    populate_small(&store, "x").await;
    let manager = scope_of(&store, "mgr.d01").await;
    let codes: Vec<String> = store
        .territories(&manager)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.code)
        .collect();
    assert_eq!(codes, vec!["T01", "T02"]);
    assert_eq!(store.count_hcps(&manager).await.unwrap(), 200);
    let none = Scope::Territories(vec![]);
    assert_eq!(store.count_hcps(&none).await.unwrap(), 0);
}

async fn the_profile_carries_the_master_data(store: Store) {
    populate_small(&store, "x").await;
    let rep = scope_of(&store, "rep.t01").await;
    let all = all_pages(&store, &rep, &HcpFilter::default()).await;
    let mut with_affiliation = 0;
    for summary in all.iter().take(30) {
        let hcp = store.hcp(&rep, summary.id).await.unwrap().unwrap();
        assert_eq!(hcp.npi, summary.npi);
        assert!(!hcp.licences.is_empty());
        assert!(!hcp.specialty_name.is_empty());
        if !hcp.affiliations.is_empty() {
            with_affiliation += 1;
            let account = store
                .account(&rep, hcp.affiliations[0].account_id)
                .await
                .unwrap()
                .unwrap();
            assert!(account.affiliated_hcps.iter().any(|a| a.hcp_id == hcp.id));
        }
        assert_eq!(summary.top_tier, hcp.segments.iter().map(|s| s.tier).min());
    }
    assert!(with_affiliation > 20);
}

async fn filters_narrow_the_list(store: Store) {
    populate_small(&store, "x").await;
    let rep = scope_of(&store, "rep.t01").await;
    let all = all_pages(&store, &rep, &HcpFilter::default()).await;
    let target = &all[17];
    let by_name = all_pages(
        &store,
        &rep,
        &HcpFilter {
            q: Some(format!(
                "{} {}",
                target.first_name,
                target.last_name.to_uppercase()
            )),
            ..Default::default()
        },
    )
    .await;
    assert!(by_name.iter().any(|h| h.id == target.id));
    assert!(by_name
        .iter()
        .all(|h| h.last_name == target.last_name && h.first_name == target.first_name));
    let by_npi = all_pages(
        &store,
        &rep,
        &HcpFilter {
            q: Some(target.npi.clone()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(by_npi.len(), 1);
    let specialty = all_pages(
        &store,
        &rep,
        &HcpFilter {
            specialty: Some(target.specialty_code.clone()),
            ..Default::default()
        },
    )
    .await;
    assert!(
        specialty
            .iter()
            .all(|h| h.specialty_code == target.specialty_code)
            && !specialty.is_empty()
    );
    let tier_a = all_pages(
        &store,
        &rep,
        &HcpFilter {
            tier: Some(Tier::A),
            ..Default::default()
        },
    )
    .await;
    assert!(!tier_a.is_empty() && tier_a.len() < all.len());
    assert!(tier_a.iter().all(|h| h.top_tier == Some(Tier::A)));
    let city = all_pages(
        &store,
        &rep,
        &HcpFilter {
            city: Some(target.city.to_lowercase()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(city.len(), all.len(), "one city per territory in the demo");
    let nobody = all_pages(
        &store,
        &rep,
        &HcpFilter {
            q: Some("%".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(nobody.is_empty(), "LIKE wildcards in a search are literal");
    let bad = store
        .hcp_page(&rep, &HcpFilter::default(), Some("garbage"), 10)
        .await;
    assert!(matches!(bad, Err(StorageError::Invalid(_))));
}

async fn a_duplicate_npi_writes_nothing(store: Store) {
    populate_small(&store, "x").await;
    let (existing, _) = store
        .hcp_records(&Scope::All, &HcpFilter::default(), None, 1)
        .await
        .unwrap();
    let before = store.audit_count().await.unwrap();
    let fresh = pharmacrm_domain::new_id();
    let result = store
        .insert_hcps(
            &Actor::system("test"),
            &[(fresh, existing[0].record.clone())],
        )
        .await;
    assert!(
        matches!(result, Err(StorageError::Duplicate { field: "NPI", .. })),
        "{result:?}"
    );
    assert_eq!(store.audit_count().await.unwrap(), before);
    assert!(store.hcp(&Scope::All, fresh).await.unwrap().is_none());
}

/// Subscribers (the sync event stream) hear of a transaction that took a version only when
/// it commits: a write that fails after taking one rolls back and tells nobody.
async fn only_a_committed_version_tells_subscribers(store: Store) {
    use tokio::sync::broadcast::error::TryRecvError;
    populate_small(&store, "x").await;
    let (records, _) = store
        .hcp_records(&Scope::All, &HcpFilter::default(), None, 1)
        .await
        .unwrap();
    let hcp = &records[0];
    let version = store.current_version().await.unwrap();
    let mut changes = store.subscribe_changes();
    let duplicate = store
        .insert_hcps(
            &Actor::system("test"),
            &[(pharmacrm_domain::new_id(), hcp.record.clone())],
        )
        .await;
    assert!(
        matches!(duplicate, Err(StorageError::Duplicate { .. })),
        "{duplicate:?}"
    );
    assert_eq!(changes.try_recv(), Err(TryRecvError::Empty), "rolled back");
    assert_eq!(store.current_version().await.unwrap(), version);
    let mut after = hcp.record.clone();
    after.do_not_call_reason = Some("Asked not to be visited".into());
    store
        .update_hcp(&Actor::system("steward"), hcp.id, &hcp.record, &after)
        .await
        .unwrap();
    assert_eq!(changes.try_recv(), Ok(()), "committed");
    assert_eq!(
        changes.try_recv(),
        Err(TryRecvError::Empty),
        "once a commit"
    );
    assert!(store.current_version().await.unwrap() > version);
}

async fn changes_are_audited_and_the_log_is_append_only(store: Store) {
    populate_small(&store, "x").await;
    let (records, _) = store
        .hcp_records(&Scope::All, &HcpFilter::default(), None, 1)
        .await
        .unwrap();
    let hcp = &records[0];
    let mut after = hcp.record.clone();
    after.do_not_call_reason = Some("Asked not to be visited".into());
    store
        .update_hcp(&Actor::system("steward"), hcp.id, &hcp.record, &after)
        .await
        .unwrap();
    let entries = store.audit_entries("hcp", hcp.id).await.unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        vec!["create", "update"]
    );
    assert_eq!(entries[1].actor_name, "steward");
    assert_eq!(
        entries[1].after.as_ref().unwrap()["do_not_call_reason"],
        "Asked not to be visited"
    );
    let profile = store.hcp(&Scope::All, hcp.id).await.unwrap().unwrap();
    assert_eq!(profile.do_not_call.unwrap().set_by, "steward");
    assert!(sqlx::query("UPDATE audit_log SET actor_name = 'x'")
        .execute(store.pool())
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(store.pool())
        .await
        .is_err());
}

async fn realignment_moves_hcps_and_keeps_history(store: Store) {
    populate_small(&store, "x").await;
    let rep1 = scope_of(&store, "rep.t01").await;
    let rep2 = scope_of(&store, "rep.t02").await;
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let zip = store.zips_of_territory(t01.id).await.unwrap()[0].clone();
    let moving = store
        .hcp_page(&rep1, &HcpFilter::default(), None, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|h| h.zip == zip)
        .count();
    assert!(moving > 0);
    let today = store.today();
    // A future realignment changes nothing today.
    store
        .align_zips(
            &Actor::system("ops"),
            &[(zip.clone(), t02.id)],
            today + Duration::days(30),
        )
        .await
        .unwrap();
    assert_eq!(store.count_hcps(&rep1).await.unwrap(), 100);
    // One in force today moves the ZIP's HCPs.
    store
        .align_zips(&Actor::system("ops"), &[(zip.clone(), t02.id)], today)
        .await
        .unwrap();
    assert_eq!(store.count_hcps(&rep1).await.unwrap(), 100 - moving as i64);
    assert_eq!(store.count_hcps(&rep2).await.unwrap(), 100 + moving as i64);
    let history = store
        .alignments_for(vec![zip.clone()])
        .await
        .unwrap()
        .remove(&zip)
        .unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].territory_id, t01.id);
    assert_eq!(history[0].effective.to, Some(today));
    assert_eq!(history[1].territory_id, t02.id);
}

async fn an_ended_assignment_ends_access(store: Store) {
    populate_small(&store, "x").await;
    let (rep, _) = store.user_credentials("rep.t03").await.unwrap().unwrap();
    let assignment = store.assignments_of(rep.id).await.unwrap().remove(0);
    let today = store.today();
    store
        .end_assignment(&Actor::system("ops"), assignment.id, today)
        .await
        .unwrap();
    assert_eq!(
        scope_of(&store, "rep.t03").await,
        Scope::Territories(vec![])
    );
    let history = store.assignments_of(rep.id).await.unwrap();
    assert_eq!(
        history[0].effective,
        Effective {
            from: assignment.effective.from,
            to: Some(today)
        }
    );
}

async fn an_alignment_coming_into_force_changes_scope_without_a_write(store: Store) {
    populate_small(&store, "x").await;
    let t01 = store.org_unit_by_code("T01").await.unwrap().unwrap();
    let t02 = store.org_unit_by_code("T02").await.unwrap().unwrap();
    let zip = store.zips_of_territory(t01.id).await.unwrap()[0].clone();
    let today = store.today();
    let tomorrow = today + Duration::days(1);
    store
        .align_zips(
            &Actor::system("ops"),
            &[(zip, t02.id)],
            tomorrow + Duration::days(1),
        )
        .await
        .unwrap();
    let version = store.current_version().await.unwrap();
    assert!(
        !store
            .scope_may_have_changed(version, today, tomorrow)
            .await
            .unwrap(),
        "nothing takes effect by tomorrow"
    );
    assert!(
        store
            .scope_may_have_changed(version, tomorrow, tomorrow + Duration::days(1))
            .await
            .unwrap(),
        "the realignment taking effect the day after is a scope change, though nothing was written"
    );
    assert!(
        store
            .scope_may_have_changed(version - 1, today, today)
            .await
            .unwrap(),
        "a written alignment is one"
    );
}

async fn the_audit_chain_detects_tampering(store: Store) {
    populate_small(&store, "x").await;
    let report = store.verify_audit_chain().await.unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.entries, store.audit_count().await.unwrap());
    // Someone with database access bypasses the append-only trigger and edits an entry.
    let postgres = store.backend() == pharmacrm_storage::Backend::Postgres;
    let disable = if postgres {
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    sqlx::query(disable).execute(store.pool()).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE position = 1000")
        .execute(store.pool())
        .await
        .unwrap();
    let altered = store.verify_audit_chain().await.unwrap().problem.unwrap();
    assert!(altered.starts_with("entry 1000 ("), "{altered}");
    assert!(altered.ends_with("was altered"), "{altered}");
    if !postgres {
        sqlx::query("DROP TRIGGER audit_log_no_delete")
            .execute(store.pool())
            .await
            .unwrap();
    }
    sqlx::query("DELETE FROM audit_log WHERE position = 10")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit_chain().await.unwrap().problem.unwrap(),
        "entry 10 is missing (removed); the chain continues at 11"
    );
}

async fn removing_the_newest_entries_is_detected(store: Store) {
    populate_small(&store, "x").await;
    let total = store.audit_count().await.unwrap();
    let postgres = store.backend() == pharmacrm_storage::Backend::Postgres;
    let disable = if postgres {
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
    } else {
        "DROP TRIGGER audit_log_no_delete"
    };
    sqlx::query(disable).execute(store.pool()).await.unwrap();
    sqlx::query(&format!(
        "DELETE FROM audit_log WHERE position > {}",
        total - 3
    ))
    .execute(store.pool())
    .await
    .unwrap();
    let problem = store.verify_audit_chain().await.unwrap().problem.unwrap();
    assert!(
        problem.contains("entries at the end were removed"),
        "{problem}"
    );
}

async fn entries_from_before_the_chain_are_sealed_by_migrate(store: Store) {
    populate_small(&store, "x").await;
    sqlx::query("INSERT INTO audit_log (id, at, actor_name, entity, entity_id, action) VALUES ('legacy-1', '2026-01-01T00:00:00.000000Z', 'old', 'hcp', 'x', 'create')")
        .execute(store.pool())
        .await
        .unwrap();
    let problem = store.verify_audit_chain().await.unwrap().problem.unwrap();
    assert_eq!(problem, "1 entries were added outside the chain");
    store.migrate().await.unwrap();
    assert_eq!(store.verify_audit_chain().await.unwrap().problem, None);
}

/// An acknowledged commit survives an OS crash: SQLite syncs its WAL at every commit,
/// PostgreSQL waits for its WAL flush.
async fn every_commit_is_durable_before_it_is_acknowledged(store: Store) {
    use pharmacrm_storage::Backend;
    use sqlx::Row;
    let (query, expected) = match store.backend() {
        // 2 is FULL; each pooled connection sets it when it opens.
        Backend::Sqlite => ("PRAGMA synchronous", "2"),
        Backend::Postgres => ("SHOW synchronous_commit", "on"),
    };
    for _ in 0..3 {
        let row = sqlx::query(query).fetch_one(store.pool()).await.unwrap();
        let value = row
            .try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|v| v.to_string()))
            .unwrap();
        assert_eq!(value, expected, "{query}");
    }
}

/// A compliance fact changed directly in the database is reported by the audit check: an
/// HCP's sample history (what limits count) and a sample exception's state.
async fn sample_history_and_exceptions_changed_behind_the_audit_are_reported(store: Store) {
    populate_small(&store, "x").await;
    let clean = store.verify_sample_facts().await.unwrap();
    assert_eq!(clean.problem, None, "the demo verifies");
    let record: String =
        sqlx::query_scalar("SELECT record_id FROM hcp_samples ORDER BY record_id LIMIT 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let set = |q: i64| {
        format!("UPDATE hcp_samples SET quantity = quantity + ({q}) WHERE record_id = '{record}'")
    };
    sqlx::query(&set(-1000))
        .execute(store.pool())
        .await
        .unwrap();
    let report = store.verify_sample_facts().await.unwrap();
    assert!(
        report
            .problem
            .as_deref()
            .is_some_and(|p| p.contains(&record)),
        "{report:?}"
    );
    sqlx::query(&set(1000)).execute(store.pool()).await.unwrap();
    assert_eq!(
        store.verify_sample_facts().await.unwrap().problem,
        None,
        "restored"
    );
    let exception: Option<String> = sqlx::query_scalar(
        "SELECT id FROM sample_exceptions WHERE status = 'open' ORDER BY id LIMIT 1",
    )
    .fetch_optional(store.pool())
    .await
    .unwrap();
    let exception = exception.expect("the demo has open sample exceptions");
    let close = format!(
        "UPDATE sample_exceptions SET status = 'closed', comment = 'fine' WHERE id = '{exception}'"
    );
    sqlx::query(&close).execute(store.pool()).await.unwrap();
    let report = store.verify_sample_facts().await.unwrap();
    assert!(
        report
            .problem
            .as_deref()
            .is_some_and(|p| p.contains(&exception)),
        "{report:?}"
    );
}

backend_tests!(
    sample_history_and_exceptions_changed_behind_the_audit_are_reported,
    every_commit_is_durable_before_it_is_acknowledged,
    only_a_committed_version_tells_subscribers,
    entries_from_before_the_chain_are_sealed_by_migrate,
    the_audit_chain_detects_tampering,
    removing_the_newest_entries_is_detected,
    an_alignment_coming_into_force_changes_scope_without_a_write,
    a_rep_lists_exactly_their_territory,
    another_territorys_hcp_is_invisible,
    a_manager_sees_their_district,
    the_profile_carries_the_master_data,
    filters_narrow_the_list,
    a_duplicate_npi_writes_nothing,
    changes_are_audited_and_the_log_is_append_only,
    realignment_moves_hcps_and_keeps_history,
    an_ended_assignment_ends_access,
);

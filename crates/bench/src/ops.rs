//! Commercial-ops benchmarks on the 1,000,000-HCP database: the national frequency-tracking
//! report over a year of calls, and a realignment that moves about 100,000 HCPs (impact
//! preview and publication), through the same service calls the API makes.

use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::call::{Call, CallType};
use pharmacrm_domain::realignment::DraftLine;
use pharmacrm_domain::targeting::Cycle;
use pharmacrm_service::auth::Principal;
use pharmacrm_service::realignment::{self, DraftLines, Publication};
use pharmacrm_storage::Store;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::Instant;
use uuid::Uuid;

/// Calls each territory makes in the year (about 4.5 a working day).
pub const CALLS_PER_TERRITORY: usize = 1_000;

pub struct OpsFigures {
    pub calls: usize,
    pub calls_load_s: f64,
    pub report_year_ms: Vec<f64>,
    pub report_quarter_ms: Vec<f64>,
    pub report_targets: u32,
    pub hcps_moving: u32,
    pub territories_touched: usize,
    pub impact_ms: f64,
    pub publish_ms: f64,
    pub notices: usize,
}

async fn principal(store: &Store, username: &str) -> Result<Principal> {
    let (user, _) = store.user_credentials(username).await?.context("user")?;
    let scope = store.scope_of(user.id, user.role).await?;
    Ok(Principal { user, scope })
}

/// A year to date of calls: each territory's rep calls its target HCPs at random working hours.
async fn load_calls(store: &Store, today: NaiveDate) -> Result<usize> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let tree = store.org_tree().await?;
    let mut by_territory: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for h in store.tiered_hcps(&Scope::All, None).await? {
        by_territory
            .entry(h.territory_id)
            .or_default()
            .push(h.hcp_id);
    }
    let products: Vec<Uuid> = store.products().await?.into_iter().map(|p| p.id).collect();
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).context("date")?;
    let days = (today - start).num_days().max(1);
    let actor = pharmacrm_domain::audit::Actor::system("bench");
    let mut batch = Vec::new();
    let mut total = 0;
    let mut territories: Vec<_> = by_territory.into_iter().collect();
    territories.sort();
    for (territory, hcps) in territories {
        let Some(rep) = store
            .assignments_to(territory)
            .await?
            .first()
            .map(|a| a.user_id)
        else {
            continue;
        };
        let district = tree
            .iter()
            .find(|u| u.id == territory)
            .and_then(|u| u.parent_id);
        let region = district
            .and_then(|d| tree.iter().find(|u| u.id == d))
            .and_then(|u| u.parent_id);
        for _ in 0..CALLS_PER_TERRITORY {
            let day = start + Duration::days(rng.gen_range(0..days));
            let at = Utc.from_utc_datetime(
                &day.and_hms_opt(rng.gen_range(8..18), rng.gen_range(0..60), 0)
                    .context("time")?,
            );
            batch.push(Call {
                id: pharmacrm_domain::new_id(),
                rep_id: rep,
                rep_name: String::new(),
                call_type: CallType::InPerson,
                hcp_ids: vec![hcps[rng.gen_range(0..hcps.len())]],
                account_id: None,
                territory_id: Some(territory),
                district_id: district,
                region_id: region,
                called_at: at,
                product_ids: vec![products[rng.gen_range(0..products.len())]],
                outcome: "positive".into(),
                next_step: "none".into(),
                next_step_date: None,
                notes: None,
                corrects: None,
                correction_reason: None,
                flags: Vec::new(),
                submitted_at: at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
                key_message_ids: Vec::new(),
                disbursement_id: None,
            });
        }
        if batch.len() >= 20_000 {
            total += batch.len();
            store.insert_calls(&actor, &batch).await?;
            batch.clear();
            eprintln!("  calls: {total}");
        }
    }
    total += batch.len();
    store.insert_calls(&actor, &batch).await?;
    store.analyze().await?;
    Ok(total)
}

pub async fn run(store: &Store, runs: usize) -> Result<OpsFigures> {
    let today = store.today();
    let started = Instant::now();
    let calls = load_calls(store, today).await?;
    let calls_load_s = started.elapsed().as_secs_f64();
    let admin = principal(store, "admin").await?;

    let mut report_year_ms = Vec::new();
    let mut report_quarter_ms = Vec::new();
    let mut report_targets = 0;
    let year = Cycle::parse(&today.format("%Y").to_string()).context("year")?;
    for _ in 0..runs {
        let t = Instant::now();
        let report =
            pharmacrm_service::reports::frequency(store, &admin, Some(year), None, today).await?;
        report_year_ms.push(t.elapsed().as_secs_f64() * 1e3);
        report_targets = report.totals.iter().map(|t| t.hcps).sum();
        let t = Instant::now();
        pharmacrm_service::reports::frequency(
            store,
            &admin,
            Some(Cycle::of(
                pharmacrm_domain::targeting::CycleKind::Quarter,
                today,
            )),
            None,
            today,
        )
        .await?;
        report_quarter_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }

    // Every ZIP of every tenth territory moves to the next territory: about a tenth of the HCPs.
    let ops = principal(store, "ops").await?;
    let territories = store.territories(&Scope::All).await?;
    let mut zips = Vec::new();
    for (i, t) in territories.iter().enumerate().filter(|(i, _)| i % 10 == 0) {
        let to = territories[(i + 1) % territories.len()].id;
        for zip in store.zips_of_territory(t.id).await? {
            zips.push(DraftLine {
                key: zip,
                territory_id: to,
            });
        }
    }
    let cycle = realignment::create(store, &ops, "Benchmark realignment").await?;
    realignment::put_lines(
        store,
        &ops,
        cycle.id,
        &DraftLines {
            zips,
            accounts: vec![],
        },
    )
    .await?;
    let t = Instant::now();
    let impact = realignment::impact_of(store, &ops, cycle.id, today).await?;
    let impact_ms = t.elapsed().as_secs_f64() * 1e3;
    let publication = Publication {
        effective_from: today,
        override_reason: Some("benchmark".into()),
    };
    let t = Instant::now();
    realignment::publish(store, &ops, cycle.id, &publication, today).await?;
    let publish_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut notices = 0;
    for r in ["rep.t01", "rep.t02"] {
        if let Ok(p) = principal(store, r).await {
            notices += realignment::notices(store, &p).await?.len();
        }
    }
    Ok(OpsFigures {
        calls,
        calls_load_s,
        report_year_ms,
        report_quarter_ms,
        report_targets,
        hcps_moving: impact.hcps_moving,
        territories_touched: impact.territories.len(),
        impact_ms,
        publish_ms,
        notices,
    })
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

pub fn table(backend: &str, f: &OpsFigures) -> String {
    format!(
        "\n### {backend}\n\n{} calls loaded in {:.0} s.\n\n| operation | size | median | runs |\n|---|---|---|---|\n\
| frequency report, whole nation, year to date | {} target HCPs, {} calls | {:.0} ms | {} |\n\
| frequency report, whole nation, this quarter | {} target HCPs | {:.0} ms | {} |\n\
| realignment impact preview | {} HCPs moving, {} territories | {:.0} ms | 1 |\n\
| realignment publication (alignment + notices, one transaction) | {} HCPs moving | {:.0} ms | 1 |\n\n\
rep.t01 (losing) and rep.t02 (gaining) hold {} notice(s) after publication.\n",
        f.calls,
        f.calls_load_s,
        f.report_targets,
        f.calls,
        median(&f.report_year_ms),
        f.report_year_ms.len(),
        f.report_targets,
        median(&f.report_quarter_ms),
        f.report_quarter_ms.len(),
        f.hcps_moving,
        f.territories_touched,
        f.impact_ms,
        f.hcps_moving,
        f.publish_ms,
        f.notices,
    )
}

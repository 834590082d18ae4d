//! `make bench`: HCP list and search latency for a rep whose territory holds about 1,000
//! HCPs, in a database of 1,000,000 HCPs, then commercial-ops work on that database (a
//! year of calls in the national frequency report, a realignment moving 100,000 HCPs), on
//! SQLite and on PostgreSQL; sync pulls; and the accuracy of HCP duplicate detection on a
//! generated set and the FEBRL data sets (no database). The datasets come from the shared
//! fixture builder; results are written to docs/benchmarks.md.

use anyhow::{Context, Result};
use clap::Parser;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::segment::Tier;
use pharmacrm_fixtures::{populate, scope_of, DemoSpec};
use pharmacrm_storage::hcps::HcpFilter;
use pharmacrm_storage::Store;
use std::time::{Duration, Instant};

mod matching;
mod ops;
mod sync;

#[derive(Parser)]
struct Args {
    /// HCPs in the database.
    #[arg(long, default_value_t = 1_000_000)]
    hcps: usize,
    /// Territories (HCPs per rep = hcps / territories).
    #[arg(long, default_value_t = 1_000)]
    territories: usize,
    /// Timed runs per query.
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// PostgreSQL server (a fresh database is created on it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    postgres: String,
    /// Skip PostgreSQL.
    #[arg(long)]
    sqlite_only: bool,
    /// Which benchmarks: `all`, `list` (1M HCPs), `ops` (frequency report and realignment on
    /// the 1M HCPs), `sync` or `matching` (duplicate-detection accuracy, no database).
    #[arg(long, default_value = "all")]
    only: String,
    /// Markdown file to write the results into.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

struct Timing {
    name: &'static str,
    rows: usize,
    p50: Duration,
    p95: Duration,
    max: Duration,
}

async fn time<F, Fut>(name: &'static str, runs: usize, mut f: F) -> Result<Timing>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<usize>>,
{
    let rows = f().await?; // warm-up
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await?;
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(Timing {
        name,
        rows,
        p50: samples[runs / 2],
        p95: samples[runs * 95 / 100],
        max: samples[runs - 1],
    })
}

// Longer than clippy.toml allows: the list benchmark's queries, one after another; not yet split.
#[allow(clippy::too_many_lines)]
async fn measure(store: &Store, runs: usize) -> Result<(i64, Vec<Timing>)> {
    let rep = scope_of(store, "rep.t01").await;
    let in_scope = store.count_hcps(&rep).await?;
    let first = store
        .hcp_page(&rep, &HcpFilter::default(), None, 50)
        .await?;
    let name = first
        .items
        .get(3)
        .map(|h| h.last_name.clone())
        .unwrap_or_default();
    let mid_cursor = {
        let mut cursor = None;
        for _ in 0..10 {
            cursor = store
                .hcp_page(&rep, &HcpFilter::default(), cursor.as_deref(), 50)
                .await?
                .next_cursor;
        }
        cursor
    };
    let mut timings = Vec::new();
    timings.push(
        time("list, first page of 50", runs, || async {
            Ok(store
                .hcp_page(&rep, &HcpFilter::default(), None, 50)
                .await?
                .items
                .len())
        })
        .await?,
    );
    timings.push(
        time("list, page 11 by cursor", runs, || async {
            Ok(store
                .hcp_page(&rep, &HcpFilter::default(), mid_cursor.as_deref(), 50)
                .await?
                .items
                .len())
        })
        .await?,
    );
    let by_name = HcpFilter {
        q: Some(name[..3.min(name.len())].to_lowercase()),
        ..Default::default()
    };
    timings.push(
        time("search by name (3 letters)", runs, || async {
            Ok(store.hcp_page(&rep, &by_name, None, 50).await?.items.len())
        })
        .await?,
    );
    let tier = HcpFilter {
        tier: Some(Tier::A),
        ..Default::default()
    };
    timings.push(
        time("filter tier A", runs, || async {
            Ok(store.hcp_page(&rep, &tier, None, 50).await?.items.len())
        })
        .await?,
    );
    let profile = first.items[0].id;
    timings.push(
        time("HCP profile", runs, || async {
            Ok(store.hcp(&rep, profile).await?.map_or(0, |_| 1))
        })
        .await?,
    );
    timings.push(
        time("count in scope", runs, || async {
            Ok(store.count_hcps(&rep).await? as usize)
        })
        .await?,
    );
    // The at-creation duplicate check a rep's "new HCP" form runs: blocking keys, the
    // candidates filed under them (any territory), each scored; matches in scope returned.
    // The model is estimated from the data first, as `pharmacrm demo` and stewards do.
    pharmacrm_service::matching::estimate(store, &pharmacrm_domain::audit::Actor::system("bench"))
        .await?;
    let existing = store
        .hcp_records_by_id(&[profile])
        .await?
        .remove(&profile)
        .map(|h| h.record.match_record())
        .unwrap_or_default();
    let mut misspelt: Vec<char> = existing.last_name.chars().collect();
    if misspelt.len() > 3 {
        misspelt.swap(1, 2);
    }
    let variant = pharmacrm_domain::matching::MatchRecord {
        npi: None,
        last_name: misspelt.into_iter().collect(),
        ..existing.clone()
    };
    timings.push(
        time(
            "duplicate check at creation: a variant of an HCP",
            runs,
            || async {
                Ok(
                    pharmacrm_service::matching::check_record(store, &rep, &variant, None)
                        .await?
                        .matches
                        .len(),
                )
            },
        )
        .await?,
    );
    let stranger = pharmacrm_domain::matching::MatchRecord {
        npi: None,
        phone: None,
        first_name: "Quillon".into(),
        last_name: "Vasquez-Oyelaran".into(),
        ..existing
    };
    timings.push(
        time(
            "duplicate check at creation: a new person",
            runs,
            || async {
                Ok(
                    pharmacrm_service::matching::check_record(store, &rep, &stranger, None)
                        .await?
                        .matches
                        .len(),
                )
            },
        )
        .await?,
    );
    Ok((in_scope, timings))
}

async fn fill(store: &Store, args: &Args) -> Result<Duration> {
    let spec = DemoSpec {
        seed: 7,
        territories: args.territories,
        territories_per_district: 10,
        hcps: args.hcps,
        accounts: args.territories * 20,
        call_history_months: 0,
    };
    let started = Instant::now();
    let last = std::sync::atomic::AtomicUsize::new(0);
    populate(store, &spec, "bench-no-login", &|stage, done, total| {
        let step = total / 20 + 1;
        if stage == "hcps"
            && done / step != last.swap(done / step, std::sync::atomic::Ordering::Relaxed)
        {
            eprintln!(
                "  {stage}: {done}/{total} ({:.0}s)",
                started.elapsed().as_secs_f64()
            );
        }
    })
    .await?;
    Ok(started.elapsed())
}

fn table(backend: &str, total: i64, in_scope: i64, load: Duration, timings: &[Timing]) -> String {
    let mut out = format!(
        "\n### {backend}\n\n{total} HCPs in the database, {in_scope} in the rep's territory; loading took {:.0} s.\n\n| query | rows | p50 | p95 | max |\n|---|---|---|---|---|\n",
        load.as_secs_f64()
    );
    for t in timings {
        out.push_str(&format!(
            "| {} | {} | {:.2} ms | {:.2} ms | {:.2} ms |\n",
            t.name,
            t.rows,
            t.p50.as_secs_f64() * 1e3,
            t.p95.as_secs_f64() * 1e3,
            t.max.as_secs_f64() * 1e3
        ));
    }
    out
}

// Longer than clippy.toml allows: the benchmark run and its report; not yet split.
#[allow(clippy::too_many_lines)]
#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if !["all", "list", "ops", "sync", "matching"].contains(&args.only.as_str()) {
        anyhow::bail!(
            "--only must be all, list, ops, sync or matching (not {:?})",
            args.only
        );
    }
    let runs = |section: &str| args.only == "all" || args.only == section;
    // Only the list and ops benchmarks need the 1M-HCP database.
    let needs_database = runs("list") || runs("ops");
    let mut report = String::new();
    let mut sections: Vec<(&str, String)> = Vec::new();
    let mut ops_report = String::new();
    let dir = tempfile::tempdir()?;
    if needs_database {
        eprintln!("SQLite: loading {} HCPs...", args.hcps);
        let store = Store::connect(&format!(
            "sqlite://{}",
            dir.path().join("bench.db").display()
        ))
        .await?
        .with_keys(pharmacrm_fixtures::test_keys());
        store.migrate().await?;
        let load = fill(&store, &args).await?;
        let total = store.count_hcps(&Scope::All).await?;
        if runs("list") {
            let (in_scope, timings) = measure(&store, args.runs).await?;
            report.push_str(&table(
                "SQLite (embedded file, WAL)",
                total,
                in_scope,
                load,
                &timings,
            ));
            eprintln!("{report}");
        }
        if runs("ops") {
            let figures = ops::run(&store, 5).await?;
            ops_report.push_str(&ops::table("SQLite (embedded file, WAL)", &figures));
            eprintln!("{ops_report}");
        }
    }
    if !args.sqlite_only && needs_database {
        sqlx::any::install_default_drivers();
        let name = format!("pharmacrm_bench_{}", std::process::id());
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!(
            "{}/postgres",
            args.postgres
        ))
        .await
        .context("PostgreSQL")?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        let store = Store::connect(&format!("{}/{name}", args.postgres))
            .await?
            .with_keys(pharmacrm_fixtures::test_keys());
        store.migrate().await?;
        eprintln!("PostgreSQL: loading {} HCPs...", args.hcps);
        let load = fill(&store, &args).await?;
        sqlx::query("ANALYZE").execute(store.pool()).await?;
        let total = store.count_hcps(&Scope::All).await?;
        if runs("list") {
            let (in_scope, timings) = measure(&store, args.runs).await?;
            report.push_str(&table(
                "PostgreSQL (local server)",
                total,
                in_scope,
                load,
                &timings,
            ));
        }
        if runs("ops") {
            let figures = ops::run(&store, 5).await?;
            ops_report.push_str(&ops::table("PostgreSQL (local server)", &figures));
            eprintln!("{ops_report}");
        }
        store.close().await;
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await?;
    }
    if !ops_report.is_empty() {
        sections.push((
            "ops",
            format!(
                "\n## Commercial ops on 1,000,000 HCPs\n\nThe same database after the list benchmark, with a year to date of calls added ({} per territory, audited like any call). \
The frequency report is the national one (every territory, every target HCP) through the report service; the realignment moves every ZIP of every tenth \
territory to its neighbour (impact preview, then publication effective today with an override: effective-dated ZIP alignment, notices to the reps and \
managers affected, one transaction).\n{ops_report}",
                ops::CALLS_PER_TERRITORY
            ),
        ));
    }
    if runs("list") {
        sections.push(("list", format!("\n## HCP list and search for a rep with about 1,000 HCPs in 1,000,000\n\nOver {} runs after one warm-up.\n{report}", args.runs)));
    }
    if runs("sync") {
        let section = sync::run(|name| {
            format!(
                "sqlite://{}",
                dir.path().join(format!("{name}.db")).display()
            )
        })
        .await?;
        eprintln!("{section}");
        report.push_str(&section);
        sections.push(("sync", section));
        let section = sync::durability(|name| {
            format!(
                "sqlite://{}",
                dir.path().join(format!("{name}.db")).display()
            )
        })
        .await?;
        eprintln!("{section}");
        report.push_str(&section);
        sections.push(("durability", section));
    }
    if runs("matching") {
        let section = matching::run()?;
        report.push_str(&section);
        sections.push(("matching", section));
    }
    println!("{report}");
    if let Some(path) = args.out {
        let machine = format!(
            "{} cores, {}, {}",
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(0),
            std::fs::read_to_string("/proc/meminfo")
                .ok()
                .and_then(|m| m.lines().next().map(|l| l
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("?")
                    .to_string()))
                .map(|kb| format!("{} GiB RAM", kb.parse::<u64>().unwrap_or(0) / 1024 / 1024))
                .unwrap_or_default(),
            std::fs::read_to_string("/proc/cpuinfo")
                .ok()
                .and_then(
                    |c| c.lines().find(|l| l.starts_with("model name")).map(|l| l
                        .split(':')
                        .nth(1)
                        .unwrap_or("")
                        .trim()
                        .to_string())
                )
                .unwrap_or_default()
        );
        let stamp = format!(
            "Machine: {machine}. Date: {}.\n",
            pharmacrm_domain::clock::Clock::today(&pharmacrm_domain::clock::SystemClock)
        );
        let existing = std::fs::read_to_string(&path).unwrap_or_default();
        let mut text = if existing.starts_with("# Benchmarks") {
            existing
        } else {
            "# Benchmarks\n\nRecorded by `make bench` (`cargo run --release -p pharmacrm-bench`; `-- --only list|ops|sync|matching` runs one section and keeps the others). Latencies are of the service and storage calls the API makes (scope applied in SQL), measured in-process.\n".to_string()
        };
        for (name, body) in sections {
            let body = format!("<!-- section:{name} -->\n{stamp}{body}<!-- /section:{name} -->\n");
            let open = format!("<!-- section:{name} -->");
            let close = format!("<!-- /section:{name} -->\n");
            match (text.find(&open), text.find(&close)) {
                (Some(a), Some(b)) => text.replace_range(a..b + close.len(), &body),
                _ => text.push_str(&format!("\n{body}")),
            }
        }
        std::fs::write(&path, text)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

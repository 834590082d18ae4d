//! The `pharmacrm` command line: serve the API and web UI, create the demo, migrate,
//! import and export CSV files, add users, print the OpenAPI document.

mod config;
mod demo;
mod files;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use config::Settings;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::role::Role;
use pharmacrm_storage::Store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pharmacrm",
    version,
    about = "Offline-first CRM for pharmaceutical field forces"
)]
struct Cli {
    /// Configuration file (TOML). Default: ./pharmacrm.toml when present.
    #[arg(long, global = true, env = "PHARMACRM_CONFIG")]
    config: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST:PORT/DB. Default: sqlite://pharmacrm.db
    #[arg(long, global = true, env = "PHARMACRM_DATABASE_URL")]
    database_url: Option<String>,
    /// Log format.
    #[arg(long, global = true, env = "PHARMACRM_LOG_FORMAT", value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, serde::Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web UI.
    Serve {
        /// Address to listen on. Default: 127.0.0.1:8080
        #[arg(long, env = "PHARMACRM_LISTEN")]
        listen: Option<String>,
    },
    /// Fill an empty database with a realistic synthetic field force, print the logins, serve.
    Demo {
        #[arg(long, env = "PHARMACRM_LISTEN")]
        listen: Option<String>,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        #[arg(long, value_enum, default_value_t = Scale::Default)]
        scale: Scale,
        /// Create the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// Override the scale's number of territories (one rep each).
        #[arg(long)]
        territories: Option<usize>,
        /// Override the scale's number of HCPs.
        #[arg(long)]
        hcps: Option<usize>,
        /// Override the scale's number of accounts.
        #[arg(long)]
        accounts: Option<usize>,
        /// Override the scale's months of call history.
        #[arg(long)]
        history_months: Option<u32>,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Import a CSV file; bad rows are reported, good rows kept (exit code 3 when rows were rejected).
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        file: PathBuf,
        /// Also write the rejected rows' errors to this CSV file.
        #[arg(long)]
        errors: Option<PathBuf>,
    },
    /// Export data as CSV.
    Export {
        #[arg(value_enum)]
        kind: ExportKind,
        /// Output file; standard output when absent.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Export what this user may see (default: everything).
        #[arg(long = "as")]
        as_user: Option<String>,
        /// Only this territory (code).
        #[arg(long)]
        territory: Option<String>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Frequency targets: calls per month per tier.
    Targets {
        #[command(subcommand)]
        command: TargetsCommand,
    },
    /// HCP duplicate detection (docs/master-data.md).
    Duplicates {
        #[command(subcommand)]
        command: DuplicatesCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(Subcommand)]
enum TargetsCommand {
    /// Show the frequency targets in force and the targeting versions.
    List,
    /// Publish a draft targeting version (by number) from a date, today by default (reps'
    /// plans follow on their next sync once it is in force).
    Publish {
        number: u32,
        #[arg(long)]
        effective_from: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum DuplicatesCommand {
    /// Re-estimate the matching model (m, u and the prior) from the HCPs on file.
    Estimate,
    /// Compare every pair of HCPs sharing a blocking key and queue likely duplicates for
    /// the data stewards.
    Scan,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain over the append-only audit log; report the first entry
    /// altered or removed, then check every stored sample transaction and signed record
    /// against its audit entry (exit code 1 when anything was tampered with).
    Verify,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Scale {
    Small,
    Default,
    Large,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    Hcps,
    Accounts,
    Alignment,
    Segments,
    Specialties,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportKind {
    Hcps,
}

#[derive(Subcommand)]
enum UserCommand {
    /// End a rep's or manager's assignments (they leave): their unit becomes vacant.
    Leave {
        username: String,
        /// First day without the assignment (default today).
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
    /// Move a rep to another territory (or a manager to another district) from a date.
    Move {
        username: String,
        #[arg(long)]
        unit: String,
        /// First day in the new unit (default today).
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
    /// Add a user; a rep needs --unit TERRITORY_CODE, a manager --unit DISTRICT_CODE.
    Add {
        username: String,
        #[arg(long)]
        role: String,
        /// Display name (default: the username).
        #[arg(long)]
        name: Option<String>,
        /// Password (or PHARMACRM_PASSWORD).
        #[arg(long, env = "PHARMACRM_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        unit: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let settings = Settings::load(
        cli.config.as_deref(),
        cli.database_url.clone(),
        cli.log_format,
    )?;
    init_tracing(settings.log_format);
    if let Command::Openapi = cli.command {
        print_openapi()?;
        return Ok(ExitCode::SUCCESS);
    }
    let store = connect(&settings).await?;
    let cli_actor = Actor::system("cli");
    let finish = match cli.command {
        Command::Serve { listen } => serve(&store, &settings, listen).await?,
        Command::Demo {
            listen,
            seed,
            scale,
            no_serve,
            territories,
            hcps,
            accounts,
            history_months,
        } => {
            let overrides = demo::Overrides {
                territories,
                hcps,
                accounts,
                history_months,
            };
            demo(&store, &settings, listen, seed, scale, no_serve, &overrides).await?
        }
        Command::Migrate => migrate(&settings),
        Command::Import { kind, file, errors } => {
            import(&store, &cli_actor, kind, &file, errors.as_deref()).await?
        }
        Command::Export {
            kind: ExportKind::Hcps,
            out,
            as_user,
            territory,
        } => export_hcps(&store, out, as_user, territory).await?,
        Command::User { command } => user(&store, &cli_actor, command).await?,
        Command::Targets { command } => targets(&store, &cli_actor, command).await?,
        Command::Duplicates { command } => duplicates(&store, &cli_actor, command).await?,
        Command::Audit {
            command: AuditCommand::Verify,
        } => verify_audit(&store).await?,
        Command::Openapi => unreachable!("handled before connecting"),
    };
    if let Finish::Exit(code) = finish {
        return Ok(code);
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// How a subcommand ended: done (the store is closed and the command succeeds), or with an
/// exit code returned at once.
enum Finish {
    Close,
    Exit(ExitCode),
}

/// `openapi`: prints the OpenAPI document (no database needed).
fn print_openapi() -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(&pharmacrm_server::openapi::document())?
    );
    Ok(())
}

/// Connects to the configured database and brings its schema up to date.
async fn connect(settings: &Settings) -> Result<Store> {
    let store = Store::connect(&settings.database_url)
        .await
        .with_context(|| format!("connecting to {}", settings.redacted_url()))?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

/// The address to listen on: the flag, the configuration, or the default.
fn listen_addr(settings: &Settings, listen: Option<String>) -> Result<std::net::SocketAddr> {
    pharmacrm_server::parse_addr(&settings.listen(listen)).map_err(anyhow::Error::msg)
}

/// `serve`: serves the API and the web UI until Ctrl-C.
async fn serve(store: &Store, settings: &Settings, listen: Option<String>) -> Result<Finish> {
    let addr = listen_addr(settings, listen)?;
    pharmacrm_server::serve(store.clone(), addr, pharmacrm_server::shutdown_signal()).await?;
    Ok(Finish::Close)
}

/// `demo`: fills an empty database with a synthetic field force, prints the logins, then
/// serves unless told not to.
async fn demo(
    store: &Store,
    settings: &Settings,
    listen: Option<String>,
    seed: u64,
    scale: Scale,
    no_serve: bool,
    overrides: &demo::Overrides,
) -> Result<Finish> {
    demo::fill(store, seed, scale, overrides).await?;
    demo::print_logins(store).await?;
    if !no_serve {
        let addr = listen_addr(settings, listen)?;
        println!("\nServing on http://{addr} (Ctrl-C to stop)");
        pharmacrm_server::serve(store.clone(), addr, pharmacrm_server::shutdown_signal()).await?;
    }
    Ok(Finish::Close)
}

/// `migrate`: the schema was brought up to date on connecting; says so.
fn migrate(settings: &Settings) -> Finish {
    println!("database is up to date ({})", settings.redacted_url());
    Finish::Close
}

/// `import`: imports a CSV file and reports its rows; exit code 3 when rows were rejected.
async fn import(
    store: &Store,
    actor: &Actor,
    kind: ImportKind,
    file: &std::path::Path,
    errors: Option<&std::path::Path>,
) -> Result<Finish> {
    let report = files::import(store, actor, kind, file).await?;
    files::print_report(&report, errors)?;
    if report.rejected > 0 {
        return Ok(Finish::Exit(ExitCode::from(3)));
    }
    Ok(Finish::Close)
}

/// `export hcps`: writes the HCPs a user may see (or all) as CSV.
async fn export_hcps(
    store: &Store,
    out: Option<PathBuf>,
    as_user: Option<String>,
    territory: Option<String>,
) -> Result<Finish> {
    files::export_hcps(
        store,
        out.as_deref(),
        as_user.as_deref(),
        territory.as_deref(),
    )
    .await?;
    Ok(Finish::Close)
}

/// `user leave|move|add`.
async fn user(store: &Store, actor: &Actor, command: UserCommand) -> Result<Finish> {
    match command {
        UserCommand::Leave { username, on } => user_leave(store, actor, &username, on).await?,
        UserCommand::Move { username, unit, on } => {
            user_move(store, actor, &username, &unit, on).await?
        }
        UserCommand::Add {
            username,
            role,
            name,
            password,
            unit,
        } => user_add(store, actor, username, &role, name, password, unit).await?,
    }
    Ok(Finish::Close)
}

/// `user leave`: ends a user's assignments on a day (default today); the unit is vacant.
async fn user_leave(
    store: &Store,
    actor: &Actor,
    username: &str,
    on: Option<chrono::NaiveDate>,
) -> Result<()> {
    let on = on.unwrap_or_else(|| store.today());
    let ended = pharmacrm_service::org::leave(store, actor, username, on)
        .await
        .map_err(files::explain)?;
    println!("{username}: {ended} assignment(s) end on {on}; the unit is vacant from then");
    Ok(())
}

/// `user move`: a user covers another unit from a day (default today).
async fn user_move(
    store: &Store,
    actor: &Actor,
    username: &str,
    unit: &str,
    on: Option<chrono::NaiveDate>,
) -> Result<()> {
    let on = on.unwrap_or_else(|| store.today());
    pharmacrm_service::org::move_to(store, actor, username, unit, on)
        .await
        .map_err(files::explain)?;
    println!("{username} covers {unit} from {on}");
    Ok(())
}

/// `user add`: adds a user with a role (and unit), from today.
async fn user_add(
    store: &Store,
    actor: &Actor,
    username: String,
    role: &str,
    name: Option<String>,
    password: String,
    unit: Option<String>,
) -> Result<()> {
    let role = Role::parse(role).with_context(|| {
        format!("'{role}' is not a role (rep, manager, ops, marketing, compliance, admin)")
    })?;
    let request = pharmacrm_service::users::UserRequest {
        display_name: name.unwrap_or_else(|| username.clone()),
        username,
        role,
        password,
        unit_code: unit,
        from: store.today(),
    };
    let user = pharmacrm_service::users::add_user(store, actor, request)
        .await
        .map_err(files::explain)?;
    println!("added {} ({})", user.username, user.role);
    Ok(())
}

/// `targets list|publish`: publishes a version if asked, then lists the frequency targets
/// in force and the targeting versions.
async fn targets(store: &Store, actor: &Actor, command: TargetsCommand) -> Result<Finish> {
    let today = store.today();
    if let TargetsCommand::Publish {
        number,
        effective_from,
    } = command
    {
        publish_targeting_version(store, actor, today, number, effective_from).await?;
    }
    print_frequency_targets(store).await?;
    print_targeting_versions(store).await?;
    Ok(Finish::Close)
}

/// Publishes draft targeting version `number` from a date (today by default, never in the
/// past) and brings into force what is due today.
async fn publish_targeting_version(
    store: &Store,
    actor: &Actor,
    today: chrono::NaiveDate,
    number: u32,
    effective_from: Option<chrono::NaiveDate>,
) -> Result<()> {
    let versions = store.targeting_versions().await?;
    let version = versions
        .iter()
        .find(|v| v.number == number)
        .ok_or_else(|| anyhow::anyhow!("no targeting version {number}"))?;
    let from = effective_from.unwrap_or(today);
    if from < today {
        anyhow::bail!("effective_from: cannot be in the past");
    }
    store
        .publish_targeting_version(actor, version.id, from)
        .await?;
    pharmacrm_service::targeting::apply_due(store, actor, today)
        .await
        .map_err(files::explain)?;
    Ok(())
}

async fn print_frequency_targets(store: &Store) -> Result<()> {
    let products: std::collections::HashMap<_, _> = store
        .products()
        .await?
        .into_iter()
        .map(|p| (p.id, p.brand))
        .collect();
    for t in store.frequency_targets(None).await? {
        let brand = products.get(&t.product_id).map_or("?", String::as_str);
        println!(
            "{brand} tier {}: {} calls per {}",
            t.tier.as_str(),
            t.calls,
            t.cycle.as_str()
        );
    }
    Ok(())
}

async fn print_targeting_versions(store: &Store) -> Result<()> {
    for v in store.targeting_versions().await? {
        let from = v
            .effective_from
            .map(|d| format!(" from {d}"))
            .unwrap_or_default();
        println!(
            "version {} {:?}{from}: {} ({} segment rows)",
            v.number, v.state, v.name, v.segments
        );
    }
    Ok(())
}

/// `duplicates estimate|scan`.
async fn duplicates(store: &Store, actor: &Actor, command: DuplicatesCommand) -> Result<Finish> {
    match command {
        DuplicatesCommand::Estimate => estimate_matching_model(store, actor).await?,
        DuplicatesCommand::Scan => scan_for_duplicates(store).await?,
    }
    Ok(Finish::Close)
}

/// Re-estimates the matching model and prints its parameters and weights.
async fn estimate_matching_model(store: &Store, actor: &Actor) -> Result<()> {
    let model = pharmacrm_service::matching::estimate(store, actor)
        .await
        .map_err(files::explain)?;
    println!(
        "matching model estimated from {} candidate pairs and {} random pairs; prior {:.3e}; thresholds: link {}, review {}",
        model.parameters.candidate_pairs, model.parameters.random_pairs, model.parameters.prior, model.thresholds.link, model.thresholds.review
    );
    for field in &model.weights {
        let levels: Vec<String> = field
            .levels
            .iter()
            .map(|l| format!("{} {:+.1}", l.level, l.weight))
            .collect();
        println!("  {:?}: {}", field.field, levels.join(", "));
    }
    Ok(())
}

/// Compares the candidate pairs and queues likely duplicates; prints the counts.
async fn scan_for_duplicates(store: &Store) -> Result<()> {
    let report = pharmacrm_service::matching::scan_all(store)
        .await
        .map_err(files::explain)?;
    println!(
        "{} candidate pairs compared ({} oversized blocks skipped): {} same record, {} for a steward; {} new in the queue",
        report.candidate_pairs, report.skipped_blocks, report.same_record, report.ask_steward, report.new_pairs
    );
    Ok(())
}

/// `audit verify`: the audit log's hash chain, then the sample facts against it; exit code
/// 1 at the first part tampered with.
async fn verify_audit(store: &Store) -> Result<Finish> {
    let report = store.verify_audit_chain().await?;
    match report.problem {
        None => println!("audit log intact: {} entries chained", report.entries),
        Some(problem) => {
            println!(
                "audit log TAMPERED: {problem} ({} entries verified before it)",
                report.entries
            );
            return Ok(Finish::Exit(ExitCode::FAILURE));
        }
    }
    let facts = store.verify_sample_facts().await?;
    match facts.problem {
        None => println!(
            "sample records intact: {} transactions and signed records match the audit log",
            facts.checked
        ),
        Some(problem) => {
            println!("sample records TAMPERED: {problem}");
            return Ok(Finish::Exit(ExitCode::FAILURE));
        }
    }
    Ok(Finish::Close)
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

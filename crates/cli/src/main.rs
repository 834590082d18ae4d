//! The `pharmacrm` command line: serve the API and web UI, create the demo, migrate,
//! import and export CSV files, add users, print the OpenAPI document.

mod config;
mod demo;
mod files;
mod keys;

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
    /// The seal key file (kept outside the database). Default for SQLite: <db file>.seal-keys
    #[arg(long, global = true, env = "PHARMACRM_SEAL_KEYS")]
    seal_keys: Option<PathBuf>,
    /// The file sealed audit checkpoints are appended to. Default for SQLite:
    /// <db file>.checkpoints, else beside the key file.
    #[arg(long, global = true, env = "PHARMACRM_AUDIT_CHECKPOINTS")]
    audit_checkpoints: Option<PathBuf>,
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
        #[command(flatten)]
        exposure: config::ExposureFlags,
    },
    /// Fill an empty database with a realistic synthetic field force, print the logins, serve.
    Demo {
        #[arg(long, env = "PHARMACRM_LISTEN")]
        listen: Option<String>,
        #[command(flatten)]
        exposure: config::ExposureFlags,
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
    /// against its audit entry, every signed record's seal, and the chain against the sealed
    /// checkpoints (exit code 1 when anything was tampered with).
    Verify,
    /// Append a sealed checkpoint of the audit chain's head to the checkpoint file (the
    /// server does so every minute the chain grew).
    Checkpoint,
    /// Rotate the seal keys: append a new key to the key file; it seals from the next start,
    /// and every older key still verifies what it sealed.
    NewKey,
    /// Seal the signed records stored before seals existed (once, after upgrading, when
    /// `audit verify` finds them matching the audit log).
    SealUnsealed,
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
    let anchor = config::AnchorFiles {
        seal_keys: cli.seal_keys.clone(),
        audit_checkpoints: cli.audit_checkpoints.clone(),
    };
    let settings = Settings::load(
        cli.config.as_deref(),
        cli.database_url.clone(),
        cli.log_format,
        anchor,
    )?;
    init_tracing(settings.log_format);
    match cli.command {
        Command::Openapi => {
            print_openapi()?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Audit {
            command: AuditCommand::NewKey,
        } => {
            let id = keys::rotate(settings.seal_keys.as_deref())?;
            println!("added seal key {id}; restart the server to seal with it");
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let serves = matches!(cli.command, Command::Serve { .. } | Command::Demo { .. });
    let store = connect(&settings, serves).await?;
    let cli_actor = Actor::system("cli");
    let finish = match cli.command {
        Command::Serve { listen, exposure } => serve(&store, &settings, listen, exposure).await?,
        Command::Demo {
            listen,
            exposure,
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
            let exposure = settings.exposure(exposure)?;
            let serving = (!no_serve).then_some((listen, exposure));
            demo(&store, &settings, serving, seed, scale, &overrides).await?
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
        Command::Audit { command } => audit(&store, &settings, command).await?,
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

/// Connects to the configured database, brings its schema up to date and gives the store
/// its seal keys. A command that serves (and so stores signed records) creates the key file
/// when absent and cannot run without one.
async fn connect(settings: &Settings, serves: bool) -> Result<Store> {
    let keys = keys::load(settings.seal_keys.as_deref(), serves)?;
    if serves && keys.is_none() {
        anyhow::bail!("no seal key file: name one outside the database with seal_keys (PHARMACRM_SEAL_KEYS, --seal-keys)");
    }
    let store = Store::connect(&settings.database_url)
        .await
        .with_context(|| format!("connecting to {}", settings.redacted_url()))?;
    store.migrate().await.context("migrating the database")?;
    Ok(match keys {
        Some(keys) => store.with_keys(keys),
        None => store,
    })
}

/// The address to listen on: the flag, the configuration, or the default.
fn listen_addr(settings: &Settings, listen: Option<String>) -> Result<std::net::SocketAddr> {
    pharmacrm_server::parse_addr(&settings.listen(listen)).map_err(anyhow::Error::msg)
}

/// `serve`: serves the API and the web UI until Ctrl-C.
async fn serve(
    store: &Store,
    settings: &Settings,
    listen: Option<String>,
    exposure: config::ExposureFlags,
) -> Result<Finish> {
    let exposure = settings.exposure(exposure)?;
    run_server(store, settings, listen, exposure).await?;
    Ok(Finish::Close)
}

/// Binds the address and serves until Ctrl-C.
async fn run_server(
    store: &Store,
    settings: &Settings,
    listen: Option<String>,
    exposure: pharmacrm_server::Exposure,
) -> Result<()> {
    let addr = listen_addr(settings, listen)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let scheme = if exposure.tls.is_some() {
        "https"
    } else {
        "http"
    };
    println!("\nServing on {scheme}://{addr} (Ctrl-C to stop)");
    pharmacrm_server::serve(
        store.clone(),
        listener,
        settings.audit_checkpoints.clone(),
        exposure,
        pharmacrm_server::shutdown_signal(),
    )
    .await
    .context("serving")?;
    Ok(())
}

/// `demo`: fills an empty database with a synthetic field force, prints the logins, then
/// serves unless told not to.
async fn demo(
    store: &Store,
    settings: &Settings,
    serving: Option<(Option<String>, pharmacrm_server::Exposure)>,
    seed: u64,
    scale: Scale,
    overrides: &demo::Overrides,
) -> Result<Finish> {
    demo::fill(store, seed, scale, overrides).await?;
    demo::print_logins(store).await?;
    if let Some(file) = &settings.audit_checkpoints {
        let last =
            pharmacrm_service::audit::last_checkpoint(store, file).map_err(files::explain)?;
        pharmacrm_service::audit::checkpoint(store, file, last.as_ref())
            .await
            .map_err(files::explain)?;
    }
    if let Some((listen, exposure)) = serving {
        run_server(store, settings, listen, exposure).await?;
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

/// `audit verify|checkpoint|seal-unsealed` (`new-key` needs no database).
async fn audit(store: &Store, settings: &Settings, command: AuditCommand) -> Result<Finish> {
    if store.keys().is_none() {
        anyhow::bail!(
            "no seal key file found ({}): seals and checkpoints cannot be checked or made without it",
            settings
                .seal_keys
                .as_ref()
                .map_or("seal_keys is not configured".into(), |p| p.display().to_string())
        );
    }
    let checkpoints = settings.audit_checkpoints.as_deref();
    match command {
        AuditCommand::Verify => return verify_audit(store, checkpoints).await,
        AuditCommand::Checkpoint => {
            let file = checkpoints.context("no checkpoint file configured (audit_checkpoints)")?;
            let last =
                pharmacrm_service::audit::last_checkpoint(store, file).map_err(files::explain)?;
            match pharmacrm_service::audit::checkpoint(store, file, last.as_ref())
                .await
                .map_err(files::explain)?
            {
                Some(c) => println!(
                    "checkpoint: entry {} hash {} at {}",
                    c.position, c.hash, c.at
                ),
                None => println!("the chain has not moved since the last checkpoint"),
            }
        }
        AuditCommand::SealUnsealed => {
            let n = store.seal_unsealed_records().await?;
            println!("sealed {n} signed records stored before seals existed");
        }
        AuditCommand::NewKey => unreachable!("handled before connecting"),
    }
    Ok(Finish::Close)
}

/// `audit verify`: prints what each check found; exit code 1 when anything was tampered with.
async fn verify_audit(store: &Store, checkpoints: Option<&std::path::Path>) -> Result<Finish> {
    let report = pharmacrm_service::audit::verify(store, checkpoints)
        .await
        .map_err(files::explain)?;
    match &report.chain.problem {
        None => println!("audit log intact: {} entries chained", report.chain.entries),
        Some(problem) => println!(
            "audit log TAMPERED: {problem} ({} entries verified before it)",
            report.chain.entries
        ),
    }
    match &report.facts.problem {
        None => println!(
            "sample records intact: {} transactions and signed records match the audit log",
            report.facts.checked
        ),
        Some(problem) => println!("sample records TAMPERED: {problem}"),
    }
    if report.seals.problems.is_empty() {
        println!(
            "seals intact: {} signed records sealed",
            report.seals.sealed
        );
    }
    for problem in &report.seals.problems {
        println!("seal TAMPERED: {problem}");
    }
    match &report.anchor {
        None => println!("audit chain NOT ANCHORED: no checkpoint file configured"),
        Some(a) => match (&a.problem, &a.latest) {
            (Some(problem), _) => println!("audit chain TAMPERED: {problem}"),
            (None, Some(latest)) => println!(
                "audit chain anchored: {} checkpoints confirmed, the latest at entry {} ({}); entries after it rest on the database alone",
                a.confirmed, latest.position, latest.at
            ),
            (None, None) => println!("audit chain NOT ANCHORED: no checkpoint yet"),
        },
    }
    if report.tampered() {
        return Ok(Finish::Exit(ExitCode::FAILURE));
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

//! pharmacrm storage: the only code that talks SQL. One code base runs on SQLite (the
//! embedded default) and PostgreSQL through sqlx's `Any` driver; each backend has its own
//! migrations. Every read of HCPs and accounts takes the caller's [`Scope`] and applies it
//! inside the query, and every write records an audit entry in the same transaction.

pub mod accounts;
pub mod addresses;
pub mod alignment;
pub mod alignment_reads;
pub mod audit;
pub mod calls;
mod changes;
pub mod completeness;
mod error;
pub mod hcps;
pub mod matching;
pub mod merges;
pub mod org;
pub mod page;
pub mod products;
pub mod realignment;
pub mod reports;
pub mod requests;
pub mod samples;
mod scope;
pub mod segments;
pub mod specialties;
mod sql;
pub mod sync;
pub mod targeting;
pub mod users;

pub use error::StorageError;
pub use pharmacrm_domain::access::Scope;
pub use sql::timestamp_text;

use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::clock::{SharedClock, SystemClock};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The handle every layer above storage uses.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    clock: SharedClock,
    /// Told on each commit that changed what devices pull (see `changes`).
    changes: tokio::sync::broadcast::Sender<()>,
    /// The keys signed records and audit checkpoints are sealed with, read from a file
    /// outside the database (`pharmacrm_domain::seal`). A store without keys refuses to
    /// write a signed record rather than store it unsealed.
    keys: Option<std::sync::Arc<pharmacrm_domain::seal::Keyring>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// When SQLite reports a commit done. Every store the server opens is [`Durability::Full`];
/// `Normal` exists so the benchmark can state what full durability costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous = FULL`: the WAL is synced at every commit; an acknowledged mutation
    /// survives an OS crash or a power loss.
    Full,
    /// `synchronous = NORMAL`: survives a killed process, not a power loss (benchmark only).
    Normal,
}

impl Store {
    /// Connects to `sqlite://PATH` (the file is created when missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store> {
        Self::connect_with(url, Durability::Full).await
    }

    /// [`Store::connect`] with the SQLite durability stated (PostgreSQL ignores it).
    pub async fn connect_with(url: &str, durability: Durability) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let url = if rest.contains('?') || rest.contains(":memory:") {
                url.to_string()
            } else {
                format!("sqlite:{rest}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StorageError::Config(format!(
                "database URL must start with sqlite:// or postgres://, got '{url}'"
            )));
        };
        let options = AnyPoolOptions::new().max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        });
        // Durability: `synchronous = FULL` syncs the WAL at every commit, so a mutation the
        // server acknowledged (and the device removed from its outbox) survives an OS crash or
        // a power loss, not only a killed process (`NORMAL` could drop the last commits).
        // PostgreSQL's default `synchronous_commit = on` gives the same; the storage tests
        // assert both settings.
        let options = if backend == Backend::Sqlite {
            options.after_connect(move |conn, _| {
                Box::pin(async move {
                    conn.execute(match durability {
                        Durability::Full => "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;",
                        Durability::Normal => "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                    })
                    .await?;
                    Ok(())
                })
            })
        } else {
            options
        };
        let pool = options.connect(&url).await?;
        Ok(Store {
            pool,
            backend,
            clock: SystemClock::shared(),
            changes: changes::channel(),
            keys: None,
        })
    }

    /// The same store reading time from `clock` (tests and replays run at any date).
    pub fn with_clock(self, clock: SharedClock) -> Store {
        Store { clock, ..self }
    }

    /// The same store sealing signed records (and checkpoints) with `keys`.
    pub fn with_keys(self, keys: pharmacrm_domain::seal::Keyring) -> Store {
        Store {
            keys: Some(std::sync::Arc::new(keys)),
            ..self
        }
    }

    /// The seal keys, when the store was given them.
    pub fn keys(&self) -> Option<&pharmacrm_domain::seal::Keyring> {
        self.keys.as_deref()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's date in UTC: the day alignments and assignments are evaluated on.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Now, as stored: RFC 3339 UTC with microseconds (sorts as text).
    pub fn now_timestamp(&self) -> String {
        timestamp_text(self.clock.now())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Brings the schema up to date and makes sure the built-in reference data is there.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.chain_unchained_entries().await?;
        specialties::ensure_built_in(self).await?;
        Ok(())
    }

    /// Whether the database holds no users yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool> {
        let row: AnyRow = sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(sql::get_i64(&row, 0)? == 0)
    }

    /// Refreshes the query planner's statistics after bulk loads (demo data, imports).
    pub async fn analyze(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

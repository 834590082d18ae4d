//! Configuration: flags, then environment variables (both through clap), then the TOML
//! file, then defaults. The default database is an SQLite file in the working directory.
//! The seal keys and the audit checkpoints live in files outside the database: by default,
//! for an SQLite database, beside its file (`<db>.seal-keys`, created with mode 0600 by
//! `serve` and `demo` when absent, and `<db>.checkpoints`); a PostgreSQL deployment names
//! its key file (`seal_keys`), ideally where the database's administrators cannot read it.
//! How `serve` and `demo` expose the server (TLS, connection limits, the metrics token or
//! address) is [`ExposureFlags`], set the same three ways (docs/security.md).

use crate::LogFormat;
use anyhow::{Context, Result};
use pharmacrm_server::{Exposure, Limits, TlsFiles};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://pharmacrm.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The keys a `pharmacrm.toml` may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    database_url: Option<String>,
    listen: Option<String>,
    log_format: Option<LogFormat>,
    seal_keys: Option<PathBuf>,
    audit_checkpoints: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    metrics_token: Option<String>,
    metrics_listen: Option<String>,
    header_read_timeout: Option<u64>,
    request_timeout: Option<u64>,
    idle_timeout: Option<u64>,
    max_connections: Option<usize>,
}

impl File {
    fn exposure(&self) -> ExposureFlags {
        ExposureFlags {
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
            metrics_token: self.metrics_token.clone(),
            metrics_listen: self.metrics_listen.clone(),
            header_read_timeout: self.header_read_timeout,
            request_timeout: self.request_timeout,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections,
        }
    }
}

/// How the server is exposed: each a flag of `serve` and `demo`, an environment variable
/// and a key of the configuration file. Timeouts are in seconds.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ExposureFlags {
    /// TLS certificate chain (PEM). With --tls-key, serve HTTPS (and send HSTS).
    #[arg(long, env = "PHARMACRM_TLS_CERT")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM) of --tls-cert.
    #[arg(long, env = "PHARMACRM_TLS_KEY")]
    tls_key: Option<PathBuf>,
    /// /metrics answers only `Authorization: Bearer <token>`. Without it or --metrics-listen,
    /// /metrics is off.
    #[arg(long, env = "PHARMACRM_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Serve /metrics on this address (plain HTTP) instead of the main one.
    #[arg(long, env = "PHARMACRM_METRICS_LISTEN")]
    metrics_listen: Option<String>,
    /// Seconds from a connection's opening (or its previous answer) to a request's last
    /// header line; bounds the TLS handshake too. Default: 30
    #[arg(long, env = "PHARMACRM_HEADER_READ_TIMEOUT", value_name = "SECONDS")]
    header_read_timeout: Option<u64>,
    /// Seconds from a request's headers to its answer, upload included (the event stream's
    /// body is not cut). Default: 120
    #[arg(long, env = "PHARMACRM_REQUEST_TIMEOUT", value_name = "SECONDS")]
    request_timeout: Option<u64>,
    /// Seconds without a byte either way that close a connection. Default: 120
    #[arg(long, env = "PHARMACRM_IDLE_TIMEOUT", value_name = "SECONDS")]
    idle_timeout: Option<u64>,
    /// Connections open at once; more wait until one closes. Default: 1000
    #[arg(long, env = "PHARMACRM_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
}

impl ExposureFlags {
    /// These flags, each unset one taken from `file`.
    fn or(self, file: &ExposureFlags) -> ExposureFlags {
        let file = file.clone();
        ExposureFlags {
            tls_cert: self.tls_cert.or(file.tls_cert),
            tls_key: self.tls_key.or(file.tls_key),
            metrics_token: self.metrics_token.or(file.metrics_token),
            metrics_listen: self.metrics_listen.or(file.metrics_listen),
            header_read_timeout: self.header_read_timeout.or(file.header_read_timeout),
            request_timeout: self.request_timeout.or(file.request_timeout),
            idle_timeout: self.idle_timeout.or(file.idle_timeout),
            max_connections: self.max_connections.or(file.max_connections),
        }
    }

    fn exposure(self) -> Result<Exposure> {
        let defaults = Limits::default();
        let seconds = |value: Option<u64>, default: Duration, name: &str| match value {
            Some(0) => anyhow::bail!("{name} must be at least 1 second"),
            Some(s) => Ok(Duration::from_secs(s)),
            None => Ok(default),
        };
        let limits = Limits {
            header_read: seconds(
                self.header_read_timeout,
                defaults.header_read,
                "header_read_timeout",
            )?,
            request: seconds(self.request_timeout, defaults.request, "request_timeout")?,
            idle: seconds(self.idle_timeout, defaults.idle, "idle_timeout")?,
            max_connections: match self.max_connections {
                Some(0) => anyhow::bail!("max_connections must be at least 1"),
                Some(n) => n,
                None => defaults.max_connections,
            },
        };
        let tls = match (self.tls_cert, self.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => anyhow::bail!("TLS needs both a certificate (tls_cert) and its key (tls_key)"),
        };
        let metrics_listen = self
            .metrics_listen
            .map(|text| pharmacrm_server::parse_addr(&text).map_err(anyhow::Error::msg))
            .transpose()?;
        let metrics_token = self.metrics_token.filter(|t| !t.is_empty());
        Ok(Exposure {
            limits,
            tls,
            metrics_token,
            metrics_listen,
        })
    }
}

/// Where the anchor files are, as flags or environment variables give them.
#[derive(Debug, Default, Clone)]
pub struct AnchorFiles {
    pub seal_keys: Option<PathBuf>,
    pub audit_checkpoints: Option<PathBuf>,
}

pub struct Settings {
    pub database_url: String,
    pub log_format: LogFormat,
    listen: Option<String>,
    /// The keyring file (`pharmacrm_domain::seal`), if there is one for this database.
    pub seal_keys: Option<PathBuf>,
    /// The file audit checkpoints are appended to.
    pub audit_checkpoints: Option<PathBuf>,
    exposure: ExposureFlags,
}

impl Settings {
    pub fn load(
        path: Option<&Path>,
        database_url: Option<String>,
        log_format: Option<LogFormat>,
        anchor: AnchorFiles,
    ) -> Result<Settings> {
        let file = match path {
            Some(path) => read(path)?,
            None if Path::new("pharmacrm.toml").exists() => read(Path::new("pharmacrm.toml"))?,
            None => File::default(),
        };
        let exposure = file.exposure();
        let database_url = database_url
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let beside_db = |suffix: &str| {
            sqlite_path(&database_url).map(|p| PathBuf::from(format!("{}{suffix}", p.display())))
        };
        let seal_keys = anchor
            .seal_keys
            .or(file.seal_keys)
            .or_else(|| beside_db(".seal-keys"));
        let audit_checkpoints = anchor
            .audit_checkpoints
            .or(file.audit_checkpoints)
            .or_else(|| beside_db(".checkpoints"))
            .or_else(|| {
                let keys = seal_keys.as_ref()?;
                Some(keys.with_file_name("pharmacrm-audit.checkpoints"))
            });
        Ok(Settings {
            database_url,
            log_format: log_format.or(file.log_format).unwrap_or(LogFormat::Text),
            listen: file.listen,
            seal_keys,
            audit_checkpoints,
            exposure,
        })
    }

    /// How to expose the server: the flags or environment values, else the file's, else
    /// the defaults.
    pub fn exposure(&self, flags: ExposureFlags) -> Result<Exposure> {
        flags.or(&self.exposure).exposure()
    }

    /// The listen address: the flag or environment value, else the file's, else the default.
    pub fn listen(&self, flag: Option<String>) -> String {
        flag.or_else(|| self.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.into())
    }

    /// The database URL without its password, for messages.
    pub fn redacted_url(&self) -> String {
        match (self.database_url.find("://"), self.database_url.find('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let credentials = &self.database_url[scheme + 3..at];
                match credentials.split_once(':') {
                    Some((user, _)) => format!(
                        "{}{user}:***{}",
                        &self.database_url[..scheme + 3],
                        &self.database_url[at..]
                    ),
                    None => self.database_url.clone(),
                }
            }
            _ => self.database_url.clone(),
        }
    }
}

/// The file of an `sqlite://PATH` URL (none for an in-memory database or another engine).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

fn read(path: &Path) -> Result<File> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pharmacrm.toml");
        std::fs::write(
            &path,
            "database_url = \"postgres://u:secret@db/crm\"\nlisten = \"0.0.0.0:9000\"\n",
        )
        .unwrap();
        let from_file = Settings::load(Some(&path), None, None, AnchorFiles::default()).unwrap();
        assert_eq!(from_file.database_url, "postgres://u:secret@db/crm");
        assert_eq!(from_file.redacted_url(), "postgres://u:***@db/crm");
        assert_eq!(from_file.listen(None), "0.0.0.0:9000");
        assert_eq!(from_file.listen(Some("127.0.0.1:1".into())), "127.0.0.1:1");
        assert_eq!(from_file.seal_keys, None, "PostgreSQL names its key file");
        let flagged = Settings::load(
            Some(&path),
            Some("sqlite://x.db".into()),
            Some(LogFormat::Json),
            AnchorFiles::default(),
        )
        .unwrap();
        assert_eq!(flagged.database_url, "sqlite://x.db");
        assert_eq!(flagged.log_format, LogFormat::Json);
        assert_eq!(flagged.seal_keys, Some(PathBuf::from("x.db.seal-keys")));
        assert_eq!(
            flagged.audit_checkpoints,
            Some(PathBuf::from("x.db.checkpoints"))
        );
        std::fs::write(
            &path,
            "tls_cert = \"c.pem\"\ntls_key = \"k.pem\"\nheader_read_timeout = 10\n\
             metrics_listen = \"127.0.0.1:9100\"\n",
        )
        .unwrap();
        let settings = Settings::load(Some(&path), None, None, AnchorFiles::default()).unwrap();
        let flags = ExposureFlags {
            idle_timeout: Some(5),
            ..ExposureFlags::default()
        };
        let exposure = settings.exposure(flags).unwrap();
        assert_eq!(exposure.tls.unwrap().cert, PathBuf::from("c.pem"));
        assert_eq!(exposure.limits.header_read, Duration::from_secs(10));
        assert_eq!(exposure.limits.idle, Duration::from_secs(5), "the flag");
        assert_eq!(exposure.limits.request, Limits::default().request);
        assert_eq!(exposure.metrics_listen.unwrap().port(), 9100);
        let half = ExposureFlags {
            tls_key: None,
            ..ExposureFlags::default()
        };
        std::fs::write(&path, "tls_cert = \"c.pem\"\n").unwrap();
        let settings = Settings::load(Some(&path), None, None, AnchorFiles::default()).unwrap();
        assert!(
            settings.exposure(half).is_err(),
            "a certificate needs its key"
        );
        std::fs::write(&path, "databse_url = \"typo\"\n").unwrap();
        assert!(
            Settings::load(Some(&path), None, None, AnchorFiles::default()).is_err(),
            "unknown keys are refused"
        );
    }
}

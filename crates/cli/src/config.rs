//! Configuration: flags, then environment variables (both through clap), then the TOML
//! file, then defaults. The default database is an SQLite file in the working directory.
//! The seal keys and the audit checkpoints live in files outside the database: by default,
//! for an SQLite database, beside its file (`<db>.seal-keys`, created with mode 0600 by
//! `serve` and `demo` when absent, and `<db>.checkpoints`); a PostgreSQL deployment names
//! its key file (`seal_keys`), ideally where the database's administrators cannot read it.

use crate::LogFormat;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
        })
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
        std::fs::write(&path, "databse_url = \"typo\"\n").unwrap();
        assert!(
            Settings::load(Some(&path), None, None, AnchorFiles::default()).is_err(),
            "unknown keys are refused"
        );
    }
}

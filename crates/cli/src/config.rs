//! Configuration: flags, then environment variables (both through clap), then the TOML
//! file, then defaults. The default database is an SQLite file in the working directory.

use crate::LogFormat;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://pharmacrm.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The keys a `pharmacrm.toml` may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    database_url: Option<String>,
    listen: Option<String>,
    log_format: Option<LogFormat>,
}

pub struct Settings {
    pub database_url: String,
    pub log_format: LogFormat,
    listen: Option<String>,
}

impl Settings {
    pub fn load(
        path: Option<&Path>,
        database_url: Option<String>,
        log_format: Option<LogFormat>,
    ) -> Result<Settings> {
        let file = match path {
            Some(path) => read(path)?,
            None if Path::new("pharmacrm.toml").exists() => read(Path::new("pharmacrm.toml"))?,
            None => File::default(),
        };
        Ok(Settings {
            database_url: database_url
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            log_format: log_format.or(file.log_format).unwrap_or(LogFormat::Text),
            listen: file.listen,
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
        let from_file = Settings::load(Some(&path), None, None).unwrap();
        assert_eq!(from_file.database_url, "postgres://u:secret@db/crm");
        assert_eq!(from_file.redacted_url(), "postgres://u:***@db/crm");
        assert_eq!(from_file.listen(None), "0.0.0.0:9000");
        assert_eq!(from_file.listen(Some("127.0.0.1:1".into())), "127.0.0.1:1");
        let flagged = Settings::load(
            Some(&path),
            Some("sqlite://x.db".into()),
            Some(LogFormat::Json),
        )
        .unwrap();
        assert_eq!(flagged.database_url, "sqlite://x.db");
        assert_eq!(flagged.log_format, LogFormat::Json);
        std::fs::write(&path, "databse_url = \"typo\"\n").unwrap();
        assert!(
            Settings::load(Some(&path), None, None).is_err(),
            "unknown keys are refused"
        );
    }
}

//! The seal keyring file (`pharmacrm_domain::seal::Keyring`): read at start, created with
//! mode 0600 by `serve` and `demo` when absent, and rotated by `audit new-key`, which appends
//! a key (the newest seals; every key in the file still verifies what it sealed). The keys
//! never enter the database.

use anyhow::{bail, Context, Result};
use pharmacrm_domain::seal::{Keyring, KEY_BYTES};
use rand::RngCore;
use std::io::Write;
use std::path::Path;

/// Reads the keyring at `path`; when it is absent, creates it with one new key if `create`,
/// else answers `None`.
pub fn load(path: Option<&Path>, create: bool) -> Result<Option<Keyring>> {
    let Some(path) = path else {
        return Ok(None);
    };
    if !path.exists() {
        if !create {
            return Ok(None);
        }
        append_key(path, None)?;
        eprintln!(
            "created the seal key file {} (mode 0600); back it up apart from the database",
            path.display()
        );
    }
    warn_if_readable_by_others(path);
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the seal keys {}", path.display()))?;
    let keys = Keyring::parse(&text)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("parsing the seal keys {}", path.display()))?;
    Ok(Some(keys))
}

/// Appends a new random key to the keyring at `path` (creating it, mode 0600), after the
/// keys of `existing`; returns the new key's id.
pub fn append_key(path: &Path, existing: Option<&Keyring>) -> Result<String> {
    let mut secret = [0u8; KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let line = Keyring::key_line(existing, &secret);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("opening the seal keys {}", path.display()))?;
    file.write_all(line.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing the seal keys {}", path.display()))?;
    Ok(line
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string())
}

/// `audit new-key`: rotates the keys (the server seals with the new key once restarted).
pub fn rotate(path: Option<&Path>) -> Result<String> {
    let Some(path) = path else {
        bail!("no seal key file configured (seal_keys, PHARMACRM_SEAL_KEYS, --seal-keys)");
    };
    let existing = load(Some(path), false)?;
    append_key(path, existing.as_ref())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(file = %path.display(), "the seal key file is readable by other users; chmod 600 it");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

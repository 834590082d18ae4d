//! The audit trail's checks and its anchor outside the database. `verify` is what `pharmacrm
//! audit verify` reports: the hash chain, the sample facts against their audit entries, every
//! signed record's seal, and the chain against the sealed checkpoints of a file outside the
//! database. `checkpoint` appends such a checkpoint of the chain's head (the server does every
//! minute the head moved; `pharmacrm audit checkpoint` on demand). The threat model is in
//! docs/samples.md, "Seals and the anchor".

use crate::{Result, ServiceError, Store};
use pharmacrm_domain::seal::{Checkpoint, Keyring};
use pharmacrm_storage::audit::ChainReport;
use pharmacrm_storage::samples::{FactsReport, SealReport};
use std::io::Write;
use std::path::Path;

/// What the checkpoints of the anchor file say about the chain in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorReport {
    /// Checkpoints whose seal checks and whose entry still has their hash.
    pub confirmed: usize,
    /// The latest of them: entries after it are vouched for by the database alone.
    pub latest: Option<Checkpoint>,
    /// A checkpoint that fails, with why (the first one).
    pub problem: Option<String>,
}

/// Everything `audit verify` checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub chain: ChainReport,
    pub facts: FactsReport,
    pub seals: SealReport,
    /// None when no anchor file is configured.
    pub anchor: Option<AnchorReport>,
}

impl AuditReport {
    /// Whether anything was found tampered with.
    pub fn tampered(&self) -> bool {
        self.chain.problem.is_some()
            || self.facts.problem.is_some()
            || !self.seals.problems.is_empty()
            || self.anchor.as_ref().is_some_and(|a| a.problem.is_some())
    }
}

fn keys_of(store: &Store) -> Result<&Keyring> {
    store.keys().ok_or_else(|| {
        ServiceError::Internal("no seal keys configured (seal_keys, PHARMACRM_SEAL_KEYS)".into())
    })
}

fn io_error(path: &Path, e: std::io::Error) -> ServiceError {
    ServiceError::Internal(format!("{}: {e}", path.display()))
}

/// Reads the sealed checkpoints of `file` in order (a missing file holds none).
fn read_checkpoints(
    keys: &Keyring,
    file: &Path,
) -> Result<Vec<(usize, Result<Checkpoint, String>)>> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io_error(file, e)),
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n + 1, Checkpoint::read(l, keys)))
        .collect())
}

/// The last checkpoint of `file` whose seal checks.
pub fn last_checkpoint(store: &Store, file: &Path) -> Result<Option<Checkpoint>> {
    let keys = keys_of(store)?;
    Ok(read_checkpoints(keys, file)?
        .into_iter()
        .rev()
        .find_map(|(_, c)| c.ok()))
}

/// Appends a sealed checkpoint of the chain's head to `file` unless `last` already says the
/// same (or the chain is empty); returns the checkpoint written.
pub async fn checkpoint(
    store: &Store,
    file: &Path,
    last: Option<&Checkpoint>,
) -> Result<Option<Checkpoint>> {
    let keys = keys_of(store)?;
    let (position, hash) = store.audit_head().await?;
    if position == 0 || last.is_some_and(|c| c.position == position && c.hash == hash) {
        return Ok(None);
    }
    let checkpoint = Checkpoint {
        position,
        hash,
        at: store.now_timestamp(),
    };
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(|e| io_error(file, e))?;
    // One write of one short line: appends from the server and the CLI do not interleave.
    out.write_all(checkpoint.line(keys).as_bytes())
        .and_then(|()| out.sync_data())
        .map_err(|e| io_error(file, e))?;
    Ok(Some(checkpoint))
}

/// Checks each checkpoint of `file`: its seal, and that the chain in the database still has
/// its hash at its position (a chain rewritten and recomputed, or cut short, does not).
pub async fn verify_anchor(store: &Store, file: &Path) -> Result<AnchorReport> {
    let keys = keys_of(store)?;
    let (head, _) = store.audit_head().await?;
    let mut report = AnchorReport {
        confirmed: 0,
        latest: None,
        problem: None,
    };
    for (line, checkpoint) in read_checkpoints(keys, file)? {
        let problem = match checkpoint {
            Err(why) => Some(format!("checkpoint line {line} cannot be trusted: {why}")),
            Ok(c) if c.position > head => Some(format!(
                "checkpoint line {line} vouches for entry {} (taken {}), but the chain ends at {head}: entries were removed",
                c.position, c.at
            )),
            Ok(c) => match store.audit_hash_at(c.position).await? {
                Some(hash) if hash == c.hash => {
                    report.confirmed += 1;
                    report.latest = Some(c);
                    None
                }
                _ => Some(format!(
                    "entry {} differs from checkpoint line {line} (taken {}): the chain was rewritten",
                    c.position, c.at
                )),
            },
        };
        if problem.is_some() {
            report.problem = problem;
            break;
        }
    }
    Ok(report)
}

/// Everything `pharmacrm audit verify` checks; `anchor` is the checkpoint file, if any.
pub async fn verify(store: &Store, anchor: Option<&Path>) -> Result<AuditReport> {
    let chain = store.verify_audit_chain().await?;
    let facts = store.verify_sample_facts().await?;
    let seals = store.verify_seals().await?;
    let anchor = match anchor {
        Some(file) => Some(verify_anchor(store, file).await?),
        None => None,
    };
    Ok(AuditReport {
        chain,
        facts,
        seals,
        anchor,
    })
}

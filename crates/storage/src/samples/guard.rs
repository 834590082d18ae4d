//! The guard that makes a sample decision hold at commit. A pushed sample mutation is judged
//! on rows other than its own — the rep's stock and allocations, the HCP's sample history
//! under the limits — read before its transaction opens. Each of those sets has a version
//! row in `sample_guards`; the decision carries the versions it read ([`Seen`]), and the
//! writing transaction locks the rows (in key order, so two writers never deadlock), checks
//! each version unchanged and bumps it. A version that moved means another writer committed
//! in between: the transaction is abandoned with [`StorageError::Stale`] and the caller decides
//! again on fresh data. On PostgreSQL the lock is the row lock of the `UPDATE`; on SQLite the
//! transaction already holds the database's one write lock from its first statement.
//!
//! Every write of a guarded set bumps its version ([`hold`] from `samples::apply` callers),
//! so a decision can never miss a change it depends on.

use super::Effect;
use crate::sql::{get_i64, get_str, stmt, Sql};
use crate::{Result, StorageError, Store};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A set of rows a sample decision depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Guarded {
    /// A rep's sample book: ledger (stock on hand), signed records (allocations), counts.
    RepBook(Uuid),
    /// The samples an HCP received from any rep (what the limits count).
    HcpHistory(Uuid),
}

impl Guarded {
    fn key(self) -> String {
        match self {
            Guarded::RepBook(id) => format!("rep:{id}"),
            Guarded::HcpHistory(id) => format!("hcp:{id}"),
        }
    }
}

/// The version of a guarded set a decision was taken on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub guarded: Guarded,
    pub version: i64,
}

impl Store {
    /// The current versions of `sets` (0 for a set never written). Read them *before* the
    /// data the decision is taken on: a write committed in between then shows as stale.
    pub async fn seen(&self, sets: &[Guarded]) -> Result<Vec<Seen>> {
        if sets.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new("SELECT key, version FROM sample_guards WHERE key IN ");
        sql.bind_list(sets.iter().map(|g| g.key()));
        let mut versions = HashMap::new();
        for row in sql.query().fetch_all(self.pool()).await? {
            versions.insert(get_str(&row, "key")?, get_i64(&row, "version")?);
        }
        Ok(sets
            .iter()
            .map(|&guarded| Seen {
                guarded,
                version: versions.get(&guarded.key()).copied().unwrap_or(0),
            })
            .collect())
    }
}

/// The sets `effects` write.
pub(crate) fn written_by(effects: &[Effect]) -> Vec<Guarded> {
    let mut sets = Vec::new();
    for effect in effects {
        match effect {
            Effect::SampleRecord(r, _) => {
                sets.push(Guarded::HcpHistory(r.hcp_id));
                sets.push(Guarded::RepBook(r.rep_id));
            }
            Effect::Ledger(entries) => {
                sets.extend(entries.iter().map(|e| Guarded::RepBook(e.rep_id)))
            }
            Effect::Count(c) => sets.push(Guarded::RepBook(c.rep_id)),
            Effect::Call(_)
            | Effect::Shipment(_)
            | Effect::Received { .. }
            | Effect::LossReport(_)
            | Effect::Exception(_) => {}
        }
    }
    sets
}

/// Inside the writing transaction, before its writes: locks every set the decision read
/// (`seen`) or the writes touch (`written`), in key order; fails with
/// [`StorageError::Stale`] if a set read has moved since; bumps every version.
pub(crate) async fn hold(
    conn: &mut AnyConnection,
    seen: &[Seen],
    written: &[Guarded],
) -> Result<()> {
    let mut sets: BTreeMap<String, Option<i64>> = BTreeMap::new();
    for g in written {
        sets.insert(g.key(), None);
    }
    for s in seen {
        sets.insert(s.guarded.key(), Some(s.version));
    }
    for (key, expected) in sets {
        stmt(
            "INSERT INTO sample_guards (key, version) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING",
            vec![key.clone().into()],
        )
        .query()
        .execute(&mut *conn)
        .await?;
        let bumped = match expected {
            Some(version) => stmt(
                "UPDATE sample_guards SET version = version + 1 WHERE key = $1 AND version = $2",
                vec![key.into(), version.into()],
            ),
            None => stmt(
                "UPDATE sample_guards SET version = version + 1 WHERE key = $1",
                vec![key.into()],
            ),
        }
        .query()
        .execute(&mut *conn)
        .await?;
        if bumped.rows_affected() == 0 {
            return Err(StorageError::Stale);
        }
    }
    Ok(())
}

//! Telling devices that data changed. A device pulls changes by version (docs/sync.md), so
//! every write a device could see takes a version with [`next_version`], and
//! [`next_version`] takes a [`Tx`]: a transaction that, once it commits, sends on the
//! store's change channel ([`Store::subscribe_changes`]). Whoever takes a version therefore
//! commits through [`Tx::commit`] and devices are told without anyone remembering to; a
//! transaction rolled back (or dropped) tells nobody. The event stream of the sync API
//! forwards these as pokes, whatever made the change: a request, the scheduler bringing a
//! targeting version into force, or an import in the same process.
//!
//! [`next_version`]: crate::sql::next_version

use crate::{Result, Store};
use sqlx::{Any, AnyConnection, Transaction};
use std::ops::{Deref, DerefMut};
use tokio::sync::broadcast;

/// Pending notifications a slow subscriber may fall behind by before it sees
/// [`broadcast::error::RecvError::Lagged`] (which still means "pull").
const CHANNEL_CAPACITY: usize = 16;

/// The sending side of a store's change channel.
pub(crate) fn channel() -> broadcast::Sender<()> {
    broadcast::channel(CHANNEL_CAPACITY).0
}

/// A write transaction that tells subscribers when it commits, if it changed what devices
/// pull. It dereferences to the connection, so statements run on `&mut *tx` as on a plain
/// sqlx transaction.
pub(crate) struct Tx {
    inner: Transaction<'static, Any>,
    changes: broadcast::Sender<()>,
    tells: bool,
    /// The store's seal keys, for the signed records the transaction writes.
    pub(crate) keys: Option<std::sync::Arc<pharmacrm_domain::seal::Keyring>>,
}

impl Tx {
    /// Commits, then tells subscribers if a version was taken (or [`Tx::tell_devices`]
    /// asked to). Nobody is told of a commit that failed.
    pub(crate) async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        if self.tells {
            // Nobody listening is fine.
            let _ = self.changes.send(());
        }
        Ok(())
    }

    /// Tells devices on commit although no version was taken: for data that pulls compare
    /// whole rather than by version (a rep's sample book, compared by its hash).
    pub(crate) fn tell_devices(&mut self) {
        self.tells = true;
    }
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

impl Store {
    /// Begins a write transaction that tells subscribers when it commits a change devices
    /// pull.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            inner: self.pool().begin().await?,
            changes: self.changes.clone(),
            tells: false,
            keys: self.keys.clone(),
        })
    }

    /// A receiver of one `()` per committed transaction that changed what devices pull
    /// (took a sync version, or changed a sample book). A receiver that falls behind gets
    /// [`broadcast::error::RecvError::Lagged`]: it missed notifications, not data.
    pub fn subscribe_changes(&self) -> broadcast::Receiver<()> {
        self.changes.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::next_version;
    use crate::Store;
    use tokio::sync::broadcast::error::TryRecvError;

    async fn store(dir: &std::path::Path) -> Store {
        let url = format!("sqlite://{}", dir.join("changes.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        store
    }

    #[tokio::test]
    async fn only_a_committed_version_tells_subscribers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = store(dir.path()).await;
        let mut changes = store.subscribe_changes();
        let before = store.current_version().await.expect("version");

        let mut tx = store.begin().await.expect("begin");
        next_version(&mut tx).await.expect("version");
        tx.inner.rollback().await.expect("rollback");
        assert_eq!(changes.try_recv(), Err(TryRecvError::Empty), "rolled back");

        let mut tx = store.begin().await.expect("begin");
        next_version(&mut tx).await.expect("version");
        drop(tx);
        assert_eq!(changes.try_recv(), Err(TryRecvError::Empty), "dropped");
        assert_eq!(store.current_version().await.expect("version"), before);

        let tx = store.begin().await.expect("begin");
        tx.commit().await.expect("commit");
        assert_eq!(changes.try_recv(), Err(TryRecvError::Empty), "no version");

        let mut tx = store.begin().await.expect("begin");
        next_version(&mut tx).await.expect("version");
        tx.commit().await.expect("commit");
        assert_eq!(changes.try_recv(), Ok(()), "committed");
        assert_eq!(store.current_version().await.expect("version"), before + 1);
    }
}

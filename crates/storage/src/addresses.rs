//! Where an HCP or account was: the addresses each had before its current one, with the
//! instant each stopped being theirs. A fact (a call, a disbursement, a prescription) is
//! judged on the address of its own time, so a move recorded after a call made offline
//! does not turn that call out of scope.

use crate::sql::{get_str, stmt, Sql};
use crate::{timestamp_text, Result, Store};
use chrono::{DateTime, Utc};
use pharmacrm_domain::address::Address;
use sqlx::AnyConnection;
use uuid::Uuid;

/// Whose address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    Hcp,
    Account,
}

impl Addressee {
    fn as_str(self) -> &'static str {
        match self {
            Addressee::Hcp => "hcp",
            Addressee::Account => "account",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Addressee::Hcp => "hcps",
            Addressee::Account => "accounts",
        }
    }
}

/// Keeps `before` as the address `who` had until `until` (stored-timestamp text), if the
/// address changed (inside the transaction that changes it).
pub(crate) async fn keep_previous(
    conn: &mut AnyConnection,
    who: Addressee,
    id: Uuid,
    before: &Address,
    after: &Address,
    until: &str,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    stmt(
        "INSERT INTO address_history (entity, entity_id, zip, address, until) VALUES ($1, $2, $3, $4, $5)",
        vec![
            who.as_str().into(),
            id.into(),
            before.zip.clone().into(),
            serde_json::to_string(before).unwrap_or_default().into(),
            until.into(),
        ],
    )
    .query()
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// The ZIP `who` had at instant `at`: the earliest earlier address that ended after `at`,
    /// else the current one (`None` for an unknown id).
    pub async fn zip_at(
        &self,
        who: Addressee,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let mut sql = Sql::new("SELECT zip FROM address_history WHERE entity = ");
        sql.bind(who.as_str())
            .push(" AND entity_id = ")
            .bind(id)
            .push(" AND until > ")
            .bind(timestamp_text(at))
            .push(" ORDER BY until LIMIT 1");
        if let Some(row) = sql.query().fetch_optional(self.pool()).await? {
            return Ok(Some(get_str(&row, "zip")?));
        }
        let mut sql = Sql::new(&format!("SELECT zip FROM {} WHERE id = ", who.table()));
        sql.bind(id);
        match sql.query().fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some(get_str(&row, "zip")?)),
            None => Ok(None),
        }
    }
}

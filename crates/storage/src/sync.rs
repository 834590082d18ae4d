//! The read side of sync pulls: what changed after a version, within a scope, in pages
//! keyed by id. Versions come from `sync_counter` (see `sql::next_version`): every row
//! written at version v is committed once the counter reads v.

use crate::accounts::account_summary;
use crate::calls::{calls_from_rows, CALL_COLUMNS};
use crate::scope::{join_alignment, restrict, TERRITORY_COLUMNS};
use crate::sql::{get_i64, get_uuid, Sql};
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::call::Call;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::views::AccountSummary;
use uuid::Uuid;

fn since(sql: &mut Sql, column: &str, from: Option<i64>) {
    if let Some(v) = from {
        sql.push(&format!(" AND {column} > ")).bind(v);
    }
}

fn after(sql: &mut Sql, column: &str, after: Option<Uuid>) {
    if let Some(id) = after {
        sql.push(&format!(" AND {column} > ")).bind(id);
    }
}

impl Store {
    /// The latest committed change version.
    pub async fn current_version(&self) -> Result<i64> {
        let row = sqlx::query("SELECT value FROM sync_counter WHERE name = 'changes'")
            .fetch_one(self.pool())
            .await?;
        get_i64(&row, "value")
    }

    /// Whether anything that decides who sees what (ZIP and account alignment, assignments, HCP
    /// merges and their undo) changed
    /// after `from` or came into or out of force after `since_day` up to `today`.
    pub async fn scope_may_have_changed(
        &self,
        from: i64,
        since_day: NaiveDate,
        today: NaiveDate,
    ) -> Result<bool> {
        if self.merges_since(from).await? {
            return Ok(true);
        }
        let mut moved = Sql::new("SELECT COUNT(*) AS n FROM scope_changes WHERE version > ");
        moved.bind(from);
        if get_i64(&moved.query().fetch_one(self.pool()).await?, "n")? > 0 {
            return Ok(true);
        }
        for table in ["zip_alignments", "account_alignments", "assignments"] {
            let mut sql = Sql::new(&format!(
                "SELECT COUNT(*) AS n FROM {table} WHERE version > "
            ));
            sql.bind(from)
                .push(" OR (valid_from > ")
                .bind(since_day)
                .push(" AND valid_from <= ")
                .bind(today)
                .push(") OR (valid_to > ")
                .bind(since_day)
                .push(" AND valid_to <= ")
                .bind(today)
                .push(")");
            if get_i64(&sql.query().fetch_one(self.pool()).await?, "n")? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Ids of HCPs in `scope` changed after `from` (all when `None`) whose best tier is
    /// `tier` (`None`: no tier), after `after`, by id.
    pub async fn changed_hcp_ids(
        &self,
        scope: &Scope,
        from: Option<i64>,
        tier: Option<Tier>,
        after_id: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Uuid>> {
        let mut sql = Sql::new("SELECT h.id FROM hcps h");
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE 1 = 1");
        restrict(&mut sql, scope);
        since(&mut sql, "h.version", from);
        after(&mut sql, "h.id", after_id);
        match tier {
            Some(t) => sql
                .push(" AND (SELECT MIN(g.tier) FROM segments g WHERE g.hcp_id = h.id) = ")
                .bind(t.as_str()),
            None => sql.push(" AND NOT EXISTS (SELECT 1 FROM segments g WHERE g.hcp_id = h.id)"),
        };
        sql.push(" ORDER BY h.id LIMIT ").bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| get_uuid(r, "id"))
            .collect()
    }

    /// Accounts in `scope` changed after `from`, by id.
    pub async fn changed_accounts(
        &self,
        scope: &Scope,
        from: Option<i64>,
        after_id: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<AccountSummary>> {
        let mut sql = Sql::new(&format!(
            "SELECT a.id, a.external_id, a.name, a.account_type, a.city, a.state, a.zip, {TERRITORY_COLUMNS} FROM accounts a"
        ));
        crate::scope::join_account_alignment(&mut sql, "a", self.today());
        sql.push(" WHERE 1 = 1");
        crate::scope::restrict_account(&mut sql, scope);
        since(&mut sql, "a.version", from);
        after(&mut sql, "a.id", after_id);
        sql.push(" ORDER BY a.id LIMIT ").bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(account_summary)
            .collect()
    }

    /// Calls with an attendee in `scope`, changed after `from`, by id.
    pub async fn changed_calls(
        &self,
        scope: &Scope,
        from: Option<i64>,
        after_id: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Call>> {
        let mut sql = Sql::new(&format!(
            "SELECT {CALL_COLUMNS} FROM calls c WHERE c.id IN (SELECT ca.call_id FROM call_attendees ca JOIN hcps h ON h.id = ca.hcp_id"
        ));
        join_alignment(&mut sql, "h", self.today());
        sql.push(" WHERE 1 = 1");
        restrict(&mut sql, scope);
        sql.push(")");
        since(&mut sql, "c.version", from);
        after(&mut sql, "c.id", after_id);
        sql.push(" ORDER BY c.id LIMIT ").bind(limit);
        let rows = sql.query().fetch_all(self.pool()).await?;
        calls_from_rows(self, &rows).await
    }

    /// Products changed after `from`.
    pub async fn changed_product_ids(&self, from: Option<i64>) -> Result<Vec<Uuid>> {
        let mut sql = Sql::new("SELECT id FROM products WHERE 1 = 1");
        since(&mut sql, "version", from);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| get_uuid(r, "id"))
            .collect()
    }
}

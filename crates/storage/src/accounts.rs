//! Account (HCO) storage: scoped list and profile reads, audited writes, affiliations.

use crate::audit::{append, audit_row, record};
use crate::page;
use crate::scope::{join_alignment, restrict, territory_of, TERRITORY_COLUMNS};
use crate::sql::{
    get_bool, get_opt_f64, get_opt_str, get_opt_uuid, get_str, get_uuid, insert_rows, like_escape,
    next_version, touch_hcps, unique_violation, Sql, Value,
};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::account::{AccountRecord, AccountType};
use pharmacrm_domain::address::Address;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::display_name;
use pharmacrm_domain::views::{Account, AccountPage, AccountRef, AccountSummary, AffiliatedHcp};
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub q: Option<String>,
    pub account_type: Option<AccountType>,
    pub city: Option<String>,
    pub territory: Option<Uuid>,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAccount {
    pub id: Uuid,
    pub record: AccountRecord,
    pub parent_id: Option<Uuid>,
}

/// An HCP-to-account affiliation to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAffiliation {
    pub hcp_id: Uuid,
    pub account_id: Uuid,
    pub role: String,
    pub primary: bool,
}

fn kind_of(row: &AnyRow) -> Result<AccountType> {
    AccountType::parse(&get_str(row, "account_type")?)
        .map_err(|e| StorageError::corrupt("accounts.account_type", e))
}

/// An account summary from a row with the summary columns and [`TERRITORY_COLUMNS`].
pub(crate) fn account_summary(row: &AnyRow) -> Result<AccountSummary> {
    Ok(AccountSummary {
        id: get_uuid(row, "id")?,
        external_id: get_str(row, "external_id")?,
        name: get_str(row, "name")?,
        account_type: kind_of(row)?,
        city: get_str(row, "city")?,
        state: get_str(row, "state")?,
        zip: get_str(row, "zip")?,
        territory: territory_of(row)?,
    })
}

fn account_ref(row: &AnyRow) -> Result<AccountRef> {
    Ok(AccountRef {
        id: get_uuid(row, "id")?,
        name: get_str(row, "name")?,
        account_type: kind_of(row)?,
    })
}

const ACCOUNT_COLUMNS: &str =
    "id, external_id, name, account_type, parent_id, line1, line2, city, state, zip, \
    latitude, longitude, search_name, city_lc, created_at, updated_at, version";

fn account_values(
    id: Uuid,
    r: &AccountRecord,
    parent_id: Option<Uuid>,
    now: &str,
    version: i64,
) -> Vec<Value> {
    vec![
        id.into(),
        r.external_id.clone().into(),
        r.name.clone().into(),
        r.account_type.as_str().into(),
        parent_id.into(),
        r.address.line1.clone().into(),
        r.address.line2.clone().into(),
        r.address.city.clone().into(),
        r.address.state.clone().into(),
        r.address.zip.clone().into(),
        r.address.latitude.into(),
        r.address.longitude.into(),
        r.name.to_lowercase().into(),
        r.address.city.to_lowercase().into(),
        now.into(),
        now.into(),
        version.into(),
    ]
}

impl Store {
    pub async fn account_page(
        &self,
        scope: &Scope,
        filter: &AccountFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<AccountPage> {
        let mut sql = Sql::new(&format!(
            "SELECT a.id, a.external_id, a.name, a.account_type, a.city, a.state, a.zip, a.search_name, {TERRITORY_COLUMNS} FROM accounts a"
        ));
        crate::scope::join_account_alignment(&mut sql, "a", self.today());
        sql.push(" WHERE 1 = 1");
        crate::scope::restrict_account(&mut sql, scope);
        if let Some(q) = &filter.q {
            for word in q.split_whitespace().take(5) {
                sql.push(" AND a.search_name LIKE ")
                    .bind(format!("%{}%", like_escape(&word.to_lowercase())))
                    .push(" ESCAPE '\\'");
            }
        }
        if let Some(kind) = filter.account_type {
            sql.push(" AND a.account_type = ").bind(kind.as_str());
        }
        if let Some(city) = &filter.city {
            sql.push(" AND a.city_lc = ")
                .bind(city.trim().to_lowercase());
        }
        if let Some(t) = filter.territory {
            sql.push(&format!(" AND {} = ", crate::scope::ACCOUNT_TERRITORY))
                .bind(t);
        }
        if let Some(cursor) = cursor {
            let key = page::decode(cursor, 2)?;
            sql.push(" AND (a.search_name, a.id) > (")
                .bind(key[0].clone())
                .push(", ")
                .bind(key[1].clone())
                .push(")");
        }
        sql.push(" ORDER BY a.search_name, a.id LIMIT ")
            .bind(limit + 1);
        let rows = sql.query().fetch_all(self.pool()).await?;
        let mut keyed = rows
            .iter()
            .map(|row| Ok((get_str(row, "search_name")?, account_summary(row)?)))
            .collect::<Result<Vec<_>>>()?;
        let more = keyed.len() as i64 > limit;
        keyed.truncate(limit as usize);
        let next_cursor = if more {
            keyed
                .last()
                .map(|(k, a)| page::encode(&[k, &a.id.to_string()]))
        } else {
            None
        };
        Ok(AccountPage {
            items: keyed.into_iter().map(|(_, a)| a).collect(),
            next_cursor,
        })
    }

    /// The account profile, or `None` when missing or outside `scope`. Parent, children and
    /// HCPs are shown only when they are in `scope` too.
    pub async fn account(&self, scope: &Scope, id: Uuid) -> Result<Option<Account>> {
        let day = self.today();
        let mut sql = Sql::new(&format!(
            "SELECT a.id, a.external_id, a.name, a.account_type, a.parent_id, a.line1, a.line2, a.city, a.state, a.zip, \
             a.latitude, a.longitude, a.created_at, a.updated_at, {TERRITORY_COLUMNS} FROM accounts a"
        ));
        crate::scope::join_account_alignment(&mut sql, "a", day);
        sql.push(" WHERE a.id = ").bind(id);
        crate::scope::restrict_account(&mut sql, scope);
        let Some(row) = sql.query().fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let parent = match get_opt_uuid(&row, "parent_id")? {
            Some(pid) => self
                .account_refs(scope, "a.id = ", pid)
                .await?
                .into_iter()
                .next(),
            None => None,
        };
        let children = self.account_refs(scope, "a.parent_id = ", id).await?;
        let mut sql = Sql::new(
            "SELECT h.id, h.first_name, h.last_name, h.credentials, s.name AS specialty_name, f.role, f.is_primary \
             FROM affiliations f JOIN hcps h ON h.id = f.hcp_id JOIN specialties s ON s.code = h.specialty_code",
        );
        join_alignment(&mut sql, "h", day);
        sql.push(" WHERE f.account_id = ").bind(id);
        restrict(&mut sql, scope);
        sql.push(" ORDER BY h.last_name, h.first_name");
        let affiliated_hcps = sql
            .query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let name = display_name(
                    &get_str(r, "first_name")?,
                    &get_str(r, "last_name")?,
                    &get_str(r, "credentials")?,
                );
                Ok(AffiliatedHcp {
                    hcp_id: get_uuid(r, "id")?,
                    name,
                    specialty_name: get_str(r, "specialty_name")?,
                    role: get_str(r, "role")?,
                    primary: get_bool(r, "is_primary")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Account {
            id,
            external_id: get_str(&row, "external_id")?,
            name: get_str(&row, "name")?,
            account_type: kind_of(&row)?,
            parent,
            address: Address {
                line1: get_str(&row, "line1")?,
                line2: get_opt_str(&row, "line2")?,
                city: get_str(&row, "city")?,
                state: get_str(&row, "state")?,
                zip: get_str(&row, "zip")?,
                latitude: get_opt_f64(&row, "latitude")?,
                longitude: get_opt_f64(&row, "longitude")?,
            },
            territory: territory_of(&row)?,
            children,
            affiliated_hcps,
            created_at: get_str(&row, "created_at")?,
            updated_at: get_str(&row, "updated_at")?,
        }))
    }

    async fn account_refs(
        &self,
        scope: &Scope,
        condition: &str,
        id: Uuid,
    ) -> Result<Vec<AccountRef>> {
        let mut sql = Sql::new("SELECT a.id, a.name, a.account_type FROM accounts a");
        crate::scope::join_account_alignment(&mut sql, "a", self.today());
        sql.push(" WHERE ").push(condition).bind(id);
        crate::scope::restrict_account(&mut sql, scope);
        sql.push(" ORDER BY a.search_name");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(account_ref)
            .collect()
    }

    /// Stored accounts by external id, whatever their territory (for imports).
    pub async fn accounts_by_external_id(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, StoredAccount>> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(
                "SELECT a.id, a.external_id, a.name, a.account_type, a.parent_id, p.external_id AS parent_external_id, \
                 a.line1, a.line2, a.city, a.state, a.zip, a.latitude, a.longitude \
                 FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id WHERE a.external_id IN ",
            );
            sql.bind_list(chunk.iter().cloned());
            for row in sql.query().fetch_all(self.pool()).await? {
                let record = AccountRecord {
                    external_id: get_str(&row, "external_id")?,
                    name: get_str(&row, "name")?,
                    account_type: kind_of(&row)?,
                    parent_external_id: get_opt_str(&row, "parent_external_id")?,
                    address: Address {
                        line1: get_str(&row, "line1")?,
                        line2: get_opt_str(&row, "line2")?,
                        city: get_str(&row, "city")?,
                        state: get_str(&row, "state")?,
                        zip: get_str(&row, "zip")?,
                        latitude: get_opt_f64(&row, "latitude")?,
                        longitude: get_opt_f64(&row, "longitude")?,
                    },
                };
                found.insert(
                    record.external_id.clone(),
                    StoredAccount {
                        id: get_uuid(&row, "id")?,
                        parent_id: get_opt_uuid(&row, "parent_id")?,
                        record,
                    },
                );
            }
        }
        Ok(found)
    }

    /// Creates accounts in one transaction. `parent_id`s must refer to accounts stored
    /// before or earlier in the same batch.
    pub async fn insert_accounts(&self, actor: &Actor, accounts: &[StoredAccount]) -> Result<()> {
        if accounts.is_empty() {
            return Ok(());
        }
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let rows = accounts
            .iter()
            .map(|a| account_values(a.id, &a.record, a.parent_id, &now, version))
            .collect();
        let dup = if accounts.len() == 1 {
            accounts[0].record.external_id.clone()
        } else {
            "in batch".into()
        };
        insert_rows(&mut tx, "accounts", ACCOUNT_COLUMNS, rows)
            .await
            .map_err(|e| match e {
                StorageError::Database(db) => {
                    unique_violation(db, Code::Duplicate, "account", "external_id", &dup)
                }
                other => other,
            })?;
        let audit = accounts
            .iter()
            .map(|a| {
                audit_row(
                    actor,
                    "account",
                    a.id,
                    AuditAction::Create,
                    None,
                    Some(&a.record),
                    &now,
                )
            })
            .collect();
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn update_account(
        &self,
        actor: &Actor,
        before: &StoredAccount,
        after: &StoredAccount,
    ) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let values = account_values(after.id, &after.record, after.parent_id, &now, version);
        let columns: Vec<&str> = ACCOUNT_COLUMNS.split(", ").collect();
        let mut sql = Sql::new("UPDATE accounts SET ");
        let mut first = true;
        for (column, value) in columns.iter().zip(values) {
            if matches!(*column, "id" | "created_at") {
                continue;
            }
            if !first {
                sql.push(", ");
            }
            first = false;
            sql.push(&format!("{column} = ")).bind(value);
        }
        sql.push(" WHERE id = ").bind(before.id);
        sql.query().execute(&mut *tx).await?;
        if before.record.address.zip != after.record.address.zip {
            crate::sql::note_scope_change(&mut tx, version, "account", before.id, &now).await?;
        }
        crate::addresses::keep_previous(
            &mut tx,
            crate::addresses::Addressee::Account,
            before.id,
            &before.record.address,
            &after.record.address,
            &now,
        )
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "account",
            before.id,
            AuditAction::Update,
            Some(&before.record),
            Some(&after.record),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores new affiliations (an HCP-account pair exists at most once).
    pub async fn insert_affiliations(
        &self,
        actor: &Actor,
        affiliations: &[NewAffiliation],
    ) -> Result<()> {
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let mut rows = Vec::new();
        let mut audit = Vec::new();
        for a in affiliations {
            let id = pharmacrm_domain::new_id();
            rows.push(vec![
                id.into(),
                a.hcp_id.into(),
                a.account_id.into(),
                a.role.clone().into(),
                a.primary.into(),
            ]);
            audit.push(audit_row(
                actor,
                "affiliation",
                id,
                AuditAction::Create,
                None,
                Some(a),
                &now,
            ));
        }
        insert_rows(
            &mut tx,
            "affiliations",
            "id, hcp_id, account_id, role, is_primary",
            rows,
        )
        .await?;
        let version = next_version(&mut tx).await?;
        let hcps: Vec<Uuid> = affiliations.iter().map(|a| a.hcp_id).collect();
        touch_hcps(&mut tx, &hcps, version).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}

//! Territory scope inside SQL. Every HCP and account query joins the record's ZIP to the
//! alignment in force today and restricts the aligned territory to the reader's scope, so
//! a rep's query cannot return another territory's record whatever the handler asks for.
//! An account's own override (account-level alignment) wins over its ZIP.

use crate::sql::Sql;
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;

/// `LEFT JOIN`s the alignment in force on `day` for `table_alias.zip` as `za`, and its
/// territory as `t`.
pub(crate) fn join_alignment(sql: &mut Sql, table_alias: &str, day: NaiveDate) {
    sql.push(&format!(
        " LEFT JOIN zip_alignments za ON za.zip = {table_alias}.zip AND za.valid_from <= "
    ))
    .bind(day)
    .push(" AND (za.valid_to IS NULL OR za.valid_to > ")
    .bind(day)
    .push(") LEFT JOIN org_units t ON t.id = za.territory_id");
}

/// The territory of an account: its override in force, else its ZIP's.
pub(crate) const ACCOUNT_TERRITORY: &str = "COALESCE(ao.territory_id, za.territory_id)";

/// Like [`join_alignment`] for accounts: `LEFT JOIN`s the account's override in force on
/// `day` as `ao`, its ZIP's alignment as `za`, and the territory that wins as `t`.
pub(crate) fn join_account_alignment(sql: &mut Sql, table_alias: &str, day: NaiveDate) {
    sql.push(&format!(" LEFT JOIN account_alignments ao ON ao.account_id = {table_alias}.id AND ao.valid_from <= "))
        .bind(day)
        .push(" AND (ao.valid_to IS NULL OR ao.valid_to > ")
        .bind(day)
        .push(&format!(") LEFT JOIN zip_alignments za ON za.zip = {table_alias}.zip AND za.valid_from <= "))
        .bind(day)
        .push(" AND (za.valid_to IS NULL OR za.valid_to > ")
        .bind(day)
        .push(&format!(") LEFT JOIN org_units t ON t.id = {ACCOUNT_TERRITORY}"));
}

/// Appends ` AND ...` restricting an account's territory (see [`join_account_alignment`]) to `scope`.
pub(crate) fn restrict_account(sql: &mut Sql, scope: &Scope) {
    restrict_column(sql, scope, ACCOUNT_TERRITORY);
}

/// Master records anyone works with: verified, or proposed by a rep and waiting for a
/// steward. Rejected proposals and records merged into a survivor are read only by the
/// stewardship screens.
pub(crate) const LIVE_HCP: &str = " AND h.master_status IN ('verified', 'proposed')";

/// Appends ` AND ...` restricting the HCP `h` to live master records ([`LIVE_HCP`]) whose
/// aligned territory (`za.territory_id`) is in `scope`.
pub(crate) fn restrict(sql: &mut Sql, scope: &Scope) {
    sql.push(LIVE_HCP);
    restrict_column(sql, scope, "za.territory_id");
}

/// Appends ` AND ...` restricting a territory column to `scope`.
pub(crate) fn restrict_column(sql: &mut Sql, scope: &Scope, column: &str) {
    match scope {
        Scope::All => {}
        Scope::Territories(ts) if ts.is_empty() => {
            sql.push(" AND 1 = 0");
        }
        Scope::Territories(ts) => {
            sql.push(&format!(" AND {column} IN "))
                .bind_list(ts.iter().copied());
        }
    }
}

/// The territory columns selected with [`join_alignment`].
pub(crate) const TERRITORY_COLUMNS: &str = "t.id AS t_id, t.code AS t_code, t.name AS t_name";

pub(crate) fn territory_of(
    row: &sqlx::any::AnyRow,
) -> crate::Result<Option<pharmacrm_domain::org::TerritoryRef>> {
    use crate::sql::{get_opt_str, get_opt_uuid};
    Ok(match get_opt_uuid(row, "t_id")? {
        Some(id) => Some(pharmacrm_domain::org::TerritoryRef {
            id,
            code: get_opt_str(row, "t_code")?.unwrap_or_default(),
            name: get_opt_str(row, "t_name")?.unwrap_or_default(),
        }),
        None => None,
    })
}

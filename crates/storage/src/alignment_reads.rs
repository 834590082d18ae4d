//! Reading the effective-dated alignment back: which territory each ZIP and each account
//! override belongs to on any day (past or future), with the row and the realignment cycle
//! that put it there, and the published changes that have not taken effect yet. Both reads
//! restrict territories to the caller's scope inside the SQL and page by keyset.

use crate::page;
use crate::scope::restrict_column;
use crate::sql::{get_date, get_opt_date, get_opt_str, get_opt_uuid, get_str, get_uuid, Sql};
use crate::{Result, StorageError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::alignment::{
    AlignedKind, AlignedOn, AlignmentPage, CycleRef, OverriddenAccount, ScheduledChange,
    ScheduledChanges,
};
use pharmacrm_domain::org::TerritoryRef;
use sqlx::any::AnyRow;
use uuid::Uuid;

/// Which rows of the alignment on a day to read.
#[derive(Debug, Clone, Default)]
pub struct AlignmentFilter {
    /// Only rows aligning to this territory.
    pub territory: Option<Uuid>,
    /// Only ZIPs (and overridden accounts whose own ZIP) start with these digits.
    pub zip_prefix: Option<String>,
    /// Only ZIPs, or only account overrides.
    pub kind: Option<AlignedKind>,
}

/// The territory named by the `{prefix}_id`, `{prefix}_code`, `{prefix}_name` columns.
fn territory(row: &AnyRow, prefix: &str) -> Result<Option<TerritoryRef>> {
    Ok(match get_opt_uuid(row, &format!("{prefix}_id"))? {
        Some(id) => Some(TerritoryRef {
            id,
            code: get_opt_str(row, &format!("{prefix}_code"))?.unwrap_or_default(),
            name: get_opt_str(row, &format!("{prefix}_name"))?.unwrap_or_default(),
        }),
        None => None,
    })
}

fn cycle(row: &AnyRow) -> Result<Option<CycleRef>> {
    Ok(match get_opt_uuid(row, "r_id")? {
        Some(id) => Some(CycleRef {
            id,
            name: get_opt_str(row, "r_name")?.unwrap_or_default(),
        }),
        None => None,
    })
}

/// The overridden account of a row selecting `k` (its id), `a_name`, `a_external_id`, `a_zip`.
fn account(row: &AnyRow) -> Result<OverriddenAccount> {
    Ok(OverriddenAccount {
        id: get_uuid(row, "k")?,
        name: get_opt_str(row, "a_name")?.unwrap_or_default(),
        external_id: get_opt_str(row, "a_external_id")?.unwrap_or_default(),
        zip: get_opt_str(row, "a_zip")?.unwrap_or_default(),
    })
}

/// `AND` the row of `alias` holds on `day`.
fn holds_on(sql: &mut Sql, alias: &str, day: NaiveDate) {
    sql.push(&format!(" AND {alias}.valid_from <= "))
        .bind(day)
        .push(&format!(
            " AND ({alias}.valid_to IS NULL OR {alias}.valid_to > "
        ))
        .bind(day)
        .push(")");
}

const ROW_COLUMNS: &str =
    "t.id AS t_id, t.code AS t_code, t.name AS t_name, r.id AS r_id, r.name AS r_name";

impl Store {
    /// The alignment as it holds on `day`: every ZIP by code, then every account override by
    /// account name, each with its territory (within `scope`), its row and the cycle that
    /// wrote it. A page holds at most `limit` rows; the cursor is the last row's sort key.
    pub async fn alignment_on(
        &self,
        scope: &Scope,
        day: NaiveDate,
        filter: &AlignmentFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<AlignmentPage> {
        // The cursor is (kind, sort key, key): ZIPs come first, so a cursor on an account
        // means the ZIPs are done.
        let after = cursor.map(|c| page::decode(c, 3)).transpose()?;
        let after_kind = match &after {
            Some(key) => Some(AlignedKind::parse(&key[0]).ok_or_else(|| {
                pharmacrm_domain::ValidationErrors::single(
                    "cursor",
                    "is not a cursor returned by this list",
                )
            })?),
            None => None,
        };
        let mut items = Vec::new();
        let wants = |kind| filter.kind.is_none_or(|k| k == kind);
        if wants(AlignedKind::Zip) && after_kind != Some(AlignedKind::Account) {
            let after_zip = after.as_ref().map(|k| k[2].as_str());
            items.extend(
                self.zips_on(scope, day, filter, after_zip, limit + 1)
                    .await?
                    .into_iter()
                    .map(|row| (row.key.clone(), row)),
            );
        }
        if wants(AlignedKind::Account) && (items.len() as i64) <= limit {
            let after_account = match (&after, after_kind) {
                (Some(k), Some(AlignedKind::Account)) => Some((k[1].as_str(), k[2].as_str())),
                _ => None,
            };
            let room = limit + 1 - items.len() as i64;
            items.extend(
                self.overrides_on(scope, day, filter, after_account, room)
                    .await?,
            );
        }
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let next_cursor = if more {
            items.last().map(|(sort, row)| {
                page::encode(&[row.kind.as_str(), sort.as_str(), row.key.as_str()])
            })
        } else {
            None
        };
        Ok(AlignmentPage {
            on: day,
            items: items.into_iter().map(|(_, row)| row).collect(),
            next_cursor,
        })
    }

    /// The ZIP rows holding on `day`, after the ZIP `after`, by ZIP.
    async fn zips_on(
        &self,
        scope: &Scope,
        day: NaiveDate,
        filter: &AlignmentFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AlignedOn>> {
        let mut sql = Sql::new(&format!(
            "SELECT za.id, za.zip AS k, za.valid_from, za.valid_to, {ROW_COLUMNS} FROM zip_alignments za \
             JOIN org_units t ON t.id = za.territory_id LEFT JOIN realignments r ON r.id = za.realignment_id WHERE 1 = 1"
        ));
        holds_on(&mut sql, "za", day);
        restrict_column(&mut sql, scope, "za.territory_id");
        if let Some(t) = filter.territory {
            sql.push(" AND za.territory_id = ").bind(t);
        }
        if let Some(prefix) = &filter.zip_prefix {
            // Digits only (checked by the caller), so nothing to escape.
            sql.push(" AND za.zip LIKE ").bind(format!("{prefix}%"));
        }
        if let Some(zip) = after {
            sql.push(" AND za.zip > ").bind(zip);
        }
        sql.push(" ORDER BY za.zip LIMIT ").bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                Ok(AlignedOn {
                    kind: AlignedKind::Zip,
                    key: get_str(row, "k")?,
                    account: None,
                    territory: territory(row, "t")?
                        .ok_or_else(|| StorageError::corrupt("zip_alignments", "no territory"))?,
                    alignment_id: get_uuid(row, "id")?,
                    since: get_date(row, "valid_from")?,
                    until: get_opt_date(row, "valid_to")?,
                    cycle: cycle(row)?,
                })
            })
            .collect()
    }

    /// The account overrides holding on `day`, after `(search name, id)`, by account name;
    /// each with its sort key.
    async fn overrides_on(
        &self,
        scope: &Scope,
        day: NaiveDate,
        filter: &AlignmentFilter,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<(String, AlignedOn)>> {
        let mut sql = Sql::new(&format!(
            "SELECT ao.id, ao.account_id AS k, ao.valid_from, ao.valid_to, {ROW_COLUMNS}, \
             a.name AS a_name, a.external_id AS a_external_id, a.zip AS a_zip, a.search_name \
             FROM account_alignments ao JOIN accounts a ON a.id = ao.account_id \
             JOIN org_units t ON t.id = ao.territory_id LEFT JOIN realignments r ON r.id = ao.realignment_id WHERE 1 = 1"
        ));
        holds_on(&mut sql, "ao", day);
        restrict_column(&mut sql, scope, "ao.territory_id");
        if let Some(t) = filter.territory {
            sql.push(" AND ao.territory_id = ").bind(t);
        }
        if let Some(prefix) = &filter.zip_prefix {
            sql.push(" AND a.zip LIKE ").bind(format!("{prefix}%"));
        }
        if let Some((name, id)) = after {
            sql.push(" AND (a.search_name, a.id) > (")
                .bind(name)
                .push(", ")
                .bind(id)
                .push(")");
        }
        sql.push(" ORDER BY a.search_name, a.id LIMIT ").bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                let row_of = AlignedOn {
                    kind: AlignedKind::Account,
                    key: get_str(row, "k")?,
                    account: Some(account(row)?),
                    territory: territory(row, "t")?.ok_or_else(|| {
                        StorageError::corrupt("account_alignments", "no territory")
                    })?,
                    alignment_id: get_uuid(row, "id")?,
                    since: get_date(row, "valid_from")?,
                    until: get_opt_date(row, "valid_to")?,
                    cycle: cycle(row)?,
                };
                Ok((get_str(row, "search_name")?, row_of))
            })
            .collect()
    }

    /// The published alignment changes that take effect after `today`, by effective date, ZIPs
    /// before accounts: each key's territory before (its previous row, or for a first account
    /// override the territory of its ZIP the day before) and after, with the cycle and its
    /// override reason. A change is listed to a reader whose scope holds either territory;
    /// `territory` keeps those moving out of or into that one.
    pub async fn scheduled_changes(
        &self,
        scope: &Scope,
        today: NaiveDate,
        territory_filter: Option<Uuid>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<ScheduledChanges> {
        let mut sql = Sql::new(
            "SELECT x.*, tt.code AS to_code, tt.name AS to_name, ft.code AS from_code, ft.name AS from_name, \
             r.id AS r_id, r.name AS r_name, r.override_reason FROM (\
             SELECT '0' AS kind_order, za.zip AS sort_key, za.zip AS k, za.id, za.valid_from, \
             za.territory_id AS to_id, p.territory_id AS from_id, za.realignment_id, \
             CAST(NULL AS TEXT) AS a_name, CAST(NULL AS TEXT) AS a_external_id, CAST(NULL AS TEXT) AS a_zip \
             FROM zip_alignments za LEFT JOIN zip_alignments p ON p.zip = za.zip AND p.valid_to = za.valid_from \
             WHERE za.valid_from > ",
        );
        sql.bind(today).push(
            " UNION ALL SELECT '1', a.search_name, ao.account_id, ao.id, ao.valid_from, \
             ao.territory_id, COALESCE(p.territory_id, pz.territory_id), ao.realignment_id, \
             a.name, a.external_id, a.zip \
             FROM account_alignments ao JOIN accounts a ON a.id = ao.account_id \
             LEFT JOIN account_alignments p ON p.account_id = ao.account_id AND p.valid_to = ao.valid_from \
             LEFT JOIN zip_alignments pz ON pz.zip = a.zip AND pz.valid_from < ao.valid_from \
             AND (pz.valid_to IS NULL OR pz.valid_to >= ao.valid_from) \
             WHERE ao.valid_from > ",
        );
        sql.bind(today).push(
            ") x JOIN org_units tt ON tt.id = x.to_id LEFT JOIN org_units ft ON ft.id = x.from_id \
             LEFT JOIN realignments r ON r.id = x.realignment_id \
             WHERE (x.from_id IS NULL OR x.from_id <> x.to_id)",
        );
        restrict_either(&mut sql, scope, "x.to_id", "x.from_id");
        if let Some(t) = territory_filter {
            sql.push(" AND (x.to_id = ")
                .bind(t)
                .push(" OR x.from_id = ")
                .bind(t)
                .push(")");
        }
        if let Some(cursor) = cursor {
            let key = page::decode(cursor, 4)?;
            sql.push(" AND (x.valid_from, x.kind_order, x.sort_key, x.k) > (");
            for (i, part) in key.into_iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(part);
            }
            sql.push(")");
        }
        sql.push(" ORDER BY x.valid_from, x.kind_order, x.sort_key, x.k LIMIT ")
            .bind(limit + 1);
        let rows = sql.query().fetch_all(self.pool()).await?;
        let mut keyed = rows
            .iter()
            .map(|row| {
                let sort = [
                    get_str(row, "valid_from")?,
                    get_str(row, "kind_order")?,
                    get_str(row, "sort_key")?,
                    get_str(row, "k")?,
                ];
                Ok((sort, scheduled_change(row)?))
            })
            .collect::<Result<Vec<_>>>()?;
        let more = keyed.len() as i64 > limit;
        keyed.truncate(limit as usize);
        let next_cursor = if more {
            keyed
                .last()
                .map(|(sort, _)| page::encode(&sort.each_ref().map(String::as_str)))
        } else {
            None
        };
        Ok(ScheduledChanges {
            after: today,
            items: keyed.into_iter().map(|(_, c)| c).collect(),
            next_cursor,
        })
    }
}

fn scheduled_change(row: &AnyRow) -> Result<ScheduledChange> {
    let kind = if get_str(row, "kind_order")? == "0" {
        AlignedKind::Zip
    } else {
        AlignedKind::Account
    };
    let (from, to) = (
        territory(row, "from")?,
        territory(row, "to")?.ok_or_else(|| StorageError::corrupt("alignment", "no territory"))?,
    );
    Ok(ScheduledChange {
        kind,
        key: get_str(row, "k")?,
        account: match kind {
            AlignedKind::Zip => None,
            AlignedKind::Account => Some(account(row)?),
        },
        from_territory: from,
        to_territory: to,
        effective_from: get_date(row, "valid_from")?,
        alignment_id: get_uuid(row, "id")?,
        cycle: cycle(row)?,
        reason: get_opt_str(row, "override_reason")?,
    })
}

/// `AND` either territory column is in `scope`.
fn restrict_either(sql: &mut Sql, scope: &Scope, one: &str, other: &str) {
    match scope {
        Scope::All => {}
        Scope::Territories(ts) if ts.is_empty() => {
            sql.push(" AND 1 = 0");
        }
        Scope::Territories(ts) => {
            sql.push(&format!(" AND ({one} IN "))
                .bind_list(ts.iter().copied())
                .push(&format!(" OR {other} IN "))
                .bind_list(ts.iter().copied())
                .push(")");
        }
    }
}

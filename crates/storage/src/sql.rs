//! Small pieces every query uses: a statement builder with numbered placeholders (which
//! both SQLite and PostgreSQL accept), typed column readers that hide the differences
//! between the two engines, and the text forms of dates and timestamps.

use crate::changes::Tx;
use crate::{Result, StorageError};
use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::code::Code;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};
use uuid::Uuid;

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptFloat(Option<f64>),
    OptInt(Option<i64>),
    Bool(bool),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::OptText(v)
    }
}
impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<Option<Uuid>> for Value {
    fn from(v: Option<Uuid>) -> Self {
        Value::OptText(v.map(|u| u.to_string()))
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Text(date_text(v))
    }
}
impl From<Option<NaiveDate>> for Value {
    fn from(v: Option<NaiveDate>) -> Self {
        Value::OptText(v.map(date_text))
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Self {
        Value::OptFloat(v)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::OptInt(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// SQL text with `$n` placeholders and the values that go with them.
#[derive(Debug, Default, Clone)]
pub struct Sql {
    pub text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        self.text.push_str(&format!("${}", self.values.len()));
        self
    }

    /// Appends `(p1, p2, ...)` for the values, for `IN`. An empty list appends `(NULL)`,
    /// which matches nothing on both engines (PostgreSQL refuses `IN ()`; use it only after
    /// `IN`, never `NOT IN`).
    pub fn bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.text.push('(');
        let mut empty = true;
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
            empty = false;
        }
        if empty {
            self.text.push_str("NULL");
        }
        self.text.push(')');
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for v in &self.values {
            q = match v {
                Value::Text(s) => q.bind(s.as_str()),
                Value::OptText(s) => q.bind(s.as_deref()),
                Value::Int(i) => q.bind(*i),
                Value::OptFloat(f) => q.bind(*f),
                Value::OptInt(i) => q.bind(*i),
                Value::Bool(b) => q.bind(*b),
            };
        }
        q
    }
}

/// Builds a one-off statement: `sql!("... WHERE id = ", id, " AND ...")` style is avoided
/// in favour of explicit `Sql` building; this runs a statement with values in order.
pub fn stmt(text: &str, values: Vec<Value>) -> Sql {
    Sql {
        text: text.to_string(),
        values,
    }
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Notes that `entity` `id` moved between scopes at `version` (its ZIP changed, it left the
/// verified records): every device's next incremental pull becomes a reset.
pub(crate) async fn note_scope_change(
    conn: &mut AnyConnection,
    version: i64,
    entity: &str,
    id: Uuid,
    at: &str,
) -> Result<()> {
    stmt(
        "INSERT INTO scope_changes (version, entity, entity_id, changed_at) VALUES ($1, $2, $3, $4)",
        vec![version.into(), entity.into(), id.into(), at.into()],
    )
    .query()
    .execute(conn)
    .await?;
    Ok(())
}

/// An instant as stored: RFC 3339 UTC with microseconds (sorts as text).
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn get_str(row: &AnyRow, col: &str) -> Result<String> {
    row.try_get::<String, _>(col).map_err(StorageError::from)
}

/// The `i`-th column as text (for rows whose columns are known only by position).
pub fn get_text_at(row: &AnyRow, i: usize) -> Result<String> {
    row.try_get::<String, _>(i).map_err(StorageError::from)
}

pub fn get_opt_str(row: &AnyRow, col: &str) -> Result<Option<String>> {
    row.try_get::<Option<String>, _>(col)
        .map_err(StorageError::from)
}

pub fn get_i64<I: sqlx::ColumnIndex<AnyRow> + Copy>(row: &AnyRow, col: I) -> Result<i64> {
    row.try_get::<i64, _>(col).map_err(StorageError::from)
}

pub fn get_opt_f64(row: &AnyRow, col: &str) -> Result<Option<f64>> {
    row.try_get::<Option<f64>, _>(col)
        .map_err(StorageError::from)
}

pub fn get_opt_i64(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(col)
        .map_err(StorageError::from)
}

/// Booleans come back as BOOLEAN from PostgreSQL and as integers from SQLite expressions.
pub fn get_bool(row: &AnyRow, col: &str) -> Result<bool> {
    match row.try_get::<bool, _>(col) {
        Ok(b) => Ok(b),
        Err(_) => Ok(get_i64(row, col)? != 0),
    }
}

pub fn get_uuid(row: &AnyRow, col: &str) -> Result<Uuid> {
    let text = get_str(row, col)?;
    Uuid::parse_str(&text).map_err(|e| StorageError::corrupt(col, e))
}

pub fn get_opt_uuid(row: &AnyRow, col: &str) -> Result<Option<Uuid>> {
    get_opt_str(row, col)?
        .map(|t| Uuid::parse_str(&t).map_err(|e| StorageError::corrupt(col, e)))
        .transpose()
}

pub fn get_date(row: &AnyRow, col: &str) -> Result<NaiveDate> {
    let text = get_str(row, col)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|e| StorageError::corrupt(col, e))
}

pub fn get_opt_date(row: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
    get_opt_str(row, col)?
        .map(|t| {
            NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| StorageError::corrupt(col, e))
        })
        .transpose()
}

/// Takes the next change version for the current transaction. The counter row stays
/// locked until the transaction ends, so versions commit in the order they were taken and
/// a reader that sees version n has every change up to n (docs/sync.md). Only a [`Tx`]
/// can take one, so the commit that publishes the version also tells devices to pull.
pub async fn next_version(tx: &mut Tx) -> Result<i64> {
    let row = sqlx::query(
        "UPDATE sync_counter SET value = value + 1 WHERE name = 'changes' RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    tx.tell_devices();
    get_i64(&row, "value")
}

/// Marks HCPs changed at `version` (their profile as devices hold it changed).
pub async fn touch_hcps(conn: &mut AnyConnection, ids: &[Uuid], version: i64) -> Result<()> {
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("UPDATE hcps SET version = ");
        sql.bind(version)
            .push(" WHERE id IN ")
            .bind_list(chunk.iter().copied());
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`.
pub fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Maps a unique-constraint violation to [`StorageError::Duplicate`].
pub fn unique_violation(
    err: sqlx::Error,
    code: Code,
    entity: &'static str,
    field: &'static str,
    value: &str,
) -> StorageError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Duplicate {
            code,
            entity,
            field,
            value: value.to_string(),
        },
        _ => StorageError::Database(err),
    }
}

/// Inserts rows with multi-row VALUES, in chunks that stay under both engines' limit on
/// bound parameters.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &str,
    rows: Vec<Vec<Value>>,
) -> Result<()> {
    let width = rows.first().map_or(1, Vec::len).max(1);
    // SQLite resolves numbered parameters by a linear search, so a statement with tens of
    // thousands of them is slow to prepare; about a thousand keeps both engines fast.
    let per_chunk = (1_000 / width).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(&format!("INSERT INTO {table} ({columns}) VALUES "));
        for (i, row) in rows.by_ref().take(per_chunk).enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_list(row);
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

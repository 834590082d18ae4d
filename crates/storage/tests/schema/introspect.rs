//! Reads a migrated database's schema back into one plain [`Schema`] value, one function per
//! engine ([`sqlite`], [`postgres`]), so that the schema-agreement test compares two values
//! of the same type. Each engine's declared column types are mapped to a [`Family`] here;
//! the mapping is the project's storage conventions written down (see [`Family`]).
// Each engine's catalogue is read by one function, query after query, kept whole.
#![allow(clippy::too_many_lines)]

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a column's values are, whatever the engine calls its type.
///
/// | family    | SQLite declared type                   | PostgreSQL `data_type`                    |
/// |-----------|----------------------------------------|-------------------------------------------|
/// | text      | TEXT (also ids, JSON, dates, times)    | text, character varying, character        |
/// | integer   | INTEGER                                | bigint, integer, smallint                 |
/// | boolean   | INTEGER in [`SQLITE_BOOLEAN_COLUMNS`]  | boolean                                   |
/// | real      | REAL, FLOAT, DOUBLE                    | double precision, real, numeric           |
/// | blob      | BLOB                                   | bytea                                     |
/// | datetime  | DATE, DATETIME, TIMESTAMP, TIME        | date, time..., timestamp..., interval     |
///
/// Dates and timestamps are ISO-8601 / RFC 3339 TEXT on both engines (they sort as text and
/// the same SQL compares them), so they are in the text family; a native date or timestamp
/// type on either side is the `datetime` family and shows up as a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Family {
    Text,
    Integer,
    Boolean,
    Real,
    Blob,
    DateTime,
    /// A type outside the mapping, with its declared name.
    Other(String),
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Text => f.write_str("text"),
            Family::Integer => f.write_str("integer"),
            Family::Boolean => f.write_str("boolean"),
            Family::Real => f.write_str("real"),
            Family::Blob => f.write_str("blob"),
            Family::DateTime => f.write_str("datetime"),
            Family::Other(declared) => write!(f, "unmapped type {declared:?}"),
        }
    }
}

/// Booleans on SQLite: declared INTEGER holding 0/1 (the `Any` driver cannot decode a
/// SQLite BOOLEAN column), BOOLEAN on PostgreSQL. SQLite's declared type cannot say which
/// INTEGER columns are booleans, so they are named here: the columns the storage code binds
/// `Value::Bool` into and reads with `sql::get_bool`. A new boolean column goes here too.
pub const SQLITE_BOOLEAN_COLUMNS: &[(&str, &str)] = &[
    ("users", "active"),
    ("specialties", "built_in"),
    ("affiliations", "is_primary"),
    ("credential_rules", "controlled_only"),
];

/// A whole schema: every application table by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// Primary key columns in key order; empty when the table has none.
    pub primary_key: Vec<String>,
    /// Every index but the primary key's, including those behind UNIQUE constraints.
    pub indexes: BTreeSet<Index>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// CHECK constraints (table- and column-level), each as the sorted columns its
    /// expression mentions. The expressions themselves are not compared: each engine keeps
    /// them in its own normal form (PostgreSQL turns `IN (...)` into `= ANY (ARRAY[...])`).
    pub checks: Vec<Vec<String>>,
    /// Trigger events, e.g. "BEFORE UPDATE"; names are engine-specific (one PostgreSQL
    /// trigger can cover two SQLite ones), what they guard is not.
    pub triggers: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub family: Family,
    pub not_null: bool,
    /// The default expression with PostgreSQL's `::type` casts removed.
    pub default: Option<String>,
}

/// An index, identified by what it indexes rather than by its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub columns: Vec<String>,
    pub unique: bool,
    /// Has a WHERE clause.
    pub partial: bool,
    /// The name of an index made with CREATE INDEX; `None` for one an engine made for a
    /// UNIQUE constraint (their names are engine-generated and legitimately differ).
    pub name: Option<String>,
}

impl Index {
    /// How a reader names the index in a difference, e.g. "unique index (npi)".
    pub fn describe(&self) -> String {
        format!(
            "{}{}index ({})",
            if self.unique { "unique " } else { "" },
            if self.partial { "partial " } else { "" },
            self.columns.join(", ")
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub references: String,
    pub referenced_columns: Vec<String>,
    /// ON DELETE action in SQL spelling ("NO ACTION", "CASCADE", ...).
    pub on_delete: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "foreign key ({}) -> {} ({})",
            self.columns.join(", "),
            self.references,
            self.referenced_columns.join(", ")
        )?;
        if self.on_delete != "NO ACTION" {
            write!(f, " on delete {}", self.on_delete)?;
        }
        Ok(())
    }
}

/// Tables that belong to the engines or to sqlx, not to the application.
fn is_bookkeeping(table: &str) -> bool {
    table == "_sqlx_migrations" || table.starts_with("sqlite_")
}

fn text(row: &AnyRow, col: &str) -> String {
    row.try_get::<String, _>(col)
        .unwrap_or_else(|e| panic!("introspection column {col} as text: {e}"))
}

fn opt_text(row: &AnyRow, col: &str) -> Option<String> {
    row.try_get::<Option<String>, _>(col)
        .unwrap_or_else(|e| panic!("introspection column {col} as optional text: {e}"))
}

fn int(row: &AnyRow, col: &str) -> i64 {
    row.try_get::<i64, _>(col)
        .unwrap_or_else(|e| panic!("introspection column {col} as integer: {e}"))
}

async fn rows(pool: &AnyPool, sql: &str) -> Vec<AnyRow> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("introspection query failed: {e}\n{sql}"))
}

/// SQLite's declared type to a family, after SQLite's own affinity rules (the first of
/// INT / CHAR, CLOB, TEXT / BLOB / REAL, FLOA, DOUB that the name contains decides).
fn sqlite_family(table: &str, column: &str, declared: &str) -> Family {
    let upper = declared.to_ascii_uppercase();
    if SQLITE_BOOLEAN_COLUMNS.contains(&(table, column)) && upper.contains("INT") {
        Family::Boolean
    } else if upper.contains("INT") {
        Family::Integer
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| upper.contains(t)) {
        Family::Text
    } else if upper.contains("BLOB") {
        Family::Blob
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| upper.contains(t)) {
        Family::Real
    } else if upper.contains("BOOL") {
        Family::Boolean
    } else if ["DATE", "TIME"].iter().any(|t| upper.contains(t)) {
        Family::DateTime
    } else {
        Family::Other(declared.to_string())
    }
}

fn postgres_family(data_type: &str) -> Family {
    match data_type {
        "text" | "character varying" | "character" => Family::Text,
        "bigint" | "integer" | "smallint" => Family::Integer,
        "boolean" => Family::Boolean,
        "double precision" | "real" | "numeric" => Family::Real,
        "bytea" => Family::Blob,
        t if t == "date" || t == "interval" || t.starts_with("time") => Family::DateTime,
        other => Family::Other(other.to_string()),
    }
}

/// A default expression without PostgreSQL's casts: `'verified'::text` -> `'verified'`.
fn normalize_default(expr: &str) -> String {
    let mut expr = expr.trim().to_string();
    while let Some(at) = expr.rfind("::") {
        let cast = &expr[at + 2..];
        if cast
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '_')
        {
            expr.truncate(at);
        } else {
            break;
        }
    }
    expr
}

/// The CHECK constraints of a SQLite CREATE TABLE text (which SQLite keeps up to date
/// through ALTER TABLE ADD COLUMN), each as the sorted `columns` its expression mentions.
fn sqlite_checks(sql: &str, columns: &[&String]) -> Vec<Vec<String>> {
    // Upper-cased code without string literals and comments, so a 'check' in a literal or a
    // column-like word in an IN list does not count.
    let mut code = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // A literal; an escaped quote ('') just ends one literal and starts another.
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                }
                code.push(' ');
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                code.push(' ');
            }
            c => code.push(c.to_ascii_uppercase()),
        }
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut checks = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("CHECK") {
        let keyword = !rest[..at].ends_with(is_word);
        rest = &rest[at + "CHECK".len()..];
        let after = rest.trim_start();
        if !keyword || !after.starts_with('(') {
            continue;
        }
        // The parenthesised expression, up to its matching close parenthesis.
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let words: BTreeSet<&str> = after[..end].split(|c: char| !is_word(c)).collect();
        let mut mentioned: Vec<String> = columns
            .iter()
            .filter(|col| words.contains(col.to_ascii_uppercase().as_str()))
            .map(|col| col.to_string())
            .collect();
        mentioned.sort();
        checks.push(mentioned);
    }
    checks.sort();
    checks
}

/// The event of a SQLite CREATE TRIGGER text, e.g. "BEFORE UPDATE".
fn sqlite_trigger_event(sql: &str) -> String {
    let words: Vec<String> = sql
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let timing_at = words
        .iter()
        .position(|w| w == "BEFORE" || w == "AFTER" || w == "INSTEAD")
        .unwrap_or_else(|| panic!("no timing in trigger {sql}"));
    let (timing, event_at) = if words[timing_at] == "INSTEAD" {
        ("INSTEAD OF", timing_at + 2)
    } else {
        (words[timing_at].as_str(), timing_at + 1)
    };
    format!("{timing} {}", words[event_at])
}

fn table_mut<'a>(schema: &'a mut Schema, table: &str) -> &'a mut Table {
    schema.tables.get_mut(table).unwrap_or_else(|| {
        panic!("introspection found an object on table {table}, which is not in the table list")
    })
}

/// The schema of a SQLite database, from sqlite_master and the pragma table functions.
pub async fn sqlite(pool: &AnyPool) -> Schema {
    let mut schema = Schema::default();
    let mut create_sql = BTreeMap::new();
    let tables = rows(
        pool,
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'",
    )
    .await;
    for row in tables {
        let name = text(&row, "name");
        if !is_bookkeeping(&name) {
            create_sql.insert(name.clone(), text(&row, "sql"));
            schema.tables.insert(name, Table::default());
        }
    }

    let columns = rows(
        pool,
        "SELECT m.name AS tbl, p.name AS col, p.type AS declared, p.\"notnull\" AS not_null, \
         p.dflt_value AS dflt, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' ORDER BY m.name, p.cid",
    )
    .await;
    for row in columns {
        let tbl = text(&row, "tbl");
        if is_bookkeeping(&tbl) {
            continue;
        }
        let col = text(&row, "col");
        let column = Column {
            family: sqlite_family(&tbl, &col, &text(&row, "declared")),
            not_null: int(&row, "not_null") != 0,
            default: opt_text(&row, "dflt").map(|d| normalize_default(&d)),
        };
        let pk = int(&row, "pk");
        let table = table_mut(&mut schema, &tbl);
        if pk > 0 {
            table.primary_key.push(format!("{pk:04}{col}"));
        }
        table.columns.insert(col, column);
    }
    for (name, table) in &mut schema.tables {
        // Sorted by the zero-padded key position, then stripped of it.
        table.primary_key.sort();
        for col in &mut table.primary_key {
            *col = col[4..].to_string();
        }
        let columns: Vec<&String> = table.columns.keys().collect();
        table.checks = sqlite_checks(&create_sql[name], &columns);
    }

    let index_columns = rows(
        pool,
        "SELECT m.name AS tbl, il.name AS idx, il.\"unique\" AS uniq, il.origin AS origin, \
         il.partial AS partial, COALESCE(ii.name, '<expression>') AS col \
         FROM sqlite_master m JOIN pragma_index_list(m.name) il \
         JOIN pragma_index_info(il.name) ii \
         WHERE m.type = 'table' AND il.origin <> 'pk' ORDER BY m.name, il.name, ii.seqno",
    )
    .await;
    let mut indexes: BTreeMap<(String, String), Index> = BTreeMap::new();
    for row in index_columns {
        let tbl = text(&row, "tbl");
        if is_bookkeeping(&tbl) {
            continue;
        }
        let idx = text(&row, "idx");
        let created = text(&row, "origin") == "c";
        let index = indexes.entry((tbl, idx.clone())).or_insert_with(|| Index {
            columns: Vec::new(),
            unique: int(&row, "uniq") != 0,
            partial: int(&row, "partial") != 0,
            name: created.then_some(idx),
        });
        index.columns.push(text(&row, "col"));
    }
    for ((tbl, _), index) in indexes {
        table_mut(&mut schema, &tbl).indexes.insert(index);
    }

    let fk_columns = rows(
        pool,
        "SELECT m.name AS tbl, fk.id AS id, fk.\"table\" AS ref, fk.\"from\" AS col, \
         fk.\"to\" AS ref_col, fk.on_delete AS on_delete \
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk \
         WHERE m.type = 'table' ORDER BY m.name, fk.id, fk.seq",
    )
    .await;
    let mut fks: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
    for row in fk_columns {
        let tbl = text(&row, "tbl");
        if is_bookkeeping(&tbl) {
            continue;
        }
        let fk = fks
            .entry((tbl, int(&row, "id")))
            .or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                references: text(&row, "ref"),
                referenced_columns: Vec::new(),
                on_delete: text(&row, "on_delete"),
            });
        fk.columns.push(text(&row, "col"));
        // `REFERENCES t` without columns means t's primary key; resolved below.
        fk.referenced_columns
            .push(opt_text(&row, "ref_col").unwrap_or_default());
    }
    for ((tbl, _), mut fk) in fks {
        if fk.referenced_columns.iter().any(String::is_empty) {
            fk.referenced_columns = schema
                .tables
                .get(&fk.references)
                .map(|t| t.primary_key.clone())
                .unwrap_or_default();
        }
        table_mut(&mut schema, &tbl).foreign_keys.insert(fk);
    }

    for row in rows(
        pool,
        "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'",
    )
    .await
    {
        let tbl = text(&row, "tbl_name");
        let event = sqlite_trigger_event(&text(&row, "sql"));
        table_mut(&mut schema, &tbl).triggers.insert(event);
    }
    schema
}

/// The schema of a PostgreSQL database's current schema, from information_schema and
/// pg_catalog. Identifier-typed columns are cast to text: the `Any` driver decodes only
/// plain types.
pub async fn postgres(pool: &AnyPool) -> Schema {
    let mut schema = Schema::default();
    let tables = rows(
        pool,
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .await;
    for row in tables {
        let name = text(&row, "name");
        if !is_bookkeeping(&name) {
            schema.tables.insert(name, Table::default());
        }
    }

    let columns = rows(
        pool,
        "SELECT table_name::text AS tbl, column_name::text AS col, data_type::text AS data_type, \
         is_nullable::text AS nullable, column_default::text AS dflt \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         ORDER BY table_name, ordinal_position",
    )
    .await;
    for row in columns {
        let tbl = text(&row, "tbl");
        if !schema.tables.contains_key(&tbl) {
            continue; // bookkeeping tables and views
        }
        let column = Column {
            family: postgres_family(&text(&row, "data_type")),
            not_null: text(&row, "nullable") == "NO",
            default: opt_text(&row, "dflt").map(|d| normalize_default(&d)),
        };
        table_mut(&mut schema, &tbl)
            .columns
            .insert(text(&row, "col"), column);
    }

    // Primary and foreign keys, one row per key column in key order.
    let key_columns = rows(
        pool,
        "SELECT rel.relname::text AS tbl, con.conname::text AS name, con.contype::text AS kind, \
         a.attname::text AS col, frel.relname::text AS ref, fa.attname::text AS ref_col, \
         con.confdeltype::text AS on_delete \
         FROM pg_constraint con \
         JOIN pg_class rel ON rel.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = rel.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
         LEFT JOIN pg_class frel ON frel.oid = con.confrelid \
         LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord] \
         WHERE n.nspname = current_schema() AND con.contype IN ('p', 'f') \
         ORDER BY rel.relname, con.conname, k.ord",
    )
    .await;
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for row in key_columns {
        let tbl = text(&row, "tbl");
        if !schema.tables.contains_key(&tbl) {
            continue;
        }
        if text(&row, "kind") == "p" {
            table_mut(&mut schema, &tbl)
                .primary_key
                .push(text(&row, "col"));
            continue;
        }
        let on_delete = match text(&row, "on_delete").as_str() {
            "a" => "NO ACTION",
            "r" => "RESTRICT",
            "c" => "CASCADE",
            "n" => "SET NULL",
            "d" => "SET DEFAULT",
            other => panic!("unknown confdeltype {other}"),
        };
        let fk = fks
            .entry((tbl, text(&row, "name")))
            .or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                references: text(&row, "ref"),
                referenced_columns: Vec::new(),
                on_delete: on_delete.to_string(),
            });
        fk.columns.push(text(&row, "col"));
        fk.referenced_columns.push(text(&row, "ref_col"));
    }
    for ((tbl, _), fk) in fks {
        table_mut(&mut schema, &tbl).foreign_keys.insert(fk);
    }

    // CHECK constraints, one row per column an expression mentions (conkey).
    let check_columns = rows(
        pool,
        "SELECT rel.relname::text AS tbl, con.conname::text AS name, a.attname::text AS col \
         FROM pg_constraint con \
         JOIN pg_class rel ON rel.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = rel.relnamespace \
         CROSS JOIN LATERAL unnest(con.conkey) AS k(attnum) \
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
         WHERE n.nspname = current_schema() AND con.contype = 'c'",
    )
    .await;
    let mut checks: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for row in check_columns {
        let key = (text(&row, "tbl"), text(&row, "name"));
        checks.entry(key).or_default().push(text(&row, "col"));
    }
    for ((tbl, _), mut columns) in checks {
        if let Some(table) = schema.tables.get_mut(&tbl) {
            columns.sort();
            table.checks.push(columns);
        }
    }
    for table in schema.tables.values_mut() {
        table.checks.sort();
    }

    // Key columns of every index but primary keys'; `constraint_backed` marks the indexes
    // PostgreSQL made for UNIQUE constraints.
    let index_columns = rows(
        pool,
        "SELECT t.relname::text AS tbl, i.relname::text AS idx, ix.indisunique AS uniq, \
         (ix.indpred IS NOT NULL) AS partial, \
         EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid \
                 AND c.conrelid = ix.indrelid AND c.contype IN ('u', 'x')) AS constraint_backed, \
         COALESCE(a.attname::text, '<expression>') AS col \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0 \
         WHERE n.nspname = current_schema() AND NOT ix.indisprimary AND k.ord <= ix.indnkeyatts \
         ORDER BY t.relname, i.relname, k.ord",
    )
    .await;
    let mut indexes: BTreeMap<(String, String), Index> = BTreeMap::new();
    for row in index_columns {
        let tbl = text(&row, "tbl");
        if !schema.tables.contains_key(&tbl) {
            continue;
        }
        let idx = text(&row, "idx");
        let backed = row
            .try_get::<bool, _>("constraint_backed")
            .expect("constraint_backed is a boolean");
        let index = indexes.entry((tbl, idx.clone())).or_insert_with(|| Index {
            columns: Vec::new(),
            unique: row.try_get::<bool, _>("uniq").expect("uniq is a boolean"),
            partial: row
                .try_get::<bool, _>("partial")
                .expect("partial is a boolean"),
            name: (!backed).then_some(idx),
        });
        index.columns.push(text(&row, "col"));
    }
    for ((tbl, _), index) in indexes {
        table_mut(&mut schema, &tbl).indexes.insert(index);
    }

    let triggers = rows(
        pool,
        "SELECT event_object_table::text AS tbl, action_timing::text AS timing, \
         event_manipulation::text AS event FROM information_schema.triggers \
         WHERE trigger_schema = current_schema()",
    )
    .await;
    for row in triggers {
        let tbl = text(&row, "tbl");
        let event = format!("{} {}", text(&row, "timing"), text(&row, "event"));
        table_mut(&mut schema, &tbl).triggers.insert(event);
    }
    schema
}

//! Realignment cycles as stored: the draft's ZIP moves and account overrides, its status,
//! field-review marks, publication into the effective-dated alignment tables, and the
//! notices that tell people what a published change does to them.

use crate::audit::record;
use crate::sql::{
    get_i64, get_opt_date, get_opt_str, get_opt_uuid, get_str, get_uuid, insert_rows, next_version,
    Sql, Value,
};
use crate::{Result, StorageError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::display_name;
use pharmacrm_domain::realignment::{
    DraftLine, Mark, MarkKind, Notice, Realignment, RealignmentStatus, Resolution,
};
use sqlx::AnyConnection;
use uuid::Uuid;

/// An HCP whose ZIP the draft moves: (hcp, name, zip, territory in force on the day, proposed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedHcp {
    pub hcp_id: Uuid,
    pub name: String,
    pub zip: String,
    pub from_territory: Option<Uuid>,
    pub to_territory: Uuid,
}

const COLUMNS: &str = "r.id, r.name, r.status, r.effective_from, r.override_reason, r.created_by, r.created_at, r.review_opened_at, r.published_by, r.published_at, \
(SELECT COUNT(*) FROM realignment_zips z WHERE z.realignment_id = r.id) AS zip_count, \
(SELECT COUNT(*) FROM realignment_accounts a WHERE a.realignment_id = r.id) AS account_count, \
(SELECT COUNT(*) FROM realignment_marks m WHERE m.realignment_id = r.id) AS mark_count, \
(SELECT COUNT(*) FROM realignment_marks m WHERE m.realignment_id = r.id AND m.resolution IS NULL) AS open_count";

fn realignment_from(r: &sqlx::any::AnyRow) -> Result<Realignment> {
    let status = get_str(r, "status")?;
    Ok(Realignment {
        id: get_uuid(r, "id")?,
        name: get_str(r, "name")?,
        status: RealignmentStatus::parse(&status)
            .ok_or_else(|| StorageError::corrupt("realignments.status", status))?,
        effective_from: get_opt_date(r, "effective_from")?,
        override_reason: get_opt_str(r, "override_reason")?,
        created_by: get_str(r, "created_by")?,
        created_at: get_str(r, "created_at")?,
        review_opened_at: get_opt_str(r, "review_opened_at")?,
        published_by: get_opt_str(r, "published_by")?,
        published_at: get_opt_str(r, "published_at")?,
        zips: get_i64(r, "zip_count")?.max(0) as u32,
        account_overrides: get_i64(r, "account_count")?.max(0) as u32,
        marks: get_i64(r, "mark_count")?.max(0) as u32,
        marks_open: get_i64(r, "open_count")?.max(0) as u32,
    })
}

impl Store {
    pub async fn realignments(&self) -> Result<Vec<Realignment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM realignments r ORDER BY r.created_at DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(realignment_from).collect()
    }

    pub async fn realignment(&self, id: Uuid) -> Result<Realignment> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM realignments r WHERE r.id = "
        ));
        sql.bind(id);
        realignment_from(
            &sql.query()
                .fetch_optional(self.pool())
                .await?
                .ok_or(StorageError::NotFound("realignment"))?,
        )
    }

    pub async fn create_realignment(&self, actor: &Actor, name: &str) -> Result<Uuid> {
        let id = pharmacrm_domain::new_id();
        let mut tx = self.pool().begin().await?;
        let mut sql =
            Sql::new("INSERT INTO realignments (id, name, status, created_by, created_at) VALUES ");
        sql.bind_list(Vec::<Value>::from([
            id.into(),
            name.into(),
            "draft".into(),
            actor.name.clone().into(),
            self.now_timestamp().into(),
        ]));
        sql.query().execute(&mut *tx).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "realignment",
            id,
            AuditAction::Create,
            None,
            Some(&serde_json::json!({"name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn lock_editable(conn: &mut AnyConnection, id: Uuid) -> Result<RealignmentStatus> {
        let mut sql = Sql::new("SELECT status FROM realignments WHERE id = ");
        sql.bind(id);
        let row = sql
            .query()
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StorageError::NotFound("realignment"))?;
        let status = RealignmentStatus::parse(&get_str(&row, "status")?)
            .unwrap_or(RealignmentStatus::Cancelled);
        if !status.editable() {
            return Err(pharmacrm_domain::ValidationErrors::single(
                "status",
                format!("a {} realignment cannot be changed", status.as_str()),
            )
            .into());
        }
        Ok(status)
    }

    /// Puts lines into a draft's ZIP moves (`zip = true`) or account overrides; a line for a
    /// key already in the draft replaces it. Returns (created, updated).
    pub async fn put_realignment_lines(
        &self,
        actor: &Actor,
        id: Uuid,
        zip: bool,
        lines: &[DraftLine],
    ) -> Result<(usize, usize)> {
        let (table, key) = if zip {
            ("realignment_zips", "zip")
        } else {
            ("realignment_accounts", "account_id")
        };
        let mut tx = self.pool().begin().await?;
        Self::lock_editable(&mut tx, id).await?;
        let (mut created, mut updated) = (0, 0);
        let mut inserts = Vec::new();
        for line in lines {
            let mut sql = Sql::new(&format!("UPDATE {table} SET territory_id = "));
            sql.bind(line.territory_id)
                .push(" WHERE realignment_id = ")
                .bind(id)
                .push(&format!(" AND {key} = "))
                .bind(line.key.clone());
            if sql.query().execute(&mut *tx).await?.rows_affected() == 0 {
                inserts.push(vec![
                    id.into(),
                    line.key.clone().into(),
                    line.territory_id.into(),
                ]);
                created += 1;
            } else {
                updated += 1;
            }
        }
        insert_rows(
            &mut tx,
            table,
            &format!("realignment_id, {key}, territory_id"),
            inserts,
        )
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            table.trim_end_matches('s'),
            id,
            AuditAction::Update,
            None,
            Some(&lines),
        )
        .await?;
        tx.commit().await?;
        Ok((created, updated))
    }

    /// Takes lines out of a draft.
    pub async fn remove_realignment_lines(
        &self,
        actor: &Actor,
        id: Uuid,
        zip: bool,
        keys: &[String],
    ) -> Result<()> {
        let (table, key) = if zip {
            ("realignment_zips", "zip")
        } else {
            ("realignment_accounts", "account_id")
        };
        let mut tx = self.pool().begin().await?;
        Self::lock_editable(&mut tx, id).await?;
        for chunk in keys.chunks(500) {
            let mut sql = Sql::new(&format!("DELETE FROM {table} WHERE realignment_id = "));
            sql.bind(id)
                .push(&format!(" AND {key} IN "))
                .bind_list(chunk.iter().cloned());
            sql.query().execute(&mut *tx).await?;
        }
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            table.trim_end_matches('s'),
            id,
            AuditAction::Delete,
            Some(&keys),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The draft's lines (ZIP moves or account overrides), by key.
    pub async fn realignment_lines(&self, id: Uuid, zip: bool) -> Result<Vec<DraftLine>> {
        let (table, key) = if zip {
            ("realignment_zips", "zip")
        } else {
            ("realignment_accounts", "account_id")
        };
        let mut sql = Sql::new(&format!(
            "SELECT {key} AS k, territory_id FROM {table} WHERE realignment_id = "
        ));
        sql.bind(id).push(" ORDER BY k");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(DraftLine {
                    key: get_str(r, "k")?,
                    territory_id: get_uuid(r, "territory_id")?,
                })
            })
            .collect()
    }

    /// HCPs living in a ZIP the draft aligns to a territory other than the one in force on `day`.
    pub async fn realignment_moved_hcps(&self, id: Uuid, day: NaiveDate) -> Result<Vec<MovedHcp>> {
        let mut sql = Sql::new(
            "SELECT h.id, h.first_name, h.last_name, h.credentials, h.zip, za.territory_id AS from_t, rz.territory_id AS to_t \
             FROM realignment_zips rz JOIN hcps h ON h.zip = rz.zip",
        );
        crate::scope::join_alignment(&mut sql, "h", day);
        sql.push(" WHERE rz.realignment_id = ")
            .bind(id)
            .push(" AND (za.territory_id IS NULL OR za.territory_id <> rz.territory_id)");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(MovedHcp {
                    hcp_id: get_uuid(r, "id")?,
                    name: display_name(
                        &get_str(r, "first_name")?,
                        &get_str(r, "last_name")?,
                        &get_str(r, "credentials")?,
                    ),
                    zip: get_str(r, "zip")?,
                    from_territory: get_opt_uuid(r, "from_t")?,
                    to_territory: get_uuid(r, "to_t")?,
                })
            })
            .collect()
    }

    /// Accounts the draft moves: (account, territory in force on `day`, territory after), from
    /// its ZIP moves (accounts without an override) and its account overrides.
    pub async fn realignment_moved_accounts(
        &self,
        id: Uuid,
        day: NaiveDate,
    ) -> Result<Vec<(Uuid, Option<Uuid>, Uuid)>> {
        let mut sql = Sql::new("SELECT a.id, COALESCE(ao.territory_id, za.territory_id) AS from_t, COALESCE(ra.territory_id, rz.territory_id) AS to_t FROM accounts a");
        crate::scope::join_account_alignment(&mut sql, "a", day);
        sql.push(" LEFT JOIN realignment_zips rz ON rz.zip = a.zip AND rz.realignment_id = ")
            .bind(id);
        sql.push(
            " LEFT JOIN realignment_accounts ra ON ra.account_id = a.id AND ra.realignment_id = ",
        )
        .bind(id);
        sql.push(" WHERE (ra.territory_id IS NOT NULL OR (rz.territory_id IS NOT NULL AND ao.territory_id IS NULL))");
        let mut out = Vec::new();
        for r in sql.query().fetch_all(self.pool()).await? {
            let (from, to) = (get_opt_uuid(&r, "from_t")?, get_uuid(&r, "to_t")?);
            if from != Some(to) {
                out.push((get_uuid(&r, "id")?, from, to));
            }
        }
        Ok(out)
    }

    /// Opens a draft for field review.
    pub async fn open_realignment_review(&self, actor: &Actor, id: Uuid) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        if Self::lock_editable(&mut tx, id).await? != RealignmentStatus::Draft {
            return Err(pharmacrm_domain::ValidationErrors::single(
                "status",
                "the realignment is already open for review",
            )
            .into());
        }
        let mut sql = Sql::new("UPDATE realignments SET status = 'review', review_opened_at = ");
        sql.bind(self.now_timestamp()).push(" WHERE id = ").bind(id);
        sql.query().execute(&mut *tx).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "realignment",
            id,
            AuditAction::Update,
            None,
            Some(&serde_json::json!({"status": "review"})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn cancel_realignment(&self, actor: &Actor, id: Uuid) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        Self::lock_editable(&mut tx, id).await?;
        let mut sql = Sql::new("UPDATE realignments SET status = 'cancelled' WHERE id = ");
        sql.bind(id).query().execute(&mut *tx).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "realignment",
            id,
            AuditAction::Update,
            None,
            Some(&serde_json::json!({"status": "cancelled"})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_realignment_mark(
        &self,
        actor: &Actor,
        id: Uuid,
        raised_by: Uuid,
        hcp_id: Uuid,
        kind: MarkKind,
        note: &str,
    ) -> Result<Uuid> {
        let mark = pharmacrm_domain::new_id();
        let mut tx = self.pool().begin().await?;
        if Self::lock_editable(&mut tx, id).await? != RealignmentStatus::Review {
            return Err(pharmacrm_domain::ValidationErrors::single(
                "status",
                "the realignment is not open for field review",
            )
            .into());
        }
        let mut sql = Sql::new("INSERT INTO realignment_marks (id, realignment_id, hcp_id, kind, note, raised_by, raised_at) VALUES ");
        sql.bind_list(Vec::<Value>::from([
            mark.into(),
            id.into(),
            hcp_id.into(),
            kind.as_str().into(),
            note.into(),
            raised_by.into(),
            self.now_timestamp().into(),
        ]));
        sql.query().execute(&mut *tx).await?;
        let after = serde_json::json!({"realignment_id": id, "hcp_id": hcp_id, "kind": kind.as_str(), "note": note});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "realignment_mark",
            mark,
            AuditAction::Create,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(mark)
    }

    pub async fn resolve_realignment_mark(
        &self,
        actor: &Actor,
        id: Uuid,
        mark: Uuid,
        resolution: Resolution,
        note: &str,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        Self::lock_editable(&mut tx, id).await?;
        let mut sql = Sql::new("UPDATE realignment_marks SET resolution = ");
        sql.bind(resolution.as_str())
            .push(", resolution_note = ")
            .bind(note)
            .push(", resolved_by = ")
            .bind(actor.name.clone());
        sql.push(", resolved_at = ")
            .bind(self.now_timestamp())
            .push(" WHERE id = ")
            .bind(mark)
            .push(" AND realignment_id = ")
            .bind(id);
        sql.push(" AND resolution IS NULL");
        if sql.query().execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(StorageError::NotFound("open mark"));
        }
        let after = serde_json::json!({"resolution": resolution.as_str(), "note": note});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "realignment_mark",
            mark,
            AuditAction::Update,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn realignment_marks(&self, id: Uuid) -> Result<Vec<Mark>> {
        let mut sql = Sql::new(
            "SELECT m.*, h.first_name, h.last_name, h.credentials, u.display_name AS raiser FROM realignment_marks m \
             JOIN hcps h ON h.id = m.hcp_id JOIN users u ON u.id = m.raised_by WHERE m.realignment_id = ",
        );
        sql.bind(id).push(" ORDER BY m.raised_at");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(Mark {
                    id: get_uuid(r, "id")?,
                    realignment_id: id,
                    hcp_id: get_uuid(r, "hcp_id")?,
                    hcp_name: display_name(
                        &get_str(r, "first_name")?,
                        &get_str(r, "last_name")?,
                        &get_str(r, "credentials")?,
                    ),
                    kind: MarkKind::parse(&get_str(r, "kind")?).ok_or_else(|| {
                        StorageError::corrupt("realignment_marks.kind", "unknown")
                    })?,
                    note: get_str(r, "note")?,
                    raised_by: get_uuid(r, "raised_by")?,
                    raised_by_name: get_str(r, "raiser")?,
                    raised_at: get_str(r, "raised_at")?,
                    resolution: get_opt_str(r, "resolution")?
                        .as_deref()
                        .and_then(Resolution::parse),
                    resolution_note: get_opt_str(r, "resolution_note")?,
                    resolved_by: get_opt_str(r, "resolved_by")?,
                    resolved_at: get_opt_str(r, "resolved_at")?,
                })
            })
            .collect()
    }

    /// Refuses a publication that would silently undo a cycle already published for a later
    /// date which moves the same ZIPs or accounts elsewhere (aligning from an earlier date
    /// closes every later row): ops must cancel or re-plan that cycle first, and the field is
    /// not left reading a change that will never happen. A later move to the same territory
    /// is kept in effect by this one and is no conflict. Decided inside the publishing
    /// transaction.
    async fn refuse_undoing_a_later_cycle(
        conn: &mut AnyConnection,
        id: Uuid,
        effective_from: NaiveDate,
    ) -> Result<()> {
        let mut sql = Sql::new(
            "SELECT r.name, r.effective_from FROM realignments r WHERE r.status = 'published' AND r.id <> ",
        );
        sql.bind(id)
            .push(" AND r.effective_from > ")
            .bind(effective_from)
            .push(
                " AND (EXISTS (SELECT 1 FROM realignment_zips z JOIN realignment_zips mine \
                 ON mine.zip = z.zip AND mine.territory_id <> z.territory_id \
                 WHERE z.realignment_id = r.id AND mine.realignment_id = ",
            )
            .bind(id)
            .push(
                ") OR EXISTS (SELECT 1 FROM realignment_accounts a JOIN realignment_accounts mine \
                 ON mine.account_id = a.account_id AND mine.territory_id <> a.territory_id \
                 WHERE a.realignment_id = r.id AND mine.realignment_id = ",
            )
            .bind(id)
            .push(")) ORDER BY r.effective_from, r.name");
        let later: Vec<String> = sql
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| {
                Ok(format!(
                    "'{}' (published for {})",
                    get_str(row, "name")?,
                    get_str(row, "effective_from")?
                ))
            })
            .collect::<Result<_>>()?;
        if later.is_empty() {
            return Ok(());
        }
        Err(StorageError::Conflict {
            code: Code::Conflict,
            message: format!(
                "this cycle moves ZIPs or accounts that {} moves elsewhere later; publishing it would undo that cycle: cancel or re-plan it first",
                later.join(", ")
            ),
        })
    }

    /// Publishes: marks it published, aligns its ZIPs and accounts from `effective_from`
    /// (effective-dated, so history stays), and leaves each `(user, title, body)` notice, in
    /// one transaction.
    pub async fn publish_realignment(
        &self,
        actor: &Actor,
        id: Uuid,
        effective_from: NaiveDate,
        override_reason: Option<&str>,
        notices: &[(Uuid, String, String)],
    ) -> Result<()> {
        let zips = self.realignment_targets(id, true).await?;
        let accounts = self.realignment_targets(id, false).await?;
        let zip_rows = self
            .alignments_for(zips.iter().map(|(z, _)| z.clone()).collect())
            .await?;
        let account_rows = self
            .account_alignments_for(accounts.iter().map(|(a, _)| a.clone()).collect())
            .await?;
        let mut tx = self.begin().await?;
        Self::lock_editable(&mut tx, id).await?;
        Self::require_marks_resolved(&mut tx, id).await?;
        Self::refuse_undoing_a_later_cycle(&mut tx, id, effective_from).await?;
        let version = next_version(&mut tx).await?;
        crate::alignment::align_in(
            &mut tx,
            actor,
            "zip_alignments",
            "zip",
            &zip_rows,
            &zips,
            effective_from,
            Some(id),
            version,
            &self.now_timestamp(),
        )
        .await?;
        crate::alignment::align_in(
            &mut tx,
            actor,
            "account_alignments",
            "account_id",
            &account_rows,
            &accounts,
            effective_from,
            Some(id),
            version,
            &self.now_timestamp(),
        )
        .await?;
        self.mark_published(&mut tx, actor, id, effective_from, override_reason)
            .await?;
        self.leave_notices(&mut tx, id, effective_from, notices, version)
            .await?;
        let after = serde_json::json!({"status": "published", "effective_from": effective_from, "override_reason": override_reason, "notices": notices.len()});
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "realignment",
            id,
            AuditAction::Update,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The realignment's `(key, territory)` lines: its ZIPs, or its accounts.
    async fn realignment_targets(&self, id: Uuid, zips: bool) -> Result<Vec<(String, Uuid)>> {
        Ok(self
            .realignment_lines(id, zips)
            .await?
            .into_iter()
            .map(|l| (l.key, l.territory_id))
            .collect())
    }

    /// Refuses to publish while a field-review mark is unresolved.
    async fn require_marks_resolved(conn: &mut AnyConnection, id: Uuid) -> Result<()> {
        let open = {
            let mut sql = Sql::new("SELECT COUNT(*) AS n FROM realignment_marks WHERE resolution IS NULL AND realignment_id = ");
            sql.bind(id);
            get_i64(&sql.query().fetch_one(&mut *conn).await?, "n")?
        };
        if open > 0 {
            return Err(pharmacrm_domain::ValidationErrors::single(
                "marks",
                format!("{open} field-review mark(s) are not resolved"),
            )
            .into());
        }
        Ok(())
    }

    /// Sets the realignment's status to published, with its date, override reason and
    /// publisher.
    async fn mark_published(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        id: Uuid,
        effective_from: NaiveDate,
        override_reason: Option<&str>,
    ) -> Result<()> {
        let mut sql = Sql::new("UPDATE realignments SET status = 'published', effective_from = ");
        sql.bind(effective_from)
            .push(", override_reason = ")
            .bind(override_reason.map(str::to_string));
        sql.push(", published_by = ")
            .bind(actor.name.clone())
            .push(", published_at = ")
            .bind(self.now_timestamp())
            .push(" WHERE id = ")
            .bind(id);
        sql.query().execute(&mut *conn).await?;
        Ok(())
    }

    /// Leaves each `(user, title, body)` notice of the realignment.
    async fn leave_notices(
        &self,
        conn: &mut AnyConnection,
        id: Uuid,
        effective_from: NaiveDate,
        notices: &[(Uuid, String, String)],
        version: i64,
    ) -> Result<()> {
        let now = self.now_timestamp();
        let rows: Vec<Vec<Value>> = notices
            .iter()
            .map(|(user, title, body)| {
                vec![
                    pharmacrm_domain::new_id().into(),
                    (*user).into(),
                    "realignment".into(),
                    id.into(),
                    title.clone().into(),
                    body.clone().into(),
                    effective_from.into(),
                    now.clone().into(),
                    version.into(),
                ]
            })
            .collect();
        insert_rows(
            conn,
            "notices",
            "id, user_id, kind, subject_id, title, body, effective_from, created_at, version",
            rows,
        )
        .await?;
        Ok(())
    }

    /// A user's notices changed after `from` (all when `None`), newest first.
    pub async fn notices_of(&self, user: Uuid, from: Option<i64>) -> Result<Vec<Notice>> {
        let mut sql = Sql::new("SELECT id, kind, subject_id, title, body, effective_from, created_at FROM notices WHERE user_id = ");
        sql.bind(user);
        if let Some(v) = from {
            sql.push(" AND version > ").bind(v);
        }
        sql.push(" ORDER BY created_at DESC");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(Notice {
                    id: get_uuid(r, "id")?,
                    kind: get_str(r, "kind")?,
                    subject_id: get_uuid(r, "subject_id")?,
                    title: get_str(r, "title")?,
                    body: get_str(r, "body")?,
                    effective_from: get_opt_date(r, "effective_from")?,
                    created_at: get_str(r, "created_at")?,
                })
            })
            .collect()
    }

    /// Which of these account ids exist.
    pub async fn existing_accounts(&self, ids: &[Uuid]) -> Result<Vec<Uuid>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new("SELECT id FROM accounts WHERE id IN ");
            sql.bind_list(chunk.iter().copied());
            for r in sql.query().fetch_all(self.pool()).await? {
                out.push(get_uuid(&r, "id")?);
            }
        }
        Ok(out)
    }

    /// Calls per (HCP, territory) on these HCPs since `since`.
    pub async fn calls_by_hcp_and_territory(
        &self,
        hcps: &[Uuid],
        since: NaiveDate,
    ) -> Result<Vec<(Uuid, Uuid, u32)>> {
        let mut out = Vec::new();
        for chunk in hcps.chunks(500) {
            let mut sql = Sql::new(
                "SELECT ca.hcp_id, c.territory_id, COUNT(*) AS n FROM call_attendees ca JOIN calls c ON c.id = ca.call_id WHERE c.territory_id IS NOT NULL AND c.called_at >= ",
            );
            sql.bind(since)
                .push(" AND ca.hcp_id IN ")
                .bind_list(chunk.iter().copied())
                .push(" GROUP BY ca.hcp_id, c.territory_id");
            for r in sql.query().fetch_all(self.pool()).await? {
                out.push((
                    get_uuid(&r, "hcp_id")?,
                    get_uuid(&r, "territory_id")?,
                    get_i64(&r, "n")?.max(0) as u32,
                ));
            }
        }
        Ok(out)
    }

    /// (HCP, territory, product, tier, decile) for every segmented HCP aligned on `day` to one
    /// of `territories`, plus (HCP, territory) for those without a segment (product `None`).
    pub async fn territory_segments(
        &self,
        territories: &[Uuid],
        day: NaiveDate,
    ) -> Result<
        Vec<(
            Uuid,
            Uuid,
            Option<(Uuid, pharmacrm_domain::segment::Tier, u8)>,
        )>,
    > {
        let mut out = Vec::new();
        for chunk in territories.chunks(200) {
            let mut sql = Sql::new(
                "SELECT h.id, za.territory_id, g.product_id, g.tier, g.decile FROM hcps h",
            );
            crate::scope::join_alignment(&mut sql, "h", day);
            sql.push(" LEFT JOIN segments g ON g.hcp_id = h.id WHERE za.territory_id IN ")
                .bind_list(chunk.iter().copied());
            for r in sql.query().fetch_all(self.pool()).await? {
                let segment = match get_opt_uuid(&r, "product_id")? {
                    Some(p) => Some((
                        p,
                        pharmacrm_domain::segment::Tier::parse(&get_str(&r, "tier")?)
                            .map_err(|e| StorageError::corrupt("segments.tier", e))?,
                        get_i64(&r, "decile")?.clamp(1, 10) as u8,
                    )),
                    None => None,
                };
                out.push((get_uuid(&r, "id")?, get_uuid(&r, "territory_id")?, segment));
            }
        }
        Ok(out)
    }
}

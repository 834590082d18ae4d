//! Reps' data requests: a proposed new HCP (inserted as a `proposed` master record with its
//! request, in one transaction) or a proposed change, and the steward's decision on each.
//! A decision is audited and tells the proposer through a notice.

use crate::audit::{append, audit_row, record};
use crate::sql::{get_opt_str, get_opt_uuid, get_str, get_uuid, next_version, stmt, Sql, Value};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::HcpRecord;
use pharmacrm_domain::stewardship::{FieldChange, HcpChange, RequestKind, RequestStatus};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use uuid::Uuid;

/// A data request as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRequest {
    pub id: Uuid,
    pub kind: RequestKind,
    pub hcp_id: Uuid,
    pub changes: HcpChange,
    /// The change against the record as it was when proposed.
    pub described: Vec<FieldChange>,
    pub note: Option<String>,
    pub proposed_by: Uuid,
    pub proposed_by_name: String,
    pub proposed_at: String,
    pub status: RequestStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
    pub merged_into: Option<Uuid>,
}

impl StoredRequest {
    /// A request just proposed by `proposed_by`, waiting for a steward.
    pub fn pending(
        id: Uuid,
        kind: RequestKind,
        hcp_id: Uuid,
        changes: HcpChange,
        note: Option<String>,
        proposed_by: Uuid,
        proposed_at: String,
    ) -> Self {
        StoredRequest {
            id,
            kind,
            hcp_id,
            changes,
            described: Vec::new(),
            note,
            proposed_by,
            proposed_by_name: String::new(),
            proposed_at,
            status: RequestStatus::Pending,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
            merged_into: None,
        }
    }
}

/// Which requests to read.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub status: Option<RequestStatus>,
    /// Only this user's requests.
    pub proposed_by: Option<Uuid>,
    /// Only requests changed after this change version.
    pub since_version: Option<i64>,
    pub hcp_id: Option<Uuid>,
}

fn request_of(row: &AnyRow) -> Result<StoredRequest> {
    Ok(StoredRequest {
        id: get_uuid(row, "id")?,
        kind: RequestKind::parse(&get_str(row, "kind")?)
            .map_err(|e| StorageError::corrupt("data_requests.kind", e))?,
        hcp_id: get_uuid(row, "hcp_id")?,
        changes: serde_json::from_str(&get_str(row, "changes")?)
            .map_err(|e| StorageError::corrupt("data_requests.changes", e))?,
        described: serde_json::from_str(&get_str(row, "described")?)
            .map_err(|e| StorageError::corrupt("data_requests.described", e))?,
        note: get_opt_str(row, "note")?,
        proposed_by: get_uuid(row, "proposed_by")?,
        proposed_by_name: get_str(row, "proposed_by_name")?,
        proposed_at: get_str(row, "proposed_at")?,
        status: RequestStatus::parse(&get_str(row, "status")?)
            .map_err(|e| StorageError::corrupt("data_requests.status", e))?,
        decided_by: get_opt_str(row, "decided_by")?,
        decided_at: get_opt_str(row, "decided_at")?,
        decision_reason: get_opt_str(row, "decision_reason")?,
        merged_into: get_opt_uuid(row, "merged_into")?,
    })
}

async fn insert_request(conn: &mut AnyConnection, r: &StoredRequest, version: i64) -> Result<()> {
    let changes =
        serde_json::to_string(&r.changes).map_err(|e| StorageError::corrupt("changes", e))?;
    let described =
        serde_json::to_string(&r.described).map_err(|e| StorageError::corrupt("described", e))?;
    stmt(
        "INSERT INTO data_requests (id, kind, hcp_id, changes, described, note, proposed_by, proposed_at, status, version) \
         VALUES ($1, $2, $3, $4, $9, $5, $6, $7, 'pending', $8)",
        vec![
            r.id.into(),
            r.kind.as_str().into(),
            r.hcp_id.into(),
            changes.into(),
            r.note.clone().into(),
            r.proposed_by.into(),
            r.proposed_at.clone().into(),
            version.into(),
            described.into(),
        ],
    )
    .query()
    .execute(&mut *conn)
    .await
    .map_err(|e| crate::sql::unique_violation(e, Code::DuplicateRecord, "data request", "id", &r.id.to_string()))?;
    Ok(())
}

impl Store {
    /// Stores a rep's new HCP as a `proposed` master record with its request.
    pub async fn propose_hcp(
        &self,
        actor: &Actor,
        hcp_id: Uuid,
        hcp: &HcpRecord,
        request: &StoredRequest,
    ) -> Result<()> {
        self.insert_hcps_with_status(actor, &[(hcp_id, hcp.clone())], "proposed")
            .await?;
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        insert_request(&mut tx, request, version).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "data_request",
            request.id,
            AuditAction::Create,
            None,
            Some(&request.changes),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a proposed change to an existing HCP.
    pub async fn propose_change(&self, actor: &Actor, request: &StoredRequest) -> Result<()> {
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        insert_request(&mut tx, request, version).await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "data_request",
            request.id,
            AuditAction::Create,
            None,
            Some(&request.changes),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn data_requests(
        &self,
        filter: &RequestFilter,
        limit: i64,
    ) -> Result<Vec<StoredRequest>> {
        let mut sql = Sql::new(
            "SELECT r.*, u.username AS proposed_by_name FROM data_requests r JOIN users u ON u.id = r.proposed_by WHERE 1 = 1",
        );
        if let Some(status) = filter.status {
            sql.push(" AND r.status = ").bind(status.as_str());
        }
        if let Some(user) = filter.proposed_by {
            sql.push(" AND r.proposed_by = ").bind(user);
        }
        if let Some(v) = filter.since_version {
            sql.push(" AND r.version > ").bind(v);
        }
        if let Some(hcp) = filter.hcp_id {
            sql.push(" AND r.hcp_id = ").bind(hcp);
        }
        sql.push(" ORDER BY r.proposed_at, r.id LIMIT ").bind(limit);
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(request_of)
            .collect()
    }

    pub async fn data_request(&self, id: Uuid) -> Result<Option<StoredRequest>> {
        let filter = Sql::new(
            "SELECT r.*, u.username AS proposed_by_name FROM data_requests r JOIN users u ON u.id = r.proposed_by WHERE r.id = ",
        );
        let mut sql = filter;
        sql.bind(id);
        sql.query()
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(request_of)
            .transpose()
    }

    /// Records a steward's decision on a pending request, sets the proposed HCP's master
    /// status when it is a new HCP (`verified` or `rejected`), and leaves the proposer a notice.
    /// The changes themselves (record update, affiliation, merge) are written by the caller
    /// before, each audited on its own.
    pub async fn decide_request(
        &self,
        actor: &Actor,
        id: Uuid,
        status: RequestStatus,
        reason: Option<&str>,
        merged_into: Option<Uuid>,
        notice: (&str, &str),
    ) -> Result<StoredRequest> {
        let before = self
            .data_request(id)
            .await?
            .ok_or(StorageError::NotFound("data request"))?;
        let now = self.now_timestamp();
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        let done = stmt(
            "UPDATE data_requests SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4, merged_into = $5, version = $6 \
             WHERE id = $7 AND status = 'pending'",
            vec![
                status.as_str().into(),
                actor.name.clone().into(),
                now.clone().into(),
                reason.map(str::to_string).into(),
                merged_into.into(),
                version.into(),
                id.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(StorageError::NotFound("pending data request"));
        }
        if before.kind == RequestKind::NewHcp
            && matches!(status, RequestStatus::Approved | RequestStatus::Rejected)
        {
            let master = if status == RequestStatus::Approved {
                "verified"
            } else {
                "rejected"
            };
            stmt(
                "UPDATE hcps SET master_status = $1, version = $2 WHERE id = $3 AND master_status = 'proposed'",
                vec![master.into(), version.into(), before.hcp_id.into()],
            )
                .query()
                .execute(&mut *tx)
                .await?;
            if status == RequestStatus::Rejected {
                // A rejected proposal leaves every device that holds it.
                crate::sql::note_scope_change(&mut tx, version, "hcp", before.hcp_id, &now).await?;
            }
        }
        stmt(
            "INSERT INTO notices (id, user_id, kind, subject_id, title, body, effective_from, created_at, version) \
             VALUES ($1, $2, 'data_request', $3, $4, $5, NULL, $6, $7)",
            vec![
                pharmacrm_domain::new_id().into(),
                before.proposed_by.into(),
                id.into(),
                notice.0.into(),
                notice.1.into(),
                Value::from(now.clone()),
                version.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let after = serde_json::json!({ "status": status.as_str(), "reason": reason, "merged_into": merged_into });
        append(
            &mut tx,
            vec![audit_row(
                actor,
                "data_request",
                id,
                AuditAction::Update,
                None,
                Some(&after),
                &now,
            )],
        )
        .await?;
        tx.commit().await?;
        self.data_request(id)
            .await?
            .ok_or(StorageError::NotFound("data request"))
    }
}

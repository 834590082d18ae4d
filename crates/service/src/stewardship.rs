//! Data stewardship use cases: a rep proposes a new HCP (online or from the outbox; the
//! record is usable at once as `proposed`) or a change to one, and data stewards (commercial
//! ops) approve, reject with a reason, or — for a proposed HCP that already exists — merge it
//! into the existing record. Duplicates are looked for when a proposal arrives: a sure match
//! in the rep's own territories links the proposal to it straight away.

use crate::auth::Principal;
use crate::matching::{check_record, HcpMatch};
use crate::sync::Evaluation;
use crate::{Result, ServiceError, Store};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::{display_name, HcpInput, HcpRecord};
use pharmacrm_domain::matching::model::Outcome;
use pharmacrm_domain::mutation::MutationOutcome;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::stewardship::{
    check_reason, FieldChange, HcpChange, RequestKind, RequestStatus, MAX_NOTE,
};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::accounts::NewAffiliation;
use pharmacrm_storage::requests::{RequestFilter, StoredRequest};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new HCP proposed by a rep. Both ids are made on the device, so calls can be logged on
/// the proposed HCP before it reaches the server.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HcpProposal {
    /// The request's id.
    pub id: Uuid,
    /// The proposed HCP's id.
    pub hcp_id: Uuid,
    pub hcp: HcpInput,
    #[serde(default)]
    pub note: Option<String>,
    /// The rep saw the likely matches and says this is a different person.
    #[serde(default)]
    pub confirmed_different: bool,
}

/// A change to an existing HCP proposed by a rep.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangeProposal {
    /// The request's id (made on the device).
    pub id: Uuid,
    pub hcp_id: Uuid,
    pub changes: HcpChange,
    #[serde(default)]
    pub note: Option<String>,
}

/// A data request as reps and stewards see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DataRequest {
    pub id: Uuid,
    pub kind: RequestKind,
    pub hcp_id: Uuid,
    pub hcp_name: String,
    pub status: RequestStatus,
    /// For a change: the fields it changes. For a new HCP: empty.
    pub changes: Vec<FieldChange>,
    pub note: Option<String>,
    pub proposed_by: String,
    pub proposed_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
    /// The existing HCP a proposed one was merged into.
    pub merged_into: Option<Uuid>,
    /// For stewards, a pending new HCP's likely existing matches (whole universe).
    pub matches: Vec<HcpMatch>,
}

/// A steward's decision.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Decision {
    /// Required to reject.
    #[serde(default)]
    pub reason: Option<String>,
    /// Merge a proposed HCP into this existing one instead of approving it.
    #[serde(default)]
    pub merge_into: Option<Uuid>,
}

fn check_note(note: Option<&str>) -> Result<Option<String>> {
    let note = pharmacrm_domain::validation::optional(note);
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(ValidationErrors::single(
            "note",
            format!("must be at most {MAX_NOTE} characters"),
        )
        .into());
    }
    Ok(note)
}

async fn known_specialties(store: &Store) -> Result<HashSet<String>> {
    Ok(store
        .specialties()
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect())
}

/// Validates a new HCP for `principal`: every field rule, the ZIP in a field user's
/// territories, and an NPI not yet on file.
pub(crate) async fn validated_new_hcp(
    store: &Store,
    principal: &Principal,
    input: &HcpInput,
) -> Result<HcpRecord> {
    let known = known_specialties(store).await?;
    let record = input.validate(|code| known.contains(code))?;
    if principal.scope != Scope::All
        && store
            .territory_of_zip(&principal.scope, &record.address.zip)
            .await?
            .is_none()
    {
        return Err(ValidationErrors::single(
            "address.zip",
            format!("ZIP {} is not in your territories", record.address.zip),
        )
        .into());
    }
    if let Some(existing) = store
        .hcps_by_npi(&[record.npi.to_string()])
        .await?
        .remove(record.npi.as_str())
    {
        let visible = store.hcp(&principal.scope, existing.id).await?;
        let message = match visible {
            Some(h) => format!(
                "{} already has NPI {}",
                display_name(&h.first_name, &h.last_name, &h.credentials),
                record.npi
            ),
            None => format!(
                "an HCP with NPI {} already exists outside your territories; ask your data steward",
                record.npi
            ),
        };
        return Err(ServiceError::Conflict {
            code: Code::DuplicateNpi,
            message,
        });
    }
    Ok(record)
}

/// Proposes a new HCP. The record exists at once as `proposed` (calls may be logged on it);
/// a sure match in the rep's territories links it to that HCP instead (unless the rep
/// confirmed a different person), and other likely matches are queued for stewards.
pub async fn propose_hcp(
    store: &Store,
    principal: &Principal,
    proposal: &HcpProposal,
) -> Result<DataRequest> {
    principal.require(Permission::ProposeMasterData)?;
    let note = check_note(proposal.note.as_deref())?;
    if let Some(existing) = store.data_request(proposal.id).await? {
        return view(store, principal, existing).await;
    }
    let record = validated_new_hcp(store, principal, &proposal.hcp).await?;
    let found = check_record(store, &Scope::All, &record.match_record(), None).await?;
    let request = StoredRequest::pending(
        proposal.id,
        RequestKind::NewHcp,
        proposal.hcp_id,
        HcpChange::default(),
        note,
        principal.user.id,
        store.now_timestamp(),
    );
    store
        .propose_hcp(&principal.actor(), proposal.hcp_id, &record, &request)
        .await?;
    let visible = check_record(
        store,
        &principal.scope,
        &record.match_record(),
        Some(proposal.hcp_id),
    )
    .await?;
    let sure = visible
        .matches
        .iter()
        .find(|m| m.score.outcome == Outcome::SameRecord && m.master_status == "verified");
    if let (Some(existing), false) = (sure, proposal.confirmed_different) {
        let reason = format!(
            "matched {} automatically ({:.0}% match)",
            existing.display_name,
            existing.score.probability * 100.0
        );
        store
            .merge_hcps(
                &principal.actor(),
                existing.id,
                proposal.hcp_id,
                None,
                Some(&reason),
            )
            .await?;
        let title = format!("Proposal linked to {}", existing.display_name);
        let body = format!(
            "Your new HCP {} is {} already on file; calls you logged are on that record.",
            display_name(&record.first_name, &record.last_name, &record.credentials),
            existing.display_name
        );
        let decided = store
            .decide_request(
                &principal.actor(),
                proposal.id,
                RequestStatus::Merged,
                Some(&reason),
                Some(existing.id),
                (&title, &body),
            )
            .await?;
        return view(store, principal, decided).await;
    }
    let queued: Vec<_> = found
        .matches
        .iter()
        .filter(|m| m.id != proposal.hcp_id)
        .map(|m| (proposal.hcp_id, m.id, m.score.clone()))
        .collect();
    store.record_pairs(&queued, "creation").await?;
    let stored = store
        .data_request(proposal.id)
        .await?
        .ok_or(ServiceError::NotFound("data request"))?;
    view(store, principal, stored).await
}

/// Proposes a change to an HCP in the caller's scope; nothing changes until approved.
/// `hcp.propose` pushed by a device: written here, so sync records only the answer; a replay
/// finds the request by its id and changes nothing.
pub async fn pushed_proposal(
    store: &Store,
    principal: &Principal,
    proposal: &HcpProposal,
) -> Result<Evaluation> {
    pushed_answer(propose_hcp(store, principal, proposal).await)
}

/// `hcp.change` pushed by a device (as [`pushed_proposal`]).
pub async fn pushed_change(
    store: &Store,
    principal: &Principal,
    proposal: &ChangeProposal,
) -> Result<Evaluation> {
    pushed_answer(propose_change(store, principal, proposal).await)
}

/// Applied (`linked` when the proposal turned out to be an existing HCP), or the refusal.
fn pushed_answer(written: Result<DataRequest>) -> Result<Evaluation> {
    match written {
        Ok(r) if r.status == RequestStatus::Merged => Ok(Evaluation::answered(
            MutationOutcome::applied_as(Code::Linked, r.decision_reason),
        )),
        Ok(_) => Ok(Evaluation::answered(MutationOutcome::applied(vec![], ""))),
        Err(e) => Evaluation::of_error(e, "the proposal has errors"),
    }
}

pub async fn propose_change(
    store: &Store,
    principal: &Principal,
    proposal: &ChangeProposal,
) -> Result<DataRequest> {
    principal.require(Permission::ProposeMasterData)?;
    if let Some(existing) = store.data_request(proposal.id).await? {
        return view(store, principal, existing).await;
    }
    store
        .hcp(&principal.scope, proposal.hcp_id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))?;
    let before = stored_record(store, proposal.hcp_id).await?;
    let known = known_specialties(store).await?;
    let after = proposal
        .changes
        .validate(&before, proposal.note.as_deref(), |c| known.contains(c))?;
    let account = match &proposal.changes.affiliation {
        Some(a) => Some(
            store
                .account(&principal.scope, a.account_id)
                .await?
                .ok_or_else(|| {
                    ValidationErrors::single(
                        "affiliation.account_id",
                        "is not an account you can see",
                    )
                })?
                .name,
        ),
        None => None,
    };
    let note = check_note(proposal.note.as_deref())?;
    let mut request = StoredRequest::pending(
        proposal.id,
        RequestKind::Change,
        proposal.hcp_id,
        proposal.changes.clone(),
        note,
        principal.user.id,
        store.now_timestamp(),
    );
    request.described = proposal
        .changes
        .describe(&before, &after, account.as_deref());
    store.propose_change(&principal.actor(), &request).await?;
    let stored = store
        .data_request(proposal.id)
        .await?
        .ok_or(ServiceError::NotFound("data request"))?;
    view(store, principal, stored).await
}

async fn stored_record(store: &Store, id: Uuid) -> Result<HcpRecord> {
    Ok(store
        .hcp_records_by_id(&[id])
        .await?
        .remove(&id)
        .ok_or(ServiceError::NotFound("HCP"))?
        .record)
}

async fn view(store: &Store, principal: &Principal, r: StoredRequest) -> Result<DataRequest> {
    let record = stored_record(store, r.hcp_id).await?;
    let changes = match r.kind {
        RequestKind::NewHcp => Vec::new(),
        // Once decided, the record has moved on: show the change as it was proposed.
        RequestKind::Change if r.status != RequestStatus::Pending => r.described.clone(),
        RequestKind::Change => {
            let known = known_specialties(store).await?;
            let after = r
                .changes
                .apply(&record)
                .validate(|c| known.contains(c))
                .unwrap_or_else(|_| record.clone());
            let account = match &r.changes.affiliation {
                Some(a) => store
                    .account(&Scope::All, a.account_id)
                    .await?
                    .map(|acc| acc.name),
                None => None,
            };
            r.changes.describe(&record, &after, account.as_deref())
        }
    };
    let steward = principal.may(Permission::StewardMasterData);
    let matches = if steward && r.kind == RequestKind::NewHcp && r.status == RequestStatus::Pending
    {
        check_record(store, &Scope::All, &record.match_record(), Some(r.hcp_id))
            .await?
            .matches
    } else {
        Vec::new()
    };
    Ok(DataRequest {
        id: r.id,
        kind: r.kind,
        hcp_id: r.hcp_id,
        hcp_name: display_name(&record.first_name, &record.last_name, &record.credentials),
        status: r.status,
        changes,
        note: r.note,
        proposed_by: r.proposed_by_name,
        proposed_at: r.proposed_at,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        decision_reason: r.decision_reason,
        merged_into: r.merged_into,
        matches,
    })
}

/// Requests the caller may read: stewards all, others their own.
pub async fn requests(
    store: &Store,
    principal: &Principal,
    status: Option<RequestStatus>,
) -> Result<Vec<DataRequest>> {
    let steward = principal.may(Permission::StewardMasterData);
    let filter = RequestFilter {
        status,
        proposed_by: (!steward).then_some(principal.user.id),
        ..RequestFilter::default()
    };
    let mut out = Vec::new();
    for r in store.data_requests(&filter, 500).await? {
        out.push(view(store, principal, r).await?);
    }
    Ok(out)
}

/// The caller's own requests changed after change version `from` (the `data_request` sync entity).
pub async fn own_requests_since(
    store: &Store,
    principal: &Principal,
    from: Option<i64>,
) -> Result<Vec<DataRequest>> {
    let filter = RequestFilter {
        proposed_by: Some(principal.user.id),
        since_version: from,
        ..RequestFilter::default()
    };
    let mut out = Vec::new();
    for r in store.data_requests(&filter, 1000).await? {
        out.push(view(store, principal, r).await?);
    }
    Ok(out)
}

fn notice_for(
    r: &StoredRequest,
    hcp_name: &str,
    status: RequestStatus,
    reason: Option<&str>,
) -> (String, String) {
    let what = match r.kind {
        RequestKind::NewHcp => format!("New HCP {hcp_name}"),
        RequestKind::Change => format!("Change to {hcp_name}"),
    };
    let outcome = match status {
        RequestStatus::Approved => "approved",
        RequestStatus::Rejected => "rejected",
        RequestStatus::Merged => "merged into an existing HCP",
        RequestStatus::Pending => "pending",
    };
    (
        format!("{what}: {outcome}"),
        reason
            .map(|r| format!("Data steward: {r}"))
            .unwrap_or_else(|| format!("Your proposal was {outcome}.")),
    )
}

/// Approves a pending request: a proposed HCP becomes verified (or, with `merge_into`, is
/// merged into that existing HCP); a change is applied to the record.
pub async fn approve(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    decision: &Decision,
) -> Result<DataRequest> {
    principal.require(Permission::StewardMasterData)?;
    let reason = check_reason(decision.reason.as_deref(), false)?;
    let r = pending(store, id).await?;
    let actor = principal.actor();
    let before = stored_record(store, r.hcp_id).await?;
    let name = display_name(&before.first_name, &before.last_name, &before.credentials);
    let status = match (r.kind, decision.merge_into) {
        (RequestKind::NewHcp, Some(into)) => {
            store
                .hcp(&Scope::All, into)
                .await?
                .ok_or_else(|| ValidationErrors::single("merge_into", "is not a live HCP"))?;
            store
                .merge_hcps(&actor, into, r.hcp_id, None, reason.as_deref())
                .await?;
            RequestStatus::Merged
        }
        (RequestKind::Change, Some(_)) => {
            return Err(ValidationErrors::single(
                "merge_into",
                "only a proposed new HCP can be merged",
            )
            .into())
        }
        (RequestKind::NewHcp, None) => RequestStatus::Approved,
        (RequestKind::Change, None) => {
            let known = known_specialties(store).await?;
            let after = r.changes.apply(&before).validate(|c| known.contains(c))?;
            if after != before {
                store.update_hcp(&actor, r.hcp_id, &before, &after).await?;
            }
            if let Some(a) = &r.changes.affiliation {
                let existing = store
                    .match_records(&[r.hcp_id])
                    .await?
                    .remove(&r.hcp_id)
                    .map(|c| c.record.affiliations)
                    .unwrap_or_default();
                if !existing.contains(&a.account_id.to_string()) {
                    let role = if a.role.trim().is_empty() {
                        "Affiliated".to_string()
                    } else {
                        a.role.trim().to_string()
                    };
                    store
                        .insert_affiliations(
                            &actor,
                            &[NewAffiliation {
                                hcp_id: r.hcp_id,
                                account_id: a.account_id,
                                role,
                                primary: false,
                            }],
                        )
                        .await?;
                }
            }
            RequestStatus::Approved
        }
    };
    let (title, body) = notice_for(&r, &name, status, reason.as_deref());
    let decided = store
        .decide_request(
            &actor,
            id,
            status,
            reason.as_deref(),
            decision.merge_into,
            (&title, &body),
        )
        .await?;
    view(store, principal, decided).await
}

/// Rejects a pending request with a reason. A rejected proposed HCP leaves everyone's lists.
pub async fn reject(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    decision: &Decision,
) -> Result<DataRequest> {
    principal.require(Permission::StewardMasterData)?;
    let reason = check_reason(decision.reason.as_deref(), true)?;
    let r = pending(store, id).await?;
    let record = stored_record(store, r.hcp_id).await?;
    let name = display_name(&record.first_name, &record.last_name, &record.credentials);
    let (title, body) = notice_for(&r, &name, RequestStatus::Rejected, reason.as_deref());
    let decided = store
        .decide_request(
            &principal.actor(),
            id,
            RequestStatus::Rejected,
            reason.as_deref(),
            None,
            (&title, &body),
        )
        .await?;
    view(store, principal, decided).await
}

async fn pending(store: &Store, id: Uuid) -> Result<StoredRequest> {
    let r = store
        .data_request(id)
        .await?
        .ok_or(ServiceError::NotFound("data request"))?;
    if r.status != RequestStatus::Pending {
        return Err(ServiceError::Conflict {
            code: Code::AlreadyDecided,
            message: format!("this request was already {}", r.status.as_str()),
        });
    }
    if store.live_hcp_id(r.hcp_id).await? != Some(r.hcp_id) {
        // Merged into another record from the duplicate queue meanwhile.
        return Err(ServiceError::Conflict {
            code: Code::HcpMerged,
            message: "this HCP was merged into another record meanwhile; see Merges".into(),
        });
    }
    Ok(r)
}

//! HCP and account use cases: scoped reads, creation with every rule and the duplicate
//! check passed before anything is written, and CSV export of what the caller may see.

use crate::auth::Principal;
use crate::csv_format::{hcp_cells, Cell, CsvOut, HCP_COLUMNS};
use crate::matching::check_record;
use crate::stewardship::{propose_hcp, validated_new_hcp, HcpProposal};
use crate::{Result, ServiceError, Store};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::hcp::HcpInput;
use pharmacrm_domain::matching::model::Outcome;
use pharmacrm_domain::new_id;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::views::Hcp;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::hcps::HcpFilter;
use std::io::Write;

/// Creates an HCP. A field user's HCP is a proposal for the data stewards (usable at once,
/// see [`crate::stewardship::propose_hcp`]); a steward's goes straight into master data once
/// the duplicate check passes: a sure match (same NPI, or a score at or above the link
/// threshold) is refused unless `confirmed_different`, and likely matches are queued.
pub async fn create_hcp(
    store: &Store,
    principal: &Principal,
    input: &HcpInput,
    confirmed_different: bool,
) -> Result<Hcp> {
    principal.require(Permission::ProposeMasterData)?;
    if principal.scope != Scope::All {
        let proposal = HcpProposal {
            id: new_id(),
            hcp_id: new_id(),
            hcp: input.clone(),
            note: None,
            confirmed_different,
        };
        let request = propose_hcp(store, principal, &proposal).await?;
        let id = request.merged_into.unwrap_or(request.hcp_id);
        return store
            .hcp(&principal.scope, id)
            .await?
            .ok_or(ServiceError::NotFound("HCP"));
    }
    let record = validated_new_hcp(store, principal, input).await?;
    let found = check_record(store, &Scope::All, &record.match_record(), None).await?;
    if let (Some(best), false) = (found.matches.first(), confirmed_different) {
        if best.score.outcome == Outcome::SameRecord {
            return Err(ServiceError::Conflict {
                code: Code::LikelyDuplicate,
                message: format!(
                    "{} ({}, {}) looks like the same person ({:.1}% match); confirm it is a different person to create it",
                    best.display_name,
                    best.npi,
                    best.city,
                    best.score.probability * 100.0
                ),
            });
        }
    }
    let id = new_id();
    store
        .insert_hcps(&principal.actor(), &[(id, record)])
        .await?;
    let pairs: Vec<_> = found
        .matches
        .iter()
        .map(|m| (id, m.id, m.score.clone()))
        .collect();
    store.record_pairs(&pairs, "creation").await?;
    store
        .hcp(&principal.scope, id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))
}

/// Writes the HCPs visible in `scope` and matching `filter` as CSV in the import layout,
/// plus the territory each is aligned to, formulas escaped (`csv_format::CsvOut`). Returns how many rows were written.
pub async fn export_hcps(
    store: &Store,
    scope: &Scope,
    filter: &HcpFilter,
    out: impl Write,
) -> Result<usize> {
    let mut writer = CsvOut::new(out);
    let mut header: Vec<&str> = HCP_COLUMNS.to_vec();
    header.push("territory_code");
    writer.header(&header)?;
    let mut cursor = None;
    let mut written = 0;
    loop {
        let (page, next) = store
            .hcp_records(scope, filter, cursor.as_deref(), 1000)
            .await?;
        for hcp in &page {
            let mut cells = hcp_cells(&hcp.record.to_input());
            cells.push(Cell::from(
                hcp.territory
                    .as_ref()
                    .map(|t| t.code.clone())
                    .unwrap_or_default(),
            ));
            writer.row(&cells)?;
            written += 1;
        }
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    writer
        .flush()
        .map_err(|e| ServiceError::Internal(format!("writing export: {e}")))?;
    Ok(written)
}

/// Flags an HCP do-not-call with a reason (or clears the flag with `None`): compliance, ops
/// and admin only. Who and when are recorded with the flag and in the audit log; devices
/// receive the change on their next pull and block calls from then on.
pub async fn set_do_not_call(
    store: &Store,
    principal: &Principal,
    id: uuid::Uuid,
    reason: Option<&str>,
) -> Result<Hcp> {
    principal.require(Permission::FlagDoNotCall)?;
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ValidationErrors::single("reason", "must be at most 500 characters").into());
    }
    let current = store
        .hcp(&principal.scope, id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))?;
    let stored = store
        .hcps_by_npi(std::slice::from_ref(&current.npi))
        .await?
        .remove(&current.npi)
        .ok_or(ServiceError::NotFound("HCP"))?;
    let mut after = stored.record.clone();
    after.do_not_call_reason = reason;
    if after != stored.record {
        store
            .update_hcp(&principal.actor(), stored.id, &stored.record, &after)
            .await?;
    }
    store
        .hcp(&principal.scope, id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))
}

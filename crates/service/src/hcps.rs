//! HCP and account use cases: scoped reads, creation with every rule checked before
//! anything is written, and CSV export of what the caller may see.

use crate::auth::Principal;
use crate::csv_format::{hcp_input_fields, HCP_COLUMNS};
use crate::{Result, ServiceError, Store};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::hcp::HcpInput;
use pharmacrm_domain::views::Hcp;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::hcps::HcpFilter;
use std::collections::HashSet;
use std::io::Write;

/// Creates an HCP. Field users may only create HCPs whose address lies in their territory
/// (otherwise they could not see what they created).
pub async fn create_hcp(store: &Store, principal: &Principal, input: &HcpInput) -> Result<Hcp> {
    if !principal.user.role.may_create_hcps() {
        return Err(ServiceError::Forbidden(format!("a {} cannot create HCPs", principal.user.role)));
    }
    let known: HashSet<String> = store.specialties().await?.into_iter().map(|s| s.code).collect();
    let record = input.validate(|code| known.contains(code))?;
    if principal.scope != Scope::All && store.territory_of_zip(&principal.scope, &record.address.zip).await?.is_none() {
        return Err(ValidationErrors::single("address.zip", format!("ZIP {} is not in your territories", record.address.zip)).into());
    }
    if store.hcps_by_npi(&[record.npi.to_string()]).await?.contains_key(record.npi.as_str()) {
        return Err(ServiceError::Conflict { code: "duplicate_npi", message: format!("an HCP with NPI {} already exists", record.npi) });
    }
    let id = pharmacrm_domain::new_id();
    store.insert_hcps(&principal.actor(), &[(id, record)]).await?;
    store.hcp(&principal.scope, id).await?.ok_or(ServiceError::NotFound("HCP"))
}

/// Writes the HCPs visible in `scope` and matching `filter` as CSV in the import layout,
/// plus the territory each is aligned to. Returns how many rows were written.
pub async fn export_hcps(store: &Store, scope: &Scope, filter: &HcpFilter, out: impl Write) -> Result<usize> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = HCP_COLUMNS.to_vec();
    header.push("territory_code");
    writer.write_record(&header)?;
    let mut cursor = None;
    let mut written = 0;
    loop {
        let (page, next) = store.hcp_records(scope, filter, cursor.as_deref(), 1000).await?;
        for hcp in &page {
            let mut fields = hcp_input_fields(&hcp.record.to_input());
            fields.push(hcp.territory.as_ref().map(|t| t.code.clone()).unwrap_or_default());
            writer.write_record(&fields)?;
            written += 1;
        }
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    writer.flush().map_err(|e| ServiceError::Internal(format!("writing export: {e}")))?;
    Ok(written)
}

/// Flags an HCP do-not-call with a reason (or clears the flag with `None`): compliance, ops
/// and admin only. Who and when are recorded with the flag and in the audit log; devices
/// receive the change on their next pull and block calls from then on.
pub async fn set_do_not_call(store: &Store, principal: &Principal, id: uuid::Uuid, reason: Option<&str>) -> Result<Hcp> {
    use pharmacrm_domain::role::Role;
    if !matches!(principal.user.role, Role::Compliance | Role::Ops | Role::Admin) {
        return Err(ServiceError::Forbidden(format!("a {} cannot change do-not-call flags", principal.user.role)));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ValidationErrors::single("reason", "must be at most 500 characters").into());
    }
    let current = store.hcp(&principal.scope, id).await?.ok_or(ServiceError::NotFound("HCP"))?;
    let stored = store.hcps_by_npi(std::slice::from_ref(&current.npi)).await?.remove(&current.npi).ok_or(ServiceError::NotFound("HCP"))?;
    let mut after = stored.record.clone();
    after.do_not_call_reason = reason;
    if after != stored.record {
        store.update_hcp(&principal.actor(), stored.id, &stored.record, &after).await?;
    }
    store.hcp(&principal.scope, id).await?.ok_or(ServiceError::NotFound("HCP"))
}

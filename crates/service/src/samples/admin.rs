//! What compliance and ops do with samples: lots and shipments from headquarters, limit
//! templates, allocations, credential rules, key messages, the blacklist and DEA
//! registrations; the exceptions queue and loss/theft reports.

use super::{ensure_overseen, ensure_policy_owner, overseen_reps};
use crate::auth::Principal;
use crate::{Result, ServiceError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::sample::check::{CredentialRule, DeaRegistration};
use pharmacrm_domain::sample::limits::SampleLimit;
use pharmacrm_domain::sample::views::{
    Allocation, KeyMessage, LossReport, LossReportUpdate, SampleException, ShipmentView,
};
use pharmacrm_domain::sample::{quantity_problem, MAX_UNIT_VALUE_CENTS};
use pharmacrm_domain::sample::{Lot, LotQuantity};
use pharmacrm_domain::{new_id, ValidationErrors};
use pharmacrm_storage::samples::{Effect, NewShipment};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewLot {
    pub sku_id: Uuid,
    pub lot_number: String,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShipmentInput {
    pub rep_id: Uuid,
    pub lines: Vec<LotQuantity>,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn create_lot(store: &Store, principal: &Principal, input: &NewLot) -> Result<Lot> {
    ensure_policy_owner(principal)?;
    let mut errors = ValidationErrors::new();
    if input.lot_number.trim().is_empty() {
        errors.add("lot_number", "is required");
    }
    let sku = store
        .sku_facts()
        .await?
        .into_iter()
        .find(|s| s.sku_id == input.sku_id);
    if sku.is_none() {
        errors.add("sku_id", "is not a sample SKU");
    }
    let (Some(sku), true) = (sku, errors.is_empty()) else {
        return Err(errors.into());
    };
    let lot = Lot {
        id: new_id(),
        sku_id: sku.sku_id,
        product_id: sku.product_id,
        lot_number: input.lot_number.trim().into(),
        expires_on: input.expires_on,
    };
    store
        .insert_lots(&principal.actor(), std::slice::from_ref(&lot))
        .await?;
    Ok(lot)
}

/// Headquarters ships samples to a rep; they stay in transit until the rep acknowledges.
pub async fn ship(
    store: &Store,
    principal: &Principal,
    input: &ShipmentInput,
) -> Result<ShipmentView> {
    ensure_policy_owner(principal)?;
    let mut errors = ValidationErrors::new();
    if !store
        .user(input.rep_id)
        .await?
        .is_some_and(|u| u.role.may(Permission::HoldSamples) && u.active)
    {
        errors.add("rep_id", "is not an active rep");
    }
    let lots: Vec<Uuid> = store.lots().await?.into_iter().map(|l| l.id).collect();
    if input.lines.is_empty() {
        errors.add("lines", "add at least one lot");
    }
    for (i, l) in input.lines.iter().enumerate() {
        if !lots.contains(&l.lot_id) {
            errors.add(format!("lines[{i}].lot_id"), "is not a lot");
        }
        if let Some(problem) = quantity_problem(l.quantity, false) {
            errors.add(format!("lines[{i}].quantity"), problem);
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let shipment = NewShipment {
        id: new_id(),
        kind: "shipment".into(),
        from_rep_id: None,
        to_rep_id: input.rep_id,
        sender: "Headquarters sample distribution".into(),
        sent_at: store.now(),
        lines: input.lines.clone(),
        note: input.note.clone(),
    };
    store
        .apply_effects(&principal.actor(), &[Effect::Shipment(shipment.clone())])
        .await?;
    store
        .shipment(shipment.id)
        .await?
        .ok_or(ServiceError::NotFound("shipment"))
}

/// A SKU's controlled-substance flag and unit value, as compliance sets them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkuPolicy {
    /// DEA schedule when the product is controlled; null otherwise.
    pub dea_schedule: Option<pharmacrm_domain::product::DeaSchedule>,
    /// Value of one unit in cents (for value limits).
    pub unit_value_cents: i64,
}

pub async fn set_sku_policy(
    store: &Store,
    principal: &Principal,
    sku_id: Uuid,
    policy: &SkuPolicy,
) -> Result<pharmacrm_domain::sample::check::SkuFacts> {
    ensure_policy_owner(principal)?;
    if !(0..=MAX_UNIT_VALUE_CENTS).contains(&policy.unit_value_cents) {
        return Err(ValidationErrors::single(
            "unit_value_cents",
            format!("must be between 0 and {MAX_UNIT_VALUE_CENTS}"),
        )
        .into());
    }
    store
        .set_sku_policy(
            &principal.actor(),
            sku_id,
            policy.dea_schedule,
            policy.unit_value_cents,
        )
        .await?;
    store
        .sku_facts()
        .await?
        .into_iter()
        .find(|s| s.sku_id == sku_id)
        .ok_or(ServiceError::NotFound("sample SKU"))
}

pub async fn put_limit(
    store: &Store,
    principal: &Principal,
    limit: &SampleLimit,
) -> Result<SampleLimit> {
    ensure_policy_owner(principal)?;
    limit.validate()?;
    if !store
        .products()
        .await?
        .iter()
        .any(|p| p.id == limit.product_id)
    {
        return Err(ValidationErrors::single("product_id", "is not a product").into());
    }
    store.put_sample_limit(&principal.actor(), limit).await?;
    Ok(limit.clone())
}

pub async fn delete_limit(store: &Store, principal: &Principal, id: Uuid) -> Result<()> {
    ensure_policy_owner(principal)?;
    Ok(store.delete_sample_limit(&principal.actor(), id).await?)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllocationInput {
    pub rep_id: Uuid,
    pub product_id: Uuid,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub quantity: i64,
}

pub async fn put_allocation(
    store: &Store,
    principal: &Principal,
    input: &AllocationInput,
) -> Result<Allocation> {
    ensure_policy_owner(principal)?;
    let mut errors = ValidationErrors::new();
    if !store
        .user(input.rep_id)
        .await?
        .is_some_and(|u| u.role.may(Permission::HoldSamples))
    {
        errors.add("rep_id", "is not a rep");
    }
    if !store
        .products()
        .await?
        .iter()
        .any(|p| p.id == input.product_id)
    {
        errors.add("product_id", "is not a product");
    }
    if input.period_to < input.period_from {
        errors.add("period_to", "is before the start of the cycle");
    }
    if let Some(problem) = quantity_problem(input.quantity, true) {
        errors.add("quantity", problem);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let a = Allocation {
        id: new_id(),
        rep_id: input.rep_id,
        product_id: input.product_id,
        period_from: input.period_from,
        period_to: input.period_to,
        quantity: input.quantity,
    };
    store.put_allocation(&principal.actor(), &a).await?;
    Ok(a)
}

pub async fn put_credential_rule(
    store: &Store,
    principal: &Principal,
    rule: &CredentialRule,
) -> Result<CredentialRule> {
    ensure_policy_owner(principal)?;
    let mut errors = ValidationErrors::new();
    if !(rule.state == "*"
        || (rule.state.len() == 2 && rule.state.chars().all(|c| c.is_ascii_uppercase())))
    {
        errors.add("state", "use a two-letter state or *");
    }
    if rule.credential.trim().is_empty() {
        errors.add("credential", "is required");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    store.put_credential_rule(&principal.actor(), rule).await?;
    Ok(rule.clone())
}

pub async fn put_key_message(
    store: &Store,
    principal: &Principal,
    m: &KeyMessage,
) -> Result<KeyMessage> {
    principal.require(Permission::MaintainKeyMessages)?;
    let mut errors = ValidationErrors::new();
    if !matches!(m.kind.as_str(), "benefit" | "risk") {
        errors.add("kind", "must be benefit or risk");
    }
    if m.text.trim().is_empty() {
        errors.add("text", "is required");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    store.put_key_message(&principal.actor(), m).await?;
    Ok(m.clone())
}

/// Blacklists an HCP (no calls, no samples) or clears the entry.
pub async fn set_blacklist(
    store: &Store,
    principal: &Principal,
    hcp_id: Uuid,
    reason: Option<&str>,
) -> Result<pharmacrm_domain::views::Hcp> {
    principal.require(Permission::ReviewSampleCompliance)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(ValidationErrors::single("reason", "must be at most 500 characters").into());
    }
    store
        .hcp(&principal.scope, hcp_id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))?;
    store
        .set_blacklist(&principal.actor(), hcp_id, reason)
        .await?;
    store
        .hcp(&principal.scope, hcp_id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))
}

pub async fn put_dea(
    store: &Store,
    principal: &Principal,
    hcp_id: Uuid,
    reg: &DeaRegistration,
) -> Result<pharmacrm_domain::views::Hcp> {
    ensure_policy_owner(principal)?;
    let mut errors = ValidationErrors::new();
    if !pharmacrm_domain::sample::check::dea_number_valid(&reg.number) {
        errors.add(
            "number",
            "is not a valid DEA number (2 letters, 7 digits with a check digit)",
        );
    }
    if reg.schedules.is_empty() {
        errors.add("schedules", "name at least one schedule");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    store
        .hcp(&principal.scope, hcp_id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))?;
    store
        .put_dea_registration(&principal.actor(), hcp_id, reg)
        .await?;
    store
        .hcp(&principal.scope, hcp_id)
        .await?
        .ok_or(ServiceError::NotFound("HCP"))
}

pub async fn exceptions(
    store: &Store,
    principal: &Principal,
    status: Option<&str>,
) -> Result<Vec<SampleException>> {
    let reps = overseen_reps(store, principal).await?;
    Ok(store.sample_exceptions(status, reps.as_deref()).await?)
}

pub async fn close_exception(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    comment: &str,
) -> Result<SampleException> {
    principal.require(Permission::ReviewSampleCompliance)?;
    if comment.trim().is_empty() {
        return Err(ValidationErrors::single("comment", "say what was found and done").into());
    }
    store
        .sample_exception(id)
        .await?
        .ok_or(ServiceError::NotFound("exception"))?;
    Ok(store
        .close_exception(&principal.actor(), id, comment.trim())
        .await?)
}

pub async fn loss_reports(store: &Store, principal: &Principal) -> Result<Vec<LossReport>> {
    let reps = overseen_reps(store, principal).await?;
    Ok(store.loss_reports(reps.as_deref()).await?)
}

pub async fn update_loss_report(
    store: &Store,
    principal: &Principal,
    id: Uuid,
    update: &LossReportUpdate,
) -> Result<LossReport> {
    principal.require(Permission::ReviewSampleCompliance)?;
    let report = store
        .loss_report(id)
        .await?
        .ok_or(ServiceError::NotFound("loss report"))?;
    ensure_overseen(store, principal, report.rep_id).await?;
    let today = store.today();
    let mut errors = ValidationErrors::new();
    for (field, day) in [
        ("fda_notified_on", update.fda_notified_on),
        ("written_report_on", update.written_report_on),
    ] {
        if day.is_some_and(|d| d > today || d < report.discovered_on) {
            errors.add(field, "must be between the discovery and today");
        }
    }
    let notified = update.fda_notified_on.or(report.fda_notified_on).is_some();
    let written = update
        .written_report_on
        .or(report.written_report_on)
        .is_some();
    if update.close && !(notified && written) {
        errors.add(
            "close",
            "record the FDA notice and the written report first",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(store
        .update_loss_report(&principal.actor(), id, update)
        .await?)
}

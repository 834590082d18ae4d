//! The guardrails of a sample disbursement or request, checked at the point of action:
//! HCP standing (blacklist, do-not-call, status), licence in the state of the call,
//! credential eligibility for the product in that state, DEA registration for a controlled
//! product, lot (belongs to the SKU, not expired), on-hand inventory, the rep's remaining
//! allocation and the limit templates. [`check_samples`] returns every finding; errors
//! block, warnings ask the rep to confirm.

use super::limits::{check_limits, PastSample, SampleLimit, Severity};
use crate::code::Code;
use crate::hcp::HcpStatus;
use crate::product::DeaSchedule;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A line of a disbursement (with its lot) or of a sample request (no lot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleLine {
    pub sku_id: Uuid,
    #[serde(default)]
    pub lot_id: Option<Uuid>,
    pub quantity: i64,
}

/// What the rules need to know about a SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SkuFacts {
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub strength: String,
    /// NDC, hyphenated.
    #[serde(default)]
    pub ndc: String,
    pub dea_schedule: Option<DeaSchedule>,
    pub unit_value_cents: i64,
}

/// A lot and the units the rep holds of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LotFacts {
    pub lot_id: Uuid,
    pub sku_id: Uuid,
    pub lot_number: String,
    pub expires_on: NaiveDate,
    pub on_hand: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LicenceFacts {
    pub state: String,
    pub number: String,
    pub expires_on: NaiveDate,
}

/// A DEA registration: the schedules it covers, in the state it was issued for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeaRegistration {
    pub number: String,
    pub state: String,
    pub schedules: Vec<DeaSchedule>,
    pub expires_on: NaiveDate,
}

/// A rule that a credential may not receive samples of a product (or of any controlled
/// product) in a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CredentialRule {
    pub id: Uuid,
    /// Two-letter state, or `*` for every state.
    pub state: String,
    /// Credential as written on the HCP (`NP`, `PA`, ...).
    pub credential: String,
    /// One product; `None` with `controlled_only` for every controlled product, or with
    /// `controlled_only` false for every product.
    pub product_id: Option<Uuid>,
    pub controlled_only: bool,
}

impl CredentialRule {
    fn forbids(&self, state: &str, credentials: &str, sku: &SkuFacts) -> bool {
        let state_ok = self.state == "*" || self.state.eq_ignore_ascii_case(state);
        let has_credential = credentials
            .split([',', ' '])
            .any(|c| c.trim().eq_ignore_ascii_case(&self.credential));
        let product_ok = self.product_id.is_none_or(|p| p == sku.product_id);
        let controlled_ok = !self.controlled_only || sku.dea_schedule.is_some();
        state_ok && has_credential && product_ok && controlled_ok
    }
}

/// A rep's allocation of a product for a cycle and how much of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AllocationFacts {
    pub product_id: Uuid,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub quantity: i64,
    pub used: i64,
}

/// The practitioner receiving the samples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RecipientFacts {
    pub hcp_id: Uuid,
    pub status: HcpStatus,
    pub credentials: String,
    pub blacklisted: Option<String>,
    pub do_not_call: Option<String>,
    pub licences: Vec<LicenceFacts>,
    pub dea: Vec<DeaRegistration>,
}

/// Whether the samples leave the rep's trunk now or are shipped by headquarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SampleMode {
    Disbursement,
    Request,
}

/// Everything the guardrails look at.
#[derive(Debug, Clone)]
pub struct SampleContext<'a> {
    pub mode: SampleMode,
    pub on: NaiveDate,
    /// State where the call takes place (disbursement) or the practice address (request).
    pub state: &'a str,
    pub recipient: &'a RecipientFacts,
    pub skus: &'a [SkuFacts],
    pub lots: &'a [LotFacts],
    pub allocations: &'a [AllocationFacts],
    pub limits: &'a [SampleLimit],
    pub credential_rules: &'a [CredentialRule],
    pub history: &'a [PastSample],
}

/// One rule a proposal breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    /// `blacklisted`, `do_not_call`, `hcp_inactive`, `no_lines`, `quantity_invalid`,
    /// `unknown_sku`, `lot_required`, `lot_mismatch`, `lot_expired`, `insufficient_inventory`,
    /// `allocation_exceeded`, `sample_limit`, `no_active_licence`, `credential_not_eligible`
    /// or `dea_required`.
    pub code: Code,
    pub severity: Severity,
    /// The input the finding is about (`hcp`, `lines[0].quantity`, ...).
    pub field: String,
    pub message: String,
}

fn finding(
    code: Code,
    severity: Severity,
    field: impl Into<String>,
    message: impl Into<String>,
) -> Finding {
    Finding {
        code,
        severity,
        field: field.into(),
        message: message.into(),
    }
}

/// Every finding for `lines` in `ctx`, in a stable order (HCP first, then line by line).
pub fn check_samples(ctx: &SampleContext<'_>, lines: &[SampleLine]) -> Vec<Finding> {
    use Severity::Error;
    let mut out = Vec::new();
    let r = ctx.recipient;
    if let Some(reason) = &r.blacklisted {
        out.push(finding(
            Code::Blacklisted,
            Error,
            "hcp",
            format!("the HCP is blacklisted by compliance: {reason}"),
        ));
    }
    if let Some(reason) = &r.do_not_call {
        out.push(finding(
            Code::DoNotCall,
            Error,
            "hcp",
            format!("the HCP is flagged do-not-call: {reason}"),
        ));
    }
    if r.status != HcpStatus::Active {
        out.push(finding(
            Code::HcpInactive,
            Error,
            "hcp",
            "the HCP is not active",
        ));
    }
    let licensed = r
        .licences
        .iter()
        .any(|l| l.state.eq_ignore_ascii_case(ctx.state) && l.expires_on >= ctx.on);
    if !licensed {
        out.push(finding(
            Code::NoActiveLicence,
            Error,
            "hcp",
            format!("no active state licence in {}", ctx.state),
        ));
    }
    if lines.is_empty() {
        out.push(finding(
            Code::NoLines,
            Error,
            "lines",
            "add at least one sample",
        ));
    }
    let skus: HashMap<Uuid, &SkuFacts> = ctx.skus.iter().map(|s| (s.sku_id, s)).collect();
    let lots: HashMap<Uuid, &LotFacts> = ctx.lots.iter().map(|l| (l.lot_id, l)).collect();
    // Units of each lot and product asked for so far, so several lines add up.
    let mut per_lot: HashMap<Uuid, i64> = HashMap::new();
    let mut per_product: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        if line.quantity < 1 {
            out.push(finding(
                Code::QuantityInvalid,
                Error,
                at("quantity"),
                "must be at least 1",
            ));
            continue;
        }
        let Some(sku) = skus.get(&line.sku_id) else {
            out.push(finding(
                Code::UnknownSku,
                Error,
                at("sku_id"),
                "is not a sample SKU",
            ));
            continue;
        };
        for rule in ctx
            .credential_rules
            .iter()
            .filter(|c| c.forbids(ctx.state, &r.credentials, sku))
        {
            out.push(finding(
                Code::CredentialNotEligible,
                Error,
                at("sku_id"),
                format!(
                    "{} may not receive {} samples in {}",
                    rule.credential, sku.product_name, ctx.state
                ),
            ));
        }
        if let Some(schedule) = sku.dea_schedule {
            let covered = r.dea.iter().any(|d| {
                d.expires_on >= ctx.on
                    && d.state.eq_ignore_ascii_case(ctx.state)
                    && d.schedules.contains(&schedule)
            });
            if !covered {
                out.push(finding(
                    Code::DeaRequired,
                    Error,
                    at("sku_id"),
                    format!("{} is schedule {}: the HCP needs a valid DEA registration in {} covering it", sku.product_name, schedule.as_str(), ctx.state),
                ));
            }
        }
        if ctx.mode == SampleMode::Disbursement {
            match line.lot_id.and_then(|l| lots.get(&l)) {
                None if line.lot_id.is_none() => out.push(finding(
                    Code::LotRequired,
                    Error,
                    at("lot_id"),
                    "choose a lot",
                )),
                None => out.push(finding(
                    Code::LotMismatch,
                    Error,
                    at("lot_id"),
                    "is not a lot you hold",
                )),
                Some(lot) if lot.sku_id != line.sku_id => out.push(finding(
                    Code::LotMismatch,
                    Error,
                    at("lot_id"),
                    format!("lot {} is not of this SKU", lot.lot_number),
                )),
                Some(lot) => {
                    if lot.expires_on < ctx.on {
                        out.push(finding(
                            Code::LotExpired,
                            Error,
                            at("lot_id"),
                            format!("lot {} expired on {}", lot.lot_number, lot.expires_on),
                        ));
                    }
                    let asked = per_lot.entry(lot.lot_id).or_default();
                    *asked += line.quantity;
                    if *asked > lot.on_hand {
                        out.push(finding(
                            Code::InsufficientInventory,
                            Error,
                            at("quantity"),
                            format!(
                                "only {} on hand of lot {}",
                                lot.on_hand.max(0),
                                lot.lot_number
                            ),
                        ));
                    }
                }
            }
        }
        let (qty, value) = per_product.entry(sku.product_id).or_default();
        *qty += line.quantity;
        *value += line.quantity * sku.unit_value_cents;
        if ctx.mode == SampleMode::Disbursement {
            if let Some(a) = ctx.allocations.iter().find(|a| {
                a.product_id == sku.product_id && a.period_from <= ctx.on && ctx.on <= a.period_to
            }) {
                if a.used + *qty > a.quantity {
                    out.push(finding(
                        Code::AllocationExceeded,
                        Error,
                        at("quantity"),
                        format!(
                            "your {} allocation has {} left this cycle",
                            sku.product_name,
                            (a.quantity - a.used).max(0)
                        ),
                    ));
                }
            }
        }
        let unit_value = if *qty > 0 {
            *value / *qty
        } else {
            sku.unit_value_cents
        };
        for breach in check_limits(
            ctx.limits,
            sku.product_id,
            &recipient_history(ctx),
            *qty,
            unit_value,
            ctx.on,
        ) {
            out.push(finding(
                Code::SampleLimit,
                breach.severity,
                at("quantity"),
                breach.message,
            ));
        }
    }
    dedupe(out)
}

fn recipient_history(ctx: &SampleContext<'_>) -> Vec<PastSample> {
    ctx.history
        .iter()
        .filter(|p| p.hcp_id == ctx.recipient.hcp_id)
        .cloned()
        .collect()
}

/// Several lines of one product may repeat a product-level finding; keep the last of each
/// (code, message) pair, which carries the totals.
fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .rev()
        .filter(|f| seen.insert((f.code, f.message.clone())))
        .collect();
    kept.reverse();
    kept
}

/// Whether any finding blocks.
pub fn blocks(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Whether a DEA registration number is well formed: two letters, six digits and a check
/// digit (the last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6)).
pub fn dea_number_valid(number: &str) -> bool {
    let b = number.as_bytes();
    if b.len() != 9 || !b[0].is_ascii_alphabetic() || !(b[1].is_ascii_alphabetic() || b[1] == b'9')
    {
        return false;
    }
    let digits: Vec<u32> = b[2..]
        .iter()
        .filter_map(|c| (*c as char).to_digit(10))
        .collect();
    if digits.len() != 7 {
        return false;
    }
    let sum = digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5]);
    sum % 10 == digits[6]
}

#[cfg(test)]
mod tests {
    #[test]
    fn dea_numbers_carry_a_check_digit() {
        assert!(super::dea_number_valid("AB1234563"));
        assert!(!super::dea_number_valid("AB1234564"));
        assert!(!super::dea_number_valid("A1234563"));
    }
}

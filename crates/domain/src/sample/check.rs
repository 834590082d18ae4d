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
    let mut out = recipient_findings(ctx);
    out.extend(no_lines_finding(lines));
    let mut asked = Asked::new(ctx);
    for (i, line) in lines.iter().enumerate() {
        out.extend(line_findings(ctx, &mut asked, i, line));
    }
    dedupe(out)
}

/// The recipient's standing: blacklist, do-not-call, status, then a licence in the state.
fn recipient_findings(ctx: &SampleContext<'_>) -> Vec<Finding> {
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
    out.extend(licence_finding(ctx));
    out
}

/// `no_active_licence` unless the recipient holds an unexpired licence in the state.
fn licence_finding(ctx: &SampleContext<'_>) -> Option<Finding> {
    let licensed = ctx
        .recipient
        .licences
        .iter()
        .any(|l| l.state.eq_ignore_ascii_case(ctx.state) && l.expires_on >= ctx.on);
    (!licensed).then(|| {
        finding(
            Code::NoActiveLicence,
            Severity::Error,
            "hcp",
            format!("no active state licence in {}", ctx.state),
        )
    })
}

fn no_lines_finding(lines: &[SampleLine]) -> Option<Finding> {
    lines.is_empty().then(|| {
        finding(
            Code::NoLines,
            Severity::Error,
            "lines",
            "add at least one sample",
        )
    })
}

/// The SKUs and lots of the context by id, and the units asked for so far, so several
/// lines of one lot or product add up.
struct Asked<'a> {
    skus: HashMap<Uuid, &'a SkuFacts>,
    lots: HashMap<Uuid, &'a LotFacts>,
    per_lot: HashMap<Uuid, i64>,
    /// Units and their total value in cents, per product.
    per_product: HashMap<Uuid, (i64, i64)>,
}

impl<'a> Asked<'a> {
    fn new(ctx: &SampleContext<'a>) -> Self {
        Asked {
            skus: ctx.skus.iter().map(|s| (s.sku_id, s)).collect(),
            lots: ctx.lots.iter().map(|l| (l.lot_id, l)).collect(),
            per_lot: HashMap::new(),
            per_product: HashMap::new(),
        }
    }

    /// Adds `quantity` of `lot`; returns the units of that lot asked for so far.
    fn add_to_lot(&mut self, lot: &LotFacts, quantity: i64) -> i64 {
        let asked = self.per_lot.entry(lot.lot_id).or_default();
        *asked += quantity;
        *asked
    }

    /// Adds `quantity` of `sku` to its product; returns the product's units and value so far.
    fn add_to_product(&mut self, sku: &SkuFacts, quantity: i64) -> (i64, i64) {
        let (qty, value) = self.per_product.entry(sku.product_id).or_default();
        *qty += quantity;
        *value += quantity * sku.unit_value_cents;
        (*qty, *value)
    }
}

/// The input field `name` of line `i`, as findings name it (`lines[0].quantity`).
fn line_field(i: usize, name: &str) -> String {
    format!("lines[{i}].{name}")
}

/// The findings of one line: quantity and SKU, eligibility (credential, DEA), then for a
/// disbursement the lot and inventory and the allocation, then the limit templates.
fn line_findings<'a>(
    ctx: &SampleContext<'a>,
    asked: &mut Asked<'a>,
    i: usize,
    line: &SampleLine,
) -> Vec<Finding> {
    let sku = match line_sku(asked, i, line) {
        Ok(sku) => sku,
        Err(finding) => return vec![finding],
    };
    let mut out = credential_findings(ctx, i, sku);
    out.extend(dea_finding(ctx, i, sku));
    if ctx.mode == SampleMode::Disbursement {
        out.extend(lot_findings(ctx, asked, i, line));
    }
    let (qty, value) = asked.add_to_product(sku, line.quantity);
    if ctx.mode == SampleMode::Disbursement {
        out.extend(allocation_finding(ctx, i, sku, qty));
    }
    out.extend(limit_findings(ctx, i, sku, qty, value));
    out
}

/// The line's SKU, or the finding that stops the line: a quantity below one or an
/// unknown SKU.
fn line_sku<'a>(asked: &Asked<'a>, i: usize, line: &SampleLine) -> Result<&'a SkuFacts, Finding> {
    if let Some(problem) = super::quantity_problem(line.quantity, false) {
        return Err(finding(
            Code::QuantityInvalid,
            Severity::Error,
            line_field(i, "quantity"),
            problem,
        ));
    }
    asked.skus.get(&line.sku_id).copied().ok_or_else(|| {
        finding(
            Code::UnknownSku,
            Severity::Error,
            line_field(i, "sku_id"),
            "is not a sample SKU",
        )
    })
}

/// One `credential_not_eligible` per credential rule that forbids the SKU to the recipient.
fn credential_findings(ctx: &SampleContext<'_>, i: usize, sku: &SkuFacts) -> Vec<Finding> {
    ctx.credential_rules
        .iter()
        .filter(|c| c.forbids(ctx.state, &ctx.recipient.credentials, sku))
        .map(|rule| {
            finding(
                Code::CredentialNotEligible,
                Severity::Error,
                line_field(i, "sku_id"),
                format!(
                    "{} may not receive {} samples in {}",
                    rule.credential, sku.product_name, ctx.state
                ),
            )
        })
        .collect()
}

/// `dea_required` for a controlled SKU unless a valid DEA registration in the state
/// covers its schedule.
fn dea_finding(ctx: &SampleContext<'_>, i: usize, sku: &SkuFacts) -> Option<Finding> {
    let schedule = sku.dea_schedule?;
    let covered = ctx.recipient.dea.iter().any(|d| {
        d.expires_on >= ctx.on
            && d.state.eq_ignore_ascii_case(ctx.state)
            && d.schedules.contains(&schedule)
    });
    (!covered).then(|| {
        finding(
            Code::DeaRequired,
            Severity::Error,
            line_field(i, "sku_id"),
            format!(
                "{} is schedule {}: the HCP needs a valid DEA registration in {} covering it",
                sku.product_name,
                schedule.as_str(),
                ctx.state
            ),
        )
    })
}

/// The lot of a disbursed line: chosen, held, of this SKU, unexpired and with enough on hand.
fn lot_findings(
    ctx: &SampleContext<'_>,
    asked: &mut Asked<'_>,
    i: usize,
    line: &SampleLine,
) -> Vec<Finding> {
    use Severity::Error;
    let at = |f: &str| line_field(i, f);
    match line.lot_id.and_then(|l| asked.lots.get(&l).copied()) {
        None if line.lot_id.is_none() => vec![finding(
            Code::LotRequired,
            Error,
            at("lot_id"),
            "choose a lot",
        )],
        None => vec![finding(
            Code::LotMismatch,
            Error,
            at("lot_id"),
            "is not a lot you hold",
        )],
        Some(lot) if lot.sku_id != line.sku_id => vec![finding(
            Code::LotMismatch,
            Error,
            at("lot_id"),
            format!("lot {} is not of this SKU", lot.lot_number),
        )],
        Some(lot) => {
            let mut out = Vec::new();
            if lot.expires_on < ctx.on {
                out.push(finding(
                    Code::LotExpired,
                    Error,
                    at("lot_id"),
                    format!("lot {} expired on {}", lot.lot_number, lot.expires_on),
                ));
            }
            if asked.add_to_lot(lot, line.quantity) > lot.on_hand {
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
            out
        }
    }
}

/// `allocation_exceeded` when the product's units so far overrun the rep's allocation for
/// the cycle of the day (no allocation for the cycle: no finding).
fn allocation_finding(
    ctx: &SampleContext<'_>,
    i: usize,
    sku: &SkuFacts,
    product_qty: i64,
) -> Option<Finding> {
    let a = ctx.allocations.iter().find(|a| {
        a.product_id == sku.product_id && a.period_from <= ctx.on && ctx.on <= a.period_to
    })?;
    (a.used + product_qty > a.quantity).then(|| {
        finding(
            Code::AllocationExceeded,
            Severity::Error,
            line_field(i, "quantity"),
            format!(
                "your {} allocation has {} left this cycle",
                sku.product_name,
                (a.quantity - a.used).max(0)
            ),
        )
    })
}

/// One `sample_limit` per limit template the product's units so far breach, valued at
/// their average unit value.
fn limit_findings(
    ctx: &SampleContext<'_>,
    i: usize,
    sku: &SkuFacts,
    product_qty: i64,
    product_value: i64,
) -> Vec<Finding> {
    let unit_value = if product_qty > 0 {
        product_value / product_qty
    } else {
        sku.unit_value_cents
    };
    check_limits(
        ctx.limits,
        sku.product_id,
        &recipient_history(ctx),
        product_qty,
        unit_value,
        ctx.on,
    )
    .into_iter()
    .map(|breach| {
        finding(
            Code::SampleLimit,
            breach.severity,
            line_field(i, "quantity"),
            breach.message,
        )
    })
    .collect()
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

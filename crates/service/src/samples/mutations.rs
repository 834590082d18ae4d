//! Sample mutations pushed by the field app. A disbursement rides with its call and must
//! carry a signature bound to it; the server re-runs every guardrail on its own data and,
//! because signed samples have already left the rep's trunk, records a disbursement that
//! breaks a rule as a fact with an exception for compliance, never dropping it. Inventory
//! movements (receipts, transfers, returns, losses) are refused with field errors when they
//! would not balance, so inventory never goes negative silently.

use crate::auth::Principal;
use crate::sync::protocol::MutationBody;
use crate::sync::Evaluation;
use crate::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use pharmacrm_domain::call::CallInput;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::mutation::MutationOutcome;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::sample::check::{
    blocks, check_samples, AllocationFacts, CredentialRule, Finding, LicenceFacts, LotFacts,
    RecipientFacts, SampleContext, SampleLine, SampleMode, SkuFacts,
};
use pharmacrm_domain::sample::limits::{PastSample, SampleLimit, Severity};
use pharmacrm_domain::sample::loss::deadlines;
use pharmacrm_domain::sample::reconciliation::{
    compare_count, plus, CountComparison, Counted, OutOfRange,
};
use pharmacrm_domain::sample::signature::{
    signer_problem, Signature, RECORD_DISBURSEMENT, RECORD_REQUEST,
};
use pharmacrm_domain::sample::views::{InventoryCount, ShipmentView};
use pharmacrm_domain::sample::{
    quantity_problem, DisbursementInput, LedgerEntry, LotQuantity, TxnKind,
};
use pharmacrm_domain::{new_id, ValidationErrors};
use pharmacrm_storage::samples::guard::Guarded;
use pharmacrm_storage::samples::{
    Effect, GivenLine, NewException, NewLossReport, NewSampleRecord, NewShipment,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// `sample.request`: the HCP asks headquarters to ship samples to their practice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SampleRequestInput {
    pub id: Uuid,
    pub hcp_id: Uuid,
    pub requested_at: DateTime<Utc>,
    #[serde(default)]
    pub call_id: Option<Uuid>,
    pub lines: Vec<SampleLine>,
    pub signature: Signature,
}

/// `sample.receive`: the rep acknowledges a shipment or transfer with what arrived.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReceiveInput {
    pub shipment_id: Uuid,
    pub received_at: DateTime<Utc>,
    pub lines: Vec<LotQuantity>,
    /// Required when quantities differ from what was sent.
    #[serde(default)]
    pub note: Option<String>,
}

/// `sample.transfer` (to another rep), `sample.return` (to headquarters) and
/// `sample.destroy` (witnessed destruction, e.g. of an expired lot; the note names the witness).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MoveInput {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The receiving rep (transfers only).
    #[serde(default)]
    pub to_rep_id: Option<Uuid>,
    pub lines: Vec<LotQuantity>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `sample.loss`: units lost or stolen.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LossInput {
    pub id: Uuid,
    /// `loss` or `theft`.
    pub kind: String,
    pub discovered_on: NaiveDate,
    pub reason: String,
    /// Police report reference (required for a theft).
    #[serde(default)]
    pub police_report: Option<String>,
    pub lines: Vec<LotQuantity>,
}

/// `sample.count`: a physical inventory count.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CountInput {
    pub id: Uuid,
    pub counted_at: DateTime<Utc>,
    pub lines: Vec<LotQuantity>,
    /// Why counted units differ from the book as of `counted_at`: required when any lot
    /// differs (at most 2,000 characters).
    #[serde(default)]
    pub explanation: Option<String>,
}

/// Longest explanation of a count's differences, in characters.
pub const MAX_EXPLANATION_CHARS: usize = 2000;

/// The answer to a sample mutation: its effects, or a refusal with field errors, or a
/// refusal that compliance must also see (suspected falsification: the exception is written
/// with the refusal, in the mutation's transaction).
pub enum Verdict {
    Apply {
        effects: Vec<Effect>,
        flagged: Vec<Code>,
    },
    Refuse(MutationOutcome),
    RefuseAndReport {
        outcome: MutationOutcome,
        exception: NewException,
    },
}

fn refuse(code: Code, message: impl Into<String>, errors: ValidationErrors) -> Verdict {
    Verdict::Refuse(MutationOutcome::rejected(code, message, errors.0))
}

impl From<Verdict> for Evaluation {
    fn from(verdict: Verdict) -> Evaluation {
        match verdict {
            Verdict::Apply { effects, flagged } => Evaluation {
                outcome: MutationOutcome::applied(
                    flagged,
                    "recorded; flagged for compliance review (see the exceptions queue)",
                ),
                effects,
            },
            Verdict::Refuse(outcome) => Evaluation::answered(outcome),
            Verdict::RefuseAndReport { outcome, exception } => Evaluation {
                outcome,
                effects: vec![Effect::Exception(exception)],
            },
        }
    }
}

/// Where samples that leave a rep's inventory (other than to an HCP) go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outflow {
    /// `sample.transfer`: to another rep, in transit until acknowledged.
    Transfer,
    /// `sample.return`: to headquarters.
    Return,
    /// `sample.destroy`: a witnessed destruction.
    Destroy,
}

/// The sets of rows a mutation of `rep` is judged on besides its own (stock, allocations,
/// the HCP's history under the limits): their versions are read before it is decided and
/// checked under lock when it is written (`pharmacrm_storage::samples::guard`).
pub fn guarded(rep: Uuid, body: &MutationBody) -> Vec<Guarded> {
    let book = Guarded::RepBook(rep);
    match body {
        MutationBody::CallSubmit(call) => match (&call.disbursement, call.hcp_ids.first()) {
            (Some(_), Some(&hcp)) => vec![book, Guarded::HcpHistory(hcp)],
            _ => Vec::new(),
        },
        MutationBody::SampleRequest(r) => vec![book, Guarded::HcpHistory(r.hcp_id)],
        MutationBody::SampleReceive(_)
        | MutationBody::SampleTransfer(_)
        | MutationBody::SampleReturn(_)
        | MutationBody::SampleDestroy(_)
        | MutationBody::SampleLoss(_)
        | MutationBody::SampleCount(_) => vec![book],
        MutationBody::HcpPropose(_) | MutationBody::HcpChange(_) => Vec::new(),
    }
}

/// Evaluates a `sample.*` mutation of a rep.
pub async fn evaluate(
    store: &Store,
    principal: &Principal,
    body: MutationBody,
) -> Result<Evaluation> {
    if let Err(e) = principal.require(Permission::HoldSamples) {
        return Evaluation::of_error(e, "the mutation is not allowed");
    }
    let verdict = match body {
        MutationBody::SampleRequest(input) => request(store, principal, input).await?,
        MutationBody::SampleReceive(input) => receive(store, principal, input).await?,
        MutationBody::SampleTransfer(input) => {
            send(store, principal, Outflow::Transfer, input).await?
        }
        MutationBody::SampleReturn(input) => send(store, principal, Outflow::Return, input).await?,
        MutationBody::SampleDestroy(input) => {
            send(store, principal, Outflow::Destroy, input).await?
        }
        MutationBody::SampleLoss(input) => loss(store, principal, input).await?,
        MutationBody::SampleCount(input) => count(store, principal, input).await?,
        other => refuse(
            Code::UnknownKind,
            format!("'{}' is not a sample mutation", other.kind().as_str()),
            ValidationErrors::new(),
        ),
    };
    Ok(verdict.into())
}

/// The HCP of master data a signed record is for.
struct Recipient {
    facts: RecipientFacts,
    /// The practice's state.
    state: String,
    first_name: String,
    last_name: String,
    /// The practice address on one line.
    address: String,
}

/// What the server knows of the recipient, judged on the day samples were given:
/// a do-not-call or blacklist flag set after that moment does not count against it.
async fn recipient(store: &Store, hcp_id: Uuid, at: DateTime<Utc>) -> Result<Option<Recipient>> {
    let all = pharmacrm_domain::access::Scope::All;
    let Some(hcp) = store.hcp(&all, hcp_id).await? else {
        return Ok(None);
    };
    let before = |set_at: &str| {
        DateTime::parse_from_rfc3339(set_at).map_or(true, |t| t.with_timezone(&Utc) <= at)
    };
    let facts = RecipientFacts {
        hcp_id,
        status: hcp.status,
        credentials: hcp.credentials.clone(),
        blacklisted: hcp
            .blacklist
            .as_ref()
            .filter(|b| before(&b.set_at))
            .map(|b| b.reason.clone()),
        do_not_call: hcp
            .do_not_call
            .as_ref()
            .filter(|d| before(&d.set_at))
            .map(|d| d.reason.clone()),
        licences: hcp
            .licences
            .iter()
            .map(|l| LicenceFacts {
                state: l.state.clone(),
                number: l.number.clone(),
                expires_on: l.expires_on,
            })
            .collect(),
        dea: hcp.dea_registrations.clone(),
    };
    let a = &hcp.address;
    let address = format!(
        "{}{}, {}, {} {}",
        a.line1,
        a.line2
            .as_deref()
            .map(|l| format!(", {l}"))
            .unwrap_or_default(),
        a.city,
        a.state,
        a.zip
    );
    Ok(Some(Recipient {
        facts,
        state: hcp.address.state.clone(),
        first_name: hcp.first_name.clone(),
        last_name: hcp.last_name.clone(),
        address,
    }))
}

/// The lots a rep holds (among `all`), as the guardrails see them.
fn lot_facts(all: &[pharmacrm_domain::sample::Lot], on_hand: &HashMap<Uuid, i64>) -> Vec<LotFacts> {
    all.iter()
        .filter_map(|l| {
            on_hand.get(&l.id).map(|n| LotFacts {
                lot_id: l.id,
                sku_id: l.sku_id,
                lot_number: l.lot_number.clone(),
                expires_on: l.expires_on,
                on_hand: *n,
            })
        })
        .collect()
}

/// Runs the guardrails for a signed record and builds its effects.
#[allow(clippy::too_many_arguments)]
async fn signed_record(
    store: &Store,
    principal: &Principal,
    mode: SampleMode,
    id: Uuid,
    hcp_id: Uuid,
    at: DateTime<Utc>,
    state: Option<String>,
    lines: &[SampleLine],
    signature: &Signature,
    call_id: Option<Uuid>,
) -> Result<std::result::Result<(Vec<Effect>, Vec<Finding>), Verdict>> {
    let rep = principal.user.id;
    let record_type = record_type(mode);
    let Some(hcp) = recipient(store, hcp_id, at).await? else {
        return Ok(Err(refuse(
            Code::HcpNotInScope,
            "the HCP is unknown",
            ValidationErrors::single("hcp_id", "is not an HCP"),
        )));
    };
    let all_lots = store.lots().await?;
    let lots = lot_facts(&all_lots, &store.on_hand(rep).await?);
    let signed = signed_lines(mode, lines, &all_lots);
    if let Err(errors) = signature.verify(id, record_type, &signed) {
        return Ok(Err(refuse(
            Code::SignatureInvalid,
            "the signature is missing or does not match the samples",
            errors,
        )));
    }
    if let Some(verdict) = suspected_falsification(store, rep, hcp_id, &hcp, signature).await? {
        return Ok(Err(verdict));
    }
    let state = state.unwrap_or_else(|| hcp.state.clone());
    let data = GuardrailData::load(store, rep, hcp_id, at).await?;
    let findings = check_samples(&data.context(mode, at, &state, &hcp.facts, &lots), lines);
    if let Some(verdict) = refuse_malformed(&findings) {
        return Ok(Err(verdict));
    }
    let given = given_lines(&data.skus, lines);
    let record = NewSampleRecord {
        id,
        record_type: record_type.into(),
        call_id,
        rep_id: rep,
        hcp_id,
        occurred_at: at,
        state,
        ship_to: (mode == SampleMode::Request).then(|| hcp.address.clone()),
        lines: lines.to_vec(),
        signature: signature.clone(),
        findings: findings.clone(),
        corrects: None,
    };
    let mut effects = vec![Effect::SampleRecord(record, given)];
    if mode == SampleMode::Disbursement {
        let hcp_name = format!("{} {}", hcp.first_name, hcp.last_name);
        effects.push(Effect::Ledger(disbursement_entries(
            rep, id, at, &hcp_name, lines,
        )));
    }
    if blocks(&findings) {
        effects.push(Effect::Exception(compliance_exception(
            id,
            record_type,
            rep,
            hcp_id,
            &findings,
        )));
    }
    Ok(Ok((effects, findings)))
}

/// The record type a signature is bound to.
fn record_type(mode: SampleMode) -> &'static str {
    match mode {
        SampleMode::Disbursement => RECORD_DISBURSEMENT,
        SampleMode::Request => RECORD_REQUEST,
    }
}

/// A well-formed signature that is not what it claims: a record naming someone other than
/// the HCP, signed by someone who may not sign it (`signature::signer_problem`), or with a
/// drawing already on another record. Refused, and reported to compliance at once as
/// suspected falsification, due to FDA within 5 working days of today (21 CFR 203.37(a)).
async fn suspected_falsification(
    store: &Store,
    rep: Uuid,
    hcp_id: Uuid,
    hcp: &Recipient,
    signature: &Signature,
) -> Result<Option<Verdict>> {
    let record = &signature.record;
    let mut finding = signer_problem(record, &hcp.first_name, &hcp.last_name);
    if finding.is_none() {
        let copies = store
            .records_with_drawing(&record.image_sha256, record.record_id)
            .await?;
        finding = copies.first().map(|other| Finding {
            code: Code::SignatureCopied,
            severity: Severity::Error,
            field: "signature.image".into(),
            message: format!("the drawing is identical to the signature on record {other}"),
        });
    }
    let Some(finding) = finding else {
        return Ok(None);
    };
    let (fda_notice_due, _) = deadlines(store.today());
    let outcome = MutationOutcome::rejected(
        finding.code,
        format!(
            "suspected falsification of a sample record; compliance must notify FDA by {fda_notice_due}"
        ),
        vec![pharmacrm_domain::FieldError {
            field: finding.field.clone(),
            message: finding.message.clone(),
        }],
    );
    let mut exception = compliance_exception(
        record.record_id,
        &record.record_type,
        rep,
        hcp_id,
        &[finding],
    );
    exception.fda_notice_due = Some(fda_notice_due);
    Ok(Some(Verdict::RefuseAndReport { outcome, exception }))
}

/// The lines as the HCP signed them: lot number (none for a request) and quantity.
fn signed_lines(
    mode: SampleMode,
    lines: &[SampleLine],
    all_lots: &[pharmacrm_domain::sample::Lot],
) -> Vec<(Option<String>, i64)> {
    let lot_numbers: HashMap<Uuid, &str> = all_lots
        .iter()
        .map(|l| (l.id, l.lot_number.as_str()))
        .collect();
    lines
        .iter()
        .map(|l| {
            (
                if mode == SampleMode::Request {
                    None
                } else {
                    l.lot_id
                        .and_then(|id| lot_numbers.get(&id).map(|n| n.to_string()))
                },
                l.quantity,
            )
        })
        .collect()
}

/// What the guardrails read besides the recipient and the rep's lots: SKUs, the rep's
/// allocations, limit templates, credential rules and the recipient's sample history.
struct GuardrailData {
    skus: Vec<SkuFacts>,
    allocations: Vec<AllocationFacts>,
    limits: Vec<SampleLimit>,
    rules: Vec<CredentialRule>,
    history: Vec<PastSample>,
}

impl GuardrailData {
    async fn load(store: &Store, rep: Uuid, hcp_id: Uuid, at: DateTime<Utc>) -> Result<Self> {
        let skus = store.sku_facts().await?;
        let allocations = store.allocation_facts(rep).await?;
        let limits = store.sample_limits().await?;
        let rules = store.credential_rules().await?;
        let since = at.date_naive() - chrono::Duration::days(super::HISTORY_DAYS);
        let history = store.sample_history(&[hcp_id], since).await?;
        Ok(GuardrailData {
            skus,
            allocations,
            limits,
            rules,
            history,
        })
    }

    fn context<'a>(
        &'a self,
        mode: SampleMode,
        at: DateTime<Utc>,
        state: &'a str,
        recipient: &'a RecipientFacts,
        lots: &'a [LotFacts],
    ) -> SampleContext<'a> {
        SampleContext {
            mode,
            on: at.date_naive(),
            state,
            recipient,
            skus: &self.skus,
            lots,
            allocations: &self.allocations,
            limits: &self.limits,
            credential_rules: &self.rules,
            history: &self.history,
        }
    }
}

/// Malformed lines (unknown SKU, no lot, no quantity) cannot be recorded at all: the
/// refusal listing them, if any.
fn refuse_malformed(findings: &[Finding]) -> Option<Verdict> {
    let malformed: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::NoLines
                    | Code::QuantityInvalid
                    | Code::UnknownSku
                    | Code::LotRequired
                    | Code::LotMismatch
            )
        })
        .collect();
    if malformed.is_empty() {
        return None;
    }
    let mut errors = ValidationErrors::new();
    for f in malformed {
        errors.add(f.field.clone(), f.message.clone());
    }
    Some(refuse(
        Code::ValidationFailed,
        "the samples cannot be recorded",
        errors,
    ))
}

/// Each line with its product and value (every SKU is known once malformed lines are refused).
fn given_lines(skus: &[SkuFacts], lines: &[SampleLine]) -> Vec<GivenLine> {
    let sku_of: HashMap<Uuid, &SkuFacts> = skus.iter().map(|s| (s.sku_id, s)).collect();
    lines
        .iter()
        .map(|l| {
            let sku = sku_of[&l.sku_id];
            GivenLine {
                product_id: sku.product_id,
                sku_id: l.sku_id,
                lot_id: l.lot_id,
                quantity: l.quantity,
                value_cents: l.quantity * sku.unit_value_cents,
            }
        })
        .collect()
}

/// The ledger entries taking disbursed units out of the rep's inventory, one per line with a lot.
fn disbursement_entries(
    rep: Uuid,
    record_id: Uuid,
    at: DateTime<Utc>,
    hcp_name: &str,
    lines: &[SampleLine],
) -> Vec<LedgerEntry> {
    lines
        .iter()
        .filter_map(|l| {
            l.lot_id.map(|lot| LedgerEntry {
                id: new_id(),
                rep_id: rep,
                kind: TxnKind::Disbursement,
                sku_id: l.sku_id,
                lot_id: lot,
                quantity: l.quantity,
                occurred_at: at,
                counterparty: hcp_name.to_string(),
                reference_id: Some(record_id),
            })
        })
        .collect()
}

/// The exception a blocking finding opens for compliance, with the record's errors.
fn compliance_exception(
    record_id: Uuid,
    record_type: &str,
    rep: Uuid,
    hcp_id: Uuid,
    findings: &[Finding],
) -> NewException {
    NewException {
        id: new_id(),
        record_id,
        record_type: record_type.into(),
        rep_id: rep,
        hcp_id: Some(hcp_id),
        findings: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .cloned()
            .collect(),
        fda_notice_due: None,
    }
}

/// What a receipt may not say: that it arrived long before it was sent, or lots the shipment
/// did not carry.
fn receipt_errors(
    shipment: &ShipmentView,
    sent: &HashMap<Uuid, i64>,
    input: &ReceiveInput,
) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    let sent_at = DateTime::parse_from_rfc3339(&shipment.sent_at).map(|t| t.with_timezone(&Utc));
    // Ten minutes of grace for a device clock running behind the server's.
    if sent_at.is_ok_and(|t| input.received_at < t - chrono::Duration::minutes(10)) {
        errors.add("received_at", "is before the shipment was sent");
    }
    for (i, l) in input.lines.iter().enumerate() {
        if !sent.contains_key(&l.lot_id) {
            errors.add(format!("lines[{i}].lot_id"), "was not in this shipment");
        }
    }
    errors
}

/// The exception a receipt that differs from its packing list opens for compliance.
fn discrepancy_exception(
    rep: Uuid,
    shipment: &ShipmentView,
    numbers: &HashMap<Uuid, String>,
    sent: &HashMap<Uuid, i64>,
    got: &HashMap<Uuid, i64>,
    input: &ReceiveInput,
) -> NewException {
    let mut lots: Vec<(&Uuid, &i64)> = sent.iter().collect();
    lots.sort();
    let findings = lots
        .into_iter()
        .filter(|(lot, q)| got.get(*lot).copied().unwrap_or(0) != **q)
        .map(|(lot, q)| Finding {
            code: Code::ReceiptDiscrepancy,
            severity: Severity::Error,
            field: "lines".into(),
            message: format!(
                "{} of lot {} received where {q} were sent; note: {}",
                got.get(lot).copied().unwrap_or(0),
                numbers.get(lot).map_or("?", String::as_str),
                input.note.as_deref().unwrap_or("").trim()
            ),
        })
        .collect();
    NewException {
        id: new_id(),
        record_id: shipment.id,
        record_type: "receipt".into(),
        rep_id: rep,
        hcp_id: None,
        findings,
        fda_notice_due: None,
    }
}

/// Adds `finding` to the compliance exception of the signed record among `effects`, opening
/// one if the record raised none (a finding of the same code is not repeated).
pub fn raise_exception(
    effects: &mut Vec<Effect>,
    record_id: Uuid,
    rep: Uuid,
    hcp_id: Uuid,
    finding: Finding,
) {
    let open = effects.iter_mut().find_map(|e| match e {
        Effect::Exception(x) if x.record_id == record_id => Some(x),
        _ => None,
    });
    match open {
        Some(x) if x.findings.iter().any(|f| f.code == finding.code) => {}
        Some(x) => x.findings.insert(0, finding),
        None => effects.push(Effect::Exception(compliance_exception(
            record_id,
            RECORD_DISBURSEMENT,
            rep,
            hcp_id,
            &[finding],
        ))),
    }
}

/// The effects of the samples given during a call (called by the call's evaluation).
pub async fn disbursement_effects(
    store: &Store,
    principal: &Principal,
    call: &CallInput,
    d: &DisbursementInput,
) -> Result<std::result::Result<(Vec<Effect>, Vec<Finding>), Verdict>> {
    if call.hcp_ids.len() != 1 {
        let errors = ValidationErrors::single(
            "disbursement",
            "samples are given to one HCP, not in a group call",
        );
        return Ok(Err(refuse(
            Code::ValidationFailed,
            "samples need a one-to-one call",
            errors,
        )));
    }
    let state = match call.account_id {
        Some(account) => store
            .account(&pharmacrm_domain::access::Scope::All, account)
            .await?
            .map(|a| a.address.state),
        None => None,
    };
    signed_record(
        store,
        principal,
        SampleMode::Disbursement,
        d.id,
        call.hcp_ids[0],
        call.called_at,
        state,
        &d.lines,
        &d.signature,
        Some(call.id),
    )
    .await
}

async fn request(
    store: &Store,
    principal: &Principal,
    input: SampleRequestInput,
) -> Result<Verdict> {
    let result = signed_record(
        store,
        principal,
        SampleMode::Request,
        input.id,
        input.hcp_id,
        input.requested_at,
        None,
        &input.lines,
        &input.signature,
        input.call_id,
    )
    .await?;
    Ok(match result {
        Ok((effects, findings)) => Verdict::Apply {
            effects,
            flagged: flagged(&findings),
        },
        Err(v) => v,
    })
}

/// Codes of the blocking findings, recorded as the mutation's flags.
pub fn flagged(findings: &[Finding]) -> Vec<Code> {
    let mut codes: Vec<Code> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect();
    codes.dedup();
    codes
}

/// Checks lines of lots: known lots, positive quantities and (for outflows) enough on hand.
async fn check_lots(
    store: &Store,
    rep: Uuid,
    lines: &[LotQuantity],
    outflow: bool,
    allow_zero: bool,
) -> Result<std::result::Result<HashMap<Uuid, Uuid>, ValidationErrors>> {
    let mut errors = ValidationErrors::new();
    let sku_of_lot: HashMap<Uuid, Uuid> = store
        .lots()
        .await?
        .into_iter()
        .map(|l| (l.id, l.sku_id))
        .collect();
    let on_hand = store.on_hand(rep).await?;
    if lines.is_empty() {
        errors.add("lines", "add at least one lot");
    }
    let mut asked: HashMap<Uuid, i64> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if !sku_of_lot.contains_key(&l.lot_id) {
            errors.add(format!("lines[{i}].lot_id"), "is not a lot");
            continue;
        }
        if let Some(problem) = quantity_problem(l.quantity, allow_zero) {
            errors.add(format!("lines[{i}].quantity"), problem);
            continue;
        }
        let total = asked.entry(l.lot_id).or_default();
        *total += l.quantity;
        let held = on_hand.get(&l.lot_id).copied().unwrap_or(0);
        if outflow && *total > held {
            errors.add(
                format!("lines[{i}].quantity"),
                format!("only {} on hand", held.max(0)),
            );
        }
    }
    Ok(if errors.is_empty() {
        Ok(sku_of_lot)
    } else {
        Err(errors)
    })
}

fn entries(
    rep: Uuid,
    kind: TxnKind,
    lines: &[LotQuantity],
    sku_of_lot: &HashMap<Uuid, Uuid>,
    at: DateTime<Utc>,
    counterparty: &str,
    reference: Uuid,
) -> Vec<LedgerEntry> {
    lines
        .iter()
        .filter(|l| l.quantity > 0)
        .map(|l| LedgerEntry {
            id: new_id(),
            rep_id: rep,
            kind,
            sku_id: sku_of_lot[&l.lot_id],
            lot_id: l.lot_id,
            quantity: l.quantity,
            occurred_at: at,
            counterparty: counterparty.to_string(),
            reference_id: Some(reference),
        })
        .collect()
}

async fn receive(store: &Store, principal: &Principal, input: ReceiveInput) -> Result<Verdict> {
    let rep = principal.user.id;
    let shipment = match store.shipment(input.shipment_id).await? {
        Some(s) if s.to_rep_id == rep => s,
        _ => {
            return Ok(refuse(
                Code::NotFound,
                "no such shipment for you",
                ValidationErrors::single("shipment_id", "is not a shipment to you"),
            ))
        }
    };
    if shipment.status != "in_transit" {
        return Ok(refuse(
            Code::AlreadyReceived,
            "this shipment was already acknowledged",
            ValidationErrors::single("shipment_id", "already received"),
        ));
    }
    let sku_of_lot = match check_lots(store, rep, &input.lines, false, true).await? {
        Ok(map) => map,
        Err(errors) => {
            return Ok(refuse(
                Code::ValidationFailed,
                "the receipt is invalid",
                errors,
            ))
        }
    };
    let sent: HashMap<Uuid, i64> = shipment
        .lines
        .iter()
        .map(|l| (l.lot_id, l.quantity))
        .collect();
    let errors = receipt_errors(&shipment, &sent, &input);
    if !errors.is_empty() {
        return Ok(refuse(
            Code::ValidationFailed,
            "the receipt does not match the shipment",
            errors,
        ));
    }
    let got: HashMap<Uuid, i64> = input.lines.iter().map(|l| (l.lot_id, l.quantity)).collect();
    let differs = sent
        .iter()
        .any(|(lot, q)| got.get(lot).copied().unwrap_or(0) != *q);
    if differs && input.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Ok(refuse(
            Code::ValidationFailed,
            "note the discrepancy",
            ValidationErrors::single("note", "describe what differs from the packing list"),
        ));
    }
    let kind = if shipment.kind == "transfer" {
        TxnKind::TransferIn
    } else {
        TxnKind::Receipt
    };
    let ledger = entries(
        rep,
        kind,
        &input.lines,
        &sku_of_lot,
        input.received_at,
        &shipment.sender,
        shipment.id,
    );
    let mut effects = vec![
        Effect::Received {
            id: shipment.id,
            lines: input.lines.clone(),
            note: input.note.clone(),
            at: input.received_at,
        },
        Effect::Ledger(ledger),
    ];
    if differs {
        let numbers: HashMap<Uuid, String> = store
            .lots()
            .await?
            .into_iter()
            .map(|l| (l.id, l.lot_number))
            .collect();
        effects.push(Effect::Exception(discrepancy_exception(
            rep, &shipment, &numbers, &sent, &got, &input,
        )));
    }
    Ok(Verdict::Apply {
        effects,
        flagged: if differs {
            vec![Code::ReceiptDiscrepancy]
        } else {
            vec![]
        },
    })
}

/// Transfers to a rep, returns to headquarters and witnessed destructions.
async fn send(
    store: &Store,
    principal: &Principal,
    kind: Outflow,
    input: MoveInput,
) -> Result<Verdict> {
    let rep = principal.user.id;
    let (sku_of_lot, mut errors) = match check_lots(store, rep, &input.lines, true, false).await? {
        Ok(map) => (map, ValidationErrors::new()),
        Err(errors) => (HashMap::new(), errors),
    };
    let witness = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if kind == Outflow::Destroy && witness.is_none() {
        errors.add(
            "note",
            "name the witness and how the samples were destroyed",
        );
    }
    if !errors.is_empty() {
        return Ok(refuse(
            Code::ValidationFailed,
            "the samples cannot leave your inventory",
            errors,
        ));
    }
    match kind {
        Outflow::Return => {
            let ledger = entries(
                rep,
                TxnKind::Return,
                &input.lines,
                &sku_of_lot,
                input.occurred_at,
                "Headquarters (sample returns)",
                input.id,
            );
            return Ok(Verdict::Apply {
                effects: vec![Effect::Ledger(ledger)],
                flagged: vec![],
            });
        }
        Outflow::Destroy => {
            let counterparty = format!("Destroyed, witnessed: {}", witness.unwrap_or_default());
            let ledger = entries(
                rep,
                TxnKind::Destruction,
                &input.lines,
                &sku_of_lot,
                input.occurred_at,
                &counterparty,
                input.id,
            );
            return Ok(Verdict::Apply {
                effects: vec![Effect::Ledger(ledger)],
                flagged: vec![],
            });
        }
        Outflow::Transfer => {}
    }
    let receiver = match input.to_rep_id {
        Some(id) if id != rep => store
            .user(id)
            .await?
            .filter(|u| u.role.may(Permission::HoldSamples) && u.active),
        _ => None,
    };
    let Some(receiver) = receiver else {
        return Ok(refuse(
            Code::ValidationFailed,
            "choose the rep who receives the samples",
            ValidationErrors::single("to_rep_id", "is not another active rep"),
        ));
    };
    let ledger = entries(
        rep,
        TxnKind::TransferOut,
        &input.lines,
        &sku_of_lot,
        input.occurred_at,
        &receiver.display_name,
        input.id,
    );
    let shipment = NewShipment {
        id: input.id,
        kind: "transfer".into(),
        from_rep_id: Some(rep),
        to_rep_id: receiver.id,
        sender: principal.user.display_name.clone(),
        sent_at: input.occurred_at,
        lines: input.lines.clone(),
        note: input.note.clone(),
    };
    Ok(Verdict::Apply {
        effects: vec![Effect::Shipment(shipment), Effect::Ledger(ledger)],
        flagged: vec![],
    })
}

async fn loss(store: &Store, principal: &Principal, input: LossInput) -> Result<Verdict> {
    let rep = principal.user.id;
    let mut errors = ValidationErrors::new();
    let kind = match input.kind.as_str() {
        "loss" => TxnKind::Loss,
        "theft" => TxnKind::Theft,
        _ => {
            errors.add("kind", "must be loss or theft");
            TxnKind::Loss
        }
    };
    if input.reason.trim().is_empty() {
        errors.add("reason", "say what happened");
    }
    if kind == TxnKind::Theft
        && input
            .police_report
            .as_deref()
            .is_none_or(|p| p.trim().is_empty())
    {
        errors.add("police_report", "a theft needs the police report reference");
    }
    if input.discovered_on > store.today() {
        errors.add("discovered_on", "is in the future");
    }
    let sku_of_lot = match check_lots(store, rep, &input.lines, true, false).await? {
        Ok(map) if errors.is_empty() => map,
        Ok(_) => {
            return Ok(refuse(
                Code::ValidationFailed,
                "the loss report is incomplete",
                errors,
            ))
        }
        Err(more) => {
            errors.0.extend(more.0);
            return Ok(refuse(
                Code::ValidationFailed,
                "the loss report is incomplete",
                errors,
            ));
        }
    };
    let (notice, written) = deadlines(input.discovered_on);
    let at = input
        .discovered_on
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(|| store.now());
    let ledger = entries(
        rep,
        kind,
        &input.lines,
        &sku_of_lot,
        at,
        input.kind.as_str(),
        input.id,
    );
    let report = NewLossReport {
        id: input.id,
        rep_id: rep,
        kind: input.kind.clone(),
        reason: input.reason.trim().to_string(),
        police_report: input.police_report.clone().filter(|p| !p.trim().is_empty()),
        discovered_on: input.discovered_on,
        lines: input.lines.clone(),
        fda_notice_due: notice,
        written_report_due: written,
    };
    Ok(Verdict::Apply {
        effects: vec![Effect::LossReport(report), Effect::Ledger(ledger)],
        flagged: vec![],
    })
}

/// A physical count, set against the rep's book as of the count's time. Units that differ
/// need the rep's explanation (refused without one, the field named); a count that differs
/// is recorded with an exception for compliance, one finding per lot, flagged
/// `count_discrepancy`. Lots held but left out are not counted, not a difference.
async fn count(store: &Store, principal: &Principal, input: CountInput) -> Result<Verdict> {
    let rep = principal.user.id;
    let mut errors = match check_lots(store, rep, &input.lines, false, true).await? {
        Ok(_) => ValidationErrors::new(),
        Err(errors) => errors,
    };
    if input.counted_at > store.now() + chrono::Duration::minutes(10) {
        errors.add("counted_at", "is in the future");
    }
    let explanation = input
        .explanation
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if explanation.is_some_and(|e| e.chars().count() > MAX_EXPLANATION_CHARS) {
        errors.add(
            "explanation",
            format!("must be at most {MAX_EXPLANATION_CHARS} characters"),
        );
    }
    if !errors.is_empty() {
        return Ok(refuse(
            Code::ValidationFailed,
            "the count is invalid",
            errors,
        ));
    }
    let differing = count_differences(store, rep, &input).await?;
    if !differing.is_empty() && explanation.is_none() {
        return Ok(refuse(
            Code::ValidationFailed,
            "explain the difference from the book",
            ValidationErrors::single(
                "explanation",
                format!(
                    "{} lot(s) differ from the book at the count's time: say why",
                    differing.len()
                ),
            ),
        ));
    }
    let count = InventoryCount {
        id: input.id,
        rep_id: rep,
        counted_at: pharmacrm_storage::samples::fact_time(input.counted_at),
        lines: input.lines,
        explanation: explanation.map(str::to_string),
    };
    if differing.is_empty() {
        return Ok(Verdict::Apply {
            effects: vec![Effect::Count(count)],
            flagged: vec![],
        });
    }
    let findings = count_findings(store, &differing, explanation.unwrap_or_default()).await?;
    let exception = NewException {
        id: new_id(),
        record_id: count.id,
        record_type: "inventory_count".into(),
        rep_id: rep,
        hcp_id: None,
        findings,
        fda_notice_due: None,
    };
    Ok(Verdict::Apply {
        effects: vec![Effect::Count(count), Effect::Exception(exception)],
        flagged: vec![Code::CountDiscrepancy],
    })
}

/// The lots counted whose units differ from the book as of the count's time.
async fn count_differences(
    store: &Store,
    rep: Uuid,
    input: &CountInput,
) -> Result<Vec<CountComparison>> {
    let mut units: HashMap<Uuid, i64> = HashMap::new();
    for l in &input.lines {
        let n = units.entry(l.lot_id).or_default();
        *n = plus(*n, l.quantity).map_err(out_of_range)?;
    }
    let ledger = store.ledger_of_rep(rep, None).await?;
    let compared = compare_count(
        &ledger,
        Counted {
            at: input.counted_at,
            units: &units,
        },
    )
    .map_err(out_of_range)?;
    Ok(compared
        .into_iter()
        .filter(|c| c.difference.is_some_and(|d| d != 0))
        .collect())
}

/// One finding per lot that differs, naming the lot, both figures and the explanation.
async fn count_findings(
    store: &Store,
    differing: &[CountComparison],
    explanation: &str,
) -> Result<Vec<Finding>> {
    let numbers: HashMap<Uuid, String> = store
        .lots()
        .await?
        .into_iter()
        .map(|l| (l.id, l.lot_number))
        .collect();
    Ok(differing
        .iter()
        .map(|c| Finding {
            code: Code::CountDiscrepancy,
            severity: Severity::Error,
            field: "lines".into(),
            message: format!(
                "{} of lot {} counted where the book held {} at the count's time ({:+}); explanation: {explanation}",
                c.counted.unwrap_or_default(),
                numbers.get(&c.lot_id).map_or("?", String::as_str),
                c.book,
                c.difference.unwrap_or_default(),
            ),
        })
        .collect())
}

/// A sum beyond range (corrupt data: quantities are bounded).
pub(crate) fn out_of_range(_: OutOfRange) -> crate::ServiceError {
    crate::ServiceError::Conflict {
        code: Code::TotalOutOfRange,
        message: "a total of the sample book is out of range".into(),
    }
}

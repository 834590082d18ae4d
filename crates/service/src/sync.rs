//! The sync protocol (docs/sync.md). Push: a device's mutations, each applied at most once
//! and answered applied, rejected or applied-with-flag. Pull: what changed in the caller's
//! scope since their cursor, in pages that add up to a complete checkpoint; a change of
//! scope (realignment, new assignment, a new day crossing an effective date) turns the next
//! pull into a reset so no device keeps records it may no longer see.

use crate::auth::Principal;
use crate::samples::{self, mutations::Verdict};
use crate::stewardship;
use crate::{Result, ServiceError, Store};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{NaiveDate, Utc};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::call::{picklists, Call, CallInput, HcpFacts, Rejection};
use pharmacrm_domain::role::Role;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::{FieldError, ValidationErrors};
use pharmacrm_storage::calls::MutationOutcome;
use pharmacrm_storage::samples::Effect;
use pharmacrm_storage::StorageError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;
use uuid::Uuid;

/// One record to put or delete on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    /// `hcp`, `account`, `call`, `product`, `target`, `picklists`, `samples` or `notice`.
    pub entity: String,
    pub id: String,
    /// `put` or `delete`.
    pub op: String,
    /// The record (schemas `Hcp`, `AccountSummary`, `Call`, `Product`, `FrequencyTarget`,
    /// `Picklists`, `SampleBook`, `Notice`); null for a delete.
    #[schema(value_type = Object)]
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SyncPage {
    /// The device must replace its synced records (not its outbox or drafts) with the
    /// state this checkpoint carries.
    pub reset: bool,
    pub changes: Vec<Change>,
    /// Send back as `cursor`; keep it only once `has_more` is false (a complete checkpoint).
    pub cursor: String,
    pub has_more: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Mutation {
    /// UUIDv7 made on the device; applying the same id twice has the effect of once.
    pub id: Uuid,
    pub client_ts: String,
    /// `call.submit` (payload `CallInput`), `sample.request` (`SampleRequestInput`),
    /// `sample.receive` (`ReceiveInput`), `sample.transfer` / `sample.return` / `sample.destroy` (`MoveInput`),
    /// `sample.loss` (`LossInput`), `sample.count` (`CountInput`), `hcp.propose` (`HcpProposal`)
    /// or `hcp.change` (`ChangeProposal`).
    pub kind: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PushRequest {
    /// One id per device install.
    pub client_id: Uuid,
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MutationResult {
    pub mutation_id: Uuid,
    /// `applied`, `rejected` or `applied_with_flag`.
    pub status: String,
    pub code: Option<String>,
    pub message: Option<String>,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushResult {
    pub results: Vec<MutationResult>,
}

/// Most mutations one push may carry.
pub const MAX_MUTATIONS: usize = 500;

fn rejected(code: &str, message: impl Into<String>, errors: Vec<FieldError>) -> MutationOutcome {
    MutationOutcome {
        status: "rejected".into(),
        code: Some(code.into()),
        message: Some(message.into()),
        errors,
    }
}

fn refused(r: Rejection) -> MutationOutcome {
    rejected(r.code, r.message, r.errors.0)
}

/// Applies a device's mutations in id order and answers each.
pub async fn push(
    store: &Store,
    principal: &Principal,
    request: &PushRequest,
) -> Result<PushResult> {
    if request.mutations.len() > MAX_MUTATIONS {
        return Err(ValidationErrors::single(
            "mutations",
            format!("at most {MAX_MUTATIONS} per push"),
        )
        .into());
    }
    let mut mutations: Vec<&Mutation> = request.mutations.iter().collect();
    mutations.sort_by_key(|m| m.id);
    let actor = principal.actor();
    let mut results = Vec::new();
    for m in mutations {
        let outcome = match store.mutation_outcome(m.id).await? {
            Some(done) => done,
            None => {
                let (mut outcome, mut effects) = evaluate(store, principal, m).await?;
                loop {
                    match store
                        .record_mutation(
                            &actor,
                            request.client_id,
                            m.id,
                            &m.kind,
                            &effects,
                            &outcome,
                        )
                        .await
                    {
                        Ok(()) => break,
                        Err(StorageError::Duplicate {
                            entity: "mutation", ..
                        }) => {
                            // The same mutation arrived concurrently and won: answer as it was answered.
                            outcome = store
                                .mutation_outcome(m.id)
                                .await?
                                .ok_or(ServiceError::NotFound("mutation"))?;
                            break;
                        }
                        Err(StorageError::Duplicate { entity, .. }) if !effects.is_empty() => {
                            effects.clear();
                            outcome = match entity {
                                "call" => rejected(
                                    "duplicate_call",
                                    "a call with this id was already submitted",
                                    vec![],
                                ),
                                other => rejected(
                                    "duplicate_record",
                                    format!("a {other} with this id was already recorded"),
                                    vec![],
                                ),
                            };
                        }
                        Err(StorageError::NotFound(what)) if !effects.is_empty() => {
                            // Lost a race (e.g. two devices acknowledging one shipment).
                            effects.clear();
                            outcome =
                                rejected("conflict", format!("{what} changed meanwhile"), vec![]);
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                outcome
            }
        };
        results.push(MutationResult {
            mutation_id: m.id,
            status: outcome.status,
            code: outcome.code,
            message: outcome.message,
            errors: outcome.errors,
        });
    }
    Ok(PushResult { results })
}

/// `hcp.propose` (payload `HcpProposal`) and `hcp.change` (`ChangeProposal`): written by the
/// stewardship service itself; a replay finds the request by its id and changes nothing.
async fn stewardship_mutation(
    store: &Store,
    principal: &Principal,
    m: &Mutation,
) -> Result<MutationOutcome> {
    let unreadable = |e: serde_json::Error| {
        rejected(
            "validation_failed",
            "the proposal cannot be read",
            vec![FieldError {
                field: "payload".into(),
                message: e.to_string(),
            }],
        )
    };
    let result = if m.kind == "hcp.propose" {
        match serde_json::from_value::<stewardship::HcpProposal>(m.payload.clone()) {
            Ok(p) => stewardship::propose_hcp(store, principal, &p).await,
            Err(e) => return Ok(unreadable(e)),
        }
    } else {
        match serde_json::from_value::<stewardship::ChangeProposal>(m.payload.clone()) {
            Ok(p) => stewardship::propose_change(store, principal, &p).await,
            Err(e) => return Ok(unreadable(e)),
        }
    };
    match result {
        Ok(r) if r.status == pharmacrm_domain::stewardship::RequestStatus::Merged => {
            Ok(MutationOutcome {
                status: "applied".into(),
                code: Some("linked".into()),
                message: r.decision_reason,
                errors: vec![],
            })
        }
        Ok(_) => Ok(applied(&[], "")),
        Err(ServiceError::Validation(errors)) => Ok(rejected(
            "validation_failed",
            "the proposal has errors",
            errors.0,
        )),
        Err(ServiceError::Conflict { code, message }) => Ok(rejected(code, message, vec![])),
        Err(ServiceError::NotFound(what)) => {
            Ok(rejected("not_found", format!("{what} not found"), vec![]))
        }
        Err(ServiceError::Forbidden(message)) => Ok(rejected("forbidden", message, vec![])),
        Err(e) => Err(e),
    }
}

fn applied(flags: &[String], message: &str) -> MutationOutcome {
    if flags.is_empty() {
        MutationOutcome {
            status: "applied".into(),
            code: None,
            message: None,
            errors: vec![],
        }
    } else {
        MutationOutcome {
            status: "applied_with_flag".into(),
            code: Some(flags.join(",")),
            message: Some(message.into()),
            errors: vec![],
        }
    }
}

async fn evaluate(
    store: &Store,
    principal: &Principal,
    m: &Mutation,
) -> Result<(MutationOutcome, Vec<Effect>)> {
    if m.kind.starts_with("sample.") {
        return Ok(
            match samples::mutations::evaluate(store, principal, &m.kind, &m.payload).await? {
                Verdict::Apply { effects, flagged } => (
                    applied(
                        &flagged,
                        "recorded; flagged for compliance review (see the exceptions queue)",
                    ),
                    effects,
                ),
                Verdict::Refuse {
                    code,
                    message,
                    errors,
                } => (rejected(code, message, errors), vec![]),
            },
        );
    }
    if m.kind == "hcp.propose" || m.kind == "hcp.change" {
        return Ok((stewardship_mutation(store, principal, m).await?, vec![]));
    }
    if m.kind != "call.submit" {
        return Ok((
            rejected(
                "unknown_kind",
                format!("'{}' is not a mutation this server knows", m.kind),
                vec![],
            ),
            vec![],
        ));
    }
    if !matches!(principal.user.role, Role::Rep | Role::Manager) {
        return Ok((
            rejected("forbidden", "only reps and managers report calls", vec![]),
            vec![],
        ));
    }
    let mut input: CallInput = match serde_json::from_value(m.payload.clone()) {
        Ok(input) => input,
        Err(e) => {
            let field = FieldError {
                field: "payload".into(),
                message: e.to_string(),
            };
            return Ok((
                rejected(
                    "validation_failed",
                    "the call report cannot be read",
                    vec![field],
                ),
                vec![],
            ));
        }
    };
    if store.call_by_id(input.id).await?.is_some() {
        return Ok((
            rejected(
                "duplicate_call",
                "a call with this id was already submitted",
                vec![],
            ),
            vec![],
        ));
    }
    if let Some(original) = input.corrects {
        let ok = store
            .call_by_id(original)
            .await?
            .is_some_and(|c| c.rep_id == principal.user.id);
        if !ok {
            let field = FieldError {
                field: "corrects".into(),
                message: "is not one of your calls".into(),
            };
            return Ok((
                rejected(
                    "validation_failed",
                    "the corrected call is unknown",
                    vec![field],
                ),
                vec![],
            ));
        }
        if input.disbursement.is_some() {
            // A signature is captured when samples leave the trunk; a later correction
            // cannot carry one. The original call's signed record stands; stock moves are
            // corrected by a return or loss report.
            let field = FieldError {
                field: "disbursement".into(),
                message:
                    "samples cannot be added by a correction; the signed record of the call stands"
                        .into(),
            };
            return Ok((
                rejected(
                    "validation_failed",
                    "a correction cannot record samples",
                    vec![field],
                ),
                vec![],
            ));
        }
    }
    if input.disbursement.is_none() {
        // An HCP merged while the device was offline: the call goes to the survivor. (A
        // signed disbursement stays bound to the record it was signed for.)
        for id in input.hcp_ids.iter_mut() {
            if let Some(live) = store.live_hcp_id(*id).await? {
                *id = live;
            }
        }
    }
    let day = input.called_at.date_naive();
    let then = store
        .scope_of_on(principal.user.id, principal.user.role, day)
        .await?;
    let today = pharmacrm_storage::today();
    let mut facts = Vec::new();
    let mut first_territory = None;
    for hcp in store.hcp_call_facts(&input.hcp_ids).await? {
        let territory_then = store.territory_of_zip_on(&hcp.zip, day).await?;
        let territory_now = store.territory_of_zip_on(&hcp.zip, today).await?;
        if Some(hcp.id) == input.hcp_ids.first().copied() {
            first_territory = territory_then;
        }
        facts.push(HcpFacts {
            id: hcp.id,
            status: hcp.status,
            do_not_call: hcp.do_not_call,
            blacklisted: hcp.blacklisted,
            in_scope_on_call_day: then.includes(territory_then),
            in_scope_now: principal.scope.includes(territory_now),
        });
    }
    let products: HashSet<Uuid> = store.products().await?.into_iter().map(|p| p.id).collect();
    let account_ok = match input.account_id {
        Some(id) => store.account(&principal.scope, id).await?.is_some(),
        None => true,
    };
    let mut flags = match input.check(
        &facts,
        |p| products.contains(&p),
        |_| account_ok,
        Utc::now(),
    ) {
        Ok(flags) => flags,
        // Signed samples already left the trunk: the call and its samples are facts to keep
        // and review, not to refuse. Malformed reports are still refused.
        Err(rejection) if input.disbursement.is_some() && rejection.code != "validation_failed" => {
            vec![rejection.code.to_string()]
        }
        Err(rejection) => return Ok((refused(rejection), vec![])),
    };
    let mut effects = Vec::new();
    if let Some(d) = &input.disbursement {
        match samples::mutations::disbursement_effects(store, principal, &input, d).await? {
            Ok((sample_effects, findings)) => {
                flags.extend(samples::mutations::flagged(&findings));
                effects.extend(sample_effects);
            }
            Err(Verdict::Refuse {
                code,
                message,
                errors,
            }) => return Ok((rejected(code, message, errors), vec![])),
            Err(Verdict::Apply { .. }) => {}
        }
    }
    let key_messages = store.key_messages().await?;
    if !pharmacrm_domain::call::fair_balance_gaps(&key_messages, &input.key_message_ids).is_empty()
    {
        flags.push("fair_balance".into());
    }
    flags.sort();
    flags.dedup();
    let outcome = applied(&flags, "recorded; flagged for review (see the codes)");
    let (district_id, region_id) = match first_territory {
        Some(t) => pharmacrm_domain::org::district_and_region(&store.org_tree().await?, t),
        None => (None, None),
    };
    let call = Call {
        id: input.id,
        rep_id: principal.user.id,
        call_type: input.call_type,
        hcp_ids: input.hcp_ids,
        account_id: input.account_id,
        territory_id: first_territory,
        district_id,
        region_id,
        called_at: input.called_at,
        product_ids: input.product_ids,
        outcome: input.outcome,
        next_step: input.next_step,
        next_step_date: input.next_step_date,
        notes: input
            .notes
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        corrects: input.corrects,
        correction_reason: input.correction_reason,
        flags,
        submitted_at: pharmacrm_storage::now_timestamp(),
        key_message_ids: input.key_message_ids,
        disbursement_id: input.disbursement.as_ref().map(|d| d.id),
    };
    effects.insert(0, Effect::Call(call));
    Ok((outcome, effects))
}

/// Where a device stands: the version and day of the state it holds completely, the scope
/// it was computed for, and the progress of a checkpoint being paged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    v: i64,
    d: NaiveDate,
    s: String,
    #[serde(default)]
    t: Option<i64>,
    #[serde(default)]
    p: u8,
    #[serde(default)]
    a: Option<Uuid>,
    #[serde(default)]
    r: bool,
    /// Hash of the sample book the device holds (reps only).
    #[serde(default)]
    h: Option<String>,
}

fn fingerprint(scope: &Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Territories(ts) => {
            let mut ids: Vec<String> = ts.iter().map(Uuid::to_string).collect();
            ids.sort();
            ids.join(",")
        }
    }
}

fn encode(cursor: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(cursor).unwrap_or_default())
}

fn decode(text: &str) -> Result<Cursor> {
    URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            ValidationErrors::single("cursor", "is not a cursor returned by a pull").into()
        })
}

/// The phases of a checkpoint, most important first (the plan needs pick lists, products,
/// targets and tier-A HCPs before anything else); notices came later and go last so that
/// cursors handed out before them keep their meaning.
const PHASES: [&str; 13] = [
    "picklists",
    "product",
    "target",
    "samples",
    "hcp:A",
    "hcp:B",
    "hcp:C",
    "hcp:-",
    "account",
    "call",
    "notice",
    "request",
    "matching",
];

/// Largest page a pull returns.
pub const MAX_PULL: i64 = 2000;

pub async fn pull(
    store: &Store,
    principal: &Principal,
    cursor: Option<&str>,
    limit: i64,
) -> Result<SyncPage> {
    if !(1..=MAX_PULL).contains(&limit) {
        return Err(
            ValidationErrors::single("limit", format!("must be between 1 and {MAX_PULL}")).into(),
        );
    }
    let today = pharmacrm_storage::today();
    let scope = &principal.scope;
    let fp = fingerprint(scope);
    let previous = cursor.map(decode).transpose()?;
    let mut c = match previous {
        Some(c) if c.t.is_some() && c.s == fp => c,
        Some(c) => {
            let reset =
                c.s != fp || c.t.is_some() || store.scope_may_have_changed(c.v, c.d, today).await?;
            Cursor {
                t: Some(store.current_version().await?),
                p: 0,
                a: None,
                r: reset,
                s: fp.clone(),
                ..c
            }
        }
        None => Cursor {
            v: 0,
            d: today,
            s: fp.clone(),
            t: Some(store.current_version().await?),
            p: 0,
            a: None,
            r: true,
            h: None,
        },
    };
    let from = if c.r { None } else { Some(c.v) };
    let mut changes: Vec<Change> = Vec::new();
    while (c.p as usize) < PHASES.len() && (changes.len() as i64) < limit {
        let room = limit - changes.len() as i64;
        let phase = PHASES[c.p as usize];
        let (batch, last): (Vec<Change>, Option<Uuid>) = match phase {
            "picklists" => {
                let list = if c.r {
                    vec![put("picklists", "picklists", &picklists())]
                } else {
                    vec![]
                };
                (list, None)
            }
            "product" => {
                let ids = store.changed_product_ids(from).await?;
                let products = store
                    .products()
                    .await?
                    .into_iter()
                    .filter(|p| ids.contains(&p.id));
                (
                    products
                        .map(|p| put("product", &p.id.to_string(), &p))
                        .collect(),
                    None,
                )
            }
            "target" => (
                store
                    .frequency_targets(from)
                    .await?
                    .iter()
                    .map(|t| put("target", &t.id.to_string(), t))
                    .collect(),
                None,
            ),
            "samples" if principal.user.role == Role::Rep => {
                let book = samples::book(store, principal).await?;
                let hash = book_hash(&book);
                if c.r || c.h.as_deref() != Some(hash.as_str()) {
                    c.h = Some(hash);
                    (vec![put("samples", "samples", &book)], None)
                } else {
                    (vec![], None)
                }
            }
            "samples" => (vec![], None),
            "matching" => {
                let settings = store.matching_settings().await?;
                if from.map_or(true, |v| settings.version > v) {
                    let model = crate::matching::DeviceModel {
                        parameters: settings.parameters,
                        thresholds: settings.thresholds,
                    };
                    (vec![put("matching", "matching", &model)], None)
                } else {
                    (vec![], None)
                }
            }
            "request" => {
                let rows = stewardship::own_requests_since(store, principal, from).await?;
                (
                    rows.iter()
                        .map(|r| put("data_request", &r.id.to_string(), r))
                        .collect(),
                    None,
                )
            }
            "notice" => (
                store
                    .notices_of(principal.user.id, from)
                    .await?
                    .iter()
                    .map(|n| put("notice", &n.id.to_string(), n))
                    .collect(),
                None,
            ),
            "account" => {
                let rows = store.changed_accounts(scope, from, c.a, room).await?;
                let last = rows.last().map(|a| a.id);
                (
                    rows.iter()
                        .map(|a| put("account", &a.id.to_string(), a))
                        .collect(),
                    last,
                )
            }
            "call" => {
                let rows = store.changed_calls(scope, from, c.a, room).await?;
                let last = rows.last().map(|x| x.id);
                (
                    rows.iter()
                        .map(|x| put("call", &x.id.to_string(), x))
                        .collect(),
                    last,
                )
            }
            hcp => {
                let tier = Tier::parse(hcp.trim_start_matches("hcp:")).ok();
                let ids = store.changed_hcp_ids(scope, from, tier, c.a, room).await?;
                let last = ids.last().copied();
                let profiles = store.hcp_profiles(scope, &ids).await?;
                (
                    profiles
                        .iter()
                        .map(|h| put("hcp", &h.id.to_string(), h))
                        .collect(),
                    last,
                )
            }
        };
        let full = last.is_some() && batch.len() as i64 >= room;
        changes.extend(batch);
        if full {
            c.a = last;
        } else {
            c.p += 1;
            c.a = None;
        }
    }
    let reset = c.r;
    if (c.p as usize) >= PHASES.len() {
        let done = Cursor {
            v: c.t.unwrap_or(c.v),
            d: today,
            s: fp,
            t: None,
            p: 0,
            a: None,
            r: false,
            h: c.h,
        };
        Ok(SyncPage {
            reset,
            changes,
            cursor: encode(&done),
            has_more: false,
        })
    } else {
        Ok(SyncPage {
            reset,
            changes,
            cursor: encode(&c),
            has_more: true,
        })
    }
}

/// A short digest of the sample book, so an unchanged book is not sent again.
fn book_hash(book: &pharmacrm_domain::sample::views::SampleBook) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(serde_json::to_vec(book).unwrap_or_default());
    URL_SAFE_NO_PAD.encode(&digest[..12])
}

fn put<T: Serialize>(entity: &str, id: &str, data: &T) -> Change {
    Change {
        entity: entity.into(),
        id: id.into(),
        op: "put".into(),
        data: serde_json::to_value(data).ok(),
    }
}

//! Submitting a call report (`call.submit`): the call rules judged against the facts as of
//! the call's day, the signed samples that rode with it, and the call as stored. A call
//! that breaks a rule only because the world changed after it happened (do-not-call set
//! later, HCP realigned since) is kept with a flag; signed samples are facts and are never
//! dropped, only flagged for compliance.

use crate::auth::Principal;
use crate::samples::mutations::{self as sample_mutations, Verdict};
use crate::sync::Evaluation;
use crate::{Result, Store};
use pharmacrm_domain::call::{Call, CallInput, HcpFacts, Rejection};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::mutation::MutationOutcome;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::sample::check::Finding;
use pharmacrm_domain::sample::limits::Severity;
use pharmacrm_domain::FieldError;
use pharmacrm_storage::addresses::Addressee;
use pharmacrm_storage::samples::Effect;
use std::collections::HashSet;
use uuid::Uuid;

/// Judges a pushed call report and returns what to write.
pub async fn submit(store: &Store, principal: &Principal, input: CallInput) -> Result<Evaluation> {
    if let Err(e) = principal.require(Permission::ReportCalls) {
        return Evaluation::of_error(e, "the mutation is not allowed");
    }
    if let Some(refusal) = refuse_reference(store, principal, &input).await? {
        return Ok(refusal);
    }
    let mut input = input;
    follow_merges(store, &mut input).await?;
    let (facts, first_territory) = hcp_facts(store, principal, &input).await?;
    let (mut flags, kept) = match judge(store, principal, &input, &facts).await? {
        Ok(judged) => judged,
        Err(refusal) => return Ok(refusal),
    };
    let mut effects = Vec::new();
    if let Some(d) = &input.disbursement {
        match sample_mutations::disbursement_effects(store, principal, &input, d).await? {
            Ok((mut sample_effects, findings)) => {
                flags.extend(sample_mutations::flagged(&findings));
                if let (Some(rejection), Some(hcp)) = (&kept, input.hcp_ids.first()) {
                    // The call rule the samples were kept despite goes to compliance too.
                    sample_mutations::raise_exception(
                        &mut sample_effects,
                        d.id,
                        principal.user.id,
                        *hcp,
                        Finding {
                            code: rejection.code,
                            severity: Severity::Error,
                            field: "hcp".into(),
                            message: rejection.message.clone(),
                        },
                    );
                }
                effects.extend(sample_effects);
            }
            Err(refusal @ (Verdict::Refuse(_) | Verdict::RefuseAndReport { .. })) => {
                return Ok(refusal.into())
            }
            Err(Verdict::Apply { .. }) => {}
        }
    }
    if fair_balance_missing(store, &input).await? {
        flags.push(Code::FairBalance);
    }
    let outcome = MutationOutcome::applied(flags, "recorded; flagged for review (see the codes)");
    let call = call_of(store, principal, input, first_territory, &outcome).await?;
    effects.insert(0, Effect::Call(call));
    Ok(Evaluation { outcome, effects })
}

/// A call id seen before, a correction of someone else's call, or a correction carrying
/// samples: refused before any rule runs.
async fn refuse_reference(
    store: &Store,
    principal: &Principal,
    input: &CallInput,
) -> Result<Option<Evaluation>> {
    if store.call_by_id(input.id).await?.is_some() {
        return Ok(Some(Evaluation::rejected(
            Code::DuplicateCall,
            "a call with this id was already submitted",
            vec![],
        )));
    }
    let Some(original) = input.corrects else {
        return Ok(None);
    };
    let own = store
        .call_by_id(original)
        .await?
        .is_some_and(|c| c.rep_id == principal.user.id);
    if !own {
        return Ok(Some(invalid(
            "the corrected call is unknown",
            "corrects",
            "is not one of your calls",
        )));
    }
    if input.disbursement.is_some() {
        // A signature is captured when samples leave the trunk; a later correction cannot
        // carry one. The original call's signed record stands; stock moves are corrected by
        // a return or loss report.
        return Ok(Some(invalid(
            "a correction cannot record samples",
            "disbursement",
            "samples cannot be added by a correction; the signed record of the call stands",
        )));
    }
    Ok(None)
}

fn invalid(message: &str, field: &str, problem: &str) -> Evaluation {
    Evaluation::rejected(
        Code::ValidationFailed,
        message,
        vec![FieldError {
            field: field.into(),
            message: problem.into(),
        }],
    )
}

/// An HCP merged while the device was offline: the call goes to the survivor. (A signed
/// disbursement stays bound to the record it was signed for.)
async fn follow_merges(store: &Store, input: &mut CallInput) -> Result<()> {
    if input.disbursement.is_some() {
        return Ok(());
    }
    for id in input.hcp_ids.iter_mut() {
        if let Some(live) = store.live_hcp_id(*id).await? {
            *id = live;
        }
    }
    Ok(())
}

/// What the call rules need of each attendee, and the territory of the first one at the
/// call's time (the call is attributed to it). Each HCP is judged where they were then (their
/// address at that instant) under the alignment in force then (a realignment published
/// later that day governs only from its publication), against the rep's territories of
/// that day.
async fn hcp_facts(
    store: &Store,
    principal: &Principal,
    input: &CallInput,
) -> Result<(Vec<HcpFacts>, Option<Uuid>)> {
    let at = input.called_at;
    let then = store
        .scope_of_on(principal.user.id, principal.user.role, at.date_naive())
        .await?;
    let now = store.now();
    let mut facts = Vec::new();
    let mut first_territory = None;
    for hcp in store.hcp_call_facts(&input.hcp_ids).await? {
        let zip_then = store
            .zip_at(Addressee::Hcp, hcp.id, at)
            .await?
            .unwrap_or_else(|| hcp.zip.clone());
        let territory_then = store.territory_of_zip_at(&zip_then, at).await?;
        let territory_now = store.territory_of_zip_at(&hcp.zip, now).await?;
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
    Ok((facts, first_territory))
}

/// Whether the call's account (if any) was in the rep's territories at the call's time,
/// or is now.
async fn account_in_scope(store: &Store, principal: &Principal, input: &CallInput) -> Result<bool> {
    let Some(id) = input.account_id else {
        return Ok(true);
    };
    if store.account(&principal.scope, id).await?.is_some() {
        return Ok(true);
    }
    let at = input.called_at;
    let then = store
        .scope_of_on(principal.user.id, principal.user.role, at.date_naive())
        .await?;
    let territory = store.account_territory_at(id, at).await?;
    Ok(territory.is_some() && then.includes(territory))
}

/// The call rules: the flags to record, or the refusal. Signed samples already left the
/// trunk, so a call carrying them is kept and flagged instead of refused (a malformed report
/// is still refused); the rule it was kept despite is returned with the flags.
async fn judge(
    store: &Store,
    principal: &Principal,
    input: &CallInput,
    facts: &[HcpFacts],
) -> Result<std::result::Result<(Vec<Code>, Option<Rejection>), Evaluation>> {
    let products: HashSet<Uuid> = store.products().await?.into_iter().map(|p| p.id).collect();
    let account_ok = account_in_scope(store, principal, input).await?;
    let checked = input.check(
        facts,
        |p| products.contains(&p),
        |_| account_ok,
        store.now(),
    );
    Ok(match checked {
        Ok(flags) => Ok((flags, None)),
        Err(rejection)
            if input.disbursement.is_some() && rejection.code != Code::ValidationFailed =>
        {
            Ok((vec![rejection.code], Some(rejection)))
        }
        Err(rejection) => Err(Evaluation::rejected(
            rejection.code,
            rejection.message,
            rejection.errors.0,
        )),
    })
}

async fn fair_balance_missing(store: &Store, input: &CallInput) -> Result<bool> {
    let key_messages = store.key_messages().await?;
    Ok(
        !pharmacrm_domain::call::fair_balance_gaps(&key_messages, &input.key_message_ids)
            .is_empty(),
    )
}

/// The call as stored: attributed to the first attendee's territory, district and region on
/// the call's day.
async fn call_of(
    store: &Store,
    principal: &Principal,
    input: CallInput,
    first_territory: Option<Uuid>,
    outcome: &MutationOutcome,
) -> Result<Call> {
    let (district_id, region_id) = match first_territory {
        Some(t) => pharmacrm_domain::org::district_and_region(&store.org_tree().await?, t),
        None => (None, None),
    };
    Ok(Call {
        id: input.id,
        rep_id: principal.user.id,
        rep_name: principal.user.display_name.clone(),
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
        flags: outcome.flags.clone(),
        submitted_at: store.now_timestamp(),
        key_message_ids: input.key_message_ids,
        disbursement_id: input.disbursement.as_ref().map(|d| d.id),
    })
}

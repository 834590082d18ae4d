//! The sync protocol's transport (docs/sync.md): a device's mutations applied at most once,
//! in id order, each answered `applied`, `applied_with_flag` or `rejected`; and pulls of what
//! changed. What a mutation *does* belongs to the service that owns it (`calls::submit`,
//! `samples::mutations`, `stewardship`); this module only reads, routes, records and answers.
//! The wire types are in [`protocol`].

pub mod protocol;
mod pull;

pub use protocol::{
    Change, Entity, Mutation, MutationBody, MutationKind, MutationResult, Op, Phase, PushRequest,
    PushResult, ReceivedMutation, SyncPage, MAX_MUTATIONS, MAX_PULL,
};
pub use pull::pull;

use crate::auth::Principal;
use crate::{calls, samples, stewardship};
use crate::{Result, ServiceError, Store};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::mutation::MutationOutcome;
use pharmacrm_domain::{FieldError, ValidationErrors};
use pharmacrm_storage::calls::RecordedMutation;
use pharmacrm_storage::samples::guard::Seen;
use pharmacrm_storage::samples::Effect;
use pharmacrm_storage::StorageError;

/// What the owning service decided for one mutation: the answer, and what to write with it
/// (in the mutation's one transaction).
#[derive(Debug)]
pub struct Evaluation {
    pub outcome: MutationOutcome,
    pub effects: Vec<Effect>,
}

impl Evaluation {
    /// An answer with nothing for sync to write (rejected, or written by its service).
    pub fn answered(outcome: MutationOutcome) -> Evaluation {
        Evaluation {
            outcome,
            effects: Vec::new(),
        }
    }

    pub fn rejected(code: Code, message: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self::answered(MutationOutcome::rejected(code, message, errors))
    }

    /// The sync answer to a service error a user can act on; other errors stay errors
    /// (the push fails and the device retries).
    pub fn of_error(err: ServiceError, invalid: &str) -> Result<Evaluation> {
        let outcome = match err {
            ServiceError::Validation(errors) => {
                MutationOutcome::rejected(Code::ValidationFailed, invalid, errors.0)
            }
            ServiceError::Conflict { code, message } => {
                MutationOutcome::rejected(code, message, vec![])
            }
            ServiceError::NotFound(what) => {
                MutationOutcome::rejected(Code::NotFound, format!("{what} not found"), vec![])
            }
            ServiceError::Forbidden(message) => {
                MutationOutcome::rejected(Code::Forbidden, message, vec![])
            }
            other => return Err(other),
        };
        Ok(Self::answered(outcome))
    }
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
    let mut mutations: Vec<&ReceivedMutation> = request.mutations.iter().collect();
    mutations.sort_by_key(|m| m.id);
    let mut results = Vec::new();
    for m in mutations {
        let outcome = match store.mutation_outcome(m.id, principal.user.id).await? {
            Some(done) => done,
            None => apply_once(store, principal, request, m).await?,
        };
        results.push(MutationResult::new(m.id, outcome));
    }
    Ok(PushResult { results })
}

/// How many times a mutation is decided again because what it read changed before it could
/// be written; past that the push answers 503 and the device retries later.
const DECISION_ATTEMPTS: usize = 8;

/// Decides a mutation not seen before and records it with its effects. A decision that
/// depends on other rows (stock, limits) is taken again on fresh data if those rows changed
/// before it was written. A race lost while writing (the same mutation applied concurrently,
/// a record id taken, a shipment received meanwhile) is answered, never an error.
async fn apply_once(
    store: &Store,
    principal: &Principal,
    request: &PushRequest,
    m: &ReceivedMutation,
) -> Result<MutationOutcome> {
    for _ in 0..DECISION_ATTEMPTS {
        let (seen, evaluation) = match m.read() {
            Ok(body) => {
                let sets = samples::mutations::guarded(principal.user.id, &body);
                let seen = store.seen(&sets).await?;
                (seen, evaluate(store, principal, body).await?)
            }
            Err(unreadable) => (Vec::new(), Evaluation::answered(unreadable)),
        };
        match record(store, principal, request, m, evaluation, &seen).await {
            Err(ServiceError::Storage(StorageError::Stale)) => continue,
            answered => return answered,
        }
    }
    Err(StorageError::Stale.into())
}

/// Records a decided mutation; see [`apply_once`].
async fn record(
    store: &Store,
    principal: &Principal,
    request: &PushRequest,
    m: &ReceivedMutation,
    evaluation: Evaluation,
    seen: &[Seen],
) -> Result<MutationOutcome> {
    let Evaluation {
        mut outcome,
        mut effects,
    } = evaluation;
    let actor = principal.actor();
    let kind = m.recorded_kind();
    loop {
        let written = store
            .record_mutation(
                &actor,
                &RecordedMutation {
                    client_id: request.client_id,
                    mutation_id: m.id,
                    kind: &kind,
                    effects: &effects,
                    seen,
                    outcome: &outcome,
                },
            )
            .await;
        match written {
            Ok(()) => return Ok(outcome),
            // The same mutation arrived concurrently and won: answer as it was answered. An id
            // another user sent is refused, and tells nothing of that user's mutation.
            Err(StorageError::MutationSeen) => {
                let theirs = store.mutation_outcome(m.id, principal.user.id).await?;
                return Ok(theirs.unwrap_or_else(|| {
                    MutationOutcome::rejected(
                        Code::Conflict,
                        "this mutation id is taken; send the record again as a new mutation",
                        vec![],
                    )
                }));
            }
            Err(StorageError::Duplicate { code, entity, .. }) if !effects.is_empty() => {
                effects.clear();
                outcome = MutationOutcome::rejected(
                    code,
                    format!("a {entity} with this id was already recorded"),
                    vec![],
                );
            }
            // Lost a race (e.g. two devices acknowledging one shipment).
            Err(StorageError::NotFound(what)) if !effects.is_empty() => {
                effects.clear();
                outcome = MutationOutcome::rejected(
                    Code::Conflict,
                    format!("{what} changed meanwhile"),
                    vec![],
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Routes a mutation to the service that owns its kind.
async fn evaluate(store: &Store, principal: &Principal, body: MutationBody) -> Result<Evaluation> {
    match body {
        MutationBody::CallSubmit(input) => calls::submit(store, principal, input).await,
        MutationBody::HcpPropose(proposal) => {
            stewardship::pushed_proposal(store, principal, &proposal).await
        }
        MutationBody::HcpChange(proposal) => {
            stewardship::pushed_change(store, principal, &proposal).await
        }
        sample @ (MutationBody::SampleRequest(_)
        | MutationBody::SampleReceive(_)
        | MutationBody::SampleTransfer(_)
        | MutationBody::SampleReturn(_)
        | MutationBody::SampleDestroy(_)
        | MutationBody::SampleLoss(_)
        | MutationBody::SampleCount(_)) => {
            samples::mutations::evaluate(store, principal, sample).await
        }
    }
}

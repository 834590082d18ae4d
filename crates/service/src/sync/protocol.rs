//! The sync protocol's types, in one file (docs/sync.md): what a device pushes (a tagged
//! union of mutations, each with its payload), what it is answered (status, code, flags),
//! and what a pull sends back (changes to one entity each, in phases). Every kind, status,
//! entity, op and phase is an enum here and in the OpenAPI document, so the web app's types
//! are generated from these, never retyped.

use crate::samples::mutations::{
    CountInput, LossInput, MoveInput, ReceiveInput, SampleRequestInput,
};
use crate::stewardship::{ChangeProposal, HcpProposal};
use pharmacrm_domain::call::CallInput;
use pharmacrm_domain::code::Code;
use pharmacrm_domain::strict_json;
use pharmacrm_domain::validation::{control_characters, printable};
use pharmacrm_domain::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use pharmacrm_domain::mutation::{MutationOutcome, MutationStatus};

/// Most mutations one push may carry.
pub const MAX_MUTATIONS: usize = 500;

/// Largest page a pull returns.
pub const MAX_PULL: i64 = 2000;

macro_rules! mutation_kinds {
    ($($(#[doc = $doc:tt])+ $variant:ident($payload:ty) = $text:tt,)+) => {
        /// What a mutation does.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        pub enum MutationKind {
            $($(#[doc = $doc])+ #[serde(rename = $text)] $variant,)+
        }

        /// A mutation's kind with its payload (`kind` and `payload` on the wire).
        #[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
        #[serde(tag = "kind", content = "payload")]
        pub enum MutationBody {
            $($(#[doc = $doc])+ #[serde(rename = $text)] $variant($payload),)+
        }

        impl MutationKind {
            pub const ALL: &'static [MutationKind] = &[$(MutationKind::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(MutationKind::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<MutationKind> {
                match text {
                    $($text => Some(MutationKind::$variant),)+
                    _ => None,
                }
            }
        }

        impl MutationBody {
            pub fn kind(&self) -> MutationKind {
                match self {
                    $(MutationBody::$variant(_) => MutationKind::$variant,)+
                }
            }
        }
    };
}

mutation_kinds! {
    /// A call report, with its signed sample disbursement if samples were given.
    CallSubmit(CallInput) = "call.submit",
    /// An HCP's signed request for samples shipped by headquarters.
    SampleRequest(SampleRequestInput) = "sample.request",
    /// The rep acknowledges a shipment or transfer with what arrived.
    SampleReceive(ReceiveInput) = "sample.receive",
    /// Samples sent to another rep.
    SampleTransfer(MoveInput) = "sample.transfer",
    /// Samples returned to headquarters.
    SampleReturn(MoveInput) = "sample.return",
    /// A witnessed destruction of samples.
    SampleDestroy(MoveInput) = "sample.destroy",
    /// Samples lost or stolen.
    SampleLoss(LossInput) = "sample.loss",
    /// A physical inventory count.
    SampleCount(CountInput) = "sample.count",
    /// A rep proposes a new HCP for the stewards.
    HcpPropose(HcpProposal) = "hcp.propose",
    /// A rep proposes a change to an HCP for the stewards.
    HcpChange(ChangeProposal) = "hcp.change",
}

/// One mutation as a device sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Mutation {
    /// UUIDv7 made on the device; applying the same id twice has the effect of once.
    pub id: Uuid,
    pub client_ts: String,
    #[serde(flatten)]
    pub body: MutationBody,
}

/// A mutation as received, before its kind and payload are read: one that cannot be read
/// is answered `rejected` on its own, and never fails the push it came in (a device whose
/// outbox holds it would otherwise retry forever and apply nothing queued behind it).
/// Its fields are read strictly like every body's, except that a field the mutation does not
/// declare is kept in `undeclared` (and the mutation rejected for it) rather than failing
/// the push.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReceivedMutation {
    pub id: Uuid,
    #[serde(default)]
    pub client_ts: String,
    pub kind: String,
    #[serde(default)]
    pub payload: serde_json::Value,
    #[serde(flatten, skip_serializing)]
    pub undeclared: serde_json::Map<String, serde_json::Value>,
}

impl ReceivedMutation {
    /// The kind as recorded: the known kind's name, or the received text made printable.
    pub fn recorded_kind(&self) -> String {
        match MutationKind::parse(&self.kind) {
            Some(kind) => kind.as_str().to_string(),
            None => printable(&self.kind).chars().take(100).collect(),
        }
    }

    /// The typed mutation, or the answer to a mutation that cannot be read: an unknown kind,
    /// a text holding a control character, a field it does not declare, a payload of the
    /// wrong shape (read strictly: an object where the kind has one, no undeclared field).
    pub fn read(&self) -> Result<MutationBody, MutationOutcome> {
        let Some(kind) = MutationKind::parse(&self.kind) else {
            return Err(MutationOutcome::rejected(
                Code::UnknownKind,
                format!(
                    "'{}' is not a mutation this server knows",
                    self.recorded_kind()
                ),
                vec![],
            ));
        };
        let controls = control_characters(&self.payload, "payload");
        if !controls.is_empty() {
            return Err(MutationOutcome::rejected(
                Code::ValidationFailed,
                format!("the {} payload holds control characters", kind.as_str()),
                controls.0,
            ));
        }
        if let Some(name) = self.undeclared.keys().next() {
            return Err(MutationOutcome::rejected(
                Code::ValidationFailed,
                format!(
                    "the {} mutation has a field it does not declare",
                    kind.as_str()
                ),
                vec![FieldError {
                    field: printable(name).chars().take(100).collect(),
                    message: "unknown field".into(),
                }],
            ));
        }
        let tagged = serde_json::json!({ "kind": kind, "payload": self.payload });
        strict_json::from_value(&tagged).map_err(|e| {
            MutationOutcome::rejected(
                Code::ValidationFailed,
                format!("the {} payload cannot be read", kind.as_str()),
                vec![FieldError {
                    field: "payload".into(),
                    message: e.to_string(),
                }],
            )
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PushRequest {
    /// One id per device install.
    pub client_id: Uuid,
    #[schema(value_type = Vec<Mutation>)]
    pub mutations: Vec<ReceivedMutation>,
}

/// The answer to one mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MutationResult {
    pub mutation_id: Uuid,
    pub status: MutationStatus,
    /// Why it was rejected; `linked` for a proposal linked to an existing HCP; for
    /// `applied_with_flag`, the first of `flags`.
    pub code: Option<Code>,
    /// Every flag of an `applied_with_flag` mutation (what compliance will review).
    #[serde(default)]
    pub flags: Vec<Code>,
    pub message: Option<String>,
    pub errors: Vec<FieldError>,
}

impl MutationResult {
    pub fn new(mutation_id: Uuid, outcome: MutationOutcome) -> MutationResult {
        MutationResult {
            mutation_id,
            status: outcome.status,
            code: outcome.code,
            flags: outcome.flags,
            message: outcome.message,
            errors: outcome.errors,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushResult {
    pub results: Vec<MutationResult>,
}

/// The kind of record a change carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// `Hcp`
    Hcp,
    /// `AccountSummary`
    Account,
    /// `Call`
    Call,
    /// `Product`
    Product,
    /// `FrequencyTarget`
    Target,
    /// `Picklists` (id `picklists`)
    Picklists,
    /// `SampleBook` (id `samples`; reps only)
    Samples,
    /// `Notice`
    Notice,
    /// `DataRequest` (the user's own)
    DataRequest,
    /// `DeviceModel` (id `matching`)
    Matching,
}

impl Entity {
    pub const ALL: [Entity; 10] = [
        Entity::Hcp,
        Entity::Account,
        Entity::Call,
        Entity::Product,
        Entity::Target,
        Entity::Picklists,
        Entity::Samples,
        Entity::Notice,
        Entity::DataRequest,
        Entity::Matching,
    ];
}

/// What to do with the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Put,
    Delete,
}

impl Op {
    pub const ALL: [Op; 2] = [Op::Put, Op::Delete];
}

/// One record to put or delete on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    pub entity: Entity,
    pub id: String,
    pub op: Op,
    /// The record, of the schema `entity` names; null for a delete.
    #[schema(value_type = Object)]
    pub data: Option<serde_json::Value>,
}

/// The phases of a checkpoint, in the order a pull sends them: most important first (the
/// plan needs pick lists, products, targets and tier-A HCPs before anything else); phases
/// added later go last, so cursors handed out before them keep their meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Picklists,
    Products,
    Targets,
    Samples,
    HcpsTierA,
    HcpsTierB,
    HcpsTierC,
    HcpsUntiered,
    Accounts,
    Calls,
    Notices,
    Requests,
    Matching,
}

impl Phase {
    /// Every phase, in order; a cursor records its position in this list.
    pub const ALL: [Phase; 13] = [
        Phase::Picklists,
        Phase::Products,
        Phase::Targets,
        Phase::Samples,
        Phase::HcpsTierA,
        Phase::HcpsTierB,
        Phase::HcpsTierC,
        Phase::HcpsUntiered,
        Phase::Accounts,
        Phase::Calls,
        Phase::Notices,
        Phase::Requests,
        Phase::Matching,
    ];
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
    /// The phase the next page continues with (absent once the checkpoint is complete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_phase: Option<Phase>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_text() {
        for kind in MutationKind::ALL {
            assert_eq!(MutationKind::parse(kind.as_str()), Some(*kind));
            assert_eq!(
                serde_json::to_value(kind).expect("serialises"),
                serde_json::json!(kind.as_str())
            );
        }
    }

    #[test]
    fn an_unknown_kind_or_unreadable_payload_is_rejected_with_a_code() {
        let unknown = ReceivedMutation {
            id: Uuid::nil(),
            client_ts: String::new(),
            kind: "call.delete".into(),
            payload: serde_json::json!({}),
            undeclared: Default::default(),
        };
        assert_eq!(unknown.read().unwrap_err().code, Some(Code::UnknownKind));
        let unreadable = ReceivedMutation {
            kind: "call.submit".into(),
            payload: serde_json::json!({"hcp_ids": "not a list"}),
            ..unknown
        };
        let answer = unreadable.read().unwrap_err();
        assert_eq!(answer.code, Some(Code::ValidationFailed));
        assert_eq!(answer.errors[0].field, "payload");
    }
}

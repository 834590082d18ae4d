//! The answer to a pushed sync mutation: applied, applied with flags, or rejected with a
//! code. The mutations themselves and the rest of the protocol are in
//! `pharmacrm_service::sync::protocol`; the answer lives here because storage keeps it, so a
//! replayed mutation gets the answer it got the first time.

use crate::code::Code;
use crate::validation::printable;
use crate::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What became of a mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    /// Recorded.
    Applied,
    /// Recorded, and flagged for review (`flags` says why).
    AppliedWithFlag,
    /// Not recorded (`code` says why); the device keeps it for the user to fix or discard.
    Rejected,
}

impl MutationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MutationStatus::Applied => "applied",
            MutationStatus::AppliedWithFlag => "applied_with_flag",
            MutationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<MutationStatus> {
        match text {
            "applied" => Some(MutationStatus::Applied),
            "applied_with_flag" => Some(MutationStatus::AppliedWithFlag),
            "rejected" => Some(MutationStatus::Rejected),
            _ => None,
        }
    }

    /// Whether the mutation's effects were written.
    pub fn is_applied(self) -> bool {
        self != MutationStatus::Rejected
    }
}

/// The answer to one mutation, as stored and as sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutationOutcome {
    pub status: MutationStatus,
    /// Why it was rejected; `linked` for a proposal linked to an existing HCP; for an applied
    /// mutation with flags, the first flag (so a client reading only `code` sees one).
    pub code: Option<Code>,
    /// Every flag of an `applied_with_flag` mutation, sorted.
    pub flags: Vec<Code>,
    pub message: Option<String>,
    pub errors: Vec<FieldError>,
}

impl MutationOutcome {
    /// Applied; with flags, `applied_with_flag` and the message explaining them.
    pub fn applied(mut flags: Vec<Code>, message: &str) -> MutationOutcome {
        flags.sort();
        flags.dedup();
        let flagged = !flags.is_empty();
        MutationOutcome {
            status: if flagged {
                MutationStatus::AppliedWithFlag
            } else {
                MutationStatus::Applied
            },
            code: flags.first().copied(),
            message: flagged.then(|| message.to_string()),
            flags,
            errors: Vec::new(),
        }
    }

    /// Applied, with a code that is not a flag (e.g. `linked`) and what it means.
    pub fn applied_as(code: Code, message: Option<String>) -> MutationOutcome {
        MutationOutcome {
            status: MutationStatus::Applied,
            code: Some(code),
            flags: Vec::new(),
            message,
            errors: Vec::new(),
        }
    }

    /// Rejected. The message and field errors may echo input; they are kept printable, since
    /// the answer is stored and a text the database refuses would fail the whole push.
    pub fn rejected(
        code: Code,
        message: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> MutationOutcome {
        MutationOutcome {
            status: MutationStatus::Rejected,
            code: Some(code),
            flags: Vec::new(),
            message: Some(printable(&message.into())),
            errors: errors
                .into_iter()
                .map(|e| FieldError {
                    field: printable(&e.field),
                    message: printable(&e.message),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_applied_mutation_with_flags_lists_them_sorted_once() {
        let o = MutationOutcome::applied(
            vec![Code::SampleLimit, Code::FairBalance, Code::SampleLimit],
            "flagged",
        );
        assert_eq!(o.status, MutationStatus::AppliedWithFlag);
        assert_eq!(o.flags, vec![Code::FairBalance, Code::SampleLimit]);
        assert_eq!(o.code, Some(Code::FairBalance));
        assert_eq!(
            MutationOutcome::applied(vec![], "unused").status,
            MutationStatus::Applied
        );
    }

    #[test]
    fn every_status_reads_back() {
        for s in [
            MutationStatus::Applied,
            MutationStatus::AppliedWithFlag,
            MutationStatus::Rejected,
        ] {
            assert_eq!(MutationStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).expect("serialises"),
                format!("\"{}\"", s.as_str())
            );
        }
    }
}

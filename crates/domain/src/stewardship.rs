//! HCP master data stewardship: what a rep may propose (a new HCP, or a change to one's
//! specialty, address, phone, status or affiliation), how a proposed change reads as
//! "field: from → to", and how it applies to the record once a data steward approves it.

use crate::address::Address;
use crate::hcp::{HcpInput, HcpRecord, HcpStatus};
use crate::validation::{optional, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Longest note or decision reason.
pub const MAX_NOTE: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    NewHcp,
    Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    /// A proposed HCP found to be an existing one: merged into it.
    Merged,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::NewHcp => "new_hcp",
            RequestKind::Change => "change",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "new_hcp" => Ok(RequestKind::NewHcp),
            "change" => Ok(RequestKind::Change),
            other => Err(format!("'{other}' is not new_hcp or change")),
        }
    }
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Merged => "merged",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "pending" => Ok(RequestStatus::Pending),
            "approved" => Ok(RequestStatus::Approved),
            "rejected" => Ok(RequestStatus::Rejected),
            "merged" => Ok(RequestStatus::Merged),
            other => Err(format!(
                "'{other}' is not one of pending, approved, rejected, merged"
            )),
        }
    }
}

/// An affiliation a rep proposes to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProposedAffiliation {
    pub account_id: Uuid,
    /// E.g. "Attending physician".
    #[serde(default)]
    pub role: String,
}

/// The fields a rep proposes to change; those left out stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HcpChange {
    #[serde(default)]
    pub specialty_code: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub status: Option<HcpStatus>,
    #[serde(default)]
    pub affiliation: Option<ProposedAffiliation>,
}

/// One proposed field change as shown to stewards and reps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

fn address_text(a: &Address) -> String {
    let line2 = a
        .line2
        .as_deref()
        .map(|l| format!(", {l}"))
        .unwrap_or_default();
    format!("{}{line2}, {}, {} {}", a.line1, a.city, a.state, a.zip)
}

impl HcpChange {
    /// The HCP input with this change applied (validated by the caller as any input).
    pub fn apply(&self, record: &HcpRecord) -> HcpInput {
        let mut input = record.to_input();
        if let Some(code) = &self.specialty_code {
            input.specialty_code = code.clone();
        }
        if let Some(address) = &self.address {
            input.address = address.clone();
        }
        if let Some(phone) = &self.phone {
            input.phone = Some(phone.clone());
        }
        if let Some(status) = self.status {
            input.status = status;
        }
        input
    }

    /// Checks the change on its own: something must change, the note is bounded, and the
    /// changed record must still pass every HCP rule (errors name the change's fields).
    pub fn validate(
        &self,
        record: &HcpRecord,
        note: Option<&str>,
        specialty_known: impl Fn(&str) -> bool,
    ) -> Result<HcpRecord, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let after = self.apply(record).validate(specialty_known);
        let after = match after {
            Ok(after) => Some(after),
            Err(e) => {
                for err in e.0 {
                    errors.add(err.field, err.message);
                }
                None
            }
        };
        if let Some(after) = &after {
            if after == record && self.affiliation.is_none() {
                errors.add("changes", "change at least one field");
            }
        }
        if optional(note).is_some_and(|n| n.chars().count() > MAX_NOTE) {
            errors.add("note", format!("must be at most {MAX_NOTE} characters"));
        }
        match after {
            Some(after) if errors.is_empty() => Ok(after),
            _ => Err(errors),
        }
    }

    /// "field: from → to" lines between `before` and the changed record `after`.
    pub fn describe(
        &self,
        before: &HcpRecord,
        after: &HcpRecord,
        affiliation_name: Option<&str>,
    ) -> Vec<FieldChange> {
        let mut out = Vec::new();
        let mut push = |field: &str, from: String, to: String| {
            if from != to {
                out.push(FieldChange {
                    field: field.into(),
                    from,
                    to,
                });
            }
        };
        push(
            "specialty_code",
            before.specialty_code.clone(),
            after.specialty_code.clone(),
        );
        push(
            "address",
            address_text(&before.address),
            address_text(&after.address),
        );
        push(
            "phone",
            before.phone.clone().unwrap_or_default(),
            after.phone.clone().unwrap_or_default(),
        );
        push(
            "status",
            before.status.as_str().into(),
            after.status.as_str().into(),
        );
        if let Some(a) = &self.affiliation {
            let name = affiliation_name
                .map(str::to_string)
                .unwrap_or_else(|| a.account_id.to_string());
            let role = if a.role.trim().is_empty() {
                String::new()
            } else {
                format!(" ({})", a.role.trim())
            };
            push("affiliation", String::new(), format!("{name}{role}"));
        }
        out
    }
}

/// Checks a steward's decision reason: required to reject, optional to approve.
pub fn check_reason(
    reason: Option<&str>,
    required: bool,
) -> Result<Option<String>, ValidationErrors> {
    let reason = optional(reason);
    match &reason {
        None if required => Err(ValidationErrors::single("reason", "is required")),
        Some(r) if r.chars().count() > MAX_NOTE => Err(ValidationErrors::single(
            "reason",
            format!("must be at most {MAX_NOTE} characters"),
        )),
        _ => Ok(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> HcpRecord {
        crate::hcp::tests::sample_input()
            .validate(|_| true)
            .unwrap()
    }

    #[test]
    fn a_change_applies_and_describes_itself() {
        let before = record();
        let change = HcpChange {
            status: Some(HcpStatus::Retired),
            phone: Some("617-555-0199".into()),
            ..HcpChange::default()
        };
        let after = change
            .validate(&before, Some("retired in June"), |_| true)
            .unwrap();
        assert_eq!(after.status, HcpStatus::Retired);
        let lines = change.describe(&before, &after, None);
        assert_eq!(
            lines.iter().map(|l| l.field.as_str()).collect::<Vec<_>>(),
            vec!["phone", "status"]
        );
        assert_eq!(lines[1].to, "retired");
    }

    #[test]
    fn an_empty_or_bad_change_is_refused_field_by_field() {
        let before = record();
        let errors = HcpChange::default()
            .validate(&before, None, |_| true)
            .unwrap_err();
        assert_eq!(errors.0[0].field, "changes");
        let bad = HcpChange {
            specialty_code: Some("NOPE".into()),
            phone: Some("12".into()),
            ..HcpChange::default()
        };
        let errors = bad
            .validate(&before, None, |c| c == "207RC0000X")
            .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["specialty_code", "phone"]);
        assert!(check_reason(Some(" "), true).is_err());
        assert_eq!(check_reason(None, false).unwrap(), None);
    }
}

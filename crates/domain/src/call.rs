//! Calls: a rep's interaction with one HCP (or several, in a group call), reported in at
//! most five manual inputs. Submitted calls are facts: a correction is a new call linked
//! to the original. [`CallInput::check`] holds every rule; the server runs it at push time
//! and the field app runs the same rules offline from the data the server ships.

use crate::code::Code;
use crate::hcp::HcpStatus;
use crate::validation::ValidationErrors;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallType {
    InPerson,
    RemoteVideo,
    Phone,
    Group,
}

impl CallType {
    pub const ALL: [CallType; 4] = [
        CallType::InPerson,
        CallType::RemoteVideo,
        CallType::Phone,
        CallType::Group,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallType::InPerson => "in_person",
            CallType::RemoteVideo => "remote_video",
            CallType::Phone => "phone",
            CallType::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        CallType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    fn label(self) -> &'static str {
        match self {
            CallType::InPerson => "In person",
            CallType::RemoteVideo => "Remote (video)",
            CallType::Phone => "Phone",
            CallType::Group => "Group call",
        }
    }
}

/// Outcomes a rep picks from.
pub const OUTCOMES: [(&str, &str); 6] = [
    ("interested", "Interested"),
    ("will_prescribe", "Will prescribe / trial"),
    ("needs_information", "Needs more information"),
    ("objection", "Raised an objection"),
    ("not_interested", "Not interested"),
    ("brief_contact", "Brief contact only"),
];

/// Next steps a rep picks from.
pub const NEXT_STEPS: [(&str, &str); 6] = [
    ("follow_up_visit", "Follow-up visit"),
    ("send_information", "Send information"),
    ("deliver_samples", "Deliver samples"),
    ("invite_to_event", "Invite to event"),
    ("medical_inquiry", "Refer to medical affairs"),
    ("none", "No next step"),
];

/// A code and its label in a pick list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// The pick lists of the call report, shipped to devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Picklists {
    pub outcomes: Vec<Choice>,
    pub next_steps: Vec<Choice>,
    pub call_types: Vec<Choice>,
}

pub fn picklists() -> Picklists {
    let choices = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(c, l)| Choice {
                code: c.to_string(),
                label: l.to_string(),
            })
            .collect()
    };
    Picklists {
        outcomes: choices(&OUTCOMES),
        next_steps: choices(&NEXT_STEPS),
        call_types: CallType::ALL
            .iter()
            .map(|t| Choice {
                code: t.as_str().into(),
                label: t.label().into(),
            })
            .collect(),
    }
}

/// A call as the field app submits it. Ids are created on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallInput {
    pub id: Uuid,
    pub call_type: CallType,
    /// The HCPs met: one, or two or more for a group call.
    pub hcp_ids: Vec<Uuid>,
    /// Where the call took place (required for a group call).
    #[serde(default)]
    pub account_id: Option<Uuid>,
    pub called_at: DateTime<Utc>,
    #[serde(default)]
    pub product_ids: Vec<Uuid>,
    pub outcome: String,
    pub next_step: String,
    #[serde(default)]
    pub next_step_date: Option<NaiveDate>,
    #[serde(default)]
    pub notes: Option<String>,
    /// The call this one corrects (a submitted call is never edited).
    #[serde(default)]
    pub corrects: Option<Uuid>,
    #[serde(default)]
    pub correction_reason: Option<String>,
    /// Key messages presented (benefit claims and risk information).
    #[serde(default)]
    pub key_message_ids: Vec<Uuid>,
    /// Samples given during the call, with the HCP's signature.
    #[serde(default)]
    pub disbursement: Option<crate::sample::DisbursementInput>,
}

/// A stored call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Call {
    pub id: Uuid,
    pub rep_id: Uuid,
    /// The rep's name, as the call history shows it (read with the call; not stored on it).
    #[serde(default)]
    pub rep_name: String,
    pub call_type: CallType,
    pub hcp_ids: Vec<Uuid>,
    pub account_id: Option<Uuid>,
    /// The territory the (first) HCP was aligned to on the day of the call.
    pub territory_id: Option<Uuid>,
    /// That territory's district and region on the day of the call.
    #[serde(default)]
    pub district_id: Option<Uuid>,
    #[serde(default)]
    pub region_id: Option<Uuid>,
    pub called_at: DateTime<Utc>,
    pub product_ids: Vec<Uuid>,
    pub outcome: String,
    pub next_step: String,
    pub next_step_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub corrects: Option<Uuid>,
    pub correction_reason: Option<String>,
    /// Rules the server found broken by a fact recorded offline (kept, never dropped).
    pub flags: Vec<Code>,
    pub submitted_at: String,
    #[serde(default)]
    pub key_message_ids: Vec<Uuid>,
    /// The signed disbursement recorded with the call, if samples were given.
    #[serde(default)]
    pub disbursement_id: Option<Uuid>,
}

/// What the rules need to know about one HCP of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HcpFacts {
    pub id: Uuid,
    pub status: HcpStatus,
    /// Do-not-call reason and when it was set, if flagged.
    pub do_not_call: Option<(String, Option<DateTime<Utc>>)>,
    /// Blacklist reason and when it was set, if compliance blacklisted the HCP.
    pub blacklisted: Option<(String, Option<DateTime<Utc>>)>,
    /// In the rep's territories on the day of the call.
    pub in_scope_on_call_day: bool,
    /// In the rep's territories today.
    pub in_scope_now: bool,
}

/// Why a call is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// `Blacklisted`, `DoNotCall`, `HcpNotInScope`, `HcpInactive` or `ValidationFailed`.
    pub code: Code,
    pub message: String,
    pub errors: ValidationErrors,
}

impl Rejection {
    fn new(code: Code, message: impl Into<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
            errors: ValidationErrors::new(),
        }
    }

    /// The call report is incomplete or invalid: `errors` says where.
    fn invalid(errors: ValidationErrors) -> Self {
        Rejection {
            errors,
            ..Rejection::new(
                Code::ValidationFailed,
                "the call report is incomplete or invalid",
            )
        }
    }
}

/// Longest free-text note.
pub const MAX_NOTES: usize = 2000;

impl CallInput {
    /// Checks the call against every rule. `hcps` has the facts of each of `hcp_ids`
    /// (missing ones are treated as out of scope); `products_known` and `account_known`
    /// tell whether referenced ids exist. On success, returns the flags to record: rules a
    /// fact recorded offline broke only because the world changed after it happened.
    pub fn check(
        &self,
        hcps: &[HcpFacts],
        products_known: impl Fn(Uuid) -> bool,
        account_known: impl Fn(Uuid) -> bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<Code>, Rejection> {
        let errors = self.shape_errors(products_known, account_known, now);
        if !errors.is_empty() {
            return Err(Rejection::invalid(errors));
        }
        self.hcp_flags(hcps)
    }

    /// Every field error of the report, in the order of the form: attendees, date, pick
    /// lists, references, notes, correction.
    fn shape_errors(
        &self,
        products_known: impl Fn(Uuid) -> bool,
        account_known: impl Fn(Uuid) -> bool,
        now: DateTime<Utc>,
    ) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        self.check_attendees(&mut errors);
        self.check_called_at(&mut errors, now);
        self.check_pick_lists(&mut errors);
        self.check_references(&mut errors, products_known, account_known);
        self.check_notes(&mut errors);
        self.check_correction(&mut errors);
        errors
    }

    /// Not in the future (ten minutes of leeway for a device's clock).
    fn check_called_at(&self, errors: &mut ValidationErrors, now: DateTime<Utc>) {
        if self.called_at > now + Duration::minutes(10) {
            errors.add("called_at", "is in the future");
        }
    }

    fn check_notes(&self, errors: &mut ValidationErrors) {
        if self
            .notes
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTES)
        {
            errors.add("notes", format!("must be at most {MAX_NOTES} characters"));
        }
    }

    /// One HCP for a call, two or more at an account for a group call, none listed twice.
    fn check_attendees(&self, errors: &mut ValidationErrors) {
        let mut unique = self.hcp_ids.clone();
        unique.sort();
        unique.dedup();
        if self.call_type == CallType::Group {
            if unique.len() < 2 {
                errors.add("hcp_ids", "a group call has at least two attendees");
            }
            if self.account_id.is_none() {
                errors.add("account_id", "a group call takes place at an account");
            }
        } else if unique.len() != 1 {
            errors.add(
                "hcp_ids",
                "name exactly one HCP (use a group call for several)",
            );
        }
        if unique.len() != self.hcp_ids.len() {
            errors.add("hcp_ids", "an HCP is listed twice");
        }
    }

    /// Outcome and next step from their pick lists, the next step's date not before the call.
    fn check_pick_lists(&self, errors: &mut ValidationErrors) {
        if !OUTCOMES.iter().any(|(c, _)| *c == self.outcome) {
            errors.add(
                "outcome",
                format!("'{}' is not an outcome of the pick list", self.outcome),
            );
        }
        if !NEXT_STEPS.iter().any(|(c, _)| *c == self.next_step) {
            errors.add(
                "next_step",
                format!("'{}' is not a next step of the pick list", self.next_step),
            );
        }
        if let Some(date) = self.next_step_date {
            if date < self.called_at.date_naive() {
                errors.add("next_step_date", "is before the call");
            }
        }
    }

    /// Products discussed and the account exist.
    fn check_references(
        &self,
        errors: &mut ValidationErrors,
        products_known: impl Fn(Uuid) -> bool,
        account_known: impl Fn(Uuid) -> bool,
    ) {
        for (i, p) in self.product_ids.iter().enumerate() {
            if !products_known(*p) {
                errors.add(format!("product_ids[{i}]"), "is not a product");
            }
        }
        if let Some(account) = self.account_id {
            if !account_known(account) {
                errors.add("account_id", "is not an account in your territories");
            }
        }
    }

    /// A correction says why.
    fn check_correction(&self, errors: &mut ValidationErrors) {
        if self.corrects.is_some()
            && self
                .correction_reason
                .as_ref()
                .is_none_or(|r| r.trim().is_empty())
        {
            errors.add("correction_reason", "a correction needs a reason");
        }
    }

    /// The flags the attendees' facts put on the call (sorted, once each), or the rejection
    /// of the first attendee that refuses it.
    fn hcp_flags(&self, hcps: &[HcpFacts]) -> Result<Vec<Code>, Rejection> {
        let mut flags = Vec::new();
        for id in &self.hcp_ids {
            let Some(hcp) = hcps.iter().find(|h| h.id == *id) else {
                return Err(Rejection::new(
                    Code::HcpNotInScope,
                    "the HCP is not in your territories",
                ));
            };
            flags.extend(self.flags_for_hcp(hcp)?);
        }
        flags.sort();
        flags.dedup();
        Ok(flags)
    }

    /// One attendee: in scope on the day of the call, not deceased, not blacklisted or
    /// do-not-call before the call; what changed after the call only flags it.
    fn flags_for_hcp(&self, hcp: &HcpFacts) -> Result<Vec<Code>, Rejection> {
        let mut flags = Vec::new();
        if !hcp.in_scope_on_call_day {
            return Err(Rejection::new(
                Code::HcpNotInScope,
                "the HCP was not in your territories on the day of the call",
            ));
        }
        if !hcp.in_scope_now {
            flags.push(Code::HcpRealignedSinceCall);
        }
        if hcp.status == HcpStatus::Deceased {
            return Err(Rejection::new(
                Code::HcpInactive,
                "the HCP is recorded as deceased",
            ));
        }
        if let Some((reason, set_at)) = &hcp.blacklisted {
            if !self.set_after_call(*set_at) {
                return Err(Rejection::new(
                    Code::Blacklisted,
                    format!("the HCP is blacklisted by compliance: {reason}"),
                ));
            }
            flags.push(Code::BlacklistedAfterCall);
        }
        if let Some((reason, set_at)) = &hcp.do_not_call {
            if !self.set_after_call(*set_at) {
                return Err(Rejection::new(
                    Code::DoNotCall,
                    format!("the HCP is do-not-call: {reason}"),
                ));
            }
            flags.push(Code::DoNotCallSetAfterCall);
        }
        Ok(flags)
    }

    /// Whether a flag was set after the call took place (a flag of unknown date was not).
    fn set_after_call(&self, set_at: Option<DateTime<Utc>>) -> bool {
        set_at.is_some_and(|at| at > self.called_at)
    }
}

/// Products for which a call records a benefit message but no risk information: the
/// fair-balance reminder the rep gets before submitting.
pub fn fair_balance_gaps(
    messages: &[crate::sample::views::KeyMessage],
    presented: &[Uuid],
) -> Vec<Uuid> {
    let shown: Vec<&crate::sample::views::KeyMessage> = messages
        .iter()
        .filter(|m| presented.contains(&m.id))
        .collect();
    let mut gaps: Vec<Uuid> = shown
        .iter()
        .filter(|m| m.kind == "benefit")
        .map(|m| m.product_id)
        .filter(|p| !shown.iter().any(|m| m.kind == "risk" && m.product_id == *p))
        .collect();
    gaps.sort();
    gaps.dedup();
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instant every test here happens at: call rules do not depend on the real date.
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2031-05-14T10:30:00Z")
            .expect("a timestamp")
            .with_timezone(&Utc)
    }

    fn input(hcp: Uuid) -> CallInput {
        CallInput {
            id: crate::new_id(),
            call_type: CallType::InPerson,
            hcp_ids: vec![hcp],
            account_id: None,
            called_at: now() - Duration::hours(1),
            product_ids: vec![],
            outcome: "interested".into(),
            next_step: "follow_up_visit".into(),
            next_step_date: None,
            notes: None,
            corrects: None,
            correction_reason: None,
            key_message_ids: vec![],
            disbursement: None,
        }
    }

    fn facts(id: Uuid) -> HcpFacts {
        HcpFacts {
            id,
            status: HcpStatus::Active,
            do_not_call: None,
            blacklisted: None,
            in_scope_on_call_day: true,
            in_scope_now: true,
        }
    }

    #[test]
    fn a_complete_call_passes() {
        let hcp = crate::new_id();
        assert_eq!(
            input(hcp).check(&[facts(hcp)], |_| true, |_| true, now()),
            Ok(vec![])
        );
    }

    #[test]
    fn do_not_call_blocks_unless_set_after_the_call() {
        let hcp = crate::new_id();
        let call = input(hcp);
        let mut f = facts(hcp);
        f.do_not_call = Some(("asked".into(), Some(call.called_at - Duration::days(1))));
        assert_eq!(
            call.check(&[f.clone()], |_| true, |_| true, now())
                .unwrap_err()
                .code,
            Code::DoNotCall
        );
        f.do_not_call = Some(("asked".into(), Some(call.called_at + Duration::minutes(5))));
        assert_eq!(
            call.check(&[f], |_| true, |_| true, now()).unwrap(),
            vec![Code::DoNotCallSetAfterCall]
        );
    }

    #[test]
    fn scope_is_judged_on_the_day_of_the_call() {
        let hcp = crate::new_id();
        let mut f = facts(hcp);
        f.in_scope_now = false;
        assert_eq!(
            input(hcp)
                .check(&[f.clone()], |_| true, |_| true, now())
                .unwrap(),
            vec![Code::HcpRealignedSinceCall]
        );
        f.in_scope_on_call_day = false;
        assert_eq!(
            input(hcp)
                .check(&[f], |_| true, |_| true, now())
                .unwrap_err()
                .code,
            Code::HcpNotInScope
        );
        assert_eq!(
            input(hcp)
                .check(&[], |_| true, |_| true, now())
                .unwrap_err()
                .code,
            Code::HcpNotInScope
        );
    }

    #[test]
    fn field_errors_are_listed() {
        let hcp = crate::new_id();
        let mut call = input(hcp);
        call.call_type = CallType::Group;
        call.outcome = "maybe".into();
        call.product_ids = vec![crate::new_id()];
        call.next_step_date = Some(call.called_at.date_naive() - Duration::days(1));
        call.called_at = now() + Duration::days(1);
        let rejection = call
            .check(&[facts(hcp)], |_| false, |_| true, now())
            .unwrap_err();
        let fields: Vec<&str> = rejection
            .errors
            .0
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(
            fields,
            vec![
                "hcp_ids",
                "account_id",
                "called_at",
                "outcome",
                "next_step_date",
                "product_ids[0]"
            ]
        );
        let mut dead = facts(hcp);
        dead.status = HcpStatus::Deceased;
        assert_eq!(
            input(hcp)
                .check(&[dead], |_| true, |_| true, now())
                .unwrap_err()
                .code,
            Code::HcpInactive
        );
    }
}

//! The one vocabulary of codes: every reason the API refuses a request, every reason a sync
//! mutation is rejected, and every flag an applied mutation carries. Each code is defined
//! here once, with what it means; the HTTP edge maps each to a status once
//! (`server::problem`), sync answers carry them as they are, and the web app's messages are
//! keyed by the generated `Code` type, so the compiler finds a code without a message.

use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

macro_rules! codes {
    ($($(#[doc = $doc:tt])+ $variant:ident = $text:tt,)+) => {
        /// A stable, machine-readable code (`snake_case` on the wire).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        pub enum Code {
            $($(#[doc = $doc])+ #[serde(rename = $text)] $variant,)+
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as it travels.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }

            /// The code named `text`, if there is one.
            pub fn parse(text: &str) -> Option<Code> {
                match text {
                    $($text => Some(Code::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

codes! {
    // Requests the HTTP edge refuses before any rule runs.
    /// Input breaks a rule; `errors` names each field.
    ValidationFailed = "validation_failed",
    /// The body is not JSON.
    MalformedJson = "malformed_json",
    /// The body is JSON of the wrong shape.
    MalformedBody = "malformed_body",
    /// The body is not of a media type the operation accepts.
    UnsupportedMediaType = "unsupported_media_type",
    /// The body is larger than the operation accepts.
    PayloadTooLarge = "payload_too_large",
    /// The request was not read and answered in the server's time limit (a stalled upload).
    RequestTimeout = "request_timeout",
    /// The path exists but not with this method.
    MethodNotAllowed = "method_not_allowed",
    /// Missing, or outside the caller's scope: the two are not told apart.
    NotFound = "not_found",
    /// No valid session token was sent.
    Unauthenticated = "unauthenticated",
    /// The username or the password is wrong.
    InvalidCredentials = "invalid_credentials",
    /// The caller's role does not grant this.
    Forbidden = "forbidden",
    /// The database cannot be reached now; try again.
    DatabaseUnavailable = "database_unavailable",
    /// Something failed on the server; the request changed nothing.
    Internal = "internal",

    // Conflicts with what is stored.
    /// An HCP with this NPI already exists.
    DuplicateNpi = "duplicate_npi",
    /// A record with this unique value already exists.
    Duplicate = "duplicate",
    /// The record changed meanwhile (another device or user won a race).
    Conflict = "conflict",
    /// A likely duplicate of an existing HCP: confirm it is a different person.
    LikelyDuplicate = "likely_duplicate",
    /// The data request was already approved or rejected.
    AlreadyDecided = "already_decided",
    /// The HCP was merged into another meanwhile.
    HcpMerged = "hcp_merged",
    /// The merge was already undone.
    AlreadyUndone = "already_undone",
    /// The shipment was already acknowledged.
    AlreadyReceived = "already_received",

    // Sync answers.
    /// The mutation kind is not one this server knows.
    UnknownKind = "unknown_kind",
    /// A call with this id was already submitted.
    DuplicateCall = "duplicate_call",
    /// A record with this id was already recorded.
    DuplicateRecord = "duplicate_record",
    /// Applied: the proposed HCP is an existing one and was linked to it.
    Linked = "linked",

    // Call rules (domain::call).
    /// The HCP is not (or was not, on the day of the call) in the rep's territories.
    HcpNotInScope = "hcp_not_in_scope",
    /// The HCP is inactive or deceased.
    HcpInactive = "hcp_inactive",
    /// The HCP is blacklisted by compliance.
    Blacklisted = "blacklisted",
    /// The HCP is do-not-call.
    DoNotCall = "do_not_call",
    /// Flag: the HCP was realigned to another territory after the call.
    HcpRealignedSinceCall = "hcp_realigned_since_call",
    /// Flag: compliance blacklisted the HCP after the call.
    BlacklistedAfterCall = "blacklisted_after_call",
    /// Flag: the HCP was flagged do-not-call after the call.
    DoNotCallSetAfterCall = "do_not_call_set_after_call",
    /// Flag: a key message was delivered without its fair-balance message.
    FairBalance = "fair_balance",

    // Sample guardrails (domain::sample::check) and sample records.
    /// A sample record needs at least one line.
    NoLines = "no_lines",
    /// A quantity is zero, negative or too large.
    QuantityInvalid = "quantity_invalid",
    /// The sample SKU is not known.
    UnknownSku = "unknown_sku",
    /// A disbursement names the lot each unit came from.
    LotRequired = "lot_required",
    /// The lot is not of this SKU or not held by the rep.
    LotMismatch = "lot_mismatch",
    /// The lot has expired.
    LotExpired = "lot_expired",
    /// The rep does not hold that many units of the lot.
    InsufficientInventory = "insufficient_inventory",
    /// The rep's allocation for the period is used up.
    AllocationExceeded = "allocation_exceeded",
    /// The HCP's sample limit for the window is reached.
    SampleLimit = "sample_limit",
    /// The HCP holds no active licence in the state.
    NoActiveLicence = "no_active_licence",
    /// The HCP's credential is not eligible for this product.
    CredentialNotEligible = "credential_not_eligible",
    /// A controlled substance needs the HCP's DEA registration.
    DeaRequired = "dea_required",
    /// The signature is missing or not bound to this record.
    SignatureInvalid = "signature_invalid",
    /// The signed record names someone other than the HCP of master data, or the signer may
    /// not sign it (a request by anyone but the practitioner, a designee without a name):
    /// refused, and an exception for suspected falsification is opened (21 CFR 203.37(a)).
    SignerMismatch = "signer_mismatch",
    /// The drawing is identical to the one on another record (a copied signature): refused,
    /// and an exception for suspected falsification is opened (21 CFR 203.37(a)).
    SignatureCopied = "signature_copied",
    /// Flag: quantities received differ from what was sent.
    ReceiptDiscrepancy = "receipt_discrepancy",
    /// Flag: a physical count differs from the book as of the count's time (explained by the
    /// rep; an exception is opened for compliance).
    CountDiscrepancy = "count_discrepancy",
    /// A sum in a report is beyond what it can hold (never with bounded quantities).
    TotalOutOfRange = "total_out_of_range",
}

/// Codes sort by their text, so a list of flags reads (and is stored) alphabetically.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_text_and_its_json() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
            let json = serde_json::to_string(code).expect("serialises");
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).expect("parses"), *code);
        }
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{text}"
            );
        }
    }
}

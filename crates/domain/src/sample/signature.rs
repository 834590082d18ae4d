//! The signed record of a disbursement or sample request. It carries what 21 CFR 203.31
//! asks the receipt to show (practitioner, address, professional title, state licence or
//! DEA number, product, strength, lot, quantity, manufacturer, date) and the signature
//! manifestation of 21 CFR 11.50 (printed name, role, date and time, meaning). Its SHA-256
//! over a canonical text binds the signature to exactly this record (11.70): the record id
//! and the drawing's own SHA-256 are part of the text (`pharmacrm-signed-record/2`), so the
//! signature cannot be moved to another record, the drawing cannot be swapped, and any change
//! to a signed field changes the hash. Who may sign is [`signer_problem`]'s rule (203.31(a)–(c)).
//! The field app computes the same text and hash and runs the same signer rule.

use super::check::Finding;
use super::limits::Severity;
use crate::code::Code;
use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

/// The record type of a disbursement's receipt.
pub const RECORD_DISBURSEMENT: &str = "sample_disbursement";
/// The record type of a written request.
pub const RECORD_REQUEST: &str = "sample_request";

/// What a signature means, shown to the signer.
pub const MEANING_RECEIPT: &str =
    "I received the samples listed above and requested them for my patients";
pub const MEANING_REQUEST: &str =
    "I request the samples listed above to be delivered to my practice address";

/// Who signed: the practitioner, or (for a receipt only, 21 CFR 203.31(c)) a designee who
/// signs with their own name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    #[default]
    Practitioner,
    Designee,
}

impl SignerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            SignerRole::Practitioner => "practitioner",
            SignerRole::Designee => "designee",
        }
    }
}

/// One product line of a signed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignedLine {
    pub product: String,
    pub strength: String,
    pub ndc: String,
    /// Absent for a request (headquarters picks the lot).
    pub lot_number: Option<String>,
    pub quantity: i64,
}

/// The record the HCP signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignedRecord {
    /// The disbursement or request id.
    pub record_id: Uuid,
    /// `sample_disbursement` or `sample_request`.
    pub record_type: String,
    pub practitioner_name: String,
    pub practitioner_address: String,
    pub professional_title: String,
    /// State licence (`CA A12345`) or, for a controlled product, the DEA number.
    pub licence_number: String,
    pub lines: Vec<SignedLine>,
    pub manufacturer: String,
    /// Day of the disbursement or request, `YYYY-MM-DD`.
    pub date: String,
    pub signer_name: String,
    /// The practitioner, or a designee (a receipt only). Absent on records signed before
    /// version 2, which were all the practitioner's.
    #[serde(default)]
    #[schema(required = true)]
    pub signer_role: SignerRole,
    /// RFC 3339 time of signing, as the device recorded it.
    pub signed_at: String,
    pub meaning: String,
    /// Lower-case hex SHA-256 of the drawing ([`image_digest`]), so the hash covers it.
    /// Empty only on records signed before version 2.
    #[serde(default)]
    #[schema(required = true)]
    pub image_sha256: String,
}

/// A captured signature: the record, the drawn image and the hash binding them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Signature {
    pub record: SignedRecord,
    /// The drawn signature as an SVG path data string (`M x y L x y ...`).
    pub image: String,
    /// Lower-case hex SHA-256 of [`SignedRecord::canonical_text`].
    pub hash: String,
}

/// Longest signature drawing accepted.
pub const MAX_IMAGE: usize = 200_000;

fn clean(value: &str) -> String {
    value.replace(['\n', '\r'], " ").trim().to_string()
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Lower-case hex SHA-256 of a drawing's path data, as sent.
pub fn image_digest(image: &str) -> String {
    hex_sha256(image.as_bytes())
}

impl SignedRecord {
    /// The text the hash is computed over: one `key=value` per line in a fixed order.
    /// Version 2 adds the signer's role and the drawing's digest; a record without a digest
    /// (signed before version 2) keeps its version 1 text, so its stored hash still checks.
    pub fn canonical_text(&self) -> String {
        let v2 = !self.image_sha256.is_empty();
        let mut text = String::from(if v2 {
            "pharmacrm-signed-record/2\n"
        } else {
            "pharmacrm-signed-record/1\n"
        });
        let mut put = |k: &str, v: &str| {
            text.push_str(k);
            text.push('=');
            text.push_str(&clean(v));
            text.push('\n');
        };
        put("record_id", &self.record_id.to_string());
        put("record_type", &self.record_type);
        put("practitioner_name", &self.practitioner_name);
        put("practitioner_address", &self.practitioner_address);
        put("professional_title", &self.professional_title);
        put("licence_number", &self.licence_number);
        for l in &self.lines {
            let line = format!(
                "{}|{}|{}|{}|{}",
                clean(&l.product),
                clean(&l.strength),
                clean(&l.ndc),
                clean(l.lot_number.as_deref().unwrap_or("")),
                l.quantity
            );
            put("line", &line);
        }
        put("manufacturer", &self.manufacturer);
        put("date", &self.date);
        put("signer_name", &self.signer_name);
        if v2 {
            put("signer_role", self.signer_role.as_str());
        }
        put("signed_at", &self.signed_at);
        put("meaning", &self.meaning);
        if v2 {
            put("image_sha256", &self.image_sha256);
        }
        text
    }

    pub fn hash(&self) -> String {
        hex_sha256(self.canonical_text().as_bytes())
    }
}

impl Signature {
    /// Checks the signature is complete and bound to record `record_id` of `record_type`
    /// with exactly `lines` (lot number or none, quantity, in order).
    pub fn verify(
        &self,
        record_id: Uuid,
        record_type: &str,
        lines: &[(Option<String>, i64)],
    ) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let r = &self.record;
        if self.image.trim().is_empty() {
            errors.add("signature.image", "the HCP has not signed");
        } else if self.image.len() > MAX_IMAGE {
            errors.add("signature.image", "the drawing is too large");
        } else if r.image_sha256 != image_digest(&self.image) {
            errors.add(
                "signature.record.image_sha256",
                "is not the digest of this drawing (the drawing was replaced after signing)",
            );
        }
        if r.signer_name.trim().is_empty() {
            errors.add(
                "signature.record.signer_name",
                "the signer's printed name is required",
            );
        }
        if r.meaning.trim().is_empty() {
            errors.add(
                "signature.record.meaning",
                "the meaning of the signature is required",
            );
        }
        if chrono::DateTime::parse_from_rfc3339(&r.signed_at).is_err() {
            errors.add("signature.record.signed_at", "must be an RFC 3339 time");
        }
        for (field, value) in [
            ("practitioner_name", &r.practitioner_name),
            ("practitioner_address", &r.practitioner_address),
            ("professional_title", &r.professional_title),
            ("licence_number", &r.licence_number),
            ("manufacturer", &r.manufacturer),
        ] {
            if value.trim().is_empty() {
                errors.add(
                    format!("signature.record.{field}"),
                    "is required on the signed record",
                );
            }
        }
        if r.record_id != record_id || r.record_type != record_type {
            errors.add(
                "signature.record.record_id",
                "the signature belongs to another record",
            );
        }
        let signed: Vec<(Option<String>, i64)> = r
            .lines
            .iter()
            .map(|l| (l.lot_number.clone(), l.quantity))
            .collect();
        if signed != lines {
            errors.add(
                "signature.record.lines",
                "the signed lines differ from the samples recorded",
            );
        }
        if self.hash != r.hash() {
            errors.add(
                "signature.hash",
                "does not match the signed record (altered after signing)",
            );
        }
        errors.into_result(|| ())
    }
}

/// Titles that may precede a name on a signed record ("Dr. Ana Ruiz").
const TITLES: &[&str] = &["dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "mx"];

/// Generational suffixes and credentials that may follow a name without a comma
/// ("Ana Ruiz Jr", "Ana Ruiz MD"); after a comma everything is credentials.
const AFTER_NAME: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "md", "do", "dds", "dmd", "dpm", "od", "phd", "pharmd", "np",
    "pa", "pac", "aprn", "fnp", "rn", "cnm", "facp", "faafp",
];

/// The words of a name as compared: before any comma (credentials follow it), accents folded,
/// lower case, apostrophes and full stops dropped, other punctuation a space.
pub fn name_words(text: &str) -> Vec<String> {
    let name = text.split(',').next().unwrap_or_default();
    let folded = deunicode::deunicode(name).to_lowercase();
    folded
        .chars()
        .filter(|c| *c != '\'' && *c != '.')
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Whether `text` names the person with this first and last name: it starts with the first
/// name's words (after any titles) and ends with the last name's (before any suffixes or
/// credentials), with nothing of the two overlapping.
pub fn names_person(text: &str, first_name: &str, last_name: &str) -> bool {
    let (first, last) = (name_words(first_name), name_words(last_name));
    if first.is_empty() || last.is_empty() {
        return false;
    }
    let mut words = name_words(text);
    while words.len() > first.len() + last.len() && TITLES.contains(&words[0].as_str()) {
        words.remove(0);
    }
    loop {
        if words.len() >= first.len() + last.len()
            && words.starts_with(&first)
            && words.ends_with(&last)
        {
            return true;
        }
        match words.last() {
            Some(w) if AFTER_NAME.contains(&w.as_str()) => words.pop(),
            _ => return false,
        };
    }
}

/// Who may sign a record for the HCP of master data named `first_name last_name`
/// (21 CFR 203.31): the record must name that practitioner; a request (203.31(a)–(b)) is
/// signed by the practitioner only; a receipt (203.31(c)) by the practitioner or by a
/// designee signing as such with their own first and last name. The first problem, as a
/// `signer_mismatch` finding, or none.
pub fn signer_problem(record: &SignedRecord, first_name: &str, last_name: &str) -> Option<Finding> {
    let hcp = format!("{} {}", first_name.trim(), last_name.trim());
    let problem = |field: &str, message: String| Finding {
        code: Code::SignerMismatch,
        severity: Severity::Error,
        field: format!("signature.record.{field}"),
        message,
    };
    if !names_person(&record.practitioner_name, first_name, last_name) {
        return Some(problem(
            "practitioner_name",
            format!(
                "the record names '{}', not the HCP {hcp}",
                clean(&record.practitioner_name)
            ),
        ));
    }
    let request = record.record_type == RECORD_REQUEST;
    match record.signer_role {
        SignerRole::Designee if request => Some(problem(
            "signer_role",
            "a request for samples is signed by the practitioner only (21 CFR 203.31(b))".into(),
        )),
        SignerRole::Designee if name_words(&record.signer_name).len() < 2 => Some(problem(
            "signer_name",
            "a designee signs with their own first and last name".into(),
        )),
        SignerRole::Designee => None,
        SignerRole::Practitioner if !names_person(&record.signer_name, first_name, last_name) => {
            Some(problem(
                "signer_name",
                format!(
                    "'{}' is not the practitioner {hcp}; {}",
                    clean(&record.signer_name),
                    if request {
                        "a request is signed by the practitioner only"
                    } else {
                        "someone receiving for the practitioner signs as their designee"
                    }
                ),
            ))
        }
        SignerRole::Practitioner => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record() -> SignedRecord {
        SignedRecord {
            record_id: Uuid::nil(),
            record_type: "sample_disbursement".into(),
            practitioner_name: "Dr. Ana Ruiz, MD".into(),
            practitioner_address: "1 Main St, Springfield, IL 62701".into(),
            professional_title: "MD".into(),
            licence_number: "IL 036-123456".into(),
            lines: vec![SignedLine {
                product: "Neurvanta".into(),
                strength: "10 mg".into(),
                ndc: "50242-0041-21".into(),
                lot_number: Some("NV2401".into()),
                quantity: 2,
            }],
            manufacturer: "Pharmacrm Labs".into(),
            date: "2026-11-25".into(),
            signer_name: "Ana Ruiz".into(),
            signer_role: SignerRole::Practitioner,
            signed_at: "2026-11-25T10:15:00Z".into(),
            meaning: MEANING_RECEIPT.into(),
            image_sha256: image_digest(IMAGE),
        }
    }

    const IMAGE: &str = "M 1 1 L 5 5";

    #[test]
    fn a_signature_cannot_move_to_another_record_or_survive_an_edit() {
        let rec = record();
        let sig = Signature {
            hash: rec.hash(),
            record: rec,
            image: IMAGE.into(),
        };
        let lines = vec![(Some("NV2401".to_string()), 2)];
        assert!(sig
            .verify(Uuid::nil(), "sample_disbursement", &lines)
            .is_ok());
        let other = Uuid::now_v7();
        assert!(sig.verify(other, "sample_disbursement", &lines).is_err());
        assert!(sig
            .verify(
                Uuid::nil(),
                "sample_disbursement",
                &[(Some("NV2401".into()), 3)]
            )
            .is_err());
        let mut edited = sig.clone();
        edited.record.lines[0].quantity = 3;
        let errs = edited
            .verify(
                Uuid::nil(),
                "sample_disbursement",
                &[(Some("NV2401".into()), 3)],
            )
            .unwrap_err();
        assert!(errs.0.iter().any(|e| e.field == "signature.hash"));
    }

    #[test]
    fn no_drawing_no_signature() {
        let rec = record();
        let sig = Signature {
            hash: rec.hash(),
            record: rec,
            image: " ".into(),
        };
        let errs = sig
            .verify(
                Uuid::nil(),
                "sample_disbursement",
                &[(Some("NV2401".into()), 2)],
            )
            .unwrap_err();
        assert_eq!(errs.0[0].field, "signature.image");
    }

    #[test]
    fn a_drawing_swapped_after_signing_is_refused_even_with_the_hash_recomputed() {
        let rec = record();
        let mut sig = Signature {
            hash: rec.hash(),
            record: rec,
            image: "M 9 9 L 1 1".into(),
        };
        sig.hash = sig.record.hash();
        let errs = sig
            .verify(
                Uuid::nil(),
                "sample_disbursement",
                &[(Some("NV2401".into()), 2)],
            )
            .unwrap_err();
        assert_eq!(errs.0[0].field, "signature.record.image_sha256");
    }

    #[test]
    fn a_version_1_record_keeps_its_text_but_is_no_longer_accepted() {
        let mut rec = record();
        rec.image_sha256 = String::new();
        assert!(rec
            .canonical_text()
            .starts_with("pharmacrm-signed-record/1\n"));
        assert!(!rec.canonical_text().contains("signer_role"));
        let sig = Signature {
            hash: rec.hash(),
            record: rec,
            image: IMAGE.into(),
        };
        assert!(sig
            .verify(
                Uuid::nil(),
                "sample_disbursement",
                &[(Some("NV2401".into()), 2)]
            )
            .is_err());
    }

    #[test]
    fn the_record_names_the_hcp_and_only_the_practitioner_signs_a_request() {
        let mut rec = record();
        assert_eq!(signer_problem(&rec, "Ana", "Ruiz"), None);
        assert_eq!(signer_problem(&rec, "Ána", "RUIZ"), None);
        rec.signer_name = "Dr. Ana M. Ruiz".into();
        assert_eq!(signer_problem(&rec, "Ana", "Ruiz"), None);
        rec.practitioner_name = "Someone Else, MD".into();
        let p = signer_problem(&rec, "Ana", "Ruiz").unwrap();
        assert_eq!(
            (p.code, p.field.as_str()),
            (Code::SignerMismatch, "signature.record.practitioner_name")
        );
        let mut rec = record();
        rec.signer_name = "Bo Chen".into();
        assert!(signer_problem(&rec, "Ana", "Ruiz").is_some());
        rec.signer_role = SignerRole::Designee;
        assert_eq!(signer_problem(&rec, "Ana", "Ruiz"), None);
        rec.record_type = RECORD_REQUEST.into();
        assert_eq!(
            signer_problem(&rec, "Ana", "Ruiz").unwrap().field,
            "signature.record.signer_role"
        );
        assert!(names_person("Ana Do", "Ana", "Do"));
        assert!(names_person("Ana Ruiz MD", "Ana", "Ruiz"));
        assert!(!names_person("Ana", "Ana", "Ruiz"));
    }
}

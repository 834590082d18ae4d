//! The signed record of a disbursement or sample request. It carries what 21 CFR 203.31
//! asks the receipt to show (practitioner, address, professional title, state licence or
//! DEA number, product, strength, lot, quantity, manufacturer, date) and the signature
//! manifestation of 21 CFR 11.50 (printed name, date and time, meaning). Its SHA-256 over a
//! canonical text binds the signature to exactly this record (11.70): the record id is part
//! of the text, so the signature cannot be moved to another record, and any change to a
//! signed field changes the hash. The field app computes the same text and hash.

use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

/// What a signature means, shown to the signer.
pub const MEANING_RECEIPT: &str =
    "I received the samples listed above and requested them for my patients";
pub const MEANING_REQUEST: &str =
    "I request the samples listed above to be delivered to my practice address";

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
    /// RFC 3339 time of signing, as the device recorded it.
    pub signed_at: String,
    pub meaning: String,
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

impl SignedRecord {
    /// The text the hash is computed over: one `key=value` per line in a fixed order.
    pub fn canonical_text(&self) -> String {
        let mut text = String::from("pharmacrm-signed-record/1\n");
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
        put("signed_at", &self.signed_at);
        put("meaning", &self.meaning);
        text
    }

    pub fn hash(&self) -> String {
        Sha256::digest(self.canonical_text().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
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
            signed_at: "2026-11-25T10:15:00Z".into(),
            meaning: MEANING_RECEIPT.into(),
        }
    }

    #[test]
    fn a_signature_cannot_move_to_another_record_or_survive_an_edit() {
        let rec = record();
        let sig = Signature {
            hash: rec.hash(),
            record: rec,
            image: "M 1 1 L 5 5".into(),
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
}

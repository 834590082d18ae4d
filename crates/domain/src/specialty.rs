//! NUCC health care provider taxonomy codes. The built-in table holds the codes field
//! forces meet most; organisations extend it by importing further codes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Specialty {
    /// Ten-character NUCC code, e.g. `207RC0000X`.
    pub code: String,
    pub name: String,
}

/// (code, display name, relative share of a typical primary-care and specialty universe).
pub const BUILT_IN: [(&str, &str, u32); 30] = [
    ("207Q00000X", "Family Medicine", 160),
    ("207R00000X", "Internal Medicine", 150),
    ("208D00000X", "General Practice", 30),
    ("208000000X", "Pediatrics", 60),
    ("207RC0000X", "Cardiovascular Disease", 35),
    ("207RE0101X", "Endocrinology, Diabetes & Metabolism", 15),
    ("207RG0100X", "Gastroenterology", 20),
    ("207RP1001X", "Pulmonary Disease", 15),
    ("207RR0500X", "Rheumatology", 8),
    ("207RH0003X", "Hematology & Oncology", 15),
    ("207RX0202X", "Medical Oncology", 10),
    ("207RN0300X", "Nephrology", 10),
    ("207RI0200X", "Infectious Disease", 8),
    ("207RG0300X", "Geriatric Medicine", 6),
    ("2084N0400X", "Neurology", 20),
    ("2084P0800X", "Psychiatry", 35),
    ("207N00000X", "Dermatology", 15),
    ("207V00000X", "Obstetrics & Gynecology", 35),
    ("207W00000X", "Ophthalmology", 15),
    ("207X00000X", "Orthopaedic Surgery", 20),
    ("208600000X", "Surgery", 20),
    ("208800000X", "Urology", 10),
    ("207K00000X", "Allergy & Immunology", 6),
    ("207P00000X", "Emergency Medicine", 30),
    ("363L00000X", "Nurse Practitioner", 60),
    ("363LF0000X", "Nurse Practitioner, Family", 50),
    ("363A00000X", "Physician Assistant", 40),
    ("363AM0700X", "Physician Assistant, Medical", 25),
    ("183500000X", "Pharmacist", 20),
    ("1835P1200X", "Pharmacist, Pharmacotherapy", 6),
];

/// Checks the shape of a taxonomy code: ten characters, nine letters or digits then `X`.
pub fn valid_code(code: &str) -> bool {
    code.len() == 10
        && code.ends_with('X')
        && code[..9]
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

pub fn built_in() -> Vec<Specialty> {
    BUILT_IN
        .iter()
        .map(|(code, name, _)| Specialty {
            code: code.to_string(),
            name: name.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_codes_are_well_formed_and_unique() {
        let mut codes: Vec<&str> = BUILT_IN.iter().map(|s| s.0).collect();
        assert!(codes.iter().all(|c| valid_code(c)));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), BUILT_IN.len());
        assert!(!valid_code("207RC0000"));
        assert!(!valid_code("207rc0000x"));
    }
}

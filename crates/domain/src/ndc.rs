//! National Drug Codes. Labels print them in three ten-digit forms (4-4-2, 5-3-2, 5-4-1);
//! feeds and billing use the eleven-digit 5-4-2 form. We store the 5-4-2 form only.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An NDC normalised to 11 digits (5-4-2 without hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ndc(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NdcError {
    #[error("must be a hyphenated 4-4-2, 5-3-2 or 5-4-1 code, or 11 digits")]
    Format,
}

impl Ndc {
    pub fn parse(input: &str) -> Result<Self, NdcError> {
        let input = input.trim();
        let parts: Vec<&str> = input.split('-').collect();
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !parts.iter().all(|p| all_digits(p)) {
            return Err(NdcError::Format);
        }
        let digits = match parts.as_slice() {
            [whole] if whole.len() == 11 => whole.to_string(),
            [l, p, k] => match (l.len(), p.len(), k.len()) {
                (4, 4, 2) => format!("0{l}{p}{k}"),
                (5, 3, 2) => format!("{l}0{p}{k}"),
                (5, 4, 1) => format!("{l}{p}0{k}"),
                (5, 4, 2) => format!("{l}{p}{k}"),
                _ => return Err(NdcError::Format),
            },
            _ => return Err(NdcError::Format),
        };
        Ok(Self(digits))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 5-4-2 form with hyphens, as printed on claims.
    pub fn hyphenated(&self) -> String {
        format!("{}-{}-{}", &self.0[..5], &self.0[5..9], &self.0[9..])
    }
}

impl fmt::Display for Ndc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hyphenated())
    }
}

impl TryFrom<String> for Ndc {
    type Error = NdcError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Ndc::parse(&value)
    }
}

impl From<Ndc> for String {
    fn from(value: Ndc) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_three_label_forms() {
        assert_eq!(Ndc::parse("1234-5678-90").unwrap().as_str(), "01234567890");
        assert_eq!(Ndc::parse("12345-678-90").unwrap().as_str(), "12345067890");
        assert_eq!(Ndc::parse("12345-6789-0").unwrap().as_str(), "12345678900");
        assert_eq!(
            Ndc::parse("12345-6789-01").unwrap().hyphenated(),
            "12345-6789-01"
        );
        assert_eq!(Ndc::parse("12345678901").unwrap().as_str(), "12345678901");
    }

    #[test]
    fn rejects_ambiguous_or_malformed_codes() {
        for bad in [
            "1234567890",
            "123-4567-89",
            "12345-67a9-01",
            "",
            "1234-5678-9",
        ] {
            assert!(Ndc::parse(bad).is_err(), "{bad}");
        }
    }
}

//! National Provider Identifier: ten digits whose last one is a Luhn check digit computed
//! over the nine before it prefixed with the ISO card issuer prefix 80840.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Npi(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NpiError {
    #[error("must be exactly 10 digits")]
    Format,
    #[error("check digit does not match (expected {expected})")]
    CheckDigit { expected: u8 },
}

/// The Luhn check digit for the first nine digits of an NPI.
pub fn check_digit(first_nine: &[u8; 9]) -> u8 {
    // Luhn over "80840" + nine digits + check digit: double every second digit from the
    // right, starting with the rightmost of the nine. The prefix contributes 24.
    let mut sum = 24u32;
    for (i, d) in first_nine.iter().rev().enumerate() {
        let d = u32::from(*d);
        sum += if i % 2 == 0 {
            let doubled = d * 2;
            if doubled > 9 {
                doubled - 9
            } else {
                doubled
            }
        } else {
            d
        };
    }
    ((10 - (sum % 10)) % 10) as u8
}

impl Npi {
    pub fn parse(input: &str) -> Result<Self, NpiError> {
        let input = input.trim();
        if input.len() != 10 || !input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NpiError::Format);
        }
        let digits: Vec<u8> = input.bytes().map(|b| b - b'0').collect();
        let mut first = [0u8; 9];
        first.copy_from_slice(&digits[..9]);
        let expected = check_digit(&first);
        if digits[9] != expected {
            return Err(NpiError::CheckDigit { expected });
        }
        Ok(Self(input.to_string()))
    }

    /// The valid NPI whose first nine digits are `base` (taken modulo 10^9, first digit 1 or 2).
    pub fn from_base(base: u64) -> Self {
        let mut first = [0u8; 9];
        let mut n = base % 100_000_000;
        for slot in first.iter_mut().rev().take(8) {
            *slot = (n % 10) as u8;
            n /= 10;
        }
        first[0] = 1 + ((base / 100_000_000) % 2) as u8;
        let check = check_digit(&first);
        let text: String = first
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| char::from(b'0' + d))
            .collect();
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Npi {
    type Error = NpiError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Npi::parse(&value)
    }
}

impl From<Npi> for String {
    fn from(value: Npi) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_cms_example() {
        // The example from the CMS check digit specification.
        assert!(Npi::parse("1234567893").is_ok());
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        assert_eq!(
            Npi::parse("1234567890"),
            Err(NpiError::CheckDigit { expected: 3 })
        );
    }

    #[test]
    fn rejects_bad_format() {
        for bad in ["", "123456789", "12345678901", "12345a7893"] {
            assert_eq!(Npi::parse(bad), Err(NpiError::Format), "{bad}");
        }
    }

    #[test]
    fn generated_npis_are_valid_and_distinct() {
        let a = Npi::from_base(42);
        let b = Npi::from_base(43);
        assert_ne!(a, b);
        for n in 0..2000u64 {
            let npi = Npi::from_base(n * 7919);
            assert!(Npi::parse(npi.as_str()).is_ok(), "{npi}");
        }
    }
}

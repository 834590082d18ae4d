//! Postal addresses of HCPs and accounts (US), with the ZIP code that drives alignment.

use crate::validation::{optional, required, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// USPS codes of the states, DC and the territories field forces call in.
pub const US_STATES: [&str; 54] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "GU", "VI",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    /// USPS state code.
    pub state: String,
    /// Five-digit ZIP code; a ZIP+4 input is cut to its first five digits.
    pub zip: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Parses a state code, upper-cased.
pub fn parse_state(input: &str) -> Result<String, String> {
    let state = input.trim().to_ascii_uppercase();
    if US_STATES.contains(&state.as_str()) {
        Ok(state)
    } else {
        Err(format!("'{}' is not a US state code", input.trim()))
    }
}

/// Parses a ZIP or ZIP+4 into five digits.
pub fn parse_zip(input: &str) -> Result<String, String> {
    let input = input.trim();
    let five = input.split('-').next().unwrap_or("");
    let valid_plus4 = match input.split_once('-') {
        Some((_, four)) => four.len() == 4 && four.bytes().all(|b| b.is_ascii_digit()),
        None => true,
    };
    if five.len() == 5 && five.bytes().all(|b| b.is_ascii_digit()) && valid_plus4 {
        Ok(five.to_string())
    } else {
        Err("must be a 5-digit ZIP code".to_string())
    }
}

impl Address {
    /// Validates and normalises an address; errors are reported under `prefix.field`.
    pub fn validated(&self, prefix: &str, errors: &mut ValidationErrors) -> Address {
        let f = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            }
        };
        let line1 = required(errors, &f("line1"), &self.line1);
        let city = required(errors, &f("city"), &self.city);
        let state = errors
            .check(&f("state"), parse_state(&self.state))
            .unwrap_or_default();
        let zip = errors
            .check(&f("zip"), parse_zip(&self.zip))
            .unwrap_or_default();
        match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    errors.add(f("latitude"), "must be between -90 and 90");
                }
                if !(-180.0..=180.0).contains(&lon) {
                    errors.add(f("longitude"), "must be between -180 and 180");
                }
            }
            (None, None) => {}
            _ => errors.add(f("latitude"), "latitude and longitude go together"),
        }
        Address {
            line1,
            line2: optional(self.line2.as_deref()),
            city,
            state,
            zip,
            latitude: self.latitude,
            longitude: self.longitude,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_plus_four_is_cut_to_five() {
        assert_eq!(parse_zip("02139-4307").unwrap(), "02139");
        assert!(parse_zip("0213").is_err());
        assert!(parse_zip("02139-43").is_err());
    }

    #[test]
    fn states_are_checked() {
        assert_eq!(parse_state(" ma ").unwrap(), "MA");
        assert!(parse_state("XX").is_err());
    }
}

//! Segmentation of an HCP for one product: a tier (A/B/C) and a decile (1-10, 10 being the
//! highest prescribers), with the date it was set.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
pub enum Tier {
    A,
    B,
    C,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A" => Ok(Tier::A),
            "B" => Ok(Tier::B),
            "C" => Ok(Tier::C),
            other => Err(format!("'{other}' is not a tier (A, B or C)")),
        }
    }

    /// The usual tier of a decile when a segmentation file gives deciles only.
    pub fn from_decile(decile: u8) -> Tier {
        match decile {
            8..=10 => Tier::A,
            5..=7 => Tier::B,
            _ => Tier::C,
        }
    }
}

/// Checks a decile.
pub fn parse_decile(value: i64) -> Result<u8, String> {
    if (1..=10).contains(&value) {
        Ok(value as u8)
    } else {
        Err(format!("decile {value} is not between 1 and 10"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciles_map_to_tiers() {
        assert_eq!(Tier::from_decile(10), Tier::A);
        assert_eq!(Tier::from_decile(5), Tier::B);
        assert_eq!(Tier::from_decile(1), Tier::C);
        assert!(parse_decile(0).is_err());
        assert!(parse_decile(11).is_err());
    }
}

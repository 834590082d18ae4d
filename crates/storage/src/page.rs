//! Keyset pagination. A cursor is the sort key of the last row of a page, encoded as
//! opaque URL-safe text; the next page starts strictly after it, so pages stay stable
//! while rows are added.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pharmacrm_domain::ValidationErrors;

/// Largest page a caller may ask for.
pub const MAX_LIMIT: i64 = 200;
pub const DEFAULT_LIMIT: i64 = 50;

pub fn encode(key: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

pub fn decode(cursor: &str, parts: usize) -> Result<Vec<String>, ValidationErrors> {
    let invalid = || ValidationErrors::single("cursor", "is not a cursor returned by this list");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let key: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if key.len() == parts {
        Ok(key)
    } else {
        Err(invalid())
    }
}

/// Clamps a requested page size.
pub fn limit(requested: Option<i64>) -> Result<i64, ValidationErrors> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ValidationErrors::single(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = encode(&["Smith", "Ann", "0191"]);
        assert_eq!(decode(&c, 3).unwrap(), vec!["Smith", "Ann", "0191"]);
        assert!(decode(&c, 2).is_err());
        assert!(decode("not a cursor!", 3).is_err());
        assert!(limit(Some(0)).is_err());
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
    }
}

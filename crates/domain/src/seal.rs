//! Server-side seals: HMAC-SHA256 with a key kept outside the database, so whoever can write
//! the database but not read the key file cannot make a record or a checkpoint that checks.
//! A [`Keyring`] holds every key ever used, oldest first; the newest seals and all verify, so
//! a key is rotated by appending one. A seal reads `<key id>:<hex MAC>`. The keyring file is
//! one key per line, `<id> <64 hex digits>`, `#` comments allowed. Checkpoints of the audit
//! chain's head ([`Checkpoint`]) are sealed with the same keys and written outside the
//! database (docs/samples.md, "The anchor").

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of a generated key.
pub const KEY_BYTES: usize = 32;

#[derive(Clone)]
struct SealKey {
    id: String,
    secret: Vec<u8>,
}

/// The keys seals are made and checked with (never printed: `Debug` shows the ids only).
#[derive(Clone)]
pub struct Keyring {
    keys: Vec<SealKey>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("ids", &self.ids()).finish()
    }
}

/// What checking a seal found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealCheck {
    Valid,
    /// No seal at all.
    Missing,
    /// Sealed with a key the keyring does not hold (a key removed, or a forged id).
    UnknownKey(String),
    /// The MAC does not match: the content or the seal was changed.
    Invalid,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Keyring {
    /// One key (tests, and a file's first key).
    pub fn single(id: &str, secret: &[u8]) -> Keyring {
        Keyring {
            keys: vec![SealKey {
                id: id.into(),
                secret: secret.to_vec(),
            }],
        }
    }

    /// Reads a keyring file's text; every line is `<id> <hex key>` (at least 16 bytes).
    pub fn parse(text: &str) -> Result<Keyring, String> {
        let mut keys: Vec<SealKey> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| format!("line {}: {why}", n + 1);
            let (id, secret) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad("expected '<key id> <hex key>'"))?;
            if !valid_id(id) {
                return Err(bad("a key id is 1-40 letters, digits, '-' or '_'"));
            }
            let secret = unhex(secret.trim())
                .filter(|s| s.len() >= 16)
                .ok_or_else(|| bad("the key must be at least 32 hex digits"))?;
            if keys.iter().any(|k| k.id == id) {
                return Err(bad(&format!("key id '{id}' appears twice")));
            }
            keys.push(SealKey {
                id: id.into(),
                secret,
            });
        }
        if keys.is_empty() {
            return Err("the keyring holds no key".into());
        }
        Ok(Keyring { keys })
    }

    /// The line a keyring file holds for a new key; the id after `k<n>` of the existing keys.
    pub fn key_line(existing: Option<&Keyring>, secret: &[u8; KEY_BYTES]) -> String {
        let n = existing.map_or(0, |k| k.keys.len()) + 1;
        format!("k{n} {}\n", hex(secret))
    }

    /// The key ids, oldest first.
    pub fn ids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.id.as_str()).collect()
    }

    fn mac(secret: &[u8], message: &str) -> HmacSha256 {
        // HMAC takes a key of any length.
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
        mac.update(message.as_bytes());
        mac
    }

    /// Seals `message` with the newest key: `<key id>:<hex MAC>`.
    pub fn seal(&self, message: &str) -> String {
        let key = self.keys.last().expect("a keyring holds a key");
        let tag = Self::mac(&key.secret, message).finalize().into_bytes();
        format!("{}:{}", key.id, hex(&tag))
    }

    /// Checks `seal` over `message` with the key it names (in constant time).
    pub fn check(&self, message: &str, seal: Option<&str>) -> SealCheck {
        let Some(seal) = seal.filter(|s| !s.is_empty()) else {
            return SealCheck::Missing;
        };
        let Some((id, tag)) = seal.split_once(':') else {
            return SealCheck::Invalid;
        };
        let Some(key) = self.keys.iter().find(|k| k.id == id) else {
            return SealCheck::UnknownKey(id.into());
        };
        match unhex(tag) {
            Some(tag) if Self::mac(&key.secret, message).verify_slice(&tag).is_ok() => {
                SealCheck::Valid
            }
            _ => SealCheck::Invalid,
        }
    }
}

/// A signed statement that the audit chain's entry `position` had hash `hash` at `at`,
/// written outside the database. Its line: `pharmacrm-checkpoint/1 <position> <hash> <at>
/// <seal>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub position: i64,
    pub hash: String,
    /// RFC 3339 time the checkpoint was taken.
    pub at: String,
}

const CHECKPOINT_TAG: &str = "pharmacrm-checkpoint/1";

impl Checkpoint {
    fn message(&self) -> String {
        format!(
            "{CHECKPOINT_TAG} {} {} {}",
            self.position, self.hash, self.at
        )
    }

    /// The sealed line, with its newline.
    pub fn line(&self, keys: &Keyring) -> String {
        let message = self.message();
        format!("{message} {}\n", keys.seal(&message))
    }

    /// Reads a line back and checks its seal: the checkpoint, or why it cannot be trusted.
    pub fn read(line: &str, keys: &Keyring) -> Result<Checkpoint, String> {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [tag, position, hash, at, seal] = parts[..] else {
            return Err("not a checkpoint line".into());
        };
        let position = position.parse::<i64>().map_err(|_| "bad position")?;
        if tag != CHECKPOINT_TAG {
            return Err(format!("unknown checkpoint version '{tag}'"));
        }
        let checkpoint = Checkpoint {
            position,
            hash: hash.into(),
            at: at.into(),
        };
        match keys.check(&checkpoint.message(), Some(seal)) {
            SealCheck::Valid => Ok(checkpoint),
            SealCheck::UnknownKey(id) => Err(format!("sealed with key '{id}', not in the keyring")),
            SealCheck::Missing | SealCheck::Invalid => Err("its seal does not match".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_key_seals_and_every_key_verifies() {
        let old = Keyring::parse("# first\nk1 000102030405060708090a0b0c0d0e0f\n").unwrap();
        let sealed_before = old.seal("record 1");
        assert!(sealed_before.starts_with("k1:"));
        let text = format!(
            "k1 000102030405060708090a0b0c0d0e0f\n{}",
            Keyring::key_line(Some(&old), &[7; KEY_BYTES])
        );
        let rotated = Keyring::parse(&text).unwrap();
        assert_eq!(rotated.ids(), ["k1", "k2"]);
        assert!(rotated.seal("record 2").starts_with("k2:"));
        assert_eq!(
            rotated.check("record 1", Some(&sealed_before)),
            SealCheck::Valid
        );
        assert_eq!(
            rotated.check("record 1 altered", Some(&sealed_before)),
            SealCheck::Invalid
        );
        assert_eq!(rotated.check("record 1", None), SealCheck::Missing);
        let other = Keyring::single("k9", b"another key, unknown here");
        assert_eq!(
            rotated.check("x", Some(&other.seal("x"))),
            SealCheck::UnknownKey("k9".into())
        );
        assert!(!format!("{rotated:?}").contains("0001"));
    }

    #[test]
    fn a_keyring_file_is_read_strictly() {
        assert!(Keyring::parse("").is_err());
        assert!(Keyring::parse("k1 abcd\n").is_err(), "too short");
        assert!(Keyring::parse("k1 zz0102030405060708090a0b0c0d0e0f\n").is_err());
        let twice = "k1 000102030405060708090a0b0c0d0e0f\nk1 000102030405060708090a0b0c0d0e0f\n";
        assert!(Keyring::parse(twice).is_err());
    }

    #[test]
    fn a_checkpoint_reads_back_only_with_its_seal() {
        let keys = Keyring::single("k1", b"0123456789abcdef");
        let c = Checkpoint {
            position: 42,
            hash: "ab".repeat(32),
            at: "2031-02-28T12:00:00Z".into(),
        };
        let line = c.line(&keys);
        assert_eq!(Checkpoint::read(&line, &keys), Ok(c));
        let forged = line.replace(" 42 ", " 41 ");
        assert!(Checkpoint::read(&forged, &keys).is_err());
    }
}

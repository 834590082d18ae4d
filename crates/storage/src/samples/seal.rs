//! Seals of signed sample records: what a record's seal covers ([`sealed_text`]), written by
//! `insert_record` with the store's keys, and the check that every stored record still
//! carries a valid seal over its content and that its signature still binds its record and
//! drawing ([`Store::verify_seals`]). The keys live outside the database
//! (`pharmacrm_domain::seal`), so rewriting a record (and its audit entry, and the chain) in
//! SQL leaves a seal that no longer checks.

use super::oversight::{stored_record, STORED_RECORD_COLUMNS};
use super::{fact_time, NewSampleRecord};
use crate::sql::{get_opt_str, get_str, stmt};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::sample::signature::image_digest;
use pharmacrm_domain::seal::{Keyring, SealCheck};

/// The content a record's seal covers, one `key=value` a line: the record's identity, who
/// gave what to whom and when, and the signature's hash and drawing digest (the hash covers
/// every signed field, the digest the drawing).
pub(crate) fn sealed_text(r: &NewSampleRecord) -> String {
    let mut text = String::from("pharmacrm-sealed-record/1\n");
    let mut put = |k: &str, v: &str| {
        text.push_str(k);
        text.push('=');
        text.push_str(&v.replace(['\n', '\r'], " "));
        text.push('\n');
    };
    let opt = |v: Option<uuid::Uuid>| v.map(|v| v.to_string()).unwrap_or_default();
    put("record_id", &r.id.to_string());
    put("record_type", &r.record_type);
    put("call_id", &opt(r.call_id));
    put("rep_id", &r.rep_id.to_string());
    put("hcp_id", &r.hcp_id.to_string());
    put("occurred_at", &fact_time(r.occurred_at));
    put("state", &r.state);
    put("ship_to", r.ship_to.as_deref().unwrap_or_default());
    for l in &r.lines {
        let line = format!("{}|{}|{}", l.sku_id, opt(l.lot_id), l.quantity);
        put("line", &line);
    }
    put("corrects", &opt(r.corrects));
    put("signature_hash", &r.signature.hash);
    put("image_sha256", &r.signature.record.image_sha256);
    text
}

/// What checking the seals found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealReport {
    /// Records whose seal and signature check.
    pub sealed: i64,
    /// One line per record that does not, in id order.
    pub problems: Vec<String>,
}

/// Why a stored record fails its seal or its signature, if it does.
fn record_problem(keys: &Keyring, r: &NewSampleRecord, seal: Option<&str>) -> Option<String> {
    let id = r.id;
    let sig = &r.signature;
    if !sig.record.image_sha256.is_empty()
        && (sig.record.hash() != sig.hash || image_digest(&sig.image) != sig.record.image_sha256)
    {
        return Some(format!(
            "signed record {id}: its signature no longer binds its record and drawing"
        ));
    }
    match keys.check(&sealed_text(r), seal) {
        SealCheck::Valid => None,
        SealCheck::Missing => Some(format!("signed record {id} has no seal")),
        SealCheck::UnknownKey(key) => Some(format!(
            "signed record {id} is sealed with key '{key}', which the keyring does not hold"
        )),
        SealCheck::Invalid => Some(format!(
            "signed record {id}: its seal does not match its content (altered)"
        )),
    }
}

fn keys_of(store: &Store) -> Result<&Keyring> {
    store
        .keys()
        .ok_or_else(|| StorageError::Config("no seal keys to check seals with".into()))
}

impl Store {
    /// Checks every signed record's seal with the store's keys, and that each version 2
    /// signature still binds its record and drawing.
    pub async fn verify_seals(&self) -> Result<SealReport> {
        let keys = keys_of(self)?;
        let rows = sqlx::query(&format!(
            "SELECT {STORED_RECORD_COLUMNS}, seal FROM sample_records ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut report = SealReport {
            sealed: 0,
            problems: Vec::new(),
        };
        for row in &rows {
            let record = stored_record(row)?;
            match record_problem(keys, &record, get_opt_str(row, "seal")?.as_deref()) {
                Some(problem) => report.problems.push(problem),
                None => report.sealed += 1,
            }
        }
        Ok(report)
    }

    /// Seals the records stored before seals existed (migration 0010), once, after `audit
    /// verify` found them matching the audit log; returns how many were sealed.
    pub async fn seal_unsealed_records(&self) -> Result<i64> {
        let keys = keys_of(self)?;
        let rows = sqlx::query(&format!(
            "SELECT {STORED_RECORD_COLUMNS} FROM sample_records WHERE seal IS NULL ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut sealed = 0;
        for row in &rows {
            let record = stored_record(row)?;
            let done = stmt(
                "UPDATE sample_records SET seal = $1, image_sha256 = $2 WHERE id = $3 AND seal IS NULL",
                vec![
                    keys.seal(&sealed_text(&record)).into(),
                    record.signature.record.image_sha256.clone().into(),
                    get_str(row, "id")?.into(),
                ],
            )
            .query()
            .execute(self.pool())
            .await?;
            sealed += done.rows_affected() as i64;
        }
        Ok(sealed)
    }

    /// Ids of other stored records whose drawing has this digest (a drawing is never drawn
    /// twice alike, so a second use is a copy).
    pub async fn records_with_drawing(
        &self,
        image_sha256: &str,
        except: uuid::Uuid,
    ) -> Result<Vec<uuid::Uuid>> {
        let rows = stmt(
            "SELECT id FROM sample_records WHERE image_sha256 = $1 AND id <> $2 ORDER BY id",
            vec![image_sha256.to_string().into(), except.into()],
        )
        .query()
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| crate::sql::get_uuid(r, "id")).collect()
    }
}

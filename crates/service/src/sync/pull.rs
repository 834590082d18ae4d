//! Pull: what changed in the caller's scope since their cursor, in pages that add up to a
//! complete checkpoint, phase by phase (`Phase`). A change of scope (realignment, new
//! assignment, a new day crossing an effective date) turns the next pull into a reset so no
//! device keeps records it may no longer see.

use super::protocol::{Change, Entity, Op, Phase, SyncPage, MAX_PULL};
use crate::auth::Principal;
use crate::{samples, stewardship};
use crate::{Result, Store};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::call::picklists;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::ValidationErrors;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a device stands: the version and day of the state it holds completely, the scope
/// it was computed for, and the progress of a checkpoint being paged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    v: i64,
    d: NaiveDate,
    s: String,
    /// The version the checkpoint being paged is taken at (none once complete).
    #[serde(default)]
    t: Option<i64>,
    /// Position of the current phase in `Phase::ALL`.
    #[serde(default)]
    p: u8,
    /// The last id sent in the current phase, for phases paged by id.
    #[serde(default)]
    a: Option<Uuid>,
    /// Whether the checkpoint being paged is a reset.
    #[serde(default)]
    r: bool,
    /// Hash of the sample book the device holds (reps only).
    #[serde(default)]
    h: Option<String>,
}

impl Cursor {
    fn phase(&self) -> Option<Phase> {
        Phase::ALL.get(usize::from(self.p)).copied()
    }
}

fn fingerprint(scope: &Scope) -> String {
    match scope {
        Scope::All => "all".into(),
        Scope::Territories(ts) => {
            let mut ids: Vec<String> = ts.iter().map(Uuid::to_string).collect();
            ids.sort();
            ids.join(",")
        }
    }
}

fn encode(cursor: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(cursor).unwrap_or_default())
}

fn decode(text: &str) -> Result<Cursor> {
    URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            ValidationErrors::single("cursor", "is not a cursor returned by a pull").into()
        })
}

/// One page of the caller's checkpoint after `cursor` (none: from scratch).
pub async fn pull(
    store: &Store,
    principal: &Principal,
    cursor: Option<&str>,
    limit: i64,
) -> Result<SyncPage> {
    if !(1..=MAX_PULL).contains(&limit) {
        return Err(
            ValidationErrors::single("limit", format!("must be between 1 and {MAX_PULL}")).into(),
        );
    }
    let fp = fingerprint(&principal.scope);
    let mut c = start(store, cursor.map(decode).transpose()?, &fp).await?;
    let from = if c.r { None } else { Some(c.v) };
    let mut changes: Vec<Change> = Vec::new();
    while let Some(phase) = c.phase() {
        let room = limit - changes.len() as i64;
        if room <= 0 {
            break;
        }
        let (batch, last) = changes_of(store, principal, phase, &mut c, from, room).await?;
        let full = last.is_some() && batch.len() as i64 >= room;
        changes.extend(batch);
        if full {
            c.a = last;
        } else {
            c.p += 1;
            c.a = None;
        }
    }
    Ok(page(store, c, fp, changes))
}

/// The cursor this pull continues from: the checkpoint being paged, or a new one (a reset
/// when the scope changed or may have).
async fn start(store: &Store, previous: Option<Cursor>, fp: &str) -> Result<Cursor> {
    let today = store.today();
    Ok(match previous {
        Some(c) if c.t.is_some() && c.s == fp => c,
        Some(c) => {
            let reset =
                c.s != fp || c.t.is_some() || store.scope_may_have_changed(c.v, c.d, today).await?;
            Cursor {
                t: Some(store.current_version().await?),
                p: 0,
                a: None,
                r: reset,
                s: fp.to_string(),
                ..c
            }
        }
        None => Cursor {
            v: 0,
            d: today,
            s: fp.to_string(),
            t: Some(store.current_version().await?),
            p: 0,
            a: None,
            r: true,
            h: None,
        },
    })
}

/// The page for what was gathered; once every phase is sent, the cursor of a complete
/// checkpoint.
fn page(store: &Store, c: Cursor, fp: String, changes: Vec<Change>) -> SyncPage {
    let reset = c.r;
    let next_phase = c.phase();
    let cursor = if next_phase.is_none() {
        Cursor {
            v: c.t.unwrap_or(c.v),
            d: store.today(),
            s: fp,
            t: None,
            p: 0,
            a: None,
            r: false,
            h: c.h,
        }
    } else {
        c
    };
    SyncPage {
        reset,
        changes,
        cursor: encode(&cursor),
        has_more: next_phase.is_some(),
        next_phase,
    }
}

/// The changes of one phase after `c.a` (at most `room` for phases paged by id), and the last
/// id sent when the phase is paged.
async fn changes_of(
    store: &Store,
    principal: &Principal,
    phase: Phase,
    c: &mut Cursor,
    from: Option<i64>,
    room: i64,
) -> Result<(Vec<Change>, Option<Uuid>)> {
    let scope = &principal.scope;
    let tier = match phase {
        Phase::HcpsTierA => Some(Tier::A),
        Phase::HcpsTierB => Some(Tier::B),
        Phase::HcpsTierC => Some(Tier::C),
        _ => None,
    };
    Ok(match phase {
        Phase::Picklists if c.r => (
            vec![put(Entity::Picklists, "picklists", &picklists())],
            None,
        ),
        Phase::Picklists => (vec![], None),
        Phase::Products => {
            let ids = store.changed_product_ids(from).await?;
            let products = store.products().await?;
            let changed = products.iter().filter(|p| ids.contains(&p.id));
            (puts(Entity::Product, changed, |p| p.id), None)
        }
        Phase::Targets => {
            let targets = store.frequency_targets(from).await?;
            (puts(Entity::Target, &targets, |t| t.id.clone()), None)
        }
        Phase::Samples if principal.may(Permission::HoldSamples) => {
            let book = samples::book(store, principal).await?;
            let hash = book_hash(&book);
            if c.r || c.h.as_deref() != Some(hash.as_str()) {
                c.h = Some(hash);
                (vec![put(Entity::Samples, "samples", &book)], None)
            } else {
                (vec![], None)
            }
        }
        Phase::Samples => (vec![], None),
        Phase::HcpsTierA | Phase::HcpsTierB | Phase::HcpsTierC | Phase::HcpsUntiered => {
            let ids = store.changed_hcp_ids(scope, from, tier, c.a, room).await?;
            let profiles = store.hcp_profiles(scope, &ids).await?;
            (puts(Entity::Hcp, &profiles, |h| h.id), ids.last().copied())
        }
        Phase::Accounts => {
            let rows = store.changed_accounts(scope, from, c.a, room).await?;
            (
                puts(Entity::Account, &rows, |a| a.id),
                rows.last().map(|a| a.id),
            )
        }
        Phase::Calls => {
            let rows = store.changed_calls(scope, from, c.a, room).await?;
            (
                puts(Entity::Call, &rows, |x| x.id),
                rows.last().map(|x| x.id),
            )
        }
        Phase::Notices => {
            let notices = store.notices_of(principal.user.id, from).await?;
            (puts(Entity::Notice, &notices, |n| n.id), None)
        }
        Phase::Requests => {
            let rows = stewardship::own_requests_since(store, principal, from).await?;
            (puts(Entity::DataRequest, &rows, |r| r.id), None)
        }
        Phase::Matching => {
            let settings = store.matching_settings().await?;
            if from.is_none_or(|v| settings.version > v) {
                let model = crate::matching::DeviceModel {
                    parameters: settings.parameters,
                    thresholds: settings.thresholds,
                };
                (vec![put(Entity::Matching, "matching", &model)], None)
            } else {
                (vec![], None)
            }
        }
    })
}

/// A short digest of the sample book, so an unchanged book is not sent again.
fn book_hash(book: &pharmacrm_domain::sample::views::SampleBook) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(serde_json::to_vec(book).unwrap_or_default());
    URL_SAFE_NO_PAD.encode(&digest[..12])
}

fn put<T: Serialize>(entity: Entity, id: &str, data: &T) -> Change {
    Change {
        entity,
        id: id.into(),
        op: Op::Put,
        data: serde_json::to_value(data).ok(),
    }
}

fn puts<'a, T: Serialize + 'a, Id: ToString>(
    entity: Entity,
    records: impl IntoIterator<Item = &'a T>,
    id: impl Fn(&T) -> Id,
) -> Vec<Change> {
    records
        .into_iter()
        .map(|r| put(entity, &id(r).to_string(), r))
        .collect()
}

//! The alignment as people read it: which territory each ZIP and each account override
//! belongs to on any day, past or future, and the published changes still to come. Ops and
//! admin see every territory; reps and managers their own (the scope, applied in storage).
//! The question is checked here (the day readable, the ZIP filter digits, the page bounded)
//! before storage is asked.

use crate::auth::Principal;
use crate::Result;
use chrono::NaiveDate;
use pharmacrm_domain::alignment::{
    readable_day, zip_prefix, AlignedKind, AlignmentPage, ScheduledChanges,
};
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::alignment_reads::AlignmentFilter;
use pharmacrm_storage::{page, Store};
use uuid::Uuid;

/// What to read of the alignment on a day.
#[derive(Debug, Clone)]
pub struct AsOf {
    pub on: NaiveDate,
    pub territory: Option<Uuid>,
    /// The first one to five digits of a ZIP.
    pub zip: Option<String>,
    pub kind: Option<AlignedKind>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// A page: the cursor of the previous one and a size.
#[derive(Debug, Clone, Default)]
pub struct PageOf {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn page_size(errors: &mut ValidationErrors, limit: Option<i64>) -> i64 {
    errors
        .check(
            "limit",
            page::limit(limit).map_err(|e| e.0[0].message.clone()),
        )
        .unwrap_or(page::DEFAULT_LIMIT)
}

/// The alignment holding on `query.on`: ZIPs, then account overrides, in the reader's scope.
pub async fn as_of(store: &Store, principal: &Principal, query: &AsOf) -> Result<AlignmentPage> {
    principal.require(Permission::ReadAlignments)?;
    let mut errors = ValidationErrors::new();
    let day = errors.check("on", readable_day(query.on));
    let zip = text(&query.zip).and_then(|z| errors.check("zip", zip_prefix(&z)));
    let limit = page_size(&mut errors, query.limit);
    let day = errors.into_result(|| day)?.unwrap_or(query.on);
    let filter = AlignmentFilter {
        territory: query.territory,
        zip_prefix: zip,
        kind: query.kind,
    };
    Ok(store
        .alignment_on(
            &principal.scope,
            day,
            &filter,
            text(&query.cursor).as_deref(),
            limit,
        )
        .await?)
}

/// The published changes taking effect after `today`, out of or into the reader's
/// territories (`territory`: out of or into that one), soonest first.
pub async fn scheduled(
    store: &Store,
    principal: &Principal,
    today: NaiveDate,
    territory: Option<Uuid>,
    page: &PageOf,
) -> Result<ScheduledChanges> {
    principal.require(Permission::ReadAlignments)?;
    let mut errors = ValidationErrors::new();
    let limit = page_size(&mut errors, page.limit);
    errors.into_result(|| ())?;
    Ok(store
        .scheduled_changes(
            &principal.scope,
            today,
            territory,
            text(&page.cursor).as_deref(),
            limit,
        )
        .await?)
}

//! Data completeness monitoring: per territory, district or region (within the reader's
//! scope) and month, the share of call reports complete within 24 hours, of active HCPs
//! with current segmentation, and of sample records with a signature; plus the scope's total.

use crate::auth::Principal;
use crate::{Result, Store};
use chrono::{Datelike, Duration, NaiveDate};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::completeness::{
    call_report_complete, method, segmentation_current, CompletenessReport, CompletenessRow, Share,
    UnitRef,
};
use pharmacrm_domain::org::{OrgLevel, OrgUnit};
use pharmacrm_domain::ValidationErrors;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Most months one report covers.
pub const MAX_MONTHS: u32 = 24;

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn next_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day)
}

#[derive(Default, Clone)]
struct Cell {
    calls: Share,
    segmentation: Share,
    signatures: Share,
}

/// The report for the `months` months up to and including the current one.
pub async fn report(
    store: &Store,
    principal: &Principal,
    level: OrgLevel,
    months: u32,
) -> Result<CompletenessReport> {
    check_request(level, months)?;
    let today = store.today();
    let starts = month_starts(today, months);
    let from = starts[0];
    let to = next_month(month_start(today));
    let labels: Vec<String> = starts.iter().map(|d| month_label(*d)).collect();
    let tree = store.org_tree().await?;
    let roll_up = RollUp::new(&tree, &principal.scope, level);
    let mut cells = Cells::new();
    add_call_reports(store, &roll_up, from, to, &mut cells).await?;
    add_segmentation(store, &roll_up, today, &starts, &labels, &mut cells).await?;
    add_signatures(store, &roll_up, from, to, &mut cells).await?;
    let rows = rows_with_totals(&cells, &roll_up.units, &labels);
    Ok(CompletenessReport {
        level,
        months: labels,
        rows,
        method: method(),
    })
}

/// The shares of each unit and month (`YYYY-MM`).
type Cells = BTreeMap<(Uuid, String), Cell>;

/// Between 1 and [`MAX_MONTHS`] months, by territory, district or region.
fn check_request(level: OrgLevel, months: u32) -> Result<()> {
    if !(1..=MAX_MONTHS).contains(&months) {
        return Err(ValidationErrors::single(
            "months",
            format!("must be between 1 and {MAX_MONTHS}"),
        )
        .into());
    }
    if !matches!(
        level,
        OrgLevel::Territory | OrgLevel::District | OrgLevel::Region
    ) {
        return Err(
            ValidationErrors::single("level", "must be territory, district or region").into(),
        );
    }
    Ok(())
}

/// The first days of the `months` months up to and including today's, oldest first.
fn month_starts(today: NaiveDate, months: u32) -> Vec<NaiveDate> {
    let mut starts = vec![month_start(today)];
    while starts.len() < months as usize {
        let first = starts[0] - Duration::days(1);
        starts.insert(0, month_start(first));
    }
    starts
}

fn month_label(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The org units by id, and the unit of the report's level each territory in the reader's
/// scope rolls up to.
struct RollUp<'a> {
    units: HashMap<Uuid, &'a OrgUnit>,
    scope: &'a Scope,
    level: OrgLevel,
}

impl<'a> RollUp<'a> {
    fn new(tree: &'a [OrgUnit], scope: &'a Scope, level: OrgLevel) -> Self {
        RollUp {
            units: tree.iter().map(|u| (u.id, u)).collect(),
            scope,
            level,
        }
    }

    /// The unit of the level a territory rolls up to, if the territory is in the reader's
    /// scope.
    fn unit_of(&self, territory: Option<Uuid>) -> Option<Uuid> {
        let t = territory?;
        if let Scope::Territories(ts) = self.scope {
            if !ts.contains(&t) {
                return None;
            }
        }
        let mut unit = self.units.get(&t)?;
        while unit.level != self.level {
            unit = self.units.get(&unit.parent_id?)?;
        }
        Some(unit.id)
    }
}

/// Call reports complete within 24 hours, per unit and month of the call.
async fn add_call_reports(
    store: &Store,
    roll_up: &RollUp<'_>,
    from: NaiveDate,
    to: NaiveDate,
    cells: &mut Cells,
) -> Result<()> {
    for c in store.call_report_facts(from, to).await? {
        if let Some(u) = roll_up.unit_of(c.territory_id) {
            let complete = call_report_complete(
                c.called_at,
                c.submitted_at,
                &c.outcome,
                &c.next_step,
                c.products,
            );
            cells
                .entry((u, month_label(c.called_at.date_naive())))
                .or_default()
                .calls
                .add(complete);
        }
    }
    Ok(())
}

/// Active HCPs with current segmentation on the last day of each month (today for this
/// month), judged against the targeting version in force then.
async fn add_segmentation(
    store: &Store,
    roll_up: &RollUp<'_>,
    today: NaiveDate,
    starts: &[NaiveDate],
    labels: &[String],
    cells: &mut Cells,
) -> Result<()> {
    let segmentation = store.segmentation_facts().await?;
    let published: Vec<NaiveDate> = store
        .targeting_versions()
        .await?
        .iter()
        .filter_map(|v| v.published_at.as_ref().and(v.effective_from))
        .collect();
    for (start, label) in starts.iter().zip(labels) {
        let last_day = (next_month(*start) - Duration::days(1)).min(today);
        let in_force_from = published.iter().filter(|d| **d <= last_day).max().copied();
        for h in &segmentation {
            if let Some(u) = roll_up.unit_of(h.territory_id) {
                let current = h
                    .latest_set_on
                    .is_some_and(|d| segmentation_current(d, last_day, in_force_from));
                cells
                    .entry((u, label.clone()))
                    .or_default()
                    .segmentation
                    .add(current);
            }
        }
    }
    Ok(())
}

/// Sample records with a signature, per unit and month.
async fn add_signatures(
    store: &Store,
    roll_up: &RollUp<'_>,
    from: NaiveDate,
    to: NaiveDate,
    cells: &mut Cells,
) -> Result<()> {
    for s in store.signature_facts(from, to).await? {
        if let Some(u) = roll_up.unit_of(s.territory_id) {
            cells
                .entry((u, month_label(s.day)))
                .or_default()
                .signatures
                .add(s.signed);
        }
    }
    Ok(())
}

/// One row per unit and month, sorted by unit code then month, followed by the scope's
/// total of each month.
fn rows_with_totals(
    cells: &Cells,
    units: &HashMap<Uuid, &OrgUnit>,
    labels: &[String],
) -> Vec<CompletenessRow> {
    let mut totals: BTreeMap<String, Cell> = BTreeMap::new();
    let mut rows = Vec::new();
    for ((unit, month), cell) in cells {
        let total = totals.entry(month.clone()).or_default();
        total.calls.merge(&cell.calls);
        total.segmentation.merge(&cell.segmentation);
        total.signatures.merge(&cell.signatures);
        let u = units.get(unit).map(|u| UnitRef {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
        });
        rows.push(CompletenessRow {
            unit: u,
            month: month.clone(),
            call_reports: cell.calls,
            segmentation: cell.segmentation,
            signatures: cell.signatures,
        });
    }
    rows.sort_by(|a, b| {
        let code =
            |r: &CompletenessRow| r.unit.as_ref().map(|u| u.code.clone()).unwrap_or_default();
        code(a).cmp(&code(b)).then(a.month.cmp(&b.month))
    });
    for label in labels {
        let t = totals.get(label).cloned().unwrap_or_default();
        rows.push(CompletenessRow {
            unit: None,
            month: label.clone(),
            call_reports: t.calls,
            segmentation: t.segmentation,
            signatures: t.signatures,
        });
    }
    rows
}

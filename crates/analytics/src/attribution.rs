//! Calls by territory, district and region over a period, each call counted where its HCP
//! belonged on the call's date (stored with the call when it was submitted). A year that
//! spans a realignment therefore splits an HCP's calls between the old and the new
//! territory, and no call falls into neither.

use chrono::NaiveDate;
use pharmacrm_domain::org::{OrgLevel, OrgUnit};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// Where one call is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallUnits {
    pub territory_id: Option<Uuid>,
    pub district_id: Option<Uuid>,
    pub region_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitCalls {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// The district or region above (territories and districts).
    pub parent_id: Option<Uuid>,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttributionReport {
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    pub territories: Vec<UnitCalls>,
    pub districts: Vec<UnitCalls>,
    pub regions: Vec<UnitCalls>,
    /// Calls whose HCP was in no territory on the call's date.
    pub unattributed: u32,
    pub total: u32,
    pub method: String,
}

pub const METHOD: &str = "Each call is counted once, in the territory its (first) HCP was aligned to on the call's date and in \
that territory's district and region on that date, as recorded when the call was submitted; a corrected call counts through its \
correction only. Units with no calls in the period are listed with 0.";

/// Counts `calls` per unit of `tree` (only units in `visible`; every level of the tree is
/// listed so empty units show 0).
pub fn attribute(
    from: NaiveDate,
    to: NaiveDate,
    tree: &[OrgUnit],
    visible: &[Uuid],
    calls: &[CallUnits],
) -> AttributionReport {
    let mut counts: HashMap<Uuid, u32> = HashMap::new();
    let mut unattributed = 0;
    for c in calls {
        match c.territory_id {
            None => unattributed += 1,
            Some(t) => {
                for unit in [Some(t), c.district_id, c.region_id].into_iter().flatten() {
                    *counts.entry(unit).or_default() += 1;
                }
            }
        }
    }
    let districts_visible: Vec<Uuid> = tree
        .iter()
        .filter(|u| visible.contains(&u.id))
        .filter_map(|u| u.parent_id)
        .collect();
    let regions_visible: Vec<Uuid> = tree
        .iter()
        .filter(|u| districts_visible.contains(&u.id))
        .filter_map(|u| u.parent_id)
        .collect();
    let list = |level: OrgLevel, shown: &dyn Fn(&OrgUnit) -> bool| -> Vec<UnitCalls> {
        let mut units: Vec<UnitCalls> = tree
            .iter()
            .filter(|u| u.level == level && shown(u))
            .map(|u| UnitCalls {
                id: u.id,
                code: u.code.clone(),
                name: u.name.clone(),
                parent_id: u.parent_id,
                calls: counts.get(&u.id).copied().unwrap_or(0),
            })
            .collect();
        units.sort_by(|a, b| a.code.cmp(&b.code));
        units
    };
    AttributionReport {
        from,
        to,
        territories: list(OrgLevel::Territory, &|u| visible.contains(&u.id)),
        districts: list(OrgLevel::District, &|u| districts_visible.contains(&u.id)),
        regions: list(OrgLevel::Region, &|u| regions_visible.contains(&u.id)),
        unattributed,
        total: calls.len() as u32,
        method: METHOD.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(level: OrgLevel, code: &str, parent: Option<Uuid>) -> OrgUnit {
        OrgUnit {
            id: Uuid::now_v7(),
            level,
            code: code.into(),
            name: code.into(),
            parent_id: parent,
        }
    }

    #[test]
    fn calls_count_in_their_territory_district_and_region_of_the_day() {
        let r = unit(OrgLevel::Region, "R1", None);
        let (d1, d2) = (
            unit(OrgLevel::District, "D1", Some(r.id)),
            unit(OrgLevel::District, "D2", Some(r.id)),
        );
        let (t1, t2) = (
            unit(OrgLevel::Territory, "T1", Some(d1.id)),
            unit(OrgLevel::Territory, "T2", Some(d2.id)),
        );
        let tree = vec![r.clone(), d1.clone(), d2.clone(), t1.clone(), t2.clone()];
        let at = |t: &OrgUnit, d: &OrgUnit| CallUnits {
            territory_id: Some(t.id),
            district_id: Some(d.id),
            region_id: Some(r.id),
        };
        let calls = [
            at(&t1, &d1),
            at(&t1, &d1),
            at(&t2, &d2),
            CallUnits {
                territory_id: None,
                district_id: None,
                region_id: None,
            },
        ];
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let report = attribute(day, day, &tree, &[t1.id, t2.id], &calls);
        let calls_of = |list: &[UnitCalls]| {
            list.iter()
                .map(|u| (u.code.clone(), u.calls))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            calls_of(&report.territories),
            vec![("T1".into(), 2), ("T2".into(), 1)]
        );
        assert_eq!(
            calls_of(&report.districts),
            vec![("D1".into(), 2), ("D2".into(), 1)]
        );
        assert_eq!(calls_of(&report.regions), vec![("R1".into(), 3)]);
        assert_eq!((report.unattributed, report.total), (1, 4));
    }
}

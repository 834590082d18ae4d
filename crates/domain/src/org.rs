//! The sales organisation: nation > region > district > territory, and effective-dated
//! assignments of people to its units (a rep to a territory, a manager to a district).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgLevel {
    Nation,
    Region,
    District,
    Territory,
}

impl OrgLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgLevel::Nation => "nation",
            OrgLevel::Region => "region",
            OrgLevel::District => "district",
            OrgLevel::Territory => "territory",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            OrgLevel::Nation,
            OrgLevel::Region,
            OrgLevel::District,
            OrgLevel::Territory,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }

    /// The level a unit of this level hangs under.
    pub fn parent(self) -> Option<OrgLevel> {
        match self {
            OrgLevel::Nation => None,
            OrgLevel::Region => Some(OrgLevel::Nation),
            OrgLevel::District => Some(OrgLevel::Region),
            OrgLevel::Territory => Some(OrgLevel::District),
        }
    }
}

/// One node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: Uuid,
    pub level: OrgLevel,
    pub code: String,
    pub name: String,
    pub parent_id: Option<Uuid>,
}

/// A short reference to a territory, as shown next to an HCP or account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TerritoryRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// A date range `[from, to)`; `to = None` means open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Effective {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Effective {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day < to)
    }
}

/// The district and region above a territory (`None` where the tree has no such level).
pub fn district_and_region(tree: &[OrgUnit], territory: Uuid) -> (Option<Uuid>, Option<Uuid>) {
    let parent = |id: Uuid| tree.iter().find(|u| u.id == id).and_then(|u| u.parent_id);
    let level = |id: Uuid, l: OrgLevel| tree.iter().any(|u| u.id == id && u.level == l);
    let district = parent(territory).filter(|d| level(*d, OrgLevel::District));
    let region = district
        .and_then(parent)
        .filter(|r| level(*r, OrgLevel::Region));
    (district, region)
}

/// Every territory at or below the given units, `units` being any level of the tree.
pub fn territories_under(tree: &[OrgUnit], units: &[Uuid]) -> Vec<Uuid> {
    let mut frontier: Vec<Uuid> = units.to_vec();
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = frontier.pop() {
        if !seen.insert(id) {
            continue;
        }
        for unit in tree {
            if unit.id == id && unit.level == OrgLevel::Territory {
                found.push(id);
            }
            if unit.parent_id == Some(id) {
                frontier.push(unit.id);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(level: OrgLevel, code: &str, parent: Option<Uuid>) -> OrgUnit {
        OrgUnit {
            id: crate::new_id(),
            level,
            code: code.into(),
            name: code.into(),
            parent_id: parent,
        }
    }

    #[test]
    fn a_district_covers_its_territories_only() {
        let nation = unit(OrgLevel::Nation, "US", None);
        let region = unit(OrgLevel::Region, "R1", Some(nation.id));
        let d1 = unit(OrgLevel::District, "D1", Some(region.id));
        let d2 = unit(OrgLevel::District, "D2", Some(region.id));
        let t1 = unit(OrgLevel::Territory, "T1", Some(d1.id));
        let t2 = unit(OrgLevel::Territory, "T2", Some(d1.id));
        let t3 = unit(OrgLevel::Territory, "T3", Some(d2.id));
        let tree = vec![
            nation.clone(),
            region,
            d1.clone(),
            d2,
            t1.clone(),
            t2.clone(),
            t3.clone(),
        ];
        let mut expected = vec![t1.id, t2.id];
        expected.sort();
        assert_eq!(territories_under(&tree, &[d1.id]), expected);
        assert_eq!(territories_under(&tree, &[t3.id]), vec![t3.id]);
        assert_eq!(territories_under(&tree, &[nation.id]).len(), 3);
    }

    #[test]
    fn effective_ranges_are_half_open() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let range = Effective {
            from: d("2026-01-01"),
            to: Some(d("2026-04-01")),
        };
        assert!(range.contains(d("2026-01-01")));
        assert!(range.contains(d("2026-03-31")));
        assert!(!range.contains(d("2026-04-01")));
        assert!(!range.contains(d("2025-12-31")));
    }
}

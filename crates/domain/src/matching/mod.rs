//! Duplicate detection for HCP master data: how two person records are compared field by
//! field ([`compare`]), which candidates a record is compared with ([`blocking_keys`]), and
//! the Fellegi–Sunter model that turns a comparison into an explained score and one of three
//! outcomes ([`model`]). An NPI shared by two records decides on its own; everything else is
//! weighed by parameters estimated from the data ([`model::Parameters::estimate`]).
//!
//! Names are transliterated to ASCII (`Müller` → `muller`, `Александр` → `aleksandr`),
//! compared with Jaro–Winkler, nicknames meet at their formal name ("Bob" is "Robert"), and
//! first and last names are compared both ways round so swapped names still agree.

pub mod model;
pub mod nicknames;

use rphonetic::{Encoder, Soundex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use strsim::jaro_winkler;
use utoipa::ToSchema;

/// What the matcher knows of one person record. Every field but the names may be missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MatchRecord {
    #[serde(default)]
    pub npi: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// NUCC taxonomy code.
    #[serde(default)]
    pub specialty_code: Option<String>,
    /// Street line (house number and street).
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub zip: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Ids (or names) of the accounts the person is affiliated with.
    #[serde(default)]
    pub affiliations: Vec<String>,
}

/// The fields the model weighs, in the order of [`Comparison::levels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    LastName,
    FirstName,
    Specialty,
    Street,
    Locality,
    Phone,
    Affiliation,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::LastName,
        Field::FirstName,
        Field::Specialty,
        Field::Street,
        Field::Locality,
        Field::Phone,
        Field::Affiliation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::LastName => "last_name",
            Field::FirstName => "first_name",
            Field::Specialty => "specialty",
            Field::Street => "street",
            Field::Locality => "locality",
            Field::Phone => "phone",
            Field::Affiliation => "affiliation",
        }
    }

    /// The names of this field's agreement levels, strongest first; the last is "disagrees".
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::LastName => &["exact", "similar", "different"],
            Field::FirstName => &["exact", "nickname", "similar", "initial", "different"],
            Field::Specialty => &["same", "different"],
            Field::Street => &["exact", "similar", "different"],
            Field::Locality => &["same_zip", "same_city", "different"],
            Field::Phone => &["same", "different"],
            Field::Affiliation => &["shared", "different"],
        }
    }
}

/// How two records agree: one level per [`Field`] (index into [`Field::levels`]), `None`
/// where either record lacks the field; `swapped` when first and last names agree crosswise;
/// `blocked` the fields a shared blocking key already forces to agree (a pair found through
/// its names says nothing, when estimating, about how often duplicates' names agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Comparison {
    pub levels: [Option<u8>; 7],
    pub swapped: bool,
    pub blocked: [bool; 7],
}

/// The fields agreeing because two records share a blocking key of this kind.
fn fields_forced_by(key: &str) -> &'static [Field] {
    match key.split(':').next().unwrap_or_default() {
        "n" => &Field::ALL,
        "p" => &[Field::Phone],
        "s" => &[Field::LastName, Field::FirstName],
        "y" => &[Field::LastName, Field::FirstName, Field::Locality],
        "z" => &[Field::Locality, Field::FirstName],
        "a" => &[Field::Street, Field::Locality],
        _ => &[],
    }
}

/// Jaro–Winkler similarity at or above which two names are "similar".
const NAME_SIMILAR: f64 = 0.88;
/// Jaro–Winkler similarity at or above which two street lines are "similar".
const STREET_SIMILAR: f64 = 0.88;

/// Lower-case ASCII letters only: transliterated, accents, spaces, hyphens and apostrophes
/// removed ("O'Brien-Smith" → "obriensmith", "José" → "jose").
pub fn normalize_name(s: &str) -> String {
    deunicode::deunicode(s)
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A street line in one spelling: transliterated, lower case, punctuation dropped and the
/// USPS suffix and direction abbreviations applied ("12 North Main Street, Suite 4" →
/// "12 n main st ste 4").
pub fn normalize_street(s: &str) -> String {
    let text: String = deunicode::deunicode(s)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    text.split_whitespace()
        .map(|w| match w {
            "street" => "st",
            "avenue" => "ave",
            "av" => "ave",
            "road" => "rd",
            "drive" => "dr",
            "boulevard" => "blvd",
            "lane" => "ln",
            "court" => "ct",
            "place" => "pl",
            "parkway" => "pkwy",
            "highway" => "hwy",
            "suite" => "ste",
            "apartment" | "apt" => "ste",
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The last ten digits of a phone number, or `None` when it has fewer than seven.
pub fn normalize_phone(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let start = digits.len().saturating_sub(10);
    (digits.len() >= 7).then(|| digits[start..].to_string())
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn zip5(v: &Option<String>) -> Option<String> {
    present(v)
        .map(|z| {
            z.chars()
                .filter(char::is_ascii_digit)
                .take(5)
                .collect::<String>()
        })
        .filter(|z| z.len() == 5)
}

fn last_level(a: &str, b: &str) -> u8 {
    if a == b {
        0
    } else if jaro_winkler(a, b) >= NAME_SIMILAR {
        1
    } else {
        2
    }
}

fn first_level(a: &str, b: &str) -> u8 {
    if a == b {
        0
    } else if nicknames::equivalent(a, b) {
        1
    } else if jaro_winkler(a, b) >= NAME_SIMILAR {
        2
    } else if !a.is_empty() && !b.is_empty() && (a.len() == 1 || b.len() == 1) && a[..1] == b[..1] {
        3
    } else {
        4
    }
}

/// Compares two records field by field.
pub fn compare(a: &MatchRecord, b: &MatchRecord) -> Comparison {
    let (af, al) = (normalize_name(&a.first_name), normalize_name(&a.last_name));
    let (bf, bl) = (normalize_name(&b.first_name), normalize_name(&b.last_name));
    let straight = (last_level(&al, &bl), first_level(&af, &bf));
    let crossed = (last_level(&al, &bf), first_level(&af, &bl));
    let swapped = (crossed.0 + crossed.1) < (straight.0 + straight.1);
    let (last, first) = if swapped { crossed } else { straight };

    let specialty = match (present(&a.specialty_code), present(&b.specialty_code)) {
        (Some(x), Some(y)) => Some(u8::from(!x.eq_ignore_ascii_case(y))),
        _ => None,
    };
    let street = match (present(&a.street), present(&b.street)) {
        (Some(x), Some(y)) => {
            let (x, y) = (normalize_street(x), normalize_street(y));
            Some(if x == y {
                0
            } else if jaro_winkler(&x, &y) >= STREET_SIMILAR {
                1
            } else {
                2
            })
        }
        _ => None,
    };
    let (za, zb) = (zip5(&a.zip), zip5(&b.zip));
    let city_a = present(&a.city)
        .map(normalize_name)
        .zip(present(&a.state).map(str::to_ascii_uppercase));
    let city_b = present(&b.city)
        .map(normalize_name)
        .zip(present(&b.state).map(str::to_ascii_uppercase));
    let locality = match (&za, &zb, &city_a, &city_b) {
        (Some(x), Some(y), _, _) if x == y => Some(0),
        (_, _, Some(x), Some(y)) if x == y => Some(1),
        (Some(_), Some(_), _, _) | (_, _, Some(_), Some(_)) => Some(2),
        _ => None,
    };
    let phone = match (
        present(&a.phone).and_then(normalize_phone),
        present(&b.phone).and_then(normalize_phone),
    ) {
        (Some(x), Some(y)) => Some(u8::from(x != y)),
        _ => None,
    };
    let affiliation = if a.affiliations.is_empty() || b.affiliations.is_empty() {
        None
    } else {
        Some(u8::from(
            !a.affiliations.iter().any(|x| b.affiliations.contains(x)),
        ))
    };
    let mut blocked = [false; 7];
    let b_keys = blocking_keys(b);
    for key in blocking_keys(a).iter().filter(|k| b_keys.contains(k)) {
        for field in fields_forced_by(key) {
            blocked[*field as usize] = true;
        }
    }
    Comparison {
        levels: [
            Some(last),
            Some(first),
            specialty,
            street,
            locality,
            phone,
            affiliation,
        ],
        swapped,
        blocked,
    }
}

/// Whether both records carry the same NPI (which decides a match on its own).
pub fn same_npi(a: &MatchRecord, b: &MatchRecord) -> bool {
    matches!((present(&a.npi), present(&b.npi)), (Some(x), Some(y)) if x == y)
}

fn soundex(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        Soundex::default().encode(name)
    }
}

/// The street line without its suite or unit, for blocking ("12 n main st ste 4" →
/// "12 n main st").
fn street_key(line: &str) -> String {
    let street = normalize_street(line);
    match street.find(" ste ") {
        Some(i) => street[..i].to_string(),
        None => street,
    }
}

/// The keys under which a record is filed for candidate search: two records are compared
/// only when they share a key. One key per NPI; per phone; per sound of the last name with
/// the first letter of each formal first name (both name orders, so swapped names meet; the
/// sound alone when there is no first name); per ZIP with each formal first name (so a
/// misspelt last name still meets its twin at the same address); per ZIP with the sound of
/// each name (a replaced or misspelt first name); and per ZIP and street line.
pub fn blocking_keys(r: &MatchRecord) -> Vec<String> {
    let mut keys = BTreeSet::new();
    if let Some(npi) = present(&r.npi) {
        keys.insert(format!("n:{npi}"));
    }
    if let Some(phone) = present(&r.phone).and_then(normalize_phone) {
        keys.insert(format!("p:{phone}"));
    }
    let (first, last) = (normalize_name(&r.first_name), normalize_name(&r.last_name));
    for (surname, given) in [(&last, &first), (&first, &last)] {
        let code = soundex(surname);
        if code.is_empty() {
            continue;
        }
        for formal in nicknames::formal_names(given) {
            let initial = formal.chars().next().map(String::from).unwrap_or_default();
            keys.insert(format!("s:{code}:{initial}"));
        }
    }
    if let Some(zip) = zip5(&r.zip) {
        for formal in nicknames::formal_names(&first) {
            if !formal.is_empty() {
                keys.insert(format!("z:{zip}:{formal}"));
            }
        }
        for name in [&first, &last] {
            let code = soundex(name);
            if !code.is_empty() {
                keys.insert(format!("y:{zip}:{code}"));
            }
        }
        if let Some(street) = present(&r.street).map(street_key).filter(|s| !s.is_empty()) {
            keys.insert(format!("a:{zip}:{street}"));
        }
    }
    keys.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn person(first: &str, last: &str, street: &str, zip: &str) -> MatchRecord {
        MatchRecord {
            first_name: first.into(),
            last_name: last.into(),
            specialty_code: Some("207RC0000X".into()),
            street: Some(street.into()),
            city: Some("Boston".into()),
            state: Some("MA".into()),
            zip: Some(zip.into()),
            ..MatchRecord::default()
        }
    }

    #[test]
    fn names_are_transliterated_and_streets_abbreviated() {
        assert_eq!(normalize_name("José O'Brien-Núñez"), "joseobriennunez");
        assert_eq!(normalize_name("Александр"), "aleksandr");
        assert_eq!(
            normalize_street("12 North Main Street, Suite 4"),
            "12 n main st ste 4"
        );
        assert_eq!(
            normalize_phone("+1 (617) 555-0134").as_deref(),
            Some("6175550134")
        );
        assert_eq!(normalize_phone("555"), None);
    }

    #[test]
    fn spelling_variants_nicknames_and_swaps_agree() {
        let a = person("Robert", "Smith", "12 Main Street", "02139");
        let typo = compare(&a, &person("Robert", "Smyth", "12 Main St", "02139"));
        assert_eq!(
            typo.levels[..5],
            [Some(1), Some(0), Some(0), Some(0), Some(0)]
        );
        let nick = compare(&a, &person("Bob", "Smith", "12 Main St.", "02139"));
        assert_eq!(nick.levels[1], Some(1));
        let swapped = compare(&a, &person("Smith", "Robert", "12 Main St", "02139"));
        assert!(swapped.swapped);
        assert_eq!(swapped.levels[..2], [Some(0), Some(0)]);
        let across_town = compare(&a, &person("Robert", "Smith", "400 Elm Avenue", "02118"));
        assert_eq!(across_town.levels[3..5], [Some(2), Some(1)]);
        let moved = MatchRecord {
            city: Some("New York".into()),
            state: Some("NY".into()),
            ..person("Robert", "Smith", "400 Elm Avenue", "10001")
        };
        assert_eq!(compare(&a, &moved).levels[3..5], [Some(2), Some(2)]);
        let missing = compare(
            &a,
            &MatchRecord {
                first_name: "R".into(),
                last_name: "Smith".into(),
                ..MatchRecord::default()
            },
        );
        assert_eq!(
            missing.levels,
            [Some(0), Some(3), None, None, None, None, None]
        );
    }

    #[test]
    fn variants_share_a_blocking_key() {
        let a = person("Robert", "Smith", "12 Main Street", "02139");
        let shares = |b: &MatchRecord| {
            blocking_keys(&a)
                .iter()
                .any(|k| blocking_keys(b).contains(k))
        };
        assert!(shares(&person("Bob", "Smyth", "1 Elm St", "10001")));
        assert!(shares(&person("Smith", "Robert", "1 Elm St", "10001")));
        assert!(shares(&person("Robert", "Psmith", "12 Main St", "02139")));
        assert!(!shares(&person("Alice", "Jones", "9 Oak Rd", "02139")));
        assert!(
            shares(&person("Alice", "Jones", "12 Main St., Suite 4", "02139")),
            "one address"
        );
    }
}

//! Healthcare professionals: identity (NPI), specialty, licences, status, call preferences
//! and the do-not-call flag. [`HcpInput`] is what a user or a file supplies;
//! [`HcpRecord`] is the same data once every rule has passed.

use crate::address::{parse_state, Address};
use crate::npi::Npi;
use crate::validation::{optional, required, ValidationErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum HcpStatus {
    #[default]
    Active,
    Retired,
    Deceased,
}

impl HcpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HcpStatus::Active => "active",
            HcpStatus::Retired => "retired",
            HcpStatus::Deceased => "deceased",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "active" => Ok(HcpStatus::Active),
            "retired" => Ok(HcpStatus::Retired),
            "deceased" => Ok(HcpStatus::Deceased),
            other => Err(format!("'{other}' is not one of active, retired, deceased")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        Weekday::ALL.into_iter().find(|d| s.starts_with(d.as_str()))
    }
}

/// A time window in which the HCP prefers to be called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallWindow {
    pub day: Weekday,
    /// Start, `HH:MM` local time.
    pub from: String,
    /// End, `HH:MM` local time, after `from`.
    pub to: String,
}

impl CallWindow {
    fn minutes(s: &str) -> Option<u32> {
        let (h, m) = s.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(h * 60 + m)
    }

    pub fn validate(&self, field: &str, errors: &mut ValidationErrors) {
        match (Self::minutes(&self.from), Self::minutes(&self.to)) {
            (Some(a), Some(b)) if a < b => {}
            (Some(_), Some(_)) => errors.add(format!("{field}.to"), "must be after the start time"),
            (None, _) => errors.add(format!("{field}.from"), "must be a time HH:MM"),
            (_, None) => errors.add(format!("{field}.to"), "must be a time HH:MM"),
        }
    }

    /// Parses the compact text form used in CSV files: `mon 09:00-12:00; thu 14:00-16:00`.
    pub fn parse_list(text: &str) -> Result<Vec<CallWindow>, String> {
        let mut windows = Vec::new();
        for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (day, range) = item
                .split_once(' ')
                .ok_or_else(|| format!("'{item}' is not like 'mon 09:00-12:00'"))?;
            let day = Weekday::parse(day).ok_or_else(|| format!("'{day}' is not a weekday"))?;
            let (from, to) = range
                .trim()
                .split_once('-')
                .ok_or_else(|| format!("'{range}' is not like 09:00-12:00"))?;
            windows.push(CallWindow {
                day,
                from: from.trim().into(),
                to: to.trim().into(),
            });
        }
        Ok(windows)
    }

    pub fn format_list(windows: &[CallWindow]) -> String {
        windows
            .iter()
            .map(|w| format!("{} {}-{}", w.day.as_str(), w.from, w.to))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A state licence to practise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LicenceInput {
    pub state: String,
    pub number: String,
    pub expires_on: NaiveDate,
}

/// HCP data as supplied by a user or an import file, before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HcpInput {
    pub npi: String,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: Option<String>,
    pub last_name: String,
    #[serde(default)]
    pub suffix: Option<String>,
    /// Professional credentials as written after the name: MD, DO, NP, PA-C, PharmD.
    #[serde(default)]
    pub credentials: String,
    /// NUCC health care provider taxonomy code, e.g. `207RC0000X`.
    pub specialty_code: String,
    #[serde(default)]
    pub status: HcpStatus,
    /// ISO 639-1 code of the language the HCP prefers, e.g. `en`, `es`.
    #[serde(default = "default_language")]
    pub language: String,
    pub address: Address,
    /// Office phone, any common US format; stored as 10 digits.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub licences: Vec<LicenceInput>,
    #[serde(default)]
    pub preferred_call_times: Vec<CallWindow>,
    /// Set to flag the HCP do-not-call; the reason is kept with who set it and when.
    #[serde(default)]
    pub do_not_call_reason: Option<String>,
}

fn default_language() -> String {
    "en".to_string()
}

/// A validated HCP, ready to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HcpRecord {
    pub npi: Npi,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub suffix: Option<String>,
    pub credentials: String,
    pub specialty_code: String,
    pub status: HcpStatus,
    pub language: String,
    pub address: Address,
    #[serde(default)]
    pub phone: Option<String>,
    pub licences: Vec<LicenceInput>,
    pub preferred_call_times: Vec<CallWindow>,
    pub do_not_call_reason: Option<String>,
}

impl HcpInput {
    /// Applies every HCP rule. `specialty_known` says whether a taxonomy code is in the
    /// specialty table (the built-in codes plus any imported ones).
    pub fn validate(
        &self,
        specialty_known: impl Fn(&str) -> bool,
    ) -> Result<HcpRecord, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let npi = errors.check("npi", Npi::parse(&self.npi));
        let first_name = required(&mut errors, "first_name", &self.first_name);
        let last_name = required(&mut errors, "last_name", &self.last_name);
        let specialty_code = self.specialty_code.trim().to_ascii_uppercase();
        if specialty_code.is_empty() {
            errors.add("specialty_code", "is required");
        } else if !specialty_known(&specialty_code) {
            errors.add(
                "specialty_code",
                format!("'{specialty_code}' is not a known NUCC taxonomy code"),
            );
        }
        let language = self.language.trim().to_ascii_lowercase();
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
            errors.add(
                "language",
                "must be an ISO 639 language code such as en or es",
            );
        }
        let address = self.address.validated("address", &mut errors);
        let phone = match optional(self.phone.as_deref()) {
            None => None,
            Some(text) => match crate::matching::normalize_phone(&text).filter(|d| d.len() == 10) {
                Some(digits) => Some(digits),
                None => {
                    errors.add("phone", "must be a 10-digit US phone number");
                    None
                }
            },
        };
        let mut licences = Vec::new();
        for (i, licence) in self.licences.iter().enumerate() {
            let state = errors.check(&format!("licences[{i}].state"), parse_state(&licence.state));
            let number = required(
                &mut errors,
                &format!("licences[{i}].number"),
                &licence.number,
            );
            if let Some(state) = state {
                licences.push(LicenceInput {
                    state,
                    number,
                    expires_on: licence.expires_on,
                });
            }
        }
        for (i, window) in self.preferred_call_times.iter().enumerate() {
            window.validate(&format!("preferred_call_times[{i}]"), &mut errors);
        }
        licences.sort_by(|a: &LicenceInput, b| (&a.state, &a.number).cmp(&(&b.state, &b.number)));
        let do_not_call_reason = optional(self.do_not_call_reason.as_deref());
        let npi = match npi {
            Some(npi) if errors.is_empty() => npi,
            _ => return Err(errors),
        };
        Ok(HcpRecord {
            npi,
            first_name,
            middle_name: optional(self.middle_name.as_deref()),
            last_name,
            suffix: optional(self.suffix.as_deref()),
            credentials: self.credentials.trim().to_string(),
            specialty_code,
            status: self.status,
            language,
            address,
            phone,
            licences,
            preferred_call_times: self.preferred_call_times.clone(),
            do_not_call_reason,
        })
    }
}

/// How an HCP is named in lists: "First Last, MD".
pub fn display_name(first: &str, last: &str, credentials: &str) -> String {
    if credentials.is_empty() {
        format!("{first} {last}")
    } else {
        format!("{first} {last}, {credentials}")
    }
}

impl HcpRecord {
    /// The input that validates to this record (for exports and edits).
    pub fn to_input(&self) -> HcpInput {
        HcpInput {
            npi: self.npi.to_string(),
            first_name: self.first_name.clone(),
            middle_name: self.middle_name.clone(),
            last_name: self.last_name.clone(),
            suffix: self.suffix.clone(),
            credentials: self.credentials.clone(),
            specialty_code: self.specialty_code.clone(),
            status: self.status,
            language: self.language.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            licences: self.licences.clone(),
            preferred_call_times: self.preferred_call_times.clone(),
            do_not_call_reason: self.do_not_call_reason.clone(),
        }
    }
}

impl HcpRecord {
    /// What the duplicate matcher compares (affiliations are added by the caller, who knows them).
    pub fn match_record(&self) -> crate::matching::MatchRecord {
        crate::matching::MatchRecord {
            npi: Some(self.npi.to_string()),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            specialty_code: Some(self.specialty_code.clone()),
            street: Some(self.address.line1.clone()),
            city: Some(self.address.city.clone()),
            state: Some(self.address.state.clone()),
            zip: Some(self.address.zip.clone()),
            phone: self.phone.clone(),
            affiliations: Vec::new(),
        }
    }
}

impl LicenceInput {
    /// Whether the licence is valid on `day` (it expires at the end of `expires_on`).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        day <= self.expires_on
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample_input() -> HcpInput {
        HcpInput {
            npi: "1234567893".into(),
            first_name: "Ana".into(),
            middle_name: None,
            last_name: "Lopez".into(),
            suffix: None,
            credentials: "MD".into(),
            specialty_code: "207rc0000x".into(),
            status: HcpStatus::Active,
            language: "es".into(),
            address: Address {
                line1: "1 Main St".into(),
                line2: Some(" ".into()),
                city: "Boston".into(),
                state: "ma".into(),
                zip: "02139".into(),
                latitude: Some(42.36),
                longitude: Some(-71.09),
            },
            phone: Some("(617) 555-0134".into()),
            licences: vec![LicenceInput {
                state: "MA".into(),
                number: "123".into(),
                expires_on: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
            }],
            preferred_call_times: vec![CallWindow {
                day: Weekday::Tue,
                from: "09:00".into(),
                to: "11:30".into(),
            }],
            do_not_call_reason: None,
        }
    }

    #[test]
    fn a_valid_input_is_normalised() {
        let record = sample_input().validate(|c| c == "207RC0000X").unwrap();
        assert_eq!(record.specialty_code, "207RC0000X");
        assert_eq!(record.address.state, "MA");
        assert_eq!(record.address.line2, None);
        assert_eq!(record.phone.as_deref(), Some("6175550134"));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut input = sample_input();
        input.npi = "1234567890".into();
        input.first_name = " ".into();
        input.address.zip = "ABC".into();
        input.licences[0].state = "ZZ".into();
        input.preferred_call_times[0].to = "08:00".into();
        let errors = input.validate(|_| false).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "npi",
                "first_name",
                "specialty_code",
                "address.zip",
                "licences[0].state",
                "preferred_call_times[0].to"
            ]
        );
    }

    #[test]
    fn call_windows_round_trip_through_text() {
        let windows = CallWindow::parse_list("mon 09:00-12:00; Thursday 14:00-16:30").unwrap();
        assert_eq!(windows[1].day, Weekday::Thu);
        assert_eq!(
            CallWindow::format_list(&windows),
            "mon 09:00-12:00; thu 14:00-16:30"
        );
        assert!(CallWindow::parse_list("someday 09:00-10:00").is_err());
    }
}

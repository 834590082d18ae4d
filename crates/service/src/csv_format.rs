//! The CSV layouts of HCP, account, alignment and specialty files: one definition of the
//! columns, used to read imports and to write exports, so an export can be re-imported.

use chrono::NaiveDate;
use pharmacrm_domain::account::{AccountInput, AccountType};
use pharmacrm_domain::address::Address;
use pharmacrm_domain::hcp::{CallWindow, HcpInput, HcpStatus, LicenceInput};
use pharmacrm_domain::ValidationErrors;
use std::collections::HashMap;

pub const HCP_COLUMNS: [&str; 20] = [
    "npi",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "credentials",
    "specialty_code",
    "status",
    "language",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip",
    "latitude",
    "longitude",
    "licences",
    "preferred_call_times",
    "do_not_call_reason",
    "phone",
];

pub const ACCOUNT_COLUMNS: [&str; 11] = [
    "external_id",
    "name",
    "account_type",
    "parent_external_id",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip",
    "latitude",
    "longitude",
];

pub const ALIGNMENT_COLUMNS: [&str; 3] = ["zip", "territory_code", "effective_from"];
pub const SPECIALTY_COLUMNS: [&str; 2] = ["code", "name"];

/// One CSV record looked up by column name.
pub struct Row<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    pub fn new(columns: &'a HashMap<String, usize>, record: &'a csv::StringRecord) -> Self {
        Row { columns, record }
    }

    pub fn get(&self, name: &str) -> &'a str {
        self.columns
            .get(name)
            .and_then(|i| self.record.get(*i))
            .map(str::trim)
            .unwrap_or("")
    }

    fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    fn float(&self, name: &str, errors: &mut ValidationErrors) -> Option<f64> {
        let text = self.get(name);
        if text.is_empty() {
            return None;
        }
        errors.check(
            name,
            text.parse::<f64>()
                .map_err(|_| format!("'{text}' is not a number")),
        )
    }
}

/// Column positions from a header; an error names the required columns that are missing.
pub fn header_index(
    header: &csv::StringRecord,
    required: &[&str],
) -> Result<HashMap<String, usize>, String> {
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if missing.is_empty() {
        Ok(columns)
    } else {
        Err(format!("missing column(s): {}", missing.join(", ")))
    }
}

/// `STATE:NUMBER:YYYY-MM-DD` entries separated by `|`.
pub fn parse_licences(text: &str) -> Result<Vec<LicenceInput>, String> {
    text.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let parts: Vec<&str> = item.split(':').map(str::trim).collect();
            match parts.as_slice() {
                [state, number, expires] => Ok(LicenceInput {
                    state: state.to_string(),
                    number: number.to_string(),
                    expires_on: NaiveDate::parse_from_str(expires, "%Y-%m-%d")
                        .map_err(|_| format!("'{expires}' is not a date YYYY-MM-DD"))?,
                }),
                _ => Err(format!("'{item}' is not STATE:NUMBER:YYYY-MM-DD")),
            }
        })
        .collect()
}

pub fn format_licences(licences: &[LicenceInput]) -> String {
    licences
        .iter()
        .map(|l| format!("{}:{}:{}", l.state, l.number, l.expires_on))
        .collect::<Vec<_>>()
        .join("|")
}

fn address(row: &Row, errors: &mut ValidationErrors) -> Address {
    Address {
        line1: row.get("address_line1").into(),
        line2: row.opt("address_line2"),
        city: row.get("city").into(),
        state: row.get("state").into(),
        zip: row.get("zip").into(),
        latitude: row.float("latitude", errors),
        longitude: row.float("longitude", errors),
    }
}

/// Reads an HCP input from a row; field errors of the text forms are added to `errors`.
pub fn hcp_input(row: &Row, errors: &mut ValidationErrors) -> HcpInput {
    let status = errors
        .check("status", HcpStatus::parse(row.get("status")))
        .unwrap_or_default();
    let licences = errors
        .check("licences", parse_licences(row.get("licences")))
        .unwrap_or_default();
    let windows = errors
        .check(
            "preferred_call_times",
            CallWindow::parse_list(row.get("preferred_call_times")),
        )
        .unwrap_or_default();
    let language = row.opt("language").unwrap_or_else(|| "en".into());
    HcpInput {
        npi: row.get("npi").into(),
        first_name: row.get("first_name").into(),
        middle_name: row.opt("middle_name"),
        last_name: row.get("last_name").into(),
        suffix: row.opt("suffix"),
        credentials: row.get("credentials").into(),
        specialty_code: row.get("specialty_code").into(),
        status,
        language,
        address: address(row, errors),
        phone: row.opt("phone"),
        licences,
        preferred_call_times: windows,
        do_not_call_reason: row.opt("do_not_call_reason"),
    }
}

/// The CSV fields of an HCP input as a file would carry them (tests and generators).
pub fn hcp_input_fields(input: &HcpInput) -> Vec<String> {
    let num = |v: Option<f64>| v.map(|f| f.to_string()).unwrap_or_default();
    vec![
        input.npi.clone(),
        input.first_name.clone(),
        input.middle_name.clone().unwrap_or_default(),
        input.last_name.clone(),
        input.suffix.clone().unwrap_or_default(),
        input.credentials.clone(),
        input.specialty_code.clone(),
        input.status.as_str().into(),
        input.language.clone(),
        input.address.line1.clone(),
        input.address.line2.clone().unwrap_or_default(),
        input.address.city.clone(),
        input.address.state.clone(),
        input.address.zip.clone(),
        num(input.address.latitude),
        num(input.address.longitude),
        format_licences(&input.licences),
        CallWindow::format_list(&input.preferred_call_times),
        input.do_not_call_reason.clone().unwrap_or_default(),
        input.phone.clone().unwrap_or_default(),
    ]
}

pub fn account_input(row: &Row, errors: &mut ValidationErrors) -> Option<AccountInput> {
    let kind = errors.check("account_type", AccountType::parse(row.get("account_type")));
    let address = address(row, errors);
    kind.map(|account_type| AccountInput {
        external_id: row.get("external_id").into(),
        name: row.get("name").into(),
        account_type,
        parent_external_id: row.opt("parent_external_id"),
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_round_trip() {
        let text = "MA:MA123:2027-06-30|NY:NY9:2026-01-31";
        assert_eq!(format_licences(&parse_licences(text).unwrap()), text);
        assert!(parse_licences("MA:123").is_err());
        assert!(parse_licences("MA:123:30/06/2027").is_err());
        assert_eq!(parse_licences("").unwrap(), vec![]);
    }

    #[test]
    fn a_missing_column_is_named() {
        let header = csv::StringRecord::from(vec!["npi", "first_name"]);
        let err = header_index(&header, &HCP_COLUMNS[..4]).unwrap_err();
        assert_eq!(err, "missing column(s): middle_name, last_name");
    }
}

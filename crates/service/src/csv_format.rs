//! The CSV layouts of HCP, account, alignment and specialty files: one definition of the
//! columns, used to read imports and to write exports, so an export can be re-imported.
//!
//! It also owns how every CSV the server writes is made safe to open in a spreadsheet
//! (`CsvOut`, `Cell`): a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return
//! would be run as a formula, so it is written behind a single quote (OWASP, "CSV
//! Injection"); a number cell is written as it is, so `-3` stays a number. Whether a cell is
//! text or a number is its column's type, chosen where the row is built, never guessed from
//! the text. Reading an import removes that quote again (`Row::get`), so an export
//! re-imports unchanged.

use chrono::NaiveDate;
use pharmacrm_domain::account::{AccountInput, AccountType};
use pharmacrm_domain::address::Address;
use pharmacrm_domain::hcp::{CallWindow, HcpInput, HcpStatus, LicenceInput};
use pharmacrm_domain::ValidationErrors;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Display;
use std::io::Write;

/// What a spreadsheet takes for the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text needs the quote: it starts a formula, or it starts with a quote the reader
/// would otherwise remove (so escaping can always be undone exactly).
fn needs_quote(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS) || text.strip_prefix('\'').is_some_and(needs_quote)
}

/// A text as a CSV text cell: behind a single quote when a spreadsheet would read it as a
/// formula.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV text cell as the text it escapes: the inverse of `escape_text`.
pub fn unescape_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

/// A number a cell may hold.
pub trait Numeric: Display {}
impl Numeric for i64 {}
impl Numeric for i32 {}
impl Numeric for u64 {}
impl Numeric for usize {}
impl Numeric for f64 {}

/// One cell of a CSV the server writes: text (escaped) or a number (written as it is).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(String),
}

impl Cell {
    pub fn number(n: impl Numeric) -> Cell {
        Cell::Number(n.to_string())
    }

    /// A number, or an empty cell.
    pub fn optional(n: Option<impl Numeric>) -> Cell {
        n.map_or(Cell::Number(String::new()), Cell::number)
    }

    /// The text the cell holds, unescaped (a file as a client would send it).
    pub fn into_raw(self) -> String {
        match self {
            Cell::Text(t) | Cell::Number(t) => t,
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

/// The one writer of the CSV files the server and the CLI produce: every row goes through
/// `row`, which escapes its text cells.
pub struct CsvOut<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvOut<W> {
    pub fn new(out: W) -> Self {
        CsvOut {
            writer: csv::Writer::from_writer(out),
        }
    }

    /// A file whose rows may differ in length (sections with their own headers).
    pub fn flexible(out: W) -> Self {
        CsvOut {
            writer: csv::WriterBuilder::new().flexible(true).from_writer(out),
        }
    }

    /// A header row (column names are the server's own, never escaped).
    pub fn header(&mut self, names: &[&str]) -> csv::Result<()> {
        self.writer.write_record(names)
    }

    pub fn row(&mut self, cells: &[Cell]) -> csv::Result<()> {
        self.writer.write_record(cells.iter().map(|c| match c {
            Cell::Text(t) => escape_text(t).into_owned(),
            Cell::Number(n) => n.clone(),
        }))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }

    pub fn into_inner(self) -> std::result::Result<W, String> {
        self.writer.into_inner().map_err(|e| e.to_string())
    }
}

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

    /// The cell's text, trimmed, with the formula escape of an export removed.
    pub fn get(&self, name: &str) -> &'a str {
        self.columns
            .get(name)
            .and_then(|i| self.record.get(*i))
            .map(|cell| unescape_text(cell.trim()))
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

/// The CSV cells of an HCP input in the `HCP_COLUMNS` order.
pub fn hcp_cells(input: &HcpInput) -> Vec<Cell> {
    let text = |v: &str| Cell::from(v);
    let opt = |v: &Option<String>| Cell::from(v.clone().unwrap_or_default());
    vec![
        text(&input.npi),
        text(&input.first_name),
        opt(&input.middle_name),
        text(&input.last_name),
        opt(&input.suffix),
        text(&input.credentials),
        text(&input.specialty_code),
        text(input.status.as_str()),
        text(&input.language),
        text(&input.address.line1),
        opt(&input.address.line2),
        text(&input.address.city),
        text(&input.address.state),
        text(&input.address.zip),
        Cell::optional(input.address.latitude),
        Cell::optional(input.address.longitude),
        Cell::from(format_licences(&input.licences)),
        Cell::from(CallWindow::format_list(&input.preferred_call_times)),
        opt(&input.do_not_call_reason),
        opt(&input.phone),
    ]
}

/// The CSV fields of an HCP input as a client's file would carry them (tests and
/// generators).
pub fn hcp_input_fields(input: &HcpInput) -> Vec<String> {
    hcp_cells(input).into_iter().map(Cell::into_raw).collect()
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
    fn a_formula_is_escaped_and_the_escape_undone() {
        for text in [
            "=HYPERLINK(\"http://evil.example/\")",
            "+1",
            "-x",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let cell = escape_text(text);
            assert_eq!(cell, format!("'{text}"));
            assert_eq!(unescape_text(&cell), text);
        }
        for text in ["Ada", "'t Hooft", "''=x", "O'Brien", ""] {
            assert_eq!(unescape_text(&escape_text(text)), text, "{text}");
        }
        assert_eq!(escape_text("'=x"), "''=x");
        assert_eq!(escape_text("Ada"), "Ada");
        assert_eq!(unescape_text("'t Hooft"), "'t Hooft");
    }

    #[test]
    fn numbers_are_written_as_numbers() {
        let mut out = CsvOut::new(Vec::new());
        out.row(&[Cell::number(-3), Cell::optional(Some(-71.5)), "-3".into()])
            .unwrap();
        assert_eq!(out.into_inner().unwrap(), b"-3,-71.5,'-3\n");
    }

    #[test]
    fn a_missing_column_is_named() {
        let header = csv::StringRecord::from(vec!["npi", "first_name"]);
        let err = header_index(&header, &HCP_COLUMNS[..4]).unwrap_err();
        assert_eq!(err, "missing column(s): middle_name, last_name");
    }
}

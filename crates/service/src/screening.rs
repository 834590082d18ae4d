//! Screening HCPs against the HHS-OIG List of Excluded Individuals/Entities (LEIE), in the
//! CSV layout OIG publishes (`LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,
//! DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE`). An excluded
//! individual whose NPI matches an HCP is blacklisted (no calls, no samples) with the
//! exclusion as the reason; a name and state match without an NPI is only reported, for
//! compliance to confirm on the HCP's profile, because names alone are not unique.
//! Reinstated entries are skipped. Running the same file twice changes nothing.

use crate::auth::Principal;
use crate::csv_format::header_index;
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_domain::permission::Permission;
use pharmacrm_domain::ValidationErrors;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;
use utoipa::ToSchema;
use uuid::Uuid;

/// An LEIE entry that matches HCPs by name and state only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PossibleMatch {
    pub line: u64,
    pub excluded_name: String,
    pub state: String,
    pub exclusion: String,
    pub hcp_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ScreeningReport {
    /// Entries read from the file.
    pub rows: usize,
    /// HCPs newly blacklisted by an NPI match.
    pub flagged: usize,
    /// NPI matches already on the blacklist.
    pub already_flagged: usize,
    /// Entries reinstated by OIG (not flagged).
    pub reinstated: usize,
    pub possible_matches: Vec<PossibleMatch>,
    pub errors: Vec<crate::import::RowError>,
}

fn leie_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y%m%d").ok()
}

/// Reads an LEIE file and flags the HCPs it excludes.
pub async fn screen_leie(
    store: &Store,
    principal: &Principal,
    input: impl Read,
) -> Result<ScreeningReport> {
    principal.require(Permission::ReviewSampleCompliance)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let cols = leie_columns(&mut reader)?;
    let today = store.today();
    let mut report = ScreeningReport::default();
    let exclusions = read_exclusions(&mut reader, &cols, today, &mut report);
    flag_by_npi(store, principal, &exclusions.by_npi, &mut report).await?;
    report_name_matches(store, exclusions.by_name, &mut report).await?;
    Ok(report)
}

/// The columns of the (case-insensitive) header, which must name the ones screening reads.
fn leie_columns<R: Read>(reader: &mut csv::Reader<R>) -> Result<HashMap<String, usize>> {
    let header = reader
        .headers()
        .map_err(|e| ValidationErrors::single("file", format!("cannot read the header: {e}")))?
        .clone();
    let lower: csv::StringRecord = header.iter().map(str::to_lowercase).collect();
    let cols = header_index(
        &lower,
        &[
            "lastname",
            "firstname",
            "npi",
            "state",
            "excltype",
            "excldate",
        ],
    )
    .map_err(|e| ValidationErrors::single("file", e))?;
    Ok(cols)
}

/// An excluded individual without an NPI, matched by name and state only.
struct NameEntry {
    line: u64,
    last: String,
    first: String,
    state: String,
    exclusion: String,
}

/// The exclusions in force in the file: the reason by NPI, and the entries without one.
struct Exclusions {
    by_npi: HashMap<String, String>,
    by_name: Vec<NameEntry>,
}

/// Reads the entries, counting rows and reinstatements and reporting unreadable rows;
/// entities (no last name) and reinstated individuals are skipped.
fn read_exclusions<R: Read>(
    reader: &mut csv::Reader<R>,
    cols: &HashMap<String, usize>,
    today: NaiveDate,
    report: &mut ScreeningReport,
) -> Exclusions {
    let get = |r: &csv::StringRecord, c: &str| {
        cols.get(c)
            .and_then(|i| r.get(*i))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut by_npi: HashMap<String, String> = HashMap::new();
    let mut by_name: Vec<NameEntry> = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                report.errors.push(crate::import::RowError {
                    line,
                    field: String::new(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        report.rows += 1;
        let (last, first) = (get(&row, "lastname"), get(&row, "firstname"));
        if last.is_empty() {
            continue; // an entity (BUSNAME), not an individual practitioner
        }
        if leie_date(&get(&row, "reindate")).is_some_and(|d| d <= today) {
            report.reinstated += 1;
            continue;
        }
        let since = leie_date(&get(&row, "excldate"))
            .map(|d| d.to_string())
            .unwrap_or_else(|| get(&row, "excldate"));
        let exclusion = format!(
            "HHS-OIG exclusion (LEIE) {} since {since}",
            get(&row, "excltype")
        );
        let npi = get(&row, "npi");
        if !npi.is_empty() && npi.chars().any(|c| c != '0') {
            by_npi.insert(npi, exclusion);
        } else {
            by_name.push(NameEntry {
                line,
                last,
                first,
                state: get(&row, "state"),
                exclusion,
            });
        }
    }
    Exclusions { by_npi, by_name }
}

/// Blacklists the HCPs whose NPI is excluded, counting those already on the blacklist.
async fn flag_by_npi(
    store: &Store,
    principal: &Principal,
    by_npi: &HashMap<String, String>,
    report: &mut ScreeningReport,
) -> Result<()> {
    let npis: Vec<String> = by_npi.keys().cloned().collect();
    let found = store.hcps_by_npi(&npis).await?;
    let flagged = store
        .blacklist_of(&found.values().map(|h| h.id).collect::<Vec<_>>())
        .await?;
    for (npi, hcp) in &found {
        if flagged.contains_key(&hcp.id) {
            report.already_flagged += 1;
        } else {
            store
                .set_blacklist(&principal.actor(), hcp.id, Some(&by_npi[npi]))
                .await?;
            report.flagged += 1;
        }
    }
    Ok(())
}

/// Reports the HCPs with the name and state of an entry without an NPI, for compliance
/// to confirm.
async fn report_name_matches(
    store: &Store,
    by_name: Vec<NameEntry>,
    report: &mut ScreeningReport,
) -> Result<()> {
    let last_names: Vec<String> = by_name.iter().map(|e| e.last.to_lowercase()).collect();
    let candidates = store.hcps_by_last_name(&last_names).await?;
    for entry in by_name {
        let NameEntry {
            line,
            last,
            first,
            state,
            exclusion,
        } = entry;
        let hcp_ids: Vec<Uuid> = candidates
            .iter()
            .filter(|h| {
                h.last_name.eq_ignore_ascii_case(&last)
                    && h.first_name.eq_ignore_ascii_case(&first)
                    && h.state.eq_ignore_ascii_case(&state)
            })
            .map(|h| h.id)
            .collect();
        if !hcp_ids.is_empty() {
            report.possible_matches.push(PossibleMatch {
                line,
                excluded_name: format!("{first} {last}"),
                state,
                exclusion,
                hcp_ids,
            });
        }
    }
    Ok(())
}

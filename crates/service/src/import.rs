//! CSV imports of HCPs, accounts, ZIP alignment and specialty codes. Every bad row is
//! reported with its line, field and reason; every good row is kept; a row that matches
//! what is stored changes nothing, so running the same file twice creates no duplicates.

use crate::csv_format::{self, header_index, Row};
use crate::{Result, ServiceError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::account::AccountRecord;
use pharmacrm_domain::address::parse_zip;
use pharmacrm_domain::audit::Actor;
use pharmacrm_domain::hcp::HcpRecord;
use pharmacrm_domain::matching::model::{MatchScore, Outcome};
use pharmacrm_domain::org::OrgLevel;
use pharmacrm_domain::segment::Tier;
use pharmacrm_domain::specialty::{valid_code, Specialty};
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::accounts::StoredAccount;
use pharmacrm_storage::hcps::StoredHcp;
use pharmacrm_storage::targeting::DraftSegment;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use uuid::Uuid;

/// One problem with one row of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub errors: Vec<RowError>,
    /// Rows with an NPI not on file that the matcher found to be an HCP already on file
    /// (not created), and rows created but queued for a data steward as likely duplicates.
    pub linked: usize,
    pub queued: usize,
    pub matches: Vec<RowMatch>,
}

/// An imported row the matcher tied to an existing HCP.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RowMatch {
    pub line: u64,
    pub npi: String,
    pub matched: crate::matching::HcpMatch,
    /// `same_record`: linked, not created; `ask_steward`: created and queued.
    pub outcome: pharmacrm_domain::matching::model::Outcome,
}

/// Progress callback: (rows done, rows in file).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Rows are written in batches of this size, each batch in one transaction.
const BATCH: usize = 1000;

struct Parsed {
    records: Vec<(u64, csv::StringRecord)>,
    columns: HashMap<String, usize>,
    errors: Vec<RowError>,
}

fn read_file(input: impl Read, required: &[&str]) -> Result<Parsed> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| ValidationErrors::single("file", format!("cannot read the header: {e}")))?
        .clone();
    let columns =
        header_index(&header, required).map_err(|e| ValidationErrors::single("file", e))?;
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (i, result) in reader.records().enumerate() {
        match result {
            Ok(record) if record.iter().all(|f| f.is_empty()) => {}
            Ok(record) => {
                let line = record.position().map_or(i as u64 + 2, |p| p.line());
                if record.len() != header.len() {
                    errors.push(RowError {
                        line,
                        field: String::new(),
                        message: format!(
                            "has {} fields, the header has {}",
                            record.len(),
                            header.len()
                        ),
                    });
                } else {
                    records.push((line, record));
                }
            }
            Err(e) => errors.push(RowError {
                line: e.position().map_or(i as u64 + 2, |p| p.line()),
                field: String::new(),
                message: e.to_string(),
            }),
        }
    }
    Ok(Parsed {
        records,
        columns,
        errors,
    })
}

fn reject(report: &mut ImportReport, line: u64, errors: ValidationErrors) {
    report.rejected += 1;
    for e in errors.0 {
        report.errors.push(RowError {
            line,
            field: e.field,
            message: e.message,
        });
    }
}

fn start(parsed: &Parsed) -> ImportReport {
    ImportReport {
        rows: parsed.records.len() + parsed.errors.len(),
        rejected: parsed.errors.len(),
        errors: parsed.errors.clone(),
        ..Default::default()
    }
}

/// The columns an HCP file must have.
const HCP_COLUMNS: &[&str] = &[
    "npi",
    "first_name",
    "last_name",
    "specialty_code",
    "address_line1",
    "city",
    "state",
    "zip",
];

pub async fn import_hcps(
    store: &Store,
    actor: &Actor,
    input: impl Read,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let parsed = read_file(input, HCP_COLUMNS)?;
    let mut report = start(&parsed);
    let known = specialty_codes(store).await?;
    let valid = valid_hcp_rows(&parsed, &known, &mut report);
    let total = parsed.records.len();
    progress(report.rejected, total);
    for batch in valid.chunks(BATCH) {
        import_hcp_batch(store, actor, batch, &mut report).await?;
        progress(
            report.rejected + report.created + report.updated + report.unchanged + report.linked,
            total,
        );
    }
    report.errors.sort_by_key(|e| e.line);
    Ok(report)
}

/// The specialty codes on file, which an HCP row's specialty must be one of.
async fn specialty_codes(store: &Store) -> Result<HashSet<String>> {
    Ok(store
        .specialties()
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect())
}

/// Validates each row, rejecting bad rows and repeats of an NPI seen on an earlier line.
fn valid_hcp_rows(
    parsed: &Parsed,
    known: &HashSet<String>,
    report: &mut ImportReport,
) -> Vec<(u64, HcpRecord)> {
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut valid: Vec<(u64, HcpRecord)> = Vec::new();
    for (line, record) in &parsed.records {
        let row = Row::new(&parsed.columns, record);
        let mut errors = ValidationErrors::new();
        let hcp = csv_format::hcp_input(&row, &mut errors);
        match hcp.validate(|code| known.contains(code)) {
            Ok(record) if errors.is_empty() => match first_line.get(record.npi.as_str()) {
                Some(first) => reject(
                    report,
                    *line,
                    ValidationErrors::single(
                        "npi",
                        format!("duplicate NPI {}: already on line {first}", record.npi),
                    ),
                ),
                None => {
                    first_line.insert(record.npi.to_string(), *line);
                    valid.push((*line, record));
                }
            },
            Ok(_) => reject(report, *line, errors),
            Err(more) => {
                errors.0.extend(more.0);
                reject(report, *line, errors);
            }
        }
    }
    valid
}

/// Imports one batch: matches new NPIs, updates known ones, inserts the new HCPs and
/// records the likely duplicates for a steward.
async fn import_hcp_batch(
    store: &Store,
    actor: &Actor,
    batch: &[(u64, HcpRecord)],
    report: &mut ImportReport,
) -> Result<()> {
    let npis: Vec<String> = batch.iter().map(|(_, r)| r.npi.to_string()).collect();
    let stored = store.hcps_by_npi(&npis).await?;
    let (new, pairs) = match_new_npis(store, batch, &stored, report).await?;
    update_known_npis(store, actor, batch, &stored, report).await?;
    store.insert_hcps(actor, &new).await?;
    store.record_pairs(&pairs, "import").await?;
    report.created += new.len();
    Ok(())
}

/// HCPs to create and pairs to queue, for the rows whose NPI is not on file: a row the
/// matcher finds to be an HCP on file is linked instead of created; a likely match is
/// created and queued.
async fn match_new_npis(
    store: &Store,
    batch: &[(u64, HcpRecord)],
    stored: &HashMap<String, StoredHcp>,
    report: &mut ImportReport,
) -> Result<(Vec<(Uuid, HcpRecord)>, Vec<(Uuid, Uuid, MatchScore)>)> {
    let unknown: Vec<&(u64, HcpRecord)> = batch
        .iter()
        .filter(|(_, r)| !stored.contains_key(r.npi.as_str()))
        .collect();
    let found = crate::matching::best_matches(
        store,
        &unknown
            .iter()
            .map(|(_, r)| r.match_record())
            .collect::<Vec<_>>(),
    )
    .await?;
    let mut new = Vec::new();
    let mut pairs = Vec::new();
    for ((line, record), found) in unknown.into_iter().zip(found) {
        let id = pharmacrm_domain::new_id();
        match found {
            Some(m) if m.score.outcome == Outcome::SameRecord => {
                report.linked += 1;
                report.matches.push(RowMatch {
                    line: *line,
                    npi: record.npi.to_string(),
                    outcome: Outcome::SameRecord,
                    matched: m,
                });
                continue;
            }
            Some(m) => {
                report.queued += 1;
                pairs.push((id, m.id, m.score.clone()));
                report.matches.push(RowMatch {
                    line: *line,
                    npi: record.npi.to_string(),
                    outcome: Outcome::AskSteward,
                    matched: m,
                });
            }
            None => {}
        }
        new.push((id, record.clone()));
    }
    Ok((new, pairs))
}

/// Updates the HCPs on file whose row differs, and counts the rows that match.
async fn update_known_npis(
    store: &Store,
    actor: &Actor,
    batch: &[(u64, HcpRecord)],
    stored: &HashMap<String, StoredHcp>,
    report: &mut ImportReport,
) -> Result<()> {
    for (_, record) in batch {
        match stored.get(record.npi.as_str()) {
            None => {}
            Some(existing) if &existing.record == record => report.unchanged += 1,
            Some(existing) => {
                store
                    .update_hcp(actor, existing.id, &existing.record, record)
                    .await?;
                report.updated += 1;
            }
        }
    }
    Ok(())
}

/// The columns an account file must have.
const ACCOUNT_COLUMNS: &[&str] = &[
    "external_id",
    "name",
    "account_type",
    "address_line1",
    "city",
    "state",
    "zip",
];

/// Valid account rows, each with its line in the file.
type AccountRows = Vec<(u64, AccountRecord)>;

pub async fn import_accounts(
    store: &Store,
    actor: &Actor,
    input: impl Read,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let parsed = read_file(input, ACCOUNT_COLUMNS)?;
    let mut report = start(&parsed);
    let valid = valid_account_rows(&parsed, &mut report);
    let total = parsed.records.len();
    // Parents first: keep resolving rows whose parent is stored or already resolved.
    let mut stored = accounts_on_file(store, &valid).await?;
    let mut pending = valid;
    loop {
        let (ready, waiting) = split_by_parent_known(pending, &stored);
        if ready.is_empty() {
            reject_unknown_parents(&mut report, waiting);
            break;
        }
        write_accounts(store, actor, ready, &mut stored, &mut report).await?;
        progress(
            report.rejected + report.created + report.updated + report.unchanged,
            total,
        );
        if waiting.is_empty() {
            break;
        }
        pending = waiting;
    }
    report.errors.sort_by_key(|e| e.line);
    Ok(report)
}

/// Validates each row, rejecting bad rows and repeats of an external id seen on an earlier
/// line.
fn valid_account_rows(parsed: &Parsed, report: &mut ImportReport) -> AccountRows {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut valid = Vec::new();
    for (line, record) in &parsed.records {
        let row = Row::new(&parsed.columns, record);
        let mut errors = ValidationErrors::new();
        let result = csv_format::account_input(&row, &mut errors).map(|a| a.validate());
        match result {
            Some(Ok(account)) if errors.is_empty() => match seen.get(&account.external_id) {
                Some(first) => reject(
                    report,
                    *line,
                    ValidationErrors::single(
                        "external_id",
                        format!("duplicate external_id: already on line {first}"),
                    ),
                ),
                None => {
                    seen.insert(account.external_id.clone(), *line);
                    valid.push((*line, account));
                }
            },
            Some(Err(more)) => {
                errors.0.extend(more.0);
                reject(report, *line, errors);
            }
            _ => reject(report, *line, errors),
        }
    }
    valid
}

/// The stored accounts the rows name, as themselves or as their parent.
async fn accounts_on_file(
    store: &Store,
    valid: &[(u64, AccountRecord)],
) -> Result<HashMap<String, StoredAccount>> {
    let mut wanted: Vec<String> = valid.iter().map(|(_, a)| a.external_id.clone()).collect();
    wanted.extend(
        valid
            .iter()
            .filter_map(|(_, a)| a.parent_external_id.clone()),
    );
    Ok(store.accounts_by_external_id(&wanted).await?)
}

/// Rows ready to write (no parent, or a parent stored or already written), and the rest.
fn split_by_parent_known(
    pending: AccountRows,
    stored: &HashMap<String, StoredAccount>,
) -> (AccountRows, AccountRows) {
    pending.into_iter().partition(|(_, a)| {
        a.parent_external_id
            .as_ref()
            .is_none_or(|p| stored.contains_key(p))
    })
}

/// Rejects rows whose parent is neither stored nor in the file, or is part of a cycle.
fn reject_unknown_parents(report: &mut ImportReport, waiting: AccountRows) {
    for (line, a) in waiting {
        let parent = a.parent_external_id.unwrap_or_default();
        reject(
            report,
            line,
            ValidationErrors::single(
                "parent_external_id",
                format!("no account '{parent}' in the database or this file (or a cycle)"),
            ),
        );
    }
}

/// Updates the changed accounts on file, inserts the new ones in batches, and adds both to
/// `stored` so their children can follow.
async fn write_accounts(
    store: &Store,
    actor: &Actor,
    ready: AccountRows,
    stored: &mut HashMap<String, StoredAccount>,
    report: &mut ImportReport,
) -> Result<()> {
    let mut new = Vec::new();
    for (_, account) in ready {
        let parent_id = account
            .parent_external_id
            .as_ref()
            .and_then(|p| stored.get(p))
            .map(|p| p.id);
        match stored.get(&account.external_id) {
            None => new.push(StoredAccount {
                id: pharmacrm_domain::new_id(),
                record: account,
                parent_id,
            }),
            Some(existing) if existing.record == account => report.unchanged += 1,
            Some(existing) => {
                let after = StoredAccount {
                    id: existing.id,
                    record: account,
                    parent_id,
                };
                store.update_account(actor, existing, &after).await?;
                stored.insert(after.record.external_id.clone(), after);
                report.updated += 1;
            }
        }
    }
    for chunk in new.chunks(BATCH) {
        store.insert_accounts(actor, chunk).await?;
    }
    report.created += new.len();
    for account in new {
        stored.insert(account.record.external_id.clone(), account);
    }
    Ok(())
}

/// `zip,territory_code,effective_from`; a blank date means today.
pub async fn import_alignment(
    store: &Store,
    actor: &Actor,
    input: impl Read,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let parsed = read_file(input, &["zip", "territory_code"])?;
    let mut report = start(&parsed);
    let territories: HashMap<String, Uuid> = store
        .org_tree()
        .await?
        .into_iter()
        .filter(|u| u.level == OrgLevel::Territory)
        .map(|u| (u.code, u.id))
        .collect();
    let today = store.today();
    let mut by_date: std::collections::BTreeMap<NaiveDate, Vec<(String, Uuid)>> =
        Default::default();
    let mut seen: HashMap<(String, NaiveDate), u64> = HashMap::new();
    for (line, record) in &parsed.records {
        let row = Row::new(&parsed.columns, record);
        let mut errors = ValidationErrors::new();
        let zip = errors.check("zip", parse_zip(row.get("zip")));
        let code = row.get("territory_code");
        let territory = territories.get(code).copied();
        if territory.is_none() {
            errors.add("territory_code", format!("no territory '{code}'"));
        }
        let from = match row.get("effective_from") {
            "" => Some(today),
            text => errors.check(
                "effective_from",
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| format!("'{text}' is not a date YYYY-MM-DD")),
            ),
        };
        if let (Some(zip), Some(from)) = (&zip, from) {
            if let Some(first) = seen.get(&(zip.clone(), from)) {
                errors.add(
                    "zip",
                    format!("ZIP {zip} is already aligned from {from} on line {first}"),
                );
            } else {
                seen.insert((zip.clone(), from), *line);
            }
        }
        match (zip, territory, from) {
            (Some(zip), Some(t), Some(from)) if errors.is_empty() => {
                by_date.entry(from).or_default().push((zip, t))
            }
            _ => reject(&mut report, *line, errors),
        }
    }
    for (from, pairs) in by_date {
        let outcome = store.align_zips(actor, &pairs, from).await?;
        report.created += outcome.created;
        report.unchanged += outcome.unchanged;
        progress(
            report.rejected + report.created + report.unchanged,
            parsed.records.len(),
        );
    }
    report.errors.sort_by_key(|e| e.line);
    Ok(report)
}

/// `zip,account_external_id,territory_code`: lines of a draft realignment. A row with a ZIP
/// moves that ZIP; a row with an account's external id (and no ZIP) overrides that account's
/// territory whatever its ZIP. A line for a key already in the draft replaces it.
pub async fn import_realignment(
    store: &Store,
    actor: &Actor,
    realignment: Uuid,
    input: impl Read,
) -> Result<ImportReport> {
    let parsed = read_file(input, &["territory_code"])?;
    let mut report = start(&parsed);
    let territories: HashMap<String, Uuid> = store
        .org_tree()
        .await?
        .into_iter()
        .filter(|u| u.level == OrgLevel::Territory)
        .map(|u| (u.code, u.id))
        .collect();
    let external: Vec<String> = parsed
        .records
        .iter()
        .map(|(_, r)| {
            Row::new(&parsed.columns, r)
                .get("account_external_id")
                .to_string()
        })
        .filter(|e| !e.is_empty())
        .collect();
    let accounts = store.accounts_by_external_id(&external).await?;
    let (mut zips, mut overrides) = (Vec::new(), Vec::new());
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, record) in &parsed.records {
        let row = Row::new(&parsed.columns, record);
        let mut errors = ValidationErrors::new();
        let code = row.get("territory_code");
        let territory = territories.get(code).copied();
        if territory.is_none() {
            errors.add("territory_code", format!("no territory '{code}'"));
        }
        let key = match (row.get("zip"), row.get("account_external_id")) {
            ("", "") => {
                errors.add("zip", "give a ZIP or an account_external_id");
                None
            }
            ("", ext) => match accounts.get(ext) {
                Some(a) => Some((false, a.id.to_string())),
                None => {
                    errors.add("account_external_id", format!("no account '{ext}'"));
                    None
                }
            },
            (zip, "") => errors.check("zip", parse_zip(zip)).map(|z| (true, z)),
            _ => {
                errors.add("account_external_id", "give a ZIP or an account, not both");
                None
            }
        };
        if let Some((_, k)) = &key {
            match seen.get(k) {
                Some(first) => errors.add(
                    if key.as_ref().is_some_and(|(z, _)| *z) {
                        "zip"
                    } else {
                        "account_external_id"
                    },
                    format!("already on line {first}"),
                ),
                None => {
                    seen.insert(k.clone(), *line);
                }
            }
        }
        match (key, territory) {
            (Some((true, zip)), Some(t)) if errors.is_empty() => {
                zips.push(pharmacrm_domain::realignment::DraftLine {
                    key: zip,
                    territory_id: t,
                })
            }
            (Some((false, id)), Some(t)) if errors.is_empty() => {
                overrides.push(pharmacrm_domain::realignment::DraftLine {
                    key: id,
                    territory_id: t,
                })
            }
            _ => reject(&mut report, *line, errors),
        }
    }
    for (zip, lines) in [(true, &zips), (false, &overrides)] {
        for chunk in lines.chunks(BATCH) {
            let (created, updated) = store
                .put_realignment_lines(actor, realignment, zip, chunk)
                .await?;
            report.created += created;
            report.updated += updated;
        }
    }
    report.errors.sort_by_key(|e| e.line);
    Ok(report)
}

/// `npi,product,tier,decile,set_on`: segmentation per HCP x product (product by brand; a
/// blank tier follows from the decile; `set_on` is accepted for older files and ignored: the
/// version's effective date is when a row takes effect) into the draft targeting version
/// `version`. A row equal to the segmentation in force changes nothing; the rest come into
/// force when the version does.
pub async fn import_segments(
    store: &Store,
    actor: &Actor,
    version: Uuid,
    input: impl Read,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let parsed = read_file(input, &["npi", "product", "decile"])?;
    let mut report = start(&parsed);
    let products: HashMap<String, Uuid> = store
        .products()
        .await?
        .into_iter()
        .map(|p| (p.brand.to_lowercase(), p.id))
        .collect();
    let npis: Vec<String> = parsed
        .records
        .iter()
        .map(|(_, r)| Row::new(&parsed.columns, r).get("npi").to_string())
        .collect();
    let hcps = store.hcps_by_npi(&npis).await?;
    let existing = store
        .segments_of_hcps(&hcps.values().map(|h| h.id).collect::<Vec<_>>())
        .await?;
    let today = store.today();
    let mut seen: HashMap<(Uuid, Uuid), u64> = HashMap::new();
    let mut valid = Vec::new();
    for (line, record) in &parsed.records {
        let row = Row::new(&parsed.columns, record);
        let mut errors = ValidationErrors::new();
        let hcp = hcps.get(row.get("npi")).map(|h| h.id);
        if hcp.is_none() {
            errors.add("npi", format!("no HCP with NPI '{}'", row.get("npi")));
        }
        let product = products.get(&row.get("product").to_lowercase()).copied();
        if product.is_none() {
            errors.add("product", format!("no product '{}'", row.get("product")));
        }
        let decile = errors.check(
            "decile",
            row.get("decile")
                .parse::<i64>()
                .map_err(|_| format!("'{}' is not a number", row.get("decile")))
                .and_then(pharmacrm_domain::segment::parse_decile),
        );
        let tier = match (row.get("tier"), decile) {
            ("", Some(d)) => Some(Tier::from_decile(d)),
            ("", None) => None,
            (text, _) => errors.check("tier", Tier::parse(text)),
        };
        let set_on = match row.get("set_on") {
            "" => Some(today),
            text => errors.check(
                "set_on",
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| format!("'{text}' is not a date YYYY-MM-DD")),
            ),
        };
        if let (Some(h), Some(p), true) = (hcp, product, errors.is_empty()) {
            // Only a valid row claims the pair: a later row may fix an earlier bad one.
            if let Some(first) = seen.get(&(h, p)) {
                errors.add(
                    "product",
                    format!("this HCP and product are already on line {first}"),
                );
            } else {
                seen.insert((h, p), *line);
            }
        }
        match (hcp, product, tier, decile, set_on) {
            (Some(hcp_id), Some(product_id), Some(tier), Some(decile), Some(_))
                if errors.is_empty() =>
            {
                let same = existing
                    .get(&(hcp_id, product_id))
                    .is_some_and(|(t, d)| *t == tier && *d == decile);
                if same {
                    report.unchanged += 1;
                } else {
                    valid.push(DraftSegment {
                        hcp_id,
                        product_id,
                        tier,
                        decile,
                    });
                }
            }
            _ => reject(&mut report, *line, errors),
        }
    }
    for chunk in valid.chunks(BATCH) {
        let (created, updated) = store.put_targeting_segments(actor, version, chunk).await?;
        report.created += created;
        report.updated += updated;
    }
    progress(parsed.records.len(), parsed.records.len());
    report.errors.sort_by_key(|e| e.line);
    Ok(report)
}

/// `code,name`: extends (or renames entries of) the NUCC specialty table.
pub async fn import_specialties(
    store: &Store,
    actor: &Actor,
    input: impl Read,
) -> Result<ImportReport> {
    let parsed = read_file(input, &["code", "name"])?;
    let mut report = start(&parsed);
    let existing: HashMap<String, String> = store
        .specialties()
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let mut valid = Vec::new();
    for (line, record) in &parsed.records {
        let row = Row::new(&parsed.columns, record);
        let code = row.get("code").to_ascii_uppercase();
        let name = row.get("name").to_string();
        let mut errors = ValidationErrors::new();
        if !valid_code(&code) {
            errors.add(
                "code",
                format!("'{code}' is not a NUCC taxonomy code (ten characters ending in X)"),
            );
        }
        if name.is_empty() {
            errors.add("name", "is required");
        }
        if !errors.is_empty() {
            reject(&mut report, *line, errors);
            continue;
        }
        match existing.get(&code) {
            Some(n) if *n == name => report.unchanged += 1,
            Some(_) => report.updated += 1,
            None => report.created += 1,
        }
        valid.push(Specialty { code, name });
    }
    store.upsert_specialties(actor, &valid, false).await?;
    Ok(report)
}

impl From<csv::Error> for ServiceError {
    fn from(e: csv::Error) -> Self {
        ServiceError::Validation(ValidationErrors::single("file", e.to_string()))
    }
}

//! CSV imports and exports from the command line, with a progress bar and a readable report.

use crate::ImportKind;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::Actor;
use pharmacrm_service::csv_format::{Cell, CsvOut};
use pharmacrm_service::import::{self, ImportReport};
use pharmacrm_service::ServiceError;
use pharmacrm_storage::hcps::HcpFilter;
use pharmacrm_storage::Store;
use std::path::Path;

/// Turns a service error into a message that names the fields.
pub fn explain(err: ServiceError) -> anyhow::Error {
    match err {
        ServiceError::Validation(errors) => anyhow::anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

pub async fn import(
    store: &Store,
    actor: &Actor,
    kind: ImportKind,
    path: &Path,
) -> Result<ImportReport> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader = std::io::BufReader::new(file);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("importing [{bar:40}] {pos}/{len} rows")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let report = match kind {
        ImportKind::Hcps => import::import_hcps(store, actor, reader, &progress).await,
        ImportKind::Accounts => import::import_accounts(store, actor, reader, &progress).await,
        ImportKind::Alignment => import::import_alignment(store, actor, reader, &progress).await,
        ImportKind::Segments => {
            // Segmentation goes into a new draft targeting version, published separately.
            let cycle = store.frequency_targets(None).await?.first().map_or(pharmacrm_domain::targeting::CycleKind::Month, |t| t.cycle);
            let name = format!("Imported from {}", path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default());
            let version = store.create_targeting_version(actor, &name, cycle, None).await?;
            let report = import::import_segments(store, actor, version, reader, &progress).await;
            if let Ok(v) = store.targeting_version(version).await {
                eprintln!("draft targeting version {} \"{name}\": publish it with `pharmacrm targets publish {}`", v.number, v.number);
            }
            report
        }
        ImportKind::Specialties => import::import_specialties(store, actor, reader).await,
    }
    .map_err(explain)?;
    if report.created + report.updated > 1000 {
        store.analyze().await?;
    }
    bar.finish_and_clear();
    Ok(report)
}

pub fn print_report(report: &ImportReport, errors_file: Option<&Path>) -> Result<()> {
    println!(
        "{} rows: {} created, {} updated, {} unchanged, {} rejected",
        report.rows, report.created, report.updated, report.unchanged, report.rejected
    );
    for e in &report.errors {
        let field = if e.field.is_empty() {
            String::new()
        } else {
            format!(" {}:", e.field)
        };
        eprintln!("line {}:{field} {}", e.line, e.message);
    }
    if let Some(path) = errors_file {
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut writer = CsvOut::new(file);
        writer.header(&["line", "field", "message"])?;
        for e in &report.errors {
            writer.row(&[
                Cell::number(e.line),
                e.field.as_str().into(),
                e.message.as_str().into(),
            ])?;
        }
        writer.flush()?;
    }
    Ok(())
}

pub async fn export_hcps(
    store: &Store,
    out: Option<&Path>,
    as_user: Option<&str>,
    territory: Option<&str>,
) -> Result<()> {
    let scope = match as_user {
        Some(username) => {
            let (user, _) = store
                .user_credentials(username)
                .await?
                .with_context(|| format!("no user '{username}'"))?;
            store.scope_of(user.id, user.role).await?
        }
        None => Scope::All,
    };
    let territory = match territory {
        Some(code) => Some(
            store
                .org_unit_by_code(code)
                .await?
                .with_context(|| format!("no territory '{code}'"))?
                .id,
        ),
        None => None,
    };
    let filter = HcpFilter {
        territory,
        ..Default::default()
    };
    let written = match out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            pharmacrm_service::hcps::export_hcps(
                store,
                &scope,
                &filter,
                std::io::BufWriter::new(file),
            )
            .await
        }
        None => {
            pharmacrm_service::hcps::export_hcps(store, &scope, &filter, std::io::stdout().lock())
                .await
        }
    }
    .map_err(explain)?;
    eprintln!("exported {written} HCPs");
    Ok(())
}

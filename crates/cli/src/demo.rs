//! `pharmacrm demo`: fills an empty database with the synthetic field force and prints
//! the logins.

use crate::Scale;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use pharmacrm_fixtures::{populate, DemoSpec, DEMO_PASSWORD};
use pharmacrm_storage::Store;

/// Sizes that replace the scale's (for benchmarks: one rep with 15,000 HCPs and accounts).
pub struct Overrides {
    pub territories: Option<usize>,
    pub hcps: Option<usize>,
    pub accounts: Option<usize>,
    pub history_months: Option<u32>,
}

pub async fn fill(store: &Store, seed: u64, scale: Scale, overrides: &Overrides) -> Result<()> {
    if !store.is_empty().await? {
        println!("The database already holds data; serving it as it is.");
        return Ok(());
    }
    let name = match scale {
        Scale::Small => "small",
        Scale::Default => "default",
        Scale::Large => "large",
    };
    let base = DemoSpec::by_name(name, seed).expect("known scale");
    let spec = DemoSpec {
        territories: overrides.territories.unwrap_or(base.territories).max(1),
        hcps: overrides.hcps.unwrap_or(base.hcps),
        accounts: overrides.accounts.unwrap_or(base.accounts),
        call_history_months: overrides.history_months.unwrap_or(base.call_history_months),
        ..base
    };
    println!(
        "Creating the demo field force (seed {seed}, {} territories, {} HCPs, {} accounts)...",
        spec.territories, spec.hcps, spec.accounts
    );
    let hash = pharmacrm_service::auth::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bar = ProgressBar::new(spec.hcps as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |stage: &str, done: usize, total: usize| {
        bar.set_message(stage.to_string());
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    populate(store, &spec, &hash, &progress).await?;
    pharmacrm_fixtures::stewardship::seed(store, seed).await?;
    // The matching model is estimated from the data (the planted duplicates among it), then
    // the universe is scanned so the stewards' queue holds the candidate pairs.
    bar.set_message("matching");
    let steward = pharmacrm_domain::audit::Actor::system("demo set-up");
    pharmacrm_service::matching::estimate(store, &steward).await?;
    pharmacrm_service::matching::scan_all(store).await?;
    store.analyze().await?;
    bar.finish_and_clear();
    Ok(())
}

pub async fn print_logins(store: &Store) -> Result<()> {
    let tree = store.org_tree().await?;
    println!("\nLogins (password for every demo user: {DEMO_PASSWORD}):");
    println!("  {:<12} {:<11} covers", "username", "role");
    for user in store.users().await? {
        let today = store.today();
        let units: Vec<String> = store
            .assignments_of(user.id)
            .await?
            .into_iter()
            .filter(|a| a.effective.contains(today))
            .filter_map(|a| tree.iter().find(|u| u.id == a.org_unit_id))
            .map(|u| format!("{} {}", u.code, u.name))
            .collect();
        let covers = match user.role {
            pharmacrm_domain::role::Role::Rep | pharmacrm_domain::role::Role::Manager => {
                units.join(", ")
            }
            _ => "all territories".into(),
        };
        println!(
            "  {:<12} {:<11} {covers}",
            user.username,
            user.role.as_str()
        );
    }
    Ok(())
}

//! Reports: gathers a report's inputs within the caller's scope and lets the analytics
//! crate compute it.

use crate::auth::Principal;
use crate::{Result, Store};
use chrono::NaiveDate;
use pharmacrm_analytics::attribution::{attribute, AttributionReport, CallUnits};
use pharmacrm_analytics::frequency::{
    frequency_report, CallFact, Cycle, FrequencyReport, TargetHcp,
};
use pharmacrm_domain::targeting::hcp_target;
use uuid::Uuid;

/// Calls against frequency targets in a period (default: the plan cycle containing `today`)
/// for the caller's territories (or one of them).
pub async fn frequency(
    store: &Store,
    principal: &Principal,
    cycle: Option<Cycle>,
    territory: Option<Uuid>,
    today: NaiveDate,
) -> Result<FrequencyReport> {
    let scope = &principal.scope;
    let territories: Vec<_> = store
        .territories(scope)
        .await?
        .into_iter()
        .filter(|t| territory.is_none_or(|id| t.id == id))
        .collect();
    let (plan, frequencies) = crate::targeting::frequencies_in_force(store).await?;
    let cycle = cycle.unwrap_or_else(|| Cycle::of(plan, today));
    let hcps: Vec<TargetHcp> = store
        .tiered_hcps(scope, territory)
        .await?
        .into_iter()
        .filter_map(|h| {
            let target = hcp_target(&h.segments, &frequencies)?;
            Some(TargetHcp {
                hcp_id: h.hcp_id,
                name: h.name,
                territory_id: h.territory_id,
                tier: target.tier,
                target: cycle.scaled_target(plan, target.calls),
            })
        })
        .collect();
    let calls: Vec<CallFact> = store
        .call_attendances(scope, cycle.from, cycle.to)
        .await?
        .into_iter()
        .map(|(hcp_id, territory_id)| CallFact {
            hcp_id,
            territory_id,
        })
        .collect();
    Ok(frequency_report(cycle, today, &territories, &hcps, &calls))
}

/// Calls per territory, district and region from `from` to `to` (inclusive), each where its
/// HCP belonged on the call's date.
pub async fn attribution(
    store: &Store,
    principal: &Principal,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<AttributionReport> {
    if to < from {
        return Err(pharmacrm_domain::ValidationErrors::single("to", "is before from").into());
    }
    let visible: Vec<Uuid> = store
        .territories(&principal.scope)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let calls: Vec<CallUnits> = store
        .call_units(&principal.scope, from, to + chrono::Duration::days(1))
        .await?
        .into_iter()
        .map(|(territory_id, district_id, region_id)| CallUnits {
            territory_id,
            district_id,
            region_id,
        })
        .collect();
    Ok(attribute(
        from,
        to,
        &store.org_tree().await?,
        &visible,
        &calls,
    ))
}

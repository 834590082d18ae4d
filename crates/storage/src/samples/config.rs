//! Sample policy as compliance and ops configure it: limit templates, rep allocations,
//! credential rules, key messages, the blacklist and HCPs' DEA registrations; and the SKU
//! facts (schedule, unit value, manufacturer) the guardrails read.

use super::{from_json, json};
use crate::audit::record;
use crate::sql::{
    get_bool, get_date, get_i64, get_opt_i64, get_opt_str, get_opt_uuid, get_str, get_uuid,
    next_version, stmt, touch_hcps, Sql,
};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::product::DeaSchedule;
use pharmacrm_domain::sample::check::{AllocationFacts, CredentialRule, DeaRegistration, SkuFacts};
use pharmacrm_domain::sample::limits::{LimitMeasure, LimitWindow, SampleLimit, Severity};
use pharmacrm_domain::sample::views::{Allocation, KeyMessage, Manufacturer};
use pharmacrm_domain::views::DoNotCall;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

fn enum_text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn enum_of<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| StorageError::corrupt(column, e))
}

impl Store {
    pub async fn sample_limits(&self) -> Result<Vec<SampleLimit>> {
        let rows = sqlx::query(
            "SELECT id, name, product_id, measure, max_amount, window_kind, window_days, ends_after_days, severity \
             FROM sample_limits ORDER BY name, id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SampleLimit {
                    id: get_uuid(r, "id")?,
                    name: get_str(r, "name")?,
                    product_id: get_uuid(r, "product_id")?,
                    measure: enum_of::<LimitMeasure>(
                        "sample_limits.measure",
                        &get_str(r, "measure")?,
                    )?,
                    max: get_i64(r, "max_amount")?,
                    window: enum_of::<LimitWindow>(
                        "sample_limits.window_kind",
                        &get_str(r, "window_kind")?,
                    )?,
                    window_days: get_opt_i64(r, "window_days")?,
                    ends_after_days: get_opt_i64(r, "ends_after_days")?,
                    severity: enum_of::<Severity>(
                        "sample_limits.severity",
                        &get_str(r, "severity")?,
                    )?,
                })
            })
            .collect()
    }

    /// Creates or replaces a limit template.
    pub async fn put_sample_limit(&self, actor: &Actor, limit: &SampleLimit) -> Result<()> {
        let before = self
            .sample_limits()
            .await?
            .into_iter()
            .find(|l| l.id == limit.id);
        let mut tx = self.begin().await?;
        tx.tell_devices();
        stmt(
            "DELETE FROM sample_limits WHERE id = $1",
            vec![limit.id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        stmt(
            "INSERT INTO sample_limits (id, name, product_id, measure, max_amount, window_kind, window_days, ends_after_days, severity) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                limit.id.into(),
                limit.name.trim().to_string().into(),
                limit.product_id.into(),
                enum_text(&limit.measure).into(),
                limit.max.into(),
                enum_text(&limit.window).into(),
                limit.window_days.into(),
                limit.ends_after_days.into(),
                enum_text(&limit.severity).into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "sample_limit",
            limit.id,
            action,
            before.as_ref(),
            Some(limit),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_sample_limit(&self, actor: &Actor, id: Uuid) -> Result<()> {
        let before = self
            .sample_limits()
            .await?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or(StorageError::NotFound("limit"))?;
        let mut tx = self.begin().await?;
        tx.tell_devices();
        stmt("DELETE FROM sample_limits WHERE id = $1", vec![id.into()])
            .query()
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "sample_limit",
            id,
            AuditAction::Delete,
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Allocations, of one rep or all.
    /// Allocations of `rep_id` (every rep when none), limited to `reps` when given.
    pub async fn allocations(
        &self,
        rep_id: Option<Uuid>,
        reps: Option<&[Uuid]>,
    ) -> Result<Vec<Allocation>> {
        let mut sql = Sql::new("SELECT id, rep_id, product_id, period_from, period_to, quantity FROM sample_allocations WHERE 1 = 1");
        if let Some(rep) = rep_id {
            sql.push(" AND rep_id = ").bind(rep);
        }
        if let Some(reps) = reps {
            sql.push(" AND rep_id IN ").bind_list(reps.iter().copied());
        }
        sql.push(" ORDER BY period_from DESC, rep_id, product_id");
        sql.query()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(Allocation {
                    id: get_uuid(r, "id")?,
                    rep_id: get_uuid(r, "rep_id")?,
                    product_id: get_uuid(r, "product_id")?,
                    period_from: get_date(r, "period_from")?,
                    period_to: get_date(r, "period_to")?,
                    quantity: get_i64(r, "quantity")?,
                })
            })
            .collect()
    }

    /// Sets a rep's allocation of a product for a cycle (replacing the same cycle's).
    pub async fn put_allocation(&self, actor: &Actor, a: &Allocation) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.tell_devices();
        stmt(
            "DELETE FROM sample_allocations WHERE rep_id = $1 AND product_id = $2 AND period_from = $3",
            vec![a.rep_id.into(), a.product_id.into(), a.period_from.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        stmt(
            "INSERT INTO sample_allocations (id, rep_id, product_id, period_from, period_to, quantity) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![a.id.into(), a.rep_id.into(), a.product_id.into(), a.period_from.into(), a.period_to.into(), a.quantity.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "sample_allocation",
            a.id,
            AuditAction::Create,
            None,
            Some(a),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A rep's allocations with what they disbursed of each so far.
    pub async fn allocation_facts(&self, rep_id: Uuid) -> Result<Vec<AllocationFacts>> {
        let mut out = Vec::new();
        for a in self.allocations(Some(rep_id), None).await? {
            let used = self
                .disbursed_by_rep(rep_id, a.period_from, a.period_to)
                .await?
                .get(&a.product_id)
                .copied()
                .unwrap_or(0);
            out.push(AllocationFacts {
                product_id: a.product_id,
                period_from: a.period_from,
                period_to: a.period_to,
                quantity: a.quantity,
                used,
            });
        }
        Ok(out)
    }

    pub async fn credential_rules(&self) -> Result<Vec<CredentialRule>> {
        let rows = sqlx::query("SELECT id, state, credential, product_id, controlled_only FROM credential_rules ORDER BY state, credential")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CredentialRule {
                    id: get_uuid(r, "id")?,
                    state: get_str(r, "state")?,
                    credential: get_str(r, "credential")?,
                    product_id: get_opt_uuid(r, "product_id")?,
                    controlled_only: get_bool(r, "controlled_only")?,
                })
            })
            .collect()
    }

    pub async fn put_credential_rule(&self, actor: &Actor, rule: &CredentialRule) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.tell_devices();
        stmt(
            "DELETE FROM credential_rules WHERE id = $1",
            vec![rule.id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        stmt(
            "INSERT INTO credential_rules (id, state, credential, product_id, controlled_only) VALUES ($1, $2, $3, $4, $5)",
            vec![rule.id.into(), rule.state.clone().into(), rule.credential.clone().into(), rule.product_id.into(), rule.controlled_only.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "credential_rule",
            rule.id,
            AuditAction::Create,
            None,
            Some(rule),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn key_messages(&self) -> Result<Vec<KeyMessage>> {
        let rows = sqlx::query(
            "SELECT id, product_id, kind, text FROM key_messages ORDER BY product_id, kind, text",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KeyMessage {
                    id: get_uuid(r, "id")?,
                    product_id: get_uuid(r, "product_id")?,
                    kind: get_str(r, "kind")?,
                    text: get_str(r, "text")?,
                })
            })
            .collect()
    }

    pub async fn put_key_message(&self, actor: &Actor, m: &KeyMessage) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.tell_devices();
        stmt("DELETE FROM key_messages WHERE id = $1", vec![m.id.into()])
            .query()
            .execute(&mut *tx)
            .await?;
        stmt(
            "INSERT INTO key_messages (id, product_id, kind, text) VALUES ($1, $2, $3, $4)",
            vec![
                m.id.into(),
                m.product_id.into(),
                m.kind.clone().into(),
                m.text.clone().into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "key_message",
            m.id,
            AuditAction::Create,
            None,
            Some(m),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every sample SKU with its product, schedule and unit value.
    pub async fn sku_facts(&self) -> Result<Vec<SkuFacts>> {
        let rows = sqlx::query(
            "SELECT s.id, s.product_id, p.brand, s.strength, s.ndc, s.dea_schedule, s.unit_value_cents FROM sample_skus s \
             JOIN products p ON p.id = s.product_id ORDER BY p.brand, s.strength",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let ndc = get_str(r, "ndc")?;
                Ok(SkuFacts {
                    sku_id: get_uuid(r, "id")?,
                    product_id: get_uuid(r, "product_id")?,
                    product_name: get_str(r, "brand")?,
                    strength: get_str(r, "strength")?,
                    ndc: pharmacrm_domain::ndc::Ndc::parse(&ndc)
                        .map(|n| n.hyphenated())
                        .unwrap_or(ndc),
                    dea_schedule: get_opt_str(r, "dea_schedule")?
                        .as_deref()
                        .and_then(DeaSchedule::parse),
                    unit_value_cents: get_i64(r, "unit_value_cents")?,
                })
            })
            .collect()
    }

    /// Sets a SKU's controlled-substance schedule and unit value (the product changes on devices).
    pub async fn set_sku_policy(
        &self,
        actor: &Actor,
        sku_id: Uuid,
        dea_schedule: Option<DeaSchedule>,
        unit_value_cents: i64,
    ) -> Result<()> {
        let before = self
            .sku_facts()
            .await?
            .into_iter()
            .find(|s| s.sku_id == sku_id)
            .ok_or(StorageError::NotFound("sample SKU"))?;
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        stmt(
            "UPDATE sample_skus SET dea_schedule = $1, unit_value_cents = $2 WHERE id = $3",
            vec![
                dea_schedule.map(|d| d.as_str().to_string()).into(),
                unit_value_cents.into(),
                sku_id.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        stmt(
            "UPDATE products SET version = $1 WHERE id = $2",
            vec![version.into(), before.product_id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let after = SkuFacts {
            dea_schedule,
            unit_value_cents,
            ..before.clone()
        };
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "sample_sku",
            sku_id,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn manufacturers(&self) -> Result<Vec<Manufacturer>> {
        let rows = sqlx::query("SELECT id, manufacturer FROM products ORDER BY brand")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Manufacturer {
                    product_id: get_uuid(r, "id")?,
                    name: get_str(r, "manufacturer")?,
                })
            })
            .collect()
    }

    /// DEA registrations of HCPs.
    pub async fn dea_registrations(
        &self,
        hcp_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<DeaRegistration>>> {
        let mut map: HashMap<Uuid, Vec<DeaRegistration>> = HashMap::new();
        for chunk in hcp_ids.chunks(500) {
            let mut sql = Sql::new("SELECT hcp_id, number, state, schedules, expires_on FROM hcp_dea_registrations WHERE hcp_id IN ");
            sql.bind_list(chunk.iter().copied())
                .push(" ORDER BY hcp_id, number");
            for r in sql.query().fetch_all(self.pool()).await? {
                map.entry(get_uuid(&r, "hcp_id")?)
                    .or_default()
                    .push(DeaRegistration {
                        number: get_str(&r, "number")?,
                        state: get_str(&r, "state")?,
                        schedules: from_json(&r, "schedules")?,
                        expires_on: get_date(&r, "expires_on")?,
                    });
            }
        }
        Ok(map)
    }

    /// Adds or replaces an HCP's DEA registration (the HCP's profile changes on devices).
    pub async fn put_dea_registration(
        &self,
        actor: &Actor,
        hcp_id: Uuid,
        reg: &DeaRegistration,
    ) -> Result<()> {
        self.put_dea_registrations(actor, &[(hcp_id, reg.clone())])
            .await
    }

    /// Adds or replaces DEA registrations of several HCPs in one transaction.
    pub async fn put_dea_registrations(
        &self,
        actor: &Actor,
        regs: &[(Uuid, DeaRegistration)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        for (hcp_id, reg) in regs {
            stmt(
                "DELETE FROM hcp_dea_registrations WHERE hcp_id = $1 AND number = $2",
                vec![(*hcp_id).into(), reg.number.clone().into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
            stmt(
                "INSERT INTO hcp_dea_registrations (hcp_id, number, state, schedules, expires_on) VALUES ($1, $2, $3, $4, $5)",
                vec![(*hcp_id).into(), reg.number.clone().into(), reg.state.clone().into(), json(&reg.schedules).into(), reg.expires_on.into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
            record(
                &mut tx,
                &self.now_timestamp(),
                actor,
                "dea_registration",
                format!("{hcp_id}/{}", reg.number),
                AuditAction::Create,
                None,
                Some(reg),
            )
            .await?;
        }
        let ids: Vec<Uuid> = regs.iter().map(|(h, _)| *h).collect();
        touch_hcps(&mut tx, &ids, version).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Blacklist entries of HCPs.
    pub async fn blacklist_of(&self, hcp_ids: &[Uuid]) -> Result<HashMap<Uuid, DoNotCall>> {
        let mut map = HashMap::new();
        for chunk in hcp_ids.chunks(500) {
            let mut sql = Sql::new(
                "SELECT hcp_id, reason, set_by, set_at FROM hcp_blacklist WHERE hcp_id IN ",
            );
            sql.bind_list(chunk.iter().copied());
            for r in sql.query().fetch_all(self.pool()).await? {
                map.insert(
                    get_uuid(&r, "hcp_id")?,
                    DoNotCall {
                        reason: get_str(&r, "reason")?,
                        set_by: get_str(&r, "set_by")?,
                        set_at: get_str(&r, "set_at")?,
                    },
                );
            }
        }
        Ok(map)
    }

    /// Puts an HCP on the blacklist with a reason, or takes them off (`None`).
    pub async fn set_blacklist(
        &self,
        actor: &Actor,
        hcp_id: Uuid,
        reason: Option<&str>,
    ) -> Result<()> {
        let before = self.blacklist_of(&[hcp_id]).await?.remove(&hcp_id);
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        stmt(
            "DELETE FROM hcp_blacklist WHERE hcp_id = $1",
            vec![hcp_id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        let after = reason.map(|r| DoNotCall {
            reason: r.to_string(),
            set_by: actor.name.clone(),
            set_at: self.now_timestamp(),
        });
        if let Some(a) = &after {
            stmt(
                "INSERT INTO hcp_blacklist (hcp_id, reason, set_by, set_at) VALUES ($1, $2, $3, $4)",
                vec![hcp_id.into(), a.reason.clone().into(), a.set_by.clone().into(), a.set_at.clone().into()],
            )
            .query()
            .execute(&mut *tx)
            .await?;
        }
        touch_hcps(&mut tx, &[hcp_id], version).await?;
        let action = match (&before, &after) {
            (None, _) => AuditAction::Create,
            (Some(_), Some(_)) => AuditAction::Update,
            (Some(_), None) => AuditAction::Delete,
        };
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "hcp_blacklist",
            hcp_id,
            action,
            before.as_ref(),
            after.as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An HCP as name screening sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedHcp {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub state: String,
}

impl Store {
    /// HCPs whose last name is one of `last_names` (compared in lower case), any territory.
    pub async fn hcps_by_last_name(&self, last_names: &[String]) -> Result<Vec<NamedHcp>> {
        let mut out = Vec::new();
        for chunk in last_names.chunks(500) {
            let mut sql = Sql::new(
                "SELECT id, first_name, last_name, state FROM hcps WHERE LOWER(last_name) IN ",
            );
            sql.bind_list(chunk.iter().map(|n| n.to_lowercase()));
            for r in sql.query().fetch_all(self.pool()).await? {
                out.push(NamedHcp {
                    id: get_uuid(&r, "id")?,
                    first_name: get_str(&r, "first_name")?,
                    last_name: get_str(&r, "last_name")?,
                    state: get_str(&r, "state")?,
                });
            }
        }
        Ok(out)
    }
}

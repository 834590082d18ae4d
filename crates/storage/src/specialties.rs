//! The NUCC specialty table: the built-in codes, plus codes an organisation imports.

use crate::audit::record;
use crate::sql::{get_str, stmt};
use crate::{Result, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::specialty::{built_in, Specialty};
use std::collections::HashSet;

impl Store {
    /// Adds the built-in codes missing from the table (run by `migrate`).
    pub(crate) async fn ensure_built_in_specialties(&self) -> Result<()> {
        let known: HashSet<String> = self
            .specialties()
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        let missing: Vec<Specialty> = built_in()
            .into_iter()
            .filter(|s| !known.contains(&s.code))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        self.upsert_specialties(&Actor::system("migrate"), &missing, true)
            .await
            .map(|_| ())
    }

    /// Inserts or renames specialties; returns how many rows changed.
    pub async fn upsert_specialties(
        &self,
        actor: &Actor,
        specialties: &[Specialty],
        built_in: bool,
    ) -> Result<usize> {
        let existing: std::collections::HashMap<String, String> = self
            .specialties()
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
        let mut tx = self.pool().begin().await?;
        let mut changed = 0;
        for s in specialties {
            let before = existing.get(&s.code).map(|name| Specialty {
                code: s.code.clone(),
                name: name.clone(),
            });
            if before.as_ref() == Some(s) {
                continue;
            }
            stmt(
                "INSERT INTO specialties (code, name, built_in) VALUES ($1, $2, $3) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                vec![
                    s.code.clone().into(),
                    s.name.clone().into(),
                    built_in.into(),
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
                "specialty",
                &s.code,
                action,
                before.as_ref(),
                Some(s),
            )
            .await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(changed)
    }

    pub async fn specialties(&self) -> Result<Vec<Specialty>> {
        let rows = sqlx::query("SELECT code, name FROM specialties ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Specialty {
                    code: get_str(r, "code")?,
                    name: get_str(r, "name")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn ensure_built_in(store: &Store) -> Result<()> {
    store.ensure_built_in_specialties().await
}

//! The organisation tree and who is assigned where, effective-dated so history is kept.

use crate::audit::record;
use crate::sql::{get_opt_uuid, get_str, get_uuid, next_version, stmt, unique_violation, Sql};
use crate::{Result, StorageError, Store};
use chrono::NaiveDate;
use pharmacrm_domain::access::Scope;
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::org::{territories_under, Effective, OrgLevel, OrgUnit, TerritoryRef};
use pharmacrm_domain::role::Role;
use pharmacrm_domain::ValidationErrors;
use serde::Serialize;
use uuid::Uuid;

/// A person's responsibility for an org unit over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub id: Uuid,
    pub user_id: Uuid,
    pub org_unit_id: Uuid,
    pub effective: Effective,
}

impl Store {
    pub async fn insert_org_unit(&self, actor: &Actor, unit: &OrgUnit) -> Result<()> {
        let mut errors = ValidationErrors::new();
        let parent_level = match unit.parent_id {
            Some(pid) => self
                .org_tree()
                .await?
                .into_iter()
                .find(|u| u.id == pid)
                .map(|u| u.level),
            None => None,
        };
        if parent_level != unit.level.parent() {
            errors.add(
                "parent_id",
                format!(
                    "a {} must hang under a {}",
                    unit.level.as_str(),
                    unit.level.parent().map(|l| l.as_str()).unwrap_or("nothing")
                ),
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.pool().begin().await?;
        stmt(
            "INSERT INTO org_units (id, level, code, name, parent_id) VALUES ($1, $2, $3, $4, $5)",
            vec![
                unit.id.into(),
                unit.level.as_str().into(),
                unit.code.clone().into(),
                unit.name.clone().into(),
                unit.parent_id.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, Code::Duplicate, "org unit", "code", &unit.code))?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "org_unit",
            unit.id,
            AuditAction::Create,
            None,
            Some(unit),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The whole organisation (a few hundred rows at most).
    pub async fn org_tree(&self) -> Result<Vec<OrgUnit>> {
        let rows =
            sqlx::query("SELECT id, level, code, name, parent_id FROM org_units ORDER BY code")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|row| {
                let level = get_str(row, "level")?;
                Ok(OrgUnit {
                    id: get_uuid(row, "id")?,
                    level: OrgLevel::parse(&level)
                        .ok_or_else(|| StorageError::corrupt("org_units.level", &level))?,
                    code: get_str(row, "code")?,
                    name: get_str(row, "name")?,
                    parent_id: get_opt_uuid(row, "parent_id")?,
                })
            })
            .collect()
    }

    pub async fn org_unit_by_code(&self, code: &str) -> Result<Option<OrgUnit>> {
        Ok(self.org_tree().await?.into_iter().find(|u| u.code == code))
    }

    /// Territories visible in `scope`, ordered by code.
    pub async fn territories(&self, scope: &Scope) -> Result<Vec<TerritoryRef>> {
        Ok(self
            .org_tree()
            .await?
            .into_iter()
            .filter(|u| u.level == OrgLevel::Territory && scope.includes(Some(u.id)))
            .map(|u| TerritoryRef {
                id: u.id,
                code: u.code,
                name: u.name,
            })
            .collect())
    }

    /// Assigns a user to an org unit from `effective.from`. A user's earlier open-ended
    /// assignment to the same unit is closed, never deleted.
    pub async fn assign(
        &self,
        actor: &Actor,
        user_id: Uuid,
        org_unit_id: Uuid,
        effective: Effective,
    ) -> Result<Uuid> {
        let id = pharmacrm_domain::new_id();
        let assignment = Assignment {
            id,
            user_id,
            org_unit_id,
            effective,
        };
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        stmt(
            "INSERT INTO assignments (id, user_id, org_unit_id, valid_from, valid_to, version) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![id.into(), user_id.into(), org_unit_id.into(), effective.from.into(), effective.to.into(), version.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "assignment",
            id,
            AuditAction::Create,
            None,
            Some(&assignment),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends an assignment on `to` (exclusive), keeping it as history.
    pub async fn end_assignment(&self, actor: &Actor, id: Uuid, to: NaiveDate) -> Result<()> {
        let mut tx = self.begin().await?;
        let mut sql = Sql::new(
            "SELECT id, user_id, org_unit_id, valid_from, valid_to FROM assignments WHERE id = ",
        );
        sql.bind(id);
        let row = sql
            .query()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StorageError::NotFound("assignment"))?;
        let before = assignment_from(&row)?;
        if to <= before.effective.from {
            return Err(
                ValidationErrors::single("to", "must be after the assignment's start").into(),
            );
        }
        let mut after = before.clone();
        after.effective.to = Some(to);
        let version = next_version(&mut tx).await?;
        stmt(
            "UPDATE assignments SET valid_to = $1, version = $2 WHERE id = $3",
            vec![to.into(), version.into(), id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "assignment",
            id,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every assignment to an org unit, current, past and future, oldest first.
    pub async fn assignments_to(&self, org_unit_id: Uuid) -> Result<Vec<Assignment>> {
        let mut sql = Sql::new("SELECT id, user_id, org_unit_id, valid_from, valid_to FROM assignments WHERE org_unit_id = ");
        sql.bind(org_unit_id).push(" ORDER BY valid_from");
        let rows = sql.query().fetch_all(self.pool()).await?;
        rows.iter().map(assignment_from).collect()
    }

    /// Every assignment of a user, current and past.
    pub async fn assignments_of(&self, user_id: Uuid) -> Result<Vec<Assignment>> {
        let mut sql = Sql::new("SELECT id, user_id, org_unit_id, valid_from, valid_to FROM assignments WHERE user_id = ");
        sql.bind(user_id).push(" ORDER BY valid_from");
        let rows = sql.query().fetch_all(self.pool()).await?;
        rows.iter().map(assignment_from).collect()
    }

    /// The data scope of a user today: a rep's current territories, a manager's current
    /// districts' territories, everything for head-office roles.
    pub async fn scope_of(&self, user_id: Uuid, role: Role) -> Result<Scope> {
        self.scope_of_on(user_id, role, self.today()).await
    }

    /// The data scope a user had on `day` (calls are judged by the day they happened).
    pub async fn scope_of_on(&self, user_id: Uuid, role: Role, day: NaiveDate) -> Result<Scope> {
        if !matches!(role, Role::Rep | Role::Manager) {
            return Ok(Scope::for_role(role, Vec::new()));
        }
        let units: Vec<Uuid> = self
            .assignments_of(user_id)
            .await?
            .into_iter()
            .filter(|a| a.effective.contains(day))
            .map(|a| a.org_unit_id)
            .collect();
        let tree = self.org_tree().await?;
        Ok(Scope::for_role(role, territories_under(&tree, &units)))
    }
}

fn assignment_from(row: &sqlx::any::AnyRow) -> Result<Assignment> {
    use crate::sql::{get_date, get_opt_date};
    Ok(Assignment {
        id: get_uuid(row, "id")?,
        user_id: get_uuid(row, "user_id")?,
        org_unit_id: get_uuid(row, "org_unit_id")?,
        effective: Effective {
            from: get_date(row, "valid_from")?,
            to: get_opt_date(row, "valid_to")?,
        },
    })
}

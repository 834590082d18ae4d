//! Products (brands) and their sample SKUs.

use crate::audit::record;
use crate::sql::{get_opt_str, get_str, get_uuid, next_version, stmt, unique_violation};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::code::Code;
use pharmacrm_domain::ndc::Ndc;
use pharmacrm_domain::product::{DeaSchedule, LifecycleStage, ProductRecord, SampleSkuRecord};
use pharmacrm_domain::views::{Product, SampleSku};
use uuid::Uuid;

impl Store {
    pub async fn insert_product(
        &self,
        actor: &Actor,
        id: Uuid,
        product: &ProductRecord,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let version = next_version(&mut tx).await?;
        stmt(
            "INSERT INTO products (id, brand, therapeutic_area, lifecycle_stage, created_at, version) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                id.into(),
                product.brand.clone().into(),
                product.therapeutic_area.clone().into(),
                product.lifecycle_stage.as_str().into(),
                self.now_timestamp().into(),
                version.into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, Code::Duplicate, "product", "brand", &product.brand))?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "product",
            id,
            AuditAction::Create,
            None,
            Some(product),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn insert_sample_sku(
        &self,
        actor: &Actor,
        id: Uuid,
        product_id: Uuid,
        sku: &SampleSkuRecord,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        stmt(
            "INSERT INTO sample_skus (id, product_id, ndc, strength, dosage_form, dea_schedule) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                id.into(),
                product_id.into(),
                sku.ndc.as_str().into(),
                sku.strength.clone().into(),
                sku.dosage_form.clone().into(),
                sku.dea_schedule.map(|d| d.as_str().to_string()).into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, Code::Duplicate, "sample SKU", "NDC", sku.ndc.as_str()))?;
        let version = next_version(&mut tx).await?;
        stmt(
            "UPDATE products SET version = $1 WHERE id = $2",
            vec![version.into(), product_id.into()],
        )
        .query()
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &self.now_timestamp(),
            actor,
            "sample_sku",
            id,
            AuditAction::Create,
            None,
            Some(sku),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Products with their sample SKUs, by brand.
    pub async fn products(&self) -> Result<Vec<Product>> {
        let rows = sqlx::query("SELECT id, product_id, ndc, strength, dosage_form, dea_schedule FROM sample_skus ORDER BY ndc")
            .fetch_all(self.pool())
            .await?;
        let mut skus: std::collections::HashMap<Uuid, Vec<SampleSku>> = Default::default();
        for r in &rows {
            let ndc = get_str(r, "ndc")?;
            let dea = get_opt_str(r, "dea_schedule")?;
            skus.entry(get_uuid(r, "product_id")?)
                .or_default()
                .push(SampleSku {
                    id: get_uuid(r, "id")?,
                    ndc: Ndc::parse(&ndc)
                        .map_err(|e| StorageError::corrupt("sample_skus.ndc", e))?
                        .hyphenated(),
                    strength: get_str(r, "strength")?,
                    dosage_form: get_str(r, "dosage_form")?,
                    dea_schedule: dea
                        .map(|d| {
                            DeaSchedule::parse(&d).ok_or_else(|| {
                                StorageError::corrupt("sample_skus.dea_schedule", &d)
                            })
                        })
                        .transpose()?,
                });
        }
        let rows = sqlx::query(
            "SELECT id, brand, therapeutic_area, lifecycle_stage FROM products ORDER BY brand",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let stage = get_str(r, "lifecycle_stage")?;
                let id = get_uuid(r, "id")?;
                Ok(Product {
                    id,
                    brand: get_str(r, "brand")?,
                    therapeutic_area: get_str(r, "therapeutic_area")?,
                    lifecycle_stage: LifecycleStage::parse(&stage)
                        .ok_or_else(|| StorageError::corrupt("products.lifecycle_stage", &stage))?,
                    sample_skus: skus.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }
}

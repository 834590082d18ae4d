//! Products (brands) and their sample SKUs.

use crate::audit::record;
use crate::sql::{get_str, get_uuid, stmt, unique_violation};
use crate::{Result, StorageError, Store};
use pharmacrm_domain::audit::{Actor, AuditAction};
use pharmacrm_domain::product::{LifecycleStage, ProductRecord, SampleSkuRecord};
use pharmacrm_domain::views::Product;
use uuid::Uuid;

impl Store {
    pub async fn insert_product(&self, actor: &Actor, id: Uuid, product: &ProductRecord) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        stmt(
            "INSERT INTO products (id, brand, therapeutic_area, lifecycle_stage, created_at) VALUES ($1, $2, $3, $4, $5)",
            vec![
                id.into(),
                product.brand.clone().into(),
                product.therapeutic_area.clone().into(),
                product.lifecycle_stage.as_str().into(),
                crate::now_timestamp().into(),
            ],
        )
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, "product", "brand", &product.brand))?;
        record(&mut tx, actor, "product", id, AuditAction::Create, None, Some(product)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn insert_sample_sku(&self, actor: &Actor, id: Uuid, product_id: Uuid, sku: &SampleSkuRecord) -> Result<()> {
        let mut tx = self.pool().begin().await?;
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
        .map_err(|e| unique_violation(e, "sample SKU", "NDC", sku.ndc.as_str()))?;
        record(&mut tx, actor, "sample_sku", id, AuditAction::Create, None, Some(sku)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn products(&self) -> Result<Vec<Product>> {
        let rows = sqlx::query("SELECT id, brand, therapeutic_area, lifecycle_stage FROM products ORDER BY brand")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let stage = get_str(r, "lifecycle_stage")?;
                Ok(Product {
                    id: get_uuid(r, "id")?,
                    brand: get_str(r, "brand")?,
                    therapeutic_area: get_str(r, "therapeutic_area")?,
                    lifecycle_stage: LifecycleStage::parse(&stage)
                        .ok_or_else(|| StorageError::corrupt("products.lifecycle_stage", &stage))?,
                })
            })
            .collect()
    }
}

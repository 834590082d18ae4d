//! Products (brands) and the sample SKUs a rep can carry.

use crate::ndc::Ndc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    PreLaunch,
    Launch,
    Growth,
    Mature,
    LossOfExclusivity,
}

impl LifecycleStage {
    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleStage::PreLaunch => "pre_launch",
            LifecycleStage::Launch => "launch",
            LifecycleStage::Growth => "growth",
            LifecycleStage::Mature => "mature",
            LifecycleStage::LossOfExclusivity => "loss_of_exclusivity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            LifecycleStage::PreLaunch,
            LifecycleStage::Launch,
            LifecycleStage::Growth,
            LifecycleStage::Mature,
            LifecycleStage::LossOfExclusivity,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// DEA controlled-substance schedule of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum DeaSchedule {
    #[serde(rename = "II")]
    II,
    #[serde(rename = "III")]
    III,
    #[serde(rename = "IV")]
    IV,
    #[serde(rename = "V")]
    V,
}

impl DeaSchedule {
    pub fn as_str(self) -> &'static str {
        match self {
            DeaSchedule::II => "II",
            DeaSchedule::III => "III",
            DeaSchedule::IV => "IV",
            DeaSchedule::V => "V",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            DeaSchedule::II,
            DeaSchedule::III,
            DeaSchedule::IV,
            DeaSchedule::V,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRecord {
    pub brand: String,
    pub therapeutic_area: String,
    pub lifecycle_stage: LifecycleStage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleSkuRecord {
    pub ndc: Ndc,
    pub strength: String,
    pub dosage_form: String,
    pub dea_schedule: Option<DeaSchedule>,
}

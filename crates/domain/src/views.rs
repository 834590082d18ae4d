//! Read models: HCPs, accounts and users as the API and the UI show them. Storage builds
//! them (already limited to the reader's scope); the HTTP layer serialises them as-is, and
//! the web client's types are generated from their OpenAPI schemas.

use crate::account::AccountType;
use crate::address::Address;
use crate::hcp::{CallWindow, HcpStatus};
use crate::org::TerritoryRef;
use crate::role::Role;
use crate::segment::Tier;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One line of the HCP list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HcpSummary {
    pub id: Uuid,
    pub npi: String,
    pub first_name: String,
    pub last_name: String,
    pub credentials: String,
    pub specialty_code: String,
    pub specialty_name: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub status: HcpStatus,
    pub do_not_call: bool,
    /// The best tier the HCP holds for any product.
    pub top_tier: Option<Tier>,
    /// The territory the HCP's primary address is aligned to today.
    pub territory: Option<TerritoryRef>,
    /// `verified`, or `proposed` by a rep and waiting for a data steward.
    #[serde(default = "verified")]
    pub master_status: String,
}

fn verified() -> String {
    "verified".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HcpPage {
    pub items: Vec<HcpSummary>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Licence {
    pub state: String,
    pub number: String,
    pub expires_on: NaiveDate,
    /// Not expired today.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DoNotCall {
    pub reason: String,
    /// Username of who set the flag.
    pub set_by: String,
    pub set_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Affiliation {
    pub account_id: Uuid,
    pub account_name: String,
    pub account_type: AccountType,
    pub role: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Segment {
    pub product_id: Uuid,
    pub product_name: String,
    pub tier: Tier,
    pub decile: u8,
    pub set_on: NaiveDate,
}

/// The HCP profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Hcp {
    pub id: Uuid,
    pub npi: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_name: String,
    pub suffix: Option<String>,
    pub credentials: String,
    pub specialty_code: String,
    pub specialty_name: String,
    pub status: HcpStatus,
    pub language: String,
    pub address: Address,
    /// Office phone, 10 digits.
    #[serde(default)]
    pub phone: Option<String>,
    /// `verified`, or `proposed` by a rep and waiting for a data steward.
    #[serde(default = "verified")]
    pub master_status: String,
    pub licences: Vec<Licence>,
    pub do_not_call: Option<DoNotCall>,
    /// Compliance blacklist entry (no calls, no samples), if any.
    #[serde(default)]
    pub blacklist: Option<DoNotCall>,
    /// DEA registrations (needed for samples of a controlled product).
    #[serde(default)]
    pub dea_registrations: Vec<crate::sample::check::DeaRegistration>,
    pub preferred_call_times: Vec<CallWindow>,
    /// Affiliations with accounts the reader can see.
    pub affiliations: Vec<Affiliation>,
    pub segments: Vec<Segment>,
    pub territory: Option<TerritoryRef>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountSummary {
    pub id: Uuid,
    pub external_id: String,
    pub name: String,
    pub account_type: AccountType,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub territory: Option<TerritoryRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountPage {
    pub items: Vec<AccountSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountRef {
    pub id: Uuid,
    pub name: String,
    pub account_type: AccountType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AffiliatedHcp {
    pub hcp_id: Uuid,
    pub name: String,
    pub specialty_name: String,
    pub role: String,
    pub primary: bool,
}

/// The account profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: Uuid,
    pub external_id: String,
    pub name: String,
    pub account_type: AccountType,
    /// The parent account, when the reader can see it.
    pub parent: Option<AccountRef>,
    pub address: Address,
    pub territory: Option<TerritoryRef>,
    pub children: Vec<AccountRef>,
    pub affiliated_hcps: Vec<AffiliatedHcp>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub id: Uuid,
    pub brand: String,
    pub therapeutic_area: String,
    pub lifecycle_stage: crate::product::LifecycleStage,
    pub sample_skus: Vec<SampleSku>,
}

/// A sample SKU a rep can carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SampleSku {
    pub id: Uuid,
    /// NDC in the 11-digit 5-4-2 form with hyphens, e.g. `50242-0041-21`.
    pub ndc: String,
    pub strength: String,
    pub dosage_form: String,
    /// DEA schedule (II-V) when the product is controlled.
    pub dea_schedule: Option<crate::product::DeaSchedule>,
}

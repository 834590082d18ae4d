//! Accounts (healthcare organisations): hospitals, clinics, pharmacies, drug stores,
//! distributors and integrated delivery networks, with their parent and their HCPs.

use crate::address::Address;
use crate::validation::{required, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Hospital,
    Clinic,
    Pharmacy,
    DrugStore,
    Distributor,
    Idn,
}

impl AccountType {
    pub const ALL: [AccountType; 6] = [
        AccountType::Hospital,
        AccountType::Clinic,
        AccountType::Pharmacy,
        AccountType::DrugStore,
        AccountType::Distributor,
        AccountType::Idn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Hospital => "hospital",
            AccountType::Clinic => "clinic",
            AccountType::Pharmacy => "pharmacy",
            AccountType::DrugStore => "drug_store",
            AccountType::Distributor => "distributor",
            AccountType::Idn => "idn",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        AccountType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "'{s}' is not one of hospital, clinic, pharmacy, drug_store, distributor, idn"
                )
            })
    }
}

/// Account data as supplied by a user or an import file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountInput {
    /// The account's id in the customer master it comes from (e.g. an HIN or a
    /// distributor's customer number); imports match on it.
    pub external_id: String,
    pub name: String,
    pub account_type: AccountType,
    /// `external_id` of the parent account (an IDN for a hospital, say).
    #[serde(default)]
    pub parent_external_id: Option<String>,
    pub address: Address,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub external_id: String,
    pub name: String,
    pub account_type: AccountType,
    pub parent_external_id: Option<String>,
    pub address: Address,
}

impl AccountInput {
    pub fn validate(&self) -> Result<AccountRecord, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let external_id = required(&mut errors, "external_id", &self.external_id);
        let name = required(&mut errors, "name", &self.name);
        let address = self.address.validated("address", &mut errors);
        let parent = crate::validation::optional(self.parent_external_id.as_deref());
        if parent.as_deref() == Some(external_id.as_str()) {
            errors.add("parent_external_id", "an account cannot be its own parent");
        }
        errors.into_result(|| AccountRecord {
            external_id,
            name,
            account_type: self.account_type,
            parent_external_id: parent,
            address,
        })
    }
}

/// The role an HCP holds at an account.
pub const AFFILIATION_ROLES: [&str; 5] = [
    "attending",
    "staff",
    "department head",
    "owner",
    "consultant",
];

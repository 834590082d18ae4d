//! The pharmacrm domain: the types field forces work with (HCPs, accounts, products,
//! territories, users) and the rules that govern them, with no I/O. Storage, services,
//! the HTTP API and the CLI all build on these definitions, so a rule lives here once.

pub mod access;
pub mod account;
pub mod address;
pub mod alignment;
pub mod audit;
pub mod call;
pub mod clock;
pub mod code;
pub mod completeness;
pub mod hcp;
pub mod matching;
pub mod mutation;
pub mod ndc;
pub mod npi;
pub mod org;
pub mod permission;
pub mod product;
pub mod realignment;
pub mod role;
pub mod sample;
pub mod seal;
pub mod segment;
pub mod specialty;
pub mod stewardship;
pub mod strict_json;
pub mod targeting;
pub mod validation;
pub mod views;

pub use validation::{FieldError, ValidationErrors};

/// A new identifier. UUIDv7 so that ids created offline by clients sort by creation time
/// and never collide with the server's.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

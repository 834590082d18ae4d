//! pharmacrm services: the use cases the HTTP API and the CLI share. Signing in and out,
//! reading and creating HCPs and accounts within the caller's scope, importing and
//! exporting the industry's CSV files. Rules come from the domain crate; data from storage.

pub mod alignment;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod completeness;
pub mod csv_format;
mod error;
pub mod hcps;
pub mod import;
pub mod matching;
pub mod org;
pub mod realignment;
pub mod reports;
pub mod samples;
pub mod screening;
pub mod stewardship;
pub mod sync;
pub mod targeting;
pub mod users;

pub use error::ServiceError;
pub use pharmacrm_storage::Store;

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

//! The storage error type.

use pharmacrm_domain::code::Code;
use pharmacrm_domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness rule was broken (e.g. an NPI that already exists).
    #[error("{entity} with {field} '{value}' already exists")]
    Duplicate {
        /// `duplicate_npi`, `duplicate_call`, `duplicate_record` or `duplicate`.
        code: Code,
        entity: &'static str,
        field: &'static str,
        value: String,
    },
    /// This sync mutation was recorded already (a concurrent replay won).
    #[error("mutation already recorded")]
    MutationSeen,
    /// The change conflicts with what is stored (decided inside the writing transaction).
    #[error("{message}")]
    Conflict { code: Code, message: String },
    /// What a decision was taken on changed before it could be written (see
    /// `samples::guard`): decide again on fresh data.
    #[error("the data this decision read changed meanwhile")]
    Stale,
    /// The change refers to something that does not exist or is out of scope.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The stored data breaks a rule (found while writing).
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// A stored value could not be read back (corrupt or unexpected data).
    #[error("corrupt stored value in {column}: {message}")]
    Corrupt { column: String, message: String },
}

impl StorageError {
    pub(crate) fn corrupt(column: &str, message: impl std::fmt::Display) -> Self {
        StorageError::Corrupt {
            column: column.to_string(),
            message: message.to_string(),
        }
    }
}

//! The service error type; the HTTP edge maps each variant to one problem `code`.

use pharmacrm_domain::code::Code;
use pharmacrm_domain::ValidationErrors;
use pharmacrm_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Missing, or outside the caller's scope: the two are not told apart.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("username or password is wrong")]
    InvalidCredentials,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Conflict { code: Code, message: String },
    #[error("storage: {0}")]
    Storage(StorageError),
    #[error("{0}")]
    Internal(String),
}

impl From<StorageError> for ServiceError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::Invalid(errors) => ServiceError::Validation(errors),
            StorageError::NotFound(what) => ServiceError::NotFound(what),
            StorageError::Duplicate {
                code,
                entity,
                field,
                value,
            } => ServiceError::Conflict {
                code,
                message: format!("{entity} with {field} {value} already exists"),
            },
            StorageError::Conflict { code, message } => ServiceError::Conflict { code, message },
            other => ServiceError::Storage(other),
        }
    }
}

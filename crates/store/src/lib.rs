//! Persistence. One code path for both backends: every query is written once, in the SQL subset
//! SQLite and PostgreSQL share, and runs through sqlx's `Any` driver. Values cross the boundary
//! as i64, f64 and text only (instants are epoch milliseconds, ids are UUIDv7 text, lists are
//! `,a,b,` text), which is exactly what `Any` carries. Only the migration files and the
//! transaction-begin statement differ per backend; see docs/adr/0001-one-query-path.md.

pub mod backup;
pub mod credit;
pub mod db;
pub mod directory;
pub mod disasters;
pub mod enforcement;
pub mod grid;
pub mod kernel;
pub mod migrate;
pub mod monitoring;
pub mod patrols;
pub mod prevention;
pub mod resources;
pub mod response;
pub mod security;
pub mod warning;

pub use db::{Backend, Page, Sql, Store, Tx, Val};
pub use sqlx;

use yingji_core::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule; the message is Chinese, for the user.
    #[error("{message}")]
    Conflict { field: String, message: String },
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// The caller's scope does not allow this change.
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl StoreError {
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(Invalid::one(field, message))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who made a change, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(name: &str) -> Self {
        Self {
            user_id: None,
            name: name.to_string(),
            ip: None,
        }
    }
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

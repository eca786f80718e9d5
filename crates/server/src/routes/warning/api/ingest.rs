//! API types of warning::ingest: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::routes::warning::api::Warning;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ingested {
    /// false when the same message (sender + identifier) had been taken in before.
    pub created: bool,
    pub warning: Warning,
    /// Earlier warnings this message updated or cancelled.
    pub superseded: Vec<String>,
}

impl From<yingji_store::warning::Ingested> for Ingested {
    fn from(v: yingji_store::warning::Ingested) -> Self {
        Self {
            created: v.created,
            warning: v.warning.into(),
            superseded: v.superseded,
        }
    }
}

//! API types of directory::tokens: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_ms: i64,
    pub last_used_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub expires_ms: i64,
    /// Reads only (GET).
    pub read_only: bool,
    /// The resources (first path segment under /api/v1/) it may reach; empty: all of its owner's.
    pub resources: Vec<String>,
}

impl From<yingji_store::directory::tokens::ApiToken> for ApiToken {
    fn from(v: yingji_store::directory::tokens::ApiToken) -> Self {
        Self {
            id: v.id,
            user_id: v.user_id,
            name: v.name,
            created_ms: v.created_ms,
            last_used_ms: v.last_used_ms,
            revoked_ms: v.revoked_ms,
            expires_ms: v.expires_ms,
            read_only: v.read_only,
            resources: v.resources,
        }
    }
}

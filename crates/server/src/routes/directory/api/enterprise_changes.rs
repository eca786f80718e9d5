//! API types of directory::enterprise_changes: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::directory::enterprise::Supervised;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseChange {
    pub id: String,
    pub enterprise_id: String,
    /// pending / confirmed / rejected / superseded
    pub status: String,
    pub status_label: String,
    pub proposed: Supervised,
    pub current: Supervised,
    /// The Chinese names of the fields it changes.
    pub fields: Vec<String>,
    pub proposed_by: String,
    pub proposed_ms: i64,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    pub note: Option<String>,
}

impl From<yingji_store::directory::enterprise_changes::EnterpriseChange> for EnterpriseChange {
    fn from(v: yingji_store::directory::enterprise_changes::EnterpriseChange) -> Self {
        Self {
            id: v.id,
            enterprise_id: v.enterprise_id,
            status: v.status,
            status_label: v.status_label,
            proposed: v.proposed,
            current: v.current,
            fields: v.fields,
            proposed_by: v.proposed_by,
            proposed_ms: v.proposed_ms,
            decided_by: v.decided_by,
            decided_ms: v.decided_ms,
            note: v.note,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// confirm (确认变更) / reject (驳回)
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<DecisionInput> for yingji_store::directory::enterprise_changes::DecisionInput {
    fn from(v: DecisionInput) -> Self {
        Self {
            action: v.action,
            note: v.note,
        }
    }
}

//! API types of warning: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

pub mod feeds;
pub mod ingest;
pub mod publish;
pub mod targeting;

use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Warning {
    pub id: String,
    pub identifier: String,
    pub sender: String,
    pub sent_ms: Option<i64>,
    /// Alert / Update / Cancel
    pub msg_type: String,
    /// CAP status: Actual, Exercise, Test …
    pub cap_status: String,
    /// authored / ingested
    pub origin: String,
    /// draft / pending / published / superseded / cancelled
    pub status: String,
    pub status_label: String,
    pub event_code: String,
    pub event_label: String,
    /// The event as the message named it.
    pub event_text: String,
    pub level: i64,
    pub colour: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
    pub sender_name: String,
    pub area_desc: String,
    /// GeoJSON MultiPolygon (lon, lat).
    pub area: serde_json::Value,
    pub region_codes: Vec<String>,
    pub effective_ms: i64,
    pub expires_ms: i64,
    pub supersedes: Option<String>,
    pub author: String,
    pub approver: Option<String>,
    pub approved_ms: Option<i64>,
    pub note: Option<String>,
    pub created_ms: i64,
    /// In force now (published, not cancelled, not expired, an actual message).
    pub current: bool,
}

impl From<yingji_store::warning::Warning> for Warning {
    fn from(v: yingji_store::warning::Warning) -> Self {
        Self {
            id: v.id,
            identifier: v.identifier,
            sender: v.sender,
            sent_ms: v.sent_ms,
            msg_type: v.msg_type,
            cap_status: v.cap_status,
            origin: v.origin,
            status: v.status,
            status_label: v.status_label,
            event_code: v.event_code,
            event_label: v.event_label,
            event_text: v.event_text,
            level: v.level,
            colour: v.colour,
            headline: v.headline,
            description: v.description,
            instruction: v.instruction,
            sender_name: v.sender_name,
            area_desc: v.area_desc,
            area: v.area,
            region_codes: v.region_codes,
            effective_ms: v.effective_ms,
            expires_ms: v.expires_ms,
            supersedes: v.supersedes,
            author: v.author,
            approver: v.approver,
            approved_ms: v.approved_ms,
            note: v.note,
            created_ms: v.created_ms,
            current: v.current,
        }
    }
}

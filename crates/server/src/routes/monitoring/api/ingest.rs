//! API types of monitoring::ingest: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct IngestReport {
    pub accepted: usize,
    /// Already stored (same sensor and time): idempotent resends.
    pub duplicates: usize,
    /// Unknown codes, or sensors outside the sender's enterprise: refused, never stored.
    pub refused: Vec<String>,
    pub alarms_opened: usize,
    pub alarms_resolved: usize,
    /// The incidents this batch opened (for the live board).
    pub opened_alarm_ids: Vec<String>,
}

impl From<yingji_store::monitoring::IngestReport> for IngestReport {
    fn from(v: yingji_store::monitoring::IngestReport) -> Self {
        Self {
            accepted: v.accepted,
            duplicates: v.duplicates,
            refused: v.refused,
            alarms_opened: v.alarms_opened,
            alarms_resolved: v.alarms_resolved,
            opened_alarm_ids: v.opened_alarm_ids,
        }
    }
}

//! API types of response::duty: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::routes::response::api::incidents::Incident;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftInput {
    /// YYYY-MM-DD.
    pub day: String,
    /// day (白班) / night (夜班) / full (全天)
    pub shift: String,
    /// 带班领导.
    pub leader: String,
    /// 值班员.
    pub officer: String,
    #[serde(default)]
    pub phone: Option<String>,
}

impl From<ShiftInput> for yingji_store::response::duty::ShiftInput {
    fn from(v: ShiftInput) -> Self {
        Self {
            day: v.day,
            shift: v.shift,
            leader: v.leader,
            officer: v.officer,
            phone: v.phone,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Shift {
    pub day: String,
    pub shift: String,
    pub shift_label: String,
    pub leader: String,
    pub officer: String,
    pub phone: Option<String>,
}

impl From<yingji_store::response::duty::Shift> for Shift {
    fn from(v: yingji_store::response::duty::Shift) -> Self {
        Self {
            day: v.day,
            shift: v.shift,
            shift_label: v.shift_label,
            leader: v.leader,
            officer: v.officer,
            phone: v.phone,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogInput {
    /// report / instruction / dispatch / handover / other
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub incident_id: Option<String>,
}

impl From<LogInput> for yingji_store::response::duty::LogInput {
    fn from(v: LogInput) -> Self {
        Self {
            kind: v.kind,
            text: v.text,
            incident_id: v.incident_id,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LogEntry {
    pub id: String,
    pub at_ms: i64,
    pub kind: String,
    pub kind_label: String,
    pub text: String,
    pub incident_id: Option<String>,
    pub author: String,
}

impl From<yingji_store::response::duty::LogEntry> for LogEntry {
    fn from(v: yingji_store::response::duty::LogEntry) -> Self {
        Self {
            id: v.id,
            at_ms: v.at_ms,
            kind: v.kind,
            kind_label: v.kind_label,
            text: v.text,
            incident_id: v.incident_id,
            author: v.author,
        }
    }
}

/// 值班日报: who was on duty, what was logged, the incidents received that day and those still open.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DailyReport {
    pub day: String,
    pub shifts: Vec<Shift>,
    pub log: Vec<LogEntry>,
    pub received: Vec<Incident>,
    pub open: Vec<Incident>,
}

impl From<yingji_store::response::duty::DailyReport> for DailyReport {
    fn from(v: yingji_store::response::duty::DailyReport) -> Self {
        Self {
            day: v.day,
            shifts: v.shifts.into_iter().map(Into::into).collect(),
            log: v.log.into_iter().map(Into::into).collect(),
            received: v.received.into_iter().map(Into::into).collect(),
            open: v.open.into_iter().map(Into::into).collect(),
        }
    }
}

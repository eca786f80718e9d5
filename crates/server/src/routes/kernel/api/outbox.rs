//! API types of kernel::outbox: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;
use yingji_core::kernel::notify::ChannelKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Sending,
    Sent,
    /// Given up after the last attempt or a permanent refusal.
    Failed,
    /// Not sent because the deployment has no such gateway (e.g. no SMS gateway configured).
    Skipped,
}

impl From<yingji_store::kernel::outbox::Status> for Status {
    fn from(v: yingji_store::kernel::outbox::Status) -> Self {
        match v {
            yingji_store::kernel::outbox::Status::Pending => Self::Pending,
            yingji_store::kernel::outbox::Status::Sending => Self::Sending,
            yingji_store::kernel::outbox::Status::Sent => Self::Sent,
            yingji_store::kernel::outbox::Status::Failed => Self::Failed,
            yingji_store::kernel::outbox::Status::Skipped => Self::Skipped,
        }
    }
}

/// One message as the console shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub id: String,
    pub channel_id: Option<String>,
    pub kind: ChannelKind,
    pub kind_label: String,
    /// Channel name or the person texted.
    pub recipient: String,
    pub event: String,
    pub title: String,
    pub status: Status,
    pub status_label: String,
    pub attempts: i64,
    pub next_ms: i64,
    pub last_error: Option<String>,
    pub created_ms: i64,
    pub sent_ms: Option<i64>,
}

impl From<yingji_store::kernel::outbox::Delivery> for Delivery {
    fn from(v: yingji_store::kernel::outbox::Delivery) -> Self {
        Self {
            id: v.id,
            channel_id: v.channel_id,
            kind: v.kind,
            kind_label: v.kind_label,
            recipient: v.recipient,
            event: v.event,
            title: v.title,
            status: v.status.into(),
            status_label: v.status_label,
            attempts: v.attempts,
            next_ms: v.next_ms,
            last_error: v.last_error,
            created_ms: v.created_ms,
            sent_ms: v.sent_ms,
        }
    }
}

//! API types of warning::feeds: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedInput {
    /// e.g. 市气象台预警
    pub name: String,
    /// The Atom or RSS address.
    pub url: String,
    /// Seconds between polls (30 – 86400); default 120.
    #[serde(default)]
    pub interval_secs: Option<i64>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl From<FeedInput> for yingji_store::warning::feeds::FeedInput {
    fn from(v: FeedInput) -> Self {
        Self {
            name: v.name,
            url: v.url,
            interval_secs: v.interval_secs,
            active: v.active,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Feed {
    pub id: String,
    pub name: String,
    pub url: String,
    pub district_code: String,
    pub interval_secs: i64,
    pub active: bool,
    pub next_poll_ms: i64,
    pub last_polled_ms: Option<i64>,
    pub last_ok_ms: Option<i64>,
    /// Why the last poll failed (unreachable, not a feed …); None when it succeeded.
    pub last_error: Option<String>,
    /// Entries taken in as warnings, and entries refused (their CAP was invalid).
    pub taken: i64,
    pub refused: i64,
}

impl From<yingji_store::warning::feeds::Feed> for Feed {
    fn from(v: yingji_store::warning::feeds::Feed) -> Self {
        Self {
            id: v.id,
            name: v.name,
            url: v.url,
            district_code: v.district_code,
            interval_secs: v.interval_secs,
            active: v.active,
            next_poll_ms: v.next_poll_ms,
            last_polled_ms: v.last_polled_ms,
            last_ok_ms: v.last_ok_ms,
            last_error: v.last_error,
            taken: v.taken,
            refused: v.refused,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedEntryRecord {
    pub entry_id: String,
    pub updated: String,
    pub cap_url: String,
    /// taken / refused
    pub status: String,
    pub warning_id: Option<String>,
    pub error: Option<String>,
    pub seen_ms: i64,
}

impl From<yingji_store::warning::feeds::FeedEntryRecord> for FeedEntryRecord {
    fn from(v: yingji_store::warning::feeds::FeedEntryRecord) -> Self {
        Self {
            entry_id: v.entry_id,
            updated: v.updated,
            cap_url: v.cap_url,
            status: v.status,
            warning_id: v.warning_id,
            error: v.error,
            seen_ms: v.seen_ms,
        }
    }
}

fn yes() -> bool {
    true
}

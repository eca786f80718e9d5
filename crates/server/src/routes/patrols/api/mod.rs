//! API types of patrols: request and response shapes with their OpenAPI schemas, converted from
//! and into the store's rows (ADR 0021).

use crate::routes::kernel::api::attachments::Attachment;
use serde::{Deserialize, Serialize};

/// 巡查打卡: where the caller is (from the phone's location), with a note and photos.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatrolInput {
    /// The grid, community or street patrolled (within the caller's area); defaults to the
    /// caller's own area.
    #[serde(default)]
    pub region_code: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The location's accuracy in metres, as the phone reports it.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// 巡查情况 (at most 500 characters).
    #[serde(default)]
    pub note: Option<String>,
    /// Ids of photos uploaded before (`POST /api/v1/attachments`), at most 20.
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<PatrolInput> for yingji_store::patrols::PatrolInput {
    fn from(v: PatrolInput) -> Self {
        Self {
            region_code: v.region_code,
            lon: v.lon,
            lat: v.lat,
            accuracy_m: v.accuracy_m,
            note: v.note,
            attachments: v.attachments,
        }
    }
}

/// A check-in.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Patrol {
    pub id: String,
    pub user_id: String,
    /// Who checked in.
    pub user_name: String,
    pub region_code: String,
    pub region_name: String,
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: Option<f64>,
    pub note: Option<String>,
    /// When (ms since the epoch).
    pub checked_ms: i64,
    /// Its photos.
    pub attachments: Vec<Attachment>,
}

impl From<yingji_store::patrols::Patrol> for Patrol {
    fn from(v: yingji_store::patrols::Patrol) -> Self {
        Self {
            id: v.id,
            user_id: v.user_id,
            user_name: v.user_name,
            region_code: v.region_code,
            region_name: v.region_name,
            lon: v.lon,
            lat: v.lat,
            accuracy_m: v.accuracy_m,
            note: v.note,
            checked_ms: v.checked_ms,
            attachments: v.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

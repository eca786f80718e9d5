//! API types of patrols: request and response shapes with their OpenAPI schemas, converted from
//! and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::attachments::Attachment;
use crate::routes::kernel::api::datum;
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
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    /// The location's accuracy in metres, as the phone reports it.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// 巡查情况 (at most 500 characters).
    #[serde(default)]
    pub note: Option<String>,
    /// Ids of photos uploaded before (`POST /api/v1/attachments`), at most 20.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// The caller's patrol task (巡查任务) this check-in belongs to; it is then 进行中.
    #[serde(default)]
    pub task_id: Option<String>,
}

impl TryFrom<PatrolInput> for yingji_store::patrols::PatrolInput {
    type Error = ApiError;

    fn try_from(v: PatrolInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            region_code: v.region_code,
            lon,
            lat,
            accuracy_m: v.accuracy_m,
            note: v.note,
            attachments: v.attachments,
            task_id: v.task_id.filter(|t| !t.trim().is_empty()),
        })
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
    /// The point lies outside the boundary of the region patrolled (不在巡查区域内). GPS is
    /// imprecise, so such a check-in is recorded, not refused; supervisors see the mark.
    pub outside_area: bool,
    /// The patrol task it belongs to.
    pub task_id: Option<String>,
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
            outside_area: v.outside_area,
            task_id: v.task_id,
            attachments: v.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

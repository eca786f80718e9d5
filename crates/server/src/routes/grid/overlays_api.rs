//! API types of the overlay grids, patrol tasks and the grid worker's page (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::grid::patrol_tasks::status_label;

/// An overlay grid to create or change.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayInput {
    /// 网格编码 (letters, digits, `-`, `_`; unique).
    pub code: String,
    /// 网格名称.
    pub name: String,
    /// `emergency` 应急格 or `safety` 安监格.
    pub kind: String,
    /// The street (9-digit region code) it lies in.
    pub street_code: String,
    /// GeoJSON Polygon or MultiPolygon, inside the street.
    #[schema(value_type = Object)]
    pub boundary: Option<serde_json::Value>,
    /// Active (true by default); an inactive overlay is not located and may overlap.
    #[serde(default)]
    pub active: Option<bool>,
}

impl From<OverlayInput> for yingji_core::grid::overlays::OverlayInput {
    fn from(v: OverlayInput) -> Self {
        Self {
            code: v.code,
            name: v.name,
            kind: v.kind,
            street_code: v.street_code,
            boundary: v.boundary,
            active: v.active,
        }
    }
}

/// A member of an overlay grid.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverlayMember {
    pub user_id: String,
    pub user_name: String,
    pub added_ms: i64,
}

/// An overlay grid (应急格, 安监格).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overlay {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub street_code: String,
    pub street_name: String,
    #[schema(value_type = Object)]
    pub boundary: serde_json::Value,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: [f64; 4],
    pub active: bool,
    pub members: Vec<OverlayMember>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl From<yingji_store::grid::overlays::Overlay> for Overlay {
    fn from(o: yingji_store::grid::overlays::Overlay) -> Self {
        Self {
            id: o.id,
            code: o.code,
            name: o.name,
            kind: o.kind,
            kind_label: o.kind_label,
            street_code: o.street_code,
            street_name: o.street_name,
            boundary: o.boundary,
            bbox: o.bbox,
            active: o.active,
            members: o
                .members
                .into_iter()
                .map(|m| OverlayMember {
                    user_id: m.user_id,
                    user_name: m.user_name,
                    added_ms: m.added_ms,
                })
                .collect(),
            created_ms: o.created_ms,
            updated_ms: o.updated_ms,
        }
    }
}

/// A member to add.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// A grid worker or street staff member of the overlay's street.
    pub user_id: String,
}

/// Someone who may become a member of an overlay.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberCandidate {
    pub user_id: String,
    pub name: String,
    pub role: String,
    pub role_label: String,
    pub region_code: Option<String>,
}

/// A grid containing a point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridRef {
    /// `comprehensive` 综合网格, `emergency` 应急格, `safety` 安监格.
    pub kind: String,
    pub kind_label: String,
    pub code: String,
    pub name: String,
    /// The overlay's id (none for a comprehensive grid).
    pub id: Option<String>,
}

impl From<yingji_store::grid::overlays::GridRef> for GridRef {
    fn from(g: yingji_store::grid::overlays::GridRef) -> Self {
        Self {
            kind: g.kind,
            kind_label: g.kind_label,
            code: g.code,
            name: g.name,
            id: g.id,
        }
    }
}

/// A patrol task to give.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatrolTaskInput {
    /// 任务名称.
    pub title: String,
    /// The grid worker (or street staff member) who patrols.
    pub assignee_id: String,
    /// One of the assignee's grids: their comprehensive grid's region code, or an overlay's code.
    pub grid_code: String,
    /// The planned route (GeoJSON LineString) or checkpoints (MultiPoint).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub route: Option<serde_json::Value>,
    /// 完成日期 YYYY-MM-DD (Asia/Shanghai).
    pub due_day: String,
    /// 任务说明.
    #[serde(default)]
    pub note: Option<String>,
}

impl From<PatrolTaskInput> for yingji_core::grid::patrol_tasks::TaskInput {
    fn from(v: PatrolTaskInput) -> Self {
        Self {
            title: v.title,
            assignee_id: v.assignee_id,
            grid_code: v.grid_code,
            route: v.route,
            due_day: v.due_day,
            note: v.note,
        }
    }
}

/// A point of the track recorded by the phone.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackPointInput {
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// When, epoch milliseconds.
    pub t: Option<i64>,
}

/// Track points to append (at most 2000 per task in all), in time order.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackInput {
    #[serde(default)]
    pub points: Vec<TrackPointInput>,
}

impl TrackInput {
    pub fn points(&self) -> Vec<yingji_core::grid::patrol_tasks::TrackPointInput> {
        self.points
            .iter()
            .map(|p| yingji_core::grid::patrol_tasks::TrackPointInput {
                lon: p.lon,
                lat: p.lat,
                t: p.t,
            })
            .collect()
    }
}

/// A patrol task (巡查任务).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PatrolTask {
    pub id: String,
    pub title: String,
    pub assignee_id: String,
    pub assignee_name: String,
    pub grid_kind: String,
    pub grid_kind_label: String,
    pub grid_code: String,
    pub grid_name: String,
    pub street_code: String,
    #[schema(value_type = Option<Object>)]
    pub route: Option<serde_json::Value>,
    pub note: Option<String>,
    pub due_day: String,
    /// pending 待巡查, in_progress 进行中, done 已完成, overdue 已逾期.
    pub status: String,
    pub status_label: String,
    /// `[[lon, lat, t_ms], …]`.
    #[schema(value_type = Vec<Vec<f64>>)]
    pub track: Vec<(f64, f64, i64)>,
    pub track_points: i64,
    pub started_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
}

impl From<yingji_store::grid::patrol_tasks::Task> for PatrolTask {
    fn from(t: yingji_store::grid::patrol_tasks::Task) -> Self {
        Self {
            status_label: status_label(&t.status).to_string(),
            id: t.id,
            title: t.title,
            assignee_id: t.assignee_id,
            assignee_name: t.assignee_name,
            grid_kind: t.grid_kind,
            grid_kind_label: t.grid_kind_label,
            grid_code: t.grid_code,
            grid_name: t.grid_name,
            street_code: t.street_code,
            route: t.route,
            note: t.note,
            due_day: t.due_day,
            status: t.status,
            track: t.track,
            track_points: t.track_points,
            started_ms: t.started_ms,
            finished_ms: t.finished_ms,
            created_by_name: t.created_by_name,
            created_ms: t.created_ms,
        }
    }
}

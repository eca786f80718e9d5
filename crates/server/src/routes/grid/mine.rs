//! 我的网格: the grid worker's phone page.

use super::overlays_api::PatrolTask;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{Caller, ctx};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mine))
}

/// One of the worker's grids, with its boundary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyGrid {
    /// `comprehensive`, `emergency` or `safety`.
    pub kind: String,
    pub kind_label: String,
    pub code: String,
    pub name: String,
    #[schema(value_type = Option<Object>)]
    pub boundary: Option<serde_json::Value>,
}

/// An open hidden hazard in one of the grids.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyHazard {
    pub id: String,
    pub code: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub level_label: String,
    pub status: String,
    pub status_label: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub reported_ms: i64,
}

/// An open warning work order in one of the grids.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyWorkOrder {
    pub id: String,
    pub object_name: String,
    pub status: String,
    pub status_label: String,
    pub lon: f64,
    pub lat: f64,
    pub due_ms: i64,
}

/// A grid event in one of the grids.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyEvent {
    pub id: String,
    pub code: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    /// '' / remind / yellow / red
    pub card: String,
    pub lon: f64,
    pub lat: f64,
    pub created_ms: i64,
}

/// The open grid events the caller reads (those of their area, and those they filed).
async fn my_events(app: &AppState, c: &yingji_store::kernel::Ctx) -> ApiResult<Vec<MyEvent>> {
    let f = yingji_store::grid::events::Filter {
        open: true,
        ..Default::default()
    };
    let (items, _) = yingji_store::grid::events::list(
        &app.store,
        c,
        &f,
        yingji_store::Page::new(Some(1), Some(100)),
    )
    .await?;
    Ok(items
        .into_iter()
        .map(|e| MyEvent {
            id: e.id,
            code: e.code,
            title: e.title,
            status: e.status,
            status_label: e.status_label,
            card: e.card,
            lon: e.lon,
            lat: e.lat,
            created_ms: e.created_ms,
        })
        .collect())
}

/// The grid worker's page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyGrids {
    pub grids: Vec<MyGrid>,
    pub hazards: Vec<MyHazard>,
    pub work_orders: Vec<MyWorkOrder>,
    pub patrol_tasks: Vec<PatrolTask>,
    /// The open grid events of the caller's area.
    pub events: Vec<MyEvent>,
}

/// 我的网格: the caller's grids (their comprehensive grid and the 应急格、安监格 they belong to)
/// and the open hazards, warning work orders and patrol tasks inside any of them (grid workers
/// and street staff).
#[utoipa::path(get, path = "/api/v1/grid/mine", tag = "网格事件", responses((status = 200, body = MyGrids), (status = 403, body = crate::error::ErrorBody)))]
pub async fn mine(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<MyGrids>> {
    use yingji_core::prevention::hazard as hz;
    let c = ctx(&caller);
    let m = yingji_app::grid::mine::mine(&app.store, &c, app.clock.now_ms()).await?;
    let events = my_events(&app, &c).await?;
    Ok(Json(MyGrids {
        grids: m
            .grids
            .into_iter()
            .map(|g| MyGrid {
                kind: g.kind,
                kind_label: g.kind_label,
                code: g.code,
                name: g.name,
                boundary: g.boundary,
            })
            .collect(),
        hazards: m
            .hazards
            .into_iter()
            .map(|h| MyHazard {
                level_label: hz::HazardLevel::parse(&h.level)
                    .map(|l| l.label())
                    .unwrap_or("")
                    .to_string(),
                status_label: hz::Status::parse(&h.status)
                    .map(|s| s.label())
                    .unwrap_or("")
                    .to_string(),
                id: h.id,
                code: h.code,
                description: h.description,
                location: h.location,
                level: h.level,
                status: h.status,
                lon: h.lon,
                lat: h.lat,
                reported_ms: h.reported_ms,
            })
            .collect(),
        work_orders: m
            .work_orders
            .into_iter()
            .map(|w| MyWorkOrder {
                status_label: yingji_core::warning::target::order::status_label(&w.status)
                    .to_string(),
                id: w.id,
                object_name: w.object_name,
                status: w.status,
                lon: w.lon,
                lat: w.lat,
                due_ms: w.due_ms,
            })
            .collect(),
        patrol_tasks: m.patrol_tasks.into_iter().map(Into::into).collect(),
        events,
    }))
}

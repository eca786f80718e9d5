//! 我的网格: the grid worker's page — all their grids (their comprehensive grid and the overlays
//! they belong to) with boundaries, and the open hazards, warning work orders and patrol tasks
//! inside any of them (hazards and work orders by grid code, or by point in an overlay).

use yingji_core::grid::overlays::{COMPREHENSIVE, COMPREHENSIVE_LABEL};
use yingji_core::kernel::geo::{self, Polygon};
use yingji_core::kernel::role::Scope;
use yingji_store::grid::mine::{self, HazardItem, WorkOrderItem};
use yingji_store::grid::overlays;
use yingji_store::grid::patrol_tasks::{Task, TaskFilter};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory};

/// One of the worker's grids.
#[derive(Debug, Clone)]
pub struct MyGrid {
    pub kind: String,
    pub kind_label: String,
    pub code: String,
    pub name: String,
    pub boundary: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct Mine {
    pub grids: Vec<MyGrid>,
    pub hazards: Vec<HazardItem>,
    pub work_orders: Vec<WorkOrderItem>,
    pub patrol_tasks: Vec<Task>,
}

pub const NOT_A_GRID_MEMBER: &str = "“我的网格”供网格员和街道/社区人员使用";

/// At most this many items of each list.
const SHOWN: usize = 200;

/// The caller's grids and what lies in them.
// Long because: the comprehensive grid and the overlays are gathered, then each list filtered.
pub async fn mine(store: &Store, ctx: &Ctx, now_ms: i64) -> StoreResult<Mine> {
    if !yingji_core::grid::overlays::may_be_member(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_GRID_MEMBER.into()));
    }
    let mut grids = Vec::new();
    let mut areas: Vec<Vec<Polygon>> = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    if let Scope::Region { region_code, .. } = &ctx.scope
        && let Ok(r) = directory::regions::get(store, &ctx.scope, region_code).await
        && r.level == yingji_core::directory::region::RegionLevel::Grid.as_str()
    {
        let boundary = directory::regions::boundary(store, &ctx.scope, &r.code).await?;
        grids.push(MyGrid {
            kind: COMPREHENSIVE.into(),
            kind_label: COMPREHENSIVE_LABEL.into(),
            code: r.code.clone(),
            name: r.name,
            boundary,
        });
        codes.push(r.code.clone());
        prefixes.push(r.code);
    }
    for o in overlays::of_member(store, &ctx.user_id).await? {
        areas.push(o.polygons());
        if !prefixes
            .iter()
            .any(|p| o.street_code.starts_with(p.as_str()))
        {
            prefixes.push(o.street_code.clone());
        }
        grids.push(MyGrid {
            kind: o.kind,
            kind_label: o.kind_label,
            code: o.code,
            name: o.name,
            boundary: Some(o.boundary),
        });
    }
    let inside = |grid_code: &str, lon: Option<f64>, lat: Option<f64>| {
        codes.iter().any(|c| c == grid_code)
            || match (lon, lat) {
                (Some(lon), Some(lat)) => areas.iter().any(|a| geo::area_contains(a, lon, lat)),
                _ => false,
            }
    };
    let hazards: Vec<HazardItem> = mine::open_hazards(store, &prefixes)
        .await?
        .into_iter()
        .filter(|h| inside(&h.grid_code, h.lon, h.lat))
        .take(SHOWN)
        .collect();
    let work_orders: Vec<WorkOrderItem> = mine::open_work_orders(store, &prefixes)
        .await?
        .into_iter()
        .filter(|w| inside(&w.region_code, Some(w.lon), Some(w.lat)))
        .take(SHOWN)
        .collect();
    let filter = TaskFilter {
        mine: true,
        ..Default::default()
    };
    let patrol_tasks = super::patrol_tasks::list(store, ctx, now_ms, &filter).await?;
    Ok(Mine {
        grids,
        hazards,
        work_orders,
        patrol_tasks,
    })
}

//! The grid worker's page: the open hazards and warning work orders of the streets their grids
//! lie in, with their points, for the use case to keep those inside the worker's grids.

use crate::{Sql, Store, StoreResult};
use sqlx::Row;

/// An open hazard, as the grid worker's page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HazardItem {
    pub id: String,
    pub code: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub status: String,
    pub grid_code: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub reported_ms: i64,
}

/// An open warning work order (待叫应, 已叫应), with its protected object's point.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkOrderItem {
    pub id: String,
    pub object_name: String,
    pub status: String,
    pub region_code: String,
    pub lon: f64,
    pub lat: f64,
    pub due_ms: i64,
}

/// At most this many rows are read per street and kind.
const SCAN: i64 = 5000;

/// Open hazards in the given streets (9-digit codes) or grids.
pub async fn open_hazards(store: &Store, prefixes: &[String]) -> StoreResult<Vec<HazardItem>> {
    if prefixes.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(
        "SELECT id, code, description, location, level, status, grid_code, lon, lat, reported_ms FROM hazards WHERE status IN ('registered', 'rectifying', 'pending_acceptance') AND (1 = 0",
    );
    for p in prefixes {
        q.push_bind(" OR region_code LIKE ", format!("{p}%"));
    }
    q.push(&format!(") ORDER BY reported_ms DESC LIMIT {SCAN}"));
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(HazardItem {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                description: r.try_get("description")?,
                location: r.try_get("location")?,
                level: r.try_get("level")?,
                status: r.try_get("status")?,
                grid_code: r.try_get("grid_code")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                reported_ms: r.try_get("reported_ms")?,
            })
        })
        .collect()
}

/// Open warning work orders in the given streets or grids.
pub async fn open_work_orders(
    store: &Store,
    prefixes: &[String],
) -> StoreResult<Vec<WorkOrderItem>> {
    if prefixes.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(
        "SELECT w.id, o.name, w.status, w.region_code, o.lon, o.lat, w.due_ms FROM work_orders w JOIN protected_objects o ON o.id = w.object_id WHERE w.status IN ('open', 'acknowledged') AND (1 = 0",
    );
    for p in prefixes {
        q.push_bind(" OR w.region_code LIKE ", format!("{p}%"));
    }
    q.push(&format!(") ORDER BY w.due_ms, w.id LIMIT {SCAN}"));
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(WorkOrderItem {
                id: r.try_get("id")?,
                object_name: crate::kernel::keys::open(r.try_get("name")?),
                status: r.try_get("status")?,
                region_code: r.try_get("region_code")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                due_ms: r.try_get("due_ms")?,
            })
        })
        .collect()
}

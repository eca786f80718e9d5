//! The 一张图 enterprise layer: points in a bounding box, or counts per region when there are
//! too many to draw.

use super::push_scope;
use crate::{Sql, Store, StoreResult};
use serde::Serialize;
use sqlx::Row;
use yingji_core::directory::enterprise::split_codes;
use yingji_core::directory::region::RegionLevel;
use yingji_core::kernel::role::Scope;

/// The map layer's points in a bounding box, or None when there are more than `max_points`
/// (the caller then shows [`region_counts`]). The probe is a LIMIT over the covering map index.
pub async fn map_points(
    store: &Store,
    scope: &Scope,
    bbox: Option<[f64; 4]>,
    category: Option<&str>,
    max_points: i64,
) -> StoreResult<Option<serde_json::Value>> {
    let mut w = Sql::new(" WHERE e.lon IS NOT NULL");
    push_scope(&mut w, scope);
    if let Some(c) = category {
        w.push_bind(" AND e.categories LIKE ", format!("%,{c},%"));
    }
    if let Some(b) = bbox {
        w.push_bind(" AND e.lon >= ", b[0])
            .push_bind(" AND e.lon <= ", b[2])
            .push_bind(" AND e.lat >= ", b[1])
            .push_bind(" AND e.lat <= ", b[3]);
    }
    // Counted in the database: one row back instead of up to `max_points + 1`.
    let probe = Sql {
        text: format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM enterprises e{} LIMIT {}) p",
            w.text,
            max_points + 1
        ),
        args: w.args.clone(),
    };
    let found: i64 = match store.fetch_optional(probe).await? {
        Some(r) => r.try_get("n")?,
        None => 0,
    };
    if found > max_points {
        return Ok(None);
    }
    let pts = Sql {
        text: format!(
            "SELECT e.id, e.name, e.lon, e.lat, e.categories, e.flags, e.status, e.industry_code, e.grid_code FROM enterprises e{}",
            w.text
        ),
        args: w.args,
    };
    let rows = store.fetch_all(pts).await?;
    let mut features = Vec::with_capacity(rows.len());
    for r in &rows {
        let cats = split_codes(&r.try_get::<String, _>("categories")?);
        let flags = split_codes(&r.try_get::<String, _>("flags")?);
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.try_get::<f64, _>("lon")?, r.try_get::<f64, _>("lat")?]},
            "properties": {
                "id": r.try_get::<String, _>("id")?,
                "name": r.try_get::<String, _>("name")?,
                "category": cats.first().cloned().unwrap_or_default(),
                "categories": cats,
                "major_hazard": flags.iter().any(|f| f == "major_hazard"),
                "flags": flags,
                "status": r.try_get::<String, _>("status")?,
                "industry_code": r.try_get::<String, _>("industry_code")?,
                "grid_code": r.try_get::<String, _>("grid_code")?,
            }
        }));
    }
    Ok(Some(
        serde_json::json!({"type": "FeatureCollection", "kind": "points", "features": features}),
    ))
}

/// Enterprises per region at one level, with the region's label point.
#[derive(Debug, Clone, Serialize)]
pub struct RegionCount {
    pub code: String,
    pub name: Option<String>,
    pub count: i64,
    pub center: Option<[f64; 2]>,
}

/// Enterprise counts per street, community or grid over the caller's scope (answered from the
/// region indexes).
pub async fn region_counts(
    store: &Store,
    scope: &Scope,
    category: Option<&str>,
    level: RegionLevel,
) -> StoreResult<Vec<RegionCount>> {
    let column = match level {
        RegionLevel::City | RegionLevel::District => "district_code",
        RegionLevel::Street => "street_code",
        RegionLevel::Community => "community_code",
        RegionLevel::Grid => "grid_code",
    };
    let mut inner = Sql::new(&format!(
        "SELECT e.{column} AS code, COUNT(*) AS n FROM enterprises e WHERE 1 = 1"
    ));
    push_scope(&mut inner, scope);
    if let Some(c) = category {
        inner.push_bind(" AND e.categories LIKE ", format!("%,{c},%"));
    }
    let q = Sql {
        text: format!(
            "SELECT a.code, a.n, r.name, r.center_lon, r.center_lat FROM ({} GROUP BY e.{column}) a LEFT JOIN regions r ON r.code = a.code ORDER BY a.code",
            inner.text
        ),
        args: inner.args,
    };
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let center = match (
                r.try_get::<Option<f64>, _>("center_lon")?,
                r.try_get::<Option<f64>, _>("center_lat")?,
            ) {
                (Some(x), Some(y)) => Some([x, y]),
                _ => None,
            };
            Ok(RegionCount {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                count: r.try_get("n")?,
                center,
            })
        })
        .collect()
}

/// The enterprises as a layer of the 一张图's layer list: `major_hazard` (含重大危险源) or
/// `other`. The map draws them through [`map_points`] (categories, region counts); this answers
/// the same scope through `kernel::map` for the list's counts and the generic endpoint.
pub async fn layer(
    store: &Store,
    scope: &Scope,
    view: Option<&crate::kernel::map::View>,
) -> StoreResult<crate::kernel::map::LayerData> {
    use crate::kernel::map::{Layer, base, point};
    let mut from = Sql::new("FROM enterprises e WHERE 1 = 1");
    push_scope(&mut from, scope);
    let layer = Layer {
        from,
        lon: "e.lon",
        lat: "e.lat",
        class: "CASE WHEN e.flags LIKE '%,major_hazard,%' THEN 'major_hazard' ELSE 'other' END",
        columns: "e.id, e.name, e.uscc, e.address, e.categories",
    };
    crate::kernel::map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        for c in ["uscc", "address"] {
            p.insert(c.into(), r.try_get::<String, _>(c)?.into());
        }
        p.insert(
            "categories".into(),
            split_codes(&r.try_get::<String, _>("categories")?).into(),
        );
        Ok(point(lon, lat, serde_json::Value::Object(p)))
    })
    .await
}

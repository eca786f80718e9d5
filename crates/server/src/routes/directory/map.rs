//! 一张图 layers: region boundaries and enterprise points, as GeoJSON from our own server (no
//! internet tiles).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use yingji_core::directory::region::RegionLevel;
use yingji_core::kernel::role::Scope;
use yingji_store::directory::enterprises::{self, RegionCount};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionLayerQuery {
    /// Comma-separated levels, default `district,street,community,grid`.
    pub levels: Option<String>,
}

/// 区划图层 (GeoJSON FeatureCollection).
#[utoipa::path(get, path = "/api/v1/map/regions", tag = "一张图", params(RegionLayerQuery), responses((status = 200, body = Object)))]
pub async fn regions(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RegionLayerQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let levels = match q.levels.as_deref() {
        None => vec![
            RegionLevel::City,
            RegionLevel::District,
            RegionLevel::Street,
            RegionLevel::Community,
            RegionLevel::Grid,
        ],
        Some(s) => s
            .split(',')
            .map(|l| RegionLevel::parse(l.trim()))
            .collect::<Result<_, _>>()
            .map_err(|m| ApiError::field("levels", m))?,
    };
    Ok(Json(
        yingji_store::directory::regions::feature_collection(&app.store, &caller.scope, &levels)
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseLayerQuery {
    /// `min_lon,min_lat,max_lon,max_lat`
    pub bbox: Option<String>,
    /// Supervision category code.
    pub category: Option<String>,
    /// Map zoom; chooses the aggregation level when there are too many points.
    pub zoom: Option<f64>,
    /// Most points to return before aggregating (default 5000, at most 20000).
    pub max_points: Option<i64>,
}

pub fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| "范围bbox应为“最小经度,最小纬度,最大经度,最大纬度”四个数字".to_string())?;
    match v.as_slice() {
        [a, b, c, d]
            if a <= c
                && b <= d
                && (-180.0..=180.0).contains(a)
                && (-180.0..=180.0).contains(c)
                && (-90.0..=90.0).contains(b)
                && (-90.0..=90.0).contains(d) =>
        {
            Ok([*a, *b, *c, *d])
        }
        [_, _, _, _] => Err("范围bbox超出经纬度范围，或最小值大于最大值".into()),
        _ => Err("范围bbox应为四个数字".into()),
    }
}

/// 企业图层: points, or counts per street/community/grid when the view holds too many.
#[utoipa::path(get, path = "/api/v1/map/enterprises", tag = "一张图", params(EnterpriseLayerQuery), responses((status = 200, body = Object)))]
pub async fn enterprises(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EnterpriseLayerQuery>,
) -> ApiResult<Response> {
    let bbox = q
        .bbox
        .as_deref()
        .map(parse_bbox)
        .transpose()
        .map_err(|m| ApiError::field("bbox", m))?;
    if let Some(c) = q.category.as_deref()
        && yingji_core::directory::enterprise::label_of(
            yingji_core::directory::enterprise::CATEGORIES,
            c,
        )
        .is_none()
    {
        return Err(ApiError::field("category", format!("监管类别“{c}”无效")));
    }
    let max = q.max_points.unwrap_or(5000).clamp(1, 20_000);
    if let Some(mut points) =
        enterprises::map_points(&app.store, &caller.scope, bbox, q.category.as_deref(), max).await?
    {
        yingji_app::credit::admission::flag_map_points(&app.store, &mut points).await?;
        return Ok(Json(points).into_response());
    }
    let level = match q.zoom {
        Some(z) if z < 12.0 => RegionLevel::Street,
        Some(z) if z < 14.0 => RegionLevel::Community,
        _ => RegionLevel::Grid,
    };
    let counts = app
        .map_counts
        .get_or_load(&app, &caller.scope, q.category.as_deref(), level)
        .await?;
    let features = counts
        .iter()
        .filter_map(|c| {
            let [lon, lat] = c.center?;
            if bbox.is_some_and(|b| lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) {
                return None;
            }
            Some(ClusterFeature {
                kind: "Feature",
                geometry: PointGeometry {
                    kind: "Point",
                    coordinates: [lon, lat],
                },
                properties: ClusterProperties {
                    code: &c.code,
                    name: c.name.as_deref(),
                    count: c.count,
                },
            })
        })
        .collect();
    let clusters = Clusters {
        kind: "FeatureCollection",
        layer: "clusters",
        features,
    };
    // Serialized straight from the cached counts: a street view holds about a thousand grids.
    Ok(Json(clusters).into_response())
}

/// The crowded view's GeoJSON: a point per region with its enterprise count.
#[derive(Serialize)]
struct Clusters<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "kind")]
    layer: &'static str,
    features: Vec<ClusterFeature<'a>>,
}

#[derive(Serialize)]
struct ClusterFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: PointGeometry,
    properties: ClusterProperties<'a>,
}

#[derive(Serialize)]
struct PointGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct ClusterProperties<'a> {
    code: &'a str,
    name: Option<&'a str>,
    count: i64,
}

/// Per-region counts for crowded map views, kept for a short while: every pan and zoom of a
/// zoomed-out map asks for the same counts, which change only when enterprises do. Enterprise
/// writes clear it on every node (`live::map_counts_changed`); the TTL bounds what a node
/// that missed the message shows.
pub struct MapCountCache(crate::cache::TtlCache<Vec<RegionCount>>);

const MAP_COUNT_TTL_MS: i64 = 15_000;

impl Default for MapCountCache {
    fn default() -> Self {
        Self(crate::cache::TtlCache::new(MAP_COUNT_TTL_MS, 1000))
    }
}

impl MapCountCache {
    pub fn clear(&self) {
        self.0.clear();
    }

    async fn get_or_load(
        &self,
        app: &AppState,
        scope: &Scope,
        category: Option<&str>,
        level: RegionLevel,
    ) -> ApiResult<Arc<Vec<RegionCount>>> {
        let key = format!("{scope:?}|{category:?}|{level:?}");
        let load = enterprises::region_counts(&app.store, scope, category, level);
        let (_, v) = self.0.get_or_load(key, app.clock.now_ms(), load).await?;
        Ok(v)
    }
}

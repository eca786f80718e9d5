//! 一张图 layers: region boundaries and enterprise points, as GeoJSON from our own server (no
//! internet tiles).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use yingji_core::region::RegionLevel;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
        yingji_store::regions::feature_collection(&app.store, &caller.scope, &levels).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
) -> ApiResult<Json<serde_json::Value>> {
    let bbox = q
        .bbox
        .as_deref()
        .map(parse_bbox)
        .transpose()
        .map_err(|m| ApiError::field("bbox", m))?;
    let max = q.max_points.unwrap_or(5000).clamp(1, 20_000);
    let group = match q.zoom {
        Some(z) if z < 12.0 => 9,
        Some(z) if z < 14.0 => 12,
        _ => 15,
    };
    Ok(Json(
        yingji_store::enterprises::map_layer(
            &app.store,
            &caller.scope,
            bbox,
            q.category.as_deref(),
            max,
            group,
        )
        .await?,
    ))
}

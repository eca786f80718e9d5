//! 一张图: every layer the platform knows, as GeoJSON. Each layer is one query in its
//! capability's store, scoped like that capability's list; the catalogue (labels, groups,
//! legend classes, who may see which) is `yingji_core::directory::map_layers`.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use crate::routes::directory::api::map_layers::{MapLayer, MapLegendClass};
use crate::routes::directory::map::parse_bbox;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use yingji_core::directory::map_layers::{self as catalogue, LAYERS, LayerDef};
use yingji_core::kernel::label_of;
use yingji_store::kernel::map::{LayerData, View};
use yingji_store::{directory, monitoring, prevention, resources, response, warning};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LayerQuery {
    /// `min_lon,min_lat,max_lon,max_lat`; absent: the caller's whole scope.
    pub bbox: Option<String>,
    /// Map zoom: the size of the cells points are counted in when there are too many.
    pub zoom: Option<f64>,
    /// Most points to answer before counting per cell (default 2000, at most 10000).
    pub max_points: Option<i64>,
}

/// Runs one layer's query for the caller (legend only without a view).
async fn load(
    app: &AppState,
    caller: &Caller,
    layer: &LayerDef,
    view: Option<&View>,
) -> ApiResult<LayerData> {
    let (store, scope) = (&app.store, &caller.scope);
    Ok(match layer.key {
        "enterprises" => directory::enterprises::map_layer(store, scope, view).await?,
        "major_hazards" => prevention::map_layers::major_hazards(store, scope, view).await?,
        "risk_points" => prevention::map_layers::risk_points(store, scope, view).await?,
        "hazards" => prevention::map_layers::hazards(store, scope, view).await?,
        "protected_objects" => {
            warning::map_layers::protected_objects(store, scope, caller.role(), view).await?
        }
        "warnings" => warning::map_layers::warnings(store, scope, view, app.clock.now_ms()).await?,
        "forest_areas" => {
            let day = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string();
            yingji_store::disasters::forest::map_layer(store, scope, view, &day).await?
        }
        "grid_overlays" => yingji_store::grid::overlays::map_layer(store, scope, view).await?,
        "incidents" => response::map_layers::incidents(store, scope, view).await?,
        "sensors" => monitoring::map_layers::sensors(store, scope, view).await?,
        "teams" => resources::map_layers::teams(store, scope, view).await?,
        "experts" => resources::map_layers::experts(store, scope, view).await?,
        "warehouses" => resources::map_layers::warehouses(store, scope, view).await?,
        "shelters" => resources::map_layers::shelters(store, scope, view).await?,
        other => return Err(ApiError::field("layer", format!("图层“{other}”不存在"))),
    })
}

/// The legend in the catalogue's order, with the counts (classes without records count 0).
fn legend(layer: &LayerDef, data: &LayerData) -> Vec<MapLegendClass> {
    layer
        .classes
        .iter()
        .map(|(class, label)| MapLegendClass {
            class: (*class).into(),
            label: (*label).into(),
            count: data
                .legend
                .iter()
                .filter(|(c, _)| c == class)
                .map(|(_, n)| n)
                .sum(),
        })
        .collect()
}

/// 图层列表: the layers the caller may see, grouped 事前/事中/资源, each with its legend and
/// counts over the caller's scope.
#[utoipa::path(get, path = "/api/v1/map/layers", tag = "一张图", responses((status = 200, body = Vec<MapLayer>)))]
pub async fn list(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<MapLayer>>> {
    let mut out = Vec::new();
    for layer in LAYERS
        .iter()
        .filter(|l| catalogue::may_see(l, &caller.scope))
    {
        let data = load(&app, &caller, layer, None).await?;
        out.push(MapLayer {
            key: layer.key.into(),
            label: layer.label.into(),
            group: layer.group.into(),
            group_label: label_of(catalogue::GROUPS, layer.group)
                .unwrap_or("")
                .into(),
            total: data.total(),
            legend: legend(layer, &data),
        });
    }
    Ok(Json(out))
}

/// 图层数据 (GeoJSON FeatureCollection): the layer's records in the view (`kind: points`, each
/// feature's `properties` with `id`, `name`, `class` and the layer's figures) or, when the view
/// holds more than `max_points`, counts per cell (`kind: clusters`, `properties.count`); with
/// `total` and `legend` over the caller's whole scope. A layer the caller may not see is
/// refused (403).
#[utoipa::path(get, path = "/api/v1/map/layers/{layer}", tag = "一张图", params(("layer" = String, Path), LayerQuery), responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn features(
    State(app): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<LayerQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let layer = catalogue::layer(&key).map_err(|m| ApiError::field("layer", m))?;
    if !catalogue::may_see(layer, &caller.scope) {
        return Err(ApiError::forbidden(catalogue::refused(layer)));
    }
    let bbox = q
        .bbox
        .as_deref()
        .map(parse_bbox)
        .transpose()
        .map_err(|m| ApiError::field("bbox", m))?;
    let zoom = match q.zoom {
        Some(z) if !(0.0..=24.0).contains(&z) => {
            return Err(ApiError::field("zoom", "缩放级别zoom应在 0–24 之间"));
        }
        z => z.unwrap_or(12.0),
    };
    let view = View {
        bbox,
        zoom,
        cap: q.max_points.unwrap_or(2000).clamp(1, 10_000),
    };
    let data = load(&app, &caller, layer, Some(&view)).await?;
    let legend = legend(layer, &data);
    let labels: std::collections::HashMap<&str, &str> = layer.classes.iter().copied().collect();
    let features: Vec<serde_json::Value> = data
        .features
        .into_iter()
        .map(|mut f| {
            let class = f["properties"]["class"].as_str().map(str::to_string);
            if let Some(c) = class {
                f["properties"]["class_label"] =
                    labels.get(c.as_str()).copied().unwrap_or("").into();
            }
            f
        })
        .collect();
    Ok(Json(serde_json::json!({
        "type": "FeatureCollection",
        "layer": layer.key,
        "kind": if data.clustered { "clusters" } else { "points" },
        "total": legend.iter().map(|l| l.count).sum::<i64>(),
        "legend": legend,
        "features": features,
    })))
}

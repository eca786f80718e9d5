//! 一张图 layers, run the same way for every capability: each capability's store names its one
//! query (a `FROM … WHERE …` with the caller's scope, the point, the legend class and the row
//! turned into a feature) and this module answers the legend counts over the caller's whole
//! scope and the features in the view — the points, or their counts per cell when the view
//! holds more than the cap.

use crate::{Sql, Store, StoreResult};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

/// What part of a layer the map asks for.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// `[min_lon, min_lat, max_lon, max_lat]`
    pub bbox: Option<[f64; 4]>,
    pub zoom: f64,
    /// Most points answered before counting per cell instead.
    pub cap: i64,
}

/// One layer's query.
pub struct Layer<'a> {
    /// `FROM … WHERE …`, the caller's scope applied.
    pub from: Sql,
    /// The point's columns, e.g. `x.lon`, `x.lat` (rows without a point are left out).
    pub lon: &'a str,
    pub lat: &'a str,
    /// A text expression giving the legend class.
    pub class: &'a str,
    /// The columns a feature is built from (besides the point and the class).
    pub columns: &'a str,
}

/// A layer's answer.
#[derive(Debug, Clone, Default)]
pub struct LayerData {
    /// Legend class and count over the caller's whole scope.
    pub legend: Vec<(String, i64)>,
    /// True when `features` are counts per cell (`count` property) rather than records.
    pub clustered: bool,
    pub features: Vec<Value>,
}

impl LayerData {
    pub fn total(&self) -> i64 {
        self.legend.iter().map(|(_, n)| n).sum()
    }
}

/// A point feature.
pub fn point(lon: f64, lat: f64, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})
}

fn with_point(layer: &Layer) -> Sql {
    let mut from = layer.from.clone();
    from.push(&format!(
        " AND {} IS NOT NULL AND {} IS NOT NULL",
        layer.lon, layer.lat
    ));
    from
}

/// The legend counts only (for the layer list).
pub async fn legend(store: &Store, layer: &Layer<'_>) -> StoreResult<Vec<(String, i64)>> {
    let from = with_point(layer);
    let q = Sql {
        text: format!(
            "SELECT {class} AS class, COUNT(*) AS n {from} GROUP BY {class}",
            class = layer.class,
            from = from.text
        ),
        args: from.args,
    };
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push((
            r.try_get::<Option<String>, _>("class")?.unwrap_or_default(),
            r.try_get::<i64, _>("n")?,
        ));
    }
    Ok(out)
}

/// The legend and the features in the view; `feature` turns a row (with `class`, `lon`, `lat`
/// and the layer's columns) into a GeoJSON feature.
pub async fn features(
    store: &Store,
    layer: Layer<'_>,
    view: &View,
    feature: impl Fn(&AnyRow) -> StoreResult<Value>,
) -> StoreResult<LayerData> {
    let legend = legend(store, &layer).await?;
    let mut from = with_point(&layer);
    if let Some(b) = view.bbox {
        from.push_bind(&format!(" AND {} >= ", layer.lon), b[0])
            .push_bind(&format!(" AND {} <= ", layer.lon), b[2])
            .push_bind(&format!(" AND {} >= ", layer.lat), b[1])
            .push_bind(&format!(" AND {} <= ", layer.lat), b[3]);
    }
    let probe = Sql {
        text: format!("SELECT 1 AS one {} LIMIT {}", from.text, view.cap + 1),
        args: from.args.clone(),
    };
    if store.fetch_all(probe).await?.len() as i64 > view.cap {
        return Ok(LayerData {
            legend,
            clustered: true,
            features: clusters(store, &layer, from, view.zoom).await?,
        });
    }
    let q = Sql {
        text: format!(
            "SELECT {columns}, {class} AS class, {lon} AS lon, {lat} AS lat {from}",
            columns = layer.columns,
            class = layer.class,
            lon = layer.lon,
            lat = layer.lat,
            from = from.text
        ),
        args: from.args,
    };
    let rows = store.fetch_all(q).await?;
    Ok(LayerData {
        legend,
        clustered: false,
        features: rows.iter().map(feature).collect::<StoreResult<_>>()?,
    })
}

/// The legend only when there is no view (the layer list), else [`features`].
pub async fn run(
    store: &Store,
    layer: Layer<'_>,
    view: Option<&View>,
    feature: impl Fn(&AnyRow) -> StoreResult<Value>,
) -> StoreResult<LayerData> {
    match view {
        None => Ok(LayerData {
            legend: legend(store, &layer).await?,
            ..Default::default()
        }),
        Some(v) => features(store, layer, v, feature).await,
    }
}

/// Counts per cell of about 64 pixels, at the cell's mean point.
async fn clusters(
    store: &Store,
    layer: &Layer<'_>,
    from: Sql,
    zoom: f64,
) -> StoreResult<Vec<Value>> {
    let cell = yingji_core::directory::map_layers::cluster_cell(zoom);
    let q = Sql {
        text: format!(
            "SELECT CAST(ROUND({lon} / {cell:.9}) AS BIGINT) AS gx, CAST(ROUND({lat} / {cell:.9}) AS BIGINT) AS gy, \
             COUNT(*) AS n, AVG({lon}) AS x, AVG({lat}) AS y {from} GROUP BY 1, 2 LIMIT 5000",
            lon = layer.lon,
            lat = layer.lat,
            from = from.text
        ),
        args: from.args,
    };
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(point(
            r.try_get("x")?,
            r.try_get("y")?,
            json!({"count": r.try_get::<i64, _>("n")?}),
        ));
    }
    Ok(out)
}

/// `id, name, class` and the point of a row, the properties every layer's features carry.
pub fn base(r: &AnyRow) -> StoreResult<(f64, f64, serde_json::Map<String, Value>)> {
    let mut p = serde_json::Map::new();
    p.insert("id".into(), r.try_get::<String, _>("id")?.into());
    p.insert("name".into(), r.try_get::<String, _>("name")?.into());
    p.insert(
        "class".into(),
        r.try_get::<Option<String>, _>("class")?
            .unwrap_or_default()
            .into(),
    );
    Ok((r.try_get("lon")?, r.try_get("lat")?, p))
}

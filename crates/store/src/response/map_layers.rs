//! 一张图 layer of 应急响应: incidents not yet closed, by grade, scoped like the incident list.

use crate::kernel::map::{self, Layer, LayerData, View, base, point};
use crate::{Sql, Store, StoreResult};
use serde_json::Value;
use sqlx::Row;
use yingji_core::kernel::role::Scope;

/// Open incidents, classed `extra_major` … `general`.
pub async fn incidents(
    store: &Store,
    scope: &Scope,
    view: Option<&View>,
) -> StoreResult<LayerData> {
    // An incident at an enterprise without a point of its own is drawn at the enterprise.
    let mut from = Sql::new(
        "FROM incidents i LEFT JOIN enterprises en ON en.id = i.enterprise_id WHERE i.closed_ms IS NULL",
    );
    crate::response::incidents::push_scope(&mut from, scope);
    let layer = Layer {
        from,
        lon: "COALESCE(i.lon, en.lon)",
        lat: "COALESCE(i.lat, en.lat)",
        class: "CASE i.severity WHEN 4 THEN 'extra_major' WHEN 3 THEN 'major' WHEN 2 THEN 'larger' ELSE 'general' END",
        columns: "i.id, i.title AS name, i.code, i.location, i.occurred_ms, i.deaths, i.missing, i.trapped, i.serious_injuries",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        for c in ["code", "location"] {
            p.insert(c.into(), r.try_get::<String, _>(c)?.into());
        }
        for c in [
            "occurred_ms",
            "deaths",
            "missing",
            "trapped",
            "serious_injuries",
        ] {
            p.insert(c.into(), r.try_get::<i64, _>(c)?.into());
        }
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

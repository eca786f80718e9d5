//! 一张图 layer of 监测预警: the sensors, 报警中 / 离线 / 在线, scoped like the sensor list.

use crate::kernel::map::{self, Layer, LayerData, View, base, point};
use crate::prevention::risk_points::push_scope_on;
use crate::{Sql, Store, StoreResult};
use serde_json::Value;
use sqlx::Row;
use yingji_core::kernel::role::Scope;

/// Sensors in service: `alarming` (any level active but 离线), `offline`, else `online`.
pub async fn sensors(store: &Store, scope: &Scope, view: Option<&View>) -> StoreResult<LayerData> {
    let mut from = Sql::new("FROM sensors se WHERE se.status = 'active'");
    push_scope_on(&mut from, "se", scope, None);
    let layer = Layer {
        from,
        lon: "se.lon",
        lat: "se.lat",
        class: "CASE WHEN se.active_levels LIKE '%OFFLINE%' THEN 'offline' \
                WHEN se.active_levels <> '' THEN 'alarming' ELSE 'online' END",
        columns: "se.id, se.name, se.code, se.object_name, se.unit, se.active_levels, se.last_ms",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        for c in ["code", "object_name", "unit", "active_levels"] {
            p.insert(c.into(), r.try_get::<String, _>(c)?.into());
        }
        p.insert(
            "last_ms".into(),
            r.try_get::<Option<i64>, _>("last_ms")?.into(),
        );
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

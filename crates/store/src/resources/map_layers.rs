//! 一张图 layers of 应急资源: teams by status, experts by availability, warehouses by level,
//! shelters open or closed; in service only, seen by the district's callers (enterprises none).

use crate::kernel::keys;
use crate::kernel::map::{self, Layer, LayerData, View, base, point};
use crate::{Sql, Store, StoreResult};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::codes::{SHELTER_KINDS, TEAM_KINDS, label};

fn from(table: &str, alias: &str, scope: &Scope) -> Sql {
    let mut from = Sql::new(&format!(
        "FROM {table} {alias} WHERE {alias}.deactivated_ms IS NULL"
    ));
    super::push_visible(&mut from, alias, scope);
    from
}

/// Copies text columns into a feature's properties; `phone` is sealed at rest (ADR 0032) and
/// opened here.
fn texts(r: &AnyRow, p: &mut serde_json::Map<String, Value>, columns: &[&str]) -> StoreResult<()> {
    for c in columns {
        let v = r.try_get::<String, _>(*c)?;
        let v = if *c == "phone" { keys::open(v) } else { v };
        p.insert((*c).into(), v.into());
    }
    Ok(())
}

/// Rescue teams, classed by status (待命, 出动, 休整, 不可用).
pub async fn teams(store: &Store, scope: &Scope, view: Option<&View>) -> StoreResult<LayerData> {
    let layer = Layer {
        from: from("teams", "t", scope),
        lon: "t.lon",
        lat: "t.lat",
        class: "t.status",
        columns: "t.id, t.name, t.kind, t.specialties, t.headcount, t.leader, t.phone, t.base_address",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        texts(
            r,
            &mut p,
            &["specialties", "leader", "phone", "base_address"],
        )?;
        let kind: String = r.try_get("kind")?;
        p.insert("kind_label".into(), label(TEAM_KINDS, &kind).into());
        p.insert("headcount".into(), r.try_get::<i64, _>("headcount")?.into());
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

/// Experts, `available` or `dispatched`.
pub async fn experts(store: &Store, scope: &Scope, view: Option<&View>) -> StoreResult<LayerData> {
    let layer = Layer {
        from: from("experts", "x", scope),
        lon: "x.lon",
        lat: "x.lat",
        class: "CASE WHEN x.status = 'dispatched' THEN 'dispatched' ELSE 'available' END",
        columns: "x.id, x.name, x.title, x.employer, x.specialties, x.phone",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        texts(r, &mut p, &["title", "employer", "specialties", "phone"])?;
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

/// Material warehouses (储备库), classed by level (区级, 街道级, 社区级), with their stock lines.
pub async fn warehouses(
    store: &Store,
    scope: &Scope,
    view: Option<&View>,
) -> StoreResult<LayerData> {
    let layer = Layer {
        from: from("warehouses", "wh", scope),
        lon: "wh.lon",
        lat: "wh.lat",
        class: "wh.level",
        columns: "wh.id, wh.name, wh.address, wh.manager, wh.phone, \
                  (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = wh.id) AS stock_lines",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        texts(r, &mut p, &["address", "manager", "phone"])?;
        p.insert(
            "stock_lines".into(),
            r.try_get::<i64, _>("stock_lines")?.into(),
        );
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

/// Shelters, `open` or `closed`, with capacity and occupancy.
pub async fn shelters(store: &Store, scope: &Scope, view: Option<&View>) -> StoreResult<LayerData> {
    let layer = Layer {
        from: from("shelters", "sh", scope),
        lon: "sh.lon",
        lat: "sh.lat",
        class: "CASE WHEN sh.status = 'open' THEN 'open' ELSE 'closed' END",
        columns: "sh.id, sh.name, sh.kind, sh.address, sh.capacity, sh.occupancy, sh.manager, sh.phone",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        texts(r, &mut p, &["address", "manager", "phone"])?;
        let kind: String = r.try_get("kind")?;
        p.insert("kind_label".into(), label(SHELTER_KINDS, &kind).into());
        for c in ["capacity", "occupancy"] {
            p.insert(c.into(), r.try_get::<i64, _>(c)?.into());
        }
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

//! 一张图 layers of 双重预防: 重大危险源 by level, risk points by colour, open hazards (overdue
//! first). Each is one query scoped like its list; `kernel::map` runs it.

use crate::kernel::keys;
use crate::kernel::map::{self, Layer, LayerData, View, base, point};
use crate::prevention::risk_points::push_scope_on;
use crate::{Sql, Store, StoreResult};
use serde_json::Value;
use sqlx::Row;
use yingji_core::kernel::role::Scope;

/// 重大危险源 (units reaching the threshold), classed 一级 (`l1`) … 四级 (`l4`).
pub async fn major_hazards(
    store: &Store,
    scope: &Scope,
    view: Option<&View>,
) -> StoreResult<LayerData> {
    let mut from = Sql::new(
        "FROM major_hazards mh LEFT JOIN enterprises en ON en.id = mh.enterprise_id WHERE mh.is_major = 1",
    );
    push_scope_on(&mut from, "mh", scope, None);
    let layer = Layer {
        from,
        lon: "mh.lon",
        lat: "mh.lat",
        class: "CASE mh.level WHEN 1 THEN 'l1' WHEN 2 THEN 'l2' WHEN 3 THEN 'l3' ELSE 'l4' END",
        columns: "mh.id, mh.name, mh.code, mh.r_value, mh.chemicals, en.name AS enterprise_name, mh.responsible_name, mh.responsible_phone",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        for c in ["code", "r_value", "chemicals", "responsible_name"] {
            p.insert(c.into(), r.try_get::<Option<String>, _>(c)?.into());
        }
        p.insert(
            "enterprise_name".into(),
            r.try_get::<Option<String>, _>("enterprise_name")?.into(),
        );
        p.insert(
            "responsible_phone".into(),
            keys::open_opt(r.try_get::<Option<String>, _>("responsible_phone")?).into(),
        );
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

/// Active risk points, classed by level (`major` 红 … `low` 蓝).
pub async fn risk_points(
    store: &Store,
    scope: &Scope,
    view: Option<&View>,
) -> StoreResult<LayerData> {
    let mut from = Sql::new(
        "FROM risk_points rp LEFT JOIN enterprises en ON en.id = rp.enterprise_id WHERE rp.status = 'active'",
    );
    push_scope_on(&mut from, "rp", scope, None);
    let layer = Layer {
        from,
        lon: "rp.lon",
        lat: "rp.lat",
        class: "rp.level",
        columns: "rp.id, rp.name, rp.location, rp.method, rp.score, rp.hazard_factors, en.name AS enterprise_name, rp.responsible_name, rp.responsible_phone",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        for c in [
            "location",
            "method",
            "score",
            "hazard_factors",
            "enterprise_name",
            "responsible_name",
        ] {
            p.insert(c.into(), r.try_get::<Option<String>, _>(c)?.into());
        }
        p.insert(
            "responsible_phone".into(),
            keys::open_opt(r.try_get::<Option<String>, _>("responsible_phone")?).into(),
        );
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

/// Hazards not yet closed: `overdue` (past the rectification deadline, whatever the level),
/// else `major` or `general`.
pub async fn hazards(store: &Store, scope: &Scope, view: Option<&View>) -> StoreResult<LayerData> {
    let mut from = Sql::new(
        "FROM hazards h LEFT JOIN enterprises en ON en.id = h.enterprise_id \
         WHERE h.status IN ('registered', 'rectifying', 'pending_acceptance')",
    );
    crate::prevention::hazards::push_scope(&mut from, scope);
    let layer = Layer {
        from,
        lon: "h.lon",
        lat: "h.lat",
        class: "CASE WHEN h.overdue = 1 THEN 'overdue' ELSE h.level END",
        columns: "h.id, COALESCE(en.name, h.location) AS name, h.code, h.level, h.status, h.description, h.location, h.deadline, h.overdue, h.responsible_name",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        for c in [
            "code",
            "description",
            "location",
            "deadline",
            "responsible_name",
        ] {
            p.insert(c.into(), r.try_get::<Option<String>, _>(c)?.into());
        }
        let level: String = r.try_get("level")?;
        let status: String = r.try_get("status")?;
        use yingji_core::prevention::hazard::{HazardLevel, Status};
        p.insert(
            "level_label".into(),
            HazardLevel::parse(&level)
                .map(|l| l.label())
                .unwrap_or("")
                .into(),
        );
        p.insert(
            "status_label".into(),
            Status::parse(&status)
                .map(|s| s.label())
                .unwrap_or("")
                .into(),
        );
        p.insert(
            "overdue".into(),
            (r.try_get::<i64, _>("overdue")? == 1).into(),
        );
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

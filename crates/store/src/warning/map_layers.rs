//! 一张图 layers of 预警: the warnings in force with their areas, by colour, and the 承灾体
//! (personal data masked as in the register), both scoped like their lists.

use crate::kernel::keys;
use crate::kernel::map::{self, Layer, LayerData, View, base, point};
use crate::{Sql, Store, StoreResult};
use serde_json::{Value, json};
use sqlx::Row;
use yingji_core::kernel::geo;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::warning::target::object::MASKED_ADDRESS;
use yingji_core::warning::target::{kind_label, mask_name};

/// Warnings in force now, classed `red` … `blue`, each feature its area. Every warning in force
/// is answered whatever the view (an area may cover the view with its middle outside it).
pub async fn warnings(
    store: &Store,
    scope: &Scope,
    view: Option<&View>,
    now_ms: i64,
) -> StoreResult<LayerData> {
    let mut from = Sql::new("FROM warnings w WHERE 1 = 1");
    super::push_current(&mut from, now_ms);
    super::push_scope(&mut from, scope);
    let layer = Layer {
        from,
        lon: "((w.min_lon + w.max_lon) / 2)",
        lat: "((w.min_lat + w.max_lat) / 2)",
        class: "CASE w.level WHEN 1 THEN 'red' WHEN 2 THEN 'orange' WHEN 3 THEN 'yellow' ELSE 'blue' END",
        columns: "w.id, w.headline AS name, w.event_text, w.area, w.area_desc, w.sender_name, w.effective_ms, w.expires_ms",
    };
    let whole = view.map(|v| View { bbox: None, ..*v });
    map::run(store, layer, whole.as_ref(), |r| {
        let (_, _, mut p) = base(r)?;
        for c in ["event_text", "area_desc", "sender_name"] {
            p.insert(c.into(), r.try_get::<String, _>(c)?.into());
        }
        for c in ["effective_ms", "expires_ms"] {
            p.insert(c.into(), r.try_get::<i64, _>(c)?.into());
        }
        let polygons = geo::stored_polygons(&r.try_get::<String, _>("area")?);
        Ok(json!({
            "type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            "properties": Value::Object(p),
        }))
    })
    .await
}

/// 承灾体 in service, classed by kind; a 特殊群体's name and address masked unless the caller
/// is their grid worker or an administrator.
pub async fn protected_objects(
    store: &Store,
    scope: &Scope,
    role: Role,
    view: Option<&View>,
) -> StoreResult<LayerData> {
    let mut from = Sql::new("FROM protected_objects o WHERE o.deactivated_ms IS NULL");
    super::targeting::push_region(&mut from, "o", scope);
    let layer = Layer {
        from,
        lon: "o.lon",
        lat: "o.lat",
        class: "o.kind",
        columns: "o.id, o.name, o.kind, o.address, o.personal, o.region_code, o.responsible_name, o.responsible_phone",
    };
    map::run(store, layer, view, |r| {
        let (lon, lat, mut p) = base(r)?;
        let region: String = r.try_get("region_code")?;
        let masked = r.try_get::<i64, _>("personal")? == 1
            && !yingji_core::warning::access::sees_personal(scope, role, &region);
        let address = keys::open(r.try_get("address")?);
        let name = keys::open(p["name"].as_str().unwrap_or_default().to_string());
        p.insert(
            "name".into(),
            if masked { mask_name(&name) } else { name }.into(),
        );
        p.insert(
            "address".into(),
            if masked {
                MASKED_ADDRESS.into()
            } else {
                address
            }
            .into(),
        );
        let kind: String = r.try_get("kind")?;
        p.insert("kind_label".into(), kind_label(&kind).into());
        p.insert(
            "responsible_name".into(),
            r.try_get::<String, _>("responsible_name")?.into(),
        );
        p.insert(
            "responsible_phone".into(),
            keys::open(r.try_get("responsible_phone")?).into(),
        );
        Ok(point(lon, lat, Value::Object(p)))
    })
    .await
}

//! 森林防火 registers: forest areas (林区) with their outline and exact areas, and the daily
//! 森林火险气象等级 of a district. Reads are limited to the caller's region; writes run in the
//! caller's transaction with their audit record.

use crate::kernel::audit::{self, Change};
use crate::kernel::map::{self, LayerData, View, base};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::forest::{CheckedArea, hectares, level_saved};
use yingji_core::kernel::geo;
use yingji_core::kernel::role::Scope;

/// Limits a query to the records of the caller's region: `column` holds a street code (or the
/// district code of a record without a street).
pub fn push_region(sql: &mut Sql, scope: &Scope, column: &str) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            sql.push(&format!(" AND {column} LIKE "))
                .bind(format!("{prefix}%"));
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
    }
}

/// The district (6 digits) of a region code.
pub fn district_of(code: &str) -> String {
    code.get(..6).unwrap_or(code).to_string()
}

/// A forest area.
#[derive(Debug, Clone)]
pub struct Area {
    pub id: String,
    pub district_code: String,
    pub street_code: String,
    pub street_name: String,
    pub name: String,
    /// MultiPolygon coordinates.
    pub outline: String,
    pub area_m2: i64,
    pub covered_m2: i64,
    pub updated_ms: i64,
}

const AREA_COLUMNS: &str = "a.id, a.district_code, a.street_code, COALESCE(r.name, a.street_code) AS street_name, a.name, a.outline, a.area_m2, a.covered_m2, a.updated_ms";

fn area_of(r: &AnyRow) -> StoreResult<Area> {
    Ok(Area {
        id: r.try_get("id")?,
        district_code: r.try_get("district_code")?,
        street_code: r.try_get("street_code")?,
        street_name: r.try_get("street_name")?,
        name: r.try_get("name")?,
        outline: r.try_get("outline")?,
        area_m2: r.try_get("area_m2")?,
        covered_m2: r.try_get("covered_m2")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

fn area_query() -> Sql {
    Sql::new(&format!(
        "SELECT {AREA_COLUMNS} FROM forest_areas a LEFT JOIN regions r ON r.code = a.street_code WHERE 1 = 1"
    ))
}

/// The forest areas of the caller's region (all of them for `Scope::All`).
pub async fn list_areas(store: &Store, scope: &Scope) -> StoreResult<Vec<Area>> {
    let mut q = area_query();
    push_region(&mut q, scope, "a.street_code");
    q.push(" ORDER BY a.street_code, a.name");
    store.fetch_all(q).await?.iter().map(area_of).collect()
}

/// One forest area the caller may see.
pub async fn get_area(store: &Store, scope: &Scope, id: &str) -> StoreResult<Area> {
    let mut q = area_query();
    q.push_bind(" AND a.id = ", id);
    push_region(&mut q, scope, "a.street_code");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    area_of(&r)
}

/// A point inside the outline, where the map puts the area's marker.
fn centre(a: &CheckedArea) -> Option<[f64; 2]> {
    geo::area_interior_point(&geo::stored_polygons(&a.outline))
}

/// Records a checked forest area.
pub async fn create_area_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    a: &CheckedArea,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO forest_areas (id, district_code, street_code, name, outline, area_m2, covered_m2, center_lon, center_lat, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        district_of(&a.street_code).into(),
        a.street_code.clone().into(),
        a.name.clone().into(),
        a.outline.clone().into(),
        a.area_m2.into(),
        a.covered_m2.into(),
        centre(a).map(|c| c[0]).into(),
        centre(a).map(|c| c[1]).into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            after: Some(serde_json::json!({"street_code": a.street_code,
                "area_ha": hectares(a.area_m2), "covered_ha": hectares(a.covered_m2)})),
            ..Change::of(
                "forest_area.create",
                "forest_area",
                &id,
                format!("新建林区“{}”（{}公顷）", a.name, hectares(a.area_m2)),
            )
        },
    )
    .await?;
    Ok(id)
}

/// Changes a forest area (`before` as read by the caller).
pub async fn update_area_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    before: &Area,
    a: &CheckedArea,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE forest_areas SET name = ");
    q.bind(a.name.clone())
        .push_bind(", street_code = ", a.street_code.clone())
        .push_bind(", district_code = ", district_of(&a.street_code))
        .push_bind(", outline = ", a.outline.clone())
        .push_bind(", area_m2 = ", a.area_m2)
        .push_bind(", covered_m2 = ", a.covered_m2)
        .push_bind(", center_lon = ", centre(a).map(|c| c[0]))
        .push_bind(", center_lat = ", centre(a).map(|c| c[1]))
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", before.id.as_str());
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            before: Some(
                serde_json::json!({"name": before.name, "street_code": before.street_code,
                "area_ha": hectares(before.area_m2), "covered_ha": hectares(before.covered_m2)}),
            ),
            after: Some(
                serde_json::json!({"name": a.name, "street_code": a.street_code,
                "area_ha": hectares(a.area_m2), "covered_ha": hectares(a.covered_m2)}),
            ),
            ..Change::of(
                "forest_area.update",
                "forest_area",
                &before.id,
                format!("修改林区“{}”", a.name),
            )
        },
    )
    .await?;
    Ok(())
}

/// A day's 森林火险气象等级.
#[derive(Debug, Clone)]
pub struct DayLevel {
    pub day: String,
    pub level: u8,
    /// manual (entered) or cap (from a CAP warning).
    pub source: String,
    pub note: Option<String>,
    pub recorded_ms: i64,
}

fn level_of_row(r: &AnyRow) -> StoreResult<DayLevel> {
    let level: i64 = r.try_get("level")?;
    Ok(DayLevel {
        day: r.try_get("day")?,
        level: u8::try_from(level).unwrap_or(0),
        source: r.try_get("source")?,
        note: r.try_get("note")?,
        recorded_ms: r.try_get("recorded_ms")?,
    })
}

/// The district's levels from `from` to `to` (YYYY-MM-DD, both included).
pub async fn levels(
    store: &Store,
    district: &str,
    from: &str,
    to: &str,
) -> StoreResult<Vec<DayLevel>> {
    let mut q = Sql::new(
        "SELECT day, level, source, note, recorded_ms FROM forest_danger_levels WHERE district_code = ",
    );
    q.bind(district)
        .push_bind(" AND day >= ", from)
        .push_bind(" AND day <= ", to)
        .push(" ORDER BY day");
    store.fetch_all(q).await?.iter().map(level_of_row).collect()
}

/// The district's levels from `from` to `to`, inside a transaction.
pub async fn levels_tx(
    tx: &mut Tx,
    district: &str,
    from: &str,
    to: &str,
) -> StoreResult<Vec<DayLevel>> {
    let mut q = Sql::new(
        "SELECT day, level, source, note, recorded_ms FROM forest_danger_levels WHERE district_code = ",
    );
    q.bind(district)
        .push_bind(" AND day >= ", from)
        .push_bind(" AND day <= ", to)
        .push(" ORDER BY day");
    q.fetch_all(tx).await?.iter().map(level_of_row).collect()
}

/// A level to record.
pub struct NewLevel<'a> {
    pub district: &'a str,
    pub day: &'a str,
    pub level: u8,
    pub source: &'a str,
    pub note: Option<&'a str>,
}

/// Records (or replaces) a day's level; answers the level it replaced.
pub async fn set_level_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    l: &NewLevel<'_>,
) -> StoreResult<Option<u8>> {
    let before = levels_tx(tx, l.district, l.day, l.day).await?;
    let previous = before.first().map(|b| b.level);
    let mut del = Sql::new("DELETE FROM forest_danger_levels WHERE district_code = ");
    del.bind(l.district).push_bind(" AND day = ", l.day);
    del.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO forest_danger_levels (district_code, day, level, source, note, recorded_by, recorded_ms) VALUES ",
    );
    q.values(vec![
        l.district.into(),
        l.day.into(),
        i64::from(l.level).into(),
        l.source.into(),
        l.note.map(str::to_string).into(),
        actor.user_id.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let entity = format!("{}:{}", l.district, l.day);
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            before: previous.map(|p| serde_json::json!({"level": p})),
            after: Some(serde_json::json!({"level": l.level, "source": l.source})),
            ..Change::of(
                "forest_level.update",
                "forest_level",
                &entity,
                level_saved(l.district, l.day, l.level),
            )
        },
    )
    .await?;
    Ok(previous)
}

/// The forest area and the monitored part of the caller's region, in square metres.
pub async fn area_totals(store: &Store, scope: &Scope) -> StoreResult<(i64, i64)> {
    let mut q = Sql::new(
        "SELECT CAST(COALESCE(SUM(a.area_m2), 0) AS BIGINT) AS area, CAST(COALESCE(SUM(a.covered_m2), 0) AS BIGINT) AS covered FROM forest_areas a WHERE 1 = 1",
    );
    push_region(&mut q, scope, "a.street_code");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok((r.try_get("area")?, r.try_get("covered")?))
}

/// 一张图: the forest areas as polygons, classed by the district's level on `day` (l1–l5, or
/// none when no level was entered).
pub async fn map_layer(
    store: &Store,
    scope: &Scope,
    view: Option<&View>,
    day: &str,
) -> StoreResult<LayerData> {
    let mut from = Sql::new(
        "FROM forest_areas a LEFT JOIN forest_danger_levels l ON l.district_code = a.district_code AND l.day = ",
    );
    from.bind(day).push(" WHERE 1 = 1");
    push_region(&mut from, scope, "a.street_code");
    let layer = map::Layer {
        from,
        lon: "a.center_lon",
        lat: "a.center_lat",
        class: "CASE WHEN l.level IS NULL THEN 'none' ELSE 'l' || CAST(l.level AS TEXT) END",
        columns: "a.id, a.name, a.outline, a.area_m2, a.covered_m2, a.street_code, l.level",
    };
    let whole = view.map(|v| View { bbox: None, ..*v });
    map::run(store, layer, whole.as_ref(), |r| {
        let (_, _, mut p) = base(r)?;
        p.insert("area_ha".into(), hectares(r.try_get("area_m2")?).into());
        p.insert(
            "covered_ha".into(),
            hectares(r.try_get("covered_m2")?).into(),
        );
        p.insert(
            "street_code".into(),
            r.try_get::<String, _>("street_code")?.into(),
        );
        p.insert("level".into(), r.try_get::<Option<i64>, _>("level")?.into());
        let polygons = geo::stored_polygons(&r.try_get::<String, _>("outline")?);
        Ok(json!({
            "type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            "properties": Value::Object(p),
        }))
    })
    .await
}

//! 护林员 patrols and 火点 reports from the phone page; a 火点 confirmed by the bureau is linked to
//! the incident (森林火灾) it became, with the burnt hectares the 受害率 counts.

use super::forest::push_region;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::forest_patrols::{CheckedFirePoint, CheckedPatrol, FirePointStatus};
use yingji_core::kernel::role::Scope;

/// A patrol as recorded.
#[derive(Debug, Clone)]
pub struct Patrol {
    pub id: String,
    pub area_id: String,
    pub area_name: String,
    pub ranger_id: String,
    pub ranger_name: String,
    pub started_ms: i64,
    pub ended_ms: i64,
    /// JSON list of [lon, lat].
    pub track: String,
    pub result: String,
    pub note: Option<String>,
    pub photo_ids: Vec<String>,
}

fn ids(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn patrol_of(r: &AnyRow) -> StoreResult<Patrol> {
    Ok(Patrol {
        id: r.try_get("id")?,
        area_id: r.try_get("area_id")?,
        area_name: r.try_get("area_name")?,
        ranger_id: r.try_get("ranger_id")?,
        ranger_name: r.try_get("ranger_name")?,
        started_ms: r.try_get("started_ms")?,
        ended_ms: r.try_get("ended_ms")?,
        track: r.try_get("track")?,
        result: r.try_get("result")?,
        note: r.try_get("note")?,
        photo_ids: ids(&r.try_get::<String, _>("photo_ids")?),
    })
}

/// Records a patrol of a forest area (the caller has checked the area and the photos).
pub async fn create_patrol_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    district: &str,
    p: &CheckedPatrol,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO forest_patrols (id, district_code, area_id, ranger_id, ranger_name, started_ms, ended_ms, track, result, note, photo_ids, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        district.into(),
        p.area_id.clone().into(),
        actor.user_id.clone().into(),
        actor.name.clone().into(),
        p.started_ms.into(),
        p.ended_ms.into(),
        serde_json::to_string(&p.track).unwrap_or_default().into(),
        p.result.clone().into(),
        p.note.clone().into(),
        serde_json::to_string(&p.photo_ids)
            .unwrap_or_default()
            .into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of(
            "forest_patrol.create",
            "forest_patrol",
            &id,
            format!("护林巡查：{}", p.result),
        ),
    )
    .await?;
    Ok(id)
}

fn patrol_query() -> Sql {
    Sql::new(
        "SELECT p.id, p.area_id, a.name AS area_name, p.ranger_id, p.ranger_name, p.started_ms, p.ended_ms, p.track, p.result, p.note, p.photo_ids FROM forest_patrols p JOIN forest_areas a ON a.id = p.area_id WHERE 1 = 1",
    )
}

/// One patrol of the caller's region (`Scope::All`: any).
pub async fn get_patrol(store: &Store, scope: &Scope, id: &str) -> StoreResult<Patrol> {
    let mut q = patrol_query();
    q.push_bind(" AND p.id = ", id);
    push_region(&mut q, scope, "a.street_code");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    patrol_of(&r)
}

/// The patrols of the caller's region (a ranger: their own), newest first.
pub async fn list_patrols(
    store: &Store,
    scope: &Scope,
    ranger_id: Option<&str>,
) -> StoreResult<Vec<Patrol>> {
    let mut q = patrol_query();
    if let Some(r) = ranger_id {
        q.push_bind(" AND p.ranger_id = ", r);
    } else {
        push_region(&mut q, scope, "a.street_code");
    }
    q.push(" ORDER BY p.started_ms DESC LIMIT 200");
    store.fetch_all(q).await?.iter().map(patrol_of).collect()
}

/// A 火点 as recorded.
#[derive(Debug, Clone)]
pub struct FirePoint {
    pub id: String,
    pub district_code: String,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub street_code: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub size: String,
    pub note: Option<String>,
    pub photo_ids: Vec<String>,
    pub reporter_id: String,
    pub reporter_name: String,
    pub reported_ms: i64,
    pub status: FirePointStatus,
    pub incident_id: Option<String>,
    pub burnt_m2: i64,
    pub decided_by_name: Option<String>,
}

fn point_of(r: &AnyRow) -> StoreResult<FirePoint> {
    let status: String = r.try_get("status")?;
    Ok(FirePoint {
        id: r.try_get("id")?,
        district_code: r.try_get("district_code")?,
        area_id: r.try_get("area_id")?,
        area_name: r.try_get("area_name")?,
        street_code: r.try_get("street_code")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        size: r.try_get("size")?,
        note: r.try_get("note")?,
        photo_ids: ids(&r.try_get::<String, _>("photo_ids")?),
        reporter_id: r.try_get("reporter_id")?,
        reporter_name: r.try_get("reporter_name")?,
        reported_ms: r.try_get("reported_ms")?,
        status: FirePointStatus::parse(&status).unwrap_or(FirePointStatus::Reported),
        incident_id: r.try_get("incident_id")?,
        burnt_m2: r.try_get("burnt_m2")?,
        decided_by_name: r.try_get("decided_by_name")?,
    })
}

fn point_query() -> Sql {
    Sql::new(
        "SELECT f.id, f.district_code, f.area_id, a.name AS area_name, a.street_code, f.lon, f.lat, f.size, f.note, f.photo_ids, f.reporter_id, f.reporter_name, f.reported_ms, f.status, f.incident_id, f.burnt_m2, f.decided_by_name FROM forest_fire_points f LEFT JOIN forest_areas a ON a.id = f.area_id WHERE 1 = 1",
    )
}

/// Records a 火点 reported by a ranger.
pub async fn create_point_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    district: &str,
    year: i64,
    p: &CheckedFirePoint,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO forest_fire_points (id, district_code, area_id, lon, lat, size, note, photo_ids, reporter_id, reporter_name, reported_ms, status, incident_id, burnt_m2, year, decided_ms, decided_by_name) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        district.into(),
        p.area_id.clone().into(),
        p.lon.into(),
        p.lat.into(),
        p.size.clone().into(),
        p.note.clone().into(),
        serde_json::to_string(&p.photo_ids)
            .unwrap_or_default()
            .into(),
        actor.user_id.clone().into(),
        actor.name.clone().into(),
        now_ms.into(),
        FirePointStatus::Reported.code().into(),
        None::<String>.into(),
        0i64.into(),
        year.into(),
        None::<i64>.into(),
        None::<String>.into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of(
            "forest_fire_point.create",
            "forest_fire_point",
            &id,
            format!("报告火点（{}）", p.size_label()),
        ),
    )
    .await?;
    Ok(id)
}

/// The 火点 of the caller's region (a ranger: their own), newest first.
pub async fn list_points(
    store: &Store,
    scope: &Scope,
    reporter_id: Option<&str>,
) -> StoreResult<Vec<FirePoint>> {
    let mut q = point_query();
    if let Some(r) = reporter_id {
        q.push_bind(" AND f.reporter_id = ", r);
    } else {
        push_region(&mut q, scope, "COALESCE(a.street_code, f.district_code)");
    }
    q.push(" ORDER BY f.reported_ms DESC LIMIT 200");
    store.fetch_all(q).await?.iter().map(point_of).collect()
}

/// One 火点 the caller may see.
pub async fn get_point(store: &Store, scope: &Scope, id: &str) -> StoreResult<FirePoint> {
    let mut q = point_query();
    q.push_bind(" AND f.id = ", id);
    push_region(&mut q, scope, "COALESCE(a.street_code, f.district_code)");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    point_of(&r)
}

/// The bureau's decision on a reported 火点: confirmed (with its incident and burnt area) or
/// dismissed (误报).
pub struct PointDecision<'a> {
    pub id: &'a str,
    pub to: FirePointStatus,
    pub incident_id: Option<&'a str>,
    pub burnt_m2: i64,
}

pub async fn decide_point_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    d: &PointDecision<'_>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE forest_fire_points SET status = ");
    q.bind(d.to.code())
        .push_bind(", incident_id = ", d.incident_id.map(str::to_string))
        .push_bind(", burnt_m2 = ", d.burnt_m2)
        .push_bind(", decided_ms = ", now_ms)
        .push_bind(", decided_by_name = ", actor.name.clone())
        .push_bind(" WHERE id = ", d.id)
        .push_bind(" AND status = ", FirePointStatus::Reported.code());
    if q.execute(tx).await? != 1 {
        return Err(StoreError::conflict("status", "该火点已处理，请刷新后重试"));
    }
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            after: Some(
                serde_json::json!({"status": d.to.code(), "incident_id": d.incident_id,
                "burnt_m2": d.burnt_m2}),
            ),
            ..Change::of(
                if d.to == FirePointStatus::Confirmed {
                    "forest_fire_point.confirm"
                } else {
                    "forest_fire_point.dismiss"
                },
                "forest_fire_point",
                d.id,
                format!("火点{}", d.to.label()),
            )
        },
    )
    .await?;
    Ok(())
}

/// The burnt forest area of confirmed 火点 of a year in the caller's region, in square metres.
pub async fn burnt_m2(store: &Store, scope: &Scope, year: i64) -> StoreResult<i64> {
    let mut q = Sql::new(
        "SELECT CAST(COALESCE(SUM(f.burnt_m2), 0) AS BIGINT) AS burnt FROM forest_fire_points f LEFT JOIN forest_areas a ON a.id = f.area_id WHERE f.status = ",
    );
    q.bind(FirePointStatus::Confirmed.code())
        .push_bind(" AND f.year = ", year);
    push_region(&mut q, scope, "COALESCE(a.street_code, f.district_code)");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(r.try_get("burnt")?)
}

//! 野外用火 applications: recorded from the public form with a tracking code, decided by the
//! forest authority, suspended when a day's level stops fire use; each step an event (for the
//! public tracking page) and an audit record.

use super::forest::push_region;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::kernel::sequences::next_in_sequence;
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::fire_use::{Checked, Status, summary};
use yingji_core::kernel::role::Scope;

/// An application as the console reads it.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: String,
    pub code: String,
    pub district_code: String,
    pub street_code: Option<String>,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub place: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub day_from: String,
    pub day_to: String,
    pub purpose: String,
    pub measures: String,
    pub status: Status,
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_ms: Option<i64>,
    pub suspended_day: Option<String>,
    pub created_ms: i64,
}

const COLUMNS: &str = "f.id, f.code, f.district_code, f.street_code, f.area_id, a.name AS area_name, f.lon, f.lat, f.place, f.applicant_name, f.applicant_phone, f.day_from, f.day_to, f.purpose, f.measures, f.status, f.reason, f.decided_by_name, f.decided_ms, f.suspended_day, f.created_ms";

fn of_row(r: &AnyRow) -> StoreResult<Application> {
    let status: String = r.try_get("status")?;
    Ok(Application {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        district_code: r.try_get("district_code")?,
        street_code: r.try_get("street_code")?,
        area_id: r.try_get("area_id")?,
        area_name: r.try_get("area_name")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        place: r.try_get("place")?,
        applicant_name: r.try_get("applicant_name")?,
        applicant_phone: keys::open(r.try_get("applicant_phone")?),
        day_from: r.try_get("day_from")?,
        day_to: r.try_get("day_to")?,
        purpose: r.try_get("purpose")?,
        measures: r.try_get("measures")?,
        status: Status::parse(&status).unwrap_or(Status::Pending),
        reason: r.try_get("reason")?,
        decided_by_name: r.try_get("decided_by_name")?,
        decided_ms: r.try_get("decided_ms")?,
        suspended_day: r.try_get("suspended_day")?,
        created_ms: r.try_get("created_ms")?,
    })
}

fn query() -> Sql {
    Sql::new(&format!(
        "SELECT {COLUMNS} FROM fire_use_applications f LEFT JOIN forest_areas a ON a.id = f.area_id WHERE 1 = 1"
    ))
}

/// Where an application lies: its district and street.
pub struct Place<'a> {
    pub district_code: &'a str,
    pub street_code: Option<&'a str>,
}

async fn event_in(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    status: Status,
    note: Option<&str>,
) -> StoreResult<()> {
    let mut q =
        Sql::new("INSERT INTO fire_use_events (id, application_id, status, note, at_ms) VALUES ");
    q.values(vec![
        new_id().into(),
        id.into(),
        status.code().into(),
        note.map(str::to_string).into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// Records a checked application from the public; answers (id, code YH-2026-0001, tracking
/// code).
pub async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    place: &Place<'_>,
    a: &Checked,
) -> StoreResult<(String, String, String)> {
    let id = new_id();
    let year = a.day_from.year();
    let n = next_in_sequence(tx, &format!("fire_use:{year}")).await?;
    let code = format!("YH-{year}-{n:04}");
    let tracking = crate::prevention::hazards::tracking_code();
    let mut q = Sql::new(
        "INSERT INTO fire_use_applications (id, code, tracking_code, district_code, street_code, area_id, lon, lat, place, applicant_name, applicant_phone, day_from, day_to, purpose, measures, status, reason, decided_by_name, decided_ms, suspended_day, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        tracking.clone().into(),
        place.district_code.into(),
        place.street_code.map(str::to_string).into(),
        a.area_id.clone().into(),
        a.lon.into(),
        a.lat.into(),
        a.place.clone().into(),
        a.applicant_name.clone().into(),
        keys::seal(&a.applicant_phone)?.into(),
        a.day_from.to_string().into(),
        a.day_to.to_string().into(),
        a.purpose.clone().into(),
        a.measures.clone().into(),
        Status::Pending.code().into(),
        None::<String>.into(),
        None::<String>.into(),
        None::<i64>.into(),
        None::<String>.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    event_in(tx, now_ms, &id, Status::Pending, None).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            after: Some(serde_json::json!({"day_from": a.day_from.to_string(),
                "day_to": a.day_to.to_string(), "purpose": a.purpose, "area_id": a.area_id})),
            ..Change::of(
                "fire_use.create",
                "fire_use",
                &id,
                summary(&code, Status::Pending),
            )
        },
    )
    .await?;
    Ok((id, code, tracking))
}

/// The applications of the caller's region, newest first, optionally of one status.
pub async fn list(
    store: &Store,
    scope: &Scope,
    status: Option<Status>,
) -> StoreResult<Vec<Application>> {
    let mut q = query();
    if let Some(s) = status {
        q.push_bind(" AND f.status = ", s.code());
    }
    push_region(&mut q, scope, "COALESCE(f.street_code, f.district_code)");
    q.push(" ORDER BY f.day_from DESC, f.created_ms DESC LIMIT 500");
    store.fetch_all(q).await?.iter().map(of_row).collect()
}

/// One application the caller may see.
pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Application> {
    let mut q = query();
    q.push_bind(" AND f.id = ", id);
    push_region(&mut q, scope, "COALESCE(f.street_code, f.district_code)");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    of_row(&r)
}

/// One application as it reads inside the transaction.
pub async fn load_tx(tx: &mut Tx, id: &str) -> StoreResult<Application> {
    let mut q = query();
    q.push_bind(" AND f.id = ", id);
    let r = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    of_row(&r)
}

/// The district's approved applications whose days include `day`.
pub async fn approved_on_tx(
    tx: &mut Tx,
    district: &str,
    day: &str,
) -> StoreResult<Vec<Application>> {
    let mut q = query();
    q.push_bind(" AND f.district_code = ", district)
        .push_bind(" AND f.status = ", Status::Approved.code())
        .push_bind(" AND f.day_from <= ", day)
        .push_bind(" AND f.day_to >= ", day)
        .push(" ORDER BY f.created_ms");
    q.fetch_all(tx).await?.iter().map(of_row).collect()
}

/// A step of an application: decided (approved/refused) or suspended on `suspended_day`.
pub struct StepIn<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub from: Status,
    pub to: Status,
    pub reason: Option<&'a str>,
    pub suspended_day: Option<&'a str>,
}

/// Applies a step if the application is still in `from` (else a conflict: someone was first).
pub async fn step_in(tx: &mut Tx, actor: &Actor, now_ms: i64, s: &StepIn<'_>) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE fire_use_applications SET status = ");
    q.bind(s.to.code()).push_bind(", updated_ms = ", now_ms);
    if s.to == Status::Suspended {
        q.push_bind(", suspended_day = ", s.suspended_day.map(str::to_string));
    } else {
        q.push_bind(", reason = ", s.reason.map(str::to_string))
            .push_bind(", decided_by_name = ", actor.name.clone())
            .push_bind(", decided_ms = ", now_ms);
    }
    q.push_bind(" WHERE id = ", s.id)
        .push_bind(" AND status = ", s.from.code());
    if q.execute(tx).await? != 1 {
        return Err(StoreError::conflict(
            "status",
            "该申请的状态已变化，请刷新后重试",
        ));
    }
    let note = s.reason.or(s.suspended_day);
    event_in(tx, now_ms, s.id, s.to, note).await?;
    let action = match s.to {
        Status::Approved => "fire_use.approve",
        Status::Refused => "fire_use.refuse",
        Status::Suspended => "fire_use.suspend",
        Status::Pending => "fire_use.create",
    };
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            before: Some(serde_json::json!({"status": s.from.code()})),
            after: Some(
                serde_json::json!({"status": s.to.code(), "reason": s.reason,
                "suspended_day": s.suspended_day}),
            ),
            ..Change::of(action, "fire_use", s.id, summary(s.code, s.to))
        },
    )
    .await?;
    Ok(())
}

/// What the public tracking page shows: no staff names, no phone.
#[derive(Debug, Clone)]
pub struct Tracking {
    pub code: String,
    pub status: Status,
    pub day_from: String,
    pub day_to: String,
    pub purpose: String,
    pub area_name: Option<String>,
    pub reason: Option<String>,
    pub suspended_day: Option<String>,
    /// (status, at_ms, note) of each step.
    pub steps: Vec<(Status, i64, Option<String>)>,
}

pub async fn track(store: &Store, tracking: &str) -> StoreResult<Tracking> {
    let t = tracking.trim().to_ascii_uppercase();
    if t.len() != 12 {
        return Err(StoreError::NotFound);
    }
    let mut q = query();
    q.push_bind(" AND f.tracking_code = ", t.as_str());
    let a = of_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)?;
    let steps = events(store, &a.id).await?;
    Ok(Tracking {
        code: a.code,
        status: a.status,
        day_from: a.day_from,
        day_to: a.day_to,
        purpose: a.purpose,
        area_name: a.area_name,
        reason: a.reason,
        suspended_day: a.suspended_day,
        steps,
    })
}

/// The steps of an application, oldest first.
pub async fn events(store: &Store, id: &str) -> StoreResult<Vec<(Status, i64, Option<String>)>> {
    let mut q = Sql::new("SELECT status, at_ms, note FROM fire_use_events WHERE application_id = ");
    q.bind(id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let s: String = r.try_get("status")?;
            Ok((
                Status::parse(&s).unwrap_or(Status::Pending),
                r.try_get("at_ms")?,
                r.try_get("note")?,
            ))
        })
        .collect()
}

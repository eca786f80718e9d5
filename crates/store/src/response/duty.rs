//! 值班值守: the duty roster (值班表), the duty log (值班日志) and the 值班日报 of a day, per district.
//! A shift's phone is sealed with SM4 at rest (ADR 0032): sealed in the insert, opened when read.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::response::incidents::{self, Incident, IncidentFilter};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::kernel::label_of;
use yingji_core::kernel::personal::mask_phone;
use yingji_core::kernel::role::Role;
use yingji_core::prevention::hazard::start_of_day_ms;
use yingji_core::response::duty::{
    CheckedShift, NOT_A_DUTY_READER, check_range, log_summary, parse_day, shift_summary,
};

pub use yingji_core::response::duty::{LOG_KINDS, LogInput, SHIFTS, ShiftInput};

fn forbid_unless_duty_reader(role: Role) -> StoreResult<()> {
    if role.reads_duty_room() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_A_DUTY_READER.into()))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Shift {
    pub day: String,
    pub shift: String,
    pub shift_label: String,
    pub leader: String,
    pub officer: String,
    pub phone: Option<String>,
}

/// The roster from `from` to `to` (inclusive), by day and shift.
pub async fn shifts(store: &Store, ctx: &Ctx, from: &str, to: &str) -> StoreResult<Vec<Shift>> {
    forbid_unless_duty_reader(ctx.role)?;
    let scope = &ctx.scope;
    let (from, to) = (parse_day("from", from)?, parse_day("to", to)?);
    check_range(from, to)?;
    let d = crate::directory::regions::district_of_scope(store, scope).await?;
    let mut q =
        Sql::new("SELECT day, shift, leader, officer, phone FROM duty_shifts WHERE region_code = ");
    q.bind(d)
        .push_bind(" AND day >= ", from.to_string())
        .push_bind(" AND day <= ", to.to_string())
        .push(" ORDER BY day, shift");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let shift: String = r.try_get(1)?;
            Ok(Shift {
                day: r.try_get(0)?,
                shift_label: label_of(SHIFTS, &shift).unwrap_or("").into(),
                shift,
                leader: r.try_get(2)?,
                officer: r.try_get(3)?,
                phone: keys::open_opt(r.try_get(4)?),
            })
        })
        .collect()
}

/// Sets one checked shift of the district's roster (replacing who was on it), in the caller's
/// transaction.
pub async fn set_shift_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    district: &str,
    shift: &str,
    c: &CheckedShift,
) -> StoreResult<Shift> {
    let (day, leader, officer, tel) = (c.day, c.leader.clone(), c.officer.clone(), c.phone.clone());
    let d = district.to_string();
    let mut del = Sql::new("DELETE FROM duty_shifts WHERE region_code = ");
    del.bind(d.clone())
        .push_bind(" AND day = ", day.to_string())
        .push_bind(" AND shift = ", shift);
    del.execute(&mut *tx).await?;
    let mut q = Sql::new(
        "INSERT INTO duty_shifts (id, region_code, day, shift, leader, officer, phone, created_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        d.into(),
        day.to_string().into(),
        shift.into(),
        leader.clone().into(),
        officer.clone().into(),
        keys::seal_opt(tel.as_deref())?.into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    let shift_label = c.shift_label;
    audit::append(
        &mut *tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "duty.shift",
            entity_type: "duty_shift",
            entity_id: None,
            summary: shift_summary(c),
            before: None,
            after: Some(serde_json::json!({"day": day.to_string(), "shift": shift, "leader": leader, "officer": officer, "phone": tel.as_deref().map(mask_phone)})),
        },
    )
    .await?;
    Ok(Shift {
        day: day.to_string(),
        shift: shift.to_string(),
        shift_label: shift_label.into(),
        leader,
        officer,
        phone: tel,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub id: String,
    pub at_ms: i64,
    pub kind: String,
    pub kind_label: String,
    pub text: String,
    pub incident_id: Option<String>,
    pub author: String,
}

/// The log of one Beijing day, oldest first.
pub async fn log_of_day(store: &Store, ctx: &Ctx, day: &str) -> StoreResult<Vec<LogEntry>> {
    forbid_unless_duty_reader(ctx.role)?;
    let scope = &ctx.scope;
    let date = parse_day("day", day)?;
    let from = start_of_day_ms(date);
    let to = start_of_day_ms(date.tomorrow().unwrap_or(date));
    let d = crate::directory::regions::district_of_scope(store, scope).await?;
    let mut q = Sql::new("SELECT * FROM duty_log WHERE region_code = ");
    q.bind(d)
        .push_bind(" AND at_ms >= ", from)
        .push_bind(" AND at_ms < ", to)
        .push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(LogEntry {
                id: r.try_get("id")?,
                at_ms: r.try_get("at_ms")?,
                kind_label: label_of(LOG_KINDS, &kind).unwrap_or("").into(),
                kind,
                text: r.try_get("text")?,
                incident_id: r.try_get("incident_id")?,
                author: r.try_get("author")?,
            })
        })
        .collect()
}

/// A checked duty-log entry: its kind (code and label), text and incident.
pub struct NewLogEntry<'a> {
    pub kind: &'a str,
    pub kind_label: &'a str,
    pub text: String,
    pub incident_id: Option<String>,
}

/// Writes a checked duty-log entry of the district (`kind_label` and `text` as `check_log`
/// returned them), in the caller's transaction.
pub async fn add_log_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    district: &str,
    entry: NewLogEntry<'_>,
) -> StoreResult<LogEntry> {
    let NewLogEntry {
        kind,
        kind_label,
        text,
        incident_id,
    } = entry;
    let d = district.to_string();
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO duty_log (id, region_code, at_ms, kind, text, incident_id, author) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        d.into(),
        now_ms.into(),
        kind.into(),
        text.clone().into(),
        incident_id.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(&mut *tx).await?;
    audit::append(
        &mut *tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "duty.log",
            entity_type: "duty_log",
            entity_id: Some(&id),
            summary: log_summary(kind_label, &text),
            before: None,
            after: Some(
                serde_json::json!({"kind": kind, "text": text, "incident_id": incident_id}),
            ),
        },
    )
    .await?;
    Ok(LogEntry {
        id,
        at_ms: now_ms,
        kind: kind.to_string(),
        kind_label: kind_label.into(),
        text,
        incident_id,
        author: ctx.display_name.clone(),
    })
}

/// 值班日报: who was on duty, what was logged, the incidents received that day and those still open.
#[derive(Debug, Clone, Serialize)]
pub struct DailyReport {
    pub day: String,
    pub shifts: Vec<Shift>,
    pub log: Vec<LogEntry>,
    pub received: Vec<Incident>,
    pub open: Vec<Incident>,
}

pub async fn daily(store: &Store, ctx: &Ctx, day: &str, now_ms: i64) -> StoreResult<DailyReport> {
    forbid_unless_duty_reader(ctx.role)?;
    let scope = &ctx.scope;
    let date = parse_day("day", day)?;
    let from = start_of_day_ms(date);
    let to = start_of_day_ms(date.tomorrow().unwrap_or(date));
    let all = Page::new(Some(1), Some(200));
    let (open, _) = incidents::list(
        store,
        scope,
        &IncidentFilter {
            status: Some("open".into()),
            ..Default::default()
        },
        all,
        now_ms,
    )
    .await?;
    let (received, _) = incidents::list(
        store,
        scope,
        &IncidentFilter {
            received_between: Some((from, to)),
            ..Default::default()
        },
        all,
        now_ms,
    )
    .await?;
    Ok(DailyReport {
        day: date.to_string(),
        shifts: shifts(store, ctx, &date.to_string(), &date.to_string()).await?,
        log: log_of_day(store, ctx, &date.to_string()).await?,
        received,
        open,
    })
}

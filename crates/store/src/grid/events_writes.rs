//! 网格事件: the writes, each in the caller's transaction with its timeline line and audit
//! record: intake, dispatch (by rule or by hand), 签收, 退回.

use super::events::{COLUMNS, FROM, GridEvent, OWNER_TYPE, from_row};
use super::events_due::{self, Stage};
use crate::kernel::attachments;
use crate::kernel::audit::{self, Change};
use crate::kernel::sequences::next_in_sequence;
use crate::kernel::timers::{self, Family};
use crate::{Actor, Sql, StoreError, StoreResult, Tx, new_id};
use yingji_core::grid::events::{CheckedEvent, Deadlines, Source, Status};
use yingji_core::grid::events_config::GridEventConfig;
use yingji_core::grid::opinions::CheckedOpinion;
use yingji_core::kernel::clock::today;

/// An event to record, checked.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub source: Source,
    pub checked: &'a CheckedEvent,
    pub district_code: &'a str,
    pub reporter_user_id: Option<&'a str>,
    pub tracking_code: Option<&'a str>,
    /// The hotline's (platform, order number).
    pub external: Option<(&'a str, &'a str)>,
    /// 舆情: platform, link, heat and level.
    pub opinion: Option<&'a CheckedOpinion>,
    pub attachments: &'a [String],
    pub summary: String,
}

/// The unit an event goes to, with its deadlines.
#[derive(Debug, Clone)]
pub struct Dispatch<'a> {
    pub unit_kind: &'a str,
    pub unit_id: &'a str,
    pub unit_name: &'a str,
    pub reason: &'a str,
    pub deadlines: Deadlines,
    pub summary: String,
}

async fn next_code(tx: &mut Tx, district: &str, now_ms: i64) -> StoreResult<String> {
    let year = today(now_ms).year();
    let n = next_in_sequence(tx, &format!("grid-event-{district}-{year}")).await?;
    Ok(format!("SJ{district}{year}{n:06}"))
}

/// One line of the timeline; `actor` is the audit actor's name (a user's login name is shown
/// as their display name, a system actor's as it is).
pub async fn step_in(
    tx: &mut Tx,
    event_id: &str,
    now_ms: i64,
    action: &str,
    actor: &str,
    note: Option<&str>,
    public: bool,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO grid_event_steps (id, event_id, at_ms, action, actor_name, note, public) SELECT ",
    );
    q.bind(new_id())
        .push(", ")
        .bind(event_id)
        .push(", ")
        .bind(now_ms)
        .push(", ")
        .bind(action)
        .push(", COALESCE((SELECT MAX(display_name) FROM users WHERE username = ")
        .bind(actor)
        .push("), ")
        .bind(actor)
        .push("), ")
        .bind(note.map(str::to_string))
        .push(", ")
        .bind(i64::from(public));
    q.execute(tx).await?;
    Ok(())
}

/// The event as it reads inside the transaction.
pub async fn load_in(tx: &mut Tx, id: &str) -> StoreResult<GridEvent> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.id = "));
    q.bind(id);
    let row = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// Records a new event (待分拨); returns its id and code.
pub async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &NewEvent<'_>,
) -> StoreResult<(String, String)> {
    let id = new_id();
    let code = next_code(tx, e.district_code, now_ms).await?;
    let c = e.checked;
    let street = c.region_code.get(..9).unwrap_or(&c.region_code);
    let mut q = Sql::new(
        "INSERT INTO grid_events (id, code, district_code, region_code, street_code, source, category, title, description, lon, lat, address, enterprise_id, reporter_user_id, reporter_name, reporter_phone, reporter_phone_bidx, tracking_code, external_no, external_source, opinion_url, opinion_heat, opinion_level, opinion_platform, status, card, reopened, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        e.district_code.into(),
        c.region_code.clone().into(),
        street.into(),
        e.source.as_str().into(),
        c.category.clone().into(),
        c.title.clone().into(),
        c.description.clone().into(),
        c.lon.into(),
        c.lat.into(),
        c.address.clone().into(),
        c.enterprise_id.clone().into(),
        e.reporter_user_id.map(str::to_string).into(),
        c.reporter_name.clone().into(),
        crate::kernel::keys::seal_opt(c.reporter_phone.as_deref())?.into(),
        crate::kernel::keys::blind_index(c.reporter_phone.as_deref())?.into(),
        e.tracking_code.map(str::to_string).into(),
        e.external.map(|x| x.1.to_string()).into(),
        e.external.map(|x| x.0.to_string()).into(),
        e.opinion.and_then(|o| o.url.clone()).into(),
        e.opinion.and_then(|o| o.heat).into(),
        e.opinion.map(|o| o.level.as_str()).into(),
        e.opinion.map(|o| o.platform.clone()).into(),
        Status::PendingDispatch.as_str().into(),
        "".into(),
        0i64.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    attachments::link(
        tx,
        e.attachments,
        OWNER_TYPE,
        &id,
        actor.user_id.as_deref(),
        "attachments",
    )
    .await?;
    step_in(
        tx,
        &id,
        now_ms,
        "受理",
        &actor.name,
        Some(e.source.label()),
        true,
    )
    .await?;
    let change = Change {
        after: Some(
            serde_json::json!({"source": e.source.as_str(), "category": c.category, "region_code": c.region_code}),
        ),
        ..Change::of("grid.event_filed", "grid_event", &id, e.summary.clone())
    };
    audit::append(tx, now_ms, actor, change).await?;
    Ok((id, code))
}

/// Sends an event to a unit: 待签收, its deadlines set and the first 督办 timer scheduled.
pub async fn dispatch_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    d: &Dispatch<'_>,
    config: &GridEventConfig,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE grid_events SET status = ");
    q.bind(Status::Dispatched.as_str())
        .push_bind(", unit_kind = ", d.unit_kind)
        .push_bind(", unit_id = ", d.unit_id)
        .push_bind(", unit_name = ", d.unit_name)
        .push_bind(", dispatch_reason = ", d.reason)
        .push_bind(", dispatched_ms = ", now_ms)
        .push_bind(", accept_due_ms = ", d.deadlines.accept_ms)
        .push_bind(", handle_due_ms = ", d.deadlines.handle_ms)
        .push_bind(", feedback_due_ms = ", d.deadlines.feedback_ms)
        .push(", accepted_ms = NULL, card = ''")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    q.execute(tx).await?;
    timers::cancel(tx, id, Family::GridEvent).await?;
    events_due::schedule_in(
        tx,
        now_ms,
        id,
        Stage::Accept,
        now_ms,
        d.deadlines.accept_ms,
        config,
    )
    .await?;
    let note = format!("{}（{}）", d.unit_name, d.reason);
    step_in(tx, id, now_ms, "分拨", &actor.name, Some(&note), true).await?;
    let change = Change {
        after: Some(
            serde_json::json!({"unit_kind": d.unit_kind, "unit_id": d.unit_id, "accept_due_ms": d.deadlines.accept_ms}),
        ),
        ..Change::of("grid.event_dispatched", "grid_event", id, d.summary.clone())
    };
    audit::append(tx, now_ms, actor, change).await?;
    Ok(())
}

/// No rule decided: the event waits for the duty room (its timeline says so).
pub async fn pending_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    summary: String,
) -> StoreResult<()> {
    step_in(tx, id, now_ms, "待人工分拨", &actor.name, None, false).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of("grid.event_pending", "grid_event", id, summary),
    )
    .await?;
    Ok(())
}

/// 签收: 处置中; the 处置 deadline's timer replaces the 签收's.
pub async fn accept_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    config: &GridEventConfig,
    summary: String,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE grid_events SET status = ");
    q.bind(Status::Accepted.as_str())
        .push_bind(", accepted_ms = ", now_ms)
        .push(", card = ''")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", e.id.as_str())
        .push_bind(" AND status = ", Status::Dispatched.as_str());
    if q.execute(tx).await? == 0 {
        return Err(StoreError::conflict(
            "status",
            yingji_core::grid::events::STALE,
        ));
    }
    timers::cancel(tx, &e.id, Family::GridEvent).await?;
    let start = e.dispatched_ms.unwrap_or(now_ms);
    if let Some(due) = e.handle_due_ms {
        events_due::schedule_in(tx, now_ms, &e.id, Stage::Handle, start, due, config).await?;
    }
    step_in(
        tx,
        &e.id,
        now_ms,
        "签收",
        &actor.name,
        e.unit_name.as_deref(),
        true,
    )
    .await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of("grid.event_accepted", "grid_event", &e.id, summary),
    )
    .await?;
    Ok(())
}

/// 退回: back to the duty room (待分拨) with the reason; the deadlines stop.
pub async fn return_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    reason: &str,
    summary: String,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE grid_events SET status = ");
    q.bind(Status::PendingDispatch.as_str())
        .push(", unit_kind = NULL, unit_id = NULL, unit_name = NULL, dispatch_reason = NULL, accept_due_ms = NULL, handle_due_ms = NULL, feedback_due_ms = NULL, card = ''")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", e.id.as_str())
        .push_bind(" AND status = ", Status::Dispatched.as_str());
    if q.execute(tx).await? == 0 {
        return Err(StoreError::conflict(
            "status",
            yingji_core::grid::events::STALE,
        ));
    }
    timers::cancel(tx, &e.id, Family::GridEvent).await?;
    let note = format!("{}：{reason}", e.unit_name.as_deref().unwrap_or(""));
    step_in(tx, &e.id, now_ms, "退回", &actor.name, Some(&note), false).await?;
    let change = Change {
        after: Some(serde_json::json!({"reason": reason})),
        ..Change::of("grid.event_returned", "grid_event", &e.id, summary)
    };
    audit::append(tx, now_ms, actor, change).await?;
    Ok(())
}

//! 大联动: the parts of a joint task (rows and SQL). Each part's deadline is a
//! `grid.joint_part_due` timer (subject: the part); its progress goes on the event's timeline.
//! Cooperating units read the event through `push_part_visible` (used by `events::push_visible`).

use super::events::GridEvent;
use super::events_writes::{load_in, step_in};
use crate::kernel::Ctx;
use crate::kernel::attachments;
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::timers::{self, GridJointPartDue, TimerCode, TimerKind};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::grid::events::Status;
use yingji_core::grid::events_config::UnitKind;
use yingji_core::grid::joint::{PartStatus, overdue_message, part_status_label};
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;

/// The attachments' owner type of a part's photos.
pub const OWNER_TYPE: &str = "grid_joint_part";
/// Who the deadline timer acts as.
pub const DUE_ACTOR: &str = "联动任务期限定时器";

#[derive(Debug, Clone, serde::Serialize)]
pub struct Part {
    pub id: String,
    pub event_id: String,
    pub unit_kind: String,
    pub unit_id: String,
    pub unit_name: String,
    pub task: String,
    pub due_ms: i64,
    pub status: String,
    pub status_label: String,
    pub note: Option<String>,
    pub overdue: bool,
    pub created_by: String,
    pub created_ms: i64,
    pub finished_by: Option<String>,
    pub finished_ms: Option<i64>,
}

fn from_row(r: &AnyRow) -> StoreResult<Part> {
    let status: String = r.try_get("status")?;
    Ok(Part {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        unit_kind: r.try_get("unit_kind")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        task: r.try_get("task")?,
        due_ms: r.try_get("due_ms")?,
        status_label: part_status_label(&status).into(),
        status,
        note: r.try_get("note")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        created_by: r.try_get("created_by")?,
        created_ms: r.try_get("created_ms")?,
        finished_by: r.try_get("finished_by")?,
        finished_ms: r.try_get("finished_ms")?,
    })
}

/// The cooperating units' read scope on `grid_events e`: an OR term (leading " OR ") for the
/// department's staff and the street's staff, nothing for others.
pub fn push_part_visible(q: &mut Sql, ctx: &Ctx) {
    match &ctx.scope {
        Scope::Department { department_id, .. } => {
            q.push_bind(
                " OR EXISTS (SELECT 1 FROM grid_joint_parts jp WHERE jp.event_id = e.id AND jp.unit_kind = 'department' AND jp.unit_id = ",
                department_id.as_str(),
            )
            .push(")");
        }
        Scope::Region { prefix, .. } if prefix.len() >= 9 => {
            q.push_bind(
                " OR EXISTS (SELECT 1 FROM grid_joint_parts jp WHERE jp.event_id = e.id AND jp.unit_kind = 'street' AND ",
                prefix.as_str(),
            )
            .push(" LIKE jp.unit_id || '%')");
        }
        _ => {}
    }
}

/// The parts of an event, in the order they were added.
pub async fn parts(store: &Store, event_id: &str) -> StoreResult<Vec<Part>> {
    let mut q = Sql::new("SELECT * FROM grid_joint_parts WHERE event_id = ");
    q.bind(event_id).push(" ORDER BY created_ms, id");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

pub async fn parts_in(tx: &mut Tx, event_id: &str) -> StoreResult<Vec<Part>> {
    let mut q = Sql::new("SELECT * FROM grid_joint_parts WHERE event_id = ");
    q.bind(event_id).push(" ORDER BY created_ms, id");
    q.fetch_all(tx).await?.iter().map(from_row).collect()
}

/// A part to add.
pub struct NewPart<'a> {
    pub unit_kind: &'a str,
    pub unit_id: &'a str,
    pub unit_name: &'a str,
    pub task: &'a str,
    pub due_ms: i64,
}

/// Adds the parts with their deadline timers, one timeline line each and one audit record.
pub async fn start_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    parts: &[NewPart<'_>],
    (lines, summary): (&[String], String),
) -> StoreResult<()> {
    for (p, line) in parts.iter().zip(lines) {
        let id = new_id();
        let mut q = Sql::new(
            "INSERT INTO grid_joint_parts (id, event_id, unit_kind, unit_id, unit_name, task, due_ms, status, created_by, created_ms) VALUES ",
        );
        q.values(vec![
            id.clone().into(),
            e.id.clone().into(),
            p.unit_kind.into(),
            p.unit_id.into(),
            p.unit_name.into(),
            p.task.into(),
            p.due_ms.into(),
            PartStatus::Open.as_str().into(),
            actor.name.clone().into(),
            now_ms.into(),
        ]);
        q.execute(&mut *tx).await?;
        let kind = TimerKind::GridJointPartDue(GridJointPartDue { due_ms: p.due_ms });
        timers::schedule(tx, now_ms, &kind, &id, p.due_ms).await?;
        step_in(
            tx,
            &e.id,
            now_ms,
            "联动分工",
            &actor.name,
            Some(line),
            false,
        )
        .await?;
    }
    let change = Change::of("grid.joint_started", "grid_event", &e.id, summary);
    audit::append(tx, now_ms, actor, change).await?;
    Ok(())
}

/// A part leaves 办理中: done (with a note and photos) or waived (with the reason).
pub struct Finish<'a> {
    pub to: PartStatus,
    pub note: &'a str,
    pub photos: &'a [String],
    /// (timeline action, audit action, summary)
    pub record: (&'a str, &'static str, String),
}

/// Moves an open part to done or waived (409 when it moved meanwhile); its timer is dropped.
pub async fn finish_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    part: &Part,
    f: Finish<'_>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE grid_joint_parts SET status = ");
    q.bind(f.to.as_str())
        .push_bind(", note = ", f.note)
        .push_bind(", finished_by = ", actor.name.as_str())
        .push_bind(", finished_ms = ", now_ms)
        .push_bind(" WHERE id = ", part.id.as_str())
        .push_bind(" AND status = ", PartStatus::Open.as_str());
    if q.execute(&mut *tx).await? == 0 {
        return Err(StoreError::conflict(
            "status",
            "联动任务状态已变化，请刷新后重试",
        ));
    }
    timers::cancel(tx, &part.id, TimerCode::GridJointPartDue).await?;
    attachments::link(
        tx,
        f.photos,
        OWNER_TYPE,
        &part.id,
        actor.user_id.as_deref(),
        "attachments",
    )
    .await?;
    let (action, audit_action, summary) = f.record;
    let line = format!("{}：{}", part.unit_name, f.note);
    step_in(
        tx,
        &part.event_id,
        now_ms,
        action,
        &actor.name,
        Some(&line),
        false,
    )
    .await?;
    let change = Change::of(audit_action, "grid_event", &part.event_id, summary);
    audit::append(tx, now_ms, actor, change).await?;
    Ok(())
}

/// Drops the deadline timers of an event's open parts (the event left the loop: 转隐患, 转接报).
pub async fn cancel_timers_in(tx: &mut Tx, event_id: &str) -> StoreResult<()> {
    for p in parts_in(tx, event_id).await? {
        timers::cancel(tx, &p.id, TimerCode::GridJointPartDue).await?;
    }
    Ok(())
}

/// The open parts' unit names (empty when the lead may 处置完成).
pub async fn open_units_in(tx: &mut Tx, event_id: &str) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT unit_name FROM grid_joint_parts WHERE event_id = ");
    q.bind(event_id)
        .push_bind(" AND status = ", PartStatus::Open.as_str())
        .push(" ORDER BY created_ms, id");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>("unit_name")?))
        .collect()
}

async fn part_in(tx: &mut Tx, id: &str) -> StoreResult<Option<Part>> {
    let mut q = Sql::new("SELECT * FROM grid_joint_parts WHERE id = ");
    q.bind(id);
    q.fetch_optional(tx)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// A part's deadline runs out: marked overdue, its unit and the lead unit told, a timeline
/// line and an audit record. Nothing when the part is gone, finished, already overdue or its
/// deadline has moved, or the event has left the loop.
pub async fn fire_due(
    tx: &mut Tx,
    part_id: &str,
    p: &GridJointPartDue,
    now_ms: i64,
) -> StoreResult<()> {
    let Some(part) = part_in(tx, part_id).await? else {
        return Ok(());
    };
    if part.status != PartStatus::Open.as_str() || part.due_ms != p.due_ms || part.overdue {
        return Ok(());
    }
    let Ok(e) = load_in(tx, &part.event_id).await else {
        return Ok(());
    };
    if !Status::parse(&e.status).is_some_and(Status::open) {
        return Ok(());
    }
    let mut u = Sql::new("UPDATE grid_joint_parts SET overdue = 1 WHERE id = ");
    u.bind(part_id);
    u.execute(&mut *tx).await?;
    let mut depts: Vec<String> = Vec::new();
    let mut streets: Vec<String> = Vec::new();
    for (kind, id) in [
        (Some(part.unit_kind.as_str()), Some(part.unit_id.clone())),
        (e.unit_kind.as_deref(), e.unit_id.clone()),
    ] {
        match (kind.and_then(UnitKind::parse), id) {
            (Some(UnitKind::Department), Some(id)) => depts.push(id),
            (Some(UnitKind::Street), Some(id)) => streets.push(id),
            _ => {}
        }
    }
    let mut targets = Vec::new();
    if !depts.is_empty() {
        targets.push(Target::Departments(&depts));
    }
    targets.extend(streets.iter().map(|s| Target::Staff(s)));
    let audience = escalation::resolve(tx, &targets, true).await?;
    let (title, body) = overdue_message(&e.code, &e.title, &part.unit_name, &part.task, p.due_ms);
    let message = Message {
        event: "grid.joint_part_overdue".into(),
        title,
        body: body.clone(),
        link: super::events_due::link(&e.id),
        subject_id: part_id.into(),
    };
    let reached = escalation::step(tx, now_ms, Escalation::to(message, &audience)).await?;
    step_in(
        tx,
        &e.id,
        now_ms,
        "联动任务逾期",
        DUE_ACTOR,
        Some(&body),
        false,
    )
    .await?;
    let change = Change::of(
        "grid.joint_part_overdue",
        "grid_event",
        &e.id,
        format!("{body}（{}）", reached.tally()),
    );
    audit::append(tx, now_ms, &Actor::system(DUE_ACTOR), change).await?;
    Ok(())
}

/// The joint tasks (events with parts) the caller may read, the latest first; `open` keeps
/// those with a part still 办理中; `mine` those where the caller's unit has a part.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    (open, mine): (bool, bool),
    page: crate::Page,
) -> StoreResult<(Vec<GridEvent>, i64)> {
    use super::events::{COLUMNS, FROM, from_row as event_row, push_visible};
    let mut w = Sql::new(" AND EXISTS (SELECT 1 FROM grid_joint_parts jp WHERE jp.event_id = e.id");
    if open {
        w.push_bind(" AND jp.status = ", PartStatus::Open.as_str());
    }
    w.push(")");
    if mine {
        w.push(" AND (1 = 0");
        push_part_visible(&mut w, ctx);
        w.push(")");
    }
    push_visible(&mut w, ctx)?;
    store
        .page_of(
            &format!("SELECT COUNT(*){FROM} WHERE 1 = 1"),
            &format!("SELECT {COLUMNS}{FROM} WHERE 1 = 1"),
            w,
            "e.created_ms DESC, e.id",
            page,
            event_row,
        )
        .await
}

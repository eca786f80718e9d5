//! 网格事件: closing the loop, each step in the caller's transaction with its timeline line and
//! audit record: 处置 (the result), 反馈 (the answer to the reporter), 回访 (办结, or reopened
//! once to the same unit with fresh deadlines).

use super::events::GridEvent;
use super::events_due::{self, Stage};
use super::events_writes::step_in;
use crate::kernel::attachments;
use crate::kernel::audit::{self, Change};
use crate::kernel::timers::{self, Family};
use crate::{Actor, Sql, StoreError, StoreResult, Tx, Val};
use yingji_core::grid::events::{Deadlines, STALE, Status};
use yingji_core::grid::events_config::GridEventConfig;

/// One step of the loop: the columns it sets, its timeline line and audit record.
pub struct Advance<'a> {
    pub from: &'a [Status],
    pub to: Status,
    pub set: Vec<(&'static str, Val)>,
    /// (action, note, public)
    pub step: (&'a str, Option<&'a str>, bool),
    /// (audit action, summary)
    pub audit: (&'static str, String),
}

/// Moves the event from one of `a.from` to `a.to` (409 when it moved meanwhile); the pending
/// 督办 timer is dropped.
pub async fn advance_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    a: Advance<'_>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE grid_events SET status = ");
    q.bind(a.to.as_str()).push(", card = ''");
    for (col, v) in a.set {
        q.push(&format!(", {col} = ")).bind(v);
    }
    q.push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id)
        .push(" AND status IN ")
        .bind_list(a.from.iter().map(|s| s.as_str()));
    if q.execute(tx).await? == 0 {
        return Err(StoreError::conflict("status", STALE));
    }
    timers::cancel(tx, id, Family::GridEvent).await?;
    let (action, note, public) = a.step;
    step_in(tx, id, now_ms, action, &actor.name, note, public).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of(a.audit.0, "grid_event", id, a.audit.1),
    )
    .await?;
    Ok(())
}

/// What the unit reports at 处置.
pub struct Handling<'a> {
    pub result: &'a str,
    /// The answer to the reporter, when given at once.
    pub answer: Option<&'a str>,
    pub photos: &'a [String],
    pub summary: String,
    /// 转隐患: the hazard the event became (the result says so).
    pub hazard_id: Option<&'a str>,
}

/// 处置: the result and its photos; the 反馈 deadline's 督办 starts (or, with the answer given
/// at once, the event waits for its 回访).
pub async fn handle_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    h: Handling<'_>,
    config: &GridEventConfig,
) -> StoreResult<()> {
    let Handling {
        result,
        answer,
        photos,
        summary,
        hazard_id,
    } = h;
    let mut set = vec![
        ("handled_ms", Val::I64(now_ms)),
        ("result", Val::from(result.to_string())),
    ];
    let (action, audit_action) = match hazard_id {
        Some(hazard) => {
            set.push(("hazard_id", Val::from(hazard.to_string())));
            ("转为隐患", "grid.event_to_hazard")
        }
        None => ("处置完成", "grid.event_handled"),
    };
    let to = match answer {
        Some(text) => {
            set.push(("answered_ms", Val::I64(now_ms)));
            set.push(("answer", Val::from(text.to_string())));
            Status::Answered
        }
        None => Status::Handled,
    };
    let a = Advance {
        from: &[Status::Accepted],
        to,
        set,
        step: (action, Some(result), true),
        audit: (audit_action, summary),
    };
    advance_in(tx, actor, now_ms, &e.id, a).await?;
    attachments::link(
        tx,
        photos,
        super::events::OWNER_TYPE,
        &e.id,
        actor.user_id.as_deref(),
        "attachments",
    )
    .await?;
    if let Some(text) = answer {
        step_in(tx, &e.id, now_ms, "反馈", &actor.name, Some(text), true).await?;
    } else if let Some(due) = e.feedback_due_ms {
        let start = e.dispatched_ms.unwrap_or(now_ms);
        events_due::schedule_in(tx, now_ms, &e.id, Stage::Feedback, start, due, config).await?;
    }
    Ok(())
}

/// 回访 unsatisfied, the first time: back to the same unit (处置中) with fresh deadlines.
pub async fn reopen_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    (d, note, summary): (Deadlines, &str, String),
    config: &GridEventConfig,
) -> StoreResult<()> {
    let a = Advance {
        from: &[Status::Answered],
        to: Status::Accepted,
        set: vec![
            ("reopened", Val::I64(1)),
            ("satisfied", Val::I64(0)),
            ("dispatched_ms", Val::I64(now_ms)),
            ("handle_due_ms", Val::I64(d.handle_ms)),
            ("feedback_due_ms", Val::I64(d.feedback_ms)),
        ],
        step: ("回访不满意，重新办理", Some(note), true),
        audit: ("grid.event_visited", summary),
    };
    advance_in(tx, actor, now_ms, &e.id, a).await?;
    events_due::schedule_in(
        tx,
        now_ms,
        &e.id,
        Stage::Handle,
        now_ms,
        d.handle_ms,
        config,
    )
    .await
}

/// 反馈: the answer to the reporter (the public reads it on the tracking page).
pub async fn answer_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    answer: &str,
    summary: String,
) -> StoreResult<()> {
    let a = Advance {
        from: &[Status::Handled],
        to: Status::Answered,
        set: vec![
            ("answered_ms", Val::I64(now_ms)),
            ("answer", Val::from(answer.to_string())),
        ],
        step: ("反馈", Some(answer), true),
        audit: ("grid.event_answered", summary),
    };
    advance_in(tx, actor, now_ms, id, a).await
}

/// 办结 after the 回访 (satisfied, unsatisfied a second time, or no 回访 possible).
pub async fn close_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    (satisfied, note, summary): (Option<bool>, Option<&str>, String),
) -> StoreResult<()> {
    let action = match satisfied {
        Some(true) => "回访满意，办结",
        Some(false) => "回访仍不满意，办结",
        None => "无需回访，办结",
    };
    let a = Advance {
        from: &[Status::Answered],
        to: Status::Closed,
        set: vec![
            ("closed_ms", Val::I64(now_ms)),
            ("satisfied", Val::from(satisfied.map(i64::from))),
        ],
        step: (action, note, true),
        audit: ("grid.event_visited", summary),
    };
    advance_in(tx, actor, now_ms, id, a).await
}

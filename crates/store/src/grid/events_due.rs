//! 督办 of grid events (ADR 0018): one `grid.event_due` timer per event at a time, for the card
//! ahead on the deadline that runs; firing it records the card on the event, tells the unit
//! (and, at 红牌, the bureau's leaders) and schedules the next card.

use super::events_writes::{load_in, step_in};
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::timers::{self, GridEventDue, TimerKind};
use crate::{Actor, Sql, StoreResult, Tx};
use yingji_core::grid::events::Status;
use yingji_core::grid::events_config::{GridEventConfig, UnitKind};
pub use yingji_core::grid::events_due::{Card, Stage};
use yingji_core::grid::events_due::{card_at, card_message, first_card, next_card};
use yingji_core::kernel::notify::Message;

/// Who the timer acts as.
pub const DUE_ACTOR: &str = "网格事件督办定时器";

pub fn link(event_id: &str) -> String {
    format!("/grid/events/{event_id}")
}

async fn schedule_card(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    stage: Stage,
    card: Card,
    due_ms: i64,
    at_ms: i64,
) -> StoreResult<()> {
    let kind = TimerKind::GridEventDue(GridEventDue {
        stage: stage.as_str().into(),
        card: card.as_str().into(),
        due_ms,
    });
    timers::schedule(tx, now_ms, &kind, id, at_ms).await?;
    Ok(())
}

/// Schedules the first card still ahead for a deadline whose span began at `start_ms`.
pub async fn schedule_in(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    stage: Stage,
    start_ms: i64,
    due_ms: i64,
    config: &GridEventConfig,
) -> StoreResult<()> {
    let (card, at) = first_card(now_ms, start_ms, due_ms, config);
    schedule_card(tx, now_ms, id, stage, card, due_ms, at.max(now_ms)).await
}

/// Nothing when the event is gone, has left the stage, or the deadline has moved.
pub async fn fire_due(tx: &mut Tx, id: &str, p: &GridEventDue, now_ms: i64) -> StoreResult<()> {
    let (Some(stage), Some(card)) = (Stage::parse(&p.stage), Card::parse(&p.card)) else {
        return Ok(());
    };
    let Ok(e) = load_in(tx, id).await else {
        return Ok(());
    };
    let due = match stage {
        Stage::Accept => e.accept_due_ms,
        Stage::Handle => e.handle_due_ms,
        Stage::Feedback => e.feedback_due_ms,
    };
    if Status::parse(&e.status) != Some(stage.status()) || due != Some(p.due_ms) {
        return Ok(());
    }
    let mut u = Sql::new("UPDATE grid_events SET card = ");
    u.bind(card.as_str()).push_bind(" WHERE id = ", id);
    u.execute(tx).await?;
    let unit_id = e.unit_id.clone().unwrap_or_default();
    let depts = vec![unit_id.clone()];
    let mut targets = Vec::new();
    match e.unit_kind.as_deref().and_then(UnitKind::parse) {
        Some(UnitKind::Department) => targets.push(Target::Departments(&depts)),
        Some(UnitKind::Street) => targets.push(Target::Staff(&unit_id)),
        None => {}
    }
    if card.to_leaders() {
        targets.push(Target::Command(&e.district_code));
    }
    let audience = escalation::resolve(tx, &targets, true).await?;
    let unit = e.unit_name.clone().unwrap_or_default();
    let (title, body) = card_message(stage, card, &e.code, &e.title, &unit, p.due_ms);
    let message = Message {
        event: "grid.event_card".into(),
        title,
        body: body.clone(),
        link: link(id),
        subject_id: id.into(),
    };
    let reached = escalation::step(tx, now_ms, Escalation::to(message, &audience)).await?;
    step_in(tx, id, now_ms, card.label(), DUE_ACTOR, Some(&body), false).await?;
    let change = Change::of(
        "grid.event_card",
        "grid_event",
        id,
        format!("{body}（{}）", reached.tally()),
    );
    audit::append(tx, now_ms, &Actor::system(DUE_ACTOR), change).await?;
    if let Some(next) = next_card(card) {
        let config = crate::prevention::rules::current_tx(tx, &e.district_code)
            .await?
            .rules
            .grid_events;
        let start = e.dispatched_ms.unwrap_or(now_ms);
        let at = card_at(next, start, p.due_ms, &config).max(now_ms);
        schedule_card(tx, now_ms, id, stage, next, p.due_ms, at).await?;
    }
    Ok(())
}

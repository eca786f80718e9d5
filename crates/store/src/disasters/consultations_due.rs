//! A 会商研判 action's deadline runs out (in the scheduler's transaction): one escalation step
//! (ADR 0018) to the owner (the department's users, or the person) and the meeting's host, in
//! the app, by SMS and on their channels; the action is marked overdue and the audit log
//! records whom it reached.

use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::timers::ConsultationActionDue;
use crate::{Actor, Sql, StoreResult, Tx};
use sqlx::Row;
use yingji_core::disasters::consultations::{OPEN, overdue_message};
use yingji_core::kernel::notify::Message;

/// Who the deadline timer acts as.
pub const DEADLINE_ACTOR: &str = "会商任务期限定时器";

pub fn link(consultation_id: &str) -> String {
    format!("/disasters/consultations/{consultation_id}")
}

/// Nothing when the action is gone, done, already escalated, or its deadline has moved.
pub async fn fire_due(
    tx: &mut Tx,
    action_id: &str,
    p: &ConsultationActionDue,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "SELECT a.consultation_id, a.text, a.owner_department_id, a.owner_user_id, a.owner_name, a.due_ms, a.state, a.overdue, c.topic, c.host_user_id FROM disaster_consultation_actions a JOIN disaster_consultations c ON c.id = a.consultation_id WHERE a.id = ",
    );
    q.bind(action_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let state: String = r.try_get("state")?;
    let due: i64 = r.try_get("due_ms")?;
    if state != OPEN || due != p.due_ms || r.try_get::<i64, _>("overdue")? != 0 {
        return Ok(());
    }
    let meeting: String = r.try_get("consultation_id")?;
    let text: String = r.try_get("text")?;
    let topic: String = r.try_get("topic")?;
    let owner_name: String = r.try_get("owner_name")?;
    let dept: Option<String> = r.try_get("owner_department_id")?;
    let user: Option<String> = r.try_get("owner_user_id")?;
    let host: String = r.try_get("host_user_id")?;
    let mut u = Sql::new("UPDATE disaster_consultation_actions SET overdue = 1 WHERE id = ");
    u.bind(action_id);
    u.execute(tx).await?;
    let depts: Vec<String> = dept.into_iter().collect();
    let mut targets = Vec::new();
    if !depts.is_empty() {
        targets.push(Target::Departments(&depts));
    }
    if let Some(u) = user.as_deref() {
        targets.push(Target::User(u));
    }
    targets.push(Target::User(&host));
    let audience = escalation::resolve(tx, &targets, true).await?;
    let (title, body) = overdue_message(&topic, &text, &owner_name, p.due_ms);
    let message = Message {
        event: "disaster.consultation_action_overdue".into(),
        title,
        body: body.clone(),
        link: link(&meeting),
        subject_id: action_id.into(),
    };
    let reached = escalation::step(tx, now_ms, Escalation::to(message, &audience)).await?;
    let change = Change::of(
        "disaster.consultation_action_overdue",
        "disaster_consultation_action",
        action_id,
        format!("{body}（{}）", reached.tally()),
    );
    audit::append(tx, now_ms, &Actor::system(DEADLINE_ACTOR), change).await?;
    Ok(())
}

//! What happens around a report without a user's request: a missed deadline escalates on the
//! one escalation engine (ADR 0018) to the district's duty room and the bureau's leaders and the
//! affected townships' staff; 10 or more dead and missing reach the higher levels' channels at
//! once (R04); a response level a report makes reachable is proposed to the commanders.

use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::notifications;
use crate::kernel::outbox::{self, Destination};
use crate::kernel::timers::DisasterReportDue;
use crate::{Actor, Sql, StoreResult, Tx};
use sqlx::Row;
use yingji_core::disasters::reports::ReportKind;
use yingji_core::disasters::reports_rules::{Due, overdue_message};
use yingji_core::kernel::notify::Message;

/// Who the deadline timer acts as.
pub const DEADLINE_ACTOR: &str = "灾情报送期限定时器";

pub fn link(process_id: &str) -> String {
    format!("/disasters/processes/{process_id}")
}

/// A report's deadline ran out (in the scheduler's transaction): nothing when the process is
/// gone, the deadline has moved (the report came) or it was already escalated.
pub async fn fire_due(
    tx: &mut Tx,
    process_id: &str,
    p: &DisasterReportDue,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "SELECT name, district_code, next_kind, next_due_ms, overdue FROM disaster_processes WHERE id = ",
    );
    q.bind(process_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let next_kind: Option<String> = r.try_get("next_kind")?;
    let next_due: Option<i64> = r.try_get("next_due_ms")?;
    let current = next_kind.as_deref() == Some(p.report.as_str()) && next_due == Some(p.due_ms);
    if !current || r.try_get::<i64, _>("overdue")? != 0 {
        return Ok(());
    }
    let Some(kind) = ReportKind::parse(&p.report) else {
        return Ok(());
    };
    let name: String = r.try_get("name")?;
    let district: String = r.try_get("district_code")?;
    let mut u = Sql::new("UPDATE disaster_processes SET overdue = 1, updated_ms = ");
    u.bind(now_ms).push_bind(" WHERE id = ", process_id);
    u.execute(tx).await?;
    let due = Due {
        kind,
        due_ms: p.due_ms,
        due_day: (kind != ReportKind::Initial)
            .then(|| yingji_core::kernel::clock::today(p.due_ms - 1)),
    };
    let (title, body) = overdue_message(&name, &due);
    let mut t = Sql::new("SELECT region_code FROM disaster_process_townships WHERE process_id = ");
    t.bind(process_id);
    let townships: Vec<String> = t
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut targets = vec![Target::Command(&district)];
    targets.extend(townships.iter().map(|c| Target::Staff(c)));
    let audience = escalation::resolve(tx, &targets, true).await?;
    let message = Message {
        event: "disaster.report_overdue".into(),
        title,
        body: body.clone(),
        link: link(process_id),
        subject_id: process_id.into(),
    };
    let reached = escalation::step(tx, now_ms, Escalation::to(message, &audience)).await?;
    let summary = format!("{body}（{}）", reached.tally());
    let change = Change::of(
        "disaster.report_overdue",
        "disaster_process",
        process_id,
        summary,
    );
    audit::append(tx, now_ms, &Actor::system(DEADLINE_ACTOR), change).await?;
    Ok(())
}

/// R04: the message to the higher levels' channels (through the outbox) and to the district's
/// leaders and duty room in the app; answers the channels' names.
pub async fn tell_higher_levels_in(
    tx: &mut Tx,
    now_ms: i64,
    district: &str,
    channel_ids: &[String],
    message: &Message,
) -> StoreResult<Vec<String>> {
    let channels = super::reports_settings::channels_in(tx, channel_ids).await?;
    for (id, kind, name) in &channels {
        let to = Destination::Channel {
            id,
            kind: *kind,
            name,
        };
        outbox::enqueue(tx, now_ms, to, message).await?;
    }
    let command = escalation::resolve(tx, &[Target::Command(district)], false).await?;
    let users: Vec<String> = command.users.iter().map(|u| u.0.clone()).collect();
    notifications::send(
        tx,
        now_ms,
        &users,
        &message.title,
        &message.body,
        Some(&message.link),
    )
    .await?;
    let names: Vec<String> = channels.into_iter().map(|c| c.2).collect();
    let summary = format!(
        "{}：报告上级 {}",
        message.title,
        if names.is_empty() {
            "（未配置上级渠道）".to_string()
        } else {
            names.join("、")
        }
    );
    let change = Change::of(
        "disaster.report_higher",
        "disaster_process",
        &message.subject_id,
        summary,
    );
    audit::append(tx, now_ms, &Actor::system(DEADLINE_ACTOR), change).await?;
    Ok(names)
}

/// A response level a report makes reachable: the commanders are told in the app and the
/// process remembers the level proposed (so the same level is proposed once).
pub async fn propose_in(
    tx: &mut Tx,
    now_ms: i64,
    district: &str,
    process_id: &str,
    level: i64,
    message: &Message,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE disaster_processes SET suggested_level = ");
    u.bind(level).push_bind(" WHERE id = ", process_id);
    u.execute(tx).await?;
    let mut q =
        Sql::new("SELECT id FROM users WHERE active = 1 AND role = 'commander' AND region_code = ");
    q.bind(district);
    let users: Vec<String> = q
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    notifications::send(
        tx,
        now_ms,
        &users,
        &message.title,
        &message.body,
        Some(&message.link),
    )
    .await?;
    let change = Change::of(
        "disaster.response_proposed",
        "disaster_process",
        process_id,
        message.body.clone(),
    );
    audit::append(tx, now_ms, &Actor::system(DEADLINE_ACTOR), change).await?;
    Ok(())
}

//! 舆情 entries (issue 24 item 1): the alert to the bureau's leaders on a 重大 or 特别重大 舆情,
//! in the caller's transaction. The entry itself is a grid event (events_writes::create_in).

use super::events_due::link;
use super::events_writes::step_in;
use crate::kernel::escalation::{self, Escalation, Target};
use crate::{StoreResult, Tx};
use yingji_core::kernel::notify::Message;

/// Tells the district's commanders and duty officers (and its channels) at once; the timeline
/// says who was reached.
pub async fn alert_leaders_in(
    tx: &mut Tx,
    now_ms: i64,
    (event_id, district): (&str, &str),
    (title, body): (String, String),
) -> StoreResult<()> {
    let audience = escalation::resolve(tx, &[Target::Command(district)], true).await?;
    let message = Message {
        event: "grid.opinion_alert".into(),
        title,
        body: body.clone(),
        link: link(event_id),
        subject_id: event_id.into(),
    };
    let reached = escalation::step(tx, now_ms, Escalation::to(message, &audience)).await?;
    let note = format!("{body}（{}）", reached.tally());
    step_in(
        tx,
        event_id,
        now_ms,
        "舆情报告局领导",
        "系统",
        Some(&note),
        false,
    )
    .await
}

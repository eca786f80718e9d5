//! 网格事件 turned into a hazard or an incident (issue 24 item 4): the links and the codes, in the
//! caller's transaction. 转隐患 itself is a 处置 (`events_close::handle_in` with the hazard);
//! 转接报 closes the event, the incident goes on in the duty room.

use super::events::GridEvent;
use super::events_close::{Advance, advance_in};
use crate::{Actor, Sql, StoreResult, Tx, Val};
use sqlx::Row;
use yingji_core::grid::events::Status;

/// The code of a record written in this transaction (`hazards` or `incidents`).
pub async fn code_in(tx: &mut Tx, table: Table, id: &str) -> StoreResult<String> {
    let mut q = Sql::new(&format!("SELECT code FROM {} WHERE id = ", table.name()));
    q.bind(id);
    Ok(q.fetch_one(tx).await?.try_get("code")?)
}

/// The tables a grid event may turn into.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Hazards,
    Incidents,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Self::Hazards => "hazards",
            Self::Incidents => "incidents",
        }
    }
}

/// 转接报: the event is closed with the incident linked; its 督办 and its joint parts' timers stop.
pub async fn to_incident_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    (incident_id, result, summary): (&str, &str, String),
) -> StoreResult<()> {
    let a = Advance {
        from: &[
            Status::PendingDispatch,
            Status::Dispatched,
            Status::Accepted,
            Status::Handled,
            Status::Answered,
        ],
        to: Status::Closed,
        set: vec![
            ("incident_id", Val::from(incident_id.to_string())),
            ("closed_ms", Val::I64(now_ms)),
            ("result", Val::from(result.to_string())),
        ],
        step: ("转突发事件接报", Some(result), true),
        audit: ("grid.event_to_incident", summary),
    };
    advance_in(tx, actor, now_ms, &e.id, a).await?;
    super::joint::cancel_timers_in(tx, &e.id).await
}

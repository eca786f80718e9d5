//! The 督办 board of grid events (issue 24 item 3): the open events the caller may read, counted
//! per unit by state and by card, and the carded ones (红牌 first) to act on.

use super::events::{COLUMNS, FROM, GridEvent, from_row, push_visible};
use crate::kernel::Ctx;
use crate::{Sql, Store, StoreResult};
use sqlx::Row;

/// One unit's line on the board.
#[derive(Debug, Clone, serde::Serialize, Default)]
pub struct UnitLine {
    /// department / street; empty for the duty room (待分拨).
    pub unit_kind: String,
    pub unit_id: String,
    pub unit_name: String,
    pub waiting_accept: i64,
    pub in_hand: i64,
    pub waiting_answer: i64,
    pub waiting_visit: i64,
    pub pending_dispatch: i64,
    pub reminded: i64,
    pub yellow: i64,
    pub red: i64,
    pub open: i64,
}

#[derive(Debug, Clone, serde::Serialize, Default)]
pub struct Board {
    pub units: Vec<UnitLine>,
    /// The open events with a card, 红牌 then 黄牌 then 提醒, the oldest deadline first.
    pub carded: Vec<GridEvent>,
    pub open: i64,
}

const OPEN: &str = " AND e.status NOT IN ('closed', 'merged')";

fn add(line: &mut UnitLine, status: &str, card: &str, n: i64) {
    match status {
        "dispatched" => line.waiting_accept += n,
        "accepted" => line.in_hand += n,
        "handled" => line.waiting_answer += n,
        "answered" => line.waiting_visit += n,
        "pending_dispatch" => line.pending_dispatch += n,
        _ => {}
    }
    match card {
        "remind" => line.reminded += n,
        "yellow" => line.yellow += n,
        "red" => line.red += n,
        _ => {}
    }
    line.open += n;
}

/// The board: one grouped count over the open events in scope, and at most `limit` carded ones.
pub async fn board(store: &Store, ctx: &Ctx, limit: i64) -> StoreResult<Board> {
    let mut q = Sql::new(
        "SELECT COALESCE(e.unit_kind, '') AS unit_kind, COALESCE(e.unit_id, '') AS unit_id, COALESCE(MAX(e.unit_name), '') AS unit_name, e.status, e.card, COUNT(*) AS n FROM grid_events e WHERE 1 = 1",
    );
    push_visible(&mut q, ctx)?;
    q.push(OPEN)
        .push(" GROUP BY COALESCE(e.unit_kind, ''), COALESCE(e.unit_id, ''), e.status, e.card");
    let mut units: Vec<UnitLine> = Vec::new();
    let mut open = 0;
    for r in store.fetch_all(q).await? {
        let (kind, id): (String, String) = (r.try_get("unit_kind")?, r.try_get("unit_id")?);
        let n: i64 = r.try_get("n")?;
        open += n;
        let at = match units
            .iter()
            .position(|u| u.unit_kind == kind && u.unit_id == id)
        {
            Some(i) => i,
            None => {
                let name: String = r.try_get("unit_name")?;
                units.push(UnitLine {
                    unit_name: if kind.is_empty() {
                        "值班室（待分拨）".into()
                    } else {
                        name
                    },
                    unit_kind: kind,
                    unit_id: id,
                    ..UnitLine::default()
                });
                units.len() - 1
            }
        };
        add(
            &mut units[at],
            &r.try_get::<String, _>("status")?,
            &r.try_get::<String, _>("card")?,
            n,
        );
    }
    units.sort_by(|a, b| {
        (b.red, b.yellow, b.open)
            .cmp(&(a.red, a.yellow, a.open))
            .then(a.unit_name.cmp(&b.unit_name))
    });
    let mut c = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.card <> ''"));
    push_visible(&mut c, ctx)?;
    c.push(OPEN)
        .push(
            " ORDER BY CASE e.card WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, e.updated_ms",
        )
        .push_bind(" LIMIT ", limit.clamp(1, 500));
    let carded = store
        .fetch_all(c)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<_>>()?;
    Ok(Board {
        units,
        carded,
        open,
    })
}

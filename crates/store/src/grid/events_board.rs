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

/// Word for word the predicate of the partial indexes of migration 0051 (both backends use a
/// partial index only when the query repeats it).
const OPEN: &str = " AND e.status NOT IN ('closed', 'merged')";
const CARDS: [&str; 3] = ["red", "yellow", "remind"];

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

/// The board: one grouped count over the open events in scope (the covering index of migration
/// 0051, walked in its order), the units' names, and at most `limit` carded events.
pub async fn board(store: &Store, ctx: &Ctx, limit: i64) -> StoreResult<Board> {
    let mut q = Sql::new(
        "SELECT e.unit_kind, e.unit_id, e.status, e.card, COUNT(*) AS n FROM grid_events e WHERE 1 = 1",
    );
    push_visible(&mut q, ctx)?;
    q.push(OPEN)
        .push(" GROUP BY e.unit_kind, e.unit_id, e.status, e.card");
    let mut units: Vec<UnitLine> = Vec::new();
    let mut open = 0;
    for r in store.fetch_all(q).await? {
        let kind: Option<String> = r.try_get("unit_kind")?;
        let id: Option<String> = r.try_get("unit_id")?;
        let (kind, id) = (kind.unwrap_or_default(), id.unwrap_or_default());
        let n: i64 = r.try_get("n")?;
        open += n;
        let at = match units
            .iter()
            .position(|u| u.unit_kind == kind && u.unit_id == id)
        {
            Some(i) => i,
            None => {
                units.push(UnitLine {
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
    name_units(store, &mut units).await?;
    units.sort_by(|a, b| {
        (b.red, b.yellow, b.open)
            .cmp(&(a.red, a.yellow, a.open))
            .then(a.unit_name.cmp(&b.unit_name))
    });
    let carded = carded(store, ctx, limit.clamp(1, 500)).await?;
    Ok(Board {
        units,
        carded,
        open,
    })
}

/// The units' names from the directory (departments, streets); the duty room for 待分拨.
async fn name_units(store: &Store, units: &mut [UnitLine]) -> StoreResult<()> {
    for (kind, table) in [("department", "departments d"), ("street", "regions d")] {
        let ids: Vec<String> = units
            .iter()
            .filter(|u| u.unit_kind == kind)
            .map(|u| u.unit_id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let key = if kind == "street" { "code" } else { "id" };
        let mut q = Sql::new(&format!(
            "SELECT d.{key} AS id, d.name FROM {table} WHERE d.{key} IN "
        ));
        q.bind_list(ids);
        for r in store.fetch_all(q).await? {
            let (id, name): (String, String) = (r.try_get("id")?, r.try_get("name")?);
            for u in units
                .iter_mut()
                .filter(|u| u.unit_kind == kind && u.unit_id == id)
            {
                u.unit_name = name.clone();
            }
        }
    }
    for u in units.iter_mut() {
        if u.unit_kind.is_empty() {
            u.unit_name = "值班室（待分拨）".into();
        } else if u.unit_name.is_empty() {
            u.unit_name = u.unit_id.clone();
        }
    }
    Ok(())
}

/// 红牌 then 黄牌 then 提醒, each the oldest first: one query per card on its index, until
/// `limit` events are found.
async fn carded(store: &Store, ctx: &Ctx, limit: i64) -> StoreResult<Vec<GridEvent>> {
    let mut out = Vec::new();
    for card in CARDS {
        let left = limit - out.len() as i64;
        if left <= 0 {
            break;
        }
        let mut c = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE 1 = 1"));
        c.push_bind(" AND e.card = ", card);
        push_visible(&mut c, ctx)?;
        c.push(OPEN)
            .push(" ORDER BY e.updated_ms")
            .push_bind(" LIMIT ", left);
        for r in store.fetch_all(c).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}

//! 网格事件统计: the aggregate queries behind the statistics page and its export, over the events
//! filed in a span within the reader's reach (the district; the street's area and the events
//! sent to it; the department's own). Counts and on-time tallies are grouped in SQL at the finest
//! grain the page needs (district × source × category × unit × street); the app rolls them up.
//! Merged duplicates are counted apart and left out of every other figure. No query here reads
//! the reporter's name, phone or tracking code.

use crate::kernel::Ctx;
use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::grid::events_due::Card;
use yingji_core::grid::stats::{CELL_PER_DEGREE, MIN_REPEATS, Rate, Reach, TOP_SPOTS};
use yingji_core::kernel::role::Scope;

/// What to add up.
#[derive(Debug, Clone)]
pub struct StatsQuery<'a> {
    pub reach: Reach,
    /// Filed in `[from, to)` (ms).
    pub from_ms: i64,
    pub to_ms: i64,
    /// Open events past a deadline at this instant count as late.
    pub now_ms: i64,
    /// Only the events lying in this street.
    pub street: Option<&'a str>,
}

/// Limits a query on `grid_events e` to the reader's reach.
fn push_reach(q: &mut Sql, ctx: &Ctx, reach: Reach) {
    match (reach, &ctx.scope) {
        (Reach::District, Scope::All) => {}
        (Reach::District, Scope::Region { prefix, .. } | Scope::Department { prefix, .. }) => {
            q.push_bind(" AND (e.district_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(" LIKE e.district_code || '%')");
        }
        (Reach::Street, Scope::Region { prefix, .. }) => {
            q.push_bind(" AND (e.region_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR (e.unit_kind = 'street' AND ", prefix.as_str())
                .push(" LIKE e.unit_id || '%'))");
        }
        (Reach::Unit, Scope::Department { department_id, .. }) => {
            q.push_bind(
                " AND e.unit_kind = 'department' AND e.unit_id = ",
                department_id.as_str(),
            );
        }
        _ => {
            q.push(" AND 1 = 0");
        }
    }
}

/// `WHERE` of every query: filed in the span, within reach, the street asked for, not merged.
fn push_where(q: &mut Sql, ctx: &Ctx, s: &StatsQuery<'_>, merged: bool) {
    q.push_bind(" WHERE e.created_ms >= ", s.from_ms)
        .push_bind(" AND e.created_ms < ", s.to_ms);
    q.push(if merged {
        " AND e.status = 'merged'"
    } else {
        " AND e.status <> 'merged'"
    });
    push_reach(q, ctx, s.reach);
    if let Some(street) = s.street {
        q.push_bind(" AND e.street_code = ", street);
    }
}

/// The stage's done instant, as the statistics read it: 处置 and 反馈 only while the event is
/// past that step (a reopened event's earlier 处置 does not count until it is handled again).
const ACCEPT_DONE: &str = "e.accepted_ms";
const HANDLE_DONE: &str =
    "CASE WHEN e.status IN ('handled', 'answered', 'closed') THEN e.handled_ms END";
const FEEDBACK_DONE: &str = "CASE WHEN e.status IN ('answered', 'closed') THEN e.answered_ms END";

/// `SUM(on time), SUM(judged)` of a stage (core::grid::stats::on_time in SQL): judged when done,
/// or open past the deadline at `now`; on time when done by the deadline.
fn push_stage(q: &mut Sql, done: &str, due: &str, now_ms: i64, name: &str) {
    q.push(&format!(
        ", CAST(SUM(CASE WHEN {due} IS NOT NULL AND ({done}) IS NOT NULL AND ({done}) <= {due} THEN 1 ELSE 0 END) AS BIGINT) AS {name}_part"
    ));
    q.push(&format!(
        ", CAST(SUM(CASE WHEN {due} IS NULL THEN 0 WHEN ({done}) IS NOT NULL THEN 1 WHEN {due} < "
    ))
    .bind(now_ms)
    .push(&format!(" THEN 1 ELSE 0 END) AS BIGINT) AS {name}_whole"));
}

/// One group of events.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub district_code: String,
    pub source: String,
    pub category: String,
    /// department / street; empty: not dispatched (the duty room).
    pub unit_kind: String,
    pub unit_id: String,
    pub unit_name: String,
    pub street_code: String,
    pub street_name: String,
    pub events: i64,
    pub closed: i64,
    pub accept: Rate,
    pub handle: Rate,
    pub feedback: Rate,
    /// 满意 of those 回访ed with a verdict (the latest 回访).
    pub satisfaction: Rate,
}

fn rate(r: &AnyRow, name: &str) -> StoreResult<Rate> {
    Ok(Rate {
        part: r
            .try_get::<Option<i64>, _>(format!("{name}_part").as_str())?
            .unwrap_or(0),
        whole: r
            .try_get::<Option<i64>, _>(format!("{name}_whole").as_str())?
            .unwrap_or(0),
    })
}

/// The events of the span by district, source, category, unit and street, with their on-time
/// and satisfaction tallies.
pub async fn groups(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<Vec<Group>> {
    let mut q = Sql::new(
        "SELECT e.district_code, e.source, e.category, COALESCE(e.unit_kind, '') AS uk, COALESCE(e.unit_id, '') AS uid, COALESCE(MAX(e.unit_name), '') AS uname, e.street_code, COALESCE(MAX(r.name), '') AS sname, COUNT(*) AS n, CAST(SUM(CASE WHEN e.status = 'closed' THEN 1 ELSE 0 END) AS BIGINT) AS closed",
    );
    push_stage(&mut q, ACCEPT_DONE, "e.accept_due_ms", s.now_ms, "accept");
    push_stage(&mut q, HANDLE_DONE, "e.handle_due_ms", s.now_ms, "handle");
    push_stage(
        &mut q,
        FEEDBACK_DONE,
        "e.feedback_due_ms",
        s.now_ms,
        "feedback",
    );
    q.push(", CAST(SUM(CASE WHEN e.satisfied = 1 THEN 1 ELSE 0 END) AS BIGINT) AS sat_part, CAST(SUM(CASE WHEN e.satisfied IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS sat_whole");
    q.push(" FROM grid_events e LEFT JOIN regions r ON r.code = e.street_code");
    push_where(&mut q, ctx, s, false);
    q.push(" GROUP BY e.district_code, e.source, e.category, COALESCE(e.unit_kind, ''), COALESCE(e.unit_id, ''), e.street_code");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(Group {
            district_code: r.try_get("district_code")?,
            source: r.try_get("source")?,
            category: r.try_get("category")?,
            unit_kind: r.try_get("uk")?,
            unit_id: r.try_get("uid")?,
            unit_name: r.try_get("uname")?,
            street_code: r.try_get("street_code")?,
            street_name: r.try_get("sname")?,
            events: r.try_get("n")?,
            closed: r.try_get::<Option<i64>, _>("closed")?.unwrap_or(0),
            accept: rate(&r, "accept")?,
            handle: rate(&r, "handle")?,
            feedback: rate(&r, "feedback")?,
            satisfaction: rate(&r, "sat")?,
        });
    }
    Ok(out)
}

/// Merged duplicates filed in the span.
pub async fn merged(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM grid_events e");
    push_where(&mut q, ctx, s, true);
    store.fetch_i64(q).await
}

/// 黄牌 and 红牌督办 issued in the span on the events within reach (every card counts, an event
/// may earn several).
pub async fn cards(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<(i64, i64)> {
    let mut q = Sql::new(
        "SELECT c.action, COUNT(*) AS n FROM grid_event_steps c JOIN grid_events e ON e.id = c.event_id WHERE ",
    );
    q.push_bind("c.at_ms >= ", s.from_ms)
        .push_bind(" AND c.at_ms < ", s.to_ms)
        .push(" AND c.action IN ")
        .bind_list([Card::Yellow.label(), Card::Red.label()]);
    push_reach(&mut q, ctx, s.reach);
    if let Some(street) = s.street {
        q.push_bind(" AND e.street_code = ", street);
    }
    q.push(" GROUP BY c.action");
    let (mut yellow, mut red) = (0, 0);
    for r in store.fetch_all(q).await? {
        let action: String = r.try_get("action")?;
        let n: i64 = r.try_get("n")?;
        if action == Card::Red.label() {
            red += n;
        } else {
            yellow += n;
        }
    }
    Ok((yellow, red))
}

/// A place with repeat events: a cell of [`CELL_PER_DEGREE`], its events' mean point and their
/// categories.
#[derive(Debug, Clone, Default)]
pub struct Spot {
    pub cell_x: i64,
    pub cell_y: i64,
    pub lon: f64,
    pub lat: f64,
    pub events: i64,
    /// (category, events), the most first.
    pub categories: Vec<(String, i64)>,
}

/// The cells of the events within reach, as a subquery `c (cx, cy, lon, lat, category)`.
fn cells(ctx: &Ctx, s: &StatsQuery<'_>) -> Sql {
    let mut q = Sql::new(&format!(
        "SELECT CAST(ROUND(e.lon * {CELL_PER_DEGREE}) AS BIGINT) AS cx, CAST(ROUND(e.lat * {CELL_PER_DEGREE}) AS BIGINT) AS cy, e.lon, e.lat, e.category FROM grid_events e"
    ));
    push_where(&mut q, ctx, s, false);
    q
}

fn wrap(inner: Sql, head: &str) -> Sql {
    let mut q = Sql::new(head);
    q.push("(").push(&inner.text).push(") c");
    q.args = inner.args;
    q
}

/// The [`TOP_SPOTS`] cells with at least [`MIN_REPEATS`] events, the most first.
pub async fn hot_spots(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<Vec<Spot>> {
    let mut q = wrap(
        cells(ctx, s),
        "SELECT c.cx, c.cy, COUNT(*) AS n, AVG(c.lon) AS lon, AVG(c.lat) AS lat FROM ",
    );
    q.push_bind(" GROUP BY c.cx, c.cy HAVING COUNT(*) >= ", MIN_REPEATS)
        .push_bind(" ORDER BY n DESC, c.cx, c.cy LIMIT ", TOP_SPOTS);
    let mut spots = Vec::new();
    for r in store.fetch_all(q).await? {
        spots.push(Spot {
            cell_x: r.try_get("cx")?,
            cell_y: r.try_get("cy")?,
            events: r.try_get("n")?,
            lon: r.try_get("lon")?,
            lat: r.try_get("lat")?,
            categories: Vec::new(),
        });
    }
    if spots.is_empty() {
        return Ok(spots);
    }
    let mut q = wrap(
        cells(ctx, s),
        "SELECT c.cx, c.cy, c.category, COUNT(*) AS n FROM ",
    );
    q.push(" WHERE 1 = 0");
    for spot in &spots {
        q.push_bind(" OR (c.cx = ", spot.cell_x)
            .push_bind(" AND c.cy = ", spot.cell_y)
            .push(")");
    }
    q.push(" GROUP BY c.cx, c.cy, c.category ORDER BY n DESC, c.category");
    for r in store.fetch_all(q).await? {
        let (x, y): (i64, i64) = (r.try_get("cx")?, r.try_get("cy")?);
        if let Some(spot) = spots.iter_mut().find(|p| p.cell_x == x && p.cell_y == y) {
            spot.categories
                .push((r.try_get("category")?, r.try_get("n")?));
        }
    }
    Ok(spots)
}

/// One event as the export's events sheet shows it: no reporter, no tracking code.
#[derive(Debug, Clone, Default)]
pub struct EventLine {
    pub code: String,
    pub district_code: String,
    pub source: String,
    pub category: String,
    pub street_code: String,
    pub street_name: String,
    pub unit_name: String,
    pub status: String,
    pub created_ms: i64,
    pub dispatched_ms: Option<i64>,
    pub accept_due_ms: Option<i64>,
    pub accepted_ms: Option<i64>,
    pub handle_due_ms: Option<i64>,
    /// Only while the event is past 处置 (see the module's `HANDLE_DONE`).
    pub handled_ms: Option<i64>,
    pub feedback_due_ms: Option<i64>,
    pub answered_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub satisfied: Option<bool>,
    pub reopened: bool,
}

/// The events of the span within reach, the earliest first, at most `limit` (the export asks for
/// one more than it may hold, to refuse a larger selection).
pub async fn events(
    store: &Store,
    ctx: &Ctx,
    s: &StatsQuery<'_>,
    limit: i64,
) -> StoreResult<Vec<EventLine>> {
    let mut q = Sql::new(&format!(
        "SELECT e.code, e.district_code, e.source, e.category, e.street_code, r.name AS sname, e.unit_name, e.status, e.created_ms, e.dispatched_ms, e.accept_due_ms, e.accepted_ms, e.handle_due_ms, {HANDLE_DONE} AS handled, e.feedback_due_ms, {FEEDBACK_DONE} AS answered, e.closed_ms, e.satisfied, e.reopened FROM grid_events e LEFT JOIN regions r ON r.code = e.street_code"
    ));
    push_where(&mut q, ctx, s, false);
    q.push_bind(" ORDER BY e.created_ms, e.code LIMIT ", limit);
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(EventLine {
            code: r.try_get("code")?,
            district_code: r.try_get("district_code")?,
            source: r.try_get("source")?,
            category: r.try_get("category")?,
            street_code: r.try_get("street_code")?,
            street_name: r.try_get::<Option<String>, _>("sname")?.unwrap_or_default(),
            unit_name: r
                .try_get::<Option<String>, _>("unit_name")?
                .unwrap_or_default(),
            status: r.try_get("status")?,
            created_ms: r.try_get("created_ms")?,
            dispatched_ms: r.try_get("dispatched_ms")?,
            accept_due_ms: r.try_get("accept_due_ms")?,
            accepted_ms: r.try_get("accepted_ms")?,
            handle_due_ms: r.try_get("handle_due_ms")?,
            handled_ms: r.try_get("handled")?,
            feedback_due_ms: r.try_get("feedback_due_ms")?,
            answered_ms: r.try_get("answered")?,
            closed_ms: r.try_get("closed_ms")?,
            satisfied: r.try_get::<Option<i64>, _>("satisfied")?.map(|v| v != 0),
            reopened: r.try_get::<i64, _>("reopened")? != 0,
        });
    }
    Ok(out)
}

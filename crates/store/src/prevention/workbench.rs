//! The hazards on a 工作台: the caller's 待办 of the closed loop (to grade, rectify, evaluate,
//! accept, overdue, reported by the caller) and the figures of its cards, all in its scope.

use crate::kernel::Ctx;
use crate::kernel::todo::{TodoItem, TodoList};
use crate::prevention::hazards::push_scope;
use crate::{Page, Sql, Store, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::Status;
use yingji_core::workbench::Todo;

const OPEN: &str = " AND h.status IN ('registered', 'rectifying', 'pending_acceptance')";

/// Adds the condition of a hazard 待办 to `w`; false for a kind that is not the hazards'.
fn push_condition(w: &mut Sql, todo: Todo, ctx: &Ctx) -> bool {
    match todo {
        Todo::GradeHazards => w.push(" AND h.status = 'registered'"),
        Todo::RectifyHazards => w.push(" AND h.status = 'rectifying'"),
        Todo::EvaluateHazards => w.push(
            " AND h.status = 'rectifying' AND h.level = 'major' AND h.plan IS NOT NULL AND h.evaluation IS NULL",
        ),
        Todo::AcceptHazards => w.push(" AND h.status = 'pending_acceptance'"),
        Todo::OverdueHazards => w.push(" AND h.overdue = 1 AND h.status IN ('registered', 'rectifying')"),
        Todo::ReportedHazards => w
            .push(OPEN)
            .push_bind(" AND h.reporter_id = ", ctx.user_id.as_str()),
        _ => return false,
    };
    true
}

fn item(r: &AnyRow) -> StoreResult<TodoItem> {
    let id: String = r.try_get("id")?;
    let status: String = r.try_get("status")?;
    let enterprise: Option<String> = r.try_get("enterprise_name")?;
    Ok(TodoItem {
        link: format!("/hazards/{id}"),
        id,
        code: Some(r.try_get("code")?),
        title: r.try_get("description")?,
        place: enterprise.or(Some(r.try_get("location")?)),
        status_label: Status::parse(&status)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        at_ms: Some(r.try_get("reported_ms")?),
        due_ms: None,
        due_date: r.try_get("deadline")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
    })
}

/// The first `limit` hazards of a 待办 kind (earliest deadline, then oldest report first) and
/// how many there are; None when the kind is not a hazard one.
pub async fn todo(
    store: &Store,
    ctx: &Ctx,
    todo: Todo,
    limit: i64,
) -> StoreResult<Option<TodoList>> {
    let mut w = Sql::new("");
    push_scope(&mut w, &ctx.scope);
    if !push_condition(&mut w, todo, ctx) {
        return Ok(None);
    }
    let (items, total) = store
        .page_of(
            "SELECT COUNT(*) FROM hazards h WHERE 1 = 1",
            "SELECT h.id, h.code, h.description, h.location, h.status, h.reported_ms, h.deadline, h.overdue, en.name AS enterprise_name FROM hazards h LEFT JOIN enterprises en ON en.id = h.enterprise_id WHERE 1 = 1",
            w,
            "h.overdue DESC, h.deadline, h.reported_ms, h.id",
            Page::new(Some(1), Some(limit)),
            item,
        )
        .await?;
    Ok(Some(TodoList { items, total }))
}

/// The figures of the hazards' cards in the scope.
#[derive(Debug, Clone, Default)]
pub struct HazardFigures {
    pub open: i64,
    pub open_major: i64,
    pub overdue: i64,
    pub this_month: i64,
}

async fn count(store: &Store, scope: &Scope, extra: &str, month: Option<&str>) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM hazards h WHERE 1 = 1");
    push_scope(&mut q, scope);
    q.push(extra);
    if let Some(m) = month {
        q.push_bind(" AND h.reported_month = ", m);
    }
    store.fetch_i64(q).await
}

/// Open, open 重大, overdue and reported this month (`month` YYYY-MM).
pub async fn figures(store: &Store, scope: &Scope, month: &str) -> StoreResult<HazardFigures> {
    Ok(HazardFigures {
        open: count(store, scope, OPEN, None).await?,
        open_major: count(store, scope, &format!("{OPEN} AND h.level = 'major'"), None).await?,
        overdue: count(
            store,
            scope,
            " AND h.overdue = 1 AND h.status IN ('registered', 'rectifying')",
            None,
        )
        .await?,
        this_month: count(store, scope, "", Some(month)).await?,
    })
}

/// How many hazards of each status the scope holds (大屏), in the loop's order.
pub async fn by_status(store: &Store, scope: &Scope) -> StoreResult<Vec<(String, String, i64)>> {
    let mut q = Sql::new("SELECT h.status, COUNT(*) AS n FROM hazards h WHERE 1 = 1");
    push_scope(&mut q, scope);
    q.push(" GROUP BY h.status");
    let mut counts = Vec::new();
    for r in store.fetch_all(q).await? {
        counts.push((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?));
    }
    Ok(Status::ALL
        .into_iter()
        .map(|s| {
            let n = counts
                .iter()
                .find(|(c, _)| c == s.as_str())
                .map_or(0, |(_, n)| *n);
            (s.as_str().to_string(), s.label().to_string(), n)
        })
        .collect())
}

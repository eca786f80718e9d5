//! Cases on a 工作台: a 法制审核员's cases awaiting 法制审核 in their department that they did not
//! investigate, and a 承办人's open cases whose decision is due soon; soonest deadline first.

use crate::kernel::Ctx;
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Page, Sql, Store, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::enforcement::case::CaseState;
use yingji_core::kernel::role::Scope;

const FROM: &str = " FROM enforcement_cases c WHERE 1 = 1";
const DUE: &str = "COALESCE(c.extended_until, c.decision_due)";

fn item(r: &AnyRow) -> StoreResult<TodoItem> {
    let id: String = r.try_get("id")?;
    let state: String = r.try_get("state")?;
    Ok(TodoItem {
        link: format!("/enforcement/cases?case={id}"),
        id,
        code: None,
        title: r.try_get("title")?,
        place: Some(r.try_get("enterprise_name")?),
        status_label: CaseState::parse(&state)
            .map(CaseState::label)
            .unwrap_or("")
            .into(),
        at_ms: Some(r.try_get("updated_ms")?),
        due_ms: None,
        due_date: Some(r.try_get("due")?),
        overdue: r.try_get::<i64, _>("overdue")? != 0,
    })
}

async fn page(store: &Store, w: Sql, limit: i64) -> StoreResult<TodoList> {
    let (items, total) = store
        .page_of(
            &format!("SELECT COUNT(*){FROM}"),
            &format!(
                "SELECT c.id, c.title, c.enterprise_name, c.state, c.updated_ms, c.overdue, {DUE} AS due{FROM}"
            ),
            w,
            &format!("{DUE}, c.id"),
            Page::new(Some(1), Some(limit)),
            item,
        )
        .await?;
    Ok(TodoList { items, total })
}

/// 案件待法制审核: the caller's department's cases in 案件审理 that the caller did not
/// investigate (审查与调查分离). Nothing outside a department.
pub async fn to_review(store: &Store, ctx: &Ctx, limit: i64) -> StoreResult<TodoList> {
    let Scope::Department { department_id, .. } = &ctx.scope else {
        return Ok(TodoList::default());
    };
    let mut w = Sql::new(" AND c.state = 'reviewing'");
    w.push_bind(" AND c.department_id = ", department_id.as_str());
    w.push_bind(
        " AND c.id NOT IN (SELECT ci.case_id FROM enforcement_case_investigators ci WHERE ci.user_id = ",
        ctx.user_id.as_str(),
    )
    .push(")");
    page(store, w, limit).await
}

/// 承办案件临近期限: the caller's open cases (before the decision) whose decision is due on or
/// before `until` (YYYY-MM-DD), overdue ones included.
pub async fn due_soon(store: &Store, ctx: &Ctx, until: &str, limit: i64) -> StoreResult<TodoList> {
    let mut w = Sql::new(" AND c.state IN ('filed', 'investigating', 'reviewing', 'notified')");
    w.push_bind(&format!(" AND {DUE} <= "), until);
    w.push_bind(
        " AND c.id IN (SELECT ci.case_id FROM enforcement_case_investigators ci WHERE ci.user_id = ",
        ctx.user_id.as_str(),
    )
    .push(")");
    page(store, w, limit).await
}

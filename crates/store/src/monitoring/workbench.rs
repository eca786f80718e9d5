//! Alarms on a 工作台: those waiting for 确认 (叫应) in the caller's scope, and the count of open ones.

use super::alarms::{ALARM_SELECT, alarm_from_row};
use crate::kernel::todo::{TodoItem, TodoList};
use crate::prevention::risk_points::push_scope_on;
use crate::{Page, Sql, Store, StoreResult};
use yingji_core::kernel::role::Scope;

/// The oldest unacknowledged alarms first (the longest unanswered), and how many there are.
pub async fn unacked(store: &Store, scope: &Scope, limit: i64) -> StoreResult<TodoList> {
    let mut w = Sql::new(" AND a.response = 'unacked'");
    push_scope_on(&mut w, "a", scope, None);
    let page = store
        .page_of(
            "SELECT COUNT(*) FROM alarms a WHERE 1 = 1",
            ALARM_SELECT,
            w,
            "a.opened_ms, a.id",
            Page::new(Some(1), Some(limit)),
            alarm_from_row,
        )
        .await?;
    Ok(TodoList::from_page(page, |a| TodoItem {
        link: format!("/alarms?id={}", a.id),
        code: a.sensor_code.clone(),
        title: format!(
            "{} {}",
            a.sensor_name.clone().unwrap_or_default(),
            a.level_label
        )
        .trim()
        .to_string(),
        place: a.enterprise_name.clone().or(a.object_name.clone()),
        status_label: a.response_label.clone(),
        at_ms: Some(a.opened_ms),
        due_ms: None,
        due_date: None,
        overdue: false,
        id: a.id,
    }))
}

/// Alarms not yet closed in the scope.
pub async fn open_count(store: &Store, scope: &Scope) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM alarms a WHERE a.response <> 'closed'");
    push_scope_on(&mut q, "a", scope, None);
    store.fetch_i64(q).await
}

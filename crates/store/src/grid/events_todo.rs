//! 网格事件 on the 工作台 (workbench): the caller's 待办 of a few states — 待分拨 and 待回访 for the
//! duty room, 待签收/处置中/待反馈 for the unit — the earliest deadline first, in the caller's scope.

use super::events::{COLUMNS, FROM, from_row};
use super::events::{Filter, GridEvent, push_filter, push_visible};
use crate::kernel::Ctx;
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Sql, Store, StoreResult};
use yingji_core::grid::events::Status;

/// The deadline that runs in the event's state, if any.
fn running_due(e: &GridEvent) -> Option<i64> {
    match Status::parse(&e.status) {
        Some(Status::Dispatched) => e.accept_due_ms,
        Some(Status::Accepted) => e.handle_due_ms,
        Some(Status::Handled) => e.feedback_due_ms,
        _ => None,
    }
}

fn item(e: GridEvent, now_ms: i64) -> TodoItem {
    let due = running_due(&e);
    TodoItem {
        link: format!("/grid/events/{}", e.id),
        id: e.id,
        code: Some(e.code),
        title: e.title,
        place: e.unit_name.or(e.region_name),
        status_label: e.status_label,
        at_ms: Some(e.created_ms),
        due_ms: due,
        due_date: None,
        overdue: due.is_some_and(|d| d <= now_ms),
    }
}

/// The events in `statuses` the caller may read (`mine`: only those sent to the caller's unit),
/// the earliest running deadline first; at most `limit`, with the total.
pub async fn todo(
    store: &Store,
    ctx: &Ctx,
    (statuses, mine): (&[Status], bool),
    limit: i64,
    now_ms: i64,
) -> StoreResult<TodoList> {
    let mut w = Sql::new(" AND e.status IN ");
    w.bind_list(statuses.iter().map(|s| s.as_str()));
    push_visible(&mut w, ctx)?;
    let f = Filter {
        mine,
        ..Filter::default()
    };
    push_filter(&mut w, ctx, &f);
    let mut count = Sql::new(&format!("SELECT COUNT(*){FROM} WHERE 1 = 1"));
    count.push(&w.text).args.extend(w.args.iter().cloned());
    let total = store.fetch_i64(count).await?;
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE 1 = 1"));
    q.push(&w.text).args.extend(w.args.iter().cloned());
    q.push(" ORDER BY COALESCE(CASE e.status WHEN 'dispatched' THEN e.accept_due_ms WHEN 'accepted' THEN e.handle_due_ms WHEN 'handled' THEN e.feedback_due_ms END, e.created_ms), e.id")
        .push_bind(" LIMIT ", limit);
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| from_row(r).map(|e| item(e, now_ms)))
        .collect::<StoreResult<_>>()?;
    Ok(TodoList { items, total })
}

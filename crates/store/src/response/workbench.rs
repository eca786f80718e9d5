//! Incidents on a 工作台: the open ones with a 快报/上报 or 续报 deadline still to meet, earliest
//! first, and the count of open incidents, in the caller's scope.

use crate::kernel::todo::{TodoItem, TodoList};
use crate::response::incidents::{Incident, IncidentFilter, list};
use crate::{Page, Store, StoreResult};
use yingji_core::kernel::role::Scope;

/// How many open incidents are read to find those with a deadline (a district has a handful).
const OPEN_READ: i64 = 200;

fn open() -> IncidentFilter {
    IncidentFilter {
        status: Some("open".into()),
        ..IncidentFilter::default()
    }
}

/// Open incidents whose next report is due, earliest deadline first.
pub async fn reports_due(
    store: &Store,
    scope: &Scope,
    limit: i64,
    now_ms: i64,
) -> StoreResult<TodoList> {
    let (items, _) = list(
        store,
        scope,
        &open(),
        Page::new(Some(1), Some(OPEN_READ)),
        now_ms,
    )
    .await?;
    let mut due: Vec<Incident> = items
        .into_iter()
        .filter(|i| i.next_deadline_ms.is_some())
        .collect();
    due.sort_by_key(|i| (i.next_deadline_ms, i.occurred_ms));
    let total = due.len() as i64;
    due.truncate(limit.max(0) as usize);
    Ok(TodoList::from_page((due, total), |i| TodoItem {
        link: format!("/incidents/{}", i.id),
        code: Some(i.code),
        title: i.title,
        place: Some(i.location),
        status_label: i.next_deadline_label.unwrap_or(i.status_label),
        at_ms: Some(i.occurred_ms),
        due_ms: i.next_deadline_ms,
        due_date: None,
        overdue: i.next_deadline_ms.is_some_and(|d| d < now_ms),
        id: i.id,
    }))
}

/// The newest incidents (大屏 feed) and how many are open.
pub async fn feed(
    store: &Store,
    scope: &Scope,
    limit: i64,
    now_ms: i64,
) -> StoreResult<(Vec<Incident>, i64)> {
    let (latest, _) = list(
        store,
        scope,
        &IncidentFilter::default(),
        Page::new(Some(1), Some(limit)),
        now_ms,
    )
    .await?;
    Ok((latest, open_count(store, scope, now_ms).await?))
}

/// Open incidents in the scope.
pub async fn open_count(store: &Store, scope: &Scope, now_ms: i64) -> StoreResult<i64> {
    Ok(
        list(store, scope, &open(), Page::new(Some(1), Some(1)), now_ms)
            .await?
            .1,
    )
}

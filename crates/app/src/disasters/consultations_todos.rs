//! The disaster 待办 that need a use case's access rule: 野外用火待审批 for the forest authority
//! (nothing for a department that is not it).

use yingji_core::disasters::fire_use::Status;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::todo::{TodoItem, TodoList};
use yingji_store::{Store, StoreError, StoreResult, disasters::fire_use};

/// 野外用火待审批: the pending applications of the caller's region, the earliest day first.
pub async fn fire_use_to_approve(store: &Store, ctx: &Ctx, limit: i64) -> StoreResult<TodoList> {
    match super::forest::keeper(store, ctx).await {
        Ok(_) => {}
        Err(StoreError::Forbidden(_)) => return Ok(TodoList::default()),
        Err(e) => return Err(e),
    }
    let mut list = fire_use::list(store, &ctx.scope, Some(Status::Pending)).await?;
    list.sort_by(|a, b| {
        a.day_from
            .cmp(&b.day_from)
            .then(a.created_ms.cmp(&b.created_ms))
    });
    let total = list.len() as i64;
    let items = list
        .into_iter()
        .take(limit.max(0) as usize)
        .map(|a| TodoItem {
            link: format!("/disasters/forest?fire_use={}", a.id),
            code: Some(a.code),
            title: format!("{}（{}）", a.purpose, a.applicant_name),
            place: Some(a.area_name.unwrap_or(a.place)),
            status_label: a.status.label().into(),
            at_ms: Some(a.created_ms),
            due_ms: None,
            due_date: Some(a.day_from),
            overdue: false,
            id: a.id,
        })
        .collect();
    Ok(TodoList { items, total })
}

//! Warnings on a 工作台: work orders to answer (叫应), warnings waiting for the second person's
//! approval, and the warnings in force, all in the caller's scope (the capability's own lists).

use crate::kernel::Ctx;
use crate::kernel::todo::{TodoItem, TodoList};
use crate::warning::targeting::{OrderFilter, list_orders};
use crate::warning::{WarningFilter, list};
use crate::{Page, Store, StoreResult};
use yingji_core::kernel::role::Scope;

/// Open work orders, earliest 叫应 deadline first.
pub async fn orders_to_answer(
    store: &Store,
    ctx: &Ctx,
    limit: i64,
    now_ms: i64,
) -> StoreResult<TodoList> {
    let f = OrderFilter {
        status: Some("open".into()),
        ..OrderFilter::default()
    };
    let page = list_orders(store, ctx, &f, Page::new(Some(1), Some(limit)), now_ms).await?;
    Ok(TodoList::from_page(page, |o| TodoItem {
        link: format!("/work-orders?id={}", o.id),
        code: None,
        title: o.headline,
        place: Some(o.object.name),
        status_label: o.status_label,
        at_ms: None,
        due_ms: Some(o.due_ms),
        due_date: None,
        overdue: o.overdue,
        id: o.id,
    }))
}

/// Warnings submitted for approval (待审批), oldest first.
pub async fn to_approve(
    store: &Store,
    scope: &Scope,
    limit: i64,
    now_ms: i64,
) -> StoreResult<TodoList> {
    let f = WarningFilter {
        status: Some("pending".into()),
        ..WarningFilter::default()
    };
    let page = list(store, scope, &f, Page::new(Some(1), Some(limit)), now_ms).await?;
    Ok(TodoList::from_page(page, |w| TodoItem {
        link: format!("/warnings?id={}", w.id),
        code: None,
        title: w.headline,
        place: Some(w.area_desc),
        status_label: w.status_label,
        at_ms: w.sent_ms,
        due_ms: None,
        due_date: None,
        overdue: false,
        id: w.id,
    }))
}

/// The warnings in force in the scope (the first `limit`, newest first) and how many.
pub async fn in_force(
    store: &Store,
    scope: &Scope,
    limit: i64,
    now_ms: i64,
) -> StoreResult<(Vec<crate::warning::Warning>, i64)> {
    let f = WarningFilter {
        current: Some(true),
        ..WarningFilter::default()
    };
    list(store, scope, &f, Page::new(Some(1), Some(limit)), now_ms).await
}

/// Open work orders in the scope (the 待处理 card).
pub async fn open_orders(store: &Store, ctx: &Ctx, now_ms: i64) -> StoreResult<i64> {
    let f = OrderFilter {
        status: Some("open,acknowledged".into()),
        ..OrderFilter::default()
    };
    Ok(
        list_orders(store, ctx, &f, Page::new(Some(1), Some(1)), now_ms)
            .await?
            .1,
    )
}

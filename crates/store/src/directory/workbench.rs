//! Enterprises on a 工作台: the changes enterprises proposed to their supervised fields, waiting
//! for 确认 by whoever supervises them (the caller's scope over enterprises), oldest first.

use crate::directory::enterprises::push_scope;
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Page, Sql, Store, StoreResult};
use sqlx::Row;
use yingji_core::directory::enterprise_change::status_label;
use yingji_core::kernel::role::Scope;

pub async fn changes_to_review(store: &Store, scope: &Scope, limit: i64) -> StoreResult<TodoList> {
    let mut w = Sql::new(" AND c.status = 'pending'");
    push_scope(&mut w, scope);
    let (items, total) = store
        .page_of(
            "SELECT COUNT(*) FROM enterprise_changes c JOIN enterprises e ON e.id = c.enterprise_id WHERE 1 = 1",
            "SELECT c.id, c.status, c.proposed_ms, e.name, e.uscc FROM enterprise_changes c JOIN enterprises e ON e.id = c.enterprise_id WHERE 1 = 1",
            w,
            "c.proposed_ms, c.id",
            Page::new(Some(1), Some(limit)),
            |r| {
                let status: String = r.try_get("status")?;
                let uscc: String = r.try_get("uscc")?;
                Ok(TodoItem {
                    id: r.try_get("id")?,
                    code: Some(uscc.clone()),
                    title: r.try_get("name")?,
                    place: None,
                    status_label: status_label(&status).into(),
                    at_ms: Some(r.try_get("proposed_ms")?),
                    due_ms: None,
                    due_date: None,
                    overdue: false,
                    link: format!("/enterprises?q={uscc}"),
                })
            },
        )
        .await?;
    Ok(TodoList { items, total })
}

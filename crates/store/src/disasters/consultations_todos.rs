//! The disaster 待办 besides the 会商 actions: 灾情报告待报送 (the processes the caller sees whose
//! next 初报/续报/核报 is due, the earliest deadline first).

use crate::kernel::Ctx;
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use yingji_core::disasters::reports::ReportKind;

/// 灾情报告待报送: the visible processes with a next report due.
pub async fn reports_due(
    store: &Store,
    ctx: &Ctx,
    limit: i64,
    now_ms: i64,
) -> StoreResult<TodoList> {
    let mut w = Sql::new(" AND p.next_due_ms IS NOT NULL");
    super::processes::push_visible(&mut w, ctx)?;
    let from = "FROM disaster_processes p WHERE 1 = 1";
    let total = store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) {from}{}", w.text),
            args: w.args.clone(),
        })
        .await?;
    let mut q = Sql {
        text: format!(
            "SELECT p.id, p.name, p.next_kind, p.next_due_ms, p.overdue, p.started_ms {from}{}",
            w.text
        ),
        args: w.args,
    };
    q.push(" ORDER BY p.next_due_ms, p.id")
        .push_bind(" LIMIT ", limit);
    let mut items = Vec::new();
    for r in store.fetch_all(q).await? {
        let id: String = r.try_get("id")?;
        let due: i64 = r.try_get("next_due_ms")?;
        let kind: Option<String> = r.try_get("next_kind")?;
        let label = kind
            .as_deref()
            .and_then(ReportKind::parse)
            .map_or("报告", |k| k.label());
        let overdue = r.try_get::<i64, _>("overdue")? != 0 || due <= now_ms;
        items.push(TodoItem {
            code: None,
            title: r.try_get("name")?,
            place: None,
            status_label: format!("{label}{}", if overdue { "已逾期" } else { "待报送" }),
            at_ms: Some(r.try_get("started_ms")?),
            due_ms: Some(due),
            due_date: None,
            overdue,
            link: format!("/disasters/processes/{id}"),
            id,
        });
    }
    Ok(TodoList { items, total })
}

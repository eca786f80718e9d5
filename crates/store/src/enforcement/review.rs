//! 整改复查: what the enforcement side reads besides the hazards of an inspection's findings —
//! the 责令限期整改指令书 of a task, whose 整改期限 a finding's rectification is due by.

use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use std::collections::BTreeMap;

/// The latest 责令限期整改指令书 of a task (not superseded): its number and 整改期限.
#[derive(Debug, Clone)]
pub struct Order {
    pub document_id: String,
    pub number: String,
    pub deadline: Option<String>,
}

/// The task's 责令限期整改指令书 in force, if one was issued.
pub async fn order_of(store: &Store, task_id: &str) -> StoreResult<Option<Order>> {
    let mut q = Sql::new(
        "SELECT x.id, x.number, x.fields FROM enforcement_documents x WHERE x.kind = 'rectify_order' AND x.subject_kind = 'task' AND NOT EXISTS (SELECT 1 FROM enforcement_documents n WHERE n.supersedes_id = x.id) AND x.subject_id = ",
    );
    q.bind(task_id)
        .push(" ORDER BY x.issued_ms DESC, x.id DESC");
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let fields: String = r.try_get("fields")?;
    let fields: BTreeMap<String, String> = serde_json::from_str(&fields).unwrap_or_default();
    Ok(Some(Order {
        document_id: r.try_get("id")?,
        number: r.try_get("number")?,
        deadline: fields.get("deadline").cloned(),
    }))
}

/// The 执法事项 and the team of a task (read after its record was found in the caller's scope,
/// so that the enterprise sees who inspected it and their 执法证号).
pub async fn item_and_team(
    store: &Store,
    task_id: &str,
) -> StoreResult<(String, Vec<super::draws::TeamMember>)> {
    let mut q = Sql::new(
        "SELECT i.name FROM inspection_tasks t JOIN enforcement_items i ON i.id = t.item_id WHERE t.id = ",
    );
    q.bind(task_id);
    let item: String = match store.fetch_optional(q).await? {
        Some(r) => r.try_get("name")?,
        None => String::new(),
    };
    let mut q = Sql::new(
        "SELECT user_id, user_name, cert_no FROM inspection_task_inspectors WHERE task_id = ",
    );
    q.bind(task_id).push(" ORDER BY user_name");
    let team = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(super::draws::TeamMember {
                user_id: r.try_get("user_id")?,
                name: r.try_get("user_name")?,
                cert_no: r.try_get("cert_no")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok((item, team))
}

/// 工作台 待办 of an enterprise user: its enterprise's inspection findings still to rectify
/// (the hazard 待定级 or 整改中), earliest deadline first (none for other callers).
pub async fn todo(
    store: &Store,
    ctx: &crate::kernel::Ctx,
    limit: i64,
) -> StoreResult<crate::kernel::todo::TodoList> {
    let Some(e) = super::receipts::own_enterprise(ctx) else {
        return Ok(Default::default());
    };
    let from = " FROM inspection_findings f JOIN inspection_records r ON r.id = f.record_id JOIN hazards h ON h.id = f.hazard_id WHERE h.status IN ('registered', 'rectifying') AND r.enterprise_id = ";
    let mut count = Sql::new(&format!("SELECT COUNT(*) AS n{from}"));
    count.bind(e);
    let total: i64 = match store.fetch_optional(count).await? {
        Some(r) => r.try_get("n")?,
        None => 0,
    };
    let mut q = Sql::new(&format!(
        "SELECT h.id, h.code, h.status, h.deadline, h.overdue, f.description, r.task_id, r.recorded_ms{from}"
    ));
    q.bind(e)
        .push(" ORDER BY h.deadline IS NULL, h.deadline, r.recorded_ms LIMIT ")
        .bind(limit);
    let mut items = Vec::new();
    for r in store.fetch_all(q).await? {
        let status: String = r.try_get("status")?;
        let task: String = r.try_get("task_id")?;
        items.push(crate::kernel::todo::TodoItem {
            id: r.try_get("id")?,
            code: Some(r.try_get("code")?),
            title: r.try_get("description")?,
            place: None,
            status_label: yingji_core::prevention::hazard::Status::parse(&status)
                .map(|s| s.label())
                .unwrap_or("")
                .into(),
            at_ms: Some(r.try_get("recorded_ms")?),
            due_ms: None,
            due_date: r.try_get("deadline")?,
            overdue: r.try_get::<i64, _>("overdue")? != 0,
            link: format!("/enforcement/mine?task={task}"),
        });
    }
    Ok(crate::kernel::todo::TodoList { items, total })
}

//! A joint inspection's record: the taking part departments of a task (the lead first) and, in
//! the recording transaction, the department of each checked line and finding — whose hazard
//! that department then supervises.

use super::tasks::Task;
use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::enforcement::joint_record::{Attribution, Part};

/// The parts of a task: a joint task's departments with their items (the lead department
/// first), else the task's own department and item.
pub async fn parts(store: &Store, task: &Task) -> StoreResult<Vec<Part>> {
    let mut q = Sql::new(
        "SELECT d.id AS department_id, d.name AS department_name, i.name AS item_name, i.content FROM inspection_task_departments jd JOIN departments d ON d.id = jd.department_id JOIN enforcement_items i ON i.id = jd.item_id WHERE jd.task_id = ",
    );
    q.bind(task.id.as_str())
        .push_bind(
            " ORDER BY CASE WHEN jd.department_id = ",
            task.department_id.as_str(),
        )
        .push(" THEN 0 ELSE 1 END, d.name");
    let mut out: Vec<Part> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Part {
                department_id: r.try_get("department_id")?,
                department_name: r.try_get("department_name")?,
                item_name: r.try_get("item_name")?,
                content: r.try_get("content")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    if out.is_empty() {
        let mut q = Sql::new(
            "SELECT d.name AS department_name, i.name AS item_name, i.content FROM enforcement_items i JOIN departments d ON d.id = i.department_id WHERE i.id = ",
        );
        q.bind(task.item_id.as_str());
        if let Some(r) = store.fetch_optional(q).await? {
            out.push(Part {
                department_id: task.department_id.clone(),
                department_name: r.try_get("department_name")?,
                item_name: r.try_get("item_name")?,
                content: r.try_get("content")?,
            });
        }
    }
    Ok(out)
}

/// Writes the department of each line and finding of a record just written (in the same
/// transaction); on a joint task each finding's hazard goes to its department's supervision.
pub async fn attribute_in(
    tx: &mut Tx,
    record_id: &str,
    joint: bool,
    a: &Attribution,
    hazard_ids: &[String],
) -> StoreResult<()> {
    for (ord, d) in a.checks.iter().enumerate() {
        let mut q = Sql::new("UPDATE inspection_checks SET department_id = ");
        q.bind(d.as_str())
            .push_bind(" WHERE record_id = ", record_id)
            .push_bind(" AND ord = ", ord as i64);
        q.execute(tx).await?;
    }
    for (ord, d) in a.findings.iter().enumerate() {
        let mut q = Sql::new("UPDATE inspection_findings SET department_id = ");
        q.bind(d.as_str())
            .push_bind(" WHERE record_id = ", record_id)
            .push_bind(" AND ord = ", ord as i64);
        q.execute(tx).await?;
        if let (true, Some(h)) = (joint, hazard_ids.get(ord)) {
            let mut q = Sql::new("UPDATE hazards SET department_id = ");
            q.bind(d.as_str()).push_bind(" WHERE id = ", h.as_str());
            q.execute(tx).await?;
        }
    }
    Ok(())
}

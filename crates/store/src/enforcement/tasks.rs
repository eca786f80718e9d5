//! 检查任务: an enterprise to inspect, with its team; an inspector reads their own, a department
//! its department's.

use super::draws::TeamMember;
use crate::kernel::Ctx;
use crate::{Page, Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use yingji_core::enforcement::reads_only_own_tasks;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    pub id: String,
    pub department_id: String,
    pub item_id: String,
    pub item_name: String,
    pub draw_id: Option<String>,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub region_code: String,
    pub kind: String,
    pub year: i64,
    pub status: String,
    pub team: Vec<TeamMember>,
    pub created_ms: i64,
}

fn from_row(r: &AnyRow) -> StoreResult<Task> {
    Ok(Task {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        item_id: r.try_get("item_id")?,
        item_name: r.try_get("item_name")?,
        draw_id: r.try_get("draw_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        region_code: r.try_get("region_code")?,
        kind: r.try_get("kind")?,
        year: r.try_get("year")?,
        status: r.try_get("status")?,
        team: vec![],
        created_ms: r.try_get("created_ms")?,
    })
}

/// A task to create.
pub struct NewTask<'a> {
    pub department_id: &'a str,
    pub item_id: &'a str,
    pub draw_id: Option<&'a str>,
    pub enterprise_id: &'a str,
    pub enterprise_name: &'a str,
    pub region_code: &'a str,
    pub kind: &'a str,
    pub year: i64,
    pub team: &'a [TeamMember],
}

/// Creates a task with its team in the caller's transaction (the draw's audit record covers it).
pub async fn create_in(tx: &mut Tx, now_ms: i64, t: &NewTask<'_>) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO inspection_tasks (id, department_id, item_id, draw_id, enterprise_id, enterprise_name, region_code, kind, year, status, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        t.department_id.into(),
        t.item_id.into(),
        t.draw_id.into(),
        t.enterprise_id.into(),
        t.enterprise_name.into(),
        t.region_code.into(),
        t.kind.into(),
        t.year.into(),
        "assigned".into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for m in t.team {
        let mut q = Sql::new(
            "INSERT INTO inspection_task_inspectors (task_id, user_id, user_name, cert_no) VALUES ",
        );
        q.values(vec![
            id.clone().into(),
            m.user_id.clone().into(),
            m.name.clone().into(),
            m.cert_no.clone().into(),
        ]);
        q.execute(tx).await?;
    }
    Ok(id)
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub draw_id: Option<String>,
    pub status: Option<String>,
    pub year: Option<i64>,
}

/// The tasks the caller may see: an inspector their own, a department its department's.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &TaskFilter,
    page: Page,
) -> StoreResult<(Vec<Task>, i64)> {
    let mut w = Sql::new("");
    super::joint::push_task_scope(&mut w, ctx)?;
    if reads_only_own_tasks(ctx.role) {
        w.push_bind(
            " AND t.id IN (SELECT ti.task_id FROM inspection_task_inspectors ti WHERE ti.user_id = ",
            ctx.user_id.as_str(),
        )
        .push(")");
    }
    if let Some(d) = f.draw_id.as_deref() {
        w.push_bind(" AND t.draw_id = ", d);
    }
    if let Some(s) = f.status.as_deref() {
        w.push_bind(" AND t.status = ", s);
    }
    if let Some(y) = f.year {
        w.push_bind(" AND t.year = ", y);
    }
    let from = " FROM inspection_tasks t JOIN enforcement_items i ON i.id = t.item_id WHERE 1 = 1";
    let (mut items, total) = store
        .page_of(
            &format!("SELECT COUNT(*){from}"),
            &format!("SELECT t.*, i.name AS item_name{from}"),
            w,
            "t.created_ms DESC, t.enterprise_name, t.id",
            page,
            from_row,
        )
        .await?;
    attach_teams(store, &mut items).await?;
    Ok((items, total))
}

async fn attach_teams(store: &Store, tasks: &mut [Task]) -> StoreResult<()> {
    if tasks.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(
        "SELECT task_id, user_id, user_name, cert_no FROM inspection_task_inspectors WHERE task_id IN ",
    );
    q.bind_list(tasks.iter().map(|t| t.id.clone()));
    q.push(" ORDER BY task_id, user_name");
    let mut by_task: BTreeMap<String, Vec<TeamMember>> = BTreeMap::new();
    for r in store.fetch_all(q).await? {
        by_task
            .entry(r.try_get("task_id")?)
            .or_default()
            .push(TeamMember {
                user_id: r.try_get("user_id")?,
                name: r.try_get("user_name")?,
                cert_no: r.try_get("cert_no")?,
            });
    }
    for t in tasks {
        t.team = by_task.remove(&t.id).unwrap_or_default();
    }
    Ok(())
}

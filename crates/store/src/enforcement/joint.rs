//! 联合检查: a task with several departments (each with its 执法事项) and its planned month, the
//! tasks' scope that lets every taking part department see it, and the open tasks that merge
//! suggestions read.

use super::draws::TeamMember;
use super::push_departments;
use super::tasks::{self, NewTask};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use yingji_core::enforcement::joint::joint_summary;
use yingji_core::enforcement::{NOT_AN_ENFORCEMENT_READER, may_read};
use yingji_core::kernel::role::Scope;

/// Limits a query on `inspection_tasks t` to what the caller's departments lead or take part in.
pub fn push_task_scope(sql: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    match &ctx.scope {
        Scope::Department { department_id, .. } => {
            if !may_read(ctx.role) {
                return Err(StoreError::Forbidden(NOT_AN_ENFORCEMENT_READER.into()));
            }
            sql.push_bind(" AND (t.department_id = ", department_id.as_str())
                .push_bind(
                    " OR t.id IN (SELECT jd.task_id FROM inspection_task_departments jd WHERE jd.department_id = ",
                    department_id.as_str(),
                )
                .push("))");
            Ok(())
        }
        _ => push_departments(sql, ctx, "t.department_id"),
    }
}

/// One department's part of a joint inspection.
pub struct JointPart<'a> {
    pub department_id: &'a str,
    pub department_name: &'a str,
    pub item_id: &'a str,
}

/// A joint inspection to record.
pub struct NewJoint<'a> {
    pub enterprise_id: &'a str,
    pub enterprise_name: &'a str,
    pub region_code: &'a str,
    pub planned_month: &'a str,
    pub year: i64,
    pub parts: &'a [JointPart<'a>],
    pub team: &'a [TeamMember],
}

/// Records a joint inspection as one task (led by the first part's department) with its parts and
/// team, and its audit record; answers the task's id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    j: &NewJoint<'_>,
) -> StoreResult<String> {
    let lead = &j.parts[0];
    let task = NewTask {
        department_id: lead.department_id,
        item_id: lead.item_id,
        draw_id: None,
        enterprise_id: j.enterprise_id,
        enterprise_name: j.enterprise_name,
        region_code: j.region_code,
        kind: "joint",
        year: j.year,
        team: j.team,
    };
    let id = tasks::create_in(tx, now_ms, &task).await?;
    let mut q = Sql::new("UPDATE inspection_tasks SET planned_month = ");
    q.bind(j.planned_month)
        .push_bind(" WHERE id = ", id.as_str());
    q.execute(tx).await?;
    for p in j.parts {
        let mut q = Sql::new(
            "INSERT INTO inspection_task_departments (task_id, department_id, item_id) VALUES ",
        );
        q.values(vec![
            id.clone().into(),
            p.department_id.into(),
            p.item_id.into(),
        ]);
        q.execute(tx).await?;
    }
    let names: Vec<String> = j
        .parts
        .iter()
        .map(|p| p.department_name.to_string())
        .collect();
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "enterprise_id": j.enterprise_id, "planned_month": j.planned_month,
                "items": j.parts.iter().map(|p| p.item_id).collect::<Vec<_>>(),
                "team": j.team.iter().map(|m| &m.user_id).collect::<Vec<_>>(),
            })),
            ..Change::of(
                "enforcement.joint",
                "inspection_task",
                &id,
                joint_summary(j.enterprise_name, j.planned_month, &names),
            )
        },
    )
    .await?;
    Ok(id)
}

/// An open task as the merge suggestions read it.
#[derive(Debug, Clone)]
pub struct OpenTask {
    pub task_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub department_name: String,
    pub planned_month: Option<String>,
    pub created_ms: i64,
}

/// The caller's departments' open single-department tasks of a year (not joint, not done).
pub async fn open_tasks(store: &Store, ctx: &Ctx, year: i64) -> StoreResult<Vec<OpenTask>> {
    let mut q = Sql::new(
        "SELECT t.id, t.enterprise_id, t.enterprise_name, t.planned_month, t.created_ms, d.name AS department_name FROM inspection_tasks t JOIN departments d ON d.id = t.department_id WHERE t.kind <> 'joint' AND t.status IN ('assigned', 'in_progress')",
    );
    q.push_bind(" AND t.year = ", year);
    push_departments(&mut q, ctx, "t.department_id")?;
    q.push(" ORDER BY t.enterprise_id, t.created_ms");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(OpenTask {
                task_id: r.try_get("id")?,
                enterprise_id: r.try_get("enterprise_id")?,
                enterprise_name: r.try_get("enterprise_name")?,
                department_name: r.try_get("department_name")?,
                planned_month: r.try_get("planned_month")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
}

//! 联合检查: a bureau leader (or an administrator) puts several departments' items on one visit to
//! an enterprise with one team from their pools; and the separate tasks that could be merged.

use super::{named, require_manager};
use yingji_core::enforcement::joint::{
    JointInput, MergeSuggestion, NOT_IN_POOLS, ONE_DEPARTMENT, TaskMonth, check_joint,
    inspector_refused, merge_suggestions, team_problem,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::validation::FieldError;
use yingji_core::kernel::wording::ENTERPRISE_OUTSIDE_SCOPE;
use yingji_store::directory::enterprises;
use yingji_store::enforcement::draws::TeamMember;
use yingji_store::enforcement::joint::{self, JointPart, NewJoint};
use yingji_store::enforcement::{inspectors, items};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// A recorded joint inspection, as the caller gets it back.
#[derive(Debug, Clone)]
pub struct JointTask {
    pub task_id: String,
    pub enterprise_name: String,
    pub planned_month: String,
    /// (department, item) of each part.
    pub parts: Vec<(String, String)>,
    pub team: Vec<TeamMember>,
}

/// Arranges a joint inspection: one task, the items of two or more departments, one team.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &JointInput,
) -> StoreResult<JointTask> {
    require_manager(ctx)?;
    let day = today(now_ms);
    let checked = check_joint(input, i64::from(day.year()))?;
    let enterprise = enterprises::get(store, &ctx.scope, &checked.enterprise_id)
        .await
        .map_err(named("enterprise_id", ENTERPRISE_OUTSIDE_SCOPE))?;
    let mut chosen = Vec::with_capacity(checked.item_ids.len());
    for id in &checked.item_ids {
        let item = items::get(store, ctx, id)
            .await
            .map_err(named("item_ids", "执法事项不存在或不在您的管辖范围内"))?;
        if chosen
            .iter()
            .any(|i: &items::Item| i.department_id == item.department_id)
        {
            return Err(StoreError::invalid("item_ids", "每个部门选择一个执法事项"));
        }
        chosen.push(item);
    }
    if chosen.len() < 2 {
        return Err(StoreError::invalid("item_ids", ONE_DEPARTMENT));
    }
    let pool = inspectors::list(store, ctx, None, true).await?;
    let team = team_of(
        &pool,
        &chosen,
        &enterprise.id,
        &checked.inspector_ids,
        &day.to_string(),
    )?;
    let parts: Vec<JointPart> = chosen
        .iter()
        .map(|i| JointPart {
            department_id: &i.department_id,
            department_name: &i.department_name,
            item_id: &i.id,
        })
        .collect();
    let new = NewJoint {
        enterprise_id: &enterprise.id,
        enterprise_name: &enterprise.name,
        region_code: &enterprise.grid_code,
        planned_month: &checked.planned_month,
        year: checked.year,
        parts: &parts,
        team: &team,
    };
    let mut tx = store.begin().await?;
    let task_id = joint::create_in(&mut tx, ctx, now_ms, &new).await?;
    tx.commit().await?;
    Ok(JointTask {
        task_id,
        enterprise_name: enterprise.name.clone(),
        planned_month: checked.planned_month,
        parts: chosen
            .iter()
            .map(|i| (i.department_name.clone(), i.name.clone()))
            .collect(),
        team,
    })
}

/// Where the caller's departments' separate open tasks of one enterprise fall in one month.
pub async fn suggestions(store: &Store, ctx: &Ctx, year: i64) -> StoreResult<Vec<MergeSuggestion>> {
    require_manager(ctx)?;
    let tasks: Vec<TaskMonth> = joint::open_tasks(store, ctx, year)
        .await?
        .into_iter()
        .map(|t| TaskMonth {
            month: t
                .planned_month
                .unwrap_or_else(|| today(t.created_ms).strftime("%Y-%m").to_string()),
            task_id: t.task_id,
            enterprise_id: t.enterprise_id,
            enterprise_name: t.enterprise_name,
            department_name: t.department_name,
        })
        .collect();
    Ok(merge_suggestions(&tasks))
}

/// The chosen inspectors as a team: each in a taking part department's pool, with a valid 执法证
/// and no 回避 with the enterprise; otherwise each refusal names its row `inspector_ids[i]`.
fn team_of(
    pool: &[inspectors::Inspector],
    chosen: &[items::Item],
    enterprise_id: &str,
    ids: &[String],
    day: &str,
) -> StoreResult<Vec<TeamMember>> {
    let mut team = Vec::with_capacity(ids.len());
    let mut errs = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let found = pool.iter().find(|p| {
            &p.user_id == id && chosen.iter().any(|c| c.department_id == p.department_id)
        });
        let problem = match found {
            None => Some(inspector_refused("所选人员", NOT_IN_POOLS)),
            Some(p) => {
                let recuses = p.conflicts.iter().any(|c| c.enterprise_id == enterprise_id);
                team_problem(true, &p.cert_valid_until, day, recuses)
                    .map(|why| inspector_refused(&p.user_name, why))
            }
        };
        match (problem, found) {
            (Some(m), _) => errs.push(FieldError::new(format!("inspector_ids[{i}]"), m)),
            (None, Some(p)) => team.push(TeamMember {
                user_id: p.user_id.clone(),
                name: p.user_name.clone(),
                cert_no: p.cert_no.clone(),
            }),
            (None, None) => {}
        }
    }
    if errs.is_empty() {
        Ok(team)
    } else {
        Err(yingji_core::Invalid(errs).into())
    }
}

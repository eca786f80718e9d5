//! 应急预案 and the plan-driven response: registering a plan, deciding the response on an
//! incident (启动/升级/降级/终止) and a task's progress, each in one transaction.

use yingji_core::response::access::{may_command, may_edit_plans, may_update_tasks};
use yingji_core::response::plans::{
    DECISION_AFTER_CLOSE, DECISION_DENIED, PLAN_EDIT_DENIED, PLAN_ENTERPRISE_UNKNOWN,
    PLAN_NOT_FOUND, TASK_UPDATE_DENIED, check_decision, check_plan, check_task_update,
};
use yingji_store::directory::enterprises;
use yingji_store::directory::regions::district_of_scope;
use yingji_store::kernel::Ctx;
use yingji_store::response::incidents;
use yingji_store::response::plans::{
    self, ActivationInput, Plan, PlanInput, Response, ResponseDecision, TaskUpdate,
};
use yingji_store::{Store, StoreError, StoreResult};

/// 登记预案 of the caller's district; a new version of a code supersedes the earlier one.
pub async fn create(store: &Store, ctx: &Ctx, now_ms: i64, input: &PlanInput) -> StoreResult<Plan> {
    if !may_edit_plans(ctx.role) {
        return Err(StoreError::Forbidden(PLAN_EDIT_DENIED.into()));
    }
    let checked = check_plan(input)?;
    if let Some(e) = &input.enterprise_id {
        enterprises::get(store, &ctx.scope, e)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    StoreError::invalid("enterprise_id", PLAN_ENTERPRISE_UNKNOWN)
                }
                e => e,
            })?;
    }
    let district = district_of_scope(store, &ctx.scope).await?;
    let mut tx = store.begin().await?;
    let id = plans::create_in(&mut tx, ctx, now_ms, &district, input, &checked).await?;
    tx.commit().await?;
    plans::get(store, &ctx.scope, &id, now_ms).await
}

/// 启动/升级/降级/终止 the response on an open incident by a plan of the caller's library;
/// starting or changing a level creates its tasks, stand-down cancels open ones.
pub async fn decide(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    input: &ActivationInput,
) -> StoreResult<Response> {
    if !may_command(ctx.role) {
        return Err(StoreError::Forbidden(DECISION_DENIED.into()));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    if incident.status != "open" {
        return Err(StoreError::conflict("status", DECISION_AFTER_CLOSE));
    }
    let plan = plans::get(store, &ctx.scope, &input.plan_id, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("plan_id", PLAN_NOT_FOUND),
            other => other,
        })?;
    let (level, reason) = check_decision(input, &plan.levels, incident.response_level)?;
    let decision = ResponseDecision {
        incident: &incident,
        plan: &plan,
        action: &input.action,
        level,
        reason,
    };
    let mut tx = store.begin().await?;
    plans::decide_in(&mut tx, ctx, now_ms, &decision).await?;
    tx.commit().await?;
    plans::response(store, &ctx.scope, incident_id, now_ms).await
}

/// A response task's progress (处理中 / 已完成).
pub async fn update_task(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    task_id: &str,
    input: &TaskUpdate,
) -> StoreResult<Response> {
    if !may_update_tasks(ctx.role) {
        return Err(StoreError::Forbidden(TASK_UPDATE_DENIED.into()));
    }
    let checked = check_task_update(input)?;
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    let mut tx = store.begin().await?;
    plans::update_task_in(&mut tx, ctx, now_ms, &incident, task_id, &checked).await?;
    tx.commit().await?;
    plans::response(store, &ctx.scope, incident_id, now_ms).await
}

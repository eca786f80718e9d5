//! 隐患排查治理: reporting a hazard (staff and the public form) and the closed loop's steps, each
//! in one transaction.

use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::{self as rules, Action, CheckedStep, StepFacts, TransferTo};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::idempotency::{self, Key};
use yingji_store::prevention::hazards::{
    self, HazardDetail, HazardInput, PublicReportInput, Step, TransitionInput,
};
use yingji_store::{Store, StoreResult, directory, prevention};

/// The kind of submission a hazard report's idempotency key is recorded for.
pub const IDEMPOTENCY_KIND: &str = "hazard";

/// Reports a hazard (企业自查 / 执法检查 / 网格巡查); grades it at once when a deadline is given.
/// A report sent again with the same idempotency `key` answers the first one.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &HazardInput,
    key: Option<&str>,
) -> StoreResult<HazardDetail> {
    let key = key.map(|key| Key {
        user_id: &ctx.user_id,
        key,
        kind: IDEMPOTENCY_KIND,
    });
    if let Some(id) = idempotency::replayed(store, key).await? {
        return hazards::detail(store, ctx, &id).await;
    }
    let mut tx = store.begin().await?;
    let id = hazards::create_in(&mut tx, store, ctx, now_ms, input).await?;
    idempotency::record_in(&mut tx, key, &id, now_ms).await?;
    tx.commit().await?;
    hazards::detail(store, ctx, &id).await
}

/// The public form: no login, no scope; returns (hazard code, tracking code).
pub async fn create_public(
    store: &Store,
    now_ms: i64,
    ip: Option<String>,
    input: &PublicReportInput,
) -> StoreResult<(String, String)> {
    let report = hazards::check_public(store, input).await?;
    let mut tx = store.begin().await?;
    let receipt = hazards::create_public_in(&mut tx, now_ms, ip, input, report).await?;
    tx.commit().await?;
    Ok(receipt)
}

/// Applies one step of the loop for the caller: the hazard must be visible to them and the
/// step's input valid (checked in core with the criteria list and the department it needs),
/// then the step is applied to the hazard as it reads inside the transaction.
pub async fn transition(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<HazardDetail> {
    let checked = check(store, ctx, now_ms, id, action, t).await?;
    let step = Step {
        id,
        action,
        checked,
        attachments: &t.attachments,
    };
    let mut tx = store.begin().await?;
    hazards::transition_in(&mut tx, ctx, now_ms, step).await?;
    tx.commit().await?;
    hazards::detail(store, ctx, id).await
}

/// Checks one step of the loop for the caller before any write: the hazard must be visible to
/// them and the step's input valid (with the criteria list and the department it needs). Used
/// by `transition` and by callers that take the step in their own transaction (the
/// enforcement side's 整改 and 复查).
pub async fn check(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<CheckedStep> {
    let visible = hazards::get(store, &ctx.scope, id).await?;
    let criteria_list = match action {
        Action::Grade | Action::Escalate => prevention::criteria::active(store).await?,
        _ => vec![],
    };
    let transfer_to = match (action, t.department_id.as_deref().filter(|s| !s.is_empty())) {
        (Action::Transfer, Some(d)) => directory::departments::get(store, &Scope::All, d)
            .await
            .ok()
            .map(|dep| TransferTo {
                id: dep.id,
                name: dep.name,
            }),
        _ => None,
    };
    let facts = StepFacts {
        now_ms,
        actor_name: &ctx.display_name,
        level: &visible.level,
        criteria: &visible.criteria,
        deadline: visible.deadline.as_deref(),
        criteria_list: &criteria_list,
        transfer_to,
    };
    Ok(rules::check_step(action, t, facts)?)
}

//! 转移: plans, orders from a plan, answers per person and the check-in at the shelter, each in
//! one transaction.

use yingji_core::disasters::evacuation::{
    self as rules, EvacuationAnswerInput, EvacuationPlanInput, check_answer, check_plan,
};
use yingji_store::disasters::evacuation::{self, Order, Plan};
use yingji_store::kernel::Ctx;
use yingji_store::resources::{self, ShelterMovementInput};
use yingji_store::{Store, StoreError, StoreResult};

/// 编制转移预案.
pub async fn create_plan(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &EvacuationPlanInput,
) -> StoreResult<Plan> {
    let checked = check_plan(input)?;
    let refs = evacuation::plan_refs(
        store,
        ctx,
        input.object_id.as_deref(),
        &input.region_code,
        &input.shelter_id,
    )
    .await?;
    let mut tx = store.begin().await?;
    let id = evacuation::create_plan_in(&mut tx, ctx, now_ms, &checked, &refs).await?;
    tx.commit().await?;
    evacuation::get_plan(store, ctx, &id).await
}

/// 下达转移指令 from plan `plan_id`, in a warning's or an incident's response.
pub async fn issue(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    plan_id: &str,
    warning_id: Option<&str>,
    incident_id: Option<&str>,
) -> StoreResult<Order> {
    let plan = evacuation::get_plan(store, ctx, plan_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("plan_id", "转移预案不存在"),
            e => e,
        })?;
    evacuation::check_link(store, "warnings", "warning_id", warning_id).await?;
    evacuation::check_link(store, "incidents", "incident_id", incident_id).await?;
    let mut tx = store.begin().await?;
    let id = evacuation::issue_in(&mut tx, ctx, now_ms, &plan, warning_id, incident_id).await?;
    tx.commit().await?;
    evacuation::get_order(store, ctx, &id).await
}

/// A person's answer (到达 / 拒绝 / 失联) on order `id`.
pub async fn answer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &EvacuationAnswerInput,
) -> StoreResult<Order> {
    check_answer(input)?;
    let order = evacuation::get_order(store, ctx, id).await?;
    let person = evacuation::person_on(&order, &input.person_id)?;
    let mut tx = store.begin().await?;
    evacuation::answer_in(&mut tx, ctx, now_ms, &order, person, &input.answer).await?;
    tx.commit().await?;
    evacuation::get_order(store, ctx, id).await
}

/// An arrived person checks in at the order's shelter: the shelter's occupancy goes up by one
/// through the shelters register (refused beyond its capacity or when it is not open).
pub async fn check_in(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    person_id: &str,
) -> StoreResult<Order> {
    let order = evacuation::get_order(store, ctx, id).await?;
    let person = evacuation::person_on(&order, person_id)?;
    if person.answer.as_deref() != Some("arrived") {
        return Err(StoreError::invalid(
            "person_id",
            rules::CHECK_IN_NEEDS_ARRIVAL,
        ));
    }
    if person.checked_in {
        return Err(StoreError::conflict("person_id", rules::ALREADY_CHECKED_IN));
    }
    let movement = ShelterMovementInput {
        kind: "check_in".into(),
        people: 1,
        incident_id: order.incident_id.clone(),
        note: Some(format!("转移安置：{}", person.name)),
    };
    let checked =
        resources::check_shelter_movement(store, ctx, &order.shelter_id, &movement).await?;
    let mut tx = store.begin().await?;
    resources::shelter_movement_in(&mut tx, ctx, now_ms, &movement, &checked).await?;
    evacuation::mark_checked_in(&mut tx, ctx, now_ms, &order, person).await?;
    tx.commit().await?;
    evacuation::get_order(store, ctx, id).await
}

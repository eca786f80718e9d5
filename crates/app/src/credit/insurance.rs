//! 安责险: the administrator keeps the insurers; a policy is entered by its insurer (for the
//! enterprise it names by 统一社会信用代码), by the enterprise itself or by the departments over
//! it, and changed by whoever may see and write it.

use super::rating::recompute_in;
use yingji_core::credit::insurance::{
    self as rules, InsurerInput, NOT_AN_INSURANCE_WRITER, NOT_AN_INSURER_MANAGER, PolicyInput,
    check_insurer, check_policy, expiring_until, owning_insurer,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Scope;
use yingji_store::credit::insurance::{self, Insurer, NewPolicy, Policy, PolicyFilter};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, new_id};

pub async fn create_insurer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &InsurerInput,
) -> StoreResult<Insurer> {
    if !rules::may_manage_insurers(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_INSURER_MANAGER.into()));
    }
    let checked = check_insurer(input)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    insurance::create_insurer_in(&mut tx, ctx, now_ms, &id, &checked).await?;
    tx.commit().await?;
    insurance::insurer(store, &id).await
}

fn require_writer(ctx: &Ctx) -> StoreResult<()> {
    if rules::may_write_policies(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_AN_INSURANCE_WRITER.into()))
    }
}

/// The policies the caller may see; `standing` filters by where they stand today.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    f: &PolicyFilter,
) -> StoreResult<Vec<Policy>> {
    let day = today(now_ms);
    insurance::list(
        store,
        ctx,
        f,
        &day.to_string(),
        &expiring_until(day).to_string(),
    )
    .await
}

/// (in force, expiring within 30 days) of the caller's policies today.
pub async fn figures(store: &Store, ctx: &Ctx, now_ms: i64) -> StoreResult<(i64, i64)> {
    let day = today(now_ms);
    let (t, u) = (day.to_string(), expiring_until(day).to_string());
    let of = |s: &str| PolicyFilter {
        standing: Some(s.into()),
        ..Default::default()
    };
    Ok((
        insurance::count(store, ctx, &of("in_force"), &t, &u).await?,
        insurance::count(store, ctx, &of("expiring"), &t, &u).await?,
    ))
}

pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &PolicyInput,
) -> StoreResult<Policy> {
    require_writer(ctx)?;
    let checked = check_policy(input)?;
    let insurer_id = owning_insurer(&ctx.scope, input.insurer_id.as_deref())
        .map_err(|(f, m)| StoreError::invalid(f, m))?;
    let insurer = insurance::insurer(store, &insurer_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("insurer_id", rules::INSURER_NOT_FOUND),
            e => e,
        })?;
    let named = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let uscc = input
        .enterprise_uscc
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (enterprise_id, enterprise_name) =
        insurance::enterprise_for_policy(store, &ctx.scope, named.as_deref(), uscc).await?;
    let id = new_id();
    let new = NewPolicy {
        enterprise_id: &enterprise_id,
        enterprise_name: &enterprise_name,
        insurer_id: &insurer.id,
        policy: &checked,
    };
    let mut tx = store.begin().await?;
    insurance::create_in(&mut tx, ctx, now_ms, &id, &new).await?;
    recompute_in(&mut tx, &ctx.actor, now_ms, &enterprise_id, Some(&id)).await?;
    tx.commit().await?;
    insurance::get(store, ctx, &id).await
}

/// Changes a policy's own fields; its enterprise and insurer stay.
pub async fn update(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &PolicyInput,
) -> StoreResult<Policy> {
    require_writer(ctx)?;
    let before = insurance::get(store, ctx, id).await?;
    let checked = check_policy(input)?;
    if matches!(ctx.scope, Scope::Insurer { .. })
        && before.status == "cancelled"
        && checked.status == "active"
    {
        return Err(StoreError::invalid(
            "status",
            "已退保的保单不能恢复，请重新登记",
        ));
    }
    let mut tx = store.begin().await?;
    insurance::update_in(&mut tx, ctx, now_ms, &before, &checked).await?;
    recompute_in(&mut tx, &ctx.actor, now_ms, &before.enterprise_id, Some(id)).await?;
    tx.commit().await?;
    insurance::get(store, ctx, id).await
}

/// The enterprises the caller sees policies of (an insurer: its policyholders), by name.
pub async fn policyholders(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
) -> StoreResult<Vec<(String, String)>> {
    let all = list(store, ctx, now_ms, &PolicyFilter::default()).await?;
    let mut out: Vec<(String, String)> = all
        .into_iter()
        .filter(|p| p.status == "active")
        .map(|p| (p.enterprise_id, p.enterprise_name))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup();
    Ok(out)
}

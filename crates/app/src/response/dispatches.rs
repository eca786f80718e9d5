//! 调派: sending a team or an expert to an incident and their return, each in one transaction.
//! The team or expert is read from the resources registers and checked with core before the
//! transaction; its status moves inside it.

use yingji_core::resources::distance_m;
use yingji_core::response::access::may_dispatch;
use yingji_core::response::dispatch::{
    DISPATCH_AFTER_CLOSE, DISPATCH_DENIED, RESOURCE_NOT_FOUND, RESOURCE_TYPE_INVALID,
    RETURN_DENIED, check_expert, check_note, check_team, just_dispatched, team_name,
};
use yingji_store::kernel::Ctx;
use yingji_store::resources;
use yingji_store::response::dispatches::{self, Dispatch, DispatchInput, NewDispatch};
use yingji_store::response::incidents;
use yingji_store::{Store, StoreError, StoreResult};

/// 调派 a team (from 待命) or an available expert to an open incident; the answer is the
/// incident's dispatches.
pub async fn dispatch(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    input: &DispatchInput,
) -> StoreResult<Vec<Dispatch>> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(DISPATCH_DENIED.into()));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    if incident.status != "open" {
        return Err(StoreError::conflict("incident_id", DISPATCH_AFTER_CLOSE));
    }
    let note = check_note(input)?;
    let (name, lon, lat) = resource_to_send(store, ctx, input).await?;
    let distance = resources::incident_location(store, &ctx.scope, incident_id, now_ms)
        .await
        .ok()
        .map(|(ilon, ilat)| distance_m([ilon, ilat], [lon, lat]).round() as i64);
    let d = NewDispatch {
        resource_type: &input.resource_type,
        resource_id: &input.resource_id,
        name,
        distance_m: distance,
        note,
    };
    let mut tx = store.begin().await?;
    let sent = resources::availability::send_out_in(
        &mut tx,
        now_ms,
        d.resource_type,
        d.resource_id,
        &incident.id,
    )
    .await?;
    if !sent {
        let m = just_dispatched(&d.name);
        return Err(StoreError::conflict("resource_id", m));
    }
    dispatches::dispatch_in(&mut tx, ctx, now_ms, &incident, &d).await?;
    tx.commit().await?;
    dispatches::list(store, &ctx.scope, incident_id, now_ms).await
}

/// The team or expert asked for, as the dispatch names it, with where it is; refused when it is
/// not in the caller's registers, deactivated or not free.
async fn resource_to_send(
    store: &Store,
    ctx: &Ctx,
    input: &DispatchInput,
) -> StoreResult<(String, f64, f64)> {
    let not_found = |e| match e {
        StoreError::NotFound => StoreError::invalid("resource_id", RESOURCE_NOT_FOUND),
        e => e,
    };
    let refused = |m: String| StoreError::conflict("resource_id", m);
    match input.resource_type.as_str() {
        "team" => {
            let t = resources::get_team(store, &ctx.scope, &input.resource_id)
                .await
                .map_err(not_found)?;
            check_team(t.active, &t.status).map_err(refused)?;
            Ok((team_name(&t.name, t.headcount), t.lon, t.lat))
        }
        "expert" => {
            let e = resources::get_expert(store, &ctx.scope, &input.resource_id)
                .await
                .map_err(not_found)?;
            check_expert(e.active, &e.status).map_err(|m| refused(m.into()))?;
            Ok((e.name, e.lon, e.lat))
        }
        _ => Err(StoreError::invalid("resource_type", RESOURCE_TYPE_INVALID)),
    }
}

/// 归队: the team or expert is available again.
pub async fn return_back(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    dispatch_id: &str,
) -> StoreResult<Vec<Dispatch>> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(RETURN_DENIED.into()));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    let mut tx = store.begin().await?;
    let (kind, resource_id) =
        dispatches::return_in(&mut tx, ctx, now_ms, &incident, dispatch_id).await?;
    resources::availability::bring_back_in(&mut tx, now_ms, &kind, &resource_id, &incident.id)
        .await?;
    tx.commit().await?;
    dispatches::list(store, &ctx.scope, incident_id, now_ms).await
}

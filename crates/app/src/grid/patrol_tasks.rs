//! 巡查任务: given by a street's managers to a worker for one of the worker's grids
//! (their comprehensive grid, or an overlay they belong to); the worker records the track and
//! finishes it. The status read is the shown one (已逾期 after the due day).

use yingji_core::directory::region::RegionLevel;
use yingji_core::grid::overlays::{COMPREHENSIVE, may_manage};
use yingji_core::grid::patrol_tasks::{
    ALREADY_DONE, NOT_A_TASK_GIVER, NOT_THE_ASSIGNEE, TaskInput, TrackPointInput, check_task,
    check_track, shown_status, supervises,
};
use yingji_core::kernel::role::Scope;
use yingji_store::grid::overlays;
use yingji_store::grid::patrol_tasks::{self, Task, TaskFilter, TaskGrid};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory};

fn shown(mut t: Task, now_ms: i64) -> Task {
    t.status = shown_status(&t.status, &t.due_day, now_ms).to_string();
    t
}

/// The tasks the caller may read, with their shown status.
pub async fn list(store: &Store, ctx: &Ctx, now_ms: i64, f: &TaskFilter) -> StoreResult<Vec<Task>> {
    Ok(patrol_tasks::list(store, ctx, f)
        .await?
        .into_iter()
        .map(|t| shown(t, now_ms))
        .collect())
}

/// One task the caller may read.
pub async fn get(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<Task> {
    Ok(shown(patrol_tasks::get(store, ctx, id).await?, now_ms))
}

/// The street (level street) above a region, walking up the tree.
async fn street_above(store: &Store, code: &str) -> StoreResult<Option<String>> {
    let mut code = code.to_string();
    for _ in 0..6 {
        let r = directory::regions::get(store, &Scope::All, &code).await?;
        if r.level == RegionLevel::Street.as_str() {
            return Ok(Some(r.code));
        }
        match r.parent_code {
            Some(p) => code = p,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// Gives a patrol task: the grid must be one of the assignee's (their own comprehensive grid, or
/// an overlay they belong to) and in a street the caller manages.
// Long because: the grid is either kind, each with its own membership rule.
pub async fn create(store: &Store, ctx: &Ctx, now_ms: i64, input: &TaskInput) -> StoreResult<Task> {
    if !supervises(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_TASK_GIVER.into()));
    }
    let c = check_task(input, now_ms)?;
    let assignee = overlays::candidate(store, input.assignee_id.trim())
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| StoreError::invalid("assignee_id", "网格员不存在或已停用"))?;
    let code = input.grid_code.trim();
    let not_theirs = || {
        StoreError::invalid(
            "grid_code",
            format!(
                "该网格不是{}的网格（本人网格或所在的应急格、安监格）",
                assignee.name
            ),
        )
    };
    let (kind, name, street) = match overlays::find(store, code).await? {
        Some(o) if o.code == code => {
            let full = overlays::get(store, ctx, &o.id)
                .await
                .map_err(|_| StoreError::invalid("grid_code", "网格不存在或不在您的管辖范围内"))?;
            if !full.active || !full.members.iter().any(|m| m.user_id == assignee.id) {
                return Err(not_theirs());
            }
            (full.kind, full.name, full.street_code)
        }
        _ => {
            let region = directory::regions::get(store, &ctx.scope, code)
                .await
                .ok()
                .filter(|r| r.level == RegionLevel::Grid.as_str())
                .ok_or_else(|| {
                    StoreError::invalid("grid_code", "网格不存在或不在您的管辖范围内")
                })?;
            if assignee.region_code.as_deref() != Some(region.code.as_str()) {
                return Err(not_theirs());
            }
            let street = street_above(store, &region.code).await?.unwrap_or_default();
            (COMPREHENSIVE.to_string(), region.name, street)
        }
    };
    if !may_manage(ctx.role, &ctx.scope, &street) {
        return Err(StoreError::Forbidden(NOT_A_TASK_GIVER.into()));
    }
    let grid = TaskGrid {
        kind: &kind,
        code,
        name: &name,
        street_code: &street,
    };
    let mut tx = store.begin().await?;
    let id = patrol_tasks::create_in(
        &mut tx,
        ctx,
        now_ms,
        &c,
        (&assignee.id, &assignee.name),
        grid,
    )
    .await?;
    tx.commit().await?;
    get(store, ctx, now_ms, &id).await
}

/// The caller's own open task a check-in names (refused naming `task_id` otherwise).
pub async fn for_check_in(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Task> {
    match patrol_tasks::get(store, ctx, id).await {
        Ok(t) if t.assignee_id == ctx.user_id && t.status != "done" => Ok(t),
        Ok(_) | Err(StoreError::NotFound) | Err(StoreError::Forbidden(_)) => Err(
            StoreError::invalid("task_id", "巡查任务不存在、不是您的或已完成"),
        ),
        Err(e) => Err(e),
    }
}

/// The assignee records track points (the task is then in progress) or, with `finish`, finishes
/// it (with its last points, if any). Bad points store nothing.
pub async fn progress(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    points: &[TrackPointInput],
    finish: bool,
) -> StoreResult<Task> {
    let t = patrol_tasks::get(store, ctx, id).await?;
    if t.assignee_id != ctx.user_id {
        return Err(StoreError::Forbidden(NOT_THE_ASSIGNEE.into()));
    }
    let mut tx = store.begin().await?;
    let t = patrol_tasks::get_in(&mut tx, id).await?;
    if t.status == "done" {
        return Err(StoreError::conflict("status", ALREADY_DONE));
    }
    let checked = if points.is_empty() {
        vec![]
    } else {
        let since = t.started_ms.unwrap_or(t.created_ms);
        let last = t.track.last().map(|p| p.2).unwrap_or(since);
        check_track(points, t.track.len(), last.max(since), now_ms)?
    };
    patrol_tasks::progress_in(&mut tx, ctx, now_ms, &t, &checked, finish).await?;
    tx.commit().await?;
    get(store, ctx, now_ms, id).await
}

//! The demo district's 应急格 and 安监格: in each of the first two streets, an 应急格 over each
//! of its first two communities and a 安监格 over each of its first two grids, made through the
//! use cases by the street's staff (the first street) or the administrator; the demo grid worker
//! is a member of the overlays over their grid and has two patrol tasks (one done with a track).

use super::enforcement_cases::ctx_of;
use yingji_app::grid::{overlays, patrol_tasks};
use yingji_core::grid::overlays::OverlayInput;
use yingji_core::grid::patrol_tasks::{TaskInput, TrackPointInput};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Scope;
use yingji_store::directory::regions::{self, RegionFilter};
use yingji_store::{Store, StoreResult};

const DAY: i64 = 86_400_000;

/// Answers how many overlays were made.
pub async fn generate_grid_overlays(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(admin), Some(grid)) = (ctx_of(store, "admin").await?, ctx_of(store, "grid").await?)
    else {
        return Ok(0);
    };
    let own_grid = match &grid.scope {
        Scope::Region { region_code, .. } => region_code.clone(),
        _ => return Ok(0),
    };
    let made = overlays_of_streets(store, &admin, now).await?;
    let grids = regions::list(
        store,
        &Scope::All,
        &RegionFilter {
            level: Some("grid".into()),
            ..Default::default()
        },
    )
    .await?;
    let Some(point) = grids
        .iter()
        .find(|g| g.code == own_grid)
        .and_then(|g| g.center)
    else {
        return Ok(made);
    };
    let theirs = overlays::locate(store, point[0], point[1]).await?;
    for g in theirs.iter().filter_map(|g| g.id.as_ref()) {
        overlays::set_member(store, &admin, now - 29 * DAY, g, &grid.user_id, true).await?;
    }
    let task = |title: &str, code: &str, due: i64| TaskInput {
        title: title.into(),
        assignee_id: grid.user_id.clone(),
        grid_code: code.into(),
        route: Some(serde_json::json!({"type": "LineString", "coordinates": [
            point, [point[0] + 0.002, point[1] + 0.001], [point[0] + 0.003, point[1] - 0.001]
        ]})),
        due_day: today(due).to_string(),
        note: Some("重点查看河道护栏、低洼易涝点和沿街店铺消防通道".into()),
    };
    let done = patrol_tasks::create(
        store,
        &admin,
        now - 2 * DAY,
        &task("汛期河道巡查", &own_grid, now - DAY),
    )
    .await?;
    let track: Vec<TrackPointInput> = (0..12)
        .map(|i| TrackPointInput {
            lon: Some(point[0] + 0.00025 * f64::from(i)),
            lat: Some(point[1] + 0.0001 * f64::from(i % 3)),
            t: Some(now - 2 * DAY + 3_600_000 + i64::from(i) * 60_000),
        })
        .collect();
    patrol_tasks::progress(
        store,
        &grid,
        now - 2 * DAY + 2 * 3_600_000,
        &done.id,
        &track,
        true,
    )
    .await?;
    if let Some(code) = theirs
        .iter()
        .find(|g| g.kind == "safety")
        .map(|g| g.code.clone())
    {
        patrol_tasks::create(
            store,
            &admin,
            now,
            &task("沿街店铺消防安全巡查", &code, now + 3 * DAY),
        )
        .await?;
    }
    Ok(made)
}

/// An 应急格 over each of the first two communities and a 安监格 over each of the first two grids
/// of the first two streets; answers how many were made.
async fn overlays_of_streets(
    store: &Store,
    admin: &yingji_store::kernel::Ctx,
    now: i64,
) -> StoreResult<usize> {
    let level = |l: &str| RegionFilter {
        level: Some(l.into()),
        ..Default::default()
    };
    let streets = regions::list(store, &Scope::All, &level("street")).await?;
    let communities = regions::list(store, &Scope::All, &level("community")).await?;
    let grids = regions::list(store, &Scope::All, &level("grid")).await?;
    let mut made = Vec::new();
    for (si, street) in streets.iter().take(2).enumerate() {
        let kinds = [
            ("emergency", "应急格", "YJ", &communities),
            ("safety", "安监格", "AJ", &grids),
        ];
        for (kind, label, prefix, list) in kinds {
            let inside = list.iter().filter(|r| r.code.starts_with(&street.code));
            for (i, r) in inside.take(2).enumerate() {
                let Some(boundary) = regions::boundary(store, &Scope::All, &r.code).await? else {
                    continue;
                };
                let input = OverlayInput {
                    code: format!("{prefix}-{}-{:02}", si + 1, i + 1),
                    name: format!("{}{label}", r.name),
                    kind: kind.into(),
                    street_code: street.code.clone(),
                    boundary: Some(boundary),
                    active: Some(true),
                };
                // A shape the checks refuse (a demo partition's seam) is left out, not fatal.
                if let Ok(o) = overlays::create(store, admin, now - 30 * DAY, &input).await {
                    made.push(o);
                }
            }
        }
    }
    Ok(made.len())
}

//! 护林员 patrols and 火点 from the phone (grid-worker accounts), and the bureau's decision on a
//! 火点: confirmed, it becomes an incident 森林火灾 (the response capability's intake) linked back,
//! with the burnt hectares the 受害率 counts; or dismissed as 误报.

use super::forest::{config_of, department_of, district_for, reader};
use yingji_core::disasters::forest::NOT_FOREST_STAFF;
use yingji_core::disasters::forest_patrols::{
    FirePointDecision, FirePointInput, FirePointStatus, NOT_A_RANGER, POINT_DECIDED, PatrolInput,
    burnt_of, check_account, check_fire_point, check_patrol, incident_title, may_confirm,
    size_label,
};
use yingji_core::kernel::clock::{to_rfc3339, today};
use yingji_core::kernel::geo;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::response::reports::IncidentInput;
use yingji_store::disasters::forest::{self, Area};
use yingji_store::disasters::forest_patrols::{self as rows, FirePoint, Patrol, PointDecision};
use yingji_store::kernel::{Ctx, attachments};
use yingji_store::response::incidents;
use yingji_store::{Store, StoreError, StoreResult};

pub const PATROL_OWNER: &str = "forest_patrol";
pub const FIRE_POINT_OWNER: &str = "forest_fire_point";

/// The ranger's grid code, once the caller is a ranger (a grid worker).
fn ranger_grid(ctx: &Ctx) -> StoreResult<&str> {
    match (&ctx.role, ctx.scope.region_prefix()) {
        (Role::GridWorker, Some(p)) => Ok(p),
        _ => Err(StoreError::Forbidden(NOT_A_RANGER.into())),
    }
}

/// The forest areas of the ranger's street.
async fn ranger_areas(store: &Store, grid: &str) -> StoreResult<Vec<Area>> {
    Ok(forest::list_areas(store, &Scope::All)
        .await?
        .into_iter()
        .filter(|a| grid.starts_with(&a.street_code))
        .collect())
}

/// The forest areas a ranger may patrol (their street's).
pub async fn my_areas(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Area>> {
    ranger_areas(store, ranger_grid(ctx)?).await
}

/// Records a patrol of one of the ranger's areas with its photos.
pub async fn record_patrol(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &PatrolInput,
) -> StoreResult<Patrol> {
    let grid = ranger_grid(ctx)?;
    let checked = check_patrol(input, now_ms)?;
    let area = ranger_areas(store, grid)
        .await?
        .into_iter()
        .find(|a| a.id == checked.area_id)
        .ok_or_else(|| StoreError::invalid("area_id", "林区不存在或不在您负责的街道（乡镇）"))?;
    let mut tx = store.begin().await?;
    let id =
        rows::create_patrol_in(&mut tx, &ctx.actor, now_ms, &area.district_code, &checked).await?;
    attachments::link(
        &mut tx,
        &checked.photo_ids,
        PATROL_OWNER,
        &id,
        Some(&ctx.user_id),
        "photo_ids",
    )
    .await?;
    tx.commit().await?;
    rows::get_patrol(store, &Scope::All, &id).await
}

/// One patrol the caller may see (its ranger, or a reader of its region).
pub async fn patrol(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Patrol> {
    if ctx.role == Role::GridWorker {
        let p = rows::get_patrol(store, &Scope::All, id).await?;
        return if p.ranger_id == ctx.user_id {
            Ok(p)
        } else {
            Err(StoreError::NotFound)
        };
    }
    reader(store, ctx).await?;
    rows::get_patrol(store, &ctx.scope, id).await
}

/// Patrols: a ranger's own, otherwise those of the caller's region.
pub async fn patrols(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Patrol>> {
    if ctx.role == Role::GridWorker {
        return rows::list_patrols(store, &ctx.scope, Some(&ctx.user_id)).await;
    }
    reader(store, ctx).await?;
    rows::list_patrols(store, &ctx.scope, None).await
}

/// Reports a 火点: in one of the ranger's areas (named, or found from the point), or outside any.
pub async fn report_point(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &FirePointInput,
) -> StoreResult<FirePoint> {
    let grid = ranger_grid(ctx)?;
    let mut checked = check_fire_point(input)?;
    let areas = ranger_areas(store, grid).await?;
    let area = match &checked.area_id {
        Some(id) => Some(areas.iter().find(|a| &a.id == id).ok_or_else(|| {
            StoreError::invalid("area_id", "林区不存在或不在您负责的街道（乡镇）")
        })?),
        None => areas.iter().find(|a| {
            geo::area_contains(&geo::stored_polygons(&a.outline), checked.lon, checked.lat)
        }),
    };
    checked.area_id = area.map(|a| a.id.clone());
    let district = forest::district_of(grid);
    let year = i64::from(today(now_ms).year());
    let mut tx = store.begin().await?;
    let id = rows::create_point_in(&mut tx, &ctx.actor, now_ms, &district, year, &checked).await?;
    attachments::link(
        &mut tx,
        &checked.photo_ids,
        FIRE_POINT_OWNER,
        &id,
        Some(&ctx.user_id),
        "photo_ids",
    )
    .await?;
    tx.commit().await?;
    rows::get_point(store, &Scope::All, &id).await
}

/// 火点: a ranger's own, otherwise those of the caller's region.
pub async fn points(store: &Store, ctx: &Ctx) -> StoreResult<Vec<FirePoint>> {
    if ctx.role == Role::GridWorker {
        return rows::list_points(store, &ctx.scope, Some(&ctx.user_id)).await;
    }
    reader(store, ctx).await?;
    rows::list_points(store, &ctx.scope, None).await
}

/// One 火点 the caller may see (its reporter, or a reader of its region).
pub async fn point(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<FirePoint> {
    if ctx.role == Role::GridWorker {
        let p = rows::get_point(store, &Scope::All, id).await?;
        return if p.reporter_id == ctx.user_id {
            Ok(p)
        } else {
            Err(StoreError::NotFound)
        };
    }
    reader(store, ctx).await?;
    rows::get_point(store, &ctx.scope, id).await
}

/// The incident a confirmed 火点 opens (森林火灾, 自然灾害).
fn incident_of(p: &FirePoint, d: &FirePointDecision, account: String) -> IncidentInput {
    let place = p
        .area_name
        .clone()
        .unwrap_or_else(|| format!("经度{} 纬度{}", p.lon, p.lat));
    IncidentInput {
        title: incident_title(p.area_name.as_deref(), d.title.as_deref()),
        category: "natural".into(),
        subtype: "forest_fire".into(),
        occurred_at: to_rfc3339(p.reported_ms),
        received_at: None,
        unit_learned_at: None,
        enterprise_id: None,
        region_code: Some(
            p.street_code
                .clone()
                .unwrap_or_else(|| p.district_code.clone()),
        ),
        lon: Some(p.lon),
        lat: Some(p.lat),
        casualties: Default::default(),
        texts: yingji_core::response::incident::ReportTexts {
            location: place,
            scene: format!(
                "护林员{}报告火点（{}）",
                p.reporter_name,
                size_label(&p.size)
            ),
            account,
            measures: "已组织扑救力量赶赴现场".into(),
            ..Default::default()
        },
        warning_level: None,
        assessed_severity: None,
        larger_risk_judged: false,
        reporter_name: Some(p.reporter_name.clone()),
        reporter_phone: None,
        report_channel: None,
        attachments: vec![],
    }
}

/// 核实火点: confirmed, an incident 森林火灾 is recorded and linked, in one transaction; or 误报.
pub async fn decide_point(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    d: &FirePointDecision,
) -> StoreResult<FirePoint> {
    let district = district_for(store, &ctx.scope).await?;
    let config = config_of(store, &district).await?;
    if !may_confirm(ctx.role, department_of(ctx), &config) {
        return Err(StoreError::Forbidden(NOT_FOREST_STAFF.into()));
    }
    let p = rows::get_point(store, &ctx.scope, id).await?;
    if p.status != FirePointStatus::Reported {
        return Err(StoreError::conflict("confirm", POINT_DECIDED));
    }
    let burnt_m2 = burnt_of(d)?;
    let mut tx;
    let incident_id = if d.confirm {
        let account = check_account(
            d.account
                .as_deref()
                .or(p.note.as_deref())
                .unwrap_or("护林员报告发现火情"),
        )
        .map_err(|m| StoreError::invalid("account", m))?;
        let checked =
            incidents::check_create(store, ctx, now_ms, &incident_of(&p, d, account)).await?;
        tx = store.begin().await?;
        Some(incidents::create_in(&mut tx, ctx, now_ms, &checked).await?)
    } else {
        tx = store.begin().await?;
        None
    };
    let decision = PointDecision {
        id,
        to: if d.confirm {
            FirePointStatus::Confirmed
        } else {
            FirePointStatus::Dismissed
        },
        incident_id: incident_id.as_deref(),
        burnt_m2: if d.confirm { burnt_m2 } else { 0 },
    };
    rows::decide_point_in(&mut tx, &ctx.actor, now_ms, &decision).await?;
    tx.commit().await?;
    rows::get_point(store, &ctx.scope, id).await
}

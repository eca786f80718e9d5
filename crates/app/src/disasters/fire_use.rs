//! 野外用火审批: the public's application (no login), the forest authority's decision with the
//! applicant texted, the console's list and detail, the public tracking page.

use super::forest::{config_of, keeper, reader, text_applicant};
use yingji_core::disasters::fire_use::{
    ApplicationInput, DecisionInput, Status, check, decide as rule, first_blocked, message,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::geo;
use yingji_core::kernel::role::Scope;
use yingji_store::disasters::fire_use::{self, Application, Place, StepIn, Tracking};
use yingji_store::disasters::forest::{self, Area};
use yingji_store::kernel::{Ctx, outbox};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// Who the audit log names for the public's applications.
pub const PUBLIC_APPLICANT: &str = "公众（野外用火申请）";

/// The forest areas the public form offers.
pub async fn public_areas(store: &Store) -> StoreResult<Vec<Area>> {
    forest::list_areas(store, &Scope::All).await
}

/// The area of an application: the one named, or the one the point lies in. None: nothing was
/// given; Some(Err): the area named is unknown, or the point is in no forest area.
async fn area_of(
    store: &Store,
    input: &ApplicationInput,
) -> StoreResult<Option<Result<Area, &'static str>>> {
    if let Some(id) = input.area_id.as_deref().filter(|s| !s.trim().is_empty()) {
        return Ok(Some(
            forest::get_area(store, &Scope::All, id.trim())
                .await
                .map_err(|_| "所选林区不存在"),
        ));
    }
    let (Some(lon), Some(lat)) = (input.lon, input.lat) else {
        return Ok(None);
    };
    let found = public_areas(store)
        .await?
        .into_iter()
        .find(|a| geo::area_contains(&geo::stored_polygons(&a.outline), lon, lat));
    Ok(Some(found.ok_or(
        "用火地点不在已登记的林区内：林区以外的野外用火不需要森林防火审批，如有疑问请联系属地乡镇（街道）",
    )))
}

/// Records a public application after its checks; answers (code, tracking code).
pub async fn apply(
    store: &Store,
    now_ms: i64,
    ip: Option<String>,
    input: &ApplicationInput,
) -> StoreResult<(String, String)> {
    let area = match area_of(store, input).await? {
        Some(Err(m)) => return Err(StoreError::invalid("area_id", m)),
        Some(Ok(a)) => Some(a),
        None => None,
    };
    let district = match &area {
        Some(a) => a.district_code.clone(),
        None => super::forest::district_for(store, &Scope::All).await?,
    };
    let config = config_of(store, &district).await?;
    let mut checked = check(input, today(now_ms), &config, area.as_ref().map(|_| true))?;
    checked.area_id = area.as_ref().map(|a| a.id.clone());
    let actor = Actor {
        user_id: None,
        name: PUBLIC_APPLICANT.into(),
        ip,
    };
    let place = Place {
        district_code: &district,
        street_code: area.as_ref().map(|a| a.street_code.as_str()),
    };
    let mut tx = store.begin().await?;
    let (_, code, tracking) =
        fire_use::create_in(&mut tx, &actor, now_ms, &place, &checked).await?;
    tx.commit().await?;
    Ok((code, tracking))
}

/// The applications of the caller's region.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    status: Option<Status>,
) -> StoreResult<Vec<Application>> {
    reader(store, ctx).await?;
    fire_use::list(store, &ctx.scope, status).await
}

/// An application with its steps and the texts sent to the applicant.
pub struct Detail {
    pub application: Application,
    pub steps: Vec<(Status, i64, Option<String>)>,
    pub deliveries: Vec<outbox::Delivery>,
    /// Whether the caller may decide it now.
    pub may_decide: bool,
}

pub async fn detail(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Detail> {
    reader(store, ctx).await?;
    let application = fire_use::get(store, &ctx.scope, id).await?;
    let may_decide = application.status == Status::Pending && keeper(store, ctx).await.is_ok();
    Ok(Detail {
        steps: fire_use::events(store, id).await?,
        deliveries: outbox::list(store, outbox::ListBy::Subject, id).await?,
        application,
        may_decide,
    })
}

/// 审批: approves (unless a day's level stops fire use, or its days are past) or refuses with a
/// reason; the applicant is texted in the same transaction.
pub async fn decide(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &DecisionInput,
) -> StoreResult<Detail> {
    let (district, config) = keeper(store, ctx).await?;
    let a = fire_use::get(store, &ctx.scope, id).await?;
    let mut tx = store.begin().await?;
    let levels: Vec<(yingji_core::disasters::forest::Day, u8)> =
        forest::levels_tx(&mut tx, &district, &a.day_from, &a.day_to)
            .await?
            .into_iter()
            .filter_map(|l| l.day.parse().ok().map(|d| (d, l.level)))
            .collect();
    let (from, to) = (
        a.day_from.parse().map_err(|_| StoreError::NotFound)?,
        a.day_to.parse().map_err(|_| StoreError::NotFound)?,
    );
    let blocked = first_blocked(&config, from, to, &levels);
    let current = fire_use::load_tx(&mut tx, id).await?;
    let (to_status, reason) = rule(current.status, to, today(now_ms), blocked, input)?;
    let step = StepIn {
        id,
        code: &a.code,
        from: current.status,
        to: to_status,
        reason: reason.as_deref(),
        suspended_day: None,
    };
    fire_use::step_in(&mut tx, &ctx.actor, now_ms, &step).await?;
    let body = message(&a.code, to_status, reason.as_deref(), None);
    text_applicant(&mut tx, now_ms, &a, "fire_use.decide", &body).await?;
    tx.commit().await?;
    detail(store, ctx, id).await
}

/// The public tracking page.
pub async fn track(store: &Store, tracking: &str) -> StoreResult<Tracking> {
    fire_use::track(store, tracking).await
}

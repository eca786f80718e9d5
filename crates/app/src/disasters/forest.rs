//! 森林防火: the district's configuration as in force, the forest areas with today's level, the
//! daily 森林火险气象等级 — and when a day reaches the stop level, every approved 野外用火 of that
//! day suspended at once and its applicant texted (R05) — and the two indicators.

use yingji_core::disasters::fire_use::{Status, message};
use yingji_core::disasters::forest::{
    AreaInput, ForestConfig, Indicator, LevelInput, NOT_FOREST_STAFF, check_area, check_level,
    coverage_rate, damage_rate,
};
use yingji_core::disasters::forest_patrols::{
    NOT_A_LEVEL_KEEPER, NOT_A_READER, may_enter_levels, may_keep, may_read,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;
use yingji_store::disasters::fire_use::{self, StepIn};
use yingji_store::disasters::forest::{self, Area, DayLevel, NewLevel, district_of};
use yingji_store::disasters::forest_patrols;
use yingji_store::kernel::{Ctx, outbox};
use yingji_store::{Actor, Store, StoreError, StoreResult, Tx};

/// The caller's department, for department staff.
pub fn department_of(ctx: &Ctx) -> Option<&str> {
    match &ctx.scope {
        Scope::Department { department_id, .. } => Some(department_id),
        _ => None,
    }
}

/// The district the caller works in: their region's, or the deployment's first for
/// administrators.
pub async fn district_for(store: &Store, scope: &Scope) -> StoreResult<String> {
    if let Some(p) = scope.region_prefix() {
        return Ok(district_of(p));
    }
    let top = yingji_store::directory::regions::top_code(store)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(district_of(&top))
}

/// The forest configuration in force in a district.
pub async fn config_of(store: &Store, district: &str) -> StoreResult<ForestConfig> {
    Ok(yingji_store::prevention::rules::current(store, district)
        .await?
        .rules
        .forest)
}

/// The caller's district and its configuration, once the caller may read the forest pages.
pub async fn reader(store: &Store, ctx: &Ctx) -> StoreResult<(String, ForestConfig)> {
    let district = district_for(store, &ctx.scope).await?;
    let config = config_of(store, &district).await?;
    if !may_read(ctx.role, department_of(ctx), &config) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    Ok((district, config))
}

/// The caller's district and its configuration, once the caller may keep the registers.
pub async fn keeper(store: &Store, ctx: &Ctx) -> StoreResult<(String, ForestConfig)> {
    let district = district_for(store, &ctx.scope).await?;
    let config = config_of(store, &district).await?;
    if !may_keep(ctx.role, department_of(ctx), &config) {
        return Err(StoreError::Forbidden(NOT_FOREST_STAFF.into()));
    }
    Ok((district, config))
}

/// Whether a street code names a street of the district.
async fn street_known(store: &Store, district: &str, code: &str) -> StoreResult<bool> {
    let code = code.trim();
    if code.len() != 9 || !code.starts_with(district) {
        return Ok(false);
    }
    Ok(
        yingji_store::directory::regions::get(store, &Scope::All, code)
            .await
            .is_ok(),
    )
}

/// 新建林区.
pub async fn create_area(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &AreaInput,
) -> StoreResult<Area> {
    let (district, _) = keeper(store, ctx).await?;
    let known = street_known(store, &district, &input.street_code).await?;
    let checked = check_area(input, known)?;
    let mut tx = store.begin().await?;
    let id = forest::create_area_in(&mut tx, &ctx.actor, now_ms, &checked).await?;
    tx.commit().await?;
    forest::get_area(store, &ctx.scope, &id).await
}

/// 修改林区.
pub async fn update_area(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &AreaInput,
) -> StoreResult<Area> {
    let (district, _) = keeper(store, ctx).await?;
    let before = forest::get_area(store, &ctx.scope, id).await?;
    let known = street_known(store, &district, &input.street_code).await?;
    let checked = check_area(input, known)?;
    let mut tx = store.begin().await?;
    forest::update_area_in(&mut tx, &ctx.actor, now_ms, &before, &checked).await?;
    tx.commit().await?;
    forest::get_area(store, &ctx.scope, id).await
}

/// The forest areas of the caller's region and today's level of the district.
pub async fn areas(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
) -> StoreResult<(Vec<Area>, Option<DayLevel>)> {
    let (district, _) = reader(store, ctx).await?;
    let day = today(now_ms).to_string();
    let list = forest::list_areas(store, &ctx.scope).await?;
    let level = forest::levels(store, &district, &day, &day).await?.pop();
    Ok((list, level))
}

/// The district's levels between two days (the calendar).
pub async fn levels(
    store: &Store,
    ctx: &Ctx,
    from: &str,
    to: &str,
) -> StoreResult<(Vec<DayLevel>, ForestConfig)> {
    let (district, config) = reader(store, ctx).await?;
    Ok((forest::levels(store, &district, from, to).await?, config))
}

/// What entering a level did.
#[derive(Debug, Clone)]
pub struct LevelOutcome {
    pub level: DayLevel,
    pub previous: Option<u8>,
    /// Codes of the applications suspended.
    pub suspended: Vec<String>,
}

/// Enters a day's level; at the stop level every approved application of that day is
/// suspended and its applicant texted, in the same transaction (R05).
pub async fn set_level(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &LevelInput,
) -> StoreResult<LevelOutcome> {
    let district = district_for(store, &ctx.scope).await?;
    let config = config_of(store, &district).await?;
    if !may_enter_levels(ctx.role, department_of(ctx), &config) {
        return Err(StoreError::Forbidden(NOT_A_LEVEL_KEEPER.into()));
    }
    let (day, level, note) = check_level(input, today(now_ms))?;
    let day = day.to_string();
    let l = NewLevel {
        district: &district,
        day: &day,
        level,
        source: "manual",
        note: note.as_deref(),
    };
    let mut tx = store.begin().await?;
    let (previous, suspended) = record_level_in(&mut tx, &ctx.actor, now_ms, &config, &l).await?;
    tx.commit().await?;
    let level = forest::levels(store, &district, &day, &day)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    Ok(LevelOutcome {
        level,
        previous,
        suspended,
    })
}

/// Records a level and suspends the day's approved applications when it stops fire use (also
/// the CAP feed's path); answers the level replaced and the codes suspended.
pub async fn record_level_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    config: &ForestConfig,
    l: &NewLevel<'_>,
) -> StoreResult<(Option<u8>, Vec<String>)> {
    let previous = forest::set_level_in(tx, actor, now_ms, l).await?;
    let mut suspended = Vec::new();
    if !config.stops(l.level) {
        return Ok((previous, suspended));
    }
    let day = l.day.parse::<yingji_core::disasters::forest::Day>().ok();
    for a in fire_use::approved_on_tx(tx, l.district, l.day).await? {
        let step = StepIn {
            id: &a.id,
            code: &a.code,
            from: Status::Approved,
            to: Status::Suspended,
            reason: None,
            suspended_day: Some(l.day),
        };
        fire_use::step_in(tx, actor, now_ms, &step).await?;
        let body = message(&a.code, Status::Suspended, None, day);
        text_applicant(tx, now_ms, &a, "fire_use.suspend", &body).await?;
        suspended.push(a.code);
    }
    Ok((previous, suspended))
}

/// Texts the applicant (a mobile number; a fixed line gets nothing).
pub async fn text_applicant(
    tx: &mut Tx,
    now_ms: i64,
    a: &fire_use::Application,
    event: &str,
    body: &str,
) -> StoreResult<usize> {
    let msg = Message {
        event: event.into(),
        title: "野外用火审批".into(),
        body: body.into(),
        link: "/public/fire-use".into(),
        subject_id: a.id.clone(),
    };
    let people = [(
        a.id.clone(),
        a.applicant_name.clone(),
        Some(a.applicant_phone.clone()),
    )];
    outbox::text_people(tx, now_ms, &people, &msg).await
}

/// 森林火灾受害率 of a year and 森林火险感知面积覆盖率 now, for the caller's region.
pub async fn indicators(
    store: &Store,
    ctx: &Ctx,
    year: i64,
) -> StoreResult<(Indicator, Indicator)> {
    reader(store, ctx).await?;
    let (area, covered) = forest::area_totals(store, &ctx.scope).await?;
    let burnt = forest_patrols::burnt_m2(store, &ctx.scope, year).await?;
    Ok((damage_rate(burnt, area), coverage_rate(covered, area)))
}

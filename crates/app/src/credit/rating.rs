//! Ratings: recomputed in the transaction of the use case that changed the record (a penalty
//! decision, an accident recorded or regraded, an adjustment), in bulk by the job and the admin
//! route, and replayed as of any past day without being stored.

use std::collections::HashMap;
use yingji_core::credit::facts::Facts;
use yingji_core::credit::rating::{REFRESH_ACTOR, next_refresh_ms};
use yingji_core::credit::rating::{Rating, change_explanation, newest_reason, rate};
use yingji_core::credit::scheme::CreditScheme;
use yingji_core::kernel::clock::{Date, today};
use yingji_core::kernel::role::Role;
use yingji_store::credit::facts;
use yingji_store::credit::rating::{self as ratings, Recorded};
use yingji_store::credit::scheme;
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::timers::{
    self, RATING_REFRESH_SUBJECT, RatingRefresh, TimerCode, TimerKind,
};
use yingji_store::{Actor, Store, StoreError, StoreResult, Tx};

/// What a recompute concluded for one enterprise.
fn cause_of(rating: &Rating, trigger: Option<&str>) -> String {
    trigger
        .and_then(|t| {
            rating
                .reasons
                .iter()
                .find(|r| r.record_id.as_deref() == Some(t))
        })
        .or_else(|| newest_reason(rating))
        .map(|r| r.text.clone())
        .unwrap_or_else(|| "依据信用评价方案重新评定".into())
}

/// Recomputes one enterprise's rating inside the caller's transaction. `trigger` is the id of
/// the record that changed (its reason explains the change in the history).
pub async fn recompute_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    enterprise_id: &str,
    trigger: Option<&str>,
) -> StoreResult<Rating> {
    let region = ratings::region_of_in(tx, enterprise_id).await?;
    let s = scheme::current_tx(tx, &region).await?;
    let f = facts::for_enterprise_in(tx, enterprise_id).await?;
    let day = today(now_ms);
    let rating = rate(&s.scheme, &f, day);
    let old = ratings::current_in(tx, enterprise_id).await?;
    let cause = cause_of(&rating, trigger);
    let explanation = change_explanation(&cause, old.as_ref().map(|o| o.0.as_str()), &rating.tier);
    let w = Recorded {
        enterprise_id,
        rating: &rating,
        scheme_version: s.version,
        as_of_day: day.to_string(),
        old,
        cause: &cause,
        explanation: &explanation,
    };
    ratings::record_in(tx, actor, now_ms, &w).await?;
    Ok(rating)
}

/// Recomputes the ratings of `enterprises` in the caller's transaction, as the system (a timer
/// that changed their facts).
pub async fn recompute_each_in(
    tx: &mut Tx,
    who: &str,
    now_ms: i64,
    enterprises: &[String],
    trigger: Option<&str>,
) -> StoreResult<()> {
    let actor = Actor::system(who);
    for id in enterprises {
        recompute_in(tx, &actor, now_ms, id, trigger).await?;
    }
    Ok(())
}

/// The daily 安全承诺 sweep: after flagging the day's misses, the ratings of those missing.
pub async fn after_commitment_sweep_in(
    tx: &mut Tx,
    district: &str,
    day: &str,
    now_ms: i64,
) -> StoreResult<()> {
    let ids = facts::missed_on_in(tx, district, day).await?;
    recompute_each_in(tx, "安全承诺检查", now_ms, &ids, None).await
}

/// A listing's management period ended: the ratings of the units it listed.
pub async fn after_listing_change_in(
    tx: &mut Tx,
    who: &str,
    now_ms: i64,
    case_id: &str,
) -> StoreResult<()> {
    let ids = facts::listed_units_in(tx, case_id).await?;
    recompute_each_in(tx, who, now_ms, &ids, None).await
}

/// Recomputes every enterprise's rating in one transaction; answers how many were rated and
/// how many changed tier.
pub async fn recompute_all(
    store: &Store,
    actor: &Actor,
    now_ms: i64,
) -> StoreResult<(usize, usize)> {
    let mut tx = store.begin().await?;
    let n = recompute_all_in(&mut tx, actor, now_ms).await?;
    ensure_refresh_in(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(n)
}

/// Schedules the nightly refresh (02:00 Asia/Shanghai) unless one is pending.
pub async fn ensure_refresh(store: &Store, now_ms: i64) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    ensure_refresh_in(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(())
}

async fn ensure_refresh_in(tx: &mut Tx, now_ms: i64) -> StoreResult<()> {
    if timers::pending_in(tx, RATING_REFRESH_SUBJECT, TimerCode::RatingRefresh).await? > 0 {
        return Ok(());
    }
    let due = next_refresh_ms(now_ms);
    let kind = TimerKind::RatingRefresh(RatingRefresh {
        day: today(due).to_string(),
    });
    timers::schedule(tx, now_ms, &kind, RATING_REFRESH_SUBJECT, due).await?;
    Ok(())
}

/// The nightly refresh (in the scheduler's transaction, which has claimed the timer): every
/// rating recomputed as of today, then the next night's scheduled.
pub async fn fire_refresh_in(tx: &mut Tx, now_ms: i64) -> StoreResult<()> {
    recompute_all_in(tx, &Actor::system(REFRESH_ACTOR), now_ms).await?;
    ensure_refresh_in(tx, now_ms).await
}

/// Recomputes every enterprise's rating in the caller's transaction: (rated, changed tier).
async fn recompute_all_in(tx: &mut Tx, actor: &Actor, now_ms: i64) -> StoreResult<(usize, usize)> {
    let list = ratings::enterprises_in(tx).await?;
    let mut all = facts::all_in(tx).await?;
    let current = ratings::all_current_in(tx).await?;
    let mut schemes: HashMap<String, (i64, CreditScheme)> = HashMap::new();
    let day = today(now_ms);
    let empty = Facts::default();
    let mut changed = 0;
    for (id, region) in &list {
        let district = scheme::district_of(region);
        if !schemes.contains_key(&district) {
            let s = scheme::current_tx(tx, &district).await?;
            schemes.insert(district.clone(), (s.version, s.scheme));
        }
        let (version, s) = &schemes[&district];
        let f = all.remove(id);
        let rating = rate(s, f.as_ref().unwrap_or(&empty), day);
        let old = current.get(id).cloned();
        if old.as_ref().is_some_and(|o| o.0 != rating.tier) {
            changed += 1;
        }
        let cause = cause_of(&rating, None);
        let explanation =
            change_explanation(&cause, old.as_ref().map(|o| o.0.as_str()), &rating.tier);
        let w = Recorded {
            enterprise_id: id,
            rating: &rating,
            scheme_version: *version,
            as_of_day: day.to_string(),
            old,
            cause: &cause,
            explanation: &explanation,
        };
        ratings::record_in(tx, actor, now_ms, &w).await?;
    }
    Ok((list.len(), changed))
}

/// Only the administrator and the bureau's leaders start a recompute of every enterprise.
pub const NOT_A_RECOMPUTER: &str = "仅系统管理员或局领导可重新评定全部企业的信用等级";

/// The admin route's bulk recompute.
pub async fn recompute_all_by(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
) -> StoreResult<(usize, usize)> {
    if !matches!(ctx.role, Role::Admin | Role::Commander) {
        return Err(StoreError::Forbidden(NOT_A_RECOMPUTER.into()));
    }
    recompute_all(store, &ctx.actor, now_ms).await
}

/// The rating of an enterprise the caller may see, replayed as of `as_of` from the record under
/// the scheme in force now (nothing is stored).
pub async fn replay(
    store: &Store,
    ctx: &Ctx,
    enterprise_id: &str,
    as_of: Date,
) -> StoreResult<(i64, Rating)> {
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    let s = scheme::current(store, &e.grid_code).await?;
    let mut tx = store.begin().await?;
    let f = facts::for_enterprise_in(&mut tx, &e.id).await?;
    tx.rollback().await?;
    Ok((s.version, rate(&s.scheme, &f, as_of)))
}

/// The rating of an enterprise the caller may see (computed and stored now if it never was).
pub async fn current(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    enterprise_id: &str,
) -> StoreResult<ratings::RatingRow> {
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    match ratings::get(store, &ctx.scope, &e.id).await {
        Err(StoreError::NotFound) => {
            let mut tx = store.begin().await?;
            recompute_in(&mut tx, &Actor::system("信用评定"), now_ms, &e.id, None).await?;
            tx.commit().await?;
            ratings::get(store, &ctx.scope, &e.id).await
        }
        other => other,
    }
}

//! 有奖举报: the officer's steps (核查 → 认定 → 奖励决定 → 发放), each in one transaction with
//! its audit record, and the reporter's claim with the tracking code and a phone check (wrong
//! tries counted per tracking code, locked for an hour after five).

use yingji_core::enforcement::surcharge::fen_text;
use yingji_core::grid::events::Source;
use yingji_core::grid::rewards::{
    self as rules, Basis, CLAIM_LOCK_MS, CLAIM_LOCKED, CLAIM_NONE, CLAIM_TRIES, CLAIM_WRONG,
    NOT_AN_OFFICER, NOT_PUBLIC, RewardConfig, amount_fen, check_basis, check_note, check_payment,
    may_act, status,
};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::grid::events::GridEvent;
use yingji_store::grid::rewards::{self as store_rewards, Item, Step};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, Val};

pub async fn config_of(store: &Store, district: &str) -> StoreResult<RewardConfig> {
    Ok(yingji_store::prevention::rules::current(store, district)
        .await?
        .rules
        .grid_rewards)
}

/// The district (6 digits) of a caller's scope, when it has one.
fn district_of(scope: &Scope) -> Option<String> {
    match scope {
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } if prefix.len() >= 6 => {
            Some(prefix[..6].to_string())
        }
        _ => None,
    }
}

/// Whether the caller is a reward officer of the district (the administrator always).
pub async fn is_officer(store: &Store, ctx: &Ctx, district: &str) -> StoreResult<bool> {
    if ctx.role == Role::Admin {
        return Ok(true);
    }
    Ok(config_of(store, district).await?.is_officer(&ctx.user_id))
}

/// The event, when the caller is its district's officer and it came from the public.
async fn as_officer(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<GridEvent> {
    let e = store_rewards::event(store, id).await?;
    if !may_act(ctx.role, is_officer(store, ctx, &e.district_code).await?) {
        return Err(StoreError::Forbidden(NOT_AN_OFFICER.into()));
    }
    if e.source != Source::Public.as_str() {
        return Err(StoreError::invalid("event_id", NOT_PUBLIC));
    }
    Ok(e)
}

/// The officer's queue (`status`: pending / verified / rejected / identified / decided / paid).
pub async fn queue(store: &Store, ctx: &Ctx, status: Option<&str>) -> StoreResult<Vec<Item>> {
    if ctx.role == Role::Admin {
        return store_rewards::queue(store, None, status).await;
    }
    let district = district_of(&ctx.scope);
    let officer = match &district {
        Some(d) => is_officer(store, ctx, d).await?,
        None => false,
    };
    if !officer {
        return Err(StoreError::Forbidden(NOT_AN_OFFICER.into()));
    }
    let districts: Vec<String> = district.into_iter().collect();
    store_rewards::queue(store, Some(&districts), status).await
}

pub async fn detail(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Item> {
    as_officer(store, ctx, id).await?;
    store_rewards::item(store, id).await
}

/// 核查: the report is true or not, with notes.
pub async fn verify(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    (truthful, note): (bool, &str),
) -> StoreResult<Item> {
    let e = as_officer(store, ctx, id).await?;
    let note = check_note("note", "核查意见", note)?;
    let summary = rules::verified_summary(&e.code, truthful);
    let mut tx = store.begin().await?;
    store_rewards::verify_in(&mut tx, &ctx.actor, now_ms, &e, (truthful, &note), summary).await?;
    tx.commit().await?;
    store_rewards::item(store, id).await
}

/// What the officer determines at 认定.
#[derive(Debug, Clone, Default)]
pub struct Identification {
    /// The row of the district's table.
    pub row_code: String,
    /// The fine imposed (元, exact decimal), when there is one.
    pub fine_yuan: Option<String>,
    /// 瞒报谎报事故: the verified hidden deaths.
    pub deaths: Option<i64>,
    pub hazard_id: Option<String>,
    pub case_id: Option<String>,
    pub note: Option<String>,
}

fn opt(v: Option<String>) -> Val {
    v.filter(|s| !s.trim().is_empty()).into()
}

/// 认定: the kind and gravity (a row of the table), the fine, the hazard or case it led to.
pub async fn identify(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    i: Identification,
) -> StoreResult<Item> {
    let e = as_officer(store, ctx, id).await?;
    let config = config_of(store, &e.district_code).await?;
    let row = config
        .row(i.row_code.trim())
        .ok_or_else(|| StoreError::invalid("row_code", "请选择奖励标准表中的一行（认定类别）"))?;
    let basis = check_basis(row.kind, i.fine_yuan.as_deref(), i.deaths)?;
    let note = i
        .note
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| check_note("note", "认定意见", n))
        .transpose()?;
    let s = Step {
        from: status::VERIFIED,
        to: status::IDENTIFIED,
        set: vec![
            ("kind", row.kind.as_str().into()),
            ("row_code", row.code.as_str().into()),
            ("row_name", row.name.as_str().into()),
            ("fine_fen", basis.fine_fen.into()),
            ("deaths", basis.deaths.into()),
            ("hazard_id", opt(i.hazard_id)),
            ("case_id", opt(i.case_id)),
            ("identify_note", note.into()),
            ("identified_ms", now_ms.into()),
        ],
        audit: (
            "grid.reward_identified",
            rules::identified_summary(&e.code, &row.name),
        ),
        event_id: id,
    };
    let mut tx = store.begin().await?;
    store_rewards::step_in(&mut tx, &ctx.actor, now_ms, s).await?;
    tx.commit().await?;
    store_rewards::item(store, id).await
}

fn basis_of(r: &store_rewards::Reward) -> Basis {
    Basis {
        fine_fen: r.fine_fen,
        deaths: r.deaths,
    }
}

/// The amount 奖励决定 would give now (分), for an identified reward whose row is still in the
/// table: the officer sees it before confirming.
pub async fn proposal(store: &Store, item: &Item) -> StoreResult<Option<i64>> {
    let Some(r) = item
        .reward
        .as_ref()
        .filter(|r| r.status == status::IDENTIFIED)
    else {
        return Ok(None);
    };
    let config = config_of(store, &item.event.district_code).await?;
    Ok(config
        .row(r.row_code.as_deref().unwrap_or(""))
        .map(|row| amount_fen(row, basis_of(r))))
}

/// The officer's view of the table: whether the caller is a reward officer (of their district,
/// or the administrator) and the rows of their district's table.
pub async fn table(store: &Store, ctx: &Ctx) -> StoreResult<(bool, Vec<rules::RewardRow>)> {
    let district = district_of(&ctx.scope);
    let config = match &district {
        Some(d) => config_of(store, d).await?,
        None => RewardConfig::default(),
    };
    let officer =
        ctx.role == Role::Admin || (district.is_some() && config.is_officer(&ctx.user_id));
    Ok((officer, if officer { config.rows } else { Vec::new() }))
}

/// 奖励决定: the amount from the district's table (the identified row and fine).
pub async fn decide(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<Item> {
    let e = as_officer(store, ctx, id).await?;
    let reward = store_rewards::get(store, id)
        .await?
        .filter(|r| r.status == status::IDENTIFIED)
        .ok_or_else(|| StoreError::conflict("status", rules::WRONG_STEP))?;
    let config = config_of(store, &e.district_code).await?;
    let row = config
        .row(reward.row_code.as_deref().unwrap_or(""))
        .ok_or_else(|| {
            StoreError::invalid("row_code", "认定的奖励标准已从标准表删除，请重新认定")
        })?;
    let amount = amount_fen(row, basis_of(&reward));
    let s = Step {
        from: status::IDENTIFIED,
        to: status::DECIDED,
        set: vec![
            ("amount_fen", amount.into()),
            ("decided_by", ctx.actor.name.as_str().into()),
            ("decided_ms", now_ms.into()),
        ],
        audit: (
            "grid.reward_decided",
            rules::decided_summary(&e.code, &fen_text(amount)),
        ),
        event_id: id,
    };
    let mut tx = store.begin().await?;
    store_rewards::step_in(&mut tx, &ctx.actor, now_ms, s).await?;
    tx.commit().await?;
    store_rewards::item(store, id).await
}

/// 发放: the date, the method, the reference.
pub async fn pay(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    (paid_on, method, reference): (&str, &str, &str),
) -> StoreResult<Item> {
    let e = as_officer(store, ctx, id).await?;
    let p = check_payment(paid_on, method, reference)?;
    let amount = store_rewards::get(store, id)
        .await?
        .and_then(|r| r.amount_fen)
        .unwrap_or_default();
    let s = Step {
        from: status::DECIDED,
        to: status::PAID,
        set: vec![
            ("paid_on", p.paid_on.as_str().into()),
            ("pay_method", p.method.as_str().into()),
            ("pay_reference", p.reference.clone().into()),
            ("paid_ms", now_ms.into()),
        ],
        audit: (
            "grid.reward_paid",
            rules::paid_summary(&e.code, &fen_text(amount), &p.method),
        ),
        event_id: id,
    };
    let mut tx = store.begin().await?;
    store_rewards::step_in(&mut tx, &ctx.actor, now_ms, s).await?;
    tx.commit().await?;
    store_rewards::item(store, id).await
}

/// Whether a reward was decided (or paid) for the public report of this tracking code.
pub async fn ready(store: &Store, tracking: &str) -> StoreResult<bool> {
    let Some(e) = store_rewards::by_tracking(store, tracking.trim()).await? else {
        return Ok(false);
    };
    Ok(store_rewards::get(store, &e.id)
        .await?
        .is_some_and(|r| matches!(r.status.as_str(), status::DECIDED | status::PAID)))
}

/// What the reporter learns at the claim.
#[derive(Debug, Clone)]
pub struct ClaimAnswer {
    pub amount: String,
    pub status: String,
    pub message: String,
}

/// The reporter's claim: the tracking code and the phone given at the report. Wrong answers
/// count against the tracking code (locked for an hour after five); a right one clears them.
pub async fn claim(
    store: &Store,
    now_ms: i64,
    tracking: &str,
    phone: &str,
) -> StoreResult<ClaimAnswer> {
    let tracking = tracking.trim();
    if tracking.is_empty() || tracking.len() > 40 {
        return Err(StoreError::invalid("tracking_code", "请输入查询码"));
    }
    let (failures, locked_until) = store_rewards::claim_state(store, tracking).await?;
    if locked_until > now_ms {
        return Err(StoreError::Forbidden(CLAIM_LOCKED.into()));
    }
    let event = store_rewards::by_tracking(store, tracking).await?;
    let right = event.as_ref().is_some_and(|e| {
        e.source == Source::Public.as_str()
            && e.reporter_phone.as_deref().map(str::trim) == Some(phone.trim())
            && !phone.trim().is_empty()
    });
    let Some(e) = event.filter(|_| right) else {
        let failures = failures + 1;
        let lock = if failures >= CLAIM_TRIES {
            now_ms + CLAIM_LOCK_MS
        } else {
            0
        };
        let mut tx = store.begin().await?;
        store_rewards::set_claim_in(&mut tx, now_ms, tracking, (failures, lock)).await?;
        tx.commit().await?;
        return Err(StoreError::invalid("phone", CLAIM_WRONG));
    };
    if failures > 0 {
        let mut tx = store.begin().await?;
        store_rewards::set_claim_in(&mut tx, now_ms, tracking, (0, 0)).await?;
        tx.commit().await?;
    }
    let reward = store_rewards::get(store, &e.id)
        .await?
        .filter(|r| matches!(r.status.as_str(), status::DECIDED | status::PAID))
        .ok_or_else(|| StoreError::invalid("tracking_code", CLAIM_NONE))?;
    let amount = fen_text(reward.amount_fen.unwrap_or_default());
    Ok(ClaimAnswer {
        message: rules::claim_message(&reward.status, &amount, reward.paid_on.as_deref()),
        status: reward.status,
        amount,
    })
}

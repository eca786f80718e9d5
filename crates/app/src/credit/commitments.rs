//! 每日安全承诺: an enterprise user submits today's commitment for its enterprise (one a day;
//! after the deadline it is recorded as late); the board shows who must commit and who has.

use yingji_core::credit::commitments::{self as rules, CommitmentConfig, CommitmentInput};
use yingji_core::kernel::role::Role;
use yingji_store::credit::commitments::{self as rows, BoardCounts, BoardRow, Commitment};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::todo::TodoList;
use yingji_store::prevention::rules as district_rules;
use yingji_store::{Page, Store, StoreError, StoreResult};

/// The commitment rules of a district.
pub async fn config_of(store: &Store, district: &str) -> StoreResult<CommitmentConfig> {
    Ok(district_rules::current(store, district)
        .await?
        .rules
        .credit_commitments)
}

/// Records today's commitment. Only enterprise users (their own enterprise) and administrators
/// submit; a second one today is 409 on `day`; bad input 400 and nothing stored.
pub async fn submit(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &CommitmentInput,
) -> StoreResult<Commitment> {
    if !matches!(ctx.role, Role::EnterpriseUser | Role::Admin) {
        return Err(StoreError::Forbidden(rules::NOT_ENTERPRISE.into()));
    }
    let named = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let checked = rules::check(input)?;
    let Some(enterprise_id) = named else {
        return Err(StoreError::invalid(
            "enterprise_id",
            rules::ENTERPRISE_REQUIRED,
        ));
    };
    let e = enterprises::get_referenced(store, &ctx.scope, &enterprise_id).await?;
    let district = e.grid_code.get(..6).unwrap_or(&e.grid_code).to_string();
    let config = config_of(store, &district).await?;
    if !config.requires(&e.categories) {
        return Err(StoreError::invalid("enterprise_id", rules::NOT_REQUIRED));
    }
    let day = rules::day_of(now_ms);
    let late = now_ms > config.deadline_ms(day, false);
    let mut tx = store.begin().await?;
    let id = rows::create_in(&mut tx, ctx, now_ms, (&e.id, &e.name), day, late, &checked).await?;
    rows::ensure_sweep(&mut tx, now_ms, &district, &config).await?;
    tx.commit().await?;
    rows::get(store, &ctx.scope, &id).await
}

/// The day's board (default today) in the caller's scope.
pub async fn board(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    day: Option<&str>,
    street: Option<&str>,
    page: Page,
) -> StoreResult<(String, Vec<BoardRow>, BoardCounts)> {
    let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => rules::parse_day(d).map_err(|m| StoreError::invalid("day", m))?,
        None => rules::day_of(now_ms),
    };
    let district = rows::district_of_scope(store, &ctx.scope).await?;
    let config = config_of(store, &district).await?;
    let day = day.to_string();
    let (items, counts) = rows::board(store, &ctx.scope, &config, &day, street, page).await?;
    Ok((day, items, counts))
}

/// The caller's commitment 待办: the enterprise's own today (`missed_only` false) or the day's
/// misses in the department's scope.
pub async fn todo(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    missed_only: bool,
) -> StoreResult<TodoList> {
    let district = match rows::district_of_scope(store, &ctx.scope).await {
        Err(StoreError::NotFound) => return Ok(TodoList::default()),
        d => d?,
    };
    let config = config_of(store, &district).await?;
    let day = rules::day_of(now_ms);
    let deadline = config.deadline_ms(day, false);
    rows::todo(store, &ctx.scope, &config, day, deadline, missed_only).await
}

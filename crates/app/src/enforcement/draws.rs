//! 双随机 draws: from the department's published pools, minus the 重点检查 list and the
//! enterprises already given a task this year, with a recorded seed; a task per drawn enterprise
//! in the same transaction. 复核 runs a recorded draw again; publishing makes it public.

use super::{named, require_manager};
use std::collections::{BTreeMap, BTreeSet};
use yingji_core::directory::region::{RegionLevel, scope_prefix};
use yingji_core::enforcement::draw::Drawn;
use yingji_core::enforcement::draw_record::{DrawRecord, RecordedInspector};
use yingji_core::enforcement::registry::{CheckedDraw, DrawRequest, check_draw};
use yingji_core::enforcement::{DRAW_VERIFIED, VERIFY_HASH_MISMATCH, VERIFY_MISMATCH};
use yingji_core::kernel::clock::{Date, today};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::wording::REGION_OUTSIDE_SCOPE;
use yingji_store::directory::{departments, enterprises, regions};
use yingji_store::enforcement::draws::{self, Draw, DrawnPick, NewDraw, TeamMember};
use yingji_store::enforcement::tasks::{self, NewTask};
use yingji_store::enforcement::{inspectors, items, pools};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// Runs a draw and records it with its tasks. `seed` is the one the caller gave or the one the
/// server drew for it.
pub async fn run(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    req: &DrawRequest,
    seed: u64,
) -> StoreResult<Draw> {
    require_manager(ctx)?;
    let checked = check_draw(req)?;
    let item = items::get(store, ctx, &checked.item_id)
        .await
        .map_err(named("item_id", "执法事项不存在或不在您的管辖范围内"))?;
    let department = departments::get(store, &Scope::All, &item.department_id).await?;
    let pool_scope =
        pool_scope(store, ctx, &checked, item.category.as_deref(), &department).await?;
    let day = today(now_ms);
    let record = record(store, ctx, &pool_scope, &department.id, &checked, seed, day).await?;
    let drawn = record.run()?;
    let result = named_picks(store, &record, &drawn).await?;
    let inputs = record.to_json();
    let hash = DrawRecord::sha256_of(&inputs);
    let region_code = pool_scope.region_prefix().unwrap_or_default().to_string();
    let day_text = day.to_string();
    let mut tx = store.begin().await?;
    let new = NewDraw {
        department_id: &department.id,
        item_id: &item.id,
        title: &checked.title,
        region_code: &region_code,
        seed,
        draw_day: &day_text,
        pool_size: drawn.pool_size,
        candidates: drawn.candidates,
        inputs: &inputs,
        inputs_hash: &hash,
        result: &result,
    };
    let id = draws::create_in(&mut tx, ctx, now_ms, &new).await?;
    for p in &result {
        let task = NewTask {
            department_id: &department.id,
            item_id: &item.id,
            draw_id: Some(&id),
            enterprise_id: &p.enterprise_id,
            enterprise_name: &p.enterprise_name,
            region_code: &region_code,
            kind: "random",
            year: i64::from(day.year()),
            team: &p.team,
        };
        tasks::create_in(&mut tx, now_ms, &task).await?;
    }
    tx.commit().await?;
    draws::get(store, Some(ctx), &id).await
}

/// The department's pool narrowed to the draw's category (one of the department's) and region
/// (inside the department's).
async fn pool_scope(
    store: &Store,
    ctx: &Ctx,
    checked: &CheckedDraw,
    item_category: Option<&str>,
    department: &departments::Department,
) -> StoreResult<Scope> {
    let categories = match checked.category.as_deref().or(item_category) {
        Some(c) if department.categories.iter().any(|d| d == c) => vec![c.to_string()],
        Some(c) => {
            return Err(StoreError::invalid(
                "category",
                format!("监管类别“{c}”不属于{}的监管范围", department.name),
            ));
        }
        None => department.categories.clone(),
    };
    let code = checked.region.as_deref().unwrap_or(&department.region_code);
    let region = regions::get(store, &ctx.scope, code)
        .await
        .map_err(named("region", REGION_OUTSIDE_SCOPE))?;
    let level = RegionLevel::parse(&region.level).map_err(|m| StoreError::invalid("region", m))?;
    let prefix = scope_prefix(&region.code, level).to_string();
    let dept_prefix = super::department_prefix(store, department).await?;
    if !prefix.starts_with(&dept_prefix) {
        return Err(StoreError::invalid("region", REGION_OUTSIDE_SCOPE));
    }
    Ok(Scope::Department {
        department_id: department.id.clone(),
        categories,
        region_code: region.code,
        prefix,
    })
}

/// Gathers every input of the draw: the pool, the exclusions with why, the inspectors.
async fn record(
    store: &Store,
    ctx: &Ctx,
    pool_scope: &Scope,
    department_id: &str,
    checked: &CheckedDraw,
    seed: u64,
    day: Date,
) -> StoreResult<DrawRecord> {
    let pool = pools::enterprise_ids(store, pool_scope).await?;
    let mut excluded: BTreeMap<String, Vec<String>> = pools::key_list(store, pool_scope)
        .await?
        .into_iter()
        .map(|(id, why)| (id, why.into_iter().map(str::to_string).collect()))
        .collect();
    let year = i64::from(day.year());
    for id in pools::tasked_this_year(store, pool_scope, department_id, year).await? {
        excluded
            .entry(id)
            .or_default()
            .push("inspected_this_year".into());
    }
    let in_pool: BTreeSet<&String> = pool.iter().collect();
    excluded.retain(|id, _| in_pool.contains(id));
    let inspectors = inspectors::list(store, ctx, Some(department_id), true)
        .await?
        .into_iter()
        .map(|i| RecordedInspector {
            conflicts: i
                .conflicts
                .iter()
                .map(|c| c.enterprise_id.clone())
                .collect(),
            id: i.user_id,
            name: i.user_name,
            cert_no: i.cert_no,
            cert_valid_until: i.cert_valid_until,
        })
        .collect();
    Ok(DrawRecord {
        seed: seed.to_string(),
        on: day.to_string(),
        quota: checked.quota.into(),
        team_size: checked.team_size,
        pool,
        excluded,
        inspectors,
    })
}

/// The drawn enterprises and teams with the names that are published.
async fn named_picks(
    store: &Store,
    record: &DrawRecord,
    drawn: &Drawn,
) -> StoreResult<Vec<DrawnPick>> {
    let by_id: BTreeMap<&str, &RecordedInspector> = record
        .inspectors
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(drawn.picks.len());
    for p in &drawn.picks {
        let e = enterprises::get(store, &Scope::All, &p.enterprise_id).await?;
        let team = p
            .inspector_ids
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .map(|i| TeamMember {
                user_id: i.id.clone(),
                name: i.name.clone(),
                cert_no: i.cert_no.clone(),
            })
            .collect();
        out.push(DrawnPick {
            enterprise_id: e.id,
            enterprise_name: e.name,
            team,
        });
    }
    Ok(out)
}

/// The answer of a 复核.
#[derive(Debug, Clone)]
pub struct Verification {
    pub consistent: bool,
    pub inputs_hash_ok: bool,
    pub message: String,
}

/// 复核: runs a recorded draw again on its recorded inputs and compares. `ctx` None: the public
/// checks a published draw.
pub async fn verify(store: &Store, ctx: Option<&Ctx>, id: &str) -> StoreResult<Verification> {
    let draw = draws::get(store, ctx, id).await?;
    let inputs = draws::inputs(store, ctx, id).await?;
    let inputs_hash_ok = DrawRecord::sha256_of(&inputs) == draw.inputs_hash;
    let again = DrawRecord::from_json(&inputs)?.run()?;
    let same = again.picks.len() == draw.result.len()
        && again.picks.iter().zip(&draw.result).all(|(a, b)| {
            a.enterprise_id == b.enterprise_id
                && a.inspector_ids.iter().eq(b.team.iter().map(|m| &m.user_id))
        });
    let message = match (same, inputs_hash_ok) {
        (true, true) => DRAW_VERIFIED,
        (false, _) => VERIFY_MISMATCH,
        (true, false) => VERIFY_HASH_MISMATCH,
    };
    Ok(Verification {
        consistent: same && inputs_hash_ok,
        inputs_hash_ok,
        message: message.into(),
    })
}

/// 一公开: makes a draw and its result public.
pub async fn publish(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<Draw> {
    require_manager(ctx)?;
    let draw = draws::get(store, Some(ctx), id).await?;
    let mut tx = store.begin().await?;
    draws::publish_in(&mut tx, ctx, now_ms, &draw).await?;
    tx.commit().await?;
    draws::get(store, Some(ctx), id).await
}

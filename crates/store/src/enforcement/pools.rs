//! 检查对象名录库: the enterprises a department may inspect (its supervision categories in its
//! region, in operation), the 重点检查 list among them, and those already given a task this year.

use crate::directory::enterprises::push_scope;
use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use yingji_core::kernel::role::Scope;

/// The ids of the operating enterprises inside `pool` (a department scope narrowed to the draw's
/// category and region), sorted.
pub async fn enterprise_ids(store: &Store, pool: &Scope) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT e.id FROM enterprises e WHERE e.status = 'operating'");
    push_scope(&mut q, pool);
    q.push(" ORDER BY e.id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>("id")?))
        .collect()
}

/// The 重点检查 list inside `pool`: enterprises with a 重大危险源, an active 红/橙 risk point or an
/// open 重大隐患, each with its reasons (codes of core's `EXCLUSION_REASONS`).
pub async fn key_list(
    store: &Store,
    pool: &Scope,
) -> StoreResult<BTreeMap<String, Vec<&'static str>>> {
    let mut out: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    let queries: [(&'static str, &str); 3] = [
        (
            "major_hazard",
            "SELECT e.id FROM enterprises e WHERE e.status = 'operating' AND e.flags LIKE '%,major_hazard,%'",
        ),
        (
            "red_orange_risk_point",
            "SELECT DISTINCT e.id FROM enterprises e JOIN risk_points rp ON rp.enterprise_id = e.id WHERE e.status = 'operating' AND rp.status = 'active' AND rp.level IN ('major', 'large')",
        ),
        (
            "open_major_hazard",
            "SELECT DISTINCT e.id FROM enterprises e JOIN hazards h ON h.enterprise_id = e.id WHERE e.status = 'operating' AND h.level = 'major' AND h.status NOT IN ('closed', 'dismissed')",
        ),
    ];
    for (reason, sql) in queries {
        let mut q = Sql::new(sql);
        push_scope(&mut q, pool);
        for r in store.fetch_all(q).await? {
            out.entry(r.try_get("id")?).or_default().push(reason);
        }
    }
    Ok(out)
}

/// Enterprises of `pool` with an inspection task of the department this year (not cancelled).
pub async fn tasked_this_year(
    store: &Store,
    pool: &Scope,
    department_id: &str,
    year: i64,
) -> StoreResult<BTreeSet<String>> {
    let mut q = Sql::new(
        "SELECT DISTINCT e.id FROM enterprises e JOIN inspection_tasks t ON t.enterprise_id = e.id WHERE t.status <> 'cancelled'",
    );
    q.push_bind(" AND t.department_id = ", department_id)
        .push_bind(" AND t.year = ", year);
    push_scope(&mut q, pool);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>("id")?))
        .collect()
}

/// The names of the enterprises `ids`, in chunks that stay inside the backends' bind limits.
pub async fn names(store: &Store, ids: &[&str]) -> StoreResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new("SELECT id, name FROM enterprises WHERE id IN ");
        q.bind_list(chunk.iter().copied());
        for r in store.fetch_all(q).await? {
            out.insert(r.try_get("id")?, r.try_get("name")?);
        }
    }
    Ok(out)
}

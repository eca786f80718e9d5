//! 转移 totals by township (街道/乡镇) for the 灾情 report: people on 转移 orders (转移人数), those
//! who arrived (到达), and those checked in at a shelter (安置), for one warning, one incident or
//! a period (orders issued in it), for the district or one township.

use crate::kernel::Ctx;
use crate::{Sql, Store, StoreResult};
use serde::Serialize;
use sqlx::Row;

/// Which orders the totals cover.
#[derive(Debug, Clone)]
pub enum TotalsOf<'a> {
    Warning(&'a str),
    Incident(&'a str),
    /// Orders issued in [from_ms, to_ms).
    Period {
        from_ms: i64,
        to_ms: i64,
    },
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TownshipTotals {
    pub township_code: String,
    pub township_name: String,
    /// 转移人数: people on the orders' lists.
    pub ordered: i64,
    /// 到达.
    pub arrived: i64,
    /// 安置: checked in at a shelter.
    pub sheltered: i64,
    pub refused: i64,
    pub unreachable: i64,
}

/// The totals by township of the orders `of` covers, inside `prefix` (a district's or a
/// township's code), townships in code order. For the 灾情 report (no caller: the report's own
/// scope decides what it may read).
pub async fn evacuation_totals(
    store: &Store,
    of: &TotalsOf<'_>,
    prefix: &str,
) -> StoreResult<Vec<TownshipTotals>> {
    let mut q = Sql::new(
        "SELECT e.street_code, r.name, COUNT(*), \
         SUM(CASE WHEN a.answer = 'arrived' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.checked_in_ms IS NOT NULL THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.answer = 'refused' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.answer = 'unreachable' THEN 1 ELSE 0 END) \
         FROM evacuation_answers a JOIN evacuation_orders e ON e.id = a.order_id \
         LEFT JOIN regions r ON r.code = e.street_code WHERE 1 = 1",
    );
    match of {
        TotalsOf::Warning(id) => {
            q.push_bind(" AND e.warning_id = ", *id);
        }
        TotalsOf::Incident(id) => {
            q.push_bind(" AND e.incident_id = ", *id);
        }
        TotalsOf::Period { from_ms, to_ms } => {
            q.push_bind(" AND e.issued_ms >= ", *from_ms)
                .push_bind(" AND e.issued_ms < ", *to_ms);
        }
    }
    q.push_bind(" AND e.region_code LIKE ", format!("{prefix}%"));
    q.push(" GROUP BY e.street_code, r.name ORDER BY e.street_code");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(TownshipTotals {
            township_code: r.try_get(0)?,
            township_name: r.try_get::<Option<String>, _>(1)?.unwrap_or_default(),
            ordered: r.try_get(2)?,
            arrived: r.try_get::<Option<i64>, _>(3)?.unwrap_or(0),
            sheltered: r.try_get::<Option<i64>, _>(4)?.unwrap_or(0),
            refused: r.try_get::<Option<i64>, _>(5)?.unwrap_or(0),
            unreachable: r.try_get::<Option<i64>, _>(6)?.unwrap_or(0),
        });
    }
    Ok(out)
}

/// The totals as the caller may see them: their area's (a township narrows it).
pub async fn totals_for(
    store: &Store,
    ctx: &Ctx,
    of: &TotalsOf<'_>,
    township: Option<&str>,
) -> StoreResult<Vec<TownshipTotals>> {
    use yingji_core::disasters::flood_access as access;
    super::flood::forbid_unless(access::may_read(ctx.role))?;
    let own = ctx.scope.region_prefix().unwrap_or("").to_string();
    let prefix = match township.filter(|t| !t.is_empty()) {
        Some(t) if t.starts_with(&own) => t.to_string(),
        Some(_) => return Ok(Vec::new()),
        None => own,
    };
    evacuation_totals(store, of, &prefix).await
}

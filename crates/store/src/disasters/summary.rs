//! The 灾情 summary's grouped queries (core::disasters::summary folds them) and the district's
//! yearbook (GDP and population per year) the indicators divide by.
//!
//! A process counts with its latest report (`latest_report_id`: the 核报 once verified). The
//! year bucket is a `CASE` over the year boundaries drawn in core (Asia/Shanghai), so both
//! backends group the same way without date functions.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreResult, Tx, Val};
use sqlx::Row;
use yingji_core::disasters::reports_figures::{FIGURES, Figures};
use yingji_core::disasters::summary::{ProcessCount, SummaryQuery, TownshipLine};
use yingji_core::kernel::role::Scope;

/// `CASE WHEN p.started_ms < b1 THEN 0 … END`, and the span's condition.
fn bucketed(q: &mut Sql, starts: &[i64]) {
    q.push("CASE");
    for (i, b) in starts.iter().enumerate().skip(1) {
        q.push_bind(" WHEN p.started_ms < ", *b)
            .push(&format!(" THEN {}", i - 1));
    }
    q.push(" END");
}

fn span(q: &mut Sql, starts: &[i64], query: &SummaryQuery) {
    q.push_bind(" AND p.started_ms >= ", starts[0])
        .push_bind(" AND p.started_ms < ", starts[starts.len() - 1])
        .push(" AND p.latest_report_id IS NOT NULL");
    if let Some(k) = &query.kind {
        q.push_bind(" AND p.kind = ", k.as_str());
    }
}

/// Limits report rows `r` to the caller's townships: the district's staff see every row, a
/// street's or a grid's the rows of their township.
fn visible_rows(q: &mut Sql, ctx: &Ctx) {
    if let Scope::Region { prefix, .. } | Scope::Department { prefix, .. } = &ctx.scope {
        q.push_bind(" AND (r.region_code LIKE ", format!("{prefix}%"))
            .push_bind(" OR ", prefix.as_str())
            .push(" LIKE r.region_code || '%')");
    }
}

/// Processes per year bucket and kind.
pub async fn process_counts(
    store: &Store,
    ctx: &Ctx,
    query: &SummaryQuery,
    starts: &[i64],
) -> StoreResult<Vec<ProcessCount>> {
    let mut q = Sql::new("SELECT ");
    bucketed(&mut q, starts);
    q.push(" AS bucket, p.kind, COUNT(*) AS n FROM disaster_processes p WHERE 1 = 1");
    super::processes::push_visible(&mut q, ctx)?;
    span(&mut q, starts, query);
    q.push(" GROUP BY 1, 2");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(ProcessCount {
                bucket: usize::try_from(r.try_get::<i64, _>("bucket")?).unwrap_or(usize::MAX),
                kind: r.try_get("kind")?,
                processes: r.try_get("n")?,
            })
        })
        .collect()
}

/// The latest reports' township rows, summed per year bucket, kind and township.
pub async fn township_lines(
    store: &Store,
    ctx: &Ctx,
    query: &SummaryQuery,
    starts: &[i64],
) -> StoreResult<Vec<TownshipLine>> {
    let sums: Vec<String> = FIGURES
        .iter()
        .map(|d| format!("CAST(SUM(r.{0}) AS BIGINT) AS {0}", d.key))
        .collect();
    let mut q = Sql::new("SELECT ");
    bucketed(&mut q, starts);
    q.push(&format!(
        " AS bucket, p.kind, r.region_code, MIN(r.region_name) AS region_name, COUNT(*) AS n, {} \
         FROM disaster_processes p JOIN disaster_report_rows r ON r.report_id = p.latest_report_id WHERE 1 = 1",
        sums.join(", ")
    ));
    super::processes::push_visible(&mut q, ctx)?;
    visible_rows(&mut q, ctx);
    span(&mut q, starts, query);
    q.push(" GROUP BY 1, 2, 3");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let mut f = [0i64; 15];
            for (o, d) in f.iter_mut().zip(FIGURES.iter()) {
                *o = r.try_get(d.key)?;
            }
            Ok(TownshipLine {
                bucket: usize::try_from(r.try_get::<i64, _>("bucket")?).unwrap_or(usize::MAX),
                kind: r.try_get("kind")?,
                region_code: r.try_get("region_code")?,
                region_name: r.try_get("region_name")?,
                processes: r.try_get("n")?,
                figures: Figures(f),
            })
        })
        .collect()
}

/// One year of the district's yearbook.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct YearbookEntry {
    pub year: i64,
    /// Hundredths of 万元.
    pub gdp_wan_yuan: i64,
    pub population: i64,
    pub updated_by: String,
    pub updated_ms: i64,
}

/// The district's yearbook, by year.
pub async fn yearbook(store: &Store, district: &str) -> StoreResult<Vec<YearbookEntry>> {
    let mut q = Sql::new(
        "SELECT year, gdp_wan_yuan, population, updated_by, updated_ms FROM disaster_yearbook WHERE district_code = ",
    );
    q.bind(district).push(" ORDER BY year");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(YearbookEntry {
                year: r.try_get("year")?,
                gdp_wan_yuan: r.try_get("gdp_wan_yuan")?,
                population: r.try_get("population")?,
                updated_by: r.try_get("updated_by")?,
                updated_ms: r.try_get("updated_ms")?,
            })
        })
        .collect()
}

/// Replaces the district's yearbook with `entries` (checked in core) and audits the change.
pub async fn save_yearbook_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    district: &str,
    entries: &[(i64, i64, i64)],
    summary: String,
) -> StoreResult<()> {
    let mut del = Sql::new("DELETE FROM disaster_yearbook WHERE district_code = ");
    del.bind(district);
    del.execute(tx).await?;
    for chunk in entries.chunks(100) {
        let mut q = Sql::new(
            "INSERT INTO disaster_yearbook (district_code, year, gdp_wan_yuan, population, updated_by, updated_ms) VALUES ",
        );
        for (i, (year, gdp, population)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.values(vec![
                district.into(),
                Val::I64(*year),
                Val::I64(*gdp),
                Val::I64(*population),
                ctx.display_name.clone().into(),
                now_ms.into(),
            ]);
        }
        q.execute(tx).await?;
    }
    let change = Change {
        after: Some(serde_json::json!({ "years": entries })),
        ..Change::of("disaster.yearbook", "district", district, summary)
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

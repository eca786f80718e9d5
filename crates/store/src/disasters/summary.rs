//! The 灾情 summary's lines and the district's yearbook (GDP and population per year) the
//! indicators divide by.
//!
//! `disaster_summary_lines` holds, per district, year of the process's start (Asia/Shanghai),
//! kind and township ('' for the district's totals), the processes and the figures of each
//! process's latest report. [`roll_in`] moves them when a report is filed, in its transaction,
//! by the difference to the previous latest report; the summary reads the lines (a few hundred
//! over ten years) and core folds them.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, Val};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::processes::NOT_A_READER;
use yingji_core::disasters::reports_figures::{FIGURES, Figures};
use yingji_core::disasters::summary::{SummaryQuery, TownshipLine, YearKindLine, township_of};
use yingji_core::kernel::role::Scope;

fn columns() -> String {
    FIGURES.iter().map(|d| d.key).collect::<Vec<_>>().join(", ")
}

fn sums() -> String {
    FIGURES
        .iter()
        .map(|d| format!("CAST(SUM(l.{0}) AS BIGINT) AS {0}", d.key))
        .collect::<Vec<_>>()
        .join(", ")
}

fn figures_of(r: &AnyRow) -> StoreResult<Figures> {
    let mut f = [0i64; 15];
    for (o, d) in f.iter_mut().zip(FIGURES.iter()) {
        *o = r.try_get(d.key)?;
    }
    Ok(Figures(f))
}

/// The lines the caller may read: the district's staff their district's (the totals line for
/// years and kinds), a street's or a grid's their township's; and the span and kind asked.
fn push_where(q: &mut Sql, ctx: &Ctx, query: &SummaryQuery, townships: bool) -> StoreResult<()> {
    let street = township_of(&ctx.scope);
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(
                " AND l.district_code LIKE ",
                format!("{}%", prefix.get(..6).unwrap_or(prefix)),
            );
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            return Err(StoreError::Forbidden(NOT_A_READER.into()));
        }
    }
    match street {
        Some(prefix) => {
            q.push_bind(
                " AND l.region_code <> '' AND (l.region_code LIKE ",
                format!("{prefix}%"),
            )
            .push_bind(" OR ", prefix)
            .push(" LIKE l.region_code || '%')");
        }
        None if townships => {
            q.push(" AND l.region_code <> ''");
        }
        None => {
            q.push(" AND l.region_code = ''");
        }
    }
    q.push_bind(" AND l.year >= ", i64::from(query.from_year))
        .push_bind(" AND l.year <= ", i64::from(query.to_year));
    if let Some(k) = &query.kind {
        q.push_bind(" AND l.kind = ", k.as_str());
    }
    Ok(())
}

/// Processes and their figures per year and kind (a street's staff: their township's rows).
pub async fn year_kind_lines(
    store: &Store,
    ctx: &Ctx,
    query: &SummaryQuery,
) -> StoreResult<Vec<YearKindLine>> {
    let mut q = Sql::new(&format!(
        "SELECT l.year, l.kind, CAST(SUM(l.processes) AS BIGINT) AS n, {} FROM disaster_summary_lines l WHERE 1 = 1",
        sums()
    ));
    push_where(&mut q, ctx, query, false)?;
    q.push(" GROUP BY l.year, l.kind");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let year: i64 = r.try_get("year")?;
            Ok(YearKindLine {
                bucket: usize::try_from(year - i64::from(query.from_year)).unwrap_or(usize::MAX),
                kind: r.try_get("kind")?,
                processes: r.try_get("n")?,
                figures: figures_of(r)?,
            })
        })
        .collect()
}

/// The townships' figures over the span.
pub async fn township_lines(
    store: &Store,
    ctx: &Ctx,
    query: &SummaryQuery,
) -> StoreResult<Vec<TownshipLine>> {
    let mut q = Sql::new(&format!(
        "SELECT l.region_code, MIN(l.region_name) AS region_name, CAST(SUM(l.processes) AS BIGINT) AS n, {} FROM disaster_summary_lines l WHERE 1 = 1",
        sums()
    ));
    push_where(&mut q, ctx, query, true)?;
    q.push(" GROUP BY l.region_code HAVING SUM(l.processes) > 0");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(TownshipLine {
                region_code: r.try_get("region_code")?,
                region_name: r.try_get("region_name")?,
                processes: r.try_get("n")?,
                figures: figures_of(r)?,
            })
        })
        .collect()
}

/// Where a process's lines are: its district, start year and kind.
pub struct LineKey<'a> {
    pub district_code: &'a str,
    pub year: i64,
    pub kind: &'a str,
}

async fn bump(
    tx: &mut Tx,
    key: &LineKey<'_>,
    region: (&str, &str),
    processes: i64,
    delta: &Figures,
) -> StoreResult<()> {
    let set: Vec<String> = std::iter::once("processes".to_string())
        .chain(FIGURES.iter().map(|d| d.key.to_string()))
        .map(|c| format!("{c} = disaster_summary_lines.{c} + excluded.{c}"))
        .collect();
    let mut q = Sql::new(&format!(
        "INSERT INTO disaster_summary_lines (district_code, year, kind, region_code, region_name, processes, {}) VALUES ",
        columns()
    ));
    let mut v: Vec<Val> = vec![
        key.district_code.into(),
        key.year.into(),
        key.kind.into(),
        region.0.into(),
        region.1.into(),
        processes.into(),
    ];
    v.extend(delta.0.iter().map(|x| Val::I64(*x)));
    q.values(v).push(&format!(
        " ON CONFLICT (district_code, year, kind, region_code) DO UPDATE SET {}",
        set.join(", ")
    ));
    q.execute(tx).await?;
    Ok(())
}

fn minus(a: &Figures, b: &Figures) -> Figures {
    let mut out = a.0;
    for (o, x) in out.iter_mut().zip(b.0.iter()) {
        *o -= x;
    }
    Figures(out)
}

/// Moves a process's lines from its previous latest report (`previous`, if any) to the new one
/// (`totals` and `rows`: township code, name, figures), in the filing's transaction.
pub async fn roll_in(
    tx: &mut Tx,
    key: &LineKey<'_>,
    previous: Option<&str>,
    totals: &Figures,
    rows: &[(&str, &str, Figures)],
) -> StoreResult<()> {
    let mut before_totals = Figures::default();
    let mut before: Vec<(String, String, Figures)> = Vec::new();
    if let Some(prev) = previous {
        let mut q = Sql::new(&format!(
            "SELECT {} FROM disaster_reports WHERE id = ",
            columns()
        ));
        q.bind(prev);
        if let Some(r) = q.fetch_optional(tx).await? {
            before_totals = figures_of(&r)?;
        }
        let mut q = Sql::new(&format!(
            "SELECT region_code, region_name, {} FROM disaster_report_rows WHERE report_id = ",
            columns()
        ));
        q.bind(prev);
        for r in q.fetch_all(tx).await? {
            before.push((r.try_get(0)?, r.try_get(1)?, figures_of(&r)?));
        }
    }
    let new_process = i64::from(previous.is_none());
    bump(
        tx,
        key,
        ("", ""),
        new_process,
        &minus(totals, &before_totals),
    )
    .await?;
    for (code, name, f) in rows {
        let old = before.iter().find(|b| b.0 == *code);
        let delta = minus(f, old.map_or(&Figures::default(), |b| &b.2));
        bump(tx, key, (code, name), i64::from(old.is_none()), &delta).await?;
    }
    for (code, name, f) in before.iter().filter(|b| !rows.iter().any(|r| r.0 == b.0)) {
        bump(tx, key, (code, name), -1, &minus(&Figures::default(), f)).await?;
    }
    Ok(())
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

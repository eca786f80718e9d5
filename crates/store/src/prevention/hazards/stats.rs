//! Hazard statistics and the dashboard.

use crate::directory::enterprises::push_region_on;
use crate::{Page, Sql, Store, StoreResult};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::periodic::{Count, Period, Tally, tally};
use yingji_core::prevention::hazard::{SOURCES, label_of};

use super::{Hazard, HazardFilter, list, push_scope};

#[derive(Debug, Clone, Serialize)]
pub struct StatRow {
    pub region_code: String,
    pub region_name: Option<String>,
    pub status: String,
    pub level: String,
    pub count: i64,
}

/// Region × status × level counts of the hazards reported in `month` (YYYY-MM), one row per
/// child region of `region` (a district groups by street, a street by community).
pub async fn stats(
    store: &Store,
    scope: &Scope,
    month: &str,
    region: &str,
) -> StoreResult<Vec<StatRow>> {
    let child = crate::prevention::risk_points::child_column(region, "region", "统计区划")?;
    let mut q = Sql::new(&format!(
        "SELECT h.{child} AS code, h.status, h.level, COUNT(*) AS n FROM hazards h WHERE h.reported_month = "
    ));
    q.bind(month);
    push_region_on(&mut q, "h", region);
    push_scope(&mut q, scope);
    q.push(&format!(" GROUP BY h.{child}, h.status, h.level"));
    let rows = store.fetch_all(q).await?;
    let mut names = Sql::new("SELECT code, name FROM regions WHERE parent_code = ");
    names.bind(region);
    let names: Vec<(String, String)> = store
        .fetch_all(names)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<_>>()?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            Ok(StatRow {
                region_name: names.iter().find(|n| n.0 == code).map(|n| n.1.clone()),
                region_code: code,
                status: r.try_get("status")?,
                level: r.try_get("level")?,
                count: r.try_get("n")?,
            })
        })
        .collect()
}

/// A 隐患月报/季报/年报: the tally of the period's hazards and how many hazards (of any
/// period) are overdue now, both under `region` and the caller's scope.
#[derive(Debug, Clone)]
pub struct PeriodReport {
    pub tally: Tally,
    pub overdue_now: i64,
}

/// The hazards reported in `period` under `region` (a district groups by street, a street by
/// community, a community by grid), counted by region, industry, 监管类别, level, status and
/// the overdue mark, tallied by `core::prevention::hazard::periodic`.
pub async fn period_report(
    store: &Store,
    scope: &Scope,
    region: &str,
    period: Period,
) -> StoreResult<PeriodReport> {
    let child = if region.len() > 12 {
        "grid_code"
    } else {
        crate::prevention::risk_points::child_column(region, "region", "统计区划")?
    };
    let (first, last) = period.months();
    let mut q = Sql::new(&format!(
        "SELECT h.{child} AS code, h.industry, h.categories, h.level, h.status, h.overdue, COUNT(*) AS n FROM hazards h WHERE h.reported_month >= "
    ));
    q.bind(first).push_bind(" AND h.reported_month <= ", last);
    push_region_on(&mut q, "h", region);
    push_scope(&mut q, scope);
    q.push(&format!(
        " GROUP BY h.{child}, h.industry, h.categories, h.level, h.status, h.overdue"
    ));
    let counts = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Count {
                region: r.try_get("code")?,
                industry: r.try_get("industry")?,
                categories: r.try_get("categories")?,
                level: r.try_get("level")?,
                status: r.try_get("status")?,
                overdue: r.try_get::<i64, _>("overdue")? == 1,
                n: r.try_get("n")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let mut names = Sql::new("SELECT code, name FROM regions WHERE parent_code = ");
    names.bind(region).push_bind(" OR code = ", region);
    let names: BTreeMap<String, String> = store
        .fetch_all(names)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<_>>()?;
    let mut w = Sql::new(" WHERE h.overdue = 1 AND h.status IN ('registered', 'rectifying')");
    push_region_on(&mut w, "h", region);
    push_scope(&mut w, scope);
    Ok(PeriodReport {
        tally: tally(&counts, |code| names.get(code).cloned()),
        overdue_now: count(store, w).await?,
    })
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MonthFigures {
    pub month: String,
    /// 增量: reported this month.
    pub new_total: i64,
    pub new_major: i64,
    /// Of those, closed (accepted) by now.
    pub closed: i64,
    pub closed_major: i64,
    pub closed_on_time: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i32,
    pub months: Vec<MonthFigures>,
    /// 存量: open 重大 hazards now (动态清零 drives this to zero).
    pub open_major: i64,
    pub open_general: i64,
    pub overdue: i64,
    pub listed: i64,
    /// 整改率 = closed / (reported − dismissed), this year, in percent (one decimal).
    pub rectification_rate: Option<f64>,
    /// 按期整改率 = closed on time / closed.
    pub on_time_rate: Option<f64>,
    pub by_source: Vec<(String, String, i64)>,
    pub by_industry: Vec<(String, i64)>,
    pub by_region: Vec<(String, String, i64, i64)>,
    pub overdue_list: Vec<Hazard>,
}

/// `SELECT COUNT(*)` over `hazards h` with the given WHERE clause.
pub(super) async fn count(store: &Store, w: Sql) -> StoreResult<i64> {
    store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) FROM hazards h{}", w.text),
            args: w.args,
        })
        .await
}

/// The WHERE clause of the dashboard's reads: the caller's scope and the chosen region.
fn dashboard_where(scope: &Scope, region: Option<&str>) -> Sql {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(r) = region {
        push_region_on(&mut w, "h", r);
    }
    w
}

/// The year's figures for the dashboard (months, rates, sources, industries): one pass over
/// the year's hazards, the dashboard's costly read, which the server keeps for a minute.
pub async fn year_figures(
    store: &Store,
    scope: &Scope,
    region: Option<&str>,
    year: i32,
) -> StoreResult<YearFigures> {
    year_figures_where(store, dashboard_where(scope, region), year).await
}

/// The dashboard: the year's `figures` (see [`year_figures`]) and what stands now (open,
/// overdue and listed hazards, by street, the overdue list), read at every call.
pub async fn dashboard(
    store: &Store,
    scope: &Scope,
    region: Option<&str>,
    y: &YearFigures,
) -> StoreResult<Dashboard> {
    let w = dashboard_where(scope, region);
    let with = |extra: &str| Sql {
        text: format!("{}{extra}", w.text),
        args: w.args.clone(),
    };
    let open = "h.status IN ('registered', 'rectifying', 'pending_acceptance')";
    let open_major = count(store, with(&format!(" AND {open} AND h.level = 'major'"))).await?;
    let open_general = count(store, with(&format!(" AND {open} AND h.level = 'general'"))).await?;
    let overdue = count(
        store,
        with(" AND h.overdue = 1 AND h.status IN ('registered', 'rectifying')"),
    )
    .await?;
    let listed = count(store, with(" AND h.listed = 1")).await?;
    let pct = |a: i64, b: i64| (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0);
    let by_region = open_by_street(store, with(&format!(" AND {open}"))).await?;
    let f = HazardFilter {
        overdue: Some(true),
        status: Some("rectifying".into()),
        region: region.map(str::to_string),
        by_deadline: true,
        ..Default::default()
    };
    let (overdue_list, _) = list(store, scope, &f, Page::new(Some(1), Some(20))).await?;
    Ok(Dashboard {
        year: y.year,
        months: y.months.clone(),
        open_major,
        open_general,
        overdue,
        listed,
        rectification_rate: pct(y.closed, y.reported - y.dismissed),
        on_time_rate: pct(y.on_time, y.closed),
        by_source: labelled_sources(y.sources.clone()),
        by_industry: labelled_industries(y.industries.clone()),
        by_region,
        overdue_list,
    })
}

/// The year's figures: per month, and by source and industry.
#[derive(Debug, Clone, Default)]
pub struct YearFigures {
    year: i32,
    months: Vec<MonthFigures>,
    reported: i64,
    dismissed: i64,
    closed: i64,
    on_time: i64,
    sources: BTreeMap<String, i64>,
    industries: BTreeMap<String, i64>,
}

/// One pass over the covering index `hazards_figures` gives the months, sources and industries.
async fn year_figures_where(store: &Store, w: Sql, year: i32) -> StoreResult<YearFigures> {
    let mut q = Sql {
        text: format!(
            "SELECT h.reported_month AS m, h.level, h.status, h.closed_on_time, h.source, h.industry, COUNT(*) AS n FROM hazards h{} AND h.reported_month >= ",
            w.text
        ),
        args: w.args,
    };
    q.bind(format!("{year:04}-01"))
        .push_bind(" AND h.reported_month <= ", format!("{year:04}-12"));
    q.push(" GROUP BY h.reported_month, h.level, h.status, h.closed_on_time, h.source, h.industry");
    let mut y = YearFigures {
        year,
        months: (1..=12)
            .map(|m| MonthFigures {
                month: format!("{year:04}-{m:02}"),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    for r in store.fetch_all(q).await? {
        let m: String = r.try_get("m")?;
        let level: String = r.try_get("level")?;
        let status: String = r.try_get("status")?;
        let on_time = r.try_get::<Option<i64>, _>("closed_on_time")? == Some(1);
        let n: i64 = r.try_get("n")?;
        *y.sources.entry(r.try_get("source")?).or_default() += n;
        *y.industries.entry(r.try_get("industry")?).or_default() += n;
        y.add(&m, level == "major", &status, on_time, n);
    }
    Ok(y)
}

impl YearFigures {
    /// Counts `n` hazards reported in month `m` with this level, status and punctuality.
    fn add(&mut self, m: &str, major: bool, status: &str, on_time: bool, n: i64) {
        let Some(f) = self.months.iter_mut().find(|f| f.month == m) else {
            return;
        };
        f.new_total += n;
        self.reported += n;
        if major {
            f.new_major += n;
        }
        if status == "dismissed" {
            self.dismissed += n;
        }
        if status == "closed" {
            f.closed += n;
            self.closed += n;
            if major {
                f.closed_major += n;
            }
            if on_time {
                f.closed_on_time += n;
                self.on_time += n;
            }
        }
    }
}

/// (label, code, count) by source.
fn labelled_sources(sources: BTreeMap<String, i64>) -> Vec<(String, String, i64)> {
    sources
        .into_iter()
        .map(|(code, n)| (label_of(SOURCES, &code).unwrap_or("").to_string(), code, n))
        .collect()
}

/// (label, count) by industry section; hazards without an enterprise are 公共区域.
fn labelled_industries(industries: BTreeMap<String, i64>) -> Vec<(String, i64)> {
    use yingji_core::directory::enterprise::{INDUSTRY_SECTIONS, label_of};
    industries
        .into_iter()
        .map(|(code, n)| {
            let label = if code.is_empty() {
                yingji_core::prevention::hazard::wording::NO_ENTERPRISE.to_string()
            } else {
                label_of(INDUSTRY_SECTIONS, &code)
                    .unwrap_or(&code)
                    .to_string()
            };
            (label, n)
        })
        .collect()
}

/// Open hazards by street: (code, name, major, all). Grouped in the order of `hazards_overdue`
/// so that the count is read from that index.
async fn open_by_street(store: &Store, w: Sql) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let reg = Sql {
        text: format!(
            "SELECT h.street_code, h.level, COUNT(*) AS n FROM hazards h{} GROUP BY h.street_code, h.level",
            w.text
        ),
        args: w.args,
    };
    let mut by_street: BTreeMap<String, (i64, i64)> = Default::default();
    for r in store.fetch_all(reg).await? {
        let e = by_street.entry(r.try_get(0)?).or_default();
        let n: i64 = r.try_get("n")?;
        if r.try_get::<String, _>("level")? == "major" {
            e.0 += n;
        }
        e.1 += n;
    }
    let mut by_region = Vec::new();
    for (code, (major, n)) in by_street {
        let name = crate::directory::regions::get(store, &Scope::All, &code)
            .await
            .map(|r| r.name)
            .unwrap_or_else(|_| code.clone());
        by_region.push((code, name, major, n));
    }
    Ok(by_region)
}

//! 执法统计与考评: the figures of a period within the caller's departments, rolled up by
//! department, person, category and month, with plan completion, the cases past their deadline
//! and the 零处罚 / 执法宽松软 flags under each department's district thresholds.

use std::collections::BTreeMap;
use yingji_core::directory::enterprise::{CATEGORIES, label_of};
use yingji_core::enforcement::case::CaseState;
use yingji_core::enforcement::stats::{
    Flag, NOT_A_STATS_READER, Period, StatsConfig, Tally, flags, may_read_stats, parse_period,
    primary_category,
};
use yingji_core::kernel::clock::today;
use yingji_store::directory::departments::{self, Department};
use yingji_store::enforcement::stats::{self as rows, StatsQuery};
use yingji_store::kernel::Ctx;
use yingji_store::prevention::rules;
use yingji_store::{Store, StoreError, StoreResult};

/// A department's line.
#[derive(Debug, Clone)]
pub struct DepartmentLine {
    pub department_id: String,
    pub department_name: String,
    pub tally: Tally,
    /// Inspections planned for the year by the approved plan (none: no approved plan).
    pub planned: Option<i64>,
    /// Inspections done in the whole year.
    pub done_in_year: i64,
    pub flags: Vec<Flag>,
}

/// A person's line (执法人员 or any 承办人).
#[derive(Debug, Clone)]
pub struct PersonLine {
    pub department_id: String,
    pub department_name: String,
    pub user_id: String,
    pub user_name: String,
    pub tally: Tally,
    pub flags: Vec<Flag>,
}

/// A category's or a month's line.
#[derive(Debug, Clone)]
pub struct KeyLine {
    pub key: String,
    pub label: String,
    pub tally: Tally,
}

/// An open case past its deadline, with its department's name and its state's label.
#[derive(Debug, Clone)]
pub struct OverdueLine {
    pub case: rows::OverdueCase,
    pub department_name: String,
    pub state_label: String,
}

/// The statistics of a period.
#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub totals: Tally,
    pub departments: Vec<DepartmentLine>,
    pub people: Vec<PersonLine>,
    pub categories: Vec<KeyLine>,
    pub months: Vec<KeyLine>,
    pub overdue: Vec<OverdueLine>,
    /// The thresholds of the flags (the district's of the first department).
    pub thresholds: StatsConfig,
}

/// The statistics the caller may read for `year` (and `month`), optionally one department.
pub async fn report(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    year: Option<&str>,
    month: Option<&str>,
    department_id: Option<&str>,
) -> StoreResult<Report> {
    if !may_read_stats(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_STATS_READER.into()));
    }
    let day = today(now_ms);
    let period = parse_period(year, month, i32::from(day.year()))?;
    let mut depts = departments::list(store, &ctx.scope).await?;
    if let Some(id) = department_id {
        depts.retain(|d| d.id == id);
        if depts.is_empty() {
            return Err(StoreError::invalid(
                "department_id",
                "部门不存在或不在您的管辖范围内",
            ));
        }
    }
    let today_text = day.to_string();
    let q = StatsQuery {
        period,
        department_id,
        today: &today_text,
    };
    let r = rows::rows(store, ctx, &q).await?;
    let configs = configs(store, &depts).await?;
    Ok(roll_up(period, &depts, &configs, r))
}

/// Each department's district thresholds.
async fn configs(
    store: &Store,
    depts: &[Department],
) -> StoreResult<BTreeMap<String, StatsConfig>> {
    let mut by_region: BTreeMap<String, StatsConfig> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for d in depts {
        if !by_region.contains_key(&d.region_code) {
            let r = rules::current(store, &d.region_code).await?;
            by_region.insert(d.region_code.clone(), r.rules.enforcement_stats);
        }
        out.insert(d.id.clone(), by_region[&d.region_code].clone());
    }
    Ok(out)
}

fn category_label(code: &str) -> String {
    if code.is_empty() {
        return "未分类".into();
    }
    label_of(CATEGORIES, code).unwrap_or(code).to_string()
}

// Long because: one pass rolls every group up into the four breakdowns and the flags.
fn roll_up(
    period: Period,
    depts: &[Department],
    configs: &BTreeMap<String, StatsConfig>,
    r: rows::StatsRows,
) -> Report {
    let names: BTreeMap<&str, &Department> = depts.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut totals = Tally::default();
    let mut by_dept: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_cat: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_month: BTreeMap<i64, Tally> = BTreeMap::new();
    for g in &r.groups {
        let Some(d) = names.get(g.department_id.as_str()) else {
            continue;
        };
        totals.add(&g.tally);
        by_dept
            .entry(g.department_id.clone())
            .or_default()
            .add(&g.tally);
        by_cat
            .entry(primary_category(&g.categories, &d.categories))
            .or_default()
            .add(&g.tally);
        by_month.entry(g.month).or_default().add(&g.tally);
    }
    let done: BTreeMap<&str, i64> = r.year_done.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let planned: BTreeMap<&str, i64> = r.planned.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let default = StatsConfig::default();
    let config_of = |id: &str| configs.get(id).unwrap_or(&default);
    let departments = depts
        .iter()
        .map(|d| {
            let tally = by_dept.get(&d.id).copied().unwrap_or_default();
            DepartmentLine {
                department_id: d.id.clone(),
                department_name: d.name.clone(),
                flags: flags(config_of(&d.id), &tally),
                tally,
                planned: planned.get(d.id.as_str()).copied(),
                done_in_year: done.get(d.id.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    let mut people: BTreeMap<(String, String), PersonLine> = BTreeMap::new();
    for p in r.people {
        let Some(d) = names.get(p.department_id.as_str()) else {
            continue;
        };
        people
            .entry((p.department_id.clone(), p.user_id.clone()))
            .or_insert_with(|| PersonLine {
                department_id: p.department_id.clone(),
                department_name: d.name.clone(),
                user_id: p.user_id.clone(),
                user_name: p.user_name.clone(),
                tally: Tally::default(),
                flags: Vec::new(),
            })
            .tally
            .add(&p.tally);
    }
    let mut people: Vec<PersonLine> = people.into_values().collect();
    for p in &mut people {
        p.flags = flags(config_of(&p.department_id), &p.tally);
    }
    people.sort_by(|a, b| {
        (b.tally.inspections, &a.department_name, &a.user_name).cmp(&(
            a.tally.inspections,
            &b.department_name,
            &b.user_name,
        ))
    });
    let months = match period.month {
        Some(m) => vec![i64::from(m)],
        None => (1..=12).collect(),
    }
    .into_iter()
    .map(|m| KeyLine {
        key: m.to_string(),
        label: format!("{m}月"),
        tally: by_month.get(&m).copied().unwrap_or_default(),
    })
    .collect();
    let categories = by_cat
        .into_iter()
        .map(|(c, tally)| KeyLine {
            label: category_label(&c),
            key: c,
            tally,
        })
        .collect();
    let overdue = r
        .overdue
        .into_iter()
        .map(|c| OverdueLine {
            department_name: names
                .get(c.department_id.as_str())
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            state_label: CaseState::parse(&c.state)
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| c.state.clone()),
            case: c,
        })
        .collect();
    let thresholds = depts
        .first()
        .map(|d| config_of(&d.id).clone())
        .unwrap_or_default();
    Report {
        period,
        totals,
        departments,
        people,
        categories,
        months,
        overdue,
        thresholds,
    }
}

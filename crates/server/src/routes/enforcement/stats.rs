//! 执法统计与考评: inspections, hazards found, cases, penalties and fines by department, person,
//! category and month, plan completion, cases past their deadline and the 零处罚 / 执法宽松软
//! flags — as JSON for the console's page and as a workbook.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller, ctx, string_or_number};
use crate::spreadsheet::table::{self, Sheet, Table, label, number, text};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::enforcement::stats::{self as app_stats, Report};
use yingji_core::enforcement::stats::{Flag, StatsConfig, Tally, export_file_name};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(stats_xlsx))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// 统计年度, e.g. 2026 (required).
    #[serde(default, deserialize_with = "string_or_number")]
    pub year: Option<String>,
    /// 1–12: one month of the year.
    #[serde(default, deserialize_with = "string_or_number")]
    pub month: Option<String>,
    /// Only this department (one the caller may see).
    pub department_id: Option<String>,
}

/// A department's figures, its plan completion and its flags.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsDepartment {
    pub department_id: String,
    pub department_name: String,
    #[serde(flatten)]
    pub tally: Tally,
    /// Inspections the approved plan of the year asks for (null: no approved plan).
    pub planned: Option<i64>,
    /// Inspections done in the whole year.
    pub done_in_year: i64,
    pub flags: Vec<Flag>,
}

/// A person's figures (inspections they were on, cases they handle) and flags.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsPerson {
    pub department_id: String,
    pub department_name: String,
    pub user_id: String,
    pub user_name: String,
    #[serde(flatten)]
    pub tally: Tally,
    pub flags: Vec<Flag>,
}

/// A category's or a month's figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsLine {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// An open case past its deadline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsOverdueCase {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub title: String,
    pub enterprise_name: String,
    pub state: String,
    pub state_label: String,
    pub deadline: String,
}

/// 执法统计 of a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnforcementStats {
    pub year: i32,
    pub month: Option<i8>,
    pub period_label: String,
    pub totals: Tally,
    pub departments: Vec<StatsDepartment>,
    pub inspectors: Vec<StatsPerson>,
    pub categories: Vec<StatsLine>,
    pub months: Vec<StatsLine>,
    pub overdue: Vec<StatsOverdueCase>,
    /// The thresholds the flags were judged by.
    pub thresholds: StatsConfig,
}

fn line(l: app_stats::KeyLine) -> StatsLine {
    StatsLine {
        key: l.key,
        label: l.label,
        tally: l.tally,
    }
}

impl From<Report> for EnforcementStats {
    fn from(r: Report) -> Self {
        Self {
            year: r.period.year,
            month: r.period.month,
            period_label: r.period.label(),
            totals: r.totals,
            departments: r
                .departments
                .into_iter()
                .map(|d| StatsDepartment {
                    department_id: d.department_id,
                    department_name: d.department_name,
                    tally: d.tally,
                    planned: d.planned,
                    done_in_year: d.done_in_year,
                    flags: d.flags,
                })
                .collect(),
            inspectors: r
                .people
                .into_iter()
                .map(|p| StatsPerson {
                    department_id: p.department_id,
                    department_name: p.department_name,
                    user_id: p.user_id,
                    user_name: p.user_name,
                    tally: p.tally,
                    flags: p.flags,
                })
                .collect(),
            categories: r.categories.into_iter().map(line).collect(),
            months: r.months.into_iter().map(line).collect(),
            overdue: r
                .overdue
                .into_iter()
                .map(|o| StatsOverdueCase {
                    id: o.case.id,
                    department_id: o.case.department_id,
                    department_name: o.department_name,
                    title: o.case.title,
                    enterprise_name: o.case.enterprise_name,
                    state: o.case.state,
                    state_label: o.state_label,
                    deadline: o.case.deadline,
                })
                .collect(),
            thresholds: r.thresholds,
        }
    }
}

async fn report_of(app: &AppState, caller: &Caller, q: &StatsQuery) -> ApiResult<Report> {
    Ok(app_stats::report(
        &app.store,
        &ctx(caller),
        app.clock.now_ms(),
        q.year.as_deref(),
        q.month.as_deref(),
        q.department_id.as_deref(),
    )
    .await?)
}

/// 执法统计: the caller's departments' figures for a year or a month (an inspector: their own).
#[utoipa::path(get, path = "/api/v1/enforcement/stats", tag = "执法监管", params(StatsQuery), responses((status = 200, body = EnforcementStats), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<EnforcementStats>> {
    Ok(Json(report_of(&app, &caller, &q).await?.into()))
}

/// 执法统计 as a workbook: sheets 按部门, 按执法人员, 按类别, 按月, 逾期案件.
#[utoipa::path(get, path = "/api/v1/enforcement/stats.xlsx", tag = "执法监管", params(StatsQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats_xlsx(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    let r: EnforcementStats = report_of(&app, &caller, &q).await?.into();
    let name = export_file_name(&yingji_core::enforcement::stats::Period {
        year: r.year,
        month: r.month,
    });
    table::respond_all(workbook(r), &name).await
}

fn flag_text(f: &[Flag]) -> String {
    f.iter()
        .map(|f| format!("{}：{}", f.label, f.reason))
        .collect::<Vec<_>>()
        .join("；")
}

/// The figures' columns, after a line's own.
macro_rules! tally_columns {
    ($t:ty, $get:expr) => {{
        let get = $get;
        vec![
            number("检查次数", move |r: &$t| get(r).inspections),
            number("发现隐患", move |r: &$t| get(r).findings),
            number("其中重大隐患", move |r: &$t| get(r).major_findings),
            number("立案", move |r: &$t| get(r).cases),
            number("作出处罚决定", move |r: &$t| get(r).penalties),
            number("罚款金额（元）", move |r: &$t| get(r).fine_yuan),
        ]
    }};
}

fn workbook(r: EnforcementStats) -> Vec<Box<dyn Sheet>> {
    let mut dept_cols = vec![label("部门", |d: &StatsDepartment| {
        d.department_name.clone()
    })];
    dept_cols.extend(tally_columns!(StatsDepartment, |d: &StatsDepartment| d.tally));
    dept_cols.push(number("年度计划检查", |d: &StatsDepartment| {
        d.planned
    }));
    dept_cols.push(number("年度已检查", |d: &StatsDepartment| {
        d.done_in_year
    }));
    dept_cols.push(text("考评提示", |d: &StatsDepartment| {
        flag_text(&d.flags)
    }));
    let mut person_cols = vec![
        label("部门", |p: &StatsPerson| p.department_name.clone()),
        text("执法人员", |p: &StatsPerson| p.user_name.clone()),
    ];
    person_cols.extend(tally_columns!(StatsPerson, |p: &StatsPerson| p.tally));
    person_cols.push(text("考评提示", |p: &StatsPerson| flag_text(&p.flags)));
    let mut cat_cols = vec![label("监管类别", |l: &StatsLine| l.label.clone())];
    cat_cols.extend(tally_columns!(StatsLine, |l: &StatsLine| l.tally));
    let mut month_cols = vec![label("月份", |l: &StatsLine| l.label.clone())];
    month_cols.extend(tally_columns!(StatsLine, |l: &StatsLine| l.tally));
    vec![
        Box::new(Table {
            sheet: "按部门",
            columns: dept_cols,
            rows: r.departments,
        }),
        Box::new(Table {
            sheet: "按执法人员",
            columns: person_cols,
            rows: r.inspectors,
        }),
        Box::new(Table {
            sheet: "按类别",
            columns: cat_cols,
            rows: r.categories,
        }),
        Box::new(Table {
            sheet: "按月",
            columns: month_cols,
            rows: r.months,
        }),
        Box::new(Table {
            sheet: "逾期案件",
            columns: vec![
                label("部门", |c: &StatsOverdueCase| c.department_name.clone()),
                text("案件", |c: &StatsOverdueCase| c.title.clone()),
                text("当事人", |c: &StatsOverdueCase| {
                    c.enterprise_name.clone()
                }),
                label("阶段", |c: &StatsOverdueCase| c.state_label.clone()),
                table::date("期限", |c: &StatsOverdueCase| {
                    table::day(Some(&c.deadline))
                }),
            ],
            rows: r.overdue,
        }),
    ]
}

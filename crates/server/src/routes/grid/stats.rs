//! 网格事件统计: events by source, category, unit and street, on-time rates of 签收/处置/反馈,
//! satisfaction, cards, hot spots and rewards paid — as JSON for the console's page and as a
//! workbook (a summary sheet and an events sheet, never with the reporter).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller, ctx, string_or_number};
use crate::spreadsheet::table::{
    self, MAX_EXPORT_ROWS, Sheet, Table, datetime, label, number, text,
};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::stats::{self as uc, Ask, EventRow, Line, Report};
use yingji_core::grid::stats::{Rate, Tally, export_file_name, on_time_label, satisfied_label};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(export))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GridStatsQuery {
    /// First day, `YYYY-MM-DD` (Asia/Shanghai); default 29 days before `to`.
    pub from: Option<String>,
    /// Last day, included; default today.
    pub to: Option<String>,
    /// Only the events lying in this street (9-digit code within the caller's area).
    #[serde(default, deserialize_with = "string_or_number")]
    pub street: Option<String>,
}

impl GridStatsQuery {
    fn ask(&self) -> Ask<'_> {
        Ask {
            from: self.from.as_deref(),
            to: self.to.as_deref(),
            street: self.street.as_deref(),
        }
    }
}

/// A rate as an exact fraction and how it reads (rounded down: never 100.0% unless all).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridStatsRate {
    pub part: i64,
    pub whole: i64,
    /// e.g. 66.6%; `—` when nothing was judged.
    pub percent: String,
}

impl From<Rate> for GridStatsRate {
    fn from(r: Rate) -> Self {
        Self {
            part: r.part,
            whole: r.whole,
            percent: r.percent(),
        }
    }
}

/// What a line adds up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridStatsTally {
    /// Events filed (merged duplicates apart).
    pub events: i64,
    /// of which 已办结.
    pub closed: i64,
    /// 签收 on time: done by the deadline, of those done or open past it.
    pub accept: GridStatsRate,
    /// 处置 on time.
    pub handle: GridStatsRate,
    /// 反馈 on time.
    pub feedback: GridStatsRate,
    /// 满意, of those 回访ed with a verdict.
    pub satisfaction: GridStatsRate,
}

impl From<Tally> for GridStatsTally {
    fn from(t: Tally) -> Self {
        Self {
            events: t.events,
            closed: t.closed,
            accept: t.accept.into(),
            handle: t.handle.into(),
            feedback: t.feedback.into(),
            satisfaction: t.satisfaction.into(),
        }
    }
}

/// A source's, category's, unit's or street's line.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridStatsLine {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub tally: GridStatsTally,
}

impl From<Line> for GridStatsLine {
    fn from(l: Line) -> Self {
        Self {
            key: l.key,
            label: l.label,
            tally: l.tally.into(),
        }
    }
}

/// One category of a hot spot.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridHotSpotCategory {
    pub code: String,
    pub label: String,
    pub events: i64,
}

/// A place with repeat events (a cell of about 100 m): its events' mean point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridHotSpot {
    pub lon: f64,
    pub lat: f64,
    pub events: i64,
    pub categories: Vec<GridHotSpotCategory>,
}

/// Rewards paid in the span (the district's).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridStatsRewards {
    pub paid: i64,
    pub amount_fen: i64,
}

/// 网格事件统计 of a span.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridStats {
    pub from: String,
    pub to: String,
    pub span_label: String,
    pub street: Option<String>,
    pub totals: GridStatsTally,
    /// Merged duplicates (left out of every other figure).
    pub merged: i64,
    pub sources: Vec<GridStatsLine>,
    pub categories: Vec<GridStatsLine>,
    pub units: Vec<GridStatsLine>,
    pub streets: Vec<GridStatsLine>,
    /// 黄牌 issued in the span.
    pub yellow_cards: i64,
    /// 红牌督办 issued in the span.
    pub red_cards: i64,
    pub hot_spots: Vec<GridHotSpot>,
    /// Only for the bureau's district figures without a street filter.
    pub rewards: Option<GridStatsRewards>,
}

impl From<Report> for GridStats {
    fn from(r: Report) -> Self {
        let lines = |v: Vec<Line>| -> Vec<GridStatsLine> {
            v.into_iter().map(GridStatsLine::from).collect()
        };
        Self {
            from: r.span.from.to_string(),
            to: r.span.to.to_string(),
            span_label: r.span.label(),
            street: r.street,
            totals: r.totals.into(),
            merged: r.merged,
            sources: lines(r.sources),
            categories: lines(r.categories),
            units: lines(r.units),
            streets: lines(r.streets),
            yellow_cards: r.yellow_cards,
            red_cards: r.red_cards,
            hot_spots: r
                .hot_spots
                .into_iter()
                .map(|h| GridHotSpot {
                    lon: h.lon,
                    lat: h.lat,
                    events: h.events,
                    categories: h
                        .categories
                        .into_iter()
                        .map(|(label, code, events)| GridHotSpotCategory {
                            code,
                            label,
                            events,
                        })
                        .collect(),
                })
                .collect(),
            rewards: r
                .rewards
                .map(|(paid, amount_fen)| GridStatsRewards { paid, amount_fen }),
        }
    }
}

/// 网格事件统计: the caller's events filed in the span (the bureau: the district; a street: its
/// area and the events sent to it; a department: those sent to it).
#[utoipa::path(get, path = "/api/v1/grid/stats", tag = "网格事件", params(GridStatsQuery), responses((status = 200, body = GridStats), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<GridStatsQuery>,
) -> ApiResult<Json<GridStats>> {
    let r = uc::report(&app.store, &ctx(&caller), app.clock.now_ms(), &q.ask()).await?;
    Ok(Json(r.into()))
}

/// 网格事件统计 as a workbook: 汇总 (the figures and every breakdown) and 事件明细 (one line per
/// event, with no reporter name, phone or tracking code).
#[utoipa::path(get, path = "/api/v1/grid/stats/export", tag = "网格事件", params(GridStatsQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<GridStatsQuery>,
) -> ApiResult<Response> {
    let (c, now) = (ctx(&caller), app.clock.now_ms());
    let r = uc::report(&app.store, &c, now, &q.ask()).await?;
    let limit = MAX_EXPORT_ROWS as i64 + 1;
    let (span, events) = uc::events(&app.store, &c, now, &q.ask(), limit).await?;
    let events = table::bounded(events)?;
    table::respond_all(workbook(r, events), &export_file_name(&span)).await
}

/// A line of the summary sheet.
struct SummaryRow {
    dimension: &'static str,
    name: String,
    tally: Tally,
}

fn rate_text(r: &Rate) -> String {
    format!("{}（{}/{}）", r.percent(), r.part, r.whole)
}

fn summary_rows(r: Report) -> Vec<SummaryRow> {
    let mut out = vec![SummaryRow {
        dimension: "合计",
        name: r.span.label(),
        tally: r.totals,
    }];
    for (dimension, lines) in [
        ("来源", r.sources),
        ("类别", r.categories),
        ("承办单位", r.units),
        ("街道", r.streets),
    ] {
        out.extend(lines.into_iter().map(|l| SummaryRow {
            dimension,
            name: l.label,
            tally: l.tally,
        }));
    }
    let note = |name: String| SummaryRow {
        dimension: "其他",
        name,
        tally: Tally::default(),
    };
    out.push(note(format!("已合并重复事件 {} 件", r.merged)));
    out.push(note(format!(
        "黄牌 {} 次，红牌督办 {} 次",
        r.yellow_cards, r.red_cards
    )));
    if let Some((n, fen)) = r.rewards {
        out.push(note(format!(
            "发放举报奖励 {n} 笔，共 {}.{:02} 元",
            fen / 100,
            fen % 100
        )));
    }
    for h in r.hot_spots {
        let mix: Vec<String> = h
            .categories
            .iter()
            .map(|(l, _, n)| format!("{l}{n}"))
            .collect();
        out.push(note(format!(
            "热点 {:.5},{:.5}：{} 件（{}）",
            h.lon,
            h.lat,
            h.events,
            mix.join("、")
        )));
    }
    out
}

fn workbook(r: Report, events: Vec<EventRow>) -> Vec<Box<dyn Sheet>> {
    let summary = Table {
        sheet: "汇总",
        columns: vec![
            label("维度", |s: &SummaryRow| s.dimension),
            text("名称", |s: &SummaryRow| s.name.clone()),
            number("事件数", |s: &SummaryRow| s.tally.events),
            number("已办结", |s: &SummaryRow| s.tally.closed),
            text("签收按时率", |s: &SummaryRow| {
                rate_text(&s.tally.accept)
            }),
            text("处置按时率", |s: &SummaryRow| {
                rate_text(&s.tally.handle)
            }),
            text("反馈按时率", |s: &SummaryRow| {
                rate_text(&s.tally.feedback)
            }),
            text("满意率", |s: &SummaryRow| {
                rate_text(&s.tally.satisfaction)
            }),
        ],
        rows: summary_rows(r),
    };
    let events = Table {
        sheet: "事件明细",
        columns: vec![
            text("事件编号", |e: &EventRow| e.line.code.clone()),
            label("来源", |e: &EventRow| e.source_label.clone()),
            label("类别", |e: &EventRow| e.category_label.clone()),
            label("街道", |e: &EventRow| e.line.street_name.clone()),
            label("承办单位", |e: &EventRow| e.line.unit_name.clone()),
            label("状态", |e: &EventRow| e.status_label.clone()),
            datetime("受理时间", |e: &EventRow| e.line.created_ms),
            datetime("分拨时间", |e: &EventRow| e.line.dispatched_ms),
            datetime("签收期限", |e: &EventRow| e.line.accept_due_ms),
            datetime("签收时间", |e: &EventRow| e.line.accepted_ms),
            label("签收", |e: &EventRow| on_time_label(e.accept_on_time)),
            datetime("处置期限", |e: &EventRow| e.line.handle_due_ms),
            datetime("处置时间", |e: &EventRow| e.line.handled_ms),
            label("处置", |e: &EventRow| on_time_label(e.handle_on_time)),
            datetime("反馈期限", |e: &EventRow| e.line.feedback_due_ms),
            datetime("反馈时间", |e: &EventRow| e.line.answered_ms),
            label("反馈", |e: &EventRow| on_time_label(e.feedback_on_time)),
            datetime("办结时间", |e: &EventRow| e.line.closed_ms),
            label("回访", |e: &EventRow| satisfied_label(e.line.satisfied)),
            label("曾重办", |e: &EventRow| e.line.reopened),
        ],
        rows: events,
    };
    vec![Box::new(summary), Box::new(events)]
}

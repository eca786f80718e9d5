//! The API types of the 灾情 summary and the yearbook, apart from the core and store types.

use crate::extract::string_or_number;
use crate::routes::disasters::reports_api::ReportFigures;
use serde::{Deserialize, Serialize};
use yingji_core::disasters::reports_figures::show_hundredths;

/// A line of the summary: a year, a kind, a township or the total.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterSummaryLine)]
pub struct SummaryLine {
    /// The year ("2026"), the kind's key, the township's code or "total".
    pub key: String,
    pub label: String,
    /// 灾害过程数 (a township: the processes with figures for it).
    pub processes: i64,
    pub figures: ReportFigures,
}

impl From<yingji_core::disasters::summary::Line> for SummaryLine {
    fn from(l: yingji_core::disasters::summary::Line) -> Self {
        Self {
            key: l.key,
            label: l.label,
            processes: l.processes,
            figures: l.figures.into(),
        }
    }
}

/// One of the plan's 防灾减灾 indicators.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterIndicator)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    /// The value with its unit, rounded down to three decimals (so it never contradicts
    /// `met`); null when no year of the span has yearbook figures.
    pub value: Option<String>,
    /// The plan's target, e.g. "<1%".
    pub target: String,
    pub met: Option<bool>,
    /// The years of the span that have yearbook figures.
    pub years: Vec<i32>,
}

impl From<yingji_core::disasters::summary::Indicator> for Indicator {
    fn from(i: yingji_core::disasters::summary::Indicator) -> Self {
        Self {
            key: i.key.into(),
            label: i.label.into(),
            value: i.value,
            target: i.target.into(),
            met: i.met,
            years: i.years,
        }
    }
}

/// The district's 灾情 summary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterSummary)]
pub struct Summary {
    pub from_year: i32,
    pub to_year: i32,
    pub kind: Option<String>,
    pub total: SummaryLine,
    /// Every year of the span, in order.
    pub by_year: Vec<SummaryLine>,
    pub by_kind: Vec<SummaryLine>,
    /// The townships, the most affected people first.
    pub by_township: Vec<SummaryLine>,
    pub indicators: Vec<Indicator>,
}

impl From<yingji_app::disasters::summary::SummaryReport> for Summary {
    fn from(r: yingji_app::disasters::summary::SummaryReport) -> Self {
        let s = r.summary;
        let lines = |v: Vec<yingji_core::disasters::summary::Line>| {
            v.into_iter().map(SummaryLine::from).collect()
        };
        Self {
            from_year: s.query.from_year,
            to_year: s.query.to_year,
            kind: s.query.kind,
            total: s.total.into(),
            by_year: lines(s.by_year),
            by_kind: lines(s.by_kind),
            by_township: lines(s.by_township),
            indicators: r.indicators.into_iter().map(Indicator::from).collect(),
        }
    }
}

/// One year of the district's yearbook.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterYearbookLine)]
pub struct YearbookLine {
    pub year: i64,
    /// 地区生产总值（万元），两位小数
    pub gdp_wan_yuan: String,
    /// 常住人口（人）
    pub population: i64,
    pub updated_by: String,
    pub updated_ms: i64,
}

impl From<yingji_store::disasters::summary::YearbookEntry> for YearbookLine {
    fn from(e: yingji_store::disasters::summary::YearbookEntry) -> Self {
        Self {
            year: e.year,
            gdp_wan_yuan: show_hundredths(e.gdp_wan_yuan),
            population: e.population,
            updated_by: e.updated_by,
            updated_ms: e.updated_ms,
        }
    }
}

/// One year as written; numbers or strings.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = DisasterYearbookInputLine)]
#[serde(deny_unknown_fields)]
pub struct YearbookInputLine {
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub year: Option<String>,
    /// 地区生产总值（万元，最多两位小数）
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub gdp_wan_yuan: Option<String>,
    /// 常住人口（人）
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub population: Option<String>,
}

/// The whole yearbook: it replaces the district's.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = DisasterYearbookInput)]
#[serde(deny_unknown_fields)]
pub struct YearbookInput {
    pub years: Vec<YearbookInputLine>,
}

impl From<YearbookInputLine> for yingji_core::disasters::summary::YearbookInput {
    fn from(v: YearbookInputLine) -> Self {
        Self {
            year: v.year.unwrap_or_default(),
            gdp_wan_yuan: v.gdp_wan_yuan.unwrap_or_default(),
            population: v.population.unwrap_or_default(),
        }
    }
}

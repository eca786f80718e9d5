//! The 隐患月报/季报/年报 as the API answers it.

use serde::Serialize;
use yingji_core::prevention::hazard::periodic::{self, Period, Row};
use yingji_store::prevention::hazards::PeriodReport;

/// One row of a breakdown: the period's hazards of a region, 行业领域 or industry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardReportRow {
    /// Region code, 监管类别 code or GB/T 4754 section; empty for the rows without one.
    pub code: String,
    pub name: String,
    pub total: i64,
    pub general: i64,
    pub major: i64,
    /// 已整改: 已验收销号.
    pub closed: i64,
    /// 不予立案.
    pub dismissed: i64,
    /// 整改率 = closed ÷ (total − dismissed), in percent (one decimal); null without hazards.
    pub rate: Option<f64>,
    /// Still overdue (待定级 or 整改中 past the deadline) when the report is made.
    pub overdue: i64,
}

impl From<Row> for HazardReportRow {
    fn from(r: Row) -> Self {
        Self {
            rate: r.rate(),
            code: r.code,
            name: r.name,
            total: r.total,
            general: r.general,
            major: r.major,
            closed: r.closed,
            dismissed: r.dismissed,
            overdue: r.overdue,
        }
    }
}

/// The count of one status of the loop.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardStatusCount {
    pub status: String,
    pub label: String,
    pub count: i64,
}

/// 隐患月报/季报/年报: the hazards reported in the period, under the region and the caller's
/// scope.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardReport {
    /// 安全生产隐患排查治理月报 / 季报 / 年报.
    pub title: String,
    /// 2026年5月 / 2026年第2季度 / 2026年度.
    pub period_label: String,
    /// First and last month (YYYY-MM).
    pub from_month: String,
    pub to_month: String,
    pub region_code: String,
    /// The header of the region breakdown: 街道, 社区 or 网格.
    pub region_level_label: String,
    pub total: HazardReportRow,
    pub by_status: Vec<HazardStatusCount>,
    pub by_region: Vec<HazardReportRow>,
    /// By 行业领域 (监管类别); a hazard in several categories counts in each.
    pub by_category: Vec<HazardReportRow>,
    /// By 国民经济行业 (GB/T 4754 门类); hazards without an enterprise last.
    pub by_industry: Vec<HazardReportRow>,
    /// Hazards of any period overdue now, under the region and scope.
    pub overdue_now: i64,
}

impl HazardReport {
    pub fn new(period: Period, region: &str, r: PeriodReport) -> Self {
        let (from_month, to_month) = period.months();
        let t = r.tally;
        Self {
            title: period.title().into(),
            period_label: period.label(),
            from_month,
            to_month,
            region_code: region.into(),
            region_level_label: periodic::child_region_label(region).into(),
            total: t.total.into(),
            by_status: t
                .by_status
                .into_iter()
                .map(|(s, count)| HazardStatusCount {
                    status: s.as_str().into(),
                    label: s.label().into(),
                    count,
                })
                .collect(),
            by_region: t.by_region.into_iter().map(Into::into).collect(),
            by_category: t.by_category.into_iter().map(Into::into).collect(),
            by_industry: t.by_industry.into_iter().map(Into::into).collect(),
            overdue_now: r.overdue_now,
        }
    }
}

//! 隐患月报/季报/年报: the period a report covers, its title, and the tally of the hazards
//! reported in it — by status, by region, by 行业领域 (监管类别) and by 国民经济行业 (GB/T 4754
//! 门类), each row with 一般/重大, 已整改 (已验收销号), 整改率 and 逾期.

use super::{HazardLevel, Status, wording};
use crate::directory::enterprise::{CATEGORIES, INDUSTRY_SECTIONS, label_of};
use crate::kernel::validation::Invalid;
use std::collections::BTreeMap;

/// The period of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month { year: i32, month: u8 },
    Quarter { year: i32, quarter: u8 },
    Year(i32),
}

fn check_year(year: Option<i32>) -> Result<i32, Invalid> {
    match year {
        Some(y) if (2000..=2100).contains(&y) => Ok(y),
        Some(_) => Err(Invalid::one("year", "年份应在 2000 至 2100 之间")),
        None => Err(Invalid::one("year", "季报、年报须指定年份")),
    }
}

impl Period {
    /// From the query: `kind` month (with `month` = YYYY-MM), quarter (with `year` and
    /// `quarter` 1–4) or year (with `year`).
    pub fn parse(
        kind: &str,
        month: Option<&str>,
        year: Option<i32>,
        quarter: Option<u8>,
    ) -> Result<Self, Invalid> {
        match kind {
            "month" => {
                let m = month.unwrap_or_default();
                let parsed = (m.len() == 7)
                    .then(|| format!("{m}-01").parse::<jiff::civil::Date>().ok())
                    .flatten();
                match parsed {
                    Some(d) if (2000..=2100).contains(&d.year()) => Ok(Self::Month {
                        year: d.year() as i32,
                        month: d.month() as u8,
                    }),
                    _ => Err(Invalid::one(
                        "month",
                        format!("月份“{m}”格式不正确，应为 2026-11"),
                    )),
                }
            }
            "quarter" => {
                let year = check_year(year)?;
                match quarter {
                    Some(q @ 1..=4) => Ok(Self::Quarter { year, quarter: q }),
                    _ => Err(Invalid::one("quarter", "季度应为 1 至 4")),
                }
            }
            "year" => Ok(Self::Year(check_year(year)?)),
            _ => Err(Invalid::one(
                "kind",
                format!("报表类型“{kind}”无效，应为 month（月报）、quarter（季报）或 year（年报）"),
            )),
        }
    }

    /// The first and last month (YYYY-MM) of the period.
    pub fn months(self) -> (String, String) {
        let (year, first, last) = match self {
            Self::Month { year, month } => (year, month, month),
            Self::Quarter { year, quarter } => (year, quarter * 3 - 2, quarter * 3),
            Self::Year(year) => (year, 1, 12),
        };
        (
            format!("{year:04}-{first:02}"),
            format!("{year:04}-{last:02}"),
        )
    }

    /// 安全生产隐患排查治理月报 / 季报 / 年报.
    pub fn title(self) -> &'static str {
        match self {
            Self::Month { .. } => "安全生产隐患排查治理月报",
            Self::Quarter { .. } => "安全生产隐患排查治理季报",
            Self::Year(_) => "安全生产隐患排查治理年报",
        }
    }

    /// 2026年5月 / 2026年第2季度 / 2026年度.
    pub fn label(self) -> String {
        match self {
            Self::Month { year, month } => format!("{year}年{month}月"),
            Self::Quarter { year, quarter } => format!("{year}年第{quarter}季度"),
            Self::Year(year) => format!("{year}年度"),
        }
    }

    /// 隐患月报-2026年5月.xlsx.
    pub fn file_name(self) -> String {
        let kind = match self {
            Self::Month { .. } => "隐患月报",
            Self::Quarter { .. } => "隐患季报",
            Self::Year(_) => "隐患年报",
        };
        format!("{kind}-{}.xlsx", self.label())
    }
}

/// The column header of the region breakdown under a region of this code's length.
pub fn child_region_label(parent_code: &str) -> &'static str {
    match parent_code.len() {
        6 => "街道",
        9 => "社区",
        _ => "网格",
    }
}

/// The 监管类别 row of hazards whose place has none (公共区域 and the like).
pub const NO_CATEGORY: &str = "未归入监管类别";
/// The region row of hazards whose region has no name on record.
pub const UNKNOWN_REGION: &str = "未知区域";

/// One group of the count query: this many of the period's hazards share these attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// The child region (street, community or grid) the hazard lies in.
    pub region: String,
    /// GB/T 4754 section of the enterprise; empty without one.
    pub industry: String,
    /// 监管类别 codes, comma-separated; empty without any.
    pub categories: String,
    pub level: String,
    pub status: String,
    /// The overdue mark (it counts only while the hazard is 待定级 or 整改中).
    pub overdue: bool,
    pub n: i64,
}

/// A row of a breakdown (or the total).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub total: i64,
    pub general: i64,
    pub major: i64,
    /// 已整改: 已验收销号.
    pub closed: i64,
    /// 不予立案 (left out of the rate).
    pub dismissed: i64,
    /// Still overdue at the time of the report.
    pub overdue: i64,
}

impl Row {
    fn named(code: &str, name: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            name: name.into(),
            ..Default::default()
        }
    }
    fn add(&mut self, c: &Count) {
        self.total += c.n;
        match HazardLevel::parse(&c.level) {
            Ok(HazardLevel::Major) => self.major += c.n,
            Ok(HazardLevel::General) => self.general += c.n,
            Err(_) => {}
        }
        match Status::parse(&c.status) {
            Ok(Status::Closed) => self.closed += c.n,
            Ok(Status::Dismissed) => self.dismissed += c.n,
            Ok(Status::Registered | Status::Rectifying) if c.overdue => self.overdue += c.n,
            _ => {}
        }
    }
    /// 整改率 = 已验收销号 ÷ (隐患数 − 不予立案), in percent with one decimal; none without hazards.
    pub fn rate(&self) -> Option<f64> {
        let base = self.total - self.dismissed;
        (base > 0).then(|| (self.closed as f64 * 1000.0 / base as f64).round() / 10.0)
    }
}

/// The report's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub total: Row,
    /// Every status, in the loop's order, with its count (zero included).
    pub by_status: Vec<(Status, i64)>,
    /// By child region, most hazards first.
    pub by_region: Vec<Row>,
    /// By 监管类别 in the catalogue's order; a hazard in several categories counts in each.
    pub by_category: Vec<Row>,
    /// By GB/T 4754 section in the standard's order, hazards without an enterprise last.
    pub by_industry: Vec<Row>,
}

/// Tallies the period's counts; `region_name` names a child region by its code.
pub fn tally(counts: &[Count], region_name: impl Fn(&str) -> Option<String>) -> Tally {
    let mut total = Row::named("", "合计");
    let mut by_status: BTreeMap<&str, i64> = BTreeMap::new();
    let mut regions: BTreeMap<&str, Row> = BTreeMap::new();
    let mut categories: BTreeMap<&str, Row> = BTreeMap::new();
    let mut industries: BTreeMap<&str, Row> = BTreeMap::new();
    for c in counts {
        total.add(c);
        *by_status.entry(c.status.as_str()).or_default() += c.n;
        regions
            .entry(c.region.as_str())
            .or_insert_with(|| {
                let name = region_name(&c.region).unwrap_or_else(|| UNKNOWN_REGION.into());
                Row::named(&c.region, name)
            })
            .add(c);
        let mut cats: Vec<&str> = c.categories.split(',').filter(|s| !s.is_empty()).collect();
        if cats.is_empty() {
            cats.push("");
        }
        for cat in cats {
            categories
                .entry(cat)
                .or_insert_with(|| Row::named(cat, category_label(cat)))
                .add(c);
        }
        industries
            .entry(c.industry.as_str())
            .or_insert_with(|| Row::named(&c.industry, industry_label(&c.industry)))
            .add(c);
    }
    let mut by_region: Vec<Row> = regions.into_values().collect();
    by_region.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.code.cmp(&b.code)));
    Tally {
        total,
        by_status: Status::ALL
            .into_iter()
            .map(|s| (s, by_status.get(s.as_str()).copied().unwrap_or(0)))
            .collect(),
        by_region,
        by_category: in_order(categories, CATEGORIES.iter().map(|c| c.code)),
        by_industry: in_order(industries, INDUSTRY_SECTIONS.iter().map(|c| c.code)),
    }
}

fn category_label(code: &str) -> String {
    if code.is_empty() {
        return NO_CATEGORY.into();
    }
    label_of(CATEGORIES, code).unwrap_or(code).to_string()
}

fn industry_label(code: &str) -> String {
    if code.is_empty() {
        return wording::NO_ENTERPRISE.into();
    }
    let section = code.get(..1).unwrap_or(code);
    label_of(INDUSTRY_SECTIONS, section)
        .unwrap_or(code)
        .to_string()
}

/// The rows in the catalogue's order, then codes the catalogue does not know, then the empty code.
fn in_order(mut rows: BTreeMap<&str, Row>, order: impl Iterator<Item = &'static str>) -> Vec<Row> {
    let mut out: Vec<Row> = order.filter_map(|c| rows.remove(c)).collect();
    let empty = rows.remove("");
    out.extend(rows.into_values());
    out.extend(empty);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(
        region: &str,
        industry: &str,
        cats: &str,
        level: &str,
        status: &str,
        overdue: bool,
        n: i64,
    ) -> Count {
        Count {
            region: region.into(),
            industry: industry.into(),
            categories: cats.into(),
            level: level.into(),
            status: status.into(),
            overdue,
            n,
        }
    }

    #[test]
    fn periods_parse_and_name_themselves() {
        let m = Period::parse("month", Some("2026-05"), None, None).unwrap();
        assert_eq!(m.months(), ("2026-05".into(), "2026-05".into()));
        assert_eq!(
            (m.title(), m.label()),
            ("安全生产隐患排查治理月报", "2026年5月".into())
        );
        let q = Period::parse("quarter", None, Some(2026), Some(2)).unwrap();
        assert_eq!(q.months(), ("2026-04".into(), "2026-06".into()));
        assert_eq!(q.file_name(), "隐患季报-2026年第2季度.xlsx");
        let y = Period::parse("year", None, Some(2025), None).unwrap();
        assert_eq!(y.months(), ("2025-01".into(), "2025-12".into()));
        assert_eq!(y.label(), "2025年度");
        for (kind, month, year, quarter, field) in [
            ("week", None, Some(2026), None, "kind"),
            ("month", Some("2026-13"), None, None, "month"),
            ("month", None, None, None, "month"),
            ("quarter", None, Some(2026), Some(5), "quarter"),
            ("quarter", None, None, Some(1), "year"),
            ("year", None, Some(1999), None, "year"),
        ] {
            let e = Period::parse(kind, month, year, quarter).unwrap_err();
            assert_eq!(e.0[0].field, field, "{kind}");
            assert!(!e.0[0].message.is_empty());
        }
    }

    #[test]
    fn the_tally_counts_levels_closures_rates_and_overdue_by_each_breakdown() {
        let counts = [
            count(
                "s1",
                "C",
                "hazchem,industry_trade",
                "major",
                "closed",
                false,
                2,
            ),
            count(
                "s1",
                "C",
                "hazchem,industry_trade",
                "general",
                "rectifying",
                true,
                3,
            ),
            count("s2", "E", "construction", "general", "closed", false, 4),
            count("s2", "", "", "general", "dismissed", false, 1),
            // Overdue counts only while 待定级 or 整改中.
            count("s2", "", "", "general", "pending_acceptance", true, 5),
        ];
        let t = tally(&counts, |c| (c == "s1").then(|| "甘棠街道".to_string()));
        assert_eq!((t.total.total, t.total.general, t.total.major), (15, 13, 2));
        assert_eq!((t.total.closed, t.total.overdue), (6, 3));
        // 6 ÷ (15 − 1) = 42.857…%.
        assert_eq!(t.total.rate(), Some(42.9));
        assert_eq!(t.by_status[1], (Status::Rectifying, 3));
        assert_eq!(t.by_status.len(), 5);
        // Regions: most hazards first; an unnamed one reads 未知区域.
        let names: Vec<_> = t
            .by_region
            .iter()
            .map(|r| (r.name.as_str(), r.total))
            .collect();
        assert_eq!(names, [("未知区域", 10), ("甘棠街道", 5)]);
        // Categories in the catalogue's order, a hazard in two counted in both, none last.
        let cats: Vec<_> = t
            .by_category
            .iter()
            .map(|r| (r.name.as_str(), r.total, r.major, r.closed, r.overdue))
            .collect();
        assert_eq!(
            cats,
            [
                ("危险化学品", 5, 2, 2, 3),
                ("工贸", 5, 2, 2, 3),
                ("建筑施工", 4, 0, 4, 0),
                (NO_CATEGORY, 6, 0, 0, 0),
            ]
        );
        assert_eq!(t.by_category[2].rate(), Some(100.0));
        assert_eq!(t.by_category[3].rate(), Some(0.0));
        let inds: Vec<_> = t
            .by_industry
            .iter()
            .map(|r| (r.name.as_str(), r.total))
            .collect();
        assert_eq!(
            inds,
            [("制造业", 5), ("建筑业", 4), (wording::NO_ENTERPRISE, 6)]
        );
        assert_eq!(child_region_label("360403"), "街道");
        assert_eq!(child_region_label("360403001"), "社区");
    }

    #[test]
    fn an_empty_period_has_no_rate() {
        let t = tally(&[], |_| None);
        assert_eq!(t.total.rate(), None);
        assert!(t.by_region.is_empty() && t.by_category.is_empty());
        assert!(t.by_status.iter().all(|s| s.1 == 0));
    }
}

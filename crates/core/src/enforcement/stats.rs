//! 执法统计与考评: the period a statistics request asks for, the tallies it adds up, the category an
//! inspection or case counts under, and the two 考评 flags — 零处罚 (many inspections, no penalty
//! decided) and 执法宽松软 (many hazards found, few or no cases) — with their Chinese reasons.
//! The thresholds are district configuration (`DistrictRules.enforcement_stats`, versioned with
//! the district's rules); the defaults are local practice, not national figures (see
//! docs/enforcement.md, "执法统计与考评").

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid};
use crate::prevention::hazard::start_of_day_ms;
use serde::{Deserialize, Serialize};

/// Who may not read the statistics is told so.
pub const NOT_A_STATS_READER: &str = "执法统计仅供局领导、部门人员、执法人员和管理员查看";

/// May read the statistics: managers (their departments), inspectors (their own line).
pub fn may_read_stats(role: Role) -> bool {
    super::may_read(role)
}

/// An inspector reads only their own line: the inspections they were on, the cases they handle.
pub fn reads_only_own_line(role: Role) -> bool {
    role == Role::Inspector
}

/// The district's 考评 thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StatsConfig {
    /// 零处罚：期间内检查次数达到此数且未作出处罚决定.
    pub zero_penalty_min_inspections: u32,
    /// 宽松软：发现重大隐患达到此数而未立案.
    pub lax_min_major_findings: u32,
    /// 宽松软：发现隐患达到此数时考查立案率.
    pub lax_min_findings: u32,
    /// 宽松软：立案数占发现隐患数的百分比低于此值.
    pub lax_min_case_rate_percent: u32,
}

impl Default for StatsConfig {
    fn default() -> Self {
        Self {
            zero_penalty_min_inspections: 20,
            lax_min_major_findings: 3,
            lax_min_findings: 30,
            lax_min_case_rate_percent: 5,
        }
    }
}

impl StatsConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        let counts = [
            (
                "zero_penalty_min_inspections",
                self.zero_penalty_min_inspections,
            ),
            ("lax_min_major_findings", self.lax_min_major_findings),
            ("lax_min_findings", self.lax_min_findings),
        ];
        for (field, v) in counts {
            if !(1..=10_000).contains(&v) {
                errs.add(field, "应为 1 至 10000 之间的整数");
            }
        }
        if self.lax_min_case_rate_percent > 100 {
            errs.add(
                "lax_min_case_rate_percent",
                "立案率应为 0 至 100 之间的整数",
            );
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }
}

/// The period asked for: a year, optionally one month of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub month: Option<i8>,
}

/// The earliest year statistics are asked for.
const FIRST_YEAR: i32 = 2000;

/// Checks `year` (required, 2000 … next year) and `month` (1–12), as the query gives them.
pub fn parse_period(
    year: Option<&str>,
    month: Option<&str>,
    this_year: i32,
) -> Result<Period, Invalid> {
    let mut errs = Errors::default();
    let year = match year.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errs.add("year", "请填写统计年度（year），如 2026");
            None
        }
        Some(s) => match s.parse::<i32>() {
            Ok(y) if (FIRST_YEAR..=this_year + 1).contains(&y) => Some(y),
            _ => {
                errs.add(
                    "year",
                    format!(
                        "统计年度（year）“{s}”无效，应为 {FIRST_YEAR} 至 {} 之间的年份",
                        this_year + 1
                    ),
                );
                None
            }
        },
    };
    let month = match month.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<i8>() {
            Ok(m) if (1..=12).contains(&m) => Some(m),
            _ => {
                errs.add("month", format!("统计月份（month）“{s}”无效，应为 1 至 12"));
                None
            }
        },
    };
    match year {
        Some(year) if errs.is_empty() => Ok(Period { year, month }),
        _ => Err(errs.into_invalid()),
    }
}

impl Period {
    /// The first instant (ms) of each month of the year in Asia/Shanghai, and of the next
    /// year's January: `[start_1, …, start_12, start_next]`.
    pub fn month_starts_ms(&self) -> [i64; 13] {
        let mut out = [0i64; 13];
        for (i, slot) in out.iter_mut().enumerate() {
            let (y, m) = if i == 12 {
                (self.year + 1, 1)
            } else {
                (self.year, i as i8 + 1)
            };
            *slot = start_of_day_ms(jiff::civil::date(y as i16, m, 1));
        }
        out
    }

    /// The instants `[from, to)` the period covers.
    pub fn range_ms(&self) -> (i64, i64) {
        let s = self.month_starts_ms();
        match self.month {
            Some(m) => (s[m as usize - 1], s[m as usize]),
            None => (s[0], s[12]),
        }
    }

    /// The days `[from, to)` the period covers, as `YYYY-MM-DD` text compares.
    pub fn range_days(&self) -> (String, String) {
        match self.month {
            Some(12) => (
                format!("{:04}-12-01", self.year),
                format!("{:04}-01-01", self.year + 1),
            ),
            Some(m) => (
                format!("{:04}-{m:02}-01", self.year),
                format!("{:04}-{:02}-01", self.year, m + 1),
            ),
            None => (
                format!("{:04}-01-01", self.year),
                format!("{:04}-01-01", self.year + 1),
            ),
        }
    }

    /// How the period reads: 2026年 or 2026年3月.
    pub fn label(&self) -> String {
        match self.month {
            Some(m) => format!("{}年{m}月", self.year),
            None => format!("{}年", self.year),
        }
    }
}

/// What a line of the statistics adds up. Money is whole 元 as the cases table stores it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    /// 检查次数 (inspection records made).
    pub inspections: i64,
    /// 发现隐患 (findings recorded).
    pub findings: i64,
    /// of which 重大隐患.
    pub major_findings: i64,
    /// 立案 (cases filed).
    pub cases: i64,
    /// 作出处罚决定.
    pub penalties: i64,
    /// 罚款金额（元）, the decided fines.
    pub fine_yuan: i64,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.inspections += o.inspections;
        self.findings += o.findings;
        self.major_findings += o.major_findings;
        self.cases += o.cases;
        self.penalties += o.penalties;
        self.fine_yuan += o.fine_yuan;
    }
}

/// A 考评 flag with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Flag {
    /// `zero_penalty` or `lax`.
    pub code: String,
    /// 零处罚 or 执法宽松软.
    pub label: String,
    /// Why, with the figures and the threshold.
    pub reason: String,
}

/// The 考评 flags of one department's or inspector's tally under the district's thresholds.
/// 零处罚: at least `zero_penalty_min_inspections` inspections and no penalty decided.
/// 执法宽松软: at least `lax_min_major_findings` 重大隐患 found and no case filed; or at least
/// `lax_min_findings` hazards found and cases below `lax_min_case_rate_percent` % of them
/// (compared exactly in integers).
pub fn flags(config: &StatsConfig, t: &Tally) -> Vec<Flag> {
    let mut out = Vec::new();
    let n = i64::from(config.zero_penalty_min_inspections);
    if t.inspections >= n && t.penalties == 0 {
        out.push(Flag {
            code: "zero_penalty".into(),
            label: "零处罚".into(),
            reason: format!(
                "检查 {} 次（达到 {n} 次），未作出行政处罚决定",
                t.inspections
            ),
        });
    }
    let m = i64::from(config.lax_min_major_findings);
    let min_findings = i64::from(config.lax_min_findings);
    let rate = i64::from(config.lax_min_case_rate_percent);
    if t.major_findings >= m && t.cases == 0 {
        out.push(Flag {
            code: "lax".into(),
            label: "执法宽松软".into(),
            reason: format!(
                "发现重大隐患 {} 项（达到 {m} 项），未立案查处",
                t.major_findings
            ),
        });
    } else if t.findings >= min_findings && t.cases * 100 < rate * t.findings {
        out.push(Flag {
            code: "lax".into(),
            label: "执法宽松软".into(),
            reason: format!(
                "发现隐患 {} 项，立案 {} 件，立案率 {} 低于 {rate}%",
                t.findings,
                t.cases,
                percent(t.cases, t.findings)
            ),
        });
    }
    out
}

/// `part/whole` as a percentage with one decimal, rounded half up (`—` for an empty whole).
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".into();
    }
    let tenths = (part * 2000 + whole) / (whole * 2);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The category a record of a department counts under: the first of the enterprise's supervision
/// categories (`,a,b,` as stored) that the department supervises, else the enterprise's first,
/// else `""` (未分类).
pub fn primary_category(enterprise_categories: &str, department_categories: &[String]) -> String {
    let mine: Vec<&str> = enterprise_categories
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    mine.iter()
        .find(|c| department_categories.iter().any(|d| d == *c))
        .or(mine.first())
        .map(|c| c.to_string())
        .unwrap_or_default()
}

/// The name of the workbook a statistics export downloads as.
pub fn export_file_name(period: &Period) -> String {
    format!("执法统计-{}.xlsx", period.label())
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;

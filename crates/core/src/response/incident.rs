//! 突发事件接报: categories, the grading of 生产安全事故 (493号令 第三条), the 较大涉险 flag
//! (21号令), the reporting chain with per-hop deadlines, 续报 frequency and the 补报 window with
//! regrading (shared/reference/cn-standards.md §1, §2, vectors A01–A11, R01–R08, W01–W03).
//! Pure rules: every "now" is an argument.

use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// 突发事件应对法 第二条: the four categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Natural,
    Accident,
    PublicHealth,
    SocialSecurity,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Self::Natural,
        Self::Accident,
        Self::PublicHealth,
        Self::SocialSecurity,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Natural => "natural",
            Self::Accident => "accident",
            Self::PublicHealth => "public_health",
            Self::SocialSecurity => "social_security",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Natural => "自然灾害",
            Self::Accident => "事故灾难",
            Self::PublicHealth => "公共卫生事件",
            Self::SocialSecurity => "社会安全事件",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| "事件类别应为 自然灾害、事故灾难、公共卫生事件 或 社会安全事件".into())
    }
    /// Only 自然灾害、事故灾难、公共卫生事件 can be warned of (第四十二条; W03).
    pub fn can_have_warning(self) -> bool {
        self != Self::SocialSecurity
    }
}

/// A subtype of a category. `work_safety` marks the 生产安全事故 that 493号令 grades and whose
/// reporting it times; `short_window` the 道路交通 and 火灾 accidents with a 7-day 补报 window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Subtype {
    pub code: &'static str,
    pub label: &'static str,
    pub category: Category,
    pub work_safety: bool,
    pub short_window: bool,
}

const fn sub(code: &'static str, label: &'static str, category: Category) -> Subtype {
    Subtype {
        code,
        label,
        category,
        work_safety: false,
        short_window: false,
    }
}

const fn accident(code: &'static str, label: &'static str, short_window: bool) -> Subtype {
    Subtype {
        code,
        label,
        category: Category::Accident,
        work_safety: true,
        short_window,
    }
}

pub const SUBTYPES: &[Subtype] = &[
    sub("flood", "洪涝灾害", Category::Natural),
    sub("rainstorm", "暴雨内涝", Category::Natural),
    sub("typhoon", "台风", Category::Natural),
    sub("geological", "地质灾害", Category::Natural),
    sub("earthquake", "地震灾害", Category::Natural),
    sub("drought", "干旱", Category::Natural),
    sub("snow_freeze", "低温雨雪冰冻", Category::Natural),
    sub("forest_fire", "森林火灾", Category::Natural),
    sub("other_natural", "其他自然灾害", Category::Natural),
    accident("industrial", "工矿商贸生产安全事故", false),
    accident("hazchem", "危险化学品事故", false),
    accident("construction", "建筑施工事故", false),
    accident("gas", "燃气事故", false),
    accident("special_equipment", "特种设备事故", false),
    accident("fire", "火灾事故", true),
    accident("road_traffic", "道路交通事故", true),
    accident("other_accident", "其他生产安全事故", false),
    // Outside 493号令 第二条 (环境污染事故 are excluded), so not graded by it.
    sub("environment", "突发环境事件", Category::Accident),
    sub("infectious", "传染病疫情", Category::PublicHealth),
    sub("food_poisoning", "食物中毒", Category::PublicHealth),
    sub("other_health", "其他公共卫生事件", Category::PublicHealth),
    sub("mass_incident", "群体性事件", Category::SocialSecurity),
    sub("other_social", "其他社会安全事件", Category::SocialSecurity),
];

pub fn subtype(code: &str) -> Option<&'static Subtype> {
    SUBTYPES.iter().find(|s| s.code == code)
}

/// 特别重大 / 重大 / 较大 / 一般. The number is the rank, 4 the most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    General = 1,
    Larger = 2,
    Major = 3,
    ExtraMajor = 4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::General, Self::Larger, Self::Major, Self::ExtraMajor];
    pub fn rank(self) -> i64 {
        self as i64
    }
    pub fn from_rank(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.rank() == n)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Larger => "larger",
            Self::Major => "major",
            Self::ExtraMajor => "extra_major",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::General => "一般",
            Self::Larger => "较大",
            Self::Major => "重大",
            Self::ExtraMajor => "特别重大",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s || g.label() == s)
            .ok_or_else(|| "事件等级应为 特别重大、重大、较大 或 一般".into())
    }
}

/// 493号令 第三条: each of deaths, serious injuries (incl. acute industrial poisoning) and direct
/// loss is graded on its own with inclusive lower bounds, and the highest grade wins.
pub fn grade_accident(deaths: u64, serious_injuries: u64, loss_yuan: u64) -> Severity {
    let band = |x: u64, [larger, major, extra]: [u64; 3]| {
        if x >= extra {
            Severity::ExtraMajor
        } else if x >= major {
            Severity::Major
        } else if x >= larger {
            Severity::Larger
        } else {
            Severity::General
        }
    };
    band(deaths, [3, 10, 30])
        .max(band(serious_injuries, [10, 50, 100]))
        .max(band(loss_yuan, [10_000_000, 50_000_000, 100_000_000]))
}

/// The people counts and loss of an incident as last reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Casualties {
    pub deaths: i64,
    /// 下落不明: kept apart from deaths, never folded in (§1.3).
    pub missing: i64,
    /// 重伤，包括急性工业中毒.
    pub serious_injuries: i64,
    pub minor_injuries: i64,
    pub trapped: i64,
    /// 涉险人数.
    pub at_risk: i64,
    /// 紧急疏散/转移人数.
    pub evacuated: i64,
    /// 直接经济损失 (元, initial estimate).
    pub loss_yuan: i64,
}

impl Casualties {
    const FIELDS: [(&'static str, &'static str); 8] = [
        ("deaths", "死亡人数"),
        ("missing", "失踪人数"),
        ("serious_injuries", "重伤人数"),
        ("minor_injuries", "轻伤人数"),
        ("trapped", "被困人数"),
        ("at_risk", "涉险人数"),
        ("evacuated", "疏散人数"),
        ("loss_yuan", "直接经济损失"),
    ];

    pub fn values(&self) -> [i64; 8] {
        [
            self.deaths,
            self.missing,
            self.serious_injuries,
            self.minor_injuries,
            self.trapped,
            self.at_risk,
            self.evacuated,
            self.loss_yuan,
        ]
    }

    /// Counts are whole non-negative numbers with sane ceilings; the errors name the field.
    pub fn check(&self, errs: &mut Errors) {
        for ((field, label), v) in Self::FIELDS.iter().zip(self.values()) {
            let max = if *field == "loss_yuan" {
                1_000_000_000_000
            } else {
                10_000_000
            };
            if v < 0 {
                errs.add(field, format!("{label}不能为负数"));
            } else if v > max {
                errs.add(field, format!("{label}超出合理范围（至多 {max}）"));
            }
        }
    }

    pub fn grade(&self) -> Severity {
        let u = |v: i64| u64::try_from(v).unwrap_or(0);
        grade_accident(u(self.deaths), u(self.serious_injuries), u(self.loss_yuan))
    }

    /// 较大涉险事故 (21号令 第二十六条, vector R08) from the counts; the other criteria (严重污染,
    /// 危及重要场所) are the officer's judgement and arrive as `judged`.
    pub fn is_larger_risk(&self, judged: bool) -> bool {
        judged
            || self.at_risk >= 10
            || self.trapped.saturating_add(self.missing) >= 3
            || self.evacuated >= 500
    }

    /// A summary for timelines: "死亡3人，重伤2人，直接经济损失120万元".
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Self::FIELDS
            .iter()
            .zip(self.values())
            .filter(|((f, _), v)| *v > 0 && *f != "loss_yuan")
            .map(|((_, label), v)| format!("{}{v}人", label.trim_end_matches("人数")))
            .collect();
        if self.loss_yuan > 0 {
            parts.push(format!("直接经济损失{}", yuan_label(self.loss_yuan)));
        }
        if parts.is_empty() {
            "无人员伤亡".into()
        } else {
            parts.join("，")
        }
    }
}

/// "1200万元", "3.5亿元", "8000元".
pub fn yuan_label(yuan: i64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if yuan >= 100_000_000 {
        format!("{}亿元", trim(format!("{:.4}", yuan as f64 / 1e8)))
    } else if yuan >= 10_000 {
        format!("{}万元", trim(format!("{:.4}", yuan as f64 / 1e4)))
    } else {
        format!("{yuan}元")
    }
}

/// A level of the reporting chain (第九条、第十条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportLevel {
    Unit,
    County,
    City,
    Province,
    National,
}

impl ReportLevel {
    pub const ABOVE_COUNTY: [ReportLevel; 3] = [Self::City, Self::Province, Self::National];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::County => "county",
            Self::City => "city",
            Self::Province => "province",
            Self::National => "national",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Unit => "事故单位",
            Self::County => "县级应急管理部门",
            Self::City => "设区的市级应急管理部门",
            Self::Province => "省级应急管理部门",
            Self::National => "国务院应急管理部门",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ABOVE_COUNTY
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| "上报层级应为 市级、省级 或 国务院".into())
    }
}

/// Where the chain ends (第十条): 一般 (and 较大涉险) at the city, 较大 at the province,
/// 重大/特别重大 at the State Council's ministry.
pub fn chain_end(severity: Severity) -> ReportLevel {
    match severity {
        Severity::General => ReportLevel::City,
        Severity::Larger => ReportLevel::Province,
        Severity::Major | Severity::ExtraMajor => ReportLevel::National,
    }
}

/// One hop of the chain: `to` must have the report by `due_ms`, counted from when `from`
/// received it (None while `from` has not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Hop {
    pub from: ReportLevel,
    pub to: ReportLevel,
    pub to_label: &'static str,
    pub due_ms: Option<i64>,
    pub received_ms: Option<i64>,
    /// Unmet and past due at `now`, or met late.
    pub overdue: bool,
    /// The 21号令 direct report from the unit to the province (较大 and above).
    pub direct: bool,
}

/// Per-hop deadlines (R01–R03): the unit reports to the county within 1 h of its head learning
/// of the accident, each level above within 2 h of receiving it; for 较大 and above the unit
/// also reports to the province within 1 h (21号令). `received` gives when each level above
/// the unit had it (county, city, province, national).
pub fn reporting_hops(
    severity: Severity,
    unit_learned_ms: i64,
    received: &dyn Fn(ReportLevel) -> Option<i64>,
    now_ms: i64,
) -> Vec<Hop> {
    let end = chain_end(severity);
    let hop = |from, to, due_ms: Option<i64>, direct| {
        let received_ms = received(to);
        let overdue = match (due_ms, received_ms) {
            (Some(due), Some(r)) => r > due,
            (Some(due), None) => now_ms > due,
            (None, _) => false,
        };
        Hop {
            from,
            to,
            to_label: to.label(),
            due_ms,
            received_ms,
            overdue,
            direct,
        }
    };
    let mut hops = vec![hop(
        ReportLevel::Unit,
        ReportLevel::County,
        Some(unit_learned_ms + HOUR_MS),
        false,
    )];
    let mut from = ReportLevel::County;
    for to in ReportLevel::ABOVE_COUNTY {
        if to > end {
            break;
        }
        hops.push(hop(
            from,
            to,
            received(from).map(|r| r + 2 * HOUR_MS),
            false,
        ));
        from = to;
    }
    if severity >= Severity::Larger {
        hops.push(hop(
            ReportLevel::Unit,
            ReportLevel::Province,
            Some(unit_learned_ms + HOUR_MS),
            true,
        ));
    }
    hops
}

/// 重大/特别重大: the province and the ministry report to the State Council at once (R03).
pub fn must_report_state_council(severity: Severity) -> bool {
    severity >= Severity::Major
}

/// 续报 at least once a day (一般、较大、较大涉险) or twice (重大、特别重大) — R04.
pub fn followups_per_day(severity: Severity) -> i64 {
    if severity >= Severity::Major { 2 } else { 1 }
}

/// When the next 续报 is due: the last report plus the interval its frequency allows.
pub fn next_followup_due_ms(severity: Severity, last_report_ms: i64) -> i64 {
    last_report_ms + DAY_MS / followups_per_day(severity)
}

/// How the 补报 window's days are counted. 民法典 第二百零一条 starts on the day after the
/// event and ends at the end of the last day; the simpler reading counts 24-hour periods from
/// the moment it occurred. A legal-policy choice, so configurable (§1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayCounting {
    #[default]
    FromNextDay,
    Elapsed,
}

/// The district's incident rules (versioned with the other district rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentConfig {
    pub window_day_counting: DayCounting,
    /// 补报 window in days (第十三条: 30).
    pub supplementary_days: i64,
    /// For 道路交通 and 火灾 (第十三条: 7).
    pub supplementary_days_short: i64,
}

impl Default for IncidentConfig {
    fn default() -> Self {
        Self {
            window_day_counting: DayCounting::FromNextDay,
            supplementary_days: 30,
            supplementary_days_short: 7,
        }
    }
}

impl IncidentConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        if !(1..=365).contains(&self.supplementary_days) {
            errs.add("supplementary_days", "补报期限应为 1 至 365 天");
        }
        if !(1..=365).contains(&self.supplementary_days_short) {
            errs.add(
                "supplementary_days_short",
                "道路交通、火灾事故补报期限应为 1 至 365 天",
            );
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    /// The instant the 补报 window closes for an accident of `subtype` that occurred at `occurred_ms`.
    pub fn window_end_ms(&self, subtype: &Subtype, occurred_ms: i64) -> i64 {
        let days = if subtype.short_window {
            self.supplementary_days_short
        } else {
            self.supplementary_days
        };
        match self.window_day_counting {
            DayCounting::Elapsed => occurred_ms + days * DAY_MS,
            DayCounting::FromNextDay => {
                let date = crate::prevention::hazard::today(occurred_ms);
                let last = date.checked_add((days + 1).days()).unwrap_or(date);
                crate::prevention::hazard::start_of_day_ms(last)
            }
        }
    }
}

/// What a 补报 (changed counts) does to the grade: inside the window the grade follows the new
/// counts (R05, R07); after it the grade is frozen and no 补报 is required (R06) — the report is
/// still recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Regrade {
    pub within_window: bool,
    pub severity: Severity,
    pub changed: bool,
}

pub fn regrade(current: Severity, new: &Casualties, at_ms: i64, window_end_ms: i64) -> Regrade {
    let within_window = at_ms < window_end_ms;
    let severity = if within_window { new.grade() } else { current };
    Regrade {
        within_window,
        severity,
        changed: severity != current,
    }
}

/// 预警级别 → colour (W01, W02): 1 红 (highest) … 4 蓝.
pub fn warning_colour(level: i64) -> Option<&'static str> {
    match level {
        1 => Some("红色"),
        2 => Some("橙色"),
        3 => Some("黄色"),
        4 => Some("蓝色"),
        _ => None,
    }
}

/// The items of 493号令 第十二条 still 待核实 in a 生产安全事故's report (地点 and 简要经过 are
/// required at once; 伤亡 and 损失 are counts, 0 until known): they must be completed before the
/// report is sent up to the next level.
pub fn pending_items(
    work_safety: bool,
    unit_overview: Option<&str>,
    scene: Option<&str>,
    measures: Option<&str>,
    other: Option<&str>,
) -> Vec<&'static str> {
    if !work_safety {
        return Vec::new();
    }
    let empty = |v: Option<&str>| v.is_none_or(|s| s.trim().is_empty());
    [
        ("事故发生单位概况", unit_overview),
        ("事故现场情况", scene),
        ("已经采取的措施", measures),
        ("其他应当报告的情况", other),
    ]
    .into_iter()
    .filter(|(_, v)| empty(*v))
    .map(|(l, _)| l)
    .collect()
}

/// How an 接报 reached the duty room.
pub const REPORT_CHANNELS: &[(&str, &str)] = &[
    ("phone", "值班电话"),
    ("enterprise", "企业报告"),
    ("hotline", "12345/12350热线"),
    ("police", "110/119/120联动"),
    ("grid", "网格员上报"),
    ("superior", "上级通报"),
    ("media", "媒体/舆情"),
    ("other", "其他"),
];

/// 报告人, phone and channel of an 接报, each optional, checked with their field names.
pub fn check_reporter(
    errs: &mut Errors,
    name: Option<&str>,
    phone: Option<&str>,
    channel: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>) {
    let name = errs
        .check(
            "reporter_name",
            optional_text("报告人", name.unwrap_or(""), 50),
        )
        .flatten();
    let phone = errs
        .check(
            "reporter_phone",
            crate::kernel::validation::phone("报告人电话", phone.unwrap_or("")),
        )
        .flatten();
    let channel = match channel.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) if REPORT_CHANNELS.iter().any(|(k, _)| *k == c) => Some(c.to_string()),
        Some(_) => {
            let allowed: Vec<&str> = REPORT_CHANNELS.iter().map(|(_, l)| *l).collect();
            errs.add(
                "report_channel",
                format!("报告渠道无效，可选：{}", allowed.join("、")),
            );
            None
        }
    };
    (name, phone, channel)
}

/// The text items of an incident report; for a 生产安全事故 the six items of 493号令 第十二条
/// (see [`pending_items`] for when they are required).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReportTexts {
    /// (一) 事故发生单位概况.
    pub unit_overview: String,
    /// (二) 地点 and 事故现场情况.
    pub location: String,
    pub scene: String,
    /// (三) 简要经过.
    pub account: String,
    /// (五) 已经采取的措施.
    pub measures: String,
    /// (六) 其他应当报告的情况.
    pub other: String,
}

/// The checked texts, trimmed; empty optional items are None.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckedTexts {
    pub unit_overview: Option<String>,
    pub location: String,
    pub scene: Option<String>,
    pub account: String,
    pub measures: Option<String>,
    pub other: Option<String>,
}

/// The facts of an 接报 apart from who and where in the region tree.
#[derive(Debug, Clone)]
pub struct IntakeFacts<'a> {
    pub title: &'a str,
    pub category: &'a str,
    pub subtype: &'a str,
    pub occurred_ms: i64,
    pub received_ms: i64,
    /// When the unit's head learned of it (第九条); defaults to the occurrence.
    pub unit_learned_ms: Option<i64>,
    pub casualties: Casualties,
    pub texts: &'a ReportTexts,
    /// A preceding warning's level 1–4, if any.
    pub warning_level: Option<i64>,
    /// The officer's grade for incidents 493号令 does not grade.
    pub assessed: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedIntake {
    pub title: String,
    pub category: Category,
    pub subtype: &'static Subtype,
    pub unit_learned_ms: i64,
    pub texts: CheckedTexts,
    pub severity: Severity,
    /// True when 493号令 computed the grade from the counts.
    pub graded_by_rule: bool,
}

/// Times more than this far ahead of the server's clock are refused as typing errors.
const FUTURE_SLACK_MS: i64 = 5 * 60_000;

pub fn check_intake(f: &IntakeFacts, now_ms: i64) -> Result<CheckedIntake, Invalid> {
    let mut errs = Errors::default();
    let title = errs.check("title", required_text("事件标题", f.title, 100));
    let category = errs.check("category", Category::parse(f.category));
    let subtype = match (category, subtype(f.subtype)) {
        (Some(c), Some(s)) if s.category == c => Some(s),
        (Some(c), _) => {
            errs.add("subtype", format!("事件类型不属于“{}”", c.label()));
            None
        }
        (None, s) => s,
    };
    if f.occurred_ms > now_ms + FUTURE_SLACK_MS {
        errs.add("occurred_at", "发生时间不能晚于当前时间");
    }
    if f.occurred_ms > f.received_ms {
        errs.add("occurred_at", "发生时间不能晚于接报时间");
    }
    if f.received_ms > now_ms + FUTURE_SLACK_MS {
        errs.add("received_at", "接报时间不能晚于当前时间");
    }
    let unit_learned_ms = f.unit_learned_ms.unwrap_or(f.occurred_ms);
    if unit_learned_ms < f.occurred_ms {
        errs.add("unit_learned_at", "单位负责人接报时间不能早于发生时间");
    }
    if unit_learned_ms > f.received_ms {
        errs.add("unit_learned_at", "单位负责人接报时间不能晚于本级接报时间");
    }
    f.casualties.check(&mut errs);
    if let Some(level) = f.warning_level {
        match category {
            Some(c) if !c.can_have_warning() => errs.add(
                "warning_level",
                "社会安全事件不设预警级别（突发事件应对法：预警只适用于自然灾害、事故灾难和公共卫生事件）",
            ),
            _ if warning_colour(level).is_none() => {
                errs.add("warning_level", "预警级别应为 1（红色）至 4（蓝色）")
            }
            _ => {}
        }
    }
    let t = f.texts;
    // 493号令 第十二条: a first 快报 is saved with what is known; the items still missing are
    // 待核实 (`pending_items`) and must be completed before the report goes up (escalation).
    let need = |label: &str, v: &str, max: usize| optional_text(label, v, max);
    let texts = CheckedTexts {
        unit_overview: errs
            .check(
                "unit_overview",
                need("事故发生单位概况", &t.unit_overview, 1000),
            )
            .flatten(),
        location: errs
            .check("location", required_text("发生地点", &t.location, 200))
            .unwrap_or_default(),
        scene: errs
            .check("scene", need("事故现场情况", &t.scene, 2000))
            .flatten(),
        account: errs
            .check("account", required_text("简要经过", &t.account, 4000))
            .unwrap_or_default(),
        measures: errs
            .check("measures", need("已经采取的措施", &t.measures, 2000))
            .flatten(),
        other: errs
            .check("other", need("其他应当报告的情况", &t.other, 2000))
            .flatten(),
    };
    let work_safety = subtype.is_some_and(|s| s.work_safety);
    let severity = if work_safety {
        if f.assessed.is_some_and(|a| !a.is_empty()) {
            errs.add(
                "assessed_severity",
                "生产安全事故的等级由伤亡人数和直接经济损失按493号令计算，不能手工指定",
            );
        }
        Some(f.casualties.grade())
    } else {
        match f.assessed.filter(|a| !a.is_empty()) {
            Some(a) => errs.check("assessed_severity", Severity::parse(a)),
            None => Some(Severity::General),
        }
    };
    match (title, category, subtype, severity) {
        (Some(title), Some(category), Some(subtype), Some(severity)) if errs.is_empty() => {
            Ok(CheckedIntake {
                title,
                category,
                subtype,
                unit_learned_ms,
                texts,
                severity,
                graded_by_rule: work_safety,
            })
        }
        _ => Err(errs.into_invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        crate::kernel::clock::parse_instant(s).expect("datetime")
    }

    #[test]
    fn accident_grades_follow_the_vectors() {
        use Severity::*;
        let vectors: [(&str, u64, u64, u64, Severity); 11] = [
            ("A01", 3, 0, 0, Larger),
            ("A02", 2, 9, 9_999_999, General),
            ("A03", 2, 10, 0, Larger),
            ("A04", 9, 49, 49_999_999, Larger),
            ("A05", 10, 0, 0, Major),
            ("A06", 0, 0, 100_000_000, ExtraMajor),
            ("A07", 29, 100, 0, ExtraMajor),
            ("A08", 1, 0, 50_000_000, Major),
            ("A09", 0, 0, 10_000_000, Larger),
            ("A10", 0, 50, 0, Major),
            ("A11", 30, 0, 0, ExtraMajor),
        ];
        for (id, d, i, l, want) in vectors {
            assert_eq!(grade_accident(d, i, l), want, "{id}");
        }
    }

    #[test]
    fn larger_risk_flag_follows_r08() {
        let c = |trapped, missing, at_risk, evacuated| Casualties {
            trapped,
            missing,
            at_risk,
            evacuated,
            ..Default::default()
        };
        assert!(c(3, 0, 0, 0).is_larger_risk(false));
        assert!(!c(0, 2, 7, 499).is_larger_risk(false));
        assert!(c(0, 0, 10, 0).is_larger_risk(false));
        assert!(c(0, 0, 0, 500).is_larger_risk(false));
        assert!(c(0, 0, 0, 0).is_larger_risk(true));
    }

    fn hops_of(severity: Severity, unit: &str, rec: &[(ReportLevel, &str)], now: &str) -> Vec<Hop> {
        let rec: Vec<(ReportLevel, i64)> = rec.iter().map(|(l, t)| (*l, at(t))).collect();
        reporting_hops(
            severity,
            at(unit),
            &|l| rec.iter().find(|(x, _)| *x == l).map(|(_, t)| *t),
            at(now),
        )
    }

    #[test]
    fn general_accident_chain_ends_at_the_city_r01() {
        let hops = hops_of(
            Severity::General,
            "2024-05-01T10:00",
            &[(ReportLevel::County, "2024-05-01T10:40")],
            "2024-05-01T12:00",
        );
        assert_eq!(hops.len(), 2);
        assert_eq!(hops[0].to, ReportLevel::County);
        assert_eq!(hops[0].due_ms, Some(at("2024-05-01T11:00")));
        assert!(!hops[0].overdue);
        assert_eq!(hops[1].to, ReportLevel::City);
        assert_eq!(hops[1].due_ms, Some(at("2024-05-01T12:40")));
        assert!(!hops[1].overdue);
        let late = hops_of(
            Severity::General,
            "2024-05-01T10:00",
            &[(ReportLevel::County, "2024-05-01T10:40")],
            "2024-05-01T12:41",
        );
        assert!(late[1].overdue);
    }

    #[test]
    fn larger_accident_chain_ends_at_the_province_r02() {
        let hops = hops_of(
            Severity::Larger,
            "2024-05-01T08:30",
            &[
                (ReportLevel::County, "2024-05-01T09:00"),
                (ReportLevel::City, "2024-05-01T10:30"),
            ],
            "2024-05-01T10:31",
        );
        let to = |l| hops.iter().find(|h| h.to == l && !h.direct).expect("hop");
        assert_eq!(to(ReportLevel::City).due_ms, Some(at("2024-05-01T11:00")));
        assert_eq!(
            to(ReportLevel::Province).due_ms,
            Some(at("2024-05-01T12:30"))
        );
        assert!(hops.iter().all(|h| h.to != ReportLevel::National));
        let direct = hops.iter().find(|h| h.direct).expect("direct hop");
        assert_eq!(direct.to, ReportLevel::Province);
        assert_eq!(direct.due_ms, Some(at("2024-05-01T09:30")));
        // The province's hop counts from the city's receipt; unmet before then is not overdue.
        assert!(!to(ReportLevel::Province).overdue);
        assert!(direct.overdue);
    }

    #[test]
    fn major_accident_goes_to_the_ministry_and_state_council_r03() {
        assert_eq!(chain_end(Severity::Major), ReportLevel::National);
        assert_eq!(chain_end(Severity::ExtraMajor), ReportLevel::National);
        assert!(must_report_state_council(Severity::Major));
        assert!(!must_report_state_council(Severity::Larger));
        let hops = hops_of(Severity::Major, "2024-05-01T08:00", &[], "2024-05-01T08:10");
        assert!(hops.iter().any(|h| h.to == ReportLevel::National));
        // Nobody above the unit has it yet: only the unit's own hops have deadlines.
        assert!(
            hops.iter()
                .filter(|h| h.from != ReportLevel::Unit)
                .all(|h| h.due_ms.is_none())
        );
    }

    #[test]
    fn followup_frequency_r04() {
        assert_eq!(followups_per_day(Severity::General), 1);
        assert_eq!(followups_per_day(Severity::Larger), 1);
        assert_eq!(followups_per_day(Severity::Major), 2);
        assert_eq!(followups_per_day(Severity::ExtraMajor), 2);
        let t = at("2024-05-01T10:00");
        assert_eq!(
            next_followup_due_ms(Severity::Major, t),
            at("2024-05-01T22:00")
        );
        assert_eq!(
            next_followup_due_ms(Severity::General, t),
            at("2024-05-02T10:00")
        );
    }

    fn deaths(n: i64) -> Casualties {
        Casualties {
            deaths: n,
            ..Default::default()
        }
    }

    #[test]
    fn supplementary_window_regrades_inside_and_freezes_after_r05_r06() {
        let cfg = IncidentConfig::default();
        let industrial = subtype("industrial").expect("subtype");
        let occurred = at("2024-05-01T14:00");
        let end = cfg.window_end_ms(industrial, occurred);
        let initial = deaths(2).grade();
        assert_eq!(initial, Severity::General);
        let r05 = regrade(initial, &deaths(3), at("2024-05-10T09:00"), end);
        assert!(r05.within_window && r05.changed);
        assert_eq!(r05.severity, Severity::Larger);
        let r06 = regrade(initial, &deaths(3), at("2024-06-15T09:00"), end);
        assert!(!r06.within_window && !r06.changed);
        assert_eq!(r06.severity, Severity::General);
    }

    #[test]
    fn fire_and_road_traffic_have_seven_days_r07() {
        let cfg = IncidentConfig::default();
        let fire = subtype("fire").expect("subtype");
        let occurred = at("2024-05-01T14:00");
        let end = cfg.window_end_ms(fire, occurred);
        let r = regrade(Severity::General, &deaths(3), at("2024-05-05T08:00"), end);
        assert!(r.within_window);
        assert_eq!(r.severity, Severity::Larger);
        let late = regrade(Severity::General, &deaths(3), at("2024-05-20T08:00"), end);
        assert!(!late.within_window);
        assert_eq!(late.severity, Severity::General);
        assert!(subtype("road_traffic").expect("subtype").short_window);
    }

    #[test]
    fn day_counting_policies_differ_only_at_the_edge() {
        let fire = subtype("fire").expect("subtype");
        let occurred = at("2024-05-01T14:00");
        let next_day = IncidentConfig::default().window_end_ms(fire, occurred);
        // 5月1日发生, 次日起算 7 日: the window closes at the end of 5月8日.
        assert_eq!(next_day, at("2024-05-09T00:00"));
        let elapsed = IncidentConfig {
            window_day_counting: DayCounting::Elapsed,
            ..Default::default()
        }
        .window_end_ms(fire, occurred);
        assert_eq!(elapsed, at("2024-05-08T14:00"));
    }

    #[test]
    fn warning_colours_w01_w03() {
        assert_eq!(warning_colour(1), Some("红色"));
        assert_eq!(warning_colour(4), Some("蓝色"));
        assert_eq!(warning_colour(5), None);
        assert!(!Category::SocialSecurity.can_have_warning());
        assert!(Category::Natural.can_have_warning());
    }

    fn texts() -> ReportTexts {
        ReportTexts {
            unit_overview: "某化工有限公司，民营，年产2万吨".into(),
            location: "浔阳区某路1号".into(),
            scene: "储罐区起火，已控制".into(),
            account: "10时许储罐泄漏引发火灾".into(),
            measures: "消防救援到场，疏散周边人员".into(),
            other: "无".into(),
        }
    }

    fn facts<'a>(t: &'a ReportTexts) -> IntakeFacts<'a> {
        IntakeFacts {
            title: "某化工储罐火灾",
            category: "accident",
            subtype: "hazchem",
            occurred_ms: at("2024-05-01T10:00"),
            received_ms: at("2024-05-01T10:30"),
            unit_learned_ms: Some(at("2024-05-01T10:05")),
            casualties: deaths(3),
            texts: t,
            warning_level: None,
            assessed: None,
        }
    }

    #[test]
    fn intake_grades_an_accident_from_its_counts() {
        let t = texts();
        let c = check_intake(&facts(&t), at("2024-05-01T11:00")).expect("valid");
        assert_eq!(c.severity, Severity::Larger);
        assert!(c.graded_by_rule);
    }

    #[test]
    fn intake_refuses_bad_input_naming_fields() {
        let t = ReportTexts {
            measures: "措".repeat(2001),
            ..texts()
        };
        let mut f = facts(&t);
        f.occurred_ms = at("2024-05-01T11:00");
        f.casualties.serious_injuries = -1;
        let e = check_intake(&f, at("2024-05-01T12:00")).expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_str()).collect();
        assert!(fields.contains(&"occurred_at"), "{fields:?}");
        assert!(fields.contains(&"serious_injuries"), "{fields:?}");
        assert!(fields.contains(&"measures"), "{fields:?}");
        assert!(e.summary().contains("重伤人数不能为负数"));
    }

    #[test]
    fn a_first_report_saves_with_items_pending() {
        let t = ReportTexts {
            measures: " ".into(),
            unit_overview: String::new(),
            ..texts()
        };
        let c = check_intake(&facts(&t), at("2024-05-01T11:00")).expect("saved at once");
        assert_eq!(
            pending_items(
                true,
                c.texts.unit_overview.as_deref(),
                c.texts.scene.as_deref(),
                c.texts.measures.as_deref(),
                c.texts.other.as_deref()
            ),
            ["事故发生单位概况", "已经采取的措施"]
        );
        assert!(pending_items(false, None, None, None, None).is_empty());
    }

    #[test]
    fn social_security_events_take_no_warning_colour_w03() {
        let t = texts();
        let mut f = facts(&t);
        f.category = "social_security";
        f.subtype = "mass_incident";
        f.warning_level = Some(2);
        let e = check_intake(&f, at("2024-05-01T12:00")).expect_err("invalid");
        assert!(e.0.iter().any(|x| x.field == "warning_level"));
    }

    #[test]
    fn other_categories_take_the_officers_grade() {
        let t = ReportTexts {
            unit_overview: String::new(),
            ..texts()
        };
        let mut f = facts(&t);
        f.category = "natural";
        f.subtype = "rainstorm";
        f.assessed = Some("较大");
        let c = check_intake(&f, at("2024-05-01T12:00")).expect("valid");
        assert_eq!(c.severity, Severity::Larger);
        assert!(!c.graded_by_rule);
        f.subtype = "hazchem";
        assert!(check_intake(&f, at("2024-05-01T12:00")).is_err());
    }

    #[test]
    fn summaries_read_naturally() {
        let c = Casualties {
            deaths: 3,
            serious_injuries: 2,
            loss_yuan: 12_000_000,
            ..Default::default()
        };
        assert_eq!(c.summary(), "死亡3人，重伤2人，直接经济损失1200万元");
        assert_eq!(yuan_label(350_000_000), "3.5亿元");
        assert_eq!(Casualties::default().summary(), "无人员伤亡");
    }
}

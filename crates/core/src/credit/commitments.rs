//! 每日安全承诺: which enterprises must commit (district configuration: their 监管类别), what a
//! commitment holds (装置运行, 重大危险源, the 8 special works, who is on duty and who commits),
//! its checks and the deadline (default 10:00 Asia/Shanghai) after which a missing one is flagged
//! and, later the same day (default 14:00), escalated.

use crate::directory::enterprise::{CATEGORIES, label_of};
use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

/// The 8 special works (特殊作业, GB 30871): code and label.
pub const SPECIAL_WORKS: &[(&str, &str)] = &[
    ("hot_work", "动火作业"),
    ("confined_space", "受限空间作业"),
    ("height", "高处作业"),
    ("lifting", "吊装作业"),
    ("temporary_power", "临时用电作业"),
    ("excavation", "动土作业"),
    ("road_break", "断路作业"),
    ("blind_plate", "盲板抽堵作业"),
];

/// 重大危险源 status.
pub const HAZARD_STATUSES: &[(&str, &str)] = &[("normal", "正常"), ("abnormal", "异常")];

pub fn special_work_label(code: &str) -> Option<&'static str> {
    SPECIAL_WORKS.iter().find(|w| w.0 == code).map(|w| w.1)
}

pub fn hazard_status_label(code: &str) -> Option<&'static str> {
    HAZARD_STATUSES.iter().find(|w| w.0 == code).map(|w| w.1)
}

/// A district's commitment rules (part of the versioned district rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CommitmentConfig {
    /// 监管类别 whose enterprises must commit daily (an enterprise in any of them).
    pub categories: Vec<String>,
    /// Deadline of the day's commitment, HH:MM Asia/Shanghai.
    pub deadline: String,
    /// When a still missing commitment is escalated to the bureau's leaders, HH:MM (after the deadline).
    pub escalate_at: String,
    /// 履职报告 period: `quarter` or `year`.
    pub report_period: String,
    /// Days after the period's end by which the 履职报告 is due.
    pub report_due_days: i64,
    /// Days after a missing 履职报告 is flagged before it is escalated to the bureau's leaders.
    pub report_escalate_days: i64,
}

impl Default for CommitmentConfig {
    fn default() -> Self {
        Self {
            categories: vec!["hazchem".into()],
            deadline: "10:00".into(),
            escalate_at: "14:00".into(),
            report_period: "quarter".into(),
            report_due_days: 15,
            report_escalate_days: 7,
        }
    }
}

/// Parses HH:MM (00:00–23:59).
pub fn parse_hhmm(label: &str, v: &str) -> Result<Time, String> {
    let bad = || format!("{label}“{v}”无效，应为 时:分，如 10:00");
    let (h, m) = v.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m.to_string().len() > 2 {
        return Err(bad());
    }
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

impl CommitmentConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut e = Errors::default();
        for c in &self.categories {
            if label_of(CATEGORIES, c).is_none() {
                e.add("categories", format!("监管类别“{c}”无效"));
            }
        }
        let d = e.check("deadline", parse_hhmm("承诺截止时间", &self.deadline));
        let x = e.check("escalate_at", parse_hhmm("升级提醒时间", &self.escalate_at));
        if let (Some(d), Some(x)) = (d, x)
            && x <= d
        {
            e.add("escalate_at", "升级提醒时间应晚于承诺截止时间");
        }
        if !["quarter", "year"].contains(&self.report_period.as_str()) {
            e.add(
                "report_period",
                "履职报告周期应为 quarter（季度）或 year（年度）",
            );
        }
        if !(1..=90).contains(&self.report_due_days) {
            e.add("report_due_days", "履职报告提交期限应为1至90天");
        }
        if !(1..=60).contains(&self.report_escalate_days) {
            e.add("report_escalate_days", "履职报告升级督办间隔应为1至60天");
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e.into_invalid())
        }
    }

    /// Whether an enterprise in these categories must commit daily.
    pub fn requires(&self, categories: &[String]) -> bool {
        categories.iter().any(|c| self.categories.contains(c))
    }

    /// The instant (ms) of `day`'s deadline; `escalate` for the later step.
    pub fn deadline_ms(&self, day: Date, escalate: bool) -> i64 {
        let (v, fallback) = if escalate {
            (&self.escalate_at, Time::constant(14, 0, 0, 0))
        } else {
            (&self.deadline, Time::constant(10, 0, 0, 0))
        };
        let t = parse_hhmm("", v).unwrap_or(fallback);
        // Asia/Shanghai keeps no daylight saving: the day's midnight plus the time.
        crate::prevention::hazard::start_of_day_ms(day)
            + i64::from(t.hour()) * 3_600_000
            + i64::from(t.minute()) * 60_000
    }
}

/// One special work's count today.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialWorkCount {
    /// A code of [`SPECIAL_WORKS`] (hot_work, confined_space, height, lifting, temporary_power,
    /// excavation, road_break, blind_plate).
    pub kind: String,
    pub count: i64,
}

/// A daily commitment as submitted (always for today, Asia/Shanghai).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentInput {
    /// The enterprise (an enterprise user's own may be left out).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// Units (装置) running, stopped (停产) and under maintenance (检修).
    pub units_running: i64,
    #[serde(default)]
    pub units_stopped: i64,
    #[serde(default)]
    pub units_overhaul: i64,
    /// 重大危险源: `normal` or `abnormal` (then a note is required); leave out if none.
    #[serde(default)]
    pub major_hazard_status: Option<String>,
    #[serde(default)]
    pub major_hazard_note: Option<String>,
    /// Special works planned today (kinds not listed: none).
    #[serde(default)]
    pub special_works: Vec<SpecialWorkCount>,
    /// The person on duty (值班人员) and their phone.
    pub duty_person: String,
    #[serde(default)]
    pub duty_phone: Option<String>,
    /// The principal (主要负责人) who commits.
    pub principal_name: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A commitment that passed [`check`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckedCommitment {
    pub units_running: i64,
    pub units_stopped: i64,
    pub units_overhaul: i64,
    pub major_hazard_status: Option<String>,
    pub major_hazard_note: Option<String>,
    /// All 8 kinds, in the order of [`SPECIAL_WORKS`].
    pub special_works: Vec<SpecialWorkCount>,
    pub duty_person: String,
    pub duty_phone: Option<String>,
    pub principal_name: String,
    pub note: Option<String>,
}

fn count(e: &mut Errors, field: &str, label: &str, v: i64) -> i64 {
    if !(0..=9999).contains(&v) {
        e.add(field, format!("{label}应为0至9999的整数"));
    }
    v
}

// Long because: every field checked in turn, each error naming its field.
pub fn check(input: &CommitmentInput) -> Result<CheckedCommitment, Invalid> {
    let mut e = Errors::default();
    let units_running = count(&mut e, "units_running", "运行装置数", input.units_running);
    let units_stopped = count(&mut e, "units_stopped", "停产装置数", input.units_stopped);
    let units_overhaul = count(&mut e, "units_overhaul", "检修装置数", input.units_overhaul);
    let status = input
        .major_hazard_status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(s) = status
        && hazard_status_label(s).is_none()
    {
        e.add(
            "major_hazard_status",
            format!("重大危险源状态“{s}”无效，应为正常或异常"),
        );
    }
    let note = e
        .check(
            "major_hazard_note",
            optional_text(
                "重大危险源情况说明",
                input.major_hazard_note.as_deref().unwrap_or(""),
                500,
            ),
        )
        .flatten();
    if status == Some("abnormal") && note.is_none() {
        e.add(
            "major_hazard_note",
            "重大危险源状态为异常时，请填写情况说明",
        );
    }
    let mut works: Vec<SpecialWorkCount> = SPECIAL_WORKS
        .iter()
        .map(|w| SpecialWorkCount {
            kind: w.0.into(),
            count: 0,
        })
        .collect();
    for (i, w) in input.special_works.iter().enumerate() {
        let field = format!("special_works[{i}]");
        match works.iter_mut().find(|x| x.kind == w.kind.trim()) {
            None => e.add(&field, format!("特殊作业类型“{}”无效", w.kind)),
            Some(x) if x.count > 0 => e.add(&field, format!("特殊作业“{}”重复填写", w.kind)),
            Some(x) => x.count = count(&mut e, &field, "特殊作业数量", w.count),
        }
    }
    let duty_person = e.check(
        "duty_person",
        required_text("值班人员", &input.duty_person, 50),
    );
    let duty_phone = e
        .check(
            "duty_phone",
            phone("值班电话", input.duty_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let principal = e.check(
        "principal_name",
        required_text("承诺人（主要负责人）", &input.principal_name, 50),
    );
    let extra = e
        .check(
            "note",
            optional_text("备注", input.note.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    if !e.is_empty() {
        return Err(e.into_invalid());
    }
    Ok(CheckedCommitment {
        units_running,
        units_stopped,
        units_overhaul,
        major_hazard_status: status.map(str::to_string),
        major_hazard_note: note,
        special_works: works,
        duty_person: duty_person.unwrap_or_default(),
        duty_phone,
        principal_name: principal.unwrap_or_default(),
        note: extra,
    })
}

/// A second commitment for the same day.
pub fn already_committed(day: Date) -> String {
    format!("{day} 的安全承诺已提交，每家企业每天只能提交一次")
}

pub const NOT_REQUIRED: &str = "该企业不在需每日安全承诺的监管类别内";
pub const NOT_ENTERPRISE: &str = "只有企业用户可以提交本企业的安全承诺";
pub const ENTERPRISE_REQUIRED: &str = "请选择企业";

pub fn submitted_summary(enterprise: &str, day: Date) -> String {
    format!("{enterprise}提交 {day} 安全承诺")
}

/// The department's notice when the deadline passes.
pub fn missed_title(day: Date, n: usize) -> String {
    format!("{day} 有 {n} 家企业未按时提交安全承诺")
}

pub fn missed_body(names: &[String], deadline: &str) -> String {
    let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
    let more = if names.len() > 10 {
        format!("等 {} 家", names.len())
    } else {
        String::new()
    };
    format!(
        "截至 {deadline}，{}{more}未提交今日安全承诺，请督促。",
        shown.join("、")
    )
}

/// The enterprise's own notice.
pub fn missed_own(day: Date, deadline: &str) -> String {
    format!("贵单位 {day} 的安全承诺截至 {deadline} 仍未提交，已报告监管部门，请尽快提交。")
}

pub fn escalated_title(day: Date, n: usize) -> String {
    format!("督办：{day} 仍有 {n} 家企业未提交安全承诺")
}

pub fn missed_summary(day: Date, n: usize) -> String {
    format!("{day} 安全承诺截止，{n} 家企业未提交")
}

pub fn escalated_summary(day: Date, n: usize) -> String {
    format!("{day} 安全承诺升级督办，{n} 家企业仍未提交")
}

/// A commitment 待办's status: today's still due, or missed at the deadline (and escalated).
pub fn todo_status(missed: bool, escalated: bool) -> &'static str {
    match (missed, escalated) {
        (false, _) => "今日待提交",
        (true, false) => "逾期未交",
        (true, true) => "逾期未交（已督办）",
    }
}

/// A board's day, YYYY-MM-DD.
pub fn parse_day(v: &str) -> Result<Date, String> {
    v.trim()
        .parse::<Date>()
        .map_err(|_| format!("日期“{v}”无效，应为 YYYY-MM-DD"))
}

/// Only today's commitment is accepted (no back-filling): the day is the server's today.
pub fn day_of(now_ms: i64) -> Date {
    crate::kernel::clock::today(now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CommitmentInput {
        CommitmentInput {
            units_running: 3,
            duty_person: "王五".into(),
            principal_name: "张三".into(),
            special_works: vec![SpecialWorkCount {
                kind: "hot_work".into(),
                count: 2,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn checks_fields() {
        let c = check(&input()).unwrap();
        assert_eq!(c.special_works.len(), 8);
        assert_eq!(c.special_works[0].count, 2);
        let mut bad = input();
        bad.duty_person = " ".into();
        bad.units_running = -1;
        bad.major_hazard_status = Some("abnormal".into());
        bad.special_works.push(SpecialWorkCount {
            kind: "dance".into(),
            count: 1,
        });
        let e = check(&bad).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "units_running",
                "major_hazard_note",
                "special_works[1]",
                "duty_person"
            ]
        );
    }

    #[test]
    fn config_checks_times() {
        assert!(CommitmentConfig::default().validate().is_ok());
        let c = CommitmentConfig {
            deadline: "25:00".into(),
            ..Default::default()
        };
        assert_eq!(c.validate().unwrap_err().0[0].field, "deadline");
        let c = CommitmentConfig {
            escalate_at: "09:00".into(),
            ..Default::default()
        };
        assert_eq!(c.validate().unwrap_err().0[0].field, "escalate_at");
    }

    #[test]
    fn deadline_is_shanghai() {
        let day: Date = "2026-05-28".parse().unwrap();
        // 10:00 +08:00 = 02:00 UTC.
        let ms = CommitmentConfig::default().deadline_ms(day, false);
        assert_eq!(ms, 1_779_933_600_000);
    }
}

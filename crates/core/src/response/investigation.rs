//! 事故调查处理 (493号令 第四章): who investigates by grade, the report's deadline (60 days from the
//! accident, extendable by at most 60), the reply's deadline (15 days, 30 for 特别重大, extendable by
//! at most 30), the six contents of a 事故调查报告 (第三十条), and the steps 调查中 → 已提交 → 已批复.

use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use crate::response::incident::{DayCounting, IncidentConfig, Severity};
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

/// 第十九条: 特别重大 by the State Council; 重大, 较大, 一般 by the provincial, city and county
/// governments where the accident happened (they may entrust the departments).
pub fn lead_body(severity: Severity) -> &'static str {
    match severity {
        Severity::General => "事故发生地县级人民政府",
        Severity::Larger => "事故发生地设区的市级人民政府",
        Severity::Major => "事故发生地省级人民政府",
        Severity::ExtraMajor => "国务院或者国务院授权的有关部门",
    }
}

/// Whether the district (a county-level bureau) leads the investigation itself.
pub fn led_here(severity: Severity) -> bool {
    severity == Severity::General
}

pub const REPORT_DAYS: i64 = 60;
pub const REPORT_EXTENSION_MAX: i64 = 60;
pub const REPLY_EXTENSION_MAX: i64 = 30;

/// 第三十二条: 15 days for 重大/较大/一般, 30 for 特别重大.
pub fn reply_days(severity: Severity) -> i64 {
    if severity == Severity::ExtraMajor {
        30
    } else {
        15
    }
}

/// `days` after the instant `from_ms`, counted as the district counts the 补报 window.
pub fn days_after(cfg: &IncidentConfig, from_ms: i64, days: i64) -> i64 {
    match cfg.window_day_counting {
        DayCounting::Elapsed => from_ms + days * DAY_MS,
        DayCounting::FromNextDay => {
            let date = crate::kernel::clock::today(from_ms);
            let last = date.checked_add((days + 1).days()).unwrap_or(date);
            crate::prevention::hazard::start_of_day_ms(last)
        }
    }
}

/// When the report is due (第二十九条): 60 days from the accident plus the approved extension.
pub fn report_due_ms(cfg: &IncidentConfig, occurred_ms: i64, extension_days: i64) -> i64 {
    days_after(cfg, occurred_ms, REPORT_DAYS + extension_days)
}

/// When the government's reply is due (第三十二条).
pub fn reply_due_ms(
    cfg: &IncidentConfig,
    severity: Severity,
    submitted_ms: i64,
    extension_days: i64,
) -> i64 {
    days_after(cfg, submitted_ms, reply_days(severity) + extension_days)
}

/// The six contents of a 事故调查报告 (第三十条).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSections {
    /// 事故发生单位概况.
    pub unit_overview: String,
    /// 事故发生经过和事故救援情况.
    pub course_and_rescue: String,
    /// 事故造成的人员伤亡和直接经济损失.
    pub casualties_and_loss: String,
    /// 事故发生的原因和事故性质.
    pub cause_and_nature: String,
    /// 事故责任的认定以及对事故责任者的处理建议.
    pub responsibility: String,
    /// 事故防范和整改措施.
    pub prevention: String,
}

pub const SECTION_LABELS: [(&str, &str); 6] = [
    ("unit_overview", "事故发生单位概况"),
    ("course_and_rescue", "事故发生经过和事故救援情况"),
    ("cause_and_nature", "事故发生的原因和事故性质"),
    ("casualties_and_loss", "事故造成的人员伤亡和直接经济损失"),
    ("responsibility", "事故责任的认定以及对事故责任者的处理建议"),
    ("prevention", "事故防范和整改措施"),
];

impl ReportSections {
    fn get(&self, key: &str) -> &str {
        match key {
            "unit_overview" => &self.unit_overview,
            "course_and_rescue" => &self.course_and_rescue,
            "casualties_and_loss" => &self.casualties_and_loss,
            "cause_and_nature" => &self.cause_and_nature,
            "responsibility" => &self.responsibility,
            _ => &self.prevention,
        }
    }

    /// A draft may leave sections empty; each is at most 20,000 characters. Submitting needs all six.
    pub fn check(&self, submitting: bool) -> Result<ReportSections, Invalid> {
        let mut errs = Errors::default();
        let mut out = ReportSections::default();
        for (key, label) in SECTION_LABELS {
            let v = errs
                .check(key, optional_text(label, self.get(key), 20_000))
                .flatten();
            if submitting && v.is_none() && !errs.has(key) {
                errs.add(key, format!("提交调查报告须填写“{label}”"));
            }
            let v = v.unwrap_or_default();
            match key {
                "unit_overview" => out.unit_overview = v,
                "course_and_rescue" => out.course_and_rescue = v,
                "casualties_and_loss" => out.casualties_and_loss = v,
                "cause_and_nature" => out.cause_and_nature = v,
                "responsibility" => out.responsibility = v,
                _ => out.prevention = v,
            }
        }
        if errs.is_empty() {
            Ok(out)
        } else {
            Err(errs.into_invalid())
        }
    }
}

/// investigating (调查中) → submitted (已提交) → approved (已批复).
pub fn next_status(status: &str, action: &str) -> Result<&'static str, String> {
    match (status, action) {
        ("investigating", "save") => Ok("investigating"),
        ("investigating", "submit") => Ok("submitted"),
        ("submitted", "approve") => Ok("approved"),
        ("submitted", "return") => Ok("investigating"),
        (s, a) => Err(format!(
            "调查{}，不能{}",
            match s {
                "investigating" => "进行中",
                "submitted" => "报告已提交",
                _ => "已批复结案",
            },
            match a {
                "save" => "修改报告",
                "submit" => "提交报告",
                "approve" => "批复",
                "return" => "退回",
                _ => "进行此操作",
            }
        )),
    }
}

pub const STATUS_LABELS: &[(&str, &str)] = &[
    ("investigating", "调查中"),
    ("submitted", "报告已提交"),
    ("approved", "已批复结案"),
];

/// Checks a requested extension of the report or reply deadline.
pub fn check_extension(field: &str, days: i64, max: i64) -> Result<i64, Invalid> {
    if (0..=max).contains(&days) {
        Ok(days)
    } else {
        Err(Invalid::one(
            field,
            format!("延长期限应为 0 至 {max} 天（493号令规定最长不超过{max}日）"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::clock::parse_instant;

    fn at(s: &str) -> i64 {
        parse_instant(s).unwrap()
    }

    #[test]
    fn who_investigates() {
        assert_eq!(lead_body(Severity::General), "事故发生地县级人民政府");
        assert!(led_here(Severity::General));
        assert!(!led_here(Severity::Larger));
        assert_eq!(
            lead_body(Severity::ExtraMajor),
            "国务院或者国务院授权的有关部门"
        );
    }

    #[test]
    fn deadlines_count_days_like_the_window() {
        let cfg = IncidentConfig::default();
        // An accident on 2024-05-01: 60 days from the next day ends at the end of 2024-06-30.
        let due = report_due_ms(&cfg, at("2024-05-01T10:00:00+08:00"), 0);
        assert_eq!(due, at("2024-07-01T00:00:00+08:00"));
        let due = report_due_ms(&cfg, at("2024-05-01T10:00:00+08:00"), 60);
        assert_eq!(due, at("2024-08-30T00:00:00+08:00"));
        let elapsed = IncidentConfig {
            window_day_counting: DayCounting::Elapsed,
            ..Default::default()
        };
        assert_eq!(
            report_due_ms(&elapsed, at("2024-05-01T10:00:00+08:00"), 0),
            at("2024-06-30T10:00:00+08:00")
        );
        // The reply: 15 days, 30 for 特别重大.
        let sub = at("2024-06-20T09:00:00+08:00");
        assert_eq!(
            reply_due_ms(&cfg, Severity::Larger, sub, 0),
            at("2024-07-06T00:00:00+08:00")
        );
        assert_eq!(
            reply_due_ms(&cfg, Severity::ExtraMajor, sub, 0),
            at("2024-07-21T00:00:00+08:00")
        );
        assert!(check_extension("report_extension_days", 61, REPORT_EXTENSION_MAX).is_err());
        assert_eq!(
            check_extension("reply_extension_days", 30, REPLY_EXTENSION_MAX),
            Ok(30)
        );
    }

    #[test]
    fn a_report_is_submitted_with_all_six_sections() {
        let mut r = ReportSections {
            unit_overview: "某化工有限公司，民营".into(),
            ..Default::default()
        };
        assert!(r.check(false).is_ok());
        let e = r.check(true).unwrap_err();
        assert_eq!(e.0.len(), 5);
        assert_eq!(e.0[0].field, "course_and_rescue");
        r.course_and_rescue = "经过".into();
        r.casualties_and_loss = "3人死亡".into();
        r.cause_and_nature = "违章作业，责任事故".into();
        r.responsibility = "建议对主要负责人立案调查".into();
        r.prevention = "开展危化品装卸专项整治".into();
        assert!(r.check(true).is_ok());
        assert_eq!(next_status("investigating", "submit"), Ok("submitted"));
        assert_eq!(next_status("submitted", "approve"), Ok("approved"));
        assert!(
            next_status("approved", "save")
                .unwrap_err()
                .contains("已批复")
        );
        assert!(next_status("investigating", "approve").is_err());
    }
}

/// Who may not investigate is told so.
pub const NOT_AN_INVESTIGATOR: &str = "您没有事故调查的权限";

/// Who may not approve (批复) a report is told so.
pub const APPROVAL_DENIED: &str = "批复须由局领导或管理员办理";

/// An investigation starts with its team leader.
pub const TEAM_LEADER_REQUIRED: &str = "调查组组长不能为空";

/// An investigation is started once.
pub const ALREADY_STARTED: &str = "调查组已成立";

/// Steps and follow-ups wait for the investigation to start.
pub const NOT_STARTED: &str = "尚未成立调查组";

/// Someone else moved the investigation first.
pub const UPDATED_MEANWHILE: &str = "调查刚刚被他人更新，请刷新";

/// Only an open follow-up without a hazard is marked done here.
pub const FOLLOWUP_NOT_OPEN: &str = "该措施已完成，或已登记为隐患（随隐患销号完成）";

/// The timeline text of a follow-up marked done.
pub const FOLLOWUP_DONE_TEXT: &str = "整改措施已落实";

/// A follow-up measure (整改措施) as checked: what, who, by when.
#[derive(Debug, Clone, PartialEq)]
pub struct Followup {
    pub action: String,
    pub responsible: String,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
}

/// Checks a follow-up's fields; one registered as a hazard needs a deadline.
pub fn check_followup(
    action: &str,
    responsible: &str,
    due_date: Option<&str>,
    as_hazard: bool,
) -> Result<Followup, Invalid> {
    let mut errs = Errors::default();
    let action = errs.check("action", required_text("整改措施", action, 1000));
    let responsible = errs.check("responsible", required_text("责任单位", responsible, 100));
    let due = match due_date.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => match d.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d.to_string()),
            Err(_) => {
                errs.add(
                    "due_date",
                    format!("完成期限“{d}”格式不正确，应为 2027-03-31"),
                );
                None
            }
        },
        None => None,
    };
    if as_hazard && due.is_none() && !errs.has("due_date") {
        errs.add("due_date", "登记为隐患须给出整改期限");
    }
    match (action, responsible, errs.is_empty()) {
        (Some(action), Some(responsible), true) => Ok(Followup {
            action,
            responsible,
            due_date: due,
        }),
        _ => Err(errs.into_invalid()),
    }
}

#[cfg(test)]
mod followup_tests {
    use super::*;

    #[test]
    fn a_followup_as_hazard_needs_a_deadline() {
        let e = check_followup("加装报警器", "某公司", None, true).unwrap_err();
        assert_eq!(e.0[0].field, "due_date");
        let e = check_followup("", "某公司", Some("2027-13-01"), false).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["action", "due_date"]);
        let f = check_followup(" 加装报警器 ", "某公司", Some("2027-03-31"), true).unwrap();
        assert_eq!(f.due_date.as_deref(), Some("2027-03-31"));
    }
}

/// A step on an investigation: 成立调查组 (start) / 保存 (save) / 提交报告 (submit) / 批复
/// (approve) / 退回 (return), with the fields it changes.
#[derive(Debug, Clone)]
pub struct InvestigationInput {
    /// start / save / submit / approve / return
    pub action: String,
    pub team_leader: Option<String>,
    pub members: Option<String>,
    pub sections: Option<ReportSections>,
    /// 经批准延长的调查期限 (≤ 60 days).
    pub report_extension_days: Option<i64>,
    /// 经批准延长的批复期限 (≤ 30 days).
    pub reply_extension_days: Option<i64>,
    /// The reply's text (批复), or why the report is returned.
    pub note: Option<String>,
}

/// The fields of a step, checked; None where the step does not change them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedStep {
    pub leader: Option<String>,
    pub members: Option<String>,
    pub report_extension_days: Option<i64>,
    pub reply_extension_days: Option<i64>,
    pub note: Option<String>,
}

/// Checks the fields of a step (not whether the step may be taken now: `next_status`). An
/// extension out of range is reported alone.
pub fn check_step(input: &InvestigationInput) -> Result<CheckedStep, Invalid> {
    let mut errs = Errors::default();
    let leader = input
        .team_leader
        .as_deref()
        .and_then(|s| errs.check("team_leader", required_text("调查组组长", s, 50)));
    let members = input.members.as_deref().and_then(|s| {
        errs.check("members", optional_text("调查组成员单位", s, 1000))
            .flatten()
    });
    let report_extension_days = input
        .report_extension_days
        .map(|d| check_extension("report_extension_days", d, REPORT_EXTENSION_MAX))
        .transpose()?;
    let reply_extension_days = input
        .reply_extension_days
        .map(|d| check_extension("reply_extension_days", d, REPLY_EXTENSION_MAX))
        .transpose()?;
    let note = errs
        .check(
            "note",
            optional_text("批复意见", input.note.as_deref().unwrap_or(""), 2000),
        )
        .flatten();
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedStep {
        leader,
        members,
        report_extension_days,
        reply_extension_days,
        note,
    })
}

/// The timeline text of 成立调查组.
pub fn start_text(leader: &str, lead_body: &str) -> String {
    format!("成立事故调查组：组长{leader}（负责调查：{lead_body}）")
}

/// The timeline text of a later step (save, submit, approve, return) with its note.
pub fn step_text(action: &str, note: Option<&str>) -> String {
    let note = note.map(|n| format!("：{n}")).unwrap_or_default();
    match action {
        "submit" => "提交事故调查报告".to_string(),
        "approve" => format!("事故调查报告已批复{note}"),
        "return" => format!("调查报告退回修改{note}"),
        _ => "更新事故调查报告".to_string(),
    }
}

/// A follow-up as asked for (see `check_followup`).
#[derive(Debug, Clone)]
pub struct FollowupInput {
    /// 整改/防范措施.
    pub action: String,
    /// 责任单位.
    pub responsible: String,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
    /// Also register it as a hidden hazard (source 事故调查) of the incident's enterprise or place,
    /// so the closed loop 定级 → 整改 → 验收销号 tracks it.
    pub as_hazard: bool,
    /// The hazard's category when `as_hazard` (see GET /api/v1/meta).
    pub hazard_category: Option<String>,
}

/// The timeline text of a follow-up, saying whether it was registered as a hazard.
pub fn followup_text(f: &Followup, as_hazard: bool) -> String {
    format!(
        "整改措施：{}（{}{}）{}",
        f.action,
        f.responsible,
        f.due_date
            .as_deref()
            .map(|d| format!("，{d}前"))
            .unwrap_or_default(),
        if as_hazard {
            "，已登记为隐患闭环督办"
        } else {
            ""
        }
    )
}

/// 已完成 / 落实中.
pub fn followup_status_label(status: &str) -> &'static str {
    if status == "done" {
        "已完成"
    } else {
        "落实中"
    }
}

/// The year of the statistics and the one they are compared with (default: the year before).
pub fn check_stats_years(year: i16, baseline_year: Option<i16>) -> Result<i16, Invalid> {
    if !(2000..=2100).contains(&year) {
        return Err(Invalid::one("year", "年份应在 2000 至 2100 之间"));
    }
    let baseline_year = baseline_year.unwrap_or(year - 1);
    if !(2000..=2100).contains(&baseline_year) || baseline_year == year {
        return Err(Invalid::one(
            "baseline_year",
            "对比年份应为 2000 至 2100 之间的另一年",
        ));
    }
    Ok(baseline_year)
}

/// The months of `year` counted at `now_ms`: twelve for a past year, up to this month (Beijing)
/// for this year, none for a later one.
pub fn months_counted(year: i16, now_ms: i64) -> u8 {
    let today = crate::kernel::clock::today(now_ms);
    if today.year() == year {
        today.month() as u8
    } else if today.year() < year {
        0
    } else {
        12
    }
}

#[cfg(test)]
mod step_tests {
    use super::*;

    fn input(action: &str) -> InvestigationInput {
        InvestigationInput {
            action: action.into(),
            team_leader: None,
            members: None,
            sections: None,
            report_extension_days: None,
            reply_extension_days: None,
            note: None,
        }
    }

    #[test]
    fn a_step_is_checked() {
        let mut i = input("start");
        i.team_leader = Some(" ".into());
        assert_eq!(check_step(&i).unwrap_err().summary(), "调查组组长不能为空");
        i.team_leader = Some("王五".into());
        i.report_extension_days = Some(61);
        assert_eq!(
            check_step(&i).unwrap_err().0[0].field,
            "report_extension_days"
        );
        i.report_extension_days = Some(10);
        let s = check_step(&i).unwrap();
        assert_eq!(s.leader.as_deref(), Some("王五"));
        assert_eq!(s.report_extension_days, Some(10));
    }

    #[test]
    fn wording() {
        assert_eq!(
            step_text("approve", Some("同意")),
            "事故调查报告已批复：同意"
        );
        assert_eq!(step_text("save", Some("x")), "更新事故调查报告");
        let f = Followup {
            action: "加装报警器".into(),
            responsible: "某公司".into(),
            due_date: Some("2027-03-31".into()),
        };
        assert_eq!(
            followup_text(&f, true),
            "整改措施：加装报警器（某公司，2027-03-31前），已登记为隐患闭环督办"
        );
        assert_eq!(check_stats_years(2026, None).unwrap(), 2025);
        let may_2026 = crate::kernel::clock::parse_instant("2026-05-15T12:00:00+08:00").unwrap();
        assert_eq!(months_counted(2026, may_2026), 5);
        assert_eq!(months_counted(2025, may_2026), 12);
        assert_eq!(months_counted(2027, may_2026), 0);
        assert!(check_stats_years(2026, Some(2026)).is_err());
    }
}

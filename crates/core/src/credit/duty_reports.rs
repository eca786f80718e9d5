//! 履职报告: the principal (主要负责人) of an enterprise reports per period (quarterly or yearly by
//! district configuration, `CommitmentConfig::report_period`), due `report_due_days` after the
//! period ends (Asia/Shanghai). One per enterprise and period; the supervising department accepts
//! or returns it (with a reason); a returned one may be resubmitted. Missing ones are flagged the
//! day after the due day and escalated `report_escalate_days` later.

use crate::credit::commitments::CommitmentConfig;
use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;

/// Longest report text, characters.
pub const MAX_TEXT: usize = 5000;

/// A report period: its label (2026Q3 or 2026) and first and last days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

fn quarter(year: i16, q: i8) -> Option<Period> {
    let start = Date::new(year, (q - 1) * 3 + 1, 1).ok()?;
    let end = Date::new(year, q * 3, 1).ok()?.last_of_month();
    Some(Period {
        label: format!("{year}Q{q}"),
        start,
        end,
    })
}

fn whole_year(year: i16) -> Option<Period> {
    Some(Period {
        label: year.to_string(),
        start: Date::new(year, 1, 1).ok()?,
        end: Date::new(year, 12, 31).ok()?,
    })
}

/// Reads a period label of the configured kind: `2026Q3` (quarter) or `2026` (year).
pub fn parse_period(config: &CommitmentConfig, v: &str) -> Result<Period, String> {
    let v = v.trim().to_uppercase();
    let yearly = config.report_period == "year";
    let bad = || {
        if yearly {
            format!("报告期“{v}”无效，本辖区按年度报告，应为年份，如 2026")
        } else {
            format!("报告期“{v}”无效，本辖区按季度报告，应如 2026Q3")
        }
    };
    let (y, q) = match v.split_once('Q') {
        Some((y, q)) if !yearly => (y, Some(q)),
        None if yearly => (v.as_str(), None),
        _ => return Err(bad()),
    };
    let year: i16 = y.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&year) || y.len() != 4 {
        return Err(bad());
    }
    let p = match q {
        Some(q) => match q.parse::<i8>() {
            Ok(n @ 1..=4) if q.len() == 1 => quarter(year, n),
            _ => None,
        },
        None => whole_year(year),
    };
    p.ok_or_else(bad)
}

/// The period containing `day`.
pub fn period_of(config: &CommitmentConfig, day: Date) -> Period {
    let p = if config.report_period == "year" {
        whole_year(day.year())
    } else {
        quarter(day.year(), (day.month() - 1) / 3 + 1)
    };
    p.unwrap_or(Period {
        label: String::new(),
        start: day,
        end: day,
    })
}

/// The period before `p`.
pub fn previous(config: &CommitmentConfig, p: &Period) -> Period {
    period_of(config, p.start.yesterday().unwrap_or(p.start))
}

/// The period after `p`.
pub fn next(config: &CommitmentConfig, p: &Period) -> Period {
    period_of(config, p.end.tomorrow().unwrap_or(p.end))
}

/// The last day a period's report is on time.
pub fn due_day(config: &CommitmentConfig, p: &Period) -> Date {
    p.end
        .checked_add(config.report_due_days.days())
        .unwrap_or(p.end)
}

/// When a missing report is flagged (step 1): 00:00 the day after the due day.
pub fn flag_ms(config: &CommitmentConfig, p: &Period) -> i64 {
    crate::prevention::hazard::overdue_from_ms(due_day(config, p))
}

/// When a still missing report is escalated (step 2).
pub fn escalate_ms(config: &CommitmentConfig, p: &Period) -> i64 {
    flag_ms(config, p) + config.report_escalate_days * 86_400_000
}

/// The period whose sweep is next at `now_ms`: the earliest whose flag time is still ahead.
pub fn next_swept(config: &CommitmentConfig, now_ms: i64) -> Period {
    let today = crate::kernel::clock::today(now_ms);
    let mut p = previous(config, &period_of(config, today));
    while flag_ms(config, &p) <= now_ms {
        p = next(config, &p);
    }
    p
}

/// A report as submitted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyReportInput {
    /// The enterprise (an enterprise user's own may be left out).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// 2026Q3 (quarterly) or 2026 (yearly), as the district configures.
    pub period: String,
    /// The report (履职情况), at most 5000 characters.
    pub text: String,
    /// Uploaded attachments (POST /api/v1/attachments), at most 20.
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

/// A report that passed [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedReport {
    pub period: Period,
    pub text: String,
    pub attachment_ids: Vec<String>,
}

/// Checks a report for `today`: a known period of the district's kind that has begun, a text.
pub fn check(
    config: &CommitmentConfig,
    input: &DutyReportInput,
    today: Date,
) -> Result<CheckedReport, Invalid> {
    let mut e = Errors::default();
    let period = e.check("period", parse_period(config, &input.period));
    if let Some(p) = &period
        && p.start > today
    {
        e.add(
            "period",
            format!("报告期“{}”尚未开始，不能提前报告", p.label),
        );
    }
    let text = e.check("text", required_text("履职情况", &input.text, MAX_TEXT));
    if input.attachment_ids.len() > 20 {
        e.add("attachment_ids", "附件最多20个");
    }
    match (period, text) {
        (Some(period), Some(text)) if e.is_empty() => Ok(CheckedReport {
            period,
            text,
            attachment_ids: input.attachment_ids.clone(),
        }),
        _ => Err(e.into_invalid()),
    }
}

/// A review: accept, or return with a reason.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DutyReviewInput {
    /// `accept` or `return`.
    pub decision: String,
    /// Required when returning (退回原因).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A checked review: accepted (`None`) or returned with its reason.
pub fn check_review(input: &DutyReviewInput) -> Result<Option<String>, Invalid> {
    let reason = optional_text("退回原因", input.reason.as_deref().unwrap_or(""), 500)
        .map_err(|m| Invalid::one("reason", m))?;
    match (input.decision.trim(), reason) {
        ("accept", _) => Ok(None),
        ("return", Some(r)) => Ok(Some(r)),
        ("return", None) => Err(Invalid::one("reason", "退回履职报告须填写退回原因")),
        (d, _) => Err(Invalid::one(
            "decision",
            format!("审核结论“{d}”无效，应为 accept（通过）或 return（退回）"),
        )),
    }
}

/// The statuses of a report, with labels.
pub const STATUSES: &[(&str, &str)] = &[
    ("submitted", "待审核"),
    ("accepted", "已通过"),
    ("returned", "已退回"),
];

pub fn status_label(code: &str) -> &'static str {
    STATUSES.iter().find(|s| s.0 == code).map_or("", |s| s.1)
}

/// The 待办 status of a report to submit: returned, missing and past its due day, or due.
pub fn todo_status(returned: bool, overdue: bool) -> &'static str {
    match (returned, overdue) {
        (true, _) => "已退回，待重新提交",
        (false, true) => "逾期未交",
        (false, false) => "待提交",
    }
}

/// The 待办 title of a period's report.
pub fn todo_title(period: &str) -> String {
    format!("{period} 主体责任履职报告")
}

/// Who submits: enterprise users (their own) and administrators.
pub fn may_submit(role: Role) -> bool {
    matches!(role, Role::EnterpriseUser | Role::Admin)
}

/// Who reviews: the supervising department's staff and administrators.
pub fn may_review(role: Role) -> bool {
    matches!(role, Role::DepartmentStaff | Role::Admin)
}

pub const NOT_A_SUBMITTER: &str = "只有企业用户可以提交本企业的履职报告";
pub const NOT_A_REVIEWER: &str = "只有监管部门人员可以审核履职报告";
pub const ENTERPRISE_REQUIRED: &str = "请选择企业";
pub const NOT_REQUIRED: &str = "该企业不在需报送履职报告的监管类别内";
pub const ALREADY_REVIEWED: &str = "该履职报告已审核，不能重复审核";

pub fn already_submitted(period: &str) -> String {
    format!("报告期 {period} 的履职报告已提交，每家企业每期只能提交一次（被退回的可重新提交）")
}

pub fn submitted_summary(enterprise: &str, period: &str) -> String {
    format!("{enterprise}提交 {period} 履职报告")
}

pub fn reviewed_summary(enterprise: &str, period: &str, reason: Option<&str>) -> String {
    match reason {
        None => format!("通过{enterprise} {period} 履职报告"),
        Some(r) => format!("退回{enterprise} {period} 履职报告：{r}"),
    }
}

pub fn missed_title(period: &str, n: usize) -> String {
    format!("{period} 有 {n} 家企业逾期未提交履职报告")
}

pub fn missed_body(names: &[String], due: Date) -> String {
    let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
    let more = if names.len() > 10 {
        format!("等 {} 家", names.len())
    } else {
        String::new()
    };
    format!(
        "履职报告已于 {due} 截止，{}{more}仍未提交，请督促。",
        shown.join("、")
    )
}

pub fn missed_own(period: &str, due: Date) -> String {
    format!("贵单位 {period} 的履职报告已于 {due} 截止仍未提交，已报告监管部门，请尽快提交。")
}

pub fn escalated_title(period: &str, n: usize) -> String {
    format!("督办：{period} 仍有 {n} 家企业未提交履职报告")
}

pub fn escalated_body(names: &[String], period: &str) -> String {
    let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
    format!(
        "{}等 {} 家企业经督促仍未提交 {period} 履职报告，请督办。",
        shown.join("、"),
        names.len()
    )
}

pub fn missed_summary(period: &str, n: usize) -> String {
    format!("{period} 履职报告截止，{n} 家企业未提交")
}

pub fn escalated_summary(period: &str, n: usize) -> String {
    format!("{period} 履职报告升级督办，{n} 家企业仍未提交")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn periods_and_due_days() {
        let q = CommitmentConfig::default();
        let p = parse_period(&q, "2026q3").unwrap();
        assert_eq!(
            (p.label.as_str(), p.start, p.end),
            ("2026Q3", d("2026-07-01"), d("2026-09-30"))
        );
        assert_eq!(due_day(&q, &p), d("2026-10-15"));
        assert!(parse_period(&q, "2026Q5").is_err());
        assert!(parse_period(&q, "2026").is_err());
        assert!(parse_period(&q, "26Q1").is_err());
        let y = CommitmentConfig {
            report_period: "year".into(),
            ..Default::default()
        };
        assert_eq!(parse_period(&y, "2025").unwrap().end, d("2025-12-31"));
        assert!(parse_period(&y, "2025Q1").is_err());
        assert_eq!(period_of(&q, d("2026-05-29")).label, "2026Q2");
        assert_eq!(
            previous(&q, &period_of(&q, d("2026-01-03"))).label,
            "2025Q4"
        );
        // 2026-05-29: Q1's flag time (2026-04-16) passed, Q2's is ahead.
        let now = crate::prevention::hazard::start_of_day_ms(d("2026-05-29"));
        assert_eq!(next_swept(&q, now).label, "2026Q2");
        let now = crate::prevention::hazard::start_of_day_ms(d("2026-04-10"));
        assert_eq!(next_swept(&q, now).label, "2026Q1");
    }

    #[test]
    fn checks_reports_and_reviews() {
        let c = CommitmentConfig::default();
        let input = DutyReportInput {
            period: "2026Q3".into(),
            text: " ".into(),
            ..Default::default()
        };
        let e = check(&c, &input, d("2026-05-29")).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["period", "text"]);
        let ok = DutyReportInput {
            period: "2026Q1".into(),
            text: "本季度履职情况".into(),
            ..Default::default()
        };
        assert!(check(&c, &ok, d("2026-05-29")).is_ok());
        let r = |d: &str, r: Option<&str>| {
            check_review(&DutyReviewInput {
                decision: d.into(),
                reason: r.map(Into::into),
            })
        };
        assert_eq!(r("accept", None).unwrap(), None);
        assert_eq!(r("return", None).unwrap_err().0[0].field, "reason");
        assert_eq!(
            r("return", Some("缺附件")).unwrap().as_deref(),
            Some("缺附件")
        );
        assert_eq!(r("maybe", None).unwrap_err().0[0].field, "decision");
    }
}

//! Reports on an incident: the 接报's input, times and wording, the inputs of a 续报/补报 with
//! their checks, the grade they leave and the wording of their timeline steps; 上报 and the close
//! in `escalation` (re-exported here). The grading and the deadlines are in `incident`.

mod escalation;
pub use escalation::{
    ALREADY_CLOSED, CLOSE_DENIED, CheckedEscalation, CloseInput, ESCALATION_DENIED,
    EscalationFacts, EscalationInput, already_escalated, check_escalation, close_note, close_text,
    escalation_text, unreported_hops,
};

use crate::kernel::clock::parse_instant;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use crate::response::incident::{Casualties, Hop, Regrade, ReportTexts, Severity, regrade};

/// Who may not record an incident (接报) is told so.
pub const INTAKE_DENIED: &str = "您的角色不能登记突发事件";

/// Who may not send a 续报 or 补报 is told so.
pub const REPORT_DENIED: &str = "您的角色不能报送事件信息";

/// An incident without an enterprise needs its place in the region tree.
pub const REGION_REQUIRED: &str = "请选择事件所在的街道、社区或网格";

/// An incident placed outside the caller's regions is refused.
pub const REGION_OUT_OF_SCOPE: &str = crate::kernel::wording::REGION_OUTSIDE_SCOPE;

/// A 续报 on a closed incident is refused.
pub const REPORT_AFTER_CLOSE: &str = "事件已结束，不能再续报";

/// An incident as the duty room records it (接报).
#[derive(Debug, Clone)]
pub struct IncidentInput {
    pub title: String,
    /// natural / accident / public_health / social_security
    pub category: String,
    /// See GET /api/v1/incidents/meta.
    pub subtype: String,
    /// RFC 3339 (to the minute): 发生时间.
    pub occurred_at: String,
    /// 本级接报时间; defaults to now.
    pub received_at: Option<String>,
    /// 单位负责人接到报告的时间 (第九条); defaults to the occurrence.
    pub unit_learned_at: Option<String>,
    pub enterprise_id: Option<String>,
    /// Street, community or grid of an incident without an enterprise.
    pub region_code: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub casualties: Casualties,
    pub texts: ReportTexts,
    /// A preceding warning's level 1 (红) – 4 (蓝).
    pub warning_level: Option<i64>,
    /// The officer's grade for incidents 493号令 does not grade (一般/较大/重大/特别重大).
    pub assessed_severity: Option<String>,
    /// 较大涉险 by judgement (严重污染, 危及重要场所 …) besides the counts.
    pub larger_risk_judged: bool,
    /// 报告人 and their phone, and how it reached the duty room (see meta: report_channels).
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub report_channel: Option<String>,
    /// Photos of the 初报 (ids of the caller's own uploads).
    pub attachments: Vec<String>,
}

pub const REPORT_KINDS: &[(&str, &str)] = &[
    ("initial", "初报"),
    ("followup", "续报"),
    ("supplementary", "补报"),
];

/// 处置中 / 已结束.
pub fn status_label(open: bool) -> &'static str {
    if open { "处置中" } else { "已结束" }
}

/// The earliest deadline still to be met: an unmet hop whose sender has the report, or the 续报.
pub fn next_deadline(hops: &[Hop], followup: Option<i64>) -> (Option<i64>, Option<String>) {
    hops.iter()
        .filter(|h| h.received_ms.is_none())
        .filter_map(|h| {
            // The unit's own direct report is the unit's deadline, not the bureau's hop.
            let who = if h.direct {
                "事故单位直报"
            } else {
                "报送"
            };
            h.due_ms.map(|d| (d, format!("{who}{}", h.to_label)))
        })
        .chain(followup.map(|d| (d, "续报".to_string())))
        .min_by_key(|(d, _)| *d)
        .map_or((None, None), |(d, l)| (Some(d), Some(l)))
}

/// An instant (RFC 3339) checked into `errs`; the message names the field by `label`.
pub fn instant(errs: &mut Errors, field: &str, label: &str, raw: &str) -> Option<i64> {
    errs.check(
        field,
        parse_instant(raw).map_err(|e| format!("{label}：{e}")),
    )
}

/// The three times of an 接报, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeTimes {
    pub occurred_ms: i64,
    /// 本级接报时间: now when not given.
    pub received_ms: i64,
    /// 单位负责人接报时间: None when not given (the occurrence then).
    pub unit_learned_ms: Option<i64>,
}

/// Parses an 接报's times into `errs` (each is checked, so every bad one is named); None when
/// one of them is bad.
pub fn intake_times(errs: &mut Errors, input: &IncidentInput, now_ms: i64) -> Option<IntakeTimes> {
    let given = |raw: &Option<String>| raw.clone().filter(|s| !s.trim().is_empty());
    let occurred = instant(errs, "occurred_at", "发生时间", &input.occurred_at);
    let received = match given(&input.received_at) {
        Some(raw) => instant(errs, "received_at", "接报时间", &raw),
        None => Some(now_ms),
    };
    let learned = match given(&input.unit_learned_at) {
        Some(raw) => instant(errs, "unit_learned_at", "单位负责人接报时间", &raw).map(Some),
        None => Some(None),
    };
    Some(IntakeTimes {
        occurred_ms: occurred?,
        received_ms: received?,
        unit_learned_ms: learned?,
    })
}

/// How the timeline heads an incident: its title and number.
pub fn heading(title: &str, code: &str) -> String {
    format!("{title}（{code}）")
}

/// The timeline text of a 接报: subtype, title, counts and how it was graded.
pub fn intake_summary(
    subtype_label: &str,
    title: &str,
    counts: &str,
    severity: Severity,
    graded_by_rule: bool,
    larger_risk: bool,
) -> String {
    let grade_note = if graded_by_rule {
        format!(
            "，按493号令定为{}事故{}",
            severity.label(),
            if larger_risk {
                "（较大涉险）"
            } else {
                ""
            }
        )
    } else {
        format!("，研判为{}", severity.label())
    };
    format!("接报{subtype_label}“{title}”：{counts}{grade_note}")
}

#[derive(Debug, Clone)]
pub struct ReportInput {
    /// followup (续报) / supplementary (补报: the counts changed)
    pub kind: String,
    /// The counts as now known (all of them).
    pub casualties: Casualties,
    pub text: String,
    /// Items of 第十二条 now verified (待核实 ones filled, others corrected); empty ones stay.
    pub items: Option<ReportItems>,
    /// Photos of this report (ids of the caller's own uploads).
    pub attachments: Vec<String>,
}

/// The 第十二条 items a 续报 may complete.
#[derive(Debug, Clone, Default)]
pub struct ReportItems {
    pub unit_overview: String,
    pub scene: String,
    pub measures: String,
    pub other: String,
}

/// An item of 第十二条 given in a 续报: its column, its text and its Chinese name.
pub type CheckedItem = (&'static str, String, &'static str);

/// The 第十二条 items a 续报 fills: (column, text, Chinese name) for each non-empty one.
pub fn checked_items(errs: &mut Errors, items: Option<&ReportItems>) -> Vec<CheckedItem> {
    let Some(i) = items else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (field, column, label_, value, max) in [
        (
            "items.unit_overview",
            "unit_overview",
            "事故发生单位概况",
            &i.unit_overview,
            1000,
        ),
        ("items.scene", "scene", "事故现场情况", &i.scene, 2000),
        (
            "items.measures",
            "measures",
            "已经采取的措施",
            &i.measures,
            2000,
        ),
        (
            "items.other",
            "other_info",
            "其他应当报告的情况",
            &i.other,
            2000,
        ),
    ] {
        if let Some(Some(v)) = errs.check(field, optional_text(label_, value, max)) {
            out.push((column, v, label_));
        }
    }
    out
}

/// Checks a report's kind, counts, text and items into `errs` (the incident's state is checked
/// by the caller before the errors are reported). Returns the text and the items.
pub fn check_report(errs: &mut Errors, input: &ReportInput) -> (Option<String>, Vec<CheckedItem>) {
    if !matches!(input.kind.as_str(), "followup" | "supplementary") {
        errs.add("kind", "报告类型应为 续报 或 补报");
    }
    input.casualties.check(errs);
    let text = errs.check("text", required_text("报告内容", &input.text, 4000));
    let items = checked_items(errs, input.items.as_ref());
    (text, items)
}

/// A 续报 or 补报 that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedReport {
    /// followup / supplementary
    pub kind: String,
    pub casualties: Casualties,
    pub text: String,
    pub items: Vec<CheckedItem>,
    pub attachments: Vec<String>,
}

/// Checks a 续报 or 补报 (see `check_report`), every field at once.
pub fn checked_report(input: &ReportInput) -> Result<CheckedReport, Invalid> {
    let mut errs = Errors::default();
    let (text, items) = check_report(&mut errs, input);
    match (text, errs.is_empty()) {
        (Some(text), true) => Ok(CheckedReport {
            kind: input.kind.clone(),
            casualties: input.casualties,
            text,
            items,
            attachments: input.attachments.clone(),
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// An incident's grade as a 续报 finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentGrade {
    pub severity: Severity,
    /// 493号令 graded it from the counts (a 生产安全事故).
    pub graded_by_rule: bool,
    /// The officer judged it 较大涉险 besides the counts.
    pub larger_risk_judged: bool,
    /// The end of its 补报 window.
    pub window_end_ms: i64,
}

/// The grade a 续报 or 补报 with the counts `c` at `at_ms` leaves.
#[derive(Debug, Clone, Copy)]
pub struct ReportGrade {
    pub within_window: bool,
    pub severity: Severity,
    pub larger_risk: bool,
    /// What it did to the grade, for the timeline.
    pub note: GradeNote,
}

/// Inside the 补报 window the counts regrade a 生产安全事故 (R05, R07); after it, or for an
/// incident the officer graded, the grade stays (R06).
pub fn report_grade(current: CurrentGrade, c: &Casualties, at_ms: i64) -> ReportGrade {
    let before = current.severity;
    let r = if current.graded_by_rule {
        regrade(before, c, at_ms, current.window_end_ms)
    } else {
        Regrade {
            within_window: at_ms < current.window_end_ms,
            severity: before,
            changed: false,
        }
    };
    ReportGrade {
        within_window: r.within_window,
        severity: r.severity,
        larger_risk: current.graded_by_rule && c.is_larger_risk(current.larger_risk_judged),
        note: GradeNote {
            before,
            after: r.severity,
            changed: r.changed,
            kept_after_window: current.graded_by_rule && !r.within_window && c.grade() != before,
        },
    }
}

/// What a 续报 or 补报 did to the grade, for its summary.
#[derive(Debug, Clone, Copy)]
pub struct GradeNote {
    pub before: Severity,
    pub after: Severity,
    /// The counts changed the grade inside the 补报 window.
    pub changed: bool,
    /// Graded by 493号令, the window over and the counts now of another grade: it stays.
    pub kept_after_window: bool,
}

/// The timeline text of a 续报 or 补报.
pub fn report_summary(
    kind_label: &str,
    counts: &str,
    text: &str,
    items: &[CheckedItem],
    grade: GradeNote,
) -> String {
    let mut summary = format!("{kind_label}：{counts}。{text}");
    if !items.is_empty() {
        let names: Vec<&str> = items.iter().map(|(_, _, l)| *l).collect();
        summary.push_str(&format!("（核实补充：{}）", names.join("、")));
    }
    if grade.changed {
        summary.push_str(&format!(
            "（补报期内伤亡变化，等级由{}调整为{}）",
            grade.before.label(),
            grade.after.label()
        ));
    } else if grade.kept_after_window {
        summary.push_str(&format!("（已过补报期，等级保持{}）", grade.before.label()));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deaths(n: i64) -> Casualties {
        Casualties {
            deaths: n,
            ..Default::default()
        }
    }

    #[test]
    fn a_report_regrades_inside_the_window_only_when_graded_by_rule() {
        let current = CurrentGrade {
            severity: Severity::General,
            graded_by_rule: true,
            larger_risk_judged: false,
            window_end_ms: 1_000,
        };
        let inside = report_grade(current, &deaths(3), 500);
        assert!(inside.within_window && inside.note.changed);
        assert_eq!(inside.severity, Severity::Larger);
        let after = report_grade(current, &deaths(3), 2_000);
        assert!(!after.within_window && after.note.kept_after_window);
        assert_eq!(after.severity, Severity::General);
        let assessed = CurrentGrade {
            graded_by_rule: false,
            ..current
        };
        let kept = report_grade(assessed, &deaths(3), 500);
        assert!(kept.within_window && !kept.note.changed && !kept.note.kept_after_window);
        assert_eq!(kept.severity, Severity::General);
        assert!(!kept.larger_risk);
    }

    #[test]
    fn a_checked_report_carries_its_text_and_items() {
        let input = ReportInput {
            kind: "followup".into(),
            casualties: deaths(1),
            text: " 续报 ".into(),
            items: Some(ReportItems {
                scene: "已控制".into(),
                ..Default::default()
            }),
            attachments: vec![],
        };
        let r = checked_report(&input).unwrap();
        assert_eq!(r.text, "续报");
        assert_eq!(
            r.items,
            vec![("scene", "已控制".to_string(), "事故现场情况")]
        );
        let empty = ReportInput {
            text: String::new(),
            ..input
        };
        assert_eq!(
            checked_report(&empty).unwrap_err().summary(),
            "报告内容不能为空"
        );
    }

    #[test]
    fn intake_times_default_and_name_each_bad_one() {
        let input = IncidentInput {
            title: "t".into(),
            category: "accident".into(),
            subtype: "fire".into(),
            occurred_at: "2024-05-01T10:00:00+08:00".into(),
            received_at: Some(" ".into()),
            unit_learned_at: None,
            enterprise_id: None,
            region_code: None,
            lon: None,
            lat: None,
            casualties: Casualties::default(),
            texts: ReportTexts::default(),
            warning_level: None,
            assessed_severity: None,
            larger_risk_judged: false,
            reporter_name: None,
            reporter_phone: None,
            report_channel: None,
            attachments: vec![],
        };
        let mut errs = Errors::default();
        let t = intake_times(&mut errs, &input, 42).unwrap();
        assert_eq!((t.received_ms, t.unit_learned_ms), (42, None));
        assert!(errs.is_empty());
        let bad = IncidentInput {
            occurred_at: "昨天".into(),
            unit_learned_at: Some("x".into()),
            ..input
        };
        let mut errs = Errors::default();
        assert!(intake_times(&mut errs, &bad, 42).is_none());
        let fields: Vec<String> = errs.into_invalid().0.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["occurred_at", "unit_learned_at"]);
    }

    #[test]
    fn a_report_kind_is_followup_or_supplementary() {
        let mut errs = Errors::default();
        let input = ReportInput {
            kind: "initial".into(),
            casualties: Casualties::default(),
            text: "续报".into(),
            items: None,
            attachments: vec![],
        };
        check_report(&mut errs, &input);
        assert_eq!(errs.into_invalid().summary(), "报告类型应为 续报 或 补报");
    }
}

//! The 接报 check: the report's text items (493号令 第十二条) and which are still 待核实, the
//! reporter and channel, and the intake facts checked and graded.

use super::{Casualties, Category, Severity, Subtype, subtype, warning_colour};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::{Deserialize, Serialize};

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

/// Checks and grades an 接报: title, category and subtype, the times, the counts, the warning
/// level, the texts of 第十二条 and the grade (493号令 from the counts, else the officer's).
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
    let unit_learned_ms = check_times(&mut errs, f, now_ms);
    f.casualties.check(&mut errs);
    if let Some(level) = f.warning_level {
        check_warning_level(&mut errs, category, level);
    }
    let texts = check_texts(&mut errs, f.texts);
    let work_safety = subtype.is_some_and(|s| s.work_safety);
    let severity = intake_severity(&mut errs, f, work_safety);
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

/// Occurrence ≤ reception ≤ now (with slack), the unit head's time between them; returns the
/// unit head's time (the occurrence when not given).
fn check_times(errs: &mut Errors, f: &IntakeFacts, now_ms: i64) -> i64 {
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
    unit_learned_ms
}

/// A preceding warning's level: 1–4, and none on a 社会安全事件 (W03).
fn check_warning_level(errs: &mut Errors, category: Option<Category>, level: i64) {
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

/// 493号令 第十二条: a first 快报 is saved with what is known; the items still missing are
/// 待核实 (`pending_items`) and must be completed before the report goes up (escalation).
fn check_texts(errs: &mut Errors, t: &ReportTexts) -> CheckedTexts {
    let need = |label: &str, v: &str, max: usize| optional_text(label, v, max);
    CheckedTexts {
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
    }
}

/// The grade: 493号令 from the counts for a 生产安全事故 (no hand-picked grade then), the
/// officer's assessment (default 一般) otherwise.
fn intake_severity(errs: &mut Errors, f: &IntakeFacts, work_safety: bool) -> Option<Severity> {
    if work_safety {
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
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{at, deaths};
    use super::*;

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
}

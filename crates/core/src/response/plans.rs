//! The plan library and the plan response on an incident: the inputs of a plan, of a response
//! decision (启动/升级/降级/终止) and of a task update, their checks, the label tables and the
//! wording of the audit and timeline records. The trigger language and the levels are in `plan`.

use crate::directory::enterprise::join_codes;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use crate::prevention::hazard::label_of;
use crate::response::incident::subtype;
use crate::response::plan::{KINDS, PlanLevel, check_levels, response_label};
use serde::Deserialize;

/// Who may not write plans is told so.
pub const PLAN_EDIT_DENIED: &str = "只有局领导、部门人员和管理员可以编制预案";

/// A plan's code and version are registered once.
pub const VERSION_REGISTERED: &str = "该预案的这一版本已登记";

/// Who may not start or change a response is told so.
pub const DECISION_DENIED: &str = "只有值班员和局领导可以启动或调整应急响应";

/// A closed incident's response is not changed.
pub const DECISION_AFTER_CLOSE: &str = "事件已结束，不能调整应急响应";

/// The plan a decision names is not in the caller's library.
pub const PLAN_NOT_FOUND: &str = "预案不存在";

/// Another officer changed the response first.
pub const DECIDED_MEANWHILE: &str = "应急响应已被他人调整，请刷新后重试";

/// Only an enterprise's plan names the enterprise that filed it.
pub const PLAN_ENTERPRISE_KIND: &str = "只有企业应急预案和现场处置方案可以填写备案企业";
/// The enterprise named is unknown or outside the caller's area.
pub const PLAN_ENTERPRISE_UNKNOWN: &str = "备案企业不存在或不在您的管辖范围内";

/// Who may not update a response task is told so.
pub const TASK_UPDATE_DENIED: &str = "您的角色不能更新处置任务";

/// Someone else updated the task first.
pub const TASK_UPDATED_MEANWHILE: &str = "任务已被他人更新，请刷新后重试";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub code: String,
    pub name: String,
    /// overall / special / department / street / enterprise / onsite
    pub kind: String,
    /// 编制单位.
    pub owner: String,
    pub version: String,
    /// YYYY-MM-DD.
    pub effective_date: String,
    /// 评估修订周期 (months; 0 = none).
    #[serde(default)]
    pub review_cycle_months: i64,
    /// Incident subtypes the plan applies to (empty = all).
    #[serde(default)]
    pub subtypes: Vec<String>,
    pub levels: Vec<PlanLevel>,
    /// 备案企业: the enterprise that filed an 企业应急预案 or 现场处置方案 (its 一企一档 lists it).
    #[serde(default)]
    pub enterprise_id: Option<String>,
}

/// A plan that passed `check_plan`; `subtypes` comma-joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPlan {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub version: String,
    pub effective_date: String,
    pub subtypes: String,
}

pub fn check_plan(input: &PlanInput) -> Result<CheckedPlan, Invalid> {
    let mut errs = Errors::default();
    let code = errs.check("code", required_text("预案编号", &input.code, 40));
    let name = errs.check("name", required_text("预案名称", &input.name, 200));
    if label_of(KINDS, &input.kind).is_none() {
        errs.add(
            "kind",
            "预案类别应为 总体、专项、部门、街道、企业预案 或 现场处置方案",
        );
    }
    let owner = errs.check("owner", required_text("编制单位", &input.owner, 100));
    let version = errs.check("version", required_text("版本号", &input.version, 20));
    if input.effective_date.parse::<jiff::civil::Date>().is_err() {
        errs.add("effective_date", "施行日期格式应为 2026-01-01");
    }
    if input.enterprise_id.is_some() && !matches!(input.kind.as_str(), "enterprise" | "onsite") {
        errs.add("enterprise_id", PLAN_ENTERPRISE_KIND);
    }
    if !(0..=120).contains(&input.review_cycle_months) {
        errs.add("review_cycle_months", "评估修订周期应为 0 至 120 个月");
    }
    for (i, s) in input.subtypes.iter().enumerate() {
        if subtype(s).is_none() {
            errs.add(&format!("subtypes[{i}]"), format!("事件类型“{s}”无效"));
        }
    }
    if let Err(e) = check_levels(&input.levels) {
        for f in e.0 {
            errs.add(&f.field, f.message);
        }
    }
    match (code, name, owner, version) {
        (Some(code), Some(name), Some(owner), Some(version)) if errs.is_empty() => {
            Ok(CheckedPlan {
                code,
                name,
                owner,
                version,
                effective_date: input.effective_date.clone(),
                subtypes: join_codes(&input.subtypes),
            })
        }
        _ => Err(errs.into_invalid()),
    }
}

/// The audit summary of a plan registered.
pub fn plan_summary(c: &CheckedPlan) -> String {
    format!("登记预案“{}”（{} {}）", c.name, c.code, c.version)
}

pub const ACTIONS: &[(&str, &str)] = &[
    ("activate", "启动响应"),
    ("upgrade", "响应升级"),
    ("downgrade", "响应降级"),
    ("stand_down", "响应终止"),
];

pub const TASK_STATUSES: &[(&str, &str)] = &[
    ("pending", "待处理"),
    ("in_progress", "处理中"),
    ("done", "已完成"),
    ("cancelled", "已撤销"),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationInput {
    pub plan_id: String,
    /// activate / upgrade / downgrade / stand_down
    pub action: String,
    /// 1 (Ⅰ级) … 4; not for stand_down.
    #[serde(default)]
    pub level: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Checks a decision against the plan's levels and the incident's current level (None: no
/// response yet). Returns the level it leads to (None for a stand-down) and the reason.
pub fn check_decision(
    input: &ActivationInput,
    levels: &[PlanLevel],
    current: Option<i64>,
) -> Result<(Option<i64>, Option<String>), Invalid> {
    let mut errs = Errors::default();
    let reason = errs
        .check(
            "reason",
            optional_text("理由", input.reason.as_deref().unwrap_or(""), 1000),
        )
        .flatten();
    let action = input.action.as_str();
    let level = match (action, input.level) {
        ("stand_down", _) => {
            if current.is_none() {
                errs.add("action", "当前没有启动应急响应");
            }
            None
        }
        ("activate" | "upgrade" | "downgrade", Some(l)) => {
            match levels.iter().find(|x| x.level == l) {
                None => errs.add("level", format!("预案未设{}响应", response_label(l))),
                Some(_) => match (action, current) {
                    ("activate", Some(c)) => errs.add(
                        "action",
                        format!("已启动{}响应，请选择升级或降级", response_label(c)),
                    ),
                    ("upgrade" | "downgrade", None) => errs.add("action", "尚未启动应急响应"),
                    // Ⅰ is the highest: an upgrade goes to a smaller number.
                    ("upgrade", Some(c)) if l >= c => errs.add(
                        "level",
                        format!("升级后的级别应高于当前的{}", response_label(c)),
                    ),
                    ("downgrade", Some(c)) if l <= c => errs.add(
                        "level",
                        format!("降级后的级别应低于当前的{}", response_label(c)),
                    ),
                    _ => {}
                },
            }
            Some(l)
        }
        ("activate" | "upgrade" | "downgrade", None) => {
            errs.add("level", "请选择响应级别");
            None
        }
        _ => {
            errs.add("action", "操作应为 启动、升级、降级 或 终止");
            None
        }
    };
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok((level, reason))
}

/// What a decision did, as the incident's timeline tells it.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub action: &'a str,
    pub plan_name: &'a str,
    pub level: Option<i64>,
    /// Tasks created.
    pub created: usize,
    /// The level the plan's trigger conditions suggest.
    pub suggested: Option<i64>,
    pub reason: Option<&'a str>,
}

pub fn decision_text(d: Decision) -> String {
    let action_label = label_of(ACTIONS, d.action).unwrap_or("");
    let mut text = match d.level {
        Some(l) => format!("{action_label}：《{}》{}", d.plan_name, response_label(l)),
        None => format!("{action_label}：《{}》", d.plan_name),
    };
    if d.created > 0 {
        text.push_str(&format!("，下达任务{}项", d.created));
    }
    if let (Some(s), Some(l)) = (d.suggested, d.level)
        && s != l
    {
        text.push_str(&format!("（按启动条件建议{}）", response_label(s)));
    }
    if let Some(r) = d.reason {
        text.push_str(&format!("。理由：{r}"));
    }
    text
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskUpdate {
    /// in_progress / done
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A task update that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedTaskUpdate {
    /// in_progress / done
    pub status: String,
    pub note: Option<String>,
}

/// Checks a task update: the status it moves to and its note.
pub fn check_task_update(input: &TaskUpdate) -> Result<CheckedTaskUpdate, Invalid> {
    let mut errs = Errors::default();
    if !matches!(input.status.as_str(), "in_progress" | "done") {
        errs.add("status", "任务状态应为 处理中 或 已完成");
    }
    let note = errs
        .check(
            "note",
            optional_text("进展说明", input.note.as_deref().unwrap_or(""), 1000),
        )
        .flatten();
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedTaskUpdate {
        status: input.status.clone(),
        note,
    })
}

/// Why a task that is no longer open is not updated.
pub fn task_closed(status: &str) -> String {
    format!("任务已{}", label_of(TASK_STATUSES, status).unwrap_or(""))
}

/// The timeline text of a task update.
pub fn task_text(department: &str, task: &str, status: &str, note: Option<&str>) -> String {
    format!(
        "{department}「{task}」{}{}",
        label_of(TASK_STATUSES, status).unwrap_or(""),
        note.map(|n| format!("：{n}")).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(action: &str, level: Option<i64>) -> ActivationInput {
        ActivationInput {
            plan_id: "p".into(),
            action: action.into(),
            level,
            reason: None,
        }
    }

    #[test]
    fn decisions_follow_the_current_level() {
        let levels: Vec<PlanLevel> = vec![];
        assert_eq!(
            check_decision(&decision("stand_down", None), &levels, None)
                .unwrap_err()
                .summary(),
            "当前没有启动应急响应"
        );
        assert_eq!(
            check_decision(&decision("activate", None), &levels, None)
                .unwrap_err()
                .summary(),
            "请选择响应级别"
        );
        assert_eq!(
            check_decision(&decision("stand_down", None), &levels, Some(3)).unwrap(),
            (None, None)
        );
    }

    #[test]
    fn wording() {
        let d = Decision {
            action: "stand_down",
            plan_name: "防汛预案",
            level: None,
            created: 0,
            suggested: None,
            reason: Some("险情解除"),
        };
        assert_eq!(decision_text(d), "响应终止：《防汛预案》。理由：险情解除");
        assert_eq!(task_closed("done"), "任务已已完成");
        assert_eq!(
            task_text("水利局", "巡堤", "done", Some("已完成巡查")),
            "水利局「巡堤」已完成：已完成巡查"
        );
        assert!(
            check_task_update(&TaskUpdate {
                status: "pending".into(),
                note: None
            })
            .is_err()
        );
    }
}

//! 大联动 (issue 24 item 4): an event that needs several units becomes a joint task. The lead
//! unit is the event's unit; each cooperating unit (a department or a street) has its part and
//! a deadline (Asia/Shanghai). The lead may 处置完成 only when every part is done or waived with
//! a reason. Who may start one, the checks of the parts, and the wording.

use crate::disasters::consultations::parse_deadline;
use crate::grid::events::{is_unit, may_dispatch};
use crate::grid::events_config::UnitKind;
use crate::kernel::clock::to_local_minute;
use crate::kernel::role::{Role, Scope};
use crate::kernel::validation::{Errors, Invalid, required_text};

/// The states of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStatus {
    /// 办理中.
    Open,
    /// 已完成: the cooperating unit reported its part done.
    Done,
    /// 不再办理: the lead unit (or the duty room) released it, saying why.
    Waived,
}

impl PartStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Waived => "waived",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "办理中",
            Self::Done => "已完成",
            Self::Waived => "不再办理",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Done, Self::Waived]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

pub fn part_status_label(s: &str) -> &'static str {
    PartStatus::parse(s).map_or("", PartStatus::label)
}

pub const NOT_A_LEAD: &str = "只有牵头单位（事件的承办单位）或值班室可以发起联动或调整联动任务";
pub const NOT_THE_PART_UNIT: &str = "只有该项联动任务的协办单位可以报告完成";
pub const MAX_PARTS: usize = 20;

/// The lead unit (the event's unit) or the duty room starts a joint task and releases parts.
pub fn may_lead(role: Role, scope: &Scope, unit_kind: Option<&str>, unit_id: Option<&str>) -> bool {
    may_dispatch(role) || is_unit(role, scope, unit_kind, unit_id)
}

/// One cooperating unit's part as entered.
#[derive(Debug, Clone, Default)]
pub struct PartInput {
    pub unit_kind: String,
    pub unit_id: String,
    pub task: String,
    /// A date (the end of that day) or a date-time, Asia/Shanghai (consultations::parse_deadline).
    pub due: String,
}

/// A checked part (its unit still to be looked up).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPart {
    pub unit_kind: UnitKind,
    pub unit_id: String,
    pub task: String,
    pub due_ms: i64,
}

/// Checks the parts: each names its unit (not the lead unit, not twice), its task (2–500
/// characters) and a deadline after `now_ms`. Every error names its row's field.
pub fn check_parts(
    parts: &[PartInput],
    lead: (Option<&str>, Option<&str>),
    now_ms: i64,
) -> Result<Vec<CheckedPart>, Invalid> {
    let mut errs = Errors::default();
    if parts.is_empty() {
        errs.add("parts", "请至少添加一个协办单位");
    }
    if parts.len() > MAX_PARTS {
        errs.add("parts", format!("协办单位最多 {MAX_PARTS} 个"));
    }
    let mut out: Vec<CheckedPart> = Vec::new();
    for (i, p) in parts.iter().enumerate().take(MAX_PARTS) {
        let row = i + 1;
        let f = |name: &str| format!("parts[{i}].{name}");
        let kind = UnitKind::parse(p.unit_kind.trim());
        if kind.is_none() {
            errs.add(
                &f("unit_kind"),
                format!("第{row}项的协办单位类型应为 department（部门）或 street（街道）"),
            );
        }
        let unit_id = p.unit_id.trim().to_string();
        if unit_id.is_empty() {
            errs.add(&f("unit_id"), format!("第{row}项请选择协办单位"));
        }
        let task = errs.check(
            &f("task"),
            required_text(&format!("第{row}项的任务内容"), &p.task, 500),
        );
        if task.as_ref().is_some_and(|t| t.chars().count() < 2) {
            errs.add(&f("task"), format!("第{row}项的任务内容至少 2 个字"));
        }
        let due = errs.check(
            &f("due"),
            parse_deadline(&p.due).map_err(|m| format!("第{row}项的完成期限：{m}")),
        );
        if due.is_some_and(|d| d <= now_ms) {
            errs.add(&f("due"), format!("第{row}项的完成期限应晚于现在"));
        }
        let (Some(kind), Some(task), Some(due_ms)) = (kind, task, due) else {
            continue;
        };
        if lead == (Some(kind.as_str()), Some(unit_id.as_str())) {
            errs.add(&f("unit_id"), format!("第{row}项的协办单位就是牵头单位"));
            continue;
        }
        if out
            .iter()
            .any(|o| o.unit_kind == kind && o.unit_id == unit_id)
        {
            errs.add(&f("unit_id"), format!("第{row}项的协办单位重复"));
            continue;
        }
        out.push(CheckedPart {
            unit_kind: kind,
            unit_id,
            task,
            due_ms,
        });
    }
    errs.into_result()?;
    Ok(out)
}

// --- wording (audit summaries, the timeline and the notices) ---

pub fn started_summary(title: &str, lead: &str, units: &[String]) -> String {
    format!(
        "网格事件“{title}”发起联动：牵头单位{lead}，协办单位{}",
        units.join("、")
    )
}

pub fn part_line(unit: &str, task: &str, due_ms: i64) -> String {
    format!("{unit}：{task}（{}前完成）", to_local_minute(due_ms))
}

pub fn done_summary(title: &str, unit: &str) -> String {
    format!("{unit}完成网格事件“{title}”的联动任务")
}

pub fn waived_summary(title: &str, unit: &str, reason: &str) -> String {
    format!("网格事件“{title}”中{unit}的联动任务不再办理：{reason}")
}

/// The notice when a part's deadline runs out: (title, body).
pub fn overdue_message(
    code: &str,
    title: &str,
    unit: &str,
    task: &str,
    due_ms: i64,
) -> (String, String) {
    (
        format!("联动任务逾期：{code}"),
        format!(
            "网格事件“{title}”中{unit}的联动任务“{task}”已超过完成期限（{}），请尽快办理",
            to_local_minute(due_ms)
        ),
    )
}

/// Why the lead may not 处置完成 yet.
pub fn parts_open_message(open: &[String]) -> String {
    format!(
        "联动任务尚有 {} 项未完成（{}），请待协办单位完成或说明不再办理的原因后再处置完成",
        open.len(),
        open.join("、")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::clock::parse_instant;

    fn part(kind: &str, id: &str, task: &str, due: &str) -> PartInput {
        PartInput {
            unit_kind: kind.into(),
            unit_id: id.into(),
            task: task.into(),
            due: due.into(),
        }
    }

    #[test]
    fn parts_are_checked_by_row() {
        let now = parse_instant("2026-07-01T09:00:00+08:00").unwrap();
        let ok = check_parts(
            &[part("department", "d1", "封控现场", "2026-07-02")],
            (Some("street"), Some("360403001")),
            now,
        )
        .unwrap();
        assert_eq!(
            ok[0].due_ms,
            parse_instant("2026-07-03T00:00:00+08:00").unwrap()
        );
        let err = check_parts(
            &[
                part("x", "d1", "封控现场", "2026-07-02"),
                part("street", "360403001", "封控现场", "2026-07-02"),
                part("department", "d1", "a", "2026-06-01"),
            ],
            (Some("street"), Some("360403001")),
            now,
        )
        .unwrap_err();
        let s = err.summary();
        for f in [
            "parts[0].unit_kind",
            "parts[1].unit_id",
            "parts[2].task",
            "parts[2].due",
        ] {
            assert!(err.0.iter().any(|d| d.field == f), "{f}: {s}");
        }
        assert!(check_parts(&[], (None, None), now).is_err());
    }
}

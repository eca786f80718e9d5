//! 值班值守: the shifts and log kinds, the roster and log inputs with their checks, and the
//! wording of their audit records.

use crate::kernel::validation::{Errors, Invalid, phone, required_text};
use crate::prevention::hazard::label_of;

pub const SHIFTS: &[(&str, &str)] = &[("day", "白班"), ("night", "夜班"), ("full", "全天")];
pub const LOG_KINDS: &[(&str, &str)] = &[
    ("report", "接报"),
    ("instruction", "上级指示"),
    ("dispatch", "调度"),
    ("handover", "交接班"),
    ("other", "其他"),
];

/// Who may not read the duty room is told so.
pub const NOT_A_DUTY_READER: &str = "值班信息仅供应急管理部门和属地工作人员查看";

/// Who may not keep the roster is told so.
pub const NOT_A_ROSTER_KEEPER: &str = "只有值班员、局领导和管理员可以排班";

/// Who may not write the duty log is told so.
pub const NOT_A_LOG_KEEPER: &str = "只有值班员、局领导和管理员可以记值班日志";

/// A day written YYYY-MM-DD.
pub fn parse_day(field: &str, raw: &str) -> Result<jiff::civil::Date, Invalid> {
    raw.trim()
        .parse::<jiff::civil::Date>()
        .map_err(|_| Invalid::one(field, format!("日期“{raw}”格式不正确，应为 2026-11-24")))
}

/// A roster query spans 1 to 62 days.
pub fn check_range(from: jiff::civil::Date, to: jiff::civil::Date) -> Result<(), Invalid> {
    if to < from || (to - from).get_days() > 62 {
        return Err(Invalid::one("to", "查询范围应为 1 至 62 天"));
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ShiftInput {
    /// YYYY-MM-DD.
    pub day: String,
    /// day (白班) / night (夜班) / full (全天)
    pub shift: String,
    /// 带班领导.
    pub leader: String,
    /// 值班员.
    pub officer: String,
    pub phone: Option<String>,
}

/// A shift that passed `check_shift`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedShift {
    pub day: jiff::civil::Date,
    pub shift_label: &'static str,
    pub leader: String,
    pub officer: String,
    pub phone: Option<String>,
}

pub fn check_shift(input: &ShiftInput) -> Result<CheckedShift, Invalid> {
    let mut errs = Errors::default();
    let day = errs.check("day", parse_day("day", &input.day).map_err(|e| e.summary()));
    let shift_label = label_of(SHIFTS, &input.shift);
    if shift_label.is_none() {
        errs.add("shift", "班次应为 白班、夜班 或 全天");
    }
    let leader = errs.check("leader", required_text("带班领导", &input.leader, 50));
    let officer = errs.check("officer", required_text("值班员", &input.officer, 50));
    let phone = errs
        .check(
            "phone",
            phone("值班电话", input.phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let (Some(day), Some(shift_label), Some(leader), Some(officer), true) =
        (day, shift_label, leader, officer, errs.is_empty())
    else {
        return Err(errs.into_invalid());
    };
    Ok(CheckedShift {
        day,
        shift_label,
        leader,
        officer,
        phone,
    })
}

/// The audit summary of a shift set.
pub fn shift_summary(s: &CheckedShift) -> String {
    format!(
        "排班：{} {} 带班领导{}，值班员{}",
        s.day, s.shift_label, s.leader, s.officer
    )
}

#[derive(Debug, Clone)]
pub struct LogInput {
    /// report / instruction / dispatch / handover / other
    pub kind: String,
    pub text: String,
    pub incident_id: Option<String>,
}

/// Checks a log entry; `incident_found` tells whether the linked incident, if one is given, is
/// visible to the caller. Returns the entry's kind label and text.
pub fn check_log(
    input: &LogInput,
    incident_found: bool,
) -> Result<(&'static str, String), Invalid> {
    let mut errs = Errors::default();
    let kind_label = label_of(LOG_KINDS, &input.kind);
    if kind_label.is_none() {
        errs.add("kind", "日志类型应为 接报、上级指示、调度、交接班 或 其他");
    }
    let text = errs.check("text", required_text("日志内容", &input.text, 2000));
    if !incident_found {
        errs.add("incident_id", "关联的事件不存在或不在您的管辖范围内");
    }
    match (kind_label, text, errs.is_empty()) {
        (Some(k), Some(t), true) => Ok((k, t)),
        _ => Err(errs.into_invalid()),
    }
}

/// The audit summary of a log entry.
pub fn log_summary(kind_label: &str, text: &str) -> String {
    format!("值班日志（{kind_label}）：{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_is_checked_whole() {
        let input = ShiftInput {
            day: "2026-11-3".into(),
            shift: "noon".into(),
            leader: String::new(),
            officer: "李四".into(),
            phone: None,
        };
        assert_eq!(
            check_shift(&input).unwrap_err().summary(),
            "日期“2026-11-3”格式不正确，应为 2026-11-24；班次应为 白班、夜班 或 全天；带班领导不能为空"
        );
        let s = check_shift(&ShiftInput {
            day: "2026-11-03".into(),
            shift: "day".into(),
            leader: "张三".into(),
            ..input
        })
        .unwrap();
        assert_eq!(
            shift_summary(&s),
            "排班：2026-11-03 白班 带班领导张三，值班员李四"
        );
    }

    #[test]
    fn a_log_entry_names_a_visible_incident() {
        let input = LogInput {
            kind: "report".into(),
            text: "接报火情".into(),
            incident_id: Some("x".into()),
        };
        assert_eq!(
            check_log(&input, false).unwrap_err().summary(),
            "关联的事件不存在或不在您的管辖范围内"
        );
        let (k, t) = check_log(&input, true).unwrap();
        assert_eq!(log_summary(k, &t), "值班日志（接报）：接报火情");
    }

    #[test]
    fn ranges() {
        let d = |s: &str| parse_day("day", s).unwrap();
        assert!(check_range(d("2026-11-01"), d("2026-11-01")).is_ok());
        assert!(check_range(d("2026-11-02"), d("2026-11-01")).is_err());
    }
}

//! The words of alarm handling: event labels, the checks of a 叫应 action's note and name, the
//! audit summary of an action, and the title and body of an escalation message.

use crate::kernel::validation::Invalid;
use crate::monitoring::alarm::{DISPOSITIONS, Level, Milli4};

/// Who an event opened by ingest is recorded as.
pub const SYSTEM_ACTOR: &str = "系统";
/// Who an escalation step fired by its timer is recorded as.
pub const TIMER_ACTOR: &str = "叫应定时器";

/// The Chinese label of an alarm event's action code.
pub fn alarm_action_label(action: &str) -> &'static str {
    match action {
        "open" => "报警",
        "escalate" => "叫应通知",
        "ack" => "确认",
        "handle" => "处置",
        "resolve" => "恢复正常",
        "close" => "关闭",
        "to_hazard" => "转为隐患",
        _ => "记录",
    }
}

/// The note of an alarm's "open" event: its level and the reading that opened it ("高报 9.5").
pub fn alarm_opened_note(level: Level, value: Milli4) -> String {
    format!("{} {}", level.label(), value)
}

/// A handling note is at most 500 characters.
pub fn check_alarm_note(note: Option<&str>) -> Result<(), Invalid> {
    if note.is_some_and(|n| n.chars().count() > 500) {
        return Err(Invalid::one("note", "处置说明不能超过 500 字"));
    }
    Ok(())
}

/// The error of an action other than ack, handle or close.
pub fn unknown_alarm_action() -> Invalid {
    Invalid::one(
        "action",
        "操作应为 ack（确认）、handle（处置）或 close（关闭）",
    )
}

/// The audit summary of an action (ack, handle or close with its disposition) on an alarm.
pub fn alarm_act_summary(
    sensor_code: &str,
    level_label: &str,
    action: &str,
    disposition: Option<&str>,
) -> String {
    let label = match action {
        "ack" => "确认（叫应）".to_string(),
        "handle" => "开始处置".to_string(),
        _ => format!(
            "关闭：{}",
            DISPOSITIONS
                .iter()
                .find(|(c, _)| Some(*c) == disposition)
                .map(|(_, l)| *l)
                .unwrap_or("")
        ),
    };
    format!("报警 {sensor_code} {level_label}：{label}")
}

/// The title of a 叫应 message: level, owner (enterprise or object) and sensor.
pub fn escalation_title(level_label: &str, owner: &str, sensor_name: &str) -> String {
    format!("【{level_label}】{owner} {sensor_name}")
}

/// The body of a 叫应 message for step `step_no` (from 1).
pub fn escalation_body(
    peak_value: &str,
    unit: &str,
    open_value: &str,
    step_no: usize,
    step_label: &str,
) -> String {
    format!(
        "监测值 {peak_value}{unit}（报警值 {open_value}），请立即确认并处置。叫应第 {step_no} 步：{step_label}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(alarm_action_label("ack"), "确认");
        assert_eq!(alarm_action_label("?"), "记录");
        assert_eq!(
            alarm_opened_note(Level::H, Milli4::parse("9.50").unwrap()),
            "高报 9.5"
        );
        assert!(check_alarm_note(Some(&"字".repeat(500))).is_ok());
        assert!(check_alarm_note(Some(&"字".repeat(501))).is_err());
        assert_eq!(
            alarm_act_summary("LT-1", "高报", "ack", None),
            "报警 LT-1 高报：确认（叫应）"
        );
        assert_eq!(
            alarm_act_summary("LT-1", "高报", "close", Some("nonexistent")),
            "报警 LT-1 高报：关闭："
        );
        assert_eq!(
            escalation_body("9.1", "m", "8.6", 2, "主要负责人"),
            "监测值 9.1m（报警值 8.6），请立即确认并处置。叫应第 2 步：主要负责人"
        );
        assert_eq!(
            escalation_title("高报", "某公司", "液位"),
            "【高报】某公司 液位"
        );
    }
}

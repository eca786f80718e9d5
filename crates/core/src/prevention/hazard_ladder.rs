//! The words of a hazard's timers: the 隐患逾期 notice and the steps (函告 → 通报 → 约谈) of a
//! listed hazard's escalation, their event notes and audit summaries.

use crate::kernel::notify::Message;

/// Who a timer's changes to a hazard are recorded as.
pub const LADDER_ACTOR: &str = "督办定时器";
/// Who a timer's events on a hazard are shown as.
pub const SYSTEM_NAME: &str = "系统";
/// The note of the overdue event.
pub const OVERDUE_NOTE: &str = "已超过整改期限";

/// A description cut to 40 characters (and "…") for a title or a summary.
pub fn short(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        t.push('…');
    }
    t
}

/// The in-app notice that a hazard passed its rectification deadline.
pub fn overdue_message(
    hazard_id: &str,
    code: &str,
    description: &str,
    deadline: &str,
    link: String,
) -> Message {
    Message {
        event: "hazard.overdue".into(),
        title: format!("隐患逾期：{code}"),
        body: format!(
            "隐患“{}”已超过整改期限{deadline}，请尽快整改。",
            short(description)
        ),
        link,
        subject_id: hazard_id.to_string(),
    }
}

/// The audit summary of a hazard found overdue.
pub fn overdue_summary(code: &str, deadline: &str) -> String {
    format!("隐患{code}逾期（期限{deadline}）")
}

/// The in-app notice of an escalation step (`label`) of a listed hazard.
pub fn listing_step_message(
    hazard_id: &str,
    code: &str,
    description: &str,
    label: &str,
    supervising_body: &str,
    deadline: &str,
    link: String,
) -> Message {
    Message {
        event: "hazard.escalation".into(),
        title: format!("督办升级（{label}）：{code}"),
        body: format!(
            "挂牌督办的重大隐患“{}”已超过督办期限{deadline}，{supervising_body}启动“{label}”。",
            short(description)
        ),
        link,
        subject_id: hazard_id.to_string(),
    }
}

/// The event note of an escalation step that notified `notified` people.
pub fn listing_step_note(label: &str, notified: usize) -> String {
    format!("督办升级：{label}（通知{notified}人）")
}

/// The audit summary of an escalation step.
pub fn listing_step_summary(code: &str, label: &str) -> String {
    format!("隐患{code}督办升级：{label}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(short(&"字".repeat(41)), format!("{}…", "字".repeat(40)));
        assert_eq!(short("短"), "短");
        let m = overdue_message("h1", "YH-1", "油罐", "2027-01-01", "/hazards/h1".into());
        assert_eq!(m.body, "隐患“油罐”已超过整改期限2027-01-01，请尽快整改。");
        assert_eq!(
            overdue_summary("YH-1", "2027-01-01"),
            "隐患YH-1逾期（期限2027-01-01）"
        );
        let m = listing_step_message(
            "h1",
            "YH-1",
            "油罐",
            "函告",
            "区安委办",
            "2027-01-01",
            String::new(),
        );
        assert_eq!(m.title, "督办升级（函告）：YH-1");
        assert_eq!(listing_step_note("函告", 3), "督办升级：函告（通知3人）");
        assert_eq!(
            listing_step_summary("YH-1", "函告"),
            "隐患YH-1督办升级：函告"
        );
    }
}

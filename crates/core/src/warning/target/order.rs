//! Response work orders (响应工单): their statuses, the answer of the person responsible (叫应
//! and 反馈), checked before it is written, and what the notices and the audit log say.

use super::{kind_label, mask_name};
use crate::kernel::validation::{Invalid, optional_text};

/// What an order's status reads.
pub fn status_label(s: &str) -> &'static str {
    match s {
        "open" => "待叫应",
        "acknowledged" => "已叫应",
        "reported" => "已反馈",
        "released" => "已移出区域",
        _ => "已关闭",
    }
}

/// An answer to an order as given.
#[derive(Debug, Clone)]
pub struct OrderAnswer {
    /// acknowledge (叫应：收到) / report (反馈)
    pub action: String,
    /// 到岗.
    pub arrived: bool,
    /// 已巡查.
    pub patrolled: bool,
    /// 已转移人数.
    pub relocated: i64,
    pub note: Option<String>,
    /// Photos (attachment ids).
    pub attachments: Vec<String>,
}

/// An answer, checked.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 叫应: 收到.
    Acknowledge,
    /// 反馈: on site, patrolled, people moved, a note.
    Report {
        arrived: bool,
        patrolled: bool,
        relocated: i64,
        note: Option<String>,
    },
}

impl Answer {
    pub fn is_report(&self) -> bool {
        matches!(self, Answer::Report { .. })
    }
}

/// Checks an answer: the action, and for a report the number moved and the note.
pub fn check_answer(input: &OrderAnswer) -> Result<Answer, Invalid> {
    match input.action.as_str() {
        "acknowledge" => Ok(Answer::Acknowledge),
        "report" => {
            if !(0..=100_000).contains(&input.relocated) {
                return Err(Invalid::one("relocated", "转移人数应为 0 至 100000"));
            }
            let note = optional_text("情况说明", input.note.as_deref().unwrap_or(""), 1000)
                .map_err(|m| Invalid::one("note", m))?;
            Ok(Answer::Report {
                arrived: input.arrived,
                patrolled: input.patrolled,
                relocated: input.relocated,
                note,
            })
        }
        _ => Err(Invalid::one(
            "action",
            "操作应为 acknowledge（收到）或 report（反馈）",
        )),
    }
}

/// Refused: only the person responsible, or staff of the area, answer.
pub const ONLY_RESPONSIBLE: &str = "只有责任人或属地人员可以叫应";

/// The order is no longer waiting for 叫应.
pub fn no_ack_needed(status_label: &str) -> String {
    format!("工单{status_label}，无需叫应")
}

/// The order can no longer be reported on.
pub fn no_report_now(status_label: &str) -> String {
    format!("工单{status_label}，不能反馈")
}

/// The audit summary of an answer.
pub fn answered(answer: &Answer, object_name: &str, headline: &str) -> String {
    let what = if answer.is_report() {
        "工单反馈"
    } else {
        "叫应"
    };
    format!("{what}：{object_name}（{headline}）")
}

/// The name an order's notices give the object: a 特殊群体's is masked.
fn named(name: &str, personal: bool) -> String {
    if personal {
        mask_name(name)
    } else {
        name.to_string()
    }
}

/// The notice of a new order to its responsible person (title, body).
pub fn order_notice(
    headline: &str,
    kind: &str,
    name: &str,
    personal: bool,
    actions: &[String],
    minutes: i64,
) -> (String, String) {
    (
        format!("{headline}：响应工单"),
        format!(
            "请对{}“{}”{}，并在 {minutes} 分钟内回复“收到”。",
            kind_label(kind),
            named(name, personal),
            actions.join("、")
        ),
    )
}

/// The notice that an order went up a level unanswered (title, body); step 2 is the street.
pub fn escalation_notice(
    step: i64,
    headline: &str,
    kind: &str,
    name: &str,
    personal: bool,
) -> (String, String) {
    let title = if step >= 2 {
        "预警响应工单逾期未叫应（升级至街道）"
    } else {
        "预警响应工单逾期未叫应"
    };
    let body = format!(
        "{headline}：{}“{}”的责任人未在时限内确认",
        kind_label(kind),
        named(name, personal)
    );
    (title.into(), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(action: &str, relocated: i64) -> OrderAnswer {
        OrderAnswer {
            action: action.into(),
            arrived: true,
            patrolled: false,
            relocated,
            note: None,
            attachments: vec![],
        }
    }

    #[test]
    fn answers_are_checked_field_by_field() {
        assert!(matches!(
            check_answer(&answer("acknowledge", -5)),
            Ok(Answer::Acknowledge)
        ));
        assert_eq!(
            check_answer(&answer("report", -1)).unwrap_err().0[0].field,
            "relocated"
        );
        assert_eq!(
            check_answer(&answer("close", 0)).unwrap_err().0[0].field,
            "action"
        );
        assert!(check_answer(&answer("report", 12)).unwrap().is_report());
    }

    #[test]
    fn notices_mask_personal_names() {
        let (t, b) = order_notice(
            "暴雨红色预警",
            "special_person",
            "王秀英",
            true,
            &["上门帮扶".into()],
            30,
        );
        assert_eq!(t, "暴雨红色预警：响应工单");
        assert_eq!(b, "请对特殊群体“王**”上门帮扶，并在 30 分钟内回复“收到”。");
        let (t, _) = escalation_notice(2, "h", "school", "一小", false);
        assert_eq!(t, "预警响应工单逾期未叫应（升级至街道）");
    }
}

//! 企业信息变更申请: an enterprise user's change of its supervised fields waits for the
//! supervising department; the decision's input and check, the status labels and the wording.

use crate::kernel::validation::{Invalid, optional_text};

#[derive(Debug, Clone)]
pub struct DecisionInput {
    /// confirm (确认变更) / reject (驳回)
    pub action: String,
    pub note: Option<String>,
}

/// A decision that passed [`check_decision`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedDecision {
    pub confirm: bool,
    pub note: Option<String>,
}

/// confirm or reject, and an optional 说明 of at most 500 characters.
pub fn check_decision(input: &DecisionInput) -> Result<CheckedDecision, Invalid> {
    let confirm = match input.action.as_str() {
        "confirm" => true,
        "reject" => false,
        _ => {
            return Err(Invalid::one(
                "action",
                "操作应为 confirm（确认）或 reject（驳回）",
            ));
        }
    };
    let note = optional_text("说明", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| Invalid::one("note", m))?;
    Ok(CheckedDecision { confirm, note })
}

/// The label of a change's status (pending, confirmed, rejected; anything else superseded).
pub fn status_label(s: &str) -> &'static str {
    match s {
        "pending" => "待确认",
        "confirmed" => "已确认",
        "rejected" => "已驳回",
        _ => "已被新申请替代",
    }
}

/// Refused to a role that does not supervise enterprises.
pub const ONLY_SUPERVISORS: &str = "企业信息变更须由监管部门确认";
/// Refused when the confirmed categories would leave the decider's scope.
pub const CATEGORIES_OUT_OF_SCOPE: &str =
    "变更后的监管类别不在您的管辖范围内，请由相应监管部门确认";

/// The proposal was decided by someone else in the meantime.
pub const DECIDED_MEANWHILE: &str = "该变更申请刚刚被他人处理，请刷新";

/// A change already decided: 该变更申请已确认 …
pub fn not_pending(status_label: &str) -> String {
    format!("该变更申请{status_label}")
}

/// Audit summary of a proposal naming the changed fields.
pub fn proposed_summary<S: AsRef<str>>(enterprise: &str, fields: &[S]) -> String {
    let fields: Vec<&str> = fields.iter().map(AsRef::as_ref).collect();
    format!(
        "企业“{enterprise}”申请变更{}，待监管部门确认",
        fields.join("、")
    )
}

/// Audit summary of a decision.
pub fn decided_summary(confirm: bool, enterprise: &str, fields: &[String]) -> String {
    format!(
        "{}企业“{enterprise}”的变更申请（{}）",
        if confirm { "确认" } else { "驳回" },
        fields.join("、")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_decision() {
        let i = |a: &str| DecisionInput {
            action: a.into(),
            note: Some(" 同意 ".into()),
        };
        assert_eq!(
            check_decision(&i("confirm")).unwrap(),
            CheckedDecision {
                confirm: true,
                note: Some("同意".into())
            }
        );
        assert!(!check_decision(&i("reject")).unwrap().confirm);
        assert_eq!(
            check_decision(&i("x")).unwrap_err().summary(),
            "操作应为 confirm（确认）或 reject（驳回）"
        );
    }

    #[test]
    fn labels_and_wording() {
        assert_eq!(status_label("superseded"), "已被新申请替代");
        assert_eq!(not_pending(status_label("rejected")), "该变更申请已驳回");
        let f = vec!["名称".to_string(), "监管类别".to_string()];
        assert_eq!(
            proposed_summary("甲厂", &f),
            "企业“甲厂”申请变更名称、监管类别，待监管部门确认"
        );
        assert_eq!(
            decided_summary(false, "甲厂", &f),
            "驳回企业“甲厂”的变更申请（名称、监管类别）"
        );
    }
}

//! 调派: the dispatch input and its check, the dispatch's status label, the refusals and the
//! wording of the timeline steps.

use crate::kernel::validation::{Invalid, optional_text};

/// Who may not dispatch is told so.
pub const DISPATCH_DENIED: &str = "只有值班员、局领导和管理员可以调派队伍和专家";

/// Who may not record a return is told so.
pub const RETURN_DENIED: &str = "只有值班员、局领导和管理员可以登记归队";

/// Nothing is sent to a closed incident.
pub const DISPATCH_AFTER_CLOSE: &str = "事件已结束，不能调派";

/// The team or expert asked for is not in the caller's registers.
pub const RESOURCE_NOT_FOUND: &str = "队伍或专家不存在";

/// A deactivated team is not sent.
pub const TEAM_INACTIVE: &str = "该队伍已停用，不能调派";

/// A deactivated expert is not sent.
pub const EXPERT_INACTIVE: &str = "该专家已停用，不能调派";

/// An expert already out is not sent again.
pub const EXPERT_DISPATCHED: &str = "专家已被调派";

/// Only teams and experts are dispatched here.
pub const RESOURCE_TYPE_INVALID: &str = "调派对象应为 team（队伍）或 expert（专家）";

/// A return is recorded once.
pub const ALREADY_RETURNED: &str = "已登记归队";

#[derive(Debug, Clone)]
pub struct DispatchInput {
    /// team / expert
    pub resource_type: String,
    pub resource_id: String,
    pub note: Option<String>,
}

/// The dispatch's note (调派说明), optional.
pub fn check_note(input: &DispatchInput) -> Result<Option<String>, Invalid> {
    optional_text("调派说明", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| Invalid::one("note", m))
}

/// Whether a team may be sent: active, and 待命 (`team_transition`); the refusal otherwise.
pub fn check_team(active: bool, status: &str) -> Result<(), String> {
    if !active {
        return Err(TEAM_INACTIVE.into());
    }
    crate::resources::team_transition(status, "dispatch").map(|_| ())
}

/// Whether an expert may be sent: active and available; the refusal otherwise.
pub fn check_expert(active: bool, status: &str) -> Result<(), &'static str> {
    if !active {
        Err(EXPERT_INACTIVE)
    } else if status != "available" {
        Err(EXPERT_DISPATCHED)
    } else {
        Ok(())
    }
}

/// 已出动 / 已归队.
pub fn status_label(status: &str) -> &'static str {
    if status == "returned" {
        "已归队"
    } else {
        "已出动"
    }
}

/// A team as a dispatch names it: with its headcount.
pub fn team_name(name: &str, headcount: i64) -> String {
    format!("{name}（{headcount}人）")
}

/// What is dispatched, in words: 救援队伍 or 专家.
pub fn what(resource_type: &str) -> &'static str {
    if resource_type == "team" {
        "救援队伍"
    } else {
        "专家"
    }
}

/// Why a resource whose status moved meanwhile was not dispatched.
pub fn just_dispatched(name: &str) -> String {
    format!("{name}刚刚已被调派")
}

/// The timeline text of a dispatch: what, who, how far from the scene (metres), the note.
pub fn dispatch_text(
    what: &str,
    name: &str,
    distance_m: Option<i64>,
    note: Option<&str>,
) -> String {
    format!(
        "调派{what}：{name}{}{}",
        distance_m
            .map(|d| format!("，距事发地 {:.1} 公里", d as f64 / 1000.0))
            .unwrap_or_default(),
        note.map(|n| format!("（{n}）")).unwrap_or_default()
    )
}

/// The timeline text of a return.
pub fn return_text(name: &str) -> String {
    format!("{name} 归队")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(status_label("returned"), "已归队");
        assert_eq!(status_label("dispatched"), "已出动");
        assert_eq!(team_name("蓝天", 30), "蓝天（30人）");
        assert_eq!(
            dispatch_text(what("team"), "蓝天（30人）", Some(2350), Some("携带冲锋舟")),
            "调派救援队伍：蓝天（30人），距事发地 2.4 公里（携带冲锋舟）"
        );
        assert_eq!(
            dispatch_text(what("expert"), "李四", None, None),
            "调派专家：李四"
        );
        assert_eq!(return_text("李四"), "李四 归队");
        assert_eq!(just_dispatched("李四"), "李四刚刚已被调派");
    }

    #[test]
    fn only_active_standing_by_teams_and_available_experts_go() {
        assert_eq!(check_team(true, "standby"), Ok(()));
        assert_eq!(check_team(false, "standby").unwrap_err(), TEAM_INACTIVE);
        assert!(
            check_team(true, "dispatched")
                .unwrap_err()
                .contains("不能调派")
        );
        assert_eq!(check_expert(true, "available"), Ok(()));
        assert_eq!(check_expert(false, "available"), Err(EXPERT_INACTIVE));
        assert_eq!(check_expert(true, "dispatched"), Err(EXPERT_DISPATCHED));
    }

    #[test]
    fn a_note_is_optional_and_short() {
        let input = DispatchInput {
            resource_type: "team".into(),
            resource_id: "t".into(),
            note: Some(" 携带冲锋舟 ".into()),
        };
        assert_eq!(check_note(&input).unwrap().as_deref(), Some("携带冲锋舟"));
        let long = DispatchInput {
            note: Some("长".repeat(501)),
            ..input
        };
        assert_eq!(check_note(&long).unwrap_err().0[0].field, "note");
    }
}

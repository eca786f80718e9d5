//! 调派: the dispatch input, the dispatch's status label and the wording of the timeline steps.

#[derive(Debug, Clone)]
pub struct DispatchInput {
    /// team / expert
    pub resource_type: String,
    pub resource_id: String,
    pub note: Option<String>,
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
}

//! 两单两卡 per post (岗位): an enterprise keeps its posts (name, people) and for each the four
//! items 责任清单, 日常工作清单, 岗位风险告知卡 (risks, measures, emergency phone) and 应急处置卡
//! (situations, steps, contacts), each a list of text lines. A post missing any of the four is
//! incomplete.

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, phone, required_text};
use serde::{Deserialize, Serialize};

/// Most lines in one list, and longest line.
pub const MAX_LINES: usize = 50;
pub const MAX_LINE: usize = 200;

/// 岗位风险告知卡.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskCard {
    /// 主要风险.
    pub risks: Vec<String>,
    /// 防范措施.
    pub measures: Vec<String>,
    /// 应急电话.
    pub emergency_phone: Option<String>,
}

/// 应急处置卡.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResponseCard {
    /// 可能发生的险情.
    pub situations: Vec<String>,
    /// 处置步骤.
    pub steps: Vec<String>,
    /// 应急联系人及电话, one a line.
    pub contacts: Vec<String>,
}

/// A post as written by the enterprise.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    /// The enterprise (an enterprise user's own may be left out).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// 岗位名称.
    pub name: String,
    /// 岗位人数.
    #[serde(default)]
    pub people: i64,
    /// 责任清单.
    #[serde(default)]
    pub duties: Vec<String>,
    /// 日常工作清单.
    #[serde(default)]
    pub daily_tasks: Vec<String>,
    #[serde(default)]
    pub risk_card: RiskCard,
    #[serde(default)]
    pub response_card: ResponseCard,
}

/// A post that passed [`check`] (lines trimmed, blank lines dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPost {
    pub name: String,
    pub people: i64,
    pub duties: Vec<String>,
    pub daily_tasks: Vec<String>,
    pub risk_card: RiskCard,
    pub response_card: ResponseCard,
}

fn lines(e: &mut Errors, field: &str, label: &str, v: &[String]) -> Vec<String> {
    let out: Vec<String> = v
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if out.len() > MAX_LINES {
        e.add(field, format!("{label}最多{MAX_LINES}条"));
    }
    for (i, l) in out.iter().enumerate() {
        if l.chars().count() > MAX_LINE {
            e.add(
                &format!("{field}[{i}]"),
                format!("{label}第{}条超过{MAX_LINE}字", i + 1),
            );
        }
    }
    out
}

pub fn check(input: &PostInput) -> Result<CheckedPost, Invalid> {
    let mut e = Errors::default();
    let name = e.check("name", required_text("岗位名称", &input.name, 50));
    if !(0..=100_000).contains(&input.people) {
        e.add("people", "岗位人数应为0至100000的整数");
    }
    let duties = lines(&mut e, "duties", "责任清单", &input.duties);
    let daily_tasks = lines(&mut e, "daily_tasks", "日常工作清单", &input.daily_tasks);
    let r = &input.risk_card;
    let risk_card = RiskCard {
        risks: lines(&mut e, "risk_card.risks", "主要风险", &r.risks),
        measures: lines(&mut e, "risk_card.measures", "防范措施", &r.measures),
        emergency_phone: e
            .check(
                "risk_card.emergency_phone",
                phone("应急电话", r.emergency_phone.as_deref().unwrap_or("")),
            )
            .flatten(),
    };
    let c = &input.response_card;
    let response_card = ResponseCard {
        situations: lines(&mut e, "response_card.situations", "险情", &c.situations),
        steps: lines(&mut e, "response_card.steps", "处置步骤", &c.steps),
        contacts: lines(&mut e, "response_card.contacts", "应急联系人", &c.contacts),
    };
    match name {
        Some(name) if e.is_empty() => Ok(CheckedPost {
            name,
            people: input.people,
            duties,
            daily_tasks,
            risk_card,
            response_card,
        }),
        _ => Err(e.into_invalid()),
    }
}

/// Which of the four items a post lacks (labels, in order).
pub fn missing(
    duties: &[String],
    daily_tasks: &[String],
    risk: &RiskCard,
    response: &ResponseCard,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if duties.is_empty() {
        out.push("责任清单");
    }
    if daily_tasks.is_empty() {
        out.push("日常工作清单");
    }
    if risk.risks.is_empty() || risk.measures.is_empty() {
        out.push("岗位风险告知卡");
    }
    if response.situations.is_empty() || response.steps.is_empty() {
        out.push("应急处置卡");
    }
    out
}

/// Who writes posts: enterprise users (their own) and administrators.
pub fn may_write(role: Role) -> bool {
    matches!(role, Role::EnterpriseUser | Role::Admin)
}

pub const NOT_A_WRITER: &str = "只有企业用户可以维护本企业的两单两卡";
pub const ENTERPRISE_REQUIRED: &str = "请选择企业";

pub fn duplicate_name(name: &str) -> String {
    format!("岗位“{name}”已存在")
}

pub fn saved_summary(enterprise: &str, post: &str) -> String {
    format!("{enterprise}维护岗位“{post}”两单两卡")
}

pub fn deleted_summary(enterprise: &str, post: &str) -> String {
    format!("{enterprise}删除岗位“{post}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_and_completeness() {
        let input = PostInput {
            name: "操作工".into(),
            people: 3,
            duties: vec![" 遵守操作规程 ".into(), "  ".into()],
            ..Default::default()
        };
        let c = check(&input).unwrap();
        assert_eq!(c.duties, ["遵守操作规程"]);
        assert_eq!(
            missing(&c.duties, &c.daily_tasks, &c.risk_card, &c.response_card),
            ["日常工作清单", "岗位风险告知卡", "应急处置卡"]
        );
        let bad = PostInput {
            name: "".into(),
            people: -1,
            daily_tasks: vec!["x".repeat(201)],
            ..Default::default()
        };
        let fields: Vec<String> = check(&bad)
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, ["name", "people", "daily_tasks[0]"]);
    }
}

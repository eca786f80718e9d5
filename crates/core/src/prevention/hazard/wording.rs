//! What the hazard's timeline, the audit log and the notifications say about a step of the loop.

use super::{Action, HazardLevel, Listing, SOURCES, label_of};
use crate::prevention::hazard_ladder::short;
use jiff::civil::Date;

/// Refused: the role does not report hazards.
pub const MAY_NOT_REPORT: &str = "您的角色不能上报隐患";
/// Refused: the region is outside the caller's area.
pub use crate::kernel::wording::REGION_OUTSIDE_SCOPE;
/// A hazard without an enterprise needs a community or grid.
pub const REGION_NEEDED: &str = "无企业的隐患须指定所在社区或网格";
/// The risk point named is not the enterprise's.
pub const RISK_POINT_NOT_OURS: &str = "关联的风险点不存在或不属于该企业";
/// The public form needs a street or community.
pub const PUBLIC_REGION_NEEDED: &str = "请选择隐患所在的街道或社区";
/// The name a public report is recorded under, and the reporter's when none is given.
pub const PUBLIC_REPORTER: &str = "群众举报";
pub const ANONYMOUS: &str = "匿名";
/// 定级 without a deadline.
pub const GRADE_NEEDS_DEADLINE: &str = "定级时须设定整改期限";
/// 挂牌督办 without its level, body, document or deadline.
pub const LISTING_INCOMPLETE: &str = "督办信息不完整";
/// The industry row of hazards at places without an enterprise.
pub const NO_ENTERPRISE: &str = "无企业（公共区域）";

/// 修改重大隐患判定标准条款 in the audit log.
pub fn criterion_edited(code: &str) -> String {
    format!("修改重大隐患判定标准条款{code}")
}

/// The public tracking page's word for a registered report.
pub const RECEIVED: &str = "已受理";

/// Refused: the role may not report from this source.
pub fn source_refused(source: &str) -> String {
    format!(
        "您的角色不能以“{}”来源上报隐患",
        label_of(SOURCES, source).unwrap_or(source)
    )
}

/// 登记隐患YH…（来源，等级）.
pub fn created(code: &str, source: &str, level: HazardLevel) -> String {
    format!(
        "登记隐患{code}（{}，{}）",
        label_of(SOURCES, source).unwrap_or(""),
        level.label()
    )
}

/// 隐患…定级为…，整改期限….
pub fn graded(code: &str, level: HazardLevel, deadline: Date) -> String {
    format!("隐患{code}定级为{}，整改期限{deadline}", level.label())
}

/// The plain record of a step: 隐患…：<action>.
pub fn step(code: &str, action: Action) -> String {
    format!("隐患{code}：{}", action.label())
}

/// 验收 of a listed hazard.
pub fn accepted_and_delisted(code: &str) -> String {
    format!("隐患{code}：验收通过，摘牌销号")
}

/// 延期审批: approved to `deadline`, or refused.
pub fn extension_decided(code: &str, approved_to: Option<&str>) -> String {
    match approved_to {
        Some(d) => format!("隐患{code}：同意延期至{d}"),
        None => format!("隐患{code}：不同意延期"),
    }
}

/// 转办 in the log.
pub fn transferred(code: &str, department: &str) -> String {
    format!("隐患{code}转办至{department}")
}

/// 转办: the notice to the receiving department (title, body).
pub fn transfer_notice(code: &str, by: &str, description: &str) -> (String, String) {
    (
        format!("隐患转办：{code}"),
        format!("{by}转办隐患“{}”至贵部门。", short(description)),
    )
}

/// 挂牌督办 in the log.
pub fn listed(code: &str, l: &Listing) -> String {
    format!(
        "隐患{code}挂牌督办（{}，{}，{}，期限{}）",
        l.level, l.body, l.doc_number, l.deadline
    )
}

/// 挂牌督办: the notice to the people responsible (title, body).
pub fn listing_notice(code: &str, l: &Listing, description: &str) -> (String, String) {
    (
        format!("重大隐患挂牌督办：{code}"),
        format!(
            "{}对重大隐患“{}”挂牌督办（{}），须于{}前完成整改。",
            l.body,
            short(description),
            l.doc_number,
            l.deadline
        ),
    )
}

/// A summary with the step's note, shortened.
pub fn with_note(summary: String, note: Option<&str>) -> String {
    match note {
        Some(n) => format!("{summary}；说明：{}", short(n)),
        None => summary,
    }
}

/// The timeline's name for an event: a step of the loop by its action's label, and the
/// events no one takes (上报登记, 逾期, 督办升级); an unknown action has none.
pub fn event_label(action: &str) -> &'static str {
    match action {
        "report" => "上报登记",
        "overdue" => "逾期",
        "escalation" => "督办升级",
        a => Action::parse(a).map(|a| a.label()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_is_worded_with_body_document_and_deadline() {
        let l = Listing {
            level: "区级".into(),
            body: "区安委办".into(),
            doc_number: "浔安办〔2026〕3号".into(),
            deadline: "2026-08-01".parse().unwrap(),
        };
        assert_eq!(
            listed("YH1", &l),
            "隐患YH1挂牌督办（区级，区安委办，浔安办〔2026〕3号，期限2026-08-01）"
        );
        assert_eq!(
            listing_notice("YH1", &l, "配电箱未接地").1,
            "区安委办对重大隐患“配电箱未接地”挂牌督办（浔安办〔2026〕3号），须于2026-08-01前完成整改。"
        );
        assert_eq!(with_note("x".into(), Some("y")), "x；说明：y");
        assert_eq!(extension_decided("YH1", None), "隐患YH1：不同意延期");
    }

    #[test]
    fn events_are_named_by_their_action() {
        assert_eq!(event_label("report"), "上报登记");
        assert_eq!(event_label("overdue"), "逾期");
        assert_eq!(event_label("escalation"), "督办升级");
        assert_eq!(event_label("accept"), "验收销号");
        assert_eq!(event_label("list"), "挂牌督办");
        assert_eq!(event_label("unknown"), "");
    }
}

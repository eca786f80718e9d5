//! 执法文书 for a case, read from the case's record: which of the case's states allow each kind
//! (core::enforcement::case::CaseState), and the fields the record fills — the party, the facts,
//! the legal basis, the proposed or decided fine and its payment — over what the caller typed
//! (the caller's fields only fill what the record does not have).

use std::collections::BTreeMap;

use super::case::CaseState;
use super::document::Kind;
use super::penalty::yuan;
use super::surcharge::fen_text;

/// The case's states a case kind may be issued in; `None` for a task kind.
pub fn states_for(kind: &Kind) -> Option<&'static [CaseState]> {
    use CaseState::*;
    Some(match kind.code {
        // 立案审批表: at 立案 (before the investigation is under way).
        "case_approval" => &[Filed, Investigating],
        // 告知书: issued with the 法制审核's approval (approve) or once notified.
        "penalty_notice" => &[Reviewing, Notified],
        // 陈述申辩笔录: while the party is heard.
        "statement_record" => &[Notified],
        // 决定书: once the decision is made.
        "penalty_decision" => &[Decided, Executing],
        // 催告书 (行政强制法 第三十五条): a decided fine not paid, before 强制执行 is applied for.
        "payment_demand" => &[Decided, Executing],
        // 结案审批表: when the decision has been carried out.
        "closing_approval" => &[Executing, Closed],
        _ => return None,
    })
}

/// Whether a case kind may be issued for a case in `state`, else why not (naming the state and
/// the states the document needs).
pub fn may_issue_for_case(kind: &Kind, state: CaseState) -> Result<(), String> {
    let Some(allowed) = states_for(kind) else {
        return Err(format!("{}针对检查任务开具，不针对案件", kind.title));
    };
    if allowed.contains(&state) {
        return Ok(());
    }
    let need: Vec<&str> = allowed.iter().map(|s| s.label()).collect();
    Err(format!(
        "案件处于“{}”阶段，不能开具{}（案件应处于“{}”阶段）",
        state.label(),
        kind.title,
        need.join("”或“")
    ))
}

/// The case kinds a case in `state` allows (for the case drawer's 开具文书).
pub fn kinds_in(kinds: &'static [Kind], state: CaseState) -> Vec<&'static Kind> {
    kinds
        .iter()
        .filter(|k| states_for(k).is_some_and(|s| s.contains(&state)))
        .collect()
}

/// What a case's record says, as a document needs it.
#[derive(Debug, Clone, Default)]
pub struct CaseRecord<'a> {
    pub enterprise_name: &'a str,
    pub title: &'a str,
    pub source_label: &'a str,
    pub facts: Option<&'a str>,
    pub legal_basis: Option<&'a str>,
    pub proposed_fine: Option<i64>,
    pub decided_fine: Option<i64>,
    pub payment_due: Option<&'a str>,
    /// The day of issue and, for an unpaid fine, (加处罚款 in 分, days late) on it.
    pub today: Option<&'a str>,
    pub surcharge: Option<(i64, i64)>,
}

/// The fields the record fills for `kind` (these win over the caller's).
pub fn fields_from_case(kind: &Kind, c: &CaseRecord<'_>) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty())
            && kind.fields.iter().any(|f| f.key == k)
        {
            m.insert(k.to_string(), v);
        }
    };
    put("party", Some(c.enterprise_name.to_string()));
    put("facts", c.facts.map(str::to_string));
    put("basis", c.legal_basis.map(str::to_string));
    put(
        "case_source",
        Some(format!("{}（案由：{}）", c.source_label, c.title)),
    );
    match kind.code {
        "penalty_notice" => put(
            "decision",
            c.proposed_fine
                .map(|f| format!("拟处以罚款人民币 {} 元", yuan(f))),
        ),
        "penalty_decision" => {
            put(
                "decision",
                c.decided_fine
                    .map(|f| format!("处以罚款人民币 {} 元", yuan(f))),
            );
            put(
                "payment",
                c.payment_due
                    .map(|d| format!("自收到本决定书之日起十五日内（{d} 前）缴至指定银行")),
            );
        }
        "payment_demand" => {
            let (fine, due) = (c.decided_fine, c.payment_due.unwrap_or("—"));
            put(
                "facts",
                fine.map(|f| {
                    format!("本机关对你单位“{}”一案作出行政处罚决定，处以罚款人民币 {} 元，缴款期限至 {due}。你单位逾期未履行。", c.title, yuan(f))
                }),
            );
            put("decision", demand(fine, c.surcharge, c.today));
        }
        _ => {}
    }
    m
}

/// 催告事项: the fine, the 加处罚款 owed on the day of issue and their total.
fn demand(fine: Option<i64>, surcharge: Option<(i64, i64)>, today: Option<&str>) -> Option<String> {
    let fine = fine?;
    let (extra, days) = surcharge.unwrap_or((0, 0));
    let total = super::surcharge::yuan_to_fen(fine).saturating_add(extra);
    Some(format!(
        "缴纳罚款人民币 {} 元；截至 {} 逾期 {days} 日，依法加处罚款人民币 {} 元（每日按罚款数额的百分之三，不超过罚款数额），合计人民币 {} 元。",
        yuan(fine),
        today.unwrap_or("今日"),
        fen_text(extra),
        fen_text(total)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::document::{KINDS, kind};

    #[test]
    fn kinds_follow_the_case_states() {
        let decision = kind("penalty_decision").expect("kind");
        assert!(may_issue_for_case(decision, CaseState::Decided).is_ok());
        let e = may_issue_for_case(decision, CaseState::Investigating).unwrap_err();
        assert!(e.contains("调查取证") && e.contains("决定"), "{e}");
        assert!(may_issue_for_case(kind("site_check").expect("kind"), CaseState::Filed).is_err());
        let codes: Vec<&str> = kinds_in(&KINDS, CaseState::Notified)
            .iter()
            .map(|k| k.code)
            .collect();
        assert_eq!(codes, ["penalty_notice", "statement_record"]);
    }

    #[test]
    fn the_record_fills_the_fine_and_the_basis() {
        let rec = CaseRecord {
            enterprise_name: "浔阳化工",
            title: "未按规定设置安全警示标志",
            source_label: "检查发现",
            facts: Some("2026年3月检查发现"),
            legal_basis: Some("《安全生产法》第九十九条"),
            proposed_fine: Some(30_000),
            decided_fine: Some(25_000),
            payment_due: Some("2026-04-20"),
            today: Some("2026-04-22"),
            surcharge: Some((150_000, 2)),
        };
        let f = fields_from_case(kind("penalty_decision").expect("kind"), &rec);
        assert_eq!(f["party"], "浔阳化工");
        assert_eq!(f["decision"], "处以罚款人民币 25,000 元");
        assert_eq!(f["basis"], "《安全生产法》第九十九条");
        assert!(f["payment"].contains("2026-04-20"));
        let n = fields_from_case(kind("penalty_notice").expect("kind"), &rec);
        assert_eq!(n["decision"], "拟处以罚款人民币 30,000 元");
        assert!(
            !n.contains_key("payment"),
            "the notice has no payment field"
        );
        let d = fields_from_case(kind("payment_demand").expect("kind"), &rec);
        assert_eq!(
            d["decision"],
            "缴纳罚款人民币 25,000 元；截至 2026-04-22 逾期 2 日，依法加处罚款人民币 1,500.00 元（每日按罚款数额的百分之三，不超过罚款数额），合计人民币 26,500.00 元。"
        );
        assert!(
            d["facts"].contains("缴款期限至 2026-04-20"),
            "{}",
            d["facts"]
        );
        let a = fields_from_case(kind("case_approval").expect("kind"), &rec);
        assert_eq!(
            a["case_source"],
            "检查发现（案由：未按规定设置安全警示标志）"
        );
    }
}

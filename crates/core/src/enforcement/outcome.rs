//! 一公开 outcomes: what the public page says of a drawn enterprise once it is inspected — the
//! day, the result (未发现问题 / 发现隐患 n 项 / 责令整改 / 立案查处) and, for a decided penalty,
//! the 行政处罚决定书 number with the enterprise, the violation and the penalty. Nothing about
//! people: neither the enterprise's nor the inspectors' (their names and 执法证号 are on the draw).

use super::case::CaseState;

/// What the records say of one drawn enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The day of the inspection (YYYY-MM-DD), None while not inspected.
    pub inspected_on: Option<String>,
    pub findings: i64,
    /// A 责令限期整改指令书 was issued on the task.
    pub rectify_ordered: bool,
    /// A case opened from the inspection, if any.
    pub case: Option<CaseFacts>,
}

/// A case opened from an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub state: String,
    /// The case's title (the violation).
    pub title: String,
    pub decided_fine: Option<i64>,
    /// The 行政处罚决定书's number (the latest version's).
    pub decision_number: Option<String>,
}

/// A decided penalty as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub number: String,
    pub violation: String,
    pub penalty: String,
    /// 某公司因…，被处以…。
    pub summary: String,
}

/// The outcome as the public page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// pending 待检查, clean 未发现问题, hazards 发现隐患, rectify 责令整改, case 立案查处.
    pub result: &'static str,
    pub label: String,
    pub decision: Option<Decision>,
}

fn decided(state: &str) -> bool {
    [CaseState::Decided, CaseState::Executing, CaseState::Closed]
        .iter()
        .any(|s| s.as_str() == state)
}

/// The penalty in words: 罚款人民币 n 元, or 警告 without a fine.
pub fn penalty_words(fine: Option<i64>) -> String {
    match fine {
        Some(n) if n > 0 => format!("罚款人民币{n}元"),
        _ => "警告".into(),
    }
}

/// What the public sees of one drawn enterprise (`enterprise` names it in the summary).
pub fn outcome(enterprise: &str, f: &Facts) -> Outcome {
    let (result, label) = match (&f.inspected_on, &f.case, f.rectify_ordered, f.findings) {
        (None, ..) => ("pending", "待检查".to_string()),
        (Some(_), Some(_), ..) => ("case", "立案查处".to_string()),
        (Some(_), None, true, _) => ("rectify", "责令整改".to_string()),
        (Some(_), None, false, n) if n > 0 => ("hazards", format!("发现隐患 {n} 项")),
        _ => ("clean", "未发现问题".to_string()),
    };
    let decision = f
        .case
        .as_ref()
        .filter(|c| f.inspected_on.is_some() && decided(&c.state))
        .and_then(|c| {
            let number = c.decision_number.clone()?;
            let penalty = penalty_words(c.decided_fine);
            Some(Decision {
                summary: format!("{enterprise}因{}，被处以{penalty}。", c.title),
                number,
                violation: c.title.clone(),
                penalty,
            })
        });
    Outcome {
        result,
        label,
        decision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_follows_the_records() {
        let mut f = Facts::default();
        assert_eq!(outcome("甲公司", &f).result, "pending");
        f.inspected_on = Some("2026-05-01".into());
        assert_eq!(outcome("甲公司", &f).label, "未发现问题");
        f.findings = 3;
        assert_eq!(outcome("甲公司", &f).label, "发现隐患 3 项");
        f.rectify_ordered = true;
        assert_eq!(outcome("甲公司", &f).label, "责令整改");
        f.case = Some(CaseFacts {
            state: "investigating".into(),
            title: "未按规定开展安全培训".into(),
            decided_fine: None,
            decision_number: None,
        });
        let o = outcome("甲公司", &f);
        assert_eq!((o.result, o.decision.is_none()), ("case", true));
        f.case = Some(CaseFacts {
            state: "closed".into(),
            title: "未按规定开展安全培训".into(),
            decided_fine: Some(20000),
            decision_number: Some("〔2026〕浔应急罚决〔0001〕号".into()),
        });
        let d = outcome("甲公司", &f).decision.unwrap();
        assert_eq!(
            d.summary,
            "甲公司因未按规定开展安全培训，被处以罚款人民币20000元。"
        );
    }
}

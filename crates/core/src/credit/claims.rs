//! 理赔: a claim on a policy after an accident of the insured enterprise (an incident the
//! platform recorded), its amounts in exact 分 and its steps: reported → accepted → paid, or
//! refused with a reason.

use super::insurance::parse_fen;
use crate::kernel::role::Role;
use crate::kernel::validation::{self as v, Errors, Invalid};

pub const CLAIM_NOT_FOUND: &str = "理赔不存在或不在您的管辖范围内";
pub const NOT_A_CLAIM_DECIDER: &str = "仅承保的保险机构可以受理、赔付或拒赔";
pub const INCIDENT_NOT_OF_ENTERPRISE: &str = "所选事故不是该保单投保企业的事故";

/// May report a claim: the insured enterprise, its insurer, the departments and the bureau.
pub fn may_report(role: Role) -> bool {
    super::insurance::may_write_policies(role)
}

/// May accept, pay or refuse a claim: the insurer (and the administrators, to correct).
pub fn may_decide(role: Role) -> bool {
    matches!(role, Role::Insurer | Role::Admin)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ClaimInput {
    pub policy_id: String,
    pub incident_id: String,
    /// 索赔金额, 元.
    pub claimed: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedClaim {
    pub claimed_fen: i64,
    pub description: Option<String>,
}

pub fn check_claim(input: &ClaimInput) -> Result<CheckedClaim, Invalid> {
    let mut e = Errors::default();
    if input.policy_id.trim().is_empty() {
        e.add("policy_id", "请选择保单");
    }
    if input.incident_id.trim().is_empty() {
        e.add("incident_id", "请选择事故");
    }
    let claimed = e.check("claimed", parse_fen("索赔金额", &input.claimed));
    if claimed == Some(0) {
        e.add("claimed", "索赔金额须大于0");
    }
    let description = e
        .check(
            "description",
            v::optional_text("情况说明", input.description.as_deref().unwrap_or(""), 2000),
        )
        .flatten();
    match claimed {
        Some(claimed_fen) if e.is_empty() => Ok(CheckedClaim {
            claimed_fen,
            description,
        }),
        _ => Err(e.into_invalid()),
    }
}

/// A step on a claim.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ClaimStep {
    /// accept, pay or refuse.
    pub action: String,
    /// 赔付金额 (pay), 元.
    pub paid: Option<String>,
    /// 拒赔理由 (refuse).
    pub reason: Option<String>,
}

/// What a checked step does: the new status, the amount paid and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct StepOutcome {
    pub status: &'static str,
    pub paid_fen: Option<i64>,
    pub reason: Option<String>,
}

/// Checks a step from `status`: accept a reported claim; pay or refuse a reported or accepted
/// one (paying at most the claimed amount); a paid or refused claim is closed.
pub fn check_step(
    status: &str,
    claimed_fen: i64,
    step: &ClaimStep,
) -> Result<StepOutcome, Invalid> {
    let open = matches!(status, "reported" | "accepted");
    let closed = || {
        Invalid::one(
            "action",
            format!("该理赔已{}，不能再办理", status_label(status)),
        )
    };
    match step.action.trim() {
        "accept" if status == "reported" => Ok(StepOutcome {
            status: "accepted",
            paid_fen: None,
            reason: None,
        }),
        "accept" => Err(Invalid::one("action", "只有已报案的理赔可以受理")),
        "pay" if open => {
            let paid = parse_fen("赔付金额", step.paid.as_deref().unwrap_or(""))
                .map_err(|m| Invalid::one("paid", m))?;
            if paid == 0 || paid > claimed_fen {
                return Err(Invalid::one("paid", "赔付金额须大于0且不超过索赔金额"));
            }
            Ok(StepOutcome {
                status: "paid",
                paid_fen: Some(paid),
                reason: None,
            })
        }
        "refuse" if open => {
            let reason = v::required_text("拒赔理由", step.reason.as_deref().unwrap_or(""), 1000)
                .map_err(|m| Invalid::one("reason", m))?;
            Ok(StepOutcome {
                status: "refused",
                paid_fen: None,
                reason: Some(reason),
            })
        }
        "pay" | "refuse" => Err(closed()),
        other => Err(Invalid::one(
            "action",
            format!("操作“{other}”无效，可选 accept、pay、refuse"),
        )),
    }
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "reported" => "报案",
        "accepted" => "受理",
        "paid" => "赔付",
        "refused" => "拒赔",
        _ => "",
    }
}

pub fn claim_summary(number: &str) -> String {
    format!("保单 {number} 报案理赔")
}
pub fn step_summary(number: &str, status: &str) -> String {
    format!("保单 {number} 理赔{}", status_label(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(action: &str, paid: Option<&str>, reason: Option<&str>) -> ClaimStep {
        ClaimStep {
            action: action.into(),
            paid: paid.map(Into::into),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn steps_follow_the_loop() {
        assert_eq!(
            check_step("reported", 100, &step("accept", None, None))
                .unwrap()
                .status,
            "accepted"
        );
        let p = check_step("accepted", 10_000, &step("pay", Some("80.5"), None)).unwrap();
        assert_eq!((p.status, p.paid_fen), ("paid", Some(8_050)));
        assert_eq!(
            check_step("accepted", 100, &step("pay", Some("2"), None))
                .unwrap_err()
                .0[0]
                .field,
            "paid"
        );
        assert_eq!(
            check_step("reported", 100, &step("refuse", None, Some(" ")))
                .unwrap_err()
                .0[0]
                .field,
            "reason"
        );
        assert!(check_step("paid", 100, &step("refuse", None, Some("x"))).is_err());
        assert!(check_step("accepted", 100, &step("accept", None, None)).is_err());
        assert!(check_step("reported", 100, &step("close", None, None)).is_err());
    }

    #[test]
    fn a_claim_names_its_bad_fields() {
        let e = check_claim(&ClaimInput {
            claimed: "1.001".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["policy_id", "incident_id", "claimed"]);
    }
}

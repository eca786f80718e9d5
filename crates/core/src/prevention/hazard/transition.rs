//! The closed loop as a state machine: who stands how to a hazard, the facts a step depends
//! on, and whether a step is allowed (vectors §9.8, H04).

use super::{Action, HazardConfig, HazardLevel, Status};
use crate::kernel::role::Role;

/// How the caller stands to one hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// 负有监管职责的部门 and bureau leadership (admin, commander, department staff, inspector).
    Regulator,
    /// 属地: street and community staff.
    Local,
    /// A user of the enterprise the hazard belongs to.
    OwnEnterprise,
    /// 专家: may record an evaluation.
    Expert,
    /// Anyone else who can see it (grid workers, duty officers): may only report and read.
    Observer,
}

impl Standing {
    pub fn of(role: Role, own_enterprise: bool) -> Self {
        match role {
            Role::Admin | Role::Commander | Role::DepartmentStaff | Role::Inspector => {
                Self::Regulator
            }
            Role::StreetStaff => Self::Local,
            Role::EnterpriseUser if own_enterprise => Self::OwnEnterprise,
            Role::Expert => Self::Expert,
            _ => Self::Observer,
        }
    }
    fn is_government(self) -> bool {
        matches!(self, Self::Regulator | Self::Local)
    }
}

/// The facts about a hazard a transition depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct HazardFacts {
    pub status: Status,
    pub level: HazardLevel,
    /// Whether the hazard belongs to an enterprise (else a place such as a street or a bridge).
    pub has_enterprise: bool,
    pub reporter_id: Option<String>,
    /// Who submitted the rectification (for the acceptor rule).
    pub rectifier_id: Option<String>,
    pub has_plan: bool,
    pub has_evaluation: bool,
    pub extension_pending: bool,
    pub listed: bool,
}

// Long because: one match over the actions is the loop's state table, a short rule per arm.
/// Checks that `actor` in `standing` may apply `action` now; returns the status afterwards.
/// The error is the Chinese reason the API returns with 409 (or 403 for a role problem).
pub fn transition(
    facts: &HazardFacts,
    action: Action,
    standing: Standing,
    actor_id: &str,
    cfg: &HazardConfig,
) -> Result<Status, Refusal> {
    use Action::*;
    use Status::*;
    let s = facts.status;
    let rectifier_side = match standing {
        Standing::OwnEnterprise => true,
        Standing::Regulator | Standing::Local => !facts.has_enterprise,
        _ => false,
    };
    let forbid = |who: &str| Err(Refusal::Forbidden(format!("{who}才能{}", action.label())));
    let conflict = |why: String| Err(Refusal::Conflict(why));
    let wrong_state = || {
        Err(Refusal::Conflict(format!(
            "隐患当前为“{}”，不能{}",
            s.label(),
            action.label()
        )))
    };
    match action {
        Grade => {
            if s != Registered {
                return wrong_state();
            }
            if !(standing.is_government() || standing == Standing::OwnEnterprise) {
                return forbid("监管部门、属地人员或本企业");
            }
            Ok(Rectifying)
        }
        SubmitPlan | Evaluate => {
            if s != Rectifying {
                return wrong_state();
            }
            if facts.level != HazardLevel::Major {
                return conflict("治理方案和治理评估只用于重大隐患".into());
            }
            let may = rectifier_side || (action == Evaluate && standing == Standing::Expert);
            if !may {
                return forbid(if action == Evaluate {
                    "整改责任方或专家"
                } else {
                    "整改责任方"
                });
            }
            if action == Evaluate && !facts.has_plan {
                return conflict("请先提交治理方案，再进行治理评估".into());
            }
            Ok(Rectifying)
        }
        SubmitRectification => {
            if s != Rectifying {
                return wrong_state();
            }
            if !rectifier_side {
                return forbid("整改责任方");
            }
            if facts.level == HazardLevel::Major && !(facts.has_plan && facts.has_evaluation) {
                return conflict(
                    "重大隐患须先提交治理方案（六项内容）并完成治理评估，才能申请销号".into(),
                );
            }
            Ok(PendingAcceptance)
        }
        Accept | Reject => {
            if s != PendingAcceptance {
                return wrong_state();
            }
            if facts.level == HazardLevel::Major {
                if standing != Standing::Regulator {
                    return forbid("负有监管职责的部门审核后");
                }
            } else if !(standing.is_government() || standing == Standing::OwnEnterprise) {
                return forbid("监管部门、属地人员或本企业");
            }
            if action == Accept {
                if cfg.acceptor_differs_from_rectifier
                    && facts.rectifier_id.as_deref() == Some(actor_id)
                {
                    return conflict("验收人不能是整改人，请由其他人员验收".into());
                }
                if cfg.acceptor_differs_from_reporter
                    && facts.reporter_id.as_deref() == Some(actor_id)
                {
                    return conflict("验收人不能是上报人，请由其他人员验收".into());
                }
                Ok(Closed)
            } else {
                Ok(Rectifying)
            }
        }
        RequestExtension => {
            if s != Rectifying {
                return wrong_state();
            }
            if !rectifier_side {
                return forbid("整改责任方");
            }
            if facts.extension_pending {
                return conflict("已有待审批的延期申请".into());
            }
            Ok(Rectifying)
        }
        DecideExtension => {
            if !facts.extension_pending {
                return conflict("没有待审批的延期申请".into());
            }
            let may = standing == Standing::Regulator
                || (standing == Standing::Local && facts.level == HazardLevel::General);
            if !may {
                return forbid("监管部门");
            }
            Ok(s)
        }
        Escalate => {
            if !s.is_open() {
                return wrong_state();
            }
            if facts.level == HazardLevel::Major {
                return conflict("该隐患已是重大隐患".into());
            }
            if !standing.is_government() {
                return forbid("监管部门或属地人员");
            }
            Ok(s)
        }
        Transfer => {
            if !s.is_open() {
                return wrong_state();
            }
            if !standing.is_government() {
                return forbid("监管部门或属地人员");
            }
            Ok(s)
        }
        Dismiss => {
            if s != Registered {
                return wrong_state();
            }
            if !standing.is_government() {
                return forbid("监管部门或属地人员");
            }
            Ok(Dismissed)
        }
        List => {
            if !matches!(s, Rectifying | PendingAcceptance) {
                return conflict(format!(
                    "隐患当前为“{}”，须定级后、销号前才能挂牌督办",
                    s.label()
                ));
            }
            if facts.level != HazardLevel::Major {
                return conflict("只有重大隐患才能挂牌督办".into());
            }
            if facts.listed {
                return conflict("该隐患已挂牌督办".into());
            }
            if standing != Standing::Regulator {
                return forbid("区应急局或负有监管职责的部门");
            }
            Ok(s)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The role may not do this (403).
    Forbidden(String),
    /// The state does not allow it (409).
    Conflict(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: Status, level: HazardLevel) -> HazardFacts {
        HazardFacts {
            status,
            level,
            has_enterprise: true,
            reporter_id: Some("reporter".into()),
            rectifier_id: Some("rectifier".into()),
            has_plan: false,
            has_evaluation: false,
            extension_pending: false,
            listed: false,
        }
    }

    #[test]
    fn h04_major_cannot_close_without_plan_evaluation_and_review() {
        let cfg = HazardConfig::default();
        let mut f = facts(Status::Rectifying, HazardLevel::Major);
        let r = transition(
            &f,
            Action::SubmitRectification,
            Standing::OwnEnterprise,
            "x",
            &cfg,
        );
        assert!(matches!(r, Err(Refusal::Conflict(m)) if m.contains("治理方案")));
        let r = transition(&f, Action::Accept, Standing::Regulator, "boss", &cfg);
        assert!(matches!(r, Err(Refusal::Conflict(_))));
        f.has_plan = true;
        f.has_evaluation = true;
        assert_eq!(
            transition(
                &f,
                Action::SubmitRectification,
                Standing::OwnEnterprise,
                "x",
                &cfg
            ),
            Ok(Status::PendingAcceptance)
        );
        f.status = Status::PendingAcceptance;
        // Only the regulator's review closes a 重大 hazard.
        assert!(matches!(
            transition(&f, Action::Accept, Standing::OwnEnterprise, "boss", &cfg),
            Err(Refusal::Forbidden(_))
        ));
        assert_eq!(
            transition(&f, Action::Accept, Standing::Regulator, "regulator", &cfg),
            Ok(Status::Closed)
        );
    }

    #[test]
    fn h04_rectifier_cannot_accept_own_work() {
        let cfg = HazardConfig::default();
        let f = facts(Status::PendingAcceptance, HazardLevel::General);
        let r = transition(
            &f,
            Action::Accept,
            Standing::OwnEnterprise,
            "rectifier",
            &cfg,
        );
        assert!(matches!(r, Err(Refusal::Conflict(m)) if m.contains("整改人")));
        assert_eq!(
            transition(&f, Action::Accept, Standing::OwnEnterprise, "manager", &cfg),
            Ok(Status::Closed)
        );
        let lax = HazardConfig {
            acceptor_differs_from_rectifier: false,
            ..HazardConfig::default()
        };
        assert!(
            transition(
                &f,
                Action::Accept,
                Standing::OwnEnterprise,
                "rectifier",
                &lax
            )
            .is_ok()
        );
    }

    #[test]
    fn wrong_state_and_roles() {
        let cfg = HazardConfig::default();
        let f = facts(Status::Registered, HazardLevel::General);
        assert!(matches!(
            transition(&f, Action::Accept, Standing::Regulator, "a", &cfg),
            Err(Refusal::Conflict(_))
        ));
        assert!(matches!(
            transition(&f, Action::Grade, Standing::Observer, "a", &cfg),
            Err(Refusal::Forbidden(_))
        ));
        let mut major = facts(Status::Rectifying, HazardLevel::Major);
        assert!(transition(&major, Action::List, Standing::Regulator, "a", &cfg).is_ok());
        assert!(matches!(
            transition(&major, Action::List, Standing::Local, "a", &cfg),
            Err(Refusal::Forbidden(_))
        ));
        major.listed = true;
        assert!(transition(&major, Action::List, Standing::Regulator, "a", &cfg).is_err());
        let general = facts(Status::Rectifying, HazardLevel::General);
        assert!(transition(&general, Action::List, Standing::Regulator, "a", &cfg).is_err());
        assert!(transition(&general, Action::Escalate, Standing::Local, "a", &cfg).is_ok());
    }
}

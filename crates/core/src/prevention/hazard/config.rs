//! The district's rules of the loop: who may accept, and the 挂牌督办 escalation steps.

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// Per-district rules of the loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HazardConfig {
    /// 验收人不得为整改人 (the reference's recommendation).
    pub acceptor_differs_from_rectifier: bool,
    /// 验收人不得为上报人.
    pub acceptor_differs_from_reporter: bool,
    /// 挂牌督办 escalation after the listing deadline.
    pub escalation_steps: Vec<EscalationStep>,
}

impl Default for HazardConfig {
    fn default() -> Self {
        Self {
            acceptor_differs_from_rectifier: true,
            acceptor_differs_from_reporter: false,
            escalation_steps: vec![
                EscalationStep::new("letter", "函告", 1),
                EscalationStep::new("notice", "通报", 7),
                EscalationStep::new("interview", "约谈", 15),
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    pub code: String,
    pub label: String,
    /// Fires at 00:00 (Asia/Shanghai) this many days after the listing deadline.
    pub days_after_deadline: i64,
}

impl EscalationStep {
    pub fn new(code: &str, label: &str, days: i64) -> Self {
        Self {
            code: code.into(),
            label: label.into(),
            days_after_deadline: days,
        }
    }
}

impl HazardConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = crate::kernel::validation::Errors::default();
        let mut last = 0;
        for (i, s) in self.escalation_steps.iter().enumerate() {
            if s.code.trim().is_empty() || s.label.trim().is_empty() {
                errs.add(
                    &format!("escalation_steps[{i}]"),
                    "督办升级步骤的代码和名称不能为空",
                );
            }
            if s.days_after_deadline < 1 || s.days_after_deadline > 365 {
                errs.add(
                    &format!("escalation_steps[{i}].days_after_deadline"),
                    "督办升级步骤的天数应为 1 至 365",
                );
            } else if s.days_after_deadline <= last {
                errs.add(
                    &format!("escalation_steps[{i}].days_after_deadline"),
                    "督办升级步骤的天数应逐级递增",
                );
            }
            last = s.days_after_deadline;
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_validation() {
        assert!(HazardConfig::default().validate().is_ok());
        let bad = HazardConfig {
            escalation_steps: vec![
                EscalationStep::new("a", "函告", 5),
                EscalationStep::new("b", "通报", 3),
            ],
            ..HazardConfig::default()
        };
        assert!(bad.validate().is_err());
    }
}

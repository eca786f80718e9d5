//! A district's configurable rules for 双重预防: risk banding and the hazard loop. They are
//! versioned per district in the store; these defaults are the national values of the reference.

use crate::prevention::hazard::HazardConfig;
use crate::prevention::risk::RiskConfig;
use serde::{Deserialize, Serialize};

/// A district code that names no district.
pub fn district_unknown(code: &str) -> String {
    format!("辖区“{code}”不存在，请填写区县的6位区划代码")
}

/// A new version of a district's rules in the audit log.
pub fn rules_saved(district: &str, version: i64) -> String {
    format!("修改{district}双重预防规则，版本 {version}")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DistrictRules {
    pub risk: RiskConfig,
    pub hazard: HazardConfig,
    pub alarm: crate::monitoring::alarm::AlarmConfig,
    pub incident: crate::response::incident::IncidentConfig,
    /// 靶向预警: susceptibility, actions and 叫应 deadlines.
    pub warning: crate::warning::target::TargetingConfig,
    /// 执法监管: the 重点检查 minimums and the yearly cap of the annual plans.
    pub enforcement: crate::enforcement::plan::PlanConfig,
    /// 执法统计与考评: the thresholds of the 零处罚 and 执法宽松软 flags.
    pub enforcement_stats: crate::enforcement::stats::StatsConfig,
    /// 每日安全承诺 and 履职报告: who commits, the deadlines.
    pub credit_commitments: crate::credit::commitments::CommitmentConfig,
    /// 准入负面清单 / 禁限控目录.
    pub credit_admission: crate::credit::admission::AdmissionConfig,
    /// 安责险: the industries where the insurance is mandatory (安全生产法 第五十一条).
    pub insurance: crate::credit::coverage::CoverageConfig,
    /// 森林防火: 防火期, the forest authority, the stop level.
    pub forest: crate::disasters::forest::ForestConfig,
    /// 网格事件: the catalogue with its deadlines, the dispatch rules (大分拨), 督办.
    pub grid_events: crate::grid::events_config::GridEventConfig,
    /// 有奖举报: the reward table (19号's structure) and the reward officers.
    pub grid_rewards: crate::grid::rewards::RewardConfig,
}

use crate::kernel::validation::FieldError;

impl DistrictRules {
    pub fn validate(&self) -> Result<(), crate::Invalid> {
        let mut all = Vec::new();
        // Field names are paths in the rules document, as the console's form binds them.
        fn prefixed(prefix: &'static str, e: crate::Invalid) -> impl Iterator<Item = FieldError> {
            e.0.into_iter().map(move |mut f| {
                f.field = format!("{prefix}.{}", f.field);
                f
            })
        }
        if let Err(e) = self.risk.validate() {
            all.extend(prefixed("risk", e));
        }
        if let Err(e) = self.hazard.validate() {
            all.extend(prefixed("hazard", e));
        }
        if let Err(e) = self.alarm.validate() {
            all.extend(prefixed("alarm", e));
        }
        if let Err(e) = self.incident.validate() {
            all.extend(prefixed("incident", e));
        }
        if let Err(e) = self.warning.validate() {
            all.extend(prefixed("warning", e));
        }
        if let Err(e) = self.enforcement.validate() {
            all.extend(prefixed("enforcement", e));
        }
        if let Err(e) = self.enforcement_stats.validate() {
            all.extend(prefixed("enforcement_stats", e));
        }
        if let Err(e) = self.credit_commitments.validate() {
            all.extend(prefixed("credit_commitments", e));
        }
        if let Err(e) = self.credit_admission.validate() {
            all.extend(prefixed("credit_admission", e));
        }
        if let Err(e) = self.insurance.validate() {
            all.extend(prefixed("insurance", e));
        }
        if let Err(e) = self.forest.validate() {
            all.extend(prefixed("forest", e));
        }
        if let Err(e) = self.grid_events.validate() {
            all.extend(prefixed("grid_events", e));
        }
        if let Err(e) = self.grid_rewards.validate() {
            all.extend(prefixed("grid_rewards", e));
        }
        if all.is_empty() {
            Ok(())
        } else {
            Err(crate::Invalid(all))
        }
    }
}

//! A district's configurable rules for 双重预防: risk banding and the hazard loop. They are
//! versioned per district in the store; these defaults are the national values of the reference.

use crate::hazard::HazardConfig;
use crate::risk::RiskConfig;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DistrictRules {
    pub risk: RiskConfig,
    pub hazard: HazardConfig,
}

impl DistrictRules {
    pub fn validate(&self) -> Result<(), crate::Invalid> {
        let mut all = Vec::new();
        if let Err(e) = self.risk.validate() {
            all.extend(e.0);
        }
        if let Err(e) = self.hazard.validate() {
            all.extend(e.0);
        }
        if all.is_empty() {
            Ok(())
        } else {
            Err(crate::Invalid(all))
        }
    }
}

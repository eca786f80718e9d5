//! API types of prevention::criteria: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use yingji_core::prevention::hazard::Criterion;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CriterionRow {
    #[serde(flatten)]
    pub criterion: Criterion,
    pub active: bool,
}

impl From<yingji_store::prevention::criteria::CriterionRow> for CriterionRow {
    fn from(v: yingji_store::prevention::criteria::CriterionRow) -> Self {
        Self {
            criterion: v.criterion,
            active: v.active,
        }
    }
}

//! API types of kernel::audit: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;
use yingji_core::kernel::audit::ChainBreak;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    pub checked: u64,
    pub first_break: Option<ChainBreak>,
}

impl From<yingji_store::kernel::audit::VerifyReport> for VerifyReport {
    fn from(v: yingji_store::kernel::audit::VerifyReport) -> Self {
        Self {
            checked: v.checked,
            first_break: v.first_break,
        }
    }
}

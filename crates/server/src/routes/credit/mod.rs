//! 企业主体责任与信用 (issue 22).

mod commitments;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(commitments::router())
}

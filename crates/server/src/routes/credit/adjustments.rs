//! 信用调整: a department adjusts a rating with a written reason (audited, in the history).

use super::rating::CreditReplay;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::kernel::clock::today;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(adjust))
}

/// An adjustment: points (negative deducts) and the written reason.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditAdjustmentInput {
    /// 调整分值 (−100…100, not 0).
    pub points: i32,
    /// 调整理由.
    pub reason: String,
}

/// 调整信用评分 of an enterprise the caller supervises; answers the new rating.
#[utoipa::path(post, path = "/api/v1/credit/ratings/{enterprise_id}/adjustments", tag = "信用脸谱", request_body = CreditAdjustmentInput, responses((status = 201, body = CreditReplay), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn adjust(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
    ApiJson(input): ApiJson<CreditAdjustmentInput>,
) -> ApiResult<(StatusCode, Json<CreditReplay>)> {
    let now = app.clock.now_ms();
    let r = yingji_app::credit::adjustments::adjust(
        &app.store,
        &ctx(&caller),
        now,
        &enterprise_id,
        input.points,
        &input.reason,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreditReplay {
            as_of: today(now).to_string(),
            scheme_version: 0,
            tier: r.tier,
            score: r.score,
            reasons: r.reasons,
        }),
    ))
}

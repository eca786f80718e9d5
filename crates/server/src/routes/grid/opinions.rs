//! 舆情 entries: the duty room registers what the monitoring found as a grid event.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, IdempotencyKey, ctx};
use crate::routes::grid::events_api::GridEventDetail;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::opinions as uc;
use yingji_core::grid::events::EventInput;
use yingji_core::grid::opinions::OpinionInput;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

/// A 舆情 as the duty room registers it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridOpinionInput {
    /// 发布平台: 微博, 微信, 抖音, 新闻网站 …
    pub platform: String,
    /// 原文链接 (http or https).
    #[serde(default)]
    pub url: Option<String>,
    /// 热度 (阅读、转发、评论 as the monitoring counts them).
    #[serde(default)]
    pub heat: Option<i64>,
    /// especially (Ⅰ级特别重大) / major (Ⅱ级重大) / larger (Ⅲ级较大) / general (Ⅳ级一般).
    pub level: String,
    /// A code of the catalogue (`/api/v1/grid/categories`).
    pub category: String,
    pub title: String,
    /// 舆情摘要.
    pub summary: String,
    /// The street, community or grid it concerns.
    pub region_code: String,
    /// The place, when known (else the region's centre).
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub address: Option<String>,
}

/// 登记舆情: dispatched by the rules like any event; the level tightens the deadlines (舆情分级
/// 响应) and a 重大 or 特别重大 舆情 is reported to the bureau's leaders at once.
#[utoipa::path(post, path = "/api/v1/grid/opinions", tag = "网格事件", params(crate::routes::kernel::api::idempotency::IdempotencyHeader), request_body = GridOpinionInput, responses((status = 201, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(input): ApiJson<GridOpinionInput>,
) -> ApiResult<(StatusCode, Json<GridEventDetail>)> {
    let c = ctx(&caller);
    let event = EventInput {
        category: input.category,
        title: Some(input.title),
        description: input.summary,
        lon: input.lon,
        lat: input.lat,
        region_code: input.region_code,
        address: input.address,
        enterprise_id: None,
        reporter_name: None,
        reporter_phone: None,
        occurred_at: None,
    };
    let opinion = OpinionInput {
        platform: input.platform,
        url: input.url,
        heat: input.heat,
        level: input.level,
    };
    let now = app.clock.now_ms();
    let d = uc::enter(&app.store, &c, now, (&event, &opinion), key.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(GridEventDetail::seen_by(d, &c))))
}

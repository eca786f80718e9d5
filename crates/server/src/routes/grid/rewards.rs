//! 有奖举报: the reward officer's queue and steps (核查, 认定, 奖励决定, 发放) and the
//! reporter's claim (no login, limited per address and per tracking code).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, client_ip, ctx};
use crate::routes::grid::rewards_api::{
    GridRewardItem, GridRewardList, GridRewardTable, IdentifyInput, PayInput, RewardClaim,
    RewardClaimInput, VerifyInput,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::rewards as uc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(table))
        .routes(routes!(get))
        .routes(routes!(verify))
        .routes(routes!(identify))
        .routes(routes!(decide))
        .routes(routes!(pay))
        .routes(routes!(claim))
        .layer(axum::middleware::map_response(no_store))
}

/// The reporter in full and the amounts: never kept by a browser or a proxy.
async fn no_store(mut r: axum::response::Response) -> axum::response::Response {
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RewardQuery {
    /// pending / verified / rejected / identified / decided / paid
    pub status: Option<String>,
}

/// 举报奖励: the reward officer's queue of public reports.
#[utoipa::path(get, path = "/api/v1/grid/rewards", tag = "举报奖励", params(RewardQuery), responses((status = 200, body = GridRewardList), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RewardQuery>,
) -> ApiResult<Json<GridRewardList>> {
    let c = ctx(&caller);
    let items = uc::queue(&app.store, &c, q.status.as_deref()).await?;
    Ok(Json(GridRewardList {
        items: items
            .into_iter()
            .map(|i| GridRewardItem::for_officer(i, &c))
            .collect(),
    }))
}

/// 举报奖励标准: whether the caller is a reward officer and their district's table.
#[utoipa::path(get, path = "/api/v1/grid/rewards/table", tag = "举报奖励", responses((status = 200, body = GridRewardTable)))]
pub async fn table(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<GridRewardTable>> {
    let (officer, rows) = uc::table(&app.store, &ctx(&caller)).await?;
    Ok(Json(GridRewardTable {
        officer,
        rows,
        methods: yingji_core::grid::rewards::METHODS
            .iter()
            .map(|m| m.to_string())
            .collect(),
    }))
}

/// One public report with its reward.
#[utoipa::path(get, path = "/api/v1/grid/rewards/{id}", tag = "举报奖励", params(("id" = String, Path)), responses((status = 200, body = GridRewardItem), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GridRewardItem>> {
    let c = ctx(&caller);
    let i = uc::detail(&app.store, &c, &id).await?;
    let proposal = uc::proposal(&app.store, &i).await?;
    Ok(Json(
        GridRewardItem::for_officer(i, &c).with_proposal(proposal),
    ))
}

/// 核查: the report is true or not.
#[utoipa::path(post, path = "/api/v1/grid/rewards/{id}/verify", tag = "举报奖励", params(("id" = String, Path)), request_body = VerifyInput, responses((status = 200, body = GridRewardItem), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn verify(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<VerifyInput>,
) -> ApiResult<Json<GridRewardItem>> {
    let c = ctx(&caller);
    let now = app.clock.now_ms();
    let i = uc::verify(&app.store, &c, now, &id, (input.truthful, &input.note)).await?;
    Ok(Json(GridRewardItem::for_officer(i, &c)))
}

/// 认定: the row of the district's table (kind and gravity), the fine, the hazard or case.
#[utoipa::path(post, path = "/api/v1/grid/rewards/{id}/identify", tag = "举报奖励", params(("id" = String, Path)), request_body = IdentifyInput, responses((status = 200, body = GridRewardItem), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn identify(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<IdentifyInput>,
) -> ApiResult<Json<GridRewardItem>> {
    let c = ctx(&caller);
    let i = uc::Identification {
        row_code: input.row_code,
        fine_yuan: input.fine_yuan,
        deaths: input.deaths,
        hazard_id: input.hazard_id,
        case_id: input.case_id,
        note: input.note,
    };
    let i = uc::identify(&app.store, &c, app.clock.now_ms(), &id, i).await?;
    let proposal = uc::proposal(&app.store, &i).await?;
    Ok(Json(
        GridRewardItem::for_officer(i, &c).with_proposal(proposal),
    ))
}

/// 奖励决定: the amount from the district's table.
#[utoipa::path(post, path = "/api/v1/grid/rewards/{id}/decide", tag = "举报奖励", params(("id" = String, Path)), responses((status = 200, body = GridRewardItem), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GridRewardItem>> {
    let c = ctx(&caller);
    let i = uc::decide(&app.store, &c, app.clock.now_ms(), &id).await?;
    Ok(Json(GridRewardItem::for_officer(i, &c)))
}

/// 发放: the date, the method, the reference.
#[utoipa::path(post, path = "/api/v1/grid/rewards/{id}/pay", tag = "举报奖励", params(("id" = String, Path)), request_body = PayInput, responses((status = 200, body = GridRewardItem), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn pay(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PayInput>,
) -> ApiResult<Json<GridRewardItem>> {
    let c = ctx(&caller);
    let p = (
        input.paid_on.as_str(),
        input.method.as_str(),
        input.reference.as_deref().unwrap_or(""),
    );
    let i = uc::pay(&app.store, &c, app.clock.now_ms(), &id, p).await?;
    Ok(Json(GridRewardItem::for_officer(i, &c)))
}

/// 领取举报奖励 (no login): the tracking code and the phone given at the report. Limited per
/// address; five wrong tries lock the tracking code for an hour.
#[utoipa::path(post, path = "/api/public/rewards/claim", tag = "公众", request_body = RewardClaimInput, responses((status = 200, body = RewardClaim), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn claim(
    State(app): State<AppState>,
    parts: Parts,
    ApiJson(input): ApiJson<RewardClaimInput>,
) -> ApiResult<Json<RewardClaim>> {
    let now = app.clock.now_ms();
    let key = format!(
        "reward-claim:{}",
        client_ip(&parts).as_deref().unwrap_or("?")
    );
    app.public_limiter
        .check(&key, now, "查询过于频繁，请稍后再试")
        .await?;
    let a = uc::claim(&app.store, now, &input.tracking_code, &input.phone).await?;
    Ok(Json(RewardClaim {
        amount: a.amount,
        status: a.status,
        message: a.message,
    }))
}

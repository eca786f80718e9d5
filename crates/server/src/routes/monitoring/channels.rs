//! 通知渠道: group robots, webhooks, mailboxes and phone lists that 叫应 steps reach, and what
//! the outbox did with each message.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::kernel::api::outbox::Delivery;
use crate::routes::monitoring::api::channels::Channel;
use crate::routes::monitoring::api::channels::ChannelInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yingji_store::kernel::outbox;
use yingji_store::kernel::outbox::ListBy;
use yingji_store::monitoring::channels;
use yingji_store::{Page, monitoring};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChannelQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 通知渠道列表 within the caller's scope. Secrets are never shown.
#[utoipa::path(get, path = "/api/v1/notify-channels", tag = "重大危险源", params(ChannelQuery), responses((status = 200, body = ListResponse<Channel>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ChannelQuery>,
) -> ApiResult<Json<ListResponse<Channel>>> {
    let (items, total) =
        channels::list(&app.store, &caller.scope, Page::new(q.page, q.page_size)).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 登记通知渠道 for an enterprise, a department, or a street's or district's duty group.
#[utoipa::path(post, path = "/api/v1/notify-channels", tag = "重大危险源", request_body = ChannelInput, responses((status = 201, body = Channel), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ChannelInput>,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    let c = yingji_app::monitoring::channels::create(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

#[utoipa::path(get, path = "/api/v1/notify-channels/{id}", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = Channel), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Channel>> {
    Ok(Json(
        channels::get(&app.store, &caller.scope, &id).await?.into(),
    ))
}

/// 修改通知渠道: name, address, secret (absent keeps it, "" removes it), on/off.
#[utoipa::path(put, path = "/api/v1/notify-channels/{id}", tag = "重大危险源", params(("id" = String, Path)), request_body = ChannelInput, responses((status = 200, body = Channel), (status = 400, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ChannelInput>,
) -> ApiResult<Json<Channel>> {
    let c = yingji_app::monitoring::channels::update(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &id,
        &input.into(),
    )
    .await?;
    Ok(Json(c.into()))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Queued {
    /// The outbox message's id.
    pub id: String,
}

/// 发送测试消息: queued like any other; its fate shows in the channel's deliveries.
#[utoipa::path(post, path = "/api/v1/notify-channels/{id}/test", tag = "重大危险源", params(("id" = String, Path)), responses((status = 202, body = Queued), (status = 404, body = crate::error::ErrorBody)))]
pub async fn test(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<Queued>)> {
    let id = yingji_app::monitoring::channels::send_test(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &id,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { id })))
}

/// 发送记录 of a channel: the newest 200 messages with status, attempts and last error.
#[utoipa::path(get, path = "/api/v1/notify-channels/{id}/deliveries", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = Vec<Delivery>)))]
pub async fn channel_deliveries(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Delivery>>> {
    channels::get(&app.store, &caller.scope, &id).await?;
    Ok(Json(
        outbox::list(&app.store, ListBy::Channel, &id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 通知记录 of an alarm: every robot, webhook, email and SMS its 叫应 steps sent.
#[utoipa::path(get, path = "/api/v1/alarms/{id}/deliveries", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = Vec<Delivery>)))]
pub async fn alarm_deliveries(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Delivery>>> {
    monitoring::get_alarm(&app.store, &caller.scope, &id).await?;
    Ok(Json(
        outbox::list(&app.store, ListBy::Subject, &id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

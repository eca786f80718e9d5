//! Alarms: list, stream, actions, events, analytics, turning an alarm into a hazard; the monitored-object status board.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::monitoring::api::alarms::Alarm;
use crate::routes::monitoring::api::alarms::AlarmAction;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;
use yingji_store::Page;
use yingji_store::monitoring;

/// 报警实时推送 (Server-Sent Events): an `alarm` event with the incident for each new alarm the
/// caller may see, whichever node opened it; `resync` when the stream fell behind (or the node
/// missed other nodes' messages) and the board should reload.
#[utoipa::path(get, path = "/api/v1/alarms/stream", tag = "重大危险源", responses((status = 200, content_type = "text/event-stream")))]
pub async fn alarm_stream(
    State(app): State<AppState>,
    caller: Caller,
) -> Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>> {
    use tokio::sync::broadcast::error::RecvError;
    let rx = app.alarm_feed.subscribe();
    let stream =
        futures_util::stream::unfold((rx, app, caller), |(mut rx, app, caller)| async move {
            loop {
                let event = match rx.recv().await {
                    // The node's listener missed messages (on PostgreSQL, reconnected).
                    Ok(id) if id == crate::live::RESYNC => {
                        Event::default().event("resync").data("{}")
                    }
                    Ok(id) => match monitoring::get_alarm(&app.store, &caller.scope, &id).await {
                        Ok(a) => Event::default()
                            .event("alarm")
                            .data(serde_json::to_string(&a).unwrap_or_default()),
                        // Not in the caller's scope (or gone): nothing to say.
                        Err(_) => continue,
                    },
                    Err(RecvError::Lagged(_)) => Event::default().event("resync").data("{}"),
                    Err(RecvError::Closed) => return None,
                };
                return Some((Ok(event), (rx, app, caller)));
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlarmQuery {
    /// true (default): incidents not yet closed.
    pub open: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 报警列表, newest first.
#[utoipa::path(get, path = "/api/v1/alarms", tag = "重大危险源", params(AlarmQuery), responses((status = 200, body = ListResponse<Alarm>)))]
pub async fn list_alarms(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AlarmQuery>,
) -> ApiResult<Json<ListResponse<Alarm>>> {
    let (items, total) = monitoring::list_alarms(
        &app.store,
        &caller.scope,
        q.open.unwrap_or(true),
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

#[utoipa::path(get, path = "/api/v1/alarms/{id}", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = Alarm), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_alarm(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Alarm>> {
    let now = app.clock.now_ms();
    let a = monitoring::get_alarm(&app.store, &caller.scope, &id).await?;
    Ok(Json(
        yingji_store::monitoring::alarm_hazards::with_proposal(&app.store, a, now)
            .await?
            .into(),
    ))
}

/// 转为隐患: the alarm becomes a hidden hazard (source 监测预警) in the closed loop, with the
/// alarm, the sensor and the readings around it as evidence; at most once per alarm.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/hazard", tag = "重大危险源", params(("id" = String, Path)), request_body = crate::routes::monitoring::api::alarm_hazards::ToHazardInput, responses((status = 200, body = Alarm), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn alarm_to_hazard(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<crate::routes::monitoring::api::alarm_hazards::ToHazardInput>,
) -> ApiResult<Json<Alarm>> {
    Ok(Json(
        yingji_app::monitoring::alarms::convert(
            &app.store,
            &caller.actor(),
            &caller.scope,
            caller.role(),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// 监测对象状态: every monitored enterprise and public object in scope with its status colour
/// (红/橙/黄/绿 by the district's rule) and its 重大危险源's colours, worst first.
#[utoipa::path(get, path = "/api/v1/monitoring/status", tag = "重大危险源", responses((status = 200, body = Vec<crate::routes::monitoring::api::alarm_status::MonitoredObject>)))]
pub async fn status(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<crate::routes::monitoring::api::alarm_status::MonitoredObject>>> {
    Ok(Json(
        yingji_store::monitoring::alarm_status::board(
            &app.store,
            &caller.scope,
            app.clock.now_ms(),
        )
        .await?
        .into_iter()
        .map(Into::into)
        .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsQuery {
    /// First day (YYYY-MM-DD, Asia/Shanghai); default 29 days before `to`.
    pub from: Option<String>,
    /// Last day, inclusive; default today.
    pub to: Option<String>,
}

/// 报警统计分析: per day by level, per enterprise, time to acknowledge, 叫应率, noisiest sensors.
#[utoipa::path(get, path = "/api/v1/alarms/analytics", tag = "重大危险源", params(AnalyticsQuery), responses((status = 200, body = yingji_core::monitoring::alarm_stats::AlarmStats), (status = 400, body = crate::error::ErrorBody)))]
pub async fn analytics(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AnalyticsQuery>,
) -> ApiResult<Json<yingji_core::monitoring::alarm_stats::AlarmStats>> {
    let (from, to) =
        crate::routes::day_range(app.clock.now_ms(), q.from.as_deref(), q.to.as_deref())?;
    let records =
        yingji_store::monitoring::alarm_status::records(&app.store, &caller.scope, from, to)
            .await?;
    Ok(Json(yingji_core::monitoring::alarm_stats::summarize(
        &records, 10,
    )))
}

/// 处置记录: the incident's history, oldest first.
#[utoipa::path(get, path = "/api/v1/alarms/{id}/events", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = Vec<crate::routes::monitoring::api::alarms::AlarmEvent>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn alarm_events(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<crate::routes::monitoring::api::alarms::AlarmEvent>>> {
    Ok(Json(
        monitoring::alarm_events(&app.store, &caller.scope, &id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 确认（叫应）/ 处置 / 关闭: acknowledgement stops the 叫应 chain; closing needs a disposition.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/actions", tag = "重大危险源", params(("id" = String, Path)), request_body = AlarmAction, responses((status = 200, body = Alarm), (status = 409, body = crate::error::ErrorBody)))]
pub async fn act_alarm(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AlarmAction>,
) -> ApiResult<Json<Alarm>> {
    Ok(Json(
        yingji_app::monitoring::alarms::act(
            &app.store,
            &caller.actor(),
            &caller.scope,
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

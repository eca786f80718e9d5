//! 重大危险源监测预警: the register of major hazard installations (GB 18218-2018) with their
//! computed S, R and level.

use super::ListResponse;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, Reporter, string_or_number};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;
use yingji_core::prevention::major_hazard::{UnitChemical, figure, identify};
use yingji_ingest::payload::{ReadingPayload, decode_batch};
use yingji_store::Page;
use yingji_store::monitoring::{self, Alarm, AlarmAction, IngestReport, Sensor, SensorInput};
use yingji_store::prevention::major_hazards::{
    self, MajorHazard, MajorHazardFilter, MajorHazardInput,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MajorHazardQuery {
    pub enterprise_id: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    /// 1 (一级) … 4 (四级)
    pub level: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 重大危险源列表, 一级 first.
#[utoipa::path(get, path = "/api/v1/major-hazards", tag = "重大危险源", params(MajorHazardQuery), responses((status = 200, body = ListResponse<MajorHazard>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MajorHazardQuery>,
) -> ApiResult<Json<ListResponse<MajorHazard>>> {
    if q.level.is_some_and(|l| !(1..=4).contains(&l)) {
        return Err(ApiError::field("level", "级别应为 1（一级）至 4（四级）"));
    }
    let f = MajorHazardFilter {
        enterprise_id: q.enterprise_id.clone(),
        region: q.region.clone(),
        level: q.level,
    };
    let (items, total) = major_hazards::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse { items, total }))
}

/// 登记重大危险源单元: S, R and the level are computed from the chemicals and the population.
#[utoipa::path(post, path = "/api/v1/major-hazards", tag = "重大危险源", request_body = MajorHazardInput, responses((status = 201, body = MajorHazard), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<MajorHazardInput>,
) -> ApiResult<(StatusCode, Json<MajorHazard>)> {
    let m = major_hazards::create(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[utoipa::path(get, path = "/api/v1/major-hazards/{id}", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = MajorHazard), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<MajorHazard>> {
    Ok(Json(
        major_hazards::get(&app.store, &caller.scope, &id).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifyInput {
    pub chemicals: Vec<UnitChemical>,
    pub population_500m: u32,
}

/// 辨识与分级试算 (nothing is stored): S, whether it is a 重大危险源, α, R and the level.
#[utoipa::path(post, path = "/api/v1/major-hazards/identify", tag = "重大危险源", request_body = IdentifyInput, responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
pub async fn preview(
    _caller: Caller,
    ApiJson(input): ApiJson<IdentifyInput>,
) -> ApiResult<Json<serde_json::Value>> {
    let i = identify(&input.chemicals, input.population_500m)
        .map_err(yingji_store::StoreError::from)?;
    Ok(Json(serde_json::json!({
        "s_value": figure(i.s),
        "is_major": i.is_major,
        "alpha": i.alpha.to_decimal(1),
        "r_value": i.r.map(figure),
        "level": i.level.map(|l| l.number()),
        "level_label": i.level.map(|l| l.label()),
    })))
}

/// GB 18218-2018 tables: 表1 (节选) chemicals with Q and β, 表3, 表4 categories, α and level bands.
#[utoipa::path(get, path = "/api/v1/major-hazards/tables", tag = "重大危险源", responses((status = 200, body = Object)))]
pub async fn tables(_caller: Caller) -> Json<serde_json::Value> {
    Json(yingji_core::prevention::major_hazard::tables())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SensorQuery {
    pub enterprise_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 监测点列表.
#[utoipa::path(get, path = "/api/v1/sensors", tag = "重大危险源", params(SensorQuery), responses((status = 200, body = ListResponse<Sensor>)))]
pub async fn list_sensors(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SensorQuery>,
) -> ApiResult<Json<ListResponse<Sensor>>> {
    let (items, total) = monitoring::list_sensors(
        &app.store,
        &caller.scope,
        q.enterprise_id.as_deref(),
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse { items, total }))
}

/// One 监测点 with its thresholds and newest value.
#[utoipa::path(get, path = "/api/v1/sensors/{id}", tag = "重大危险源", responses((status = 200, body = Sensor), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_sensor(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Sensor>> {
    Ok(Json(
        monitoring::get_sensor(&app.store, &caller.scope, &id).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrendQuery {
    /// Start, ms since the epoch; default one hour before `to_ms`.
    pub from_ms: Option<i64>,
    /// End (exclusive), ms since the epoch; default now.
    pub to_ms: Option<i64>,
    /// Without `from_ms`: the span before `to_ms`, in ms; default one hour.
    pub span_ms: Option<i64>,
}

/// 监测趋势: raw readings for spans up to 2 hours, otherwise buckets of the 1-minute rollups
/// (average, minimum, maximum per bucket), at most 800 points.
#[utoipa::path(get, path = "/api/v1/sensors/{id}/trend", tag = "重大危险源", params(TrendQuery), responses((status = 200, body = yingji_store::monitoring::trends::Trend), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn sensor_trend(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TrendQuery>,
) -> ApiResult<Json<yingji_store::monitoring::trends::Trend>> {
    const DAY: i64 = 86_400_000;
    let now = app.clock.now_ms();
    // Nothing lies ahead of now: a later end is drawn up to now.
    let to = q.to_ms.unwrap_or(now).min(now + 1);
    let from = q
        .from_ms
        .unwrap_or(to.saturating_sub(q.span_ms.unwrap_or(3_600_000)));
    if from >= to {
        return Err(ApiError::field("from_ms", "开始时间应早于结束时间"));
    }
    if to.saturating_sub(from) > 400 * DAY {
        return Err(ApiError::field("from_ms", "查询时段不能超过 400 天"));
    }
    if to < 0 {
        return Err(ApiError::field("to_ms", "结束时间超出范围"));
    }
    Ok(Json(
        yingji_store::monitoring::trends::trend(
            &app.store,
            &caller.scope,
            &id,
            from,
            to,
            now,
            app.cfg.retention,
        )
        .await?,
    ))
}

/// 登记监测点 with its thresholds (LL < L < H < HH), hysteresis and offline timeout.
#[utoipa::path(post, path = "/api/v1/sensors", tag = "重大危险源", request_body = SensorInput, responses((status = 201, body = Sensor), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_sensor(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<SensorInput>,
) -> ApiResult<(StatusCode, Json<Sensor>)> {
    let s = monitoring::create_sensor(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// 修改监测点: thresholds, names, owner; the code stays. Every node's ingest writer checks the
/// next readings against the new definition.
#[utoipa::path(put, path = "/api/v1/sensors/{id}", tag = "重大危险源", request_body = SensorInput, responses((status = 200, body = Sensor), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_sensor(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SensorInput>,
) -> ApiResult<Json<Sensor>> {
    let who = monitoring::Who {
        actor: &caller.actor(),
        scope: &caller.scope,
        role: caller.role(),
    };
    Ok(Json(
        monitoring::update_sensor(&app.store, who, app.clock.now_ms(), &id, &input).await?,
    ))
}

/// 批量上报监测数据 (HTTP bulk ingest). A gateway authenticates with HTTP Basic (its code and
/// secret, as for MQTT); a user or API token may report too. Idempotent by sensor and time;
/// readings of sensors outside the sender's enterprise or region are refused and counted, never
/// stored. The whole batch is refused, with the index of each bad reading, if any is malformed.
/// The answer comes after the readings and the alarms they raise are committed.
#[utoipa::path(post, path = "/api/v1/readings", tag = "重大危险源", request_body = Vec<ReadingPayload>, responses((status = 200, body = IngestReport), (status = 400, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn ingest(
    State(app): State<AppState>,
    reporter: Reporter,
    ApiJson(batch): ApiJson<Vec<ReadingPayload>>,
) -> ApiResult<Json<IngestReport>> {
    let readings =
        decode_batch(&batch, app.clock.now_ms()).map_err(yingji_store::StoreError::from)?;
    let report = app
        .ingest
        .submit(reporter.scope().clone(), readings)
        .await
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "ingest_failed", e))?;
    if let (Reporter::Gateway(g), false) = (&reporter, report.refused.is_empty()) {
        let message = format!(
            "监测点未登记或不属于本网关，数据未保存：{}",
            report.refused.join("、")
        );
        app.ingest.stats.fault(&g.code, app.clock.now_ms(), message);
    }
    Ok(Json(report))
}

/// 报警实时推送 (Server-Sent Events): an `alarm` event with the incident for each new alarm the
/// caller may see; `resync` when the stream fell behind and the board should reload.
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
    Ok(Json(ListResponse { items, total }))
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
        yingji_store::monitoring::alarm_hazards::with_proposal(&app.store, a, now).await?,
    ))
}

/// 转为隐患: the alarm becomes a hidden hazard (source 监测预警) in the closed loop, with the
/// alarm, the sensor and the readings around it as evidence; at most once per alarm.
#[utoipa::path(post, path = "/api/v1/alarms/{id}/hazard", tag = "重大危险源", params(("id" = String, Path)), request_body = yingji_store::monitoring::alarm_hazards::ToHazardInput, responses((status = 200, body = Alarm), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn alarm_to_hazard(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<yingji_store::monitoring::alarm_hazards::ToHazardInput>,
) -> ApiResult<Json<Alarm>> {
    Ok(Json(
        yingji_store::monitoring::alarm_hazards::convert(
            &app.store,
            &caller.actor(),
            &caller.scope,
            caller.role(),
            app.clock.now_ms(),
            &id,
            &input,
        )
        .await?,
    ))
}

/// 监测对象状态: every monitored enterprise and public object in scope with its status colour
/// (红/橙/黄/绿 by the district's rule) and its 重大危险源's colours, worst first.
#[utoipa::path(get, path = "/api/v1/monitoring/status", tag = "重大危险源", responses((status = 200, body = Vec<yingji_store::monitoring::alarm_status::MonitoredObject>)))]
pub async fn status(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<yingji_store::monitoring::alarm_status::MonitoredObject>>> {
    Ok(Json(
        yingji_store::monitoring::alarm_status::board(
            &app.store,
            &caller.scope,
            app.clock.now_ms(),
        )
        .await?,
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
    let (from, to) = super::day_range(app.clock.now_ms(), q.from.as_deref(), q.to.as_deref())?;
    let records =
        yingji_store::monitoring::alarm_status::records(&app.store, &caller.scope, from, to)
            .await?;
    Ok(Json(yingji_core::monitoring::alarm_stats::summarize(
        &records, 10,
    )))
}

/// 处置记录: the incident's history, oldest first.
#[utoipa::path(get, path = "/api/v1/alarms/{id}/events", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = Vec<monitoring::AlarmEvent>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn alarm_events(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<monitoring::AlarmEvent>>> {
    Ok(Json(
        monitoring::alarm_events(&app.store, &caller.scope, &id).await?,
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
        monitoring::act(
            &app.store,
            &caller.actor(),
            &caller.scope,
            app.clock.now_ms(),
            &id,
            &input,
        )
        .await?,
    ))
}

//! 重大危险源监测预警: the register of major hazard installations (GB 18218-2018) with their
//! computed S, R and level.

use super::ListResponse;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, string_or_number};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;
use yingji_core::alarm::Milli4;
use yingji_core::major_hazard::{UnitChemical, identify};
use yingji_store::Page;
use yingji_store::major_hazards::{self, MajorHazard, MajorHazardFilter, MajorHazardInput};
use yingji_store::monitoring::{
    self, Alarm, AlarmAction, IngestReport, ReadingIn, Sensor, SensorInput,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
        "s_value": i.s.to_decimal(2),
        "is_major": i.is_major,
        "alpha": i.alpha.to_decimal(1),
        "r_value": i.r.map(|r| r.to_decimal(2)),
        "level": i.level.map(|l| l.number()),
        "level_label": i.level.map(|l| l.label()),
    })))
}

/// GB 18218-2018 tables: 表1 (节选) chemicals with Q and β, 表3, 表4 categories, α and level bands.
#[utoipa::path(get, path = "/api/v1/major-hazards/tables", tag = "重大危险源", responses((status = 200, body = Object)))]
pub async fn tables(_caller: Caller) -> Json<serde_json::Value> {
    Json(yingji_core::major_hazard::tables())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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

/// One reading: `{"sensor": "LT-101", "ts": "2026-11-24T10:00:00+08:00", "value": 12.34, "q": "good"}`.
/// `ts` may be RFC 3339 with an offset, a zone-less local time (read as +08:00) or epoch ms;
/// `value` a number or a decimal string.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingPayload {
    pub sensor: String,
    #[schema(value_type = Object)]
    pub ts: serde_json::Value,
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    #[serde(default)]
    pub q: Option<String>,
}

/// 批量上报监测数据 (HTTP bulk ingest). Idempotent by sensor and time; readings of sensors outside
/// the caller's scope are refused and counted, never stored. The whole batch is refused, with the
/// index of each bad reading, if any reading is malformed.
#[utoipa::path(post, path = "/api/v1/readings", tag = "重大危险源", request_body = Vec<ReadingPayload>, responses((status = 200, body = IngestReport), (status = 400, body = crate::error::ErrorBody)))]
pub async fn ingest(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(batch): ApiJson<Vec<ReadingPayload>>,
) -> ApiResult<Json<IngestReport>> {
    let now = app.clock.now_ms();
    if batch.len() > 5000 {
        return Err(ApiError::field("readings", "每批至多 5000 条监测数据"));
    }
    let mut errs = yingji_core::validation::Errors::default();
    let mut readings = Vec::with_capacity(batch.len());
    for (i, r) in batch.iter().enumerate() {
        match decode_reading(r, now) {
            Ok(r) => readings.push(r),
            Err((field, msg)) => errs.add(&format!("[{i}].{field}"), msg),
        }
    }
    if !errs.is_empty() {
        return Err(yingji_store::StoreError::from(errs.into_invalid()).into());
    }
    let report = monitoring::ingest(&app.store, &caller.scope, now, &readings).await?;
    if !report.opened_alarm_ids.is_empty() {
        // The first 叫应 step is due now; the board hears of the incident at once.
        app.timer_wake.notify_one();
        for id in &report.opened_alarm_ids {
            let _ = app.alarm_feed.send(id.clone());
        }
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

/// Readings more than 5 minutes ahead of the server or older than 7 days are refused.
const FUTURE_MS: i64 = 5 * 60_000;
const PAST_MS: i64 = 7 * 86_400_000;

fn decode_reading(r: &ReadingPayload, now_ms: i64) -> Result<ReadingIn, (&'static str, String)> {
    let sensor = r.sensor.trim();
    if sensor.is_empty() || sensor.len() > 64 {
        return Err(("sensor", "监测点编码不能为空且不超过 64 个字符".into()));
    }
    let value_text = match &r.value {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        _ => String::new(),
    };
    let value =
        Milli4::parse(&value_text).ok_or(("value", format!("监测值“{value_text}”不是有效数字")))?;
    let at_ms = match &r.ts {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => yingji_core::clock::parse_instant(s).ok(),
        _ => None,
    }
    .ok_or((
        "ts",
        "时间应为带时区的时间、北京时间或毫秒时间戳".to_string(),
    ))?;
    if at_ms > now_ms + FUTURE_MS || at_ms < now_ms - PAST_MS {
        return Err(("ts", "时间超出可接受范围（未来 5 分钟至过去 7 天）".into()));
    }
    let quality = r.q.as_deref().unwrap_or("good").to_ascii_lowercase();
    if !["good", "bad", "uncertain"].contains(&quality.as_str()) {
        return Err(("q", "数据质量应为 good、bad 或 uncertain".into()));
    }
    Ok(ReadingIn {
        sensor: sensor.to_string(),
        at_ms,
        value,
        quality,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
    Ok(Json(
        monitoring::get_alarm(&app.store, &caller.scope, &id).await?,
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

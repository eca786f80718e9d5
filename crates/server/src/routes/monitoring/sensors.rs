//! 重大危险源监测预警: the register of major hazard installations (GB 18218-2018) with their
//! computed S, R and level.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, Reporter};
use crate::routes::ListResponse;
use crate::routes::monitoring::api::Sensor;
use crate::routes::monitoring::api::SensorInput;
use crate::routes::monitoring::api::ingest::IngestReport;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_ingest::payload::{ReadingPayload, decode_batch};
use yingji_store::Page;
use yingji_store::monitoring;

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
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// One 监测点 with its thresholds and newest value.
#[utoipa::path(get, path = "/api/v1/sensors/{id}", tag = "重大危险源", responses((status = 200, body = Sensor), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_sensor(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Sensor>> {
    Ok(Json(
        monitoring::get_sensor(&app.store, &caller.scope, &id)
            .await?
            .into(),
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
#[utoipa::path(get, path = "/api/v1/sensors/{id}/trend", tag = "重大危险源", params(TrendQuery), responses((status = 200, body = crate::routes::monitoring::api::trends::Trend), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn sensor_trend(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TrendQuery>,
) -> ApiResult<Json<crate::routes::monitoring::api::trends::Trend>> {
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
        .await?
        .into(),
    ))
}

/// 登记监测点 with its thresholds (LL < L < H < HH), hysteresis and offline timeout.
#[utoipa::path(post, path = "/api/v1/sensors", tag = "重大危险源", request_body = SensorInput, responses((status = 201, body = Sensor), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_sensor(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<SensorInput>,
) -> ApiResult<(StatusCode, Json<Sensor>)> {
    let s = yingji_app::monitoring::sensors::create_sensor(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
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
        yingji_app::monitoring::sensors::update_sensor(
            &app.store,
            who,
            app.clock.now_ms(),
            &id,
            &input.try_into()?,
        )
        .await?
        .into(),
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
    Ok(Json(report.into()))
}

//! 12345/12350 热线: the platform's signed webhook (no session; machine to machine, answered in
//! the hotline's status codes) and the duty room's import of the platform's export file with
//! its template. The protocol: docs/grid/hotline.md.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, client_ip, ctx};
use crate::routes::kernel::imports::read_sheet;
use crate::spreadsheet;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::hotline::{self as uc, Outcome};
use yingji_core::grid::hotline::{
    Answer, OrderInput, check_timestamp, row_error, signature_matches,
};
use yingji_core::kernel::validation::FieldError;
use yingji_store::StoreError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive))
        .routes(routes!(import))
        .routes(routes!(template))
}

/// The answer of every call of the webhook, in the hotline's status codes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HotlineAnswer {
    /// received / duplicate / bad_signature / stale_timestamp / invalid_field /
    /// unknown_district / rate_limited / server_error
    pub code: String,
    /// Chinese, for people; a bad field's names the field.
    pub message: String,
    /// The grid event's code (received and duplicate).
    pub event_code: Option<String>,
    /// The first bad field (invalid_field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every bad field (invalid_field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<HotlineFieldError>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HotlineFieldError {
    pub field: String,
    pub message: String,
}

fn answer(a: Answer, event_code: Option<String>) -> Response {
    reply(a, a.message().to_string(), event_code, vec![])
}

fn reply(a: Answer, message: String, event_code: Option<String>, bad: Vec<FieldError>) -> Response {
    let status = StatusCode::from_u16(a.http_status()).unwrap_or(StatusCode::OK);
    let body = HotlineAnswer {
        code: a.code().into(),
        message,
        event_code,
        field: bad.first().map(|e| e.field.clone()),
        details: (!bad.is_empty()).then(|| {
            bad.into_iter()
                .map(|e| HotlineFieldError {
                    field: e.field,
                    message: e.message,
                })
                .collect()
        }),
    };
    (status, Json(body)).into_response()
}

fn invalid(bad: Vec<FieldError>) -> Response {
    let message = bad
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；");
    reply(Answer::InvalidField, message, None, bad)
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// A text field of the order: absent or null is None; another type names the field.
fn text(v: &Value, field: &str, bad: &mut Vec<FieldError>) -> Option<String> {
    match v.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            bad.push(FieldError::new(field, format!("字段 {field} 应为字符串")));
            None
        }
    }
}

/// A coordinate: a number or a numeric string.
fn number(v: &Value, field: &str, bad: &mut Vec<FieldError>) -> Option<f64> {
    let n = match v.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    if n.is_none() {
        bad.push(FieldError::new(
            field,
            format!("字段 {field} 应为数字（WGS84 经纬度）"),
        ));
    }
    n
}

/// The order in the webhook's JSON body; every field of the wrong type is named.
fn order_of(v: &Value) -> Result<OrderInput, Vec<FieldError>> {
    let mut bad = Vec::new();
    let o = OrderInput {
        platform: text(v, "platform", &mut bad).unwrap_or_default(),
        order_no: text(v, "order_no", &mut bad).unwrap_or_default(),
        category: text(v, "category", &mut bad).unwrap_or_default(),
        title: text(v, "title", &mut bad),
        content: text(v, "content", &mut bad).unwrap_or_default(),
        address: text(v, "address", &mut bad),
        street_code: text(v, "street_code", &mut bad),
        lon: number(v, "lon", &mut bad),
        lat: number(v, "lat", &mut bad),
        caller_name: text(v, "caller_name", &mut bad),
        caller_phone: text(v, "caller_phone", &mut bad),
        accept_deadline: text(v, "accept_deadline", &mut bad),
        finish_deadline: text(v, "finish_deadline", &mut bad),
    };
    if bad.is_empty() { Ok(o) } else { Err(bad) }
}

/// The key refused calls of an address count against.
fn refused_key(parts: &Parts) -> String {
    format!(
        "hotline-refused:{}",
        client_ip(parts).as_deref().unwrap_or("?")
    )
}

/// 12345/12350 热线工单推送 (no session): `X-Hotline-District` (the district's code),
/// `X-Hotline-Timestamp` (unix seconds, within 300 s) and `X-Hotline-Signature`
/// (`sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>`) with the district's hotline
/// connection's secret. The same order number answers `duplicate` with the first event's code
/// and stores nothing. Refused calls count against the address (the public limit per minute).
#[utoipa::path(post, path = "/api/hotline/orders", tag = "网格事件",
    request_body(content = Value, content_type = "application/json"),
    params(("X-Hotline-District" = String, Header), ("X-Hotline-Timestamp" = String, Header), ("X-Hotline-Signature" = String, Header)),
    responses((status = 200, body = HotlineAnswer), (status = 400, body = HotlineAnswer), (status = 401, body = HotlineAnswer),
        (status = 404, body = HotlineAnswer), (status = 429, body = HotlineAnswer), (status = 500, body = HotlineAnswer)))]
pub async fn receive(State(app): State<AppState>, parts: Parts, body: Bytes) -> Response {
    let now = app.clock.now_ms();
    let key = refused_key(&parts);
    let refuse = async |a: Answer| {
        if let Err(e) = app.public_limiter.retry_after(&key, now).await {
            tracing::warn!(error = %e.message, "refused hotline call not counted");
        }
        answer(a, None)
    };
    match app.public_limiter.over(&key, now).await {
        Ok(false) => {}
        Ok(true) => return answer(Answer::RateLimited, None),
        Err(e) => {
            tracing::error!(error = %e.message, "hotline rate limit not read");
            return answer(Answer::ServerError, None);
        }
    }
    let h = &parts.headers;
    let Ok(ts) = check_timestamp(header(h, "x-hotline-timestamp"), now) else {
        return refuse(Answer::StaleTimestamp).await;
    };
    let district = header(h, "x-hotline-district")
        .unwrap_or("")
        .trim()
        .to_string();
    let connection = match district.len() {
        6 => yingji_store::grid::hotline::connection(&app.store, &district).await,
        _ => Ok(None),
    };
    let secret = match connection {
        Ok(Some((_, _, secret))) => secret.unwrap_or_default(),
        Ok(None) => return refuse(Answer::UnknownDistrict).await,
        Err(e) => {
            tracing::error!(error = %e, "hotline connection lookup failed");
            return answer(Answer::ServerError, None);
        }
    };
    if !signature_matches(&secret, ts, &body, header(h, "x-hotline-signature")) {
        return refuse(Answer::BadSignature).await;
    }
    let input = match serde_json::from_slice::<Value>(&body) {
        Ok(v) if v.is_object() => order_of(&v),
        _ => Err(vec![FieldError::new("body", "请求体应为工单 JSON 对象")]),
    };
    let input = match input {
        Ok(i) => i,
        Err(bad) => return invalid(bad),
    };
    match uc::receive(&app.store, now, (&district, client_ip(&parts)), &input).await {
        Ok(Outcome::Received(code)) => {
            app.timer_wake.notify_one();
            answer(Answer::Received, Some(code))
        }
        Ok(Outcome::Duplicate(code)) => answer(Answer::Duplicate, Some(code)),
        Err(StoreError::Invalid(inv)) => invalid(inv.0),
        Err(e) => {
            tracing::error!(error = %e, "hotline order not stored");
            answer(Answer::ServerError, None)
        }
    }
}

/// What an import did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HotlineImportReport {
    pub total_rows: usize,
    pub imported: usize,
    /// Rows whose order number was already received (or repeated in the file).
    pub skipped: usize,
}

/// The template's columns: (header, field). Headers of the platform's export are matched by
/// name; the English field names are accepted too.
const COLUMNS: [(&str, &str); 13] = [
    ("工单编号", "order_no"),
    ("热线平台", "platform"),
    ("工单分类", "category"),
    ("工单标题", "title"),
    ("诉求内容", "content"),
    ("地址", "address"),
    ("街道编码", "street_code"),
    ("经度", "lon"),
    ("纬度", "lat"),
    ("来电人", "caller_name"),
    ("来电号码", "caller_phone"),
    ("签收时限", "accept_deadline"),
    ("办结时限", "finish_deadline"),
];

/// The sheet as read: the columns' positions from the header row, then the rows.
#[derive(Default)]
struct Sheet {
    columns: Vec<Option<&'static str>>,
    rows: Vec<(usize, Vec<String>)>,
}

fn push(s: &mut Sheet, row_no: usize, cells: &[String]) -> bool {
    if s.columns.is_empty() {
        s.columns = cells
            .iter()
            .map(|c| {
                let c = c.trim();
                COLUMNS
                    .iter()
                    .find(|(h, f)| *h == c || *f == c)
                    .map(|(_, f)| *f)
            })
            .collect();
        return true;
    }
    s.rows.push((row_no, cells.to_vec()));
    true
}

/// One row as an order; a coordinate that is not a number is named with its row.
fn row_order(
    columns: &[Option<&'static str>],
    (row, cells): &(usize, Vec<String>),
) -> Result<OrderInput, FieldError> {
    let mut v = serde_json::Map::new();
    for (i, cell) in cells.iter().enumerate() {
        if let Some(Some(f)) = columns.get(i) {
            v.insert((*f).into(), Value::String(cell.trim().to_string()));
        }
    }
    order_of(&Value::Object(v)).map_err(|mut bad| {
        let e = bad.remove(0);
        FieldError::new(e.field, row_error(*row, &e.message))
    })
}

/// 导入热线工单 (值班员, 局领导, 系统管理员): the body is the platform's export file (.xlsx, .xls
/// or .csv, checked by content) with the template's headers. Every row is checked first; any
/// bad row stores nothing (400, each error "第 3 行：…" with its field); orders already
/// received are skipped and counted.
#[utoipa::path(post, path = "/api/v1/grid/hotline/import", tag = "网格事件",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = HotlineImportReport), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody)))]
pub async fn import(
    State(app): State<AppState>,
    caller: Caller,
    req: Request,
) -> ApiResult<Json<HotlineImportReport>> {
    let c = ctx(&caller);
    if !yingji_core::grid::events::may_dispatch(c.role) {
        return Err(ApiError::forbidden(
            yingji_core::grid::hotline::NOT_AN_IMPORTER,
        ));
    }
    let sheet = read_sheet(&app, req, Sheet::default(), push).await?;
    if !sheet.columns.contains(&Some("order_no")) || !sheet.columns.contains(&Some("content")) {
        return Err(ApiError::field(
            "file",
            "文件缺少“工单编号”或“诉求内容”列，请使用下载的模板",
        ));
    }
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut bad = Vec::new();
    for r in &sheet.rows {
        match row_order(&sheet.columns, r) {
            Ok(o) => rows.push((r.0, o)),
            Err(e) => bad.push(e),
        }
    }
    if !bad.is_empty() {
        return Err(StoreError::Invalid(yingji_core::kernel::validation::Invalid(bad)).into());
    }
    let done = uc::import(&app.store, &c, app.clock.now_ms(), &rows).await?;
    app.timer_wake.notify_one();
    Ok(Json(HotlineImportReport {
        total_rows: done.total,
        imported: done.imported,
        skipped: done.skipped,
    }))
}

/// The import template (.xlsx) with an example row and notes.
#[utoipa::path(get, path = "/api/v1/grid/hotline/import/template", tag = "网格事件",
    responses((status = 200, description = "热线工单导入模板.xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn template(_caller: Caller) -> ApiResult<Response> {
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    let example: Vec<String> = [
        "GD202612050001",
        "12345",
        "gas",
        "",
        "小区地下车库燃气管道有明显异味",
        "甘棠北路 12 号",
        "",
        "115.99",
        "29.71",
        "张三",
        "13812345678",
        "2026-12-05 12:00",
        "2026-12-08 18:00",
    ]
    .map(String::from)
    .to_vec();
    let notes = vec![
        vec!["列".to_string(), "说明".to_string()],
        vec![
            "工单编号".into(),
            "热线平台的工单编号，必填；已受理过的工单跳过".into(),
        ],
        vec!["热线平台".into(), "12345 或 12350".into()],
        vec![
            "工单分类".into(),
            "本区事件目录的分类编码；不在目录中的按“其他”受理".into(),
        ],
        vec![
            "经度/纬度".into(),
            "WGS84；不填时按街道（或区）中心定位并提示核实".into(),
        ],
        vec![
            "签收时限/办结时限".into(),
            "热线平台的时限，如 2026-12-05 12:00；不填按分类时限".into(),
        ],
    ];
    let bytes =
        spreadsheet::write_xlsx("热线工单", &headers, &[example], Some(("填写说明", notes)))
            .map_err(ApiError::internal)?;
    Ok(spreadsheet::xlsx_response(bytes, "热线工单导入模板.xlsx"))
}

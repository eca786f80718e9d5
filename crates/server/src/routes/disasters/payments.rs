//! 一卡通 payment batches: make one, 公示 it (the public list page), record objections, export
//! the bank's payment file (.xlsx/.csv, the only place with the full card number), import the
//! bank's results.

use super::relief_api::{Batch, BatchIn, ObjectionIn, PublicList};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, client_ip, ctx};
use crate::routes::kernel::imports::{read_sheet, report};
use crate::spreadsheet;
use crate::spreadsheet::table::neutralise;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::payments::{self as app_payments, BatchInput};
use yingji_core::credit::insurance::fen_to_yuan;
use yingji_core::disasters::payments::{FILE_HEADERS, LineInput, Status};
use yingji_store::disasters::payments as store_payments;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_batch))
        .routes(routes!(get_batch))
        .routes(routes!(publish_batch))
        .routes(routes!(object_line))
        .routes(routes!(export_batch))
        .routes(routes!(payment_file))
        .routes(routes!(import_results))
        .routes(routes!(public_list))
}

/// 编制发放批次 (草稿) from entries of one phase and township.
#[utoipa::path(post, path = "/api/v1/disasters/relief/batches", tag = "救助", request_body = BatchIn, responses((status = 201, body = Batch), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_batch(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<BatchIn>,
) -> ApiResult<(StatusCode, Json<Batch>)> {
    let c = ctx(&caller);
    let input = BatchInput {
        process_id: b.process_id,
        phase: b.phase,
        township: b.township,
        lines: b
            .lines
            .into_iter()
            .map(|l| LineInput {
                entry_id: l.entry_id,
                amount: l.amount,
            })
            .collect(),
    };
    let id = app_payments::create(&app.store, &c, app.clock.now_ms(), &input).await?;
    let batch = app_payments::get(&app.store, &c, &id).await?;
    Ok((StatusCode::CREATED, Json(batch.into())))
}

/// A batch with its lines (card and ID numbers masked).
#[utoipa::path(get, path = "/api/v1/disasters/relief/batches/{id}", tag = "救助", params(("id" = String, Path)), responses((status = 200, body = Batch), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_batch(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Batch>> {
    Ok(Json(
        app_payments::get(&app.store, &ctx(&caller), &id)
            .await?
            .into(),
    ))
}

/// 公示: 草稿 → 公示中 for the district's days; at the end the batch becomes 待发放.
#[utoipa::path(post, path = "/api/v1/disasters/relief/batches/{id}/publish", tag = "救助", params(("id" = String, Path)), responses((status = 200, body = Batch), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn publish_batch(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Batch>> {
    let b = app_payments::publish(&app.store, &ctx(&caller), app.clock.now_ms(), &id).await?;
    Ok(Json(b.into()))
}

/// 公示异议: the line leaves the list.
#[utoipa::path(post, path = "/api/v1/disasters/relief/batches/{id}/objections", tag = "救助", params(("id" = String, Path)), request_body = ObjectionIn, responses((status = 200, body = Batch), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn object_line(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(o): ApiJson<ObjectionIn>,
) -> ApiResult<Json<Batch>> {
    let now = app.clock.now_ms();
    let b =
        app_payments::object(&app.store, &ctx(&caller), now, &id, &o.line_id, &o.reason).await?;
    Ok(Json(b.into()))
}

/// 导出: 待发放 → 已导出; the payment file can then be downloaded.
#[utoipa::path(post, path = "/api/v1/disasters/relief/batches/{id}/export", tag = "救助", params(("id" = String, Path)), responses((status = 200, body = Batch), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn export_batch(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Batch>> {
    let b = app_payments::export(&app.store, &ctx(&caller), app.clock.now_ms(), &id).await?;
    Ok(Json(b.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    /// xlsx (default) / csv
    pub format: Option<String>,
}

fn csv_field(s: &str) -> String {
    let s = neutralise(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// 一卡通发放文件: reference, name, ID number, card number in full, amount, village of every
/// line to pay. Once exported (or done).
#[utoipa::path(get, path = "/api/v1/disasters/relief/batches/{id}/payment-file", tag = "救助", params(("id" = String, Path), FileQuery), responses(
    (status = 200, description = "一卡通发放文件", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))),
    (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn payment_file(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FileQuery>,
) -> ApiResult<Response> {
    let b = app_payments::get(&app.store, &ctx(&caller), &id).await?;
    if !matches!(b.status, Status::Exported | Status::Done) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("批次当前为“{}”，导出后才能下载发放文件", b.status.label()),
        ));
    }
    let rows: Vec<Vec<String>> = b
        .lines
        .iter()
        .filter(|l| l.state == "active" || l.state == "paid" || l.state == "failed")
        .map(|l| {
            vec![
                l.reference.clone(),
                l.name.clone(),
                l.id_number.clone(),
                l.card_number.clone(),
                fen_to_yuan(l.amount_fen),
                l.village.clone(),
            ]
        })
        .collect();
    let name = format!("一卡通发放_{}", b.code);
    match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => {
            let bytes = spreadsheet::write_xlsx("发放明细", &FILE_HEADERS, &rows, None)
                .map_err(ApiError::internal)?;
            Ok(spreadsheet::xlsx_response(bytes, &format!("{name}.xlsx")))
        }
        "csv" => {
            let mut out = String::from("\u{feff}");
            for r in
                std::iter::once(FILE_HEADERS.iter().map(|s| s.to_string()).collect()).chain(rows)
            {
                let line: Vec<String> = r.iter().map(|c: &String| csv_field(c)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
            let disposition = format!(
                "attachment; filename=\"payments.csv\"; filename*=UTF-8''{}",
                spreadsheet::utf8_percent(&format!("{name}.csv"))
            );
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition)
                            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
                    ),
                ],
                out,
            )
                .into_response())
        }
        other => Err(ApiError::field(
            "format",
            format!("格式“{other}”无效，应为xlsx或csv"),
        )),
    }
}

/// 导入发放结果 (.xlsx/.csv as the body; columns 参考号, 结果 成功/失败, 原因): every line to pay
/// needs its result; one bad row and nothing is stored (422 with the report).
#[utoipa::path(post, path = "/api/v1/disasters/relief/batches/{id}/results", tag = "救助", params(("id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = Batch), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_results(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Json<Batch>> {
    let c = ctx(&caller);
    // Refused before the upload is read.
    app_payments::get(&app.store, &c, &id).await?;
    let rows: Vec<Vec<String>> = read_sheet(&app, req, Vec::new(), |v, _, cells| {
        v.push(cells.to_vec());
        v.len() <= 20_000
    })
    .await?;
    let total = rows.len().saturating_sub(1);
    match app_payments::results(&app.store, &c, app.clock.now_ms(), &id, &rows).await? {
        Ok(b) => Ok(Json(b.into())),
        Err(errors) => {
            report("strict", total, 0, 0, errors, 0)?;
            Err(ApiError::internal("results refused without errors"))
        }
    }
}

/// 公示名单 (public, no login): names with the middle masked, villages and amounts; no ID or
/// card numbers. Only published batches.
#[utoipa::path(get, path = "/api/public/relief/{code}", tag = "救助", params(("code" = String, Path)), responses((status = 200, body = PublicList), (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn public_list(
    State(app): State<AppState>,
    parts: Parts,
    Path(code): Path<String>,
) -> ApiResult<Json<PublicList>> {
    let key = format!(
        "relief_public:{}",
        client_ip(&parts).as_deref().unwrap_or("?")
    );
    app.public_limiter
        .check(&key, app.clock.now_ms(), "访问过于频繁，请稍后再试")
        .await?;
    Ok(Json(
        store_payments::by_code(&app.store, code.trim())
            .await?
            .into(),
    ))
}

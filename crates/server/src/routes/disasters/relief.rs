//! 救助 of a process: its phases with counts and money, entries (one by one, from a 台账, or a
//! township's list), the rebuild progress, the 冬春 figures, the district's 公示 days and the
//! 10-hour measure.

use super::relief_api::{
    Entry, EntryIn, FromLedgerIn, Overview, Phase, Timeliness, TimelinessRow, Winter,
};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::kernel::imports::{ImportQuery, ImportReport, read_sheet, report};
use crate::spreadsheet;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::relief as app_relief;
use yingji_core::credit::insurance::fen_to_yuan;
use yingji_core::directory::import::RowError;
use yingji_core::disasters::relief::{PHASES, TARGET_MS, hours};
use yingji_core::disasters::relief_import::{COLUMNS, header_ok, row_input};
use yingji_store::disasters::{payments, relief};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(add_entry))
        .routes(routes!(from_ledger))
        .routes(routes!(import_entries))
        .routes(routes!(import_template))
        .routes(routes!(set_progress))
        .routes(routes!(set_winter))
        .routes(routes!(timeliness))
        .routes(routes!(save_settings))
}

async fn overview_of(app: &AppState, caller: &Caller, id: &str) -> ApiResult<Overview> {
    let c = ctx(caller);
    let p = app_relief::process_for(&app.store, &c, id).await?;
    let entries = relief::of_process(&app.store, &c, &p.id, None).await?;
    let phases = PHASES
        .iter()
        .map(|(code, label)| {
            let of: Vec<_> = entries.iter().filter(|e| e.e.phase == *code).collect();
            Phase {
                phase: (*code).into(),
                label: (*label).into(),
                persons: of.len() as i64,
                amount: fen_to_yuan(of.iter().map(|e| e.e.amount_fen).sum()),
            }
        })
        .collect();
    let needed = relief::winter_needed(&app.store, &p.id).await?;
    let prefix = c.scope.region_prefix();
    let winter = p
        .townships
        .iter()
        .filter(|t| yingji_core::disasters::processes::covers(prefix, &t.0))
        .map(|(code, name)| {
            let mut ids: Vec<&str> = entries
                .iter()
                .filter(|e| e.e.phase == "winter" && &e.e.township == code)
                .map(|e| e.e.id_number.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            Winter {
                township: code.clone(),
                township_name: name.clone(),
                needed: needed.iter().find(|n| &n.0 == code).map_or(0, |n| n.1),
                helped: ids.len() as i64,
            }
        })
        .collect();
    let batches = payments::of_process(&app.store, &c, &p.id).await?;
    Ok(Overview {
        process_id: p.id.clone(),
        phases,
        entries: entries.into_iter().map(Into::into).collect(),
        batches: batches.into_iter().map(Into::into).collect(),
        winter,
        notice_days: relief::notice_days(&app.store, &p.district_code).await?,
    })
}

/// 救助 of a process: phases, entries (ID and card numbers masked), batches, 冬春 figures.
#[utoipa::path(get, path = "/api/v1/disasters/processes/{id}/relief", tag = "救助", params(("id" = String, Path)), responses((status = 200, body = Overview), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn overview(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Overview>> {
    Ok(Json(overview_of(&app, &caller, &id).await?))
}

/// 登记救助对象 (one entry); answers the relief of the process.
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/relief/entries", tag = "救助", params(("id" = String, Path)), request_body = EntryIn, responses((status = 201, body = Overview), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn add_entry(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(e): ApiJson<EntryIn>,
) -> ApiResult<(StatusCode, Json<Overview>)> {
    app_relief::add(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &e.into(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(overview_of(&app, &caller, &id).await?),
    ))
}

/// A 台账 row becomes an entry of its phase (死亡失踪 → 遇难人员家属抚慰, 倒损住房 → 恢复重建).
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/relief/from-ledger", tag = "救助", params(("id" = String, Path)), request_body = FromLedgerIn, responses((status = 201, body = Overview), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn from_ledger(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FromLedgerIn>,
) -> ApiResult<(StatusCode, Json<Overview>)> {
    let c = ctx(&caller);
    let now = app.clock.now_ms();
    app_relief::from_ledger(
        &app.store,
        &c,
        now,
        &id,
        &b.ledger,
        &b.ledger_id,
        &b.entry.into(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(overview_of(&app, &caller, &id).await?),
    ))
}

/// The rows kept from an upload (at most this many).
const MAX_ROWS: usize = 20_000;

/// 导入救助名单 (a township's list: .xlsx, .xls or .csv as the body). Every row is checked; one
/// bad row and nothing is stored (`strict`, 422 with the report), `check` reports only.
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/relief/import", tag = "救助", params(("id" = String, Path), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = ImportReport), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_entries(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    req: Request,
) -> ApiResult<Json<ImportReport>> {
    let c = ctx(&caller);
    let mode = q.mode()?;
    if mode == "valid_only" {
        return Err(ApiError::field(
            "mode",
            "救助名单须全部正确后导入，不支持仅导入有效行",
        ));
    }
    let p = app_relief::process_for(&app.store, &c, &id).await?;
    let rows: Vec<(usize, Vec<String>)> = read_sheet(&app, req, Vec::new(), |v, n, cells| {
        v.push((n, cells.to_vec()));
        v.len() <= MAX_ROWS
    })
    .await?;
    let Some((_, head)) = rows.first() else {
        return Err(ApiError::field("file", "文件为空"));
    };
    if !header_ok(head) {
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
        return Err(ApiError::field(
            "file",
            format!("首行应为表头：{}", names.join("、")),
        ));
    }
    let inputs: Vec<_> = rows
        .iter()
        .skip(1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(n, cells)| (*n, row_input(cells, &p.townships)))
        .collect();
    let total = inputs.len();
    let now = app.clock.now_ms();
    let (ok, errors): (_, Vec<RowError>) =
        app_relief::import(&app.store, &c, now, &p, inputs, mode == "strict").await?;
    let imported = if mode == "strict" && errors.is_empty() {
        ok.len()
    } else {
        0
    };
    Ok(Json(report(&mode, total, ok.len(), imported, errors, 0)?))
}

/// 救助名单导入模板 (.xlsx).
#[utoipa::path(get, path = "/api/v1/disasters/relief/import-template", tag = "救助", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn import_template(_caller: Caller) -> ApiResult<Response> {
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    let example: Vec<String> = [
        "应急救助",
        "甘棠街道",
        "南湖社区",
        "张某",
        "11010519491231002X",
        "3",
        "13900000001",
        "资金",
        "1500.00",
        "",
        "2026-07-10 20:00",
        "4111111111111111",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let bytes = spreadsheet::write_xlsx("救助名单", &headers, &[example], None)
        .map_err(ApiError::internal)?;
    Ok(spreadsheet::xlsx_response(bytes, "救助名单导入模板.xlsx"))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefProgressInput)]
pub struct ProgressIn {
    /// not_started / building / completed / moved_in
    pub progress: String,
    /// 0–100; default 0, or 100 when completed / moved in.
    pub percent: Option<i64>,
}

/// 倒损住房恢复重建: the progress of a household's house.
#[utoipa::path(put, path = "/api/v1/disasters/relief/entries/{id}/progress", tag = "救助", params(("id" = String, Path)), request_body = ProgressIn, responses((status = 200, body = Entry), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn set_progress(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ProgressIn>,
) -> ApiResult<Json<Entry>> {
    let now = app.clock.now_ms();
    let e = app_relief::set_progress(&app.store, &ctx(&caller), now, &id, &b.progress, b.percent)
        .await?;
    Ok(Json(e.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefWinterInput)]
pub struct WinterIn {
    /// 需救助人数.
    pub needed: i64,
}

/// 冬春生活困难救助: the 需救助人数 of a township; answers the relief of the process.
#[utoipa::path(put, path = "/api/v1/disasters/processes/{id}/relief/winter/{township}", tag = "救助", params(("id" = String, Path), ("township" = String, Path)), request_body = WinterIn, responses((status = 200, body = Overview), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn set_winter(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, township)): Path<(String, String)>,
    ApiJson(b): ApiJson<WinterIn>,
) -> ApiResult<Json<Overview>> {
    let now = app.clock.now_ms();
    app_relief::set_winter(&app.store, &ctx(&caller), now, &id, &township, b.needed).await?;
    Ok(Json(overview_of(&app, &caller, &id).await?))
}

/// The 10-hour basic-relief measure: per affected township, from the 初报 to the first 应急救助.
#[utoipa::path(get, path = "/api/v1/disasters/processes/{id}/relief/timeliness", tag = "救助", params(("id" = String, Path)), responses((status = 200, body = Timeliness), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn timeliness(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Timeliness>> {
    let now = app.clock.now_ms();
    let (initial, rows) = app_relief::timeliness(&app.store, &ctx(&caller), now, &id).await?;
    Ok(Json(Timeliness {
        initial_ms: initial,
        target_hours: TARGET_MS / 3_600_000,
        rows: rows
            .into_iter()
            .map(|(code, name, first, v, d)| TimelinessRow {
                township: code,
                township_name: name,
                first_relief_ms: first,
                hours: d.map(hours),
                verdict: v.code().into(),
                verdict_label: v.label().into(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefSettings)]
pub struct SettingsIn {
    /// 公示 days, 1–30 (default 7).
    pub notice_days: i64,
}

/// The district's 公示 days (局领导, 系统管理员).
#[utoipa::path(put, path = "/api/v1/disasters/relief/settings", tag = "救助", request_body = SettingsIn, responses((status = 200, body = SettingsIn), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn save_settings(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<SettingsIn>,
) -> ApiResult<Json<SettingsIn>> {
    let now = app.clock.now_ms();
    let days = app_relief::set_notice_days(&app.store, &ctx(&caller), now, b.notice_days).await?;
    Ok(Json(SettingsIn { notice_days: days }))
}

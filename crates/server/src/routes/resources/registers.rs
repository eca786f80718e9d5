//! 名录维护 shared by the registers (teams, experts, warehouses, stock lines, shelters, sensors,
//! 承灾体): 停用 / 启用, the import template, and import with a per-row report. Each register's
//! own create and edit stay on its own path; an imported row goes through the same create.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::kernel::imports::{ImportQuery, ImportReport, read_sheet, report};
use crate::spreadsheet::{self, xlsx_response};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use yingji_core::resources::register::{self, Register, RowParser};
use yingji_store::resources::registers::{Activation, ImportMode};

fn register_of(segment: &str) -> ApiResult<Register> {
    Register::parse(segment).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "名录“{}”不存在（应为 teams、experts、warehouses、stock、shelters、sensors 或 protected-objects）",
                yingji_core::directory::import::excerpt(segment)
            ),
        )
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveInput {
    /// false: 停用; true: 启用.
    pub active: bool,
    /// Why (required to deactivate); kept in the audit log.
    #[serde(default)]
    pub reason: String,
}

/// 停用 / 启用 a record of a register. A deactivated record keeps its history but is no longer
/// found, dispatched, allocated from, targeted or read from a gateway.
#[utoipa::path(put, path = "/api/v1/registers/{register}/{id}/active", tag = "名录维护",
    params(("register" = String, Path, description = "teams / experts / warehouses / stock / shelters / sensors / protected-objects"),
        ("id" = String, Path, description = "the record's id")),
    request_body = ActiveInput,
    responses((status = 204), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn set_active(
    State(app): State<AppState>,
    caller: Caller,
    Path((segment, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ActiveInput>,
) -> ApiResult<StatusCode> {
    let register = register_of(&segment)?;
    let change = Activation {
        register,
        id: &id,
        active: input.active,
        reason: &input.reason,
    };
    yingji_app::resources::registers::set_active(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        change,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 下载导入模板 (.xlsx with an example row and a notes sheet).
#[utoipa::path(get, path = "/api/v1/registers/{register}/template", tag = "名录维护",
    params(("register" = String, Path, description = "teams / experts / warehouses / stock / shelters / sensors / protected-objects")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn template(_caller: Caller, Path(segment): Path<String>) -> ApiResult<Response> {
    let register = register_of(&segment)?;
    let headers: Vec<&str> = register.columns().iter().map(|c| c.header).collect();
    let example: Vec<String> = register.example().iter().map(|s| s.to_string()).collect();
    let bytes = spreadsheet::write_xlsx(
        register.name(),
        &headers,
        &[example],
        Some(("填写说明", register::template_notes(register))),
    )
    .map_err(ApiError::internal)?;
    Ok(xlsx_response(
        bytes,
        &format!("{}导入模板.xlsx", register.name()),
    ))
}

/// 导入: the request body is the .xlsx, .xls or .csv file itself, read within the bounds of
/// `spreadsheet`. Every row goes through the register's own create, all in one transaction:
/// `strict` stores nothing when a row fails, `valid_only` the rows that pass, `check` nothing.
#[utoipa::path(post, path = "/api/v1/registers/{register}/import", tag = "名录维护",
    params(("register" = String, Path, description = "teams / experts / warehouses / stock / shelters / sensors / protected-objects"), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = ImportReport), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody),
        (status = 413, description = "文件过大：请求体、解压后大小、单元格或.xls文件超过上限", body = crate::error::ErrorBody)))]
pub async fn import(
    State(app): State<AppState>,
    caller: Caller,
    Path(segment): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    req: Request,
) -> ApiResult<axum::Json<ImportReport>> {
    let register = register_of(&segment)?;
    let mode = q.mode()?;
    let parsed = read_sheet(&app, req, RowParser::new(register), |p, row_no, cells| {
        p.push(row_no, cells);
        p.wants_rows()
    })
    .await?
    .finish();
    let mut errors = parsed.errors;
    let store_mode = match mode.as_str() {
        "check" => ImportMode::Check,
        // Rows that could not even be read fail a strict import before anything is written.
        "strict" if !errors.is_empty() => ImportMode::Check,
        "strict" => ImportMode::Strict,
        _ => ImportMode::ValidOnly,
    };
    let outcome = yingji_app::resources::registers::import(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        register,
        parsed.rows,
        store_mode,
    )
    .await?;
    errors.extend(outcome.errors);
    Ok(axum::Json(report(
        &mode,
        parsed.total_rows,
        outcome.valid_rows,
        outcome.imported,
        errors,
        parsed.unlisted_errors,
    )?))
}

//! 风险普查成果导入: the census file (GeoJSON FeatureCollection, or the template's .xlsx/.csv)
//! merged into the 承灾体 and resource registers with a per-row report; the template; the kinds.

use super::census_api::{self as api, CensusImportReport, CensusKind};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller, ctx};
use crate::routes::Limits;
use crate::routes::kernel::imports::ImportQuery;
use crate::spreadsheet::{self, xlsx_response};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::census::{self as use_cases, Source};
use yingji_core::disasters::census::{self as rules, SheetRows};
use yingji_store::resources::registers::ImportMode;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            // The file's own cap (`rules::MAX_FILE_MB`) is checked with a Chinese message.
            OpenApiRouter::new()
                .routes(routes!(import))
                .layer(DefaultBodyLimit::disable()),
        )
        .routes(routes!(template))
        .routes(routes!(kinds))
}

/// 普查类型: the kinds a census row may have (承灾体, then 减灾能力 with their register).
#[utoipa::path(get, path = "/api/v1/disasters/census/kinds", tag = "防灾减灾救灾",
    responses((status = 200, body = Vec<CensusKind>)))]
pub async fn kinds(_caller: Caller) -> Json<Vec<CensusKind>> {
    Json(api::kinds())
}

/// 下载风险普查导入模板 (.xlsx with an example row and a notes sheet).
#[utoipa::path(get, path = "/api/v1/disasters/census/template", tag = "防灾减灾救灾",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn template(_caller: Caller) -> ApiResult<Response> {
    let headers: Vec<&str> = rules::COLUMNS.iter().map(|c| c.0).collect();
    let example: Vec<String> = rules::EXAMPLE.iter().map(|s| s.to_string()).collect();
    let mut notes = vec![vec!["列".to_string(), "说明".to_string()]];
    for (h, _, required, note) in rules::COLUMNS {
        let req = if *required { "（必填）" } else { "" };
        notes.push(vec![format!("{h}{req}"), (*note).to_string()]);
    }
    notes.push(vec![
        "其他列".into(),
        "避难场所、救援队伍、储备库可加其名录的列（如 可容纳人数、队伍人数）；承灾体的其他属性原样保存".into(),
    ]);
    let bytes =
        spreadsheet::write_xlsx("风险普查", &headers, &[example], Some(("填写说明", notes)))
            .map_err(ApiError::internal)?;
    Ok(xlsx_response(bytes, "风险普查成果导入模板.xlsx"))
}

fn too_large() -> ApiError {
    let m = rules::too_large();
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        m.clone(),
    )
    .with_details(serde_json::json!([{"field": "file", "message": m}]))
}

/// The upload, within `MAX_FILE_MB`.
async fn body_of(req: Request) -> ApiResult<axum::body::Bytes> {
    let cap = rules::MAX_FILE_MB << 20;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    axum::body::to_bytes(req.into_body(), cap)
        .await
        .map_err(|_| too_large())
}

/// A sheet's rows, read on a blocking thread within the bounds of `spreadsheet`.
async fn sheet_rows(body: axum::body::Bytes) -> ApiResult<SheetRows> {
    tokio::task::spawn_blocking(move || {
        let mut rows = SheetRows::default();
        spreadsheet::read_rows(&body, &mut |n, cells| rows.push(n, cells))?;
        Ok(rows)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| match e {
        spreadsheet::ReadError::TooLarge(m) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            m.clone(),
        )
        .with_details(serde_json::json!([{"field": "file", "message": m}])),
        spreadsheet::ReadError::Invalid(m) => ApiError::field("file", m),
    })
}

/// 导入风险普查成果: the request body is the file itself, a GeoJSON FeatureCollection (Point
/// geometries, or the first point of a line / the middle of a polygon, which is kept as the
/// outline; properties named by the template's headers or fields) or the template's .xlsx/.csv.
/// A row with a 普查编码 already on record in the district updates that record. `strict`
/// (default) stores nothing when a row fails (422 with the report as details), `valid_only` the
/// rows that pass, `check` nothing. Only the district's bureau staff and administrators import.
#[utoipa::path(post, path = "/api/v1/disasters/census/import", tag = "防灾减灾救灾", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/geo+json"),
    responses((status = 200, body = CensusImportReport), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 413, description = "文件过大（风险普查文件最大100 MB）", body = crate::error::ErrorBody)))]
pub async fn import(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    req: Request,
) -> ApiResult<Json<CensusImportReport>> {
    let c = ctx(&caller);
    // Refused before the upload is read.
    if !rules::may_import(c.role, &c.scope) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            rules::MAY_NOT_IMPORT,
        ));
    }
    let mode = q.mode()?;
    let body = body_of(req).await?;
    let geojson = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    let source = if geojson {
        Source::GeoJson(body.to_vec())
    } else {
        Source::Rows(sheet_rows(body).await?.rows)
    };
    let store_mode = match mode.as_str() {
        "check" => ImportMode::Check,
        "valid_only" => ImportMode::ValidOnly,
        _ => ImportMode::Strict,
    };
    let now = app.clock.now_ms();
    let done = use_cases::import(&app.store, &c, now, source, store_mode).await?;
    let report = CensusImportReport::of(&mode, done);
    if mode == "strict" && report.error_rows > 0 {
        let message = format!(
            "共{}条数据，其中{}条有错误，未导入任何数据；请修改后重新导入，或选择“仅导入有效行”",
            report.total_rows, report.error_rows
        );
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_invalid", message)
                .with_details(serde_json::to_value(&report).unwrap_or_default()),
        );
    }
    Ok(Json(report))
}

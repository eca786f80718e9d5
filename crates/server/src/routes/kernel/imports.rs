//! What every import shares: the mode, reading the uploaded sheet row by row within the bounds
//! of `spreadsheet`, and the report (at most `import::MAX_LISTED_ERRORS` errors, then one line
//! counting the rest; in strict mode a file with errors is refused with the report as details).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::body_error;
use crate::spreadsheet;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yingji_core::directory::import::{self, RowError};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `strict` (default): import only if every row is valid; `valid_only`: import the valid
    /// rows and report the rest; `check`: report only, store nothing.
    pub mode: Option<String>,
}

impl ImportQuery {
    pub fn mode(&self) -> ApiResult<String> {
        let mode = self.mode.clone().unwrap_or_else(|| "strict".into());
        if ["strict", "valid_only", "check"].contains(&mode.as_str()) {
            Ok(mode)
        } else {
            Err(ApiError::field(
                "mode",
                format!("导入方式“{mode}”无效，应为strict、valid_only或check"),
            ))
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub mode: String,
    pub total_rows: usize,
    pub valid_rows: usize,
    pub imported: usize,
    pub errors: Vec<ImportError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportError {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

impl From<RowError> for ImportError {
    fn from(e: RowError) -> Self {
        Self {
            row: e.row,
            column: e.column,
            reason: e.reason,
        }
    }
}

/// Reads the request body (the .xlsx, .xls or .csv file itself) and hands each row to `push`
/// as it is read; `push` answers whether more rows are wanted. The sheet is never held whole.
pub async fn read_sheet<P: Send + 'static>(
    app: &AppState,
    req: Request,
    mut parser: P,
    push: fn(&mut P, usize, &[String]) -> bool,
) -> ApiResult<P> {
    let body = Bytes::from_request(req, app).await.map_err(body_error)?;
    tokio::task::spawn_blocking(move || {
        spreadsheet::read_rows(&body, &mut |row_no, cells| push(&mut parser, row_no, cells))?;
        Ok(parser)
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

/// The report of an import. `errors` are all the errors kept, in any order; `unlisted` those only
/// counted. In strict mode a report with errors is the 422's details: nothing was stored.
pub fn report(
    mode: &str,
    total_rows: usize,
    valid_rows: usize,
    imported: usize,
    mut errors: Vec<RowError>,
    unlisted: usize,
) -> ApiResult<ImportReport> {
    errors.sort_by_key(|e| e.row);
    let error_count = errors.len() + unlisted;
    errors.truncate(import::MAX_LISTED_ERRORS);
    if error_count > errors.len() {
        errors.push(RowError {
            row: 0,
            column: String::new(),
            reason: format!(
                "另有{}处错误未列出（报告最多列出{}处）",
                error_count - errors.len(),
                import::MAX_LISTED_ERRORS
            ),
        });
    }
    let report = ImportReport {
        mode: mode.to_string(),
        total_rows,
        valid_rows,
        imported,
        errors: errors.into_iter().map(ImportError::from).collect(),
    };
    if mode == "strict" && !report.errors.is_empty() {
        let message = format!(
            "共{}行数据，其中{}处错误，未导入任何数据；请修改后重新导入，或选择“仅导入有效行”",
            report.total_rows, error_count
        );
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_invalid", message)
                .with_details(serde_json::to_value(&report).unwrap_or_default()),
        );
    }
    Ok(report)
}

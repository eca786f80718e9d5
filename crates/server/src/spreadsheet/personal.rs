//! Exports that contain personal data (names, phones, ID numbers): the export is written to the
//! audit chain before the file is sent (等保 安全审计, docs/security.md).

use super::table::{self, Table};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::Caller;
use axum::response::Response;

/// [`table::respond`] after the audit record of the export (sheet name and row count).
pub async fn respond<T: Send + 'static>(
    app: &AppState,
    caller: &Caller,
    sheet: Table<T>,
    filename: &str,
) -> ApiResult<Response> {
    yingji_app::security::access_log::record_export(
        &app.store,
        app.clock.now_ms(),
        &caller.actor(),
        (sheet.sheet, sheet.rows.len()),
    )
    .await?;
    table::respond(sheet, filename).await
}

//! 企业信息变更申请: an enterprise's proposed changes to the fields its supervisor owns, and the
//! department's 确认/驳回.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller};
use crate::routes::directory::api::enterprise_changes::DecisionInput;
use crate::routes::directory::api::enterprise_changes::EnterpriseChange;
use axum::Json;
use axum::extract::{Path, State};
use yingji_store::directory::enterprise_changes;

/// 企业信息变更申请 of one enterprise, newest first.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/changes", tag = "企业", params(("id" = String, Path)), responses((status = 200, body = Vec<EnterpriseChange>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<EnterpriseChange>>> {
    Ok(Json(
        enterprise_changes::list(&app.store, &caller.scope, &id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 确认 or 驳回 a pending change (the supervising department or an administrator).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/changes/{change_id}/actions", tag = "企业", params(("id" = String, Path), ("change_id" = String, Path)), request_body = DecisionInput, responses((status = 200, body = EnterpriseChange), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, change_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> ApiResult<Json<EnterpriseChange>> {
    let change = yingji_app::directory::enterprise_changes::decide(
        &app.store,
        app.clock.now_ms(),
        &crate::extract::ctx(&caller),
        &id,
        &change_id,
        &input.into(),
    )
    .await?;
    crate::live::map_counts_changed(&app).await;
    Ok(Json(change.into()))
}

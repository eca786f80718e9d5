//! 站内消息 of the caller.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use crate::routes::kernel::api::notifications::Notification;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use yingji_store::kernel::notifications;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    pub unread: Option<bool>,
    /// Only this kind (hazard / alarm / work_order / incident / warning).
    pub kind: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NotificationList {
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// The caller's latest 100 notifications, unread first, then newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "消息", params(NotificationQuery), responses((status = 200, body = NotificationList)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> ApiResult<Json<NotificationList>> {
    let prefix = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(
            yingji_core::kernel::notify::notification_kind_prefix(k)
                .ok_or_else(|| ApiError::field("kind", "消息类别无效"))?,
        ),
    };
    let (items, unread) = notifications::list(
        &app.store,
        &caller.user.id,
        q.unread.unwrap_or(false),
        prefix,
    )
    .await?;
    Ok(Json(NotificationList {
        items: items.into_iter().map(Into::into).collect(),
        unread,
    }))
}

/// Marks one notification read; `all` marks every one.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "消息", params(("id" = String, Path)), responses((status = 204)))]
pub async fn read(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    let id = (id != "all").then_some(id);
    notifications::mark_read(
        &app.store,
        &caller.user.id,
        id.as_deref(),
        app.clock.now_ms(),
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

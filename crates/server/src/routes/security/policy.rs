//! 密码与会话策略: read by every signed-in user, changed by whoever manages security.

use super::api::{PolicyVersion, SecurityPolicy};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use axum::Json;
use axum::extract::State;
use yingji_core::security::policy::Policy;
use yingji_store::directory::sessions::Lifetimes;
use yingji_store::security::policies;

/// The policy in force.
pub async fn current(app: &AppState) -> ApiResult<Policy> {
    Ok(policies::current(&app.store).await?.policy)
}

/// Session lifetimes: the operator's override, else the policy's.
pub fn lifetimes(app: &AppState, p: &Policy) -> Lifetimes {
    Lifetimes {
        idle_ms: app
            .cfg
            .session_idle_override_ms
            .unwrap_or(p.idle_minutes * 60_000),
        absolute_ms: app
            .cfg
            .session_absolute_override_ms
            .unwrap_or(p.absolute_hours * 3_600_000),
    }
}

async fn versioned(app: &AppState) -> ApiResult<PolicyVersion> {
    let v = policies::current(&app.store).await?;
    Ok(PolicyVersion {
        version: v.version,
        updated_ms: v.created_ms,
        updated_by: v.created_by,
        policy: v.policy.into(),
    })
}

/// 密码与会话策略.
#[utoipa::path(get, path = "/api/v1/security/policy", tag = "安全", responses((status = 200, body = PolicyVersion)))]
pub async fn get(State(app): State<AppState>, _caller: Caller) -> ApiResult<Json<PolicyVersion>> {
    Ok(Json(versioned(&app).await?))
}

/// 修改密码与会话策略 (a new version, audited).
#[utoipa::path(put, path = "/api/v1/security/policy", tag = "安全", request_body = SecurityPolicy,
    responses((status = 200, body = PolicyVersion), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SecurityPolicy>,
) -> ApiResult<Json<PolicyVersion>> {
    if !caller.role().manages_security() {
        return Err(ApiError::forbidden("仅安全保密管理员可修改密码与会话策略"));
    }
    yingji_app::security::policy::change(
        &app.store,
        app.clock.now_ms(),
        &caller.actor(),
        &body.into(),
    )
    .await?;
    Ok(Json(versioned(&app).await?))
}

//! `GET /api/v1/security/bindings`: the enterprise or insurer an account is bound to, looked up
//! by the account keepers (三员分立: the 安全保密管理员 reads no business lists). Id, name and
//! region only, at most 20 rows, each lookup audited (core::security::bindings).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use yingji_core::security::bindings::check_query;
use yingji_store::StoreError;
use yingji_store::security::bindings::BindingTarget;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BindingQuery {
    /// `enterprise`（企业）or `insurer`（保险机构）.
    pub kind: Option<String>,
    /// 名称（或统一社会信用代码）的一部分; empty: the first 20 by name.
    pub q: Option<String>,
}

/// An enterprise or insurer an account can be bound to: nothing but id, name and region.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SecurityBindingTarget)]
pub struct Target {
    pub id: String,
    pub name: String,
    /// The enterprise's 乡镇/街道 code (none for an insurer).
    pub region_code: Option<String>,
    pub region_name: Option<String>,
}

impl From<BindingTarget> for Target {
    fn from(t: BindingTarget) -> Self {
        Self {
            id: t.id,
            name: t.name,
            region_code: t.region_code,
            region_name: t.region_name,
        }
    }
}

/// The lookup's answer (at most 20, by name).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SecurityBindingTargets)]
pub struct Targets {
    pub items: Vec<Target>,
}

/// 查询可绑定的企业或保险机构 (系统管理员, 安全保密管理员; audited).
#[utoipa::path(get, path = "/api/v1/security/bindings", tag = "安全", params(BindingQuery),
    responses((status = 200, body = Targets), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn look_up(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BindingQuery>,
) -> ApiResult<Json<Targets>> {
    yingji_core::security::bindings::may_look_up(caller.role()).map_err(ApiError::forbidden)?;
    let query = check_query(q.kind.as_deref(), q.q.as_deref()).map_err(StoreError::from)?;
    let found = yingji_app::security::bindings::look_up(
        &app.store,
        app.clock.now_ms(),
        (caller.role(), &caller.actor()),
        &caller.directory_scope(),
        &query,
    )
    .await?;
    Ok(Json(Targets {
        items: found.into_iter().map(Into::into).collect(),
    }))
}

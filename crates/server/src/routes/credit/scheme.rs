//! 信用评价方案: the district's scheme (tiers, rules) and its versions; saving a new version
//! recomputes every rating.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx, string_or_number};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::scheme::CreditScheme;
use yingji_store::credit::scheme::{self, SchemeVersion};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_scheme, put_scheme))
}

/// A version of a district's credit scheme.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditSchemeVersion {
    pub region_code: String,
    /// 0: the national default (no district version yet).
    pub version: i64,
    pub scheme: CreditScheme,
    pub note: Option<String>,
    pub created_ms: Option<i64>,
    /// The earlier versions' numbers, newest first.
    pub versions: Vec<i64>,
}

fn out(v: SchemeVersion, versions: Vec<i64>) -> CreditSchemeVersion {
    CreditSchemeVersion {
        region_code: v.region_code,
        version: v.version,
        scheme: v.scheme,
        note: v.note,
        created_ms: v.created_ms,
        versions,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionQuery {
    /// The district (6 digits); default the caller's.
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
}

/// A new version of the scheme.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditSchemeUpdate {
    /// The district (6-digit code).
    pub region: String,
    pub scheme: CreditScheme,
    #[serde(default)]
    pub note: Option<String>,
}

pub(super) fn region_of(caller: &Caller, asked: Option<String>) -> String {
    asked
        .or_else(|| caller.scope.region_prefix().map(str::to_string))
        .unwrap_or_else(|| "360403".into())
}

/// The credit scheme in force for a district.
#[utoipa::path(get, path = "/api/v1/credit/scheme", tag = "信用脸谱", params(RegionQuery), responses((status = 200, body = CreditSchemeVersion)))]
pub async fn get_scheme(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> ApiResult<Json<CreditSchemeVersion>> {
    let region = region_of(&caller, q.region);
    let current = scheme::current(&app.store, &region).await?;
    let versions = scheme::history(&app.store, &region)
        .await?
        .iter()
        .map(|v| v.version)
        .collect();
    Ok(Json(out(current, versions)))
}

/// 修改信用评价方案: a new version (administrators and bureau leadership); every rating is
/// recomputed under it.
#[utoipa::path(put, path = "/api/v1/credit/scheme", tag = "信用脸谱", request_body = CreditSchemeUpdate, responses((status = 200, body = CreditSchemeVersion), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn put_scheme(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(u): ApiJson<CreditSchemeUpdate>,
) -> ApiResult<Json<CreditSchemeVersion>> {
    let saved = yingji_app::credit::scheme::save(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &u.region,
        &u.scheme,
        u.note,
    )
    .await?;
    let versions = scheme::history(&app.store, &saved.region_code)
        .await?
        .iter()
        .map(|v| v.version)
        .collect();
    Ok(Json(out(saved, versions)))
}

//! 安责险: the insurers (kept by the administrator) and the policies of enterprises, read in the
//! caller's scope (an insurer's users: their own policies only).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::insurance::{self as rules, fen_to_yuan, standing, standing_label};
use yingji_core::kernel::clock::today;
use yingji_store::credit::insurance::{self as rows, PolicyFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_insurers, create_insurer))
        .routes(routes!(list_policies, create_policy))
        .routes(routes!(get_policy, update_policy))
        .routes(routes!(policyholders))
}

/// 保险机构.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Insurer {
    pub id: String,
    pub name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    pub active: bool,
    pub created_ms: i64,
}

impl From<rows::Insurer> for Insurer {
    fn from(v: rows::Insurer) -> Self {
        Self {
            id: v.id,
            name: v.name,
            credit_code: v.credit_code,
            active: v.active,
            created_ms: v.created_ms,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InsurerInput {
    pub name: String,
    pub credit_code: String,
}

/// 安责险保单. Amounts are 元 with two decimals, as text (exact), and in 分.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Policy {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub insurer_id: String,
    pub insurer_name: String,
    pub number: String,
    pub starts_day: String,
    pub ends_day: String,
    pub insured_persons: i64,
    pub premium: String,
    pub premium_fen: i64,
    pub cover_per_person: String,
    pub cover_fen: i64,
    /// active or cancelled.
    pub status: String,
    /// not_started, in_force, expiring (within 30 days), expired or cancelled, today.
    pub standing: String,
    pub standing_label: String,
    pub created_by_name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl Policy {
    pub(crate) fn of(v: rows::Policy, now_ms: i64) -> Self {
        let s = standing(&v.status, &v.starts_day, &v.ends_day, today(now_ms));
        Self {
            premium: fen_to_yuan(v.premium_fen),
            cover_per_person: fen_to_yuan(v.cover_fen),
            standing: s.into(),
            standing_label: standing_label(s).into(),
            id: v.id,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            insurer_id: v.insurer_id,
            insurer_name: v.insurer_name,
            number: v.number,
            starts_day: v.starts_day,
            ends_day: v.ends_day,
            insured_persons: v.insured_persons,
            premium_fen: v.premium_fen,
            cover_fen: v.cover_fen,
            status: v.status,
            created_by_name: v.created_by_name,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}

/// A policy as entered. The enterprise by id or (an insurer) by its 统一社会信用代码; the
/// insurer is the caller's own for an insurer's user.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub enterprise_uscc: Option<String>,
    #[serde(default)]
    pub insurer_id: Option<String>,
    pub number: String,
    /// 保险起期 YYYY-MM-DD.
    pub starts_day: String,
    /// 保险止期 YYYY-MM-DD (not before starts_day).
    pub ends_day: String,
    pub insured_persons: i64,
    /// 保费, 元 with at most two decimals, e.g. "36000.50".
    pub premium: String,
    /// 每人保额, 元.
    pub cover_per_person: String,
    /// active (default) or cancelled.
    #[serde(default)]
    pub status: Option<String>,
}

impl From<PolicyInput> for rules::PolicyInput {
    fn from(v: PolicyInput) -> Self {
        Self {
            enterprise_id: v.enterprise_id,
            enterprise_uscc: v.enterprise_uscc,
            insurer_id: v.insurer_id,
            number: v.number,
            starts_day: v.starts_day,
            ends_day: v.ends_day,
            insured_persons: v.insured_persons,
            premium: v.premium,
            cover_per_person: v.cover_per_person,
            status: v.status,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuery {
    /// Enterprise name or policy number contains.
    pub q: Option<String>,
    pub enterprise_id: Option<String>,
    pub insurer_id: Option<String>,
    /// in_force, expiring, expired or cancelled.
    pub standing: Option<String>,
}

/// An enterprise the caller sees policies of.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Policyholder {
    pub enterprise_id: String,
    pub enterprise_name: String,
}

/// The insurers (an insurer's users: their own).
#[utoipa::path(get, path = "/api/v1/credit/insurers", tag = "企业信用", responses((status = 200, body = ListResponse<Insurer>)))]
pub async fn list_insurers(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<Insurer>>> {
    let items = rows::list_insurers(&app.store, &ctx(&caller)).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Adds an insurer (系统管理员).
#[utoipa::path(post, path = "/api/v1/credit/insurers", tag = "企业信用", request_body = InsurerInput, responses((status = 201, body = Insurer), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_insurer(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<InsurerInput>,
) -> ApiResult<(StatusCode, Json<Insurer>)> {
    let input = rules::InsurerInput {
        name: input.name,
        credit_code: input.credit_code,
    };
    let i = yingji_app::credit::insurance::create_insurer(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(i.into())))
}

/// The policies the caller may see, ending soonest first.
#[utoipa::path(get, path = "/api/v1/credit/insurance/policies", tag = "企业信用", params(PolicyQuery), responses((status = 200, body = ListResponse<Policy>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_policies(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PolicyQuery>,
) -> ApiResult<Json<ListResponse<Policy>>> {
    let now = app.clock.now_ms();
    let f = PolicyFilter {
        q: q.q,
        enterprise_id: q.enterprise_id,
        insurer_id: q.insurer_id,
        standing: q.standing,
    };
    let items = yingji_app::credit::insurance::list(&app.store, &ctx(&caller), now, &f).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(|p| Policy::of(p, now)).collect(),
    }))
}

/// Enters a policy: its insurer for the enterprise it names by 统一社会信用代码, the enterprise
/// its own, the departments one they supervise.
#[utoipa::path(post, path = "/api/v1/credit/insurance/policies", tag = "企业信用", request_body = PolicyInput, responses((status = 201, body = Policy), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_policy(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PolicyInput>,
) -> ApiResult<(StatusCode, Json<Policy>)> {
    let now = app.clock.now_ms();
    let p = yingji_app::credit::insurance::create(&app.store, &ctx(&caller), now, &input.into())
        .await?;
    Ok((StatusCode::CREATED, Json(Policy::of(p, now))))
}

/// One policy the caller may see.
#[utoipa::path(get, path = "/api/v1/credit/insurance/policies/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = Policy), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_policy(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Policy>> {
    let p = rows::get(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(Policy::of(p, app.clock.now_ms())))
}

/// Changes a policy's own fields (its enterprise and insurer stay).
#[utoipa::path(put, path = "/api/v1/credit/insurance/policies/{id}", tag = "企业信用", params(("id" = String, Path)), request_body = PolicyInput, responses((status = 200, body = Policy), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_policy(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PolicyInput>,
) -> ApiResult<Json<Policy>> {
    let now = app.clock.now_ms();
    let p =
        yingji_app::credit::insurance::update(&app.store, &ctx(&caller), now, &id, &input.into())
            .await?;
    Ok(Json(Policy::of(p, now)))
}

/// The enterprises the caller sees active policies of (an insurer: its policyholders).
#[utoipa::path(get, path = "/api/v1/credit/insurance/policyholders", tag = "企业信用", responses((status = 200, body = ListResponse<Policyholder>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn policyholders(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<Policyholder>>> {
    let items =
        yingji_app::credit::insurance::policyholders(&app.store, &ctx(&caller), app.clock.now_ms())
            .await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items
            .into_iter()
            .map(|(enterprise_id, enterprise_name)| Policyholder {
                enterprise_id,
                enterprise_name,
            })
            .collect(),
    }))
}

//! 理赔: claims on the policies the caller may see, with what each needs of its incident; the
//! insurer accepts, pays or refuses them.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::claims::{self as rules, status_label};
use yingji_core::credit::insurance::fen_to_yuan;
use yingji_store::credit::claims as rows;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, report))
        .routes(routes!(get))
        .routes(routes!(step))
}

/// 理赔. Amounts are 元 texts (exact) and 分.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Claim {
    pub id: String,
    pub policy_id: String,
    pub policy_number: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub insurer_id: String,
    pub insurer_name: String,
    pub incident_id: String,
    pub incident_code: String,
    pub incident_title: String,
    pub incident_occurred_ms: i64,
    pub incident_deaths: i64,
    pub incident_injuries: i64,
    pub claimed: String,
    pub claimed_fen: i64,
    pub paid: Option<String>,
    pub paid_fen: Option<i64>,
    /// reported, accepted, paid or refused.
    pub status: String,
    pub status_label: String,
    /// 拒赔理由.
    pub reason: Option<String>,
    pub description: Option<String>,
    pub reported_by_name: String,
    pub reported_ms: i64,
    pub decided_by_name: Option<String>,
    pub decided_ms: Option<i64>,
}

impl From<rows::Claim> for Claim {
    fn from(v: rows::Claim) -> Self {
        Self {
            claimed: fen_to_yuan(v.claimed_fen),
            paid: v.paid_fen.map(fen_to_yuan),
            status_label: status_label(&v.status).into(),
            id: v.id,
            policy_id: v.policy_id,
            policy_number: v.policy_number,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            insurer_id: v.insurer_id,
            insurer_name: v.insurer_name,
            incident_id: v.incident_id,
            incident_code: v.incident_code,
            incident_title: v.incident_title,
            incident_occurred_ms: v.incident_occurred_ms,
            incident_deaths: v.incident_deaths,
            incident_injuries: v.incident_injuries,
            claimed_fen: v.claimed_fen,
            paid_fen: v.paid_fen,
            status: v.status,
            reason: v.reason,
            description: v.description,
            reported_by_name: v.reported_by_name,
            reported_ms: v.reported_ms,
            decided_by_name: v.decided_by_name,
            decided_ms: v.decided_ms,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    pub policy_id: String,
    /// The accident: an incident of the insured enterprise.
    pub incident_id: String,
    /// 索赔金额, 元.
    pub claimed: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimStepInput {
    /// accept, pay or refuse.
    pub action: String,
    /// 赔付金额 (pay), 元.
    #[serde(default)]
    pub paid: Option<String>,
    /// 拒赔理由 (refuse).
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ClaimQuery {
    pub policy_id: Option<String>,
    pub status: Option<String>,
}

/// The claims the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/credit/insurance/claims", tag = "企业信用", params(ClaimQuery), responses((status = 200, body = ListResponse<Claim>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ClaimQuery>,
) -> ApiResult<Json<ListResponse<Claim>>> {
    let items = rows::list(
        &app.store,
        &ctx(&caller),
        q.policy_id.as_deref(),
        q.status.as_deref(),
    )
    .await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Reports a claim on a policy for an accident of its enterprise.
#[utoipa::path(post, path = "/api/v1/credit/insurance/claims", tag = "企业信用", request_body = ClaimInput, responses((status = 201, body = Claim), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ClaimInput>,
) -> ApiResult<(StatusCode, Json<Claim>)> {
    let input = rules::ClaimInput {
        policy_id: input.policy_id,
        incident_id: input.incident_id,
        claimed: input.claimed,
        description: input.description,
    };
    let c =
        yingji_app::credit::claims::report(&app.store, &ctx(&caller), app.clock.now_ms(), &input)
            .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// One claim the caller may see.
#[utoipa::path(get, path = "/api/v1/credit/insurance/claims/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = Claim), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Claim>> {
    Ok(Json(
        rows::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}

/// The insurer's step on a claim: accept, pay (at most the claimed amount) or refuse (with a
/// reason).
#[utoipa::path(post, path = "/api/v1/credit/insurance/claims/{id}/steps", tag = "企业信用", params(("id" = String, Path)), request_body = ClaimStepInput, responses((status = 200, body = Claim), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn step(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ClaimStepInput>,
) -> ApiResult<Json<Claim>> {
    let s = rules::ClaimStep {
        action: input.action,
        paid: input.paid,
        reason: input.reason,
    };
    let c =
        yingji_app::credit::claims::step(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &s)
            .await?;
    Ok(Json(c.into()))
}

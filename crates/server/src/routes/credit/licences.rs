//! 许可证照 and 标准化等级: an enterprise user's changes wait as proposals for its supervising
//! department (确认 / 驳回 with a reason); a department writes directly. The department's list of
//! pending proposals and of licences expiring in 90 / 30 days or expired.

use super::api::licences::{CreditProposal, Licence, Submission};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::credit::licences::{self as app, Submitted};
use yingji_core::credit::licences::{Expiry, LicenceDecisionInput, LicenceInput, filter_bounds};
use yingji_core::credit::standardisation::StandardisationInput;
use yingji_core::kernel::clock::today;
use yingji_store::credit::licences as rows;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_licence))
        .routes(routes!(update_licence))
        .routes(routes!(set_standardisation))
        .routes(routes!(list_licences))
        .routes(routes!(list_proposals))
        .routes(routes!(decide))
}

fn submission(s: Submitted, today: jiff::civil::Date) -> Submission {
    match s {
        Submitted::Licence(l) => Submission {
            outcome: "saved".into(),
            licence: Some(Licence::of(*l, today)),
            proposal: None,
        },
        Submitted::Standardisation => Submission {
            outcome: "saved".into(),
            licence: None,
            proposal: None,
        },
        Submitted::Proposal(p) => Submission {
            outcome: "proposed".into(),
            licence: None,
            proposal: Some((*p).into()),
        },
    }
}

/// Registers a licence of an enterprise: written at once by its department, a proposal when the
/// enterprise user submits it.
#[utoipa::path(post, path = "/api/v1/credit/enterprises/{id}/licences", tag = "企业信用", params(("id" = String, Path)), request_body = LicenceInput, responses((status = 201, body = Submission), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create_licence(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LicenceInput>,
) -> ApiResult<(StatusCode, Json<Submission>)> {
    let now = app.clock.now_ms();
    let s = app::submit_licence(&app.store, now, &ctx(&caller), &id, None, &input).await?;
    Ok((StatusCode::CREATED, Json(submission(s, today(now)))))
}

/// Changes a licence: at once by the department, as a proposal by the enterprise user.
#[utoipa::path(put, path = "/api/v1/credit/licences/{id}", tag = "企业信用", params(("id" = String, Path)), request_body = LicenceInput, responses((status = 200, body = Submission), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_licence(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LicenceInput>,
) -> ApiResult<Json<Submission>> {
    let now = app.clock.now_ms();
    let l = rows::get(&app.store, &caller.scope, &id).await?;
    let c = ctx(&caller);
    let s = app::submit_licence(&app.store, now, &c, &l.enterprise_id, Some(&id), &input).await?;
    Ok(Json(submission(s, today(now))))
}

/// Sets the 标准化等级 of an enterprise (a proposal when the enterprise user submits it).
#[utoipa::path(put, path = "/api/v1/credit/enterprises/{id}/standardisation", tag = "企业信用", params(("id" = String, Path)), request_body = StandardisationInput, responses((status = 200, body = Submission), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn set_standardisation(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StandardisationInput>,
) -> ApiResult<Json<Submission>> {
    let now = app.clock.now_ms();
    let s = app::submit_standardisation(&app.store, now, &ctx(&caller), &id, &input).await?;
    Ok(Json(submission(s, today(now))))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LicenceQuery {
    /// within_90 (default) / within_30 / expired / valid
    pub expiry: Option<String>,
}

/// Confirmed licences of the enterprises the caller may see, by expiry (90 / 30 days, expired),
/// soonest end first (at most 500).
#[utoipa::path(get, path = "/api/v1/credit/licences", tag = "企业信用", params(LicenceQuery), responses((status = 200, body = ListResponse<Licence>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list_licences(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<LicenceQuery>,
) -> ApiResult<Json<ListResponse<Licence>>> {
    let raw = q.expiry.as_deref().unwrap_or("within_90");
    let filter = Expiry::parse(raw).ok_or_else(|| {
        ApiError::field(
            "expiry",
            "到期筛选应为 within_90、within_30、expired 或 valid",
        )
    })?;
    let day = today(app.clock.now_ms());
    let (from, until) = filter_bounds(filter, day);
    let items: Vec<Licence> = rows::expiring(&app.store, &caller.scope, from, until, 500)
        .await?
        .into_iter()
        .map(|l| Licence::of(l, day))
        .collect();
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items,
    }))
}

/// Pending proposals of the enterprises the caller may see, oldest first (at most 500).
#[utoipa::path(get, path = "/api/v1/credit/proposals", tag = "企业信用", responses((status = 200, body = ListResponse<CreditProposal>)))]
pub async fn list_proposals(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<CreditProposal>>> {
    let items: Vec<CreditProposal> = rows::proposals(&app.store, &caller.scope, None, 500)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items,
    }))
}

/// 确认 (the data is written) or 驳回 (with a reason) a pending proposal: the supervising
/// department or an administrator.
#[utoipa::path(post, path = "/api/v1/credit/proposals/{id}/decision", tag = "企业信用", params(("id" = String, Path)), request_body = LicenceDecisionInput, responses((status = 200, body = CreditProposal), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LicenceDecisionInput>,
) -> ApiResult<Json<CreditProposal>> {
    let now = app.clock.now_ms();
    Ok(Json(
        app::decide(&app.store, now, &ctx(&caller), &id, &input)
            .await?
            .into(),
    ))
}

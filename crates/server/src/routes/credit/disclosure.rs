//! Public disclosure: the 重大安全风险 a department publishes, and the public page (no login,
//! rate-limited per address) with the 严重失信主体 within their management period.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::listing_criteria::Criterion;
use yingji_core::kernel::clock::today;
use yingji_store::credit::disclosure::{self as risks, Risk};
use yingji_store::credit::listings;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_risks, publish_risk))
        .routes(routes!(withdraw_risk))
        .routes(routes!(public_credit))
}

/// A 重大安全风险 to publish.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicRiskInput {
    pub title: String,
    pub place: String,
    /// What the public should do.
    pub advice: String,
    /// YYYY-MM-DD, first day shown.
    pub from_day: String,
    /// YYYY-MM-DD, last day shown.
    pub until_day: String,
    #[serde(default)]
    pub department_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicRisk {
    pub id: String,
    pub department_name: String,
    pub title: String,
    pub place: String,
    pub advice: String,
    pub from_day: String,
    pub until_day: String,
    pub withdrawn: bool,
}

impl From<Risk> for PublicRisk {
    fn from(r: Risk) -> Self {
        Self {
            id: r.id,
            department_name: r.department_name,
            title: r.title,
            place: r.place,
            advice: r.advice,
            from_day: r.from_day,
            until_day: r.until_day,
            withdrawn: r.withdrawn,
        }
    }
}

/// The risks the caller's departments published.
#[utoipa::path(get, path = "/api/v1/credit/public-risks", tag = "企业信用", responses((status = 200, body = ListResponse<PublicRisk>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_risks(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<PublicRisk>>> {
    let items = risks::list(&app.store, &ctx(&caller)).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Publishes a 重大安全风险 on the public page for a period.
#[utoipa::path(post, path = "/api/v1/credit/public-risks", tag = "企业信用", request_body = PublicRiskInput, responses((status = 201, body = PublicRisk), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn publish_risk(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PublicRiskInput>,
) -> ApiResult<(StatusCode, Json<PublicRisk>)> {
    let input = yingji_core::credit::disclosure::RiskInput {
        title: input.title,
        place: input.place,
        advice: input.advice,
        from_day: input.from_day,
        until_day: input.until_day,
        department_id: input.department_id,
    };
    let r = yingji_app::credit::disclosure::publish(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Takes a published risk off the public page.
#[utoipa::path(post, path = "/api/v1/credit/public-risks/{id}/withdraw", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = PublicRisk), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn withdraw_risk(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicRisk>> {
    let r = yingji_app::credit::disclosure::withdraw(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
    )
    .await?;
    Ok(Json(r.into()))
}

/// A 严重失信主体 as published.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicListing {
    /// unit 单位 or person 个人.
    pub subject_kind: String,
    pub name: String,
    /// 统一社会信用代码 of a unit; a person's ID number is not published.
    pub credit_code: Option<String>,
    pub reason: String,
    pub decision_number: Option<String>,
    pub department_name: String,
    pub listed_day: Option<String>,
    pub expires_day: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicCredit {
    pub listings: Vec<PublicListing>,
    pub risks: Vec<PublicRisk>,
}

/// 信用公示 (no login): the 严重失信主体 within their management period and the 重大安全风险 in
/// their period.
#[utoipa::path(get, path = "/api/public/credit", tag = "公众", responses((status = 200, body = PublicCredit), (status = 429, body = crate::error::ErrorBody)))]
pub async fn public_credit(
    State(app): State<AppState>,
    parts: Parts,
) -> ApiResult<Json<PublicCredit>> {
    let now = app.clock.now_ms();
    let key = format!("credit:{}", crate::extract::rate_key(&parts));
    app.public_limiter
        .check(&key, now, "访问过于频繁，请稍后再试")
        .await?;
    let day = today(now).to_string();
    let mut out = Vec::new();
    for c in listings::public(&app.store, &day).await? {
        let reason = Criterion::parse(&c.criterion)
            .map(Criterion::label)
            .unwrap_or_default();
        for s in &c.subjects {
            out.push(PublicListing {
                subject_kind: s.subject.kind.clone(),
                name: s.subject.name.clone(),
                credit_code: (s.subject.kind == "unit")
                    .then(|| s.subject.code.clone())
                    .flatten(),
                reason: reason.into(),
                decision_number: c.decision_number.clone(),
                department_name: c.department_name.clone(),
                listed_day: c.listed_day.clone(),
                expires_day: c.expires_day.clone(),
            });
        }
    }
    let risks = risks::public(&app.store, &day)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(PublicCredit {
        listings: out,
        risks,
    }))
}

//! 安责险 coverage of the mandatory industries in the caller's scope, by street and by industry,
//! the uninsured listed, and their notification.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::coverage::Tally;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(coverage))
        .routes(routes!(notify))
}

/// Insured of required in one group, and the rate in per cent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageLine {
    /// The street code or the industry's name.
    pub key: String,
    pub label: String,
    pub required: i64,
    pub insured: i64,
    pub rate: f64,
}

fn line(key: String, label: String, t: &Tally) -> CoverageLine {
    CoverageLine {
        key,
        label,
        required: t.required,
        insured: t.insured,
        rate: t.rate(),
    }
}

/// An enterprise that must be insured and has no policy in force today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Uninsured {
    pub enterprise_id: String,
    pub name: String,
    pub uscc: String,
    pub street_code: String,
    pub street_name: String,
    /// The mandatory industries it is in.
    pub industries: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageReport {
    pub total: CoverageLine,
    pub by_street: Vec<CoverageLine>,
    pub by_industry: Vec<CoverageLine>,
    pub uninsured: Vec<Uninsured>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyInput {
    /// Only these of the uninsured (default: all in the caller's scope).
    #[serde(default)]
    pub enterprise_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotifyResult {
    pub enterprises: i64,
    pub people: i64,
}

/// Coverage of the mandatory industries (安全生产法 第五十一条) in the caller's scope today.
#[utoipa::path(get, path = "/api/v1/credit/insurance/coverage", tag = "企业信用", responses((status = 200, body = CoverageReport), (status = 403, body = crate::error::ErrorBody)))]
pub async fn coverage(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<CoverageReport>> {
    let r =
        yingji_app::credit::coverage::report(&app.store, &ctx(&caller), app.clock.now_ms()).await?;
    let c = &r.coverage;
    Ok(Json(CoverageReport {
        total: line("total".into(), "合计".into(), &c.total),
        by_street: c
            .by_street
            .iter()
            .map(|(k, t)| {
                line(
                    k.clone(),
                    r.street_names.get(k).cloned().unwrap_or_else(|| k.clone()),
                    t,
                )
            })
            .collect(),
        by_industry: c
            .by_industry
            .iter()
            .map(|(k, t)| line(k.clone(), k.clone(), t))
            .collect(),
        uninsured: r
            .uninsured
            .into_iter()
            .map(|u| Uninsured {
                enterprise_id: u.row.id,
                name: u.row.name,
                uscc: u.row.uscc,
                street_code: u.row.street_code,
                street_name: u.row.street_name,
                industries: u.industries,
            })
            .collect(),
    }))
}

/// Notifies the uninsured enterprises (their users and supervising departments), audited.
#[utoipa::path(post, path = "/api/v1/credit/insurance/coverage/notify", tag = "企业信用", request_body = NotifyInput, responses((status = 200, body = NotifyResult), (status = 403, body = crate::error::ErrorBody)))]
pub async fn notify(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NotifyInput>,
) -> ApiResult<Json<NotifyResult>> {
    let (e, p) = yingji_app::credit::coverage::notify(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        input.enterprise_ids.as_deref(),
    )
    .await?;
    Ok(Json(NotifyResult {
        enterprises: e as i64,
        people: p as i64,
    }))
}

//! 事故预防服务: the insurers' service records for their policyholders.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::prevention_services::{self as rules, kind_label};
use yingji_store::credit::prevention_services as rows;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, record))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Service {
    pub id: String,
    pub insurer_id: String,
    pub insurer_name: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub day: String,
    /// risk_assessment, hazard_check, training, drill, consulting or other.
    pub kind: String,
    pub kind_label: String,
    pub findings: String,
    pub attachment_ids: Vec<String>,
    pub recorded_by_name: String,
    pub created_ms: i64,
}

impl From<rows::Service> for Service {
    fn from(v: rows::Service) -> Self {
        Self {
            kind_label: kind_label(&v.kind).into(),
            id: v.id,
            insurer_id: v.insurer_id,
            insurer_name: v.insurer_name,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            day: v.day,
            kind: v.kind,
            findings: v.findings,
            attachment_ids: v.attachment_ids,
            recorded_by_name: v.recorded_by_name,
            created_ms: v.created_ms,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// A policyholder of the insurer.
    pub enterprise_id: String,
    /// The administrators name the insurer; an insurer's user records its own.
    #[serde(default)]
    pub insurer_id: Option<String>,
    /// YYYY-MM-DD, not after today.
    pub day: String,
    pub kind: String,
    pub findings: String,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ServiceQuery {
    pub enterprise_id: Option<String>,
    /// Only days on or after (YYYY-MM-DD).
    pub since: Option<String>,
}

/// The service records the caller may see, newest day first.
#[utoipa::path(get, path = "/api/v1/credit/insurance/services", tag = "企业信用", params(ServiceQuery), responses((status = 200, body = ListResponse<Service>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ServiceQuery>,
) -> ApiResult<Json<ListResponse<Service>>> {
    let items = rows::list(
        &app.store,
        &ctx(&caller),
        q.enterprise_id.as_deref(),
        q.since.as_deref(),
    )
    .await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Records a 事故预防服务 for one of the insurer's policyholders.
#[utoipa::path(post, path = "/api/v1/credit/insurance/services", tag = "企业信用", request_body = ServiceInput, responses((status = 201, body = Service), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn record(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<(StatusCode, Json<Service>)> {
    let input = rules::ServiceInput {
        enterprise_id: input.enterprise_id,
        insurer_id: input.insurer_id,
        day: input.day,
        kind: input.kind,
        findings: input.findings,
        attachment_ids: input.attachment_ids,
    };
    let s = yingji_app::credit::prevention_services::record(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

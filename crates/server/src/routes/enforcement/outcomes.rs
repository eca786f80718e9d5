//! 一公开 outcomes: the public page's results of a published draw — each drawn enterprise's
//! inspection day and result, and for a decided penalty the 行政处罚决定书 number and summary.
//! No session; nothing about people (the inspectors' names and 执法证号 are on the draw itself).

use crate::AppState;
use crate::error::ApiResult;
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::enforcement::outcome::outcome;
use yingji_store::enforcement::{draws, outcomes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(public_outcomes))
}

/// A decided penalty as published (行政处罚决定书).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicDecision {
    pub number: String,
    pub violation: String,
    pub penalty: String,
    pub summary: String,
}

/// One drawn enterprise's outcome.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicOutcome {
    pub enterprise_name: String,
    /// YYYY-MM-DD, none while not inspected.
    pub inspected_on: Option<String>,
    /// pending 待检查, clean 未发现问题, hazards 发现隐患, rectify 责令整改, case 立案查处.
    pub result: String,
    pub result_label: String,
    pub findings: i64,
    pub decision: Option<PublicDecision>,
}

/// 一公开: the outcomes of a published draw's enterprises (no session).
#[utoipa::path(get, path = "/api/public/enforcement/draws/{id}/outcomes", tag = "公众", params(("id" = String, Path)), responses((status = 200, body = ListResponse<PublicOutcome>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn public_outcomes(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ListResponse<PublicOutcome>>> {
    let draw = draws::get(&app.store, None, &id).await?;
    let items: Vec<PublicOutcome> = outcomes::of_draw(&app.store, &draw.id)
        .await?
        .into_iter()
        .map(|o| {
            let out = outcome(&o.enterprise_name, &o.facts);
            PublicOutcome {
                inspected_on: o.facts.inspected_on.clone(),
                result: out.result.to_string(),
                result_label: out.label,
                findings: o.facts.findings,
                decision: out.decision.map(|d| PublicDecision {
                    number: d.number,
                    violation: d.violation,
                    penalty: d.penalty,
                    summary: d.summary,
                }),
                enterprise_name: o.enterprise_name,
            }
        })
        .collect();
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items,
    }))
}

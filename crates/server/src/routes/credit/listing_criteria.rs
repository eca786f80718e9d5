//! The qualifying records a department enters for the 严重失信主体名单, and what the platform
//! detects from an enterprise's accidents.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::listing_criteria::{self as criteria, Criterion};
use yingji_store::credit::listing_criteria::{self as records, Record};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_records, enter_record))
        .routes(routes!(findings))
}

/// A subject of a listing.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingSubject {
    /// unit 单位 or person 个人.
    pub kind: String,
    pub name: String,
    /// 统一社会信用代码 or 身份证号.
    #[serde(default)]
    pub code: Option<String>,
    /// 主要负责人、直接责任人员 … for a person.
    #[serde(default)]
    pub role: Option<String>,
}

impl From<ListingSubject> for criteria::Subject {
    fn from(s: ListingSubject) -> Self {
        Self {
            kind: s.kind,
            name: s.name,
            code: s.code,
            role: s.role,
        }
    }
}

impl From<criteria::Subject> for ListingSubject {
    fn from(s: criteria::Subject) -> Self {
        Self {
            kind: s.kind,
            name: s.name,
            code: s.code,
            role: s.role,
        }
    }
}

/// A qualifying record to enter.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingRecordInput {
    /// The enterprise (optional only for an agency's false report).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// The department (a department's staff: their own).
    #[serde(default)]
    pub department_id: Option<String>,
    /// concealed 瞒报谎报, aggravated_fine, absconded, unlicensed, false_report, refused_penalty, other.
    pub criterion: String,
    /// YYYY-MM-DD.
    pub occurred_day: String,
    pub description: String,
    /// The subjects (default: the unit and its 主要负责人).
    #[serde(default)]
    pub subjects: Vec<ListingSubject>,
}

/// A qualifying record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingRecord {
    pub id: String,
    pub department_id: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub criterion: String,
    pub criterion_label: String,
    pub occurred_day: String,
    pub description: String,
    pub subjects: Vec<ListingSubject>,
    pub created_by_name: String,
}

fn label(code: &str) -> String {
    Criterion::parse(code)
        .map(Criterion::label)
        .unwrap_or_default()
        .to_string()
}

impl From<Record> for ListingRecord {
    fn from(r: Record) -> Self {
        Self {
            criterion_label: label(&r.criterion),
            id: r.id,
            department_id: r.department_id,
            enterprise_id: r.enterprise_id,
            enterprise_name: r.enterprise_name,
            criterion: r.criterion,
            occurred_day: r.occurred_day,
            description: r.description,
            subjects: r.subjects.into_iter().map(Into::into).collect(),
            created_by_name: r.created_by_name,
        }
    }
}

/// The qualifying records of the caller's departments.
#[utoipa::path(get, path = "/api/v1/credit/listing-records", tag = "企业信用", responses((status = 200, body = ListResponse<ListingRecord>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_records(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<ListingRecord>>> {
    let items = records::list(&app.store, &ctx(&caller)).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Enters a qualifying record (瞒报/谎报, 无证经营, 拒不执行, 虚假报告 …) for a department.
#[utoipa::path(post, path = "/api/v1/credit/listing-records", tag = "企业信用", request_body = ListingRecordInput, responses((status = 201, body = ListingRecord), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn enter_record(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ListingRecordInput>,
) -> ApiResult<(StatusCode, Json<ListingRecord>)> {
    let input = criteria::RecordInput {
        enterprise_id: input.enterprise_id,
        department_id: input.department_id,
        criterion: input.criterion,
        occurred_day: input.occurred_day,
        description: input.description,
        subjects: input.subjects.into_iter().map(Into::into).collect(),
    };
    let r = yingji_app::credit::listing_criteria::enter(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// A listing condition the platform detected from the accidents.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingFinding {
    pub criterion: String,
    pub criterion_label: String,
    pub day: String,
    pub basis: String,
    pub accident_ids: Vec<String>,
}

/// The listing conditions detected from an enterprise's accidents (特别重大/重大; 2 or more 较大
/// within 12 months).
#[utoipa::path(get, path = "/api/v1/credit/enterprises/{id}/listing-findings", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = ListResponse<ListingFinding>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn findings(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ListResponse<ListingFinding>>> {
    let items: Vec<ListingFinding> =
        yingji_app::credit::listing_criteria::detected(&app.store, &ctx(&caller), &id)
            .await?
            .into_iter()
            .map(|f| ListingFinding {
                criterion: f.criterion.as_str().into(),
                criterion_label: f.criterion.label().into(),
                day: f.day.to_string(),
                basis: f.basis,
                accident_ids: f.accident_ids,
            })
            .collect();
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items,
    }))
}

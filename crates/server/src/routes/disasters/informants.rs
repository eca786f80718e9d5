//! 灾害信息员 register: per village/community, with the backup person and training records.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx, string_or_number};
use crate::routes::Limits;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_store::disasters::informants;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
        .routes(routes!(retire))
}

/// A training record.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterInformantTraining)]
pub struct Training {
    /// YYYY-MM-DD
    pub day: String,
    pub topic: String,
}

/// A 灾害信息员 to register.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterInformantInput)]
pub struct InformantInput {
    /// The village/community (村/社区) code.
    #[serde(deserialize_with = "crate::routes::disasters::reports_api::code")]
    #[schema(value_type = String)]
    pub region_code: String,
    pub name: String,
    /// 11-digit mobile or 区号-号码.
    pub phone: String,
    /// B岗 (backup) person.
    #[serde(default)]
    pub backup_name: Option<String>,
    #[serde(default)]
    pub backup_phone: Option<String>,
    #[serde(default)]
    pub trainings: Vec<Training>,
    /// The grid-worker account (of the same street) that reports from the phone; edit only.
    #[serde(default)]
    pub user_id: Option<String>,
}

impl InformantInput {
    fn core(self) -> yingji_core::disasters::informants::InformantInput {
        yingji_core::disasters::informants::InformantInput {
            region_code: self.region_code,
            name: self.name,
            phone: self.phone,
            backup_name: self.backup_name,
            backup_phone: self.backup_phone,
            trainings: self
                .trainings
                .into_iter()
                .map(|t| yingji_core::disasters::informants::Training {
                    day: t.day,
                    topic: t.topic,
                })
                .collect(),
        }
    }
}

/// 退出 (retire) with a reason.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterInformantRetire)]
pub struct RetireInput {
    pub reason: String,
}

/// A registered 灾害信息员.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterInformant)]
pub struct Informant {
    pub id: String,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    pub phone: String,
    pub backup_name: Option<String>,
    pub backup_phone: Option<String>,
    pub trainings: Vec<Training>,
    pub updated_ms: i64,
    /// The grid-worker account that reports, and its name.
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    /// 已退出: when, and why.
    pub retired_ms: Option<i64>,
    pub retired_reason: Option<String>,
}

impl From<informants::Informant> for Informant {
    fn from(v: informants::Informant) -> Self {
        Self {
            id: v.id,
            region_name: v.region_name,
            region_code: v.input.region_code,
            name: v.input.name,
            phone: v.input.phone,
            backup_name: v.input.backup_name,
            backup_phone: v.input.backup_phone,
            trainings: v
                .input
                .trainings
                .into_iter()
                .map(|t| Training {
                    day: t.day,
                    topic: t.topic,
                })
                .collect(),
            updated_ms: v.updated_ms,
            user_id: v.user_id,
            user_name: v.user_name,
            retired_ms: v.retired_ms,
            retired_reason: v.retired_reason,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InformantQuery {
    /// A street or community inside the caller's area.
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
}

/// 灾害信息员 of the caller's area, by village/community.
#[utoipa::path(get, path = "/api/v1/disasters/informants", tag = "灾情报送", params(InformantQuery), responses((status = 200, body = Vec<Informant>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<InformantQuery>,
) -> ApiResult<Json<Vec<Informant>>> {
    let items = informants::list(&app.store, &ctx(&caller), q.region.as_deref()).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// 登记灾害信息员 for a village/community of the caller's area.
#[utoipa::path(post, path = "/api/v1/disasters/informants", tag = "灾情报送", request_body = InformantInput, responses((status = 201, body = Informant), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(i): ApiJson<InformantInput>,
) -> ApiResult<(StatusCode, Json<Informant>)> {
    let input = i.core();
    let v = yingji_app::disasters::informants::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// 修改灾害信息员: the fields, the backup person, the training records and the linked
/// grid-worker account (of the same street).
#[utoipa::path(put, path = "/api/v1/disasters/informants/{id}", tag = "灾情报送", params(("id" = String, Path)), request_body = InformantInput, responses((status = 200, body = Informant), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(i): ApiJson<InformantInput>,
) -> ApiResult<Json<Informant>> {
    let user = i.user_id.clone();
    let v = yingji_app::disasters::informants::update(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &i.core(),
        user.as_deref(),
    )
    .await?;
    Ok(Json(v.into()))
}

/// 灾害信息员退出, with the reason.
#[utoipa::path(post, path = "/api/v1/disasters/informants/{id}/retire", tag = "灾情报送", params(("id" = String, Path)), request_body = RetireInput, responses((status = 200, body = Informant), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn retire(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<RetireInput>,
) -> ApiResult<Json<Informant>> {
    let v = yingji_app::disasters::informants::retire(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &r.reason,
    )
    .await?;
    Ok(Json(v.into()))
}

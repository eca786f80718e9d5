//! 预警信息发布: authoring with a second person's approval, CAP 1.2 in (from the weather, water
//! and natural-resources bureaus) and out, the Atom feed, and the public list of current warnings.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::warning::api::Warning;
use crate::routes::warning::api::ingest::Ingested;
use crate::routes::warning::api::publish::StepInput;
use crate::routes::warning::api::publish::WarningInput;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use yingji_app::warning::ingest::IngestError;
use yingji_core::warning::{EVENT_TYPES, LEVELS};
use yingji_store::Page;
use yingji_store::warning;
use yingji_store::warning::WarningFilter;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = WarningCode)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = WarningLevel)]
pub struct Level {
    pub level: i64,
    pub colour: &'static str,
    pub term: &'static str,
    pub cap_severity: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarningMeta {
    pub event_types: Vec<Code>,
    pub levels: Vec<Level>,
    /// 承灾体 kinds and the kinds of person answering for them.
    pub object_kinds: Vec<Code>,
    pub person_types: Vec<Code>,
}

#[utoipa::path(get, path = "/api/v1/warnings/meta", tag = "预警信息", responses((status = 200, body = WarningMeta)))]
pub async fn meta(_caller: Caller) -> Json<WarningMeta> {
    Json(WarningMeta {
        event_types: codes(EVENT_TYPES),
        levels: LEVELS
            .iter()
            .map(|(level, colour, term, cap_severity)| Level {
                level: *level,
                colour,
                term,
                cap_severity,
            })
            .collect(),
        object_kinds: codes(yingji_core::warning::target::OBJECT_KINDS),
        person_types: codes(yingji_core::warning::target::PERSON_TYPES),
    })
}

fn codes(table: &'static [(&'static str, &'static str)]) -> Vec<Code> {
    table
        .iter()
        .map(|(code, label)| Code { code, label })
        .collect()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WarningQuery {
    /// draft / pending / published / superseded / cancelled
    pub status: Option<String>,
    /// Only those in force now.
    pub current: Option<bool>,
    /// authored / ingested
    pub origin: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/warnings", tag = "预警信息", params(WarningQuery), responses((status = 200, body = ListResponse<Warning>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<WarningQuery>,
) -> ApiResult<Json<ListResponse<Warning>>> {
    let f = WarningFilter {
        status: q.status,
        current: q.current,
        origin: q.origin,
    };
    let (items, total) = warning::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
        app.clock.now_ms(),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 起草预警 (草稿); 更新 with `supersedes`.
#[utoipa::path(post, path = "/api/v1/warnings", tag = "预警信息", request_body = WarningInput, responses((status = 201, body = Warning), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<WarningInput>,
) -> ApiResult<(StatusCode, Json<Warning>)> {
    let w = yingji_app::warning::publish::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}

#[utoipa::path(get, path = "/api/v1/warnings/{id}", tag = "预警信息", responses((status = 200, body = Warning), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Warning>> {
    Ok(Json(
        warning::get(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

/// 提交审核 / 审核发布 (not by the author) / 退回 / 解除.
#[utoipa::path(post, path = "/api/v1/warnings/{id}/actions", tag = "预警信息", request_body = StepInput, responses((status = 200, body = Warning), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn act(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StepInput>,
) -> ApiResult<Json<Warning>> {
    Ok(Json(
        yingji_app::warning::publish::act(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// 接收 CAP 预警: the body is a CAP 1.2 (or 1.1) message. The same sender and identifier again
/// answers 200 with the stored warning; a refused message answers 400 with every error found
/// (`details`: code, path, message). Authenticate with a token (`Authorization: Bearer yj_…`).
#[utoipa::path(post, path = "/api/v1/warnings/cap", tag = "预警信息", request_body(content = String, content_type = "application/cap+xml"), responses((status = 201, body = Ingested), (status = 200, body = Ingested), (status = 400, body = crate::error::ErrorBody)))]
pub async fn ingest(
    State(app): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<Response> {
    if !yingji_core::warning::access::may_receive_warnings(caller.role()) {
        return Err(ApiError::forbidden("您没有接收预警的权限"));
    }
    let district =
        yingji_store::directory::regions::district_of_scope(&app.store, &caller.scope).await?;
    let r = yingji_app::warning::ingest::ingest(
        &app.store,
        &caller.actor(),
        &caller.user.display_name,
        &district,
        app.clock.now_ms(),
        &body,
    )
    .await;
    match r {
        Ok(i) => {
            let status = if i.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(i)).into_response())
        }
        Err(IngestError::Cap(errors)) => {
            let summary: Vec<String> = errors.iter().take(5).map(|e| e.message.clone()).collect();
            Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_cap", format!("CAP 消息不符合规范：{}", summary.join("；")))
                .with_details(serde_json::json!(errors
                    .iter()
                    .map(|e| serde_json::json!({"field": e.path, "code": e.code, "message": e.message}))
                    .collect::<Vec<_>>())))
        }
        Err(IngestError::Store(e)) => Err(e.into()),
    }
}

fn cap_response(xml: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/cap+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// A published message as CAP 1.2 XML (public).
#[utoipa::path(get, path = "/api/public/warnings/{id}/cap", tag = "公众", responses((status = 200, content_type = "application/cap+xml"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn cap(State(app): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(cap_response(warning::cap_of(&app.store, &id).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicWarning {
    pub id: String,
    pub event_label: String,
    pub level: i64,
    pub colour: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
    pub sender_name: String,
    pub area_desc: String,
    pub area: serde_json::Value,
    pub effective_ms: i64,
    pub expires_ms: i64,
    pub cap_url: String,
}

/// 当前生效的预警 for the public page (no login).
#[utoipa::path(get, path = "/api/public/warnings", tag = "公众", responses((status = 200, body = Vec<PublicWarning>)))]
pub async fn public_list(State(app): State<AppState>) -> ApiResult<Json<Vec<PublicWarning>>> {
    let items = warning::current(&app.store, app.clock.now_ms()).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|w| PublicWarning {
                cap_url: format!("/api/public/warnings/{}/cap", w.id),
                id: w.id,
                event_label: w.event_label,
                level: w.level,
                colour: w.colour,
                headline: w.headline,
                description: w.description,
                instruction: w.instruction,
                sender_name: w.sender_name,
                area_desc: w.area_desc,
                area: w.area,
                effective_ms: w.effective_ms,
                expires_ms: w.expires_ms,
            })
            .collect(),
    ))
}

/// The district and its streets (outlines only), the public map's base.
#[utoipa::path(get, path = "/api/public/map/regions", tag = "公众", responses((status = 200, body = Object)))]
pub async fn public_regions(State(app): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    use yingji_core::directory::region::RegionLevel;
    Ok(Json(
        yingji_store::directory::regions::feature_collection(
            &app.store,
            &yingji_core::kernel::role::Scope::All,
            &[RegionLevel::District, RegionLevel::Street],
        )
        .await?,
    ))
}

// ---------------------------------------------------------------------------------------------
// 靶向预警: protected objects, response work orders, the command view's figures

// ---------------------------------------------------------------------------------------------
// 预警订阅源: other bureaus' Atom/RSS feeds, polled by yingji-jobs

/// The Atom feed of published messages (alerts, updates and cancellations), newest first.
#[utoipa::path(get, path = "/api/public/warnings/feed", tag = "公众", responses((status = 200, content_type = "application/atom+xml")))]
pub async fn feed(State(app): State<AppState>) -> ApiResult<Response> {
    let now = app.clock.now_ms();
    let rows = warning::published(&app.store, now, 100).await?;
    let alerts: Vec<(yingji_cap::Alert, String)> = rows
        .into_iter()
        .filter_map(|(w, xml)| {
            yingji_cap::read(xml.as_bytes())
                .ok()
                .map(|a| (a, format!("/api/public/warnings/{}/cap", w.id)))
        })
        .collect();
    let refs: Vec<(&yingji_cap::Alert, String)> =
        alerts.iter().map(|(a, u)| (a, u.clone())).collect();
    let body = yingji_cap::atom::feed(
        "应急管理预警信息",
        "/api/public/warnings/feed",
        &yingji_cap::identifier::beijing_time(now),
        &refs,
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

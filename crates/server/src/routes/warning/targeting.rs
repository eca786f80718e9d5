//! Protected objects (承灾体), the work orders a warning becomes, their answers and effectiveness.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_store::Page;

use crate::routes::warning::api::targeting::ObjectInput;
use crate::routes::warning::api::targeting::OrderAnswer;
use crate::routes::warning::api::targeting::ProtectedObject;
use crate::routes::warning::api::targeting::WorkOrder;
use yingji_store::warning::targeting;
use yingji_store::warning::targeting::OrderFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ObjectQuery {
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 承灾体 in the caller's area (a 特殊群体's personal data only for their grid worker and admins).
#[utoipa::path(get, path = "/api/v1/protected-objects", tag = "预警信息", params(ObjectQuery), responses((status = 200, body = ListResponse<ProtectedObject>)))]
pub async fn list_objects(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ObjectQuery>,
) -> ApiResult<Json<ListResponse<ProtectedObject>>> {
    let (items, total) = targeting::list_objects(
        &app.store,
        &caller.scope,
        caller.role(),
        q.kind.as_deref(),
        Page::new(q.page, q.page_size),
    )
    .await?;
    record_personal_reads(&app, &caller, &items).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 等保: the 特殊群体 records whose personal data the caller is shown go to the audit chain.
async fn record_personal_reads(
    app: &AppState,
    caller: &Caller,
    items: &[yingji_store::warning::targeting::ProtectedObject],
) -> ApiResult<()> {
    let ids: Vec<String> = items
        .iter()
        .filter(|o| o.personal && !o.masked)
        .map(|o| o.id.clone())
        .collect();
    yingji_app::security::access_log::record_personal_reads(
        &app.store,
        app.clock.now_ms(),
        &caller.actor(),
        &ids,
    )
    .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/protected-objects", tag = "预警信息", request_body = ObjectInput, responses((status = 201, body = ProtectedObject), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_object(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ObjectInput>,
) -> ApiResult<(StatusCode, Json<ProtectedObject>)> {
    let o = yingji_app::warning::targeting::create_object(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

#[utoipa::path(get, path = "/api/v1/protected-objects/{id}", tag = "预警信息", responses((status = 200, body = ProtectedObject), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_object(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProtectedObject>> {
    let o = targeting::get_object(&app.store, &ctx(&caller), &id).await?;
    record_personal_reads(&app, &caller, std::slice::from_ref(&o)).await?;
    Ok(Json(o.into()))
}

/// 修改承灾体 (a 特殊群体 only by their grid worker or an administrator).
#[utoipa::path(put, path = "/api/v1/protected-objects/{id}", tag = "预警信息", request_body = ObjectInput, responses((status = 200, body = ProtectedObject), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_object(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ObjectInput>,
) -> ApiResult<Json<ProtectedObject>> {
    Ok(Json(
        yingji_app::warning::targeting::update_object(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.try_into()?,
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    pub warning_id: Option<String>,
    /// open / acknowledged / reported / released / closed, or several comma-separated.
    pub status: Option<String>,
    /// Only the caller's own (as responsible person).
    pub mine: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 响应工单 in the caller's area.
#[utoipa::path(get, path = "/api/v1/work-orders", tag = "预警信息", params(OrderQuery), responses((status = 200, body = ListResponse<WorkOrder>)))]
pub async fn list_orders(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<ListResponse<WorkOrder>>> {
    let f = OrderFilter {
        warning_id: q.warning_id,
        status: q.status,
        mine: q.mine.unwrap_or(false),
    };
    let (items, total) = targeting::list_orders(
        &app.store,
        &ctx(&caller),
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

/// One 响应工单 in the caller's area (the 工作台 and the 消息中心 link to it).
#[utoipa::path(get, path = "/api/v1/work-orders/{id}", tag = "预警信息", responses((status = 200, body = WorkOrder), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_order(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<WorkOrder>> {
    Ok(Json(
        targeting::get_order(&app.store, &ctx(&caller), &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

/// 叫应 (acknowledge) or 反馈 (report: 到岗, 已巡查, 已转移 N 人, photos).
#[utoipa::path(post, path = "/api/v1/work-orders/{id}/answer", tag = "预警信息", params(crate::routes::kernel::api::idempotency::IdempotencyHeader), request_body = OrderAnswer, responses((status = 200, body = WorkOrder), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn answer(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    key: crate::extract::IdempotencyKey,
    ApiJson(input): ApiJson<OrderAnswer>,
) -> ApiResult<Json<WorkOrder>> {
    Ok(Json(
        yingji_app::warning::targeting::answer(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
            key.as_deref(),
        )
        .await?
        .into(),
    ))
}

/// 通知记录 of a work order: the SMS to its responsible person, and the escalations' messages.
#[utoipa::path(get, path = "/api/v1/work-orders/{id}/deliveries", tag = "预警信息", responses((status = 200, body = Vec<crate::routes::kernel::api::outbox::Delivery>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn order_deliveries(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<crate::routes::kernel::api::outbox::Delivery>>> {
    targeting::get_order(&app.store, &ctx(&caller), &id, app.clock.now_ms()).await?;
    Ok(Json(
        yingji_store::kernel::outbox::list(
            &app.store,
            yingji_store::kernel::outbox::ListBy::Subject,
            &id,
        )
        .await?
        .into_iter()
        .map(Into::into)
        .collect::<Vec<_>>(),
    ))
}

/// A warning's response: objects targeted, acknowledged on time / late / never, relocated, times,
/// by street, person type and object kind.
#[utoipa::path(get, path = "/api/v1/warnings/{id}/response", tag = "预警信息", responses((status = 200, body = crate::routes::warning::api::targeting::Response), (status = 404, body = crate::error::ErrorBody)))]
pub async fn response(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<crate::routes::warning::api::targeting::Response>> {
    Ok(Json(
        targeting::response(&app.store, &ctx(&caller), &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EffectivenessQuery {
    /// First day (YYYY-MM-DD, Asia/Shanghai); default 29 days before `to`.
    pub from: Option<String>,
    /// Last day, inclusive; default today.
    pub to: Option<String>,
}

/// 叫应效能分析: the orders created in the period — 叫应率, on time / late / never, mean and median
/// minutes to acknowledge — overall and by street, person type and object kind.
#[utoipa::path(get, path = "/api/v1/warnings/effectiveness", tag = "预警信息", params(EffectivenessQuery), responses((status = 200, body = crate::routes::warning::api::targeting::Response), (status = 400, body = crate::error::ErrorBody)))]
pub async fn effectiveness(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EffectivenessQuery>,
) -> ApiResult<Json<crate::routes::warning::api::targeting::Response>> {
    let now = app.clock.now_ms();
    let (from, to) = crate::routes::day_range(now, q.from.as_deref(), q.to.as_deref())?;
    Ok(Json(
        targeting::effectiveness(&app.store, &ctx(&caller), from, to, now)
            .await?
            .into(),
    ))
}

//! 大联动: an event's joint task (the lead unit, the cooperating units' parts and deadlines),
//! each part reported done or released, and the list of joint tasks (联动任务).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use crate::routes::grid::events_api::GridEvent;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::joint as uc;
use yingji_core::grid::joint::PartInput;
use yingji_store::Page;
use yingji_store::kernel::Ctx;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, start))
        .routes(routes!(done))
        .routes(routes!(waive))
        .routes(routes!(list))
}

/// One cooperating unit's part as entered.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridJointPartInput {
    /// department / street
    pub unit_kind: String,
    /// The department's id or the street's 9-digit code.
    pub unit_id: String,
    /// 任务内容.
    pub task: String,
    /// 完成期限: a date (the end of that day) or a date-time, Asia/Shanghai.
    pub due: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridJointStartInput {
    pub parts: Vec<GridJointPartInput>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridJointDoneInput {
    /// 完成情况.
    pub note: String,
    /// Photos uploaded first (`/api/v1/attachments`), at most 20.
    #[serde(default)]
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridJointWaiveInput {
    /// 不再办理的原因.
    pub reason: String,
}

/// A cooperating unit's part.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridJointPart {
    pub id: String,
    /// department / street
    pub unit_kind: String,
    pub unit_id: String,
    pub unit_name: String,
    pub task: String,
    /// 完成期限 (ms).
    pub due_ms: i64,
    /// open / done / waived
    pub status: String,
    pub status_label: String,
    /// 完成情况, or why it was released.
    pub note: Option<String>,
    /// Past its deadline while open.
    pub overdue: bool,
    pub created_by: String,
    pub created_ms: i64,
    pub finished_by: Option<String>,
    pub finished_ms: Option<i64>,
}

impl From<yingji_store::grid::joint::Part> for GridJointPart {
    fn from(p: yingji_store::grid::joint::Part) -> Self {
        Self {
            id: p.id,
            unit_kind: p.unit_kind,
            unit_id: p.unit_id,
            unit_name: p.unit_name,
            task: p.task,
            due_ms: p.due_ms,
            status: p.status,
            status_label: p.status_label,
            note: p.note,
            overdue: p.overdue,
            created_by: p.created_by,
            created_ms: p.created_ms,
            finished_by: p.finished_by,
            finished_ms: p.finished_ms,
        }
    }
}

/// An event's joint task: the lead unit is the event's unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridJointTask {
    pub event: GridEvent,
    pub parts: Vec<GridJointPart>,
    /// Parts still open.
    pub open: i64,
    /// The caller may add parts and release them (the lead unit or the duty room).
    pub may_lead: bool,
    /// The open parts the caller's unit may report done.
    pub mine: Vec<String>,
}

impl GridJointTask {
    fn of(
        e: yingji_store::grid::events::GridEvent,
        parts: Vec<yingji_store::grid::joint::Part>,
        (may_lead, mine): (bool, Vec<String>),
        c: &Ctx,
    ) -> Self {
        let parts: Vec<GridJointPart> = parts.into_iter().map(Into::into).collect();
        Self {
            event: GridEvent::seen_by(e, c),
            open: parts.iter().filter(|p| p.status == "open").count() as i64,
            parts,
            may_lead,
            mine,
        }
    }
    fn seen_by(v: uc::JointView, c: &Ctx) -> Self {
        Self::of(v.event, v.parts, (v.may_lead, v.mine), c)
    }
}

/// 联动任务 of an event (no parts: not a joint task yet).
#[utoipa::path(get, path = "/api/v1/grid/events/{id}/joint", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = GridJointTask), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GridJointTask>> {
    let c = ctx(&caller);
    let v = uc::view(&app.store, &c, &id).await?;
    Ok(Json(GridJointTask::seen_by(v, &c)))
}

/// 发起联动 (or add cooperating units) by the lead unit or the duty room: each part with its
/// deadline; the cooperating units see the event and are told when their deadline runs out.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/joint", tag = "网格事件", params(("id" = String, Path)), request_body = GridJointStartInput, responses((status = 200, body = GridJointTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn start(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<GridJointStartInput>,
) -> ApiResult<Json<GridJointTask>> {
    let c = ctx(&caller);
    let parts: Vec<PartInput> = input
        .parts
        .into_iter()
        .map(|p| PartInput {
            unit_kind: p.unit_kind,
            unit_id: p.unit_id,
            task: p.task,
            due: p.due,
        })
        .collect();
    let v = uc::start(&app.store, &c, app.clock.now_ms(), &id, &parts).await?;
    Ok(Json(GridJointTask::seen_by(v, &c)))
}

/// 协办完成: the cooperating unit reports its part done, with a note and photos.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/joint/parts/{part_id}/done", tag = "网格事件", params(("id" = String, Path), ("part_id" = String, Path)), request_body = GridJointDoneInput, responses((status = 200, body = GridJointTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn done(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, part_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<GridJointDoneInput>,
) -> ApiResult<Json<GridJointTask>> {
    let c = ctx(&caller);
    let now = app.clock.now_ms();
    let v = uc::complete(
        &app.store,
        &c,
        now,
        (&id, &part_id),
        &input.note,
        &input.attachments,
    )
    .await?;
    Ok(Json(GridJointTask::seen_by(v, &c)))
}

/// 不再办理: the lead unit (or the duty room) releases an open part, saying why.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/joint/parts/{part_id}/waive", tag = "网格事件", params(("id" = String, Path), ("part_id" = String, Path)), request_body = GridJointWaiveInput, responses((status = 200, body = GridJointTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn waive(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, part_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<GridJointWaiveInput>,
) -> ApiResult<Json<GridJointTask>> {
    let c = ctx(&caller);
    let now = app.clock.now_ms();
    let v = uc::waive(&app.store, &c, now, (&id, &part_id), &input.reason).await?;
    Ok(Json(GridJointTask::seen_by(v, &c)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GridJointQuery {
    /// Only those with a part still open.
    pub open: Option<bool>,
    /// Only those where the caller's unit has a part.
    pub mine: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 联动任务: the joint tasks the caller is part of (the duty room: the district's).
#[utoipa::path(get, path = "/api/v1/grid/joint", tag = "网格事件", params(GridJointQuery), responses((status = 200, body = ListResponse<GridJointTask>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<GridJointQuery>,
) -> ApiResult<Json<ListResponse<GridJointTask>>> {
    let c = ctx(&caller);
    let page = Page::new(q.page, q.page_size);
    let (rows, total) = uc::list(
        &app.store,
        &c,
        q.open.unwrap_or(false),
        q.mine.unwrap_or(false),
        page,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|(e, parts)| {
            let v = uc::JointView::of(&c, e, parts);
            GridJointTask::seen_by(v, &c)
        })
        .collect();
    Ok(Json(ListResponse { items, total }))
}

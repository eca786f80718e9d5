//! 群众随手拍 (no login, rate-limited per address like the hazard form): file a grid event,
//! follow it by its tracking code, and make the 回访; the public categories for the form.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, client_ip};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::public::{self as uc, PublicTracking};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report))
        .routes(routes!(track))
        .routes(routes!(visit))
        .routes(routes!(categories))
}

async fn limited(app: &AppState, parts: &Parts, what: &str) -> ApiResult<Option<String>> {
    let ip = client_ip(parts);
    let key = format!("grid-{what}:{}", ip.as_deref().unwrap_or("?"));
    app.public_limiter
        .check(&key, app.clock.now_ms(), "提交过于频繁，请稍后再试")
        .await?;
    Ok(ip)
}

/// A 随手拍 report as the public enters it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicEventInput {
    /// A public category (`/api/public/grid-categories`).
    pub category: String,
    pub title: Option<String>,
    pub description: String,
    /// From the phone's location or picked on the map.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The street or community (`/api/public/regions`).
    pub region_code: String,
    pub address: Option<String>,
    /// Leave both empty to report anonymously.
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    /// Photos uploaded first through `/api/public/attachments`, at most 20.
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<&PublicEventInput> for yingji_core::grid::events::EventInput {
    fn from(v: &PublicEventInput) -> Self {
        Self {
            category: v.category.clone(),
            title: v.title.clone(),
            description: v.description.clone(),
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code.clone(),
            address: v.address.clone(),
            enterprise_id: None,
            reporter_name: v.reporter_name.clone(),
            reporter_phone: v.reporter_phone.clone(),
            occurred_at: None,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicEventReceipt {
    /// 事件编号.
    pub code: String,
    /// Keep this to follow progress and make the 回访 (/public/track).
    pub tracking_code: String,
}

/// One public line of the timeline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicStep {
    pub action: String,
    pub at_ms: i64,
}

/// The progress of a report: public lines only (no staff names, no internal notes).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicEventTracking {
    pub code: String,
    pub category: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub reported_ms: i64,
    pub steps: Vec<PublicStep>,
    /// The unit's answer to the reporter.
    pub answer: Option<String>,
    pub satisfied: Option<bool>,
    /// The 回访 may be made now.
    pub visit_open: bool,
    /// The 回访 needs the last 4 digits of the phone given in the report.
    pub needs_phone: bool,
    /// Too many wrong phone checks.
    pub locked: bool,
    /// The main event's code when this report was merged into it (its progress is shown).
    pub merged_into: Option<String>,
    /// A reward was decided (or paid) for this report: the page links to the claim page.
    #[serde(default)]
    pub reward_ready: bool,
}

impl From<PublicTracking> for PublicEventTracking {
    fn from(t: PublicTracking) -> Self {
        Self {
            code: t.code,
            category: t.category,
            title: t.title,
            status: t.status,
            status_label: t.status_label,
            reported_ms: t.reported_ms,
            steps: t
                .steps
                .into_iter()
                .map(|(action, at_ms)| PublicStep { action, at_ms })
                .collect(),
            answer: t.answer,
            satisfied: t.satisfied,
            visit_open: t.visit_open,
            needs_phone: t.needs_phone,
            locked: t.locked,
            merged_into: t.merged_into,
            reward_ready: false,
        }
    }
}

/// The reporter's 回访.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicVisitInput {
    pub satisfied: bool,
    pub note: Option<String>,
    /// The last 4 digits of the phone given in the report (when one was given).
    pub phone_tail: Option<String>,
}

/// A public category of the 随手拍 form.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicCategory {
    pub code: String,
    pub name: String,
    /// A hidden hazard (隐患) rather than a violation or other matter.
    pub hazard: bool,
}

/// 随手拍: a public report of a hazard or a violation (no login); dispatched by the rules at once.
#[utoipa::path(post, path = "/api/public/grid-events", tag = "公众", request_body = PublicEventInput, responses((status = 201, body = PublicEventReceipt), (status = 400, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    parts: Parts,
    ApiJson(input): ApiJson<PublicEventInput>,
) -> ApiResult<(StatusCode, Json<PublicEventReceipt>)> {
    let ip = limited(&app, &parts, "report").await?;
    let (code, tracking_code) = uc::file_public(
        &app.store,
        app.clock.now_ms(),
        ip,
        &(&input).into(),
        &input.attachments,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(PublicEventReceipt {
            code,
            tracking_code,
        }),
    ))
}

/// 随手拍进度 by tracking code.
#[utoipa::path(get, path = "/api/public/grid-events/{tracking}", tag = "公众", params(("tracking" = String, Path)), responses((status = 200, body = PublicEventTracking), (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn track(
    State(app): State<AppState>,
    parts: Parts,
    Path(tracking): Path<String>,
) -> ApiResult<Json<PublicEventTracking>> {
    limited(&app, &parts, "track").await?;
    let mut t: PublicEventTracking = uc::track(&app.store, &tracking).await?.into();
    t.reward_ready = yingji_app::grid::rewards::ready(&app.store, &tracking).await?;
    Ok(Json(t))
}

/// 举报人回访: satisfied closes; unsatisfied reopens once. With a phone given in the report,
/// its last 4 digits are needed; 5 wrong tries lock the 回访.
#[utoipa::path(post, path = "/api/public/grid-events/{tracking}/visit", tag = "公众", params(("tracking" = String, Path)), request_body = PublicVisitInput, responses((status = 200, body = PublicEventTracking), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn visit(
    State(app): State<AppState>,
    parts: Parts,
    Path(tracking): Path<String>,
    ApiJson(input): ApiJson<PublicVisitInput>,
) -> ApiResult<Json<PublicEventTracking>> {
    let ip = limited(&app, &parts, "visit").await?;
    let t = uc::visit(
        &app.store,
        app.clock.now_ms(),
        ip,
        &tracking,
        (
            input.satisfied,
            input.note.as_deref(),
            input.phone_tail.as_deref(),
        ),
    )
    .await?;
    Ok(Json(t.into()))
}

/// The categories the public may report (of the district whose code is given, or the first).
#[utoipa::path(get, path = "/api/public/grid-categories", tag = "公众", responses((status = 200, body = Vec<PublicCategory>)))]
pub async fn categories(State(app): State<AppState>) -> ApiResult<Json<Vec<PublicCategory>>> {
    let district = yingji_store::directory::regions::district_of_scope(
        &app.store,
        &yingji_core::kernel::role::Scope::All,
    )
    .await?;
    let config = yingji_app::grid::events::config_of(&app.store, &district).await?;
    Ok(Json(
        config
            .categories
            .into_iter()
            .filter(|c| c.active && c.public)
            .map(|c| PublicCategory {
                code: c.code,
                name: c.name,
                hazard: c.hazard,
            })
            .collect(),
    ))
}

//! 信用脸谱: the ratings the caller may see (list with filters, distribution per tier), one
//! enterprise's rating with its reasons and history, a replay as of a past day, and the bulk
//! recompute.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::rating::Reason;
use yingji_core::credit::scheme::CreditScheme;
use yingji_core::kernel::clock::Date;
use yingji_store::credit::rating::{self as ratings, RatingFilter, RatingRow};
use yingji_store::credit::{adjustments, objections, scheme};
use yingji_store::{Page, Store, StoreResult};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(distribution))
        .routes(routes!(detail))
        .routes(routes!(replay))
        .routes(routes!(recompute))
}

/// An enterprise's credit face.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditRating {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub street_code: String,
    pub street_name: Option<String>,
    pub categories: Vec<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub tier: String,
    pub tier_name: String,
    pub colour: String,
    /// 每年至少检查次数 of the tier.
    pub inspections_per_year: u32,
    pub score: i64,
    pub reasons: Vec<Reason>,
    pub scheme_version: i64,
    pub as_of_day: String,
    pub computed_ms: i64,
}

/// Schemes by district, read once per request.
#[derive(Default)]
pub(crate) struct Schemes(HashMap<String, CreditScheme>);

impl Schemes {
    async fn of(&mut self, store: &Store, region: &str) -> StoreResult<&CreditScheme> {
        let d = scheme::district_of(region);
        if !self.0.contains_key(&d) {
            let s = scheme::current(store, &d).await?.scheme;
            self.0.insert(d.clone(), s);
        }
        Ok(&self.0[&d])
    }
}

pub(crate) async fn face(
    store: &Store,
    schemes: &mut Schemes,
    r: RatingRow,
) -> StoreResult<CreditRating> {
    let s = schemes.of(store, &r.street_code).await?;
    let t = s.tier(&r.tier);
    Ok(CreditRating {
        tier_name: t.map(|t| t.name.clone()).unwrap_or_default(),
        colour: t
            .map(|t| t.colour.clone())
            .unwrap_or_else(|| "#6b7280".into()),
        inspections_per_year: t.map(|t| t.inspections_per_year).unwrap_or(0),
        enterprise_id: r.enterprise_id,
        enterprise_name: r.enterprise_name,
        street_code: r.street_code,
        street_name: r.street_name,
        categories: r.categories,
        lon: r.lon,
        lat: r.lat,
        tier: r.tier,
        score: r.score,
        reasons: r.reasons,
        scheme_version: r.scheme_version,
        as_of_day: r.as_of_day,
        computed_ms: r.computed_ms,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RatingQuery {
    /// 等级代码.
    pub tier: Option<String>,
    /// 街道 (9-digit code).
    pub street: Option<String>,
    /// 监管类别.
    pub category: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 信用脸谱: the ratings of the enterprises the caller may see, lowest score first.
#[utoipa::path(get, path = "/api/v1/credit/ratings", tag = "信用脸谱", params(RatingQuery), responses((status = 200, body = ListResponse<CreditRating>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RatingQuery>,
) -> ApiResult<Json<ListResponse<CreditRating>>> {
    let f = RatingFilter {
        tier: q.tier.filter(|s| !s.is_empty()),
        street: q.street.filter(|s| !s.is_empty()),
        category: q.category.filter(|s| !s.is_empty()),
    };
    let page = Page::new(q.page, q.page_size);
    let (rows, total) = ratings::list(&app.store, &caller.scope, &f, &page).await?;
    let mut schemes = Schemes::default();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(face(&app.store, &mut schemes, r).await?);
    }
    Ok(Json(ListResponse { items, total }))
}

/// The number of enterprises in one tier.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TierCount {
    pub tier: String,
    pub count: i64,
}

/// How many of the enterprises the caller may see are in each tier.
#[utoipa::path(get, path = "/api/v1/credit/distribution", tag = "信用脸谱", responses((status = 200, body = Vec<TierCount>)))]
pub async fn distribution(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TierCount>>> {
    let d = ratings::distribution(&app.store, &caller.scope).await?;
    Ok(Json(
        d.into_iter()
            .map(|(tier, count)| TierCount { tier, count })
            .collect(),
    ))
}

/// A change of a rating.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditRatingChange {
    pub old_tier: Option<String>,
    pub new_tier: String,
    pub old_score: Option<i64>,
    pub new_score: i64,
    pub cause: String,
    pub explanation: String,
    pub changed_ms: i64,
}

impl From<ratings::ChangeRow> for CreditRatingChange {
    fn from(h: ratings::ChangeRow) -> Self {
        Self {
            old_tier: h.old_tier,
            new_tier: h.new_tier,
            old_score: h.old_score,
            new_score: h.new_score,
            cause: h.cause,
            explanation: h.explanation,
            changed_ms: h.changed_ms,
        }
    }
}

/// A department's adjustment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditAdjustment {
    pub id: String,
    pub day: String,
    pub points: i64,
    pub reason: String,
    pub objection_id: Option<String>,
    pub created_by_name: String,
    pub created_ms: i64,
}

/// One enterprise's credit: its face with reasons, history, adjustments and objections.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDetail {
    pub rating: CreditRating,
    pub changes: Vec<CreditRatingChange>,
    pub adjustments: Vec<CreditAdjustment>,
    pub objections: Vec<super::objections::CreditObjection>,
}

/// One enterprise's credit (the enterprise user: its own; departments: those they supervise).
#[utoipa::path(get, path = "/api/v1/credit/ratings/{enterprise_id}", tag = "信用脸谱", responses((status = 200, body = CreditDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn detail(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
) -> ApiResult<Json<CreditDetail>> {
    let c = ctx(&caller);
    let row =
        yingji_app::credit::rating::current(&app.store, &c, app.clock.now_ms(), &enterprise_id)
            .await?;
    let id = row.enterprise_id.clone();
    let rating = face(&app.store, &mut Schemes::default(), row).await?;
    let changes = ratings::changes(&app.store, &id, 1000)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let adjustments = adjustments::list(&app.store, &id)
        .await?
        .into_iter()
        .map(|a| CreditAdjustment {
            id: a.id,
            day: a.day,
            points: a.points,
            reason: a.reason,
            objection_id: a.objection_id,
            created_by_name: a.created_by_name,
            created_ms: a.created_ms,
        })
        .collect();
    let objections = objections::list(&app.store, &id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(CreditDetail {
        rating,
        changes,
        adjustments,
        objections,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReplayQuery {
    /// 评定日期 YYYY-MM-DD.
    pub as_of: String,
}

/// A rating replayed as of a day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditReplay {
    pub as_of: String,
    pub scheme_version: i64,
    pub tier: String,
    pub score: i32,
    pub reasons: Vec<Reason>,
}

/// The rating of an enterprise as of a past day, recomputed from the record (not stored).
#[utoipa::path(get, path = "/api/v1/credit/ratings/{enterprise_id}/replay", tag = "信用脸谱", params(ReplayQuery), responses((status = 200, body = CreditReplay), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn replay(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
    ApiQuery(q): ApiQuery<ReplayQuery>,
) -> ApiResult<Json<CreditReplay>> {
    let day: Date = q
        .as_of
        .parse()
        .map_err(|_| ApiError::field("as_of", "评定日期应为 YYYY-MM-DD 格式"))?;
    let (version, r) =
        yingji_app::credit::rating::replay(&app.store, &ctx(&caller), &enterprise_id, day).await?;
    Ok(Json(CreditReplay {
        as_of: day.to_string(),
        scheme_version: version,
        tier: r.tier,
        score: r.score,
        reasons: r.reasons,
    }))
}

/// What a bulk recompute did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecomputeResult {
    pub rated: i64,
    pub changed: i64,
}

/// 重新评定: every enterprise's rating recomputed now (administrators and bureau leadership).
#[utoipa::path(post, path = "/api/v1/credit/recompute", tag = "信用脸谱", responses((status = 200, body = RecomputeResult), (status = 403, body = crate::error::ErrorBody)))]
pub async fn recompute(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<RecomputeResult>> {
    let (rated, changed) =
        yingji_app::credit::rating::recompute_all_by(&app.store, &ctx(&caller), app.clock.now_ms())
            .await?;
    Ok(Json(RecomputeResult {
        rated: rated as i64,
        changed: changed as i64,
    }))
}

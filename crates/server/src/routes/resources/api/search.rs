//! API types of resources::search: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// team / expert / material / shelter
    pub kind: String,
    /// Around this incident's location …
    #[serde(default)]
    pub incident_id: Option<String>,
    /// … or this point.
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before the search.
    #[serde(default)]
    pub datum: Option<String>,
    /// A need as typed: `10 km 内 冲锋舟 ≥ 5`; or just a name or specialty.
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub radius_km: Option<f64>,
    #[serde(default)]
    pub min_qty: Option<i64>,
    /// Only 待命 teams, available experts, open shelters with room (default true).
    #[serde(default)]
    pub available_only: Option<bool>,
    #[serde(default)]
    pub limit: Option<i64>,
}

impl TryFrom<SearchQuery> for yingji_store::resources::SearchQuery {
    type Error = ApiError;

    fn try_from(v: SearchQuery) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            kind: v.kind,
            incident_id: v.incident_id,
            lon,
            lat,
            need: v.need,
            radius_km: v.radius_km,
            min_qty: v.min_qty,
            available_only: v.available_only,
            limit: v.limit,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub kind: String,
    pub id: String,
    pub name: String,
    /// Type, specialties or material, for the list.
    pub detail: String,
    pub lon: f64,
    pub lat: f64,
    pub distance_m: i64,
    pub status: String,
    pub status_label: String,
    /// Headcount, available stock, or places left.
    pub quantity: i64,
    pub unit: String,
    pub phone: String,
    /// For materials: the stock line and its warehouse.
    pub stock_id: Option<String>,
    pub warehouse_id: Option<String>,
}

impl From<yingji_store::resources::SearchHit> for SearchHit {
    fn from(v: yingji_store::resources::SearchHit) -> Self {
        Self {
            kind: v.kind,
            id: v.id,
            name: v.name,
            detail: v.detail,
            lon: v.lon,
            lat: v.lat,
            distance_m: v.distance_m,
            status: v.status,
            status_label: v.status_label,
            quantity: v.quantity,
            unit: v.unit,
            phone: v.phone,
            stock_id: v.stock_id,
            warehouse_id: v.warehouse_id,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResult {
    pub lon: f64,
    pub lat: f64,
    /// The radius searched (metres): the one asked for, or the ring that found enough.
    pub radius_m: i64,
    pub item: Option<String>,
    pub min_qty: i64,
    pub items: Vec<SearchHit>,
}

impl From<yingji_store::resources::SearchResult> for SearchResult {
    fn from(v: yingji_store::resources::SearchResult) -> Self {
        Self {
            lon: v.lon,
            lat: v.lat,
            radius_m: v.radius_m,
            item: v.item,
            min_qty: v.min_qty,
            items: v.items.into_iter().map(Into::into).collect(),
        }
    }
}

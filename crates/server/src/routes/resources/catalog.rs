//! 应急资源: the catalogue (codes and labels) and the nearest-first search; the registers
//! themselves are in the sibling modules.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller};
use crate::routes::resources::api::Catalogue;
use crate::routes::resources::api::search::SearchQuery;
use crate::routes::resources::api::search::SearchResult;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use yingji_core::resources::{
    EXPERT_SECTIONS, MOVEMENT_KINDS, ORDER_STATUSES, RESERVE_TYPES, SHELTER_KINDS, TEAM_KINDS,
    TEAM_STATUSES, WAREHOUSE_LEVELS,
};
use yingji_store::Page;
use yingji_store::resources;
use yingji_store::resources::ResourceFilter;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ResourceCode)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
}

fn codes(list: &[(&'static str, &'static str)]) -> Vec<Code> {
    list.iter()
        .map(|(code, label)| Code { code, label })
        .collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResourceMeta {
    pub catalogue: Catalogue,
    pub team_kinds: Vec<Code>,
    pub team_statuses: Vec<Code>,
    pub expert_sections: Vec<Code>,
    pub warehouse_levels: Vec<Code>,
    pub reserve_types: Vec<Code>,
    pub shelter_kinds: Vec<Code>,
    pub movement_kinds: Vec<Code>,
    pub order_statuses: Vec<Code>,
}

/// The material catalogue (应急物资分类) and the code lists of the resource pages.
#[utoipa::path(get, path = "/api/v1/resources/meta", tag = "应急资源", responses((status = 200, body = ResourceMeta)))]
pub async fn meta(_caller: Caller) -> Json<ResourceMeta> {
    Json(ResourceMeta {
        catalogue: resources::catalogue().clone().into(),
        team_kinds: codes(TEAM_KINDS),
        team_statuses: codes(TEAM_STATUSES),
        expert_sections: codes(EXPERT_SECTIONS),
        warehouse_levels: codes(WAREHOUSE_LEVELS),
        reserve_types: codes(RESERVE_TYPES),
        shelter_kinds: codes(SHELTER_KINDS),
        movement_kinds: codes(MOVEMENT_KINDS),
        order_statuses: codes(ORDER_STATUSES),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResourceQuery {
    /// Name, specialty, material …
    pub q: Option<String>,
    /// Team kind, expert section, warehouse level, reserve type or shelter kind.
    pub kind: Option<String>,
    pub status: Option<String>,
    pub warehouse_id: Option<String>,
    /// Material category code.
    pub category: Option<String>,
    /// Stock: low / expiring / expired.
    pub alert: Option<String>,
    /// true: in use only; false: deactivated (停用) only.
    pub active: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl ResourceQuery {
    pub fn split(self) -> (ResourceFilter, Page) {
        (
            ResourceFilter {
                q: self.q,
                kind: self.kind,
                status: self.status,
                warehouse_id: self.warehouse_id,
                category: self.category,
                alert: self.alert,
                active: self.active,
            },
            Page::new(self.page, self.page_size),
        )
    }
}

/// 资源搜索: nearest first around an incident or a point, by capability or material
/// (`need=10 km 内 冲锋舟 ≥ 5`).
#[utoipa::path(get, path = "/api/v1/resources/search", tag = "应急资源", params(SearchQuery), responses((status = 200, body = SearchResult), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResult>> {
    Ok(Json(
        resources::search(
            &app.store,
            &caller.scope,
            &q.try_into()?,
            app.clock.now_ms(),
        )
        .await?
        .into(),
    ))
}

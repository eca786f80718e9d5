//! Routes by capability (ADR 0020): each capability's folder holds its handlers with their
//! OpenAPI annotations and one `router` that registers every route once; the OpenAPI document is
//! collected from the same registrations.

pub mod credit;
pub mod directory;
pub mod disasters;
pub mod enforcement;
pub mod grid;
pub mod kernel;
pub mod monitoring;
pub mod patrols;
pub mod prevention;
pub mod resources;
pub mod response;
pub mod security;
pub mod warning;
pub mod workbench;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Request-body limits of the routes that take files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub import: usize,
    pub attachment: usize,
}

/// Every route of the API, with the OpenAPI paths of those that are documented.
pub fn api(limits: Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(kernel::router(&limits))
        .merge(directory::router(&limits))
        .merge(prevention::router(&limits))
        .merge(monitoring::router(&limits))
        .merge(warning::router(&limits))
        .merge(response::router(&limits))
        .merge(resources::router(&limits))
        .merge(workbench::router(&limits))
        .merge(patrols::router(&limits))
        .merge(enforcement::router(&limits))
        .merge(credit::router(&limits))
        .merge(disasters::router(&limits))
        .merge(grid::router(&limits))
        .merge(security::router(&limits))
}

/// `{items, total}`, the shape of every list.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// A range of whole days (Asia/Shanghai) from `?from=YYYY-MM-DD&to=YYYY-MM-DD`, `to` inclusive:
/// by default the 30 days up to today, at most a year. Answers [start, end) in ms.
pub fn day_range(
    now_ms: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(i64, i64), crate::error::ApiError> {
    use crate::error::ApiError;
    use yingji_core::kernel::clock::parse_instant;
    const DAY: i64 = 86_400_000;
    let day = |field: &'static str, v: &str| {
        let ok = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
        ok.then(|| parse_instant(v).ok())
            .flatten()
            .ok_or_else(|| ApiError::field(field, "日期格式应为 YYYY-MM-DD"))
    };
    let today = yingji_core::kernel::clock::to_rfc3339(now_ms);
    let to = day("to", to.unwrap_or(&today[..10]))? + DAY;
    let from = match from {
        Some(f) => day("from", f)?,
        None => to - 30 * DAY,
    };
    if from >= to {
        return Err(ApiError::field("from", "开始日期不能晚于结束日期"));
    }
    if to - from > 366 * DAY {
        return Err(ApiError::field("from", "统计区间最长一年"));
    }
    Ok((from, to))
}

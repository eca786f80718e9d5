//! Health and the code lists the UI renders (labels live on the server, once).

use crate::AppState;
use axum::Json;
use axum::extract::State;
use yingji_core::directory::enterprise::{CATEGORIES, FLAGS, INDUSTRY_SECTIONS, SCALES, STATUSES};
use yingji_core::directory::region::RegionLevel;
use yingji_core::kernel::role::Role;

/// 健康检查: the process is up and the database answers.
#[utoipa::path(get, path = "/healthz", tag = "系统", responses((status = 200, body = Object), (status = 503, body = Object)))]
pub async fn healthz(
    State(app): State<AppState>,
) -> (axum::http::StatusCode, Json<serde_json::Value>) {
    match app
        .store
        .fetch_i64(yingji_store::Sql::new("SELECT 1"))
        .await
    {
        Ok(_) => (
            axum::http::StatusCode::OK,
            Json(serde_json::json!({"status": "ok", "database": app.store.backend.name()})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "error", "database": app.store.backend.name()})),
            )
        }
    }
}

/// 代码表: categories, flags, scales, statuses, industry sections, roles, region levels, import columns.
#[utoipa::path(get, path = "/api/v1/meta", tag = "系统", responses((status = 200, body = Object)))]
pub async fn meta() -> Json<serde_json::Value> {
    let roles: Vec<_> = Role::ALL
        .iter()
        .map(|r| serde_json::json!({"code": r.as_str(), "label": r.label(), "scope": format!("{:?}", r.scope_kind()).to_lowercase()}))
        .collect();
    let levels: Vec<_> = RegionLevel::ALL
        .iter()
        .map(|l| serde_json::json!({"code": l.as_str(), "label": l.label()}))
        .collect();
    let columns: Vec<_> = yingji_core::directory::import::COLUMNS
        .iter()
        .map(|c| serde_json::json!({"header": c.0, "field": c.1, "required": c.2}))
        .collect();
    Json(serde_json::json!({
        "categories": CATEGORIES, "flags": FLAGS, "scales": SCALES, "statuses": STATUSES,
        "industry_sections": INDUSTRY_SECTIONS, "roles": roles, "region_levels": levels, "import_columns": columns,
    }))
}

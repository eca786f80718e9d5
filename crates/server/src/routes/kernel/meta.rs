//! Health and the code lists the UI renders (labels live on the server, once).

use crate::AppState;
use axum::Json;
use axum::extract::State;
use yingji_core::directory::enterprise::{CATEGORIES, FLAGS, INDUSTRY_SECTIONS, SCALES, STATUSES};
use yingji_core::directory::region::RegionLevel;
use yingji_core::kernel::role::Role;

/// How long /healthz waits for the database: well under a load balancer's check interval and
/// the pool's 30-second acquire timeout.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// 健康检查: the process is up and the database answers within 2 seconds; otherwise 503 with
/// the reason (`reason`, Chinese) and the backend (`database`). The pool reconnects by itself,
/// so the answer turns back to 200 once the database is back.
#[utoipa::path(get, path = "/healthz", tag = "系统", responses((status = 200, body = Object), (status = 503, body = Object)))]
pub async fn healthz(
    State(app): State<AppState>,
) -> (axum::http::StatusCode, Json<serde_json::Value>) {
    let database = app.store.backend.name();
    let check = app.store.fetch_i64(yingji_store::Sql::new("SELECT 1"));
    let timed_out = match tokio::time::timeout(HEALTH_TIMEOUT, check).await {
        Ok(Ok(_)) => {
            return (
                axum::http::StatusCode::OK,
                Json(serde_json::json!({"status": "ok", "database": database})),
            );
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check failed");
            false
        }
        Err(_) => {
            tracing::error!("health check: the database did not answer in time");
            true
        }
    };
    let reason =
        yingji_core::kernel::wording::database_unavailable(timed_out, HEALTH_TIMEOUT.as_secs());
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        Json(serde_json::json!({"status": "error", "database": database, "reason": reason})),
    )
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

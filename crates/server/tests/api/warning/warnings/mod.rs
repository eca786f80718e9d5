//! 预警信息: authored warnings approved by a second person and published as CAP 1.2 (checked by
//! xmllint against the OASIS schema), the Atom feed and the public list; CAP taken in with a
//! token — valid samples accepted, invalid ones refused with their errors, XXE refused, the same
//! identifier idempotent, updates and cancellations applied; bad areas named. This module holds
//! the helpers the scenarios share.

mod areas;
mod authoring;
mod cap_intake;
mod feeds;
mod targeting;

use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

const HOUR: i64 = 3_600_000;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../cap/tests/data")
            .join(name),
    )
    .expect("sample")
}

fn square(lon: f64, lat: f64, d: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]})
}

fn draft(app: &TestApp) -> Value {
    json!({
        "event_code": "rainstorm",
        "level": 2,
        "description": "预计未来6小时内浔阳区将出现50毫米以上降雨",
        "instruction": "低洼易涝区域人员及时转移，地下空间停止使用",
        "area": square(115.95, 29.69, 0.03),
        "expires_at": to_rfc3339(app.clock.now_ms() + 12 * HOUR),
    })
}

/// Drafts a warning as `author`, submits it and has `approver` approve it: (status, warning).
async fn publish(
    app: &TestApp,
    author: &reqwest::Client,
    approver: &reqwest::Client,
    body: &Value,
) -> (StatusCode, Value) {
    let (_, w) = app.post(author, "/api/v1/warnings", body).await;
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().expect("id"));
    app.post(author, &path, &json!({"action": "submit"})).await;
    app.post(approver, &path, &json!({"action": "approve"}))
        .await
}

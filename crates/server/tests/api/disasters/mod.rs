//! 防灾减灾救灾 (natural disasters) through the API.

mod census;
mod consultations;
mod evacuation;
mod flood;
mod forest;
mod forest_fire;
mod informants;
mod ledgers;
mod payments;
pub(crate) mod relief;
pub(crate) mod reports;
mod reports_response;
mod sealing;
mod summary;

use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

/// A user's id and region (scope) code.
pub(crate) async fn me(app: &TestApp, c: &Client) -> (String, String) {
    let (_, me) = app.get(c, "/api/v1/auth/me").await;
    let id = me["id"]
        .as_str()
        .or_else(|| me["user"]["id"].as_str())
        .expect("id")
        .to_string();
    let region = me["scope"]["region_code"]
        .as_str()
        .unwrap_or("")
        .to_string();
    (id, region)
}

/// The centre of a region.
pub(crate) async fn centre(app: &TestApp, admin: &Client, code: &str) -> (f64, f64) {
    let (_, r) = app.get(admin, &format!("/api/v1/regions/{code}")).await;
    (
        r["center"][0].as_f64().expect("lon"),
        r["center"][1].as_f64().expect("lat"),
    )
}

/// Registers a 承灾体 of `kind` at (lon, lat) in `region`: its id.
pub(crate) async fn object(
    app: &TestApp,
    admin: &Client,
    kind: &str,
    name: &str,
    region: &str,
    at: (f64, f64),
) -> String {
    let body = json!({"kind": kind, "name": name, "address": "测试村", "lon": at.0, "lat": at.1, "region_code": region,
        "responsible_name": "管理员", "responsible_phone": "13900000009"});
    let (s, o) = app.post(admin, "/api/v1/protected-objects", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    o["id"].as_str().expect("id").to_string()
}

/// Publishes a 暴雨 warning of `level` over a square around (lon, lat): its id.
pub(crate) async fn rainstorm_over(
    app: &TestApp,
    commander: &Client,
    admin: &Client,
    level: i64,
    at: (f64, f64),
) -> String {
    let (lon, lat) = (at.0 - 0.002, at.1 - 0.002);
    let d = 0.004;
    let body = json!({
        "event_code": "rainstorm",
        "level": level,
        "description": "预计未来6小时内将出现100毫米以上降雨",
        "instruction": "水库、山洪危险区和地灾隐患点加强巡查，必要时转移",
        "area": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]},
        "expires_at": to_rfc3339(app.clock.now_ms() + 12 * 3_600_000),
    });
    let (s, w) = app.post(commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    let id = w["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/warnings/{id}/actions");
    app.post(commander, &path, &json!({"action": "submit"}))
        .await;
    let (s, w) = app.post(admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    id
}

/// The fields of a 400's details.
pub(crate) fn fields(v: &Value) -> Vec<String> {
    v["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

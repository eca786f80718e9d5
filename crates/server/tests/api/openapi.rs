//! The OpenAPI document is a contract: it is compared with the committed snapshot
//! (docs/api/openapi.json). After an intended change: YINGJI_UPDATE_SNAPSHOTS=1 cargo nextest run openapi

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn openapi_matches_snapshot() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = app.anonymous();
    let (s, doc) = app.get(&c, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let pretty = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/openapi.json");
    if std::env::var("YINGJI_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == pretty,
        "OpenAPI document changed; review and run with YINGJI_UPDATE_SNAPSHOTS=1 to update docs/api/openapi.json"
    );
    // Every documented path answers (no 404 from the router) and the docs page is local.
    for p in doc["paths"].as_object().unwrap().keys() {
        let url = p
            .replace("{id}", "x")
            .replace("{code}", "360403")
            .replace("{action}", "grade")
            .replace("{tracking}", "ABCDEFGHJKMN");
        let r = c.get(app.url(&url)).send().await.unwrap();
        // A handler's own 404 (an unknown tracking code) is JSON; the router's is not.
        let routed = r.status() != StatusCode::NOT_FOUND
            || r.text().await.unwrap_or_default().contains("not_found");
        assert!(routed, "{url}");
    }
    let r = c.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("https://"),
        "docs page must not load assets from the internet"
    );
}

#[tokio::test]
async fn health() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (s, v) = app.get(&app.anonymous(), "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
}

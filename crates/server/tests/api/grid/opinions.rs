//! 舆情: the duty room registers it with its platform, link, heat and level; the rules dispatch it;
//! the level tightens the deadlines (舆情分级响应); a 重大 one reaches the leaders at once; bad
//! input names its field and stores nothing; only the duty room may.

use super::events::{count, own_region};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

const HOUR: i64 = 3_600_000;

fn opinion(region: &str, level: &str) -> Value {
    json!({
        "platform": "微博", "url": "https://weibo.com/1234567890/abc", "heat": 56_000, "level": level,
        "category": "gas", "title": "网传小区燃气泄漏无人处置",
        "summary": "网友发帖称某小区燃气泄漏多日无人处置，转发评论较多", "region_code": region,
    })
}

async fn opinions_are_graded_and_dispatched(app: &TestApp) {
    let (grid, duty) = (app.login("grid").await, app.login("duty").await);
    let region = own_region(app, &grid).await;
    let path = "/api/v1/grid/opinions";
    // Only the duty room.
    let (s, _) = app.post(&grid, path, &opinion(&region, "major")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Bad input names its field; nothing stored.
    let before = count(app, "SELECT COUNT(*) FROM grid_events").await;
    for (key, value, field) in [
        ("level", json!("huge"), "level"),
        ("url", json!("javascript:alert(1)"), "url"),
        ("heat", json!(-5), "heat"),
        ("category", json!("nope"), "category"),
        ("platform", json!(" "), "platform"),
    ] {
        let mut bad = opinion(&region, "major");
        bad[key] = value;
        let (s, v) = app.post(&duty, path, &bad).await;
        assert_eq!(
            (s, v["details"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{key}: {v}"
        );
    }
    assert_eq!(count(app, "SELECT COUNT(*) FROM grid_events").await, before);
    // A 重大 舆情 at the region's centre, to the street, 5 h to 处置 instead of the category's 24 h.
    let now = app.clock.now_ms();
    let (s, v) = app.post(&duty, path, &opinion(&region, "major")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let e = &v["event"];
    assert_eq!(
        (
            e["source"].as_str(),
            e["opinion_level"].as_str(),
            e["opinion_platform"].as_str()
        ),
        (Some("opinion"), Some("major"), Some("微博")),
        "{v}"
    );
    assert_eq!(e["opinion_heat"], 56_000);
    assert_eq!(e["status"], "dispatched", "{v}");
    assert_eq!(e["handle_due_ms"].as_i64(), Some(now + 5 * HOUR), "{v}");
    assert_eq!(e["feedback_due_ms"].as_i64(), Some(now + 24 * HOUR), "{v}");
    assert!(e["lon"].as_f64().is_some());
    let code = e["code"].as_str().unwrap();
    let told = format!(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'commander' AND n.body LIKE '%{code}%'"
    );
    assert_eq!(count(app, &told).await, 1);
    // A 一般 one keeps the category's 处置 (24 h) but no more than 48 h to 反馈; no alert.
    let (s, v) = app.post(&duty, path, &opinion(&region, "general")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let e = &v["event"];
    assert_eq!(e["handle_due_ms"].as_i64(), Some(now + 24 * HOUR), "{v}");
    assert_eq!(e["feedback_due_ms"].as_i64(), Some(now + 48 * HOUR), "{v}");
    let code = e["code"].as_str().unwrap();
    let told = format!(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'commander' AND n.body LIKE '%{code}%'"
    );
    assert_eq!(count(app, &told).await, 0);
}

both!(opinions_are_graded_and_dispatched);

//! Trends: raw readings, 1-minute rollups, late readings re-rolled, retention and pruning.

use super::{reading, retire};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::Clock;

/// Trends: raw readings for a short span; 1-minute rollups (bad readings left out) behind longer
/// spans, with the minutes not rolled yet aggregated from raw; a late reading re-rolls its
/// minute; raw readings are pruned after retention only once rolled up, rollups later.
async fn trends_roll_up_and_prune(app: &TestApp) {
    use yingji_store::monitoring::trends;
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "PT-201", "name": "反应釜压力", "kind": "pressure", "unit": "MPa",
        "object_name": "反应釜", "threshold_h": "50", "offline_after_s": 600});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_str().expect("id").to_string();
    let now = app.clock.now_ms();
    let keep = yingji_core::monitoring::trend::Retention::default();
    // PostgreSQL: today's partition made (as the job does at start-up), so that where the
    // readings land does not depend on when the job ran.
    yingji_store::monitoring::partitions::upkeep(&app.store, now, keep)
        .await
        .expect("upkeep");
    let m0 = yingji_core::monitoring::trend::minute_of(now) - 10 * 60_000;
    let batch = json!([
        reading("PT-201", m0 + 1_000, json!("1")),
        reading("PT-201", m0 + 20_000, json!("2")),
        reading("PT-201", m0 + 40_000, json!("3")),
        {"sensor": "PT-201", "ts": m0 + 50_000, "value": 99, "q": "bad"},
        reading("PT-201", m0 + 61_000, json!("7.5")),
    ]);
    let (s, r) = app.post(&ent, "/api/v1/readings", &batch).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let trend = |from: i64, to: i64| {
        let path = format!("/api/v1/sensors/{id}/trend?from_ms={from}&to_ms={to}");
        async move {
            // A fresh session each time: the test moves the clock by weeks.
            let who = app.login("enterprise").await;
            let (s, t) = app.get(&who, &path).await;
            assert_eq!(s, StatusCode::OK, "{t}");
            t
        }
    };
    // Raw: every good reading.
    let t = trend(now - 3_600_000, now + 1).await;
    assert_eq!(t["resolution_s"], 0);
    let avgs: Vec<f64> = t["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["avg"].as_f64().expect("avg"))
        .collect();
    assert_eq!(avgs, [1.0, 2.0, 3.0, 7.5]);
    // Minutes: before the job runs, from raw; after it, from the rollups; the same either way.
    let six_h = || trend(now - 6 * 3_600_000 + 1, now + 1);
    let before = six_h().await;
    assert_eq!(before["resolution_s"], 60);
    trends::roll_up(&app.store, now).await.expect("roll up");
    let after = six_h().await;
    assert_eq!(before["points"], after["points"]);
    let p0 = &after["points"][0];
    assert_eq!((p0["t"].as_i64(), p0["n"].as_i64()), (Some(m0), Some(3)));
    assert_eq!(
        (p0["min"].as_f64(), p0["avg"].as_f64(), p0["max"].as_f64()),
        (Some(1.0), Some(2.0), Some(3.0))
    );
    // A late reading for a minute already rolled: the minute is redone on the next pass.
    let (s, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("PT-201", m0 + 30_000, json!("11"))]),
        )
        .await;
    assert_eq!(
        (s, r["accepted"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{r}"
    );
    trends::roll_up(&app.store, now).await.expect("roll up");
    let p0 = six_h().await["points"][0].clone();
    assert_eq!(
        (p0["n"].as_i64(), p0["avg"].as_f64(), p0["max"].as_f64()),
        (Some(4), Some(4.25), Some(11.0))
    );
    // A reading in the current minute shows before it is rolled up.
    let (s, _) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("PT-201", now, json!("5"))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let line = six_h().await;
    assert_eq!(line["points"].as_array().map(Vec::len), Some(3), "{line}");
    // 31 days on: raw readings are pruned (the unrolled one only after its roll-up), the
    // rollups still draw the old range. PostgreSQL drops the day's partition whole, so only
    // once all of it is rolled up.
    app.clock.advance(31 * 86_400_000);
    let later = app.clock.now_ms();
    let pg = app.store.backend == yingji_store::Backend::Postgres;
    let (raw, _) = retire(app, later, keep).await;
    assert_eq!(
        raw,
        if pg { 0 } else { 6 },
        "all but the one in the minute not rolled yet"
    );
    trends::roll_up(&app.store, later).await.expect("roll up");
    let (raw, _) = retire(app, later, keep).await;
    assert_eq!(raw, if pg { 7 } else { 1 });
    let old = trend(m0 - 60_000, m0 + 3 * 60_000).await;
    assert_eq!(old["resolution_s"], 60, "raw readings are gone: rollups");
    assert_eq!(old["points"].as_array().map(Vec::len), Some(2), "{old}");
    app.clock.advance(400 * 86_400_000);
    let (_, rolled) = retire(app, app.clock.now_ms(), keep).await;
    assert_eq!(rolled, 3);
    // Bad ranges name the field; other people's sensors are not found.
    let ent = app.login("enterprise").await;
    let (s, b) = app
        .get(
            &ent,
            &format!("/api/v1/sensors/{id}/trend?from_ms=10&to_ms=5"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "from_ms", "{b}");
    let admin = app.login("admin").await;
    let (s, public) = app
        .post(
            &admin,
            "/api/v1/sensors",
            &json!({"code": "WL-9", "name": "下穿隧道水位", "kind": "water_level", "unit": "m",
                "object_name": "下穿隧道", "region_code": "360403", "threshold_h": "0.3"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{public}");
    let (s, _) = app
        .get(
            &ent,
            &format!(
                "/api/v1/sensors/{}/trend",
                public["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
both!(trends_roll_up_and_prune);

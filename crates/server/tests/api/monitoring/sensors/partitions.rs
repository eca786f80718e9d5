//! Telemetry partitions (PostgreSQL, migration 0057): readings land in their Asia/Shanghai
//! day's partition, or in the default one when none covers them; retention drops whole days
//! only once rolled up; trends answer the same before and after. SQLite answers the same with
//! its one table pruned by DELETE.

use super::reading;
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_core::monitoring::partition::{Part, Period};
use yingji_core::monitoring::trend::Retention;
use yingji_store::monitoring::{partitions, trends};
use yingji_store::{Backend, Sql};

const DAY: i64 = 86_400_000;

/// (at_ms, the partition holding it) of every reading, oldest first (PostgreSQL).
async fn placed(app: &TestApp) -> Vec<(i64, String)> {
    let q = Sql::new("SELECT at_ms, tableoid::regclass::text AS part FROM readings ORDER BY at_ms");
    let rows = app.store.fetch_all(q).await.expect("readings");
    rows.iter()
        .map(|r| {
            use yingji_store::sqlx::Row;
            (r.get("at_ms"), r.get("part"))
        })
        .collect()
}

fn day_of(at_ms: i64) -> String {
    format!("readings_p{}", Part::of(Period::Day, at_ms).suffix)
}

async fn post(app: &TestApp, at_ms: i64, value: &str) {
    let who = app.login("enterprise").await;
    let batch = json!([reading("PT-301", at_ms, json!(value))]);
    let (s, r) = app.post(&who, "/api/v1/readings", &batch).await;
    assert_eq!(
        (s, r["accepted"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{r}"
    );
}

async fn trend(app: &TestApp, id: &str, from: i64, to: i64) -> Value {
    let who = app.login("enterprise").await;
    let path = format!("/api/v1/sensors/{id}/trend?from_ms={from}&to_ms={to}");
    let (s, t) = app.get(&who, &path).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    t
}

async fn set_mark(app: &TestApp, mark: Option<i64>) {
    let mut u = Sql::new("UPDATE sensors SET rolled_ms = ");
    u.bind(mark).push(" WHERE code = 'PT-301'");
    app.store.execute(u).await.expect("mark");
}

async fn mark(app: &TestApp) -> Option<i64> {
    let q = Sql::new("SELECT rolled_ms FROM sensors WHERE code = 'PT-301'");
    let r = app
        .store
        .fetch_optional(q)
        .await
        .expect("mark")
        .expect("sensor");
    yingji_store::sqlx::Row::get(&r, 0)
}

/// Readings over four days in their partitions; a reading no partition covers in the default
/// one, moved into its day when the upkeep makes it; old days dropped once rolled up (kept while
/// a sensor has not rolled them); the same trend from the rollups afterwards.
async fn telemetry_partitions(app: &TestApp) {
    let keep = Retention {
        raw_days: 8,
        rollup_days: 400,
    };
    let pg = app.store.backend == Backend::Postgres;
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "PT-301", "name": "储罐压力", "kind": "pressure", "unit": "MPa",
        "object_name": "储罐", "threshold_h": "50", "offline_after_s": 600});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_str().expect("id").to_string();
    let t = app.clock.now_ms();
    partitions::upkeep(&app.store, t, keep)
        .await
        .expect("upkeep");
    let days = [t - 3 * DAY, t - 2 * DAY, t - DAY, t - 5 * 60_000];
    for (k, at) in days.iter().enumerate() {
        post(app, *at, &format!("{}", k + 1)).await;
        post(app, *at + 60_000, &format!("{}.5", k + 1)).await;
    }
    if pg {
        let placed = placed(app).await;
        assert_eq!(placed.len(), 8);
        for (at, part) in &placed {
            assert_eq!(part, &day_of(*at), "{placed:?}");
        }
    }
    let before = trend(app, &id, t - 4 * DAY, t + 1).await;
    assert_eq!(
        before["resolution_s"].as_i64().map(|s| s > 0),
        Some(true),
        "{before}"
    );
    trends::roll_up(&app.store, t).await.expect("roll up");
    assert_eq!(
        trend(app, &id, t - 4 * DAY, t + 1).await["points"],
        before["points"]
    );
    if pg {
        let q = Sql::new(
            "SELECT COUNT(*) FROM reading_rollups WHERE tableoid::regclass::text LIKE 'reading_rollups_p%'",
        );
        assert_eq!(
            app.store.fetch_i64(q).await.expect("rollups"),
            4 * 2,
            "two minutes a day"
        );
    }
    // Ten days on, before the upkeep has run: the new day has no partition yet.
    app.clock.advance(10 * DAY);
    let t2 = app.clock.now_ms();
    post(app, t2, "9").await;
    if pg {
        let last = placed(app).await.pop().expect("reading");
        assert_eq!(last, (t2, "readings_default".to_string()));
    }
    // A sensor that has not rolled up its old days keeps them (a NULL mark: never rolled).
    let was = mark(app).await;
    set_mark(app, None).await;
    let up = partitions::upkeep(&app.store, t2, keep)
        .await
        .expect("upkeep");
    trends::prune(&app.store, t2, keep).await.expect("prune");
    let count = || {
        app.store
            .fetch_i64(Sql::new("SELECT COUNT(*) FROM readings"))
    };
    assert_eq!(
        count().await.expect("count"),
        9,
        "nothing pruned before the roll-up"
    );
    if pg {
        assert!(up.created.contains(&day_of(t2)), "{up:?}");
        assert_eq!(
            placed(app).await.pop(),
            Some((t2, day_of(t2))),
            "moved out of the default"
        );
        for at in days {
            assert!(up.waiting.contains(&day_of(at)), "{up:?}");
            assert!(!up.dropped.contains(&day_of(at)), "{up:?}");
        }
    }
    set_mark(app, was).await;
    trends::roll_up(&app.store, t2).await.expect("roll up");
    let up = partitions::upkeep(&app.store, t2, keep)
        .await
        .expect("upkeep");
    trends::prune(&app.store, t2, keep).await.expect("prune");
    assert_eq!(
        count().await.expect("count"),
        1,
        "only the recent reading is left"
    );
    if pg {
        for at in days {
            assert!(up.dropped.contains(&day_of(at)), "{up:?}");
        }
        assert!(!up.dropped.contains(&day_of(t2)), "{up:?}");
    }
    // The old days now come from the rollups alone, the same; the recent reading reads raw.
    assert_eq!(
        trend(app, &id, t - 4 * DAY, t + 1).await["points"],
        before["points"]
    );
    let recent = trend(app, &id, t2 - 3_600_000, t2 + 1).await;
    assert_eq!(recent["points"][0]["avg"].as_f64(), Some(9.0), "{recent}");
}
both!(telemetry_partitions);

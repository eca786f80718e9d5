//! 灾情统计: the summary over years by the latest report of each process, scoped to the
//! caller's townships, the yearbook with line-named errors, and the plan's indicators.

use super::fields;
use super::reports::{at, body, process, rainstorm, report, row};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn summary_and_indicators(app: &TestApp) {
    let duty = app.login("duty").await;
    let street = app.login("street").await;
    // A 2025 rainstorm with a 初报 and a 续报 (the 续报 counts), and a 2026 drought.
    app.clock.set(at("2025-07-10T15:00:00+08:00"));
    let p = process(app, &duty, rainstorm("2025-07-10 14:00")).await;
    let id = p["id"].as_str().unwrap().to_string();
    let first = vec![
        row(
            "360403001",
            json!({"affected_people": 1000, "loss_wan_yuan": "10"}),
        ),
        row("360403002", json!({"affected_people": 500})),
    ];
    let (s, v) = report(app, &duty, &id, &body("initial", first)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.clock.set(at("2025-07-11T10:00:00+08:00"));
    let update = vec![
        row(
            "360403001",
            json!({"affected_people": 1200, "deaths": 1, "loss_wan_yuan": "1000.50"}),
        ),
        row("360403002", json!({"affected_people": 600})),
    ];
    let (s, v) = report(app, &duty, &id, &body("update", update)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.clock.set(at("2026-05-02T10:00:00+08:00"));
    let d = process(
        app,
        &duty,
        json!({"kind": "drought", "subtype": "drought", "started_at": "2026-05-01 08:00", "townships": ["360403002"]}),
    )
    .await;
    let did = d["id"].as_str().unwrap().to_string();
    let (s, v) = report(
        app,
        &duty,
        &did,
        &body(
            "initial",
            vec![row("360403002", json!({"affected_people": 300}))],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    let (s, v) = app
        .get(
            &duty,
            "/api/v1/disasters/summary?from_year=2025&to_year=2026",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"]["processes"], 2);
    assert_eq!(v["total"]["figures"]["affected_people"], 2100);
    assert_eq!(v["total"]["figures"]["loss_wan_yuan"], "1000.50");
    assert_eq!(v["by_year"][0]["key"], "2025");
    assert_eq!(v["by_year"][0]["figures"]["affected_people"], 1800);
    assert_eq!(v["by_year"][1]["figures"]["affected_people"], 300);
    assert_eq!(v["by_kind"].as_array().unwrap().len(), 2);
    assert_eq!(v["by_township"][0]["key"], "360403001");
    assert_eq!(v["by_township"][1]["processes"], 2);
    assert_eq!(v["indicators"][0]["met"], json!(null), "no yearbook yet");
    // The kind filter, and a street's staff see their own township's rows only.
    let (_, v) = app
        .get(
            &duty,
            "/api/v1/disasters/summary?from_year=2025&to_year=2026&kind=drought",
        )
        .await;
    assert_eq!(v["total"]["figures"]["affected_people"], 300);
    let (_, v) = app
        .get(
            &street,
            "/api/v1/disasters/summary?from_year=2025&to_year=2026",
        )
        .await;
    assert_eq!(v["total"]["figures"]["affected_people"], 1200);
    assert_eq!(v["by_township"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["indicators"],
        json!([]),
        "the district's indicators are not a street's"
    );

    // Bad queries name their field.
    let (s, v) = app
        .get(
            &duty,
            "/api/v1/disasters/summary?from_year=2026&to_year=2020&kind=meteor",
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(fields(&v), ["from_year", "kind"]);

    // The yearbook: only the commander or admin; every bad line named; nothing stored.
    let commander = app.login("commander").await;
    let bad = json!({"years": [
        {"year": 2025, "gdp_wan_yuan": "-5", "population": 100000},
        {"year": "2025", "gdp_wan_yuan": "1.234", "population": "3.5"},
    ]});
    let (s, v) = app
        .put(&commander, "/api/v1/disasters/yearbook", &bad)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        fields(&v),
        [
            "years[0].gdp_wan_yuan",
            "years[1].year",
            "years[1].gdp_wan_yuan",
            "years[1].population"
        ]
    );
    assert_eq!(app.count("disaster_yearbook").await, 0);
    let good = json!({"years": [
        {"year": 2025, "gdp_wan_yuan": "100050", "population": 1000000},
        {"year": 2026, "gdp_wan_yuan": 5000000, "population": 1000000},
    ]});
    let (s, v) = app.put(&street, "/api/v1/disasters/yearbook", &good).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = app
        .put(&commander, "/api/v1/disasters/yearbook", &good)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["gdp_wan_yuan"], "100050.00");
    // 2025: 1000.50 of 100050 万元 is exactly 1 %: not below the target, shown 1.000 %.
    let (_, v) = app
        .get(
            &duty,
            "/api/v1/disasters/summary?from_year=2025&to_year=2025",
        )
        .await;
    let loss = &v["indicators"][0];
    assert_eq!(
        (loss["value"].as_str(), loss["met"].as_bool()),
        (Some("1.000%"), Some(false))
    );
    assert_eq!(
        v["indicators"][1]["value"], "1.000",
        "1 death per 1,000,000 people"
    );
    assert_eq!(v["indicators"][2]["value"], "180.000");
    assert_eq!(v["indicators"][2]["met"], true);
    // Over both years the loss share falls below 1 %.
    let (_, v) = app
        .get(
            &duty,
            "/api/v1/disasters/summary?from_year=2025&to_year=2026",
        )
        .await;
    assert_eq!(v["indicators"][0]["met"], true);
    assert_eq!(v["indicators"][0]["years"], json!([2025, 2026]));
    let r = duty
        .get(app.url("/api/v1/disasters/summary/export?from_year=2025&to_year=2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let audit = "SELECT COUNT(*) FROM audit_log WHERE action = 'disaster.yearbook'";
    assert_eq!(
        app.store
            .fetch_i64(yingji_store::Sql::new(audit))
            .await
            .unwrap(),
        1
    );
}

both!(summary_and_indicators);

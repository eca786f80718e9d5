//! 护林员 from the phone: a patrol and a 火点 in their street's forest area; the bureau confirms
//! the 火点, which becomes an incident 森林火灾 linked back; the 受害率 counts its burnt hectares
//! exactly (0.5 of 1250.5 ha is 0.39984…‰: over the 0.3‰ target), the 覆盖率
//! its watched hectares.

use super::forest::{area, configure, march_10};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn ranger_patrol_and_fire_point(app: &TestApp) {
    app.clock.set(march_10());
    configure(app).await;
    let yjj = app.login("yjj").await;
    let area_id = area(app, &yjj).await;
    let grid = app.login("grid").await;
    let (s, mine) = app.get(&grid, "/api/v1/disasters/forest/my-areas").await;
    assert_eq!(
        (s, mine["total"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{mine}"
    );
    let patrol = json!({"area_id": area_id, "started_at": "2026-03-10T06:00:00+08:00",
        "ended_at": "2026-03-10T07:30:00+08:00", "track": [[116.0, 29.7], [116.01, 29.71]],
        "result": "normal", "note": "林区无异常"});
    let (s, p) = app
        .post(&grid, "/api/v1/disasters/forest/patrols", &patrol)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["result_label"], "正常");
    // Bad input: an end before the start, an unknown result; a non-ranger is refused.
    let bad = json!({"area_id": area_id, "started_at": "2026-03-10T07:00:00+08:00",
        "ended_at": "2026-03-10T06:00:00+08:00", "result": "?"});
    let (s, e) = app
        .post(&grid, "/api/v1/disasters/forest/patrols", &bad)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (s, _) = app
        .post(&yjj, "/api/v1/disasters/forest/patrols", &patrol)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A 火点 inside the area (found from the point).
    let (s, f) = app
        .post(
            &grid,
            "/api/v1/disasters/forest/fire-points",
            &json!({"lon": 116.0, "lat": 29.7, "size": "small", "note": "山脊处见明火"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    assert_eq!(f["area_id"].as_str(), Some(area_id.as_str()), "{f}");
    let path = format!(
        "/api/v1/disasters/forest/fire-points/{}/decision",
        f["id"].as_str().unwrap()
    );
    // The ranger may not confirm; a bad burnt area is refused.
    let (s, _) = app.post(&grid, &path, &json!({"confirm": true})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = app
        .post(&yjj, &path, &json!({"confirm": true, "burnt_ha": "-1"}))
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("burnt_ha")),
        "{e}"
    );
    let before = app.count("incidents").await;
    let commander = app.login("commander").await;
    let (s, c) = app
        .post(
            &commander,
            &path,
            &json!({"confirm": true, "burnt_ha": "0.5"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(
        (c["status"].as_str(), c["burnt_ha"].as_str()),
        (Some("confirmed"), Some("0.5"))
    );
    assert_eq!(app.count("incidents").await, before + 1);
    let incident = c["incident_id"].as_str().unwrap();
    let (s, i) = app
        .get(&commander, &format!("/api/v1/incidents/{incident}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{i}");
    assert_eq!(i["subtype"], "forest_fire", "{i}");
    let (s, again) = app
        .post(&commander, &path, &json!({"confirm": false}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{again}");
    // Indicators, exact.
    let (s, ind) = app
        .get(&commander, "/api/v1/disasters/forest/indicators?year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{ind}");
    assert_eq!(ind["damage"]["met"], false, "{ind}");
    assert_eq!(ind["damage"]["value"], "0.3998", "{ind}");
    assert_eq!(ind["damage"]["numerator_ha"], "0.5");
    assert_eq!(ind["coverage"]["met"], true, "{ind}");
    assert_eq!(ind["coverage"]["value"], "55.9776", "{ind}");
    // The ranger sees their own; the commander the district's.
    let (_, pts) = app.get(&grid, "/api/v1/disasters/forest/fire-points").await;
    assert_eq!(pts["total"], 1);
    let (_, pats) = app
        .get(&commander, "/api/v1/disasters/forest/patrols")
        .await;
    assert_eq!(pats["total"], 1);
}
both!(ranger_patrol_and_fire_point);

/// The demo district's 森林防火: applications in every state, the suspended one texted, a
/// confirmed 火点 with its incident, the indicators.
async fn demo_forest(app: &TestApp) {
    use yingji_core::kernel::clock::Clock;
    let n = yingji_demo::seed::generate_forest(&app.store, app.clock.now_ms())
        .await
        .unwrap();
    assert_eq!(n, 4);
    let yjj = app.login("yjj").await;
    let (_, list) = app.get(&yjj, "/api/v1/disasters/forest/fire-use").await;
    let mut states: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    states.sort();
    assert_eq!(
        states,
        ["approved", "pending", "refused", "suspended"],
        "{list}"
    );
    let (_, pts) = app.get(&yjj, "/api/v1/disasters/forest/fire-points").await;
    assert!(pts["items"][0]["incident_id"].is_string(), "{pts}");
    let (_, ind) = app.get(&yjj, "/api/v1/disasters/forest/indicators").await;
    assert_eq!(ind["damage"]["met"], true, "{ind}");
}
both!(demo_forest);

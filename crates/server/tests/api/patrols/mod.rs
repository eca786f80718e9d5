//! 巡查打卡 and the idempotency key of the phone's writes: a grid worker checks in with a photo in
//! their own grid, once per key; who may check in and who reads whose check-ins; a hazard report
//! sent twice with one key is recorded once.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn me(app: &TestApp, c: &Client) -> Value {
    app.get(c, "/api/v1/auth/me").await.1["user"].clone()
}

async fn upload_png(app: &TestApp, c: &Client) -> String {
    let r = c
        .post(app.url("/api/v1/attachments?filename=巡查.png"))
        .body(crate::kernel::attachments::picture(
            40,
            30,
            image::ImageFormat::Png,
        ))
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// POST with an `Idempotency-Key`: (status, body).
async fn post_keyed(
    app: &TestApp,
    c: &Client,
    path: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let r = c
        .post(app.url(path))
        .header("Idempotency-Key", key)
        .json(body)
        .send_checked()
        .await
        .expect("request");
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn grid_worker_checks_in_once(app: &TestApp) {
    let grid = app.login("grid").await;
    let own = me(app, &grid).await["region_code"]
        .as_str()
        .expect("grid")
        .to_string();
    let photo = upload_png(app, &grid).await;
    let body = json!({"lon": 115.99, "lat": 29.71, "accuracy_m": 15.3, "note": "河道护栏完好", "attachments": [photo]});
    let key = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    let (s, first) = post_keyed(app, &grid, "/api/v1/patrols", key, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["region_code"], own.as_str());
    assert_eq!(first["accuracy_m"], 15.0);
    assert_eq!(first["attachments"][0]["filename"], "巡查.png");
    // The phone sends the same check-in again (the answer was lost): one record, the same answer.
    let (s, again) = post_keyed(app, &grid, "/api/v1/patrols", key, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{again}");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(app.count("patrols").await, 1);
    assert_eq!(app.count("idempotency_keys").await, 1);
    // Today's check-ins of the grid worker.
    let (s, mine) = app.get(&grid, "/api/v1/patrols?mine=true").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["note"], "河道护栏完好");
    // Audited once.
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=patrol",
        )
        .await;
    let n = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "patrol.check_in")
        .count();
    assert_eq!(n, 1, "{audit}");
    // A check-in needs a location.
    let (s, e) = app
        .post(&grid, "/api/v1/patrols", &json!({"note": "x"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "lon", "{e}");
    assert_eq!(app.count("patrols").await, 1);
}
both!(grid_worker_checks_in_once);

async fn patrol_scope(app: &TestApp) {
    let grid = app.login("grid").await;
    let street = app.login("street").await;
    let own = me(app, &grid).await["region_code"]
        .as_str()
        .expect("grid")
        .to_string();
    let point = json!({"lon": 115.99, "lat": 29.71});
    // A grid worker checks in only in their own grid.
    let (_, grids) = app.get(&street, "/api/v1/regions?level=grid").await;
    let other = grids["items"]
        .as_array()
        .expect("grids")
        .iter()
        .map(|g| g["code"].as_str().expect("code").to_string())
        .find(|c| *c != own)
        .expect("another grid");
    let (s, e) = app
        .post(
            &grid,
            "/api/v1/patrols",
            &json!({"region_code": other, "lon": 115.99, "lat": 29.71}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "region_code");
    let (s, g) = app.post(&grid, "/api/v1/patrols", &point).await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    // Street staff check in in any grid of their street, and see the grid worker's check-in.
    let (s, st) = app
        .post(
            &street,
            "/api/v1/patrols",
            &json!({"region_code": other, "lon": 115.98, "lat": 29.70}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{st}");
    let (_, area) = app.get(&street, "/api/v1/patrols").await;
    assert_eq!(area["total"], 2);
    let (_, own_only) = app.get(&street, "/api/v1/patrols?mine=true").await;
    assert_eq!(own_only["total"], 1);
    // The grid worker reads only their own, even without `mine`.
    let (_, gl) = app.get(&grid, "/api/v1/patrols").await;
    assert_eq!(gl["total"], 1);
    let (s, _) = app
        .get(
            &grid,
            &format!("/api/v1/patrols/{}", st["id"].as_str().expect("id")),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The commander sees the district's; the admin everything.
    for who in ["commander", "admin"] {
        let c = app.login(who).await;
        let (s, l) = app.get(&c, "/api/v1/patrols").await;
        assert_eq!((s, l["total"].clone()), (StatusCode::OK, json!(2)), "{who}");
        let (s, _) = app.post(&c, "/api/v1/patrols", &point).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who} may not check in");
    }
    // Enterprise users, department staff and the duty room neither check in nor read patrols.
    for who in ["enterprise", "yjj", "duty"] {
        let c = app.login(who).await;
        let (s, e) = app.post(&c, "/api/v1/patrols", &point).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {e}");
        assert!(
            e["message"].as_str().unwrap_or("").contains("巡查打卡"),
            "{e}"
        );
        let (s, _) = app.get(&c, "/api/v1/patrols").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        let (s, _) = app
            .get(
                &c,
                &format!("/api/v1/patrols/{}", g["id"].as_str().expect("id")),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.count("patrols").await, 2);
    // Another day is empty; a bad day is named.
    let (_, l) = app.get(&street, "/api/v1/patrols?day=2020-01-01").await;
    assert_eq!(l["total"], 0);
    let (s, e) = app.get(&street, "/api/v1/patrols?day=yesterday").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "day");
}
both!(patrol_scope);

async fn patrol_photos_follow_the_patrol(app: &TestApp) {
    let grid = app.login("grid").await;
    let photo = upload_png(app, &grid).await;
    let (s, p) = app
        .post(
            &grid,
            "/api/v1/patrols",
            &json!({"lon": 115.99, "lat": 29.71, "attachments": [photo]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let path = format!("/api/v1/attachments/{photo}");
    for (who, want) in [
        ("street", StatusCode::OK),
        ("commander", StatusCode::OK),
        ("enterprise", StatusCode::NOT_FOUND),
    ] {
        let c = app.login(who).await;
        let r = c.get(app.url(&path)).send_checked().await.expect("get");
        assert_eq!(r.status(), want, "{who}");
    }
}
both!(patrol_photos_follow_the_patrol);

async fn hazard_report_is_idempotent(app: &TestApp) {
    let grid = app.login("grid").await;
    let before = app.count("hazards").await;
    let own = me(app, &grid).await["region_code"].clone();
    let body = json!({"category": "site", "description": "消防通道被占用", "location": "滨江路12号", "region_code": own});
    let key = "draft-1733222400000-ab12cd";
    let (s, first) = post_keyed(app, &grid, "/api/v1/hazards", key, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let (s, again) = post_keyed(app, &grid, "/api/v1/hazards", key, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{again}");
    assert_eq!(
        (&again["id"], &again["code"]),
        (&first["id"], &first["code"])
    );
    assert_eq!(app.count("hazards").await, before + 1);
    // Without a key each send is a report; another key is another report.
    let (s, other) = post_keyed(app, &grid, "/api/v1/hazards", "draft-2", &body).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "a key is at least 8 characters: {other}"
    );
    assert_eq!(other["details"][0]["field"], "Idempotency-Key");
    let (s, other) = post_keyed(
        app,
        &grid,
        "/api/v1/hazards",
        "draft-1733222400000-ef34",
        &body,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_ne!(other["id"], first["id"]);
    assert_eq!(app.count("hazards").await, before + 2);
    // The same key for another kind of submission is refused, nothing written.
    let (s, e) = post_keyed(
        app,
        &grid,
        "/api/v1/patrols",
        key,
        &json!({"lon": 115.99, "lat": 29.71}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(app.count("patrols").await, 0);
    // Keys are per user: another user's key of the same text is theirs.
    let street = app.login("street").await;
    let (s, theirs) = post_keyed(app, &street, "/api/v1/hazards", key, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{theirs}");
    assert_ne!(theirs["id"], first["id"]);
    // A refused first send records no key: fixed and sent again, it is written.
    let k2 = "draft-1733222400000-refused";
    let (s, _) = post_keyed(
        app,
        &grid,
        "/api/v1/hazards",
        k2,
        &json!({"category": "site", "description": "", "region_code": own}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = post_keyed(app, &grid, "/api/v1/hazards", k2, &body).await;
    assert_eq!(s, StatusCode::CREATED);
}
both!(hazard_report_is_idempotent);

/// A work order for the grid worker: a 易涝点 they answer for under a published 暴雨橙色预警.
async fn order_for_the_grid_worker(app: &TestApp, grid: &Client) -> String {
    use yingji_core::kernel::clock::{Clock, to_rfc3339};
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let user = me(app, grid).await;
    let code = user["region_code"].as_str().expect("grid").to_string();
    let (_, region) = app.get(&admin, &format!("/api/v1/regions/{code}")).await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
    let (s, o) = app.post(&admin, "/api/v1/protected-objects", &json!({"kind": "waterlogging", "name": "幂等测试易涝点", "lon": lon, "lat": lat, "region_code": code, "responsible_user_id": user["id"], "responsible_name": "网格员", "responsible_phone": "13900000021"})).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let d = 0.003;
    let area = json!({"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]});
    let body = json!({"event_code": "rainstorm", "level": 2, "description": "预计未来6小时内将出现50毫米以上降雨", "instruction": "低洼易涝区域人员及时转移", "area": area, "expires_at": to_rfc3339(app.clock.now_ms() + 12 * 3_600_000)});
    let (s, w) = app.post(&commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().expect("id"));
    app.post(&commander, &path, &json!({"action": "submit"}))
        .await;
    let (s, w) = app.post(&admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let (_, mine) = app.get(grid, "/api/v1/work-orders?mine=true").await;
    mine["items"][0]["id"].as_str().expect("order").to_string()
}

async fn work_order_answer_is_idempotent(app: &TestApp) {
    let grid = app.login("grid").await;
    let oid = order_for_the_grid_worker(app, &grid).await;
    let path = format!("/api/v1/work-orders/{oid}/answer");
    let key = "answer-0b6f3c1e-8d1a-4c55";
    let report = json!({"action": "report", "arrived": true, "patrolled": true, "relocated": 5, "note": "已转移"});
    let (s, first) = post_keyed(app, &grid, &path, key, &report).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["relocated"], 5);
    let answers = || async {
        let (_, a) = app
            .get(
                &app.login("auditor").await,
                &format!("/api/v1/audit?entity_id={oid}"),
            )
            .await;
        a["total"].as_i64().unwrap_or(0)
    };
    let audited = answers().await;
    assert!(audited >= 1, "the answer is audited");
    // The same draft sent again (even changed on the phone meanwhile) is not applied twice.
    let mut again = report.clone();
    again["relocated"] = json!(9);
    let (s, second) = post_keyed(app, &grid, &path, key, &again).await;
    assert_eq!(s, StatusCode::OK, "{second}");
    assert_eq!(
        (second["id"].clone(), second["relocated"].clone()),
        (json!(oid), json!(5))
    );
    assert_eq!(
        answers().await,
        audited,
        "no second answer in the audit log"
    );
    // The key of an answer cannot be reused for a check-in.
    let (s, _) = post_keyed(
        app,
        &grid,
        "/api/v1/patrols",
        key,
        &json!({"lon": 115.99, "lat": 29.71}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}
both!(work_order_answer_is_idempotent);

async fn check_in_outside_the_grid_is_marked(app: &TestApp) {
    let grid = app.login("grid").await;
    let code = me(app, &grid).await["region_code"]
        .as_str()
        .expect("grid")
        .to_string();
    let (_, region) = app.get(&grid, &format!("/api/v1/regions/{code}")).await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
    // In the grid: not marked.
    let (s, inside) = app
        .post(&grid, "/api/v1/patrols", &json!({"lon": lon, "lat": lat}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inside}");
    assert_eq!(inside["outside_area"], false);
    // Far outside it (GPS went astray, or the worker is elsewhere): recorded, and marked.
    let (s, outside) = app
        .post(
            &grid,
            "/api/v1/patrols",
            &json!({"lon": lon + 0.5, "lat": lat, "note": "定位漂移"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{outside}");
    assert_eq!(outside["outside_area"], true);
    assert_eq!(app.count("patrols").await, 2);
    // The supervisors' list carries the mark, and so does the audit record.
    let street = app.login("street").await;
    let (_, area) = app.get(&street, "/api/v1/patrols").await;
    let marks: Vec<(Value, Value)> = area["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| (p["id"].clone(), p["outside_area"].clone()))
        .collect();
    assert!(
        marks.contains(&(outside["id"].clone(), json!(true))),
        "{area}"
    );
    assert!(
        marks.contains(&(inside["id"].clone(), json!(false))),
        "{area}"
    );
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            &format!(
                "/api/v1/audit?entity_id={}",
                outside["id"].as_str().expect("id")
            ),
        )
        .await;
    assert!(
        audit["items"][0]["summary"]
            .as_str()
            .unwrap_or("")
            .contains("不在巡查区域内"),
        "{audit}"
    );
}
both!(check_in_outside_the_grid_is_marked);

async fn old_idempotency_keys_are_pruned(app: &TestApp) {
    use yingji_core::kernel::clock::SharedClock;
    const DAY: i64 = 86_400_000;
    let grid = app.login("grid").await;
    let point = json!({"lon": 115.99, "lat": 29.71});
    let (s, _) = post_keyed(app, &grid, "/api/v1/patrols", "old-key-0001", &point).await;
    assert_eq!(s, StatusCode::CREATED);
    app.clock.advance(6 * DAY);
    let grid = app.login("grid").await; // the session ended meanwhile
    let (s, _) = post_keyed(app, &grid, "/api/v1/patrols", "fresh-key-0002", &point).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(app.count("idempotency_keys").await, 2);
    let clock: SharedClock = app.clock.clone();
    // Six days on, both are within a week.
    let n = yingji_jobs::idempotency::prune_once(&app.store, &clock, 7)
        .await
        .expect("prune");
    assert_eq!((n, app.count("idempotency_keys").await), (0, 2));
    // Two more days: the first key is past the week and goes; the fresh one stays and still
    // answers its check-in.
    app.clock.advance(2 * DAY);
    let n = yingji_jobs::idempotency::prune_once(&app.store, &clock, 7)
        .await
        .expect("prune");
    assert_eq!((n, app.count("idempotency_keys").await), (1, 1));
    let grid = app.login("grid").await;
    let (s, _) = post_keyed(app, &grid, "/api/v1/patrols", "fresh-key-0002", &point).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(app.count("patrols").await, 2, "the fresh key still replays");
}
both!(old_idempotency_keys_are_pruned);

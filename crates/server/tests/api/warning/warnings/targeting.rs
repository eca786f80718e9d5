//! 靶向预警: work orders for the susceptible objects in a warning's area, acknowledged or escalated.

use super::{draft, publish, square};
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

async fn fire_timers(app: &TestApp) {
    let clock: yingji_core::kernel::clock::SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers");
}

/// A 暴雨橙色预警 over one grid: work orders for the susceptible objects inside only, actions by
/// kind and level, the responsible person acknowledges on time, an unacknowledged order escalates
/// when its deadline passes (then to the street), an update that moves the area releases and
/// adds orders, 解除 closes them; a 特殊群体's name is hidden from others than their grid worker.
async fn targeting_creates_work_orders_that_escalate(app: &TestApp) {
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let grid = app.login("grid").await;
    let spot = grid_spot(app, &admin, &grid).await;
    let ids = register_objects(app, &admin, &grid, &commander, &spot).await;
    let (wid, hid, now) = publish_over_the_grid(app, &commander, &admin, &spot).await;
    the_grid_worker_answers_with_a_photo(app, &grid, &commander).await;
    an_unanswered_order_escalates(app, &commander, &wid, &hid, now).await;
    the_response_is_measured(app, &commander, &wid, &hid).await;
    an_update_releases_and_cancel_closes(app, &commander, &admin, &wid, &spot).await;
    let _ = ids;
}
both!(targeting_creates_work_orders_that_escalate);

/// The demo grid worker, their grid and its centre.
struct GridSpot {
    user: String,
    code: String,
    lon: f64,
    lat: f64,
}

async fn grid_spot(app: &TestApp, admin: &reqwest::Client, grid: &reqwest::Client) -> GridSpot {
    let (_, me) = app.get(grid, "/api/v1/auth/me").await;
    let grid_user = me["id"]
        .as_str()
        .or_else(|| me["user"]["id"].as_str())
        .expect("grid user")
        .to_string();
    let grid_code = me["scope"]["region_code"]
        .as_str()
        .expect("grid code")
        .to_string();
    let (_, region) = app
        .get(admin, &format!("/api/v1/regions/{grid_code}"))
        .await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
    GridSpot {
        user: grid_user,
        code: grid_code,
        lon,
        lat,
    }
}

/// Four objects in the grid and one far away; a bad one is refused naming its fields; a 特殊群体's
/// name is masked for others than their grid worker: the objects' ids.
async fn register_objects(
    app: &TestApp,
    admin: &reqwest::Client,
    grid: &reqwest::Client,
    commander: &reqwest::Client,
    spot: &GridSpot,
) -> Vec<String> {
    let GridSpot {
        user: grid_user,
        code: grid_code,
        lon,
        lat,
    } = spot;
    let (lon, lat) = (*lon, *lat);
    // The grid worker's account makes them 网格员; the others get their kind's usual person type.
    let object = |kind: &str, name: &str, dlon: f64, responsible: Option<&str>| {
        json!({"kind": kind, "name": name, "address": "测试路1号", "lon": lon + dlon, "lat": lat, "region_code": grid_code,
               "responsible_user_id": responsible, "responsible_name": "网格员", "responsible_phone": "13900000001"})
    };
    let mut ids = Vec::new();
    for body in [
        object(
            "waterlogging",
            "东门下穿通道易涝点",
            0.0005,
            Some(grid_user),
        ),
        object("dangerous_house", "老街12号危房", -0.0005, None),
        object("school", "浔阳小学", 0.0002, None),
        object("special_person", "张奶奶", 0.0001, Some(grid_user)),
        object("waterlogging", "远处易涝点", 0.5, None),
    ] {
        let (s, o) = app.post(admin, "/api/v1/protected-objects", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
        ids.push(o["id"].as_str().expect("id").to_string());
    }
    let (s, v) = app.post(admin, "/api/v1/protected-objects", &json!({"kind": "ufo", "name": "", "lon": 200.0, "lat": 29.7, "region_code": grid_code, "responsible_name": "甲", "responsible_phone": "1"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["kind", "name", "lon", "responsible_phone"], "{v}");
    // 特殊群体: the grid worker sees the name; the commander sees it masked.
    let (_, mine) = app
        .get(grid, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(mine["items"][0]["name"], "张奶奶");
    let (_, theirs) = app
        .get(commander, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(theirs["items"][0]["name"], "张**");
    assert_eq!(theirs["items"][0]["masked"], true);
    ids
}

/// A 暴雨橙色预警 over the grid: orders for the 易涝点 and the 危房 only: (the warning's id, the
/// house's order's id, when it was published).
async fn publish_over_the_grid(
    app: &TestApp,
    commander: &reqwest::Client,
    admin: &reqwest::Client,
    spot: &GridSpot,
) -> (String, String, i64) {
    let (lon, lat) = (spot.lon, spot.lat);
    let mut body = draft(app);
    body["area"] = square(lon - 0.002, lat - 0.002, 0.004);
    let (s, w) = publish(app, commander, admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let wid = w["id"].as_str().expect("id").to_string();
    let now = app.clock.now_ms();
    let (_, orders) = app
        .get(commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let items = orders["items"].as_array().expect("items");
    let kinds: Vec<&str> = items
        .iter()
        .map(|o| o["object"]["kind"].as_str().unwrap_or(""))
        .collect();
    // Rainstorm concerns 易涝点 and 危房 (not the school, not 特殊群体); the far one is outside.
    assert_eq!(items.len(), 2, "{orders}");
    assert!(
        kinds.contains(&"waterlogging") && kinds.contains(&"dangerous_house"),
        "{kinds:?}"
    );
    let house = items
        .iter()
        .find(|o| o["object"]["kind"] == "dangerous_house")
        .expect("house");
    assert_eq!(house["actions"], json!(["通知", "巡查", "转移"]));
    assert_eq!(
        house["due_ms"],
        now + 15 * 60_000,
        "橙色: 15 minutes to answer"
    );
    let hid = house["id"].as_str().expect("id").to_string();
    (wid, hid, now)
}

async fn the_grid_worker_answers_with_a_photo(
    app: &TestApp,
    grid: &reqwest::Client,
    commander: &reqwest::Client,
) {
    // The responsible grid worker sees their order and answers on time.
    let (_, mine) = app.get(grid, "/api/v1/work-orders?mine=true").await;
    assert_eq!(mine["total"], 1);
    let oid = mine["items"][0]["id"].as_str().expect("id").to_string();
    // Their notification opens the order itself, which they (not an enterprise) may read.
    let (_, notes) = app.get(grid, "/api/v1/notifications").await;
    let link = format!("/work-orders?id={oid}");
    assert!(
        notes["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|n| n["link"] == link.as_str()),
        "{notes}"
    );
    let (s, one) = app.get(grid, &format!("/api/v1/work-orders/{oid}")).await;
    assert_eq!(
        (s, one["id"].as_str()),
        (StatusCode::OK, Some(oid.as_str())),
        "{one}"
    );
    let ent = app.login("enterprise").await;
    let (s, _) = app.get(&ent, &format!("/api/v1/work-orders/{oid}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, o) = app
        .post(
            grid,
            &format!("/api/v1/work-orders/{oid}/answer"),
            &json!({"action": "acknowledge"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(o["on_time"], true);
    // A photo taken on the spot goes with the report; the commander can open it.
    let r = grid
        .post(app.url("/api/v1/attachments?filename=现场.png"))
        .body(crate::kernel::attachments::picture(
            8,
            8,
            image::ImageFormat::Png,
        ))
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let photo: Value = r.json().await.expect("json");
    let photo = photo["id"].as_str().expect("photo").to_string();
    let (s, o) = app.post(grid, &format!("/api/v1/work-orders/{oid}/answer"), &json!({"action": "report", "arrived": true, "patrolled": true, "relocated": 12, "note": "已设置警示", "attachments": [photo]})).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(o["status"], "reported");
    assert_eq!(o["report"]["attachments"], json!([photo]));
    let r = commander
        .get(app.url(&format!("/api/v1/attachments/{photo}")))
        .send_checked()
        .await
        .expect("download");
    assert_eq!(r.status(), StatusCode::OK);
    // Someone else's or an unknown upload is refused, naming the field.
    let (s, v) = app
        .post(
            grid,
            &format!("/api/v1/work-orders/{oid}/answer"),
            &json!({"action": "report", "attachments": ["nope"]}),
        )
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("attachments"))
    );
    let (s, v) = app
        .post(
            grid,
            &format!("/api/v1/work-orders/{oid}/answer"),
            &json!({"action": "report", "relocated": -1}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "relocated");
}

async fn an_unanswered_order_escalates(
    app: &TestApp,
    commander: &reqwest::Client,
    wid: &str,
    hid: &str,
    now: i64,
) {
    // The house's order is not answered: at the deadline it escalates, then to the street.
    let street = app.login("street").await;
    app.clock.set(now + 16 * 60_000);
    fire_timers(app).await;
    let (_, orders) = app
        .get(commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let h = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["id"] == hid)
        .expect("house")
        .clone();
    assert_eq!(
        (h["escalation"].as_i64(), h["overdue"].as_bool()),
        (Some(1), Some(true)),
        "{h}"
    );
    app.clock.set(now + 32 * 60_000);
    fire_timers(app).await;
    let (_, orders) = app
        .get(commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let h = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["id"] == hid)
        .expect("house")
        .clone();
    assert_eq!(h["escalation"], 2, "{h}");
    let (_, notes) = app.get(&street, "/api/v1/notifications").await;
    assert!(notes.to_string().contains("逾期未叫应"), "{notes}");
    assert!(
        notes
            .to_string()
            .contains(&format!("/work-orders?id={hid}")),
        "{notes}"
    );
}

/// The warning's response figures, by street and person type, 叫应效能分析, and the texts sent.
async fn the_response_is_measured(
    app: &TestApp,
    commander: &reqwest::Client,
    wid: &str,
    hid: &str,
) {
    let (_, r) = app
        .get(commander, &format!("/api/v1/warnings/{wid}/response"))
        .await;
    assert_eq!(
        (
            r["targeted"].as_i64(),
            r["on_time"].as_i64(),
            r["never"].as_i64(),
            r["relocated"].as_i64()
        ),
        (Some(2), Some(1), Some(1), Some(12)),
        "{r}"
    );
    assert_eq!(r["ack_rate"], 0.5);
    assert_eq!(r["by_street"][0]["orders"], 2);
    assert_eq!(r["median_ack_minutes"], 0.0);
    // By person type: the 网格员 answered on time, the 村（社区）干部 of the house never did.
    let people = r["by_person_type"].as_array().expect("people");
    let of = |code: &str| {
        people
            .iter()
            .find(|g| g["code"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        (
            of("grid_worker")["on_time"].as_i64(),
            of("grid_worker")["name"].as_str()
        ),
        (Some(1), Some("网格员")),
        "{r}"
    );
    assert_eq!(of("community_cadre")["never"], 1, "{r}");
    assert_eq!(of("community_cadre")["ack_rate"], 0.0);
    // 叫应效能分析 over the period gives the same figures; a bad date is named.
    let (s, e) = app.get(commander, "/api/v1/warnings/effectiveness").await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(
        (
            e["warnings"].as_i64(),
            e["on_time"].as_i64(),
            e["never"].as_i64()
        ),
        (Some(1), Some(1), Some(1)),
        "{e}"
    );
    assert_eq!(e["by_kind"].as_array().map(Vec::len), Some(2));
    let (s, v) = app
        .get(commander, "/api/v1/warnings/effectiveness?from=2026-13-01")
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("from"))
    );
    // The responsible person was texted through the outbox (no SMS gateway here: 未发送).
    let (s, d) = app
        .get(commander, &format!("/api/v1/work-orders/{hid}/deliveries"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert!(
        d.as_array()
            .expect("deliveries")
            .iter()
            .any(|m| m["kind"] == "sms"
                && m["event"] == "warning.order"
                && m["title"].as_str().is_some_and(|t| t.contains("响应工单"))),
        "{d}"
    );
}

async fn an_update_releases_and_cancel_closes(
    app: &TestApp,
    commander: &reqwest::Client,
    admin: &reqwest::Client,
    wid: &str,
    spot: &GridSpot,
) {
    let (lon, lat) = (spot.lon, spot.lat);
    // 更新 moves the area east: the house falls outside (released), the far one... stays outside;
    // the 易涝点 keeps its order.
    let mut update = draft(app);
    update["area"] = square(lon, lat - 0.002, 0.004);
    update["supersedes"] = json!(wid);
    let (s, u) = publish(app, commander, admin, &update).await;
    assert_eq!(s, StatusCode::OK);
    let uid = u["id"].as_str().expect("id").to_string();
    let (_, orders) = app
        .get(commander, &format!("/api/v1/work-orders?warning_id={uid}"))
        .await;
    let by_kind = |k: &str| {
        orders["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|o| o["object"]["kind"] == k)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(by_kind("dangerous_house")["status"], "released", "{orders}");
    assert_eq!(by_kind("waterlogging")["status"], "reported");
    // 解除 closes what is still open.
    let (s, _) = app
        .post(
            commander,
            &format!("/api/v1/warnings/{uid}/actions"),
            &json!({"action": "cancel"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, open) = app
        .get(
            commander,
            &format!("/api/v1/work-orders?warning_id={uid}&status=open"),
        )
        .await;
    assert_eq!(open["total"], 0);
}

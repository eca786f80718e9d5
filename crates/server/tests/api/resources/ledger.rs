//! 应急资源: search nearest first by capability and material, the stock ledger's invariants,
//! allocation orders approved concurrently, dispatch of teams, shelter occupancy, refusals that
//! name their field, and scoping.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

pub(crate) async fn with_resources(app: &TestApp) {
    let n = yingji_demo::resources::generate_resources(&app.store, app.clock.now_ms(), 42)
        .await
        .expect("demo resources");
    assert!(n > 30, "{n}");
}

fn incident_body(app: &TestApp, lon: f64, lat: f64) -> Value {
    let now = app.clock.now_ms();
    json!({
        "title": "城区内涝群众被困",
        "category": "natural",
        "subtype": "rainstorm",
        "occurred_at": to_rfc3339(now - 30 * 60_000),
        "region_code": "360403001",
        "lon": lon, "lat": lat,
        "assessed_severity": "general",
        "location": "低洼小区",
        "account": "暴雨致低洼小区积水，群众被困",
        "casualties": {"trapped": 12}
    })
}

async fn district_warehouse(app: &TestApp, c: &reqwest::Client) -> Value {
    let (s, v) = app.get(c, "/api/v1/warehouses?kind=district").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"][0].clone()
}

async fn stock_line(app: &TestApp, c: &reqwest::Client, warehouse: &str, material: &str) -> Value {
    let (s, v) = app
        .get(
            c,
            &format!("/api/v1/stock?warehouse_id={warehouse}&q={material}&kind=physical"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"][0].clone()
}

/// The ledger's sum per line, straight from the database.
async fn ledger_sum(app: &TestApp, stock_id: &str) -> i64 {
    let mut q = yingji_store::Sql::new(
        "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM stock_movements WHERE stock_id = ",
    );
    q.bind(stock_id);
    app.store.fetch_i64(q).await.expect("sum")
}

async fn search_nearest_by_capability_and_material(app: &TestApp) {
    with_resources(app).await;
    let duty = app.login("duty").await;
    let wh = district_warehouse(app, &duty).await;
    let (lon, lat) = (
        wh["lon"].as_f64().expect("lon"),
        wh["lat"].as_f64().expect("lat"),
    );

    // Nearest teams first, each within the ring that was searched.
    let (s, r) = app
        .get(
            &duty,
            &format!("/api/v1/resources/search?kind=team&lon={lon}&lat={lat}&limit=5"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let items = r["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    let d: Vec<i64> = items
        .iter()
        .map(|h| h["distance_m"].as_i64().unwrap_or(-1))
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    assert!(
        d.iter()
            .all(|&x| x >= 0 && x <= r["radius_m"].as_i64().unwrap_or(0))
    );

    // "10 km 内 冲锋舟 ≥ 5": the district warehouse holds 12.
    let need = urlencode("10 km 内 冲锋舟 ≥ 5");
    let (s, r) = app
        .get(
            &duty,
            &format!("/api/v1/resources/search?kind=material&lon={lon}&lat={lat}&need={need}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["radius_m"], 10_000);
    assert_eq!(r["item"], "冲锋舟");
    assert_eq!(r["min_qty"], 5);
    assert_eq!(r["items"][0]["name"], "浔阳区应急物资储备库");
    assert_eq!(r["items"][0]["quantity"], 12);
    assert_eq!(r["items"][0]["unit"], "艘");
    let need = urlencode("冲锋舟 ≥ 500");
    let (_, r) = app
        .get(
            &duty,
            &format!("/api/v1/resources/search?kind=material&lon={lon}&lat={lat}&need={need}"),
        )
        .await;
    assert_eq!(r["items"].as_array().map(Vec::len), Some(0));

    // Specialty: the experts on 危险化学品.
    let need = urlencode("危险化学品");
    let (_, r) = app
        .get(
            &duty,
            &format!("/api/v1/resources/search?kind=expert&lon={lon}&lat={lat}&need={need}"),
        )
        .await;
    assert_eq!(r["items"][0]["name"], "陈建国（正高级工程师）");

    // Shelters with room for 500 that are open (the central one is closed): none open that big.
    let (_, r) = app
        .get(
            &duty,
            &format!("/api/v1/resources/search?kind=shelter&lon={lon}&lat={lat}&min_qty=500"),
        )
        .await;
    assert!(
        r["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|h| h["status"] == "open")
    );

    // Bad input names the field.
    for (q, field) in [
        ("kind=boat&lon=116&lat=29.7", "kind"),
        ("kind=team", "incident_id"),
        ("kind=team&lon=200&lat=29.7", "lon"),
        ("kind=material&lon=116&lat=29.7", "need"),
        ("kind=team&lon=116&lat=29.7&radius_km=500", "radius_km"),
        (
            "kind=material&lon=116&lat=29.7&need=%E5%86%B2%E9%94%8B%E8%88%9F%E2%89%A5",
            "need",
        ),
    ] {
        let (s, v) = app
            .get(&duty, &format!("/api/v1/resources/search?{q}"))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["details"][0]["field"], field, "{q}: {v}");
    }

    // Scope: a street sees the district's resources; an enterprise sees none.
    let street = app.login("street").await;
    let (_, v) = app.get(&street, "/api/v1/teams").await;
    assert!(v["total"].as_i64().unwrap_or(0) >= 6, "{v}");
    let ent = app.login("enterprise").await;
    let (_, v) = app.get(&ent, "/api/v1/teams").await;
    assert_eq!(v["total"], 0);
    let (s, _) = app
        .get(
            &ent,
            &format!("/api/v1/warehouses/{}", wh["id"].as_str().unwrap_or("")),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Writes need a managing role.
    let grid = app.login("grid").await;
    let (s, _) = app
        .post(
            &grid,
            &format!(
                "/api/v1/stock/{}/movements",
                stock_line(app, &duty, wh["id"].as_str().unwrap_or(""), "冲锋舟").await["id"]
                    .as_str()
                    .unwrap_or("")
            ),
            &json!({"kind": "outbound", "quantity": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
both!(search_nearest_by_capability_and_material);

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn the_ledger_is_the_balance(app: &TestApp) {
    with_resources(app).await;
    let duty = app.login("duty").await;
    let wh = district_warehouse(app, &duty).await;
    let wid = wh["id"].as_str().expect("id").to_string();
    // A new line: its opening quantity is the ledger's first 入库. (The test clock is 2026-05-28,
    // so its expiry is within the 30-day warning.)
    let (s, line) = app
        .post(&duty, "/api/v1/stock", &json!({"warehouse_id": wid, "material_code": "09003", "quantity": 100, "min_stock": 90, "expiry_date": "2026-06-10"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{line}");
    let id = line["id"].as_str().expect("id").to_string();
    assert_eq!(line["material_name"], "油锯");
    assert_eq!(line["category_name"], "器材工具");
    assert_eq!(line["expiry_state"], "expiring");
    let path = format!("/api/v1/stock/{id}/movements");
    for (kind, q, note) in [
        ("inbound", 20, None),
        ("outbound", 30, None),
        ("count", 85, None),
        ("write_off", 5, Some("锈蚀")),
    ] {
        let (s, v) = app
            .post(
                &duty,
                &path,
                &json!({"kind": kind, "quantity": q, "note": note}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{kind}: {v}");
    }
    let (_, line) = app.get(&duty, &format!("/api/v1/stock/{id}")).await;
    assert_eq!(line["quantity"], 80);
    assert_eq!(line["low"], true, "80 is below the minimum of 90");
    assert_eq!(ledger_sum(app, &id).await, 80);
    let (_, moves) = app.get(&duty, &path).await;
    let balances: Vec<i64> = moves
        .as_array()
        .expect("moves")
        .iter()
        .map(|m| m["balance_after"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(balances, [100, 120, 90, 85, 80]);

    // Refusals name the field and store nothing.
    let before = app.count("stock_movements").await;
    for (body, field) in [
        (json!({"kind": "outbound", "quantity": 81}), "quantity"),
        (json!({"kind": "outbound", "quantity": -1}), "quantity"),
        (json!({"kind": "write_off", "quantity": 1}), "note"),
        (json!({"kind": "count", "quantity": -3}), "quantity"),
        (json!({"kind": "transfer_in", "quantity": 3}), "kind"),
    ] {
        let (s, v) = app.post(&duty, &path, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v["details"][0]["field"], field, "{body}: {v}");
    }
    assert_eq!(app.count("stock_movements").await, before);
    let (s, v) = app
        .post(&duty, "/api/v1/stock", &json!({"warehouse_id": wid, "material_code": "99999", "quantity": -1, "reserve_type": "agreement"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["material_code", "quantity", "supplier"], "{v}");
    // The same material and reserve type twice in one warehouse is a conflict.
    let (s, _) = app
        .post(
            &duty,
            "/api/v1/stock",
            &json!({"warehouse_id": wid, "material_code": "09003"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // The low-stock and expiry alerts.
    let (_, v) = app
        .get(
            &duty,
            &format!("/api/v1/stock?warehouse_id={wid}&alert=low"),
        )
        .await;
    assert!(
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|l| l["material_name"] == "油锯")
    );
    let (_, v) = app
        .get(
            &duty,
            &format!("/api/v1/stock?warehouse_id={wid}&alert=expiring"),
        )
        .await;
    assert!(v["total"].as_i64().unwrap_or(0) >= 1, "{v}");
    // Every line of every warehouse: the quantity is the sum of its movements.
    let mismatched = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM stock s WHERE s.quantity <> (SELECT COALESCE(SUM(m.delta), 0) FROM stock_movements m WHERE m.stock_id = s.id)",
        ))
        .await
        .expect("count");
    assert_eq!(mismatched, 0);
}
both!(the_ledger_is_the_balance);

async fn concurrent_approvals_cannot_ship_more_than_the_stock(app: &TestApp) {
    with_resources(app).await;
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let admin = app.login("admin").await;
    let wh = district_warehouse(app, &duty).await;
    let wid = wh["id"].as_str().expect("id").to_string();
    let (_, streets) = app.get(&duty, "/api/v1/warehouses?kind=street").await;
    let to = streets["items"][0]["id"]
        .as_str()
        .expect("street warehouse")
        .to_string();
    let boats = stock_line(app, &duty, &wid, "冲锋舟").await;
    let sid = boats["id"].as_str().expect("id").to_string();
    assert_eq!(boats["quantity"], 12);

    let boats = Boats { wid, to, sid };
    an_order_above_the_stock_is_refused(app, &duty, &boats).await;
    one_of_two_concurrent_approvals_wins(app, &duty, &commander, &admin, &boats).await;
    partial_fulfilment_the_whole_way(app, &duty, &commander, &boats).await;
}
both!(concurrent_approvals_cannot_ship_more_than_the_stock);

/// The district warehouse (`wid`), a street warehouse (`to`) and the district's boats (`sid`).
struct Boats {
    wid: String,
    to: String,
    sid: String,
}

async fn an_order_above_the_stock_is_refused(app: &TestApp, duty: &reqwest::Client, boats: &Boats) {
    let Boats { wid, to, sid } = boats;
    // An order above the stock is refused at once, naming the line.
    let (s, v) = app
        .post(duty, "/api/v1/allocation-orders", &json!({"from_warehouse_id": wid, "to_warehouse_id": to, "purpose": "防汛前置", "lines": [{"stock_id": sid, "quantity": 13}]}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "lines[0].quantity");
    assert!(
        v["message"]
            .as_str()
            .unwrap_or("")
            .contains("超过可用库存 12艘"),
        "{v}"
    );
}

/// Rounds of two orders approved at the same moment by two approvers: one wins.
async fn one_of_two_concurrent_approvals_wins(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    admin: &reqwest::Client,
    boats: &Boats,
) {
    let Boats { wid, to, sid } = boats;
    // Rounds of two orders of 8 boats each, approved at the same moment: one wins.
    for round in 0..3 {
        let mut ids = Vec::new();
        for _ in 0..2 {
            let (s, o) = app
                .post(duty, "/api/v1/allocation-orders", &json!({"from_warehouse_id": wid, "to_warehouse_id": to, "purpose": "防汛前置", "lines": [{"stock_id": sid, "quantity": 8}]}))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{o}");
            assert_eq!(o["status"], "requested");
            ids.push(o["id"].as_str().expect("id").to_string());
        }
        let approve = json!({"action": "approve"});
        let (p0, p1) = (
            format!("/api/v1/allocation-orders/{}/actions", ids[0]),
            format!("/api/v1/allocation-orders/{}/actions", ids[1]),
        );
        // Two approvers, two connections, one moment.
        let (a, b) = tokio::join!(
            app.post(commander, &p0, &approve),
            app.post(admin, &p1, &approve),
        );
        let ok = [&a, &b]
            .iter()
            .filter(|(s, _)| *s == StatusCode::OK)
            .count();
        assert_eq!(ok, 1, "round {round}: {a:?} {b:?}");
        let loser = if a.0 == StatusCode::OK { &b } else { &a };
        assert_eq!(loser.0, StatusCode::BAD_REQUEST, "{loser:?}");
        assert!(
            loser.1["message"]
                .as_str()
                .unwrap_or("")
                .contains("可用库存不足"),
            "{loser:?}"
        );
        let line = stock_line(app, duty, wid, "冲锋舟").await;
        assert_eq!(line["reserved"], 8);
        assert_eq!(line["available"], 4);
        // Cancel the winner so the next round starts from 12 again; its reservation goes back.
        let winner = if a.0 == StatusCode::OK {
            &ids[0]
        } else {
            &ids[1]
        };
        let (s, v) = app
            .post(
                duty,
                &format!("/api/v1/allocation-orders/{winner}/actions"),
                &json!({"action": "cancel"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(stock_line(app, duty, wid, "冲锋舟").await["reserved"], 0);
    }
}

async fn partial_fulfilment_the_whole_way(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    boats: &Boats,
) {
    let Boats { wid, to, sid } = boats;
    // The whole way with partial fulfilment: ask 10, approve 6, ship 5, receive 5.
    let (_, o) = app
        .post(duty, "/api/v1/allocation-orders", &json!({"from_warehouse_id": wid, "to_warehouse_id": to, "purpose": "支援街道", "lines": [{"stock_id": sid, "quantity": 10}]}))
        .await;
    let oid = o["id"].as_str().expect("id").to_string();
    let p = format!("/api/v1/allocation-orders/{oid}/actions");
    let (s, v) = app.post(duty, &p, &json!({"action": "ship"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "not approved yet: {v}");
    let (s, v) = app.post(duty, &p, &json!({"action": "approve"})).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a duty officer does not approve: {v}"
    );
    let (s, v) = app
        .post(
            commander,
            &p,
            &json!({"action": "approve", "quantities": [11]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "quantities[0]");
    let (s, v) = app
        .post(
            commander,
            &p,
            &json!({"action": "approve", "quantities": [6]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["partial"], true);
    assert_eq!(
        stock_line(app, duty, wid, "冲锋舟").await["quantity"],
        12,
        "approval moves no stock"
    );
    let (s, v) = app
        .post(duty, &p, &json!({"action": "ship", "quantities": [5]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let line = stock_line(app, duty, wid, "冲锋舟").await;
    assert_eq!(
        (line["quantity"].as_i64(), line["reserved"].as_i64()),
        (Some(7), Some(0)),
        "{line}"
    );
    let dest_before = app
        .get(
            duty,
            &format!("/api/v1/stock?warehouse_id={to}&q=%E5%86%B2%E9%94%8B%E8%88%9F"),
        )
        .await
        .1["total"]
        .clone();
    assert_eq!(dest_before, 0, "not received yet");
    let (s, v) = app.post(duty, &p, &json!({"action": "receive"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "received");
    assert_eq!(v["lines"][0]["received"], 5);
    let dest = stock_line(app, duty, to, "冲锋舟").await;
    assert_eq!(dest["quantity"], 5);
    assert_eq!(ledger_sum(app, dest["id"].as_str().unwrap_or("")).await, 5);
    assert_eq!(ledger_sum(app, sid).await, 7);
    let (s, _) = app.post(duty, &p, &json!({"action": "receive"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "received once");
}

async fn dispatch_teams_and_shelter_people(app: &TestApp) {
    with_resources(app).await;
    let duty = app.login("duty").await;
    let wh = district_warehouse(app, &duty).await;
    let (lon, lat) = (
        wh["lon"].as_f64().expect("lon"),
        wh["lat"].as_f64().expect("lat"),
    );
    let (s, inc) = app
        .post(&duty, "/api/v1/incidents", &incident_body(app, lon, lat))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    let iid = inc["id"].as_str().expect("id").to_string();

    a_team_is_dispatched_and_returns(app, &duty, &iid).await;
    shelters_count_people_in_and_out(app, &duty, &iid).await;
    registration_refusals_name_every_field(app, &duty).await;
    let audit_actions = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('incident.dispatch', 'incident.return', 'shelter.check_in', 'shelter.check_out', 'shelter.open')",
        ))
        .await
        .expect("audit");
    assert!(audit_actions >= 5, "{audit_actions}");
}
both!(dispatch_teams_and_shelter_people);

/// The nearest team with the specialty is dispatched to incident `iid`, once, and returns.
async fn a_team_is_dispatched_and_returns(app: &TestApp, duty: &reqwest::Client, iid: &str) {
    let need = urlencode("防汛抢险");
    let (_, r) = app
        .get(
            duty,
            &format!("/api/v1/resources/search?kind=team&incident_id={iid}&need={need}"),
        )
        .await;
    let team = r["items"][0].clone();
    assert!(
        team["detail"].as_str().unwrap_or("").contains("防汛抢险"),
        "{r}"
    );
    let tid = team["id"].as_str().expect("team").to_string();
    let path = format!("/api/v1/incidents/{iid}/dispatches");
    let (s, v) = app
        .post(
            duty,
            &path,
            &json!({"resource_type": "team", "resource_id": tid}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v[0]["status"], "dispatched");
    assert_eq!(v[0]["distance_m"], team["distance_m"]);
    let (_, t) = app.get(duty, &format!("/api/v1/teams/{tid}")).await;
    assert_eq!(t["status"], "dispatched");
    assert_eq!(t["incident_id"], iid);
    // Out already: refused; and it no longer shows among the available.
    let (s, v) = app
        .post(
            duty,
            &path,
            &json!({"resource_type": "team", "resource_id": tid}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (_, r) = app
        .get(
            duty,
            &format!("/api/v1/resources/search?kind=team&incident_id={iid}&need={need}"),
        )
        .await;
    assert!(
        r["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|h| h["id"] != tid.as_str())
    );
    let (_, d) = app.get(duty, &format!("/api/v1/incidents/{iid}")).await;
    assert!(
        d["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .any(|t| t["kind"] == "dispatch"
                && t["text"].as_str().unwrap_or("").starts_with("调派救援队伍")),
        "{d}"
    );
    let did = v[0]["id"].as_str().unwrap_or("").to_string();
    let (_, all) = app.get(duty, &path).await;
    let did = if did.is_empty() {
        all[0]["id"].as_str().unwrap_or("").to_string()
    } else {
        did
    };
    let (s, v) = app
        .post(duty, &format!("{path}/{did}/return"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        app.get(duty, &format!("/api/v1/teams/{tid}")).await.1["status"],
        "standby"
    );
    let (s, v) = app
        .post(
            duty,
            &path,
            &json!({"resource_type": "boat", "resource_id": tid}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "resource_type");
}

async fn shelters_count_people_in_and_out(app: &TestApp, duty: &reqwest::Client, iid: &str) {
    // Shelters: open, people in and out by the counts, never below zero nor above capacity.
    let (_, list) = app
        .get(
            duty,
            "/api/v1/shelters?kind=emergency&status=closed&page_size=1",
        )
        .await;
    let sh = list["items"][0].clone();
    let sid = sh["id"].as_str().expect("shelter").to_string();
    let cap = sh["capacity"].as_i64().expect("capacity");
    let mv = format!("/api/v1/shelters/{sid}/movements");
    let (s, v) = app
        .post(duty, &mv, &json!({"kind": "check_in", "people": 5}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "closed: {v}");
    assert!(v["message"].as_str().unwrap_or("").contains("未开放"));
    let (s, _) = app.post(duty, &mv, &json!({"kind": "open"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app
        .post(duty, &mv, &json!({"kind": "check_out", "people": 1}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "people");
    assert!(
        v["message"].as_str().unwrap_or("").contains("无人安置"),
        "{v}"
    );
    let (s, v) = app
        .post(
            duty,
            &mv,
            &json!({"kind": "check_in", "people": 40, "incident_id": iid}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["occupancy"], 40);
    let (s, v) = app
        .post(duty, &mv, &json!({"kind": "check_in", "people": cap}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap_or("").contains("超出容量"));
    let (s, v) = app.post(duty, &mv, &json!({"kind": "close"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "people inside: {v}");
    let (s, v) = app
        .post(duty, &mv, &json!({"kind": "check_out", "people": 40}))
        .await;
    assert_eq!((s, v["occupancy"].as_i64()), (StatusCode::OK, Some(0)));
    assert!(app.count("shelter_movements").await >= 3);
}

async fn registration_refusals_name_every_field(app: &TestApp, duty: &reqwest::Client) {
    // Registration refusals name every bad field.
    let (s, v) = app
        .post(duty, "/api/v1/teams", &json!({"name": "", "kind": "navy", "headcount": -1, "base_address": "x", "lon": 200.0, "lat": 29.7, "region_code": "360403", "leader": "甲", "phone": "123"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["name", "kind", "headcount", "lon", "phone"], "{v}");
    let street = app.login("street").await;
    let (s, _) = app
        .post(&street, "/api/v1/shelters", &json!({"name": "外街道避难点", "kind": "emergency", "address": "x", "lon": 116.0, "lat": 29.7, "region_code": "360403002", "capacity": 10, "manager": "甲", "phone": "13900000000"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "outside the street's scope");
    let (s, v) = app
        .post(duty, "/api/v1/experts", &json!({"name": "钱专家", "sections": ["natural", "space"], "employer": "九江学院", "phone": "13900000001", "lon": 116.0, "lat": 29.7, "region_code": "360403"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "sections[1]");
}

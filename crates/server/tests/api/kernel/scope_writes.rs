//! Writes are checked on the target record: a caller of another scope gets 403/404 and nothing
//! changes (no row, no ledger line, no audit record). Issue 18's reproductions, one by one.

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

const STREET: &str = "360403001"; // 甘棠街道, the demo street account's scope

fn refused(s: StatusCode) -> bool {
    s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND
}

/// The first listed item whose region lies outside the street (another street or the district).
async fn foreign(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    pick: impl Fn(&Value) -> bool,
) -> Value {
    let (s, v) = app.get(c, path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {v}");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            !i["region_code"]
                .as_str()
                .unwrap_or(STREET)
                .starts_with(STREET)
                && pick(i)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no foreign item in {path}: {v}"))
}

async fn street_cannot_write_other_streets_resources(app: &TestApp) {
    crate::resources::ledger::with_resources(app).await;
    let duty = app.login("duty").await;
    let street = app.login("street").await;
    let audit_before = app.count("audit_log").await;
    team_stays_in_its_street(app, &duty, &street).await;
    let (district_wh, other_wh, other_line) = stock_stays_unmoved(app, &duty, &street).await;
    shelter_stays_as_it_was(app, &duty, &street).await;
    let audit_mid =
        orders_are_refused(app, &duty, &street, &district_wh, &other_wh, &other_line).await;
    assert!(audit_before < audit_mid);
}
both!(street_cannot_write_other_streets_resources);

async fn team_stays_in_its_street(app: &TestApp, duty: &reqwest::Client, street: &reqwest::Client) {
    // PUT a team of another street into one's own street.
    let team = foreign(app, duty, "/api/v1/teams?page_size=200", |t| {
        t["region_code"].as_str().is_some_and(|r| r.len() > 6)
    })
    .await;
    let id = team["id"].as_str().unwrap();
    let body = json!({
        "name": team["name"], "kind": team["kind"], "specialties": team["specialties"],
        "headcount": team["headcount"], "equipment": team["equipment"], "base_address": team["base_address"],
        "lon": team["lon"], "lat": team["lat"], "region_code": STREET, "leader": team["leader"], "phone": team["phone"],
    });
    let (s, v) = app.put(street, &format!("/api/v1/teams/{id}"), &body).await;
    assert!(refused(s), "team moved: {s} {v}");
    assert_eq!(
        app.get(duty, &format!("/api/v1/teams/{id}")).await.1["region_code"],
        team["region_code"]
    );
}

/// The stock of the district warehouse and of another street's: (the district warehouse, the
/// other street's warehouse, a stock line of it).
async fn stock_stays_unmoved(
    app: &TestApp,
    duty: &reqwest::Client,
    street: &reqwest::Client,
) -> (Value, Value, Value) {
    // Count the district warehouse's stock to 0; take stock out of another street's.
    let (_, wh) = app.get(duty, "/api/v1/warehouses?kind=district").await;
    let district_wh = wh["items"][0].clone();
    let (_, lines) = app
        .get(
            duty,
            &format!(
                "/api/v1/stock?warehouse_id={}&q=%E5%86%B2%E9%94%8B%E8%88%9F",
                district_wh["id"].as_str().unwrap()
            ),
        )
        .await;
    let line = lines["items"][0].clone();
    let sid = line["id"].as_str().unwrap();
    let movements_before = app.count("stock_movements").await;
    let (s, v) = app
        .post(
            street,
            &format!("/api/v1/stock/{sid}/movements"),
            &json!({"kind": "count", "quantity": 0, "note": "盘点"}),
        )
        .await;
    assert!(refused(s), "district stock counted: {s} {v}");
    let other_wh = foreign(
        app,
        duty,
        "/api/v1/warehouses?kind=street&page_size=200",
        |_| true,
    )
    .await;
    let (_, lines) = app
        .get(
            duty,
            &format!(
                "/api/v1/stock?warehouse_id={}",
                other_wh["id"].as_str().unwrap()
            ),
        )
        .await;
    let other_line = lines["items"][0].clone();
    let (s, v) = app
        .post(
            street,
            &format!(
                "/api/v1/stock/{}/movements",
                other_line["id"].as_str().unwrap()
            ),
            &json!({"kind": "outbound", "quantity": 1}),
        )
        .await;
    assert!(refused(s), "other street's stock moved: {s} {v}");
    assert_eq!(app.count("stock_movements").await, movements_before);
    assert_eq!(
        app.get(duty, &format!("/api/v1/stock/{sid}")).await.1["quantity"],
        line["quantity"]
    );

    (district_wh, other_wh, other_line)
}

async fn shelter_stays_as_it_was(app: &TestApp, duty: &reqwest::Client, street: &reqwest::Client) {
    // Open or close another street's shelter.
    let shelter = foreign(app, duty, "/api/v1/shelters?page_size=200", |_| true).await;
    let hid = shelter["id"].as_str().unwrap();
    let kind = if shelter["status"] == "open" {
        "close"
    } else {
        "open"
    };
    let (s, v) = app
        .post(
            street,
            &format!("/api/v1/shelters/{hid}/movements"),
            &json!({"kind": kind}),
        )
        .await;
    assert!(refused(s), "shelter {kind}: {s} {v}");
    assert_eq!(
        app.get(duty, &format!("/api/v1/shelters/{hid}")).await.1["status"],
        shelter["status"]
    );
}

/// Allocation orders between warehouses not the street's: the audit log's count afterwards.
async fn orders_are_refused(
    app: &TestApp,
    duty: &reqwest::Client,
    street: &reqwest::Client,
    district_wh: &Value,
    other_wh: &Value,
    other_line: &Value,
) -> i64 {
    // Order another street's materials to the district: neither side is the street's.
    let orders_before = app.count("allocation_orders").await;
    let (s, v) = app
        .post(
            street,
            "/api/v1/allocation-orders",
            &json!({"from_warehouse_id": other_wh["id"], "to_warehouse_id": district_wh["id"], "purpose": "越权调拨",
                    "lines": [{"stock_id": other_line["id"], "quantity": 1}]}),
        )
        .await;
    assert!(refused(s), "order created: {s} {v}");
    assert_eq!(app.count("allocation_orders").await, orders_before);
    // An order between two others, approved by the duty officer: the street cannot ship it.
    let (s, order) = app
        .post(
            duty,
            "/api/v1/allocation-orders",
            &json!({"from_warehouse_id": other_wh["id"], "to_warehouse_id": district_wh["id"], "purpose": "调拨",
                    "lines": [{"stock_id": other_line["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{order}");
    let act = format!(
        "/api/v1/allocation-orders/{}/actions",
        order["id"].as_str().unwrap()
    );
    let commander = app.login("commander").await;
    let (s, v) = app
        .post(&commander, &act, &json!({"action": "approve"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let audit_mid = app.count("audit_log").await;
    for action in ["ship", "receive", "cancel"] {
        let (s, v) = app.post(street, &act, &json!({"action": action})).await;
        assert!(refused(s), "{action}: {s} {v}");
    }
    assert_eq!(
        app.get(duty, &act.replace("/actions", "")).await.1["status"],
        "approved"
    );
    assert_eq!(
        app.count("audit_log").await,
        audit_mid,
        "a refused write left an audit record"
    );
    audit_mid
}

async fn quantities_are_bounded(app: &TestApp) {
    crate::resources::ledger::with_resources(app).await;
    let duty = app.login("duty").await;
    let (_, wh) = app.get(&duty, "/api/v1/warehouses?kind=district").await;
    let (_, lines) = app
        .get(
            &duty,
            &format!(
                "/api/v1/stock?warehouse_id={}&q=%E5%86%B2%E9%94%8B%E8%88%9F",
                wh["items"][0]["id"].as_str().unwrap()
            ),
        )
        .await;
    let sid = lines["items"][0]["id"].as_str().unwrap().to_string();
    for kind in ["inbound", "count", "outbound"] {
        let (s, v) = app
            .post(
                &duty,
                &format!("/api/v1/stock/{sid}/movements"),
                &json!({"kind": kind, "quantity": i64::MAX}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{kind}: {v}");
        assert_eq!(v["details"][0]["field"], "quantity", "{v}");
    }
}
both!(quantities_are_bounded);

async fn enterprise_proposes_supervised_fields(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let yjj = app.login("yjj").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let id = me["user"]["enterprise_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/enterprises/{id}");
    let admin = app.login("admin").await;
    // Make the demo enterprise a 危化 unit with a 重大危险源, which the 应急局 supervises.
    let (_, own) = app.get(&ent, &path).await;
    let mut body = json!({
        "name": own["name"], "uscc": own["uscc"], "industry_code": own["industry_code"],
        "categories": ["hazchem"], "flags": ["major_hazard"], "scale": own["scale"],
        "address": own["address"], "lon": own["lon"], "lat": own["lat"], "grid_code": own["grid_code"],
    });
    let (s, v) = app.put(&admin, &path, &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, own) = app.get(&ent, &path).await;
    assert_eq!(app.get(&yjj, &path).await.0, StatusCode::OK);
    // It tries to leave: 九小场所, no 重大危险源, closed.
    body = json!({
        "name": own["name"], "uscc": own["uscc"], "industry_code": own["industry_code"],
        "categories": ["small_venue"], "flags": [], "status": "closed", "scale": own["scale"],
        "address": own["address"], "lon": own["lon"], "lat": own["lat"], "grid_code": own["grid_code"],
        "safety_officer_name": "改了安全员", "safety_officer_phone": own["safety_officer_phone"],
    });
    let (s, v) = app.put(&ent, &path, &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Its own field changed; the supervisor's did not, and the supervisor still sees it.
    assert_eq!(v["safety_officer_name"], "改了安全员");
    assert_eq!(v["categories"], own["categories"]);
    assert_eq!(v["flags"], own["flags"]);
    assert_eq!(v["status"], own["status"]);
    let (s, still) = app.get(&yjj, &path).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the department lost sight of it: {still}"
    );
    // The proposal waits for the department.
    let (s, changes) = app.get(&yjj, &format!("{path}/changes")).await;
    assert_eq!(s, StatusCode::OK);
    let change = changes[0].clone();
    assert_eq!(change["status"], "pending", "{changes}");
    assert!(
        change["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "监管类别")
    );
    let act = format!("{path}/changes/{}/actions", change["id"].as_str().unwrap());
    // The enterprise cannot confirm itself; 应急局 cannot confirm a move to a category it does
    // not supervise; the 住建 department's scope does not reach this enterprise at all.
    assert_eq!(
        app.post(&ent, &act, &json!({"action": "confirm"})).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&yjj, &act, &json!({"action": "confirm"})).await.0,
        StatusCode::FORBIDDEN
    );
    let zjj = app.login("zjj").await;
    assert!(refused(
        app.post(&zjj, &act, &json!({"action": "confirm"})).await.0
    ));
    // The administrator confirms: the fields change, audited.
    let (s, v) = app
        .post(
            &admin,
            &act,
            &json!({"action": "confirm", "note": "核实属实"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "confirmed");
    let (_, after) = app.get(&admin, &path).await;
    assert_eq!(after["categories"], json!(["small_venue"]));
    assert_eq!(after["status"], "closed");
    assert_eq!(
        app.post(&admin, &act, &json!({"action": "reject"})).await.0,
        StatusCode::CONFLICT
    );
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            &format!("/api/v1/audit?entity_id={id}"),
        )
        .await;
    let text = audit.to_string();
    assert!(
        text.contains("申请变更") && text.contains("确认企业"),
        "{text}"
    );
}
both!(enterprise_proposes_supervised_fields);

/// The street's staff against an incident of another street: every write that takes its id is
/// refused, and the audit log shows that nothing changed.
async fn street_cannot_write_other_streets_incidents(app: &TestApp) {
    let street = app.login("street").await;
    let duty = app.login("duty").await;
    let now = app.clock.now_ms();
    let (s, incident) = app
        .post(
            &duty,
            "/api/v1/incidents",
            &json!({"title": "他街道火情", "category": "accident", "subtype": "fire",
                    "occurred_at": yingji_core::kernel::clock::to_rfc3339(now - 600_000),
                    "region_code": "360403003", "location": "某小区", "account": "居民楼起火"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{incident}");
    let iid = incident["id"].as_str().unwrap();
    let audit_before = app.count("audit_log").await;
    let tries = [
        (
            "reports",
            json!({"kind": "followup", "casualties": {}, "text": "越权续报"}),
        ),
        ("close", json!({"note": "越权结束"})),
        ("escalations", json!({"level": "city"})),
        (
            "response",
            json!({"plan_id": "x", "action": "activate", "level": 4}),
        ),
    ];
    for (what, body) in tries {
        let path = format!("/api/v1/incidents/{iid}/{what}");
        let r = street
            .post(app.url(&path))
            .json(&body)
            .send_checked()
            .await
            .unwrap();
        let s = r.status();
        let text = r.text().await.unwrap_or_default();
        assert!(refused(s), "{path}: {s} {text}");
    }
    assert_eq!(
        app.count("audit_log").await,
        audit_before,
        "a refused write left a trace"
    );
    assert_eq!(
        app.get(&duty, &format!("/api/v1/incidents/{iid}")).await.1["status"],
        "open"
    );
}
both!(street_cannot_write_other_streets_incidents);

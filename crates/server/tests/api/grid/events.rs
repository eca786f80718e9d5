//! 网格事件: filed from the phone and dispatched by the rules at once (the street by default, a
//! department by a district rule, the duty room when nothing decides), 签收, 退回 and
//! re-dispatch, the 督办 cards on the test clock, who may do what, and bad input that stores
//! nothing.

use crate::both;
use crate::disasters::reports::{at, fire};
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

pub const PATH: &str = "/api/v1/grid/events";
const MINUTE: i64 = 60_000;

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    app.store
        .fetch_i64(yingji_store::Sql::new(sql))
        .await
        .expect("count")
}

/// The caller's own region (the grid worker's grid).
pub async fn own_region(app: &TestApp, c: &Client) -> String {
    app.get(c, "/api/v1/auth/me").await.1["user"]["region_code"]
        .as_str()
        .expect("region")
        .to_string()
}

pub fn event(category: &str, region: &str) -> Value {
    json!({
        "category": category, "description": "小区地下车库燃气管道有明显异味", "lon": 115.99, "lat": 29.71,
        "region_code": region, "address": "甘棠北路 12 号", "reporter_name": "张三", "reporter_phone": "13812345678",
    })
}

pub async fn file(app: &TestApp, c: &Client, body: &Value) -> Value {
    let (s, v) = app.post(c, PATH, body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["event"].clone()
}

async fn department(app: &TestApp, admin: &Client, name: &str) -> String {
    let (_, v) = app.get(admin, "/api/v1/departments").await;
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["name"] == name)
        .and_then(|d| d["id"].as_str())
        .expect("department")
        .to_string()
}

async fn set_rules(app: &TestApp, grid_events: Value) {
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["grid_events"] = grid_events;
    let body = json!({"region": "360403", "rules": rules, "note": "网格事件分拨规则"});
    let (s, v) = app.put(&admin, "/api/v1/rules", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// 燃气 goes to the street by default; the street 退回s it, the duty room sends it to a
/// department by hand, which 签收s it. The unit never sees the reporter in full.
async fn dispatch_return_and_redispatch(app: &TestApp) {
    let (grid, street, duty, yjj, zjj) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
        app.login("yjj").await,
        app.login("zjj").await,
    );
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            e["status"].as_str(),
            e["unit_kind"].as_str(),
            e["unit_id"].as_str()
        ),
        (Some("dispatched"), Some("street"), Some(&region[..9])),
        "{e}"
    );
    assert_eq!(e["dispatch_reason"], "按属地（事发街道）");
    assert!(e["code"].as_str().unwrap().starts_with("SJ360403"), "{e}");
    assert_eq!(e["title"], "【燃气安全】小区地下车库燃气管道有明显异味");
    // The street sees it as its unit, masked; another department does not see it at all.
    let (s, v) = app.get(&street, &format!("{PATH}/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["event"]["reporter_name"].as_str(),
            v["event"]["reporter_phone"].as_str()
        ),
        (Some("张*"), Some("138****5678"))
    );
    let (s, _) = app.get(&zjj, &format!("{PATH}/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, mine) = app
        .get(&street, &format!("{PATH}?mine=true&open=true"))
        .await;
    assert_eq!(mine["total"], 1, "{mine}");
    // Only the unit may 签收 or 退回; a reason is required.
    let (s, _) = app
        .post(&yjj, &format!("{PATH}/{id}/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = app
        .post(
            &street,
            &format!("{PATH}/{id}/return"),
            &json!({"reason": " "}),
        )
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{v}"
    );
    let (s, v) = app
        .post(
            &street,
            &format!("{PATH}/{id}/return"),
            &json!({"reason": "涉及燃气企业管道，属行业部门职责"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["event"]["status"].as_str(),
            v["event"]["unit_id"].as_str()
        ),
        (Some("pending_dispatch"), None)
    );
    assert_eq!(
        yingji_store::kernel::timers::pending_for(&app.store, &id)
            .await
            .unwrap()
            .len(),
        0
    );
    // Back at the duty room, which sees the (masked: a public-like reporter) event waiting.
    let (_, waiting) = app
        .get(&duty, &format!("{PATH}?status=pending_dispatch"))
        .await;
    assert_eq!(waiting["total"], 1, "{waiting}");
    let (s, _) = app
        .post(
            &street,
            &format!("{PATH}/{id}/dispatch"),
            &json!({"unit_kind": "department", "unit_id": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(
            &duty,
            &format!("{PATH}/{id}/dispatch"),
            &json!({"unit_kind": "department", "unit_id": "nope"}),
        )
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unit_id")),
        "{v}"
    );
    let admin = app.login("admin").await;
    let yjj_id = department(app, &admin, "区应急管理局").await;
    let (s, v) = app
        .post(
            &duty,
            &format!("{PATH}/{id}/dispatch"),
            &json!({"unit_kind": "department", "unit_id": yjj_id}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["event"]["unit_name"], "区应急管理局");
    let (s, v) = app
        .post(&yjj, &format!("{PATH}/{id}/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["event"]["status_label"], "处置中");
    let actions: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["受理", "分拨", "退回", "分拨", "签收"]);
    assert_eq!(
        (
            v["steps"][0]["actor_name"].as_str(),
            v["steps"][4]["actor_name"].as_str()
        ),
        (Some("网格员"), Some("应急局监管科"))
    );
    let (s, _) = app
        .post(&yjj, &format!("{PATH}/{id}/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let audited = count(
        app,
        &format!("SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}'"),
    )
    .await;
    assert_eq!(audited, 5);
}
both!(dispatch_return_and_redispatch);

/// A district rule sends 安全生产隐患 of the first street to 住建局; elsewhere, with no
/// enterprise, the duty room dispatches by hand.
async fn rules_decide(app: &TestApp) {
    let admin = app.login("admin").await;
    let zjj_id = department(app, &admin, "区住房和城乡建设局").await;
    let mut config: Value =
        serde_json::to_value(yingji_core::grid::events_config::GridEventConfig::default()).unwrap();
    config["rules"] = json!([{"category": "production_hazard", "region_prefix": "360403001", "unit_kind": "department", "unit_id": zjj_id}]);
    set_rules(app, config).await;
    let duty = app.login("duty").await;
    let e = file(app, &duty, &event("production_hazard", "360403001001")).await;
    assert_eq!(
        (e["unit_id"].as_str(), e["dispatch_reason"].as_str()),
        (Some(zjj_id.as_str()), Some("按分拨规则第 1 条"))
    );
    assert_eq!(e["source"], "duty");
    // The duty room sees the reporter of a console event in full.
    assert_eq!(e["reporter_phone"], "13812345678");
    let mut other = event("production_hazard", "360403002001");
    other["lon"] = json!(116.0);
    let e = file(app, &duty, &other).await;
    assert_eq!(
        (e["status"].as_str(), e["unit_id"].as_str()),
        (Some("pending_dispatch"), None),
        "{e}"
    );
    // A bad rule names its row.
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["grid_events"]["rules"][0]["category"] = json!("nope");
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules, "note": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        v.to_string().contains("grid_events.rules[0].category"),
        "{v}"
    );
}
both!(rules_decide);

/// 签收 due in 30 minutes: 提醒 at 24, 黄牌 at 30 (the street's staff told), 红牌 a day later
/// (the bureau's leaders told too); 签收 stops the cards and starts the 处置 deadline's.
async fn cards_on_the_clock(app: &TestApp) {
    app.clock.set(at("2026-07-01T09:00:00+08:00"));
    let grid = app.login("grid").await;
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let code = e["code"].as_str().unwrap().to_string();
    assert_eq!(e["accept_due_ms"], at("2026-07-01T09:30:00+08:00"));
    let card = |v: &Value| v["event"]["card"].as_str().unwrap_or_default().to_string();
    let t0 = at("2026-07-01T09:00:00+08:00");
    for (minutes, expected) in [
        (23, ""),
        (25, "remind"),
        (31, "yellow"),
        (60 * 24 + 29, "yellow"),
        (60 * 24 + 31, "red"),
    ] {
        app.clock.set(t0 + minutes * MINUTE);
        fire(app).await;
        let street = app.login("street").await;
        let (_, v) = app.get(&street, &format!("{PATH}/{id}")).await;
        assert_eq!(card(&v), expected, "at +{minutes} min");
    }
    let told = |who: &str| {
        format!(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{who}' AND n.body LIKE '%{code}%'"
        )
    };
    assert_eq!(count(app, &told("street")).await, 3);
    assert_eq!(count(app, &told("commander")).await, 1);
    // The 督办 board shows the street's red card, and the event first among the carded.
    let duty = app.login("duty").await;
    let (s, b) = app.get(&duty, "/api/v1/grid/board").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let line = b["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == region[..9])
        .cloned()
        .expect("street line");
    assert!(
        line["red"].as_i64() >= Some(1) && line["waiting_accept"].as_i64() >= Some(1),
        "{line}"
    );
    let mine = b["carded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.as_str())
        .cloned()
        .expect("carded");
    assert_eq!(
        (mine["card_label"].as_str(), b["carded"][0]["card"].as_str()),
        (Some("红牌督办"), Some("red"))
    );
    let ent = app.login("enterprise").await;
    let (s, _) = app.get(&ent, "/api/v1/grid/board").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let street = app.login("street").await;
    let (s, v) = app
        .post(&street, &format!("{PATH}/{id}/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(card(&v), "");
    let pending = yingji_store::kernel::timers::pending_for(&app.store, &id)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
}
both!(cards_on_the_clock);

/// Bad input answers 400 naming the field and stores nothing; those who may not file get 403.
async fn bad_input_and_roles(app: &TestApp) {
    let grid = app.login("grid").await;
    let region = own_region(app, &grid).await;
    let before = count(app, "SELECT COUNT(*) FROM grid_events").await;
    let cases = [
        (json!({"category": "nope"}), "category"),
        (json!({"lon": 121.47, "lat": 31.23}), "lon"),
        (json!({"description": ""}), "description"),
        (json!({"reporter_phone": "12345"}), "reporter_phone"),
        (json!({"region_code": "360403002001"}), "region_code"),
    ];
    for (patch, field) in cases {
        let mut body = event("gas", &region);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, v) = app.post(&grid, PATH, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {v}");
        assert!(v.to_string().contains(field), "{field}: {v}");
    }
    assert_eq!(count(app, "SELECT COUNT(*) FROM grid_events").await, before);
    for who in ["enterprise", "yjj", "zfry"] {
        let c = app.login(who).await;
        let (s, _) = app.post(&c, PATH, &event("gas", &region)).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let ent = app.login("enterprise").await;
    let (s, _) = app.get(&ent, PATH).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app.get(&grid, "/api/v1/grid/categories").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v.as_array().unwrap().iter().any(|c| c["code"] == "gas"),
        "{v}"
    );
}
both!(bad_input_and_roles);

/// The phone's draft sent twice with one `Idempotency-Key` is recorded once.
async fn sent_twice_recorded_once(app: &TestApp) {
    use crate::helpers::SendChecked;
    let grid = app.login("grid").await;
    let region = own_region(app, &grid).await;
    let body = event("city_operation", &region);
    let mut codes = Vec::new();
    for _ in 0..2 {
        let r = grid
            .post(app.url(PATH))
            .header("Idempotency-Key", "0b6f1c5e-3a1d-4f7e-9c2a-5d8e7f6a4b3c")
            .json(&body)
            .send_checked()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.expect("json");
        codes.push(v["event"]["code"].as_str().unwrap().to_string());
    }
    assert_eq!(codes[0], codes[1]);
    let n = count(
        app,
        &format!(
            "SELECT COUNT(*) FROM grid_events WHERE code = '{}'",
            codes[0]
        ),
    )
    .await;
    assert_eq!(n, 1);
}
both!(sent_twice_recorded_once);

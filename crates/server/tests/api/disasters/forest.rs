//! 森林防火 (issue 23 item 5): the configuration in the district rules, a forest area, the public
//! 野外用火 form with its bad input (a day already past, an unknown area, a bad phone) refused
//! with nothing stored, the authority's decision (a refusal needs a reason), and R05 on the test
//! clock: a level 四级 on 2026-03-15 suspends the approved application of that day at once, texts
//! its applicant, and keeps the pending one from being approved.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::parse_instant;

pub const STREET: &str = "360403001";

/// 2026-03-10 08:00 in Shanghai: inside the default 防火期 (10月1日至次年4月30日).
pub fn march_10() -> i64 {
    parse_instant("2026-03-10T08:00:00+08:00").unwrap()
}

/// Makes 区应急管理局 the forest authority (yjj's department); answers its id.
pub async fn configure(app: &TestApp) -> String {
    let admin = app.login("admin").await;
    let (_, deps) = app.get(&admin, "/api/v1/departments").await;
    let id = deps["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "区应急管理局")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .unwrap();
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    assert_eq!(rules["forest"]["stop_level"], 4, "{rules}");
    rules["forest"]["authority_department_id"] = json!(id);
    let body = json!({"region": "360403", "rules": rules, "note": "森林防火主管部门"});
    let (s, v) = app.put(&admin, "/api/v1/rules", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    id
}

/// A forest area around the district's middle (1250.5 ha, 700 ha watched).
pub async fn area(app: &TestApp, keeper: &Client) -> String {
    let outline = json!({"type": "Polygon", "coordinates": [[[115.9, 29.6], [116.1, 29.6], [116.1, 29.8], [115.9, 29.8], [115.9, 29.6]]]});
    let body = json!({"name": "庐山北麓林区", "street_code": STREET, "outline": outline,
        "area_ha": "1250.5", "covered_ha": "700"});
    let (s, a) = app
        .post(keeper, "/api/v1/disasters/forest/areas", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(
        (a["area_ha"].as_str(), a["covered_ha"].as_str()),
        (Some("1250.5"), Some("700"))
    );
    a["id"].as_str().unwrap().to_string()
}

pub fn application(area: &str, day: &str, phone: &str) -> Value {
    json!({"applicant_name": "李大山", "applicant_phone": phone, "area_id": area,
        "day_from": day, "purpose": "farming", "measures": "开设10米隔离带，备扑火工具，3人看守"})
}

fn field(v: &Value) -> Option<&str> {
    v["details"][0]["field"].as_str()
}

/// Posts the public form, a minute after the last (5 per minute per address).
async fn apply(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    app.clock.advance(61_000);
    app.post(&app.anonymous(), "/api/public/fire-use", body)
        .await
}

async fn bad_areas_and_forms(app: &TestApp, yjj: &Client, area_id: &str) {
    let bad = json!({"name": "", "street_code": "360403999", "outline": {"type": "Point", "coordinates": [116.0, 29.7]},
        "area_ha": "-3", "covered_ha": "1"});
    let (s, e) = app.post(yjj, "/api/v1/disasters/forest/areas", &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for f in ["name", "street_code", "outline", "area_ha"] {
        assert!(fields.contains(&f), "{f}: {e}");
    }
    // Only the authority (and 局领导, administrators) keep the areas.
    let zjj = app.login("zjj").await;
    let (_, mine) = app.get(yjj, "/api/v1/disasters/forest/areas").await;
    let mut changed = mine["items"][0].clone();
    changed["name"] = json!("改名");
    for k in ["id", "street_name", "updated_ms"] {
        changed.as_object_mut().unwrap().remove(k);
    }
    let path = format!("/api/v1/disasters/forest/areas/{area_id}");
    let (s, _) = app.put(&zjj, &path, &changed).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .post(
            &app.login("street").await,
            "/api/v1/disasters/forest/areas",
            &bad,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, a) = app.put(yjj, &path, &changed).await;
    assert_eq!(
        (s, a["name"].as_str()),
        (StatusCode::OK, Some("改名")),
        "{a}"
    );
    let before = app.count("fire_use_applications").await;
    for (body, want) in [
        (
            application(area_id, "2026-03-09", "13800138000"),
            "day_from",
        ),
        (
            application("no-such-area", "2026-03-15", "13800138000"),
            "area_id",
        ),
        (
            application(area_id, "2026-03-15", "12345"),
            "applicant_phone",
        ),
        // Outside the 防火期: no approval needed, so not taken.
        (
            application(area_id, "2026-07-01", "13800138000"),
            "day_from",
        ),
    ] {
        let (s, e) = apply(app, &body).await;
        assert_eq!((s, field(&e)), (StatusCode::BAD_REQUEST, Some(want)), "{e}");
        assert!(
            e["details"][0]["message"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| c > '\u{2e80}')
        );
    }
    let (s, e) = apply(app, &application(area_id, "2026-03-09", "13800138000")).await;
    assert!(
        e["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("已过"),
        "{s} {e}"
    );
    assert_eq!(app.count("fire_use_applications").await, before);
}

// Long because: one story, R05 from the configuration to the suspended application.
async fn r05_suspension_on_the_test_clock(app: &TestApp) {
    app.clock.set(march_10());
    configure(app).await;
    let yjj = app.login("yjj").await;
    let area_id = area(app, &yjj).await;
    bad_areas_and_forms(app, &yjj, &area_id).await;
    // Two applications for 2026-03-15; the first is approved, the second stays pending.
    let (s, r1) = apply(app, &application(&area_id, "2026-03-15", "13800138000")).await;
    assert_eq!(s, StatusCode::CREATED, "{r1}");
    let (s, r2) = apply(app, &application(&area_id, "2026-03-15", "13900139000")).await;
    assert_eq!(s, StatusCode::CREATED, "{r2}");
    let (_, list) = app
        .get(&yjj, "/api/v1/disasters/forest/fire-use?status=pending")
        .await;
    let id_of = |code: &Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| &a["code"] == code)
            .map(|a| a["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let (first, second) = (id_of(&r1["code"]), id_of(&r2["code"]));
    // The applicant's phone is sealed at rest (ADR 0032); the authority reads it.
    let one = format!("id = '{first}'");
    let at_rest = ("fire_use_applications", "applicant_phone", one.as_str());
    crate::security::sealed_fields::assert_sealed(app, at_rest, "13800138000").await;
    let (_, a) = app
        .get(&yjj, &format!("/api/v1/disasters/forest/fire-use/{first}"))
        .await;
    assert_eq!(a["applicant_phone"], "13800138000", "{a}");
    // A refusal needs a reason; a grid worker and another department may not decide.
    let path = format!("/api/v1/disasters/forest/fire-use/{first}/decision");
    let (s, e) = app.post(&yjj, &path, &json!({"approve": false})).await;
    assert_eq!(
        (s, field(&e)),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{e}"
    );
    for who in ["grid", "zjj"] {
        let c = app.login(who).await;
        let (s, _) = app.post(&c, &path, &json!({"approve": true})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let (s, d) = app.post(&yjj, &path, &json!({"approve": true})).await;
    assert_eq!(
        (s, d["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{d}"
    );
    assert_eq!(d["deliveries"].as_array().unwrap().len(), 1, "{d}");
    // R05: 四级 on 2026-03-15, entered by the duty officer on the 10th.
    let duty = app.login("duty").await;
    let (s, l) = app
        .post(
            &duty,
            "/api/v1/disasters/forest/levels",
            &json!({"day": "2026-03-15", "level": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    assert_eq!(l["suspended"], json!([r1["code"]]), "{l}");
    assert_eq!(l["level"]["stops_fire_use"], true);
    let (_, d) = app
        .get(&yjj, &format!("/api/v1/disasters/forest/fire-use/{first}"))
        .await;
    assert_eq!(d["status"], "suspended", "{d}");
    assert_eq!(d["suspended_day"], "2026-03-15");
    let texts = d["deliveries"].as_array().unwrap();
    assert_eq!(texts.len(), 2, "{d}");
    assert!(
        texts.iter().any(|t| t["event"] == "fire_use.suspend"),
        "{d}"
    );
    // The applicant sees it on the public page.
    let track = format!(
        "/api/public/fire-use/{}",
        r1["tracking_code"].as_str().unwrap()
    );
    let (s, t) = app.get(&app.anonymous(), &track).await;
    assert_eq!(
        (s, t["status"].as_str()),
        (StatusCode::OK, Some("suspended")),
        "{t}"
    );
    assert!(t.get("applicant_phone").is_none());
    // The pending one for that day cannot be approved; it can be refused.
    let path2 = format!("/api/v1/disasters/forest/fire-use/{second}/decision");
    let (s, e) = app.post(&yjj, &path2, &json!({"approve": true})).await;
    assert_eq!(
        (s, field(&e)),
        (StatusCode::BAD_REQUEST, Some("approve")),
        "{e}"
    );
    assert!(
        e["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("四级"),
        "{e}"
    );
    let (s, d2) = app
        .post(
            &yjj,
            &path2,
            &json!({"approve": false, "reason": "3月15日火险等级四级，停止野外用火"}),
        )
        .await;
    assert_eq!(
        (s, d2["status"].as_str()),
        (StatusCode::OK, Some("refused")),
        "{d2}"
    );
    // A level below the stop level suspends nothing.
    let (_, l) = app
        .post(
            &duty,
            "/api/v1/disasters/forest/levels",
            &json!({"day": "2026-03-16", "level": 3}),
        )
        .await;
    assert_eq!(l["suspended"], json!([]), "{l}");
    let (_, cal) = app
        .get(
            &duty,
            "/api/v1/disasters/forest/levels?from=2026-03-01&to=2026-03-31",
        )
        .await;
    assert_eq!(cal["total"], 2, "{cal}");
    // A bad level, and a caller who may not enter one.
    let (s, e) = app
        .post(
            &duty,
            "/api/v1/disasters/forest/levels",
            &json!({"day": "2026-03-17", "level": 6}),
        )
        .await;
    assert_eq!(
        (s, field(&e)),
        (StatusCode::BAD_REQUEST, Some("level")),
        "{e}"
    );
    let street = app.login("street").await;
    let (s, _) = app
        .post(
            &street,
            "/api/v1/disasters/forest/levels",
            &json!({"day": "2026-03-17", "level": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Street staff read their street's; another department reads nothing.
    let (s, list) = app.get(&street, "/api/v1/disasters/forest/fire-use").await;
    assert_eq!(
        (s, list["total"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{list}"
    );
    let zjj = app.login("zjj").await;
    let (s, _) = app.get(&zjj, "/api/v1/disasters/forest/fire-use").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The map layer colours the area by today's level (none entered for the 10th).
    let (s, fc) = app.get(&duty, "/api/v1/map/layers/forest_areas").await;
    assert_eq!(s, StatusCode::OK, "{fc}");
    assert_eq!(fc["features"][0]["properties"]["class"], "none", "{fc}");
}
both!(r05_suspension_on_the_test_clock);

//! 预警信息: authored warnings approved by a second person and published as CAP 1.2 (checked by
//! xmllint against the OASIS schema), the Atom feed and the public list; CAP taken in with a
//! token — valid samples accepted, invalid ones refused with their errors, XXE refused, the same
//! identifier idempotent, updates and cancellations applied; bad areas named.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

const HOUR: i64 = 3_600_000;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../cap/tests/data")
            .join(name),
    )
    .expect("sample")
}

fn square(lon: f64, lat: f64, d: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]})
}

fn draft(app: &TestApp) -> Value {
    json!({
        "event_code": "rainstorm",
        "level": 2,
        "description": "预计未来6小时内浔阳区将出现50毫米以上降雨",
        "instruction": "低洼易涝区域人员及时转移，地下空间停止使用",
        "area": square(115.95, 29.69, 0.03),
        "expires_at": to_rfc3339(app.clock.now_ms() + 12 * HOUR),
    })
}

/// xmllint against the OASIS schema, when it is installed (CI installs libxml2-utils).
fn schema_valid(xml: &str) {
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(std::env::var("CI").is_err(), "xmllint is required in CI");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("alert.xml");
    std::fs::write(&file, xml).expect("write");
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cap/tests/data/cap12.xsd");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg(&file)
        .output()
        .expect("xmllint");
    assert!(
        out.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn authored_warnings_need_a_second_person(app: &TestApp) {
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let (s, w) = app.post(&commander, "/api/v1/warnings", &draft(app)).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    assert_eq!(w["status"], "draft");
    assert_eq!(w["headline"], "浔阳区应急管理局发布暴雨橙色预警");
    let id = w["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/warnings/{id}/actions");
    let (s, w) = app
        .post(&commander, &path, &json!({"action": "submit"}))
        .await;
    assert_eq!((s, w["status"].as_str()), (StatusCode::OK, Some("pending")));
    // The author cannot approve their own warning; a duty officer may not approve at all.
    let (s, v) = app
        .post(&commander, &path, &json!({"action": "approve"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["message"].as_str().unwrap_or("").contains("另一人"));
    let (s, _) = app.post(&duty, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let (s, w) = app.post(&admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["status"], "published");
    assert_eq!(w["current"], true);
    let identifier = w["identifier"].as_str().expect("identifier").to_string();
    assert!(
        yingji_cap::identifier::is_valid(&identifier),
        "{identifier}"
    );
    assert!(identifier.starts_with("36040300000000_"));

    // Served as CAP 1.2 that validates, reads back, and carries +08:00 times.
    let anon = app.anonymous();
    let r = anon
        .get(app.url(&format!("/api/public/warnings/{id}/cap")))
        .send_checked()
        .await
        .expect("cap");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/cap+xml")
    );
    let xml = r.text().await.expect("text");
    schema_valid(&xml);
    let alert = yingji_cap::read(xml.as_bytes()).expect("reads back");
    assert!(alert.sent.text.ends_with("+08:00"));
    assert_eq!(alert.infos[0].severity, "Severe");
    assert_eq!(alert.infos[0].event_codes[0].value, "橙色");
    assert_eq!(
        alert.infos[0].areas[0].polygons[0].points[0],
        yingji_cap::Point {
            lat: 29.69,
            lon: 115.95
        }
    );

    // The public list (no login) and the Atom feed.
    let (s, list) = app.get(&anon, "/api/public/warnings").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list[0]["headline"], "浔阳区应急管理局发布暴雨橙色预警");
    let feed = anon
        .get(app.url("/api/public/warnings/feed"))
        .send_checked()
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(feed.contains(&identifier), "{feed}");

    // 更新: a new warning superseding it, published as a CAP Update referencing it.
    let mut update = draft(app);
    update["level"] = json!(1);
    update["supersedes"] = json!(id);
    let (s, u) = app.post(&commander, "/api/v1/warnings", &update).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let uid = u["id"].as_str().expect("id").to_string();
    let upath = format!("/api/v1/warnings/{uid}/actions");
    app.post(&commander, &upath, &json!({"action": "submit"}))
        .await;
    let (s, u) = app
        .post(&admin, &upath, &json!({"action": "approve"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["msg_type"], "Update");
    let (_, old) = app.get(&duty, &format!("/api/v1/warnings/{id}")).await;
    assert_eq!(old["status"], "superseded");
    let xml = anon
        .get(app.url(&format!("/api/public/warnings/{uid}/cap")))
        .send_checked()
        .await
        .expect("cap")
        .text()
        .await
        .expect("text");
    schema_valid(&xml);
    let a = yingji_cap::read(xml.as_bytes()).expect("update reads");
    assert_eq!(a.references[0].identifier, identifier);

    // 解除: a CAP Cancel of its own; nothing is current any more.
    let (s, c) = app
        .post(
            &commander,
            &upath,
            &json!({"action": "cancel", "note": "降雨已减弱"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["status"], "cancelled");
    let (_, list) = app.get(&anon, "/api/public/warnings").await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
    let (_, all) = app.get(&duty, "/api/v1/warnings").await;
    let cancel = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|w| w["msg_type"] == "Cancel")
        .expect("cancel")
        .clone();
    let xml = anon
        .get(app.url(&format!(
            "/api/public/warnings/{}/cap",
            cancel["id"].as_str().unwrap_or("")
        )))
        .send_checked()
        .await
        .expect("cap")
        .text()
        .await
        .expect("text");
    schema_valid(&xml);
    assert!(xml.contains("<msgType>Cancel</msgType>"));
    // Drafts are not public.
    let (_, d) = app.post(&commander, "/api/v1/warnings", &draft(app)).await;
    let r = anon
        .get(app.url(&format!(
            "/api/public/warnings/{}/cap",
            d["id"].as_str().unwrap_or("")
        )))
        .send_checked()
        .await
        .expect("cap");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The issuing bureau is the district's rule: its name, sender and GB/T 35965.1 codes.
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["warning"]["publisher"] = json!({"name": "九江市浔阳区应急管理局", "sender": "yjj.360403@jiujiang.gov.cn", "organisation_code": "36", "unit_code": "0a1"});
    let (s, b) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "warning.publisher.organisation_code",
            "warning.publisher.unit_code"
        ]
    );
    rules["warning"]["publisher"]["organisation_code"] = json!("366");
    rules["warning"]["publisher"]["unit_code"] = json!("001");
    let (s, b) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, w) = app.post(&commander, "/api/v1/warnings", &draft(app)).await;
    assert_eq!(w["headline"], "九江市浔阳区应急管理局发布暴雨橙色预警");
    assert_eq!(w["sender"], "yjj.360403@jiujiang.gov.cn");
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().expect("id"));
    app.post(&commander, &path, &json!({"action": "submit"}))
        .await;
    let (s, w) = app.post(&admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert!(
        w["identifier"]
            .as_str()
            .is_some_and(|i| i.starts_with("36040336600100_")),
        "{w}"
    );
}
both!(authored_warnings_need_a_second_person);

async fn bad_areas_and_times_are_named(app: &TestApp) {
    let commander = app.login("commander").await;
    let now = app.clock.now_ms();
    let open = json!({"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.69], [115.98, 29.72], [115.95, 29.72]]]});
    let three = json!({"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.69], [115.95, 29.69]]]});
    let swapped = json!({"type": "Polygon", "coordinates": [[[29.69, 115.95], [29.69, 115.98], [29.72, 115.98], [29.69, 115.95]]]});
    let bow = json!({"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.72], [115.98, 29.69], [115.95, 29.72], [115.95, 29.69]]]});
    let far = json!({"type": "Polygon", "coordinates": [[[200.0, 29.69], [115.98, 29.69], [115.98, 29.72], [200.0, 29.69]]]});
    let mut many = vec![];
    for i in 0..10_001 {
        let a = i as f64 / 10_001.0 * std::f64::consts::TAU;
        many.push(json!([116.0 + 0.01 * a.cos(), 29.7 + 0.01 * a.sin()]));
    }
    many.push(many[0].clone());
    let huge = json!({"type": "Polygon", "coordinates": [many]});
    for (area, needle) in [
        (open, "未闭合"),
        (three, "至少需要 4 个"),
        (swapped, "颠倒"),
        (bow, "自相交"),
        (far, "超出"),
        (huge, "超过 10000"),
    ] {
        let mut body = draft(app);
        body["area"] = area;
        let (s, v) = app.post(&commander, "/api/v1/warnings", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{needle}: {v}");
        assert_eq!(v["details"][0]["field"], "area", "{v}");
        assert!(
            v["details"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains(needle),
            "{needle}: {v}"
        );
    }
    let mut body = draft(app);
    body["effective_at"] = json!(to_rfc3339(now + 2 * HOUR));
    body["expires_at"] = json!(to_rfc3339(now + HOUR));
    body["event_code"] = json!("meteor");
    body["level"] = json!(5);
    let (s, v) = app.post(&commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["event_code", "level", "expires_at"], "{v}");
    // By regions instead of a drawn area: the street's boundary becomes the CAP polygon.
    let mut body = draft(app);
    body.as_object_mut().expect("object").remove("area");
    body["region_codes"] = json!(["360403001"]);
    let (s, w) = app.post(&commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    assert_eq!(w["area_desc"], "甘棠街道");
    assert!(
        w["area"]["coordinates"][0][0]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
            >= 4
    );
    assert_eq!(app.count("warnings").await, 1);
}
both!(bad_areas_and_times_are_named);

async fn cap_is_taken_in_with_a_token(app: &TestApp) {
    let duty = app.login("duty").await;
    let (s, t) = app
        .post(&duty, "/api/v1/tokens", &json!({"name": "气象局预警对接"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let token = t["token"].as_str().expect("token").to_string();
    let machine = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        let (machine, token, url) = (
            machine.clone(),
            token.clone(),
            app.url("/api/v1/warnings/cap"),
        );
        async move {
            let r = machine
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/cap+xml")
                .body(body)
                .send_checked()
                .await
                .expect("post");
            crate::helpers::json(r).await
        }
    };
    for name in [
        "australia.cap",
        "canada.cap",
        "earthquake-iso8859-1.cap",
        "wcatwc-warning.cap",
        "earthquake.cap",
        "weather.cap",
    ] {
        let (s, v) = post(sample(name)).await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        assert_eq!(v["created"], true);
    }
    // no_optional_fields.cap carries earthquake.cap's sender and identifier: the same message.
    let (s, v) = post(sample("no_optional_fields.cap")).await;
    assert_eq!(
        (s, v["created"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{v}"
    );
    let n = app.count("warnings").await;
    // The same message again: 200, nothing new.
    let (s, v) = post(sample("canada.cap")).await;
    assert_eq!(
        (s, v["created"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{v}"
    );
    assert_eq!(app.count("warnings").await, n);
    // Refused with their errors; nothing stored.
    for (name, code) in [
        ("invalid.cap", "MISSING_REQUIRED_ELEMENT"),
        ("noaa_errors.cap", "INVALID_REFERENCES"),
        ("xee.cap", "XML_DTD_FORBIDDEN"),
    ] {
        let (s, v) = post(sample(name)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}: {v}");
        assert!(
            v["details"]
                .as_array()
                .expect("details")
                .iter()
                .any(|d| d["code"] == code),
            "{name}: {v}"
        );
    }
    let (s, v) = post(sample("canada_errors.cap")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(app.count("warnings").await, n);
    let (s, _) = post(b"not xml at all".to_vec()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // A Chinese bureau's 暴雨黄色预警, then its 解除.
    let now = app.clock.now_ms();
    let t = |ms: i64| yingji_cap::identifier::beijing_time(ms);
    let alert = |id: &str, msg: &str, refs: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{id}</identifier><sender>qxj.360400@cma</sender><sent>{}</sent>
  <status>Actual</status><msgType>{msg}</msgType><scope>Public</scope>{refs}
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Expected</urgency>
    <severity>Moderate</severity><certainty>Likely</certainty>
    <effective>{}</effective><expires>{}</expires><senderName>九江市气象台</senderName>
    <headline>九江市气象台发布暴雨黄色预警信号</headline><description>未来6小时降雨量将达50毫米以上</description>
    <area><areaDesc>浔阳区</areaDesc><geocode><valueName>GB/T 2260</valueName><value>360403</value></geocode></area>
  </info>
</alert>"#,
            t(now),
            t(now),
            t(now + 6 * HOUR)
        )
    };
    let (s, v) = post(alert("36040041600000_20260528100000_1", "Alert", "").into_bytes()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let w = &v["warning"];
    assert_eq!(
        (
            w["event_code"].as_str(),
            w["level"].as_i64(),
            w["colour"].as_str()
        ),
        (Some("rainstorm"), Some(3), Some("黄色"))
    );
    assert_eq!(w["current"], true);
    assert!(
        w["area"]["coordinates"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
            >= 1,
        "the district's boundary from its geocode"
    );
    let refs = format!(
        "<references>qxj.360400@cma,36040041600000_20260528100000_1,{}</references>",
        t(now)
    );
    let (s, v) = post(alert("36040041600000_20260528110000_1", "Cancel", &refs).into_bytes()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["superseded"].as_array().map(Vec::len), Some(1));
    let (_, list) = app.get(&duty, "/api/v1/warnings?current=true").await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|w| w["sender"] != "qxj.360400@cma"),
        "{list}"
    );
    // Events nobody mapped are kept as 其他 with their words.
    let (_, all) = app.get(&duty, "/api/v1/warnings?page_size=50").await;
    let quake = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|w| w["event_text"] == "Earthquake")
        .expect("earthquake")
        .clone();
    assert_eq!(quake["event_code"], "other");
    assert_eq!(quake["event_label"], "其他");
    // Without credentials: 401; a grid worker may not push warnings.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/warnings/cap"))
        .body(sample("canada.cap"))
        .send_checked()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let grid = app.login("grid").await;
    let r = grid
        .post(app.url("/api/v1/warnings/cap"))
        .body(sample("canada.cap"))
        .send_checked()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
both!(cap_is_taken_in_with_a_token);

/// The demo grid worker's grid: its code and centre (lon, lat).
async fn grid_centre(app: &TestApp, admin: &reqwest::Client) -> (String, f64, f64) {
    let grid = app.login("grid").await;
    let (_, me) = app.get(&grid, "/api/v1/auth/me").await;
    let code = me["scope"]["region_code"]
        .as_str()
        .expect("grid code")
        .to_string();
    let (_, region) = app.get(admin, &format!("/api/v1/regions/{code}")).await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
    (code, lon, lat)
}

/// Drafts a warning as `author`, submits it and has `approver` approve it: (status, warning).
async fn publish(
    app: &TestApp,
    author: &reqwest::Client,
    approver: &reqwest::Client,
    body: &Value,
) -> (StatusCode, Value) {
    let (_, w) = app.post(author, "/api/v1/warnings", body).await;
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().expect("id"));
    app.post(author, &path, &json!({"action": "submit"})).await;
    app.post(approver, &path, &json!({"action": "approve"}))
        .await
}

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
    let (_, me) = app.get(&grid, "/api/v1/auth/me").await;
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
        .get(&admin, &format!("/api/v1/regions/{grid_code}"))
        .await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
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
            Some(&grid_user),
        ),
        object("dangerous_house", "老街12号危房", -0.0005, None),
        object("school", "浔阳小学", 0.0002, None),
        object("special_person", "张奶奶", 0.0001, Some(&grid_user)),
        object("waterlogging", "远处易涝点", 0.5, None),
    ] {
        let (s, o) = app.post(&admin, "/api/v1/protected-objects", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
        ids.push(o["id"].as_str().expect("id").to_string());
    }
    let (s, v) = app.post(&admin, "/api/v1/protected-objects", &json!({"kind": "ufo", "name": "", "lon": 200.0, "lat": 29.7, "region_code": grid_code, "responsible_name": "甲", "responsible_phone": "1"})).await;
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
        .get(&grid, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(mine["items"][0]["name"], "张奶奶");
    let (_, theirs) = app
        .get(&commander, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(theirs["items"][0]["name"], "张**");
    assert_eq!(theirs["items"][0]["masked"], true);

    let mut body = draft(app);
    body["area"] = square(lon - 0.002, lat - 0.002, 0.004);
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let wid = w["id"].as_str().expect("id").to_string();
    let now = app.clock.now_ms();
    let (_, orders) = app
        .get(&commander, &format!("/api/v1/work-orders?warning_id={wid}"))
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

    // The responsible grid worker sees their order and answers on time.
    let (_, mine) = app.get(&grid, "/api/v1/work-orders?mine=true").await;
    assert_eq!(mine["total"], 1);
    let oid = mine["items"][0]["id"].as_str().expect("id").to_string();
    let (s, o) = app
        .post(
            &grid,
            &format!("/api/v1/work-orders/{oid}/answer"),
            &json!({"action": "acknowledge"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(o["on_time"], true);
    // A photo taken on the spot goes with the report; the commander can open it.
    let r = grid
        .post(app.url("/api/v1/attachments?filename=现场.png"))
        .body(b"\x89PNG\r\n\x1a\nrest-of-image".to_vec())
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let photo: Value = r.json().await.expect("json");
    let photo = photo["id"].as_str().expect("photo").to_string();
    let (s, o) = app.post(&grid, &format!("/api/v1/work-orders/{oid}/answer"), &json!({"action": "report", "arrived": true, "patrolled": true, "relocated": 12, "note": "已设置警示", "attachments": [photo]})).await;
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
            &grid,
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
            &grid,
            &format!("/api/v1/work-orders/{oid}/answer"),
            &json!({"action": "report", "relocated": -1}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "relocated");

    // The house's order is not answered: at the deadline it escalates, then to the street.
    let street = app.login("street").await;
    let hid = house["id"].as_str().expect("id").to_string();
    app.clock.set(now + 16 * 60_000);
    fire_timers(app).await;
    let (_, orders) = app
        .get(&commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let h = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["id"] == hid.as_str())
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
        .get(&commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let h = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|o| o["id"] == hid.as_str())
        .expect("house")
        .clone();
    assert_eq!(h["escalation"], 2, "{h}");
    let (_, notes) = app.get(&street, "/api/v1/notifications").await;
    assert!(notes.to_string().contains("逾期未叫应"), "{notes}");
    let (_, r) = app
        .get(&commander, &format!("/api/v1/warnings/{wid}/response"))
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
    let (s, e) = app.get(&commander, "/api/v1/warnings/effectiveness").await;
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
        .get(&commander, "/api/v1/warnings/effectiveness?from=2026-13-01")
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("from"))
    );
    // The responsible person was texted through the outbox (no SMS gateway here: 未发送).
    let (s, d) = app
        .get(&commander, &format!("/api/v1/work-orders/{hid}/deliveries"))
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

    // 更新 moves the area east: the house falls outside (released), the far one... stays outside;
    // the 易涝点 keeps its order.
    let mut update = draft(app);
    update["area"] = square(lon, lat - 0.002, 0.004);
    update["supersedes"] = json!(wid);
    let (s, u) = publish(app, &commander, &admin, &update).await;
    assert_eq!(s, StatusCode::OK);
    let uid = u["id"].as_str().expect("id").to_string();
    let (_, orders) = app
        .get(&commander, &format!("/api/v1/work-orders?warning_id={uid}"))
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
            &commander,
            &format!("/api/v1/warnings/{uid}/actions"),
            &json!({"action": "cancel"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, open) = app
        .get(
            &commander,
            &format!("/api/v1/work-orders?warning_id={uid}&status=open"),
        )
        .await;
    assert_eq!(open["total"], 0);
    let _ = ids;
}
both!(targeting_creates_work_orders_that_escalate);

/// A feed server on loopback: an Atom feed (ETag, 304 on If-None-Match) whose entries link to a
/// valid CAP sample, to the invalid sample (relative link) and to one that is missing until
/// `publish_late` is set; an RSS feed with an enclosure.
#[derive(Clone, Default)]
struct FeedServer {
    publish_late: std::sync::Arc<std::sync::atomic::AtomicBool>,
    conditional: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

async fn feed_server() -> (String, FeedServer) {
    use axum::http::{HeaderMap, StatusCode as S, header};
    use axum::response::IntoResponse;
    use std::sync::atomic::Ordering;
    let state = FeedServer::default();
    let st = state.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
        let st = st.clone();
        async move {
            let atom = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:feed</id><title>市气象台</title><updated>2026-07-01T08:00:00+08:00</updated>
<entry><id>urn:late</id><updated>2026-07-01T08:00:00+08:00</updated><link type="application/cap+xml" href="/cap/earthquake.cap"/></entry>
<entry><id>urn:bad</id><updated>2026-07-01T07:00:00+08:00</updated><link type="application/cap+xml" href="cap/invalid.cap"/></entry>
<entry><id>urn:weather</id><updated>2026-07-01T06:00:00+08:00</updated><link rel="alternate" href="/cap/weather.cap"/></entry>
</feed>"#;
            let rss = r#"<rss version="2.0"><channel><title>水文局</title><item><title>洪水预警</title><guid>rss-1</guid><enclosure url="/cap/australia.cap" type="application/cap+xml" length="1"/></item></channel></rss>"#;
            let ready = st.publish_late.load(Ordering::SeqCst);
            match uri.path() {
                "/feed.xml" => {
                    // The ETag changes when the late message appears.
                    let tag = if ready { "\"v2\"" } else { "\"v1\"" };
                    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(tag) {
                        st.conditional.fetch_add(1, Ordering::SeqCst);
                        return S::NOT_MODIFIED.into_response();
                    }
                    ([(header::ETAG, tag)], atom).into_response()
                }
                "/rss.xml" => rss.into_response(),
                "/cap/earthquake.cap" if !ready => S::NOT_FOUND.into_response(),
                p if p.starts_with("/cap/") => sample(&p[5..]).into_response(),
                _ => S::NOT_FOUND.into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, state)
}

/// 预警订阅源: the duty officer registers a bureau's Atom feed; a poll takes the valid entry in
/// (with targeting, as POST /warnings/cap would), remembers the invalid one with its errors and
/// does not fetch it again, tries the unreachable one again next time, and asks with the ETag
/// once everything is taken. An active RSS feed is polled by the background loop.
async fn feeds_are_polled(app: &TestApp) {
    use std::sync::atomic::Ordering;
    let duty = app.login("duty").await;
    let grid = app.login("grid").await;
    let (base, server) = feed_server().await;
    let (s, v) = app
        .post(
            &duty,
            "/api/v1/warning-feeds",
            &json!({"name": "", "url": "ftp://x/feed", "interval_secs": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["name", "url", "interval_secs"], "{v}");
    let (s, _) = app
        .post(
            &grid,
            "/api/v1/warning-feeds",
            &json!({"name": "x", "url": format!("{base}/feed.xml")}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Inactive: only polled on demand here, so the background loop does not race the test.
    let (s, f) = app
        .post(
            &duty,
            "/api/v1/warning-feeds",
            &json!({"name": "市气象台预警", "url": format!("{base}/feed.xml"), "active": false}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    let fid = f["id"].as_str().expect("id").to_string();
    let poll = format!("/api/v1/warning-feeds/{fid}/poll");
    let before = app.count("warnings").await;
    let (s, r) = app.post(&duty, &poll, &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["entries"].as_i64(),
            r["taken"].as_i64(),
            r["refused"].as_i64()
        ),
        (Some(3), Some(1), Some(1)),
        "{r}"
    );
    assert!(
        r["error"].as_str().is_some_and(|e| e.contains("404")),
        "{r}"
    );
    assert_eq!(app.count("warnings").await, before + 1);
    let (_, entries) = app
        .get(&duty, &format!("/api/v1/warning-feeds/{fid}/entries"))
        .await;
    let entries = entries.as_array().expect("entries").clone();
    let bad = entries
        .iter()
        .find(|e| e["entry_id"] == "urn:bad")
        .expect("bad entry");
    assert_eq!(bad["status"], "refused");
    assert!(
        bad["cap_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("cap/invalid.cap"))
    );
    assert!(
        bad["error"].as_str().is_some_and(|e| e.contains("CAP")),
        "{bad}"
    );
    let taken = entries
        .iter()
        .find(|e| e["entry_id"] == "urn:weather")
        .expect("taken entry");
    let (s, w) = app
        .get(
            &duty,
            &format!(
                "/api/v1/warnings/{}",
                taken["warning_id"].as_str().expect("warning")
            ),
        )
        .await;
    assert_eq!(
        (s, w["origin"].as_str()),
        (StatusCode::OK, Some("ingested")),
        "{w}"
    );

    // Again: the taken and refused entries are not fetched again; the missing one still fails.
    let (_, r) = app.post(&duty, &poll, &json!({})).await;
    assert_eq!(
        (
            r["taken"].as_i64(),
            r["unchanged"].as_i64(),
            r["refused"].as_i64()
        ),
        (Some(0), Some(2), Some(0)),
        "{r}"
    );
    server.publish_late.store(true, Ordering::SeqCst);
    let (_, r) = app.post(&duty, &poll, &json!({})).await;
    assert_eq!(
        (r["taken"].as_i64(), &r["error"]),
        (Some(1), &Value::Null),
        "{r}"
    );
    // Everything taken: the next poll asks with the ETag and the server answers 304.
    let (_, r) = app.post(&duty, &poll, &json!({})).await;
    assert_eq!(
        (r["entries"].as_i64(), &r["error"]),
        (Some(0), &Value::Null),
        "{r}"
    );
    assert_eq!(server.conditional.load(Ordering::SeqCst), 1);
    let (_, list) = app.get(&duty, "/api/v1/warning-feeds").await;
    let f = &list["items"][0];
    assert_eq!(
        (f["taken"].as_i64(), f["refused"].as_i64()),
        (Some(2), Some(1)),
        "{f}"
    );
    assert!(f["last_ok_ms"].is_i64() && f["last_error"].is_null(), "{f}");

    // An active RSS feed is polled by the loop on its own (it looks every 5 s).
    let (s, rss) = app
        .post(
            &duty,
            "/api/v1/warning-feeds",
            &json!({"name": "市水文局", "url": format!("{base}/rss.xml"), "interval_secs": 60}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{rss}");
    let rid = rss["id"].as_str().expect("id").to_string();
    let mut taken = 0;
    for _ in 0..150 {
        let (_, f) = app.get(&duty, "/api/v1/warning-feeds").await;
        taken = f["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|x| x["id"] == rid.as_str())
            .and_then(|x| x["taken"].as_i64())
            .unwrap_or(0);
        if taken == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(taken, 1, "the RSS feed was not polled");
}
both!(feeds_are_polled);

/// A 地灾隐患点 registered as an area (its slope's outline) is targeted when a warning's area
/// touches any part of it, even though its point lies outside; a bad outline is named.
async fn objects_that_are_areas_are_targeted_when_touched(app: &TestApp) {
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let (grid_code, lon, lat) = grid_centre(app, &admin).await;
    let slope = |x: f64| {
        json!({"kind": "geohazard", "name": format!("滑坡隐患{x}"), "region_code": grid_code,
               "responsible_name": "监测员", "responsible_phone": "13900000003",
               "outline": square(lon + x, lat - 0.001, 0.004)})
    };
    let mut bad = slope(0.0);
    bad["outline"] = json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat], [lon, lat + 0.001]]]});
    let (s, v) = app.post(&admin, "/api/v1/protected-objects", &bad).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("outline")),
        "{v}"
    );
    // Its west edge reaches 0.001° into the warning's square; its point is well outside.
    let (s, near) = app
        .post(&admin, "/api/v1/protected-objects", &slope(0.001))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{near}");
    let point_lon = near["lon"].as_f64().expect("lon");
    assert!(point_lon > lon + 0.001 && point_lon < lon + 0.005, "{near}");
    assert_eq!(near["outline"]["type"], "Polygon");
    let (s, far) = app
        .post(&admin, "/api/v1/protected-objects", &slope(0.01))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{far}");

    let mut body = draft(app);
    body["area"] = square(lon - 0.002, lat - 0.002, 0.004);
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK);
    let wid = w["id"].as_str().expect("id").to_string();
    let (_, orders) = app
        .get(&commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let names: Vec<&str> = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["object"]["name"].as_str().unwrap_or(""))
        .filter(|n| n.starts_with("滑坡隐患"))
        .collect();
    assert_eq!(names, ["滑坡隐患0.001"], "{orders}");
}
both!(objects_that_are_areas_are_targeted_when_touched);

/// A square ring (lon, lat), closed, as JSON coordinates.
fn square_ring(lon: f64, lat: f64, d: f64) -> Value {
    json!([
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat]
    ])
}

/// The names of the objects starting with `prefix` that a warning gave work orders to, sorted.
async fn ordered_names(
    app: &TestApp,
    who: &reqwest::Client,
    wid: &str,
    prefix: &str,
) -> Vec<String> {
    let (_, orders) = app
        .get(
            who,
            &format!("/api/v1/work-orders?warning_id={wid}&page_size=200"),
        )
        .await;
    let mut names: Vec<String> = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["object"]["name"].as_str())
        .filter(|n| n.starts_with(prefix))
        .map(String::from)
        .collect();
    names.sort();
    names
}

/// Issue 18: a warning's area keeps its holes (enclaves). Drawn as a GeoJSON Polygon with an
/// interior ring, or made of a region whose boundary has one: objects in the hole — points, and
/// outlines lying wholly in it — get no work order, objects in the ring and outlines reaching
/// into it do; an island drawn inside the hole (a second polygon) is inside again.
async fn holes_in_warning_areas_are_not_targeted(app: &TestApp) {
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let (grid_code, lon, lat) = grid_centre(app, &admin).await;
    let point = |name: &str, x: f64, y: f64| {
        json!({"kind": "waterlogging", "name": name, "region_code": grid_code, "lon": x, "lat": y,
               "responsible_name": "网格员", "responsible_phone": "13900000004"})
    };
    let slope = |name: &str, x: f64, y: f64, d: f64| {
        json!({"kind": "geohazard", "name": name, "region_code": grid_code,
               "responsible_name": "监测员", "responsible_phone": "13900000005",
               "outline": square(x, y, d)})
    };
    // The area: a 0.02° square around the grid's centre with a 0.01° hole in its middle, and an
    // island of 0.002° in the middle of the hole.
    for body in [
        point("飞地洞内易涝点", lon + 0.003, lat + 0.003),
        point("飞地岛上易涝点", lon, lat),
        point("飞地环上易涝点", lon - 0.008, lat),
        point("飞地外易涝点", lon + 0.02, lat),
        slope("飞地洞内边坡", lon - 0.004, lat - 0.004, 0.002),
        slope("飞地跨洞边坡", lon + 0.004, lat - 0.001, 0.002),
    ] {
        let (s, o) = app.post(&admin, "/api/v1/protected-objects", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
    }
    let mut body = draft(app);
    body["area"] = json!({"type": "MultiPolygon", "coordinates": [
        [square_ring(lon - 0.01, lat - 0.01, 0.02), square_ring(lon - 0.005, lat - 0.005, 0.01)],
        [square_ring(lon - 0.001, lat - 0.001, 0.002)],
    ]});
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(
        w["area"]["coordinates"][0].as_array().map(Vec::len),
        Some(2),
        "the hole is kept: {}",
        w["area"]
    );
    let wid = w["id"].as_str().expect("id").to_string();
    assert_eq!(
        ordered_names(app, &commander, &wid, "飞地").await,
        ["飞地岛上易涝点", "飞地环上易涝点", "飞地跨洞边坡"]
    );

    // A hole outside its polygon's outer ring is refused.
    let mut bad = draft(app);
    bad["area"] = json!({"type": "Polygon", "coordinates": [
        square_ring(lon - 0.01, lat - 0.01, 0.02), square_ring(lon + 0.02, lat, 0.002),
    ]});
    let (s, v) = app.post(&commander, "/api/v1/warnings", &bad).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("area")),
        "{v}"
    );

    // A community whose boundary has an enclave: a warning for that community leaves it out.
    let enclave = json!({"type": "Polygon", "coordinates": [
        square_ring(lon + 0.05, lat - 0.01, 0.02), square_ring(lon + 0.055, lat - 0.005, 0.01),
    ]});
    let (s, c) = app
        .post(
            &admin,
            "/api/v1/regions",
            &json!({"code": "360403001918", "name": "飞地社区", "level": "community",
                    "parent_code": "360403001", "boundary": enclave}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    for body in [
        point("社区洞内易涝点", lon + 0.06, lat),
        point("社区环上易涝点", lon + 0.052, lat),
    ] {
        let (s, o) = app.post(&admin, "/api/v1/protected-objects", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
    }
    let mut body = draft(app);
    body.as_object_mut().expect("body").remove("area");
    body["region_codes"] = json!(["360403001918"]);
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let wid = w["id"].as_str().expect("id").to_string();
    assert_eq!(
        ordered_names(app, &commander, &wid, "社区").await,
        ["社区环上易涝点"]
    );
}
both!(holes_in_warning_areas_are_not_targeted);

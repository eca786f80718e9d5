//! 群众随手拍: filed without login (a public category, inside the district, checked photos),
//! dispatched by the rules, followed by its tracking code (no staff names, no internal notes),
//! closed by the reporter's own 回访 with the phone check and its lockout; bad input stores
//! nothing.

use super::events::{PATH, count, own_region};
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const PUBLIC: &str = "/api/public/grid-events";
const MINUTE: i64 = 60_000;

fn report(region: &str, phone: Option<&str>) -> Value {
    json!({
        "category": "gas", "description": "楼道里燃气味很重，怀疑管道泄漏", "lon": 115.99, "lat": 29.71,
        "region_code": region, "address": "甘棠北路 12 号", "reporter_name": phone.map(|_| "李四"),
        "reporter_phone": phone,
    })
}

/// Moves the test clock a minute on, so the per-address limit does not get in the way.
fn tick(app: &TestApp) {
    app.clock.advance(MINUTE);
}

async fn file(app: &TestApp, anon: &Client, body: &Value) -> String {
    tick(app);
    let (s, v) = app.post(anon, PUBLIC, body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(v["code"].as_str().unwrap().starts_with("SJ"), "{v}");
    v["tracking_code"].as_str().unwrap().to_string()
}

async fn track(app: &TestApp, anon: &Client, tracking: &str) -> Value {
    tick(app);
    let (s, v) = app.get(anon, &format!("{PUBLIC}/{tracking}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn visit(app: &TestApp, anon: &Client, tracking: &str, body: Value) -> (StatusCode, Value) {
    tick(app);
    app.post(anon, &format!("{PUBLIC}/{tracking}/visit"), &body)
        .await
}

/// The event's id as the duty room finds it by the tracking page's code.
async fn id_of(app: &TestApp, duty: &Client, code: &str) -> String {
    let (_, v) = app.get(duty, &format!("{PATH}?q={code}")).await;
    v["items"][0]["id"].as_str().expect("id").to_string()
}

/// The unit 签收s, 处置s and answers.
async fn handle(app: &TestApp, street: &Client, id: &str) -> Value {
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    let (s, v) = app.post(street, &at("accept"), &json!({})).await;
    if s != StatusCode::OK {
        assert_eq!(s, StatusCode::CONFLICT, "{v}"); // reopened: already 处置中
    }
    let body = json!({"result": "联系燃气公司关阀检修", "answer": "已关阀检修，更换老化软管"});
    let (s, v) = app.post(street, &at("handle"), &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn filing_tracking_and_visit(app: &TestApp) {
    let (anon, grid, street, duty) = (
        app.anonymous(),
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let (s, cats) = app.get(&anon, "/api/public/grid-categories").await;
    assert_eq!(s, StatusCode::OK);
    let codes: Vec<&str> = cats
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"illegal_hot_work") && !codes.contains(&"opinion"));
    // With a photo from the public upload, and a phone.
    tick(app);
    let png = crate::kernel::attachments::picture(8, 8, image::ImageFormat::Png);
    let r = anon
        .post(app.url("/api/public/attachments?filename=现场.png"))
        .body(png)
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let photo: Value = r.json().await.expect("json");
    let mut body = report(&region, Some("13812345678"));
    body["attachments"] = json!([photo["id"]]);
    let tracking = file(app, &anon, &body).await;
    let t = track(app, &anon, &tracking).await;
    assert_eq!(
        (t["status"].as_str(), t["status_label"].as_str()),
        (Some("dispatched"), Some("已受理，正在分拨")),
        "{t}"
    );
    assert_eq!(
        (t["visit_open"].as_bool(), t["needs_phone"].as_bool()),
        (Some(false), Some(true))
    );
    let id = id_of(app, &duty, t["code"].as_str().unwrap()).await;
    // The unit sees the reporter masked; the event carries its photo.
    let (_, d) = app.get(&street, &format!("{PATH}/{id}")).await;
    assert_eq!(d["event"]["source"], "public");
    assert_eq!(d["event"]["reporter_phone"], "138****5678", "{d}");
    assert_eq!(d["attachments"].as_array().map(Vec::len), Some(1), "{d}");
    // Not answered yet: no 回访.
    let (s, _) = visit(
        app,
        &anon,
        &tracking,
        json!({"satisfied": true, "phone_tail": "5678"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let d = handle(app, &street, &id).await;
    let t = track(app, &anon, &tracking).await;
    assert_eq!(t["status"], "answered");
    assert_eq!(t["answer"], "已关阀检修，更换老化软管");
    assert_eq!(t["visit_open"], true);
    // No staff names or internal notes on the tracking page.
    let text = t.to_string();
    for step in d["steps"].as_array().unwrap() {
        let who = step["actor_name"].as_str().unwrap();
        if who != "群众" {
            assert!(!text.contains(who), "{who} in {t}");
        }
    }
    assert!(
        !text.contains("13812345678") && !text.contains("李四"),
        "{t}"
    );
    // The phone check: missing, then wrong, then right; unsatisfied reopens once.
    let (s, v) = visit(app, &anon, &tracking, json!({"satisfied": false})).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("phone_tail")),
        "{v}"
    );
    let (s, v) = visit(
        app,
        &anon,
        &tracking,
        json!({"satisfied": false, "phone_tail": "1234"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v.to_string().contains("还可尝试 4 次"), "{v}");
    let (s, v) = visit(
        app,
        &anon,
        &tracking,
        json!({"satisfied": false, "note": "还是有味道", "phone_tail": "5678"}),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{v}"
    );
    handle(app, &street, &id).await;
    let (s, v) = visit(
        app,
        &anon,
        &tracking,
        json!({"satisfied": true, "phone_tail": "5678"}),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{v}"
    );
    assert_eq!(v["satisfied"], true);
    assert_eq!(v["visit_open"], false);
    let actions: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"受理"), "{v}");
    assert_eq!(actions.last(), Some(&"回访满意，办结"), "{v}");
    // Unknown code.
    let (s, _) = app.get(&anon, &format!("{PUBLIC}/ABCDEFGHJKMN")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
both!(filing_tracking_and_visit);

/// Anonymous reports need no phone check; five wrong tries lock the 回访 of one with a phone.
async fn anonymous_and_lockout(app: &TestApp) {
    let (anon, grid, street, duty) = (
        app.anonymous(),
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let open = file(app, &anon, &report(&region, None)).await;
    let guarded = file(app, &anon, &report(&region, Some("13912340000"))).await;
    for tracking in [&open, &guarded] {
        let code = track(app, &anon, tracking).await["code"]
            .as_str()
            .unwrap()
            .to_string();
        let id = id_of(app, &duty, &code).await;
        handle(app, &street, &id).await;
    }
    let (s, v) = visit(app, &anon, &open, json!({"satisfied": true})).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{v}"
    );
    for n in 1..=5 {
        let (s, v) = visit(
            app,
            &anon,
            &guarded,
            json!({"satisfied": true, "phone_tail": "1111"}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{n}: {v}");
    }
    let (s, v) = visit(
        app,
        &anon,
        &guarded,
        json!({"satisfied": true, "phone_tail": "0000"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("已锁定"), "{v}");
    let t = track(app, &anon, &guarded).await;
    assert_eq!(
        (
            t["locked"].as_bool(),
            t["visit_open"].as_bool(),
            t["status"].as_str()
        ),
        (Some(true), Some(false), Some("answered"))
    );
}
both!(anonymous_and_lockout);

/// Bad input: a clear Chinese message naming the field, nothing stored.
async fn bad_input_stores_nothing(app: &TestApp) {
    let (anon, grid) = (app.anonymous(), app.login("grid").await);
    let region = own_region(app, &grid).await;
    // A photo that is not an image is refused at upload.
    tick(app);
    let r = anon
        .post(app.url("/api/public/attachments?filename=x.jpg"))
        .body(b"MZ\x90\x00 not a picture".to_vec())
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let before = count(app, "SELECT COUNT(*) FROM grid_events").await;
    let cases = [
        (json!({"category": "nope"}), "category", "事件分类"),
        (json!({"category": "opinion"}), "category", "不接受群众举报"),
        (
            json!({"lon": 121.47, "lat": 31.23}),
            "lon",
            "不在本区范围内",
        ),
        (json!({"description": ""}), "description", "事件描述"),
        (
            json!({"reporter_phone": "12345"}),
            "reporter_phone",
            "联系电话",
        ),
        (json!({"attachments": ["no-such-photo"]}), "attachments", ""),
    ];
    for (patch, field, words) in cases {
        let mut body = report(&region, None);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        tick(app);
        let (s, v) = app.post(&anon, PUBLIC, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {v}");
        let fields: Vec<&str> = v["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{field}: {v}");
        assert!(v.to_string().contains(words), "{field}: {v}");
    }
    assert_eq!(count(app, "SELECT COUNT(*) FROM grid_events").await, before);
    // A flood from one address is refused.
    let mut last = StatusCode::OK;
    let mut bad = report(&region, None);
    bad["category"] = json!("nope");
    for _ in 0..6 {
        let (s, _) = app.post(&anon, PUBLIC, &bad).await;
        last = s;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
both!(bad_input_stores_nothing);

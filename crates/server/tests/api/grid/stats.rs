//! 网格事件统计 through the API: a known set of events on the test clock (one 签收 late, one 回访
//! unsatisfied, one open past its deadline, one dispatched by hand to a department, one from the
//! public) counted by source, category, unit and street, with the on-time rates as exact
//! fractions, satisfaction, cards and the hot spot; scope (a street its own, a department its
//! own, a grid worker and an enterprise 403); bad dates named; the workbook opened and every
//! cell checked not to hold the reporter's name, phone or tracking code.

use super::events::{PATH, event, file, own_region};
use crate::both;
use crate::disasters::reports::{at, fire};
use crate::helpers::TestApp;
use calamine::Reader;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const STATS: &str = "/api/v1/grid/stats";
const SPAN: &str = "from=2027-03-01&to=2027-03-01";
const MINUTE: i64 = 60_000;
/// What must never reach the statistics or the workbook: the reporters as filed, and masked.
const SECRET_NAME: &str = "王秘密";
const SECRET_PHONE: &str = "13900001111";
const PUBLIC_NAME: &str = "赵隐名";
const PUBLIC_PHONE: &str = "13700002222";

async fn download(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Vec<u8>) {
    let r = c.get(app.url(path)).send().await.expect("request");
    let s = r.status();
    (s, r.bytes().await.expect("body").to_vec())
}

async fn department_id(app: &TestApp, name: &str) -> String {
    let admin = app.login("admin").await;
    let (_, v) = app.get(&admin, "/api/v1/departments").await;
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["name"] == name)
        .and_then(|d| d["id"].as_str())
        .expect("department")
        .to_string()
}

async fn step(app: &TestApp, c: &Client, id: &str, action: &str, body: Value) {
    let (s, v) = app.post(c, &format!("{PATH}/{id}/{action}"), &body).await;
    assert_eq!(s, StatusCode::OK, "{action}: {v}");
}

fn id(e: &Value) -> String {
    e["id"].as_str().expect("id").to_string()
}

/// Files the known set at 2027-03-01 09:00 and carries it to 12:00; answers the public
/// tracking code and the street's code.
// Long because: the set is one story on the clock, each step where the figures expect it.
async fn known_set(app: &TestApp) -> (String, String) {
    let t0 = at("2027-03-01T09:00:00+08:00");
    app.clock.set(t0);
    let (grid, duty) = (app.login("grid").await, app.login("duty").await);
    let region = own_region(app, &grid).await;
    let mut body = event("gas", &region);
    body["reporter_name"] = json!(SECRET_NAME);
    body["reporter_phone"] = json!(SECRET_PHONE);
    let e1 = id(&file(app, &grid, &body).await);
    let mut near = body.clone();
    near["lon"] = json!(115.9901);
    near["lat"] = json!(29.7101);
    near["description"] = json!("隔壁单元燃气表附近也有异味");
    let e2 = id(&file(app, &grid, &near).await);
    let mut other = body.clone();
    other["category"] = json!("city_operation");
    other["description"] = json!("路口井盖缺失，存在安全隐患");
    file(app, &grid, &other).await;
    let mut far = event("production_hazard", "360403002001");
    far["lon"] = json!(116.0);
    far["reporter_name"] = json!(SECRET_NAME);
    far["reporter_phone"] = json!(SECRET_PHONE);
    let e4 = id(&file(app, &duty, &far).await);
    app.clock.advance(MINUTE);
    let (s, v) = app
        .post(
            &app.anonymous(),
            "/api/public/grid-events",
            &json!({
                "category": "gas", "description": "楼道里燃气味很重，怀疑管道泄漏", "lon": 115.99, "lat": 29.71,
                "region_code": region, "address": "甘棠北路 12 号", "reporter_name": PUBLIC_NAME,
                "reporter_phone": PUBLIC_PHONE,
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let tracking = v["tracking_code"].as_str().expect("tracking").to_string();
    let yjj = department_id(app, "区应急管理局").await;
    step(
        app,
        &duty,
        &e4,
        "dispatch",
        json!({"unit_kind": "department", "unit_id": yjj}),
    )
    .await;
    // 签收: the first on time (due 09:30), the second late.
    app.clock.set(t0 + 10 * MINUTE);
    let street = app.login("street").await;
    step(app, &street, &e1, "accept", json!({})).await;
    app.clock.set(t0 + 40 * MINUTE);
    step(app, &street, &e2, "accept", json!({})).await;
    app.clock.set(t0 + 60 * MINUTE);
    let done = json!({"result": "已关阀检修，更换软管", "answer": "您反映的燃气异味已处置"});
    step(app, &street, &e1, "handle", done.clone()).await;
    step(app, &street, &e2, "handle", done.clone()).await;
    app.clock.set(t0 + 70 * MINUTE);
    step(app, &duty, &e1, "visit", json!({"satisfied": true})).await;
    step(app, &duty, &e2, "visit", json!({"satisfied": false})).await;
    app.clock.set(t0 + 80 * MINUTE);
    step(app, &street, &e2, "handle", done).await;
    step(app, &duty, &e2, "visit", json!({"satisfied": false})).await;
    // 12:00: the 城市运行 event (签收 due 11:00), the public one and the department's are open
    // past their 签收 deadline; the cards that fell due are issued.
    app.clock.set(t0 + 180 * MINUTE);
    fire(app).await;
    fire(app).await;
    (tracking, region[..9].to_string())
}

fn rate(v: &Value) -> (i64, i64, String) {
    (
        v["part"].as_i64().unwrap(),
        v["whole"].as_i64().unwrap(),
        v["percent"].as_str().unwrap().to_string(),
    )
}

fn line<'a>(v: &'a Value, list: &str, key: &str) -> &'a Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == key)
        .unwrap_or_else(|| panic!("{list} {key}: {v}"))
}

async fn stats(app: &TestApp, c: &Client, query: &str) -> (StatusCode, Value) {
    app.get(c, &format!("{STATS}?{query}")).await
}

/// The bureau's figures of the known set.
// Long because: every figure of the page is checked against the story.
async fn figures(app: &TestApp) {
    let (_, street_code) = known_set(app).await;
    let duty = app.login("duty").await;
    let (s, v) = stats(app, &duty, SPAN).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let t = &v["totals"];
    assert_eq!(
        (t["events"].as_i64(), t["closed"].as_i64()),
        (Some(5), Some(2)),
        "{v}"
    );
    // 签收: only the first of five by its deadline (one late, three open past it).
    assert_eq!(rate(&t["accept"]), (1, 5, "20.0%".into()));
    // 处置 and 反馈: both done by their deadlines; the open ones are not due yet.
    assert_eq!(rate(&t["handle"]), (2, 2, "100.0%".into()));
    assert_eq!(rate(&t["feedback"]), (2, 2, "100.0%".into()));
    assert_eq!(rate(&t["satisfaction"]), (1, 2, "50.0%".into()));
    assert_eq!(line(&v, "sources", "grid")["events"], 3);
    assert_eq!(line(&v, "sources", "public")["events"], 1);
    assert_eq!(line(&v, "sources", "duty")["events"], 1);
    assert_eq!(line(&v, "sources", "hotline")["events"], 0);
    let gas = line(&v, "categories", "gas");
    assert_eq!(
        (gas["label"].as_str(), gas["events"].as_i64()),
        (Some("燃气安全"), Some(3))
    );
    assert_eq!(rate(&gas["accept"]), (1, 3, "33.3%".into()));
    assert_eq!(line(&v, "streets", &street_code)["events"], 4);
    assert_eq!(line(&v, "streets", "360403002")["events"], 1);
    let unit = line(&v, "units", &format!("street:{street_code}"));
    assert_eq!(unit["events"], 4);
    let spots = v["hot_spots"].as_array().unwrap();
    assert_eq!(spots.len(), 1, "{v}");
    assert_eq!(spots[0]["events"], 4);
    assert_eq!(spots[0]["categories"][0]["label"], "燃气安全");
    assert_eq!(spots[0]["categories"][0]["events"], 3);
    let yellow = super::events::count(
        app,
        "SELECT COUNT(*) FROM grid_event_steps WHERE action = '黄牌'",
    )
    .await;
    assert!(yellow >= 1);
    assert_eq!(v["yellow_cards"], yellow);
    assert_eq!(v["rewards"]["paid"], 0, "{v}");
    // Another day holds none of it.
    let (_, other) = stats(app, &duty, "from=2027-03-02&to=2027-03-02").await;
    assert_eq!(other["totals"]["events"], 0);
    assert_eq!(other["totals"]["accept"]["percent"], "—");
    // One street only.
    let (_, one) = stats(app, &duty, &format!("{SPAN}&street=360403002")).await;
    assert_eq!(one["totals"]["events"], 1, "{one}");
    assert!(one["rewards"].is_null());
    for text in [SECRET_NAME, SECRET_PHONE, PUBLIC_NAME, PUBLIC_PHONE] {
        assert!(!v.to_string().contains(text), "{text}");
    }
}
both!(figures);

/// A street reads its own, a department its own; a grid worker and an enterprise may not.
async fn scope(app: &TestApp) {
    let (_, street_code) = known_set(app).await;
    let street = app.login("street").await;
    let (s, v) = stats(app, &street, SPAN).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["totals"]["events"], 4, "{v}");
    assert!(v["streets"].as_array().unwrap().len() == 1, "{v}");
    assert_eq!(v["streets"][0]["key"], street_code.as_str());
    assert!(v["rewards"].is_null());
    let (s, v) = stats(app, &street, &format!("{SPAN}&street=360403002")).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("street"))
    );
    let yjj = app.login("yjj").await;
    let (_, v) = stats(app, &yjj, SPAN).await;
    assert_eq!(v["totals"]["events"], 1, "{v}");
    assert_eq!(rate(&v["totals"]["accept"]), (0, 1, "0.0%".into()));
    let zjj = app.login("zjj").await;
    let (_, v) = stats(app, &zjj, SPAN).await;
    assert_eq!(v["totals"]["events"], 0, "{v}");
    for who in ["grid", "enterprise"] {
        let c = app.login(who).await;
        let (s, _) = stats(app, &c, SPAN).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
        let (s, _) = download(app, &c, &format!("{STATS}/export?{SPAN}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
}
both!(scope);

/// Bad dates and streets are named.
async fn bad_input(app: &TestApp) {
    let duty = app.login("duty").await;
    for (query, field) in [
        ("from=2027-3-1", "from"),
        ("to=yesterday", "to"),
        ("from=2027-03-02&to=2027-03-01", "to"),
        ("from=2020-01-01&to=2027-03-01", "to"),
        ("street=abc", "street"),
    ] {
        let (s, v) = stats(app, &duty, query).await;
        assert_eq!(
            (s, v["details"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{query}: {v}"
        );
    }
    let (s, _) = download(app, &duty, &format!("{STATS}/export?from=x")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both!(bad_input);

/// Every cell of every sheet as text.
fn cells(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<Vec<String>>>) {
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let names = wb.sheet_names();
    let sheets = names
        .iter()
        .map(|n| {
            wb.worksheet_range(n)
                .expect("sheet")
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        })
        .collect();
    (names, sheets)
}

/// The workbook of the bureau and of the handling street: a summary and the events, and no cell
/// with a reporter's name or phone (as filed or masked) or the public tracking code.
async fn export_hides_the_reporter(app: &TestApp) {
    let (tracking, _) = known_set(app).await;
    let forbidden = [
        SECRET_NAME,
        SECRET_PHONE,
        "王*",
        "139****1111",
        PUBLIC_NAME,
        PUBLIC_PHONE,
        "赵*",
        "137****2222",
        tracking.as_str(),
    ];
    for (who, events) in [("duty", 5usize), ("street", 4)] {
        let c = app.login(who).await;
        let (s, bytes) = download(app, &c, &format!("{STATS}/export?{SPAN}")).await;
        assert_eq!(s, StatusCode::OK, "{who}");
        let (names, sheets) = cells(bytes);
        assert_eq!(names, ["汇总", "事件明细"]);
        assert_eq!(sheets[1].len(), events + 1, "{who}");
        assert_eq!(sheets[1][0][0], "事件编号");
        assert!(
            sheets[0]
                .iter()
                .any(|r| r[0] == "合计" && r[2] == events.to_string()),
            "{:?}",
            sheets[0]
        );
        for sheet in &sheets {
            for row in sheet {
                for cell in row {
                    for f in forbidden {
                        assert!(!cell.contains(f), "{who}: {cell} holds {f}");
                    }
                }
            }
        }
        let late = sheets[1]
            .iter()
            .filter(|r| r.contains(&"超时".to_string()))
            .count();
        assert!(late >= 1, "{who}");
    }
}
both!(export_hides_the_reporter);

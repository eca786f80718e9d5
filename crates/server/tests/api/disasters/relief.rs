//! 救助 entries: bad input named and nothing stored (a card failing its Luhn check, negative or
//! non-decimal amounts, a township outside the district or the caller's street), masks in the
//! API, a 台账 household made an entry, a township list imported all or nothing, and the
//! 10-hour measure on the test clock.

use super::reports::{at, body, process, rainstorm, report, row};
use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

pub(crate) const CARD: &str = "4111111111111111";

/// A valid entry of `phase` in `township` for the person with `id_number`.
pub(crate) fn entry(phase: &str, township: &str, name: &str, id_number: &str) -> Value {
    json!({"phase": phase, "township": township, "village": "南湖社区", "name": name,
        "id_number": id_number, "household": 3, "phone": "13900000001", "kind": "cash",
        "amount": "1500.00", "card_number": CARD})
}

pub(crate) async fn add(app: &TestApp, c: &Client, pid: &str, e: &Value) -> (StatusCode, Value) {
    app.post(
        c,
        &format!("/api/v1/disasters/processes/{pid}/relief/entries"),
        e,
    )
    .await
}

/// The id of the entry of `name` in an overview.
pub(crate) fn entry_id(v: &Value, name: &str) -> String {
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["name"] == name)
        .and_then(|e| e["id"].as_str())
        .expect("entry")
        .to_string()
}

/// ID numbers with a valid GB 11643 check digit: 36040319800101 + 3 digits + check.
pub(crate) fn id_number(n: u32) -> String {
    let base = format!("36040319800101{n:03}");
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{base}{check}")
}

pub(crate) async fn new_process(app: &TestApp, duty: &Client) -> String {
    let started = yingji_core::kernel::clock::to_rfc3339(app.clock.now_ms() - 3_600_000);
    let p = process(app, duty, rainstorm(&started)).await;
    p["id"].as_str().unwrap().to_string()
}

async fn bad_input_stores_nothing(app: &TestApp) {
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    let good = entry("emergency", "360403001", "张某", &id_number(1));
    let cases = [
        ("card_number", json!("4111111111111112"), "校验位"),
        ("card_number", json!("41111111"), "16至19位"),
        ("amount", json!("-200"), "金额"),
        ("amount", json!("12.345"), "最多两位小数"),
        ("amount", json!("一千"), "金额"),
        ("township", json!("360403099"), "不在该灾害过程"),
        ("id_number", json!("360403198001010011"), "校验位"),
    ];
    for (field, value, words) in cases {
        let mut e = good.clone();
        e[field] = value;
        let (s, v) = add(app, &duty, &pid, &e).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {v}");
        assert_eq!(v["details"][0]["field"], field, "{v}");
        assert!(v["message"].as_str().unwrap().contains(words), "{v}");
    }
    let mut cash0 = good.clone();
    cash0["amount"] = json!("0");
    assert_eq!(
        add(app, &duty, &pid, &cash0).await.0,
        StatusCode::BAD_REQUEST
    );
    // A street's staff record for their own street only.
    let street = app.login("street").await;
    let other = entry("emergency", "360403002", "李某", &id_number(2));
    let (s, v) = add(app, &street, &pid, &other).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("township")),
        "{v}"
    );
    assert_eq!(app.count("disaster_relief_entries").await, 0);
    let grid = app.login("grid").await;
    assert_eq!(add(app, &grid, &pid, &good).await.0, StatusCode::FORBIDDEN);
    // Valid: ID and card numbers masked in the API.
    let (s, v) = add(app, &street, &pid, &good).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let e = &v["entries"][0];
    assert_eq!(e["card_number"], "4111********1111");
    assert_eq!(e["id_number"].as_str().unwrap().len(), 18);
    assert!(e["id_number"].as_str().unwrap().contains("**********"));
    assert_eq!(
        (e["amount"].as_str(), e["phase_label"].as_str()),
        (Some("1500.00"), Some("应急救助"))
    );
    assert_eq!(v["phases"][0]["persons"], 1);
    assert_eq!(v["phases"][0]["amount"], "1500.00");
    // The street sees its street's only; the district sees both after another entry.
    add(app, &duty, &pid, &other).await;
    let (_, v) = app
        .get(
            &street,
            &format!("/api/v1/disasters/processes/{pid}/relief"),
        )
        .await;
    assert_eq!(v["entries"].as_array().map(Vec::len), Some(1));
}
both!(bad_input_stores_nothing);

async fn from_ledger_and_import(app: &TestApp) {
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    let house = json!({"township": "360403001", "head": "赵某", "address": "南湖社区12栋", "rooms": 3, "degree": "collapsed"});
    let (s, l) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{pid}/ledgers/houses"),
            &house,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let hid = l["houses"][0]["id"].as_str().unwrap();
    let body = json!({"ledger": "house", "ledger_id": hid, "entry": {"id_number": id_number(7), "household": 4,
        "kind": "cash", "amount": "20000", "card_number": CARD}});
    let (s, v) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{pid}/relief/from-ledger"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let e = &v["entries"][0];
    assert_eq!(
        (
            e["name"].as_str(),
            e["phase"].as_str(),
            e["village"].as_str(),
            e["progress_label"].as_str()
        ),
        (
            Some("赵某"),
            Some("rebuild"),
            Some("南湖社区12栋"),
            Some("未开工")
        )
    );
    let eid = e["id"].as_str().unwrap();
    let (s, p) = app
        .put(
            &duty,
            &format!("/api/v1/disasters/relief/entries/{eid}/progress"),
            &json!({"progress": "building", "percent": 40}),
        )
        .await;
    assert_eq!(
        (s, p["percent"].as_i64()),
        (StatusCode::OK, Some(40)),
        "{p}"
    );
    let (s, w) = app
        .put(
            &duty,
            &format!("/api/v1/disasters/processes/{pid}/relief/winter/360403001"),
            &json!({"needed": 120}),
        )
        .await;
    assert_eq!(
        (s, w["winter"][0]["needed"].as_i64()),
        (StatusCode::OK, Some(120)),
        "{w}"
    );
    // A township list: one bad row (a card failing its check) and nothing is stored.
    let header = "救助阶段,乡镇（街道）,村（社区）,姓名,公民身份号码,家庭人口,联系电话,救助方式,金额（元）,物资明细,发放时间,银行卡（社保卡）号";
    let good = format!(
        "应急救助,甘棠街道,南湖社区,钱某,{},2,,资金,800,,,{CARD}",
        id_number(8)
    );
    let bad = format!(
        "应急救助,甘棠街道,南湖社区,孙某,{},2,,资金,-5,,,4111111111111112",
        id_number(9)
    );
    let upload = |csv: String| {
        let url = app.url(&format!("/api/v1/disasters/processes/{pid}/relief/import"));
        let duty = duty.clone();
        async move {
            let r = duty
                .post(url)
                .header("content-type", "text/csv")
                .body(csv.into_bytes())
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let before = app.count("disaster_relief_entries").await;
    let (s, v) = upload(format!("{header}\n{good}\n{bad}\n")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let rows: Vec<(i64, String)> = v["details"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (3, "金额（元）".to_string()),
            (3, "银行卡（社保卡）号".to_string())
        ]
    );
    assert_eq!(app.count("disaster_relief_entries").await, before);
    let (s, v) = upload(format!("{header}\n{good}\n")).await;
    assert_eq!(
        (s, v["imported"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{v}"
    );
    assert_eq!(app.count("disaster_relief_entries").await, before + 1);
}
both!(from_ledger_and_import);

/// 初报 at 15:00; 甘棠 relieved at 00:30 (9.5 h: 达标), 湓浦 not yet: counted on the clock,
/// then relieved at 02:00 (11 h: 超时).
async fn ten_hour_measure(app: &TestApp) {
    app.clock.set(at("2026-07-10T14:30:00+08:00"));
    let duty = app.login("duty").await;
    let p = process(app, &duty, rainstorm("2026-07-10 14:00")).await;
    let pid = p["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/disasters/processes/{pid}/relief/timeliness");
    let (s, v) = app.get(&duty, &path).await;
    assert_eq!(
        (s, v["rows"][0]["verdict"].as_str()),
        (StatusCode::OK, Some("no_report")),
        "{v}"
    );
    app.clock.set(at("2026-07-10T15:00:00+08:00"));
    let r = row("360403001", json!({"affected_people": 100}));
    let (s, v) = report(app, &duty, &pid, &body("initial", vec![r])).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.clock.set(at("2026-07-11T01:30:00+08:00"));
    let duty = app.login("duty").await;
    let mut e = entry("emergency", "360403001", "周某", &id_number(11));
    e["given_at"] = json!("2026-07-11 00:30");
    assert_eq!(add(app, &duty, &pid, &e).await.0, StatusCode::CREATED);
    let (_, v) = app.get(&duty, &path).await;
    assert_eq!(v["initial_ms"], at("2026-07-10T15:00:00+08:00"));
    let got: Vec<(&str, &str)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["verdict"].as_str().unwrap(), r["hours"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("met", "9.5"), ("pending_late", "10.5")]);
    app.clock.set(at("2026-07-11T03:00:00+08:00"));
    let duty = app.login("duty").await;
    let mut e = entry("emergency", "360403002", "吴某", &id_number(12));
    e["given_at"] = json!("2026-07-11 02:00");
    assert_eq!(add(app, &duty, &pid, &e).await.0, StatusCode::CREATED);
    let (_, v) = app.get(&duty, &path).await;
    assert_eq!(
        (
            v["rows"][1]["verdict_label"].as_str(),
            v["rows"][1]["hours"].as_str()
        ),
        (Some("超时"), Some("11.0"))
    );
    // A street's staff see their street's row only.
    let street = app.login("street").await;
    let (_, v) = app.get(&street, &path).await;
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(1));
}
both!(ten_hour_measure);

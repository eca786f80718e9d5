//! The reports feed the response (cn-standards §6, §9.7): plans whose levels carry the 2016
//! national table, the 2024 table and a 县 plan as triggers, incidents linked to processes, and
//! N01–N08 through the API with the vectors' figures as district totals; a 核报 that changes
//! the suggested level proposes it to the commanders.

use super::reports::{body, process, report, row};
use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

fn plan(code: &str, name: &str, version: &str, subtype: &str, levels: &[(i64, &str)]) -> Value {
    json!({
        "code": code, "name": name, "kind": "special", "owner": "区应急管理局",
        "version": version, "effective_date": "2024-03-01", "review_cycle_months": 60,
        "subtypes": [subtype],
        "levels": levels.iter().map(|(l, t)| json!({"level": l, "trigger": t, "tasks": []})).collect::<Vec<_>>()
    })
}

const NATIONAL_2016: &[(i64, &str)] = &[
    (
        1,
        "死亡 >= 200 或 疏散 >= 200万 或 倒损房屋间数 >= 30万 或 倒损房屋户数 >= 10万",
    ),
    (
        2,
        "死亡 >= 100 或 疏散 >= 100万 或 倒损房屋间数 >= 20万 或 倒损房屋户数 >= 7万",
    ),
    (
        3,
        "死亡 >= 50 或 疏散 >= 50万 或 倒损房屋间数 >= 10万 或 倒损房屋户数 >= 3万",
    ),
    (
        4,
        "死亡 >= 20 或 疏散 >= 10万 或 倒损房屋间数 >= 1万 或 倒损房屋户数 >= 3000",
    ),
];

/// The 2024 table as cn-standards §6 recalls it ([M] for levels 2–4).
const NATIONAL_2024: &[(i64, &str)] = &[
    (
        1,
        "死亡和失踪 >= 200 或 疏散 >= 200万 或 倒损房屋间数 >= 30万 或 倒损房屋户数 >= 10万",
    ),
    (
        2,
        "死亡和失踪 >= 100 或 疏散 >= 100万 或 倒损房屋间数 >= 10万 或 倒损房屋户数 >= 3万",
    ),
    (
        3,
        "死亡和失踪 >= 50 或 疏散 >= 50万 或 倒损房屋间数 >= 1万 或 倒损房屋户数 >= 3000",
    ),
    (
        4,
        "死亡和失踪 >= 20 或 疏散 >= 10万 或 倒损房屋间数 >= 1000 或 倒损房屋户数 >= 300",
    ),
];

/// The 县 plan (psx.gov.cn): its 二级, and 一级 from where 二级 ends.
const COUNTY: &[(i64, &str)] = &[
    (
        1,
        "死亡和失踪 >= 10 或 疏散 >= 2000 或 倒损房屋间数 >= 1000 或 倒损房屋户数 >= 400",
    ),
    (
        2,
        "死亡和失踪 >= 5 或 疏散 >= 1200 或 倒损房屋间数 >= 500 或 倒损房屋户数 >= 200",
    ),
];

async fn incident(app: &TestApp, c: &Client, subtype: &str) -> String {
    let now = app.clock.now_ms();
    let b = json!({
        "title": "强降雨灾害", "category": "natural", "subtype": subtype,
        "occurred_at": to_rfc3339(now - 30 * 60_000), "region_code": "360403001",
        "lon": 115.99, "lat": 29.71, "assessed_severity": "general",
        "location": "城区", "account": "持续强降雨", "casualties": {}
    });
    let (s, v) = app.post(c, "/api/v1/incidents", &b).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// A process linked to the incident; answers its id.
async fn linked(app: &TestApp, c: &Client, incident: &str) -> String {
    let started = to_rfc3339(app.clock.now_ms() - 3_600_000);
    let mut b = super::reports::rainstorm(&started);
    b["incident_id"] = json!(incident);
    process(app, c, b).await["id"].as_str().unwrap().to_string()
}

/// Files the figures as one township's row (a 续报 with an explanation after the first).
async fn figures(app: &TestApp, c: &Client, id: &str, kind: &str, f: Value) {
    let mut f = f;
    f["affected_people"] = json!(5_000_000);
    let mut b = body(kind, vec![row("360403001", f)]);
    b["explanation"] = json!("按向量核定");
    let (s, v) = report(app, c, id, &b).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn level(app: &TestApp, c: &Client, incident: &str, plan_id: &str) -> Option<i64> {
    let (s, v) = app
        .get(c, &format!("/api/v1/incidents/{incident}/plan-suggestions"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan_id"] == plan_id)
        .cloned();
    p.unwrap_or_else(|| panic!("{plan_id}: {v}"))["suggested_level"].as_i64()
}

async fn new_plan(app: &TestApp, c: &Client, body: Value) -> String {
    let (s, v) = app.post(c, "/api/v1/plans", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

async fn vectors_n01_n08(app: &TestApp) {
    let commander = app.login("commander").await;
    let duty = app.login("duty").await;
    let p16 = new_plan(
        app,
        &commander,
        plan(
            "ZH-2016",
            "国家自然灾害救助应急预案",
            "2016版",
            "rainstorm",
            NATIONAL_2016,
        ),
    )
    .await;
    let p24 = new_plan(
        app,
        &commander,
        plan(
            "ZH-2024",
            "国家自然灾害救助应急预案",
            "2024版",
            "flood",
            NATIONAL_2024,
        ),
    )
    .await;
    let pcounty = new_plan(
        app,
        &commander,
        plan(
            "ZH-X",
            "县自然灾害救助应急预案",
            "2024版",
            "typhoon",
            COUNTY,
        ),
    )
    .await;
    // 2016 table.
    let i16 = incident(app, &duty, "rainstorm").await;
    let d16 = linked(app, &duty, &i16).await;
    assert_eq!(level(app, &duty, &i16, &p16).await, None, "no report yet");
    let n = [
        ("N01", json!({"deaths": 200}), Some(1)),
        ("N02", json!({"deaths": 199}), Some(2)),
        ("N03", json!({"deaths": 10, "relocated": 600_000}), Some(3)),
        (
            "N04",
            json!({"deaths": 19, "relocated": 90_000, "collapsed_rooms": 9_000, "collapsed_households": 2_900}),
            None,
        ),
        (
            "N05",
            json!({"collapsed_rooms": 500, "collapsed_households": 3_000}),
            Some(4),
        ),
        (
            "N06",
            json!({"collapsed_rooms": 20_000, "severe_rooms": 5_000}),
            Some(4),
        ),
        (
            "N07 (2016 counts 死亡 only)",
            json!({"deaths": 150, "missing": 60}),
            Some(2),
        ),
    ];
    for (i, (name, f, want)) in n.into_iter().enumerate() {
        figures(
            app,
            &duty,
            &d16,
            if i == 0 { "initial" } else { "update" },
            f,
        )
        .await;
        assert_eq!(level(app, &duty, &i16, &p16).await, want, "{name}");
    }
    // 2024 table: N06 the same houses reach 三级 (the plan version is respected); N07a/b.
    let i24 = incident(app, &duty, "flood").await;
    let d24 = linked(app, &duty, &i24).await;
    let n = [
        (
            "N06",
            json!({"collapsed_rooms": 20_000, "severe_rooms": 5_000}),
            Some(3),
        ),
        ("N07a", json!({"deaths": 150, "missing": 60}), Some(1)),
        ("N07b", json!({"deaths": 150, "missing": 20}), Some(2)),
    ];
    for (i, (name, f, want)) in n.into_iter().enumerate() {
        figures(
            app,
            &duty,
            &d24,
            if i == 0 { "initial" } else { "update" },
            f,
        )
        .await;
        assert_eq!(level(app, &duty, &i24, &p24).await, want, "{name}");
    }
    // 县 plan: N08, each metric alone reaches 县二级.
    let ic = incident(app, &duty, "typhoon").await;
    let dc = linked(app, &duty, &ic).await;
    let n = [
        json!({"deaths": 4, "missing": 3}),
        json!({"relocated": 1_500}),
        json!({"collapsed_rooms": 450, "collapsed_households": 250}),
    ];
    for (i, f) in n.into_iter().enumerate() {
        figures(
            app,
            &duty,
            &dc,
            if i == 0 { "initial" } else { "update" },
            f,
        )
        .await;
        assert_eq!(level(app, &duty, &ic, &pcounty).await, Some(2), "N08 #{i}");
    }
}
both!(vectors_n01_n08);

/// A 核报 that changes the level: Ⅳ级 after the 初报, Ⅲ级 after the 核报, each proposed to the
/// commanders once; the decision records the suggestion the houses now reach.
async fn final_report_changes_the_level(app: &TestApp) {
    let commander = app.login("commander").await;
    let duty = app.login("duty").await;
    let p16 = new_plan(
        app,
        &commander,
        plan(
            "ZH-2016",
            "国家自然灾害救助应急预案",
            "2016版",
            "rainstorm",
            NATIONAL_2016,
        ),
    )
    .await;
    let inc = incident(app, &duty, "rainstorm").await;
    let id = linked(app, &duty, &inc).await;
    figures(
        app,
        &duty,
        &id,
        "initial",
        json!({"collapsed_rooms": 8_000, "severe_rooms": 4_000, "collapsed_households": 2_000}),
    )
    .await;
    assert_eq!(level(app, &duty, &inc, &p16).await, Some(4));
    let proposed = "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'commander' AND n.title LIKE '建议启动%'";
    let q = |sql: &str| yingji_store::Sql::new(sql);
    assert_eq!(app.store.fetch_i64(q(proposed)).await.unwrap(), 1);
    let (s, v) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{id}/stable"),
            &json!({"stable_at": to_rfc3339(app.clock.now_ms())}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    figures(
        app,
        &duty,
        &id,
        "final",
        json!({"collapsed_rooms": 80_000, "severe_rooms": 30_000, "collapsed_households": 20_000}),
    )
    .await;
    assert_eq!(level(app, &duty, &inc, &p16).await, Some(3));
    assert_eq!(app.store.fetch_i64(q(proposed)).await.unwrap(), 2);
    let (_, d) = app
        .get(&duty, &format!("/api/v1/disasters/processes/{id}"))
        .await;
    assert_eq!(
        (d["suggested_level"].as_i64(), d["status"].as_str()),
        (Some(3), Some("verified")),
        "{d}"
    );
    assert_eq!(d["totals"]["collapsed_rooms"], 80_000);
}
both!(final_report_changes_the_level);

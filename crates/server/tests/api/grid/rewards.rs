//! 有奖举报: 核查 → 认定 → 奖励决定 (the amount from the district's table) → 发放, each audited;
//! the reporter seen in full only by the reward officer (not by the handling unit); the claim
//! with the tracking code and the phone, its lockout; bad table rows named.

use super::events::{count, event, file, own_region};
use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/v1/grid/rewards";
const CLAIM: &str = "/api/public/rewards/claim";

/// A public report (随手拍): filed by the grid worker, then marked as the public's with a
/// tracking code, as the public form stores it.
async fn public_event(app: &TestApp, tracking: &str) -> String {
    let grid = app.login("grid").await;
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let mut q = yingji_store::Sql::new(
        "UPDATE grid_events SET source = 'public', reporter_user_id = NULL, tracking_code = ",
    );
    q.bind(tracking).push_bind(" WHERE id = ", id.as_str());
    app.store.execute(q).await.expect("public");
    id
}

async fn user_id(app: &TestApp, c: &Client) -> String {
    app.get(c, "/api/v1/auth/me").await.1["user"]["id"]
        .as_str()
        .expect("id")
        .to_string()
}

async fn set_rewards(app: &TestApp, grid_rewards: Value) -> (StatusCode, Value) {
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["grid_rewards"] = grid_rewards;
    let body = json!({"region": "360403", "rules": rules, "note": "举报奖励标准"});
    app.put(&admin, "/api/v1/rules", &body).await
}

/// The duty officer as the district's reward officer, with the national table.
async fn appoint(app: &TestApp, officer: &Client) {
    let id = user_id(app, officer).await;
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut table = cur["rules"]["grid_rewards"].clone();
    table["officers"] = json!([id]);
    let (s, v) = set_rewards(app, table).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

async fn workflow(app: &TestApp) {
    let (duty, street) = (app.login("duty").await, app.login("street").await);
    let id = public_event(app, "JB-REWARD-1").await;
    let ev = format!("/api/v1/grid/events/{id}");
    // Before the appointment the duty room sees a public reporter masked, and may not act.
    let (_, v) = app.get(&duty, &ev).await;
    assert_eq!(v["event"]["reporter_phone"], "138****5678", "{v}");
    let (s, _) = app.get(&duty, PATH).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    appoint(app, &duty).await;
    // The officer sees the reporter in full, in the event API and in the queue.
    let (_, v) = app.get(&duty, &ev).await;
    assert_eq!(
        (
            v["event"]["reporter_name"].as_str(),
            v["event"]["reporter_phone"].as_str()
        ),
        (Some("张三"), Some("13812345678"))
    );
    let (s, q) = app.get(&duty, &format!("{PATH}?status=pending")).await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let item = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["event"]["id"] == id.as_str())
        .expect("queued")
        .clone();
    assert_eq!(item["event"]["reporter_phone"], "13812345678");
    // The handling unit (the street) sees it masked and may not take the steps.
    let (_, v) = app.get(&street, &ev).await;
    assert_eq!(v["event"]["reporter_name"], "张*");
    let (s, _) = app.get(&street, &format!("{PATH}/{id}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    // Not out of order.
    let (s, _) = app.post(&duty, &at("decide"), &json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = app
        .post(
            &duty,
            &at("verify"),
            &json!({"truthful": true, "note": "现场核查属实，存在重大事故隐患"}),
        )
        .await;
    assert_eq!(
        (s, v["reward"]["status"].as_str()),
        (StatusCode::OK, Some("verified")),
        "{v}"
    );
    let (s, v) = app
        .post(&duty, &at("identify"), &json!({"row_code": "nope"}))
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("row_code"))
    );
    let (s, v) = app
        .post(
            &duty,
            &at("identify"),
            &json!({"row_code": "major_hazard", "fine_yuan": "1.234"}),
        )
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("fine_yuan"))
    );
    let (s, v) = app
        .post(&duty, &at("identify"), &json!({"row_code": "major_hazard", "fine_yuan": "33333.33", "note": "认定为重大事故隐患"}))
        .await;
    assert_eq!(
        (s, v["reward"]["kind"].as_str()),
        (StatusCode::OK, Some("major_hazard")),
        "{v}"
    );
    // 15% of 33,333.33 元 is 4,999.9995 元: 4,999.99 元 exactly, in 分.
    let (s, v) = app.post(&duty, &at("decide"), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["reward"]["amount_fen"].as_i64(),
            v["reward"]["amount_text"].as_str()
        ),
        (Some(499_999), Some("4,999.99"))
    );
    let (s, v) = app
        .post(
            &duty,
            &at("pay"),
            &json!({"paid_on": "2026-13-01", "method": "支票"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<_> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["paid_on", "method"]);
    let (s, v) = app
        .post(
            &duty,
            &at("pay"),
            &json!({"paid_on": "2026-12-04", "method": "银行转账", "reference": "ZZ20261204001"}),
        )
        .await;
    assert_eq!(
        (s, v["reward"]["status"].as_str()),
        (StatusCode::OK, Some("paid")),
        "{v}"
    );
    let audited = count(
        app,
        "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'grid.reward_%'",
    )
    .await;
    assert_eq!(audited, 4);
    // The reporter claims with the tracking code and the phone.
    let anon = app.anonymous();
    let (s, v) = app
        .post(
            &anon,
            CLAIM,
            &json!({"tracking_code": "JB-REWARD-1", "phone": "13812345678"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["amount"], "4,999.99");
    assert!(v["message"].as_str().unwrap().contains("2026-12-04"), "{v}");
    assert!(!v.to_string().contains("张三"));
}
both!(workflow);

async fn claim_lockout(app: &TestApp) {
    let duty = app.login("duty").await;
    appoint(app, &duty).await;
    let id = public_event(app, "JB-REWARD-2").await;
    let anon = app.anonymous();
    // Not decided yet: told to wait, nothing about the reward.
    let (s, v) = app
        .post(
            &anon,
            CLAIM,
            &json!({"tracking_code": "JB-REWARD-2", "phone": "13812345678"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap_or_default()
            .contains("尚未决定奖励")
            || v.to_string().contains("尚未决定奖励"),
        "{v}"
    );
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    app.post(
        &duty,
        &at("verify"),
        &json!({"truthful": true, "note": "属实"}),
    )
    .await;
    app.post(
        &duty,
        &at("identify"),
        &json!({"row_code": "illegal_operation"}),
    )
    .await;
    let (_, v) = app.post(&duty, &at("decide"), &json!({})).await;
    assert_eq!(v["reward"]["amount_fen"], 300_000, "{v}");
    // Wrong phones: a Chinese message; after five the code locks, even for the right phone.
    // The per-address limiter allows five a minute: the test moves the clock.
    for i in 0..5 {
        app.clock.advance(61_000);
        let (s, v) = app
            .post(
                &anon,
                CLAIM,
                &json!({"tracking_code": "JB-REWARD-2", "phone": "13900000000"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "try {i}: {v}");
        assert!(v.to_string().contains("查询码或手机号不正确"), "{v}");
    }
    app.clock.advance(61_000);
    let (s, v) = app
        .post(
            &anon,
            CLAIM,
            &json!({"tracking_code": "JB-REWARD-2", "phone": "13812345678"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v.to_string().contains("错误次数过多"), "{v}");
    // An hour later the right phone gets the amount and how to collect it.
    app.clock.advance(3_600_000);
    let (s, v) = app
        .post(
            &anon,
            CLAIM,
            &json!({"tracking_code": "JB-REWARD-2", "phone": "13812345678"}),
        )
        .await;
    assert_eq!(
        (s, v["amount"].as_str()),
        (StatusCode::OK, Some("3,000.00")),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("领取"), "{v}");
    // An unknown code is the same wrong answer.
    let (s, v) = app
        .post(
            &anon,
            CLAIM,
            &json!({"tracking_code": "NOPE", "phone": "13812345678"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // Many tries from one address within a minute: 429.
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last = app
            .post(
                &anon,
                CLAIM,
                &json!({"tracking_code": "NOPE2", "phone": "13812345678"}),
            )
            .await
            .0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
both!(claim_lockout);

async fn bad_table_rows_are_named(app: &TestApp) {
    let table = json!({
        "officers": [],
        "rows": [
            {"code": "major_hazard", "kind": "major_hazard", "name": "重大事故隐患", "percent": "15", "min_yuan": 3000, "max_yuan": 300000},
            {"code": "major_hazard", "kind": "violation", "name": "非法生产", "percent": "abc", "min_yuan": 5000, "max_yuan": 1000},
        ]
    });
    let (s, v) = set_rewards(app, table).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let fields: Vec<_> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        fields,
        [
            "grid_rewards.rows[1].code",
            "grid_rewards.rows[1].percent",
            "grid_rewards.rows[1].max_yuan"
        ]
    );
    assert!(v.to_string().contains("第 2 行"), "{v}");
    // Nothing stored: the default table still applies.
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    assert_eq!(
        cur["rules"]["grid_rewards"]["rows"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    // Someone who is not an officer may not act; a non-public event cannot be rewarded.
    let (street, grid) = (app.login("street").await, app.login("grid").await);
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap();
    let (s, _) = app
        .post(
            &street,
            &format!("{PATH}/{id}/verify"),
            &json!({"truthful": true, "note": "属实"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(
            &admin,
            &format!("{PATH}/{id}/verify"),
            &json!({"truthful": true, "note": "属实"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM grid_rewards").await, 0);
}
both!(bad_table_rows_are_named);

/// 19号 第十一条第二项: a 瞒报谎报 较大事故 with 3 verified hidden deaths is 3 × 40,000 元; 8
/// deaths reach the 300,000 元 cap. The officer sees the amount before deciding; the table
/// says who is an officer.
async fn concealed_accident_counts_deaths(app: &TestApp) {
    let (duty, street) = (app.login("duty").await, app.login("street").await);
    let (_, t) = app.get(&duty, &format!("{PATH}/table")).await;
    assert_eq!(
        (t["officer"].as_bool(), t["rows"].as_array().map(Vec::len)),
        (Some(false), Some(0)),
        "{t}"
    );
    appoint(app, &duty).await;
    let (_, t) = app.get(&duty, &format!("{PATH}/table")).await;
    assert_eq!(t["officer"], true, "{t}");
    assert_eq!(t["rows"][3]["per_person_yuan"], 40_000, "{t}");
    let (_, t) = app.get(&street, &format!("{PATH}/table")).await;
    assert_eq!(t["officer"], false, "{t}");
    let id = public_event(app, "JB-REWARD-3").await;
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    let (s, v) = app
        .post(
            &duty,
            &at("verify"),
            &json!({"truthful": true, "note": "查实瞒报死亡 3 人"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    for (body, field) in [
        (json!({"row_code": "concealed_larger"}), "deaths"),
        (
            json!({"row_code": "concealed_larger", "deaths": 0}),
            "deaths",
        ),
        (
            json!({"row_code": "concealed_larger", "deaths": 3, "fine_yuan": "100"}),
            "fine_yuan",
        ),
        (json!({"row_code": "major_hazard", "deaths": 3}), "deaths"),
    ] {
        let (s, v) = app.post(&duty, &at("identify"), &body).await;
        assert_eq!(
            (s, v["details"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{body}: {v}"
        );
    }
    let (s, v) = app
        .post(
            &duty,
            &at("identify"),
            &json!({"row_code": "concealed_larger", "deaths": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["reward"]["deaths"].as_i64(),
            v["proposed_amount_text"].as_str()
        ),
        (Some(3), Some("120,000.00")),
        "{v}"
    );
    let (_, v) = app.get(&duty, &format!("{PATH}/{id}")).await;
    assert_eq!(v["proposed_amount_fen"], 12_000_000, "{v}");
    let (s, v) = app.post(&duty, &at("decide"), &json!({})).await;
    assert_eq!(
        (s, v["reward"]["amount_fen"].as_i64()),
        (StatusCode::OK, Some(12_000_000)),
        "{v}"
    );
    assert_eq!(v["proposed_amount_fen"], Value::Null);
    // The cap.
    let id = public_event(app, "JB-REWARD-4").await;
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    app.post(
        &duty,
        &at("verify"),
        &json!({"truthful": true, "note": "属实"}),
    )
    .await;
    app.post(
        &duty,
        &at("identify"),
        &json!({"row_code": "concealed_larger", "deaths": 8}),
    )
    .await;
    let (_, v) = app.post(&duty, &at("decide"), &json!({})).await;
    assert_eq!(v["reward"]["amount_text"], "300,000.00", "{v}");
}
both!(concealed_accident_counts_deaths);

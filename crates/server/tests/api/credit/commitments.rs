//! 每日安全承诺: bad input (missing fields, bad counts, the second of a day) stores nothing;
//! only enterprise users submit, each for its own enterprise; the board in the department's
//! scope; and on the test clock a missing commitment is flagged at the deadline (the enterprise
//! told, the miss recorded) and escalated to the bureau's leaders at the later hour.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::SharedClock;

const MIN_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

pub(crate) fn body() -> Value {
    json!({
        "units_running": 3, "units_stopped": 1, "units_overhaul": 0,
        "major_hazard_status": "normal",
        "special_works": [{"kind": "hot_work", "count": 2}, {"kind": "confined_space", "count": 1}],
        "duty_person": "王五", "duty_phone": "13800000001",
        "principal_name": "张三"
    })
}

/// The demo enterprise user's enterprise, made a committing one by the district's rules.
pub(crate) async fn committing_enterprise(app: &TestApp) -> Value {
    let ent = app.login("enterprise").await;
    let (_, v) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    let e = v["items"][0].clone();
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["credit_commitments"]["categories"] = e["categories"].clone();
    let body = json!({"region": "360403", "rules": rules, "note": "承诺范围"});
    let (s, v) = app.put(&admin, "/api/v1/rules", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    e
}

pub(super) fn todo_of<'a>(w: &'a Value, kind: &str) -> &'a Value {
    w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .find(|t| t["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {w}"))
}

async fn notes(app: &TestApp, username: &str, title_like: &str) -> i64 {
    let q = yingji_store::Sql::new(&format!(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{username}' AND n.title LIKE '{title_like}'"
    ));
    app.store.fetch_i64(q).await.expect("count")
}

async fn post(app: &TestApp, c: &Client, b: &Value) -> (StatusCode, Value) {
    app.post(c, "/api/v1/credit/commitments", b).await
}

// Long because: each refusal checked with what it leaves stored.
async fn bad_input_and_scope(app: &TestApp) {
    let e = committing_enterprise(app).await;
    let ent = app.login("enterprise").await;
    let mut b = body();
    b["duty_person"] = json!(" ");
    b["units_running"] = json!(-1);
    b["special_works"][1]["kind"] = json!("dance");
    let (s, v) = post(app, &ent, &b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let fields: Vec<&str> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["units_running", "special_works[1]", "duty_person"]);
    assert!(
        v["message"].as_str().unwrap().contains("值班人员不能为空"),
        "{v}"
    );
    let mut b = body();
    b["major_hazard_status"] = json!("abnormal");
    let (s, v) = post(app, &ent, &b).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("major_hazard_note"))
    );
    assert_eq!(app.count("credit_commitments").await, 0);
    // Another enterprise named by an enterprise user: refused.
    let mut b = body();
    b["enterprise_id"] = json!("someone-else");
    let (s, _) = post(app, &ent, &b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // A department does not commit for an enterprise.
    let yjj = app.login("yjj").await;
    let mut b = body();
    b["enterprise_id"] = e["id"].clone();
    let (s, _) = post(app, &yjj, &b).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Today's, once.
    let (s, c) = post(app, &ent, &body()).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["enterprise_id"], e["id"]);
    assert_eq!(c["day"], "2026-05-29");
    assert_eq!(c["late"], false);
    assert_eq!(c["special_works"].as_array().unwrap().len(), 8);
    assert_eq!(c["special_works"][0]["label"], "动火作业");
    let (s, v) = post(app, &ent, &body()).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::CONFLICT, Some("day"))
    );
    assert!(v["message"].as_str().unwrap().contains("已提交"), "{v}");
    assert_eq!(app.count("credit_commitments").await, 1);
    // The enterprise sees its own; a street outside sees nothing; the board counts it.
    let (_, l) = app.get(&ent, "/api/v1/credit/commitments").await;
    assert_eq!(l["total"], 1);
    let id = c["id"].as_str().unwrap();
    let (s, _) = app
        .get(
            &app.login("admin").await,
            &format!("/api/v1/credit/commitments/{id}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = app
        .get(
            &app.login("admin").await,
            "/api/v1/credit/commitments/board",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(b["required"].as_i64().unwrap() >= 1, "{b}");
    assert_eq!(b["submitted"], 1);
    let (_, b) = app.get(&ent, "/api/v1/credit/commitments/board").await;
    assert_eq!(
        (b["required"].as_i64(), b["items"][0]["status"].as_str()),
        (Some(1), Some("submitted")),
        "{b}"
    );
    let audit = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'credit.commitment_submit'",
        ))
        .await
        .unwrap();
    assert_eq!(audit, 1);
    let (s, _) = app
        .get(&ent, "/api/v1/credit/commitments/board?day=2026-13-01")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both!(bad_input_and_scope);

// Long because: two days on the test clock, each step checked where it happens.
async fn missing_commitment_escalates(app: &TestApp) {
    let e = committing_enterprise(app).await;
    let ent = app.login("enterprise").await;
    let (s, v) = post(app, &ent, &body()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let clock: SharedClock = app.clock.clone();
    let run = || yingji_jobs::run_due(&app.store, &clock);
    // 2026-05-29 10:01 (+08:00): this enterprise committed; no notice to it.
    app.clock.set(1_779_933_600_000 + DAY_MS + MIN_MS);
    run().await.expect("run");
    assert_eq!(notes(app, "enterprise", "%安全承诺未提交").await, 0);
    // 2026-05-30 10:01: nothing submitted today → flagged, told, recorded.
    app.clock.advance(DAY_MS);
    run().await.expect("run");
    run().await.expect("run again");
    assert_eq!(
        notes(app, "enterprise", "2026-05-30 安全承诺未提交").await,
        1
    );
    let missed = app
        .store
        .fetch_i64(yingji_store::Sql::new(&format!(
            "SELECT COUNT(*) FROM credit_commitment_misses WHERE day = '2026-05-30' AND enterprise_id = '{}' AND escalated_ms IS NULL",
            e["id"].as_str().unwrap()
        )))
        .await
        .unwrap();
    assert_eq!(missed, 1);
    let admin = app.login("admin").await;
    let (_, b) = app.get(&admin, "/api/v1/credit/commitments/board").await;
    assert_eq!(b["day"], "2026-05-30");
    assert_eq!(b["submitted"], 0);
    assert!(b["flagged"].as_i64().unwrap() >= 1, "{b}");
    // The 待办: the enterprise's own today, the department's misses in its scope.
    let ent = app.login("enterprise").await;
    let (_, w) = app.get(&ent, "/api/v1/workbench").await;
    let own = todo_of(&w, "commit_today");
    assert_eq!(own["total"], 1, "{w}");
    assert_eq!(own["items"][0]["link"], "/credit/commitments/today");
    // A late commitment is still recorded, as late.
    let (_, b) = app.get(&ent, "/api/v1/credit/commitments/board").await;
    assert_eq!(b["items"][0]["status"], "flagged", "{b}");
    // 14:01: still missing → escalated to the 局领导 (commander).
    app.clock.advance(4 * 60 * MIN_MS);
    run().await.expect("run");
    assert_eq!(notes(app, "commander", "督办：2026-05-30%").await, 1);
    let escalated = app
        .store
        .fetch_i64(yingji_store::Sql::new(&format!(
            "SELECT COUNT(*) FROM credit_commitment_misses WHERE day = '2026-05-30' AND enterprise_id = '{}' AND escalated_ms IS NOT NULL",
            e["id"].as_str().unwrap()
        )))
        .await
        .unwrap();
    assert_eq!(escalated, 1);
    let ent = app.login("enterprise").await;
    let (s, c) = post(app, &ent, &body()).await;
    assert_eq!(
        (s, c["late"].as_bool()),
        (StatusCode::CREATED, Some(true)),
        "{c}"
    );
    let (_, b) = app.get(&ent, "/api/v1/credit/commitments/board").await;
    assert_eq!(b["items"][0]["status"], "late", "{b}");
    let (_, w) = app.get(&ent, "/api/v1/workbench").await;
    assert_eq!(todo_of(&w, "commit_today")["total"], 0, "{w}");
}
both!(missing_commitment_escalates);

/// 安全承诺逾期未交: the department's 待办 counts today's misses in its scope (none before the
/// deadline, those recorded at it after).
async fn department_todo_counts_misses(app: &TestApp) {
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["credit_commitments"]["categories"] = json!(["hazchem"]);
    let put = json!({"region": "360403", "rules": rules, "note": "危化企业每日承诺"});
    let (s, v) = app.put(&admin, "/api/v1/rules", &put).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let yjj = app.login("yjj").await;
    let (_, b) = app.get(&yjj, "/api/v1/credit/commitments/board").await;
    let required = b["required"].as_i64().unwrap();
    assert!(required >= 1, "{b}");
    let (_, w) = app.get(&yjj, "/api/v1/workbench").await;
    assert_eq!(todo_of(&w, "missed_commitments")["total"], 0, "{w}");
    // The sweep is scheduled with the first commitment of the district; then the deadline.
    let ent = app
        .store
        .fetch_all(yingji_store::Sql::new(
            "SELECT id FROM enterprises WHERE categories LIKE '%,hazchem,%' AND status = 'operating' ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap();
    let id: String = yingji_store::sqlx::Row::try_get(&ent[0], 0).unwrap();
    let mut c = body();
    c["enterprise_id"] = json!(id);
    let (s, v) = post(app, &admin, &c).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let clock: SharedClock = app.clock.clone();
    app.clock.set(1_779_933_600_000 + DAY_MS + MIN_MS);
    yingji_jobs::run_due(&app.store, &clock).await.expect("run");
    let (_, w) = app.get(&yjj, "/api/v1/workbench").await;
    let misses = todo_of(&w, "missed_commitments");
    // Everyone but the one that committed (2026-05-29 10:01).
    assert_eq!(misses["total"].as_i64(), Some(required - 1), "{w}");
    assert_eq!(misses["items"][0]["status_label"], "逾期未交", "{misses}");
    assert!(
        misses["items"][0]["link"]
            .as_str()
            .unwrap()
            .contains("status=flagged")
    );
}
both!(department_todo_counts_misses);

//! 行政处罚案件 through the API: 立案 → 调查取证 → 法制审核 → 告知 → 决定 → 执行 → 结案 with its
//! deadlines and timeline; the decision deadline escalating on the test clock; a reviewer who
//! investigated refused; a fine outside the discretion range without a reason refused (with one
//! accepted); a step in the wrong state refused with nothing stored; scope by department and
//! enterprise.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, SharedClock, today};

const DAY_MS: i64 = 86_400_000;

pub(super) async fn user_id(app: &TestApp, admin: &Client, username: &str) -> String {
    let (s, v) = app
        .get(admin, &format!("/api/v1/users?q={username}&page_size=50"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("user {username}: {v}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An enterprise the bureau (yjj's department) supervises.
pub(super) async fn bureau_enterprise(app: &TestApp, yjj: &Client) -> String {
    let (s, v) = app.get(yjj, "/api/v1/enterprises?page_size=1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"][0]["id"]
        .as_str()
        .expect("an enterprise")
        .to_string()
}

pub(super) async fn open_case(
    app: &TestApp,
    c: &Client,
    enterprise: &str,
    team: [&str; 2],
) -> Value {
    let body = json!({
        "enterprise_id": enterprise, "title": "未按规定开展安全生产教育培训",
        "source": "finding", "investigators": team,
        "facts": "检查发现三名新员工未经培训上岗",
    });
    let (s, v) = app.post(c, "/api/v1/enforcement/cases", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

pub(super) async fn step(app: &TestApp, c: &Client, id: &str, body: Value) -> (StatusCode, Value) {
    app.post(c, &format!("/api/v1/enforcement/cases/{id}/steps"), &body)
        .await
}

pub(super) async fn stored(app: &TestApp) -> (i64, i64) {
    (
        app.count("enforcement_case_steps").await,
        app.count("audit_log").await,
    )
}

pub(super) fn day_after(app: &TestApp, days: i64) -> String {
    today(app.clock.now_ms() + days * DAY_MS).to_string()
}

// Long because: one case through every step, each checked where it happens.
async fn case_through_every_step(app: &TestApp) {
    let admin = app.login("admin").await;
    let (zfry, zfry2) = (
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "zfry2").await,
    );
    let (yjj, inspector, reviewer) = (
        app.login("yjj").await,
        app.login("zfry").await,
        app.login("fzsh").await,
    );
    let enterprise = bureau_enterprise(app, &yjj).await;
    let c = open_case(app, &inspector, &enterprise, [&zfry, &zfry2]).await;
    let id = c["id"].as_str().unwrap();
    assert_eq!(c["state"], "filed");
    assert_eq!(c["state_label"], "立案");
    assert_eq!(c["decision_due"], day_after(app, 90));
    assert_eq!(c["deadline"]["days_left"], 90);
    assert_eq!(c["investigators"].as_array().unwrap().len(), 2);
    let (s, v) = step(app, &inspector, id, json!({"step": "investigate"})).await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("investigating"))
    );

    // A step in the wrong state: 409 naming `step`, nothing stored.
    let before = stored(app).await;
    let (s, e) = step(app, &yjj, id, json!({"step": "decide", "amount_yuan": 1})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["details"][0]["field"], "step");
    assert!(e["message"].as_str().unwrap().contains("调查取证"), "{e}");
    assert_eq!(stored(app).await, before);

    // A fine below the 一般事故 range without a reason: 400 naming amount_yuan, nothing stored.
    let fine = json!({"step": "submit_review", "accident_grade": "general", "amount_yuan": 200000});
    let (s, e) = step(app, &inspector, id, fine.clone()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "amount_yuan");
    assert!(e["message"].as_str().unwrap().contains("300,000"), "{e}");
    assert_eq!(stored(app).await, before);
    let mut reasoned = fine.clone();
    reasoned["fine_reason"] = json!("主动消除危害后果，依法减轻处罚");
    let (s, v) = step(app, &inspector, id, reasoned.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "reviewing");
    assert_eq!(v["proposed_fine"], 200000);
    assert_eq!(v["fine_range"]["min_yuan"], 300000);
    assert_eq!(v["criminal_transfer"], false);

    // The 法制审核员 sees it awaiting review; an inspector may not approve.
    let (_, list) = app.get(&reviewer, "/api/v1/enforcement/cases").await;
    assert_eq!(list["total"], 1, "{list}");
    let (s, _) = step(app, &inspector, id, json!({"step": "approve"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = step(
        app,
        &reviewer,
        id,
        json!({"step": "approve", "note": "事实清楚"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "notified");
    assert_eq!(v["reviewer_name"], "法制审核员赵敏");
    assert_eq!(v["statement_until"], day_after(app, 3));
    assert_eq!(v["hearing_until"], day_after(app, 5));

    // The party waives 陈述申辩 (case_windows.rs tests the windows themselves).
    let waive = json!({"step": "statement", "waived": true});
    let (s, v) = step(app, &inspector, id, waive).await;
    assert_eq!(
        (s, &v["statement_label"]),
        (StatusCode::OK, &json!("放弃陈述申辩"))
    );
    let decline = json!({"step": "hearing_request", "waived": true});
    let (s, v) = step(app, &inspector, id, decline).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    reasoned["step"] = json!("decide");
    let (s, v) = step(app, &yjj, id, reasoned).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["state"].as_str(), &v["decided_fine"]),
        (Some("decided"), &json!(200000))
    );
    assert_eq!(v["payment_due"], day_after(app, 15));
    assert_eq!(v["deadline"]["label"], "缴纳罚款");
    let (s, e) = step(app, &inspector, id, json!({"step": "execute"})).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("paid"))
    );
    let (s, v) = step(
        app,
        &inspector,
        id,
        json!({"step": "execute", "paid": true}),
    )
    .await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("executing"))
    );
    let (s, v) = step(app, &yjj, id, json!({"step": "close"})).await;
    assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("closed")));
    assert_eq!(v["deadline"], Value::Null);
    assert_eq!(v["next_steps"], json!([]));
    let steps: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(v["timeline"][3]["actor_name"], "法制审核员赵敏");
    assert_eq!(
        steps,
        [
            "file",
            "investigate",
            "submit_review",
            "approve",
            "statement",
            "hearing_request",
            "decide",
            "execute",
            "close"
        ]
    );
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=enforcement_case&page_size=50",
        )
        .await;
    assert_eq!(audit["total"], 9, "{audit}");
}
both!(case_through_every_step);

async fn reviewer_who_investigated_is_refused(app: &TestApp) {
    let admin = app.login("admin").await;
    let (zfry, fzsh) = (
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "fzsh").await,
    );
    let (yjj, reviewer) = (app.login("yjj").await, app.login("fzsh").await);
    let enterprise = bureau_enterprise(app, &yjj).await;
    let c = open_case(app, &yjj, &enterprise, [&zfry, &fzsh]).await;
    let id = c["id"].as_str().unwrap();
    step(app, &yjj, id, json!({"step": "investigate"})).await;
    let (s, v) = step(
        app,
        &yjj,
        id,
        json!({"step": "submit_review", "amount_yuan": 5000}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let before = stored(app).await;
    let (s, e) = step(app, &reviewer, id, json!({"step": "approve"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("审查与调查分离"),
        "{e}"
    );
    assert_eq!(stored(app).await, before);
    // 行刑衔接 by the bureau, with a reason.
    let (s, e) = step(app, &yjj, id, json!({"step": "transfer"})).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("transfer_reason"))
    );
    let body = json!({"step": "transfer", "transfer_reason": "涉嫌重大责任事故罪"});
    let (s, v) = step(app, &yjj, id, body).await;
    assert_eq!((s, &v["criminal_transfer"]), (StatusCode::OK, &json!(true)));
    assert_eq!(v["state"], "reviewing");
}
both!(reviewer_who_investigated_is_refused);

async fn decision_deadline_escalates(app: &TestApp) {
    let admin = app.login("admin").await;
    let (zfry, zfry2) = (
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "zfry2").await,
    );
    let yjj = app.login("yjj").await;
    let enterprise = bureau_enterprise(app, &yjj).await;
    let c = open_case(app, &yjj, &enterprise, [&zfry, &zfry2]).await;
    let id = c["id"].as_str().unwrap().to_string();
    let notes = |app: &TestApp, user: &str| {
        let q = yingji_store::Sql::new(&format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = '{user}' AND title LIKE '案件逾期%'"
        ));
        let store = app.store.clone();
        async move { store.fetch_i64(q).await.expect("count") }
    };
    let clock: SharedClock = app.clock.clone();
    // Day 90 is still in time.
    app.clock.advance(90 * DAY_MS);
    yingji_jobs::run_due(&app.store, &clock).await.expect("run");
    // (The session has expired meanwhile.)
    let yjj = app.login("yjj").await;
    let (_, v) = app
        .get(&yjj, &format!("/api/v1/enforcement/cases/{id}"))
        .await;
    assert_eq!(v["overdue"], false, "{v}");
    assert_eq!(v["deadline"]["days_left"], 0);
    // Day 91: overdue, on the timeline, the 承办人 told once.
    app.clock.advance(DAY_MS);
    yingji_jobs::run_due(&app.store, &clock).await.expect("run");
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("run again");
    let yjj = app.login("yjj").await;
    let (_, v) = app
        .get(&yjj, &format!("/api/v1/enforcement/cases/{id}"))
        .await;
    assert_eq!(v["overdue"], true, "{v}");
    assert_eq!(v["deadline"]["days_left"], -1);
    let last = v["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["step"], "overdue");
    assert_eq!(last["step_label"], "期限逾期");
    assert_eq!(notes(app, &zfry).await, 1);
    // An approved extension clears the mark and counts down again.
    let body = json!({"step": "extend", "extend_until": day_after(app, 30), "note": "案情复杂，经局长批准延长"});
    let (s, v) = step(app, &yjj, &id, body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["overdue"].as_bool(), &v["deadline"]["days_left"]),
        (Some(false), &json!(30))
    );
}
both!(decision_deadline_escalates);

async fn cases_by_scope(app: &TestApp) {
    let admin = app.login("admin").await;
    let (zfry, zfry2) = (
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "zfry2").await,
    );
    let yjj = app.login("yjj").await;
    let bureau_case = open_case(
        app,
        &yjj,
        &bureau_enterprise(app, &yjj).await,
        [&zfry, &zfry2],
    )
    .await;
    // The enterprise user's own enterprise, opened by the administrator for the bureau.
    let ent = app.login("enterprise").await;
    let (_, own) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    let own_id = own["items"][0]["id"].as_str().unwrap().to_string();
    let (_, depts) = app.get(&admin, "/api/v1/departments").await;
    let bureau = depts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "区应急管理局")
        .unwrap()["id"]
        .clone();
    let body = json!({"department_id": bureau, "enterprise_id": own_id, "title": "安全设施未经验收",
        "source": "complaint", "investigators": [zfry, zfry2]});
    let (s, own_case) = app.post(&admin, "/api/v1/enforcement/cases", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{own_case}");
    let (_, mine) = app.get(&ent, "/api/v1/enforcement/cases").await;
    assert_eq!(mine["total"], 1, "{mine}");
    assert_eq!(mine["items"][0]["id"], own_case["id"]);
    let other = bureau_case["id"].as_str().unwrap();
    if other != own_case["id"].as_str().unwrap() {
        let (s, _) = app
            .get(&ent, &format!("/api/v1/enforcement/cases/{other}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let (s, _) = step(app, &ent, other, json!({"step": "investigate"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Another department sees none and may not step; a grid worker may not read.
    let zjj = app.login("zjj").await;
    let (_, theirs) = app.get(&zjj, "/api/v1/enforcement/cases").await;
    assert_eq!(theirs["total"], 0, "{theirs}");
    let before = stored(app).await;
    let (s, _) = step(app, &zjj, other, json!({"step": "investigate"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(stored(app).await, before);
    let grid = app.login("grid").await;
    let (s, _) = app.get(&grid, "/api/v1/enforcement/cases").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // 承办人 must be two of the department.
    let zjj_id = user_id(app, &admin, "zjj").await;
    let body = json!({"enterprise_id": bureau_case["enterprise_id"], "title": "x", "source": "finding", "investigators": [zfry, zjj_id]});
    let (s, e) = app.post(&yjj, "/api/v1/enforcement/cases", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "investigators");
    // A finding named as the source is a hazard the caller sees, of the case's enterprise.
    let (_, ents) = app.get(&admin, "/api/v1/enterprises?page_size=5").await;
    let elsewhere = ents["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] != bureau_case["enterprise_id"])
        .expect("another enterprise")["id"]
        .clone();
    let hazard = json!({"category": "fire", "description": "仓库堆放超高", "location": "仓库", "enterprise_id": elsewhere});
    let (s, h) = app.post(&admin, "/api/v1/hazards", &hazard).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let foreign = h["id"].clone();
    let before = app.count("enforcement_cases").await;
    for (source_id, message) in [
        (json!("no-such-hazard"), "不存在"),
        (foreign, "不属于当事企业"),
    ] {
        let body = json!({"department_id": bureau, "enterprise_id": bureau_case["enterprise_id"],
            "title": "x", "source": "finding", "source_id": source_id, "investigators": [zfry, zfry2]});
        let (s, e) = app.post(&admin, "/api/v1/enforcement/cases", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["details"][0]["field"], "source_id");
        assert!(e["message"].as_str().unwrap().contains(message), "{e}");
    }
    assert_eq!(app.count("enforcement_cases").await, before);
}
both!(cases_by_scope);

async fn demo_cases_in_every_state(app: &TestApp) {
    let now = app.clock.now_ms();
    yingji_demo::seed::generate_enforcement_cases(&app.store, now)
        .await
        .expect("demo cases");
    let yjj = app.login("yjj").await;
    let (_, v) = app
        .get(&yjj, "/api/v1/enforcement/cases?page_size=50")
        .await;
    let mut states: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    states.sort();
    states.dedup();
    assert_eq!(states.len(), 7, "{v}");
    let (_, mine) = app
        .get(&app.login("fzsh").await, "/api/v1/enforcement/cases")
        .await;
    assert!(mine["total"].as_i64().unwrap() >= 1, "{mine}");
}
both!(demo_cases_in_every_state);

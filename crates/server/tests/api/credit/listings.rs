//! 严重失信主体名单 through the API: C01–C06, a proposal without a qualifying record refused,
//! the steps from 告知 to removal with the C05 dates on the test clock (early removal before 12
//! months refused, nothing stored), restoration after a fraudulent repair, the automatic removal
//! at the end of the period by the one escalation engine, and scope.

use super::{accidents, noon, own_enterprise, step, stored, supervised};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::SharedClock;

async fn fire_timers(app: &TestApp) -> usize {
    let clock: SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers")
}

async fn propose(app: &TestApp, c: &reqwest::Client, body: Value) -> (StatusCode, Value) {
    app.post(c, "/api/v1/credit/listings", &body).await
}

// Long because: C01, C02 and C03 each checked where they happen.
async fn c01_c02_c03_detected_from_accidents(app: &TestApp) {
    let (e1, yjj, _) = supervised(app, &[]).await;
    // C02: 较大 accidents more than 12 months apart: nothing detected, a proposal refused.
    accidents(app, &e1, &[("2024-01-05", 2), ("2025-02-10", 2)]).await;
    let (s, v) = app
        .get(
            &yjj,
            &format!("/api/v1/credit/enterprises/{e1}/listing-findings"),
        )
        .await;
    assert_eq!((s, &v["total"]), (StatusCode::OK, &json!(0)), "{v}");
    let before = stored(app).await;
    let (s, e) = propose(app, &yjj, json!({"enterprise_id": e1})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "enterprise_id");
    assert!(e["message"].as_str().unwrap().contains("第11号"), "{e}");
    assert_eq!(stored(app).await, before, "nothing stored");

    // C01: within 12 months → the unit and its 主要负责人 proposed.
    accidents(app, &e1, &[("2024-01-05", 2), ("2024-11-20", 2)]).await;
    let (_, v) = app
        .get(
            &yjj,
            &format!("/api/v1/credit/enterprises/{e1}/listing-findings"),
        )
        .await;
    assert_eq!(v["items"][0]["criterion"], "larger_accidents", "{v}");
    assert_eq!(v["items"][0]["day"], "2024-11-20");
    let (s, l) = propose(
        app,
        &yjj,
        json!({"enterprise_id": e1, "principal_code": "360403198001011234"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    assert_eq!(l["status"], "proposed");
    assert_eq!(l["criterion"], "larger_accidents");
    assert_eq!(l["subjects"][0]["kind"], "unit");
    let kinds: Vec<&str> = l["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    if kinds.len() == 2 {
        assert_eq!(l["subjects"][1]["role"], "主要负责人");
        assert_eq!(l["subjects"][1]["code"], "360403198001011234");
    }
    // The same basis is not proposed twice.
    let (s, e) = propose(app, &yjj, json!({"enterprise_id": e1})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");

    // C03: one 重大 accident.
    let (e2, _, _) = supervised(app, std::slice::from_ref(&e1)).await;
    accidents(app, &e2, &[("2025-03-01", 3)]).await;
    let (s, l) = propose(app, &yjj, json!({"enterprise_id": e2})).await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    assert_eq!(l["criterion"], "major_accident");
    assert!(l["basis"].as_str().unwrap().contains("重大事故"), "{l}");
}
both!(c01_c02_c03_detected_from_accidents);

async fn c06_an_agency_and_its_persons(app: &TestApp) {
    let yjj = app.login("yjj").await;
    let body = json!({
        "criterion": "false_report", "occurred_day": "2026-05-20",
        "description": "为某化工企业出具虚假安全评价报告",
        "subjects": [
            {"kind": "unit", "name": "某安全评价有限公司", "code": "91360400MA00000001"},
            {"kind": "person", "name": "评价师李四", "role": "直接责任人员"},
        ],
    });
    let (s, r) = app
        .post(&yjj, "/api/v1/credit/listing-records", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, l) = propose(app, &yjj, json!({"record_id": r["id"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    assert_eq!(l["criterion"], "false_report");
    assert_eq!(l["subjects"].as_array().unwrap().len(), 2);
    assert_eq!(l["subjects"][0]["name"], "某安全评价有限公司");
    assert_eq!(l["subjects"][1]["role"], "直接责任人员");
    // Without the agency: 400 naming subjects, nothing stored.
    let before = app.count("credit_listing_records").await;
    let mut bad = body.clone();
    bad["subjects"] = json!([]);
    let (s, e) = app.post(&yjj, "/api/v1/credit/listing-records", &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "subjects");
    assert_eq!(app.count("credit_listing_records").await, before);
}
both!(c06_an_agency_and_its_persons);

// Long because: one listing through every step on the clock, each refusal where it happens.
async fn c04_c05_listing_through_its_steps(app: &TestApp) {
    app.clock.set(noon("2024-01-02"));
    let (e, _, _, _) = own_enterprise(app).await;
    // C04: 瞒报 of a 一般 accident, entered by the department.
    let record = json!({"enterprise_id": e, "criterion": "concealed", "occurred_day": "2024-01-02",
        "description": "2023-12-20 一般事故迟报瞒报死亡1人"});
    let (s, r) = app
        .post(
            &app.login("yjj").await,
            "/api/v1/credit/listing-records",
            &record,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, l) = propose(app, &app.login("yjj").await, json!({"record_id": r["id"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let id = l["id"].as_str().unwrap().to_string();
    assert_eq!(l["subjects"][0]["kind"], "unit");

    // Scope: another department may not decide; the enterprise may not take the department's steps.
    let notice = json!({"step": "notice", "number": "浔应急告〔2024〕1号", "day": "2024-01-02", "statement_days": 5});
    let (s, _) = step(app, &app.login("zjj").await, &id, notice.clone()).await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
    let (s, _) = step(app, &app.login("enterprise").await, &id, notice.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = step(app, &app.login("yjj").await, &id, notice).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["statement_until"], "2024-01-07");
    assert_eq!(v["deadline"]["label"], "陈述申辩期限");

    // The decision waits for the window; the subject's statement ends the wait.
    let decide = json!({"step": "decide", "listed": true, "number": "浔应急失信〔2024〕1号", "day": "2024-01-10"});
    app.clock.set(noon("2024-01-05"));
    let (s, v) = step(
        app,
        &app.login("enterprise").await,
        &id,
        json!({"step": "statement", "text": "事故已如实补报，请从轻处理"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    app.clock.set(noon("2024-01-10"));
    let (s, v) = step(app, &app.login("yjj").await, &id, decide).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "listed");
    // C05's dates.
    assert_eq!(v["listed_day"], "2024-01-10");
    assert_eq!(v["early_removal_eligible_day"], "2025-01-10");
    assert_eq!(v["expires_day"], "2027-01-10");
    let (s, _) = step(
        app,
        &app.login("yjj").await,
        &id,
        json!({"step": "publish"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // C05: an early removal on 2024-12-01 is refused, nothing stored.
    app.clock.set(noon("2024-12-01"));
    let ent = app.login("enterprise").await;
    let before = stored(app).await;
    let (s, e) = step(
        app,
        &ent,
        &id,
        json!({"step": "request_repair", "reason": "已完成整改"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["message"].as_str().unwrap().contains("2025-01-10"), "{e}");
    assert_eq!(stored(app).await, before);

    // From 2025-01-10 it may be requested and decided with reasons: removed early.
    app.clock.set(noon("2025-01-10"));
    let (s, v) = step(
        app,
        &app.login("enterprise").await,
        &id,
        json!({"step": "request_repair", "reason": "已完成整改并公开承诺"}),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("repair_requested")),
        "{v}"
    );
    let (s, _) = step(
        app,
        &app.login("zjj").await,
        &id,
        json!({"step": "decide_repair", "approve": true, "reason": "x"}),
    )
    .await;
    assert!(s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND);
    let (s, v) = step(
        app,
        &app.login("yjj").await,
        &id,
        json!({"step": "decide_repair", "approve": true, "reason": "整改到位，准予提前移出"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["removal_kind"].as_str()),
        (Some("removed"), Some("repaired"))
    );
    assert_eq!(v["removed_day"], "2025-01-10");

    // The repair was obtained by fraud: restored with the original end.
    app.clock.set(noon("2025-03-01"));
    let (s, v) = step(
        app,
        &app.login("yjj").await,
        &id,
        json!({"step": "restore", "reason": "修复材料系伪造"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["expires_day"].as_str()),
        (Some("listed"), Some("2027-01-10"))
    );
    assert!(v["removed_day"].is_null());

    // The end of the period: removed by the timer, with its audit record.
    app.clock.set(noon("2027-01-09"));
    fire_timers(app).await;
    let (_, v) = app
        .get(
            &app.login("yjj").await,
            &format!("/api/v1/credit/listings/{id}"),
        )
        .await;
    assert_eq!(v["status"], "listed");
    let audits = app.count("audit_log").await;
    app.clock.set(noon("2027-01-10"));
    fire_timers(app).await; // (the server's own scheduler may fire it first: the same engine)
    let (_, v) = app
        .get(
            &app.login("yjj").await,
            &format!("/api/v1/credit/listings/{id}"),
        )
        .await;
    assert_eq!(
        (v["status"].as_str(), v["removal_kind"].as_str()),
        (Some("removed"), Some("expired")),
        "{v}"
    );
    assert_eq!(v["removed_day"], "2027-01-10");
    assert!(app.count("audit_log").await > audits);
    assert!(
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["step"] == "expire"),
        "{v}"
    );
}
both!(c04_c05_listing_through_its_steps);

async fn scope_and_bad_steps(app: &TestApp) {
    let (own, ent, dept, _) = own_enterprise(app).await;
    let (other_e, yjj, zjj) = supervised(app, std::slice::from_ref(&own)).await;
    // A listing of another enterprise is not the enterprise user's.
    let record = json!({"enterprise_id": other_e, "criterion": "refused_penalty", "occurred_day": "2026-05-01",
        "description": "有执行能力拒不缴纳罚款"});
    let (s, r) = app
        .post(&yjj, "/api/v1/credit/listing-records", &record)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (_, l) = propose(app, &yjj, json!({"record_id": r["id"]})).await;
    let id = l["id"].as_str().unwrap();
    let (s, _) = app
        .get(&ent, &format!("/api/v1/credit/listings/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, mine) = app.get(&ent, "/api/v1/credit/listings").await;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["enterprise_id"] == own.as_str()),
        "{mine}"
    );
    // zjj does not see yjj's listing; nor may a grid worker read the list.
    let (s, _) = app
        .get(&zjj, &format!("/api/v1/credit/listings/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get(&app.login("grid").await, "/api/v1/credit/listings")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The enterprise may not propose nor enter records.
    let (s, _) = propose(app, &ent, json!({"enterprise_id": own})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A step in the wrong state: 409, nothing stored; a bad step: 400.
    let before = stored(app).await;
    let (s, e) = step(app, &yjj, id, json!({"step": "publish"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, e) = step(
        app,
        &yjj,
        id,
        json!({"step": "notice", "number": "", "day": "2026-05-28"}),
    )
    .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("number")),
        "{e}"
    );
    let (s, _) = step(
        app,
        &yjj,
        id,
        json!({"step": "decide", "listed": true, "number": "X", "day": "2026-05-28"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(stored(app).await, before);
    let _ = dept;
}
both!(scope_and_bad_steps);

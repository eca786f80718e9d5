//! 履职报告: bad input (unknown or future period, missing text, the second of a period, a return
//! without its reason) stores nothing; only the enterprise submits its own, only its supervising
//! department reviews; a returned report is resubmitted; and on the test clock a missing report
//! is flagged the day after the due day (department staff and the enterprise told) and escalated
//! to the bureau's leaders a week later.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{SharedClock, parse_instant};
use yingji_store::Sql;

/// The demo enterprise user's enterprise (supervised by yjj), made a reporting one by the
/// district's rules: (its id, the enterprise user's client, yjj's, zjj's).
pub(super) async fn reporting_enterprise(app: &TestApp) -> (String, Client, Client, Client) {
    let (id, ent, yjj, zjj) = super::own_enterprise(app).await;
    let (_, e) = app.get(&ent, &format!("/api/v1/enterprises/{id}")).await;
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["credit_commitments"]["categories"] = e["categories"].clone();
    let body = json!({"region": "360403", "rules": rules, "note": "履职报告范围"});
    let (s, v) = app.put(&admin, "/api/v1/rules", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (id, ent, yjj, zjj)
}

fn report(period: &str) -> Value {
    json!({"period": period, "text": "本期落实安全生产主体责任情况：组织检查 3 次，整改隐患 5 项。"})
}

async fn post(app: &TestApp, c: &Client, b: &Value) -> (StatusCode, Value) {
    app.post(c, "/api/v1/credit/duty-reports", b).await
}

async fn review(app: &TestApp, c: &Client, id: &str, b: Value) -> (StatusCode, Value) {
    app.post(c, &format!("/api/v1/credit/duty-reports/{id}/review"), &b)
        .await
}

fn fields(v: &Value) -> Vec<String> {
    v["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| x["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn audits(app: &TestApp, action: &str) -> i64 {
    let mut q = Sql::new("SELECT COUNT(*) FROM audit_log WHERE action = ");
    q.bind(action);
    app.store.fetch_i64(q).await.unwrap()
}

async fn notes(app: &TestApp, username: &str, title_like: &str) -> i64 {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = ",
    );
    q.bind(username).push_bind(" AND n.title LIKE ", title_like);
    app.store.fetch_i64(q).await.expect("count")
}

// Long because: each refusal checked with what it leaves stored, then the review's round trip.
async fn bad_input_scope_and_review(app: &TestApp) {
    let (id, ent, yjj, zjj) = reporting_enterprise(app).await;
    let (s, v) = post(app, &ent, &json!({"period": "2026Q9", "text": " "})).await;
    assert_eq!(
        (s, fields(&v)),
        (
            StatusCode::BAD_REQUEST,
            vec!["period".into(), "text".into()]
        ),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("报告期"), "{v}");
    for bad in ["2026", "2026Q4", "2026Q03", "季度"] {
        let (s, v) = post(app, &ent, &report(bad)).await;
        assert_eq!(
            (s, fields(&v)),
            (StatusCode::BAD_REQUEST, vec!["period".into()]),
            "{bad}: {v}"
        );
    }
    let mut b = report("2026Q1");
    b["attachment_ids"] = json!(["no-such-upload"]);
    let (s, v) = post(app, &ent, &b).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["attachment_ids".into()]),
        "{v}"
    );
    let mut b = report("2026Q1");
    b["enterprise_id"] = json!("someone-else");
    let (s, _) = post(app, &ent, &b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let mut b = report("2026Q1");
    b["enterprise_id"] = json!(id);
    let (s, _) = post(app, &yjj, &b).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(app.count("credit_duty_reports").await, 0);
    assert_eq!(audits(app, "credit.duty_report_submit").await, 0);
    // Once a period; late after the due day (2026-04-15).
    let (s, r) = post(app, &ent, &report("2026q1")).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(
        (r["period"].as_str(), r["due_day"].as_str()),
        (Some("2026Q1"), Some("2026-04-15"))
    );
    assert_eq!(
        (r["status"].as_str(), r["late"].as_bool()),
        (Some("submitted"), Some(true))
    );
    let (s, v) = post(app, &ent, &report("2026Q1")).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::CONFLICT, vec!["period".into()]),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("已提交"), "{v}");
    assert_eq!(app.count("credit_duty_reports").await, 1);
    let rid = r["id"].as_str().unwrap();
    // Scope: the other department neither sees nor reviews it; the enterprise does not review.
    let (s, _) = app
        .get(&zjj, &format!("/api/v1/credit/duty-reports/{rid}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = review(app, &zjj, rid, json!({"decision": "accept"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = review(app, &ent, rid, json!({"decision": "accept"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, l) = app.get(&zjj, "/api/v1/credit/duty-reports").await;
    assert_eq!(l["total"], 0, "{l}");
    let (_, l) = app
        .get(
            &yjj,
            "/api/v1/credit/duty-reports?status=submitted&period=2026Q1",
        )
        .await;
    assert_eq!(l["total"], 1, "{l}");
    // A return needs its reason; an unknown decision is refused.
    let (s, v) = review(app, &yjj, rid, json!({"decision": "return", "reason": " "})).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["reason".into()]),
        "{v}"
    );
    let (s, v) = review(app, &yjj, rid, json!({"decision": "maybe"})).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["decision".into()]),
        "{v}"
    );
    assert_eq!(audits(app, "credit.duty_report_review").await, 0);
    let (s, v) = review(
        app,
        &yjj,
        rid,
        json!({"decision": "return", "reason": "未写明隐患整改情况"}),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("returned")),
        "{v}"
    );
    assert_eq!(v["return_reason"], "未写明隐患整改情况");
    let (s, v) = review(app, &yjj, rid, json!({"decision": "accept"})).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::CONFLICT, vec!["decision".into()]),
        "{v}"
    );
    // The returned one is resubmitted in place, then accepted.
    let (s, v) = post(app, &ent, &report("2026Q1")).await;
    assert_eq!(
        (s, v["id"].as_str(), v["status"].as_str()),
        (StatusCode::CREATED, Some(rid), Some("submitted")),
        "{v}"
    );
    assert!(v["return_reason"].is_null(), "{v}");
    let (s, v) = review(app, &yjj, rid, json!({"decision": "accept"})).await;
    assert_eq!(
        (s, v["status_label"].as_str()),
        (StatusCode::OK, Some("已通过")),
        "{v}"
    );
    assert_eq!(app.count("credit_duty_reports").await, 1);
    assert_eq!(audits(app, "credit.duty_report_submit").await, 2);
    assert_eq!(audits(app, "credit.duty_report_review").await, 2);
    let (_, l) = app.get(&ent, "/api/v1/credit/duty-reports").await;
    assert_eq!(l["total"], 1);
    let (s, _) = app.get(&ent, "/api/v1/credit/duty-reports?bogus=1").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both!(bad_input_scope_and_review);

// Long because: two steps on the test clock, each checked where it happens.
async fn overdue_report_escalates(app: &TestApp) {
    let (id, ent, _, _) = reporting_enterprise(app).await;
    let (s, v) = post(app, &ent, &report("2026Q1")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let clock: SharedClock = app.clock.clone();
    let run = || yingji_jobs::run_due(&app.store, &clock);
    // 2026Q2 is due 2026-07-15: nothing happens on the due day itself.
    app.clock
        .set(parse_instant("2026-07-15T23:59:00+08:00").unwrap());
    run().await.expect("run");
    assert_eq!(app.count("credit_duty_report_misses").await, 0);
    // The day after: flagged, the enterprise and the department staff told, audited.
    app.clock
        .set(parse_instant("2026-07-16T00:01:00+08:00").unwrap());
    run().await.expect("run");
    run().await.expect("run again");
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM credit_duty_report_misses WHERE period = '2026Q2' AND escalated_ms IS NULL AND enterprise_id = ",
    );
    q.bind(id.as_str());
    assert_eq!(app.store.fetch_i64(q).await.unwrap(), 1);
    assert_eq!(notes(app, "enterprise", "2026Q2 履职报告未提交").await, 1);
    assert_eq!(
        notes(app, "yjj", "2026Q2 有 % 家企业逾期未提交履职报告").await,
        1
    );
    assert_eq!(audits(app, "credit.duty_report_missed").await, 1);
    // Sessions expired over the months the clock moved: log in again.
    let yjj = app.login("yjj").await;
    let (_, o) = app
        .get(
            &yjj,
            &format!("/api/v1/credit/duty-reports/overdue?period=2026Q2&enterprise_id={id}"),
        )
        .await;
    assert!(
        o["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["enterprise_id"] == id.as_str()),
        "{o}"
    );
    let (_, o) = app
        .get(
            &app.login("zjj").await,
            &format!("/api/v1/credit/duty-reports/overdue?enterprise_id={id}"),
        )
        .await;
    assert!(
        !o["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["enterprise_id"] == id.as_str()),
        "{o}"
    );
    // A week later: still missing → the bureau's leaders (commander) are told, marked escalated.
    app.clock
        .set(parse_instant("2026-07-23T00:01:00+08:00").unwrap());
    run().await.expect("run");
    assert_eq!(notes(app, "commander", "督办：2026Q2%").await, 1);
    assert_eq!(audits(app, "credit.duty_report_escalated").await, 1);
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM credit_duty_report_misses WHERE period = '2026Q2' AND escalated_ms IS NOT NULL AND enterprise_id = ",
    );
    q.bind(id.as_str());
    assert_eq!(app.store.fetch_i64(q).await.unwrap(), 1);
    // The next period's sweep is scheduled; a late report is recorded as late and clears the flag.
    let q = Sql::new(
        "SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND kind = 'credit.duty_report_sweep' AND payload LIKE '%2026Q3%'",
    );
    assert_eq!(app.store.fetch_i64(q).await.unwrap(), 1);
    let ent = app.login("enterprise").await;
    let (s, r) = post(app, &ent, &report("2026Q2")).await;
    assert_eq!(
        (s, r["late"].as_bool()),
        (StatusCode::CREATED, Some(true)),
        "{r}"
    );
    let yjj = app.login("yjj").await;
    let (_, o) = app
        .get(
            &yjj,
            &format!("/api/v1/credit/duty-reports/overdue?period=2026Q2&enterprise_id={id}"),
        )
        .await;
    assert!(
        !o["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["enterprise_id"] == id.as_str()),
        "{o}"
    );
}
both!(overdue_report_escalates);

/// The 待办: the enterprise's report of the period just ended while it is missing, and again once
/// returned; the supervising department's submitted reports (not another department's).
async fn duty_report_todos(app: &TestApp) {
    use super::commitments::todo_of;
    let (_, ent, yjj, zjj) = reporting_enterprise(app).await;
    let (_, w) = app.get(&ent, "/api/v1/workbench").await;
    let own = todo_of(&w, "submit_duty_reports");
    assert_eq!(own["total"], 1, "{w}");
    assert_eq!(own["label"], "履职报告待提交", "{own}");
    let period = own["items"][0]["id"].as_str().unwrap().to_string();
    assert!(own["items"][0]["due_date"].is_string(), "{own}");
    let (s, r) = post(app, &ent, &report(&period)).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (_, w) = app.get(&ent, "/api/v1/workbench").await;
    assert_eq!(todo_of(&w, "submit_duty_reports")["total"], 0, "{w}");
    let (_, w) = app.get(&yjj, "/api/v1/workbench").await;
    let review_todo = todo_of(&w, "review_duty_reports");
    assert_eq!(review_todo["total"], 1, "{w}");
    assert_eq!(review_todo["items"][0]["status_label"], "待审核");
    let (_, w) = app.get(&zjj, "/api/v1/workbench").await;
    assert_eq!(todo_of(&w, "review_duty_reports")["total"], 0, "{w}");
    let rid = r["id"].as_str().unwrap();
    let (s, _) = review(
        app,
        &yjj,
        rid,
        json!({"decision": "return", "reason": "请补充隐患整改情况"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, w) = app.get(&ent, "/api/v1/workbench").await;
    let own = todo_of(&w, "submit_duty_reports");
    assert_eq!(own["total"], 1, "{w}");
    assert_eq!(own["items"][0]["status_label"], "已退回，待重新提交");
    assert_eq!(own["items"][0]["place"], "请补充隐患整改情况");
}
both!(duty_report_todos);

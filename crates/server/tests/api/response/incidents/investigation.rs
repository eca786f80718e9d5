//! Investigations: follow-ups (one transaction with the hazard they register) and statistics.

use super::{accident, own_enterprise};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

async fn investigation_followups_and_statistics(app: &TestApp) {
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let eid = own_enterprise(app).await;
    let (s, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 1))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["severity"], "general");
    let id = d["id"].as_str().expect("id").to_string();
    investigation_is_reported_and_approved(app, &duty, &commander, &d).await;
    followups_enter_the_closed_loop(app, &duty, &commander, &id).await;
    statistics_compare_with_last_year(app, &duty, &eid).await;
}
both!(investigation_followups_and_statistics);

/// The investigation of incident `d`: started, its report's six sections, submitted, approved.
async fn investigation_is_reported_and_approved(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    d: &Value,
) {
    let id = d["id"].as_str().expect("id");
    let path = format!("/api/v1/incidents/{id}/investigation");
    let (s, v) = app.get(duty, &path).await;
    assert_eq!((s, v), (StatusCode::OK, Value::Null));

    let (s, v) = app.post(duty, &path, &json!({"action": "submit"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = app.post(duty, &path, &json!({"action": "start"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "team_leader");
    let (s, v) = app
        .post(duty, &path, &json!({"action": "start", "team_leader": "王副区长", "members": "区应急管理局、区公安分局、区总工会", "report_extension_days": 61}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "report_extension_days");
    let (s, inv) = app
        .post(duty, &path, &json!({"action": "start", "team_leader": "王副区长", "members": "区应急管理局、区公安分局、区总工会"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{inv}");
    // 一般事故: the county (this district) investigates; the report is due 60 days after the day of
    // the accident (counted from the next day, like the 补报 window).
    assert_eq!(inv["lead_body"], "事故发生地县级人民政府");
    assert_eq!(inv["led_here"], true);
    assert_eq!(inv["status"], "investigating");
    let occurred = d["occurred_ms"].as_i64().expect("occurred");
    let day = |ms: i64| yingji_core::kernel::clock::today(ms);
    let due = inv["report_due_ms"].as_i64().expect("due");
    assert_eq!(
        day(due - 1),
        day(occurred)
            .checked_add(jiff::Span::new().days(60))
            .expect("date")
    );

    // Submitting needs all six sections of 第三十条; the refusal names the missing ones.
    let (s, v) = app
        .post(
            duty,
            &path,
            &json!({"action": "submit", "sections": {"unit_overview": "某化工有限公司"}}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"].as_array().map(Vec::len), Some(5), "{v}");
    let sections = json!({
        "unit_overview": "某化工有限公司，民营，危险化学品经营",
        "course_and_rescue": "装卸作业时软管脱落起火，消防到场扑救",
        "casualties_and_loss": "死亡1人，重伤1人，直接经济损失300万元",
        "cause_and_nature": "违章作业，属生产安全责任事故",
        "responsibility": "建议对企业主要负责人依法处罚",
        "prevention": "开展危化品装卸专项整治"
    });
    let (s, v) = app
        .post(
            duty,
            &path,
            &json!({"action": "save", "sections": sections}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "investigating");
    let (s, v) = app.post(duty, &path, &json!({"action": "submit"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "submitted");
    let reply_due = v["reply_due_ms"].as_i64().expect("reply due");
    assert_eq!(
        day(reply_due - 1),
        day(app.clock.now_ms())
            .checked_add(jiff::Span::new().days(15))
            .expect("date")
    );
    let (s, _) = app.post(duty, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the reply is the leadership's");
    let (s, v) = app
        .post(
            commander,
            &path,
            &json!({"action": "approve", "note": "同意调查报告，按建议处理"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "approved");
    assert_eq!(v["overdue"], false);
}

async fn followups_enter_the_closed_loop(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    id: &str,
) {
    // Follow-ups: one registered as a hidden hazard goes into the closed loop.
    let fpath = format!("/api/v1/incidents/{id}/followups");
    let (s, v) = app
        .post(commander, &fpath, &json!({"action": "对装卸区软管全部更换并建立检查制度", "responsible": "某化工有限公司", "as_hazard": true}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "due_date");
    let (s, v) = app
        .post(commander, &fpath, &json!({"action": "对装卸区软管全部更换并建立检查制度", "responsible": "某化工有限公司", "due_date": "2026-07-31", "as_hazard": true, "hazard_category": "equipment"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let f = &v["followups"][0];
    assert_eq!(f["status"], "open");
    let hazard_id = f["hazard_id"].as_str().expect("hazard").to_string();
    let (_, h) = app
        .get(commander, &format!("/api/v1/hazards/{hazard_id}"))
        .await;
    assert_eq!(h["source"], "accident_investigation", "{h}");
    assert_eq!(h["source_label"], "事故调查");
    let (s, v) = app
        .post(
            commander,
            &fpath,
            &json!({"action": "全区开展危化品装卸专项检查", "responsible": "区应急管理局"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let plain = v["followups"][1]["id"].as_str().expect("id").to_string();
    let (s, v) = app
        .post(commander, &format!("{fpath}/{plain}/done"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["followups"][1]["status"], "done");
    let fid = v["followups"][0]["id"].as_str().expect("id").to_string();
    let (s, _) = app
        .post(commander, &format!("{fpath}/{fid}/done"), &json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a hazard's follow-up ends with the hazard"
    );
    let (_, d) = app.get(duty, &format!("/api/v1/incidents/{id}")).await;
    let kinds = d["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|t| t["kind"] == "investigation")
        .count();
    assert_eq!(kinds, 7, "{}", d["timeline"]);
}

/// This year (2026 on the test clock) against 2025, by month, grade and category.
async fn statistics_compare_with_last_year(app: &TestApp, duty: &reqwest::Client, eid: &str) {
    // Statistics: this year (2026 on the test clock) against 2025, by month, grade and category.
    let mut last_year = accident(app, eid, 3);
    last_year["occurred_at"] = json!("2025-05-10T09:00:00+08:00");
    last_year["unit_learned_at"] = json!("2025-05-10T09:10:00+08:00");
    last_year["received_at"] = json!("2025-05-10T09:30:00+08:00");
    let (s, v) = app.post(duty, "/api/v1/incidents", &last_year).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, st) = app.get(duty, "/api/v1/incidents/stats?year=2026").await;
    assert_eq!(s, StatusCode::OK, "{st}");
    assert_eq!(st["baseline_year"], 2025);
    assert_eq!(st["months_counted"], 5);
    assert_eq!(st["months"][4]["year"]["incidents"], 1);
    assert_eq!(st["months"][4]["year"]["deaths"], 1);
    assert_eq!(st["months"][4]["baseline"]["incidents"], 1);
    assert_eq!(st["months"][4]["baseline"]["deaths"], 3);
    assert_eq!(st["baseline_same_period"]["larger_or_above"], 1);
    assert_eq!(st["total"]["larger_or_above"], 0);
    let larger = st["by_severity"]
        .as_array()
        .expect("grades")
        .iter()
        .find(|g| g["code"] == "larger")
        .expect("larger")
        .clone();
    assert_eq!(
        (
            larger["year"]["incidents"].as_i64(),
            larger["baseline"]["incidents"].as_i64()
        ),
        (Some(0), Some(1))
    );
    let accidents = st["by_category"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|g| g["code"] == "accident")
        .expect("accident")
        .clone();
    assert_eq!(accidents["year"]["incidents"], 1);
    for (q, field) in [
        ("year=20x6", "year"),
        ("year=2026&baseline_year=2026", "baseline_year"),
        ("category=war", "category"),
    ] {
        let (s, v) = app.get(duty, &format!("/api/v1/incidents/stats?{q}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["details"][0]["field"], field, "{q}: {v}");
    }
    // An enterprise counts only its own.
    let ent = app.login("enterprise").await;
    let (_, st) = app.get(&ent, "/api/v1/incidents/stats?year=2026").await;
    assert_eq!(st["total"]["incidents"], 1);
}

/// A follow-up registered as a hazard is one transaction: when the follow-up cannot be written,
/// no hazard is left behind without it (a failure is injected with a trigger).
async fn a_followup_and_its_hazard_commit_together(app: &TestApp) {
    let duty = app.login("duty").await;
    let eid = own_enterprise(app).await;
    let (_, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 1))
        .await;
    let id = d["id"].as_str().expect("id").to_string();
    let (s, v) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/investigation"),
            &json!({"action": "start", "team_leader": "王副区长", "members": "区应急管理局"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The commander registers follow-ups (the duty room does not report hazards).
    let commander = app.login("commander").await;
    let sqlite = app.store.backend == yingji_store::Backend::Sqlite;
    let inject: &[&str] = if sqlite {
        &[
            "CREATE TRIGGER fail_followups BEFORE INSERT ON incident_followups BEGIN SELECT RAISE(ABORT, 'injected'); END",
        ]
    } else {
        &[
            "CREATE FUNCTION fail_followups() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_followups BEFORE INSERT ON incident_followups FOR EACH ROW EXECUTE FUNCTION fail_followups()",
        ]
    };
    for sql in inject {
        app.store
            .execute(yingji_store::Sql::new(sql))
            .await
            .expect("trigger");
    }
    let before = (app.count("hazards").await, app.count("audit_log").await);
    let body = json!({"action": "更换软管", "responsible": "某化工有限公司", "due_date": "2026-07-31", "as_hazard": true});
    let r = commander
        .post(app.url(&format!("/api/v1/incidents/{id}/followups")))
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        (app.count("hazards").await, app.count("audit_log").await),
        before,
        "no hazard without its follow-up"
    );
    app.store
        .execute(yingji_store::Sql::new(if sqlite {
            "DROP TRIGGER fail_followups"
        } else {
            "DROP TRIGGER fail_followups ON incident_followups"
        }))
        .await
        .expect("drop");
    let (s, v) = app
        .post(
            &commander,
            &format!("/api/v1/incidents/{id}/followups"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(app.count("hazards").await, before.0 + 1);
}
both!(a_followup_and_its_hazard_commit_together);

//! 突发事件接报与应急响应: grading and deadlines by the regulations, 续报/补报 with regrading,
//! 上报, plans with triggers and tasks, refusals that name their field, scoping.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

fn accident(app: &TestApp, enterprise_id: &str, deaths: i64) -> Value {
    let now = app.clock.now_ms();
    json!({
        "title": "储罐区泄漏着火",
        "category": "accident",
        "subtype": "hazchem",
        "occurred_at": to_rfc3339(now - 40 * MIN),
        "unit_learned_at": to_rfc3339(now - 30 * MIN),
        "enterprise_id": enterprise_id,
        "lon": 115.99, "lat": 29.71,
        "casualties": {"deaths": deaths, "serious_injuries": 1, "evacuated": 120, "loss_yuan": 3_000_000},
        "unit_overview": "危险化学品经营企业，民营",
        "location": "储罐区",
        "scene": "罐体破裂起火，明火已扑灭",
        "account": "装卸作业时软管脱落，泄漏物遇火源起火",
        "measures": "启动企业预案，消防到场处置，疏散周边人员",
        "other": "无"
    })
}

async fn own_enterprise(app: &TestApp) -> String {
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    me["scope"]["enterprise_id"]
        .as_str()
        .or_else(|| me["enterprise_id"].as_str())
        .expect("enterprise user has an enterprise")
        .to_string()
}

async fn intake_grading_and_deadlines(app: &TestApp) {
    let duty = app.login("duty").await;
    let eid = own_enterprise(app).await;
    let (s, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 3))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    // A01: 3 deaths → 较大; 120 evacuated is not 较大涉险.
    assert_eq!(d["severity"], "larger");
    assert_eq!(d["severity_label"], "较大");
    assert_eq!(d["graded_by_rule"], true);
    assert_eq!(d["larger_risk"], false);
    assert!(d["code"].as_str().expect("code").starts_with("SJ360403"));
    // R02: the chain ends at the province; the unit's own 1 h hop to the province is direct.
    let hops = d["hops"].as_array().expect("hops");
    let tos: Vec<&str> = hops
        .iter()
        .map(|h| h["to"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(tos, ["county", "city", "province", "province"]);
    let now = app.clock.now_ms();
    assert_eq!(
        hops[1]["due_ms"],
        now + 2 * HOUR,
        "city within 2 h of our receipt"
    );
    assert_eq!(
        hops[2]["due_ms"],
        Value::Null,
        "province counts from the city's receipt"
    );
    assert_eq!(hops[3]["direct"], true);
    assert_eq!(d["followups_per_day"], 1);
    assert_eq!(d["must_report_state_council"], false);
    assert_eq!(
        d["next_deadline_ms"],
        now + 30 * MIN,
        "unit → province falls due first"
    );
    assert_eq!(d["timeline"][0]["kind"], "report");
    assert!(
        d["timeline"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("按493号令定为较大事故")
    );
    let id = d["id"].as_str().expect("id").to_string();

    // 上报 to the city, once.
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/escalations"),
            &json!({"level": "city", "note": "电话报市应急局值班室"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["hops"][1]["received_ms"], now);
    assert_eq!(d["hops"][2]["due_ms"], now + 2 * HOUR);
    let (s, b) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/escalations"),
            &json!({"level": "city"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");

    // 补报 inside the window: one more death of the injured → still 较大; ten deaths → 重大.
    app.clock.advance(3 * DAY);
    let duty = app.login("duty").await;
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "supplementary", "casualties": {"deaths": 10, "evacuated": 120, "loss_yuan": 3_000_000},
                    "text": "搜救发现遇难者"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["severity_label"], "重大");
    assert_eq!(d["followups_per_day"], 2);
    assert_eq!(d["must_report_state_council"], true);
    assert_eq!(d["reports"][1]["within_window"], true);
    assert_eq!(d["reports"][1]["severity_before"], "较大");
    assert!(
        d["hops"]
            .as_array()
            .expect("hops")
            .iter()
            .any(|h| h["to"] == "national")
    );
    // R06: after 30 days the counts are recorded but the grade stays.
    app.clock.advance(40 * DAY);
    let duty = app.login("duty").await;
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "supplementary", "casualties": {"deaths": 31}, "text": "伤者医治无效"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["severity_label"], "重大");
    assert_eq!(d["casualties"]["deaths"], 31);
    assert_eq!(d["reports"][2]["within_window"], false);
    // 重大: 续报 twice a day, so 13 hours after the last report it is overdue.
    app.clock.advance(13 * HOUR);
    let duty = app.login("duty").await;
    let (_, list) = app.get(&duty, "/api/v1/incidents?status=open").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["overdue"], true, "{}", list["items"][0]);
    assert_eq!(
        list["items"][0]["next_deadline_label"],
        // The unit's 21号令 direct report is the unit's deadline, not the bureau's 省级 hop.
        "事故单位直报省级应急管理部门"
    );

    // Closing with hops still unreported asks why, naming them; nothing changes until then.
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/close"),
            &json!({"note": "现场处置完毕，转入事故调查"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{d}");
    assert_eq!(d["details"][0]["field"], "unreported_reason");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("省级应急管理部门"),
        "{d}"
    );
    // Closing takes it off the countdowns; closed incidents take no 续报.
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/close"),
            &json!({"note": "现场处置完毕，转入事故调查", "unreported_reason": "市局已直接报送省厅"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert!(
        d["timeline"]
            .to_string()
            .contains("原因：市局已直接报送省厅"),
        "{}",
        d["timeline"]
    );
    assert_eq!(d["status_label"], "已结束");
    assert_eq!(d["next_deadline_ms"], Value::Null);
    let (s, _) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "followup", "casualties": {}, "text": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Every step is audited.
    let admin = app.login("admin").await;
    let (_, a) = app
        .get(&admin, "/api/v1/audit?entity_type=incident&page_size=50")
        .await;
    assert!(a["total"].as_i64().unwrap_or(0) >= 5, "{a}");
}
both!(intake_grading_and_deadlines);

async fn refusals_name_their_field(app: &TestApp) {
    let duty = app.login("duty").await;
    let eid = own_enterprise(app).await;
    let before = app.count("incidents").await;
    let now = app.clock.now_ms();
    let mut bad = accident(app, &eid, -1);
    bad["occurred_at"] = json!(to_rfc3339(now + HOUR));
    bad["received_at"] = json!(to_rfc3339(now));
    bad["measures"] = json!("措".repeat(2001));
    let (s, b) = app.post(&duty, "/api/v1/incidents", &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    for f in ["occurred_at", "deaths", "measures"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert!(
        b["message"]
            .as_str()
            .unwrap_or("")
            .contains("死亡人数不能为负数"),
        "{b}"
    );
    // W03: no warning colour on a 社会安全事件.
    let mut social = accident(app, &eid, 0);
    social["category"] = json!("social_security");
    social["subtype"] = json!("mass_incident");
    social["warning_level"] = json!(2);
    let (s, b) = app.post(&duty, "/api/v1/incidents", &social).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "warning_level", "{b}");
    // Unparseable time, unknown field.
    let mut t = accident(app, &eid, 0);
    t["occurred_at"] = json!("昨天下午");
    let (s, b) = app.post(&duty, "/api/v1/incidents", &t).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "occurred_at");
    let mut u = accident(app, &eid, 0);
    u["casualties"]["dead"] = json!(1);
    let (s, _) = app.post(&duty, "/api/v1/incidents", &u).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("incidents").await, before, "nothing stored");

    // A plan whose trigger does not parse.
    let commander = app.login("commander").await;
    let (s, b) = app
        .post(
            &commander,
            "/api/v1/plans",
            &plan_body("YA-X", "死亡 >=", 0),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "levels[1].trigger", "{b}");
    assert_eq!(app.count("plans").await, 0);
    // Experts record no incidents; the enterprise sees only its own.
    let (s, _) = app
        .post(
            &app.login("enterprise").await,
            "/api/v1/incidents",
            &accident(app, &eid, 0),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, list) = app.get(&app.login("grid").await, "/api/v1/incidents").await;
    assert!(list["total"].as_i64().is_some());
}
both!(refusals_name_their_field);

fn plan_body(code: &str, trigger3: &str, cycle: i64) -> Value {
    json!({
        "code": code, "name": "危险化学品事故专项应急预案", "kind": "special", "owner": "区应急管理局",
        "version": "2024版", "effective_date": "2024-03-01", "review_cycle_months": cycle,
        "subtypes": ["hazchem", "industrial"],
        "levels": [
            {"level": 2, "trigger": "死亡 >= 10 或 重伤 >= 50", "tasks": [
                {"department": "区政府办", "task": "区长赶赴现场指挥", "deadline_minutes": 60}]},
            {"level": 3, "trigger": trigger3, "tasks": [
                {"department": "区应急管理局", "task": "成立现场指挥部", "deadline_minutes": 30},
                {"department": "区生态环境局", "task": "开展环境监测", "deadline_minutes": 60},
                {"department": "区卫健委", "task": "组织医疗救治", "deadline_minutes": 30}]},
            {"level": 4, "trigger": "死亡 >= 1 或 疏散 >= 100", "tasks": []}
        ]
    })
}

async fn plan_driven_response(app: &TestApp) {
    let commander = app.login("commander").await;
    let duty = app.login("duty").await;
    let (s, p) = app
        .post(
            &commander,
            "/api/v1/plans",
            &plan_body("YA-WH-01", "死亡 >= 3 或 直接经济损失 >= 1000万", 12),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    // Effective 2024-03-01 with a 12-month cycle: revision overdue by 2026.
    assert_eq!(p["review_overdue"], true);
    let plan_id = p["id"].as_str().expect("id").to_string();
    let (_, plans) = app.get(&duty, "/api/v1/plans?subtype=hazchem").await;
    assert_eq!(plans["total"], 1);
    let (_, none) = app.get(&duty, "/api/v1/plans?subtype=rainstorm").await;
    assert_eq!(none["total"], 0);

    let eid = own_enterprise(app).await;
    let (_, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 3))
        .await;
    let id = d["id"].as_str().expect("id").to_string();
    let (_, sug) = app
        .get(&duty, &format!("/api/v1/incidents/{id}/plan-suggestions"))
        .await;
    assert_eq!(sug[0]["suggested_level"], 3, "{sug}");
    assert_eq!(sug[0]["suggested_label"], "Ⅲ级");

    let path = format!("/api/v1/incidents/{id}/response");
    // Upgrade before activation, a level the plan lacks: refused with the field.
    let (s, b) = app
        .post(
            &duty,
            &path,
            &json!({"plan_id": plan_id, "action": "upgrade", "level": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "action");
    let (s, b) = app
        .post(
            &duty,
            &path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "level");

    let (s, r) = app
        .post(
            &duty,
            &path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let tasks = r["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 3);
    let now = app.clock.now_ms();
    assert_eq!(tasks[0]["due_ms"], now + 30 * MIN);
    assert_eq!(r["activations"][0]["suggested_level"], 3);
    let (_, d) = app.get(&duty, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(d["response_label"], "Ⅲ级");
    // A second activation is refused; an "upgrade" to a lower level too.
    let (s, _) = app
        .post(
            &duty,
            &path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .post(
            &duty,
            &path,
            &json!({"plan_id": plan_id, "action": "upgrade", "level": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Task progress, then an upgrade adds the Ⅱ级 task only.
    let task_id = tasks[0]["id"].as_str().expect("task id").to_string();
    let (s, r) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/tasks/{task_id}"),
            &json!({"status": "done", "note": "指挥部已设在厂区东门"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, _) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/tasks/{task_id}"),
            &json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a done task stays done");
    app.clock.advance(45 * MIN);
    let (s, r) = app
        .post(
            &commander,
            &path,
            &json!({"plan_id": plan_id, "action": "upgrade", "level": 2, "reason": "火势蔓延至相邻罐组"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["tasks"].as_array().expect("tasks").len(), 4);
    let overdue: Vec<&Value> = r["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["overdue"] == true)
        .collect();
    assert_eq!(overdue.len(), 1, "the 卫健委 task is past its 30 minutes");
    // Stand-down cancels what is open.
    let (s, r) = app
        .post(
            &commander,
            &path,
            &json!({"plan_id": plan_id, "action": "stand_down"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let open = r["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["status"] == "pending")
        .count();
    assert_eq!(open, 0);
    let (_, d) = app.get(&duty, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(d["response_level"], Value::Null);
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|t| t["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        ["report", "response", "task", "response", "response"]
    );
    // Street staff can see the incident but not start a response.
    let street = app.login("grid").await;
    let (s, _) = app
        .post(
            &street,
            &path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
both!(plan_driven_response);

async fn duty_roster_log_and_daily_report(app: &TestApp) {
    let duty = app.login("duty").await;
    let today = yingji_core::prevention::hazard::today(app.clock.now_ms()).to_string();
    let (s, b) = app
        .put(
            &duty,
            "/api/v1/duty/shifts",
            &json!({"day": today, "shift": "day", "leader": "张局长", "officer": "李值班", "phone": "0792-8221234"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    // Setting the shift again replaces who is on it.
    let (s, _) = app
        .put(
            &duty,
            "/api/v1/duty/shifts",
            &json!({"day": today, "shift": "day", "leader": "王副局长", "officer": "李值班"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = app
        .put(
            &duty,
            "/api/v1/duty/shifts",
            &json!({"day": "明天", "shift": "noon", "leader": "", "officer": "x", "phone": "123"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["day", "shift", "leader", "phone"]);
    let (_, roster) = app
        .get(
            &duty,
            &format!("/api/v1/duty/shifts?from={today}&to={today}"),
        )
        .await;
    assert_eq!(roster.as_array().map(Vec::len), Some(1), "{roster}");
    assert_eq!(roster[0]["leader"], "王副局长");
    assert_eq!(roster[0]["shift_label"], "白班");

    let eid = own_enterprise(app).await;
    let (_, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 1))
        .await;
    let id = d["id"].as_str().expect("id");
    let (s, e) = app
        .post(
            &duty,
            "/api/v1/duty/log",
            &json!({"kind": "instruction", "text": "市局要求每小时报告一次处置进展", "incident_id": id}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, _) = app
        .post(
            &duty,
            "/api/v1/duty/log",
            &json!({"kind": "gossip", "text": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .post(
            &app.login("grid").await,
            "/api/v1/duty/log",
            &json!({"kind": "other", "text": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, r) = app
        .get(&duty, &format!("/api/v1/duty/daily?day={today}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["shifts"][0]["officer"], "李值班");
    assert_eq!(r["log"][0]["kind_label"], "上级指示");
    assert_eq!(r["received"][0]["id"], id);
    assert_eq!(r["open"].as_array().map(Vec::len), Some(1));
    let (_, other) = app.get(&duty, "/api/v1/duty/daily?day=2020-01-01").await;
    assert_eq!(other["received"].as_array().map(Vec::len), Some(0));
}
both!(duty_roster_log_and_daily_report);

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
    let path = format!("/api/v1/incidents/{id}/investigation");
    let (s, v) = app.get(&duty, &path).await;
    assert_eq!((s, v), (StatusCode::OK, Value::Null));

    let (s, v) = app.post(&duty, &path, &json!({"action": "submit"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = app.post(&duty, &path, &json!({"action": "start"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "team_leader");
    let (s, v) = app
        .post(&duty, &path, &json!({"action": "start", "team_leader": "王副区长", "members": "区应急管理局、区公安分局、区总工会", "report_extension_days": 61}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "report_extension_days");
    let (s, inv) = app
        .post(&duty, &path, &json!({"action": "start", "team_leader": "王副区长", "members": "区应急管理局、区公安分局、区总工会"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{inv}");
    // 一般事故: the county (this district) investigates; the report is due 60 days after the day of
    // the accident (counted from the next day, like the 补报 window).
    assert_eq!(inv["lead_body"], "事故发生地县级人民政府");
    assert_eq!(inv["led_here"], true);
    assert_eq!(inv["status"], "investigating");
    let occurred = d["occurred_ms"].as_i64().expect("occurred");
    let day = |ms: i64| yingji_core::prevention::hazard::today(ms);
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
            &duty,
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
            &duty,
            &path,
            &json!({"action": "save", "sections": sections}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "investigating");
    let (s, v) = app.post(&duty, &path, &json!({"action": "submit"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "submitted");
    let reply_due = v["reply_due_ms"].as_i64().expect("reply due");
    assert_eq!(
        day(reply_due - 1),
        day(app.clock.now_ms())
            .checked_add(jiff::Span::new().days(15))
            .expect("date")
    );
    let (s, _) = app.post(&duty, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the reply is the leadership's");
    let (s, v) = app
        .post(
            &commander,
            &path,
            &json!({"action": "approve", "note": "同意调查报告，按建议处理"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "approved");
    assert_eq!(v["overdue"], false);

    // Follow-ups: one registered as a hidden hazard goes into the closed loop.
    let fpath = format!("/api/v1/incidents/{id}/followups");
    let (s, v) = app
        .post(&commander, &fpath, &json!({"action": "对装卸区软管全部更换并建立检查制度", "responsible": "某化工有限公司", "as_hazard": true}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "due_date");
    let (s, v) = app
        .post(&commander, &fpath, &json!({"action": "对装卸区软管全部更换并建立检查制度", "responsible": "某化工有限公司", "due_date": "2026-07-31", "as_hazard": true, "hazard_category": "equipment"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let f = &v["followups"][0];
    assert_eq!(f["status"], "open");
    let hazard_id = f["hazard_id"].as_str().expect("hazard").to_string();
    let (_, h) = app
        .get(&commander, &format!("/api/v1/hazards/{hazard_id}"))
        .await;
    assert_eq!(h["source"], "accident_investigation", "{h}");
    assert_eq!(h["source_label"], "事故调查");
    let (s, v) = app
        .post(
            &commander,
            &fpath,
            &json!({"action": "全区开展危化品装卸专项检查", "responsible": "区应急管理局"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let plain = v["followups"][1]["id"].as_str().expect("id").to_string();
    let (s, v) = app
        .post(&commander, &format!("{fpath}/{plain}/done"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["followups"][1]["status"], "done");
    let fid = v["followups"][0]["id"].as_str().expect("id").to_string();
    let (s, _) = app
        .post(&commander, &format!("{fpath}/{fid}/done"), &json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a hazard's follow-up ends with the hazard"
    );
    let (_, d) = app.get(&duty, &format!("/api/v1/incidents/{id}")).await;
    let kinds = d["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|t| t["kind"] == "investigation")
        .count();
    assert_eq!(kinds, 7, "{}", d["timeline"]);

    // Statistics: this year (2026 on the test clock) against 2025, by month, grade and category.
    let mut last_year = accident(app, &eid, 3);
    last_year["occurred_at"] = json!("2025-05-10T09:00:00+08:00");
    last_year["unit_learned_at"] = json!("2025-05-10T09:10:00+08:00");
    last_year["received_at"] = json!("2025-05-10T09:30:00+08:00");
    let (s, v) = app.post(&duty, "/api/v1/incidents", &last_year).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, st) = app.get(&duty, "/api/v1/incidents/stats?year=2026").await;
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
        let (s, v) = app
            .get(&duty, &format!("/api/v1/incidents/stats?{q}"))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["details"][0]["field"], field, "{q}: {v}");
    }
    // An enterprise counts only its own.
    let ent = app.login("enterprise").await;
    let (_, st) = app.get(&ent, "/api/v1/incidents/stats?year=2026").await;
    assert_eq!(st["total"]["incidents"], 1);
}
both!(investigation_followups_and_statistics);

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

/// The suggestion puts a 专项预案 whose triggers match before the 总体预案, and plans whose
/// triggers do not match last.
async fn suggestions_prefer_the_matching_special_plan(app: &TestApp) {
    let commander = app.login("commander").await;
    let duty = app.login("duty").await;
    let mut overall = plan_body("AA-ZT-01", "死亡 >= 1", 12);
    overall["name"] = json!("区突发事件总体应急预案");
    overall["kind"] = json!("overall");
    let (s, v) = app.post(&commander, "/api/v1/plans", &overall).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let mut unmatched = plan_body("AB-ZX-02", "死亡 >= 100", 12);
    unmatched["levels"] = json!([{"level": 1, "trigger": "死亡 >= 100", "tasks": []}]);
    unmatched["name"] = json!("特别重大事故专项应急预案");
    let (s, v) = app.post(&commander, "/api/v1/plans", &unmatched).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app
        .post(
            &commander,
            "/api/v1/plans",
            &plan_body("YA-WH-01", "死亡 >= 3", 12),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let eid = own_enterprise(app).await;
    let (_, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 3))
        .await;
    let id = d["id"].as_str().expect("id").to_string();
    let (_, sug) = app
        .get(&duty, &format!("/api/v1/incidents/{id}/plan-suggestions"))
        .await;
    let names: Vec<&str> = sug
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|s| s["plan_name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "危险化学品事故专项应急预案",
            "区突发事件总体应急预案",
            "特别重大事故专项应急预案"
        ],
        "{sug}"
    );
}
both!(suggestions_prefer_the_matching_special_plan);

/// 接报 as the duty room works: a first 快报 is saved at once with what is known, the reporter and
/// the channel; the 第十二条 items still 待核实 are named, a 续报 completes them, and only then does
/// the report go up.
async fn first_report_saves_with_items_pending(app: &TestApp) {
    let duty = app.login("duty").await;
    let eid = own_enterprise(app).await;
    let mut body = accident(app, &eid, 1);
    for k in ["unit_overview", "scene", "measures", "other"] {
        body[k] = json!("");
    }
    body["reporter_name"] = json!("王强");
    body["reporter_phone"] = json!("13907920001");
    body["report_channel"] = json!("enterprise");
    let (s, d) = app.post(&duty, "/api/v1/incidents", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_str().expect("id").to_string();
    assert_eq!(
        d["pending_items"],
        json!([
            "事故发生单位概况",
            "事故现场情况",
            "已经采取的措施",
            "其他应当报告的情况"
        ])
    );
    assert_eq!(d["reporter_name"], "王强");
    assert_eq!(d["report_channel_label"], "企业报告");
    // Not sent up while items are 待核实: the refusal names them.
    let esc = format!("/api/v1/incidents/{id}/escalations");
    let (s, v) = app.post(&duty, &esc, &json!({"level": "city"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap_or("")
            .contains("已经采取的措施"),
        "{v}"
    );
    // A 续报 completes them.
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "followup", "casualties": d["casualties"], "text": "核实情况",
                    "items": {"unit_overview": "危险化学品经营企业", "scene": "明火已扑灭",
                              "measures": "消防到场处置", "other": "无"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["pending_items"], json!([]));
    assert_eq!(d["measures"], "消防到场处置");
    assert!(
        d["timeline"].to_string().contains("核实补充"),
        "{}",
        d["timeline"]
    );
    let (s, v) = app.post(&duty, &esc, &json!({"level": "city"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Bad reporter fields are named.
    let mut bad = accident(app, &eid, 0);
    bad["reporter_phone"] = json!("12");
    bad["report_channel"] = json!("carrier_pigeon");
    let (s, v) = app.post(&duty, "/api/v1/incidents", &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let fields = v["details"].to_string();
    assert!(
        fields.contains("reporter_phone") && fields.contains("report_channel"),
        "{v}"
    );
}
both!(first_report_saves_with_items_pending);

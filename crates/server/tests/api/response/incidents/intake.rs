//! 接报: grading and deadlines by the regulations, 续报/补报 with regrading and 上报; a first 快报
//! saved with items pending; refusals that name their field.

use super::{DAY, HOUR, MIN, accident, own_enterprise, plan_body};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

async fn intake_grading_and_deadlines(app: &TestApp) {
    let duty = app.login("duty").await;
    let eid = own_enterprise(app).await;
    let (id, now) = intake_grades_by_the_counts(app, &duty, &eid).await;
    escalation_to_the_city_once(app, &duty, &id, now).await;
    let duty = supplementary_reports_regrade_in_the_window(app, &id).await;
    closing_asks_why_hops_are_unreported(app, &duty, &id).await;
}
both!(intake_grading_and_deadlines);

/// A01, R02: a 较大 accident graded from its counts, with the chain's hops: (its id, now).
async fn intake_grades_by_the_counts(
    app: &TestApp,
    duty: &reqwest::Client,
    eid: &str,
) -> (String, i64) {
    let (s, d) = app
        .post(duty, "/api/v1/incidents", &accident(app, eid, 3))
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
    (id, now)
}

async fn escalation_to_the_city_once(app: &TestApp, duty: &reqwest::Client, id: &str, now: i64) {
    // 上报 to the city, once.
    let (s, d) = app
        .post(
            duty,
            &format!("/api/v1/incidents/{id}/escalations"),
            &json!({"level": "city", "note": "电话报市应急局值班室"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["hops"][1]["received_ms"], now);
    assert_eq!(d["hops"][2]["due_ms"], now + 2 * HOUR);
    let (s, b) = app
        .post(
            duty,
            &format!("/api/v1/incidents/{id}/escalations"),
            &json!({"level": "city"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
}

/// 补报 inside and after the window (R05, R06), then the 续报 overdue: the duty officer's client,
/// signed in again after the days passed.
async fn supplementary_reports_regrade_in_the_window(app: &TestApp, id: &str) -> reqwest::Client {
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
    duty
}

async fn closing_asks_why_hops_are_unreported(app: &TestApp, duty: &reqwest::Client, id: &str) {
    // Closing with hops still unreported asks why, naming them; nothing changes until then.
    let (s, d) = app
        .post(
            duty,
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
            duty,
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
            duty,
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "followup", "casualties": {}, "text": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Every step is audited.
    let (_, a) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=incident&page_size=50",
        )
        .await;
    assert!(a["total"].as_i64().unwrap_or(0) >= 5, "{a}");
}

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

/// A 续报 on a closed incident is refused as such before the report's own errors are named; on
/// an incident the caller cannot see it is not found.
async fn a_closed_incident_takes_no_more_reports(app: &TestApp) {
    let duty = app.login("duty").await;
    let eid = own_enterprise(app).await;
    let (s, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 1))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_str().expect("id");
    let (s, d) = app
        .post(
            &duty,
            &format!("/api/v1/incidents/{id}/close"),
            &json!({"note": "处置完毕", "unreported_reason": "未达上报标准"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let bad = json!({"kind": "initial", "casualties": {}, "text": ""});
    let (s, e) = app
        .post(&duty, &format!("/api/v1/incidents/{id}/reports"), &bad)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["message"], "事件已结束，不能再续报");
    let (s, e) = app
        .post(&duty, "/api/v1/incidents/no-such-incident/reports", &bad)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
}
both!(a_closed_incident_takes_no_more_reports);

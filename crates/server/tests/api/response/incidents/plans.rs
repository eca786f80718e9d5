//! Plans with triggers and tasks driving the response, and the suggestion of a matching 专项预案.

use super::{MIN, accident, own_enterprise, plan_body};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

async fn plan_driven_response(app: &TestApp) {
    let commander = app.login("commander").await;
    let duty = app.login("duty").await;
    let (plan_id, id) = plan_and_suggestion(app, &commander, &duty).await;
    let path = format!("/api/v1/incidents/{id}/response");
    let task_id = activation_starts_the_tasks(app, &duty, &plan_id, &id, &path).await;
    tasks_upgrade_and_stand_down(app, &duty, &commander, &plan_id, &id, &path, &task_id).await;
}
both!(plan_driven_response);

/// A 专项预案 (revision overdue) and an accident it suggests Ⅲ级 for: (the plan's id, the
/// incident's id).
async fn plan_and_suggestion(
    app: &TestApp,
    commander: &reqwest::Client,
    duty: &reqwest::Client,
) -> (String, String) {
    let (s, p) = app
        .post(
            commander,
            "/api/v1/plans",
            &plan_body("YA-WH-01", "死亡 >= 3 或 直接经济损失 >= 1000万", 12),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    // Effective 2024-03-01 with a 12-month cycle: revision overdue by 2026.
    assert_eq!(p["review_overdue"], true);
    let plan_id = p["id"].as_str().expect("id").to_string();
    let (_, plans) = app.get(duty, "/api/v1/plans?subtype=hazchem").await;
    assert_eq!(plans["total"], 1);
    let (_, none) = app.get(duty, "/api/v1/plans?subtype=rainstorm").await;
    assert_eq!(none["total"], 0);

    let eid = own_enterprise(app).await;
    let (_, d) = app
        .post(duty, "/api/v1/incidents", &accident(app, &eid, 3))
        .await;
    let id = d["id"].as_str().expect("id").to_string();
    let (_, sug) = app
        .get(duty, &format!("/api/v1/incidents/{id}/plan-suggestions"))
        .await;
    assert_eq!(sug[0]["suggested_level"], 3, "{sug}");
    assert_eq!(sug[0]["suggested_label"], "Ⅲ级");
    (plan_id, id)
}

/// Refusals before activation, the Ⅲ级 activation with its tasks, and refusals after it: the
/// first task's id.
async fn activation_starts_the_tasks(
    app: &TestApp,
    duty: &reqwest::Client,
    plan_id: &str,
    id: &str,
    path: &str,
) -> String {
    // Upgrade before activation, a level the plan lacks: refused with the field.
    let (s, b) = app
        .post(
            duty,
            path,
            &json!({"plan_id": plan_id, "action": "upgrade", "level": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "action");
    let (s, b) = app
        .post(
            duty,
            path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "level");

    let (s, r) = app
        .post(
            duty,
            path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let tasks = r["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 3);
    let now = app.clock.now_ms();
    assert_eq!(tasks[0]["due_ms"], now + 30 * MIN);
    assert_eq!(r["activations"][0]["suggested_level"], 3);
    let (_, d) = app.get(duty, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(d["response_label"], "Ⅲ级");
    // A second activation is refused; an "upgrade" to a lower level too.
    let (s, _) = app
        .post(
            duty,
            path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .post(
            duty,
            path,
            &json!({"plan_id": plan_id, "action": "upgrade", "level": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    tasks[0]["id"].as_str().expect("task id").to_string()
}

/// Task progress, an upgrade adding the Ⅱ级 task, stand-down; street staff cannot respond.
async fn tasks_upgrade_and_stand_down(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    plan_id: &str,
    id: &str,
    path: &str,
    task_id: &str,
) {
    // Task progress, then an upgrade adds the Ⅱ级 task only.
    let (s, r) = app
        .post(
            duty,
            &format!("/api/v1/incidents/{id}/tasks/{task_id}"),
            &json!({"status": "done", "note": "指挥部已设在厂区东门"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, _) = app
        .post(
            duty,
            &format!("/api/v1/incidents/{id}/tasks/{task_id}"),
            &json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a done task stays done");
    app.clock.advance(45 * MIN);
    let (s, r) = app
        .post(
            commander,
            path,
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
            commander,
            path,
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
    let (_, d) = app.get(duty, &format!("/api/v1/incidents/{id}")).await;
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
            path,
            &json!({"plan_id": plan_id, "action": "activate", "level": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

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

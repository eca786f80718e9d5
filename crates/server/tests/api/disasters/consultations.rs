//! 会商研判: a meeting with actions linked to a process, its list per link, the actions'
//! deadlines on the test clock (overdue tells the owner and the host; completion cancels), who
//! may complete what, and bad input that stores nothing.

use super::reports::{at, fire, process, rainstorm};
use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/v1/disasters/consultations";

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.store
        .fetch_i64(yingji_store::Sql::new(sql))
        .await
        .expect("count")
}

/// The id of a department by name.
async fn department(app: &TestApp, admin: &Client, name: &str) -> String {
    let (s, v) = app.get(admin, "/api/v1/departments").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["name"] == name)
        .and_then(|d| d["id"].as_str())
        .expect("department")
        .to_string()
}

fn meeting(process: &str, yjj: &str, zjj: &str) -> Value {
    json!({
        "kind": "pre_season", "topic": "主汛期防御工作部署", "held_at": "2026-06-01 09:00",
        "video": true, "department_ids": [yjj, zjj], "participants": "局领导、各部门分管负责人",
        "process_id": process, "conclusions": "全面排查山塘水库\n落实转移预案",
        "actions": [
            {"text": "排查辖区山塘水库", "owner_department_id": yjj, "deadline": "2026-06-02"},
            {"text": "检查在建工地防汛措施", "owner_department_id": zjj, "deadline": "2026-06-03 18:00"},
        ],
    })
}

fn action_path(meeting: &str, action: &Value) -> String {
    format!(
        "{PATH}/{meeting}/actions/{}/complete",
        action["id"].as_str().expect("action id")
    )
}

async fn pending(app: &TestApp, action: &Value) -> usize {
    yingji_store::kernel::timers::pending_for(&app.store, action["id"].as_str().unwrap())
        .await
        .expect("timers")
        .len()
}

/// Create with actions; list per link; a department completes its own action only (its timer
/// cancelled); the other's deadline passes on the test clock and tells the owner and the host.
async fn scope_and_completion(app: &TestApp) {
    app.clock.set(at("2026-06-01T08:00:00+08:00"));
    let admin = app.login("admin").await;
    let duty = app.login("duty").await;
    let (yjj_id, zjj_id) = (
        department(app, &admin, "区应急管理局").await,
        department(app, &admin, "区住房和城乡建设局").await,
    );
    let p = process(app, &duty, rainstorm("2026-06-01 07:00")).await;
    let pid = p["id"].as_str().unwrap();
    // 灾情报告待报送 on the duty officer's 工作台: the process's 初报.
    let (_, w) = app.get(&duty, "/api/v1/workbench").await;
    let due = w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .find(|t| t["kind"] == "disaster_reports_due")
        .cloned()
        .expect("灾情报告待报送");
    assert!(
        due["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == pid && i["status_label"] == "初报待报送"),
        "{due}"
    );
    let (s, m) = app.post(&duty, PATH, &meeting(pid, &yjj_id, &zjj_id)).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    assert_eq!(m["kind_label"], "汛前会商");
    assert_eq!(m["host_name"], "值班员");
    assert_eq!(m["link_kind"], "process");
    assert_eq!(m["link_path"], format!("/disasters/processes/{pid}"));
    assert_eq!(m["departments"].as_array().unwrap().len(), 2);
    let (a1, a2) = (m["actions"][0].clone(), m["actions"][1].clone());
    assert_eq!(a1["due_ms"], at("2026-06-03T00:00:00+08:00"));
    assert_eq!(a2["due_ms"], at("2026-06-03T18:00:00+08:00"));
    assert_eq!(
        (a1["state_label"].as_str(), a1["owner_name"].as_str()),
        (Some("待办"), Some("区应急管理局"))
    );
    assert_eq!((pending(app, &a1).await, pending(app, &a2).await), (1, 1));
    // Listed per linked record and overall.
    let (s, v) = app
        .get(&duty, &format!("{PATH}?link_kind=process&link_id={pid}"))
        .await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(1)), "{v}");
    let (_, v) = app
        .get(&duty, &format!("{PATH}?link_kind=warning&link_id={pid}"))
        .await;
    assert_eq!(v["total"], 0);
    // Departments present see it; the street (not involved) does not, and may not hold one.
    let yjj = app.login("yjj").await;
    let zjj = app.login("zjj").await;
    let street = app.login("street").await;
    let (_, v) = app.get(&yjj, PATH).await;
    assert_eq!(v["total"], 1, "{v}");
    let (_, v) = app.get(&street, PATH).await;
    assert_eq!(v["total"], 0, "{v}");
    let (s, _) = app.get(&street, &format!("{PATH}/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(&street, PATH, &meeting(pid, &yjj_id, &zjj_id))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.post(&yjj, PATH, &meeting(pid, &yjj_id, &zjj_id)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // 会商任务待完成 on each owner's 工作台, linking to the meeting.
    let (_, w) = app.get(&yjj, "/api/v1/workbench").await;
    let todo = w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .find(|t| t["kind"] == "consultation_actions")
        .cloned()
        .expect("会商任务待完成");
    assert_eq!(todo["total"], 1, "{todo}");
    assert_eq!(todo["items"][0]["title"], "排查辖区山塘水库");
    assert_eq!(
        todo["items"][0]["link"],
        format!("/disasters/consultations/{id}")
    );
    // 住建局 may not complete 应急局's action; 应急局 completes it: its timer is cancelled.
    let (s, v) = app
        .post(&zjj, &action_path(&id, &a1), &json!({"note": "越权"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    app.clock.set(at("2026-06-02T10:00:00+08:00"));
    let yjj = app.login("yjj").await;
    let (s, v) = app
        .post(
            &yjj,
            &action_path(&id, &a1),
            &json!({"note": "已排查 12 座，无险情"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["actions"][0]["state_label"], "已完成");
    assert_eq!(v["actions"][0]["done_note"], "已排查 12 座，无险情");
    assert_eq!(pending(app, &a1).await, 0, "completion cancels the timer");
    let (s, _) = app.post(&yjj, &action_path(&id, &a1), &json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // 18:00 sharp is still in time for the second; after it the owner and the host are told.
    app.clock.set(at("2026-06-03T17:59:00+08:00"));
    fire(app).await;
    let (duty, zjj) = (app.login("duty").await, app.login("zjj").await);
    let (_, v) = app.get(&duty, &format!("{PATH}/{id}")).await;
    assert_eq!(v["actions"][1]["overdue"], false);
    app.clock.set(at("2026-06-03T18:01:00+08:00"));
    fire(app).await;
    let (_, v) = app.get(&duty, &format!("{PATH}/{id}")).await;
    assert_eq!(v["actions"][1]["overdue"], true, "{v}");
    assert_eq!(v["actions"][0]["overdue"], false);
    let told = |who: &str| {
        format!(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{who}' AND n.title LIKE '会商任务逾期%'"
        )
    };
    assert_eq!(count(app, &told("zjj")).await, 1, "the owner is told");
    assert_eq!(count(app, &told("duty")).await, 1, "the host is told");
    assert_eq!(count(app, &told("yjj")).await, 0);
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action IN ('disaster.consultation_create', 'disaster.consultation_action_done', 'disaster.consultation_action_overdue')";
    assert_eq!(count(app, audited).await, 3);
    // The owner completes it late.
    let (s, v) = app.post(&zjj, &action_path(&id, &a2), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["actions"][1]["state"], "done");
}
both!(scope_and_completion);

fn fields(v: &Value) -> Vec<String> {
    super::fields(v)
}

/// Bad input: the field and the action's row named in Chinese, nothing stored; a warning link.
async fn bad_input_stores_nothing(app: &TestApp) {
    app.clock.set(at("2026-06-01T08:00:00+08:00"));
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let yjj_id = department(app, &admin, "区应急管理局").await;
    let zjj_id = department(app, &admin, "区住房和城乡建设局").await;
    let p = process(app, &commander, rainstorm("2026-06-01 07:00")).await;
    let pid = p["id"].as_str().unwrap();
    // A deadline before the meeting; an unknown owner department in the second row.
    let mut body = meeting(pid, &yjj_id, &zjj_id);
    body["actions"][0]["deadline"] = json!("2026-05-31");
    body["actions"][1]["owner_department_id"] = json!("no-such-department");
    let (s, v) = app.post(&commander, PATH, &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        fields(&v),
        vec!["actions[0].deadline", "actions[1].owner_department_id"]
    );
    let text = v.to_string();
    assert!(text.contains("第1项任务的完成期限"), "{text}");
    assert!(text.contains("第2项任务的责任部门"), "{text}");
    // No link; two links; an unknown department present.
    let mut body = meeting(pid, &yjj_id, &zjj_id);
    body["process_id"] = Value::Null;
    body["department_ids"] = json!(["nope"]);
    let (s, v) = app.post(&commander, PATH, &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(fields(&v), vec!["department_ids[0]", "process_id"]);
    let mut body = meeting(pid, &yjj_id, &zjj_id);
    body["incident_id"] = json!("x");
    let (s, v) = app.post(&commander, PATH, &body).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["incident_id".to_string()])
    );
    // A link to a missing record.
    let body = meeting("no-such-process", &yjj_id, &zjj_id);
    let (s, v) = app.post(&commander, PATH, &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(fields(&v), vec!["process_id"]);
    assert!(v.to_string().contains("关联的灾害过程"), "{v}");
    // No place and not a video meeting; an action without an owner.
    let mut body = meeting(pid, &yjj_id, &zjj_id);
    body["video"] = json!(false);
    body["actions"][0]["owner_department_id"] = Value::Null;
    let (s, v) = app.post(&commander, PATH, &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(fields(&v), vec!["place", "actions[0].owner_department_id"]);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM disaster_consultations").await,
        0
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM timers WHERE kind = 'disaster.consultation_action_due'"
        )
        .await,
        0
    );
    // A warning link; an action owned by a person, listed by the warning.
    let centre = super::centre(app, &admin, "360403001").await;
    let warning = super::rainstorm_over(app, &commander, &admin, 2, centre).await;
    let (me, _) = super::me(app, &app.login("grid").await).await;
    let mut body = meeting(pid, &yjj_id, &zjj_id);
    body["process_id"] = Value::Null;
    body["warning_id"] = json!(warning);
    body["kind"] = json!("after");
    body["actions"][1] =
        json!({"text": "核实受灾户", "owner_user_id": me, "deadline": "2026-06-05"});
    let (s, v) = app.post(&commander, PATH, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["actions"][1]["owner_name"], "网格员");
    let (_, v) = app
        .get(
            &commander,
            &format!("{PATH}?link_kind=warning&link_id={warning}"),
        )
        .await;
    assert_eq!(v["total"], 1, "{v}");
    // The grid worker sees the meeting of their action and completes it.
    let grid = app.login("grid").await;
    let (_, v) = app.get(&grid, PATH).await;
    assert_eq!(v["total"], 1, "{v}");
    let id = v["items"][0]["id"].as_str().unwrap().to_string();
    let (s, v) = app
        .post(
            &grid,
            &action_path(&id, &v["items"][0]["actions"][1]),
            &json!({"note": "已核实"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}
both!(bad_input_stores_nothing);

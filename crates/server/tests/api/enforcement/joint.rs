//! 联合检查: the leader puts two departments' items on one visit with one team; every taking part
//! department sees the task; one department's items, a 回避, a department acting alone and the
//! field roles are refused with nothing stored; separate tasks of one enterprise in a month are
//! suggested for merging.

use super::{seeded, trade_item};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, today};

/// 住建局 gets an item and enters zjj in its pool; answers (item id, zjj's user id).
async fn second_department(app: &TestApp) -> (String, String) {
    let zjj = app.login("zjj").await;
    let item = json!({"name": "建筑施工安全检查", "legal_basis": "《建设工程安全生产管理条例》", "method": "special"});
    let (s, i) = app.post(&zjj, "/api/v1/enforcement/items", &item).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let (_, people) = app.get(&zjj, "/api/v1/enforcement/people").await;
    let me = people["items"][0]["user_id"].as_str().unwrap().to_string();
    let body = json!({"user_id": me, "cert_no": "ZJJ-000001", "cert_valid_until": "2030-01-01"});
    let (s, r) = app
        .post(&zjj, "/api/v1/enforcement/inspectors", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    (i["id"].as_str().unwrap().to_string(), me)
}

fn user_id(inspectors: &Value, name: &str) -> String {
    inspectors["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user_name"] == name)
        .map(|i| i["user_id"].as_str().unwrap().to_string())
        .unwrap()
}

async fn joint_inspection_of_two_departments(app: &TestApp) {
    seeded(app).await;
    let (zjj_item, zjj_id) = second_department(app).await;
    let yjj = app.login("yjj").await;
    let bureau_item = trade_item(app, &yjj).await;
    let (_, insp) = app.get(&yjj, "/api/v1/enforcement/inspectors").await;
    let zfry = user_id(&insp, "执法队员张明");
    let zfry3 = user_id(&insp, "执法队员王强");
    let recused = insp["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user_name"] == "执法队员王强")
        .map(|i| {
            i["conflicts"][0]["enterprise_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .unwrap();
    let month = format!("{}-12", today(app.clock.now_ms()).year());
    let commander = app.login("commander").await;
    let body = json!({"enterprise_id": recused, "planned_month": month,
        "item_ids": [bureau_item, zjj_item], "inspector_ids": [zfry, zjj_id]});
    let (s, j) = app
        .post(&commander, "/api/v1/enforcement/joint-tasks", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{j}");
    assert_eq!(j["parts"].as_array().unwrap().len(), 2);
    assert_eq!(j["team"].as_array().unwrap().len(), 2);
    let task = j["task_id"].as_str().unwrap();
    // Both departments see the one task; so do its inspectors.
    for who in ["zjj", "yjj", "zfry"] {
        let c = app.login(who).await;
        let (_, tasks) = app.get(&c, "/api/v1/enforcement/tasks?page_size=200").await;
        assert!(
            tasks["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == task && t["kind"] == "joint"),
            "{who}: {tasks}"
        );
    }
    // Refused, nothing stored: one department's items; a 回避; a department alone; field roles.
    // (Logins write the audit log, so the capability's tables are counted.)
    let tables = [
        "inspection_tasks",
        "inspection_task_departments",
        "inspection_task_inspectors",
    ];
    let mut before = vec![];
    for t in tables {
        before.push(app.count(t).await);
    }
    let (_, items) = app.get(&yjj, "/api/v1/enforcement/items").await;
    let two_bureau: Vec<&Value> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|i| &i["id"])
        .collect();
    let one_dept = json!({"enterprise_id": recused, "planned_month": month,
        "item_ids": two_bureau, "inspector_ids": [zfry, zjj_id]});
    let (s, e) = app
        .post(&commander, "/api/v1/enforcement/joint-tasks", &one_dept)
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("item_ids")),
        "{e}"
    );
    let recusing = json!({"enterprise_id": recused, "planned_month": month,
        "item_ids": [bureau_item, zjj_item], "inspector_ids": [zfry, zfry3]});
    let (s, e) = app
        .post(&commander, "/api/v1/enforcement/joint-tasks", &recusing)
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("inspector_ids[1]")),
        "{e}"
    );
    assert!(
        e["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("回避"),
        "{e}"
    );
    let (s, e) = app
        .post(&yjj, "/api/v1/enforcement/joint-tasks", &body)
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("item_ids")),
        "{e}"
    );
    for who in ["street", "grid", "enterprise", "zfry"] {
        let c = app.login(who).await;
        let (s, _) = app.post(&c, "/api/v1/enforcement/joint-tasks", &body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(app.count(t).await, n, "{t}");
    }
}
both!(joint_inspection_of_two_departments);

/// A draw's task and another department's task on the same enterprise in the same month.
async fn joint_merge_suggested(app: &TestApp) {
    seeded(app).await;
    let (zjj_item, _) = second_department(app).await;
    let yjj = app.login("yjj").await;
    let (_, tasks) = app.get(&yjj, "/api/v1/enforcement/tasks").await;
    let t = &tasks["items"][0];
    let (enterprise, name) = (
        t["enterprise_id"].as_str().unwrap(),
        t["enterprise_name"].as_str().unwrap(),
    );
    let zjj_dept: String = {
        let zjj = app.login("zjj").await;
        let (_, items) = app.get(&zjj, "/api/v1/enforcement/items").await;
        items["items"][0]["department_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let now = app.clock.now_ms();
    app.store
        .execute(yingji_store::Sql::new(&format!(
            "INSERT INTO inspection_tasks (id, department_id, item_id, draw_id, enterprise_id, enterprise_name, region_code, kind, year, status, created_ms, updated_ms) VALUES ('t-zjj', '{zjj_dept}', '{zjj_item}', NULL, '{enterprise}', '{name}', '', 'special', {}, 'assigned', {now}, {now})",
            t["year"]
        )))
        .await
        .unwrap();
    let commander = app.login("commander").await;
    let (s, list) = app
        .get(&commander, "/api/v1/enforcement/joint-suggestions")
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let hit = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["enterprise_id"] == enterprise)
        .expect("the enterprise is suggested");
    assert_eq!(hit["departments"].as_array().unwrap().len(), 2, "{hit}");
    assert!(
        hit["task_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "t-zjj")
    );
    // A department sees only its own tasks, so no pair of departments.
    let (_, own) = app.get(&yjj, "/api/v1/enforcement/joint-suggestions").await;
    assert_eq!(own["total"], 0, "{own}");
    let street = app.login("street").await;
    assert_eq!(
        app.get(&street, "/api/v1/enforcement/joint-suggestions")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}
both!(joint_merge_suggested);

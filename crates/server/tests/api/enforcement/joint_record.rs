//! A joint inspection's record: an inspector of a department that is not the lead opens the
//! dossier, records and signs; each line and finding names its department (its hazard is that
//! department's); the managers of every taking part department read the record, grouped by
//! department; a department that does not take part is refused by row, nothing stored.

use super::{seeded, trade_item};
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, today};

/// 住建局's item with 检查内容 and zjj in its pool; answers (item id, zjj's user id, department).
async fn building_department(app: &TestApp) -> (String, String, String) {
    let zjj = app.login("zjj").await;
    let item = json!({"name": "建筑施工安全检查", "legal_basis": "《建设工程安全生产管理条例》",
        "method": "special", "content": "脚手架搭设、临边防护"});
    let (s, i) = app.post(&zjj, "/api/v1/enforcement/items", &item).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let (_, people) = app.get(&zjj, "/api/v1/enforcement/people").await;
    let me = people["items"][0]["user_id"].as_str().unwrap().to_string();
    let body = json!({"user_id": me, "cert_no": "ZJJ-000002", "cert_valid_until": "2030-01-01"});
    let (s, r) = app
        .post(&zjj, "/api/v1/enforcement/inspectors", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let department = i["department_id"].as_str().unwrap().to_string();
    (i["id"].as_str().unwrap().to_string(), me, department)
}

async fn upload_png(app: &TestApp, c: &Client) -> String {
    let bytes = crate::kernel::attachments::picture(8, 8, image::ImageFormat::Png);
    let r = c
        .post(app.url("/api/v1/attachments?filename=签名.png"))
        .body(bytes)
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.expect("json");
    a["id"].as_str().unwrap().to_string()
}

/// A joint task of the bureau (lead) and 住建局 with zfry and zjj; answers (task, zjj's id, 住建局).
async fn arranged(app: &TestApp) -> (String, String, String) {
    seeded(app).await;
    let (zjj_item, zjj_id, zjj_dept) = building_department(app).await;
    let yjj = app.login("yjj").await;
    let bureau_item = trade_item(app, &yjj).await;
    let (_, insp) = app.get(&yjj, "/api/v1/enforcement/inspectors").await;
    let zfry = insp["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user_name"] == "执法队员张明")
        .map(|i| i["user_id"].as_str().unwrap().to_string())
        .unwrap();
    let (_, tasks) = app.get(&yjj, "/api/v1/enforcement/tasks").await;
    let enterprise = tasks["items"][0]["enterprise_id"].as_str().unwrap();
    let month = format!("{}-12", today(app.clock.now_ms()).year());
    let commander = app.login("commander").await;
    let body = json!({"enterprise_id": enterprise, "planned_month": month,
        "item_ids": [bureau_item, zjj_item], "inspector_ids": [zfry, zjj_id]});
    let (s, j) = app
        .post(&commander, "/api/v1/enforcement/joint-tasks", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{j}");
    (j["task_id"].as_str().unwrap().to_string(), zjj_id, zjj_dept)
}

async fn joint_record_by_department(app: &TestApp) {
    let (task, zjj_id, zjj_dept) = arranged(app).await;
    let zjj = app.login("zjj").await;
    let (s, d) = app
        .get(&zjj, &format!("/api/v1/enforcement/tasks/{task}/dossier"))
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the other department's inspector opens the dossier: {d}"
    );
    let (s, list) = app
        .get(&zjj, &format!("/api/v1/enforcement/tasks/{task}/checklist"))
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let line = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "B2-1")
        .expect("住建局's first line");
    assert_eq!(line["department_name"], "区住房和城乡建设局", "{line}");
    assert_eq!(line["department_id"], zjj_dept.as_str());
    // A department that does not take part is refused by row; nothing stored.
    let path = format!("/api/v1/enforcement/tasks/{task}/inspection");
    let before = (
        app.count("inspection_records").await,
        app.count("hazards").await,
    );
    let bad = json!({"summary": "联合检查", "findings": [
        {"category": "site", "description": "脚手架未设剪刀撑", "department_id": "nope"}]});
    let (s, e) = app.post(&zjj, &path, &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "findings[0].department_id", "{e}");
    assert_eq!(
        (
            app.count("inspection_records").await,
            app.count("hazards").await
        ),
        before
    );
    let body = json!({
        "summary": "应急局与住建局联合检查",
        "checks": [{"code": "B2-1", "result": "fail"}, {"code": "B-1", "result": "pass"}],
        "findings": [
            {"category": "site", "description": "脚手架未设剪刀撑", "department_id": zjj_dept},
            {"category": "fire", "description": "灭火器过期", "location": "仓库"}
        ]
    });
    let (s, r) = app.post(&zjj, &path, &body).await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "the other department's inspector records: {r}"
    );
    let png = upload_png(app, &zjj).await;
    let sign = json!({"kind": "inspector", "user_id": zjj_id, "method": "drawn", "image_id": png});
    let (s, r) = app
        .post(
            &zjj,
            &format!("/api/v1/enforcement/tasks/{task}/signatures"),
            &sign,
        )
        .await;
    assert!(
        s.is_success(),
        "the other department's inspector signs: {r}"
    );
    // Both departments' managers read the record, grouped by department (the lead first).
    for who in ["yjj", "zjj", "commander"] {
        let c = app.login(who).await;
        let (s, rec) = app
            .get(&c, &format!("/api/v1/enforcement/tasks/{task}/inspection"))
            .await;
        assert_eq!(s, StatusCode::OK, "{who}: {rec}");
        let groups = rec["departments"].as_array().unwrap();
        assert_eq!(groups.len(), 2, "{who}: {rec}");
        assert_eq!(groups[0]["department_name"], "区应急管理局", "{rec}");
        assert_eq!(groups[0]["findings"][0]["description"], "灭火器过期");
        assert_eq!(groups[1]["department_id"], zjj_dept.as_str());
        assert_eq!(groups[1]["check_codes"][0], "B2-1");
        assert_eq!(groups[1]["findings"][0]["description"], "脚手架未设剪刀撑");
    }
    // The 住建局 finding's hazard is supervised by 住建局.
    let (_, rec) = app
        .get(
            &zjj,
            &format!("/api/v1/enforcement/tasks/{task}/inspection"),
        )
        .await;
    let hazard = rec["departments"][1]["findings"][0]["hazard_id"]
        .as_str()
        .unwrap();
    let n = app
        .store
        .fetch_i64(yingji_store::Sql::new(&format!(
            "SELECT COUNT(*) FROM hazards WHERE id = '{hazard}' AND department_id = '{zjj_dept}'"
        )))
        .await
        .unwrap();
    assert_eq!(n, 1);
    // A department that does not take part does not see it.
    let other = app.login("street").await;
    let (s, _) = app
        .get(
            &other,
            &format!("/api/v1/enforcement/tasks/{task}/inspection"),
        )
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
}
both!(joint_record_by_department);

//! 现场检查 through the API: a finding that meets a 重大隐患判定标准 item becomes a 重大 hazard
//! (source 执法检查) in the same transaction as the record; a bad row stores nothing; only the
//! task's inspectors record and collect signatures, a signer off the task is refused by field;
//! an enterprise reads only its own inspections.

use super::seeded;
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

const WATCHED: [&str; 8] = [
    "inspection_records",
    "inspection_person_months",
    "inspection_enterprise_months",
    "inspection_checks",
    "inspection_findings",
    "inspection_signatures",
    "hazards",
    "audit_log",
];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = vec![];
    for t in WATCHED {
        out.push(app.count(t).await);
    }
    out
}

async fn user_id(app: &TestApp, c: &Client) -> String {
    let (_, me) = app.get(c, "/api/v1/auth/me").await;
    me["user"]["id"].as_str().expect("id").to_string()
}

/// A task of the caller's (an inspector sees only theirs), optionally one without `without`.
async fn a_task(app: &TestApp, c: &Client, without: Option<&str>) -> Value {
    let (s, tasks) = app.get(c, "/api/v1/enforcement/tasks?page_size=100").await;
    assert_eq!(s, StatusCode::OK, "{tasks}");
    tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            without.is_none_or(|w| {
                t["team"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|m| m["user_id"] != w)
            })
        })
        .expect("a task")
        .clone()
}

async fn upload(app: &TestApp, c: &Client, name: &str, format: image::ImageFormat) -> String {
    let bytes = crate::kernel::attachments::picture(8, 8, format);
    let r = c
        .post(app.url(&format!("/api/v1/attachments?filename={name}")))
        .body(bytes)
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.expect("json");
    a["id"].as_str().unwrap().to_string()
}

/// A criterion item of the checklist without a numeric rule (met by ticking it).
fn plain_criterion(checklist: &Value) -> String {
    let shipped = yingji_core::prevention::hazard::shipped_criteria().items;
    checklist["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["source"] == "criterion")
        .map(|i| i["code"].as_str().unwrap().to_string())
        .find(|code| {
            shipped
                .iter()
                .any(|c| &c.code == code && c.numeric.is_none())
        })
        .expect("a plain criterion")
}

async fn finding_becomes_a_major_hazard(app: &TestApp) {
    seeded(app).await;
    let zf = app.login("zfry").await;
    let task = a_task(app, &zf, None).await;
    let id = task["id"].as_str().unwrap();
    let (s, d) = app
        .get(&zf, &format!("/api/v1/enforcement/tasks/{id}/dossier"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["enterprise"]["name"], task["enterprise_name"]);
    let (s, list) = app
        .get(&zf, &format!("/api/v1/enforcement/tasks/{id}/checklist"))
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["source"] == "bureau")
    );
    let code = plain_criterion(&list);
    let photo = upload(app, &zf, "现场.png", image::ImageFormat::Png).await;
    let hazards = app.count("hazards").await;
    let body = json!({
        "summary": "检查了有限空间作业和消防设施",
        "checks": [{"code": code, "result": "fail"}, {"code": "B-1", "result": "pass"}],
        "findings": [
            {"criterion_code": code, "category": "site", "description": "有限空间作业未审批", "photo_ids": [photo]},
            {"category": "fire", "description": "灭火器过期", "location": "二号车间"}
        ]
    });
    let path = format!("/api/v1/enforcement/tasks/{id}/inspection");
    let (s, r) = app.post(&zf, &path, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(app.count("hazards").await, hazards + 2);
    assert_eq!(r["record"]["major_findings"], 1);
    assert_eq!(r["findings"][0]["level"], "major");
    assert_eq!(r["findings"][1]["level"], "general");
    let hid = r["findings"][0]["hazard_id"].as_str().unwrap();
    let (s, h) = app.get(&zf, &format!("/api/v1/hazards/{hid}")).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(
        (h["level"].as_str(), h["source"].as_str()),
        (Some("major"), Some("inspection"))
    );
    assert_eq!(h["attachments"].as_array().unwrap().len(), 1);
    let (_, t) = app
        .get(&zf, "/api/v1/enforcement/tasks?page_size=100")
        .await;
    let done = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap();
    assert_eq!(done["status"], "done");
    let (s, _) = app.post(&zf, &path, &body).await;
    assert_eq!(s, StatusCode::CONFLICT, "one record per task");
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=inspection_record",
        )
        .await;
    assert!(audit.to_string().contains("enforcement.inspect"), "{audit}");
}
both!(finding_becomes_a_major_hazard);

async fn bad_finding_row_stores_nothing(app: &TestApp) {
    seeded(app).await;
    let zf = app.login("zfry").await;
    let task = a_task(app, &zf, None).await;
    let path = format!(
        "/api/v1/enforcement/tasks/{}/inspection",
        task["id"].as_str().unwrap()
    );
    let before = counts(app).await;
    let good = json!({"category": "site", "description": "通道堆放杂物"});
    let body =
        json!({"summary": "x", "findings": [good, {"category": "site", "description": " "}]});
    let (s, e) = app.post(&zf, &path, &body).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("findings[1].description")),
        "{e}"
    );
    // The second finding's photo is nobody's: its hazard fails after the first one was written
    // in the transaction, and nothing stays.
    let body = json!({"summary": "x", "findings": [good, {"category": "site", "description": "y", "photo_ids": ["nope"]}]});
    let (s, e) = app.post(&zf, &path, &body).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("findings[1].photo_ids")),
        "{e}"
    );
    let body = json!({"summary": "x", "findings": [{"criterion_code": "HG-2017-01", "category": "site", "description": "y"}]});
    let (s, e) = app.post(&zf, &path, &body).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("findings[0].criterion_code")),
        "{e}"
    );
    assert_eq!(counts(app).await, before);
}
both!(bad_finding_row_stores_nothing);

async fn signatures_by_the_team(app: &TestApp) {
    seeded(app).await;
    let zf = app.login("zfry").await;
    let zf3 = app.login("zfry3").await;
    let zf3_id = user_id(app, &zf3).await;
    let task = a_task(app, &zf, Some(&zf3_id)).await;
    let id = task["id"].as_str().unwrap();
    let sign_path = format!("/api/v1/enforcement/tasks/{id}/signatures");
    let me = user_id(app, &zf).await;
    let png = upload(app, &zf, "签名.png", image::ImageFormat::Png).await;
    let mine = json!({"kind": "inspector", "user_id": me, "method": "drawn", "image_id": png});
    let (s, _) = app.post(&zf, &sign_path, &mine).await;
    assert_eq!(s, StatusCode::CONFLICT, "the record comes first");
    let path = format!("/api/v1/enforcement/tasks/{id}/inspection");
    let (s, r) = app
        .post(&zf, &path, &json!({"summary": "未发现问题"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, r) = app.post(&zf, &sign_path, &mine).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let before = counts(app).await;
    let png2 = upload(app, &zf, "签名2.png", image::ImageFormat::Png).await;
    let other =
        json!({"kind": "inspector", "user_id": zf3_id, "method": "drawn", "image_id": png2});
    let (s, e) = app.post(&zf, &sign_path, &other).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("user_id")),
        "{e}"
    );
    assert!(e.to_string().contains("签名人不是本任务的执法人员"), "{e}");
    let (s, _) = app.post(&zf3, &sign_path, &other).await;
    assert!(
        matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{s}"
    );
    let jpeg = upload(app, &zf, "签名.jpg", image::ImageFormat::Jpeg).await;
    let partner = task["team"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] != me.as_str())
        .unwrap();
    let as_jpeg = json!({"kind": "inspector", "user_id": partner["user_id"], "method": "drawn", "image_id": jpeg});
    let (s, e) = app.post(&zf, &sign_path, &as_jpeg).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("image_id")),
        "{e}"
    );
    assert_eq!(counts(app).await, before);
    let refuse = json!({"kind": "enterprise", "signer_name": "王经理", "method": "refused", "refusal_reason": "对检查结论有异议"});
    let (s, r) = app.post(&zf, &sign_path, &refuse).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["signatures"][1]["method_label"], "拒绝签名");
    let (s, _) = app.post(&zf, &sign_path, &refuse).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "the enterprise signs once");
}
both!(signatures_by_the_team);

async fn others_cannot_record(app: &TestApp) {
    seeded(app).await;
    let zf = app.login("zfry").await;
    let zf3_id = user_id(app, &app.login("zfry3").await).await;
    let task = a_task(app, &zf, Some(&zf3_id)).await;
    let path = format!(
        "/api/v1/enforcement/tasks/{}/inspection",
        task["id"].as_str().unwrap()
    );
    let mut others = vec![];
    for who in ["zjj", "zfry3", "yjj", "enterprise", "grid"] {
        others.push((who, app.login(who).await));
    }
    let before = counts(app).await;
    let body = json!({"summary": "x"});
    for (who, c) in &others {
        let (s, e) = app.post(c, &path, &body).await;
        assert!(
            matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{who}: {s} {e}"
        );
    }
    // Another department does not see the dossier.
    let zjj = &others[0].1;
    let dossier = format!(
        "/api/v1/enforcement/tasks/{}/dossier",
        task["id"].as_str().unwrap()
    );
    assert_eq!(app.get(zjj, &dossier).await.0, StatusCode::NOT_FOUND);
    assert_eq!(counts(app).await, before);
}
both!(others_cannot_record);

async fn enterprise_reads_its_own(app: &TestApp) {
    seeded(app).await;
    let zf = app.login("zfry").await;
    let task = a_task(app, &zf, None).await;
    let ent = app.login("enterprise").await;
    let (_, mine) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    let own = mine["items"][0].clone();
    let own_id = own["id"].as_str().unwrap().to_string();
    assert_ne!(task["enterprise_id"], own_id.as_str());
    // A task for the enterprise user's own enterprise, with the same team.
    let team: Vec<yingji_store::enforcement::draws::TeamMember> =
        serde_json::from_value(task["team"].clone()).unwrap();
    let mut tx = app.store.begin().await.unwrap();
    let own_task = yingji_store::enforcement::tasks::create_in(
        &mut tx,
        app.clock.now_ms(),
        &yingji_store::enforcement::tasks::NewTask {
            department_id: task["department_id"].as_str().unwrap(),
            item_id: task["item_id"].as_str().unwrap(),
            draw_id: None,
            enterprise_id: &own_id,
            enterprise_name: own["name"].as_str().unwrap(),
            region_code: task["region_code"].as_str().unwrap(),
            kind: "key",
            year: task["year"].as_i64().unwrap(),
            team: &team,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    for t in [task["id"].as_str().unwrap(), own_task.as_str()] {
        let path = format!("/api/v1/enforcement/tasks/{t}/inspection");
        let (s, r) = app
            .post(&zf, &path, &json!({"summary": "未发现问题"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    let (s, list) = app.get(&ent, "/api/v1/enforcement/inspections").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["enterprise_id"], own_id.as_str());
    let (_, all) = app.get(&zf, "/api/v1/enforcement/inspections").await;
    assert_eq!(all["total"], 2);
    let other = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enterprise_id"] != own_id.as_str())
        .unwrap();
    let path = format!(
        "/api/v1/enforcement/inspections/{}",
        other["id"].as_str().unwrap()
    );
    assert_eq!(app.get(&ent, &path).await.0, StatusCode::NOT_FOUND);
    let (_, z) = app
        .get(&app.login("zjj").await, "/api/v1/enforcement/inspections")
        .await;
    assert_eq!(z["total"], 0);
}
both!(enterprise_reads_its_own);

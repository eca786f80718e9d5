//! 执法监管: the 执法事项目录, the 执法检查人员名录库 with 回避, and 双随机 draws through the API —
//! recorded, re-run by 复核 to the same result, tampering found, the 重点 list and 回避
//! respected, two inspectors always, bad input refused with nothing stored, scope by department,
//! and the public page (一公开) of published draws.

mod case_windows;
mod cases;
mod documents;
mod inspections;
mod joint;
mod joint_record;
mod outcomes;
mod plans;
mod receipts;
mod review;
mod stats;

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

pub(super) async fn seeded(app: &TestApp) {
    yingji_demo::seed::generate_enforcement(&app.store, app.clock.now_ms())
        .await
        .expect("enforcement demo");
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|p| p["enterprise_id"].as_str().expect("id").to_string())
        .collect()
}

async fn trade_item(app: &TestApp, c: &reqwest::Client) -> String {
    let (s, items) = app.get(c, "/api/v1/enforcement/items").await;
    assert_eq!(s, StatusCode::OK, "{items}");
    assert_eq!(items["total"], 3);
    let item = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["category"] == "industry_trade")
        .expect("工贸 item");
    assert_eq!(item["method_label"], "双随机抽查");
    item["id"].as_str().unwrap().to_string()
}

async fn draw_recorded_and_reproducible(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let item = trade_item(app, &yjj).await;
    let (s, insp) = app.get(&yjj, "/api/v1/enforcement/inspectors").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(insp["total"], 4);
    let zf3 = insp["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user_name"] == "执法队员王强")
        .unwrap();
    let conflicted = zf3["conflicts"][0]["enterprise_id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"title": "抽查测试", "item_id": item, "count": 8, "seed": "42"});
    let (s, d) = app.post(&yjj, "/api/v1/enforcement/draws", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["seed"], "42");
    assert_eq!(d["picked"], 8);
    let picked = ids(&d["result"]);
    // Two inspectors each, never the one with a conflict on that enterprise.
    for p in d["result"].as_array().unwrap() {
        let team = p["team"].as_array().unwrap();
        assert_eq!(team.len(), 2);
        assert_ne!(team[0]["user_id"], team[1]["user_id"]);
        if p["enterprise_id"] == conflicted.as_str() {
            assert!(team.iter().all(|m| m["name"] != "执法队员王强"));
        }
    }
    // None on the 重点 list (a 重大危险源 enterprise), none drawn twice.
    let admin = app.login("admin").await;
    for id in &picked {
        let (_, e) = app.get(&admin, &format!("/api/v1/enterprises/{id}")).await;
        assert!(
            !e["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "major_hazard"),
            "{e}"
        );
        assert_eq!(e["status"], "operating");
    }
    // 复核: the recorded draw runs again to the same result.
    let id = d["id"].as_str().unwrap();
    let (s, v) = app
        .post(
            &yjj,
            &format!("/api/v1/enforcement/draws/{id}/verify"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["consistent"], true, "{v}");
    // A task per drawn enterprise; the next draw of the year skips them.
    let (_, tasks) = app
        .get(&yjj, &format!("/api/v1/enforcement/tasks?draw={id}"))
        .await;
    assert_eq!(tasks["total"], 8);
    assert_eq!(tasks["items"][0]["status_label"], "待检查");
    let (s, again) = app.post(&yjj, "/api/v1/enforcement/draws", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{again}");
    assert!(ids(&again["result"]).iter().all(|e| !picked.contains(e)));
    // An inspector reads the tasks they are on, and only those.
    let zf = app.login("zfry").await;
    let (s, mine) = app.get(&zf, "/api/v1/enforcement/tasks").await;
    assert_eq!(s, StatusCode::OK);
    for t in mine["items"].as_array().unwrap() {
        assert!(
            t["team"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["name"] == "执法队员张明"),
            "{t}"
        );
    }
    // Tampering with the record is found by 复核.
    app.store
        .execute(yingji_store::Sql::new(&format!(
            "UPDATE enforcement_draws SET result = REPLACE(result, '{}', '{}') WHERE id = '{id}'",
            picked[0], picked[1]
        )))
        .await
        .unwrap();
    let (_, v) = app
        .post(
            &yjj,
            &format!("/api/v1/enforcement/draws/{id}/verify"),
            &json!({}),
        )
        .await;
    assert_eq!(v["consistent"], false, "{v}");
    // Audited with the inputs' hash.
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=enforcement_draw",
        )
        .await;
    let rec = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity_id"] == id)
        .expect("audit");
    assert_eq!(rec["action_label"], "双随机抽取");
}
both!(draw_recorded_and_reproducible);

async fn draw_bad_input_stores_nothing(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let item = trade_item(app, &yjj).await;
    let draws = app.count("enforcement_draws").await;
    let tasks = app.count("inspection_tasks").await;
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"title": "x", "item_id": item, "ratio_percent": "120"}),
            "ratio_percent",
        ),
        (
            json!({"title": "x", "item_id": item, "count": 1, "team_size": 1}),
            "team_size",
        ),
        (
            json!({"title": "x", "item_id": item, "count": 1, "seed": "-1"}),
            "seed",
        ),
        (json!({"title": "", "item_id": "", "count": 1}), "title"),
        (
            json!({"title": "x", "item_id": item, "count": 1, "category": "construction"}),
            "category",
        ),
        (
            json!({"title": "x", "item_id": item, "count": 3, "team_size": 5}),
            "inspectors",
        ),
    ];
    for (body, field) in cases {
        let (s, e) = app.post(&yjj, "/api/v1/enforcement/draws", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {e}");
        let fields: Vec<&str> = e["details"]
            .as_array()
            .map(|d| d.iter().filter_map(|f| f["field"].as_str()).collect())
            .unwrap_or_default();
        assert!(fields.contains(&field), "{body} → {e}");
    }
    // An expired 执法证 takes an inspector out: with two of four expired, a team of three fails.
    let (_, insp) = app.get(&yjj, "/api/v1/enforcement/inspectors").await;
    for i in insp["items"].as_array().unwrap().iter().take(2) {
        let renew = json!({"user_id": i["user_id"], "cert_no": i["cert_no"], "cert_valid_until": "2026-05-01"});
        let (s, r) = app
            .post(&yjj, "/api/v1/enforcement/inspectors", &renew)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    let (s, e) = app
        .post(
            &yjj,
            "/api/v1/enforcement/draws",
            &json!({"title": "x", "item_id": item, "count": 1, "team_size": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    // Two remain, or one where the drawn enterprise is 王强's 回避 (the seed is the server's).
    let m = e["message"].as_str().unwrap();
    assert!(m.contains("只有 2 人") || m.contains("只有 1 人"), "{e}");
    assert_eq!(e["details"][0]["field"], "inspectors", "{e}");
    assert_eq!(app.count("enforcement_draws").await, draws);
    assert_eq!(app.count("inspection_tasks").await, tasks);
    // Bad registry input names the field.
    let (s, e) = app
        .post(
            &yjj,
            "/api/v1/enforcement/inspectors",
            &json!({"user_id": "nobody", "cert_no": "1", "cert_valid_until": "tomorrow"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (s, e) = app
        .post(
            &yjj,
            "/api/v1/enforcement/items",
            &json!({"name": "x", "legal_basis": "y", "method": "lottery"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "method");
}
both!(draw_bad_input_stores_nothing);

async fn draws_by_department_and_public(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let (_, list) = app.get(&yjj, "/api/v1/enforcement/draws").await;
    assert_eq!(list["total"], 1, "the demo's published draw");
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    // Another department sees neither the catalogue nor the draws of the bureau.
    let zjj = app.login("zjj").await;
    assert_eq!(
        app.get(&zjj, "/api/v1/enforcement/items").await.1["total"],
        0
    );
    assert_eq!(
        app.get(&zjj, "/api/v1/enforcement/draws").await.1["total"],
        0
    );
    assert_eq!(
        app.get(&zjj, &format!("/api/v1/enforcement/draws/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let item = list["items"][0]["item_id"].as_str().unwrap();
    let (s, _) = app
        .post(
            &zjj,
            "/api/v1/enforcement/draws",
            &json!({"title": "x", "item_id": item, "count": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Inspectors read but do not draw; grid workers and enterprises do not read.
    let zf = app.login("zfry").await;
    assert_eq!(
        app.get(&zf, "/api/v1/enforcement/draws").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.post(
            &zf,
            "/api/v1/enforcement/draws",
            &json!({"title": "x", "item_id": item, "count": 1})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    for who in ["grid", "enterprise", "street"] {
        let c = app.login(who).await;
        assert_eq!(
            app.get(&c, "/api/v1/enforcement/draws").await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.get(&c, "/api/v1/enforcement/tasks").await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    // The public sees published draws with names and 执法证号 only, and can run 复核.
    let anon = app.anonymous();
    let (s, public) = app.get(&anon, "/api/public/enforcement/draws").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(public["total"], 1);
    let p = &public["items"][0];
    assert_eq!(p["drawn_by_name"], "");
    let member = &p["result"][0]["team"][0];
    assert_eq!(member["user_id"], "");
    assert!(
        member["cert_no"]
            .as_str()
            .unwrap()
            .starts_with("3604032024")
    );
    let (s, v) = app
        .post(
            &anon,
            &format!("/api/public/enforcement/draws/{id}/verify"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["consistent"], true, "{v}");
    // An unpublished draw is not public.
    let item = trade_item(app, &yjj).await;
    let (_, d) = app
        .post(
            &yjj,
            "/api/v1/enforcement/draws",
            &json!({"title": "未公开", "item_id": item, "count": 1}),
        )
        .await;
    let hidden = d["id"].as_str().unwrap();
    assert_eq!(
        app.get(&anon, &format!("/api/public/enforcement/draws/{hidden}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, d) = app
        .post(
            &yjj,
            &format!("/api/v1/enforcement/draws/{hidden}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert!(d["published_ms"].is_i64());
    assert_eq!(
        app.get(&anon, &format!("/api/public/enforcement/draws/{hidden}"))
            .await
            .0,
        StatusCode::OK
    );
}
both!(draws_by_department_and_public);

/// Writes to another department's registers and draws are refused and change nothing.
async fn enforcement_registers_by_department(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let (_, insp) = app.get(&yjj, "/api/v1/enforcement/inspectors").await;
    let zfry = insp["items"][0]["user_id"].as_str().unwrap().to_string();
    let bureau = insp["items"][0]["department_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, draws) = app.get(&yjj, "/api/v1/enforcement/draws").await;
    let draw = draws["items"][0]["id"].as_str().unwrap().to_string();
    let admin = app.login("admin").await;
    let (_, ents) = app.get(&admin, "/api/v1/enterprises?page_size=1").await;
    let ent = ents["items"][0]["id"].as_str().unwrap().to_string();
    let zjj = app.login("zjj").await;
    let mut others = vec![];
    for who in ["zfry", "street", "grid", "enterprise", "duty"] {
        others.push((who, app.login(who).await));
    }
    let tables = [
        "enforcement_items",
        "enforcement_inspectors",
        "enforcement_conflicts",
        "enforcement_draws",
        "audit_log",
    ];
    let mut before = vec![];
    for t in tables {
        before.push(app.count(t).await);
    }
    let item =
        json!({"department_id": bureau, "name": "x", "legal_basis": "y", "method": "random"});
    let (s, e) = app.post(&zjj, "/api/v1/enforcement/items", &item).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("department_id")),
        "{e}"
    );
    let renew = json!({"user_id": zfry, "cert_no": "ZJJ-000001", "cert_valid_until": "2030-01-01"});
    let (s, e) = app
        .post(&zjj, "/api/v1/enforcement/inspectors", &renew)
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("user_id")),
        "{e}"
    );
    let conflict = json!({"enterprise_id": ent, "reason": "亲属"});
    let path = format!("/api/v1/enforcement/inspectors/{zfry}/conflicts");
    assert_eq!(
        app.post(&zjj, &path, &conflict).await.0,
        StatusCode::NOT_FOUND
    );
    let publish = format!("/api/v1/enforcement/draws/{draw}/publish");
    assert_eq!(
        app.post(&zjj, &publish, &json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    for (who, c) in &others {
        assert_eq!(
            app.post(c, "/api/v1/enforcement/items", &item).await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.post(c, "/api/v1/enforcement/inspectors", &renew)
                .await
                .0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.post(c, &path, &conflict).await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.post(c, &publish, &json!({})).await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(app.count(t).await, n, "{t}");
    }
}
both!(enforcement_registers_by_department);

/// A manager finds the people they may enter in the pool: their departments' 执法人员 and staff.
async fn pool_people_by_department(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let (s, people) = app.get(&yjj, "/api/v1/enforcement/people").await;
    assert_eq!(s, StatusCode::OK, "{people}");
    let rows = people["items"].as_array().unwrap();
    let zfry = rows.iter().find(|p| p["username"] == "zfry").expect("zfry");
    assert_eq!(zfry["in_pool"], true);
    assert!(
        rows.iter().all(|p| p["department_name"] == "区应急管理局"),
        "{people}"
    );
    assert!(rows.iter().all(|p| p["username"] != "zjj"), "{people}");
    let zjj = app.login("zjj").await;
    let (_, theirs) = app.get(&zjj, "/api/v1/enforcement/people").await;
    let names: Vec<&str> = theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["zjj"], "{theirs}");
    for who in ["zfry", "street", "enterprise"] {
        let c = app.login(who).await;
        let (s, _) = app.get(&c, "/api/v1/enforcement/people").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
}
both!(pool_people_by_department);

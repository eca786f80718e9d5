//! 一公开 outcomes: without a session, a published draw's enterprises show their inspection day
//! and result (未发现问题 / 发现隐患 n 项 / 立案查处) and a decided penalty's 决定书 number and
//! summary; nothing personal (no user ids, no phone numbers, not the enterprise's people); an
//! unpublished draw's outcomes are 404.

use super::seeded;
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_store::sqlx::Row;

/// Records the inspection of up to `n` of the draw's open tasks, each by one of its team;
/// `findings[i]` findings on the i-th. Answers the task ids recorded, in order.
async fn inspect(app: &TestApp, draw: &str, findings: &[usize]) -> Vec<String> {
    let mut done = Vec::new();
    for who in ["zfry", "zfry2", "zfry3", "yjj"] {
        let c = app.login(who).await;
        let (_, me) = app.get(&c, "/api/v1/auth/me").await;
        let me = me["user"]["id"].clone();
        let (_, tasks) = app
            .get(
                &c,
                &format!("/api/v1/enforcement/tasks?draw={draw}&page_size=100"),
            )
            .await;
        for t in tasks["items"].as_array().cloned().unwrap_or_default() {
            let id = t["id"].as_str().unwrap().to_string();
            let mine = t["team"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["user_id"] == me);
            if done.len() >= findings.len() || done.contains(&id) || !mine {
                continue;
            }
            let list: Vec<Value> = (0..findings[done.len()])
                .map(|k| json!({"category": "fire", "description": format!("消防通道堵塞{k}")}))
                .collect();
            let body = json!({"summary": "双随机抽查", "findings": list});
            let path = format!("/api/v1/enforcement/tasks/{id}/inspection");
            let (s, r) = app.post(&c, &path, &body).await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
            done.push(id);
        }
    }
    assert_eq!(done.len(), findings.len(), "enough tasks in the demo draw");
    done
}

/// A decided case opened from a task's finding, with its 行政处罚决定书 (rows as the case and
/// document code write them).
async fn decided_case(app: &TestApp, task: &str) -> String {
    let q = yingji_store::Sql::new(&format!(
        "SELECT f.hazard_id, r.department_id, r.enterprise_id, r.enterprise_name FROM inspection_findings f JOIN inspection_records r ON r.id = f.record_id WHERE r.task_id = '{task}'"
    ));
    let row = app
        .store
        .fetch_optional(q)
        .await
        .unwrap()
        .expect("a finding");
    let (hazard, dept, ent, name): (String, String, String, String) = (
        row.try_get("hazard_id").unwrap(),
        row.try_get("department_id").unwrap(),
        row.try_get("enterprise_id").unwrap(),
        row.try_get("enterprise_name").unwrap(),
    );
    let now = app.clock.now_ms();
    let number = "〔2026〕浔应急罚决〔0042〕号";
    for sql in [
        format!(
            "INSERT INTO enforcement_cases (id, department_id, enterprise_id, enterprise_name, region_code, title, source, source_id, state, filed_day, decision_due, aggravated, decided_fine, criminal_transfer, paid, compulsory, overdue, created_by, created_ms, updated_ms) VALUES ('case-o', '{dept}', '{ent}', '{name}', '', '未按规定保持疏散通道畅通', 'finding', '{hazard}', 'decided', '2026-05-01', '2026-07-30', 0, 30000, 0, 0, 0, 0, 'x', {now}, {now})"
        ),
        format!(
            "INSERT INTO enforcement_documents (id, kind, number, department_id, year, seq, version, subject_kind, subject_id, party, fields, pdf, pdf_sha256, pdf_size, issued_by, issued_by_name, issued_ms) VALUES ('doc-o', 'penalty_decision', '{number}', '{dept}', 2026, 42, 1, 'case', 'case-o', '{name}', '{{}}', '', '', 0, 'x', 'x', {now})"
        ),
    ] {
        app.store
            .execute(yingji_store::Sql::new(&sql))
            .await
            .unwrap();
    }
    number.to_string()
}

async fn public_outcomes_without_people(app: &TestApp) {
    seeded(app).await;
    let anon = app.anonymous();
    let (s, draws) = app.get(&anon, "/api/public/enforcement/draws").await;
    assert_eq!(s, StatusCode::OK, "{draws}");
    let draw = draws["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/public/enforcement/draws/{draw}/outcomes");
    let (s, o) = app.get(&anon, &path).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(o["total"], draws["items"][0]["picked"], "{o}");
    assert!(
        o["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["result"] == "pending")
    );
    let tasks = inspect(app, &draw, &[0, 2, 1]).await;
    let number = decided_case(app, &tasks[2]).await;
    let (s, o) = app.get(&anon, &path).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    let labels: Vec<&str> = o["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["result_label"].as_str().unwrap())
        .collect();
    for want in ["未发现问题", "发现隐患 2 项", "立案查处"] {
        assert!(labels.contains(&want), "{want}: {o}");
    }
    let case = o["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["result"] == "case")
        .unwrap();
    assert_eq!(case["decision"]["number"], number.as_str());
    assert_eq!(case["decision"]["penalty"], "罚款人民币30000元");
    let day = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string();
    assert_eq!(case["inspected_on"], day.as_str());
    // Nothing personal: no user's id or phone, not the enterprise's people.
    let text = o.to_string();
    let people = app
        .store
        .fetch_all(yingji_store::Sql::new(
            "SELECT id AS v FROM users UNION SELECT phone FROM users WHERE phone IS NOT NULL UNION SELECT principal_name FROM enterprises WHERE principal_name IS NOT NULL UNION SELECT principal_phone FROM enterprises WHERE principal_phone IS NOT NULL UNION SELECT safety_officer_phone FROM enterprises WHERE safety_officer_phone IS NOT NULL",
        ))
        .await
        .unwrap();
    assert!(!people.is_empty());
    for r in people {
        let v: String = r.try_get("v").unwrap();
        assert!(v.len() < 3 || !text.contains(&v), "{v} in {text}");
    }
    for field in [
        "user_id",
        "phone",
        "recorded_by",
        "principal",
        "safety_officer",
    ] {
        assert!(!text.contains(field), "{field} in {text}");
    }
    // An unpublished draw is not public.
    let yjj = app.login("yjj").await;
    let (_, mine) = app.get(&yjj, "/api/v1/enforcement/draws").await;
    if let Some(d) = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["published_ms"].is_null())
    {
        let p = format!(
            "/api/public/enforcement/draws/{}/outcomes",
            d["id"].as_str().unwrap()
        );
        assert_eq!(app.get(&anon, &p).await.0, StatusCode::NOT_FOUND);
    }
    let p = "/api/public/enforcement/draws/nope/outcomes";
    assert_eq!(app.get(&anon, p).await.0, StatusCode::NOT_FOUND);
}
both!(public_outcomes_without_people);

/// The demo's year: monthly draws, inspections spread over the months and the team, a share
/// with findings (each a hazard), some refusals to sign, and a published draw with outcomes.
async fn demo_year_of_inspections(app: &TestApp) {
    seeded(app).await;
    let now = app.clock.now_ms();
    let n = yingji_demo::seed::generate_inspection_year(&app.store, now, 42)
        .await
        .expect("a year");
    assert!((150..=300).contains(&n), "{n} inspections");
    println!("the demo year: {n} inspections");
    assert_eq!(app.count("inspection_records").await, n as i64);
    let rows = app
        .store
        .fetch_all(yingji_store::Sql::new(
            "SELECT r.recorded_ms, r.recorded_by, (SELECT COUNT(*) FROM inspection_findings f WHERE f.record_id = r.id) AS n FROM inspection_records r",
        ))
        .await
        .unwrap();
    let mut months = std::collections::BTreeSet::new();
    let mut inspectors = std::collections::BTreeSet::new();
    let mut with_findings = 0;
    for r in &rows {
        let ms: i64 = r.try_get("recorded_ms").unwrap();
        assert!(ms < now);
        months.insert(yingji_core::kernel::clock::month_of(ms));
        inspectors.insert(r.try_get::<String, _>("recorded_by").unwrap());
        with_findings += i64::from(r.try_get::<i64, _>("n").unwrap() > 0);
    }
    assert!(months.len() >= 11, "{months:?}");
    assert!(inspectors.len() >= 3, "{inspectors:?}");
    let share = with_findings * 100 / rows.len() as i64;
    assert!((20..=60).contains(&share), "{share}% with findings");
    let refused = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM inspection_signatures WHERE method = 'refused'",
        ))
        .await
        .unwrap();
    assert!(refused > 0);
    // Two published draws: the current one (pending) and a past one with outcomes.
    let anon = app.anonymous();
    let (_, draws) = app.get(&anon, "/api/public/enforcement/draws").await;
    assert_eq!(draws["total"], 2, "{draws}");
    let mut inspected = 0;
    for d in draws["items"].as_array().unwrap() {
        let path = format!(
            "/api/public/enforcement/draws/{}/outcomes",
            d["id"].as_str().unwrap()
        );
        let (_, o) = app.get(&anon, &path).await;
        inspected += o["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["result"] != "pending")
            .count();
    }
    assert!(inspected >= 10, "{inspected}");
}
both!(demo_year_of_inspections);

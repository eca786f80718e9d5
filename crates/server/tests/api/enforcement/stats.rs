//! 执法统计与考评 through the API: the figures of a seeded set (inspections with findings in two
//! months, a case decided with its fine) by department, inspector, category and month; the flags
//! under the district's thresholds; scope (another department sees none of it, an inspector only
//! their own line, an enterprise 403); bad year and month named; the workbook's sheets.

use super::seeded;
use crate::both;
use crate::helpers::TestApp;
use calamine::Reader;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, month_of, today};

const DAY_MS: i64 = 86_400_000;

async fn download(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Vec<u8>) {
    let r = c.get(app.url(path)).send().await.expect("request");
    let s = r.status();
    if s == StatusCode::OK {
        let cd = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    }
    (s, r.bytes().await.expect("body").to_vec())
}

async fn me(app: &TestApp, c: &Client) -> String {
    let (_, me) = app.get(c, "/api/v1/auth/me").await;
    me["user"]["id"].as_str().expect("id").to_string()
}

/// Records an inspection on one of the caller's tasks with `findings` (the first a 重大 one
/// when `major`); answers the task's team.
async fn inspect(app: &TestApp, c: &Client, findings: usize, major: bool) -> Vec<String> {
    let (s, tasks) = app
        .get(c, "/api/v1/enforcement/tasks?status=assigned&page_size=100")
        .await;
    assert_eq!(s, StatusCode::OK, "{tasks}");
    let task = tasks["items"][0].clone();
    let id = task["id"].as_str().expect("a task");
    let (_, list) = app
        .get(c, &format!("/api/v1/enforcement/tasks/{id}/checklist"))
        .await;
    let shipped = yingji_core::prevention::hazard::shipped_criteria().items;
    let code = list["items"]
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
        .expect("a plain criterion");
    let rows: Vec<Value> = (0..findings)
        .map(|i| {
            if i == 0 && major {
                json!({"criterion_code": code, "category": "site", "description": "有限空间作业未审批"})
            } else {
                json!({"category": "fire", "description": format!("灭火器过期{i}")})
            }
        })
        .collect();
    let body = json!({"summary": "现场检查", "checks": [], "findings": rows});
    let (s, r) = app
        .post(
            c,
            &format!("/api/v1/enforcement/tasks/{id}/inspection"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    task["team"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap().to_string())
        .collect()
}

/// A case of the bureau against its first enterprise, taken to a decided fine of 300,000 元.
async fn decided_case(app: &TestApp, team: &[String]) {
    let yjj = app.login("yjj").await;
    let (_, v) = app.get(&yjj, "/api/v1/enterprises?page_size=1").await;
    let enterprise = v["items"][0]["id"].as_str().unwrap();
    let body = json!({"enterprise_id": enterprise, "title": "未按规定开展安全生产教育培训",
        "source": "complaint", "investigators": [team[0], team[1]]});
    let (s, c) = app.post(&yjj, "/api/v1/enforcement/cases", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let path = format!(
        "/api/v1/enforcement/cases/{}/steps",
        c["id"].as_str().unwrap()
    );
    let fine = json!({"accident_grade": "general", "amount_yuan": 300000});
    let fzsh = app.login("fzsh").await;
    for (who, step) in [
        (&yjj, "investigate"),
        (&yjj, "submit_review"),
        (&fzsh, "approve"),
        (&yjj, "statement"),
        (&yjj, "hearing_request"),
        (&yjj, "decide"),
    ] {
        let mut b = fine.clone();
        b["step"] = json!(step);
        if step == "statement" || step == "hearing_request" {
            b["waived"] = json!(true);
        }
        let (s, v) = app.post(who, &path, &b).await;
        assert_eq!(s, StatusCode::OK, "{step}: {v}");
    }
}

fn line<'a>(v: &'a Value, list: &str, key: &str, value: &str) -> &'a Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l[key] == value)
        .unwrap_or_else(|| panic!("{list} {key}={value}: {v}"))
}

fn flag_codes(l: &Value) -> Vec<String> {
    l["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

async fn set_thresholds(app: &TestApp) {
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["enforcement_stats"] =
        json!({"zero_penalty_min_inspections": 2, "lax_min_major_findings": 1});
    let body = json!({"region": "360403", "rules": rules, "note": "考评阈值"});
    let (s, v) = app.put(&admin, "/api/v1/rules", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

// Long because: one seeded set checked from every side, in the order it is built.
async fn figures_flags_and_scope(app: &TestApp) {
    seeded(app).await;
    set_thresholds(app).await;
    let now = app.clock.now_ms();
    let year = today(now).year();
    let zf = app.login("zfry").await;
    let zf_id = me(app, &zf).await;
    // One inspection 40 days ago (two findings, one 重大), one now (one finding).
    app.clock.set(now - 40 * DAY_MS);
    let earlier = month_of(app.clock.now_ms());
    let team = inspect(app, &zf, 2, true).await;
    app.clock.set(now);
    inspect(app, &zf, 1, false).await;
    let yjj = app.login("yjj").await;
    let url = format!("/api/v1/enforcement/stats?year={year}");
    let (s, v) = app.get(&yjj, &url).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let same_year = earlier.starts_with(&year.to_string());
    let n = if same_year { 2 } else { 1 };
    assert_eq!(v["totals"]["inspections"], n, "{v}");
    let bureau = line(&v, "departments", "department_name", "区应急管理局");
    assert_eq!(bureau["inspections"], n);
    // Before any penalty: 零处罚 at 2 inspections, 宽松软 at one 重大 finding with no case.
    if same_year {
        assert_eq!(v["totals"]["findings"], 3);
        assert_eq!(v["totals"]["major_findings"], 1);
        assert_eq!(flag_codes(bureau), ["zero_penalty", "lax"], "{bureau}");
        assert!(
            bureau["flags"][1]["reason"]
                .as_str()
                .unwrap()
                .contains("重大隐患 1 项")
        );
        let m: i64 = earlier[5..].parse().unwrap();
        assert_eq!(v["months"][(m - 1) as usize]["inspections"], 1, "{v}");
    }
    let this_month: i64 = month_of(now)[5..].parse().unwrap();
    assert_eq!(v["months"][(this_month - 1) as usize]["findings"], 1, "{v}");
    assert_eq!(v["months"].as_array().unwrap().len(), 12);
    assert_eq!(
        line(&v, "categories", "key", "industry_trade")["inspections"],
        n
    );
    assert_eq!(line(&v, "inspectors", "user_id", &zf_id)["inspections"], n);
    assert_eq!(v["thresholds"]["zero_penalty_min_inspections"], 2);

    // A case decided: the fine counted exactly, the flags gone for the department.
    decided_case(app, &team).await;
    let (_, v) = app.get(&yjj, &url).await;
    assert_eq!(v["totals"]["cases"], 1, "{v}");
    assert_eq!(v["totals"]["penalties"], 1);
    assert_eq!(v["totals"]["fine_yuan"], 300000);
    let bureau = line(&v, "departments", "department_name", "区应急管理局");
    assert!(flag_codes(bureau).is_empty(), "{bureau}");
    assert_eq!(line(&v, "inspectors", "user_id", &team[0])["penalties"], 1);
    assert_eq!(v["months"][(this_month - 1) as usize]["fine_yuan"], 300000);
    // One month only.
    let (_, m) = app.get(&yjj, &format!("{url}&month={this_month}")).await;
    assert_eq!(m["totals"]["inspections"], 1, "{m}");
    assert_eq!(m["months"].as_array().unwrap().len(), 1);
    let mine = line(&m, "inspectors", "user_id", &zf_id);
    assert_eq!(
        (&mine["inspections"], &mine["findings"]),
        (&json!(1), &json!(1))
    );

    // Scope: another department sees none of it; the inspector only their own line.
    let (s, other) = app.get(&app.login("zjj").await, &url).await;
    assert_eq!(s, StatusCode::OK, "{other}");
    assert_eq!(other["totals"]["inspections"], 0, "{other}");
    assert!(!other.to_string().contains("区应急管理局"), "{other}");
    let (s, own) = app.get(&zf, &url).await;
    assert_eq!(s, StatusCode::OK, "{own}");
    let people = own["inspectors"].as_array().unwrap();
    assert_eq!(people.len(), 1, "{own}");
    assert_eq!(people[0]["user_id"], zf_id.as_str());
    for who in ["enterprise", "grid"] {
        let (s, _) = app.get(&app.login(who).await, &url).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let (s, _) = app.get(&yjj, &format!("{url}&department_id=nope")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both!(figures_flags_and_scope);

async fn bad_period_named(app: &TestApp) {
    let yjj = app.login("yjj").await;
    for (q, field) in [
        ("year=abc", "year"),
        ("", "year"),
        ("year=1999", "year"),
        ("year=2026&month=13", "month"),
    ] {
        let (s, e) = app
            .get(&yjj, &format!("/api/v1/enforcement/stats?{q}"))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {e}");
        assert_eq!(e["details"][0]["field"], field, "{q}: {e}");
        assert!(e["message"].as_str().unwrap().contains("统计"), "{e}");
    }
}
both!(bad_period_named);

async fn workbook_sheets(app: &TestApp) {
    seeded(app).await;
    let zf = app.login("zfry").await;
    inspect(app, &zf, 1, false).await;
    let year = today(app.clock.now_ms()).year();
    let yjj = app.login("yjj").await;
    let (s, bytes) = download(
        app,
        &yjj,
        &format!("/api/v1/enforcement/stats.xlsx?year={year}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    assert_eq!(
        wb.sheet_names(),
        ["按部门", "按执法人员", "按类别", "按月", "逾期案件"]
    );
    let dept = wb.worksheet_range("按部门").expect("sheet");
    let rows: Vec<Vec<String>> = dept
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "部门");
    assert_eq!(rows[0][1], "检查次数");
    let bureau = rows
        .iter()
        .find(|r| r[0] == "区应急管理局")
        .expect("bureau row");
    assert_eq!(bureau[1], "1");
    let (s, _) = download(
        app,
        &app.login("enterprise").await,
        &format!("/api/v1/enforcement/stats.xlsx?year={year}"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
both!(workbook_sheets);

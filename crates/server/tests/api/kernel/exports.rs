//! Every list export (.xlsx through the one column-declared writer): Chinese headers, as many
//! rows as the list holds with the same filters and scope, dates as Excel dates, codes as labels,
//! formula-like text neutralised; a role that may not see the list is refused.

use crate::both;
use crate::helpers::{TestApp, enterprise_body, first_grid};
use calamine::{Data, Reader};
use reqwest::{Client, StatusCode};
use std::io::Cursor;
use yingji_server::spreadsheet::XLSX_MIME;

/// (export, list answering the same rows or "" for a report, a header that must be there).
pub const EXPORTS: &[(&str, &str, &str)] = &[
    (
        "/api/v1/enterprises/export",
        "/api/v1/enterprises",
        "企业名称",
    ),
    ("/api/v1/hazards/export", "/api/v1/hazards", "上报时间"),
    (
        "/api/v1/hazards/stats?format=xlsx&month=2026-05",
        "",
        "区域",
    ),
    (
        "/api/v1/hazards/report?kind=year&year=2026&format=xlsx",
        "",
        "项目",
    ),
    (
        "/api/v1/risk-points/export",
        "/api/v1/risk-points",
        "风险等级",
    ),
    (
        "/api/v1/major-hazards/export",
        "/api/v1/major-hazards",
        "级别",
    ),
    (
        "/api/v1/alarms/export?open=false",
        "/api/v1/alarms?open=false",
        "报警时间",
    ),
    ("/api/v1/incidents/export", "/api/v1/incidents", "发生时间"),
    ("/api/v1/incidents/stats/export", "", "起数"),
    ("/api/v1/plans/export", "/api/v1/plans", "预案名称"),
    ("/api/v1/teams/export", "/api/v1/teams", "队伍名称"),
    ("/api/v1/experts/export", "/api/v1/experts", "专业类别"),
    ("/api/v1/stock/export", "/api/v1/stock", "物资名称"),
    (
        "/api/v1/warehouses/export",
        "/api/v1/warehouses",
        "储备库名称",
    ),
    ("/api/v1/shelters/export", "/api/v1/shelters", "容纳人数"),
    ("/api/v1/warnings/export", "/api/v1/warnings", "预警级别"),
    ("/api/v1/warnings/effectiveness/export", "", "叫应率（%）"),
    (
        "/api/v1/work-orders/export",
        "/api/v1/work-orders",
        "叫应时限",
    ),
    ("/api/v1/audit/export", "/api/v1/audit", "操作"),
];

/// The first sheet as calamine reads it.
pub fn sheet(bytes: &[u8]) -> calamine::Range<Data> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    wb.worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable")
}

pub async fn download(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Vec<u8>) {
    let r = c.get(app.url(path)).send().await.expect("request");
    let s = r.status();
    if s == StatusCode::OK {
        assert_eq!(r.headers()["content-type"], XLSX_MIME, "{path}");
        let cd = r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cd.contains("filename*=UTF-8''"), "{path}: {cd}");
    }
    (s, r.bytes().await.expect("body").to_vec())
}

fn header(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .unwrap_or_default()
}

/// Hazards, risk points and teams in two streets, so the exports have rows to show and scope.
pub async fn seed(app: &TestApp, admin: &Client) {
    use serde_json::json;
    use yingji_core::kernel::clock::{Clock, to_rfc3339};
    let deadline = to_rfc3339(app.clock.now_ms() + 2 * 86_400_000)[..10].to_string();
    for (i, street) in ["360403001", "360403003"].iter().enumerate() {
        let e = app.enterprise_in(admin, street).await;
        let eid = e["id"].as_str().unwrap();
        let (s, b) = app
            .post(admin, "/api/v1/risk-points", &json!({"enterprise_id": eid, "name": "液氨储罐区", "location": "厂区东侧",
                "hazard_factors": "液氨泄漏", "accident_types": ["中毒和窒息"], "assessment": {"method": "lec", "l": "3", "e": "6", "c": "40"},
                "control_measures": "双人巡检", "emergency_measures": "疏散下风向人员", "control_level": "company", "responsible_name": "赵六"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, b) = app
            .post(
                admin,
                "/api/v1/hazards",
                &json!({"enterprise_id": eid, "category": "fire", "description": "灭火器过期",
                "deadline": deadline, "responsible_name": "张三", "location": "仓库"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, b) = app
            .post(admin, "/api/v1/teams", &json!({"name": format!("应急救援{i}队"), "kind": "professional", "headcount": 5,
                "base_address": "浔阳区", "lon": 116.0, "lat": 29.7, "region_code": street, "leader": "甲", "phone": "13900000000"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

async fn every_export_is_a_chinese_table_of_its_list(app: &TestApp) {
    let admin = app.login("admin").await;
    let auditor = app.login("auditor").await;
    seed(app, &admin).await;
    for (export, list, must) in EXPORTS {
        // 三员分立: the audit log is the auditor's.
        let who = if export.starts_with("/api/v1/audit") {
            &auditor
        } else {
            &admin
        };
        let (s, bytes) = download(app, who, export).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{export}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let range = sheet(&bytes);
        let headers = header(&range);
        assert!(headers.iter().any(|h| h == must), "{export}: {headers:?}");
        assert!(
            headers.iter().all(|h| h.chars().any(is_cjk)),
            "{export}: a header without Chinese: {headers:?}"
        );
        if !list.is_empty() {
            let (_, body) = app.get(who, list).await;
            let total = body["total"].as_i64().unwrap();
            // The audit log's export is itself recorded, after its rows were read.
            let own = i64::from(export.starts_with("/api/v1/audit"));
            assert_eq!(range.height() as i64 - 1 + own, total, "{export}");
        }
        // No cell of a label or text column is an English code like `general` or `open`.
        for row in range.rows().skip(1) {
            for d in row {
                if let Data::String(s) = d {
                    assert!(
                        !matches!(
                            s.as_str(),
                            "general" | "major" | "open" | "closed" | "active" | "published"
                        ),
                        "{export}: raw code {s}"
                    );
                }
            }
        }
    }
}
both!(every_export_is_a_chinese_table_of_its_list);

/// The column of `header` in the first sheet.
fn column(range: &calamine::Range<Data>, name: &str) -> Vec<Data> {
    let i = header(range).iter().position(|h| h == name).expect(name);
    range
        .rows()
        .skip(1)
        .map(|r| r.get(i).cloned().unwrap_or(Data::Empty))
        .collect()
}

async fn dates_are_dates_labels_are_words_formulas_are_text(app: &TestApp) {
    let admin = app.login("admin").await;
    seed(app, &admin).await;
    let grid = first_grid(app, &admin, "360403001").await;
    let mut body = enterprise_body(901, &grid, "industry_trade");
    body["name"] = "=1+1".into();
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");

    let (_, bytes) = download(app, &admin, "/api/v1/enterprises/export?q=1%2B1").await;
    let range = sheet(&bytes);
    let names = column(&range, "企业名称");
    assert_eq!(names, vec![Data::String("'=1+1".into())]);

    // Dates: the risk points' review day and the hazards' report time are Excel dates.
    let (_, bytes) = download(app, &admin, "/api/v1/risk-points/export").await;
    let range = sheet(&bytes);
    let levels = column(&range, "风险等级");
    assert!(!levels.is_empty());
    assert!(
        levels
            .iter()
            .all(|d| matches!(d, Data::String(s) if s.ends_with("风险"))),
        "{levels:?}"
    );
    let regions = column(&range, "区域");
    assert!(
        regions
            .iter()
            .all(|d| matches!(d, Data::String(s) if s.chars().any(is_cjk) && !s.contains("3604"))),
        "region names, not codes: {regions:?}"
    );
    let (_, bytes) = download(app, &admin, "/api/v1/hazards/export").await;
    let range = sheet(&bytes);
    let reported = column(&range, "上报时间");
    assert!(!reported.is_empty());
    assert!(
        reported.iter().all(|d| matches!(d, Data::DateTime(_))),
        "{reported:?}"
    );
    let levels = column(&range, "等级");
    assert!(
        levels.iter().all(|d| match d {
            Data::String(s) => s.contains("隐患") || s == "待定级",
            Data::Empty => true,
            _ => false,
        }),
        "{levels:?}"
    );

    // Filters: only the level asked for.
    let (_, bytes) = download(app, &admin, "/api/v1/risk-points/export?level=large").await;
    let range = sheet(&bytes);
    let (_, listed) = app.get(&admin, "/api/v1/risk-points?level=large").await;
    assert_eq!(range.height() as i64 - 1, listed["total"].as_i64().unwrap());
    assert!(column(&range, "风险等级").iter().all(|d| *d == "较大风险"));
}
both!(dates_are_dates_labels_are_words_formulas_are_text);

async fn exports_keep_the_lists_scope(app: &TestApp) {
    let admin = app.login("admin").await;
    seed(app, &admin).await;
    let street = app.login("street").await;
    for path in [
        "/api/v1/risk-points",
        "/api/v1/hazards",
        "/api/v1/enterprises",
    ] {
        let (_, all) = app.get(&admin, path).await;
        let (_, own) = app.get(&street, path).await;
        let (s, bytes) = download(app, &street, &format!("{path}/export")).await;
        assert_eq!(s, StatusCode::OK);
        let rows = sheet(&bytes).height() as i64 - 1;
        assert_eq!(rows, own["total"].as_i64().unwrap(), "{path}");
        assert!(
            rows < all["total"].as_i64().unwrap(),
            "{path}: the street sees less"
        );
    }
    // The street's risk points all belong to its own enterprises; the admin's include others.
    let (_, mine) = app.get(&street, "/api/v1/enterprises?page_size=500").await;
    let own: Vec<String> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    let (_, bytes) = download(app, &street, "/api/v1/risk-points/export").await;
    let names = column(&sheet(&bytes), "企业");
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| own.contains(&n.to_string())),
        "{names:?}"
    );
    let (_, bytes) = download(app, &admin, "/api/v1/risk-points/export").await;
    let names = column(&sheet(&bytes), "企业");
    assert!(
        names.iter().any(|n| !own.contains(&n.to_string())),
        "{names:?}"
    );
    // The audit log is for administrators.
    let (s, _) = download(app, &street, "/api/v1/audit/export").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
both!(exports_keep_the_lists_scope);

//! 隐患月报/季报/年报: the period's hazards by status, region, 行业领域 (监管类别) and
//! 国民经济行业 agree with the rows they count, in the caller's scope, as JSON and as a workbook;
//! bad periods name their field.

use crate::both;
use crate::helpers::TestApp;
use calamine::{Data, Reader};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Cursor;
use yingji_core::kernel::clock::Clock;
use yingji_store::Sql;

/// Hazards counted straight from the table: reported from `first` to `last` (YYYY-MM), under
/// the region prefix, with an extra condition.
async fn rows(app: &TestApp, first: &str, last: &str, prefix: &str, extra: &str) -> i64 {
    let mut q = Sql::new("SELECT COUNT(*) FROM hazards WHERE reported_month >= ");
    q.bind(first.to_string())
        .push_bind(" AND reported_month <= ", last.to_string())
        .push_bind(" AND region_code LIKE ", format!("{prefix}%"));
    q.push(extra);
    app.store.fetch_i64(q).await.expect("count")
}

fn row<'a>(rows: &'a Value, name: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name} in {rows}"))
}

fn sum(rows: &Value, field: &str) -> i64 {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r[field].as_i64().expect(field))
        .sum()
}

async fn hazard_report_by_industry(app: &TestApp) {
    let now = app.clock.now_ms();
    yingji_demo::seed::generate_hazards(&app.store, now, 600, 11, 0)
        .await
        .expect("generate");
    let admin = app.login("admin").await;
    let year = yingji_core::kernel::clock::today(now).year();
    let (s, y) = app
        .get(
            &admin,
            &format!("/api/v1/hazards/report?kind=year&year={year}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{y}");
    assert_eq!(
        (y["title"].as_str(), y["region_level_label"].as_str()),
        (Some("安全生产隐患排查治理年报"), Some("街道"))
    );
    let (first, last) = (format!("{year}-01"), format!("{year}-12"));
    let district = y["region_code"].as_str().expect("region").to_string();
    let total = y["total"]["total"].as_i64().expect("total");
    assert!(total > 0);
    assert_eq!(total, rows(app, &first, &last, &district, "").await);
    // Each hazard once by region and by industry; by status too.
    assert_eq!(sum(&y["by_region"], "total"), total);
    assert_eq!(sum(&y["by_industry"], "total"), total);
    assert_eq!(sum(&y["by_status"], "count"), total);
    assert_eq!(
        y["total"]["general"].as_i64().unwrap() + y["total"]["major"].as_i64().unwrap(),
        total
    );
    // 行业领域: every category row counts the hazards carrying that category.
    assert!(sum(&y["by_category"], "total") >= total);
    for r in y["by_category"].as_array().expect("categories") {
        let code = r["code"].as_str().expect("code");
        if code.is_empty() {
            continue;
        }
        let cat = format!(" AND categories LIKE '%,{code},%'");
        assert_eq!(
            r["total"],
            rows(app, &first, &last, &district, &cat).await,
            "{r}"
        );
        let closed = format!("{cat} AND status = 'closed'");
        assert_eq!(
            r["closed"],
            rows(app, &first, &last, &district, &closed).await,
            "{r}"
        );
        let major = format!("{cat} AND level = 'major'");
        assert_eq!(
            r["major"],
            rows(app, &first, &last, &district, &major).await,
            "{r}"
        );
        let overdue = format!("{cat} AND overdue = 1 AND status IN ('registered', 'rectifying')");
        assert_eq!(
            r["overdue"],
            rows(app, &first, &last, &district, &overdue).await,
            "{r}"
        );
        let (closed, base) = (
            r["closed"].as_i64().unwrap(),
            r["total"].as_i64().unwrap() - r["dismissed"].as_i64().unwrap(),
        );
        if base > 0 {
            let rate = r["rate"].as_f64().expect("rate");
            assert!(
                (rate - closed as f64 * 100.0 / base as f64).abs() < 0.051,
                "{r}"
            );
        }
    }
    // The four quarters make the year; the dashboard's months agree.
    let mut quarters = 0;
    for q in 1..=4 {
        let (s, v) = app
            .get(
                &admin,
                &format!("/api/v1/hazards/report?kind=quarter&year={year}&quarter={q}"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        quarters += v["total"]["total"].as_i64().expect("total");
    }
    assert_eq!(quarters, total);
    let (_, d) = app
        .get(&admin, &format!("/api/v1/hazards/dashboard?year={year}"))
        .await;
    assert_eq!(
        sum(&d["months"], "closed"),
        y["total"]["closed"].as_i64().unwrap()
    );

    the_workbook_has_the_same_rows(app, &admin, year, &y).await;
    a_new_hazard_counts_in_its_rows(app, &admin, &district).await;
    a_street_sees_its_communities(app, year).await;
    bad_periods_name_their_field(app, &admin).await;
}
both!(hazard_report_by_industry);

/// A hazard reported now at a 危险化学品 enterprise adds one to its category's row this month.
async fn a_new_hazard_counts_in_its_rows(app: &TestApp, admin: &reqwest::Client, district: &str) {
    let month = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string()[..7].to_string();
    let path = format!("/api/v1/hazards/report?kind=month&month={month}");
    let (_, before) = app.get(admin, &path).await;
    let (_, ents) = app
        .get(admin, "/api/v1/enterprises?category=hazchem&page_size=1")
        .await;
    let ent = &ents["items"][0];
    let (s, h) = app
        .post(
            admin,
            "/api/v1/hazards",
            &json!({"enterprise_id": ent["id"], "category": "hazchem",
            "description": "储罐区可燃气体报警器失效", "location": "罐区", "level": "major"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let (_, after) = app.get(admin, &path).await;
    assert_eq!(
        after["period_label"],
        format!("{}年{}月", &month[..4], month[5..].trim_start_matches('0'))
    );
    let of = |v: &Value, name: &str| row(&v["by_category"], name)["major"].as_i64().unwrap_or(0);
    let had = before["by_category"]
        .as_array()
        .expect("rows")
        .iter()
        .any(|r| r["name"] == "危险化学品");
    let was = if had {
        of(&before, "危险化学品")
    } else {
        0
    };
    assert_eq!(of(&after, "危险化学品"), was + 1, "{after}");
    assert_eq!(
        after["total"]["total"].as_i64().unwrap(),
        before["total"]["total"].as_i64().unwrap() + 1
    );
    assert!(rows(app, &month, &month, district, "").await >= 1);
}

/// A street user's report covers their street, by community.
async fn a_street_sees_its_communities(app: &TestApp, year: i16) {
    let street = app.login("street").await;
    let (_, me) = app.get(&street, "/api/v1/auth/me").await;
    let prefix = me["user"]["region_code"]
        .as_str()
        .expect("region")
        .to_string();
    let (s, v) = app
        .get(
            &street,
            &format!("/api/v1/hazards/report?kind=year&year={year}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["region_level_label"], "社区");
    let (first, last) = (format!("{year}-01"), format!("{year}-12"));
    assert_eq!(
        v["total"]["total"],
        rows(app, &first, &last, &prefix, "").await
    );
    assert_eq!(
        sum(&v["by_region"], "total"),
        v["total"]["total"].as_i64().unwrap()
    );
}

/// The workbook: 总体情况, then the breakdowns with a 合计 row where each hazard counts once.
async fn the_workbook_has_the_same_rows(
    app: &TestApp,
    admin: &reqwest::Client,
    year: i16,
    y: &Value,
) {
    let r = admin
        .get(app.url(&format!(
            "/api/v1/hazards/report?kind=year&year={year}&format=xlsx"
        )))
        .send()
        .await
        .expect("download");
    assert_eq!(r.status(), StatusCode::OK);
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    let bytes = r.bytes().await.expect("body").to_vec();
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("xlsx");
    assert_eq!(
        wb.sheet_names(),
        ["总体情况", "按区域", "按行业领域", "按国民经济行业"]
    );
    let cats = wb.worksheet_range("按行业领域").expect("sheet");
    let header: Vec<String> = cats
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "行业领域（监管类别）",
            "隐患数",
            "一般隐患",
            "重大隐患",
            "已整改（已验收销号）",
            "不予立案",
            "整改率（%）",
            "逾期未整改"
        ]
    );
    let first = &y["by_category"][0];
    let line = cats
        .rows()
        .find(|r| r[0] == Data::String(first["name"].as_str().unwrap().into()))
        .expect("the first category's row");
    assert_eq!(line[1], Data::Float(first["total"].as_f64().unwrap()));
    assert_eq!(line[4], Data::Float(first["closed"].as_f64().unwrap()));
    let industries = wb.worksheet_range("按国民经济行业").expect("sheet");
    let last = industries.rows().next_back().expect("total row");
    assert_eq!(
        (last[0].to_string(), last[1].clone()),
        (
            "合计".to_string(),
            Data::Float(y["total"]["total"].as_f64().unwrap())
        )
    );
}

async fn bad_periods_name_their_field(app: &TestApp, admin: &reqwest::Client) {
    for (query, field) in [
        ("kind=week", "kind"),
        ("kind=month&month=2026-13", "month"),
        ("kind=quarter&year=2026&quarter=5", "quarter"),
        ("kind=year", "year"),
        ("kind=year&year=2026&format=csv", "format"),
    ] {
        let (s, e) = app
            .get(admin, &format!("/api/v1/hazards/report?{query}"))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {e}");
        assert_eq!(e["details"][0]["field"], field, "{query}: {e}");
    }
}

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;
use yingji_core::import::COLUMNS;
use yingji_server::spreadsheet::{XLSX_MIME, read_table, write_xlsx};

fn header_line() -> String {
    COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(",")
}

/// A CSV row in template order with the given code and grid.
fn csv_row(name: &str, code: &str, grid: &str) -> String {
    format!(
        "{name},{code},C3311,工贸、消防重点单位,规下,九江市浔阳区导入路8号,115.98,29.72,{grid},王五,13700000000,,,有限空间作业,在营,35"
    )
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    mode: &str,
    body: Vec<u8>,
    mime: &str,
) -> (StatusCode, Value) {
    json(
        c.post(app.url(&format!("/api/v1/enterprises/import?mode={mode}")))
            .header("content-type", mime)
            .body(body)
            .send_checked()
            .await
            .unwrap(),
    )
    .await
}

async fn csv_import_reports_every_bad_row(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let csv = [
        header_line(),
        csv_row("导入甲公司", &uscc(500), &grid),
        csv_row("导入乙公司", "91350100M000100Y44", &grid),
        csv_row("导入丙公司", &uscc(502), "360403999999999"),
        csv_row("", &uscc(503), &grid).replace("115.98", "东经"),
        csv_row("导入戊公司", &uscc(500), &grid),
    ]
    .join("\n");
    let before = (app.count("enterprises").await, app.count("audit_log").await);
    let (s, e) = upload(app, &admin, "strict", csv.clone().into_bytes(), "text/csv").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("未导入任何数据"));
    let errors = e["details"]["errors"].as_array().unwrap();
    let found: Vec<(i64, &str)> = errors
        .iter()
        .map(|x| (x["row"].as_i64().unwrap(), x["column"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&(3, "统一社会信用代码")), "{found:?}");
    assert!(found.contains(&(4, "所属网格代码")), "{found:?}");
    assert!(found.contains(&(5, "企业名称")), "{found:?}");
    assert!(found.contains(&(5, "经度")), "{found:?}");
    assert!(found.contains(&(6, "统一社会信用代码")), "{found:?}");
    assert!(!found.iter().any(|(r, _)| *r == 2));
    assert_eq!(e["details"]["total_rows"], 5);
    assert_eq!(
        (app.count("enterprises").await, app.count("audit_log").await),
        before
    );
    // The user chooses to import only the valid rows.
    let (s, r) = upload(app, &admin, "valid_only", csv.into_bytes(), "text/csv").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);
    assert_eq!(app.count("enterprises").await, before.0 + 1);
    let (_, found) = app
        .get(&admin, "/api/v1/enterprises?q=%E5%AF%BC%E5%85%A5%E7%94%B2")
        .await; // 导入甲
    assert_eq!(found["total"], 1);
    assert_eq!(
        found["items"][0]["flags"],
        serde_json::json!(["confined_space"])
    );
    let (_, audit) = app
        .get(&admin, "/api/v1/audit?action=import&entity_type=enterprise")
        .await;
    assert!(audit["total"].as_i64().unwrap() >= 2);
}
both!(csv_import_reports_every_bad_row);

async fn header_and_file_checks(app: &TestApp) {
    let admin = app.login("admin").await;
    let before = app.count("enterprises").await;
    let (s, e) = upload(
        app,
        &admin,
        "strict",
        format!("{},备注\n", header_line()).into_bytes(),
        "text/csv",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["details"]["errors"][0]["column"], "备注");
    assert!(
        e["details"]["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("未知列")
    );
    let (s, e) = upload(
        app,
        &admin,
        "strict",
        vec![0xD0, 0xCF, 0x11, 0xE0, 0, 1, 2],
        "application/vnd.ms-excel",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains(".xlsx"));
    let (s, _) = upload(
        app,
        &admin,
        "strict",
        b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, e) = upload(app, &admin, "everything", b"a".to_vec(), "text/csv").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "mode");
    // GBK-encoded CSV, as Excel saves it on Chinese Windows.
    let grid = first_grid(app, &admin, "360403001").await;
    let text = format!(
        "{}\n{}\n",
        header_line(),
        csv_row("编码测试公司", &uscc(600), &grid)
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let (s, r) = upload(app, &admin, "strict", gbk.into_owned(), "text/csv").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);
    assert_eq!(app.count("enterprises").await, before + 1);
    // A street user cannot import into another street.
    let street = app.login("street").await;
    let other = first_grid(app, &admin, "360403003").await;
    let text = format!(
        "{}\n{}\n",
        header_line(),
        csv_row("越界公司", &uscc(601), &other)
    );
    let (s, e) = upload(app, &street, "strict", text.into_bytes(), "text/csv").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["details"]["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("管辖范围")
    );
    // Grid workers do not import.
    let g = app.login("grid").await;
    assert_eq!(
        upload(app, &g, "check", b"x".to_vec(), "text/csv").await.0,
        StatusCode::FORBIDDEN
    );
}
both!(header_and_file_checks);

async fn xlsx_template_export_round_trip(app: &TestApp) {
    let admin = app.login("admin").await;
    let r = admin
        .get(app.url("/api/v1/enterprises/import/template"))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], XLSX_MIME);
    let rows = read_table(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(
        rows[0].iter().map(String::as_str).collect::<Vec<_>>(),
        COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>()
    );
    // The template's example row is valid apart from its grid, which the demo lacks.
    let grid = first_grid(app, &admin, "360403002").await;
    let mut example = rows[1].clone();
    example[8] = grid;
    let bytes = write_xlsx(
        "企业",
        &COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>(),
        &[example],
        None,
    )
    .unwrap();
    let (s, r) = upload(app, &admin, "strict", bytes, XLSX_MIME).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);

    let street = app.login("street").await;
    let r = street
        .get(app.url("/api/v1/enterprises/export?category=industry_trade"))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rows = read_table(&r.bytes().await.unwrap()).unwrap();
    let (_, listed) = app
        .get(&street, "/api/v1/enterprises?category=industry_trade")
        .await;
    assert_eq!(rows.len() as i64 - 1, listed["total"].as_i64().unwrap());
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[8].starts_with("360403001") && r[3].contains("工贸"))
    );
    // An export imports back: every row is valid but already registered.
    let bytes = write_xlsx(
        "企业",
        &COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>(),
        &rows[1..],
        None,
    )
    .unwrap();
    let (s, r) = upload(app, &admin, "check", bytes, XLSX_MIME).await;
    assert_eq!(s, StatusCode::OK);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), rows.len() - 1);
    assert!(
        errors
            .iter()
            .all(|e| e["reason"].as_str().unwrap().contains("已登记"))
    );
    assert_eq!(r["imported"], 0);
}
both!(xlsx_template_export_round_trip);

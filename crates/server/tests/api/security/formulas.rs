//! Formula injection (issue 26 item 6): no text cell of any export starts with `= + - @`, a tab
//! or a carriage return, even when a record's name does.

use crate::both;
use crate::helpers::{TestApp, enterprise_body, first_grid};
use crate::kernel::exports::{EXPORTS, download, seed, sheet};
use calamine::Data;
use reqwest::StatusCode;

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

async fn no_export_holds_a_formula(app: &TestApp) {
    let admin = app.login("admin").await;
    seed(app, &admin).await;
    let grid = first_grid(app, &admin, "360403001").await;
    let mut body = enterprise_body(902, &grid, "industry_trade");
    body["name"] = "=HYPERLINK(\"http://example.com\",\"点击\")".into();
    body["principal_name"] = "@SUM(A1)".into();
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let id = e["id"].as_str().unwrap();
    // A hazard and a team of the formula-named enterprise, so the other lists show its name.
    let (s, b) = app
        .post(
            &admin,
            "/api/v1/hazards",
            &serde_json::json!({"enterprise_id": id, "category": "fire", "description": "+1+1",
                "responsible_name": "-2", "location": "=仓库"}),
        )
        .await;
    assert!(s.is_success(), "{b}");
    let dossier = format!("/api/v1/credit/dossiers/{id}/xlsx");
    let mut paths: Vec<&str> = EXPORTS.iter().map(|(p, _, _)| *p).collect();
    paths.extend([
        dossier.as_str(),
        "/api/v1/grid/stats/export",
        "/api/v1/enforcement/stats.xlsx?year=2026",
        "/api/v1/disasters/summary/export",
    ]);
    let mut seen_ours = 0;
    let auditor = app.login("auditor").await;
    for path in paths {
        // The audit log is the 安全审计员's alone (三员分立).
        let who = if path.starts_with("/api/v1/audit") {
            &auditor
        } else {
            &admin
        };
        let (s, bytes) = download(app, who, path).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        for row in sheet(&bytes).rows() {
            for d in row {
                if let Data::String(text) = d {
                    assert!(
                        !text.starts_with(FORMULA_STARTS),
                        "{path}: a cell that a spreadsheet would run: {text:?}"
                    );
                    if text.starts_with("'=HYPERLINK") || text.starts_with("'@SUM") {
                        seen_ours += 1;
                    }
                }
            }
        }
    }
    assert!(
        seen_ours >= 2,
        "the formula-named records were exported, neutralised"
    );
}
both!(no_export_holds_a_formula);

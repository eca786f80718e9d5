//! Photos of an incident's 初报 and 续报: linked to the incident, listed with their report, seen
//! by those who see the incident and by nobody else.

use super::{accident, own_enterprise};
use crate::both;
use crate::helpers::TestApp;
use crate::kernel::attachments::{picture, upload};
use crate::kernel::scope_matrix::account;
use image::ImageFormat;
use reqwest::StatusCode;
use serde_json::json;

async fn report_photos_follow_the_incident(app: &TestApp) {
    let duty = app.login("duty").await;
    let admin = app.login("admin").await;
    let eid = own_enterprise(app).await;
    let (_, first) = upload(
        app,
        &duty,
        "快报现场.jpg",
        picture(800, 600, ImageFormat::Jpeg),
    )
    .await;
    let mut body = accident(app, &eid, 1);
    body["attachments"] = json!([first["id"]]);
    let (s, d) = app.post(&duty, "/api/v1/incidents", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_str().expect("id");
    assert_eq!(
        d["reports"][0]["attachments"][0]["filename"],
        "快报现场.jpg"
    );
    let (_, next) = upload(app, &duty, "续报.png", picture(300, 200, ImageFormat::Png)).await;
    let report = json!({"kind": "followup", "casualties": d["casualties"], "text": "明火扑灭，现场警戒", "attachments": [next["id"]]});
    let (s, d) = app
        .post(&duty, &format!("/api/v1/incidents/{id}/reports"), &report)
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let reports = d["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["attachments"][0]["id"], next["id"]);
    assert_eq!(reports[1]["attachments"][0]["width"], 300);
    // Someone else's upload cannot be cited.
    let (_, theirs) = upload(
        app,
        &admin,
        "别人的.jpg",
        picture(10, 10, ImageFormat::Jpeg),
    )
    .await;
    let bad = json!({"kind": "followup", "casualties": d["casualties"], "text": "再报", "attachments": [theirs["id"]]});
    let (s, e) = app
        .post(&duty, &format!("/api/v1/incidents/{id}/reports"), &bad)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    // Seen with the incident: the duty room and the commander; not a street that does not see it.
    let (_, ent) = app.get(&admin, &format!("/api/v1/enterprises/{eid}")).await;
    let street = ent["grid_code"].as_str().expect("grid")[..9].to_string();
    let other = crate::helpers::source()
        .streets
        .iter()
        .map(|s| s.code.clone())
        .find(|c| *c != street)
        .expect("street");
    account(app, &admin, json!({"username": "incother", "display_name": "他街道", "role": "street_staff", "region_code": other})).await;
    for (who, want) in [
        ("duty", StatusCode::OK),
        ("commander", StatusCode::OK),
        ("incother", StatusCode::NOT_FOUND),
    ] {
        let c = app.login(who).await;
        for a in [&first, &next] {
            let url = app.url(&format!(
                "/api/v1/attachments/{}?size=thumb",
                a["id"].as_str().expect("id")
            ));
            let s = c.get(url).send().await.expect("get").status();
            assert_eq!(s, want, "{who}");
        }
    }
}
both!(report_photos_follow_the_incident);

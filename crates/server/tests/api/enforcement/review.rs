//! 整改复查 through the API, wired to the hazard closed loop: the enterprise submits its
//! rectification of a finding (graded first with the 责令限期整改指令书's 整改期限), the task's
//! inspector accepts it (the hazard closed) or rejects it (back to 整改中); an inspector not on
//! the task and another enterprise cannot; bad input is named and stores nothing.

use super::receipts::{Setup, setup, signature_png};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

fn paths(s: &Setup) -> (String, String, String) {
    let base = format!(
        "/api/v1/enforcement/tasks/{}/review/{}",
        s.own_task, s.hazard_id
    );
    (
        format!("/api/v1/enforcement/tasks/{}/review", s.own_task),
        format!("{base}/rectification"),
        format!("{base}/decision"),
    )
}

async fn hazard_status(app: &TestApp, s: &Setup) -> String {
    let (_, h) = app
        .get(&s.zf, &format!("/api/v1/hazards/{}", s.hazard_id))
        .await;
    h["status"].as_str().unwrap().to_string()
}

async fn rectify_accept_and_reject(app: &TestApp) {
    let s = setup(app).await;
    let (view, rectify, decide) = paths(&s);
    let (st, v) = app.get(&s.ent, &view).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["findings"][0]["status"], "registered");
    assert_eq!(v["order"]["deadline"], "2099-12-31");
    assert_eq!(v["team"].as_array().unwrap().len(), 2);
    assert!(v["team"][0]["cert_no"].is_string());
    let photo = signature_png(app, &s.ent).await;
    let body = json!({"note": "已更换灭火器", "attachments": [photo]});
    let (st, f) = app.post(&s.ent, &rectify, &body).await;
    assert_eq!(st, StatusCode::CREATED, "{f}");
    assert_eq!(f["status"], "pending_acceptance");
    assert_eq!(f["deadline"], "2099-12-31");
    assert_eq!(f["rectification"]["note"], "已更换灭火器");
    assert_eq!(f["rectification"]["attachments"][0], photo.as_str());
    // Rejected with an opinion: back to 整改中.
    let (st, f) = app
        .post(
            &s.zf,
            &decide,
            &json!({"decision": "reject", "note": "照片看不清灭火器有效期"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{f}");
    assert_eq!(f["status"], "rectifying");
    assert_eq!(f["rejection"]["note"], "照片看不清灭火器有效期");
    assert_eq!(hazard_status(app, &s).await, "rectifying");
    // Again, then accepted: the hazard closed in the loop.
    let photo = signature_png(app, &s.ent).await;
    let body = json!({"note": "补充有效期照片", "attachments": [photo]});
    assert_eq!(
        app.post(&s.ent, &rectify, &body).await.0,
        StatusCode::CREATED
    );
    let (st, f) = app
        .post(&s.zf, &decide, &json!({"decision": "accept"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{f}");
    assert_eq!(f["status"], "closed");
    assert_eq!(hazard_status(app, &s).await, "closed");
    let (_, audit) = app
        .get(&app.login("auditor").await, "/api/v1/audit?page_size=200")
        .await;
    let text = audit.to_string();
    assert!(
        text.contains("hazard.accept") || text.contains("验收"),
        "audit"
    );
}
both!(rectify_accept_and_reject);

async fn only_the_team_and_the_enterprise(app: &TestApp) {
    let s = setup(app).await;
    let (view, rectify, decide) = paths(&s);
    let photo = signature_png(app, &s.ent).await;
    let body = json!({"note": "已更换灭火器", "attachments": [photo]});
    assert_eq!(
        app.post(&s.ent, &rectify, &body).await.0,
        StatusCode::CREATED
    );
    let before = app.count("hazard_events").await;
    // An inspector not on the task: not there; the enterprise does not 复查 itself here.
    let zf3 = app.login("zfry3").await;
    let accept = json!({"decision": "accept"});
    let (st, _) = app.post(&zf3, &decide, &accept).await;
    assert!(
        st == StatusCode::NOT_FOUND || st == StatusCode::FORBIDDEN,
        "{st}"
    );
    assert_ne!(
        app.post(&s.ent, &decide, &accept).await.0,
        StatusCode::CREATED
    );
    // The inspector does not submit the enterprise's rectification.
    assert_eq!(
        app.post(&s.zf, &rectify, &body).await.0,
        StatusCode::FORBIDDEN
    );
    // The other enterprise's task is not the enterprise's.
    let other = format!("/api/v1/enforcement/tasks/{}/review", s.other_task);
    assert_eq!(app.get(&s.ent, &other).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&s.zf, &view).await.0, StatusCode::OK);
    assert_eq!(app.count("hazard_events").await, before);
}
both!(only_the_team_and_the_enterprise);

async fn bad_review_input_named(app: &TestApp) {
    let s = setup(app).await;
    let (_, rectify, decide) = paths(&s);
    let before = (
        app.count("hazard_events").await,
        app.count("audit_log").await,
    );
    let (st, e) = app.post(&s.ent, &rectify, &json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let text = e.to_string();
    assert!(
        text.contains("整改情况说明") && text.contains("attachments"),
        "{e}"
    );
    let (st, e) = app
        .post(&s.zf, &decide, &json!({"decision": "reject"}))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e.to_string().contains("复查意见"), "{e}");
    let (st, e) = app
        .post(&s.zf, &decide, &json!({"decision": "maybe"}))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e.to_string().contains("decision"));
    // A hazard that is not a finding of the task.
    let wrong = format!(
        "/api/v1/enforcement/tasks/{}/review/not-a-hazard/rectification",
        s.own_task
    );
    let photo = signature_png(app, &s.ent).await;
    let body = json!({"note": "已整改", "attachments": [photo]});
    let (st, e) = app.post(&s.ent, &wrong, &body).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e.to_string().contains("不是本次检查发现的问题"));
    assert_eq!(
        (
            app.count("hazard_events").await,
            app.count("audit_log").await
        ),
        before
    );
}
both!(bad_review_input_named);

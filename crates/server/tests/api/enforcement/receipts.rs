//! 送达回执 through the API: the enterprise lists only the documents served on it, reads their
//! PDF, signs for one once (a second is 409), cannot sign for another enterprise's (404); the
//! issuing side records 留置送达 and reads the receipts; bad input is named in Chinese and
//! stores nothing.

use super::seeded;
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// The enterprise user's own enterprise with a task of the demo's team (zfry on it), and
/// another enterprise's task; each inspected with one general finding and served a
/// 责令限期整改指令书.
pub(super) struct Setup {
    pub zf: Client,
    pub ent: Client,
    pub own_task: String,
    pub other_task: String,
    pub own_order: String,
    pub other_order: String,
    /// The hazard of the own task's finding.
    pub hazard_id: String,
}

/// Makes the demo's enterprise user a user of the given enterprise (one of the inspectors'
/// department's, so that findings there become hazards in its scope).
async fn enterprise_user_of(app: &TestApp, enterprise_id: &str) {
    let mut q = yingji_store::Sql::new("UPDATE users SET enterprise_id = ");
    q.bind(enterprise_id).push(" WHERE username = 'enterprise'");
    app.store
        .execute(q)
        .await
        .expect("move the enterprise user");
}

async fn inspect_and_order(app: &TestApp, zf: &Client, task: &str) -> (String, String) {
    let body = json!({
        "summary": "检查了消防设施",
        "findings": [{"category": "fire", "description": "灭火器过期", "location": "二号车间"}]
    });
    let path = format!("/api/v1/enforcement/tasks/{task}/inspection");
    let (s, r) = app.post(zf, &path, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let hazard = r["findings"][0]["hazard_id"].as_str().unwrap().to_string();
    let order = json!({
        "kind": "rectify_order", "subject_kind": "task", "subject_id": task,
        "fields": {"facts": "灭火器过期", "basis": "《中华人民共和国消防法》第十六条", "deadline": "2099-12-31"}
    });
    let (s, d) = app.post(zf, "/api/v1/enforcement/documents", &order).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    (d["id"].as_str().unwrap().to_string(), hazard)
}

pub(super) async fn setup(app: &TestApp) -> Setup {
    seeded(app).await;
    let zf = app.login("zfry").await;
    let (s, tasks) = app
        .get(&zf, "/api/v1/enforcement/tasks?page_size=100")
        .await;
    assert_eq!(s, StatusCode::OK, "{tasks}");
    let items = tasks["items"].as_array().unwrap();
    let task = items[0].clone();
    let other = items
        .iter()
        .find(|t| t["enterprise_id"] != task["enterprise_id"])
        .expect("two enterprises")
        .clone();
    enterprise_user_of(app, task["enterprise_id"].as_str().unwrap()).await;
    let ent = app.login("enterprise").await;
    let own_task = task["id"].as_str().unwrap().to_string();
    let other_task = other["id"].as_str().unwrap().to_string();
    let (own_order, hazard_id) = inspect_and_order(app, &zf, &own_task).await;
    let (other_order, _) = inspect_and_order(app, &zf, &other_task).await;
    Setup {
        zf,
        ent,
        own_task,
        other_task,
        own_order,
        other_order,
        hazard_id,
    }
}

pub(super) async fn signature_png(app: &TestApp, c: &Client) -> String {
    let bytes = crate::kernel::attachments::picture(8, 8, image::ImageFormat::Png);
    let r = c
        .post(app.url("/api/v1/attachments?filename=签名.png"))
        .body(bytes)
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.expect("json");
    a["id"].as_str().unwrap().to_string()
}

async fn receipts_count(app: &TestApp) -> (i64, i64) {
    (
        app.count("enforcement_receipts").await,
        app.count("audit_log").await,
    )
}

async fn enterprise_signs_its_own_once(app: &TestApp) {
    let s = setup(app).await;
    let (st, served) = app.get(&s.ent, "/api/v1/enforcement/served").await;
    assert_eq!(st, StatusCode::OK, "{served}");
    assert_eq!(served["total"], 1, "only its own documents: {served}");
    assert_eq!(served["items"][0]["id"], s.own_order.as_str());
    assert!(served["items"][0]["receipt"].is_null());
    assert_eq!(served["items"][0]["title"], "责令限期整改指令书");
    // The PDF as issued; another enterprise's is not there.
    let pdf = s
        .ent
        .get(app.url(&format!("/api/v1/enforcement/served/{}/pdf", s.own_order)))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let other_pdf = format!("/api/v1/enforcement/served/{}/pdf", s.other_order);
    assert_eq!(app.get(&s.ent, &other_pdf).await.0, StatusCode::NOT_FOUND);
    // The bureau's list is not the enterprise's.
    assert_eq!(
        app.get(&s.zf, "/api/v1/enforcement/served").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(todo_total(app, &s, "sign_documents").await, 1);
    assert_eq!(todo_total(app, &s, "rectify_findings").await, 1);
    let image = signature_png(app, &s.ent).await;
    let before = receipts_count(app).await;
    // Another enterprise's document: not there, nothing stored.
    let sign = json!({"method": "signed", "signer_name": "王经理", "image_id": image});
    let other = format!("/api/v1/enforcement/documents/{}/receipt", s.other_order);
    assert_eq!(
        app.post(&s.ent, &other, &sign).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(receipts_count(app).await, before);
    let path = format!("/api/v1/enforcement/documents/{}/receipt", s.own_order);
    let (st, r) = app.post(&s.ent, &path, &sign).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["method_label"], "直接送达（签收）");
    assert_eq!(r["signer_name"], "王经理");
    assert_eq!(receipts_count(app).await, (before.0 + 1, before.1 + 1));
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?action=enforcement.serve",
        )
        .await;
    assert!(audit.to_string().contains("送达"), "{audit}");
    // Once per version.
    let image2 = signature_png(app, &s.ent).await;
    let again = json!({"method": "signed", "signer_name": "王经理", "image_id": image2});
    let (st, e) = app.post(&s.ent, &path, &again).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    assert!(e.to_string().contains("已送达"), "{e}");
    // The signature image reads for the enterprise and the inspector.
    let img = format!("/api/v1/attachments/{image}");
    for c in [&s.ent, &s.zf] {
        let r = c.get(app.url(&img)).send_checked().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    // The issuing side sees it served; the other document is not.
    let (_, list) = app
        .get(
            &s.zf,
            &format!("/api/v1/enforcement/receipts?subject_id={}", s.own_task),
        )
        .await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["document_id"], s.own_order.as_str());
    let (_, list) = app
        .get(
            &s.zf,
            &format!("/api/v1/enforcement/receipts?subject_id={}", s.other_task),
        )
        .await;
    assert_eq!(list["total"], 0);
    let (_, pending) = app
        .get(&s.ent, "/api/v1/enforcement/served?pending=true")
        .await;
    assert_eq!(pending["total"], 0);
    assert_eq!(todo_total(app, &s, "sign_documents").await, 0);
}

/// The total of one of the enterprise's 工作台 待办.
async fn todo_total(app: &TestApp, s: &Setup, kind: &str) -> i64 {
    let (st, w) = app.get(&s.ent, "/api/v1/workbench").await;
    assert_eq!(st, StatusCode::OK, "{w}");
    w["todos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {w}"))["total"]
        .as_i64()
        .unwrap()
}
both!(enterprise_signs_its_own_once);

async fn inspector_records_lodged_service(app: &TestApp) {
    let s = setup(app).await;
    let path = format!("/api/v1/enforcement/documents/{}/receipt", s.other_order);
    // The enterprise signs only for itself; the inspector does not sign for it.
    let signed = json!({"method": "signed", "signer_name": "李四", "image_id": "x"});
    assert_eq!(
        app.post(&s.zf, &path, &signed).await.0,
        StatusCode::FORBIDDEN
    );
    let lodged = json!({"method": "lodged", "signer_name": "李四", "witness": "社区主任赵六", "reason": "拒绝签收"});
    assert_eq!(
        app.post(&s.ent, &path, &lodged).await.0,
        StatusCode::FORBIDDEN
    );
    // An inspector not on the task's team does not see the document.
    let zf3 = app.login("zfry3").await;
    let (st, _) = app.post(&zf3, &path, &lodged).await;
    assert!(
        st == StatusCode::NOT_FOUND || st == StatusCode::FORBIDDEN,
        "{st}"
    );
    let (st, r) = app.post(&s.zf, &path, &lodged).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["method"], "lodged");
    assert_eq!(r["witness"], "社区主任赵六");
    let (st, _) = app.post(&s.zf, &path, &lodged).await;
    assert_eq!(st, StatusCode::CONFLICT);
}
both!(inspector_records_lodged_service);

async fn bad_receipts_named_nothing_stored(app: &TestApp) {
    let s = setup(app).await;
    let path = format!("/api/v1/enforcement/documents/{}/receipt", s.own_order);
    let before = receipts_count(app).await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"method": "signed", "image_id": "x"}),
            "signer_name",
            "签收人姓名",
        ),
        (
            json!({"method": "signed", "signer_name": "王经理"}),
            "image_id",
            "手写签名",
        ),
        (
            json!({"method": "signed", "signer_name": "王经理", "image_id": "not-an-image"}),
            "image_id",
            "PNG",
        ),
    ];
    for (body, field, words) in cases {
        let (st, e) = app.post(&s.ent, &path, &body).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{body} → {e}");
        let text = e.to_string();
        assert!(text.contains(field) && text.contains(words), "{field}: {e}");
    }
    let lodged = json!({"method": "lodged", "signer_name": "李四"});
    let (st, e) = app.post(&s.zf, &path, &lodged).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e.to_string().contains("witness") && e.to_string().contains("见证人"));
    let mail = json!({"method": "mail"});
    let (st, e) = app.post(&s.zf, &path, &mail).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e.to_string().contains("邮寄单号"), "{e}");
    assert_eq!(receipts_count(app).await, before);
}
both!(bad_receipts_named_nothing_stored);

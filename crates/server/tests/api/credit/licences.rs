//! 许可证照 through the API: bad input refused naming the field with nothing stored; an
//! enterprise user's licence waits for its department, which confirms it (then it counts) or
//! rejects it with a reason; a department writes directly; an expiring licence notifies the
//! enterprise and the department on the test clock (90 / 30 days, expired); the scope rows of
//! every write.

use super::{day_plus, licence, other_enterprise, own_and_supervisor};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::SharedClock;

const DAY_MS: i64 = 86_400_000;

async fn bad_input(app: &TestApp) {
    let (own, _, dept) = own_and_supervisor(app).await;
    let ent = app.login("enterprise").await;
    let body = licence(
        "hazchem_operation",
        "赣九危化经字〔2026〕0001",
        &day_plus(app, 0),
        &day_plus(app, -1),
    );
    let (s, v) = app
        .post(
            &ent,
            &format!("/api/v1/credit/enterprises/{own}/licences"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v.to_string().contains("valid_until") && v.to_string().contains("有效期至"),
        "{v}"
    );
    let (s, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/licences"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let bad = json!({"kind": "nope", "number": "", "valid_from": "2026/1/1", "valid_until": ""});
    let (s, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/licences"),
            &bad,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    for f in ["kind", "number", "valid_from", "valid_until"] {
        assert!(v.to_string().contains(f), "{f}: {v}");
    }
    let (s, v) = app
        .put(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/standardisation"),
            &json!({"grade": 5, "certificate_number": "X", "valid_until": "2027-01-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("grade"), "{v}");
    assert_eq!(app.count("credit_licences").await, 0);
    assert_eq!(app.count("credit_proposals").await, 0);
    assert_eq!(app.count("credit_standardisations").await, 0);
}
both!(bad_input);

async fn confirmation_flow(app: &TestApp) {
    let (own, _, dept) = own_and_supervisor(app).await;
    let ent = app.login("enterprise").await;
    let body = licence(
        "safety_production",
        "（赣）WH安许证字〔2026〕007",
        &day_plus(app, -10),
        &day_plus(app, 1000),
    );
    let path = format!("/api/v1/credit/enterprises/{own}/licences");
    let (s, v) = app.post(&ent, &path, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["outcome"], "proposed", "{v}");
    let pid = v["proposal"]["id"].as_str().unwrap().to_string();
    // Only confirmed data counts: the dossier has no licence yet.
    let (_, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(d["licences"].as_array().unwrap().len(), 0, "{d}");
    assert_eq!(d["proposals"][0]["status"], "pending", "{d}");
    // The enterprise may not decide its own proposal.
    let decision = format!("/api/v1/credit/proposals/{pid}/decision");
    let (s, _) = app
        .post(&ent, &decision, &json!({"action": "confirm"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The department sees it pending; rejecting needs a reason.
    let (_, list) = app.get(&dept, "/api/v1/credit/proposals").await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == pid.as_str()),
        "{list}"
    );
    let (s, v) = app
        .post(&dept, &decision, &json!({"action": "reject"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("reason"), "{v}");
    let (s, v) = app
        .post(
            &dept,
            &decision,
            &json!({"action": "reject", "reason": "许可证扫描件不清晰"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "rejected");
    assert_eq!(v["reason"], "许可证扫描件不清晰");
    let (s, _) = app
        .post(&dept, &decision, &json!({"action": "confirm"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(app.count("credit_licences").await, 0);
    // Proposed again and confirmed: now it counts.
    let (_, v) = app.post(&ent, &path, &body).await;
    let pid = v["proposal"]["id"].as_str().unwrap().to_string();
    let (s, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/proposals/{pid}/decision"),
            &json!({"action": "confirm"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    let l = &d["licences"][0];
    assert_eq!(l["status"], "confirmed", "{d}");
    assert_eq!(l["number"], "（赣）WH安许证字〔2026〕007");
    assert_eq!(l["expiry"]["expiry"], "valid");
    let lid = l["id"].as_str().unwrap().to_string();
    // A change by the enterprise is again a proposal; the licence stays as confirmed.
    let changed = licence(
        "safety_production",
        "（赣）WH安许证字〔2026〕008",
        &day_plus(app, -10),
        &day_plus(app, 20),
    );
    let (s, v) = app
        .put(&ent, &format!("/api/v1/credit/licences/{lid}"), &changed)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["outcome"], "proposed");
    let (_, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(d["licences"][0]["number"], "（赣）WH安许证字〔2026〕007");
    // The department edits directly.
    let (s, v) = app
        .put(&dept, &format!("/api/v1/credit/licences/{lid}"), &changed)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["outcome"], "saved");
    assert_eq!(v["licence"]["expiry"]["expiry"], "within_30", "{v}");
    let (_, exp) = app
        .get(&dept, "/api/v1/credit/licences?expiry=within_30")
        .await;
    assert!(
        exp["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == lid.as_str()),
        "{exp}"
    );
    let (s, _) = app.get(&dept, "/api/v1/credit/licences?expiry=soon").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // 标准化 goes the same way.
    let grade = json!({"grade": 2, "certificate_number": "赣AQBWHⅡ202600123", "valid_until": day_plus(app, 700)});
    let (_, v) = app
        .put(
            &ent,
            &format!("/api/v1/credit/enterprises/{own}/standardisation"),
            &grade,
        )
        .await;
    assert_eq!(v["outcome"], "proposed", "{v}");
    let pid = v["proposal"]["id"].as_str().unwrap().to_string();
    app.post(
        &dept,
        &format!("/api/v1/credit/proposals/{pid}/decision"),
        &json!({"action": "confirm"}),
    )
    .await;
    let (_, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(d["standardisation"]["grade_label"], "二级", "{d}");
}
both!(confirmation_flow);

async fn expiring_licence_notifies(app: &TestApp) {
    let (own, _, _) = own_and_supervisor(app).await;
    let admin = app.login("admin").await;
    let yjj = app.login("yjj").await;
    let bureaus = other_enterprise(app, &yjj, &own).await;
    let mut ids = vec![];
    for (n, e) in [own.as_str(), bureaus.as_str()].iter().enumerate() {
        let body = licence(
            "hazchem_use",
            &format!("赣九危化使字〔2026〕000{n}"),
            &day_plus(app, -300),
            &day_plus(app, 40),
        );
        let (s, v) = app
            .post(
                &admin,
                &format!("/api/v1/credit/enterprises/{e}/licences"),
                &body,
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.push(v["licence"]["id"].as_str().unwrap().to_string());
    }
    let pending = yingji_store::kernel::timers::pending_for(&app.store, &ids[0])
        .await
        .unwrap();
    assert_eq!(
        pending.len(),
        2,
        "30 days and expired still to come: {pending:?}"
    );
    let notes = |user: &'static str, title: &'static str| {
        let q = yingji_store::Sql::new(&format!(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{user}' AND n.title LIKE '{title}%'"
        ));
        let store = app.store.clone();
        async move { store.fetch_i64(q).await.expect("count") }
    };
    let clock: SharedClock = app.clock.clone();
    app.clock.advance(9 * DAY_MS);
    yingji_jobs::run_due(&app.store, &clock).await.unwrap();
    assert_eq!(notes("enterprise", "证照将于30天内到期").await, 0);
    app.clock.advance(DAY_MS);
    yingji_jobs::run_due(&app.store, &clock).await.unwrap();
    yingji_jobs::run_due(&app.store, &clock).await.unwrap();
    // The enterprise's users and the supervising department, once.
    assert_eq!(notes("enterprise", "证照将于30天内到期").await, 1);
    assert_eq!(notes("yjj", "证照将于30天内到期").await, 1);
    app.clock.advance(31 * DAY_MS);
    yingji_jobs::run_due(&app.store, &clock).await.unwrap();
    assert_eq!(notes("enterprise", "证照已过期").await, 1);
    assert_eq!(notes("yjj", "证照已过期").await, 1);
    let audited = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'credit.licence_expiry'",
        ))
        .await
        .unwrap();
    assert_eq!(audited, 4);
}
both!(expiring_licence_notifies);

/// The scope rows: each write by a caller who may not write the target is refused with 403 or
/// 404 and stores nothing.
async fn scope_of_writes(app: &TestApp) {
    let (own, dept_name, dept) = own_and_supervisor(app).await;
    let ent = app.login("enterprise").await;
    let admin = app.login("admin").await;
    let other = other_enterprise(app, &admin, &own).await;
    let body = licence(
        "fireworks_operation",
        "烟花经字〔2026〕01",
        &day_plus(app, 0),
        &day_plus(app, 365),
    );
    // A department licence and an enterprise proposal to aim at.
    let (_, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/licences"),
            &body,
        )
        .await;
    let lid = v["licence"]["id"].as_str().unwrap().to_string();
    let (_, v) = app
        .post(
            &ent,
            &format!("/api/v1/credit/enterprises/{own}/licences"),
            &body,
        )
        .await;
    let pid = v["proposal"]["id"].as_str().unwrap().to_string();
    let (_, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/key-people"),
            &json!({"post": "principal", "name": "王五"}),
        )
        .await;
    let person = v["id"].as_str().unwrap().to_string();
    let other_dept = if dept_name == "yjj" { "zjj" } else { "yjj" };
    let rows = [
        (
            "enterprise",
            "post",
            format!("/api/v1/credit/enterprises/{other}/licences"),
        ),
        (
            "enterprise",
            "put",
            format!("/api/v1/credit/enterprises/{other}/standardisation"),
        ),
        (
            "enterprise",
            "post",
            format!("/api/v1/credit/enterprises/{other}/key-people"),
        ),
        (
            "enterprise",
            "post",
            format!("/api/v1/credit/proposals/{pid}/decision"),
        ),
        (
            "street",
            "post",
            format!("/api/v1/credit/enterprises/{own}/licences"),
        ),
        ("street", "put", format!("/api/v1/credit/licences/{lid}")),
        (
            "street",
            "post",
            format!("/api/v1/credit/proposals/{pid}/decision"),
        ),
        (
            "street",
            "delete",
            format!("/api/v1/credit/enterprises/{own}/key-people/{person}"),
        ),
        (
            "grid",
            "put",
            format!("/api/v1/credit/enterprises/{own}/key-people/{person}"),
        ),
        (
            "zfry",
            "post",
            format!("/api/v1/credit/proposals/{pid}/decision"),
        ),
        (
            other_dept,
            "post",
            format!("/api/v1/credit/proposals/{pid}/decision"),
        ),
        (other_dept, "put", format!("/api/v1/credit/licences/{lid}")),
    ];
    let mut clients = std::collections::HashMap::new();
    for (who, _, _) in &rows {
        if !clients.contains_key(who) {
            clients.insert(*who, app.login(who).await);
        }
    }
    let before: Vec<i64> = futures_counts(app).await;
    for (who, method, path) in rows {
        let c = &clients[who];
        let b = if path.ends_with("decision") {
            json!({"action": "confirm"})
        } else if path.contains("key-people") {
            json!({"post": "principal", "name": "赵六"})
        } else if path.ends_with("standardisation") {
            json!({"grade": 1, "certificate_number": "X-1", "valid_until": "2030-01-01"})
        } else {
            body.clone()
        };
        let (s, v) = match method {
            "post" => app.post(c, &path, &b).await,
            "put" => app.put(c, &path, &b).await,
            _ => app.delete(c, &path).await,
        };
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{who} {method} {path}: {s} {v}"
        );
    }
    assert_eq!(futures_counts(app).await, before, "nothing stored");
    let (_, v) = app.get(&dept, "/api/v1/credit/proposals").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == pid.as_str()),
        "still pending: {v}"
    );
}
both!(scope_of_writes);

async fn futures_counts(app: &TestApp) -> Vec<i64> {
    let mut out = vec![];
    for t in [
        "credit_licences",
        "credit_proposals",
        "credit_standardisations",
        "credit_key_people",
        "audit_log",
    ] {
        out.push(app.count(t).await);
    }
    out.push(
        app.store
            .fetch_i64(yingji_store::Sql::new(
                "SELECT COUNT(*) FROM credit_proposals WHERE status = 'pending'",
            ))
            .await
            .unwrap(),
    );
    out
}

//! 安责险 through the API: bad policies are named in Chinese and store nothing; the insurer sees
//! and writes only its own policies, claims and service records (and reads nothing of the other
//! capabilities); claims follow their steps on an accident of the insured enterprise.

use crate::both;
use crate::helpers::*;
use crate::kernel::scope_matrix::{Want, run, t};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

pub(super) async fn seeded(app: &TestApp) {
    let n = yingji_demo::seed::generate_insurance(&app.store, app.clock.now_ms())
        .await
        .expect("insurance demo");
    assert!(n >= 3, "policies written: {n}");
}

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().expect("items")
}

fn policy(number: &str, enterprise_id: &str) -> Value {
    json!({
        "enterprise_id": enterprise_id, "number": number,
        "starts_day": "2026-01-01", "ends_day": "2026-12-31",
        "insured_persons": 50, "premium": "12000.50", "cover_per_person": "800000"
    })
}

/// A second insurer with one policy (entered by the administrator) on `enterprise_id`.
async fn other_insurer(app: &TestApp, admin: &Client, enterprise_id: &str) -> (String, String) {
    let body = json!({"name": "太平洋财产保险九江中心支公司", "credit_code": uscc(9901)});
    let (s, i) = app.post(admin, "/api/v1/credit/insurers", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let id = i["id"].as_str().unwrap().to_string();
    let mut p = policy("CPIC-0001", enterprise_id);
    p["insurer_id"] = json!(id);
    let (s, p) = app
        .post(admin, "/api/v1/credit/insurance/policies", &p)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    (id, p["id"].as_str().unwrap().to_string())
}

/// An enterprise with no policy that is not the demo enterprise user's own.
async fn enterprise_without_policy(app: &TestApp, admin: &Client) -> String {
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let own = me["enterprise_id"].clone();
    let (_, es) = app.get(admin, "/api/v1/enterprises?page_size=200").await;
    let (_, ps) = app.get(admin, "/api/v1/credit/insurance/policies").await;
    let insured: Vec<&Value> = items(&ps).iter().map(|p| &p["enterprise_id"]).collect();
    items(&es)
        .iter()
        .find(|e| {
            !insured.contains(&&e["id"])
                && e["id"] != own
                && e["id"] != me["scope"]["enterprise_id"]
        })
        .expect("an enterprise without a policy")["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Bad policies: each field named in Chinese, 400, nothing stored; a number twice is 409.
async fn policy_bad_input(app: &TestApp) {
    seeded(app).await;
    let admin = app.login("admin").await;
    let ins = app.login("insurer").await;
    let eid = enterprise_without_policy(app, &admin).await;
    let before = app.count("credit_insurance_policies").await;
    let mut p = policy("PICC-BAD-1", &eid);
    p["ends_day"] = json!("2025-12-31");
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/policies", &p)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "ends_day");
    assert!(
        v["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("保险止期"),
        "{v}"
    );
    let bad = json!({
        "enterprise_id": eid, "number": " ", "starts_day": "2026-02-30", "ends_day": "2026-12-31",
        "insured_persons": 0, "premium": "1.234", "cover_per_person": "-5"
    });
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/policies", &bad)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let fields: Vec<&str> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for f in [
        "number",
        "starts_day",
        "insured_persons",
        "premium",
        "cover_per_person",
    ] {
        assert!(fields.contains(&f), "{f} in {v}");
    }
    // No enterprise named at all.
    let mut none = policy("PICC-BAD-2", &eid);
    none["enterprise_id"] = Value::Null;
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/policies", &none)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(app.count("credit_insurance_policies").await, before);
    // A good one; its number again is a conflict; amounts come back exact.
    let (s, v) = app
        .post(
            &ins,
            "/api/v1/credit/insurance/policies",
            &policy("PICC-NEW-1", &eid),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["premium"].as_str(), v["premium_fen"].as_i64()),
        (Some("12000.50"), Some(1_200_050))
    );
    let (s, v) = app
        .post(
            &ins,
            "/api/v1/credit/insurance/policies",
            &policy("PICC-NEW-1", &eid),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(app.count("credit_insurance_policies").await, before + 1);
}

both!(policy_bad_input);

/// The insurer's row of the matrix: its own policies only (reads and writes), its own
/// policyholders for service records, nothing of hazards, alarms, incidents or enterprises.
async fn insurer_sees_only_its_policyholders(app: &TestApp) {
    seeded(app).await;
    let admin = app.login("admin").await;
    let ins = app.login("insurer").await;
    let (_, own) = app.get(&ins, "/api/v1/credit/insurance/policies").await;
    let own_insurer = items(&own)[0]["insurer_id"].clone();
    let eid = enterprise_without_policy(app, &admin).await;
    let (other_id, other_policy) = other_insurer(app, &admin, &eid).await;
    let (_, mine) = app.get(&ins, "/api/v1/credit/insurance/policies").await;
    assert_eq!(items(&mine).len(), items(&own).len());
    assert!(items(&mine).iter().all(|p| p["insurer_id"] == own_insurer));
    let (_, all) = app.get(&admin, "/api/v1/credit/insurance/policies").await;
    assert_eq!(items(&all).len(), items(&own).len() + 1);
    let (s, _) = app
        .get(
            &ins,
            &format!("/api/v1/credit/insurance/policies/{other_policy}"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, insurers) = app.get(&ins, "/api/v1/credit/insurers").await;
    assert_eq!(items(&insurers).len(), 1);
    // Nothing of the other capabilities.
    for path in [
        "/api/v1/hazards",
        "/api/v1/alarms",
        "/api/v1/incidents",
        "/api/v1/enterprises",
        "/api/v1/risk-points",
    ] {
        let (s, v) = app.get(&ins, path).await;
        assert!(
            s == StatusCode::FORBIDDEN || (s == StatusCode::OK && v["total"] == 0),
            "{path}: {s} {v}"
        );
    }
    let (s, _) = app.get(&ins, "/api/v1/credit/insurance/coverage").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Its services only for its policyholders.
    let service =
        json!({"enterprise_id": eid, "day": "2026-01-05", "kind": "training", "findings": "培训"});
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/services", &service)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "enterprise_id");
    let mut named = policy("PICC-X", &eid);
    named["insurer_id"] = json!(other_id);
    let p = other_policy.clone();
    let tries = vec![
        t(
            "insurer",
            "PUT",
            format!("/api/v1/credit/insurance/policies/{p}"),
            policy("CPIC-0001", &eid),
        ),
        t(
            "insurer",
            "POST",
            "/api/v1/credit/insurance/policies",
            named,
        )
        .want(Want::Field("insurer_id")),
        t(
            "insurer",
            "POST",
            "/api/v1/credit/insurance/services",
            service,
        )
        .want(Want::Field("enterprise_id")),
        t(
            "insurer",
            "POST",
            "/api/v1/credit/insurers",
            json!({"name": "某保险", "credit_code": uscc(9902)}),
        ),
        t(
            "insurer",
            "POST",
            "/api/v1/credit/insurance/coverage/notify",
            json!({}),
        ),
        t(
            "enterprise",
            "PUT",
            format!("/api/v1/credit/insurance/policies/{p}"),
            policy("CPIC-0001", &eid),
        ),
        t(
            "enterprise",
            "POST",
            "/api/v1/credit/insurance/services",
            json!({"enterprise_id": eid, "day": "2026-01-05", "kind": "training", "findings": "x"}),
        ),
        t(
            "street",
            "PUT",
            format!("/api/v1/credit/insurance/policies/{p}"),
            policy("CPIC-0001", &eid),
        ),
    ];
    run(
        app,
        tries,
        &[format!("/api/v1/credit/insurance/policies/{p}")],
    )
    .await;
}

both!(insurer_sees_only_its_policyholders);

/// A claim on an accident of the insured enterprise: reported, accepted, paid (at most the
/// claimed amount); the insurer reads the incident only through the claim.
async fn claims_follow_their_steps(app: &TestApp) {
    seeded(app).await;
    let ins = app.login("insurer").await;
    let duty = app.login("duty").await;
    let (_, ps) = app.get(&ins, "/api/v1/credit/insurance/policies").await;
    let (p, other) = (&items(&ps)[0], &items(&ps)[1]);
    let now = app.clock.now_ms();
    let accident = |eid: &Value| {
        json!({
            "title": "车间机械伤害", "category": "accident", "subtype": "hazchem",
            "occurred_at": to_rfc3339(now - 3_600_000), "unit_learned_at": to_rfc3339(now - 3_000_000),
            "enterprise_id": eid, "lon": 115.99, "lat": 29.71,
            "casualties": {"deaths": 0, "serious_injuries": 1},
            "location": "二号车间", "scene": "一人受伤", "account": "违规操作", "measures": "送医"
        })
    };
    let (s, inc) = app
        .post(&duty, "/api/v1/incidents", &accident(&p["enterprise_id"]))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    let (s, inc2) = app
        .post(
            &duty,
            "/api/v1/incidents",
            &accident(&other["enterprise_id"]),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inc2}");
    let before = app.count("credit_insurance_claims").await;
    let wrong = json!({"policy_id": p["id"], "incident_id": inc2["id"], "claimed": "50000"});
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/claims", &wrong)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "incident_id");
    let bad = json!({"policy_id": p["id"], "incident_id": inc["id"], "claimed": "5万"});
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/claims", &bad)
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("claimed"))
    );
    assert_eq!(app.count("credit_insurance_claims").await, before);
    let good = json!({"policy_id": p["id"], "incident_id": inc["id"], "claimed": "50000", "description": "一人受伤"});
    let (s, c) = app
        .post(&ins, "/api/v1/credit/insurance/claims", &good)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        (c["status"].as_str(), c["incident_title"].as_str()),
        (Some("reported"), Some("车间机械伤害"))
    );
    let (s, _) = app
        .get(
            &ins,
            &format!("/api/v1/incidents/{}", inc["id"].as_str().unwrap()),
        )
        .await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
        "{s}"
    );
    let id = c["id"].as_str().unwrap();
    let step = |b: Value| (format!("/api/v1/credit/insurance/claims/{id}/steps"), b);
    let (path, b) = step(json!({"action": "accept"}));
    let (s, _) = app.post(&duty, &path, &b).await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
    let (s, v) = app.post(&ins, &path, &b).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{v}"
    );
    let (s, v) = app
        .post(&ins, &path, &json!({"action": "pay", "paid": "50000.01"}))
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("paid"))
    );
    let (s, v) = app
        .post(&ins, &path, &json!({"action": "pay", "paid": "48000.5"}))
        .await;
    assert_eq!(
        (s, v["paid"].as_str()),
        (StatusCode::OK, Some("48000.50")),
        "{v}"
    );
    let (s, _) = app
        .post(&ins, &path, &json!({"action": "refuse", "reason": "x"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let audit = app.count("audit_log").await;
    assert!(audit > 0);
}

both!(claims_follow_their_steps);

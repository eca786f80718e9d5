//! 一企一档 through the API: every section, the four colours and the timeline; the workbook and
//! the PDF; an enterprise user never gets another enterprise's dossier (404, as for the
//! enterprise itself), nor does a street outside its street.

use super::{day_plus, licence, other_enterprise, own_and_supervisor};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn sections_and_exports(app: &TestApp) {
    let (own, _, dept) = own_and_supervisor(app).await;
    let body = licence(
        "hazchem_operation",
        "赣九危化经字〔2026〕0100",
        &day_plus(app, -30),
        &day_plus(app, 60),
    );
    let (s, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/licences"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let person = json!({"post": "special_operator", "name": "李四", "certificate_kind": "特种作业操作证（电工作业）", "certificate_number": "T360403199001011234", "valid_until": day_plus(app, -1)});
    let (s, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/key-people"),
            &person,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["expiry"]["expiry"], "expired", "{v}");
    let bad = json!({"post": "boss", "name": ""});
    let (s, v) = app
        .post(
            &dept,
            &format!("/api/v1/credit/enterprises/{own}/key-people"),
            &bad,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let ent = app.login("enterprise").await;
    let (s, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["enterprise"]["id"], own.as_str());
    let colours: Vec<_> = d["risk_colours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["colour"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(colours, ["red", "orange", "yellow", "blue"]);
    assert_eq!(d["licences"][0]["expiry"]["expiry"], "within_90", "{d}");
    assert_eq!(d["key_people"][0]["post_label"], "特种作业人员");
    for k in [
        "hazards",
        "major_hazards",
        "alarms",
        "inspections",
        "cases",
        "incidents",
        "risk_points",
    ] {
        assert!(!d[k].is_null(), "{k}");
    }
    let t = d["timeline"].as_array().unwrap();
    assert!(!t.is_empty());
    assert!(
        t.windows(2)
            .all(|w| w[0]["at_ms"].as_i64() >= w[1]["at_ms"].as_i64()),
        "newest first"
    );
    // The workbook and the PDF.
    let r = ent
        .get(app.url(&format!("/api/v1/credit/dossiers/{own}/xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let r = dept
        .get(app.url(&format!("/api/v1/credit/dossiers/{own}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
}
both!(sections_and_exports);

async fn never_another_enterprises(app: &TestApp) {
    let (own, _, dept) = own_and_supervisor(app).await;
    let admin = app.login("admin").await;
    let other = other_enterprise(app, &admin, &own).await;
    let body = licence(
        "other",
        "其他证照001",
        &day_plus(app, -1),
        &day_plus(app, 10),
    );
    let (s, _) = app
        .post(
            &admin,
            &format!("/api/v1/credit/enterprises/{other}/licences"),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let ent = app.login("enterprise").await;
    for suffix in ["", "/xlsx", "/pdf"] {
        let r = ent
            .get(app.url(&format!("/api/v1/credit/dossiers/{other}{suffix}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{suffix}");
        let text = r.text().await.unwrap();
        assert!(!text.contains("其他证照001"), "{text}");
    }
    // Nor through the lists.
    let (_, v) = app
        .get(&ent, "/api/v1/credit/licences?expiry=within_30")
        .await;
    assert!(!v.to_string().contains("其他证照001"), "{v}");
    let (_, v) = app.get(&ent, "/api/v1/credit/proposals").await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["enterprise_id"] == own.as_str()),
        "{v}"
    );
    let (s, _) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    // A street sees its street only; the department what it supervises.
    let street = app.login("street").await;
    let outside = app
        .enterprise_in(&admin, crate::kernel::scope_matrix::OTHER_STREET)
        .await;
    let oid = outside["id"].as_str().unwrap();
    let (s, _) = app
        .get(&street, &format!("/api/v1/credit/dossiers/{oid}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get(&dept, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .get(&dept, "/api/v1/credit/dossiers/no-such-enterprise")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
both!(never_another_enterprises);

fn enterprise_plan(code: &str, kind: &str, enterprise_id: &str) -> serde_json::Value {
    json!({
        "code": code, "name": "危险化学品泄漏现场处置方案", "kind": kind, "owner": "备案企业",
        "version": "2025版", "effective_date": "2025-06-01", "review_cycle_months": 36,
        "levels": [{"level": 4, "trigger": "死亡 >= 1", "tasks": []}],
        "enterprise_id": enterprise_id,
    })
}

/// 预案备案, the credit face and its history, and 安责险 in the dossier and its exports; a plan
/// names its enterprise only when it is an enterprise's plan, and only one the caller may see.
async fn plans_rating_and_insurance(app: &TestApp) {
    let (own, _, _) = own_and_supervisor(app).await;
    let commander = app.login("commander").await;
    let (s, v) = app
        .post(
            &commander,
            "/api/v1/plans",
            &enterprise_plan("QY-01", "onsite", &own),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["enterprise_id"], own.as_str());
    let (s, v) = app
        .post(
            &commander,
            "/api/v1/plans",
            &enterprise_plan("QY-02", "special", &own),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("enterprise_id"), "{v}");
    let (s, v) = app
        .post(
            &commander,
            "/api/v1/plans",
            &enterprise_plan("QY-03", "enterprise", "no-such-enterprise"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v.to_string().contains("备案企业"), "{v}");

    let ent = app.login("enterprise").await;
    let (s, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["plans"][0]["code"], "QY-01", "{d}");
    assert_eq!(d["plans"][0]["kind_label"], "现场处置方案");
    assert!(
        !d["rating"]["tier"].as_str().unwrap_or("").is_empty(),
        "{d}"
    );
    assert!(d["policies"].is_array() && d["rating_changes"].is_array());
    assert!(
        d["timeline"].to_string().contains("应急预案备案"),
        "{}",
        d["timeline"]
    );
    let bytes = ent
        .get(app.url(&format!("/api/v1/credit/dossiers/{own}/xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let wb =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let names = calamine::Reader::sheet_names(&wb);
    for sheet in ["应急预案", "信用评级", "信用变动", "安责险", "时间线"] {
        assert!(names.iter().any(|n| n == sheet), "{sheet}: {names:?}");
    }
}
both!(plans_rating_and_insurance);

//! SM4-sealed enterprise-side contact phones (issue 26 item 5, ADR 0032, s19-org): an
//! enterprise's principal and safety officer phones, the responsible phones of risk points,
//! hazards and major hazards, and a daily commitment's duty phone are ciphertext in the database
//! (a SELECT through the test's pool, on both backends) while the API, the map layers and the
//! export give them in full; an import seals them; the audit snapshots carry them masked; rows
//! written in plaintext before are sealed by the start-up job.

use super::sealed_fields::assert_sealed;
use crate::both;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::directory::import::COLUMNS;
use yingji_core::kernel::clock::Clock;
use yingji_server::spreadsheet::read_table;
use yingji_store::Sql;
use yingji_store::kernel::keys;
use yingji_store::sqlx::Row;

const PRINCIPAL: &str = "13811112222";
const OFFICER: &str = "13833334444";
const NEW_OFFICER: &str = "0792-8123456";
const IMPORTED: &str = "13755556666";
const POINT: &str = "13977778888";
const HAZARD: &str = "13699990000";
const UNIT: &str = "13512341234";

/// Every audit snapshot (before and after) of the entity, concatenated.
async fn snapshots(app: &TestApp, entity_type: &str, id: &str) -> String {
    let mut q = Sql::new("SELECT before_json, after_json FROM audit_log WHERE entity_type = ");
    q.bind(entity_type)
        .push_bind(" AND entity_id = ", id)
        .push(" ORDER BY seq");
    let rows = app.store.fetch_all(q).await.unwrap();
    assert!(!rows.is_empty(), "no audit of {entity_type} {id}");
    let mut out = String::new();
    for r in &rows {
        for c in ["before_json", "after_json"] {
            out.push_str(
                &r.try_get::<Option<String>, _>(c)
                    .unwrap()
                    .unwrap_or_default(),
            );
        }
    }
    out
}

fn one(id: &str) -> String {
    format!("id = '{id}'")
}

/// The column index of a template header.
fn col(header: &str) -> usize {
    COLUMNS.iter().position(|c| c.0 == header).expect(header)
}

// Long because: one enterprise through create, read, update, import, export and its audit.
async fn enterprise_phones_sealed(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let mut body = enterprise_body(901, &grid, "industry_trade");
    body["principal_phone"] = json!(PRINCIPAL);
    body["safety_officer_name"] = json!("安全员");
    body["safety_officer_phone"] = json!(OFFICER);
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let id = e["id"].as_str().unwrap().to_string();
    assert_sealed(
        app,
        ("enterprises", "principal_phone", &one(&id)),
        PRINCIPAL,
    )
    .await;
    assert_sealed(
        app,
        ("enterprises", "safety_officer_phone", &one(&id)),
        OFFICER,
    )
    .await;
    let (s, got) = app.get(&admin, &format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{got}");
    assert_eq!(
        (&got["principal_phone"], &got["safety_officer_phone"]),
        (&json!(PRINCIPAL), &json!(OFFICER))
    );
    // An edit seals the new number; the list reads it back.
    body["safety_officer_phone"] = json!(NEW_OFFICER);
    let (s, v) = app
        .put(&admin, &format!("/api/v1/enterprises/{id}"), &body)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_sealed(
        app,
        ("enterprises", "safety_officer_phone", &one(&id)),
        NEW_OFFICER,
    )
    .await;
    let (_, list) = app.get(&admin, "/api/v1/enterprises?q=测试企业901").await;
    assert_eq!(
        list["items"][0]["safety_officer_phone"], NEW_OFFICER,
        "{list}"
    );
    // The audit records (create, update) carry the phones masked.
    let snaps = snapshots(app, "enterprise", &id).await;
    for plain in [PRINCIPAL, OFFICER, NEW_OFFICER] {
        assert!(!snaps.contains(plain), "{plain} in {snaps}");
    }
    for masked in ["138****2222", "138****4444", "079*****3456"] {
        assert!(snaps.contains(masked), "{masked} not in {snaps}");
    }
    import_sealed(app, &admin, &grid).await;
    // The export shows the numbers in full.
    let r = admin
        .get(app.url("/api/v1/enterprises/export?category=industry_trade"))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rows = read_table(&r.bytes().await.unwrap()).unwrap();
    let mine = rows
        .iter()
        .find(|r| r[0] == "测试企业901有限公司")
        .unwrap_or_else(|| panic!("exported: {rows:?}"));
    assert_eq!(mine[col("主要负责人电话")], PRINCIPAL);
    assert_eq!(mine[col("安全管理人员电话")], NEW_OFFICER);
}
both!(enterprise_phones_sealed);

/// A CSV import seals the phones it brings; its audit record masks them.
async fn import_sealed(app: &TestApp, admin: &Client, grid: &str) {
    let header = COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(",");
    let row = format!(
        "导入封存公司,{},C3311,工贸、消防重点单位,规下,九江市浔阳区导入路9号,115.98,29.72,{grid},王五,{IMPORTED},,,有限空间作业,在营,35",
        uscc(902)
    );
    let r = admin
        .post(app.url("/api/v1/enterprises/import?mode=strict"))
        .header("content-type", "text/csv")
        .body(format!("{header}\n{row}"))
        .send_checked()
        .await
        .unwrap();
    let (s, v) = json(r).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 1, "{v}");
    let (_, found) = app.get(admin, "/api/v1/enterprises?q=导入封存").await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(found["items"][0]["principal_phone"], IMPORTED, "{found}");
    assert_sealed(app, ("enterprises", "principal_phone", &one(&id)), IMPORTED).await;
    let snaps = snapshots(app, "enterprise", &id).await;
    assert!(
        !snaps.contains(IMPORTED) && snaps.contains("137****6666"),
        "{snaps}"
    );
}

fn risk_point() -> Value {
    json!({"name": "液氨储罐区", "location": "厂区东侧", "hazard_factors": "液氨泄漏", "accident_types": ["中毒和窒息"],
           "assessment": {"method": "lec", "l": "3", "e": "6", "c": "15"}, "control_measures": "双人巡检",
           "emergency_measures": "启动喷淋", "control_level": "company", "responsible_name": "赵六",
           "responsible_phone": POINT, "lon": 115.99, "lat": 29.71})
}

/// The feature of `id` on a map layer, as the commander sees it.
async fn on_layer(app: &TestApp, layer: &str, id: &str) -> Value {
    let commander = app.login("commander").await;
    let (s, fc) = app
        .get(&commander, &format!("/api/v1/map/layers/{layer}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{fc}");
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} on {layer}: {fc}"))["properties"]
        .clone()
}

// Long because: a risk point and a major hazard, each written, read, mapped and audited.
async fn risk_points_and_major_hazards_sealed(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let (s, p) = app.post(&ent, "/api/v1/risk-points", &risk_point()).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["responsible_phone"], POINT, "{p}");
    assert_sealed(app, ("risk_points", "responsible_phone", &one(&id)), POINT).await;
    let (_, got) = app.get(&ent, &format!("/api/v1/risk-points/{id}")).await;
    assert_eq!(got["responsible_phone"], POINT, "{got}");
    assert_eq!(
        on_layer(app, "risk_points", &id).await["responsible_phone"],
        POINT
    );
    // The edit's `before` snapshot carries the phone masked.
    let mut edit = risk_point();
    edit["control_measures"] = json!("双人巡检；泄漏报警联锁");
    let (s, v) = app
        .put(&ent, &format!("/api/v1/risk-points/{id}"), &edit)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let snaps = snapshots(app, "risk_point", &id).await;
    assert!(
        !snaps.contains(POINT) && snaps.contains("139****8888"),
        "{snaps}"
    );
    // A major hazard.
    let unit = json!({"code": "MH-C-001", "name": "液氯储罐区", "unit_type": "storage",
        "chemicals": [{"chemical": "氯", "quantity_t": "80", "critical_t": "5", "beta": "4"}],
        "population_500m": 100, "responsible_name": "王安全", "responsible_phone": UNIT,
        "lon": 115.99, "lat": 29.71});
    let (s, m) = app.post(&ent, "/api/v1/major-hazards", &unit).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let mh = m["id"].as_str().unwrap().to_string();
    assert_eq!(m["responsible_phone"], UNIT, "{m}");
    assert_sealed(app, ("major_hazards", "responsible_phone", &one(&mh)), UNIT).await;
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == mh.as_str())
        .expect("listed");
    assert_eq!(listed["responsible_phone"], UNIT);
    assert_eq!(
        on_layer(app, "major_hazards", &mh).await["responsible_phone"],
        UNIT
    );
    assert!(!snapshots(app, "major_hazard", &mh).await.contains(UNIT));
}
both!(risk_points_and_major_hazards_sealed);

/// A hazard graded with a responsible phone, and a daily commitment with a duty phone.
async fn hazard_and_commitment_sealed(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let yjj = crate::prevention::hazards::regulator_of(app, &ent).await;
    let (s, h) = app
        .post(
            &ent,
            "/api/v1/hazards",
            &json!({"category": "behaviour",
            "description": "二号车间电工未持证上岗", "location": "二号车间",
            "findings": [{"code": "HG-2017-02"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let id = h["id"].as_str().unwrap().to_string();
    let deadline = yingji_core::kernel::clock::today(app.clock.now_ms() + 5 * 86_400_000);
    let body = json!({"deadline": deadline.to_string(), "responsible_name": "李四",
        "responsible_phone": HAZARD, "measures": "停岗培训"});
    let (s, g) = app
        .post(&yjj, &format!("/api/v1/hazards/{id}/actions/grade"), &body)
        .await;
    assert_eq!(s, StatusCode::OK, "{g}");
    assert_sealed(app, ("hazards", "responsible_phone", &one(&id)), HAZARD).await;
    let (_, got) = app.get(&ent, &format!("/api/v1/hazards/{id}")).await;
    assert_eq!(got["responsible_phone"], HAZARD, "{got}");
    assert!(!snapshots(app, "hazard", &id).await.contains(HAZARD));
    // The daily commitment.
    crate::credit::commitments::committing_enterprise(app).await;
    let ent = app.login("enterprise").await;
    let (s, c) = app
        .post(
            &ent,
            "/api/v1/credit/commitments",
            &crate::credit::commitments::body(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["duty_phone"], "13800000001", "{c}");
    assert_sealed(
        app,
        ("credit_commitments", "duty_phone", &one(&cid)),
        "13800000001",
    )
    .await;
    let (_, got) = app
        .get(&ent, &format!("/api/v1/credit/commitments/{cid}"))
        .await;
    assert_eq!(got["duty_phone"], "13800000001", "{got}");
}
both!(hazard_and_commitment_sealed);

const MINE: &[&str] = &[
    "enterprises.principal_phone",
    "enterprises.safety_officer_phone",
    "risk_points.responsible_phone",
    "hazards.responsible_phone",
    "major_hazards.responsible_phone",
    "credit_commitments.duty_phone",
];

/// Turns every sealed value of this task's fields back into plaintext (as rows written before
/// the sealing) and forgets the job's progress; answers how many rows were turned.
async fn unseal_mine(app: &TestApp) -> u64 {
    let mut plain = 0;
    for f in keys_of_mine() {
        let q = Sql::new(&format!(
            "SELECT id, {c} AS v FROM {t} WHERE {c} IS NOT NULL AND {c} <> ''",
            c = f.column,
            t = f.table
        ));
        for r in app.store.fetch_all(q).await.unwrap() {
            let v: String = r.try_get("v").unwrap();
            let id: String = r.try_get("id").unwrap();
            let mut u = Sql::new(&format!("UPDATE {} SET {} = ", f.table, f.column));
            u.bind(keys::open(v)).push_bind(" WHERE id = ", id);
            plain += app.store.execute(u).await.unwrap();
        }
        let mut q = Sql::new("DELETE FROM seal_progress WHERE name = ");
        q.bind(f.name);
        app.store.execute(q).await.unwrap();
    }
    plain
}

fn keys_of_mine() -> impl Iterator<Item = &'static yingji_store::kernel::sealing::SealedField> {
    yingji_store::kernel::sealing::FIELDS
        .iter()
        .filter(|f| MINE.contains(&f.name))
}

/// Old plaintext rows of every field are sealed by the start-up job, and still read back.
async fn old_rows_sealed_by_the_job(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let (s, p) = app.post(&ent, "/api/v1/risk-points", &risk_point()).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(keys_of_mine().count(), MINE.len());
    let turned = unseal_mine(app).await;
    assert!(turned > 0);
    assert_eq!(
        super::sealed_fields::raw(app, "risk_points", "responsible_phone", &one(&id)).await,
        [POINT]
    );
    let done = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 50)
        .await
        .unwrap();
    let labels: Vec<&str> = keys_of_mine().map(|f| f.label).collect();
    let sealed: i64 = done
        .iter()
        .filter(|(l, _)| labels.contains(l))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(sealed as u64, turned, "{done:?}");
    for f in keys_of_mine() {
        for v in super::sealed_fields::raw(app, f.table, f.column, "1 = 1").await {
            assert!(
                v.is_empty() || yingji_core::kernel::gm::is_sealed(&v),
                "{}: {v}",
                f.name
            );
        }
    }
    let (_, got) = app.get(&ent, &format!("/api/v1/risk-points/{id}")).await;
    assert_eq!(got["responsible_phone"], POINT, "{got}");
    let (_, list) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    let phone = list["items"][0]["principal_phone"].as_str().unwrap_or("");
    assert!(!yingji_core::kernel::gm::is_sealed(phone), "{list}");
    // A second run seals nothing.
    let again =
        yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 50)
            .await
            .unwrap();
    assert!(
        again
            .iter()
            .filter(|(l, _)| labels.contains(l))
            .all(|(_, n)| *n == 0),
        "{again:?}"
    );
}
both!(old_rows_sealed_by_the_job);

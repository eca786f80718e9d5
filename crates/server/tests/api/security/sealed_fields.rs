//! SM4-sealed field data (issue 26 item 5, ADR 0032, s18-field): a 特殊群体's name, address and
//! note and every 承灾体's responsible phone, the flood-duty and 转移 phones, credit key people's
//! phones and 野外用火 applicants' phones are ciphertext in the database (a SELECT through the
//! test's pool, on both backends) while the API gives them to the roles allowed; a heat warning
//! still finds the 特殊群体 by its cell and its work order and notice name it; rows written in
//! plaintext before are sealed by the start-up job (composite keys included).

use crate::both;
use crate::disasters::{centre, me, object, rainstorm_over};
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};
use yingji_core::kernel::gm;
use yingji_store::Sql;
use yingji_store::kernel::keys;
use yingji_store::sqlx::Row;

/// The stored values of `column` in the rows of `table` matching `filter` (NULLs left out).
pub(crate) async fn raw(app: &TestApp, table: &str, column: &str, filter: &str) -> Vec<String> {
    let q = Sql::new(&format!("SELECT {column} FROM {table} WHERE {filter}"));
    app.store
        .fetch_all(q)
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>(0).unwrap())
        .collect()
}

/// Every stored value of `column` (rows of `filter`, at least one) is sealed and none holds
/// `plain`.
pub(crate) async fn assert_sealed(
    app: &TestApp,
    (table, column, filter): (&str, &str, &str),
    plain: &str,
) {
    let values = raw(app, table, column, filter).await;
    assert!(!values.is_empty(), "no rows in {table} where {filter}");
    for v in &values {
        assert!(gm::is_sealed(v), "{table}.{column} in plaintext: {v}");
        assert!(!v.contains(plain), "{table}.{column} holds {plain}");
    }
}

const ELDER: &str = "王秀英";
const ELDER_ADDRESS: &str = "浔阳路88号3栋2单元";
const ELDER_NOTE: &str = "独居，行动不便，患高血压";
const ELDER_PHONE: &str = "13966660001";

/// A 特殊群体 in the grid worker's grid (their responsible person) and a school beside it.
async fn elder_and_school(app: &TestApp, admin: &Client, grid: &Client) -> (String, String) {
    let (grid_user, grid_code) = me(app, grid).await;
    let at = centre(app, admin, &grid_code).await;
    let body = json!({"kind": "special_person", "name": ELDER, "address": ELDER_ADDRESS,
        "note": ELDER_NOTE, "lon": at.0, "lat": at.1, "region_code": grid_code,
        "responsible_user_id": grid_user, "responsible_name": "网格员", "responsible_phone": ELDER_PHONE});
    let (s, o) = app.post(admin, "/api/v1/protected-objects", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let school = object(app, admin, "school", "浔阳小学", &grid_code, at).await;
    (o["id"].as_str().unwrap().to_string(), school)
}

/// Publishes a 高温 warning of level 2 over a square around the grid's centre.
async fn heat_over(app: &TestApp, commander: &Client, admin: &Client, at: (f64, f64)) {
    let (lon, lat, d) = (at.0 - 0.002, at.1 - 0.002, 0.004);
    let body = json!({"event_code": "heat", "level": 2,
        "description": "预计最高气温将升至39℃以上", "instruction": "做好特殊群体防暑降温",
        "area": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]},
        "expires_at": to_rfc3339(app.clock.now_ms() + 12 * 3_600_000)});
    let (s, w) = app.post(commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().unwrap());
    app.post(commander, &path, &json!({"action": "submit"}))
        .await;
    let (s, w) = app.post(admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
}

// Long because: one story, from the register through the targeting to the order and its SMS.
async fn special_persons_sealed_and_still_targeted(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = app.login("grid").await;
    let commander = app.login("commander").await;
    let (elder, school) = elder_and_school(app, &admin, &grid).await;
    let one = format!("id = '{elder}'");
    for (column, plain) in [
        ("name", ELDER),
        ("address", ELDER_ADDRESS),
        ("note", ELDER_NOTE),
        ("responsible_phone", ELDER_PHONE),
    ] {
        assert_sealed(app, ("protected_objects", column, &one), plain).await;
    }
    // A school is no person: its name stays searchable plaintext; its phone is sealed.
    let other = format!("id = '{school}'");
    assert_eq!(
        raw(app, "protected_objects", "name", &other).await,
        ["浔阳小学"]
    );
    assert_sealed(
        app,
        ("protected_objects", "responsible_phone", &other),
        "13900000009",
    )
    .await;
    for f in app.sqlite_files() {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for plain in [ELDER_ADDRESS, ELDER_NOTE] {
            let p = plain.as_bytes();
            assert!(!bytes.windows(p.len()).any(|w| w == p), "{plain} in {f:?}");
        }
    }
    // The grid worker reads the record (audited as before); the commander sees it masked.
    let (s, o) = app
        .get(&grid, &format!("/api/v1/protected-objects/{elder}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(
        (&o["name"], &o["address"], &o["responsible_phone"]),
        (&json!(ELDER), &json!(ELDER_ADDRESS), &json!(ELDER_PHONE))
    );
    let (_, theirs) = app
        .get(&commander, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(theirs["items"][0]["name"], "王**", "{theirs}");
    let aud = app.login("auditor").await;
    let (_, reads) = app
        .get(&aud, "/api/v1/audit?action=read_personal&page_size=10")
        .await;
    assert_eq!(reads["items"][0]["entity_id"], elder.as_str(), "{reads}");
    // A heat warning finds the elder by the cell index; the order and its notice name them.
    let (_, code) = me(app, &grid).await;
    heat_over(app, &commander, &admin, centre(app, &admin, &code).await).await;
    let (_, mine) = app.get(&grid, "/api/v1/work-orders?mine=true").await;
    let order = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object"]["id"] == elder.as_str())
        .unwrap_or_else(|| panic!("the elder's order: {mine}"))
        .clone();
    assert_eq!(order["object"]["name"], ELDER);
    assert_eq!(order["object"]["address"], ELDER_ADDRESS);
    assert_eq!(order["object"]["responsible_phone"], ELDER_PHONE);
    let (_, all) = app
        .get(&commander, "/api/v1/work-orders?page_size=100")
        .await;
    let masked = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object"]["id"] == elder.as_str())
        .expect("the commander sees the order");
    assert_eq!(masked["object"]["name"], "王**");
    // The SMS goes to the number (sealed while it waits in the outbox), its text masks the name.
    let q = Sql::new(
        "SELECT destination, body FROM outbox WHERE event = 'warning.order' AND kind = 'sms'",
    );
    let texts: Vec<(String, String)> = app
        .store
        .fetch_all(q)
        .await
        .unwrap()
        .iter()
        .map(|r| (keys::open(r.try_get(0).unwrap()), r.try_get(1).unwrap()))
        .collect();
    let to_elder = texts
        .iter()
        .find(|(d, _)| d == ELDER_PHONE)
        .unwrap_or_else(|| panic!("texted to {ELDER_PHONE}: {texts:?}"));
    assert!(to_elder.1.contains("王**"), "{to_elder:?}");
    reseal_all(app).await;
    let (_, again) = app
        .get(&grid, &format!("/api/v1/protected-objects/{elder}"))
        .await;
    assert_eq!((&again["name"], &again["note"]), (&o["name"], &o["note"]));
}
both!(special_persons_sealed_and_still_targeted);

fn three_persons(street_user: &str, grid_user: &str) -> Value {
    json!({"persons": [
        {"duty": "administrative", "name": "李镇长", "post": "镇长", "phone": "13900001001", "user_id": street_user},
        {"duty": "technical", "name": "王工", "post": "水利站站长", "phone": "0792-8221234"},
        {"duty": "patrol", "name": "赵巡查", "post": "网格员", "phone": "13900001003", "user_id": grid_user},
    ]})
}

/// A reservoir with its three duty persons and a rainstorm over it: the duty and order phones
/// are sealed, read back through the API, and the SMS goes to the plaintext number.
async fn flood_duty(app: &TestApp, admin: &Client) -> String {
    let grid = app.login("grid").await;
    let street = app.login("street").await;
    let (grid_user, grid_code) = me(app, &grid).await;
    let (street_user, _) = me(app, &street).await;
    let at = centre(app, admin, &grid_code).await;
    let reservoir = object(app, admin, "reservoir", "东风水库", &grid_code, at).await;
    let path = format!("/api/v1/disasters/flood/objects/{reservoir}/persons");
    let (s, o) = app
        .put(admin, &path, &three_persons(&street_user, &grid_user))
        .await;
    assert_eq!(s, StatusCode::OK, "{o}");
    let of = format!("object_id = '{reservoir}'");
    assert_sealed(app, ("flood_duty_persons", "phone", &of), "13900001001").await;
    assert_sealed(app, ("flood_duty_persons", "phone", &of), "8221234").await;
    let (_, o) = app
        .get(
            admin,
            &format!("/api/v1/disasters/flood/objects/{reservoir}"),
        )
        .await;
    assert_eq!(o["persons"][1]["phone"], "0792-8221234", "{o}");
    let commander = app.login("commander").await;
    rainstorm_over(app, &commander, admin, 2, at).await;
    let orders = "order_id IN (SELECT id FROM work_orders)";
    assert_sealed(app, ("flood_order_persons", "phone", orders), "13900001").await;
    let (_, persons) = app
        .get(
            &commander,
            &format!("/api/v1/disasters/flood/objects/{reservoir}/orders"),
        )
        .await;
    let phones: Vec<&str> = persons["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phone"].as_str().unwrap())
        .collect();
    assert_eq!(phones, ["13900001001", "13900001003", "0792-8221234"]);
    let q = Sql::new("SELECT destination FROM outbox WHERE kind = 'sms'");
    let texted: Vec<String> = app
        .store
        .fetch_all(q)
        .await
        .unwrap()
        .iter()
        .map(|r| keys::open(r.try_get(0).unwrap()))
        .collect();
    assert!(texted.iter().any(|d| d == "13900001003"), "{texted:?}");
    reservoir
}

async fn open_shelter(app: &TestApp, admin: &Client, region: &str, at: (f64, f64)) -> String {
    let body = json!({"name": "东风村避灾安置点", "kind": "emergency", "address": "东风村委会", "lon": at.0, "lat": at.1,
        "region_code": region, "capacity": 20, "manager": "村主任", "phone": "13900002000"});
    let (s, sh) = app.post(admin, "/api/v1/shelters", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{sh}");
    let id = sh["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/shelters/{id}/movements");
    let (s, v) = app.post(admin, &path, &json!({"kind": "open"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    id
}

/// A 转移 plan with two people and its order: both name lists' phones sealed, read back; the
/// order's id.
async fn evacuation(app: &TestApp, admin: &Client) -> String {
    let street = app.login("street").await;
    let (_, grid_code) = me(app, &app.login("grid").await).await;
    let at = centre(app, admin, &grid_code).await;
    let point = object(app, admin, "geohazard", "东风村滑坡", &grid_code, at).await;
    let shelter = open_shelter(app, admin, &grid_code, at).await;
    let plan = json!({"name": "东风村滑坡转移预案", "object_id": point, "region_code": grid_code,
        "shelter_id": shelter, "route": "沿村道向北500米至村委会", "people": [
            {"name": "张大爷", "phone": "13900003001", "household": "东风村3组"},
            {"name": "李奶奶", "phone": "13900003002", "household": "东风村3组"}]});
    let (s, p) = app
        .post(&street, "/api/v1/disasters/evacuation/plans", &plan)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_sealed(
        app,
        ("evacuation_plan_people", "phone", "1 = 1"),
        "1390000300",
    )
    .await;
    let (_, p) = app
        .get(
            &street,
            &format!(
                "/api/v1/disasters/evacuation/plans/{}",
                p["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(p["people"][1]["phone"], "13900003002", "{p}");
    let (s, o) = app
        .post(
            &street,
            "/api/v1/disasters/evacuation/orders",
            &json!({"plan_id": p["id"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["people"][0]["phone"], "13900003001", "{o}");
    assert_sealed(app, ("evacuation_answers", "phone", "1 = 1"), "1390000300").await;
    o["id"].as_str().unwrap().to_string()
}

/// A key person of the demo enterprise with a phone: sealed, read back.
async fn key_person(app: &TestApp, admin: &Client) -> String {
    let ent = app.login("enterprise").await;
    let (_, v) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    let own = v["items"][0]["id"].as_str().expect("own enterprise");
    let person = json!({"post": "special_operator", "name": "李四", "phone": "13900004001"});
    let path = format!("/api/v1/credit/enterprises/{own}/key-people");
    let (s, v) = app.post(admin, &path, &person).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["phone"], "13900004001", "{v}");
    let id = v["id"].as_str().unwrap();
    let one = format!("id = '{id}'");
    assert_sealed(app, ("credit_key_people", "phone", &one), "13900004001").await;
    let (s, v) = app.put(admin, &format!("{path}/{id}"), &person).await;
    assert_eq!((s, &v["phone"]), (StatusCode::OK, &json!("13900004001")));
    assert_sealed(app, ("credit_key_people", "phone", &one), "13900004001").await;
    let (_, d) = app
        .get(&ent, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(d["key_people"][0]["phone"], "13900004001", "{d}");
    own.to_string()
}

/// This task's fields in `yingji_store::kernel::sealing::FIELDS` (s18-field).
const MINE: &[&str] = &[
    "fire_use_applications.applicant_phone",
    "flood_duty_persons.phone",
    "flood_order_persons.phone",
    "evacuation_plan_people.phone",
    "evacuation_answers.phone",
    "credit_key_people.phone",
    "protected_objects.responsible_phone",
    "protected_objects.name",
    "protected_objects.address",
    "protected_objects.note",
];

/// Turns every sealed value of this task's fields back into plaintext (as rows written before
/// sealing), runs the start-up job, and checks every one is sealed again to the same value.
async fn reseal_all(app: &TestApp) {
    let ring = yingji_store::kernel::keys::installed().expect("test keys");
    let fields = yingji_store::kernel::sealing::FIELDS;
    let mut plain = 0;
    for f in fields.iter().filter(|f| MINE.contains(&f.name)) {
        let mut q = Sql::new(&format!(
            "SELECT {k} AS k, {c} AS v FROM {t}",
            k = f.key,
            c = f.column,
            t = f.table
        ));
        if let Some(rows) = f.rows {
            q.push(&format!(" WHERE {rows}"));
        }
        for r in app.store.fetch_all(q).await.unwrap() {
            let Some(v) = r.try_get::<Option<String>, _>("v").unwrap() else {
                continue;
            };
            let open = gm::open(&ring, &v).expect("opens");
            let key: String = r.try_get("k").unwrap();
            let mut u = Sql::new(&format!("UPDATE {} SET {} = ", f.table, f.column));
            u.bind(open).push_bind(&format!(" WHERE {} = ", f.key), key);
            plain += app.store.execute(u).await.unwrap();
        }
        let mut q = Sql::new("DELETE FROM seal_progress WHERE name = ");
        q.bind(f.name);
        app.store.execute(q).await.unwrap();
    }
    assert!(plain > 0);
    let done = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 2)
        .await
        .unwrap();
    let labels: Vec<&str> = fields
        .iter()
        .filter(|f| MINE.contains(&f.name))
        .map(|f| f.label)
        .collect();
    let sealed: i64 = done
        .iter()
        .filter(|(l, _)| labels.contains(l))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(sealed, plain as i64, "{done:?}");
    for f in fields.iter().filter(|f| MINE.contains(&f.name)) {
        let rows = f.rows.unwrap_or("1 = 1");
        for v in raw(app, f.table, f.column, rows).await {
            assert!(gm::is_sealed(&v), "{}: {v}", f.name);
        }
    }
    let q = Sql::new(
        "SELECT COUNT(*) FROM protected_objects WHERE personal = 0 AND name LIKE 'sm4gcm:%'",
    );
    assert_eq!(app.store.fetch_i64(q).await.unwrap(), 0);
}

/// Flood duty, 转移 and key people sealed at rest and read back; then the old plaintext rows of
/// every field of this task are sealed by the start-up job and still read the same.
async fn duty_evacuation_and_key_people_sealed(app: &TestApp) {
    let admin = app.login("admin").await;
    let reservoir = flood_duty(app, &admin).await;
    let order = evacuation(app, &admin).await;
    let own = key_person(app, &admin).await;
    reseal_all(app).await;
    let (_, o) = app
        .get(
            &admin,
            &format!("/api/v1/disasters/flood/objects/{reservoir}"),
        )
        .await;
    assert_eq!(o["persons"][0]["phone"], "13900001001", "{o}");
    let (_, d) = app
        .get(&admin, &format!("/api/v1/credit/dossiers/{own}"))
        .await;
    assert_eq!(d["key_people"][0]["phone"], "13900004001", "{d}");
    let path = format!("/api/v1/disasters/evacuation/orders/{order}");
    let (_, o) = app.get(&admin, &path).await;
    assert_eq!(o["people"][1]["phone"], "13900003002", "{o}");
}
both!(duty_evacuation_and_key_people_sealed);

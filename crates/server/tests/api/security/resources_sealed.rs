//! SM4-sealed resource and duty phones and 一卡通 card numbers (issue 26 item 5, ADR 0032,
//! s19-res): the contact phones of teams, experts, warehouses and shelters, the duty roster's
//! phone and the card numbers of 救助 entries and 一卡通 lines are ciphertext in the database (a
//! SELECT through the test's pool, on both backends, and the SQLite files) while the API, the
//! nearest-resource finder, the map layers, the exports and the bank's file carry them whole; the
//! audit snapshots hold them masked; rows written in plaintext before are sealed by the start-up
//! job.

use super::sealed_fields::{assert_sealed, raw};
use crate::both;
use crate::disasters::relief::{CARD, add, entry, entry_id, id_number, new_process};
use crate::helpers::TestApp;
use crate::kernel::exports::{download, sheet};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_core::kernel::gm;
use yingji_core::kernel::personal::mask_phone;
use yingji_store::Sql;
use yingji_store::sqlx::Row;

const TEAM_PHONE: &str = "13977001001";
const EXPERT_PHONE: &str = "13977001002";
const WAREHOUSE_PHONE: &str = "0792-7001003";
const SHELTER_PHONE: &str = "13977001004";
const DUTY_PHONE: &str = "0792-7001005";
const AT: (f64, f64) = (116.0, 29.7);

/// This task's fields in `yingji_store::kernel::sealing::FIELDS`.
const MINE: &[&str] = &[
    "experts.phone",
    "teams.phone",
    "warehouses.phone",
    "shelters.phone",
    "duty_shifts.phone",
    "disaster_relief_entries.card_number",
    "disaster_relief_lines.card_number",
];

fn team(phone: &str) -> Value {
    json!({"name": "封存测试救援队", "kind": "professional", "headcount": 5, "base_address": "浔阳区",
        "lon": AT.0, "lat": AT.1, "region_code": "360403001", "leader": "甲", "phone": phone})
}

/// One of each register, by the 系统管理员, each with its own phone: (path, id, phone).
async fn registers(app: &TestApp, admin: &Client) -> Vec<(&'static str, String, &'static str)> {
    let (lon, lat) = AT;
    let bodies = [
        ("teams", TEAM_PHONE, team(TEAM_PHONE)),
        (
            "experts",
            EXPERT_PHONE,
            json!({"name": "封存测试专家", "sections": ["natural"], "employer": "九江学院",
            "phone": EXPERT_PHONE, "lon": lon, "lat": lat, "region_code": "360403"}),
        ),
        (
            "warehouses",
            WAREHOUSE_PHONE,
            json!({"name": "封存测试储备库", "level": "street", "address": "浔阳区",
            "lon": lon, "lat": lat, "region_code": "360403001", "manager": "乙", "phone": WAREHOUSE_PHONE}),
        ),
        (
            "shelters",
            SHELTER_PHONE,
            json!({"name": "封存测试避难场所", "kind": "emergency", "address": "浔阳区",
            "lon": lon, "lat": lat, "region_code": "360403001", "capacity": 20, "manager": "丙", "phone": SHELTER_PHONE}),
        ),
    ];
    let mut out = Vec::new();
    for (path, phone, body) in bodies {
        let (s, v) = app.post(admin, &format!("/api/v1/{path}"), &body).await;
        assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
        out.push((path, v["id"].as_str().unwrap().to_string(), phone));
    }
    // The finder finds open shelters only.
    let moves = format!("/api/v1/shelters/{}/movements", out[3].1);
    let (s, v) = app.post(admin, &moves, &json!({"kind": "open"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    out
}

/// The finder's hits of `kind` around `AT`: every phone is plaintext; answers the hit `id`'s.
async fn found_phone(app: &TestApp, c: &Client, kind: &str, id: &str) -> String {
    let (lon, lat) = AT;
    let path = format!("/api/v1/resources/search?kind={kind}&lon={lon}&lat={lat}&limit=50");
    let (s, v) = app.get(c, &path).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v.to_string().contains("sm4gcm"), "{v}");
    let hit = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} found: {v}"));
    hit["phone"].as_str().unwrap().to_string()
}

/// The map layer's feature of `id`: its phone (no ciphertext in the layer).
async fn layer_phone(app: &TestApp, c: &Client, key: &str, id: &str) -> String {
    let (s, fc) = app
        .get(c, &format!("/api/v1/map/layers/{key}?zoom=12"))
        .await;
    assert_eq!(s, StatusCode::OK, "{fc}");
    assert!(!fc.to_string().contains("sm4gcm"), "{key}");
    let f = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == id)
        .unwrap_or_else(|| panic!("{key} {id} on the map: {fc}"));
    f["properties"]["phone"].as_str().unwrap().to_string()
}

/// The audit record of `action` on `id`: its `after` snapshot.
async fn snapshot(app: &TestApp, action: &str, id: &str) -> Value {
    let aud = app.login("auditor").await;
    let (s, log) = app
        .get(
            &aud,
            &format!("/api/v1/audit?action={action}&entity_id={id}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let after = log["items"][0]["after"]
        .as_str()
        .expect("an after snapshot");
    serde_json::from_str(after).unwrap()
}

/// No plaintext `values` in the SQLite files (nothing to read on PostgreSQL).
fn not_in_files(app: &TestApp, values: &[&str]) {
    for f in app.sqlite_files() {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for p in values {
            let p = p.as_bytes();
            let hit = bytes.windows(p.len()).any(|w| w == p);
            assert!(!hit, "{} in {f:?}", String::from_utf8_lossy(p));
        }
    }
}

// Long because: the four registers through the store, the API, the finder, the map, the export and
// the audit log, then put back in plaintext and sealed again by the job.
async fn resource_phones_sealed(app: &TestApp) {
    let admin = app.login("admin").await;
    let duty = app.login("duty").await;
    crate::resources::ledger::with_resources(app).await;
    let mut made = registers(app, &admin).await;
    for (path, id, phone) in &made {
        let one = format!("id = '{id}'");
        assert_sealed(app, (path, "phone", &one), phone).await;
        let (s, v) = app.get(&duty, &format!("/api/v1/{path}/{id}")).await;
        assert_eq!(
            (s, v["phone"].as_str()),
            (StatusCode::OK, Some(*phone)),
            "{v}"
        );
        let layer = layer_phone(app, &duty, path, id).await;
        assert_eq!(layer, *phone, "{path}");
        let kind = path.trim_end_matches('s');
        if kind != "warehouse" {
            assert_eq!(found_phone(app, &duty, kind, id).await, *phone);
        }
        let action = format!("{kind}.create");
        let after = snapshot(app, &action, id).await;
        assert_eq!(after["phone"], mask_phone(phone), "{after}");
        let (s, list) = download(app, &duty, &format!("/api/v1/{path}/export")).await;
        assert_eq!(s, StatusCode::OK);
        let cells = sheet(&list);
        let all: Vec<String> = cells.cells().map(|(_, _, d)| d.to_string()).collect();
        assert!(all.iter().any(|c| c == phone), "{path} export: {all:?}");
        assert!(
            !all.iter().any(|c| c.starts_with("sm4gcm")),
            "{path} export"
        );
    }
    // An edit seals the new value; its snapshot masks it.
    let team_id = made[0].1.as_str();
    let (s, v) = app
        .put(
            &admin,
            &format!("/api/v1/teams/{team_id}"),
            &team("13977001009"),
        )
        .await;
    assert_eq!(
        (s, v["phone"].as_str()),
        (StatusCode::OK, Some("13977001009")),
        "{v}"
    );
    let one = format!("id = '{team_id}'");
    assert_sealed(app, ("teams", "phone", &one), "13977001009").await;
    let after = snapshot(app, "team.update", team_id).await;
    assert_eq!(after["phone"], "139****1009", "{after}");
    made[0].2 = "13977001009";
    // The finder's material hits carry their warehouse's phone (joined from `warehouses`).
    let (_, wh) = app.get(&duty, "/api/v1/warehouses?kind=district").await;
    let wh = wh["items"][0].clone();
    let (lon, lat) = (wh["lon"].as_f64().unwrap(), wh["lat"].as_f64().unwrap());
    let need: String = "10 km 内 冲锋舟 ≥ 5"
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect();
    let path = format!("/api/v1/resources/search?kind=material&lon={lon}&lat={lat}&need={need}");
    let (_, found) = app.get(&duty, &path).await;
    assert_eq!(found["items"][0]["id"], wh["id"], "{found}");
    assert_eq!(found["items"][0]["phone"], wh["phone"], "{found}");
    assert!(!found.to_string().contains("sm4gcm"), "{found}");
    not_in_files(
        app,
        &[TEAM_PHONE, EXPERT_PHONE, WAREHOUSE_PHONE, SHELTER_PHONE],
    );
    reseal_mine(app).await;
    for (path, id, phone) in &made {
        let (_, v) = app.get(&duty, &format!("/api/v1/{path}/{id}")).await;
        assert_eq!(v["phone"].as_str(), Some(*phone), "{v}");
    }
}
both!(resource_phones_sealed);

async fn duty_phone_sealed(app: &TestApp) {
    let duty = app.login("duty").await;
    let today = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string();
    let body = json!({"day": today, "shift": "day", "leader": "张局长", "officer": "李值班", "phone": DUTY_PHONE});
    let (s, v) = app.put(&duty, "/api/v1/duty/shifts", &body).await;
    assert_eq!(
        (s, v["phone"].as_str()),
        (StatusCode::OK, Some(DUTY_PHONE)),
        "{v}"
    );
    let of = format!("day = '{today}' AND shift = 'day'");
    assert_sealed(app, ("duty_shifts", "phone", &of), DUTY_PHONE).await;
    let path = format!("/api/v1/duty/shifts?from={today}&to={today}");
    let (_, roster) = app.get(&duty, &path).await;
    assert_eq!(roster[0]["phone"], DUTY_PHONE, "{roster}");
    let aud = app.login("auditor").await;
    let (_, log) = app.get(&aud, "/api/v1/audit?action=duty.shift").await;
    let after: Value = serde_json::from_str(log["items"][0]["after"].as_str().unwrap()).unwrap();
    assert_eq!(after["phone"], mask_phone(DUTY_PHONE), "{after}");
    assert_eq!(after["phone"], "079*****1005");
    not_in_files(app, &[DUTY_PHONE]);
    reseal_mine(app).await;
    let (_, roster) = app.get(&duty, &path).await;
    assert_eq!(roster[0]["phone"], DUTY_PHONE, "{roster}");
}
both!(duty_phone_sealed);

/// The bank's file of a batch, taken through 公示 (the timer) and 导出, as CSV.
async fn payment_file(app: &TestApp, c: &Client, batch: &Value) -> String {
    let id = batch["id"].as_str().unwrap();
    let base = format!("/api/v1/disasters/relief/batches/{id}");
    let (s, b) = app.post(c, &format!("{base}/publish"), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    app.clock.set(b["notice_end_ms"].as_i64().unwrap() + 1);
    crate::disasters::reports::fire(app).await;
    let c = app.login("duty").await;
    let (s, b) = app.post(&c, &format!("{base}/export"), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let r = c
        .get(app.url(&format!("{base}/payment-file?format=csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

// Long because: an entry and its 一卡通 line, each checked at rest, in the API, in the bank's
// file, and again after the start-up job sealed them from plaintext.
async fn card_numbers_sealed(app: &TestApp) {
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    let number = id_number(51);
    let (s, v) = add(
        app,
        &duty,
        &pid,
        &entry("emergency", "360403001", "钱某", &number),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let eid = entry_id(&v, "钱某");
    let shown = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == eid.as_str())
        .cloned()
        .unwrap();
    assert_eq!(shown["card_number"], "4111********1111", "{shown}");
    let one = format!("id = '{eid}'");
    assert_sealed(app, ("disaster_relief_entries", "card_number", &one), CARD).await;
    let body = json!({"process_id": pid, "phase": "emergency", "township": "360403001",
        "lines": [{"entry_id": eid}]});
    let (s, bat) = app
        .post(&duty, "/api/v1/disasters/relief/batches", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{bat}");
    assert_eq!(bat["lines"][0]["card_number"], "4111********1111", "{bat}");
    let line = format!("id = '{}'", bat["lines"][0]["id"].as_str().unwrap());
    assert_sealed(app, ("disaster_relief_lines", "card_number", &line), CARD).await;
    not_in_files(app, &[CARD]);
    // Old rows in plaintext are sealed by the job; the bank's file carries the whole number.
    reseal_mine(app).await;
    assert_sealed(app, ("disaster_relief_lines", "card_number", &line), CARD).await;
    let csv = payment_file(app, &duty, &bat).await;
    assert!(csv.contains(&format!(",钱某,{number},{CARD},")), "{csv}");
    assert!(!csv.contains("sm4gcm"), "{csv}");
}
both!(card_numbers_sealed);

/// Turns every sealed value of this task's fields back into plaintext (as rows written before
/// sealing), runs the start-up job, and checks it sealed exactly those, each to the same value.
async fn reseal_mine(app: &TestApp) {
    let ring = yingji_store::kernel::keys::installed().expect("test keys");
    let fields = yingji_store::kernel::sealing::FIELDS;
    let mine: Vec<_> = fields.iter().filter(|f| MINE.contains(&f.name)).collect();
    assert_eq!(mine.len(), MINE.len(), "every field of this task is listed");
    let mut plain = 0;
    for f in &mine {
        let q = Sql::new(&format!("SELECT id, {} AS v FROM {}", f.column, f.table));
        for r in app.store.fetch_all(q).await.unwrap() {
            let Some(v) = r.try_get::<Option<String>, _>("v").unwrap() else {
                continue;
            };
            let Some(open) = gm::open(&ring, &v) else {
                continue;
            };
            let id: String = r.try_get("id").unwrap();
            let mut u = Sql::new(&format!("UPDATE {} SET {} = ", f.table, f.column));
            u.bind(open).push_bind(" WHERE id = ", id);
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
    let labels: Vec<&str> = mine.iter().map(|f| f.label).collect();
    let sealed: i64 = done
        .iter()
        .filter(|(l, _)| labels.contains(l))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(sealed, plain as i64, "{done:?}");
    for f in &mine {
        for v in raw(app, f.table, f.column, "1 = 1").await {
            assert!(v.is_empty() || gm::is_sealed(&v), "{}: {v}", f.name);
        }
    }
}

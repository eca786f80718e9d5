//! 救助, 台账 and 灾害信息员 personal fields sealed with SM4 at rest (ADR 0032): no ID number or
//! phone in plaintext in the database (the SQLite file, the PostgreSQL rows), the API and the
//! bank's 一卡通 file read them, the 台账's once-per-process and the 一卡通's once-per-phase still
//! refuse a duplicate through the blind index (also written with a lower-case x), and rows written
//! before 0064 are sealed by the start-up job (refused as duplicates before and after it ran).

use super::relief::{add, entry, entry_id, id_number, new_process};
use crate::both;
use crate::helpers::{TEST_KEYS, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_core::kernel::gm::{self, KeyRing};
use yingji_store::Sql;
use yingji_store::sqlx::Row;

const LEDGER_ID: &str = "11010519491231002X";
const PHONE: &str = "13955507788";
const INFORMANT_PHONE: &str = "13955506611";
const BACKUP_PHONE: &str = "13955506622";
const INFORMANTS: &str = "/api/v1/disasters/informants";

/// One column of one row as stored.
async fn raw(app: &TestApp, table: &str, column: &str, id: &str) -> Option<String> {
    let mut q = Sql::new(&format!("SELECT {column} FROM {table} WHERE id = "));
    q.bind(id);
    let r = app.store.fetch_optional(q).await.unwrap().expect("row");
    r.try_get(0).unwrap()
}

fn bidx(plain: &str) -> Option<String> {
    KeyRing::parse(TEST_KEYS).unwrap().blind_index(plain)
}

/// The column holds the sealed value, not the plaintext.
async fn assert_sealed(app: &TestApp, (table, column, id): (&str, &str, &str), plain: &str) {
    let v = raw(app, table, column, id).await.expect("a value");
    assert!(gm::is_sealed(&v), "{table}.{column}: {v}");
    assert!(!v.contains(plain), "{table}.{column}: {v}");
}

async fn person(app: &TestApp, c: &Client, pid: &str, id_number: &str) -> (StatusCode, Value) {
    let body = json!({"township": "360403001", "name": "张某", "sex": "男", "age": 67,
        "id_number": id_number, "address": "甘棠街道南湖社区", "status": "missing",
        "cause": "被洪水冲走", "day": "2026-05-27"});
    let path = format!("/api/v1/disasters/processes/{pid}/ledgers/persons");
    app.post(c, &path, &body).await
}

async fn person_id(app: &TestApp) -> String {
    let q = Sql::new("SELECT id FROM disaster_ledger_persons");
    let r = app
        .store
        .fetch_optional(q)
        .await
        .unwrap()
        .expect("a person");
    r.try_get(0).unwrap()
}

/// A duplicate 台账 person is refused with the field named, whatever the case of the x.
async fn person_refused(app: &TestApp, c: &Client, pid: &str) {
    let (s, e) = person(app, c, pid, &LEDGER_ID.to_lowercase()).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::CONFLICT, Some("id_number")),
        "{e}"
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("已在本灾害过程的台账中"),
        "{e}"
    );
}

async fn batch(app: &TestApp, c: &Client, pid: &str, entry_id: &str) -> (StatusCode, Value) {
    let body = json!({"process_id": pid, "phase": "emergency", "township": "360403001",
        "lines": [{"entry_id": entry_id}]});
    app.post(c, "/api/v1/disasters/relief/batches", &body).await
}

/// A second batch with the same person of the same phase is refused (no second line stored).
async fn batch_refused(app: &TestApp, c: &Client, pid: &str, entry_id: &str) {
    let before = app.count("disaster_relief_lines").await;
    let (s, e) = batch(app, c, pid, entry_id).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("lines[0]")),
        "{e}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("不能重复发放"),
        "{e}"
    );
    assert_eq!(app.count("disaster_relief_lines").await, before);
}

async fn informant(app: &TestApp, c: &Client) -> Value {
    let body = json!({"region_code": "360403001007", "name": "周某", "phone": INFORMANT_PHONE,
        "backup_name": "吴某", "backup_phone": BACKUP_PHONE, "trainings": []});
    let (s, v) = app.post(c, INFORMANTS, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

/// The entry's row in the overview the caller reads.
async fn overview_entry(app: &TestApp, c: &Client, pid: &str, name: &str) -> Value {
    let (s, v) = app
        .get(c, &format!("/api/v1/disasters/processes/{pid}/relief"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = entry_id(&v, name);
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id.as_str())
        .cloned()
        .unwrap()
}

/// The bank's file of a batch, taken through 公示 (the timer) and 导出, as CSV.
async fn payment_file(app: &TestApp, c: &Client, batch: &Value) -> String {
    let id = batch["id"].as_str().unwrap();
    let base = format!("/api/v1/disasters/relief/batches/{id}");
    let (s, b) = app.post(c, &format!("{base}/publish"), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    app.clock.set(b["notice_end_ms"].as_i64().unwrap() + 1);
    super::reports::fire(app).await;
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

// Long because: one person through the 台账, an entry, a batch and the bank's file, and an
// informant, each checked at rest and through the API.
async fn relief_fields_sealed_at_rest(app: &TestApp) {
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    // 台账: sealed with its blind index; the API shows it masked; a duplicate is refused.
    let (s, v) = person(app, &duty, &pid, LEDGER_ID).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["persons"][0]["id_number"], "1101**********002X");
    let pers = person_id(app).await;
    assert_sealed(
        app,
        ("disaster_ledger_persons", "id_number", &pers),
        LEDGER_ID,
    )
    .await;
    let b = raw(app, "disaster_ledger_persons", "id_number_bidx", &pers).await;
    assert_eq!(b, bidx(LEDGER_ID));
    person_refused(app, &duty, &pid).await;
    // 救助 entry: ID number and phone sealed; the overview reads them.
    let number = id_number(41);
    let mut e = entry("emergency", "360403001", "欧阳娜娜", &number);
    e["phone"] = json!(PHONE);
    let (s, v) = add(app, &duty, &pid, &e).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let eid = entry_id(&v, "欧阳娜娜");
    let shown = overview_entry(app, &duty, &pid, "欧阳娜娜").await;
    assert_eq!(shown["phone"], PHONE, "{shown}");
    assert_eq!(
        shown["id_number"],
        yingji_core::disasters::ledgers::mask_id_number(&number)
    );
    assert_sealed(app, ("disaster_relief_entries", "id_number", &eid), &number).await;
    assert_sealed(app, ("disaster_relief_entries", "phone", &eid), PHONE).await;
    // 一卡通 line: sealed with its blind index; the same person again is refused, by the check
    // and by the unique index on the blind index.
    let (s, bat) = batch(app, &duty, &pid, &eid).await;
    assert_eq!(s, StatusCode::CREATED, "{bat}");
    let line = bat["lines"][0]["id"].as_str().unwrap().to_string();
    assert_sealed(app, ("disaster_relief_lines", "id_number", &line), &number).await;
    let b = raw(app, "disaster_relief_lines", "id_number_bidx", &line).await;
    assert_eq!(b, bidx(&number));
    batch_refused(app, &duty, &pid, &eid).await;
    let mut copy = Sql::new(
        "INSERT INTO disaster_relief_lines (id, batch_id, process_id, phase, entry_id, position, reference, name, id_number, id_number_bidx, village, card_number, amount_fen, state, updated_ms) SELECT 'copy', batch_id, process_id, phase, entry_id, 2, 'copy', name, id_number, id_number_bidx, village, card_number, amount_fen, state, updated_ms FROM disaster_relief_lines WHERE id = ",
    );
    copy.bind(line.as_str());
    assert!(app.store.execute(copy).await.is_err());
    // The bank's file carries the whole number.
    let csv = payment_file(app, &duty, &bat).await;
    assert!(csv.contains(&format!(",欧阳娜娜,{number},")), "{csv}");
    // 灾害信息员: both phones sealed, on create and on edit; the list reads them.
    let street = app.login("street").await;
    let i = informant(app, &street).await;
    let iid = i["id"].as_str().unwrap().to_string();
    assert_eq!(
        (i["phone"].as_str(), i["backup_phone"].as_str()),
        (Some(INFORMANT_PHONE), Some(BACKUP_PHONE))
    );
    assert_sealed(app, ("disaster_informants", "phone", &iid), INFORMANT_PHONE).await;
    assert_sealed(
        app,
        ("disaster_informants", "backup_phone", &iid),
        BACKUP_PHONE,
    )
    .await;
    let edit = json!({"region_code": "360403001007", "name": "周某", "phone": "13955506633",
        "backup_name": "吴某", "backup_phone": BACKUP_PHONE, "trainings": []});
    let (s, v) = app
        .put(&street, &format!("{INFORMANTS}/{iid}"), &edit)
        .await;
    assert_eq!(
        (s, v["phone"].as_str()),
        (StatusCode::OK, Some("13955506633")),
        "{v}"
    );
    assert_sealed(app, ("disaster_informants", "phone", &iid), "13955506633").await;
    let (_, list) = app.get(&street, INFORMANTS).await;
    assert_eq!(list[0]["backup_phone"], BACKUP_PHONE, "{list}");
    // Nowhere in the SQLite files.
    let plain = [LEDGER_ID, &number, PHONE, INFORMANT_PHONE, BACKUP_PHONE];
    for f in app.sqlite_files() {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for p in plain {
            assert!(
                !bytes.windows(p.len()).any(|w| w == p.as_bytes()),
                "plaintext {p} in {}",
                f.display()
            );
        }
    }
}
both!(relief_fields_sealed_at_rest);

/// Puts a column back to its plaintext (and clears the blind index), as before 0064.
async fn unseal(app: &TestApp, (table, column, id): (&str, &str, &str), plain: &str, bidx: bool) {
    let mut q = Sql::new(&format!("UPDATE {table} SET {column} = "));
    q.bind(plain);
    if bidx {
        q.push(", id_number_bidx = NULL");
    }
    q.push_bind(" WHERE id = ", id);
    assert_eq!(app.store.execute(q).await.unwrap(), 1);
}

// Long because: every field put back to plaintext, the checks before the job, the job, and the
// same checks after it.
async fn old_relief_rows_are_sealed(app: &TestApp) {
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    person(app, &duty, &pid, LEDGER_ID).await;
    let pers = person_id(app).await;
    let number = id_number(42);
    let mut e = entry("emergency", "360403001", "李四", &number);
    e["phone"] = json!(PHONE);
    let (_, v) = add(app, &duty, &pid, &e).await;
    let eid = entry_id(&v, "李四");
    let (_, bat) = batch(app, &duty, &pid, &eid).await;
    let line = bat["lines"][0]["id"].as_str().unwrap().to_string();
    let street = app.login("street").await;
    let i = informant(app, &street).await;
    let iid = i["id"].as_str().unwrap().to_string();
    let fields = [
        (
            "disaster_ledger_persons",
            "id_number",
            pers.as_str(),
            LEDGER_ID,
            true,
        ),
        (
            "disaster_relief_entries",
            "id_number",
            eid.as_str(),
            number.as_str(),
            false,
        ),
        (
            "disaster_relief_entries",
            "phone",
            eid.as_str(),
            PHONE,
            false,
        ),
        (
            "disaster_relief_lines",
            "id_number",
            line.as_str(),
            number.as_str(),
            true,
        ),
        (
            "disaster_informants",
            "phone",
            iid.as_str(),
            INFORMANT_PHONE,
            false,
        ),
        (
            "disaster_informants",
            "backup_phone",
            iid.as_str(),
            BACKUP_PHONE,
            false,
        ),
    ];
    for (t, c, id, plain, b) in fields {
        unseal(app, (t, c, id), plain, b).await;
    }
    // Before the job: read as they are, and still refused as duplicates.
    let shown = overview_entry(app, &duty, &pid, "李四").await;
    assert_eq!(shown["phone"], PHONE, "{shown}");
    person_refused(app, &duty, &pid).await;
    batch_refused(app, &duty, &pid, &eid).await;
    let done = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 2)
        .await
        .unwrap();
    for label in [
        "因灾死亡失踪人员公民身份号码",
        "救助对象公民身份号码",
        "救助对象联系电话",
        "一卡通发放名单公民身份号码",
        "灾害信息员电话",
        "灾害信息员B岗人员电话",
    ] {
        assert!(
            done.iter().any(|(f, n)| *f == label && *n >= 1),
            "{label}: {done:?}"
        );
    }
    for (t, c, id, plain, b) in fields {
        assert_sealed(app, (t, c, id), plain).await;
        if b {
            assert_eq!(raw(app, t, "id_number_bidx", id).await, bidx(plain), "{t}");
        }
    }
    // After it: read through the API, refused through the blind index.
    let shown = overview_entry(app, &duty, &pid, "李四").await;
    assert_eq!(shown["phone"], PHONE, "{shown}");
    let (_, list) = app.get(&street, INFORMANTS).await;
    assert_eq!(list[0]["phone"], INFORMANT_PHONE, "{list}");
    person_refused(app, &duty, &pid).await;
    batch_refused(app, &duty, &pid, &eid).await;
    let csv = payment_file(app, &duty, &bat).await;
    assert!(csv.contains(&format!(",李四,{number},")), "{csv}");
    let auditor = app.login("auditor").await;
    let (_, v) = app.get(&auditor, "/api/v1/audit/verify").await;
    assert!(v["first_break"].is_null(), "{v}");
}
both!(old_relief_rows_are_sealed);

//! 国密 (issue 26 item 5, ADR 0032): the standards' vectors, personal fields sealed with SM4 at
//! rest (unreadable in the database, readable through the API, found by their blind index), the
//! audit chain keyed with HMAC-SM3 (a chain recomputed without the key is detected, verification
//! needs the key, a rotation keeps old records verifiable) and the sealing of old plaintext rows.

use crate::both;
use crate::grid::events::{PATH, event, file};
use crate::helpers::{TEST_KEYS, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use yingji_core::kernel::audit::AuditRecord;
use yingji_core::kernel::clock::Clock;
use yingji_core::kernel::gm::{self, KeyRing};
use yingji_store::Sql;
use yingji_store::sqlx::Row;

const PHONE: &str = "13955501234";

#[test]
fn standard_vectors() {
    // GB/T 32905-2016 A.1 and A.2.
    assert_eq!(
        gm::sm3_hex(b"abc"),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    assert_eq!(
        gm::sm3_hex(&b"abcd".repeat(16)),
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    );
    // GB/T 32907-2016 appendix A, example 1.
    let k: [u8; 16] = hex::decode("0123456789abcdeffedcba9876543210")
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        hex::encode(gm::sm4_encrypt_block(&k, &k)),
        "681edf34d206965e86b3e94f536e4246"
    );
}

async fn raw_phone(app: &TestApp, id: &str) -> (Option<String>, Option<String>) {
    let mut q = Sql::new("SELECT reporter_phone, reporter_phone_bidx FROM grid_events WHERE id = ");
    q.bind(id);
    let r = app.store.fetch_optional(q).await.unwrap().expect("row");
    (
        r.try_get("reporter_phone").unwrap(),
        r.try_get("reporter_phone_bidx").unwrap(),
    )
}

async fn verify(app: &TestApp) -> Value {
    let auditor = app.login("auditor").await;
    let (s, v) = app.get(&auditor, "/api/v1/audit/verify").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// The duty room files an event with the reporter's phone: the database holds only the sealed
/// value and its blind index (no plaintext in the SQLite file or the PostgreSQL row), the duty
/// room reads the number, and a search by the whole number finds the event.
async fn personal_fields_sealed_at_rest(app: &TestApp) {
    let duty = app.login("duty").await;
    let mut body = event("production_hazard", "360403001001");
    body["reporter_phone"] = PHONE.into();
    let e = file(app, &duty, &body).await;
    let id = e["id"].as_str().unwrap();
    assert_eq!(e["reporter_phone"], PHONE);
    let (sealed, bidx) = raw_phone(app, id).await;
    let sealed = sealed.expect("sealed phone");
    assert!(sealed.starts_with("sm4gcm:v1:td1:"), "{sealed}");
    assert!(!sealed.contains(PHONE) && !sealed.contains("5550"));
    assert_eq!(bidx, KeyRing::parse(TEST_KEYS).unwrap().blind_index(PHONE));
    for f in app.sqlite_files() {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !bytes.windows(PHONE.len()).any(|w| w == PHONE.as_bytes()),
            "plaintext phone in {}",
            f.display()
        );
    }
    let (s, v) = app.get(&duty, &format!("{PATH}/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["event"]["reporter_phone"], PHONE, "{v}");
    let (_, list) = app.get(&duty, &format!("{PATH}?q=139-5550-1234")).await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, vec![id], "{list}");
    let (_, none) = app.get(&duty, &format!("{PATH}?q=13955501235")).await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0, "{none}");
}
both!(personal_fields_sealed_at_rest);

async fn last_record(app: &TestApp) -> AuditRecord {
    let (rows, _) = yingji_store::kernel::audit::list(
        &app.store,
        &Default::default(),
        yingji_store::Page::new(Some(1), Some(1)),
    )
    .await
    .unwrap();
    rows.into_iter().next().expect("a record")
}

async fn set_hash(app: &TestApp, r: &AuditRecord, alg: &str) {
    let mut q = Sql::new("UPDATE audit_log SET summary = ");
    q.bind(r.summary.clone())
        .push_bind(", hash = ", r.hash.clone())
        .push_bind(", alg = ", alg)
        .push_bind(" WHERE seq = ", r.seq);
    app.store.execute(q).await.unwrap();
}

/// Records chain with HMAC-SM3 under the key file's key and verify with it; without the key the
/// first keyed record cannot be verified; someone with database access who edits a record and
/// recomputes its hash with plain SM3 (or downgrades it to SHA-256) is caught at that record.
async fn keyed_chain_detects_recompute(app: &TestApp) {
    let v = verify(app).await;
    assert!(v["first_break"].is_null(), "{v}");
    assert!(v["checked"].as_u64().unwrap() > 10, "{v}");
    let rec = last_record(app).await;
    assert_eq!(
        (rec.alg.as_str(), rec.key_id.as_deref()),
        ("hmac-sm3", Some("ta1"))
    );
    let empty = KeyRing::default();
    let r = yingji_store::kernel::audit::verify(&app.store, &empty)
        .await
        .unwrap();
    assert!(r.first_break.unwrap().reason.contains("缺少审计密钥"));

    let mut forged = rec.clone();
    forged.summary = "无操作".into();
    forged.hash = gm::sm3_hex(&forged.canonical());
    set_hash(app, &forged, "hmac-sm3").await;
    let v = verify(app).await;
    assert_eq!(v["first_break"]["seq"], rec.seq, "{v}");
    forged.hash = forged.compute_hash();
    set_hash(app, &forged, "sha256").await;
    let v = verify(app).await;
    assert_eq!(v["first_break"]["seq"], rec.seq, "{v}");
    assert!(
        v["first_break"]["reason"]
            .as_str()
            .unwrap()
            .contains("HMAC-SM3"),
        "{v}"
    );
    // Moving the legacy boundary in the database does not help: its seal is keyed.
    app.store
        .execute(Sql::new(
            "UPDATE audit_head SET legacy_until = 1000000 WHERE id = 1",
        ))
        .await
        .unwrap();
    let v = verify(app).await;
    assert!(
        v["first_break"]["reason"]
            .as_str()
            .unwrap()
            .contains("封印"),
        "{v}"
    );
}
both!(keyed_chain_detects_recompute);

/// `yingji keys rotate`: a new audit key in the key file, the rotation recorded under it; records
/// under the old key still verify, and only with both keys.
async fn rotation_keeps_old_records_verifiable(app: &TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("yingji.keys");
    let ring = KeyRing::parse(TEST_KEYS).unwrap();
    yingji_app::security::keys::write_private(&key_file, &ring.to_text()).unwrap();
    let before = last_record(app).await.seq;
    let id = yingji_app::security::keys::rotate(
        &app.store,
        (&key_file, "audit"),
        app.clock.now_ms(),
        &yingji_store::Actor::system("命令行"),
    )
    .await
    .unwrap();
    let rec = last_record(app).await;
    assert_eq!(
        (rec.action.as_str(), rec.key_id.as_deref()),
        ("keys.rotate", Some(id.as_str()))
    );
    app.login("duty").await;
    let v = verify(app).await;
    assert!(v["first_break"].is_null(), "{v}");
    let r = yingji_store::kernel::audit::verify(&app.store, &ring)
        .await
        .unwrap();
    assert_eq!(r.first_break.unwrap().seq, before + 1);
    let loaded = yingji_app::security::keys::load(&key_file, None).unwrap();
    assert_eq!(loaded.ring.audit.len(), 2);
    // A key file others can read is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = yingji_app::security::keys::load(&key_file, None).unwrap_err();
        assert!(e.contains("chmod 600"), "{e}");
    }
}
both!(rotation_keeps_old_records_verifiable);

/// Rows written before 0061 hold plaintext: the start-up job seals them (with their blind index),
/// in batches, once; the API still reads them and the chain still verifies.
async fn old_plaintext_rows_are_sealed(app: &TestApp) {
    let duty = app.login("duty").await;
    let mut ids = vec![];
    for i in 0..3 {
        let mut body = event("production_hazard", "360403001001");
        body["lon"] = (115.99 + f64::from(i) * 0.01).into();
        let e = file(app, &duty, &body).await;
        let id = e["id"].as_str().unwrap().to_string();
        let mut q = Sql::new("UPDATE grid_events SET reporter_phone = ");
        q.bind(format!("1370000111{i}"))
            .push(", reporter_phone_bidx = NULL WHERE id = ")
            .bind(id.clone());
        app.store.execute(q).await.unwrap();
        ids.push(id);
    }
    let done = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 2)
        .await
        .unwrap();
    assert!(
        done.iter().any(|(f, n)| f.contains("网格事件") && *n >= 3),
        "{done:?}"
    );
    for (i, id) in ids.iter().enumerate() {
        let (sealed, bidx) = raw_phone(app, id).await;
        assert!(gm::is_sealed(&sealed.unwrap()));
        let plain = format!("1370000111{i}");
        assert_eq!(bidx, KeyRing::parse(TEST_KEYS).unwrap().blind_index(&plain));
        let (_, v) = app.get(&duty, &format!("{PATH}/{id}")).await;
        assert_eq!(v["event"]["reporter_phone"], plain.as_str(), "{v}");
    }
    let again = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 2)
        .await
        .unwrap();
    assert!(again.iter().all(|(_, n)| *n == 0), "{again:?}");
    let v = verify(app).await;
    assert!(v["first_break"].is_null(), "{v}");
}
both!(old_plaintext_rows_are_sealed);

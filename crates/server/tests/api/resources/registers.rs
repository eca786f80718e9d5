//! 名录维护: every register can be edited, deactivated and reactivated (a deactivated record is
//! no longer found, dispatched or read from a gateway), and imported from a sheet with a row
//! report; a caller outside the record's region changes nothing.

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

const DISTRICT: &str = "360403";
const STREET: &str = "360403001";

fn bodies() -> Vec<(&'static str, Value)> {
    let at = |v: Value| {
        let mut v = v;
        v["lon"] = json!(115.99);
        v["lat"] = json!(29.72);
        v
    };
    vec![
        (
            "teams",
            at(
                json!({"name": "名录测试救援队", "kind": "grassroots", "headcount": 20,
            "base_address": "某路1号", "region_code": DISTRICT, "leader": "甲", "phone": "13800000011"}),
            ),
        ),
        (
            "experts",
            at(
                json!({"name": "名录测试专家", "sections": ["rescue"], "employer": "某院",
            "phone": "13800000012", "region_code": DISTRICT}),
            ),
        ),
        (
            "warehouses",
            at(
                json!({"name": "名录测试储备库", "level": "district", "address": "某路2号",
            "region_code": DISTRICT, "manager": "乙", "phone": "13800000013"}),
            ),
        ),
        (
            "shelters",
            at(
                json!({"name": "名录测试避难场所", "kind": "emergency", "address": "某路3号",
            "region_code": DISTRICT, "capacity": 100, "manager": "丙", "phone": "13800000014"}),
            ),
        ),
        (
            "protected-objects",
            at(json!({"kind": "waterlogging", "name": "名录测试易涝点",
            "region_code": "360403003002", "responsible_name": "丁", "responsible_phone": "13800000015"})),
        ),
    ]
}

async fn create(app: &TestApp, c: &reqwest::Client, path: &str, body: &Value) -> String {
    let (s, v) = app.post(c, &format!("/api/v1/{path}"), body).await;
    assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
    v["id"].as_str().expect("id").to_string()
}

async fn set_active(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    id: &str,
    active: bool,
    reason: &str,
) -> (StatusCode, Value) {
    app.put(
        c,
        &format!("/api/v1/registers/{path}/{id}/active"),
        &json!({"active": active, "reason": reason}),
    )
    .await
}

async fn edit_and_deactivate_every_register(app: &TestApp) {
    let duty = app.login("duty").await;
    let street = app.login("street").await;
    for (path, body) in bodies() {
        let id = create(app, &duty, path, &body).await;
        let one = format!("/api/v1/{path}/{id}");
        // Edit: the name changes, in the audit log too.
        let mut edited = body.clone();
        edited["name"] = json!(format!("{}（改）", body["name"].as_str().unwrap()));
        let (s, v) = app.put(&duty, &one, &edited).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
        assert_eq!(v["name"], edited["name"], "{path}");
        assert_eq!(v["active"], true, "{path}");
        // Bad input names its field, and nothing changes.
        let mut bad = edited.clone();
        bad["lon"] = json!(500.0);
        let (s, v) = app.put(&duty, &one, &bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert!(v.to_string().contains("lon"), "{path}: {v}");

        // Another scope: a street changes nothing of a district record.
        let audit = app.count("audit_log").await;
        let (s, v) = app.put(&street, &one, &body).await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{path}: {s} {v}"
        );
        let (s, _) = set_active(app, &street, path, &id, false, "越权").await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{path}: {s}"
        );
        assert_eq!(app.count("audit_log").await, audit, "{path}");
        let (_, v) = app.get(&duty, &one).await;
        assert_eq!(v["name"], edited["name"], "{path}");
        assert_eq!(v["active"], true, "{path}");

        // Deactivate: a reason is required; then it is kept but marked, and twice is a conflict.
        let (s, v) = set_active(app, &duty, path, &id, false, " ").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
        let (s, v) = set_active(app, &duty, path, &id, false, "已撤销").await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{path}: {v}");
        let (_, v) = app.get(&duty, &one).await;
        assert_eq!(v["active"], false, "{path}");
        let (s, _) = set_active(app, &duty, path, &id, false, "已撤销").await;
        assert_eq!(s, StatusCode::CONFLICT, "{path}");
        let (s, v) = set_active(app, &duty, path, &id, true, "").await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{path}: {v}");
        set_active(app, &duty, path, &id, false, "已撤销").await;
    }
    let (_, log) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?action=expert.deactivate",
        )
        .await;
    assert!(log.to_string().contains("已撤销"), "{log}");
    let (s, v) = set_active(app, &duty, "planets", "x", false, "x").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
}
both!(edit_and_deactivate_every_register);

/// A deactivated team is not found nor dispatched; a deactivated shelter does not open; a
/// deactivated warehouse's stock is not found.
async fn deactivated_records_leave_search_and_dispatch(app: &TestApp) {
    crate::resources::ledger::with_resources(app).await;
    let duty = app.login("duty").await;
    let (_, wh) = app.get(&duty, "/api/v1/warehouses?kind=district").await;
    let wh = wh["items"][0].clone();
    let (lon, lat) = (wh["lon"].as_f64().unwrap(), wh["lat"].as_f64().unwrap());
    let search =
        |kind: &str| format!("/api/v1/resources/search?kind={kind}&lon={lon}&lat={lat}&limit=50");
    let (_, teams) = app.get(&duty, &search("team")).await;
    let team = teams["items"][0]["id"]
        .as_str()
        .expect("a team")
        .to_string();
    set_active(app, &duty, "teams", &team, false, "队伍解散").await;
    let (_, teams) = app.get(&duty, &search("team")).await;
    assert!(!teams.to_string().contains(&team), "{teams}");
    let (_, list) = app.get(&duty, "/api/v1/teams?active=false").await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["id"], team.as_str());

    let need = |q: &str| {
        format!(
            "/api/v1/resources/search?kind=material&lon={lon}&lat={lat}&need={}",
            q.bytes().map(|b| format!("%{b:02X}")).collect::<String>()
        )
    };
    let (_, found) = app.get(&duty, &need("10 km 内 冲锋舟 ≥ 5")).await;
    assert_eq!(found["items"][0]["name"], wh["name"], "{found}");
    let wid = wh["id"].as_str().unwrap();
    let (s, v) = set_active(app, &duty, "warehouses", wid, false, "搬迁").await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, found) = app.get(&duty, &need("10 km 内 冲锋舟 ≥ 5")).await;
    assert!(!found.to_string().contains(wid), "{found}");

    let (_, shelters) = app.get(&duty, "/api/v1/shelters").await;
    let shelter = shelters["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["status"] == "closed")
        .expect("a closed shelter")["id"]
        .as_str()
        .unwrap()
        .to_string();
    set_active(app, &duty, "shelters", &shelter, false, "改建").await;
    let (s, v) = app
        .post(
            &duty,
            &format!("/api/v1/shelters/{shelter}/movements"),
            &json!({"kind": "open"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["message"].as_str().unwrap().contains("停用"), "{v}");
}
both!(deactivated_records_leave_search_and_dispatch);

/// Stock lines and sensors, edited and deactivated from another scope: nothing changes.
async fn stock_and_sensor_edits_stay_in_scope(app: &TestApp) {
    let duty = app.login("duty").await;
    let street = app.login("street").await;
    let (_, body) = bodies()
        .into_iter()
        .find(|(p, _)| *p == "warehouses")
        .unwrap();
    let wid = create(app, &duty, "warehouses", &body).await;
    let line =
        json!({"warehouse_id": wid, "material_code": "01001", "quantity": 10, "min_stock": 2});
    let sid = create(app, &duty, "stock", &line).await;
    let edit = json!({"reserve_type": "physical", "min_stock": 5, "expiry_date": "2030-01-01"});
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "REG-SC-1", "name": "名录范围", "kind": "level", "unit": "m",
        "object_name": "储罐", "threshold_h": "17", "offline_after_s": 300});
    let sensor_id = create(app, &ent, "sensors", &sensor).await;
    let yjj = app.login("yjj").await;
    let audit = app.count("audit_log").await;
    for (c, path, body, register, id) in [
        (
            &street,
            format!("/api/v1/stock/{sid}"),
            &edit,
            "stock",
            &sid,
        ),
        (
            &yjj,
            format!("/api/v1/sensors/{sensor_id}"),
            &sensor,
            "sensors",
            &sensor_id,
        ),
    ] {
        let (s, v) = app.put(c, &path, body).await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{path}: {s} {v}"
        );
        let (s, v) = set_active(app, c, register, id, false, "越权").await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{register}: {s} {v}"
        );
    }
    assert_eq!(app.count("audit_log").await, audit);
    // Its own manager edits the line's terms; the quantity stays with the ledger.
    let (s, v) = app.put(&duty, &format!("/api/v1/stock/{sid}"), &edit).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["min_stock"].as_i64(), v["quantity"].as_i64()),
        (Some(5), Some(10))
    );
    assert_eq!(v["expiry_date"], "2030-01-01");
}
both!(stock_and_sensor_edits_stay_in_scope);

fn reading(sensor: &str, at_ms: i64, value: f64) -> Value {
    json!({"sensor": sensor, "ts": at_ms, "value": value})
}

/// The ingest writer sees an edited threshold at its next commit, and refuses a deactivated
/// sensor's readings.
async fn sensor_edits_reach_the_ingest_writer(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let mut sensor = json!({"code": "REG-LT-1", "name": "名录液位", "kind": "level", "unit": "m",
        "object_name": "储罐", "threshold_h": "17", "offline_after_s": 300});
    let id = create(app, &ent, "sensors", &sensor).await;
    let now = app.clock.now_ms();
    let (s, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("REG-LT-1", now - 5000, 16.0)]),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["alarms_opened"], 0, "{r}");
    sensor["threshold_h"] = json!("15");
    let (s, v) = app
        .put(&ent, &format!("/api/v1/sensors/{id}"), &sensor)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["threshold_h"], "15");
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("REG-LT-1", now - 4000, 16.0)]),
        )
        .await;
    assert_eq!(r["alarms_opened"], 1, "{r}");
    // The code stays: gateways report by it.
    let mut renamed = sensor.clone();
    renamed["code"] = json!("REG-LT-2");
    let (s, v) = app
        .put(&ent, &format!("/api/v1/sensors/{id}"), &renamed)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = set_active(app, &ent, "sensors", &id, false, "拆除").await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("REG-LT-1", now - 3000, 10.0)]),
        )
        .await;
    assert_eq!(r["accepted"], 0, "{r}");
    assert_eq!(r["refused"], json!(["REG-LT-1"]), "{r}");
    set_active(app, &ent, "sensors", &id, true, "").await;
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("REG-LT-1", now - 2000, 10.0)]),
        )
        .await;
    assert_eq!(r["accepted"], 1, "{r}");
}
both!(sensor_edits_reach_the_ingest_writer);

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    mode: &str,
    csv: &str,
) -> (StatusCode, Value) {
    json(
        c.post(app.url(&format!("/api/v1/registers/{path}/import?mode={mode}")))
            .header("content-type", "text/csv")
            .body(csv.to_string())
            .send_checked()
            .await
            .unwrap(),
    )
    .await
}

/// One good and one bad row per register; the bad one is reported under its column.
fn sheets(uscc: &str) -> Vec<(&'static str, &'static str, String, (usize, &'static str))> {
    vec![
        (
            "teams",
            "teams",
            "队伍名称,队伍类型,队伍人数,驻地,经度,纬度,所属区划代码,负责人,联系电话\n\
          导入救援队,基层应急救援队伍,12,某路,115.99,29.72,360403001,甲,13800000021\n\
          导入救援队二,飞行队,12,某路,115.99,29.72,360403001,甲,13800000021"
                .into(),
            (3, "队伍类型"),
        ),
        (
            "experts",
            "experts",
            "姓名,专家库分类,工作单位,联系电话,经度,纬度,所属区划代码\n\
          导入专家,安全生产、应急救援,某院,13800000022,115.99,29.72,360403\n\
          导入专家二,安全生产,某院,12345,115.99,29.72,360403"
                .into(),
            (3, "联系电话"),
        ),
        (
            "warehouses",
            "warehouses",
            "储备库名称,级别,地址,经度,纬度,所属区划代码,管理员,联系电话\n\
          导入储备库,街道级,某路,115.99,29.72,360403001,乙,13800000023\n\
          导入储备库二,街道级,某路,115.99,29.72,360403999,乙,13800000023"
                .into(),
            (3, "所属区划代码"),
        ),
        (
            "stock",
            "stock",
            "储备库名称,物资,储备方式,数量,最低库存,有效期\n\
          导入储备库,救生衣,实物储备,200,50,46568\n\
          导入储备库,不存在的物资,实物储备,1,0,"
                .into(),
            (3, "物资"),
        ),
        (
            "shelters",
            "shelters",
            "场所名称,场所类型,地址,经度,纬度,所属区划代码,可容纳人数,管理员,联系电话\n\
          导入避难场所,紧急避难场所,某路,115.99,29.72,360403001,300,丙,13800000024\n\
          导入避难场所二,紧急避难场所,某路,115.99,29.72,360403001,0,丙,13800000024"
                .into(),
            (3, "可容纳人数"),
        ),
        (
            "sensors",
            "sensors",
            format!(
                "监测点编码,监测点名称,监测类型,计量单位,企业统一社会信用代码,监测对象,高报阈值\n\
          IMP-001,导入液位,液位,m,{uscc},储罐,17\n\
          IMP-001,导入液位重复,液位,m,{uscc},储罐,17"
            ),
            (3, "监测点编码"),
        ),
        (
            "protected-objects",
            "protected_objects",
            "承灾体类型,名称,经度,纬度,所在社区或网格代码,责任人,责任人电话\n\
          易涝点,导入易涝点,115.99,29.72,360403001001,丁,13800000025\n\
          危桥,导入危桥,115.99,29.72,360403001001,丁,13800000025"
                .into(),
            (3, "承灾体类型"),
        ),
    ]
}

async fn registers_import_with_a_row_report(app: &TestApp) {
    let admin = app.login("admin").await;
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let eid = me["user"]["enterprise_id"].as_str().expect("enterprise_id");
    let (_, e) = app.get(&admin, &format!("/api/v1/enterprises/{eid}")).await;
    let uscc = e["uscc"].as_str().expect("uscc").to_string();
    for (path, table, csv, (row, column)) in sheets(&uscc) {
        // The template is an .xlsx with a notes sheet.
        let r = admin
            .get(app.url(&format!("/api/v1/registers/{path}/template")))
            .send_checked()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.bytes().await.unwrap().starts_with(b"PK"), "{path}");

        let before = (app.count(table).await, app.count("audit_log").await);
        let (s, v) = upload(app, &admin, path, "strict", &csv).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {v}");
        let errors = v["details"]["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{path}: {v}");
        assert_eq!(errors[0]["row"], row, "{path}: {v}");
        assert_eq!(errors[0]["column"], column, "{path}: {v}");
        assert!(
            errors[0]["reason"]
                .as_str()
                .unwrap()
                .starts_with(&format!("第{row}行")),
            "{path}: {v}"
        );
        let (s, v) = upload(app, &admin, path, "check", &csv).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
        assert_eq!(
            (v["valid_rows"].as_i64(), v["imported"].as_i64()),
            (Some(1), Some(0))
        );
        assert_eq!(
            (app.count(table).await, app.count("audit_log").await),
            before,
            "{path}: strict and check store nothing"
        );
        let (s, v) = upload(app, &admin, path, "valid_only", &csv).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
        assert_eq!(v["imported"], 1, "{path}: {v}");
        assert_eq!(app.count(table).await, before.0 + 1, "{path}");
    }
    // The imported stock line opened its ledger with the quantity, its expiry read as a date.
    let (_, stock) = app.get(&admin, "/api/v1/stock?q=导入储备库").await;
    assert_eq!(stock["items"][0]["quantity"], 200, "{stock}");
    assert_eq!(stock["items"][0]["expiry_date"], "2027-06-30", "{stock}");
    // A role that may not register resources is refused whole.
    let (s, _) = upload(app, &ent, "teams", "strict", "队伍名称\n甲").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A street imports only inside its street.
    let street = app.login("street").await;
    let (s, v) = upload(
        app,
        &street,
        "warehouses",
        "valid_only",
        "储备库名称,级别,地址,经度,纬度,所属区划代码,管理员,联系电话\n\
         越界储备库,街道级,某路,115.99,29.72,360403003,乙,13800000023",
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 0, "{v}");
    assert_eq!(v["errors"][0]["column"], "所属区划代码", "{v}");
    let _ = STREET;
}
both!(registers_import_with_a_row_report);

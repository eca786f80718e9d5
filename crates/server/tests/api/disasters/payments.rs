//! 一卡通 batches: 草稿 → 公示中 (public list masked) → 待发放 on the test clock → 已导出 (the
//! bank's file with the full card, masked in the API) → 已完成 (results; a bad row stores
//! nothing; failed lines can go in a new batch); nobody paid twice for one phase of a process,
//! also when two batches are made at once; a street cannot touch another street's batch.

use super::relief::{CARD, add, entry, entry_id, id_number, new_process};
use crate::both;
use crate::helpers::TestApp;
use calamine::Reader;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn batch(
    app: &TestApp,
    c: &Client,
    pid: &str,
    township: &str,
    ids: &[&str],
) -> (StatusCode, Value) {
    let lines: Vec<Value> = ids.iter().map(|i| json!({"entry_id": i})).collect();
    let body =
        json!({"process_id": pid, "phase": "emergency", "township": township, "lines": lines});
    app.post(c, "/api/v1/disasters/relief/batches", &body).await
}

async fn fire(app: &TestApp) {
    super::reports::fire(app).await;
}

async fn upload(app: &TestApp, c: &Client, id: &str, csv: String) -> (StatusCode, Value) {
    let r = c
        .post(app.url(&format!("/api/v1/disasters/relief/batches/{id}/results")))
        .header("content-type", "text/csv")
        .body(csv.into_bytes())
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

// Long because: one batch told through its whole life, as the issue asks.
async fn batch_lifecycle(app: &TestApp) {
    let duty = app.login("duty").await;
    let street = app.login("street").await;
    let pid = new_process(app, &duty).await;
    add(
        app,
        &street,
        &pid,
        &entry("emergency", "360403001", "欧阳娜娜", &id_number(21)),
    )
    .await;
    add(
        app,
        &street,
        &pid,
        &entry("emergency", "360403001", "李四", &id_number(22)),
    )
    .await;
    let mut third = entry("emergency", "360403001", "王五", &id_number(23));
    third["amount"] = json!("800.50");
    let (_, v) = add(app, &street, &pid, &third).await;
    let ids: Vec<String> = ["欧阳娜娜", "李四", "王五"]
        .iter()
        .map(|n| entry_id(&v, n))
        .collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let (s, b) = batch(app, &street, &pid, "360403001", &refs).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(
        (b["status"].as_str(), b["total"].as_str()),
        (Some("draft"), Some("3800.50"))
    );
    assert_eq!(b["lines"][0]["card_number"], "4111********1111");
    let id = b["id"].as_str().unwrap().to_string();
    let code = b["code"].as_str().unwrap().to_string();
    let anon = app.anonymous();
    assert_eq!(
        app.get(&anon, &format!("/api/public/relief/{code}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Export before the 公示 is refused.
    let (s, _) = app
        .post(
            &street,
            &format!("/api/v1/disasters/relief/batches/{id}/export"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, b) = app
        .post(
            &street,
            &format!("/api/v1/disasters/relief/batches/{id}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (s, b["status_label"].as_str()),
        (StatusCode::OK, Some("公示中")),
        "{b}"
    );
    let end = b["notice_end_ms"].as_i64().unwrap();
    assert_eq!(end - b["notice_start_ms"].as_i64().unwrap(), 7 * 86_400_000);
    // The public list: masked names, villages, amounts; no ID or card numbers.
    let (s, p) = app.get(&anon, &format!("/api/public/relief/{code}")).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(
        p["lines"][0],
        json!({"name": "欧**娜", "village": "南湖社区", "amount": "1500.00"})
    );
    assert!(
        !p.to_string().contains("4111") && !p.to_string().contains("360403198"),
        "{p}"
    );
    // An objection removes 李四.
    let line = b["lines"][1]["id"].as_str().unwrap();
    let (s, b) = app
        .post(
            &street,
            &format!("/api/v1/disasters/relief/batches/{id}/objections"),
            &json!({"line_id": line, "reason": "已享受低保临时救助，村民提出异议"}),
        )
        .await;
    assert_eq!(
        (s, b["lines"][1]["state"].as_str()),
        (StatusCode::OK, Some("objected")),
        "{b}"
    );
    assert_eq!(b["total"], "2300.50");
    // The timer moves it to 待发放 after the 7 days, not before.
    app.clock.set(end - 60_000);
    fire(app).await;
    let street = app.login("street").await;
    let get = format!("/api/v1/disasters/relief/batches/{id}");
    assert_eq!(app.get(&street, &get).await.1["status"], "notice");
    app.clock.set(end + 1);
    fire(app).await;
    let (_, b) = app.get(&street, &get).await;
    assert_eq!(b["status_label"], "待发放", "{b}");
    let (s, b) = app
        .post(
            &street,
            &format!("/api/v1/disasters/relief/batches/{id}/export"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (s, b["status"].as_str()),
        (StatusCode::OK, Some("exported")),
        "{b}"
    );
    // The bank's file: the full card number (the API keeps it masked).
    let r = street
        .get(app.url(&format!(
            "/api/v1/disasters/relief/batches/{id}/payment-file?format=xlsx"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("发放明细")
        .expect("sheet")
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 3, "header and the two lines left: {rows:?}");
    assert_eq!(rows[0][3], "银行卡（社保卡）号");
    assert_eq!(
        rows[1][1..5],
        [
            "欧阳娜娜".to_string(),
            id_number(21),
            CARD.to_string(),
            "1500.00".to_string()
        ]
    );
    let r = street
        .get(app.url(&format!(
            "/api/v1/disasters/relief/batches/{id}/payment-file?format=csv"
        )))
        .send()
        .await
        .unwrap();
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains(&format!(
            "{},王五,{},{CARD},800.50",
            refs_of(&b)[2],
            id_number(23)
        )),
        "{csv}"
    );
    assert!(!b.to_string().contains(CARD));
    // Results: a bad row (unknown reference) stores nothing.
    let (r1, r3) = (refs_of(&b)[0].clone(), refs_of(&b)[2].clone());
    let (s, e) = upload(
        app,
        &street,
        &id,
        format!("参考号,结果,原因\n{r1},成功,\nXX-1,成功,\n{r3},失败,账户已冻结\n"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["details"]["errors"][0]["row"], 3, "{e}");
    assert_eq!(app.get(&street, &get).await.1["status"], "exported");
    let (s, b) = upload(
        app,
        &street,
        &id,
        format!("参考号,结果,原因\n{r1},成功,\n{r3},失败,账户已冻结\n"),
    )
    .await;
    assert_eq!(
        (s, b["status_label"].as_str()),
        (StatusCode::OK, Some("已完成")),
        "{b}"
    );
    assert_eq!(
        (
            b["lines"][0]["state"].as_str(),
            b["lines"][2]["reason"].as_str()
        ),
        (Some("paid"), Some("账户已冻结"))
    );
    // The failed line goes in a new batch; the paid person is refused, naming the row and batch.
    let (s, v) = batch(app, &street, &pid, "360403001", &[&ids[2]]).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, e) = batch(app, &street, &pid, "360403001", &[&ids[1], &ids[0]]).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("lines[1]")),
        "{e}"
    );
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("第2行") && m.contains(&code) && m.contains("不能重复发放"),
        "{m}"
    );
}
both!(batch_lifecycle);

fn refs_of(b: &Value) -> Vec<String> {
    b["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["reference"].as_str().unwrap().to_string())
        .collect()
}

/// Two batches with the same person made at once: one passes, the other is refused (the unique
/// index when both passed the check); a street cannot touch another street's batch.
async fn nobody_paid_twice(app: &TestApp) {
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    let (_, v) = add(
        app,
        &duty,
        &pid,
        &entry("emergency", "360403002", "郑某", &id_number(31)),
    )
    .await;
    let eid = entry_id(&v, "郑某");
    let one = [eid.as_str()];
    let (a, b) = tokio::join!(
        batch(app, &duty, &pid, "360403002", &one),
        batch(app, &duty, &pid, "360403002", &one)
    );
    let mut got = [a.0, b.0];
    got.sort();
    assert!(
        got == [StatusCode::CREATED, StatusCode::BAD_REQUEST]
            || got == [StatusCode::CREATED, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    assert_eq!(app.count("disaster_relief_lines").await, 1);
    // Without a card, no 一卡通 line.
    let mut nocard = entry("emergency", "360403002", "冯某", &id_number(32));
    nocard["card_number"] = json!(null);
    let (_, v) = add(app, &duty, &pid, &nocard).await;
    let (s, e) = batch(app, &duty, &pid, "360403002", &[&entry_id(&v, "冯某")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["message"].as_str().unwrap().contains("未登记银行卡"),
        "{e}"
    );
    // 甘棠's street staff: 湓浦's batch is not theirs to see, publish or export.
    let (_, list) = app
        .get(&duty, &format!("/api/v1/disasters/processes/{pid}/relief"))
        .await;
    let id = list["batches"][0]["id"].as_str().unwrap();
    let street = app.login("street").await;
    assert_eq!(
        app.get(&street, &format!("/api/v1/disasters/relief/batches/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, _) = app
        .post(
            &street,
            &format!("/api/v1/disasters/relief/batches/{id}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = batch(app, &street, &pid, "360403002", &[&eid]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let grid = app.login("grid").await;
    assert_eq!(
        app.get(&grid, &format!("/api/v1/disasters/relief/batches/{id}"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (s, b) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/relief/batches/{id}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}
both!(nobody_paid_twice);

/// The write matrix for 救助: 甘棠's street staff, a grid worker and an enterprise user try every
/// relief write on 湓浦's records; each is refused (or names the township) and nothing changes.
async fn relief_writes_in_the_matrix(app: &TestApp) {
    use crate::kernel::scope_matrix::{Want, run, t};
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    let (_, v) = add(
        app,
        &duty,
        &pid,
        &entry("rebuild", "360403002", "钱某", &id_number(41)),
    )
    .await;
    let rebuild = entry_id(&v, "钱某");
    let (_, v) = add(
        app,
        &duty,
        &pid,
        &entry("emergency", "360403002", "孙某", &id_number(42)),
    )
    .await;
    let eid = entry_id(&v, "孙某");
    let (s, b) = batch(app, &duty, &pid, "360403002", &[&eid]).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let bid = b["id"].as_str().unwrap().to_string();
    let line = b["lines"][0]["id"].as_str().unwrap().to_string();
    let house = json!({"township": "360403002", "head": "周某", "address": "湓浦社区", "rooms": 2, "degree": "severe"});
    let (_, l) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{pid}/ledgers/houses"),
            &house,
        )
        .await;
    let hid = l["houses"][0]["id"].as_str().unwrap().to_string();
    let other = entry("emergency", "360403002", "吴某", &id_number(43));
    let lines = json!({"process_id": pid, "phase": "emergency", "township": "360403002", "lines": [{"entry_id": eid}]});
    let from = json!({"ledger": "house", "ledger_id": hid, "entry": {"id_number": id_number(44), "household": 2, "kind": "cash", "amount": "100", "card_number": CARD}});
    let mut tries = Vec::new();
    for who in ["street", "grid", "enterprise"] {
        tries.extend([
            t(
                who,
                "POST",
                format!("/api/v1/disasters/processes/{pid}/relief/entries"),
                other.clone(),
            )
            .want(Want::Field("township")),
            t(
                who,
                "POST",
                format!("/api/v1/disasters/processes/{pid}/relief/from-ledger"),
                from.clone(),
            )
            .want(Want::Field("township")),
            t(
                who,
                "PUT",
                format!("/api/v1/disasters/processes/{pid}/relief/winter/360403002"),
                json!({"needed": 5}),
            )
            .want(Want::Field("township")),
            t(
                who,
                "PUT",
                format!("/api/v1/disasters/relief/entries/{rebuild}/progress"),
                json!({"progress": "completed"}),
            ),
            t(
                who,
                "PUT",
                "/api/v1/disasters/relief/settings",
                json!({"notice_days": 3}),
            ),
            t(
                who,
                "POST",
                "/api/v1/disasters/relief/batches",
                lines.clone(),
            )
            .want(Want::Field("township")),
            t(
                who,
                "POST",
                format!("/api/v1/disasters/relief/batches/{bid}/publish"),
                json!({}),
            ),
            t(
                who,
                "POST",
                format!("/api/v1/disasters/relief/batches/{bid}/objections"),
                json!({"line_id": line, "reason": "异议"}),
            ),
            t(
                who,
                "POST",
                format!("/api/v1/disasters/relief/batches/{bid}/export"),
                json!({}),
            ),
            t(
                who,
                "POST",
                format!("/api/v1/disasters/relief/batches/{bid}/results"),
                json!({}),
            ),
        ]);
    }
    tries.push(t(
        "grid",
        "POST",
        format!("/api/v1/disasters/processes/{pid}/relief/import"),
        json!({}),
    ));
    let watched = [
        format!("/api/v1/disasters/relief/batches/{bid}"),
        format!("/api/v1/disasters/processes/{pid}/relief"),
    ];
    run(app, tries, &watched).await;
}
both!(relief_writes_in_the_matrix);

/// The district's 公示 days: set by the commander (not a street), used by the next 公示.
async fn notice_days_configured(app: &TestApp) {
    let street = app.login("street").await;
    let commander = app.login("commander").await;
    let path = "/api/v1/disasters/relief/settings";
    assert_eq!(
        app.put(&street, path, &json!({"notice_days": 3})).await.0,
        StatusCode::FORBIDDEN
    );
    let (s, e) = app.put(&commander, path, &json!({"notice_days": 0})).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("notice_days"))
    );
    let (s, v) = app.put(&commander, path, &json!({"notice_days": 3})).await;
    assert_eq!(
        (s, v["notice_days"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{v}"
    );
    let duty = app.login("duty").await;
    let pid = new_process(app, &duty).await;
    let (_, v) = add(
        app,
        &street,
        &pid,
        &entry("emergency", "360403001", "何某", &id_number(51)),
    )
    .await;
    assert_eq!(v["notice_days"], 3);
    let (_, b) = batch(app, &street, &pid, "360403001", &[&entry_id(&v, "何某")]).await;
    let id = b["id"].as_str().unwrap();
    let (_, b) = app
        .post(
            &street,
            &format!("/api/v1/disasters/relief/batches/{id}/publish"),
            &json!({}),
        )
        .await;
    let span = b["notice_end_ms"].as_i64().unwrap() - b["notice_start_ms"].as_i64().unwrap();
    assert_eq!((b["notice_days"].as_i64(), span), (Some(3), 3 * 86_400_000));
}
both!(notice_days_configured);

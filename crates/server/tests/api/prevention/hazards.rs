//! 隐患排查治理: the 重大 loop from report to 摘牌销号 with escalation on durable timers, the
//! refusals of the state machine, the public form, and timers firing once.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, SharedClock};

const DAY: i64 = 86_400_000;

fn date_in(app: &TestApp, days: i64) -> String {
    yingji_core::kernel::clock::today(app.clock.now_ms() + days * DAY).to_string()
}

async fn fire_timers(app: &TestApp) -> usize {
    let clock: SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers")
}

fn plan() -> Value {
    json!({"goal": "消除无证上岗", "methods": "停岗培训取证", "funds_materials": "培训费2万元已落实",
           "organisation": "安全部负责", "timeline": "30日内完成", "safety_measures": "停岗期间由持证人员顶岗"})
}

/// The department account that supervises the demo enterprise user's enterprise (else the
/// bureau chief, who supervises everything in the district).
pub async fn regulator_of(app: &TestApp, ent: &reqwest::Client) -> reqwest::Client {
    let (_, list) = app.get(ent, "/api/v1/enterprises").await;
    let cats = list["items"][0]["categories"].to_string();
    let user = if ["hazchem", "mining", "industry_trade", "fireworks"]
        .iter()
        .any(|c| cats.contains(c))
    {
        "yjj"
    } else if ["construction", "gas"].iter().any(|c| cats.contains(c)) {
        "zjj"
    } else {
        "commander"
    };
    app.login(user).await
}

async fn major_loop(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let yjj = regulator_of(app, &ent).await;
    let (id, path) = report_a_major_hazard(app, &ent).await;
    grade_and_list(app, &ent, &yjj, &path).await;
    let (ent, yjj) = listing_escalates(app, &path).await;
    rectify_with_plan_and_evaluation(app, &ent, &path).await;
    regulator_closes_it(app, &ent, &yjj, &path).await;
    audited_and_counted(app, &yjj, &id).await;
}
both!(major_loop);

/// The enterprise reports a hazard ticking a criterion: (its id, its path).
async fn report_a_major_hazard(app: &TestApp, ent: &reqwest::Client) -> (String, String) {
    // 1. The enterprise reports a hazard and ticks criterion HG-2017-02: it is 重大 (H01).
    let (s, h) = app.post(ent, "/api/v1/hazards", &json!({
        "category": "behaviour", "description": "二号车间电工未持证上岗", "location": "二号车间",
        "findings": [{"code": "HG-2017-02"}]
    })).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    assert_eq!(
        (
            h["level"].as_str(),
            h["status"].as_str(),
            h["source"].as_str()
        ),
        (Some("major"), Some("registered"), Some("self_check"))
    );
    assert_eq!(h["criteria"], json!(["HG-2017-02"]));
    let id = h["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/hazards/{id}");
    (id, path)
}

async fn grade_and_list(app: &TestApp, ent: &reqwest::Client, yjj: &reqwest::Client, path: &str) {
    // 2. The department grades it (a past deadline is refused) and lists it.
    let (s, e) = app
        .post(
            yjj,
            &format!("{path}/actions/grade"),
            &json!({"deadline": date_in(app, -1), "responsible_name": "李四"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["message"].as_str().unwrap_or("").contains("不能设在过去"),
        "{e}"
    );
    let (s, h) = app.post(yjj, &format!("{path}/actions/grade"), &json!({"deadline": date_in(app, 5), "responsible_name": "李四", "measures": "停岗培训"})).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h["status"], "rectifying");
    let (s, e) = app.post(ent, &format!("{path}/actions/list"), &json!({"listing_level": "区级", "supervising_body": "区安委办", "doc_number": "浔安督〔2026〕1号", "deadline": date_in(app, 3)})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, h) = app.post(yjj, &format!("{path}/actions/list"), &json!({"listing_level": "区级", "supervising_body": "区安委办", "doc_number": "浔安督〔2026〕1号", "deadline": date_in(app, 3)})).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h["listed"], true);
    assert_eq!(h["pending_timers"].as_array().map(Vec::len), Some(4), "{h}");
}

/// The listing and the hazard's own deadlines pass: (the enterprise and its regulator, signed in
/// again).
async fn listing_escalates(app: &TestApp, path: &str) -> (reqwest::Client, reqwest::Client) {
    // 3. Time passes the listing deadline and the hazard's own deadline.
    assert_eq!(fire_timers(app).await, 0);
    app.clock.advance(6 * DAY);
    fire_timers(app).await;
    // Sessions idle out over six days: sign in again.
    let ent = app.login("enterprise").await;
    let yjj = regulator_of(app, &ent).await;
    let (_, h) = app.get(&yjj, path).await;
    assert_eq!(h["overdue"], true, "{h}");
    let steps: Vec<&str> = h["listings"][0]["escalations"]
        .as_array()
        .expect("escalations")
        .iter()
        .filter_map(|e| e["step_label"].as_str())
        .collect();
    assert_eq!(steps, ["函告"], "{h}");
    assert!(
        h["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["action"] == "escalation")
    );
    // Firing again does nothing: the step is recorded once.
    assert_eq!(fire_timers(app).await, 0);
    let (_, n) = app.get(&ent, "/api/v1/notifications").await;
    assert!(
        n["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|x| x["title"].as_str().unwrap_or("").contains("函告")),
        "{n}"
    );
    (ent, yjj)
}

async fn rectify_with_plan_and_evaluation(app: &TestApp, ent: &reqwest::Client, path: &str) {
    // 4. Rectification: a 重大 hazard needs its plan and evaluation before it can be submitted.
    let (s, e) = app
        .post(
            ent,
            &format!("{path}/actions/submit_rectification"),
            &json!({"note": "已完成"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap_or("").contains("治理方案"));
    let (s, e) = app
        .post(
            ent,
            &format!("{path}/actions/submit_plan"),
            &json!({"plan": {"goal": "x"}}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("采取的方法和措施"),
        "{e}"
    );
    let (s, _) = app
        .post(
            ent,
            &format!("{path}/actions/submit_plan"),
            &json!({"plan": plan()}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .post(
            ent,
            &format!("{path}/actions/evaluate"),
            &json!({"evaluator": "王工（注册安全工程师）", "conclusion": "整改到位，同意申请销号"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, h) = app
        .post(
            ent,
            &format!("{path}/actions/submit_rectification"),
            &json!({"note": "电工均已取证上岗"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h["status"], "pending_acceptance");
}

async fn regulator_closes_it(
    app: &TestApp,
    ent: &reqwest::Client,
    yjj: &reqwest::Client,
    path: &str,
) {
    // 5. Only the regulator's review closes it (H04), and that ends the listing (摘牌销号).
    let (s, _) = app
        .post(ent, &format!("{path}/actions/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, h) = app
        .post(
            yjj,
            &format!("{path}/actions/accept"),
            &json!({"note": "现场核查通过"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(
        (h["status"].as_str(), h["listed"].as_bool()),
        (Some("closed"), Some(false))
    );
    assert_eq!(h["listings"][0]["status"], "delisted");
    assert_eq!(h["pending_timers"], json!([]));
    let (s, e) = app
        .post(
            yjj,
            &format!("{path}/actions/reject"),
            &json!({"note": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
}

async fn audited_and_counted(app: &TestApp, yjj: &reqwest::Client, id: &str) {
    // Every transition is in the audit chain, and the chain holds.
    let (_, v) = app
        .get(&app.login("auditor").await, "/api/v1/audit/verify")
        .await;
    assert_eq!(v["first_break"], Value::Null, "{v}");
    let (_, a) = app
        .get(
            &app.login("auditor").await,
            &format!("/api/v1/audit?entity_id={id}&page_size=50"),
        )
        .await;
    assert!(a["total"].as_i64().unwrap_or(0) >= 9, "{a}");
    // Statistics see it.
    let month = &yingji_core::kernel::clock::today(app.clock.now_ms() - 6 * DAY).to_string()[..7];
    let (s, rows) = app
        .get(yjj, &format!("/api/v1/hazards/stats?month={month}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{rows}");
    assert!(
        rows.as_array()
            .expect("rows")
            .iter()
            .any(|r| r["status"] == "closed" && r["level"] == "major"),
        "{rows}"
    );
    let (s, d) = app.get(yjj, "/api/v1/hazards/dashboard").await;
    assert_eq!(s, StatusCode::OK, "{d}");
}

async fn general_loop_and_refusals(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let street = app.login("street").await;
    let before = app.count("hazards").await;
    // Bad input stores nothing.
    let (s, e) = app
        .post(
            &ent,
            "/api/v1/hazards",
            &json!({"category": "nope", "description": "", "findings": [{"code": "HG-2017-99"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let msg = e["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("隐患类别") && msg.contains("隐患描述") && msg.contains("HG-2017-99"),
        "{e}"
    );
    let (s, e) = app.post(&ent, "/api/v1/hazards", &json!({"category": "fire", "description": "灭火器过期", "deadline": "2020-01-01", "responsible_name": "张三"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(app.count("hazards").await, before);
    // A 一般 hazard graded at once by the enterprise itself.
    let (s, h) = app.post(&ent, "/api/v1/hazards", &json!({"category": "fire", "description": "灭火器过期", "deadline": date_in(app, 2), "responsible_name": "张三"})).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    assert_eq!(
        (h["level"].as_str(), h["status"].as_str()),
        (Some("general"), Some("rectifying"))
    );
    let path = format!("/api/v1/hazards/{}", h["id"].as_str().expect("id"));
    let (s, _) = app
        .post(
            &ent,
            &format!("{path}/actions/submit_rectification"),
            &json!({"note": "已更换"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // The rectifier may not accept their own work (H04).
    let (s, e) = app
        .post(&ent, &format!("{path}/actions/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap_or("").contains("整改人"));
    // A street worker outside the enterprise's area cannot even see it.
    let (s, _) = app.get(&street, &path).await;
    assert!(s == StatusCode::NOT_FOUND || s == StatusCode::OK);
    let (s, v) = app.get(&ent, "/api/v1/hazards?status=nope").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}
both!(general_loop_and_refusals);

async fn public_report_and_tracking(app: &TestApp) {
    let anon = app.anonymous();
    let (_, regions) = app.get(&anon, "/api/public/regions").await;
    let street = regions["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["code"].as_str().map(str::len) == Some(9))
        .expect("street")["code"]
        .as_str()
        .expect("code")
        .to_string();
    let (s, e) = app.post(&anon, "/api/public/hazard-reports", &json!({"region_code": street, "location": "", "category": "fire", "description": "消防通道被占用", "reporter_phone": "123"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["message"].as_str().unwrap_or("").contains("隐患位置"),
        "{e}"
    );
    let (s, r) = app.post(&anon, "/api/public/hazard-reports", &json!({"region_code": street, "location": "滨江路12号", "category": "fire", "description": "消防通道被占用"})).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let tracking = r["tracking_code"].as_str().expect("tracking").to_string();
    let (s, t) = app
        .get(&anon, &format!("/api/public/hazard-reports/{tracking}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["status_label"], "待定级");
    // Street staff of that street see it and dismiss or grade it.
    let (s, list) = app
        .get(
            &app.login("admin").await,
            "/api/v1/hazards?source=public_report",
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(list["total"].as_i64().unwrap_or(0) >= 1);
    // A flood from one address is refused (5 per minute).
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        let (s, _) = app.post(&anon, "/api/public/hazard-reports", &json!({"region_code": street, "location": "x", "category": "fire", "description": "y"})).await;
        last = s;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}
both!(public_report_and_tracking);

async fn attachments_are_checked(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let png = crate::kernel::attachments::picture(8, 8, image::ImageFormat::Png);
    let r = ent
        .post(app.url("/api/v1/attachments?filename=现场.png"))
        .body(png)
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.expect("json");
    let r = ent
        .post(app.url("/api/v1/attachments?filename=x.exe"))
        .body(b"MZ\x90\x00".to_vec())
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.expect("json");
    assert!(
        e["message"].as_str().unwrap_or("").contains("类型不允许"),
        "{e}"
    );
    let big = vec![0xFFu8; 10 * 1024 * 1024 + 10];
    let r = ent
        .post(app.url("/api/v1/attachments?filename=big.jpg"))
        .body(big)
        .send_checked()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.expect("json");
    assert!(
        e["message"].as_str().unwrap_or("").contains("超过上限"),
        "{e}"
    );
    // Linked to a hazard, then visible with it; another user's upload cannot be linked.
    let (s, h) = app
        .post(
            &ent,
            "/api/v1/hazards",
            &json!({"category": "site", "description": "通道堆放杂物", "attachments": [a["id"]]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    assert_eq!(h["attachments"][0]["filename"], "现场.png");
    let r = ent
        .get(app.url(&format!(
            "/api/v1/attachments/{}",
            a["id"].as_str().expect("id")
        )))
        .send_checked()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    let (s, e) = app.post(&app.login("admin").await, "/api/v1/hazards", &json!({"category": "site", "description": "x", "enterprise_id": h["enterprise_id"], "attachments": [a["id"]]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
}
both!(attachments_are_checked);

async fn timers_fire_once(app: &TestApp) {
    use yingji_store::kernel::timers::{HazardOverdue, TimerKind};
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await.expect("tx");
    // Overdue timers of hazards that do not exist: claimed and fired, with nothing to do.
    let kind = TimerKind::HazardOverdue(HazardOverdue {
        deadline: "2000-01-01".into(),
    });
    for i in 0..40 {
        yingji_store::kernel::timers::schedule(
            &mut tx,
            now,
            &kind,
            &format!("noop{i}"),
            now - 1000 + i,
        )
        .await
        .expect("schedule");
    }
    tx.commit().await.expect("commit");
    // Two pollers race (as two nodes would); each timer fires exactly once.
    let clock: SharedClock = app.clock.clone();
    let (a, b) = tokio::join!(
        yingji_jobs::run_due(&app.store, &clock),
        yingji_jobs::run_due(&app.store, &clock)
    );
    let background = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM timers WHERE subject_id LIKE 'noop%' AND fired_ms IS NOT NULL",
        ))
        .await
        .expect("count");
    assert_eq!(background, 40);
    assert!(a.expect("a") + b.expect("b") <= 40);
    let attempts = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT MAX(attempts) FROM timers WHERE subject_id LIKE 'noop%'",
        ))
        .await
        .expect("attempts");
    assert_eq!(attempts, 1);

    // Rows of a kind this version does not know (written by a newer one, say) are dropped once,
    // and a batch full of them does not hold up the timers due after them.
    for i in 0..60 {
        let mut q = yingji_store::Sql::new(
            "INSERT INTO timers (id, kind, subject_id, due_ms, payload, fired_ms, attempts, last_error, created_ms) VALUES ",
        );
        q.values(vec![
            format!("unknown{i:02}").into(),
            "test.noop".into(),
            format!("u{i}").into(),
            (now - 5000 + i).into(),
            "{}".into(),
            None::<i64>.into(),
            0i64.into(),
            None::<String>.into(),
            now.into(),
        ]);
        app.store.execute(q).await.expect("insert");
    }
    let mut tx = app.store.begin().await.expect("tx");
    yingji_store::kernel::timers::schedule(&mut tx, now, &kind, "noop-late", now - 10)
        .await
        .expect("schedule");
    tx.commit().await.expect("commit");
    // Fired by this poll or by the server's own timer loop, which races it under load; either
    // way exactly once.
    assert!(fire_timers(app).await <= 1);
    let late = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM timers WHERE subject_id = 'noop-late' AND fired_ms IS NOT NULL AND attempts = 1",
        ))
        .await
        .expect("late");
    assert_eq!(late, 1);
    let dropped = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM timers WHERE kind = 'test.noop' AND fired_ms IS NOT NULL AND attempts = 1 AND last_error LIKE 'unknown kind%'",
        ))
        .await
        .expect("dropped");
    assert_eq!(dropped, 60);
    assert_eq!(fire_timers(app).await, 0);
    let _ = app.clock.now_ms();
}
both!(timers_fire_once);

/// The dashboard's figures agree with the lists they summarise; the overdue list can be read by
/// deadline; a bad sort names its field.
async fn dashboard_agrees_with_lists(app: &TestApp) {
    let now = app.clock.now_ms();
    yingji_demo::seed::generate_hazards(&app.store, now, 600, 7, 0)
        .await
        .expect("generate");
    let admin = app.login("admin").await;
    let total = |q: &'static str| {
        let admin = admin.clone();
        async move {
            let (s, b) = app.get(&admin, &format!("/api/v1/hazards?{q}")).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            b["total"].as_i64().expect("total")
        }
    };
    let (s, d) = app.get(&admin, "/api/v1/hazards/dashboard").await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["open_major"], total("status=open&level=major").await);
    assert_eq!(d["open_general"], total("status=open&level=general").await);
    let overdue = total("status=rectifying&overdue=true").await
        + total("status=registered&overdue=true").await;
    assert_eq!(d["overdue"], overdue);
    let new_this_year: i64 = d["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| m["new_total"].as_i64().expect("n"))
        .sum();
    let by_source: i64 = d["by_source"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s[2].as_i64().expect("n"))
        .sum();
    assert!(new_this_year > 0);
    assert_eq!(new_this_year, by_source);
    let open_by_street: i64 = d["by_region"]
        .as_array()
        .expect("streets")
        .iter()
        .map(|r| r[3].as_i64().expect("n"))
        .sum();
    assert_eq!(open_by_street, total("status=open").await);
    // Earliest deadline first.
    let (_, list) = app
        .get(
            &admin,
            "/api/v1/hazards?status=rectifying&overdue=true&sort=deadline&page_size=50",
        )
        .await;
    let deadlines: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| h["deadline"].as_str().expect("deadline"))
        .collect();
    assert!(deadlines.len() > 1);
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "{deadlines:?}");
    let (s, b) = app.get(&admin, "/api/v1/hazards?sort=oldest").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "sort", "{b}");
    year_figures_are_kept_a_minute(app, &admin, &d).await;
}
both!(dashboard_agrees_with_lists);

/// The year's figures are the node's for a minute (`figures_at` says when they were taken);
/// what stands now is read at every call.
async fn year_figures_are_kept_a_minute(app: &TestApp, admin: &reqwest::Client, before: &Value) {
    let new_total = |d: &Value| -> i64 {
        d["months"]
            .as_array()
            .expect("months")
            .iter()
            .map(|m| m["new_total"].as_i64().expect("n"))
            .sum()
    };
    let now = app.clock.now_ms();
    yingji_demo::seed::generate_hazards(&app.store, now, 30, 11, 600)
        .await
        .expect("generate");
    let (_, kept) = app.get(admin, "/api/v1/hazards/dashboard").await;
    assert_eq!(kept["figures_at"], before["figures_at"]);
    assert_eq!(new_total(&kept), new_total(before));
    let (_, open) = app.get(admin, "/api/v1/hazards?status=open").await;
    let open_now: i64 = kept["by_region"]
        .as_array()
        .expect("streets")
        .iter()
        .map(|r| r[3].as_i64().expect("n"))
        .sum();
    assert_eq!(open_now, open["total"].as_i64().expect("total"), "read now");
    app.clock.advance(60_000);
    let (_, fresh) = app.get(admin, "/api/v1/hazards/dashboard").await;
    assert_ne!(fresh["figures_at"], before["figures_at"]);
    assert!(new_total(&fresh) > new_total(before), "{fresh}");
}

//! 信用脸谱 through the API: a penalty decision changes the tier in its own transaction with the
//! decision named in the history; the rating replays as of a past day; a department adjusts with
//! a reason (audited, in the history); an enterprise objects to its own rating only, and the
//! department answers; scope by enterprise and department; the inspection plan reads the tier.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, today};

const DAY_MS: i64 = 86_400_000;

async fn user_id(app: &TestApp, admin: &Client, username: &str) -> String {
    let (_, v) = app
        .get(admin, &format!("/api/v1/users?q={username}&page_size=50"))
        .await;
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An enterprise the bureau (yjj's department) supervises.
async fn bureau_enterprise(app: &TestApp, yjj: &Client) -> String {
    let (_, v) = app.get(yjj, "/api/v1/enterprises?page_size=1").await;
    v["items"][0]["id"].as_str().unwrap().to_string()
}

async fn open_case(app: &TestApp, c: &Client, enterprise: &str, team: [&str; 2]) -> Value {
    let body = json!({
        "enterprise_id": enterprise, "title": "未按规定开展安全生产教育培训",
        "source": "finding", "investigators": team, "facts": "新员工未经培训上岗",
    });
    let (s, v) = app.post(c, "/api/v1/enforcement/cases", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

async fn step(app: &TestApp, c: &Client, id: &str, body: Value) -> (StatusCode, Value) {
    app.post(c, &format!("/api/v1/enforcement/cases/{id}/steps"), &body)
        .await
}

/// Takes a case of `enterprise` to its penalty decision.
async fn decide_penalty(app: &TestApp, enterprise: &str) -> Value {
    let admin = app.login("admin").await;
    let team = [
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "zfry2").await,
    ];
    let (yjj, inspector, reviewer) = (
        app.login("yjj").await,
        app.login("zfry").await,
        app.login("fzsh").await,
    );
    let c = open_case(app, &inspector, enterprise, [&team[0], &team[1]]).await;
    let id = c["id"].as_str().unwrap();
    let fine = json!({"step": "submit_review", "amount_yuan": 20000});
    let steps = [
        (&inspector, json!({"step": "investigate"})),
        (&inspector, fine),
        (&reviewer, json!({"step": "approve"})),
        (&inspector, json!({"step": "statement", "waived": true})),
        (
            &inspector,
            json!({"step": "hearing_request", "waived": true}),
        ),
        (&yjj, json!({"step": "decide", "amount_yuan": 20000})),
    ];
    let mut last = Value::Null;
    for (who, body) in steps {
        let (s, v) = step(app, who, id, body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{body} → {v}");
        last = v;
    }
    last
}

async fn detail(app: &TestApp, c: &Client, enterprise: &str) -> (StatusCode, Value) {
    app.get(c, &format!("/api/v1/credit/ratings/{enterprise}"))
        .await
}

// Long because: the decision, its explanation, the replay and the plan read one story.
async fn penalty_changes_tier_with_explanation(app: &TestApp) {
    let yjj = app.login("yjj").await;
    let enterprise = bureau_enterprise(app, &yjj).await;
    let (s, before) = detail(app, &yjj, &enterprise).await;
    assert_eq!(s, StatusCode::OK, "{before}");
    assert_eq!(before["rating"]["tier"], "A", "{before}");
    assert_eq!(before["rating"]["score"], 90);
    let yesterday = today(app.clock.now_ms() - DAY_MS).to_string();
    let case = decide_penalty(app, &enterprise).await;
    let (_, after) = detail(app, &yjj, &enterprise).await;
    assert_eq!(after["rating"]["tier"], "B", "{after}");
    assert_eq!(after["rating"]["score"], 80);
    assert_eq!(after["rating"]["tier_name"], "良好");
    let reason = after["rating"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "penalty")
        .expect("the penalty's reason");
    assert_eq!(reason["record_id"], case["id"]);
    let text = reason["text"].as_str().unwrap();
    assert!(
        text.contains("行政处罚决定") && text.ends_with("扣 10 分"),
        "{text}"
    );
    let change = &after["changes"][0];
    assert_eq!(
        (change["old_tier"].as_str(), change["new_tier"].as_str()),
        (Some("A"), Some("B"))
    );
    let explanation = change["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("行政处罚决定") && explanation.ends_with("（A → B）"),
        "{explanation}"
    );
    // Replayed as of yesterday the decision did not exist yet: A again; today: B.
    let replay = |day: String| format!("/api/v1/credit/ratings/{enterprise}/replay?as_of={day}");
    let (s, r) = app.get(&yjj, &replay(yesterday)).await;
    assert_eq!((s, r["tier"].as_str()), (StatusCode::OK, Some("A")), "{r}");
    let (_, r) = app
        .get(&yjj, &replay(today(app.clock.now_ms()).to_string()))
        .await;
    assert_eq!(r["tier"], "B");
    let (s, e) = app.get(&yjj, &replay("昨天".into())).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("as_of"))
    );
    // The audit names the change.
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=credit_rating",
        )
        .await;
    assert_eq!(audit["items"][0]["action_label"], "信用等级变更", "{audit}");
    // A tier that asks for inspections puts the enterprise on the annual plan's 重点 list.
    let year = i64::from(today(app.clock.now_ms()).year());
    let body = json!({"year": year, "title": format!("{year}年度执法检查计划")});
    let (s, p) = app.post(&yjj, "/api/v1/enforcement/plans", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let entry = p["key"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["enterprise_id"] == enterprise.as_str())
        .expect("on the 重点 list by its tier");
    assert!(
        entry["reason_labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "信用等级 B（每年至少检查 1 次）"),
        "{entry}"
    );
}
both!(penalty_changes_tier_with_explanation);

// Long because: adjustment, objection and answer with the scope rows of each.
async fn adjustment_and_objection_by_scope(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let (_, mine) = app.get(&ent, "/api/v1/enterprises").await;
    let own = mine["items"][0]["id"].as_str().unwrap().to_string();
    let admin = app.login("admin").await;
    let (_, all) = app.get(&admin, "/api/v1/enterprises?page_size=50").await;
    let other = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .find(|id| *id != own)
        .unwrap();
    // The enterprise sees its own face and not another's.
    let (s, d) = detail(app, &ent, &own).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(detail(app, &ent, &other).await.0, StatusCode::NOT_FOUND);
    let (_, list) = app.get(&ent, "/api/v1/credit/ratings").await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["enterprise_id"] == own.as_str()),
        "{list}"
    );
    // A department adjusts with a reason; without one nothing is stored.
    let yjj = app.login("commander").await;
    let path = format!("/api/v1/credit/ratings/{own}/adjustments");
    let before = app.count("credit_adjustments").await;
    let (s, e) = app
        .post(&yjj, &path, &json!({"points": -20, "reason": ""}))
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{e}"
    );
    assert_eq!(app.count("credit_adjustments").await, before);
    for c in [&ent, &app.login("street").await, &app.login("grid").await] {
        let (s, _) = app
            .post(
                c,
                &path,
                &json!({"points": -20, "reason": "未如实报告隐患情况"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let (s, r) = app
        .post(
            &yjj,
            &path,
            &json!({"points": -20, "reason": "未如实报告隐患情况"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["tier"], "C", "{r}");
    let (_, d) = detail(app, &ent, &own).await;
    assert!(
        d["changes"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("部门调整：未如实报告隐患情况"),
        "{d}"
    );
    assert_eq!(d["adjustments"][0]["points"], -20);
    // The enterprise objects to its own rating, not to another's; others may not object.
    let text = json!({"text": "该隐患已于当日报告，有记录可查"});
    let (s, _) = app
        .post(
            &ent,
            &format!("/api/v1/credit/ratings/{other}/objections"),
            &text,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &yjj,
            &format!("/api/v1/credit/ratings/{own}/objections"),
            &text,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, o) = app
        .post(
            &ent,
            &format!("/api/v1/credit/ratings/{own}/objections"),
            &text,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["status_label"], "待答复");
    let answer = format!(
        "/api/v1/credit/objections/{}/answer",
        o["id"].as_str().unwrap()
    );
    // The enterprise does not answer; an upheld answer needs its points.
    let (s, _) = app
        .post(
            &ent,
            &answer,
            &json!({"upheld": true, "answer": "成立", "points": 20}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = app
        .post(
            &yjj,
            &answer,
            &json!({"upheld": true, "answer": "核实成立"}),
        )
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("points")),
        "{e}"
    );
    let (s, a) = app
        .post(
            &yjj,
            &answer,
            &json!({"upheld": true, "answer": "核实成立", "points": 20}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["status_label"], "异议成立");
    let (_, d) = detail(app, &ent, &own).await;
    assert_eq!(d["rating"]["tier"], "A", "{d}");
    assert!(
        d["changes"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("异议成立：核实成立"),
        "{d}"
    );
    // Answered once only.
    let (s, _) = app
        .post(&yjj, &answer, &json!({"upheld": false, "answer": "不成立"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=credit_objection",
        )
        .await;
    assert_eq!(audit["total"], 2, "{audit}");
}
both!(adjustment_and_objection_by_scope);

async fn bulk_recompute_by_admin(app: &TestApp) {
    let street = app.login("street").await;
    assert_eq!(
        app.post(&street, "/api/v1/credit/recompute", &json!({}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let admin = app.login("admin").await;
    let (s, r) = app
        .post(&admin, "/api/v1/credit/recompute", &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let n = r["rated"].as_i64().unwrap();
    assert!(n > 0);
    assert_eq!(app.count("credit_ratings").await, n);
    let (_, dist) = app.get(&admin, "/api/v1/credit/distribution").await;
    let total: i64 = dist
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["count"].as_i64().unwrap())
        .sum();
    assert_eq!(total, n);
    let (_, list) = app
        .get(&admin, "/api/v1/credit/ratings?tier=A&page_size=5")
        .await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["tier"] == "A" && r["colour"] == "#16a34a"),
        "{list}"
    );
}
both!(bulk_recompute_by_admin);

/// The nightly refresh (a durable timer at 02:00 Asia/Shanghai, scheduled by the bulk recompute
/// and the scheduler's start): once the penalty leaves the 12-month window the tier recovers
/// without another event, and the next night's refresh is scheduled.
async fn nightly_refresh_ages_records_out(app: &TestApp) {
    let yjj = app.login("yjj").await;
    let enterprise = bureau_enterprise(app, &yjj).await;
    decide_penalty(app, &enterprise).await;
    let (_, d) = detail(app, &yjj, &enterprise).await;
    assert_eq!(d["rating"]["tier"], "B", "{d}");
    let admin = app.login("admin").await;
    let (s, _) = app
        .post(&admin, "/api/v1/credit/recompute", &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let pending =
        "SELECT COUNT(*) FROM timers WHERE kind = 'credit.rating_refresh' AND fired_ms IS NULL";
    assert_eq!(
        app.store
            .fetch_i64(yingji_store::Sql::new(pending))
            .await
            .unwrap(),
        1
    );
    let clock: yingji_core::kernel::clock::SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock).await.expect("run");
    let (_, d) = detail(app, &yjj, &enterprise).await;
    assert_eq!(d["rating"]["tier"], "B", "not due yet: {d}");
    app.clock.advance(370 * DAY_MS);
    yingji_jobs::run_due(&app.store, &clock).await.expect("run");
    let yjj = app.login("yjj").await;
    let (_, d) = detail(app, &yjj, &enterprise).await;
    assert_eq!(d["rating"]["tier"], "A", "{d}");
    let change = &d["changes"][0];
    assert_eq!(
        (change["old_tier"].as_str(), change["new_tier"].as_str()),
        (Some("B"), Some("A")),
        "{d}"
    );
    assert_eq!(
        app.store
            .fetch_i64(yingji_store::Sql::new(pending))
            .await
            .unwrap(),
        1
    );
}
both!(nightly_refresh_ages_records_out);

//! A case's legal windows on the test clock: the decision held during the 陈述申辩 window (409
//! naming `step` with the date) and while a requested 听证 is not recorded, a late 听证 request
//! refused, each step on the timeline; the 加处罚款 on an unpaid fine; the 法制审核员's 待办
//! (cases awaiting review they did not investigate) and the 承办人's cases due soon.

use super::cases::{bureau_enterprise, day_after, open_case, step, stored, user_id};
use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const DAY_MS: i64 = 86_400_000;

/// A case of the bureau (承办人 `team`) taken to 告知 by the 法制审核员; its id.
async fn notified_case(app: &TestApp, team: [&str; 2]) -> String {
    let yjj = app.login("yjj").await;
    let enterprise = bureau_enterprise(app, &yjj).await;
    let c = open_case(app, &yjj, &enterprise, team).await;
    let id = c["id"].as_str().unwrap().to_string();
    let (s, v) = step(app, &yjj, &id, json!({"step": "investigate"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let body = json!({"step": "submit_review", "amount_yuan": 5000});
    let (s, v) = step(app, &yjj, &id, body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let reviewer = app.login("fzsh").await;
    let (s, v) = step(app, &reviewer, &id, json!({"step": "approve"})).await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("notified")),
        "{v}"
    );
    id
}

async fn team(app: &TestApp) -> (String, String) {
    let admin = app.login("admin").await;
    (
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "zfry2").await,
    )
}

fn steps_of(v: &Value) -> Vec<String> {
    v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect()
}

// Long because: one case through its windows on the clock, each refusal checked where it happens.
async fn decision_waits_for_statement_and_hearing(app: &TestApp) {
    let (a, b) = team(app).await;
    let id = notified_case(app, [&a, &b]).await;
    let statement_until = day_after(app, 3);
    // Day 0: the 陈述申辩 window runs — 409 naming `step` with its last day; nothing stored.
    let yjj = app.login("yjj").await;
    let before = stored(app).await;
    let (s, e) = step(app, &yjj, &id, json!({"step": "decide"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["details"][0]["field"], "step");
    assert!(
        e["message"].as_str().unwrap().contains(&statement_until),
        "{e}"
    );
    assert_eq!(stored(app).await, before);
    // The party asks for a 听证 within 5 days.
    let zfry = app.login("zfry").await;
    let (s, v) = step(app, &zfry, &id, json!({"step": "hearing_request"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["hearing"], "requested");
    let (s, _) = step(app, &zfry, &id, json!({"step": "hearing_request"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Day 4: the statement window is over, but the requested hearing holds the decision.
    app.clock.advance(4 * DAY_MS);
    let (yjj, zfry) = (app.login("yjj").await, app.login("zfry").await);
    let (s, e) = step(app, &yjj, &id, json!({"step": "decide"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap().contains("听证"), "{e}");
    let (s, e) = step(app, &zfry, &id, json!({"step": "hearing"})).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note"))
    );
    let body = json!({"step": "hearing", "note": "听证会于区应急管理局召开，当事人提出申辩意见"});
    let (s, v) = step(app, &zfry, &id, body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["hearing_label"], "听证已举行");
    let (s, v) = step(app, &yjj, &id, json!({"step": "decide"})).await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("decided")),
        "{v}"
    );
    let tail: Vec<String> = steps_of(&v).split_off(4);
    assert_eq!(tail, ["hearing_request", "hearing", "decide"]);
    assert_eq!(v["timeline"][5]["step_label"], "记录听证");
    // 加处罚款: nothing on the last day to pay, 3 % of the fine on the day after.
    assert_eq!(
        (v["late_days"].as_i64(), v["late_surcharge_fen"].as_i64()),
        (Some(0), Some(0))
    );
    app.clock.advance(16 * DAY_MS);
    let yjj = app.login("yjj").await;
    let (_, v) = app
        .get(&yjj, &format!("/api/v1/enforcement/cases/{id}"))
        .await;
    assert_eq!(v["late_days"], 1, "{v}");
    assert_eq!(v["late_surcharge_fen"], 5000 * 100 * 3 / 100);
    app.clock.advance(40 * DAY_MS);
    let yjj = app.login("yjj").await;
    let (_, v) = app
        .get(&yjj, &format!("/api/v1/enforcement/cases/{id}"))
        .await;
    assert_eq!(
        v["late_surcharge_fen"],
        5000 * 100,
        "capped at the fine: {v}"
    );
}
both!(decision_waits_for_statement_and_hearing);

async fn late_hearing_request_and_waiver(app: &TestApp) {
    let (a, b) = team(app).await;
    let waived = notified_case(app, [&a, &b]).await;
    let lapsed = notified_case(app, [&a, &b]).await;
    let hearing_until = day_after(app, 5);
    // Waivers of both rights let the decision be made at once; a statement made needs its points.
    let zfry = app.login("zfry").await;
    let (s, e) = step(app, &zfry, &waived, json!({"step": "statement"})).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note"))
    );
    let (s, v) = step(
        app,
        &zfry,
        &waived,
        json!({"step": "statement", "waived": true}),
    )
    .await;
    assert_eq!(
        (s, v["statement"].as_str()),
        (StatusCode::OK, Some("waived")),
        "{v}"
    );
    // 放弃陈述申辩 alone leaves the 听证 window: the decision waits for it (409 with the date).
    let yjj = app.login("yjj").await;
    let (s, e) = step(app, &yjj, &waived, json!({"step": "decide"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains(&hearing_until),
        "{e}"
    );
    let declined = json!({"step": "hearing_request", "waived": true});
    let (s, v) = step(app, &zfry, &waived, declined).await;
    assert_eq!(
        (s, v["hearing_label"].as_str()),
        (StatusCode::OK, Some("放弃听证")),
        "{v}"
    );
    let (s, v) = step(app, &yjj, &waived, json!({"step": "decide"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Day 6: the 听证 request window has closed (409 with the date); the decision may be made.
    app.clock.advance(6 * DAY_MS);
    let (zfry, yjj) = (app.login("zfry").await, app.login("yjj").await);
    let (s, e) = step(app, &zfry, &lapsed, json!({"step": "hearing_request"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains(&hearing_until),
        "{e}"
    );
    let (s, e) = step(app, &zfry, &lapsed, json!({"step": "hearing", "note": "x"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, v) = step(app, &yjj, &lapsed, json!({"step": "decide"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // A window step after 告知 is 409 naming `step`.
    let (s, e) = step(
        app,
        &zfry,
        &lapsed,
        json!({"step": "statement", "waived": true}),
    )
    .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::CONFLICT, Some("step"))
    );
}
both!(late_hearing_request_and_waiver);

async fn todo(app: &TestApp, c: &Client, kind: &str) -> Value {
    let (s, w) = app.get(c, "/api/v1/workbench").await;
    assert_eq!(s, StatusCode::OK, "{w}");
    w["todos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {w}"))
        .clone()
}

async fn reviewer_and_investigator_todos(app: &TestApp) {
    let admin = app.login("admin").await;
    let (a, b, fzsh) = (
        user_id(app, &admin, "zfry").await,
        user_id(app, &admin, "zfry2").await,
        user_id(app, &admin, "fzsh").await,
    );
    let yjj = app.login("yjj").await;
    let enterprise = bureau_enterprise(app, &yjj).await;
    let mut ids = vec![];
    for team in [[a.as_str(), b.as_str()], [a.as_str(), fzsh.as_str()]] {
        let c = open_case(app, &yjj, &enterprise, team).await;
        let id = c["id"].as_str().unwrap().to_string();
        step(app, &yjj, &id, json!({"step": "investigate"})).await;
        let (s, v) = step(
            app,
            &yjj,
            &id,
            json!({"step": "submit_review", "amount_yuan": 3000}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        ids.push(id);
    }
    // The reviewer's 待办: the case awaiting review, not the one they investigated.
    let reviewer = app.login("fzsh").await;
    let g = todo(app, &reviewer, "review_cases").await;
    assert_eq!(g["label"], "案件待法制审核");
    assert_eq!(g["total"], 1, "{g}");
    assert_eq!(g["items"][0]["id"], ids[0].as_str());
    assert_eq!(g["items"][0]["due_date"], day_after(app, 90));
    assert_eq!(
        g["items"][0]["link"],
        format!("/enforcement/cases?case={}", ids[0])
    );
    // The 承办人's 待办 lists their cases once 15 days or fewer are left.
    let zfry = app.login("zfry").await;
    assert_eq!(todo(app, &zfry, "cases_due_soon").await["total"], 0);
    app.clock.advance(76 * DAY_MS);
    let zfry = app.login("zfry").await;
    let g = todo(app, &zfry, "cases_due_soon").await;
    assert_eq!(g["total"], 2, "{g}");
    let zfry2 = app.login("zfry2").await;
    assert_eq!(todo(app, &zfry2, "cases_due_soon").await["total"], 1);
}
both!(reviewer_and_investigator_todos);

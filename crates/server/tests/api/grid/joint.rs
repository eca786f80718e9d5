//! 大联动: the street (the lead unit) turns an event into a joint task with two departments'
//! parts; a cooperating department sees the event and reports its part done; the other's
//! deadline runs out on the test clock and tells it and the lead; the lead may not 处置完成
//! while a part is open, releases it saying why, then 处置完成s. Who may do what; bad parts
//! store nothing.

use super::events::{PATH, count, event, file, own_region};
use crate::both;
use crate::disasters::reports::{at, fire};
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn department(app: &TestApp, admin: &Client, name: &str) -> String {
    let (_, v) = app.get(admin, "/api/v1/departments").await;
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| d["name"] == name)
        .and_then(|d| d["id"].as_str())
        .expect("department")
        .to_string()
}

fn part_of<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["unit_name"] == unit)
        .expect("part")
}

async fn told(app: &TestApp, who: &str) -> i64 {
    count(
        app,
        &format!(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{who}' AND n.title LIKE '联动任务逾期%'"
        ),
    )
    .await
}

/// An accepted event of the street with a joint task of 应急局 (due 12:00) and 住建局 (due at
/// the end of the next day).
async fn joint_event(app: &TestApp) -> (String, Value) {
    let (grid, street, admin) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("admin").await,
    );
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let (s, v) = app
        .post(&street, &format!("{PATH}/{id}/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let yjj = department(app, &admin, "区应急管理局").await;
    let zjj = department(app, &admin, "区住房和城乡建设局").await;
    let body = json!({"parts": [
        {"unit_kind": "department", "unit_id": yjj, "task": "检查燃气企业供气管网", "due": "2026-07-01T12:00:00+08:00"},
        {"unit_kind": "department", "unit_id": zjj, "task": "排查地下车库燃气管道敷设", "due": "2026-07-02"},
    ]});
    let (s, v) = app
        .post(&street, &format!("{PATH}/{id}/joint"), &body)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (id, v)
}

async fn joint_task_two_parts(app: &TestApp) {
    app.clock.set(at("2026-07-01T09:00:00+08:00"));
    let zjj = app.login("zjj").await;
    let (id, v) = joint_event(app).await;
    let joint = format!("{PATH}/{id}/joint");
    assert_eq!(
        (v["open"].as_i64(), v["may_lead"].as_bool()),
        (Some(2), Some(true)),
        "{v}"
    );
    let zjj_part = part_of(&v, "区住房和城乡建设局")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let yjj_part = part_of(&v, "区应急管理局")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        part_of(&v, "区住房和城乡建设局")["due_ms"],
        at("2026-07-03T00:00:00+08:00")
    );
    // The cooperating department now reads the event and finds it among its joint tasks.
    let (s, e) = app.get(&zjj, &format!("{PATH}/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["event"]["reporter_phone"], "138****5678");
    let (_, mine) = app
        .get(&zjj, "/api/v1/grid/joint?mine=true&open=true")
        .await;
    assert_eq!(mine["total"], 1, "{mine}");
    let (_, t) = app.get(&zjj, &joint).await;
    assert_eq!(
        (t["may_lead"].as_bool(), t["mine"][0].as_str()),
        (Some(false), Some(zjj_part.as_str())),
        "{t}"
    );
    // 住建局 may not report 应急局's part, nor add parts; a note is required.
    let done = |p: &str| format!("{joint}/parts/{p}/done");
    let (s, _) = app
        .post(&zjj, &done(&yjj_part), &json!({"note": "已排查"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.post(&zjj, &joint, &json!({"parts": []})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(&zjj, &done(&zjj_part), &json!({"note": " "}))
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note"))
    );
    let (s, v) = app
        .post(
            &zjj,
            &done(&zjj_part),
            &json!({"note": "车库燃气管道敷设符合规范，已加装护套"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["open"].as_i64(),
            part_of(&v, "区住房和城乡建设局")["status"].as_str()
        ),
        (Some(1), Some("done"))
    );
    let (s, _) = app
        .post(&zjj, &done(&zjj_part), &json!({"note": "再次报告"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // 应急局's deadline runs out: it and the lead street are told once.
    app.clock.set(at("2026-07-01T12:01:00+08:00"));
    fire(app).await;
    fire(app).await;
    assert_eq!(
        (
            told(app, "yjj").await,
            told(app, "street").await,
            told(app, "zjj").await
        ),
        (1, 1, 0)
    );
    let street = app.login("street").await;
    let (_, t) = app.get(&street, &joint).await;
    assert_eq!(part_of(&t, "区应急管理局")["overdue"], true, "{t}");
    // The lead may not 处置完成 with a part open; it releases it saying why, then may.
    let handle = json!({"result": "联合排查完毕，更换老化软管"});
    let (s, v) = app
        .post(&street, &format!("{PATH}/{id}/handle"), &handle)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v.to_string().contains("区应急管理局"), "{v}");
    let waive = format!("{joint}/parts/{yjj_part}/waive");
    let (s, _) = app
        .post(&zjj, &waive, &json!({"reason": "已由住建局一并排查"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app.post(&street, &waive, &json!({"reason": ""})).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason"))
    );
    let (s, v) = app
        .post(
            &street,
            &waive,
            &json!({"reason": "供气管网不涉及，已由住建局一并排查"}),
        )
        .await;
    assert_eq!((s, v["open"].as_i64()), (StatusCode::OK, Some(0)), "{v}");
    let (s, v) = app
        .post(&street, &format!("{PATH}/{id}/handle"), &handle)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // One timeline: the event's steps and each part's progress.
    let actions: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "受理",
            "分拨",
            "签收",
            "联动分工",
            "联动分工",
            "联动任务完成",
            "联动任务逾期",
            "联动任务不再办理",
            "处置完成"
        ]
    );
    let audited = count(
        app,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action LIKE 'grid.joint%'"
        ),
    )
    .await;
    assert_eq!(audited, 4);
    assert_eq!(
        yingji_store::kernel::timers::pending_for(&app.store, &yjj_part)
            .await
            .unwrap()
            .len(),
        0
    );
}
both!(joint_task_two_parts);

/// Bad parts answer 400 naming the row's field and store nothing; the grid worker, another
/// department and the enterprise may not start a joint task; the duty room may.
async fn bad_parts_and_roles(app: &TestApp) {
    app.clock.set(at("2026-07-01T09:00:00+08:00"));
    let (grid, street, duty) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let joint = format!("{PATH}/{id}/joint");
    let good = |unit: &str| json!({"unit_kind": "department", "unit_id": unit, "task": "协助排查", "due": "2026-07-02"});
    let admin = app.login("admin").await;
    let yjj = department(app, &admin, "区应急管理局").await;
    let cases = [
        (json!({"parts": []}), "parts"),
        (json!({"parts": [good("nope")]}), "parts[0].unit_id"),
        (
            json!({"parts": [good(&yjj), good(&yjj)]}),
            "parts[1].unit_id",
        ),
        (
            json!({"parts": [{"unit_kind": "street", "unit_id": &region[..9], "task": "协助", "due": "2026-07-02"}]}),
            "parts[0].unit_id",
        ),
        (
            json!({"parts": [{"unit_kind": "x", "unit_id": "1", "task": "协助", "due": "2026-07-02"}]}),
            "parts[0].unit_kind",
        ),
        (
            json!({"parts": [{"unit_kind": "department", "unit_id": &yjj, "task": "协助", "due": "2026-06-30"}]}),
            "parts[0].due",
        ),
        (
            json!({"parts": [{"unit_kind": "department", "unit_id": &yjj, "task": "协助", "due": "明天"}]}),
            "parts[0].due",
        ),
    ];
    for (body, field) in cases {
        let (s, v) = app.post(&street, &joint, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {v}");
        assert!(v.to_string().contains(field), "{field}: {v}");
    }
    assert_eq!(count(app, "SELECT COUNT(*) FROM grid_joint_parts").await, 0);
    for who in ["grid", "zjj", "yjj"] {
        let c = app.login(who).await;
        let (s, _) = app.post(&c, &joint, &json!({"parts": [good(&yjj)]})).await;
        assert!(
            matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{who}: {s}"
        );
    }
    let ent = app.login("enterprise").await;
    let (s, _) = app
        .post(&ent, &joint, &json!({"parts": [good(&yjj)]}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&ent, "/api/v1/grid/joint").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(count(app, "SELECT COUNT(*) FROM grid_joint_parts").await, 0);
    let (s, v) = app
        .post(&duty, &joint, &json!({"parts": [good(&yjj)]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The same unit twice is refused.
    let (s, v) = app
        .post(&duty, &joint, &json!({"parts": [good(&yjj)]}))
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("parts[0].unit_id")),
        "{v}"
    );
    let (_, all) = app.get(&duty, "/api/v1/grid/joint").await;
    assert_eq!(all["total"], 1, "{all}");
}
both!(bad_parts_and_roles);

//! 工作台, 大屏 and the message centre: each role's 待办 holds what it must do and nothing out of
//! its scope; the 大屏 is the leaders', the duty room's and the departments'; notifications carry
//! their kind, come unread first and filter by kind.

use crate::both;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};
use yingji_core::kernel::role::Role;
use yingji_core::workbench::todos_for;

fn kinds(w: &Value) -> Vec<String> {
    w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .map(|t| t["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

fn expected(role: Role) -> Vec<String> {
    todos_for(role)
        .iter()
        .map(|t| t.as_str().to_string())
        .collect()
}

fn group<'a>(w: &'a Value, kind: &str) -> &'a Value {
    w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .find(|t| t["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {w}"))
}

fn ids(g: &Value) -> Vec<String> {
    g["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Every entry the caller is shown opens for the caller (it lies in the caller's scope).
async fn all_readable(app: &TestApp, c: &Client, w: &Value) {
    for g in w["todos"].as_array().expect("todos") {
        for item in g["items"].as_array().expect("items") {
            let id = item["id"].as_str().unwrap_or("");
            let link = item["link"].as_str().unwrap_or("");
            let api = if link.starts_with("/hazards/") {
                format!("/api/v1/hazards/{id}")
            } else if link.starts_with("/alarms") {
                format!("/api/v1/alarms/{id}")
            } else if link.starts_with("/incidents/") {
                format!("/api/v1/incidents/{id}")
            } else {
                continue;
            };
            let (s, b) = app.get(c, &api).await;
            assert_eq!(s, StatusCode::OK, "{link}: {b}");
        }
        let total = g["total"].as_i64().unwrap_or(0);
        assert!(g["items"].as_array().expect("items").len() as i64 <= total.min(5));
    }
}

async fn commander_sees_reports_due_and_approvals(app: &TestApp) {
    let commander = app.login("commander").await;
    let duty = app.login("duty").await;
    // The duty room takes in an accident: its 快报/续报 deadlines are the commander's 待办.
    let (_, e) = app.get(&duty, "/api/v1/enterprises?page_size=1").await;
    let eid = e["items"][0]["id"]
        .as_str()
        .expect("an enterprise")
        .to_string();
    let now = app.clock.now_ms();
    let (s, inc) = app
        .post(&duty, "/api/v1/incidents", &json!({
            "title": "仓库叉车伤人", "category": "accident", "subtype": "industrial",
            "occurred_at": to_rfc3339(now - 20 * 60_000), "unit_learned_at": to_rfc3339(now - 10 * 60_000),
            "enterprise_id": eid, "lon": 115.99, "lat": 29.71,
            "casualties": {"deaths": 1, "serious_injuries": 0, "evacuated": 0, "loss_yuan": 100_000},
            "unit_overview": "仓储企业", "location": "一号仓库", "scene": "伤者已送医",
            "account": "叉车倒车时撞伤搬运工", "measures": "停止作业，保护现场", "other": "无"
        }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    let (s, w) = app.get(&commander, "/api/v1/workbench").await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["role"], "commander");
    assert_eq!(kinds(&w), expected(Role::Commander));
    let reports = group(&w, "incident_reports");
    assert!(
        ids(reports).contains(&inc["id"].as_str().unwrap_or("").to_string()),
        "{w}"
    );
    let item = &reports["items"][0];
    assert!(
        item["due_ms"].as_i64().is_some()
            && item["link"]
                .as_str()
                .unwrap_or("")
                .starts_with("/incidents/"),
        "{item}"
    );
    assert_eq!(w["figures"].as_array().map(Vec::len), Some(4));
    let open = w["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["code"] == "open_incidents")
        .expect("open incidents card");
    assert!(open["value"].as_i64().unwrap_or(0) >= 1, "{w}");
    // No field work on the commander's desk.
    assert!(
        !kinds(&w)
            .iter()
            .any(|k| k == "answer_work_orders" || k == "reported_hazards")
    );
    all_readable(app, &commander, &w).await;
    // The duty officer has the same incident to report, and the alarms; no approvals.
    let (_, dw) = app.get(&duty, "/api/v1/workbench").await;
    assert_eq!(kinds(&dw), expected(Role::DutyOfficer));
    assert!(
        ids(group(&dw, "incident_reports")).contains(&inc["id"].as_str().unwrap_or("").to_string())
    );
}
both!(commander_sees_reports_due_and_approvals);

async fn grid_worker_follows_own_reports_in_own_grid(app: &TestApp) {
    let grid = app.login("grid").await;
    let street = app.login("street").await;
    let (_, me) = app.get(&grid, "/api/v1/auth/me").await;
    let grid_code = me["user"]["region_code"]
        .as_str()
        .expect("grid")
        .to_string();
    let (s, h) = app
        .post(
            &grid,
            "/api/v1/hazards",
            &json!({
                "category": "site", "description": "小区消防通道被杂物堵塞", "location": "3栋北侧",
                "region_code": grid_code
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    // The street reports one in another grid of its street: not the grid worker's.
    let (_, sme) = app.get(&street, "/api/v1/auth/me").await;
    let street_code = sme["user"]["region_code"]
        .as_str()
        .expect("street")
        .to_string();
    let (_, grids) = app.get(&street, "/api/v1/regions?level=grid").await;
    let other_grid = grids["items"]
        .as_array()
        .expect("grids")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .find(|c| c.starts_with(&street_code) && *c != grid_code)
        .expect("another grid in the street")
        .to_string();
    let (s, sh) = app
        .post(
            &street,
            "/api/v1/hazards",
            &json!({
                "category": "site", "description": "沿街店铺私拉电线", "location": "步行街",
                "region_code": other_grid
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sh}");
    let (s, w) = app.get(&grid, "/api/v1/workbench").await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(
        kinds(&w),
        [
            "answer_work_orders",
            "reported_hazards",
            "consultation_actions"
        ]
    );
    let mine = ids(group(&w, "reported_hazards"));
    assert!(
        mine.contains(&h["id"].as_str().unwrap_or("").to_string()),
        "{w}"
    );
    assert!(
        !mine.contains(&sh["id"].as_str().unwrap_or("").to_string()),
        "{w}"
    );
    // No approvals, alarms or grading on a grid worker's desk.
    for k in [
        "approve_allocations",
        "approve_warnings",
        "ack_alarms",
        "grade_hazards",
        "incident_reports",
    ] {
        assert!(!kinds(&w).iter().any(|x| x == k), "{k}");
    }
    all_readable(app, &grid, &w).await;
    // The street grades what is reported in its street: the grid worker's report is on its list.
    let (_, sw) = app.get(&street, "/api/v1/workbench").await;
    assert_eq!(kinds(&sw), expected(Role::StreetStaff));
    assert!(group(&sw, "grade_hazards")["total"].as_i64().unwrap_or(0) >= 2);
    all_readable(app, &street, &sw).await;
}
both!(grid_worker_follows_own_reports_in_own_grid);

async fn enterprise_sees_only_its_own(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let admin = app.login("admin").await;
    let (s, h) = app
        .post(&ent, "/api/v1/hazards", &json!({"category": "fire", "description": "配电房灭火器压力不足", "location": "配电房"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    // Another enterprise's report, by the administrator.
    let other = app.enterprise_in(&admin, "360403002").await;
    let (s, oh) = app
        .post(&admin, "/api/v1/hazards", &json!({"category": "fire", "description": "仓库堆放超高", "location": "仓库", "enterprise_id": other["id"]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{oh}");
    let (s, w) = app.get(&ent, "/api/v1/workbench").await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(kinds(&w), expected(Role::EnterpriseUser));
    let grade = ids(group(&w, "grade_hazards"));
    assert!(
        grade.contains(&h["id"].as_str().unwrap_or("").to_string()),
        "{w}"
    );
    let everything: Vec<String> = w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .flat_map(ids)
        .collect();
    assert!(
        !everything.contains(&oh["id"].as_str().unwrap_or("").to_string()),
        "{w}"
    );
    all_readable(app, &ent, &w).await;
    // The administrator grades everyone's: both are there (or counted).
    let (_, aw) = app.get(&admin, "/api/v1/workbench").await;
    assert_eq!(kinds(&aw), expected(Role::Admin));
    assert!(group(&aw, "grade_hazards")["total"].as_i64().unwrap_or(0) >= 2);
    // Without a session there is no workbench.
    let (s, _) = app.get(&app.anonymous(), "/api/v1/workbench").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
both!(enterprise_sees_only_its_own);

async fn screen_for_leaders_and_duty_room_only(app: &TestApp) {
    for who in ["commander", "duty", "admin", "yjj"] {
        let c = app.login(who).await;
        let (s, v) = app.get(&c, "/api/v1/screen").await;
        assert_eq!(s, StatusCode::OK, "{who}: {v}");
        let statuses: Vec<&str> = v["hazards_by_status"]
            .as_array()
            .expect("by status")
            .iter()
            .filter_map(|x| x["status"].as_str())
            .collect();
        assert_eq!(
            statuses,
            [
                "registered",
                "rectifying",
                "pending_acceptance",
                "closed",
                "dismissed"
            ]
        );
        assert!(v["ready"]["teams"].as_i64().is_some(), "{who}: {v}");
        assert!(v["ready"]["shelters_open"].as_i64().is_some());
        assert!(v["alarms"].as_array().expect("alarms").len() <= 12);
        assert!(v["now_ms"].as_i64().unwrap_or(0) > 0);
    }
    // The same figures as the hazard list, in the commander's scope.
    let commander = app.login("commander").await;
    let (_, v) = app.get(&commander, "/api/v1/screen").await;
    let (_, open) = app
        .get(&commander, "/api/v1/hazards?status=open&page_size=1")
        .await;
    assert_eq!(v["open_hazards"], open["total"]);
    for who in ["grid", "enterprise", "street"] {
        let c = app.login(who).await;
        let (s, e) = app.get(&c, "/api/v1/screen").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {e}");
        assert!(e["message"].as_str().unwrap_or("").contains("大屏"), "{e}");
    }
}
both!(screen_for_leaders_and_duty_room_only);

async fn notifications_by_kind_unread_first(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let uid = me["user"]["id"].as_str().expect("id").to_string();
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await.expect("tx");
    for (i, (title, link)) in [
        ("隐患已转办", "/hazards/h1"),
        ("报警待确认", "/alarms?id=a1"),
        ("响应工单", "/work-orders"),
    ]
    .iter()
    .enumerate()
    {
        yingji_store::kernel::notifications::send(
            &mut tx,
            now + i as i64,
            std::slice::from_ref(&uid),
            title,
            "正文",
            Some(link),
        )
        .await
        .expect("send");
    }
    tx.commit().await.expect("commit");
    let (_, n) = app.get(&ent, "/api/v1/notifications").await;
    let of = |n: &Value, title: &str| {
        n["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|x| x["title"] == title)
            .cloned()
            .expect(title)
    };
    assert_eq!(of(&n, "隐患已转办")["kind"], "hazard");
    assert_eq!(of(&n, "报警待确认")["kind_label"], "报警");
    assert_eq!(of(&n, "响应工单")["kind"], "work_order");
    // The newest (the work order) read: the unread ones come first.
    let wid = of(&n, "响应工单")["id"].as_str().expect("id").to_string();
    let (s, _) = app
        .post(
            &ent,
            &format!("/api/v1/notifications/{wid}/read"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, n) = app.get(&ent, "/api/v1/notifications").await;
    let items = n["items"].as_array().expect("items");
    let first_read = items
        .iter()
        .position(|x| !x["read_ms"].is_null())
        .expect("a read one");
    assert!(
        items[first_read..].iter().all(|x| !x["read_ms"].is_null()),
        "{n}"
    );
    assert!(
        items[..first_read]
            .iter()
            .any(|x| x["title"] == "隐患已转办")
    );
    // By kind.
    let (s, a) = app.get(&ent, "/api/v1/notifications?kind=alarm").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        a["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|x| x["kind"] == "alarm")
    );
    assert!(!a["items"].as_array().expect("items").is_empty());
    let (s, e) = app.get(&ent, "/api/v1/notifications?kind=nope").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "kind");
    // All read.
    let (s, _) = app
        .post(&ent, "/api/v1/notifications/all/read", &json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&ent, "/api/v1/notifications").await.1["unread"], 0);
}
both!(notifications_by_kind_unread_first);

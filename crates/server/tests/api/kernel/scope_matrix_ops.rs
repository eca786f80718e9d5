//! The write matrix, continued (see `scope_matrix`): an incident of another street with its
//! response, dispatches and investigation; warnings, feeds, protected objects and work orders;
//! the duty room, plans, rules and criteria; a commander of another district; accounts.

use crate::both;
use crate::helpers::*;
use crate::kernel::scope_matrix::{OTHER_STREET, Try, Want, account, created, id, run, t};
use reqwest::Client;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

const HOUR: i64 = 3_600_000;

fn plan() -> Value {
    json!({
        "code": "YA-HZ-01", "name": "火灾事故专项应急预案", "kind": "special", "owner": "区应急管理局",
        "version": "2026版", "effective_date": "2026-03-01", "review_cycle_months": 36, "subtypes": ["fire"],
        "levels": [{"level": 3, "trigger": "死亡 >= 3", "tasks": [
            {"department": "区应急管理局", "task": "成立现场指挥部", "deadline_minutes": 30}]}]
    })
}

/// An incident in another street, as the duty officer takes it: a team dispatched, a plan's
/// response activated with its task, an investigation started with a follow-up.
async fn incident_with_everything(app: &TestApp) -> (String, String, String, String, String) {
    crate::resources::ledger::with_resources(app).await;
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let now = app.clock.now_ms();
    let incident = created(app, &duty, "/api/v1/incidents", &json!({"title": "他街道火情", "category": "accident", "subtype": "fire",
        "occurred_at": to_rfc3339(now - 600_000), "region_code": OTHER_STREET, "location": "某小区", "account": "居民楼起火"})).await;
    let i = id(&incident);
    let (_, teams) = app.get(&duty, "/api/v1/teams?page_size=200").await;
    let standby: Vec<String> = teams["items"]
        .as_array()
        .expect("teams")
        .iter()
        .filter(|t| t["status"] == "standby")
        .map(id)
        .collect();
    let d = created(
        app,
        &duty,
        &format!("/api/v1/incidents/{i}/dispatches"),
        &json!({"resource_type": "team", "resource_id": standby[0]}),
    )
    .await;
    let dispatch = id(&d[0]);
    let p = created(app, &commander, "/api/v1/plans", &plan()).await;
    let r = created(
        app,
        &duty,
        &format!("/api/v1/incidents/{i}/response"),
        &json!({"plan_id": id(&p), "action": "activate", "level": 3}),
    )
    .await;
    let task = id(&r["tasks"][0]);
    let path = format!("/api/v1/incidents/{i}/investigation");
    created(
        app,
        &duty,
        &path,
        &json!({"action": "start", "team_leader": "王副区长", "members": "区应急管理局"}),
    )
    .await;
    let v = created(
        app,
        &commander,
        &format!("/api/v1/incidents/{i}/followups"),
        &json!({"action": "更换软管", "responsible": "某单位", "due_date": "2026-07-31"}),
    )
    .await;
    let followup = id(&v["followups"][0]);
    (i, dispatch, task, followup, standby[1].clone())
}

fn incident_tries(
    who: &'static str,
    i: &str,
    dispatch: &str,
    task: &str,
    followup: &str,
    team: &str,
    plan: &str,
) -> Vec<Try> {
    let p = format!("/api/v1/incidents/{i}");
    vec![
        t(
            who,
            "POST",
            format!("{p}/reports"),
            json!({"kind": "followup", "casualties": {}, "text": "越权续报"}),
        ),
        t(
            who,
            "POST",
            format!("{p}/close"),
            json!({"note": "越权结束"}),
        ),
        t(
            who,
            "POST",
            format!("{p}/escalations"),
            json!({"level": "city"}),
        ),
        t(
            who,
            "POST",
            format!("{p}/response"),
            json!({"plan_id": plan, "action": "upgrade", "level": 3, "reason": "越权"}),
        ),
        t(
            who,
            "POST",
            format!("{p}/tasks/{task}"),
            json!({"status": "done", "note": "越权"}),
        ),
        t(
            who,
            "POST",
            format!("{p}/dispatches"),
            json!({"resource_type": "team", "resource_id": team}),
        ),
        t(
            who,
            "POST",
            format!("{p}/dispatches/{dispatch}/return"),
            json!({}),
        ),
        t(
            who,
            "POST",
            format!("{p}/investigation"),
            json!({"action": "save", "sections": {"unit_overview": "越权"}}),
        ),
        t(
            who,
            "POST",
            format!("{p}/followups"),
            json!({"action": "越权", "responsible": "某单位", "due_date": "2026-07-31"}),
        ),
        t(
            who,
            "POST",
            format!("{p}/followups/{followup}/done"),
            json!({}),
        ),
        t(
            who,
            "POST",
            "/api/v1/duty/log",
            json!({"kind": "other", "text": "越权", "incident_id": i}),
        )
        .want(Want::Field("incident_id")),
    ]
}

fn warning_body(app: &TestApp, lon: f64, lat: f64) -> Value {
    let d = 0.004;
    json!({"event_code": "rainstorm", "level": 2, "description": "预计未来6小时内将出现50毫米以上降雨",
           "instruction": "低洼易涝区域人员及时转移",
           "area": {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]},
           "expires_at": to_rfc3339(app.clock.now_ms() + 12 * HOUR)})
}

/// A waterlogging point in a grid of another street, a published warning over it and the work
/// order it raised; a draft warning; a feed. Answers (object, order, draft, feed, rules body).
async fn warning_fixtures(
    app: &TestApp,
    admin: &Client,
) -> (String, String, String, String, Value) {
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let grid = first_grid(app, admin, OTHER_STREET).await;
    let (_, region) = app.get(admin, &format!("/api/v1/regions/{grid}")).await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
    let object = created(app, admin, "/api/v1/protected-objects", &json!({"kind": "waterlogging", "name": "他街道易涝点",
        "address": "测试路1号", "lon": lon, "lat": lat, "region_code": grid, "responsible_name": "甲", "responsible_phone": "13900000001"})).await;
    let w = created(app, &duty, "/api/v1/warnings", &warning_body(app, lon, lat)).await;
    let act = format!("/api/v1/warnings/{}/actions", id(&w));
    created(app, &duty, &act, &json!({"action": "submit"})).await;
    created(app, &commander, &act, &json!({"action": "approve"})).await;
    let (_, orders) = app
        .get(admin, &format!("/api/v1/work-orders?warning_id={}", id(&w)))
        .await;
    let order = id(&orders["items"][0]);
    let draft = created(app, &duty, "/api/v1/warnings", &warning_body(app, lon, lat)).await;
    let feed = created(
        app,
        &duty,
        "/api/v1/warning-feeds",
        &json!({"name": "市气象台", "url": "https://feeds.example.cn/cap.xml", "active": false}),
    )
    .await;
    let (_, rules) = app.get(admin, "/api/v1/rules?region=360403").await;
    (
        id(&object),
        order,
        id(&draft),
        id(&feed),
        rules["rules"].clone(),
    )
}

/// The demo street, its grid worker and the demo enterprise against another street's incident,
/// object and work order; and every district-level write a read-only role may not make.
async fn street_operations_of_another_street(app: &TestApp) {
    let admin = app.login("admin").await;
    let (i, dispatch, task, followup, team) = incident_with_everything(app).await;
    let (_, plans) = app.get(&admin, "/api/v1/plans").await;
    let plan_id = id(&plans["items"][0]);
    let (object, order, draft, feed, rules) = warning_fixtures(app, &admin).await;
    let grid = first_grid(app, &admin, OTHER_STREET).await;
    let (_, criteria) = app.get(&admin, "/api/v1/hazard-criteria").await;
    let criterion = criteria[0].clone();
    let today = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string();
    let mut tries = Vec::new();
    for who in ["street", "grid", "enterprise"] {
        tries.extend(incident_tries(
            who, &i, &dispatch, &task, &followup, &team, &plan_id,
        ));
        tries.extend([
            t(
                who,
                "POST",
                format!("/api/v1/work-orders/{order}/answer"),
                json!({"action": "acknowledge"}),
            ),
            t(
                who,
                "POST",
                "/api/v1/protected-objects",
                json!({"kind": "waterlogging", "name": "越权登记", "lon": 116.0, "lat": 29.7,
                "region_code": grid, "responsible_name": "甲", "responsible_phone": "13900000001"}),
            ),
        ]);
    }
    // (An enterprise's incident is always at the enterprise: it names no region.)
    for who in ["street", "grid"] {
        tries.push(t(who, "POST", "/api/v1/incidents", json!({"title": "越权接报", "category": "accident", "subtype": "fire",
            "region_code": OTHER_STREET, "occurred_at": to_rfc3339(app.clock.now_ms() - 600_000), "location": "某处", "account": "起火"})));
    }
    for who in ["street", "grid", "enterprise", "yjj"] {
        // A department may author (and submit) drafts of its district; approving is the leadership's.
        let steps: &[&str] = if who == "yjj" {
            &["approve", "reject", "cancel"]
        } else {
            &["submit", "approve", "reject", "cancel"]
        };
        for action in steps {
            tries.push(t(
                who,
                "POST",
                format!("/api/v1/warnings/{draft}/actions"),
                json!({"action": action}),
            ));
        }
        tries.extend([
            t(
                who,
                "PUT",
                format!("/api/v1/warning-feeds/{feed}"),
                json!({"name": "改", "url": "https://evil.example.cn/cap.xml", "active": true}),
            ),
            t(
                who,
                "POST",
                format!("/api/v1/warning-feeds/{feed}/poll"),
                json!({}),
            ),
            t(
                who,
                "POST",
                "/api/v1/warning-feeds",
                json!({"name": "越权", "url": "https://feeds.example.cn/x.xml", "active": false}),
            ),
            t(
                who,
                "PUT",
                "/api/v1/duty/shifts",
                json!({"day": today, "shift": "day", "leader": "甲", "officer": "乙"}),
            ),
            t(
                who,
                "POST",
                "/api/v1/duty/log",
                json!({"kind": "other", "text": "越权"}),
            ),
            t(
                who,
                "PUT",
                "/api/v1/rules",
                json!({"region": "360403", "rules": rules}),
            ),
            t(
                who,
                "PUT",
                format!(
                    "/api/v1/hazard-criteria/{}",
                    criterion["code"].as_str().expect("code")
                ),
                json!({"text": "越权修改", "active": false}),
            ),
        ]);
    }
    for who in ["street", "grid", "enterprise", "duty"] {
        let mut p = plan();
        p["code"] = json!("YA-X");
        tries.push(t(who, "POST", "/api/v1/plans", p));
    }
    for who in ["grid", "enterprise"] {
        tries.extend([
            t(who, "POST", "/api/v1/warnings", warning_body(app, 116.0, 29.7)),
            t(who, "POST", "/api/v1/teams", json!({"name": "越权队", "kind": "professional", "headcount": 5, "base_address": "x",
                "lon": 116.0, "lat": 29.7, "region_code": "360403001", "leader": "甲", "phone": "13900000000"})),
            t(who, "POST", "/api/v1/experts", json!({"name": "钱专家", "sections": ["natural"], "employer": "九江学院", "phone": "13900000001",
                "lon": 116.0, "lat": 29.7, "region_code": "360403"})),
            t(who, "POST", "/api/v1/warehouses", json!({"name": "越权库", "level": "street", "address": "x", "lon": 116.0, "lat": 29.7,
                "region_code": "360403001", "manager": "甲", "phone": "13900000000"})),
        ]);
    }
    // The street places resources in another street.
    tries.extend([
        t("street", "POST", "/api/v1/teams", json!({"name": "越权队", "kind": "professional", "headcount": 5, "base_address": "x",
            "lon": 116.0, "lat": 29.7, "region_code": OTHER_STREET, "leader": "甲", "phone": "13900000000"})),
        t("street", "POST", "/api/v1/warehouses", json!({"name": "越权库", "level": "street", "address": "x", "lon": 116.0, "lat": 29.7,
            "region_code": OTHER_STREET, "manager": "甲", "phone": "13900000000"})),
        t("street", "POST", "/api/v1/shelters", json!({"name": "越权避难点", "kind": "emergency", "address": "x", "lon": 116.0, "lat": 29.7,
            "region_code": OTHER_STREET, "capacity": 10, "manager": "甲", "phone": "13900000000"})),
    ]);
    let watched = [
        format!("/api/v1/incidents/{i}"),
        format!("/api/v1/incidents/{i}/response"),
        format!("/api/v1/incidents/{i}/dispatches"),
        format!("/api/v1/incidents/{i}/investigation"),
        format!("/api/v1/warnings/{draft}"),
        "/api/v1/warning-feeds".to_string(),
        "/api/v1/work-orders?page_size=100".to_string(),
        "/api/v1/protected-objects?page_size=100".to_string(),
        "/api/v1/rules?region=360403".to_string(),
        "/api/v1/hazard-criteria".to_string(),
        format!("/api/v1/duty/shifts?from={today}&to={today}"),
        format!("/api/v1/duty/log?day={today}"),
    ];
    let _ = object;
    run(app, tries, &watched).await;
}
both!(street_operations_of_another_street);

/// A second district with its own commander: nothing of this district is theirs to write.
async fn commander_of_another_district(app: &TestApp) {
    let admin = app.login("admin").await;
    let (i, dispatch, task, followup, team) = incident_with_everything(app).await;
    let (_, plans) = app.get(&admin, "/api/v1/plans").await;
    let plan_id = id(&plans["items"][0]);
    let (_, order, draft, feed, rules) = warning_fixtures(app, &admin).await;
    created(
        app,
        &admin,
        "/api/v1/regions",
        &json!({"code": "360402", "name": "濂溪区", "level": "district"}),
    )
    .await;
    account(app, &admin, json!({"username": "lxcmd", "display_name": "濂溪区局长", "role": "commander", "region_code": "360402"})).await;
    let duty = app.login("duty").await;
    created(
        app,
        &duty,
        &format!("/api/v1/warnings/{draft}/actions"),
        &json!({"action": "submit"}),
    )
    .await;
    let who = "lxcmd";
    let mut tries = incident_tries(who, &i, &dispatch, &task, &followup, &team, &plan_id);
    for action in ["approve", "reject", "cancel"] {
        tries.push(t(
            who,
            "POST",
            format!("/api/v1/warnings/{draft}/actions"),
            json!({"action": action}),
        ));
    }
    let mut foreign_area = warning_body(app, 116.0, 29.7);
    foreign_area.as_object_mut().expect("body").remove("area");
    foreign_area["region_codes"] = json!(["360403001"]);
    tries.extend([
        t(who, "POST", format!("/api/v1/work-orders/{order}/answer"), json!({"action": "acknowledge"})),
        t(who, "PUT", format!("/api/v1/warning-feeds/{feed}"), json!({"name": "改", "url": "https://evil.example.cn/cap.xml", "active": true})),
        t(who, "POST", format!("/api/v1/warning-feeds/{feed}/poll"), json!({})),
        t(who, "PUT", "/api/v1/rules", json!({"region": "360403", "rules": rules})),
        t(who, "POST", "/api/v1/warnings", foreign_area).want(Want::Field("region_codes")),
        t(who, "POST", "/api/v1/protected-objects", json!({"kind": "waterlogging", "name": "越权登记", "lon": 116.0, "lat": 29.7,
            "region_code": first_grid(app, &admin, "360403001").await, "responsible_name": "甲", "responsible_phone": "13900000001"})),
        t(who, "POST", "/api/v1/teams", json!({"name": "越权队", "kind": "professional", "headcount": 5, "base_address": "x",
            "lon": 116.0, "lat": 29.7, "region_code": "360403", "leader": "甲", "phone": "13900000000"})),
    ]);
    let watched = [
        format!("/api/v1/incidents/{i}"),
        format!("/api/v1/incidents/{i}/response"),
        format!("/api/v1/incidents/{i}/dispatches"),
        format!("/api/v1/incidents/{i}/investigation"),
        format!("/api/v1/warnings/{draft}"),
        "/api/v1/warning-feeds".to_string(),
        "/api/v1/rules?region=360403".to_string(),
    ];
    run(app, tries, &watched).await;
}
both!(commander_of_another_district);

/// Accounts, tokens, regions, notifications and imports: an administrator's or the owner's.
async fn accounts_are_the_administrators(app: &TestApp) {
    let admin = app.login("admin").await;
    let duty = app.login("duty").await;
    let (_, me) = app.get(&duty, "/api/v1/auth/me").await;
    let duty_id = me["user"]["id"].as_str().expect("id").to_string();
    let token = created(app, &duty, "/api/v1/tokens", &json!({"name": "数据对接"})).await;
    let user =
        json!({"username": "duty", "display_name": "改名", "role": "admin", "region_code": null});
    // A notification of the enterprise user's: a hazard graded for it by its regulator.
    let ent = app.login("enterprise").await;
    created(
        app,
        &ent,
        "/api/v1/hazards",
        &json!({"category": "fire", "description": "灭火器过期"}),
    )
    .await;
    let mut tries: Vec<Try> = Vec::new();
    // 三员分立: the auditor changes no account; the security administrator deletes no region.
    tries.push(t(
        "secadmin",
        "DELETE",
        "/api/v1/regions/360403003",
        json!(null),
    ));
    for who in ["commander", "street", "duty", "enterprise", "auditor"] {
        tries.extend([
            t(who, "PUT", format!("/api/v1/users/{duty_id}"), user.clone()),
            t(
                who,
                "POST",
                format!("/api/v1/users/{duty_id}/password"),
                json!({"new_password": "Takeover2026"}),
            ),
            t(
                who,
                "POST",
                format!("/api/v1/users/{duty_id}/unlock"),
                json!({}),
            ),
            t(who, "DELETE", "/api/v1/regions/360403003", json!(null)),
        ]);
    }
    for who in ["commander", "street", "enterprise"] {
        tries.push(t(
            who,
            "DELETE",
            format!("/api/v1/tokens/{}", id(&token["info"])),
            json!(null),
        ));
    }
    let (_, n) = app.get(&ent, "/api/v1/notifications").await;
    if let Some(nid) = n["items"][0]["id"].as_str() {
        tries.push(
            t(
                "street",
                "POST",
                format!("/api/v1/notifications/{nid}/read"),
                json!({}),
            )
            .want(Want::Unchanged),
        );
    }
    let watched = [
        format!("/api/v1/users/{duty_id}"),
        "/api/v1/regions/360403003".to_string(),
    ];
    let before = app.get(&duty, "/api/v1/tokens").await.1;
    let unread = app.get(&ent, "/api/v1/notifications").await.1["unread"].clone();
    run(app, tries, &watched).await;
    assert_eq!(app.get(&duty, "/api/v1/tokens").await.1, before);
    assert_eq!(
        app.get(&ent, "/api/v1/notifications").await.1["unread"],
        unread
    );
    // The password was not reset: the demo password still logs in.
    app.login("duty").await;
    let _ = admin;
}
both!(accounts_are_the_administrators);

//! 防汛与地灾: the 三个责任人 of a reservoir (and a 地灾隐患点's five), refused with bad phones and
//! for objects of other kinds; the incomplete list before the flood season; the 公示牌 PDF and the
//! public list; patrol logs from the phone with an 异常 finding told to the 行政 and 技术责任人; a
//! rainstorm warning over the reservoir gives the work order to its persons by their duties.

use super::{centre, fields, me, object, rainstorm_over};
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::json;

struct Spot {
    grid_user: String,
    street_user: String,
    reservoir: String,
    geohazard: String,
    school: String,
    at: (f64, f64),
}

async fn spot(app: &TestApp, admin: &Client, grid: &Client, street: &Client) -> Spot {
    let (grid_user, grid_code) = me(app, grid).await;
    let (street_user, _) = me(app, street).await;
    let at = centre(app, admin, &grid_code).await;
    let reservoir = object(app, admin, "reservoir", "东风水库", &grid_code, at).await;
    let geohazard = object(
        app,
        admin,
        "geohazard",
        "后山滑坡隐患点",
        &grid_code,
        (at.0 + 0.0005, at.1),
    )
    .await;
    let school = object(app, admin, "school", "东风小学", &grid_code, at).await;
    Spot {
        grid_user,
        street_user,
        reservoir,
        geohazard,
        school,
        at,
    }
}

fn three(s: &Spot) -> serde_json::Value {
    json!({"persons": [
        {"duty": "administrative", "name": "李镇长", "post": "镇长", "phone": "13900001001", "user_id": s.street_user},
        {"duty": "technical", "name": "王工", "post": "水利站站长", "phone": "0792-8221234"},
        {"duty": "patrol", "name": "赵巡查", "post": "网格员", "phone": "13900001003", "user_id": s.grid_user},
    ]})
}

async fn duty_persons_boards_and_patrols(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = app.login("grid").await;
    let street = app.login("street").await;
    let s = spot(app, &admin, &grid, &street).await;
    let path = format!("/api/v1/disasters/flood/objects/{}/persons", s.reservoir);
    // Bad input: a phone that is not a phone, a duty twice, a 群测群防员 for a reservoir.
    let bad = json!({"persons": [
        {"duty": "administrative", "name": "李镇长", "phone": "12345"},
        {"duty": "administrative", "name": "甲", "phone": "13900001001"},
        {"duty": "monitor", "name": "乙", "phone": "13900001002"},
    ]});
    let (st, v) = app.put(&admin, &path, &bad).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        fields(&v),
        ["persons[0].phone", "persons[1].duty", "persons[2].duty"]
    );
    assert!(
        v["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("第1人")
    );
    assert_eq!(app.count("flood_duty_persons").await, 0);
    // An object of the wrong kind.
    let school = format!("/api/v1/disasters/flood/objects/{}/persons", s.school);
    let (st, v) = app.put(&admin, &school, &three(&s)).await;
    assert_eq!(
        (st, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["id".to_string()]),
        "{v}"
    );
    // An enterprise user's account cannot hold a duty.
    let (ent_user, _) = me(app, &app.login("enterprise").await).await;
    let mut with_ent = three(&s);
    with_ent["persons"][2]["user_id"] = json!(ent_user);
    let (st, v) = app.put(&admin, &path, &with_ent).await;
    assert_eq!(
        (st, fields(&v)),
        (
            StatusCode::BAD_REQUEST,
            vec!["persons[2].user_id".to_string()]
        ),
        "{v}"
    );
    // The three persons; the reservoir is complete, the 地灾隐患点 is not (five duties).
    let (st, o) = app.put(&admin, &path, &three(&s)).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    assert_eq!(o["complete"], true);
    assert_eq!(o["persons"][1]["duty_label"], "技术责任人");
    let (_, inc) = app
        .get(&street, "/api/v1/disasters/flood/objects?incomplete=true")
        .await;
    let names: Vec<&str> = inc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"后山滑坡隐患点") && !names.contains(&"东风水库"),
        "{inc}"
    );
    let g = inc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == s.geohazard.as_str())
        .unwrap();
    assert_eq!(g["missing"].as_array().unwrap().len(), 5);
    // Enterprise users do not see the register.
    let ent = app.login("enterprise").await;
    let (st, _) = app.get(&ent, "/api/v1/disasters/flood/objects").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.put(&ent, &path, &three(&s)).await;
    assert!(st == StatusCode::FORBIDDEN || st == StatusCode::NOT_FOUND);
    boards(app, &admin, &s).await;
    patrols(app, &grid, &street, &s).await;
}
both!(duty_persons_boards_and_patrols);

/// The 公示牌 PDF, and the public list without login.
async fn boards(app: &TestApp, admin: &Client, s: &Spot) {
    let r = admin
        .get(app.url(&format!(
            "/api/v1/disasters/flood/objects/{}/board",
            s.reservoir
        )))
        .send_checked()
        .await
        .expect("board");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF"));
    let (st, p) = app.get(&app.anonymous(), "/api/public/flood-duty").await;
    assert_eq!(st, StatusCode::OK, "{p}");
    let r = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "东风水库")
        .expect("reservoir on the board");
    assert_eq!(r["persons"][0]["name"], "李镇长");
    assert!(r["persons"][0].get("user_id").is_none());
}

/// 汛中巡查 from the phone: normal, then 异常 (told to the 行政责任人's account); bad ones refused.
async fn patrols(app: &TestApp, grid: &Client, street: &Client, s: &Spot) {
    let log = |result: &str, finding: Option<&str>| {
        json!({"object_id": s.reservoir, "kind": "in_season", "lon": s.at.0, "lat": s.at.1, "place": "坝顶",
            "result": result, "finding": finding})
    };
    let (st, v) = app
        .post(
            grid,
            "/api/v1/disasters/flood/patrols",
            &log("normal", None),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, v) = app
        .post(
            grid,
            "/api/v1/disasters/flood/patrols",
            &log("abnormal", None),
        )
        .await;
    assert_eq!(
        (st, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["finding".to_string()])
    );
    let mut wrong = log("normal", None);
    wrong["object_id"] = json!(s.school);
    let (st, v) = app
        .post(grid, "/api/v1/disasters/flood/patrols", &wrong)
        .await;
    assert_eq!(
        (st, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["object_id".to_string()])
    );
    let (st, v) = app
        .post(
            grid,
            "/api/v1/disasters/flood/patrols",
            &log("abnormal", Some("背水坡出现渗水")),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["kind_label"], "汛中巡查");
    assert_eq!(app.count("flood_patrol_logs").await, 2);
    let (_, notes) = app.get(street, "/api/v1/notifications").await;
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["title"].as_str().unwrap_or("").contains("发现异常")),
        "{notes}"
    );
    let (_, list) = app
        .get(
            street,
            &format!(
                "/api/v1/disasters/flood/patrols?object_id={}&abnormal=true",
                s.reservoir
            ),
        )
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["finding"], "背水坡出现渗水");
}

/// 暴雨橙色预警 over the reservoir: its order goes to the 行政责任人 (通知), the 巡查责任人 (巡查) and
/// the 技术责任人 (控制水位); the 巡查责任人 sees it as theirs and answers it.
async fn a_rainstorm_over_a_reservoir_gives_orders_to_its_persons(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = app.login("grid").await;
    let street = app.login("street").await;
    let commander = app.login("commander").await;
    let s = spot(app, &admin, &grid, &street).await;
    let path = format!("/api/v1/disasters/flood/objects/{}/persons", s.reservoir);
    let (st, _) = app.put(&admin, &path, &three(&s)).await;
    assert_eq!(st, StatusCode::OK);
    rainstorm_over(app, &commander, &admin, 2, s.at).await;
    let (st, persons) = app
        .get(
            &commander,
            &format!("/api/v1/disasters/flood/objects/{}/orders", s.reservoir),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{persons}");
    let by: Vec<(String, serde_json::Value)> = persons["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["duty"].as_str().unwrap().to_string(),
                p["actions"].clone(),
            )
        })
        .collect();
    assert_eq!(
        by,
        vec![
            ("administrative".to_string(), json!(["通知"])),
            ("patrol".to_string(), json!(["巡查"])),
            ("technical".to_string(), json!(["控制水位"])),
        ]
    );
    // The 巡查责任人 (grid worker) finds it among theirs and acknowledges it.
    let (_, mine) = app.get(&grid, "/api/v1/work-orders?mine=true").await;
    let order = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object"]["id"] == s.reservoir.as_str())
        .expect("the reservoir's order is the patrol person's")
        .clone();
    let oid = order["id"].as_str().unwrap();
    let (st, o) = app
        .post(
            &grid,
            &format!("/api/v1/work-orders/{oid}/answer"),
            &json!({"action": "acknowledge"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{o}");
    // The 行政责任人 (street staff) has it too, and an in-app notice naming their duty.
    let (_, mine) = app.get(&street, "/api/v1/work-orders?mine=true").await;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == oid)
    );
    let (_, notes) = app.get(&street, "/api/v1/notifications").await;
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["body"].as_str().unwrap_or("").contains("行政责任人")),
        "{notes}"
    );
    // The 地灾隐患点 without persons: no extra persons, the usual order only.
    let (_, none) = app
        .get(
            &commander,
            &format!("/api/v1/disasters/flood/objects/{}/orders", s.geohazard),
        )
        .await;
    assert_eq!(none["total"], 0);
}
both!(a_rainstorm_over_a_reservoir_gives_orders_to_its_persons);

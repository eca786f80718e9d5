//! 转移 and 断禁停撤疏: a plan for a 地灾隐患点 and its community (bad phones and objects of the wrong
//! kind refused), a 转移 order with its name list, answers per person (one not on the list
//! refused), check-ins that fill the shelter and a check-in beyond its capacity refused, the
//! totals by township; a 断路 order linked to a warning and carried out once.

use super::{centre, fields, me, object, rainstorm_over};
use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

/// A shelter of `capacity` in `region`, opened: its id.
async fn open_shelter(
    app: &TestApp,
    admin: &Client,
    region: &str,
    at: (f64, f64),
    capacity: i64,
) -> String {
    let body = json!({"name": "东风村避灾安置点", "kind": "emergency", "address": "东风村委会", "lon": at.0, "lat": at.1,
        "region_code": region, "capacity": capacity, "manager": "村主任", "phone": "13900002000"});
    let (s, sh) = app.post(admin, "/api/v1/shelters", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{sh}");
    let id = sh["id"].as_str().unwrap().to_string();
    let (s, v) = app
        .post(
            admin,
            &format!("/api/v1/shelters/{id}/movements"),
            &json!({"kind": "open"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    id
}

fn person(name: &str, phone: &str) -> Value {
    json!({"name": name, "phone": phone, "household": "东风村3组"})
}

async fn evacuation_from_plan_to_shelter(app: &TestApp) {
    let admin = app.login("admin").await;
    let street = app.login("street").await;
    let grid = app.login("grid").await;
    let (_, grid_code) = me(app, &grid).await;
    let at = centre(app, &admin, &grid_code).await;
    let point = object(app, &admin, "geohazard", "东风村滑坡", &grid_code, at).await;
    let school = object(app, &admin, "school", "东风小学", &grid_code, at).await;
    let shelter = open_shelter(app, &admin, &grid_code, at, 2).await;
    let mut plan = json!({"name": "东风村滑坡转移预案", "object_id": point, "region_code": grid_code, "shelter_id": shelter,
        "route": "沿村道向北500米至村委会",
        "people": [person("张大爷", "13900003001"), person("李奶奶", "13900003002"), person("王叔", "13900003003"), person("赵婶", "13900003004")]});
    // Bad input: a phone that is not a phone; an object of the wrong kind.
    let mut bad = plan.clone();
    bad["people"][1]["phone"] = json!("123");
    let (s, v) = app
        .post(&street, "/api/v1/disasters/evacuation/plans", &bad)
        .await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["people[1].phone".to_string()]),
        "{v}"
    );
    bad = plan.clone();
    bad["object_id"] = json!(school);
    let (s, v) = app
        .post(&street, "/api/v1/disasters/evacuation/plans", &bad)
        .await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["object_id".to_string()]),
        "{v}"
    );
    assert_eq!(app.count("evacuation_plans").await, 0);
    assert_eq!(app.count("evacuation_plan_people").await, 0);
    // The grid worker may not write plans; street staff may.
    let (s, _) = app
        .post(&grid, "/api/v1/disasters/evacuation/plans", &plan)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, p) = app
        .post(&street, "/api/v1/disasters/evacuation/plans", &plan)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["people"].as_array().unwrap().len(), 4);
    plan["id"] = p["id"].clone();
    // The order, its answers and check-ins.
    let (s, o) = app
        .post(
            &street,
            "/api/v1/disasters/evacuation/orders",
            &json!({"plan_id": p["id"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(
        (o["total"].as_i64(), o["waiting"].as_i64()),
        (Some(4), Some(4))
    );
    let oid = o["id"].as_str().unwrap().to_string();
    let pid = |i: usize| o["people"][i]["person_id"].as_str().unwrap().to_string();
    let answers = format!("/api/v1/disasters/evacuation/orders/{oid}/answers");
    for (i, a) in [
        (0, "arrived"),
        (1, "arrived"),
        (2, "arrived"),
        (3, "unreachable"),
    ] {
        let (s, v) = app
            .post(&grid, &answers, &json!({"person_id": pid(i), "answer": a}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = app
        .post(
            &grid,
            &answers,
            &json!({"person_id": "nobody", "answer": "arrived"}),
        )
        .await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["person_id".to_string()]),
        "{v}"
    );
    let (s, v) = app
        .post(
            &grid,
            &answers,
            &json!({"person_id": pid(0), "answer": "gone"}),
        )
        .await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["answer".to_string()]),
        "{v}"
    );
    let check_ins = format!("/api/v1/disasters/evacuation/orders/{oid}/check-ins");
    for i in [0, 1] {
        let (s, v) = app
            .post(&street, &check_ins, &json!({"person_id": pid(i)}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    // Beyond the shelter's capacity: refused, nothing changes.
    let (s, v) = app
        .post(&street, &check_ins, &json!({"person_id": pid(2)}))
        .await;
    assert!(
        s == StatusCode::BAD_REQUEST || s == StatusCode::CONFLICT,
        "{s} {v}"
    );
    assert!(
        v["message"].as_str().unwrap_or("").contains("超出容量")
            || v.to_string().contains("超出容量"),
        "{v}"
    );
    // An unreachable person is not checked in; one checked in is not twice.
    let (s, _) = app
        .post(&street, &check_ins, &json!({"person_id": pid(3)}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .post(&street, &check_ins, &json!({"person_id": pid(0)}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, o) = app
        .get(
            &street,
            &format!("/api/v1/disasters/evacuation/orders/{oid}"),
        )
        .await;
    assert_eq!(
        (
            o["arrived"].as_i64(),
            o["unreachable"].as_i64(),
            o["checked_in"].as_i64(),
            o["shelter_occupancy"].as_i64()
        ),
        (Some(3), Some(1), Some(2), Some(2)),
        "{o}"
    );
    // Totals by township, through the API and the store function the 灾情 report uses.
    let (s, t) = app
        .get(&street, "/api/v1/disasters/evacuation/totals")
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["items"][0]["township_code"].as_str(), grid_code.get(..9));
    assert_eq!(
        (
            t["items"][0]["ordered"].as_i64(),
            t["items"][0]["arrived"].as_i64(),
            t["items"][0]["sheltered"].as_i64()
        ),
        (Some(4), Some(3), Some(2))
    );
    let now = app.clock.now_ms();
    let of = yingji_store::disasters::evacuation_totals::TotalsOf::Period {
        from_ms: now - 1,
        to_ms: now + 1,
    };
    let totals = yingji_store::disasters::evacuation_totals::evacuation_totals(
        &app.store,
        &of,
        &grid_code[..6],
    )
    .await
    .unwrap();
    assert_eq!((totals.len(), totals[0].sheltered), (1, 2));
    // A 灾害过程 started before the order reads the same totals for its 灾情 report.
    let duty = app.login("duty").await;
    let started = yingji_core::kernel::clock::to_rfc3339(now - 3_600_000);
    let body = serde_json::json!({"kind": "flood", "subtype": "rainstorm", "started_at": started,
        "townships": [grid_code.get(..9).unwrap()]});
    let (s, p) = app.post(&duty, "/api/v1/disasters/processes", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let path = format!(
        "/api/v1/disasters/evacuation/totals?process_id={}",
        p["id"].as_str().unwrap()
    );
    let (s, t) = app.get(&duty, &path).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["items"][0]["arrived"], 3);
    let (s, _) = app.get(&duty, &format!("{path}&incident_id=x")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Enterprise users see none of it.
    let ent = app.login("enterprise").await;
    let (s, _) = app.get(&ent, "/api/v1/disasters/evacuation/orders").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .get(&ent, &format!("/api/v1/disasters/evacuation/orders/{oid}"))
        .await;
    assert!(s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND);
}
both!(evacuation_from_plan_to_shelter);

async fn road_closure_linked_to_a_warning_and_carried_out(app: &TestApp) {
    let admin = app.login("admin").await;
    let street = app.login("street").await;
    let grid = app.login("grid").await;
    let commander = app.login("commander").await;
    let (_, grid_code) = me(app, &grid).await;
    let at = centre(app, &admin, &grid_code).await;
    let wid = rainstorm_over(app, &commander, &admin, 2, at).await;
    let street_code = grid_code[..9].to_string();
    let mut body = json!({"kind": "road_closure", "scope_text": "东风村至后山村道K2+300段", "region_code": street_code});
    // Not linked to a warning or an incident; a bad kind.
    let (s, v) = app.post(&street, "/api/v1/disasters/orders", &body).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["warning_id".to_string()]),
        "{v}"
    );
    body["warning_id"] = json!(wid);
    let mut bad = body.clone();
    bad["kind"] = json!("nap");
    let (s, v) = app.post(&street, "/api/v1/disasters/orders", &bad).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::BAD_REQUEST, vec!["kind".to_string()]),
        "{v}"
    );
    assert_eq!(app.count("disaster_orders").await, 0);
    let (s, o) = app.post(&street, "/api/v1/disasters/orders", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["kind_label"], "断路");
    let id = o["id"].as_str().unwrap();
    let path = format!("/api/v1/disasters/orders/{id}/carry-out");
    let done = json!({"carried_out_by": "东风村网格员赵某、交警中队", "note": "已设置路障"});
    // A grid worker does not see a street-wide order (their grid only).
    let (s, _) = app.post(&grid, &path, &done).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, o) = app.post(&street, &path, &done).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    assert_eq!(o["status"], "done");
    assert_eq!(o["carried_out_by"], "东风村网格员赵某、交警中队");
    let (s, _) = app.post(&street, &path, &done).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, list) = app
        .get(
            &commander,
            &format!("/api/v1/disasters/orders?warning_id={wid}"),
        )
        .await;
    assert_eq!(list["total"], 1);
}
both!(road_closure_linked_to_a_warning_and_carried_out);

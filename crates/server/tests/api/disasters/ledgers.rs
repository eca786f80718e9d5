//! 台账: persons with a checked ID number (GB 11643), shown masked, once per process; households
//! with their degree; a township outside the caller's area refused; nothing stored on bad input.

use super::reports::{process, rainstorm};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::{Clock, to_rfc3339};

async fn ledgers(app: &TestApp) {
    let duty = app.login("duty").await;
    let p = process(
        app,
        &duty,
        rainstorm(&to_rfc3339(app.clock.now_ms() - 3_600_000)),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    let persons = format!("/api/v1/disasters/processes/{id}/ledgers/persons");
    let houses = format!("/api/v1/disasters/processes/{id}/ledgers/houses");
    let person = json!({"township": "360403001", "name": "张某", "sex": "男", "age": 67, "id_number": "11010519491231002X",
        "address": "甘棠街道南湖社区", "status": "missing", "cause": "被洪水冲走", "day": "2026-05-27"});
    let mut bad = person.clone();
    bad["id_number"] = json!("110105194912310021");
    let (s, e) = app.post(&duty, &persons, &bad).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("id_number")),
        "{e}"
    );
    assert!(e["message"].as_str().unwrap().contains("校验位"), "{e}");
    let (s, v) = app.post(&duty, &persons, &person).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["persons"][0]["id_number"], "1101**********002X");
    assert_eq!(v["persons"][0]["status_label"], "失踪");
    let (s, _) = app.post(&duty, &persons, &person).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let house = json!({"township": "360403002", "head": "李某", "address": "湓浦街道", "rooms": 3, "degree": "collapsed"});
    let street = app.login("street").await;
    let (s, e) = app.post(&street, &houses, &house).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("township")),
        "{e}"
    );
    let mut zero = house.clone();
    zero["rooms"] = json!(0);
    let (s, _) = app.post(&duty, &houses, &zero).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = app.post(&duty, &houses, &house).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["houses"][0]["degree_label"], "倒塌");
    let (s, v) = app
        .get(
            &street,
            &format!("/api/v1/disasters/processes/{id}/ledgers"),
        )
        .await;
    assert_eq!(
        (s, v["houses"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1))
    );
}
both!(ledgers);

/// 灾害信息员: registered per community of the caller's area with a backup person and training
/// records; bad rows named; another street's community refused.
async fn informants(app: &TestApp) {
    let street = app.login("street").await;
    let body = json!({"region_code": "360403001007", "name": "周某", "phone": "13912345678",
        "backup_name": "吴某", "backup_phone": "13912345679",
        "trainings": [{"day": "2026-04-20", "topic": "灾情统计报送培训"}]});
    let (s, v) = app
        .post(&street, "/api/v1/disasters/informants", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (
            v["region_name"].as_str(),
            v["trainings"][0]["topic"].as_str()
        ),
        (Some("南湖社区居委会"), Some("灾情统计报送培训"))
    );
    let mut bad = body.clone();
    bad["backup_phone"] = json!(null);
    bad["trainings"] = json!([{"day": "4月20日", "topic": "x"}]);
    let (s, e) = app
        .post(&street, "/api/v1/disasters/informants", &bad)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(fields, ["backup_phone", "trainings[0].day"]);
    let mut other = body.clone();
    other["region_code"] = json!("360403002001");
    let (s, e) = app
        .post(&street, "/api/v1/disasters/informants", &other)
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("region_code"))
    );
    let grid = app.login("grid").await;
    let (s, _) = app.post(&grid, "/api/v1/disasters/informants", &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app.get(&street, "/api/v1/disasters/informants").await;
    assert_eq!((s, v.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
}
both!(informants);

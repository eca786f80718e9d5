//! Authored warnings: approved by a second person, published as CAP 1.2 valid against the OASIS
//! schema, in the Atom feed and the public list; bad areas and times named.

use super::{HOUR, draft};
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::{Clock, to_rfc3339};

/// xmllint against the OASIS schema, when it is installed (CI installs libxml2-utils).
fn schema_valid(xml: &str) {
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(std::env::var("CI").is_err(), "xmllint is required in CI");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("alert.xml");
    std::fs::write(&file, xml).expect("write");
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cap/tests/data/cap12.xsd");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg(&file)
        .output()
        .expect("xmllint");
    assert!(
        out.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn authored_warnings_need_a_second_person(app: &TestApp) {
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let (id, identifier, admin) = a_second_person_publishes(app, &duty, &commander).await;
    let anon = app.anonymous();
    served_as_cap_in_the_list_and_feed(app, &anon, &id, &identifier).await;
    let upath =
        an_update_supersedes_it(app, &duty, &commander, &admin, &anon, &id, &identifier).await;
    cancel_ends_it_and_drafts_stay_private(app, &duty, &commander, &anon, &upath).await;
    the_publisher_is_a_district_rule(app, &commander).await;
}
both!(authored_warnings_need_a_second_person);

/// The author cannot approve their own warning, a duty officer none; an administrator
/// publishes it: (its id, its CAP identifier, the administrator's client).
async fn a_second_person_publishes(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
) -> (String, String, reqwest::Client) {
    let (s, w) = app.post(commander, "/api/v1/warnings", &draft(app)).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    assert_eq!(w["status"], "draft");
    assert_eq!(w["headline"], "浔阳区应急管理局发布暴雨橙色预警");
    let id = w["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/warnings/{id}/actions");
    let (s, w) = app
        .post(commander, &path, &json!({"action": "submit"}))
        .await;
    assert_eq!((s, w["status"].as_str()), (StatusCode::OK, Some("pending")));
    // The author cannot approve their own warning; a duty officer may not approve at all.
    let (s, v) = app
        .post(commander, &path, &json!({"action": "approve"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["message"].as_str().unwrap_or("").contains("另一人"));
    let (s, _) = app.post(duty, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let (s, w) = app.post(&admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["status"], "published");
    assert_eq!(w["current"], true);
    let identifier = w["identifier"].as_str().expect("identifier").to_string();
    assert!(
        yingji_cap::identifier::is_valid(&identifier),
        "{identifier}"
    );
    assert!(identifier.starts_with("36040300000000_"));
    (id, identifier, admin)
}

/// Served as CAP 1.2 that validates, reads back, and carries +08:00 times; in the public list and
/// the Atom feed.
async fn served_as_cap_in_the_list_and_feed(
    app: &TestApp,
    anon: &reqwest::Client,
    id: &str,
    identifier: &str,
) {
    // Served as CAP 1.2 that validates, reads back, and carries +08:00 times.
    let r = anon
        .get(app.url(&format!("/api/public/warnings/{id}/cap")))
        .send_checked()
        .await
        .expect("cap");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/cap+xml")
    );
    let xml = r.text().await.expect("text");
    schema_valid(&xml);
    let alert = yingji_cap::read(xml.as_bytes()).expect("reads back");
    assert!(alert.sent.text.ends_with("+08:00"));
    assert_eq!(alert.infos[0].severity, "Severe");
    assert_eq!(alert.infos[0].event_codes[0].value, "橙色");
    assert_eq!(
        alert.infos[0].areas[0].polygons[0].points[0],
        yingji_cap::Point {
            lat: 29.69,
            lon: 115.95
        }
    );

    // The public list (no login) and the Atom feed.
    let (s, list) = app.get(anon, "/api/public/warnings").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list[0]["headline"], "浔阳区应急管理局发布暴雨橙色预警");
    let feed = anon
        .get(app.url("/api/public/warnings/feed"))
        .send_checked()
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(feed.contains(identifier), "{feed}");
}

/// 更新: a new warning superseding it, published as a CAP Update referencing it: the update's
/// actions path.
async fn an_update_supersedes_it(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    admin: &reqwest::Client,
    anon: &reqwest::Client,
    id: &str,
    identifier: &str,
) -> String {
    // 更新: a new warning superseding it, published as a CAP Update referencing it.
    let mut update = draft(app);
    update["level"] = json!(1);
    update["supersedes"] = json!(id);
    let (s, u) = app.post(commander, "/api/v1/warnings", &update).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let uid = u["id"].as_str().expect("id").to_string();
    let upath = format!("/api/v1/warnings/{uid}/actions");
    app.post(commander, &upath, &json!({"action": "submit"}))
        .await;
    let (s, u) = app.post(admin, &upath, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["msg_type"], "Update");
    let (_, old) = app.get(duty, &format!("/api/v1/warnings/{id}")).await;
    assert_eq!(old["status"], "superseded");
    let xml = anon
        .get(app.url(&format!("/api/public/warnings/{uid}/cap")))
        .send_checked()
        .await
        .expect("cap")
        .text()
        .await
        .expect("text");
    schema_valid(&xml);
    let a = yingji_cap::read(xml.as_bytes()).expect("update reads");
    assert_eq!(a.references[0].identifier, identifier);
    upath
}

async fn cancel_ends_it_and_drafts_stay_private(
    app: &TestApp,
    duty: &reqwest::Client,
    commander: &reqwest::Client,
    anon: &reqwest::Client,
    upath: &str,
) {
    // 解除: a CAP Cancel of its own; nothing is current any more.
    let (s, c) = app
        .post(
            commander,
            upath,
            &json!({"action": "cancel", "note": "降雨已减弱"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["status"], "cancelled");
    let (_, list) = app.get(anon, "/api/public/warnings").await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
    let (_, all) = app.get(duty, "/api/v1/warnings").await;
    let cancel = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|w| w["msg_type"] == "Cancel")
        .expect("cancel")
        .clone();
    let xml = anon
        .get(app.url(&format!(
            "/api/public/warnings/{}/cap",
            cancel["id"].as_str().unwrap_or("")
        )))
        .send_checked()
        .await
        .expect("cap")
        .text()
        .await
        .expect("text");
    schema_valid(&xml);
    assert!(xml.contains("<msgType>Cancel</msgType>"));
    // Drafts are not public.
    let (_, d) = app.post(commander, "/api/v1/warnings", &draft(app)).await;
    let r = anon
        .get(app.url(&format!(
            "/api/public/warnings/{}/cap",
            d["id"].as_str().unwrap_or("")
        )))
        .send_checked()
        .await
        .expect("cap");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn the_publisher_is_a_district_rule(app: &TestApp, commander: &reqwest::Client) {
    // The issuing bureau is the district's rule: its name, sender and GB/T 35965.1 codes.
    let admin = app.login("admin").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["warning"]["publisher"] = json!({"name": "九江市浔阳区应急管理局", "sender": "yjj.360403@jiujiang.gov.cn", "organisation_code": "36", "unit_code": "0a1"});
    let (s, b) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "warning.publisher.organisation_code",
            "warning.publisher.unit_code"
        ]
    );
    rules["warning"]["publisher"]["organisation_code"] = json!("366");
    rules["warning"]["publisher"]["unit_code"] = json!("001");
    let (s, b) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, w) = app.post(commander, "/api/v1/warnings", &draft(app)).await;
    assert_eq!(w["headline"], "九江市浔阳区应急管理局发布暴雨橙色预警");
    assert_eq!(w["sender"], "yjj.360403@jiujiang.gov.cn");
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().expect("id"));
    app.post(commander, &path, &json!({"action": "submit"}))
        .await;
    let (s, w) = app.post(&admin, &path, &json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert!(
        w["identifier"]
            .as_str()
            .is_some_and(|i| i.starts_with("36040336600100_")),
        "{w}"
    );
}

async fn bad_areas_and_times_are_named(app: &TestApp) {
    let commander = app.login("commander").await;
    let now = app.clock.now_ms();
    let open = json!({"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.69], [115.98, 29.72], [115.95, 29.72]]]});
    let three = json!({"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.69], [115.95, 29.69]]]});
    let swapped = json!({"type": "Polygon", "coordinates": [[[29.69, 115.95], [29.69, 115.98], [29.72, 115.98], [29.69, 115.95]]]});
    let bow = json!({"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.72], [115.98, 29.69], [115.95, 29.72], [115.95, 29.69]]]});
    let far = json!({"type": "Polygon", "coordinates": [[[200.0, 29.69], [115.98, 29.69], [115.98, 29.72], [200.0, 29.69]]]});
    let mut many = vec![];
    for i in 0..10_001 {
        let a = i as f64 / 10_001.0 * std::f64::consts::TAU;
        many.push(json!([116.0 + 0.01 * a.cos(), 29.7 + 0.01 * a.sin()]));
    }
    many.push(many[0].clone());
    let huge = json!({"type": "Polygon", "coordinates": [many]});
    for (area, needle) in [
        (open, "未闭合"),
        (three, "至少需要 4 个"),
        (swapped, "颠倒"),
        (bow, "自相交"),
        (far, "超出"),
        (huge, "超过 10000"),
    ] {
        let mut body = draft(app);
        body["area"] = area;
        let (s, v) = app.post(&commander, "/api/v1/warnings", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{needle}: {v}");
        assert_eq!(v["details"][0]["field"], "area", "{v}");
        assert!(
            v["details"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains(needle),
            "{needle}: {v}"
        );
    }
    let mut body = draft(app);
    body["effective_at"] = json!(to_rfc3339(now + 2 * HOUR));
    body["expires_at"] = json!(to_rfc3339(now + HOUR));
    body["event_code"] = json!("meteor");
    body["level"] = json!(5);
    let (s, v) = app.post(&commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["event_code", "level", "expires_at"], "{v}");
    // By regions instead of a drawn area: the street's boundary becomes the CAP polygon.
    let mut body = draft(app);
    body.as_object_mut().expect("object").remove("area");
    body["region_codes"] = json!(["360403001"]);
    let (s, w) = app.post(&commander, "/api/v1/warnings", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    assert_eq!(w["area_desc"], "甘棠街道");
    assert!(
        w["area"]["coordinates"][0][0]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
            >= 4
    );
    assert_eq!(app.count("warnings").await, 1);
}
both!(bad_areas_and_times_are_named);

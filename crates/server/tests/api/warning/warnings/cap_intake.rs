//! CAP taken in with a token: valid samples accepted, invalid ones refused with their errors, XXE
//! refused, the same identifier idempotent, updates and cancellations applied.

use super::{HOUR, sample};
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

async fn cap_is_taken_in_with_a_token(app: &TestApp) {
    let duty = app.login("duty").await;
    let (s, t) = app
        .post(&duty, "/api/v1/tokens", &json!({"name": "气象局预警对接"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let token = t["token"].as_str().expect("token").to_string();
    let machine = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        let (machine, token, url) = (
            machine.clone(),
            token.clone(),
            app.url("/api/v1/warnings/cap"),
        );
        async move {
            let r = machine
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/cap+xml")
                .body(body)
                .send_checked()
                .await
                .expect("post");
            crate::helpers::json(r).await
        }
    };
    samples_are_taken_in_once_or_refused(app, &post).await;
    a_bureau_alert_then_its_cancel(app, &duty, &post).await;
    unmapped_events_and_callers_without_rights(app, &duty).await;
}
both!(cap_is_taken_in_with_a_token);

/// The OASIS and NOAA samples: valid ones taken in once, invalid ones refused with their errors.
async fn samples_are_taken_in_once_or_refused<F>(app: &TestApp, post: impl Fn(Vec<u8>) -> F)
where
    F: Future<Output = (StatusCode, Value)>,
{
    for name in [
        "australia.cap",
        "canada.cap",
        "earthquake-iso8859-1.cap",
        "wcatwc-warning.cap",
        "earthquake.cap",
        "weather.cap",
    ] {
        let (s, v) = post(sample(name)).await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        assert_eq!(v["created"], true);
    }
    // no_optional_fields.cap carries earthquake.cap's sender and identifier: the same message.
    let (s, v) = post(sample("no_optional_fields.cap")).await;
    assert_eq!(
        (s, v["created"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{v}"
    );
    let n = app.count("warnings").await;
    // The same message again: 200, nothing new.
    let (s, v) = post(sample("canada.cap")).await;
    assert_eq!(
        (s, v["created"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{v}"
    );
    assert_eq!(app.count("warnings").await, n);
    // Refused with their errors; nothing stored.
    for (name, code) in [
        ("invalid.cap", "MISSING_REQUIRED_ELEMENT"),
        ("noaa_errors.cap", "INVALID_REFERENCES"),
        ("xee.cap", "XML_DTD_FORBIDDEN"),
    ] {
        let (s, v) = post(sample(name)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}: {v}");
        assert!(
            v["details"]
                .as_array()
                .expect("details")
                .iter()
                .any(|d| d["code"] == code),
            "{name}: {v}"
        );
    }
    let (s, v) = post(sample("canada_errors.cap")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(app.count("warnings").await, n);
    let (s, _) = post(b"not xml at all".to_vec()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

async fn a_bureau_alert_then_its_cancel<F>(
    app: &TestApp,
    duty: &reqwest::Client,
    post: impl Fn(Vec<u8>) -> F,
) where
    F: Future<Output = (StatusCode, Value)>,
{
    // A Chinese bureau's 暴雨黄色预警, then its 解除.
    let now = app.clock.now_ms();
    let t = |ms: i64| yingji_cap::identifier::beijing_time(ms);
    let alert = |id: &str, msg: &str, refs: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{id}</identifier><sender>qxj.360400@cma</sender><sent>{}</sent>
  <status>Actual</status><msgType>{msg}</msgType><scope>Public</scope>{refs}
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Expected</urgency>
    <severity>Moderate</severity><certainty>Likely</certainty>
    <effective>{}</effective><expires>{}</expires><senderName>九江市气象台</senderName>
    <headline>九江市气象台发布暴雨黄色预警信号</headline><description>未来6小时降雨量将达50毫米以上</description>
    <area><areaDesc>浔阳区</areaDesc><geocode><valueName>GB/T 2260</valueName><value>360403</value></geocode></area>
  </info>
</alert>"#,
            t(now),
            t(now),
            t(now + 6 * HOUR)
        )
    };
    let (s, v) = post(alert("36040041600000_20260528100000_1", "Alert", "").into_bytes()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let w = &v["warning"];
    assert_eq!(
        (
            w["event_code"].as_str(),
            w["level"].as_i64(),
            w["colour"].as_str()
        ),
        (Some("rainstorm"), Some(3), Some("黄色"))
    );
    assert_eq!(w["current"], true);
    assert!(
        w["area"]["coordinates"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
            >= 1,
        "the district's boundary from its geocode"
    );
    let refs = format!(
        "<references>qxj.360400@cma,36040041600000_20260528100000_1,{}</references>",
        t(now)
    );
    let (s, v) = post(alert("36040041600000_20260528110000_1", "Cancel", &refs).into_bytes()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["superseded"].as_array().map(Vec::len), Some(1));
    let (_, list) = app.get(duty, "/api/v1/warnings?current=true").await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|w| w["sender"] != "qxj.360400@cma"),
        "{list}"
    );
}

async fn unmapped_events_and_callers_without_rights(app: &TestApp, duty: &reqwest::Client) {
    // Events nobody mapped are kept as 其他 with their words.
    let (_, all) = app.get(duty, "/api/v1/warnings?page_size=50").await;
    let quake = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|w| w["event_text"] == "Earthquake")
        .expect("earthquake")
        .clone();
    assert_eq!(quake["event_code"], "other");
    assert_eq!(quake["event_label"], "其他");
    // Without credentials: 401; a grid worker may not push warnings.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/warnings/cap"))
        .body(sample("canada.cap"))
        .send_checked()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let grid = app.login("grid").await;
    let r = grid
        .post(app.url("/api/v1/warnings/cap"))
        .body(sample("canada.cap"))
        .send_checked()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

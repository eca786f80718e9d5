//! Telemetry over MQTT with a real client (rumqttc): gateways log in to the embedded broker with
//! their code and secret, are held to their own topic and sensors, and get PUBACK only once the
//! readings are committed. The same bridge runs against Debian's mosquitto when CI starts one
//! (YINGJI_TEST_MQTT_EXTERNAL=host:port). Offline and rate-of-change alarms are here too.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use rumqttc::{
    AsyncClient, ConnectReturnCode, ConnectionError, Event, EventLoop, MqttOptions, Packet, QoS,
};
use serde_json::{Value, json};
use std::time::Duration;
use yingji_core::kernel::clock::Clock;

async fn connect(
    addr: (&str, u16),
    id: &str,
    login: Option<(&str, &str)>,
) -> Result<(AsyncClient, EventLoop), ConnectionError> {
    let mut opts = MqttOptions::new(id, addr.0, addr.1);
    opts.set_keep_alive(Duration::from_secs(5));
    if let Some((user, pass)) = login {
        opts.set_credentials(user, pass);
    }
    let (client, mut events) = AsyncClient::new(opts, 100);
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::ConnAck(_)))) => return Ok((client, events)),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => panic!("no CONNACK within 10 s"),
        }
    }
}

/// Publishes at QoS 1 and waits for the broker's PUBACK.
async fn publish_acked(client: &AsyncClient, events: &mut EventLoop, topic: &str, body: Value) {
    client
        .publish(topic, QoS::AtLeastOnce, false, body.to_string())
        .await
        .expect("publish");
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::PubAck(_)))) => return,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("connection failed: {e}"),
            Err(_) => panic!("no PUBACK within 10 s"),
        }
    }
}

pub(super) fn reading(sensor: &str, at_ms: i64, value: Value) -> Value {
    json!({"sensor": sensor, "ts": at_ms, "value": value})
}

/// Registers a tank level sensor and a gateway for the demo enterprise; returns the gateway
/// code and secret.
pub(super) async fn sensor_and_gateway(
    app: &TestApp,
    sensor: &str,
    gateway: &str,
) -> (String, String) {
    let ent = app.login("enterprise").await;
    let s = json!({"code": sensor, "name": "储罐液位", "kind": "level", "unit": "m", "object_name": "储罐区",
        "threshold_h": "17", "threshold_hh": "18.5", "hysteresis": "0.5", "rate_limit": "3", "offline_after_s": 60});
    let (st, b) = app.post(&ent, "/api/v1/sensors", &s).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (st, g) = app
        .post(
            &ent,
            "/api/v1/gateways",
            &json!({"code": gateway, "name": "罐区采集网关"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    assert_eq!(g["topic"], format!("yj/{gateway}/readings"));
    (
        gateway.to_string(),
        g["secret"].as_str().expect("secret").to_string(),
    )
}

pub(super) async fn readings_of(app: &TestApp, sensor: &str) -> i64 {
    let mut q = yingji_store::Sql::new(
        "SELECT COUNT(*) FROM readings r JOIN sensors s ON s.no = r.sensor_no WHERE s.code = ",
    );
    q.bind(sensor);
    app.store.fetch_i64(q).await.expect("count")
}

async fn mqtt_ingest(app: &TestApp) {
    let (gw, secret) = sensor_and_gateway(app, "LT-M1", "GW-M1").await;
    let addr = ("127.0.0.1", app.mqtt.port());
    // Wrong secret: refused at CONNECT.
    match connect(addr, "c0", Some((&gw, "wrong"))).await {
        Err(ConnectionError::ConnectionRefused(code)) => {
            assert_eq!(code, ConnectReturnCode::BadUserNamePassword)
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
    let (client, mut events) = connect(addr, "c1", Some((&gw, &secret)))
        .await
        .expect("login");
    let topic = format!("yj/{gw}/readings");
    let now = app.clock.now_ms();
    publish_acked(
        &client,
        &mut events,
        &topic,
        json!([
            reading("LT-M1", now - 2000, json!(10)),
            reading("LT-M1", now - 1000, json!("18.7"))
        ]),
    )
    .await;
    // PUBACK comes after the commit: the readings and the HH incident are already there.
    assert_eq!(readings_of(app, "LT-M1").await, 2);
    let ent = app.login("enterprise").await;
    let (_, alarms) = app.get(&ent, "/api/v1/alarms").await;
    let levels: Vec<&str> = alarms["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|a| a["level"].as_str())
        .collect();
    assert!(levels.contains(&"HH"), "{alarms}");
    // Resent (QoS 1 redelivery): idempotent.
    publish_acked(
        &client,
        &mut events,
        &topic,
        json!(reading("LT-M1", now - 1000, json!("18.7"))),
    )
    .await;
    assert_eq!(readings_of(app, "LT-M1").await, 2);
    // Another gateway's topic, junk, and a sensor that is not the gateway's: acknowledged (3.1.1
    // cannot refuse), counted, nothing stored.
    publish_acked(
        &client,
        &mut events,
        "yj/OTHER/readings",
        json!(reading("LT-M1", now, json!(1))),
    )
    .await;
    publish_acked(
        &client,
        &mut events,
        &topic,
        json!({"sensor": "LT-M1", "ts": now, "value": "NaN"}),
    )
    .await;
    publish_acked(
        &client,
        &mut events,
        &topic,
        json!(reading("NOT-MINE", now, json!(1))),
    )
    .await;
    assert_eq!(readings_of(app, "LT-M1").await, 2);
    let (_, stats) = app.get(&ent, "/api/v1/ingest/stats").await;
    assert_eq!(stats["refused_topics"], 1, "{stats}");
    assert_eq!(stats["malformed"], 1, "{stats}");
    assert_eq!(stats["refused_sensors"], 1, "{stats}");
    assert_eq!(stats["duplicates"], 1, "{stats}");
    let (_, list) = app.get(&ent, "/api/v1/gateways").await;
    let g = &list["items"][0];
    assert_eq!(g["code"], gw.as_str());
    assert!(g["last_seen_ms"].is_i64(), "{g}");
    assert!(
        g["last_error"]
            .as_str()
            .expect("fault")
            .contains("NOT-MINE"),
        "{g}"
    );
    client.disconnect().await.ok();

    // HTTP ingest with the same credentials (Basic); a wrong secret is 401.
    let http = reqwest::Client::new();
    let body = json!([reading("LT-M1", now + 1000, json!(10))]);
    let r = http
        .post(app.url("/api/v1/readings"))
        .basic_auth(&gw, Some(&secret))
        .json(&body)
        .send_checked()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let r = http
        .post(app.url("/api/v1/readings"))
        .basic_auth(&gw, Some("nope"))
        .json(&body)
        .send_checked()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.expect("json");
    assert!(v.to_string().contains("网关"), "{v}");

    // A switched-off gateway cannot log in; a reset secret replaces the old one.
    let id = g["id"].as_str().expect("id");
    let (s, _) = app
        .post(&ent, &format!("/api/v1/gateways/{id}/secret"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        connect(addr, "c2", Some((&gw, &secret))).await.is_err(),
        "old secret still works"
    );
    let r = ent
        .patch(app.url(&format!("/api/v1/gateways/{id}")))
        .json(&json!({"active": false}))
        .send_checked()
        .await
        .expect("patch");
    assert_eq!(r.status(), StatusCode::OK);
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=gateway",
        )
        .await;
    assert!(audit.to_string().contains("停用采集网关"), "{audit}");
}
both!(mqtt_ingest);

/// Bad gateway registrations name their field.
async fn gateway_refusals(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let (s, b) = app
        .post(
            &ent,
            "/api/v1/gateways",
            &json!({"code": "有/空格 #", "name": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields = b.to_string();
    assert!(
        fields.contains("\"code\"") && fields.contains("\"name\""),
        "{b}"
    );
    let (s, _) = app
        .post(
            &ent,
            "/api/v1/gateways",
            &json!({"code": "GW-D", "name": "网关"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, b) = app
        .post(
            &ent,
            "/api/v1/gateways",
            &json!({"code": "GW-D", "name": "网关"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let grid = app.login("grid").await;
    let (s, _) = app
        .post(
            &grid,
            "/api/v1/gateways",
            &json!({"code": "GW-G", "name": "网关"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
both!(gateway_refusals);

/// A sensor silent past its timeout raises one 离线 incident, which the next reading resolves;
/// a change faster than the rate limit raises 变化速率超限.
async fn offline_and_rate(app: &TestApp) {
    let (gw, secret) = sensor_and_gateway(app, "LT-O1", "GW-O1").await;
    let auth = |b: reqwest::RequestBuilder| b.basic_auth(&gw, Some(&secret));
    let http = reqwest::Client::new();
    let send = |body: Value| {
        let req = auth(http.post(app.url("/api/v1/readings"))).json(&body);
        async move {
            let r = req.send_checked().await.expect("post");
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.expect("json")
        }
    };
    let t0 = app.clock.now_ms();
    send(json!([reading("LT-O1", t0, json!(10))])).await;
    // 59 s of silence: nothing; 61 s: offline, once however often the sweep runs.
    app.clock.advance(59_000);
    let opened = yingji_store::monitoring::sweep_offline(&app.store, app.clock.now_ms())
        .await
        .expect("sweep");
    assert!(opened.is_empty());
    app.clock.advance(2_000);
    let now = app.clock.now_ms();
    let opened = yingji_store::monitoring::sweep_offline(&app.store, now)
        .await
        .expect("sweep");
    assert_eq!(opened.len(), 1);
    let again = yingji_store::monitoring::sweep_offline(&app.store, now)
        .await
        .expect("sweep");
    assert!(again.is_empty());
    let ent = app.login("enterprise").await;
    let (_, a) = app
        .get(&ent, &format!("/api/v1/alarms/{}", opened[0]))
        .await;
    assert_eq!(a["level"], "OFFLINE", "{a}");
    // Back: the reading resolves the offline incident (the ingest writer's cached state, from
    // before the sweep, is caught by the state update and read again). +2 in 3 s is 40 per
    // minute: too fast.
    let r = send(json!([
        reading("LT-O1", now, json!(10)),
        reading("LT-O1", now + 3000, json!(12))
    ]))
    .await;
    assert_eq!(r["alarms_resolved"], 1, "{r}");
    assert_eq!(r["alarms_opened"], 1, "{r}");
    let (_, a) = app
        .get(&ent, &format!("/api/v1/alarms/{}", opened[0]))
        .await;
    assert!(a["resolved_ms"].is_i64(), "{a}");
    let (_, s) = app.get(&ent, "/api/v1/sensors").await;
    let sensor = s["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|x| x["code"] == "LT-O1")
        .expect("sensor")
        .clone();
    assert_eq!(sensor["active_levels"], json!(["RATE"]), "{sensor}");
    assert_eq!(sensor["rate_limit"], "3");
    // Steady again: the rate incident resolves.
    let r = send(json!([reading("LT-O1", now + 63_000, json!(12.5))])).await;
    assert_eq!(r["alarms_resolved"], 1, "{r}");
}
both!(offline_and_rate);

/// The bridge takes readings from an external broker (Debian's mosquitto, started by .ci/run)
/// and acknowledges them after the commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_broker_bridge() {
    let Some(addr) = std::env::var("YINGJI_TEST_MQTT_EXTERNAL")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        eprintln!("YINGJI_TEST_MQTT_EXTERNAL not set: external broker test skipped");
        return;
    };
    let (host, port) = addr.rsplit_once(':').expect("host:port");
    let port: u16 = port.parse().expect("port");
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (gw, _) = sensor_and_gateway(&app, "LT-X1", &format!("GW-X{}", std::process::id())).await;
    let bridge = yingji_ingest::mqtt::bridge::BridgeConfig {
        host: host.into(),
        port,
        client_id: format!("yingji-test-{}", std::process::id()),
        username: None,
        password: None,
        share_group: String::new(),
        session_expiry_s: 60,
    };
    tokio::spawn(yingji_ingest::mqtt::bridge::run(bridge, app.ingest.clone()));
    // Publish through mosquitto, as a gateway would, until the bridge has subscribed.
    let (client, mut events) = connect((host, port), &format!("gw-{}", std::process::id()), None)
        .await
        .expect("mosquitto login");
    let now = app.clock.now_ms();
    for i in 0..100 {
        publish_acked(
            &client,
            &mut events,
            &format!("yj/{gw}/readings"),
            json!(reading("LT-X1", now - 10_000 + i, json!(10))),
        )
        .await;
        if readings_of(&app, "LT-X1").await > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no reading arrived through the external broker");
}

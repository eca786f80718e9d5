//! The embedded broker with an MQTT 5 client (rumqttc::v5): the same login, topic rule and
//! PUBACK after the commit as 3.1.1, with reason codes where MQTT 5 has them. Unknown protocol
//! levels are refused with the CONNACK of their family.

use super::mqtt::{reading, readings_of, sensor_and_gateway};
use crate::both;
use crate::helpers::TestApp;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{ConnectReturnCode, Packet, PubAckReason, SubscribeReasonCode};
use rumqttc::v5::{AsyncClient, ConnectionError, Event, EventLoop, MqttOptions};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use yingji_core::kernel::clock::Clock;

async fn connect(
    port: u16,
    id: &str,
    login: Option<(&str, &str)>,
) -> Result<(AsyncClient, EventLoop), ConnectionError> {
    let mut opts = MqttOptions::new(id, "127.0.0.1", port);
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

/// Publishes at QoS 1 and returns the reason code of the broker's PUBACK.
async fn publish(
    client: &AsyncClient,
    events: &mut EventLoop,
    topic: &str,
    body: Value,
) -> PubAckReason {
    client
        .publish(topic, QoS::AtLeastOnce, false, body.to_string())
        .await
        .expect("publish");
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::PubAck(ack)))) => return ack.reason,
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("connection failed: {e}"),
            Err(_) => panic!("no PUBACK within 10 s"),
        }
    }
}

fn refusal(r: Result<(AsyncClient, EventLoop), ConnectionError>) -> ConnectReturnCode {
    match r {
        Err(ConnectionError::ConnectionRefused(code)) => code,
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
}

async fn mqtt5_ingest(app: &TestApp) {
    let (gw, secret) = sensor_and_gateway(app, "LT-V1", "GW-V1").await;
    let port = app.mqtt.port();
    let code = refusal(connect(port, "v0", Some((&gw, "wrong"))).await);
    assert_eq!(code, ConnectReturnCode::BadUserNamePassword);
    let code = refusal(connect(port, "v0", None).await);
    assert_eq!(code, ConnectReturnCode::NotAuthorized);

    let (client, mut events) = connect(port, "v1", Some((&gw, &secret)))
        .await
        .expect("login");
    let topic = format!("yj/{gw}/readings");
    let now = app.clock.now_ms();
    let body = json!([
        reading("LT-V1", now - 2000, json!(10)),
        reading("LT-V1", now - 1000, json!("18.7"))
    ]);
    let r = publish(&client, &mut events, &topic, body).await;
    assert_eq!(r, PubAckReason::Success);
    // PUBACK comes after the commit.
    assert_eq!(readings_of(app, "LT-V1").await, 2);
    // Another gateway's topic: 0x87; junk: 0x99; nothing stored, both counted.
    let r = publish(
        &client,
        &mut events,
        "yj/OTHER/readings",
        json!(reading("LT-V1", now, json!(1))),
    )
    .await;
    assert_eq!(r, PubAckReason::NotAuthorized);
    let junk = json!({"sensor": "LT-V1", "ts": now, "value": "NaN"});
    let r = publish(&client, &mut events, &topic, junk).await;
    assert_eq!(r, PubAckReason::PayloadFormatInvalid);
    assert_eq!(readings_of(app, "LT-V1").await, 2);
    let ent = app.login("enterprise").await;
    let (_, stats) = app.get(&ent, "/api/v1/ingest/stats").await;
    assert_eq!(stats["refused_topics"], 1, "{stats}");
    assert_eq!(stats["malformed"], 1, "{stats}");
    // Subscriptions are refused with a reason code.
    client
        .subscribe("yj/#", QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::SubAck(s)))) => {
                assert_eq!(s.return_codes, vec![SubscribeReasonCode::Unspecified]);
                break;
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("connection failed: {e}"),
            Err(_) => panic!("no SUBACK within 10 s"),
        }
    }
    // Still connected: a further reading is stored and acknowledged.
    let r = publish(
        &client,
        &mut events,
        &topic,
        json!(reading("LT-V1", now, json!(11))),
    )
    .await;
    assert_eq!(r, PubAckReason::Success);
    assert_eq!(readings_of(app, "LT-V1").await, 3);
    client.disconnect().await.ok();
}
both!(mqtt5_ingest);

/// Sends a bare CONNECT of `level` and returns what the broker answers before closing.
async fn raw_connect(port: u16, level: u8) -> Vec<u8> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    // MQTT 5 has an (empty) property list before the client id.
    let props: &[u8] = if level == 5 { &[0] } else { &[] };
    let body = [
        &[0, 4][..],
        b"MQTT",
        &[level, 0b10, 0, 30],
        props,
        &[0, 1, b'x'],
    ]
    .concat();
    let packet = [&[0x10, body.len() as u8][..], &body].concat();
    s.write_all(&packet).await.expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("closed within 10 s")
        .ok();
    out
}

/// Levels 3, 4 and 5 are spoken; an older unknown level gets the 3.1.1 refusal (0x01), a newer
/// one the MQTT 5 refusal (0x84 Unsupported Protocol Version).
async fn mqtt_protocol_levels(app: &TestApp) {
    let port = app.mqtt.port();
    assert_eq!(raw_connect(port, 2).await, [0x20, 2, 0, 0x01]);
    assert_eq!(raw_connect(port, 6).await, [0x20, 3, 0, 0x84, 0]);
    // Known levels without a login: 3.1.1 answers 4, MQTT 5 0x87 Not Authorized.
    assert_eq!(raw_connect(port, 4).await, [0x20, 2, 0, 4]);
    assert_eq!(raw_connect(port, 5).await, [0x20, 3, 0, 0x87, 0]);
}
both!(mqtt_protocol_levels);

//! Codec tests: round trips, partial and hostile input, MQTT 5 properties.

use super::*;
use proptest::prelude::*;

#[test]
fn connect_round_trip() {
    let f = connect("gw-1", "GW1", "secret", 30);
    let (p, used) = decode(&f, 1024, false).expect("ok").expect("whole");
    assert_eq!(used, f.len());
    let Packet::Connect(c) = p else {
        panic!("not a connect")
    };
    assert_eq!(c.level, 4);
    assert_eq!(c.client_id, "gw-1");
    assert_eq!(c.username.as_deref(), Some("GW1"));
    assert_eq!(c.password.as_deref(), Some(&b"secret"[..]));
    assert_eq!(c.keep_alive, 30);
    assert!(c.clean_session);
}

#[test]
fn partial_oversize_and_junk() {
    let f = publish("yj/GW1/readings", 1, 7, b"{}");
    for cut in 0..f.len() {
        assert_eq!(decode(&f[..cut], 1024, false), Ok(None), "cut at {cut}");
    }
    assert_eq!(decode(&f, 4, false), Err(CodecError::TooLarge(f.len() - 2)));
    assert!(decode(&[0xf0, 0], 1024, false).is_err(), "reserved type 15");
    assert!(decode(&[0x36, 2, 0, 0], 1024, false).is_err(), "QoS 3");
    assert!(decode(&[0x30, 0xff, 0xff, 0xff, 0xff, 1], usize::MAX, false).is_err());
    assert!(
        decode(&[0x82, 2, 0, 1], 1024, false).is_err(),
        "subscribe without topics"
    );
}

/// An MQTT 5 PUBLISH with the given raw property list (length included).
fn publish_v5(topic: &str, qos: u8, id: u16, props: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    put_str(&mut body, topic.as_bytes());
    if qos > 0 {
        body.extend_from_slice(&id.to_be_bytes());
    }
    body.extend_from_slice(props);
    body.extend_from_slice(payload);
    frame(0x30 | (qos << 1), &body).to_vec()
}

#[test]
fn connect_v5_with_properties_and_will() {
    let f = connect_v5("gw-5", "GW5", "secret", 60);
    let Packet::Connect(c) = decode(&f, 1024, false).expect("ok").expect("whole").0 else {
        panic!("not a connect")
    };
    assert_eq!((c.level, c.client_id.as_str()), (5, "gw-5"));
    assert_eq!(c.username.as_deref(), Some("GW5"));
    assert_eq!(c.password.as_deref(), Some(&b"secret"[..]));
    assert!(c.clean_session && !c.auth_method);
    // Session expiry, receive maximum and a user property; a will with its own properties.
    let mut body = Vec::new();
    put_str(&mut body, b"MQTT");
    body.extend_from_slice(&[5, 0b1100_0110, 0, 30]);
    let props = [0x11, 0, 0, 0, 10, 0x21, 0, 8, 0x26, 0, 1, b'k', 0, 1, b'v'];
    body.push(props.len() as u8);
    body.extend_from_slice(&props);
    put_str(&mut body, b"gw-6");
    body.extend_from_slice(&[7, 0x18, 0, 0, 0, 5, 0x01, 1]); // will delay, format
    put_str(&mut body, b"yj/GW6/status");
    put_str(&mut body, b"offline");
    put_str(&mut body, b"GW6");
    put_str(&mut body, b"pw");
    let Packet::Connect(c) = decode(&frame(0x10, &body), 1024, false)
        .expect("ok")
        .expect("whole")
        .0
    else {
        panic!("not a connect")
    };
    assert_eq!(c.client_id, "gw-6");
    assert_eq!(c.username.as_deref(), Some("GW6"));
    // Enhanced authentication is noticed, for the broker to refuse.
    let mut body = Vec::new();
    put_str(&mut body, b"MQTT");
    body.extend_from_slice(&[5, 0b0000_0010, 0, 30, 7, 0x15, 0, 4]);
    body.extend_from_slice(b"SCRA");
    put_str(&mut body, b"x");
    let Packet::Connect(c) = decode(&frame(0x10, &body), 1024, false)
        .expect("ok")
        .expect("whole")
        .0
    else {
        panic!("not a connect")
    };
    assert!(c.auth_method);
    // An unknown level is returned for the broker to refuse, whatever follows.
    let mut body = Vec::new();
    put_str(&mut body, b"MQTT");
    body.extend_from_slice(&[6, 0b10, 0, 30, 0xff]);
    let Packet::Connect(c) = decode(&frame(0x10, &body), 1024, false)
        .expect("ok")
        .expect("whole")
        .0
    else {
        panic!("not a connect")
    };
    assert_eq!(c.level, 6);
}

#[test]
fn publish_v5_properties() {
    // Payload format, message expiry, content type, correlation data, user property: skipped.
    let props = [
        &[25u8, 0x01, 1, 0x02, 0, 0, 0, 60, 0x03, 0, 4][..],
        b"json",
        &[0x09, 0, 1, 7, 0x26, 0, 1, b'a', 0, 1, b'b'],
    ]
    .concat();
    let f = publish_v5("yj/GW5/readings", 1, 9, &props, b"{\"v\":1}");
    let (p, used) = decode(&f, 1024, true).expect("ok").expect("whole");
    assert_eq!(used, f.len());
    let Packet::Publish(p) = p else {
        panic!("not a publish")
    };
    assert_eq!(
        (p.topic.as_str(), p.packet_id),
        ("yj/GW5/readings", Some(9))
    );
    assert_eq!(&p.payload[..], b"{\"v\":1}");
    // The same bytes read as 3.1.1 keep the property bytes in the payload.
    let Packet::Publish(p) = decode(&f, 1024, false).expect("ok").expect("whole").0 else {
        panic!("not a publish")
    };
    assert_eq!(p.payload.len(), props.len() + 7);
    // No properties, QoS 0.
    let f = publish_v5("yj/GW5/readings", 0, 0, &[0], b"[]");
    let Packet::Publish(p) = decode(&f, 1024, true).expect("ok").expect("whole").0 else {
        panic!("not a publish")
    };
    assert_eq!(&p.payload[..], b"[]");
}

#[test]
fn malformed_v5_properties_are_refused() {
    let bad: [(&[u8], &str); 7] = [
        (&[0x80, 0x80, 0x80, 0x80, 0x01], "varint over 4 bytes"),
        (&[0xff, 0xff, 0xff, 0x7f], "268 MB property list"),
        (&[10, 0x01, 1], "list longer than the packet"),
        (&[3, 0x03, 0xff, 0xff], "string longer than the list"),
        (&[2, 0x02, 0], "u32 cut short"),
        (&[2, 0x7f, 0], "unknown identifier"),
        (&[3, 0x23, 0, 1], "topic alias (none offered)"),
    ];
    for (props, why) in bad {
        let f = publish_v5("yj/GW5/readings", 1, 1, props, b"");
        assert!(
            matches!(decode(&f, 1024, true), Err(CodecError::Malformed(_))),
            "{why}"
        );
    }
    // Empty topic (it would need an alias), a property list cut short at the end.
    assert!(decode(&publish_v5("", 0, 0, &[0], b"{}"), 1024, true).is_err());
    assert!(decode(&publish_v5("t", 0, 0, &[0x85], b""), 1024, true).is_err());
    // A hostile remaining length is refused before anything is read or allocated.
    let huge = [0x30, 0xff, 0xff, 0xff, 0x7f];
    assert_eq!(
        decode(&huge, 512 * 1024, true),
        Err(CodecError::TooLarge(268_435_455))
    );
}

#[test]
fn subscribe_and_acks_v5() {
    // SUBSCRIBE id 3, a subscription identifier property, two filters with options.
    let mut body = vec![0, 3, 2, 0x0b, 5];
    put_str(&mut body, b"a/#");
    body.push(0b0010_1101);
    put_str(&mut body, b"b");
    body.push(1);
    let f = frame(0x82, &body);
    let (p, _) = decode(&f, 1024, true).expect("ok").expect("whole");
    assert_eq!(
        p,
        Packet::Subscribe {
            packet_id: 3,
            filters: 2
        }
    );
    let mut reserved = body.clone();
    *reserved.last_mut().expect("options") = 0x41;
    assert!(
        decode(&frame(0x82, &reserved), 1024, true).is_err(),
        "reserved bits"
    );
    let mut body = vec![0, 4, 0];
    put_str(&mut body, b"a/#");
    let (p, _) = decode(&frame(0xa2, &body), 1024, true)
        .expect("ok")
        .expect("whole");
    assert_eq!(
        p,
        Packet::Unsubscribe {
            packet_id: 4,
            filters: 1
        }
    );
    // PUBREL and DISCONNECT with reason codes and properties.
    let (p, _) = decode(&[0x62, 4, 0, 5, 0x92, 0], 1024, true)
        .expect("ok")
        .expect("whole");
    assert_eq!(p, Packet::PubRel(5));
    let (p, _) = decode(&[0xe0, 2, 0x04, 0], 1024, true)
        .expect("ok")
        .expect("whole");
    assert_eq!(p, Packet::Disconnect);
    // What the broker writes.
    assert_eq!(
        &ack_v5(0x40, 0x0102, reason::NOT_AUTHORIZED)[..],
        &[0x40, 4, 1, 2, 0x87, 0]
    );
    assert_eq!(
        &suback_refused_v5(3, 2)[..],
        &[0x90, 5, 0, 3, 0, 0x80, 0x80]
    );
    assert_eq!(&unsuback_v5(4, 1)[..], &[0xb0, 4, 0, 4, 0, 0x11]);
    assert_eq!(
        &disconnect_v5(reason::PACKET_TOO_LARGE)[..],
        &[0xe0, 2, 0x95, 0]
    );
    assert_eq!(
        &connack_v5(reason::BAD_CREDENTIALS, &ConnackProps::default())[..],
        &[0x20, 3, 0, 0x86, 0]
    );
    let props = ConnackProps {
        receive_maximum: 64,
        maximum_packet_size: 1024,
        assigned_client_id: Some("x".into()),
    };
    assert_eq!(
        &connack_v5(0, &props)[..],
        &[
            0x20, 15, 0, 0, 12, 0x21, 0, 64, 0x27, 0, 0, 4, 0, 0x12, 0, 1, b'x'
        ]
    );
    assert_eq!(reason::of_connack(connack::BAD_PROTOCOL), 0x84);
}

proptest! {
    #[test]
    fn publish_round_trip(topic in "[a-z/]{1,40}", qos in 0u8..3, id in 1u16.., body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let f = publish(&topic, qos, id, &body);
        let (p, used) = decode(&f, 1 << 20, false).expect("ok").expect("whole");
        prop_assert_eq!(used, f.len());
        let Packet::Publish(p) = p else { panic!("not a publish") };
        prop_assert_eq!(p.topic, topic);
        prop_assert_eq!(p.qos, qos);
        prop_assert_eq!(p.packet_id, (qos > 0).then_some(id));
        prop_assert_eq!(&p.payload[..], &body[..]);
    }

    #[test]
    fn publish_v5_round_trip(qos in 0u8..3, id in 1u16.., users in 0usize..20, body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut props = Vec::new();
        for _ in 0..users {
            props.extend_from_slice(&[0x26, 0, 1, b'k', 0, 2, b'v', b'v']);
        }
        let mut list = Vec::new();
        put_varint(&mut list, props.len());
        list.extend_from_slice(&props);
        let f = publish_v5("yj/GW/readings", qos, id, &list, &body);
        let (p, used) = decode(&f, 1 << 20, true).expect("ok").expect("whole");
        prop_assert_eq!(used, f.len());
        let Packet::Publish(p) = p else { panic!("not a publish") };
        prop_assert_eq!(&p.payload[..], &body[..]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = decode(&bytes, 1 << 16, false);
        let _ = decode(&bytes, 1 << 16, true);
    }
}

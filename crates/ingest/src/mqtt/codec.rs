//! MQTT 3.1.1 packets (OASIS mqtt-v3.1.1, §2–§3), as far as an ingest broker needs them: the
//! client's CONNECT, PUBLISH, PUBREL, SUBSCRIBE, UNSUBSCRIBE, PINGREQ and DISCONNECT are read;
//! the broker's CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK and PINGRESP are written.
//! CONNECT and PUBLISH are also written, for load generators and tests.

use bytes::{Buf, BufMut, Bytes, BytesMut};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    /// 4 for MQTT 3.1.1, 3 for 3.1, 5 for MQTT 5 (refused).
    pub level: u8,
    pub client_id: String,
    pub clean_session: bool,
    pub keep_alive: u16,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub qos: u8,
    pub retain: bool,
    pub dup: bool,
    pub topic: String,
    pub packet_id: Option<u16>,
    pub payload: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet {
    Connect(Connect),
    Publish(Publish),
    PubRel(u16),
    Subscribe { packet_id: u16, filters: usize },
    Unsubscribe(u16),
    PingReq,
    Disconnect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// The announced packet is larger than the broker accepts.
    TooLarge(usize),
    /// Anything else that breaks the protocol; the connection is closed.
    Malformed(&'static str),
}

/// CONNACK return codes (§3.2.2.3).
pub mod connack {
    pub const ACCEPTED: u8 = 0;
    pub const BAD_PROTOCOL: u8 = 1;
    pub const ID_REJECTED: u8 = 2;
    pub const BAD_CREDENTIALS: u8 = 4;
    pub const NOT_AUTHORIZED: u8 = 5;
}

/// Reads one packet from the front of `buf`, if a whole one is there. Returns the packet and
/// the bytes it took.
pub fn decode(buf: &[u8], max_bytes: usize) -> Result<Option<(Packet, usize)>, CodecError> {
    let Some(&first) = buf.first() else {
        return Ok(None);
    };
    let mut len: usize = 0;
    let mut header = 1;
    loop {
        let Some(&b) = buf.get(header) else {
            return Ok(None);
        };
        len |= usize::from(b & 0x7f) << (7 * (header - 1));
        header += 1;
        if b & 0x80 == 0 {
            break;
        }
        if header > 4 {
            return Err(CodecError::Malformed("剩余长度超过 4 字节"));
        }
    }
    if len > max_bytes {
        return Err(CodecError::TooLarge(len));
    }
    let total = header + len;
    if buf.len() < total {
        return Ok(None);
    }
    let body = Bytes::copy_from_slice(&buf[header..total]);
    let packet = parse(first, body)?;
    Ok(Some((packet, total)))
}

fn parse(first: u8, mut b: Bytes) -> Result<Packet, CodecError> {
    let flags = first & 0x0f;
    let kind = first >> 4;
    let need_flags = |want: u8| {
        if flags == want {
            Ok(())
        } else {
            Err(CodecError::Malformed("固定报头标志位错误"))
        }
    };
    Ok(match kind {
        1 => {
            need_flags(0)?;
            Packet::Connect(parse_connect(&mut b)?)
        }
        3 => {
            let qos = (flags >> 1) & 0b11;
            if qos == 3 {
                return Err(CodecError::Malformed("QoS 不能为 3"));
            }
            let topic = string(&mut b)?;
            let packet_id = if qos > 0 { Some(u16_of(&mut b)?) } else { None };
            Packet::Publish(Publish {
                qos,
                retain: flags & 1 == 1,
                dup: flags & 0b1000 != 0,
                topic,
                packet_id,
                payload: b,
            })
        }
        6 => {
            need_flags(0b0010)?;
            Packet::PubRel(u16_of(&mut b)?)
        }
        8 => {
            need_flags(0b0010)?;
            let packet_id = u16_of(&mut b)?;
            let mut filters = 0;
            while b.has_remaining() {
                string(&mut b)?;
                if !b.has_remaining() {
                    return Err(CodecError::Malformed("订阅缺少 QoS"));
                }
                b.advance(1);
                filters += 1;
            }
            if filters == 0 {
                return Err(CodecError::Malformed("订阅没有主题"));
            }
            Packet::Subscribe { packet_id, filters }
        }
        10 => {
            need_flags(0b0010)?;
            Packet::Unsubscribe(u16_of(&mut b)?)
        }
        12 => Packet::PingReq,
        14 => Packet::Disconnect,
        _ => return Err(CodecError::Malformed("不支持的报文类型")),
    })
}

fn parse_connect(b: &mut Bytes) -> Result<Connect, CodecError> {
    let name = string(b)?;
    if b.remaining() < 4 {
        return Err(CodecError::Malformed("CONNECT 报文过短"));
    }
    let level = b.get_u8();
    let flags = b.get_u8();
    let keep_alive = b.get_u16();
    // A wrong name is a protocol violation; an unsupported level is answered by the broker.
    if name != "MQTT" && name != "MQIsdp" {
        return Err(CodecError::Malformed("协议名不是 MQTT"));
    }
    if flags & 1 != 0 {
        return Err(CodecError::Malformed("CONNECT 保留位不为 0"));
    }
    if level == 5 {
        // MQTT 5 has properties here; the caller refuses the level before looking further.
        return Ok(Connect {
            level,
            client_id: String::new(),
            clean_session: true,
            keep_alive,
            username: None,
            password: None,
        });
    }
    let client_id = string(b)?;
    if flags & 0b100 != 0 {
        string(b)?; // will topic
        bytes_of(b)?; // will message: never published, gateways have nobody listening
    }
    let username = if flags & 0x80 != 0 {
        Some(string(b)?)
    } else {
        None
    };
    let password = if flags & 0x40 != 0 {
        Some(bytes_of(b)?.to_vec())
    } else {
        None
    };
    Ok(Connect {
        level,
        client_id,
        clean_session: flags & 0b10 != 0,
        keep_alive,
        username,
        password,
    })
}

fn u16_of(b: &mut Bytes) -> Result<u16, CodecError> {
    if b.remaining() < 2 {
        return Err(CodecError::Malformed("报文过短"));
    }
    Ok(b.get_u16())
}

fn bytes_of(b: &mut Bytes) -> Result<Bytes, CodecError> {
    let n = usize::from(u16_of(b)?);
    if b.remaining() < n {
        return Err(CodecError::Malformed("字段长度超出报文"));
    }
    Ok(b.split_to(n))
}

fn string(b: &mut Bytes) -> Result<String, CodecError> {
    let raw = bytes_of(b)?;
    String::from_utf8(raw.to_vec()).map_err(|_| CodecError::Malformed("字符串不是 UTF-8"))
}

// ---- writing ----

fn frame(first: u8, body: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(body.len() + 5);
    out.put_u8(first);
    let mut len = body.len();
    loop {
        let mut byte = (len % 128) as u8;
        len /= 128;
        if len > 0 {
            byte |= 0x80;
        }
        out.put_u8(byte);
        if len == 0 {
            break;
        }
    }
    out.put_slice(body);
    out.freeze()
}

pub fn connack(return_code: u8) -> Bytes {
    frame(0x20, &[0, return_code])
}

pub fn puback(packet_id: u16) -> Bytes {
    frame(0x40, &packet_id.to_be_bytes())
}

pub fn pubrec(packet_id: u16) -> Bytes {
    frame(0x50, &packet_id.to_be_bytes())
}

pub fn pubcomp(packet_id: u16) -> Bytes {
    frame(0x70, &packet_id.to_be_bytes())
}

/// Every filter refused (0x80): the broker takes readings in and sends nothing out.
pub fn suback_refused(packet_id: u16, filters: usize) -> Bytes {
    let mut body = packet_id.to_be_bytes().to_vec();
    body.extend(std::iter::repeat_n(0x80, filters));
    frame(0x90, &body)
}

pub fn unsuback(packet_id: u16) -> Bytes {
    frame(0xb0, &packet_id.to_be_bytes())
}

pub fn pingresp() -> Bytes {
    frame(0xd0, &[])
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
    out.extend_from_slice(s);
}

/// A 3.1.1 CONNECT with a clean session and user name and password.
pub fn connect(client_id: &str, username: &str, password: &str, keep_alive: u16) -> Bytes {
    let mut body = Vec::new();
    put_str(&mut body, b"MQTT");
    body.extend_from_slice(&[4, 0b1100_0010]);
    body.extend_from_slice(&keep_alive.to_be_bytes());
    put_str(&mut body, client_id.as_bytes());
    put_str(&mut body, username.as_bytes());
    put_str(&mut body, password.as_bytes());
    frame(0x10, &body)
}

pub fn publish(topic: &str, qos: u8, packet_id: u16, payload: &[u8]) -> Bytes {
    let mut body = Vec::with_capacity(topic.len() + payload.len() + 4);
    put_str(&mut body, topic.as_bytes());
    if qos > 0 {
        body.extend_from_slice(&packet_id.to_be_bytes());
    }
    body.extend_from_slice(payload);
    frame(0x30 | (qos << 1), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn connect_round_trip() {
        let f = connect("gw-1", "GW1", "secret", 30);
        let (p, used) = decode(&f, 1024).expect("ok").expect("whole");
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
            assert_eq!(decode(&f[..cut], 1024), Ok(None), "cut at {cut}");
        }
        assert_eq!(decode(&f, 4), Err(CodecError::TooLarge(f.len() - 2)));
        assert!(decode(&[0xf0, 0], 1024).is_err(), "reserved type 15");
        assert!(decode(&[0x36, 2, 0, 0], 1024).is_err(), "QoS 3");
        assert!(decode(&[0x30, 0xff, 0xff, 0xff, 0xff, 1], usize::MAX).is_err());
        assert!(
            decode(&[0x82, 2, 0, 1], 1024).is_err(),
            "subscribe without topics"
        );
    }

    proptest! {
        #[test]
        fn publish_round_trip(topic in "[a-z/]{1,40}", qos in 0u8..3, id in 1u16.., body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let f = publish(&topic, qos, id, &body);
            let (p, used) = decode(&f, 1 << 20).expect("ok").expect("whole");
            prop_assert_eq!(used, f.len());
            let Packet::Publish(p) = p else { panic!("not a publish") };
            prop_assert_eq!(p.topic, topic);
            prop_assert_eq!(p.qos, qos);
            prop_assert_eq!(p.packet_id, (qos > 0).then_some(id));
            prop_assert_eq!(&p.payload[..], &body[..]);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes, 1 << 16);
        }
    }
}

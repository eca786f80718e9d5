//! MQTT 3.1.1 (and 3.1) and MQTT 5 packets (OASIS mqtt-v3.1.1 and mqtt-v5.0, §2–§3), as far as
//! an ingest broker needs them: the client's CONNECT, PUBLISH, PUBREL, SUBSCRIBE, UNSUBSCRIBE,
//! PINGREQ and DISCONNECT are read; the broker's CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK,
//! UNSUBACK, PINGRESP (and on MQTT 5 DISCONNECT) are written. CONNECT and PUBLISH are also
//! written, for load generators and tests.
//!
//! MQTT 5 properties are checked (known identifier, lengths inside the packet) and skipped: the
//! broker uses none of them except to refuse a topic alias (it offers none) and enhanced
//! authentication. Nothing is allocated from an announced length: every length is checked
//! against the packet, which itself is bounded by `max_bytes`.

use bytes::{Buf, BufMut, Bytes, BytesMut};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    /// 4 for MQTT 3.1.1, 3 for 3.1, 5 for MQTT 5; any other level is returned with nothing
    /// else read, for the broker to refuse.
    pub level: u8,
    pub client_id: String,
    pub clean_session: bool,
    pub keep_alive: u16,
    pub username: Option<String>,
    pub password: Option<Vec<u8>>,
    /// MQTT 5: the client asked for enhanced authentication (property 0x15), which the broker
    /// does not offer.
    pub auth_method: bool,
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
    Unsubscribe { packet_id: u16, filters: usize },
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

/// MQTT 5 reason codes (mqtt-v5.0 §2.4) the broker sends.
pub mod reason {
    pub const SUCCESS: u8 = 0x00;
    pub const NO_SUBSCRIPTION_EXISTED: u8 = 0x11;
    pub const UNSPECIFIED: u8 = 0x80;
    pub const MALFORMED: u8 = 0x81;
    pub const PROTOCOL_ERROR: u8 = 0x82;
    pub const UNSUPPORTED_PROTOCOL: u8 = 0x84;
    pub const CLIENT_ID_NOT_VALID: u8 = 0x85;
    pub const BAD_CREDENTIALS: u8 = 0x86;
    pub const NOT_AUTHORIZED: u8 = 0x87;
    pub const BAD_AUTH_METHOD: u8 = 0x8c;
    pub const KEEP_ALIVE_TIMEOUT: u8 = 0x8d;
    pub const SESSION_TAKEN_OVER: u8 = 0x8e;
    pub const PACKET_TOO_LARGE: u8 = 0x95;
    pub const PAYLOAD_FORMAT_INVALID: u8 = 0x99;

    /// The MQTT 5 CONNACK reason for a 3.1.1 CONNACK return code.
    pub fn of_connack(code: u8) -> u8 {
        match code {
            0 => SUCCESS,
            1 => UNSUPPORTED_PROTOCOL,
            2 => CLIENT_ID_NOT_VALID,
            4 => BAD_CREDENTIALS,
            5 => NOT_AUTHORIZED,
            _ => UNSPECIFIED,
        }
    }
}

/// Reads one packet from the front of `buf`, if a whole one is there. Returns the packet and
/// the bytes it took. `v5` is whether the session's CONNECT was MQTT 5 (a CONNECT itself reads
/// the same either way).
pub fn decode(
    buf: &[u8],
    max_bytes: usize,
    v5: bool,
) -> Result<Option<(Packet, usize)>, CodecError> {
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
    let packet = parse(first, body, v5)?;
    Ok(Some((packet, total)))
}

fn parse(first: u8, mut b: Bytes, v5: bool) -> Result<Packet, CodecError> {
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
            if v5 && properties(&mut b)?.topic_alias {
                return Err(CodecError::Malformed("不支持主题别名"));
            }
            if v5 && topic.is_empty() {
                return Err(CodecError::Malformed("主题为空"));
            }
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
            let (packet_id, filters) = parse_filters(&mut b, v5, true)?;
            Packet::Subscribe { packet_id, filters }
        }
        10 => {
            need_flags(0b0010)?;
            let (packet_id, filters) = parse_filters(&mut b, v5, false)?;
            Packet::Unsubscribe { packet_id, filters }
        }
        12 => Packet::PingReq,
        14 => Packet::Disconnect,
        _ => return Err(CodecError::Malformed("不支持的报文类型")),
    })
}

/// SUBSCRIBE (with a QoS / options byte after each filter) or UNSUBSCRIBE: the packet id and
/// the number of filters, at least one.
fn parse_filters(b: &mut Bytes, v5: bool, options: bool) -> Result<(u16, usize), CodecError> {
    let packet_id = u16_of(b)?;
    if v5 {
        properties(b)?;
    }
    let mut filters = 0;
    while b.has_remaining() {
        string(b)?;
        if options {
            if !b.has_remaining() {
                return Err(CodecError::Malformed("订阅缺少 QoS"));
            }
            // 3.1.1: the QoS; 5: the subscription options, whose top two bits are reserved.
            let o = b.get_u8();
            if v5 && (o & 0xc0 != 0 || o & 0b11 == 3) {
                return Err(CodecError::Malformed("订阅选项错误"));
            }
        }
        filters += 1;
    }
    if filters == 0 {
        return Err(CodecError::Malformed("订阅没有主题"));
    }
    Ok((packet_id, filters))
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
    let mut c = Connect {
        level,
        client_id: String::new(),
        clean_session: flags & 0b10 != 0,
        keep_alive,
        username: None,
        password: None,
        auth_method: false,
    };
    if !(3..=5).contains(&level) {
        // Unknown layout beyond this point; the caller refuses the level.
        return Ok(c);
    }
    let v5 = level == 5;
    if v5 {
        c.auth_method = properties(b)?.auth_method;
    }
    c.client_id = string(b)?;
    if flags & 0b100 != 0 {
        if v5 {
            properties(b)?; // will properties
        }
        string(b)?; // will topic
        bytes_of(b)?; // will message: never published, gateways have nobody listening
    }
    if flags & 0x80 != 0 {
        c.username = Some(string(b)?);
    }
    if flags & 0x40 != 0 {
        c.password = Some(bytes_of(b)?.to_vec());
    }
    Ok(c)
}

/// What the broker needs to know of a property list it otherwise skips.
#[derive(Debug, Default, PartialEq, Eq)]
struct Props {
    topic_alias: bool,
    auth_method: bool,
}

/// A variable byte integer (§1.5.5 of MQTT 5), at most 4 bytes.
fn varint(b: &mut Bytes) -> Result<usize, CodecError> {
    let mut n = 0usize;
    for i in 0..4 {
        if !b.has_remaining() {
            return Err(CodecError::Malformed("属性长度不完整"));
        }
        let byte = b.get_u8();
        n |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(n);
        }
    }
    Err(CodecError::Malformed("变长整数超过 4 字节"))
}

fn skip(b: &mut Bytes, n: usize) -> Result<(), CodecError> {
    if b.remaining() < n {
        return Err(CodecError::Malformed("属性长度超出报文"));
    }
    b.advance(n);
    Ok(())
}

/// Reads an MQTT 5 property list (§2.2.2): its length must fit in the packet, each property must
/// be a known one and fit in the list. Values are skipped, not copied.
fn properties(b: &mut Bytes) -> Result<Props, CodecError> {
    let len = varint(b)?;
    if b.remaining() < len {
        return Err(CodecError::Malformed("属性长度超出报文"));
    }
    let mut list = b.split_to(len);
    let mut props = Props::default();
    while list.has_remaining() {
        let id = list.get_u8();
        match id {
            // one byte
            0x01 | 0x17 | 0x19 | 0x24 | 0x25 | 0x28 | 0x29 | 0x2a => skip(&mut list, 1)?,
            // two bytes
            0x13 | 0x21 | 0x22 => skip(&mut list, 2)?,
            0x23 => {
                skip(&mut list, 2)?;
                props.topic_alias = true;
            }
            // four bytes
            0x02 | 0x11 | 0x18 | 0x27 => skip(&mut list, 4)?,
            // variable byte integer
            0x0b => {
                varint(&mut list)?;
            }
            // UTF-8 string or binary data
            0x03 | 0x08 | 0x09 | 0x12 | 0x16 | 0x1a | 0x1c | 0x1f => {
                bytes_of(&mut list).map_err(|_| CodecError::Malformed("属性长度超出报文"))?;
            }
            0x15 => {
                bytes_of(&mut list).map_err(|_| CodecError::Malformed("属性长度超出报文"))?;
                props.auth_method = true;
            }
            // user property: a string pair
            0x26 => {
                for _ in 0..2 {
                    bytes_of(&mut list).map_err(|_| CodecError::Malformed("属性长度超出报文"))?;
                }
            }
            _ => return Err(CodecError::Malformed("未知的属性标识")),
        }
    }
    Ok(props)
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
    let mut head = Vec::with_capacity(5);
    head.push(first);
    put_varint(&mut head, body.len());
    let mut out = BytesMut::with_capacity(body.len() + head.len());
    out.put_slice(&head);
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

/// What an MQTT 5 CONNACK tells the client about the broker (§3.2.2.3); zero / None is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnackProps {
    /// Receive Maximum: the per-connection in-flight limit.
    pub receive_maximum: u16,
    /// Maximum Packet Size, the whole packet in bytes.
    pub maximum_packet_size: u32,
    /// The client id the broker gave a client that sent an empty one.
    pub assigned_client_id: Option<String>,
}

/// An MQTT 5 CONNACK: no session present, `reason`, the properties (Topic Alias Maximum is left
/// at its default 0: no aliases).
pub fn connack_v5(reason: u8, props: &ConnackProps) -> Bytes {
    let mut p = Vec::new();
    if props.receive_maximum > 0 {
        p.push(0x21);
        p.extend_from_slice(&props.receive_maximum.to_be_bytes());
    }
    if props.maximum_packet_size > 0 {
        p.push(0x27);
        p.extend_from_slice(&props.maximum_packet_size.to_be_bytes());
    }
    if let Some(id) = &props.assigned_client_id {
        p.push(0x12);
        put_str(&mut p, id.as_bytes());
    }
    let mut body = vec![0, reason];
    put_varint(&mut body, p.len());
    body.extend_from_slice(&p);
    frame(0x20, &body)
}

/// An MQTT 5 PUBACK, PUBREC or PUBCOMP (`first` 0x40, 0x50, 0x70) with a reason code and no
/// properties.
pub fn ack_v5(first: u8, packet_id: u16, reason: u8) -> Bytes {
    let [hi, lo] = packet_id.to_be_bytes();
    frame(first, &[hi, lo, reason, 0])
}

/// MQTT 5 SUBACK: every filter refused (0x80), no properties.
pub fn suback_refused_v5(packet_id: u16, filters: usize) -> Bytes {
    let mut body = packet_id.to_be_bytes().to_vec();
    body.push(0);
    body.extend(std::iter::repeat_n(reason::UNSPECIFIED, filters));
    frame(0x90, &body)
}

/// MQTT 5 UNSUBACK: there was no subscription to remove (0x11) for any filter.
pub fn unsuback_v5(packet_id: u16, filters: usize) -> Bytes {
    let mut body = packet_id.to_be_bytes().to_vec();
    body.push(0);
    body.extend(std::iter::repeat_n(
        reason::NO_SUBSCRIPTION_EXISTED,
        filters,
    ));
    frame(0xb0, &body)
}

/// MQTT 5 DISCONNECT from the broker, telling the client why before the connection closes.
pub fn disconnect_v5(reason: u8) -> Bytes {
    frame(0xe0, &[reason, 0])
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let mut byte = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if n == 0 {
            break;
        }
    }
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

/// An MQTT 5 CONNECT with a clean start, user name and password and no properties.
pub fn connect_v5(client_id: &str, username: &str, password: &str, keep_alive: u16) -> Bytes {
    let mut body = Vec::new();
    put_str(&mut body, b"MQTT");
    body.extend_from_slice(&[5, 0b1100_0010]);
    body.extend_from_slice(&keep_alive.to_be_bytes());
    body.push(0);
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
mod tests;

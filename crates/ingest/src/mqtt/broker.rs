//! The embedded MQTT broker of `yingji serve` (ADR 0006). It only takes readings in: each
//! gateway logs in with its code and secret, may publish to `yj/{its code}/readings` alone,
//! and gets its PUBACK (QoS 1) or PUBREC (QoS 2) only once the readings are committed. A
//! gateway that floods is held back by its own in-flight limit and cannot starve the others.
//! MQTT 3.1.1, 3.1 and 5 are spoken; on MQTT 5 the broker answers with reason codes where
//! 3.1.1 can only acknowledge or close (docs/monitoring.md).

use super::codec::{self, CodecError, ConnackProps, Connect, Packet, Publish, connack, reason};
use crate::{IngestStats, Pipeline};
use bytes::{Buf, Bytes, BytesMut};
use futures_util::stream::FuturesOrdered;
use futures_util::{FutureExt, StreamExt};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::Instant;
use yingji_store::monitoring::IngestReport;
use yingji_store::monitoring::gateways::{self, GatewayAuth};

#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// Largest packet accepted; a bigger one closes the connection (MQTT 3.1.1 has no refusal).
    pub max_packet_bytes: usize,
    /// Messages a connection may have waiting for their commit before it is read no further.
    pub max_inflight: usize,
    /// Time a new connection has to send CONNECT.
    pub connect_timeout: Duration,
    pub max_connections: u64,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            max_packet_bytes: 512 * 1024,
            max_inflight: 64,
            connect_timeout: Duration::from_secs(10),
            max_connections: 10_000,
        }
    }
}

pub struct Broker {
    listener: TcpListener,
    ctx: Arc<Ctx>,
}

struct Ctx {
    pipeline: Pipeline,
    cfg: BrokerConfig,
    /// The newest connection of each client id; an older one is closed when a new one logs in.
    sessions: Mutex<HashMap<String, Arc<Notify>>>,
}

impl Broker {
    pub async fn bind(addr: &str, pipeline: Pipeline, cfg: BrokerConfig) -> std::io::Result<Self> {
        Ok(Self {
            listener: TcpListener::bind(addr).await?,
            ctx: Arc::new(Ctx {
                pipeline,
                cfg,
                sessions: Mutex::default(),
            }),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Accepts connections until the task is dropped.
    pub async fn run(self) {
        loop {
            let (stream, peer) = match self.listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: pause rather than spin.
                    tracing::warn!(error = %e, "MQTT accept failed");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            };
            let stats = &self.ctx.pipeline.stats;
            if stats.connections.load(std::sync::atomic::Ordering::Relaxed)
                >= self.ctx.cfg.max_connections
            {
                continue;
            }
            tokio::spawn(serve(stream, peer, self.ctx.clone()));
        }
    }
}

enum ReadError {
    Closed,
    TooLarge(usize),
    Malformed(&'static str),
}

async fn next_packet(
    rd: &mut OwnedReadHalf,
    buf: &mut BytesMut,
    max: usize,
    v5: bool,
) -> Result<Packet, ReadError> {
    loop {
        match codec::decode(buf, max, v5) {
            Ok(Some((p, used))) => {
                buf.advance(used);
                return Ok(p);
            }
            Ok(None) => {}
            Err(CodecError::TooLarge(n)) => return Err(ReadError::TooLarge(n)),
            Err(CodecError::Malformed(m)) => return Err(ReadError::Malformed(m)),
        }
        match rd.read_buf(buf).await {
            Ok(0) | Err(_) => return Err(ReadError::Closed),
            Ok(_) => {}
        }
    }
}

/// The acknowledgement a QoS 1 or 2 message is owed once it is settled.
#[derive(Debug, Clone, Copy)]
struct Ack {
    qos: u8,
    packet_id: u16,
    /// MQTT 5 reason code of a message refused before the pipeline (success otherwise).
    reason: u8,
}

/// The acknowledgement to send once a message is settled (PUBACK or PUBREC), and how it went.
type Settled = (Option<Ack>, Result<IngestReport, String>);
type Awaiting = Pin<Box<dyn Future<Output = Settled> + Send>>;

struct Conn {
    wr: OwnedWriteHalf,
    /// The session speaks MQTT 5.
    v5: bool,
    gateway: GatewayAuth,
    ctx: Arc<Ctx>,
}

impl Conn {
    async fn send(&mut self, frame: &[u8]) -> bool {
        self.wr.write_all(frame).await.is_ok()
    }

    /// The PUBACK (QoS 1) or PUBREC (QoS 2) frame; `reason` only on MQTT 5.
    fn ack_frame(&self, ack: Ack, reason: u8) -> Bytes {
        let first = if ack.qos == 2 { 0x50 } else { 0x40 };
        match (self.v5, ack.qos) {
            (true, _) => codec::ack_v5(first, ack.packet_id, reason),
            (false, 2) => codec::pubrec(ack.packet_id),
            (false, _) => codec::puback(ack.packet_id),
        }
    }

    /// On MQTT 5, tells the client why the broker closes the connection.
    async fn goodbye(&mut self, reason: u8) {
        if self.v5 {
            self.send(&codec::disconnect_v5(reason)).await;
        }
    }

    fn stats(&self) -> &IngestStats {
        &self.ctx.pipeline.stats
    }

    fn fault(&self, message: String) {
        let now = self.ctx.pipeline.clock.now_ms();
        self.stats().fault(&self.gateway.code, now, message);
    }
}

async fn serve(stream: TcpStream, peer: SocketAddr, ctx: Arc<Ctx>) {
    let _ = stream.set_nodelay(true);
    let (mut rd, mut wr) = stream.into_split();
    let mut buf = BytesMut::with_capacity(8192);
    let max = ctx.cfg.max_packet_bytes;
    let stats = &ctx.pipeline.stats;
    let first = tokio::time::timeout(
        ctx.cfg.connect_timeout,
        next_packet(&mut rd, &mut buf, max, false),
    );
    let connect = match first.await {
        Ok(Ok(Packet::Connect(c))) => c,
        Ok(Err(ReadError::TooLarge(_))) => {
            IngestStats::bump(&stats.oversize, 1);
            return;
        }
        _ => return,
    };
    let v5 = connect.level == 5;
    let Some((gateway, client_id)) = admit(&ctx, &connect, peer, &mut wr).await else {
        return;
    };
    let now = ctx.pipeline.clock.now_ms();
    let _ = gateways::touch(&ctx.pipeline.store, &gateway.id, now).await;
    let kicked = Arc::new(Notify::new());
    if let Ok(mut s) = ctx.sessions.lock()
        && let Some(old) = s.insert(client_id.clone(), kicked.clone())
    {
        old.notify_one();
    }
    IngestStats::bump(&stats.connections, 1);
    let mut conn = Conn {
        wr,
        v5,
        gateway,
        ctx: ctx.clone(),
    };
    session(&mut conn, &mut rd, &mut buf, &connect, &kicked).await;
    stats
        .connections
        .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(mut s) = ctx.sessions.lock()
        && s.get(&client_id).is_some_and(|k| Arc::ptr_eq(k, &kicked))
    {
        s.remove(&client_id);
    }
}

/// Checks a CONNECT (level, login) and answers it with its CONNACK; the gateway and the session's
/// client id when it is accepted.
async fn admit(
    ctx: &Ctx,
    connect: &Connect,
    peer: SocketAddr,
    wr: &mut OwnedWriteHalf,
) -> Option<(GatewayAuth, String)> {
    let v5 = connect.level == 5;
    // An unknown level newer than 5 gets the MQTT 5 form, older ones the 3.1.1 form.
    if !matches!(connect.level, 3..=5) {
        return refuse(wr, connack::BAD_PROTOCOL, connect.level > 5).await;
    }
    if connect.auth_method {
        return refuse_v5(wr, reason::BAD_AUTH_METHOD).await;
    }
    if !v5 && connect.client_id.is_empty() && !connect.clean_session {
        return refuse(wr, connack::ID_REJECTED, v5).await;
    }
    let Some(gateway) = authenticate(ctx, connect).await else {
        IngestStats::bump(&ctx.pipeline.stats.auth_failures, 1);
        tracing::info!(%peer, user = ?connect.username, "MQTT login refused");
        // Slows down guessing; the connection holds nothing else meanwhile.
        tokio::time::sleep(Duration::from_millis(500)).await;
        // MQTT 5 tells a missing login (not authorized) from a wrong one.
        if v5 && (connect.username.is_none() || connect.password.is_none()) {
            return refuse_v5(wr, reason::NOT_AUTHORIZED).await;
        }
        return refuse(wr, connack::BAD_CREDENTIALS, v5).await;
    };
    let assigned = connect.client_id.is_empty();
    let client_id = if assigned {
        format!("{}@{peer}", gateway.code)
    } else {
        connect.client_id.clone()
    };
    let accepted = if v5 {
        codec::connack_v5(
            reason::SUCCESS,
            &ConnackProps {
                receive_maximum: u16::try_from(ctx.cfg.max_inflight.max(1)).unwrap_or(u16::MAX),
                maximum_packet_size: u32::try_from(ctx.cfg.max_packet_bytes).unwrap_or(u32::MAX),
                assigned_client_id: assigned.then(|| client_id.clone()),
            },
        )
    } else {
        codec::connack(connack::ACCEPTED)
    };
    wr.write_all(&accepted).await.ok()?;
    Some((gateway, client_id))
}

/// Answers a refused CONNECT with a 3.1.1 return code, in the MQTT 5 form when `v5`.
async fn refuse<T>(wr: &mut OwnedWriteHalf, code: u8, v5: bool) -> Option<T> {
    if v5 {
        return refuse_v5(wr, reason::of_connack(code)).await;
    }
    let _ = wr.write_all(&codec::connack(code)).await;
    None
}

async fn refuse_v5<T>(wr: &mut OwnedWriteHalf, reason: u8) -> Option<T> {
    let _ = wr
        .write_all(&codec::connack_v5(reason, &ConnackProps::default()))
        .await;
    None
}

async fn authenticate(ctx: &Ctx, c: &Connect) -> Option<GatewayAuth> {
    let user = c.username.as_deref()?;
    let secret = std::str::from_utf8(c.password.as_deref()?).ok()?;
    let digest = yingji_core::kernel::secret::digest(secret);
    gateways::authenticate(&ctx.pipeline.store, user, &digest)
        .await
        .ok()
        .flatten()
}

async fn session(
    conn: &mut Conn,
    rd: &mut OwnedReadHalf,
    buf: &mut BytesMut,
    connect: &Connect,
    kicked: &Notify,
) {
    let max = conn.ctx.cfg.max_packet_bytes;
    let max_inflight = conn.ctx.cfg.max_inflight;
    // The client must send something within 1.5 × its keep-alive (§3.1.2.10).
    let keep = (connect.keep_alive > 0)
        .then(|| Duration::from_millis(u64::from(connect.keep_alive) * 1500));
    let idle = keep.unwrap_or(Duration::from_secs(365 * 86_400));
    let mut deadline = Instant::now() + idle;
    let mut pending: FuturesOrdered<Awaiting> = FuturesOrdered::new();
    loop {
        tokio::select! {
            Some((frame, result)) = pending.next(), if !pending.is_empty() => {
                // One group commit settles many messages at once: their acknowledgements go out
                // in one write instead of one system call each.
                let mut out = Vec::new();
                let mut open = settle(conn, frame, result, &mut out);
                while open {
                    match pending.next().now_or_never() {
                        Some(Some((frame, result))) => open = settle(conn, frame, result, &mut out),
                        _ => break,
                    }
                }
                if !(out.is_empty() || conn.send(&out).await) || !open {
                    return;
                }
            }
            read = next_packet(rd, buf, max, conn.v5), if pending.len() < max_inflight => {
                let packet = match read {
                    Ok(p) => p,
                    Err(ReadError::Closed) => return,
                    Err(ReadError::TooLarge(n)) => {
                        IngestStats::bump(&conn.stats().oversize, 1);
                        conn.fault(format!("消息过大（{n} 字节，上限 {max} 字节），连接已断开"));
                        return conn.goodbye(reason::PACKET_TOO_LARGE).await;
                    }
                    Err(ReadError::Malformed(m)) => {
                        conn.fault(format!("MQTT 报文错误：{m}，连接已断开"));
                        return conn.goodbye(reason::MALFORMED).await;
                    }
                };
                deadline = Instant::now() + idle;
                let ok = match packet {
                    Packet::Publish(p) => {
                        pending.push_back(accept(conn, p).await);
                        true
                    }
                    p @ (Packet::PubRel(_)
                    | Packet::Subscribe { .. }
                    | Packet::Unsubscribe { .. }
                    | Packet::PingReq) => {
                        let frame = reply(conn.v5, &p);
                        conn.send(&frame).await
                    }
                    Packet::Disconnect => return drain(conn, &mut pending).await,
                    // A second CONNECT is a protocol violation (§3.1.0).
                    Packet::Connect(_) => return conn.goodbye(reason::PROTOCOL_ERROR).await,
                };
                if !ok {
                    return;
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                return conn.goodbye(reason::KEEP_ALIVE_TIMEOUT).await;
            }
            _ = kicked.notified() => return conn.goodbye(reason::SESSION_TAKEN_OVER).await,
        }
    }
}

/// A clean goodbye: what was sent is still settled and acknowledged.
async fn drain(conn: &mut Conn, pending: &mut FuturesOrdered<Awaiting>) {
    let mut out = Vec::new();
    while let Some((ack, result)) = pending.next().await {
        if !settle(conn, ack, result, &mut out) {
            break;
        }
    }
    conn.send(&out).await;
}

/// The broker's answer to PUBREL, SUBSCRIBE, UNSUBSCRIBE and PINGREQ.
fn reply(v5: bool, p: &Packet) -> Bytes {
    match (p, v5) {
        (Packet::PubRel(id), true) => codec::ack_v5(0x70, *id, reason::SUCCESS),
        (Packet::PubRel(id), false) => codec::pubcomp(*id),
        (Packet::Subscribe { packet_id, filters }, true) => {
            codec::suback_refused_v5(*packet_id, *filters)
        }
        (Packet::Subscribe { packet_id, filters }, false) => {
            codec::suback_refused(*packet_id, *filters)
        }
        (Packet::Unsubscribe { packet_id, filters }, true) => {
            codec::unsuback_v5(*packet_id, *filters)
        }
        (Packet::Unsubscribe { packet_id, .. }, false) => codec::unsuback(*packet_id),
        _ => codec::pingresp(),
    }
}

/// Adds the acknowledgement of a settled message to `out`; false closes the connection. On
/// 3.1.1 a message that could not be stored is not acknowledged and the connection closes: the
/// client sends it again after reconnecting. On MQTT 5 it gets reason 0x80 (unspecified error)
/// and the connection stays.
fn settle(
    conn: &Conn,
    ack: Option<Ack>,
    result: Result<IngestReport, String>,
    out: &mut Vec<u8>,
) -> bool {
    match result {
        Ok(report) => {
            if !report.refused.is_empty() {
                conn.fault(format!(
                    "监测点未登记或不属于本网关，数据未保存：{}",
                    report.refused.join("、")
                ));
            }
            if let Some(a) = ack {
                out.extend_from_slice(&conn.ack_frame(a, a.reason));
            }
            true
        }
        Err(e) => {
            conn.fault(e);
            match ack {
                Some(a) if conn.v5 => {
                    out.extend_from_slice(&conn.ack_frame(a, reason::UNSPECIFIED));
                    true
                }
                _ => conn.v5,
            }
        }
    }
}

/// Takes one PUBLISH: checks the topic and payload and queues the readings. Refused messages
/// are counted and acknowledged at once (3.1.1 cannot say no; MQTT 5 gets 0x87 for another
/// topic, 0x99 for a malformed payload), so the gateway does not resend them for ever.
async fn accept(conn: &Conn, p: Publish) -> Awaiting {
    let stats = conn.stats();
    IngestStats::bump(&stats.messages, 1);
    let ack = match (p.qos, p.packet_id) {
        (1 | 2, Some(packet_id)) => Some(Ack {
            qos: p.qos,
            packet_id,
            reason: reason::SUCCESS,
        }),
        _ => None,
    };
    let refused = |code: u8| -> Awaiting {
        let ack = ack.map(|a| Ack { reason: code, ..a });
        Box::pin(async move { (ack, Ok(IngestReport::default())) })
    };
    if super::gateway_of(&p.topic) != Some(conn.gateway.code.as_str()) {
        IngestStats::bump(&stats.refused_topics, 1);
        conn.fault(format!(
            "主题“{}”不属于本网关，只能发布到 {}",
            p.topic,
            super::readings_topic(&conn.gateway.code)
        ));
        return refused(reason::NOT_AUTHORIZED);
    }
    match super::take(&conn.ctx.pipeline, &conn.gateway, &p.payload).await {
        None => refused(reason::PAYLOAD_FORMAT_INVALID),
        Some(waiting) => Box::pin(async move {
            let result = waiting
                .await
                .unwrap_or_else(|_| Err("写入任务已停止".into()));
            (ack, result)
        }),
    }
}

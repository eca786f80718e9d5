//! The embedded MQTT broker of `yingji serve` (ADR 0006). It only takes readings in: each
//! gateway logs in with its code and secret, may publish to `yj/{its code}/readings` alone,
//! and gets its PUBACK (QoS 1) or PUBREC (QoS 2) only once the readings are committed. A
//! gateway that floods is held back by its own in-flight limit and cannot starve the others.

use super::codec::{self, CodecError, Connect, Packet, Publish, connack};
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
) -> Result<Packet, ReadError> {
    loop {
        match codec::decode(buf, max) {
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

/// The frame to send once a message is settled (PUBACK or PUBREC), and how it went.
type Settled = (Option<Bytes>, Result<IngestReport, String>);
type Awaiting = Pin<Box<dyn Future<Output = Settled> + Send>>;

struct Conn {
    wr: OwnedWriteHalf,
    gateway: GatewayAuth,
    ctx: Arc<Ctx>,
}

impl Conn {
    async fn send(&mut self, frame: &[u8]) -> bool {
        self.wr.write_all(frame).await.is_ok()
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
    let first = tokio::time::timeout(ctx.cfg.connect_timeout, next_packet(&mut rd, &mut buf, max));
    let connect = match first.await {
        Ok(Ok(Packet::Connect(c))) => c,
        Ok(Err(ReadError::TooLarge(_))) => {
            IngestStats::bump(&stats.oversize, 1);
            return;
        }
        _ => return,
    };
    if !matches!(connect.level, 3 | 4) {
        return refuse(wr, connack::BAD_PROTOCOL).await;
    }
    if connect.client_id.is_empty() && !connect.clean_session {
        return refuse(wr, connack::ID_REJECTED).await;
    }
    let Some(gateway) = authenticate(&ctx, &connect).await else {
        IngestStats::bump(&stats.auth_failures, 1);
        tracing::info!(%peer, user = ?connect.username, "MQTT login refused");
        // Slows down guessing; the connection holds nothing else meanwhile.
        tokio::time::sleep(Duration::from_millis(500)).await;
        return refuse(wr, connack::BAD_CREDENTIALS).await;
    };
    if wr
        .write_all(&codec::connack(connack::ACCEPTED))
        .await
        .is_err()
    {
        return;
    }
    let now = ctx.pipeline.clock.now_ms();
    let _ = gateways::touch(&ctx.pipeline.store, &gateway.id, now).await;
    let client_id = if connect.client_id.is_empty() {
        format!("{}@{peer}", gateway.code)
    } else {
        connect.client_id.clone()
    };
    let kicked = Arc::new(Notify::new());
    if let Ok(mut s) = ctx.sessions.lock()
        && let Some(old) = s.insert(client_id.clone(), kicked.clone())
    {
        old.notify_one();
    }
    IngestStats::bump(&stats.connections, 1);
    let mut conn = Conn {
        wr,
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

async fn refuse(mut wr: OwnedWriteHalf, code: u8) {
    let _ = wr.write_all(&codec::connack(code)).await;
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
            read = next_packet(rd, buf, max), if pending.len() < max_inflight => {
                let packet = match read {
                    Ok(p) => p,
                    Err(ReadError::Closed) => return,
                    Err(ReadError::TooLarge(n)) => {
                        IngestStats::bump(&conn.stats().oversize, 1);
                        conn.fault(format!("消息过大（{n} 字节，上限 {max} 字节），连接已断开"));
                        return;
                    }
                    Err(ReadError::Malformed(m)) => {
                        conn.fault(format!("MQTT 报文错误：{m}，连接已断开"));
                        return;
                    }
                };
                deadline = Instant::now() + idle;
                let ok = match packet {
                    Packet::Publish(p) => {
                        pending.push_back(accept(conn, p).await);
                        true
                    }
                    Packet::PubRel(id) => conn.send(&codec::pubcomp(id)).await,
                    Packet::Subscribe { packet_id, filters } => {
                        conn.send(&codec::suback_refused(packet_id, filters)).await
                    }
                    Packet::Unsubscribe(id) => conn.send(&codec::unsuback(id)).await,
                    Packet::PingReq => conn.send(&codec::pingresp()).await,
                    Packet::Disconnect => {
                        // A clean goodbye: what was sent is still settled and acknowledged.
                        let mut out = Vec::new();
                        while let Some((frame, result)) = pending.next().await {
                            if !settle(conn, frame, result, &mut out) {
                                break;
                            }
                        }
                        conn.send(&out).await;
                        return;
                    }
                    // A second CONNECT is a protocol violation (§3.1.0).
                    Packet::Connect(_) => false,
                };
                if !ok {
                    return;
                }
            }
            _ = tokio::time::sleep_until(deadline) => return,
            _ = kicked.notified() => return,
        }
    }
}

/// Adds the acknowledgement of a settled message to `out`; false closes the connection. A
/// message that could not be stored is not acknowledged: the client sends it again after
/// reconnecting.
fn settle(
    conn: &Conn,
    frame: Option<Bytes>,
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
            if let Some(f) = frame {
                out.extend_from_slice(&f);
            }
            true
        }
        Err(e) => {
            conn.fault(e);
            false
        }
    }
}

/// Takes one PUBLISH: checks the topic and payload and queues the readings. Refused messages
/// are counted and acknowledged at once (3.1.1 cannot say no), so the gateway does not resend
/// them for ever.
async fn accept(conn: &Conn, p: Publish) -> Awaiting {
    let stats = conn.stats();
    IngestStats::bump(&stats.messages, 1);
    let frame = match (p.qos, p.packet_id) {
        (1, Some(id)) => Some(codec::puback(id)),
        (2, Some(id)) => Some(codec::pubrec(id)),
        _ => None,
    };
    let refused =
        |frame| -> Awaiting { Box::pin(async move { (frame, Ok(IngestReport::default())) }) };
    if super::gateway_of(&p.topic) != Some(conn.gateway.code.as_str()) {
        IngestStats::bump(&stats.refused_topics, 1);
        conn.fault(format!(
            "主题“{}”不属于本网关，只能发布到 {}",
            p.topic,
            super::readings_topic(&conn.gateway.code)
        ));
        return refused(frame);
    }
    match super::take(&conn.ctx.pipeline, &conn.gateway, &p.payload).await {
        None => refused(frame),
        Some(waiting) => Box::pin(async move {
            let result = waiting
                .await
                .unwrap_or_else(|_| Err("写入任务已停止".into()));
            (frame, result)
        }),
    }
}

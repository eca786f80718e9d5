//! Audit forwarding to syslog (issue 26, ADR 0033): every audit row, in `seq` order, as an
//! RFC 5424 message (`yingji_core::security::syslog`) to the bureau's collector over UDP or TCP.
//! The cursor (`store::security::audit_forwarding`) moves only past rows that were sent, so
//! while the collector is down nothing is lost: the rows wait in the database and go once it is
//! back. One node at a time forwards (the lease [`LEASE`], ADR 0027). Over TCP a row may reach
//! the collector twice when a connection breaks mid-batch (at-least-once; `seq` tells them).

use std::time::Duration;
use tokio::io::AsyncWriteExt;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::security::syslog::{self, AuditEvent};
use yingji_store::Store;
use yingji_store::kernel::leases::Lease;
use yingji_store::security::audit_forwarding::{self, ForwardRow};

/// The lease of the forwarding rounds.
pub const LEASE: &str = "security.audit_syslog";
/// Rows sent in one round at most.
const BATCH: i64 = 500;
/// Pause between rounds when nothing was left, or after a failure.
pub const POLL: Duration = Duration::from_secs(1);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Udp,
    Tcp,
}

/// `[audit.syslog]`: where the collector listens.
#[derive(Debug, Clone)]
pub struct SyslogConfig {
    pub transport: Transport,
    /// host:port
    pub address: String,
    /// The HOSTNAME field of every message (this node's name).
    pub hostname: String,
}

/// A connection to the collector for one round.
enum Sink {
    Udp(tokio::net::UdpSocket),
    Tcp(tokio::net::TcpStream),
}

impl Sink {
    async fn open(cfg: &SyslogConfig) -> std::io::Result<Sink> {
        let connect = async {
            match cfg.transport {
                Transport::Udp => {
                    let target = tokio::net::lookup_host(&cfg.address)
                        .await?
                        .next()
                        .ok_or_else(|| std::io::Error::other("no address"))?;
                    let local = if target.is_ipv4() {
                        "0.0.0.0:0"
                    } else {
                        "[::]:0"
                    };
                    let s = tokio::net::UdpSocket::bind(local).await?;
                    s.connect(target).await?;
                    Ok(Sink::Udp(s))
                }
                Transport::Tcp => Ok(Sink::Tcp(
                    tokio::net::TcpStream::connect(&cfg.address).await?,
                )),
            }
        };
        tokio::time::timeout(CONNECT_TIMEOUT, connect)
            .await
            .map_err(|_| std::io::Error::other("connect timed out"))?
    }

    async fn send(&mut self, msg: &str) -> std::io::Result<()> {
        match self {
            Sink::Udp(s) => s.send(msg.as_bytes()).await.map(|_| ()),
            Sink::Tcp(s) => s.write_all(&syslog::tcp_frame(msg)).await,
        }
    }

    async fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Udp(_) => Ok(()),
            Sink::Tcp(s) => s.flush().await,
        }
    }
}

fn message(cfg: &SyslogConfig, r: &ForwardRow) -> String {
    let at = syslog::timestamp(r.at_ms);
    let e = AuditEvent {
        seq: r.seq,
        at: &at,
        action: &r.action,
        actor_id: r.actor_id.as_deref(),
        actor_name: &r.actor_name,
        entity_type: &r.entity_type,
        entity_id: r.entity_id.as_deref(),
        ip: r.ip.as_deref(),
        hash: &r.hash,
        summary: &r.summary,
    };
    syslog::message(&cfg.hostname, &std::process::id().to_string(), &e)
}

/// One round: sends the rows after the cursor, moving it past each batch sent. Answers how
/// many rows went; an error leaves the cursor at the last batch the collector took.
pub async fn forward_once(
    store: &Store,
    clock: &SharedClock,
    cfg: &SyslogConfig,
) -> Result<u64, String> {
    let mut cursor = audit_forwarding::cursor(store)
        .await
        .map_err(|e| e.to_string())?;
    let mut sent = 0u64;
    let mut sink: Option<Sink> = None;
    loop {
        let rows = audit_forwarding::after(store, cursor, BATCH)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            return Ok(sent);
        };
        if sink.is_none() {
            sink = Some(Sink::open(cfg).await.map_err(|e| e.to_string())?);
        }
        let Some(s) = sink.as_mut() else {
            return Ok(sent);
        };
        for r in &rows {
            s.send(&message(cfg, r)).await.map_err(|e| e.to_string())?;
        }
        s.finish().await.map_err(|e| e.to_string())?;
        audit_forwarding::advance(store, last, clock.now_ms())
            .await
            .map_err(|e| e.to_string())?;
        sent += rows.len() as u64;
        cursor = last;
    }
}

/// The loop: a round whenever this node holds the lease, then a pause.
pub async fn run(store: Store, clock: SharedClock, cfg: SyslogConfig, node: String) {
    // Held for 30 s a round: a slow collector (connect timeout 5 s) does not lose it mid-round.
    let lease = Lease::for_loop(LEASE, &node, Duration::from_secs(10));
    let mut failing = false;
    loop {
        if lease.take(&store, clock.now_ms()).await {
            match forward_once(&store, &clock, &cfg).await {
                Ok(_) => failing = false,
                // Told once per outage, not every second.
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, address = %cfg.address, "audit rows not forwarded to syslog; kept and retried");
                }
                Err(_) => {}
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

//! Audit forwarding and retention (issue 26 item 7): every audit row reaches a syslog collector
//! as an RFC 5424 message (UDP, TCP with octet counting), rows written while the collector is
//! down follow when it is back; rows younger than `[audit] retention_days` cannot be deleted.

use crate::helpers::{Backend, TestApp, enterprise_body, first_grid};
use reqwest::StatusCode;
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use yingji_jobs::audit_syslog::{SyslogConfig, Transport};
use yingji_server::ServerConfig;

/// The app on `backend` with `cfg`; None for PostgreSQL without YINGJI_TEST_PG_URL.
async fn spawn(backend: Backend, cfg: ServerConfig) -> Option<TestApp> {
    if backend == Backend::Postgres
        && std::env::var("YINGJI_TEST_PG_URL").map_or(true, |u| u.is_empty())
    {
        eprintln!("YINGJI_TEST_PG_URL not set: PostgreSQL variant skipped");
        return None;
    }
    Some(TestApp::spawn_with(backend, cfg).await)
}

/// An RFC 5424 message taken apart.
#[derive(Debug)]
struct Syslog {
    pri: String,
    timestamp: String,
    hostname: String,
    app: String,
    msgid: String,
    sd_id: String,
    params: HashMap<String, String>,
    msg: String,
}

/// Parses `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD-ID k="v" …] MSG` (one SD element).
fn parse(text: &str) -> Syslog {
    let (head, rest) = text.split_once(" [").expect("structured data");
    let fields: Vec<&str> = head.split(' ').collect();
    assert_eq!(fields.len(), 6, "{head}");
    let (pri, version) = fields[0].split_once('>').expect("PRI");
    assert_eq!(version, "1", "{text}");
    let mut chars = rest.chars();
    let mut sd_id = String::new();
    for c in chars.by_ref() {
        if c == ' ' || c == ']' {
            break;
        }
        sd_id.push(c);
    }
    let mut params = HashMap::new();
    let (mut name, mut value, mut in_value, mut escaped) =
        (String::new(), String::new(), false, false);
    for c in chars.by_ref() {
        if in_value {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_value = false;
                    params.insert(std::mem::take(&mut name), std::mem::take(&mut value));
                }
                _ => {
                    value.push(c);
                    escaped = false;
                }
            }
        } else if c == ']' {
            break;
        } else if c == '"' {
            in_value = true;
        } else if c != ' ' && c != '=' {
            name.push(c);
        }
    }
    let msg: String = chars.collect();
    let msg = msg.strip_prefix(' ').unwrap_or(&msg);
    Syslog {
        pri: pri.trim_start_matches('<').to_string(),
        timestamp: fields[1].to_string(),
        hostname: fields[2].to_string(),
        app: fields[3].to_string(),
        msgid: fields[5].to_string(),
        sd_id,
        params,
        msg: msg
            .strip_prefix('\u{feff}')
            .expect("a UTF-8 BOM")
            .to_string(),
    }
}

/// The audit rows (seq, action, actor name, summary) in the database.
async fn rows(app: &TestApp) -> Vec<(i64, String, String, String)> {
    let rows = app
        .store
        .fetch_all(yingji_store::Sql::new(
            "SELECT seq, action, actor_name, summary FROM audit_log ORDER BY seq",
        ))
        .await
        .unwrap();
    use yingji_store::sqlx::Row;
    rows.iter()
        .map(|r| {
            (
                r.try_get("seq").unwrap(),
                r.try_get("action").unwrap(),
                r.try_get("actor_name").unwrap(),
                r.try_get("summary").unwrap(),
            )
        })
        .collect()
}

fn syslog_cfg(transport: Transport, address: String) -> ServerConfig {
    ServerConfig {
        demo: true,
        audit_syslog: Some(SyslogConfig {
            transport,
            address,
            hostname: "node-a".into(),
        }),
        ..Default::default()
    }
}

/// Checks every forwarded message against its row; answers the seqs seen.
fn check_messages(messages: &[Syslog], db: &[(i64, String, String, String)]) -> Vec<i64> {
    let mut seen = Vec::new();
    for m in messages {
        assert_eq!(m.pri, "110");
        assert_eq!((m.app.as_str(), m.msgid.as_str()), ("yingji", "audit"));
        assert_eq!(m.hostname, "node-a");
        assert_eq!(m.sd_id, "yingji@32473");
        assert!(m.timestamp.ends_with('Z'), "{}", m.timestamp);
        let seq: i64 = m.params["seq"].parse().unwrap();
        let row = db
            .iter()
            .find(|r| r.0 == seq)
            .expect("a row of the database");
        assert_eq!(m.params["action"], row.1, "{m:?}");
        assert_eq!(m.params["actorName"], row.2, "{m:?}");
        assert!(m.params.contains_key("entityType") && m.params.contains_key("hash"));
        assert_eq!(m.msg, row.3.replace(|c: char| c.is_control(), " "));
        seen.push(seq);
    }
    seen
}

async fn create_enterprise(app: &TestApp, n: u32) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let (s, e) = app
        .post(
            &admin,
            "/api/v1/enterprises",
            &enterprise_body(n, &grid, "hazchem"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
}

/// Reads octet-counted frames from every connection until the seqs up to `last` are seen.
async fn collect_tcp(listener: tokio::net::TcpListener, last: i64) -> Vec<Syslog> {
    let mut out: Vec<Syslog> = Vec::new();
    while !out
        .iter()
        .any(|m| m.params["seq"].parse::<i64>().unwrap() >= last)
    {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            // Frames: "LEN SP MSG".
            while let Some(sp) = buf.iter().position(|&b| b == b' ') {
                let len: usize = std::str::from_utf8(&buf[..sp]).unwrap().parse().unwrap();
                if buf.len() < sp + 1 + len {
                    break;
                }
                let msg = String::from_utf8(buf[sp + 1..sp + 1 + len].to_vec()).unwrap();
                out.push(parse(&msg));
                buf.drain(..sp + 1 + len);
            }
            if out
                .iter()
                .any(|m| m.params["seq"].parse::<i64>().unwrap() >= last)
            {
                break;
            }
            let n = sock.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    }
    out
}

async fn forwarded_over_tcp_nothing_lost_while_down(backend: Backend) {
    // The collector's address, nobody listening yet.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let Some(app) = spawn(backend, syslog_cfg(Transport::Tcp, addr.to_string())).await else {
        return;
    };
    create_enterprise(&app, 801).await;
    let before = rows(&app).await;
    let last_before = before.last().unwrap().0;
    let cursor = yingji_store::security::audit_forwarding::cursor(&app.store)
        .await
        .unwrap();
    assert!(
        cursor < last_before,
        "nothing forwarded while the collector is down"
    );
    // The collector comes up: the waiting rows arrive, and so do new ones.
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    create_enterprise(&app, 802).await;
    let db = rows(&app).await;
    let last = db.last().unwrap().0;
    let got = tokio::time::timeout(Duration::from_secs(120), collect_tcp(listener, last))
        .await
        .expect("the rows were forwarded");
    let mut seen = check_messages(&got, &db);
    seen.sort();
    seen.dedup();
    let all: Vec<i64> = db.iter().map(|r| r.0).collect();
    assert_eq!(seen, all, "every row, in order, none lost");
    assert!(
        got.iter()
            .any(|m| m.params["action"] == "create" && m.params["entityType"] == "enterprise")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syslog_tcp_sqlite() {
    forwarded_over_tcp_nothing_lost_while_down(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syslog_tcp_postgres() {
    forwarded_over_tcp_nothing_lost_while_down(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syslog_udp() {
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let cfg = syslog_cfg(Transport::Udp, sock.local_addr().unwrap().to_string());
    let app = TestApp::spawn_with(Backend::Sqlite, cfg).await;
    create_enterprise(&app, 803).await;
    let db = rows(&app).await;
    let last = db.last().unwrap().0;
    let mut got = Vec::new();
    let mut buf = vec![0u8; 65536];
    let receive = async {
        while !got
            .iter()
            .any(|m: &Syslog| m.params["seq"].parse::<i64>().unwrap() >= last)
        {
            let n = sock.recv(&mut buf).await.unwrap();
            got.push(parse(std::str::from_utf8(&buf[..n]).unwrap()));
        }
    };
    tokio::time::timeout(Duration::from_secs(120), receive)
        .await
        .expect("datagrams");
    // UDP may drop datagrams when the receiver falls behind: what came is in order and whole,
    // and the enterprise's own rows came.
    let seen = check_messages(&got, &db);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert!(
        got.iter()
            .any(|m| m.params["action"] == "create" && m.params["entityType"] == "enterprise")
    );
}

/// Epoch ms of the wall clock: the database's trigger judges by the database's own clock.
fn wall_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn set_at(app: &TestApp, seq: i64, at_ms: i64) {
    let mut q = yingji_store::Sql::new("UPDATE audit_log SET at_ms = ");
    q.bind(at_ms).push_bind(" WHERE seq = ", seq);
    app.store.execute(q).await.unwrap();
}

async fn delete(app: &TestApp, seq: i64) -> Result<u64, String> {
    let mut q = yingji_store::Sql::new("DELETE FROM audit_log WHERE seq = ");
    q.bind(seq);
    app.store.execute(q).await.map_err(|e| e.to_string())
}

async fn rows_younger_than_retention_stay(backend: Backend) {
    let cfg = ServerConfig {
        demo: true,
        audit_retention_days: 365,
        ..Default::default()
    };
    let Some(app) = spawn(backend, cfg).await else {
        return;
    };
    create_enterprise(&app, 804).await;
    let days = yingji_store::security::audit_retention::days(&app.store)
        .await
        .unwrap();
    assert_eq!(days, 365);
    let db = rows(&app).await;
    let (young, old) = (db[db.len() - 1].0, db[0].0);
    let day = 86_400_000;
    // A day old, and 364 days old: refused, whoever runs the statement.
    for age in [1, 364] {
        set_at(&app, young, wall_now_ms() - age * day).await;
        let err = delete(&app, young).await.unwrap_err();
        assert!(err.contains("retention"), "{err}");
    }
    assert_eq!(rows(&app).await.len(), db.len());
    // Past the retention: may go (an archive purge by the DBA).
    set_at(&app, old, wall_now_ms() - 400 * day).await;
    assert_eq!(delete(&app, old).await, Ok(1));
    if backend == Backend::Postgres {
        let err = app
            .store
            .execute(yingji_store::Sql::new("TRUNCATE audit_log"))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("truncated"), "{err}");
    }
    if backend == Backend::Postgres {
        app.drop_database().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_sqlite() {
    rows_younger_than_retention_stay(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_postgres() {
    rows_younger_than_retention_stay(Backend::Postgres).await;
}

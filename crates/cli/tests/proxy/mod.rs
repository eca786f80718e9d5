//! Two nodes behind nginx (issue 25, docs/deployment.md "nginx"): the configuration printed in
//! docs/deployment.md, with the two nodes' addresses put in and TLS left out, in front of two
//! `yingji serve` on one PostgreSQL database. Shown: a session made through nginx holds on both
//! nodes (nginx alternates), the nodes see the real client from X-Forwarded-For and not nginx
//! nor a forged header (sessions and audit log), and the alarm stream through nginx carries an
//! alarm raised by a reading sent to either node. Needs YINGJI_TEST_PG_URL and Debian's nginx
//! (.ci/run installs nginx-light); skipped without them.

use super::Server;
use serde_json::{Value, json};
use std::net::IpAddr;
use std::time::Duration;

/// The client's own loopback address, nginx's, and a forged one the client sends.
const CLIENT: &str = "127.0.0.3";
const NGINX: &str = "127.0.0.2";
const FORGED: &str = "203.0.113.9";

fn nginx_binary() -> Option<&'static str> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

/// The `sites-available/yingji` block of docs/deployment.md, for nodes `a` and `b`, listening on
/// NGINX:port without TLS (no certificate here), the port-80 redirect left out.
fn documented_site(a: &str, b: &str, port: u16) -> String {
    let doc = include_str!("../../../../docs/deployment.md");
    let start = doc
        .find("`/etc/nginx/sites-available/yingji`:")
        .expect("docs/deployment.md has the nginx site");
    let block = &doc[start..];
    let open = block.find("```\n").expect("code block") + 4;
    let close = open + block[open..].find("```").expect("code block end");
    let site = &block[open..close];
    let site = &site[..site.find("server {\n    listen 80;").unwrap_or(site.len())];
    site.lines()
        .filter(|l| !l.trim_start().starts_with("ssl_"))
        .map(|l| match l.trim_start() {
            s if s.starts_with("listen 443") => format!("    listen {NGINX}:{port};"),
            s if s.starts_with("server 10.0.0.21:8080") => l.replace("10.0.0.21:8080", a),
            s if s.starts_with("server 10.0.0.22:8080") => l.replace("10.0.0.22:8080", b),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// nginx in the foreground with its files in `dir`; killed when dropped.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        // TERM: the master stops its workers first (KILL would leave them running).
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.0.id().to_string())
            .status();
        let _ = self.0.wait();
    }
}

fn start_nginx(bin: &str, dir: &std::path::Path, site: &str) -> Nginx {
    use std::os::unix::fs::PermissionsExt;
    // Workers may run as another user when the test runs as root: let them at the temp files.
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777));
    let d = dir.display();
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n{site}\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).expect("nginx.conf");
    let child = std::process::Command::new(bin)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start nginx");
    Nginx(child)
}

fn free_port(ip: &str) -> u16 {
    std::net::TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A client that connects from CLIENT and keeps its cookies.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .local_address(CLIENT.parse::<IpAddr>().ok())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

async fn until_up(url: &str) {
    let c = client();
    for _ in 0..100 {
        if let Ok(r) = c.get(url).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nginx did not answer {url}");
}

/// How many requests of `route` a node answered, from its /metrics (read directly, locally).
async fn served(base: &str, route: &str) -> f64 {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .unwrap_or_default();
    let needle = format!("route=\"{route}\"");
    text.lines()
        .filter(|l| l.starts_with("yingji_http_requests_total{") && l.contains(&needle))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn post(c: &reqwest::Client, url: &str, body: Value) -> Value {
    let r = c.post(url).json(&body).send().await.expect("post");
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    assert!(status.is_success(), "{url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

// Long because: one scenario, told in order (start, sign in, spread, addresses, stream).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_behind_the_documented_nginx() {
    let (Ok(pg), Some(bin)) = (std::env::var("YINGJI_TEST_PG_URL"), nginx_binary()) else {
        eprintln!("YINGJI_TEST_PG_URL or nginx missing: nginx test skipped");
        return;
    };
    let (database_url, _) = super::failover::fresh_database(&pg, "proxy").await;
    let env = [
        ("YINGJI_SERVER__DATABASE_URL", database_url.as_str()),
        ("YINGJI_SERVER__TRUSTED_PROXIES", "[\"127.0.0.1\"]"),
        ("YINGJI_MQTT__EMBEDDED", "false"),
    ];
    let (dir_a, dir_b, dir_n) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let node_a = Server::start_with(dir_a.path(), &env);
    let node_b = Server::start_with(dir_b.path(), &env);
    let hostport = |base: &str| base.trim_start_matches("http://").to_string();
    let port = free_port(NGINX);
    let site = documented_site(&hostport(&node_a.base), &hostport(&node_b.base), port);
    let _nginx = start_nginx(bin, dir_n.path(), &site);
    let front = format!("http://{NGINX}:{port}");
    until_up(&format!("{front}/healthz")).await;

    // Signed in through nginx with a forged X-Forwarded-For; the session holds on both nodes.
    let c = client();
    let login = c
        .post(format!("{front}/api/v1/auth/login"))
        .header("X-Forwarded-For", FORGED)
        .json(&json!({"username": "enterprise", "password": "Yingji@2026"}))
        .send()
        .await
        .expect("login");
    assert!(login.status().is_success(), "login through nginx");
    let me = "/api/v1/auth/me";
    let before = (
        served(&node_a.base, me).await,
        served(&node_b.base, me).await,
    );
    for _ in 0..10 {
        let r = c.get(format!("{front}{me}")).send().await.expect("me");
        assert!(r.status().is_success(), "the session holds on every node");
    }
    let after = (
        served(&node_a.base, me).await,
        served(&node_b.base, me).await,
    );
    assert!(
        after.0 > before.0 && after.1 > before.1,
        "nginx spread the requests over both nodes: {before:?} → {after:?}"
    );

    // The nodes saw the client's address: not nginx's, not the forged one.
    let db = yingji_store::Store::connect(&database_url)
        .await
        .expect("db");
    for sql in [
        "SELECT ip FROM sessions ORDER BY created_ms DESC LIMIT 1",
        "SELECT ip FROM audit_log WHERE action = 'login' ORDER BY seq DESC LIMIT 1",
    ] {
        let row = db
            .fetch_optional(yingji_store::Sql::new(sql))
            .await
            .expect("query")
            .expect("a row");
        use yingji_store::sqlx::Row;
        let ip: Option<String> = row.try_get(0).expect("ip");
        assert_eq!(ip.as_deref(), Some(CLIENT), "{sql}");
    }

    // The alarm stream through nginx carries an alarm raised by a reading sent to each node.
    let mut stream = c
        .get(format!("{front}/api/v1/alarms/stream"))
        .send()
        .await
        .expect("stream");
    assert!(stream.status().is_success(), "stream through nginx");
    for (i, node) in [&node_a, &node_b].into_iter().enumerate() {
        let direct = super::login(&node.base, "enterprise").await;
        let code = format!("PX-{i}");
        post(
            &direct,
            &format!("{}/api/v1/sensors", node.base),
            json!({"code": code, "name": "储罐液位", "kind": "level", "unit": "%",
                "object_name": "储罐区", "threshold_hh": "90", "hysteresis": "1"}),
        )
        .await;
        let now = super::failover::now_ms();
        post(
            &direct,
            &format!("{}/api/v1/readings", node.base),
            json!([{"sensor": code, "ts": now, "value": "95"}]),
        )
        .await;
        let seen = tokio::time::timeout(Duration::from_secs(20), async {
            let mut text = String::new();
            while !text.contains(&code) {
                match stream.chunk().await {
                    Ok(Some(bytes)) => text.push_str(&String::from_utf8_lossy(&bytes)),
                    _ => return false,
                }
            }
            true
        })
        .await;
        assert_eq!(
            seen,
            Ok(true),
            "the alarm of {code} (node {i}) came through nginx"
        );
    }
    db.close().await;
}

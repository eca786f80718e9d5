//! The `yingji` binary as an operator uses it.

use std::process::Command;

#[path = "failover/mod.rs"]
mod failover;
#[path = "proxy/mod.rs"]
mod proxy;

fn yingji(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yingji"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("YINGJI_SERVER__DATABASE_URL")
        .output()
        .expect("run yingji");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn config_default_lists_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = yingji(dir.path(), &["config", "default"]);
    assert!(ok);
    for key in [
        "listen",
        "data_dir",
        "database_url",
        "demo",
        "login_max_failures",
        "login_per_minute",
        "level",
    ] {
        assert!(out.contains(&format!("{key} =")), "{key} missing");
    }
}

#[test]
fn demo_users_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = yingji(dir.path(), &["migrate"]);
    assert!(ok, "{out}");
    let (ok, out) = yingji(dir.path(), &["demo", "--seed", "7"]);
    assert!(ok, "{out}");
    assert!(out.contains("企业400家"), "{out}");
    let (ok, out) = yingji(dir.path(), &["demo"]);
    assert!(!ok && out.contains("已有区划数据"), "{out}");
    let (ok, out) = yingji(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "ops",
            "--role",
            "duty_officer",
            "--region",
            "360403",
        ],
    );
    assert!(ok, "{out}");
    assert!(out.contains("初始密码"), "{out}");
    let (ok, out) = yingji(
        dir.path(),
        &["user", "add", "--username", "bad", "--role", "street_staff"],
    );
    assert!(!ok && out.contains("所属区划"), "{out}");
    let (ok, out) = yingji(
        dir.path(),
        &[
            "user",
            "passwd",
            "--username",
            "ops",
            "--password",
            "Another2026",
        ],
    );
    assert!(ok, "{out}");
    // The district's policy holds here too (three classes of characters, not the user name).
    let weak = [
        "user",
        "passwd",
        "--username",
        "ops",
        "--password",
        "onlylower2026",
    ];
    let (ok, out) = yingji(dir.path(), &weak);
    assert!(!ok && out.contains("至少3种"), "{out}");
    let named = [
        "user",
        "passwd",
        "--username",
        "ops",
        "--password",
        "Ops#2026abc",
    ];
    let (ok, out) = yingji(dir.path(), &named);
    assert!(!ok && out.contains("用户名"), "{out}");
    let (ok, out) = yingji(dir.path(), &["audit", "verify"]);
    assert!(ok && out.contains("审计链完整"), "{out}");

    // Tamper with one record behind the application's back.
    let url = format!("sqlite://{}", dir.path().join("yingji.db").display());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = yingji_store::Store::connect(&url).await.unwrap();
        let mut q =
            yingji_store::Sql::new("UPDATE audit_log SET actor_name = 'intruder' WHERE seq = ");
        q.bind(4i64);
        store.execute(q).await.unwrap();
        store.close().await;
    });
    let (ok, out) = yingji(dir.path(), &["audit", "verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains("第4条记录"), "{out}");
}

#[test]
fn bad_database_url_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = yingji(dir.path(), &["--database-url", "mysql://x", "migrate"]);
    assert!(!ok);
    assert!(out.contains("sqlite: 或 postgres://"), "{out}");
}

#[test]
fn first_start_creates_an_admin_who_must_change_the_password() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yingji"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    while let Some(Ok(line)) = lines.next() {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("已启动") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.contains("已创建初始管理员 admin") && seen.contains("首次登录后须修改"),
        "{seen}"
    );
    assert!(!seen.contains("演示账号"), "{seen}");
}

/// A running server in a temporary data directory; dropped (or `kill`ed) with SIGKILL.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        Self::start_with(dir, &[])
    }

    /// Started with these environment variables (configuration keys) set as well.
    fn start_with(dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_yingji"))
            .arg("--data-dir")
            .arg(dir)
            .args([
                "serve",
                "--demo",
                "--no-simulator",
                "--listen",
                "127.0.0.1:0",
            ])
            .env("RUST_LOG", "warn")
            .env("YINGJI_MQTT__LISTEN", "127.0.0.1:0")
            // The demo administrators would first have to enrol a second factor (ADR 0030);
            // these tests sign in as them to do other things.
            .env("YINGJI_SECURITY__SECOND_FACTOR_ENFORCED", "false")
            .env_remove("YINGJI_SERVER__DATABASE_URL")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start yingji");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut base = String::new();
        while let Some(Ok(line)) = lines.next() {
            if let Some(rest) = line.split("已启动：").nth(1) {
                base = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('/')
                    .to_string();
                break;
            }
        }
        assert!(base.starts_with("http://"), "server did not start");
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    /// kill -9: no shutdown code runs.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn login(base: &str, user: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let r = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": user, "password": "Yingji@2026"}))
        .send()
        .await
        .expect("login");
    assert!(r.status().is_success(), "login {user}");
    c
}

async fn get_json(c: &reqwest::Client, url: &str) -> serde_json::Value {
    c.get(url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}

/// 叫应 timers are durable: a step that falls due while the server is killed with SIGKILL
/// fires within 5 s of the restart, and the step that had fired before is not sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_survives_kill_9() {
    use serde_json::json;
    let dir = tempfile::tempdir().expect("dir");
    let server = Server::start(dir.path());
    let base = server.base.clone();
    let admin = login(&base, "admin").await;
    let mut rules =
        get_json(&admin, &format!("{base}/api/v1/rules?region=360403")).await["rules"].clone();
    rules["alarm"]["escalation"] = json!([
        {"after_secs": 0, "targets": ["enterprise"], "label": "企业安全员"},
        {"after_secs": 3, "targets": ["district"], "label": "区值班室"}
    ]);
    let r = admin
        .put(format!("{base}/api/v1/rules"))
        .json(&json!({"region": "360403", "rules": rules}))
        .send()
        .await
        .expect("rules");
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );
    let ent = login(&base, "enterprise").await;
    let sensor = json!({"code": "K9-1", "name": "储罐液位", "kind": "level", "unit": "%",
        "object_name": "储罐区", "threshold_hh": "90", "hysteresis": "1"});
    let r = ent
        .post(format!("{base}/api/v1/sensors"))
        .json(&sensor)
        .send()
        .await
        .expect("sensor");
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let r = ent
        .post(format!("{base}/api/v1/readings"))
        .json(&json!([{"sensor": "K9-1", "ts": now_ms, "value": 95}]))
        .send()
        .await
        .expect("reading");
    assert!(r.status().is_success());
    // Step 1 fires at once; then the server dies before step 2 is due.
    let mut alarm = serde_json::Value::Null;
    for _ in 0..50 {
        alarm = get_json(&ent, &format!("{base}/api/v1/alarms")).await["items"][0].clone();
        if alarm["steps_fired"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(alarm["steps_fired"], 1, "{alarm}");
    let id = alarm["id"].as_str().expect("id").to_string();
    server.kill();
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;

    let server = Server::start(dir.path());
    let restarted = std::time::Instant::now();
    let base = server.base.clone();
    let ent = login(&base, "enterprise").await;
    let mut history = serde_json::Value::Null;
    while restarted.elapsed() < std::time::Duration::from_secs(5) {
        history = get_json(&ent, &format!("{base}/api/v1/alarms/{id}/events")).await;
        let escalations = history
            .as_array()
            .map(|h| h.iter().filter(|e| e["action"] == "escalate").count())
            .unwrap_or(0);
        if escalations == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let escalations: Vec<&str> = history
        .as_array()
        .map(|h| {
            h.iter()
                .filter(|e| e["action"] == "escalate")
                .filter_map(|e| e["note"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(escalations.len(), 2, "within 5 s of the restart: {history}");
    assert!(escalations[0].starts_with("企业安全员") && escalations[1].starts_with("区值班室"));
    // Nothing more fires later: none twice.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let alarm = get_json(&ent, &format!("{base}/api/v1/alarms/{id}")).await;
    assert_eq!(alarm["steps_fired"], 2);
    let again = get_json(&ent, &format!("{base}/api/v1/alarms/{id}/events")).await;
    assert_eq!(
        again
            .as_array()
            .map(|h| h.iter().filter(|e| e["action"] == "escalate").count()),
        Some(2)
    );
    drop(server);
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The entries of a directory with their sizes, SQLite's WAL and shared-memory files aside
/// (they come and go as connections close).
fn entries(dir: &std::path::Path) -> Vec<(String, u64)> {
    let Ok(d) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, u64)> = d
        .map(|e| e.expect("entry"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e))
        .filter(|(n, _)| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .map(|(n, e)| (n, e.metadata().expect("metadata").len()))
        .collect();
    out.sort();
    out
}

#[test]
fn backup_while_open_then_restore_into_an_empty_directory() {
    use yingji_store::kernel::attachments;
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let (ok, out) = yingji(&data, &["migrate"]);
    assert!(ok, "{out}");
    let (ok, out) = yingji(&data, &["user", "add", "--username", "ops"]);
    assert!(ok, "{out}");
    std::fs::create_dir_all(data.join("basemap")).unwrap();
    std::fs::write(data.join("basemap/city.mbtiles"), b"tiles").unwrap();
    let photo: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let url = format!("sqlite://{}", data.join("yingji.db").display());
    // The store stays open (its last write still in the WAL) while the backup runs.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (store, id) = rt.block_on(async {
        let store = yingji_store::Store::connect(&url).await.unwrap();
        let upload = attachments::Upload {
            uploaded_by: None,
            filename: "现场.jpg",
            mime: "image/jpeg",
            bytes: &photo,
            derived: None,
        };
        let a = attachments::insert(&store, 1, upload).await.unwrap();
        (store, a.id)
    });
    let backup = root.path().join("backup");
    let (ok, out) = yingji(&data, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(
        ok && out.contains("备份完成") && out.contains("附件1个"),
        "{out}"
    );
    rt.block_on(store.close());
    let manifest = std::fs::read_to_string(backup.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("files/basemap/city.mbtiles"),
        "{manifest}"
    );

    // The key file is backed up apart (ADR 0032): put back before the restore.
    assert!(!manifest.contains("yingji.keys"), "{manifest}");
    let restored = root.path().join("restored");
    let from = backup.to_str().unwrap();
    let (ok, out) = yingji(&restored, &["restore", "--from", from]);
    assert!(!ok && out.contains("缺少审计密钥"), "{out}");
    std::fs::remove_dir_all(&restored).unwrap();
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(data.join("yingji.keys"), restored.join("yingji.keys")).unwrap();
    let (ok, out) = yingji(&restored, &["restore", "--from", from]);
    assert!(ok && out.contains("审计链完整"), "{out}");
    let (ok, out) = yingji(&restored, &["audit", "verify"]);
    assert!(ok && out.contains("审计链完整"), "{out}");
    assert_eq!(
        std::fs::read(restored.join("basemap/city.mbtiles")).unwrap(),
        b"tiles"
    );
    let url = format!("sqlite://{}", restored.join("yingji.db").display());
    let bytes = block_on(async {
        let store = yingji_store::Store::connect(&url).await.unwrap();
        let got = attachments::get(&store, &id, yingji_core::kernel::photo::Size::Original).await;
        store.close().await;
        got.unwrap().bytes.unwrap()
    });
    assert_eq!(bytes, photo);

    // Into a directory that is not empty: refused, nothing written.
    let before = entries(&restored);
    let (ok, out) = yingji(&restored, &["restore", "--from", from]);
    assert!(!ok && out.contains("不为空"), "{out}");
    assert_eq!(entries(&restored), before);

    // A tampered backup: refused before anything is written.
    std::fs::write(backup.join("files/basemap/city.mbtiles"), b"TILES").unwrap();
    let other = root.path().join("other");
    let (ok, out) = yingji(&other, &["restore", "--from", from]);
    assert!(!ok && out.contains("校验和"), "{out}");
    assert!(entries(&other).is_empty());
}

#[test]
fn backup_and_restore_explain_bad_input() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let to = root.path().join("b");
    let to = to.to_str().unwrap();
    let (ok, out) = yingji(&data, &["backup", "--to", to]);
    assert!(!ok && out.contains("找不到数据库文件"), "{out}");
    let (ok, out) = yingji(&data, &["restore", "--from", to]);
    assert!(!ok && out.contains("不存在"), "{out}");
    std::fs::create_dir_all(root.path().join("b")).unwrap();
    let (ok, out) = yingji(&data, &["restore", "--from", to]);
    assert!(!ok && out.contains("manifest.json"), "{out}");
    std::fs::write(root.path().join("b/manifest.json"), "{").unwrap();
    let (ok, out) = yingji(&data, &["restore", "--from", to]);
    assert!(!ok && out.contains("备份清单损坏"), "{out}");
    let (ok, out) = yingji(&data, &["migrate"]);
    assert!(ok, "{out}");
    let (ok, out) = yingji(&data, &["backup", "--to", to]);
    assert!(!ok && out.contains("不为空"), "{out}");
    let pg = ["--database-url", "postgres://u@127.0.0.1:1/x"];
    let (ok, out) = yingji(&data, &[&pg[..], &["backup", "--to", to]].concat());
    assert!(!ok && out.contains("pg_dump"), "{out}");
    let (ok, out) = yingji(&data, &[&pg[..], &["restore", "--from", to]].concat());
    assert!(!ok && out.contains("pgBackRest"), "{out}");
}

/// SIGTERM (what `systemctl stop` sends) stops a node cleanly even with a live stream open: it
/// exits 0 after at most the drain time, and has handed its background leases back instead of
/// leaving them to lapse.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_and_releases_the_leases() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = Server::start(dir.path());
    let base = server.base.clone();
    let admin = login(&base, "admin").await;
    let url = format!("sqlite://{}", dir.path().join("yingji.db").display());
    let store = yingji_store::Store::connect(&url).await.expect("store");
    let leases = yingji_store::Sql::new("SELECT COUNT(*) AS n FROM job_leases");
    let held = |store: yingji_store::Store, q: yingji_store::Sql| async move {
        let row = store.fetch_optional(q).await.expect("leases").expect("row");
        yingji_store::sqlx::Row::try_get::<i64, _>(&row, "n").expect("n")
    };
    let mut n = 0;
    for _ in 0..100 {
        n = held(store.clone(), leases.clone()).await;
        if n > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(n > 0, "the node took its background leases");
    let stream = admin
        .get(format!("{base}/api/v1/alarms/stream"))
        .send()
        .await
        .expect("stream");
    assert!(stream.status().is_success());
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(sent.expect("kill").success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    let status = loop {
        if let Some(s) = server.child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the node did not stop"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(status.success(), "{status:?}");
    assert_eq!(held(store.clone(), leases).await, 0, "leases handed back");
    drop(stream);
    store.close().await;
}

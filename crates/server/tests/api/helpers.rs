//! `TestApp`: a real server on 127.0.0.1:0 with a fresh database, loaded with the demo
//! district, and a client per demo account.

use crate::contract;
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use yingji_core::kernel::clock::{Clock, ManualClock, SharedClock};
use yingji_demo::{self as demo, DistrictSource, Scale};
use yingji_server::{AppState, ServerConfig};
use yingji_store::Store;

pub const PASSWORD: &str = demo::DEMO_PASSWORD;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    /// The embedded MQTT broker of this server.
    pub mqtt: std::net::SocketAddr,
    pub ingest: yingji_ingest::Pipeline,
    pub store: Store,
    pub clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    /// The PostgreSQL database made for this test: (the server's URL, the database's name).
    pg_database: Option<(String, String)>,
}

/// A running server (HTTP and the embedded MQTT broker) on a store, as `yingji serve` starts.
struct Node {
    base: String,
    mqtt: std::net::SocketAddr,
    ingest: yingji_ingest::Pipeline,
    shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Node {
    async fn start(
        store: Store,
        clock: Arc<ManualClock>,
        cfg: ServerConfig,
        notifier: yingji_jobs::notify::NotifierConfig,
    ) -> Node {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let shared: SharedClock = clock;
        let mut state = AppState::new(store, shared, cfg);
        state.notifier = notifier;
        let broker = yingji_ingest::mqtt::broker::Broker::bind(
            "127.0.0.1:0",
            state.ingest.clone(),
            Default::default(),
        )
        .await
        .expect("MQTT bind");
        let mqtt = broker.local_addr().expect("MQTT addr");
        tokio::spawn(broker.run());
        let ingest = state.ingest.clone();
        let (shutdown, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(yingji_server::serve(listener, state, async {
            let _ = rx.await;
        }));
        wait_until_serving(&base).await;
        Node {
            base,
            mqtt,
            ingest,
            shutdown,
        }
    }
}

/// Waits until the node answers HTTP: `serve` does start-up work on the database before it
/// accepts (the listener is already bound), and a test that takes the database away at once
/// would otherwise end that start-up and see its connection reset.
async fn wait_until_serving(base: &str) {
    let client = Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client");
    for _ in 0..300 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the test server did not start serving at {base}");
}

/// Runs a scenario on each available backend, e.g. `both!(creates_enterprise)`.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                super::$name(&app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::helpers::TestApp::spawn_pg().await else {
                    return;
                };
                super::$name(&app).await;
                app.drop_database().await;
            }
        }
    };
}

static DB_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The fixed key ring of the tests (ADR 0032): `yingji serve` loads its own from the key file.
pub const TEST_KEYS: &str = "audit ta1 1111111111111111111111111111111111111111111111111111111111111111; data td1 22222222222222222222222222222222; index ti1 3333333333333333333333333333333333333333333333333333333333333333";

/// Installs `TEST_KEYS` unless a test installed a larger ring (a rotation) in this process.
pub fn install_test_keys() {
    if yingji_store::kernel::keys::installed().is_none() {
        let ring = yingji_core::kernel::gm::KeyRing::parse(TEST_KEYS).expect("test keys");
        yingji_store::kernel::keys::install(ring);
    }
}

pub fn source() -> DistrictSource {
    serde_json::from_str(include_str!("../../../../data/demo-district/xunyang.json"))
        .expect("demo district data")
}

impl TestApp {
    pub async fn spawn_pg() -> Option<TestApp> {
        match std::env::var("YINGJI_TEST_PG_URL") {
            Ok(u) if !u.is_empty() => Some(Self::spawn(Backend::Postgres).await),
            _ => {
                eprintln!("YINGJI_TEST_PG_URL not set: PostgreSQL variant skipped");
                None
            }
        }
    }

    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(
            backend,
            ServerConfig {
                demo: true,
                ..ServerConfig::default()
            },
        )
        .await
    }

    pub async fn spawn_with(backend: Backend, cfg: ServerConfig) -> TestApp {
        Self::spawn_full(backend, cfg, Default::default()).await
    }

    /// With the outbox sending through the given mail server and SMS gateway.
    pub async fn spawn_full(
        backend: Backend,
        cfg: ServerConfig,
        notifier: yingji_jobs::notify::NotifierConfig,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut pg_database = None;
        let url = match backend {
            Backend::Sqlite => {
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())
            }
            Backend::Postgres => {
                let base = std::env::var("YINGJI_TEST_PG_URL").expect("YINGJI_TEST_PG_URL");
                let name = format!(
                    "yj_test_{}_{}",
                    std::process::id(),
                    DB_COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let admin = Store::connect(&base).await.expect("connect to PostgreSQL");
                admin
                    .execute(yingji_store::Sql::new(&format!(
                        "DROP DATABASE IF EXISTS {name}"
                    )))
                    .await
                    .expect("drop db");
                admin
                    .execute(yingji_store::Sql::new(&format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create db");
                admin.close().await;
                pg_database = Some((base.clone(), name.clone()));
                let (head, _) = base.rsplit_once('/').expect("database URL has a path");
                format!("{head}/{name}")
            }
        };
        let store = Store::connect(&url).await.expect("connect");
        let clock = Arc::new(ManualClock::new(1_780_000_000_000)); // 2026-05-28
        yingji_store::migrate::run(&store, 0)
            .await
            .expect("migrate");
        install_test_keys();
        yingji_app::security::keys::seal_audit_chain(&store, clock.now_ms())
            .await
            .expect("seal the audit chain");
        let data = demo::generate(&source(), 42, Scale::Small);
        let hash = yingji_server::auth::hash_password(PASSWORD).expect("hash");
        yingji_demo::seed::load(&store, clock.now_ms(), &data, &hash)
            .await
            .expect("demo load");
        let node = Node::start(store.clone(), clock.clone(), cfg, notifier).await;
        TestApp {
            base: node.base,
            mqtt: node.mqtt,
            ingest: node.ingest,
            store,
            clock,
            _dir: dir,
            _shutdown: node.shutdown,
            pg_database,
        }
    }

    /// Another `yingji serve` node on this test's PostgreSQL database (issue 25): its own HTTP
    /// server, MQTT broker, ingest pipeline, caches and live listener; the same clock. `None`
    /// on SQLite (one node). Dropping it stops it; the first node drops the database.
    pub async fn spawn_second_node(&self) -> Option<TestApp> {
        let store = Store::connect(&self.pg_url()?).await.expect("connect");
        let cfg = ServerConfig {
            demo: true,
            ..ServerConfig::default()
        };
        let node = Node::start(store.clone(), self.clock.clone(), cfg, Default::default()).await;
        Some(TestApp {
            base: node.base,
            mqtt: node.mqtt,
            ingest: node.ingest,
            store,
            clock: self.clock.clone(),
            _dir: tempfile::tempdir().expect("temp dir"),
            _shutdown: node.shutdown,
            pg_database: None,
        })
    }

    /// This test's PostgreSQL database URL (`None` on SQLite, and for a second node).
    fn pg_url(&self) -> Option<String> {
        let (base, name) = self.pg_database.as_ref()?;
        let (head, _) = base.rsplit_once('/')?;
        Some(format!("{head}/{name}"))
    }

    /// PostgreSQL only: makes the database refuse every connection and ends the ones open
    /// (`refuse`), or lets connections in again. `false` on SQLite.
    pub async fn refuse_connections(&self, refuse: bool) -> bool {
        let Some((base, name)) = &self.pg_database else {
            return false;
        };
        let admin = Store::connect(base).await.expect("connect to PostgreSQL");
        let allow = if refuse { "false" } else { "true" };
        admin
            .execute(yingji_store::Sql::new(&format!(
                "ALTER DATABASE {name} ALLOW_CONNECTIONS {allow}"
            )))
            .await
            .expect("alter database");
        if refuse {
            admin
                .execute(yingji_store::Sql::new(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                )))
                .await
                .expect("end connections");
        }
        admin.close().await;
        true
    }

    /// Stops the server and drops this test's PostgreSQL database (a passed scenario's; a failed
    /// one keeps it to look at), so test runs do not fill the disk with databases.
    pub async fn drop_database(self) {
        let Some((base, name)) = self.pg_database else {
            return;
        };
        let _ = self._shutdown.send(());
        self.store.close().await;
        let admin = Store::connect(&base).await.expect("connect to PostgreSQL");
        admin
            .execute(yingji_store::Sql::new(&format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await
            .expect("drop db");
        admin.close().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn anonymous(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    }

    /// The SQLite database file and its WAL (for tests that read the raw bytes); empty on PostgreSQL.
    pub fn sqlite_files(&self) -> Vec<std::path::PathBuf> {
        if self.pg_database.is_some() {
            return vec![];
        }
        let db = self._dir.path().join("test.db");
        vec![db.clone(), db.with_extension("db-wal")]
    }

    /// A logged-in client for a demo account.
    pub async fn login(&self, username: &str) -> Client {
        let c = self.anonymous();
        let r = c
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send_checked()
            .await
            .expect("login");
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "login {username}: {}",
            r.text().await.unwrap_or_default()
        );
        c
    }

    // Every answer is checked against the OpenAPI document (crate::contract).
    pub async fn get(&self, c: &Client, path: &str) -> (StatusCode, Value) {
        json(c.get(self.url(path)).send_checked().await.expect("request")).await
    }
    pub async fn post(&self, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
        json(
            c.post(self.url(path))
                .json(body)
                .send_checked()
                .await
                .expect("request"),
        )
        .await
    }
    pub async fn put(&self, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
        json(
            c.put(self.url(path))
                .json(body)
                .send_checked()
                .await
                .expect("request"),
        )
        .await
    }
    pub async fn delete(&self, c: &Client, path: &str) -> (StatusCode, Value) {
        json(
            c.delete(self.url(path))
                .send_checked()
                .await
                .expect("request"),
        )
        .await
    }

    /// Rows in a table, straight from the database (to show nothing partial was stored).
    pub async fn count(&self, table: &str) -> i64 {
        self.store
            .fetch_i64(yingji_store::Sql::new(&format!(
                "SELECT COUNT(*) FROM {table}"
            )))
            .await
            .expect("count")
    }

    /// The first enterprise of the demo in the given street (9-digit code).
    pub async fn enterprise_in(&self, admin: &Client, region: &str) -> Value {
        let (s, v) = self
            .get(
                admin,
                &format!("/api/v1/enterprises?region={region}&page_size=1"),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        v["items"][0].clone()
    }
}

/// `send()` that checks the exchange against the OpenAPI document (crate::contract) before
/// handing the answer back; tests send every request through it (or the helpers above).
pub trait SendChecked {
    fn send_checked(self) -> impl std::future::Future<Output = reqwest::Result<Response>> + Send;
}

impl SendChecked for RequestBuilder {
    async fn send_checked(self) -> reqwest::Result<Response> {
        let (client, request) = self.build_split();
        let request = request?;
        let method = request.method().as_str().to_string();
        let path = request.url().path().to_string();
        let request_type = header(request.headers(), "content-type");
        let request_body = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(<[u8]>::to_vec);
        let r = client.execute(request).await?;
        let status = r.status();
        let content_type = header(r.headers(), "content-type");
        let mut exchange = contract::Exchange {
            method: &method,
            path: &path,
            request_content_type: request_type.as_deref(),
            request_body: request_body.as_deref(),
            status: status.as_u16(),
            content_type: content_type.as_deref(),
            body: None,
        };
        if content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("text/event-stream"))
        {
            // A stream stays open: status and media type only.
            exchange.body = Some(b"-");
            contract::check(&exchange);
            return Ok(r);
        }
        let headers = r.headers().clone();
        let version = r.version();
        let bytes = r.bytes().await?;
        exchange.body = Some(&bytes);
        contract::check(&exchange);
        let mut rebuilt = axum::http::Response::new(bytes.to_vec());
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers;
        Ok(Response::from(rebuilt))
    }
}

fn header(h: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

pub async fn json(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A valid 统一社会信用代码 built from a number (distinct from the demo's).
pub fn uscc(n: u32) -> String {
    let first17 = format!("91360403MA{:07}", n);
    format!(
        "{first17}{}",
        yingji_core::directory::uscc::check_char(&first17).expect("valid alphabet")
    )
}

/// A valid enterprise body in the given grid.
pub fn enterprise_body(n: u32, grid: &str, category: &str) -> Value {
    serde_json::json!({
        "name": format!("测试企业{n}有限公司"),
        "uscc": uscc(n),
        "industry_code": "C2614",
        "categories": [category],
        "address": "九江市浔阳区测试路1号",
        "lon": 115.99, "lat": 29.71,
        "grid_code": grid,
        "principal_name": "张三", "principal_phone": "13800000000",
    })
}

/// The code of the first grid under a street (9-digit code).
pub async fn first_grid(app: &TestApp, admin: &Client, street: &str) -> String {
    let (s, v) = app.get(admin, "/api/v1/regions?level=grid").await;
    assert_eq!(s, StatusCode::OK);
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["code"].as_str().unwrap_or("").to_string())
        .find(|c| c.starts_with(street))
        .expect("a grid in the street")
}

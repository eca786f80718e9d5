//! The HTTP face of yingji: the JSON API under `/api/v1`, its OpenAPI document, and the
//! embedded web console. Handlers are thin: they authenticate, check the role, and call the
//! store, whose queries carry the caller's scope.

pub mod auth;
pub mod cache;
pub mod edge;
pub mod error;
pub mod extract;
pub mod live;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod spreadsheet;
pub mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use yingji_core::kernel::clock::SharedClock;
use yingji_store::Store;

/// Settings the HTTP layer needs (the CLI maps the config file onto these).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub demo: bool,
    /// Session idle timeout forced over the district's security policy (None: the policy's).
    pub session_idle_override_ms: Option<i64>,
    /// Absolute session lifetime forced over the policy (None: the policy's).
    pub session_absolute_override_ms: Option<i64>,
    /// Roles the policy names must pass a second factor even before they enrolled one (their
    /// session reaches only enrolment until they do). False: a factor is asked of whoever
    /// enrolled one (a rollout period).
    pub second_factor_enforced: bool,
    pub cookie_secure: bool,
    pub max_body_bytes: usize,
    pub import_max_bytes: usize,
    pub login_max_failures: i64,
    pub login_lock_ms: i64,
    pub login_per_minute: usize,
    pub attachment_max_bytes: usize,
    /// Public report submissions (and uploads, and tracking lookups) per address per minute.
    pub public_per_minute: usize,
    /// How long raw readings and their 1-minute rollups are kept.
    pub retention: yingji_core::monitoring::trend::Retention,
    /// The base map: the tile file to serve and the online source (ADR 0022).
    pub basemap: yingji_core::kernel::basemap::BasemapSettings,
    /// Days the phones' idempotency keys are kept before they are pruned.
    pub idempotency_retention_days: i64,
    /// The external MQTT broker's HTTP hooks (`/api/mqtt/auth`, `/api/mqtt/acl`).
    pub broker_hook: routes::monitoring::broker_hook::HookConfig,
    /// Reverse proxies whose `X-Forwarded-For` names the client (empty: the socket peer is the
    /// client).
    pub trusted_proxies: Vec<yingji_core::kernel::proxy::Cidr>,
    /// A bearer token that may read `/metrics` from another host (None: only from this host).
    pub metrics_token: Option<String>,
    /// Send Strict-Transport-Security on every response (`[security] hsts = "always"`); else
    /// only on requests a trusted proxy says came over TLS (`edge::harden`).
    pub hsts_always: bool,
    /// The console overlays the viewer's name and the time on pages with personal data
    /// (`[security] watermark`), told by `GET /api/v1/security/settings`.
    pub watermark: bool,
    /// Days an audit row is kept before it may be deleted (`[audit] retention_days`, at least
    /// 180); written to the database, whose trigger enforces it (migration 0062).
    pub audit_retention_days: i64,
    /// Where every audit row is forwarded as RFC 5424 syslog (`[audit.syslog]`); None: nowhere.
    pub audit_syslog: Option<yingji_jobs::audit_syslog::SyslogConfig>,
    /// 统一身份认证 (OIDC, CAS) and the roles refused a local password login (ADR 0031).
    pub sso: yingji_core::security::sso::SsoSettings,
}

/// An absolute session lifetime that never ends a session (about 100 years).
pub const NO_ABSOLUTE_LIMIT_MS: i64 = 100 * 365 * 86_400_000;

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            demo: false,
            // The library's default keeps the timeouts from before the policy (8 h idle, no
            // absolute limit) and does not enforce a second factor; `yingji serve` leaves
            // both to the district's policy (ADR 0030).
            session_idle_override_ms: Some(8 * 3600 * 1000),
            session_absolute_override_ms: Some(NO_ABSOLUTE_LIMIT_MS),
            second_factor_enforced: false,
            cookie_secure: false,
            max_body_bytes: 1024 * 1024,
            import_max_bytes: 20 * 1024 * 1024,
            login_max_failures: 5,
            login_lock_ms: 15 * 60 * 1000,
            login_per_minute: 30,
            attachment_max_bytes: 10 * 1024 * 1024,
            public_per_minute: 5,
            retention: Default::default(),
            basemap: Default::default(),
            idempotency_retention_days: yingji_core::kernel::idempotency::DEFAULT_RETENTION_DAYS,
            broker_hook: Default::default(),
            trusted_proxies: Vec::new(),
            metrics_token: None,
            hsts_always: false,
            watermark: true,
            audit_retention_days: yingji_core::security::retention::MIN_RETENTION_DAYS,
            audit_syslog: None,
            sso: Default::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: SharedClock,
    pub cfg: Arc<ServerConfig>,
    pub login_limiter: Arc<auth::RateLimiter>,
    /// A real argon2 hash to verify against for unknown user names (constant-time-ish login).
    pub dummy_hash: String,
    pub map_counts: Arc<routes::directory::map::MapCountCache>,
    /// The hazard dashboard's year figures by scope, region and year, kept a minute
    /// (`routes::prevention::hazards::dashboard`).
    pub hazard_figures: Arc<cache::TtlCache<yingji_store::prevention::hazards::YearFigures>>,
    pub public_limiter: Arc<auth::RateLimiter>,
    /// Wakes the timer loop when a nearer timer may have been scheduled.
    pub timer_wake: Arc<tokio::sync::Notify>,
    /// Set only by `serve --test-clock`: a clock the browser tests move through the API.
    pub test_clock: Option<Arc<yingji_core::kernel::clock::ManualClock>>,
    /// Ids of newly opened alarm incidents, for the live board's event stream (on PostgreSQL fed
    /// by `live::start`'s listener with every node's alarms; `live::RESYNC` asks for a reload).
    pub alarm_feed: tokio::sync::broadcast::Sender<String>,
    /// The write side of telemetry ingest, shared with the MQTT broker or bridge.
    pub ingest: yingji_ingest::Pipeline,
    /// How the outbox reaches robots, webhooks, mail and SMS (set by the CLI from [notify]).
    pub notifier: yingji_jobs::notify::NotifierConfig,
    /// The base map's settings and its tile file, opened on first use.
    pub basemap: Arc<routes::kernel::basemap::BasemapState>,
    /// This node's request counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Store, clock: SharedClock, cfg: ServerConfig) -> Self {
        let login_limiter = Arc::new(auth::RateLimiter::new(
            store.clone(),
            "login",
            cfg.login_per_minute,
        ));
        let public_limiter = Arc::new(auth::RateLimiter::new(
            store.clone(),
            "public",
            cfg.public_per_minute,
        ));
        let dummy_hash = auth::hash_password(&auth::random_token()).unwrap_or_default();
        let alarm_feed = tokio::sync::broadcast::channel(1024).0;
        let basemap = Arc::new(routes::kernel::basemap::BasemapState::new(
            cfg.basemap.clone(),
        ));
        let timer_wake: Arc<tokio::sync::Notify> = Arc::default();
        let ingest = yingji_ingest::Pipeline::start(
            store.clone(),
            clock.clone(),
            yingji_ingest::AlarmSink {
                feed: alarm_feed.clone(),
                timer_wake: timer_wake.clone(),
            },
        );
        Self {
            store,
            clock,
            cfg: Arc::new(cfg),
            login_limiter,
            dummy_hash,
            map_counts: Arc::default(),
            hazard_figures: Arc::new(cache::TtlCache::new(
                routes::prevention::hazards::FIGURES_TTL_MS,
                1000,
            )),
            public_limiter,
            timer_wake,
            test_clock: None,
            alarm_feed,
            ingest,
            notifier: Default::default(),
            basemap,
            metrics: Arc::default(),
        }
    }
}

impl AppState {
    pub fn alarm_sink(&self) -> yingji_ingest::AlarmSink {
        yingji_ingest::AlarmSink {
            feed: self.alarm_feed.clone(),
            timer_wake: self.timer_wake.clone(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let body_limit = state.cfg.max_body_bytes;
    let import_limit = state.cfg.import_max_bytes;
    // Room for the body framing around the largest allowed attachment; the exact size is
    // checked with a Chinese message in the handler.
    let attachment_limit = state.cfg.attachment_max_bytes + 64 * 1024;
    let limits = routes::Limits {
        import: import_limit,
        attachment: attachment_limit,
    };
    let (api, paths) = routes::api(limits).split_for_parts();
    Router::new()
        .merge(api)
        .merge(openapi::routes(openapi::complete(paths)))
        .route("/metrics", axum::routing::get(metrics::scrape))
        .fallback(web::serve)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            edge::edge,
        ))
        .with_state(state)
}

/// The audit retention the database enforces, written as configured (checked by the CLI), and
/// the syslog forwarding if configured (ADR 0033).
async fn start_audit_work(
    state: &AppState,
    node: &str,
) -> std::io::Result<Option<tokio::task::JoinHandle<()>>> {
    let min = yingji_core::security::retention::MIN_RETENTION_DAYS;
    let retention = state.cfg.audit_retention_days.max(min);
    yingji_store::security::audit_retention::set_days(&state.store, retention)
        .await
        .map_err(std::io::Error::other)?;
    Ok(state.cfg.audit_syslog.clone().map(|cfg| {
        tokio::spawn(yingji_jobs::audit_syslog::run(
            state.store.clone(),
            state.clock.clone(),
            cfg,
            node.to_string(),
        ))
    }))
}

/// Answers HTTP requests only, without a node's background loops (timers, outbox, feeds,
/// sweeps, the live listener): what `serve` runs once those are started, and what
/// `yingji bench-city` measures (its nodes must not raise alarms or send while measuring).
pub async fn serve_requests(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stopping, mut stopped) = tokio::sync::watch::channel(false);
    let signal = async move {
        shutdown.await;
        let _ = stopping.send(true);
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(signal)
        .into_future();
    // Open live streams (SSE) never end by themselves: past the drain time they are cut.
    let drained = async move {
        let _ = stopped.wait_for(|s| *s).await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        r = served => r,
        _ = drained => {
            tracing::warn!("requests still open {}s after the stop signal were cut", DRAIN.as_secs());
            Ok(())
        }
    }
}

/// How long a stopping node lets open requests finish (systemd's TimeoutStopSec is 30 s).
pub const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves until `shutdown` resolves. Tests bind port 0 and pass the listener in.
// Long because: every background loop of a node, started and then stopped, side by side.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The timer loop runs beside the HTTP server on every node; timers fire once across nodes,
    // and outbox messages are claimed by one node at a time. Singleton work (feeds, the offline
    // sweep, rollups, pruning) runs on the node holding its lease, with this node's id as the
    // holder (ADR 0027).
    let node = yingji_store::kernel::leases::node_id();
    tracing::info!(node = %node, "node started: background work leases held as this id");
    let notifier = match yingji_jobs::notify::Notifier::new(
        state.store.clone(),
        state.clock.clone(),
        state.notifier.clone(),
    ) {
        Ok(n) => n,
        Err(e) => return Err(std::io::Error::other(e)),
    };
    let audit_syslog = start_audit_work(&state, &node).await?;
    let timers = tokio::spawn(yingji_jobs::run(
        state.store.clone(),
        state.clock.clone(),
        state.timer_wake.clone(),
    ));
    let offline = tokio::spawn(yingji_ingest::watch_offline(
        state.store.clone(),
        state.clock.clone(),
        state.alarm_sink(),
        std::time::Duration::from_secs(10),
        node.clone(),
    ));
    let outbox = tokio::spawn(yingji_jobs::notify::run(notifier));
    let rollups = tokio::spawn(yingji_jobs::trends::run(
        state.store.clone(),
        state.clock.clone(),
        state.cfg.retention,
        node.clone(),
    ));
    let feeds = tokio::spawn(yingji_jobs::feeds::run(
        state.store.clone(),
        state.clock.clone(),
        node.clone(),
    ));
    let idempotency_keys = tokio::spawn(yingji_jobs::idempotency::run(
        state.store.clone(),
        state.clock.clone(),
        state.cfg.idempotency_retention_days,
        node.clone(),
    ));
    // Before serving: a node that serves must hear the other nodes' alarms.
    let live = live::start(&state).await;
    let checkpoints = tokio::spawn(
        state
            .store
            .clone()
            .checkpoint_loop(std::time::Duration::from_millis(200)),
    );
    let store = state.store.clone();
    let served = serve_requests(listener, state, shutdown).await;
    timers.abort();
    offline.abort();
    outbox.abort();
    rollups.abort();
    feeds.abort();
    idempotency_keys.abort();
    if let Some(j) = audit_syslog {
        j.abort();
    }
    checkpoints.abort();
    if let Some(live) = live {
        live.abort();
    }
    // Leave the leases to the other nodes now rather than after their ttl.
    if let Err(e) = yingji_store::kernel::leases::release_all(&store, &node).await {
        tracing::warn!(error = %e, "leases not released at shutdown");
    }
    served
}

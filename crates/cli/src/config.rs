//! Configuration: one TOML file plus `YINGJI_*` environment variables (sections joined by `__`,
//! e.g. `YINGJI_SERVER__LISTEN`), then command-line flags. `yingji config default` prints
//! DEFAULT_TOML, which documents every key.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const DEFAULT_TOML: &str = r#"# yingji configuration. Every key is optional; shown here with its default.
# Environment variables override the file: YINGJI_<SECTION>__<KEY>, e.g. YINGJI_SERVER__LISTEN=0.0.0.0:8080.

[server]
# Address and port the web console and API listen on.
listen = "127.0.0.1:8080"
# Directory for the SQLite database, attachments and broker state.
data_dir = "./data"
# Empty: SQLite at <data_dir>/yingji.db. Or postgres://user:password@host:5432/db for PostgreSQL.
database_url = ""
# Page size in bytes (512 to 65536, a power of two) of a SQLite database yingji creates. An
# existing database keeps its own; to change it, stop yingji and run
# sqlite3 yingji.db "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL;"
sqlite_page_size = 4096
# Load the demo district (九江市浔阳区) on first start and allow the demo accounts.
demo = false
# Browser sessions end after this many minutes without activity. 0: the district's security
# policy decides (30 by default, changed in the console under 安全策略); a number overrides it.
session_idle_minutes = 0
# Mark the session cookie Secure (set true behind HTTPS).
cookie_secure = false
# Largest JSON request body, in KiB.
max_body_kib = 1024
# Largest import file (.xlsx/.csv), in MiB.
import_max_mib = 20
# Largest attachment (photo or PDF), in MiB.
attachment_max_mib = 10
# Reverse proxies (nginx, a load balancer) in front of yingji, as addresses or networks, e.g.
# ["127.0.0.1", "10.0.0.0/8"]. A request from one of them is taken to come from the rightmost
# X-Forwarded-For address that is not itself listed, so rate limits and the audit log see the
# real client. Empty: the connecting address is the client and X-Forwarded-For is ignored. List
# only the proxies: anyone else can write X-Forwarded-For. See docs/operations.md.
trusted_proxies = []
# A token that lets Prometheus read GET /metrics from another host (Authorization: Bearer
# <token>). Empty: /metrics answers only clients on this host (after trusted_proxies).
metrics_token = ""

[security]
# Consecutive failed logins before an account is locked.
login_max_failures = 5
# How long a locked account stays locked, in minutes.
login_lock_minutes = 15
# Login attempts allowed per client address per minute.
login_per_minute = 30
# Public report submissions (and their uploads and tracking lookups) per address per minute.
public_per_minute = 5
# Roles the security policy names (the administrators always) must pass a second factor at
# login, enrolling one first if they have none. false: only who enrolled is asked (a rollout
# period; 等保 三级 wants true).
second_factor_enforced = true
# Strict-Transport-Security: "proxy" sends it when a trusted proxy (server.trusted_proxies)
# says the request came over HTTPS (X-Forwarded-Proto: https); "always" on every response (the
# site is only ever reached over HTTPS). See docs/security.md.
hsts = "proxy"
# Overlay the viewer's name and the time, faintly, on console pages that show personal data.
watermark = true

# The key ring (ADR 0032): the audit chain's HMAC-SM3 keys and the SM4 keys of personal fields,
# never in the database. Empty: <data_dir>/yingji.keys. Created with mode 0600 on first start (the
# missing keys generated); refused if others can read it. `yingji backup` does not copy it: back it
# up separately. The environment variable YINGJI_KEYS (same text, lines may be separated by ";")
# takes its place when set.
key_file = ""

[audit]
# Days an audit record is kept before it may be deleted: at least 180 (six months, 网络安全法
# art. 21); a smaller value is refused. The database refuses to delete younger records.
retention_days = 180

[audit.syslog]
# Forward every audit record as RFC 5424 syslog to the bureau's collector (安全管理中心), e.g.
# "10.0.0.9:514". Empty: not forwarded. Records wait in the database while it is unreachable.
address = ""
# udp or tcp (RFC 6587 octet counting).
protocol = "udp"

[mqtt]
# Run the embedded MQTT broker (gateways log in with their code and secret, see docs/monitoring.md).
embedded = true
# Address and port of the embedded broker. Use 0.0.0.0:1883 to take readings from the network.
listen = "127.0.0.1:1883"
# Largest MQTT message, in KiB; a larger one closes the connection.
max_packet_kib = 512
# Messages one connection may have waiting for their commit before it is read no further.
max_inflight = 64
# An external broker to take readings from as well (e.g. mosquitto at "10.0.0.5:1883"); empty: none.
external = ""
# Client id, user name and password at the external broker (MQTT 5). The client id must be
# stable across restarts (the broker holds unacknowledged readings for it) and different on
# every node: "{host}" is replaced by the machine's host name, "{port}" by the port of
# server.listen.
external_client_id = "yingji-{host}-{port}"
external_username = ""
external_password = ""
# Shared-subscription group: the nodes of one group split the readings
# ($share/<group>/yj/+/readings). Empty: a plain subscription, for a broker without shared
# subscriptions (then run one node with `external`).
external_share_group = "yingji"
# How long the broker keeps a node's session (and queues its share of the readings) while the
# node is away, in seconds.
external_session_expiry_s = 86400
# Shared secret of the broker's HTTP authentication hooks (POST /api/mqtt/auth and
# /api/mqtt/acl, header X-Yingji-Hook-Secret); empty: the hooks answer 404.
auth_hook_secret = ""

[notify]
# The console's address as people receiving alarm messages reach it (links in robot, mail and
# SMS texts), e.g. "https://yjj.example.gov.cn".
public_url = "http://127.0.0.1:8080"
# Seconds a robot or webhook may take to answer (1 to 10: a message being sent is leased to its
# node for 15 s, after which another node may send it again).
timeout_s = 10
# SMTP server for 电子邮件 channels; empty: email channels are not sent (marked 未发送).
smtp_host = ""
smtp_port = 25
# none (a relay on this host or network), starttls (usually port 587) or tls (port 465).
smtp_security = "starttls"
smtp_username = ""
smtp_password = ""
smtp_from = "应急管理综合平台 <noreply@localhost>"
# SMS gateway (HTTP JSON adapter, see docs/monitoring.md); empty: SMS is not sent (marked 未发送).
sms_url = ""
sms_token = ""
sms_sign = "【应急管理局】"

[monitoring]
# Days raw sensor readings are kept (at least 8: gateways may resend a week of readings).
raw_retention_days = 30
# Days the 1-minute rollups behind the trend charts are kept.
rollup_retention_days = 400

[map]
# The base map under every map page: a tile file (MBTiles or PMTiles v3; vector MVT or raster
# PNG/JPEG/WebP tiles in Web Mercator) served at /api/v1/map/tiles/{z}/{x}/{y}. Empty: none,
# or with server.demo the demo district's small map built into the binary (written to
# <data_dir>/basemap/demo-district.mbtiles). See docs/console.md, 底图.
tiles = ""
# An online base map the browsers load instead of the file; nothing is loaded from the internet
# unless this is set. "" none, "tianditu" (天地图 WMTS, needs tianditu_key) or "url" (the
# bureau's own GIS).
online = ""
# 天地图 developer key (tk), and its layers: "vec" (矢量 + 注记) or "img" (影像 + 注记).
tianditu_key = ""
tianditu_layer = "vec"
# online = "url": a raster tile URL template with {z}, {x} and {y} (Web Mercator), the notice
# shown on the map, and the highest zoom it serves.
url = ""
attribution = ""
max_zoom = 18

[field]
# Days the phones' idempotency keys are kept (a draft sent again after the network came back is
# recorded once while its key is kept; see docs/patrols.md). Older keys are deleted every hour.
idempotency_retention_days = 7

[log]
# Log filter (tracing EnvFilter syntax), e.g. "info" or "yingji_server=debug,info".
level = "info"
# "text" (one readable line per event) or "json" (one JSON object per line, for a log
# collector); every request is logged with method, route, status, latency_ms and request_id.
format = "text"

[sso]
# 统一身份认证（单点登录）, see docs/security.md and ADR 0031. Roles that must sign in through
# the province's or city's platform: their local password login is refused, e.g.
# ["admin", "commander"]. Role names as in the user API.
local_login_disabled_roles = []

[sso.oidc]
# OpenID Connect (authorization code with PKCE S256). The issuer, e.g.
# "https://tyrz.example.gov.cn/oidc" (discovery at <issuer>/.well-known/openid-configuration);
# empty: OIDC is off.
issuer = ""
client_id = ""
client_secret = ""
# This console's callback as registered at the platform:
# "https://yjj.example.gov.cn/api/v1/security/sso/oidc/callback".
redirect_uri = ""
scopes = "openid profile"
# The ID-token claim naming the account: matched with the account linked to it, else with an
# unlinked account of that user name (linked at its first sign-in), e.g. "preferred_username"
# or the platform's user id claim.
claim = "preferred_username"
# The login page's button.
label = "统一身份认证登录"
# Create an account at its first sign-in (false: refused until an administrator creates it),
# with this role and region code.
create_on_first_login = false
default_role = ""
default_region = ""

[sso.cas]
# CAS 3.0. The CAS server, e.g. "https://cas.example.gov.cn/cas"; empty: CAS is off.
base_url = ""
# This console's callback (the CAS service):
# "https://yjj.example.gov.cn/api/v1/security/sso/cas/callback".
service_url = ""
# The attribute naming the account; empty: the CAS user.
attribute = ""
label = "统一身份认证登录（CAS）"
create_on_first_login = false
default_role = ""
default_region = ""
"#;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSection {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub sqlite_page_size: u32,
    pub demo: bool,
    pub session_idle_minutes: i64,
    pub cookie_secure: bool,
    pub max_body_kib: usize,
    pub import_max_mib: usize,
    pub attachment_max_mib: usize,
    pub trusted_proxies: Vec<String>,
    pub metrics_token: String,
}

impl Default for ServerSection {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: "./data".into(),
            database_url: String::new(),
            sqlite_page_size: yingji_store::db::DEFAULT_SQLITE_PAGE_SIZE,
            demo: false,
            session_idle_minutes: 0,
            cookie_secure: false,
            max_body_kib: 1024,
            import_max_mib: 20,
            attachment_max_mib: 10,
            trusted_proxies: Vec::new(),
            metrics_token: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecuritySection {
    pub login_max_failures: i64,
    pub login_lock_minutes: i64,
    pub login_per_minute: usize,
    pub public_per_minute: usize,
    pub second_factor_enforced: bool,
    pub hsts: String,
    pub watermark: bool,
    pub key_file: String,
}

impl SecuritySection {
    /// `hsts`: true for "always", false for "proxy".
    pub fn hsts_always(&self) -> anyhow::Result<bool> {
        match self.hsts.trim() {
            "proxy" | "" => Ok(false),
            "always" => Ok(true),
            other => {
                anyhow::bail!("配置错误：security.hsts 只能是 proxy 或 always，而不是 {other}")
            }
        }
    }
}

impl Default for SecuritySection {
    fn default() -> Self {
        Self {
            login_max_failures: 5,
            login_lock_minutes: 15,
            login_per_minute: 30,
            public_per_minute: 5,
            second_factor_enforced: true,
            hsts: "proxy".into(),
            watermark: true,
            key_file: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditSection {
    pub retention_days: i64,
    pub syslog: SyslogSection,
}

impl Default for AuditSection {
    fn default() -> Self {
        Self {
            retention_days: yingji_core::security::retention::MIN_RETENTION_DAYS,
            syslog: SyslogSection::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyslogSection {
    pub address: String,
    pub protocol: String,
}

impl Default for SyslogSection {
    fn default() -> Self {
        Self {
            address: String::new(),
            protocol: "udp".into(),
        }
    }
}

impl AuditSection {
    /// The syslog forwarding, if an address is set.
    pub fn syslog(&self) -> anyhow::Result<Option<yingji_jobs::audit_syslog::SyslogConfig>> {
        use yingji_jobs::audit_syslog::{SyslogConfig, Transport};
        let address = self.syslog.address.trim();
        if address.is_empty() {
            return Ok(None);
        }
        let transport = match self.syslog.protocol.trim() {
            "udp" => Transport::Udp,
            "tcp" => Transport::Tcp,
            other => {
                anyhow::bail!("配置错误：audit.syslog.protocol 只能是 udp 或 tcp，而不是 {other}")
            }
        };
        Ok(Some(SyslogConfig {
            transport,
            address: address.to_string(),
            hostname: host_name(),
        }))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSection {
    pub level: String,
    pub format: String,
}

impl Default for LogSection {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

impl LogSection {
    /// Whether logs are written as JSON lines; anything but "text" or "json" is refused.
    pub fn json(&self) -> anyhow::Result<bool> {
        match self.format.trim() {
            "text" | "" => Ok(false),
            "json" => Ok(true),
            other => anyhow::bail!("配置错误：log.format 应为 text 或 json，而不是 {other}"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MqttSection {
    pub embedded: bool,
    pub listen: String,
    pub max_packet_kib: usize,
    pub max_inflight: usize,
    pub external: String,
    pub external_client_id: String,
    pub external_username: String,
    pub external_password: String,
    pub external_share_group: String,
    pub external_session_expiry_s: u32,
    pub auth_hook_secret: String,
}

impl Default for MqttSection {
    fn default() -> Self {
        Self {
            embedded: true,
            listen: "127.0.0.1:1883".into(),
            max_packet_kib: 512,
            max_inflight: 64,
            external: String::new(),
            external_client_id: "yingji-{host}-{port}".into(),
            external_username: String::new(),
            external_password: String::new(),
            external_share_group: "yingji".into(),
            external_session_expiry_s: 86_400,
            auth_hook_secret: String::new(),
        }
    }
}

impl MqttSection {
    pub fn broker_config(&self) -> yingji_ingest::mqtt::broker::BrokerConfig {
        yingji_ingest::mqtt::broker::BrokerConfig {
            max_packet_bytes: self.max_packet_kib.max(1) * 1024,
            max_inflight: self.max_inflight.max(1),
            ..Default::default()
        }
    }

    /// The external broker to bridge from, if one is set; `http_listen` is server.listen (its
    /// port goes into the client id).
    pub fn bridge_config(
        &self,
        http_listen: &str,
    ) -> anyhow::Result<Option<yingji_ingest::mqtt::bridge::BridgeConfig>> {
        let addr = self.external.trim();
        if addr.is_empty() {
            return Ok(None);
        }
        let (host, port) = addr
            .rsplit_once(':')
            .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
            .ok_or_else(|| {
                anyhow::anyhow!("配置错误：mqtt.external 应为 主机:端口，例如 10.0.0.5:1883")
            })?;
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Ok(Some(yingji_ingest::mqtt::bridge::BridgeConfig {
            host: host.to_string(),
            port,
            client_id: client_id(&self.external_client_id, &host_name(), http_listen),
            username: some(&self.external_username),
            password: some(&self.external_password),
            share_group: self.external_share_group.trim().to_string(),
            session_expiry_s: self.external_session_expiry_s,
        }))
    }
}

/// The client id at the external broker: "{host}" becomes the host name, "{port}" the port of
/// the console's address.
fn client_id(template: &str, host: &str, http_listen: &str) -> String {
    let port = http_listen.rsplit_once(':').map_or("", |(_, p)| p);
    template.replace("{host}", host).replace("{port}", port)
}

/// This machine's host name (Linux), or "node" when it cannot be read.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".into())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifySection {
    pub public_url: String,
    pub timeout_s: u64,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: String,
    pub smtp_from: String,
    pub sms_url: String,
    pub sms_token: String,
    pub sms_sign: String,
}

impl Default for NotifySection {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            timeout_s: 10,
            smtp_host: String::new(),
            smtp_port: 25,
            smtp_security: "starttls".into(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_from: "应急管理综合平台 <noreply@localhost>".into(),
            sms_url: String::new(),
            sms_token: String::new(),
            sms_sign: "【应急管理局】".into(),
        }
    }
}

impl NotifySection {
    pub fn notifier_config(&self) -> anyhow::Result<yingji_jobs::notify::NotifierConfig> {
        use yingji_jobs::notify::{HttpSmsGateway, SmtpConfig, SmtpSecurity};
        let timeout = std::time::Duration::from_secs(self.timeout_s.clamp(1, 10));
        let smtp = if self.smtp_host.trim().is_empty() {
            None
        } else {
            let security = match self.smtp_security.as_str() {
                "none" => SmtpSecurity::None,
                "starttls" => SmtpSecurity::StartTls,
                "tls" => SmtpSecurity::Tls,
                other => anyhow::bail!(
                    "配置错误：notify.smtp_security 应为 none、starttls 或 tls，而不是 {other}"
                ),
            };
            Some(SmtpConfig {
                host: self.smtp_host.trim().to_string(),
                port: self.smtp_port,
                security,
                username: self.smtp_username.clone(),
                password: self.smtp_password.clone(),
                from: self.smtp_from.clone(),
            })
        };
        let sms: Option<std::sync::Arc<dyn yingji_jobs::notify::SmsGateway>> =
            if self.sms_url.trim().is_empty() {
                None
            } else {
                Some(std::sync::Arc::new(
                    HttpSmsGateway::new(
                        self.sms_url.trim(),
                        &self.sms_token,
                        &self.sms_sign,
                        timeout,
                    )
                    .map_err(|e| anyhow::anyhow!(e))?,
                ))
            };
        Ok(yingji_jobs::notify::NotifierConfig {
            public_url: self.public_url.trim().to_string(),
            smtp,
            sms,
            timeout,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MonitoringSection {
    pub raw_retention_days: i64,
    pub rollup_retention_days: i64,
}

impl Default for MonitoringSection {
    fn default() -> Self {
        let keep = yingji_core::monitoring::trend::Retention::default();
        Self {
            raw_retention_days: keep.raw_days,
            rollup_retention_days: keep.rollup_days,
        }
    }
}

impl MonitoringSection {
    pub fn retention(&self) -> anyhow::Result<yingji_core::monitoring::trend::Retention> {
        let keep = yingji_core::monitoring::trend::Retention {
            raw_days: self.raw_retention_days,
            rollup_days: self.rollup_retention_days,
        };
        keep.validate()
            .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?;
        Ok(keep)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MapSection {
    pub tiles: String,
    pub online: String,
    pub tianditu_key: String,
    pub tianditu_layer: String,
    pub url: String,
    pub attribution: String,
    pub max_zoom: u8,
}

impl Default for MapSection {
    fn default() -> Self {
        Self {
            tiles: String::new(),
            online: String::new(),
            tianditu_key: String::new(),
            tianditu_layer: "vec".into(),
            url: String::new(),
            attribution: String::new(),
            max_zoom: 18,
        }
    }
}

impl MapSection {
    /// The checked base-map settings; a tile file that is named must exist.
    pub fn settings(&self) -> anyhow::Result<yingji_core::kernel::basemap::BasemapSettings> {
        use yingji_core::kernel::basemap::{BasemapSettings, OnlineKeys, online_source};
        let online = online_source(OnlineKeys {
            online: &self.online,
            tianditu_key: &self.tianditu_key,
            tianditu_layer: &self.tianditu_layer,
            url: &self.url,
            attribution: &self.attribution,
            max_zoom: self.max_zoom,
        })
        .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?;
        let tiles = match self.tiles.trim() {
            "" => None,
            t if !Path::new(t).is_file() => {
                anyhow::bail!("配置错误：map.tiles 指定的底图瓦片文件 {t} 不存在")
            }
            t => Some(PathBuf::from(t)),
        };
        Ok(BasemapSettings { tiles, online })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FieldSection {
    pub idempotency_retention_days: i64,
}

impl Default for FieldSection {
    fn default() -> Self {
        Self {
            idempotency_retention_days: yingji_core::kernel::idempotency::DEFAULT_RETENTION_DAYS,
        }
    }
}

impl FieldSection {
    /// The checked retention of the idempotency keys, in days.
    pub fn idempotency_retention_days(&self) -> anyhow::Result<i64> {
        yingji_core::kernel::idempotency::check_retention_days(self.idempotency_retention_days)
            .map_err(|e| anyhow::anyhow!("配置错误：{e}"))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerSection,
    pub security: SecuritySection,
    pub audit: AuditSection,
    pub mqtt: MqttSection,
    pub notify: NotifySection,
    pub monitoring: MonitoringSection,
    pub map: MapSection,
    pub field: FieldSection,
    pub log: LogSection,
    pub sso: yingji_core::security::sso::SsoSettings,
}

impl Config {
    /// Defaults, then the file (the given one, or ./yingji.toml if present), then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) if !f.exists() => anyhow::bail!("配置文件 {} 不存在", f.display()),
            Some(f) => fig = fig.merge(Toml::file(f)),
            None if Path::new("yingji.toml").exists() => fig = fig.merge(Toml::file("yingji.toml")),
            None => {}
        }
        fig = fig.merge(Env::prefixed("YINGJI_").split("__").ignore(&[
            "test_pg_url",
            "test_mqtt_external",
            "keys",
        ]));
        let cfg: Config = fig
            .extract()
            .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?;
        // Process-wide: every store this process opens (serve, migrate, the benches) creates
        // SQLite databases with this page size.
        yingji_store::db::set_sqlite_page_size(cfg.server.sqlite_page_size)
            .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?;
        Ok(cfg)
    }

    /// The key file: `[security] key_file`, else `<data_dir>/yingji.keys`.
    pub fn key_file(&self) -> PathBuf {
        match self.security.key_file.trim() {
            "" => self.server.data_dir.join("yingji.keys"),
            f => PathBuf::from(f),
        }
    }

    pub fn database_url(&self) -> String {
        if self.server.database_url.trim().is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.server.data_dir.join("yingji.db").display()
            )
        } else {
            self.server.database_url.trim().to_string()
        }
    }

    pub fn server_config(&self) -> anyhow::Result<yingji_server::ServerConfig> {
        Ok(yingji_server::ServerConfig {
            demo: self.server.demo,
            session_idle_override_ms: (self.server.session_idle_minutes > 0)
                .then(|| self.server.session_idle_minutes * 60_000),
            session_absolute_override_ms: None,
            second_factor_enforced: self.security.second_factor_enforced,
            cookie_secure: self.server.cookie_secure,
            max_body_bytes: self.server.max_body_kib.max(16) * 1024,
            import_max_bytes: self.server.import_max_mib.max(1) * 1024 * 1024,
            login_max_failures: self.security.login_max_failures.max(1),
            login_lock_ms: self.security.login_lock_minutes.max(1) * 60_000,
            login_per_minute: self.security.login_per_minute.max(1),
            attachment_max_bytes: self.server.attachment_max_mib.max(1) * 1024 * 1024,
            public_per_minute: self.security.public_per_minute.max(1),
            retention: self.monitoring.retention()?,
            basemap: self.map.settings()?,
            idempotency_retention_days: self.field.idempotency_retention_days()?,
            broker_hook: yingji_server::routes::monitoring::broker_hook::HookConfig {
                secret: self.mqtt.auth_hook_secret.trim().to_string(),
                bridge_username: self.mqtt.external_username.clone(),
                bridge_password: self.mqtt.external_password.clone(),
            },
            trusted_proxies: yingji_core::kernel::proxy::parse_list(&self.server.trusted_proxies)
                .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?,
            metrics_token: Some(self.server.metrics_token.trim().to_string())
                .filter(|t| !t.is_empty()),
            hsts_always: self.security.hsts_always()?,
            watermark: self.security.watermark,
            audit_retention_days: yingji_core::security::retention::check_retention_days(
                self.audit.retention_days,
            )
            .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?,
            audit_syslog: self.audit.syslog()?,
            sso: {
                self.sso
                    .check()
                    .map_err(|e| anyhow::anyhow!("配置错误：{e}"))?;
                self.sso.clone()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_toml_matches_defaults() {
        let parsed: Config = toml::from_str(DEFAULT_TOML).unwrap();
        assert_eq!(
            toml::to_string(&parsed).unwrap(),
            toml::to_string(&Config::default()).unwrap()
        );
    }

    #[test]
    fn audit_retention_below_six_months_is_refused() {
        let mut cfg = Config::default();
        cfg.audit.retention_days = 90;
        let err = cfg.server_config().unwrap_err().to_string();
        assert!(err.contains("audit.retention_days"), "{err}");
        cfg.audit.retention_days = 400;
        assert_eq!(cfg.server_config().unwrap().audit_retention_days, 400);
        cfg.audit.syslog.address = "127.0.0.1:514".into();
        cfg.audit.syslog.protocol = "quic".into();
        assert!(cfg.server_config().is_err());
        cfg.audit.syslog.protocol = "tcp".into();
        assert!(cfg.server_config().unwrap().audit_syslog.is_some());
    }

    #[test]
    fn bridge_client_id_per_node() {
        assert_eq!(
            client_id("yingji-{host}-{port}", "node1", "0.0.0.0:8081"),
            "yingji-node1-8081"
        );
        assert_eq!(client_id("fixed", "node1", "0.0.0.0:8081"), "fixed");
        let mqtt = MqttSection {
            external: "10.0.0.5:1883".into(),
            ..Default::default()
        };
        let b = mqtt.bridge_config("127.0.0.1:8080").unwrap().unwrap();
        assert!(b.client_id.ends_with("-8080"), "{}", b.client_id);
        assert_eq!(b.filter(), "$share/yingji/yj/+/readings");
        let plain = MqttSection {
            external_share_group: String::new(),
            ..mqtt
        };
        let b = plain.bridge_config("127.0.0.1:8080").unwrap().unwrap();
        assert_eq!(b.filter(), "yj/+/readings");
    }
}

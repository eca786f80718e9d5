//! 统一身份认证（单点登录）: the settings of the OpenID Connect and CAS 3.0 providers, the checks
//! of an ID token's claims, PKCE, who may still sign in with a local password, and the Chinese
//! wording of every refusal (ADR 0031). Signatures and HTTP are the server's; this decides.

use crate::kernel::role::Role;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How long a sign-in may stay at the provider (state, nonce and verifier kept), in ms.
pub const REQUEST_TTL_MS: i64 = 10 * 60 * 1000;
/// Clock skew allowed between the provider and this server on `exp`/`iat`, in ms.
pub const LEEWAY_MS: i64 = 60 * 1000;

pub const NOT_CONFIGURED: &str = "未配置统一身份认证";
pub const BAD_STATE: &str = "统一身份认证登录请求无效或已过期，请重新登录";
pub const BAD_NONCE: &str = "身份令牌与本次登录请求不符（nonce不一致），请重新登录";
pub const TOKEN_EXPIRED: &str = "身份令牌已过期，请重新登录";
pub const BAD_SIGNATURE: &str = "身份令牌签名校验失败";
pub const BAD_ISSUER: &str = "身份令牌的签发方不是配置的统一身份认证平台";
pub const BAD_AUDIENCE: &str = "身份令牌不是签发给本系统的";
pub const BAD_TOKEN: &str = "身份令牌格式无效";
pub const CODE_REFUSED: &str = "统一身份认证平台拒绝了授权码（可能已过期或已使用），请重新登录";
pub const PROVIDER_UNREACHABLE: &str = "无法连接统一身份认证平台，请稍后再试";
pub const PROVIDER_ERROR: &str = "统一身份认证平台返回错误，请重新登录";
pub const NO_SUBJECT: &str = "统一身份认证平台未提供用于匹配账号的用户标识";
pub const UNKNOWN_USER: &str = "统一身份认证账号未关联本系统用户，请联系系统管理员开通";
pub const TICKET_INVALID: &str = "CAS票据无效或已过期，请重新登录";
pub const ACCOUNT_DISABLED: &str = "账号已停用，请联系系统管理员";
pub const LOCAL_LOGIN_DISABLED: &str = "该角色须通过统一身份认证登录，不允许使用本地密码登录";
pub const FACTOR_UNREACHABLE: &str = "该账号须经第二因素认证：统一身份认证平台未声明多因素登录，本系统也未为其绑定动态口令或手机号，请联系安全保密管理员";
pub const BAD_LOGOUT: &str = "单点退出请求无效";

/// Whether a sign-in through a provider must still pass this system's own second factor: the
/// account's role requires one and the provider did not assert a multi-factor sign-in
/// (`amr`/`acr`; CAS asserts none).
pub fn local_factor_due(required: bool, provider_mfa: bool) -> bool {
    required && !provider_mfa
}

/// The CAS `service` of one sign-in: the configured callback with this browser's `state`, so a
/// ticket issued for another browser's sign-in (login CSRF) does not validate here.
pub fn cas_service(service_url: &str, state: &str) -> String {
    let sep = if service_url.contains('?') { '&' } else { '?' };
    format!("{service_url}{sep}state={state}")
}

/// `[sso]`: the providers (each off while its address is empty) and the roles whose local
/// password login is refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SsoSettings {
    /// Role names (e.g. "admin", "commander") that must sign in through a provider.
    pub local_login_disabled_roles: Vec<String>,
    pub oidc: OidcSettings,
    pub cas: CasSettings,
}

/// How a first sign-in of an unknown identity is handled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Provisioning {
    /// Create the account on its first sign-in (false: refuse it until an administrator creates
    /// an account with that user name).
    pub create_on_first_login: bool,
    /// The role of a created account (a role name, e.g. "street_staff").
    pub default_role: String,
    /// The region code of a created account's scope (roles scoped to a region).
    pub default_region: String,
}

/// `[sso.oidc]`: OpenID Connect, authorization code flow with PKCE (S256).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OidcSettings {
    /// The issuer, e.g. "https://tyrz.example.gov.cn/oidc" (discovery at
    /// <issuer>/.well-known/openid-configuration); empty: OIDC is off.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This server's callback as registered at the provider:
    /// https://<console>/api/v1/security/sso/oidc/callback
    pub redirect_uri: String,
    pub scopes: String,
    /// The ID-token claim matched with the account (users.sso_subject, else the user name).
    pub claim: String,
    /// The button's words on the login page.
    pub label: String,
    #[serde(flatten)]
    pub provisioning: Provisioning,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            redirect_uri: String::new(),
            scopes: "openid profile".into(),
            claim: "preferred_username".into(),
            label: "统一身份认证登录".into(),
            provisioning: Provisioning::default(),
        }
    }
}

/// `[sso.cas]`: CAS 3.0 (`/login`, `/p3/serviceValidate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CasSettings {
    /// The CAS server, e.g. "https://cas.example.gov.cn/cas"; empty: CAS is off.
    pub base_url: String,
    /// This server's callback (the CAS `service`):
    /// https://<console>/api/v1/security/sso/cas/callback
    pub service_url: String,
    /// The attribute matched with the account; empty: the CAS user (`cas:user`).
    pub attribute: String,
    pub label: String,
    #[serde(flatten)]
    pub provisioning: Provisioning,
}

impl Default for CasSettings {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            service_url: String::new(),
            attribute: String::new(),
            label: "统一身份认证登录（CAS）".into(),
            provisioning: Provisioning::default(),
        }
    }
}

impl SsoSettings {
    pub fn oidc_on(&self) -> bool {
        !self.oidc.issuer.trim().is_empty()
    }
    pub fn cas_on(&self) -> bool {
        !self.cas.base_url.trim().is_empty()
    }
    /// Whether an account of `role` may sign in with its local password.
    pub fn local_login_allowed(&self, role: &str) -> bool {
        !self.local_login_disabled_roles.iter().any(|r| r == role)
    }
    /// The configuration's mistakes, in Chinese (checked when the server starts).
    pub fn check(&self) -> Result<(), String> {
        for r in &self.local_login_disabled_roles {
            Role::parse(r).map_err(|e| format!("sso.local_login_disabled_roles：{e}"))?;
        }
        if self.oidc_on() {
            let o = &self.oidc;
            for (k, v) in [
                ("client_id", &o.client_id),
                ("redirect_uri", &o.redirect_uri),
                ("claim", &o.claim),
            ] {
                if v.trim().is_empty() {
                    return Err(format!("sso.oidc.{k} 不能为空"));
                }
            }
            o.provisioning.check("sso.oidc")?;
        }
        if self.cas_on() {
            if self.cas.service_url.trim().is_empty() {
                return Err("sso.cas.service_url 不能为空".into());
            }
            self.cas.provisioning.check("sso.cas")?;
        }
        Ok(())
    }
}

impl Provisioning {
    fn check(&self, section: &str) -> Result<(), String> {
        if self.create_on_first_login {
            Role::parse(&self.default_role).map_err(|e| format!("{section}.default_role：{e}"))?;
        }
        Ok(())
    }
}

/// The PKCE S256 challenge of `verifier` (RFC 7636).
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// What the ID token must say: the issuer, this client, the nonce of this sign-in.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
}

/// Checks the claims of a signature-checked ID token at `now_ms` (OIDC Core 3.1.3.7).
pub fn check_claims(claims: &Value, want: Expected<'_>, now_ms: i64) -> Result<(), &'static str> {
    let issuer = want.issuer.trim_end_matches('/');
    let iss = claims["iss"].as_str().map(|s| s.trim_end_matches('/'));
    if iss != Some(issuer) {
        return Err(BAD_ISSUER);
    }
    let aud_ok = match &claims["aud"] {
        Value::String(a) => a == want.client_id,
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some(want.client_id)),
        _ => false,
    };
    if !aud_ok {
        return Err(BAD_AUDIENCE);
    }
    let Some(exp) = claims["exp"].as_f64() else {
        return Err(BAD_TOKEN);
    };
    if (exp * 1000.0) as i64 + LEEWAY_MS <= now_ms {
        return Err(TOKEN_EXPIRED);
    }
    if claims["iat"]
        .as_f64()
        .is_some_and(|iat| (iat * 1000.0) as i64 > now_ms + LEEWAY_MS)
    {
        return Err(BAD_TOKEN);
    }
    if claims["nonce"].as_str() != Some(want.nonce) {
        return Err(BAD_NONCE);
    }
    Ok(())
}

/// The value of `claim` (a string or a number) identifying the account.
pub fn subject_of(claims: &Value, claim: &str) -> Option<String> {
    let v = match &claims[claim] {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!v.is_empty() && v.chars().count() <= 200).then_some(v)
}

/// Whether the provider asserts a multi-factor sign-in (`amr` has "mfa", "otp", "sms", "hwk"
/// or "swk", or `acr` names a level above 1), recorded with the sign-in.
pub fn mfa_asserted(claims: &Value) -> bool {
    const STRONG: [&str; 5] = ["mfa", "otp", "sms", "hwk", "swk"];
    let amr = claims["amr"].as_array().is_some_and(|a| {
        a.iter()
            .any(|m| m.as_str().is_some_and(|m| STRONG.contains(&m)))
    });
    let acr = claims["acr"]
        .as_str()
        .is_some_and(|a| a.contains("mfa") || a.parse::<u32>().is_ok_and(|n| n >= 2));
    amr || acr
}

/// The protocols' names in the audit log.
pub fn protocol_label(protocol: &str) -> &'static str {
    if protocol == "cas" { "CAS" } else { "OIDC" }
}

/// The audit summary of a sign-in through a provider.
pub fn login_summary(username: &str, protocol: &str, subject: &str, mfa: bool) -> String {
    let mfa = if mfa {
        "，平台已多因素认证"
    } else {
        ""
    };
    format!(
        "用户“{username}”通过统一身份认证（{}）登录，平台账号“{subject}”{mfa}",
        protocol_label(protocol)
    )
}

/// The audit summary of a refused sign-in through a provider.
pub fn failure_summary(protocol: &str, subject: Option<&str>, reason: &str) -> String {
    match subject {
        Some(s) => format!(
            "统一身份认证（{}）登录失败，平台账号“{s}”：{reason}",
            protocol_label(protocol)
        ),
        None => format!(
            "统一身份认证（{}）登录失败：{reason}",
            protocol_label(protocol)
        ),
    }
}

/// The audit summary of an account linked to the provider's account at its first sign-in.
pub fn link_summary(subject: &str, protocol: &str) -> String {
    format!(
        "用户首次通过统一身份认证（{}）登录，关联平台账号“{subject}”",
        protocol_label(protocol)
    )
}

/// The event a back-channel logout token carries (OpenID Connect Back-Channel Logout 1.0).
pub const BACKCHANNEL_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Which provider session a logout token ends: its `sid`, else every session of `sub`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoutOf {
    Sid(String),
    Subject(String),
}

/// Checks the claims of a signature-checked back-channel logout token at `now_ms` (Back-Channel
/// Logout 1.0, 2.6): the issuer and this client, issued not in the future, the logout event, a
/// `sid` or `sub`, and no `nonce` (an ID token is not a logout token).
pub fn check_logout_claims(
    claims: &Value,
    issuer: &str,
    client_id: &str,
    now_ms: i64,
) -> Result<LogoutOf, &'static str> {
    let iss = claims["iss"].as_str().map(|s| s.trim_end_matches('/'));
    if iss != Some(issuer.trim_end_matches('/')) {
        return Err(BAD_ISSUER);
    }
    let aud_ok = match &claims["aud"] {
        Value::String(a) => a == client_id,
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some(client_id)),
        _ => false,
    };
    if !aud_ok {
        return Err(BAD_AUDIENCE);
    }
    let iat_ok = claims["iat"]
        .as_f64()
        .is_some_and(|iat| iat * 1000.0 <= (now_ms + LEEWAY_MS) as f64);
    let event = claims["events"][BACKCHANNEL_EVENT].is_object();
    if !iat_ok || !event || !claims["nonce"].is_null() {
        return Err(BAD_LOGOUT);
    }
    let text = |k: &str| {
        claims[k]
            .as_str()
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    match (text("sid"), text("sub")) {
        (Some(sid), _) => Ok(LogoutOf::Sid(sid)),
        (None, Some(sub)) => Ok(LogoutOf::Subject(sub)),
        (None, None) => Err(BAD_LOGOUT),
    }
}

/// Where the browser goes after logging out at the provider: the console's login page at the
/// origin of `callback` (the configured redirect URI or CAS service).
pub fn login_page_of(callback: &str) -> Option<String> {
    let (scheme, rest) = callback.split_once("://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}/login"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_780_000_000_000;

    fn want() -> Expected<'static> {
        Expected {
            issuer: "https://idp/",
            client_id: "yj",
            nonce: "n1",
        }
    }

    fn claims() -> Value {
        json!({"iss": "https://idp", "aud": ["yj", "x"], "exp": NOW / 1000 + 300, "iat": NOW / 1000, "nonce": "n1"})
    }

    #[test]
    fn claims_checked() {
        assert_eq!(check_claims(&claims(), want(), NOW), Ok(()));
        let mut c = claims();
        c["nonce"] = json!("n2");
        assert_eq!(check_claims(&c, want(), NOW), Err(BAD_NONCE));
        let mut c = claims();
        c["aud"] = json!("other");
        assert_eq!(check_claims(&c, want(), NOW), Err(BAD_AUDIENCE));
        let mut c = claims();
        c["iss"] = json!("https://evil");
        assert_eq!(check_claims(&c, want(), NOW), Err(BAD_ISSUER));
        let later = NOW + 300_000 + LEEWAY_MS;
        assert_eq!(check_claims(&claims(), want(), later), Err(TOKEN_EXPIRED));
        assert_eq!(check_claims(&claims(), want(), later - 1), Ok(()));
    }

    #[test]
    fn pkce_rfc7636_vector() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn local_login_and_settings() {
        let s = SsoSettings {
            local_login_disabled_roles: vec!["admin".into()],
            ..Default::default()
        };
        assert!(!s.local_login_allowed("admin"));
        assert!(s.local_login_allowed("commander"));
        assert_eq!(s.check(), Ok(()));
        let bad = SsoSettings {
            local_login_disabled_roles: vec!["root".into()],
            ..Default::default()
        };
        assert!(bad.check().is_err());
    }

    #[test]
    fn subjects_and_mfa() {
        let c = json!({"preferred_username": " zhang ", "uid": 42, "amr": ["pwd", "otp"]});
        assert_eq!(
            subject_of(&c, "preferred_username").as_deref(),
            Some("zhang")
        );
        assert_eq!(subject_of(&c, "uid").as_deref(), Some("42"));
        assert_eq!(subject_of(&c, "missing"), None);
        assert!(mfa_asserted(&c));
        assert!(!mfa_asserted(&json!({"amr": ["pwd"]})));
    }

    #[test]
    fn logout_tokens_and_cas_service() {
        let ok = json!({"iss": "https://idp/", "aud": "yingji", "iat": 100,
            "events": {BACKCHANNEL_EVENT: {}}, "sid": "s1", "sub": "u"});
        assert_eq!(
            check_logout_claims(&ok, "https://idp", "yingji", 100_000),
            Ok(LogoutOf::Sid("s1".into()))
        );
        let mut sub_only = ok.clone();
        sub_only["sid"] = Value::Null;
        assert_eq!(
            check_logout_claims(&sub_only, "https://idp", "yingji", 100_000),
            Ok(LogoutOf::Subject("u".into()))
        );
        let mut with_nonce = ok.clone();
        with_nonce["nonce"] = json!("n");
        assert_eq!(
            check_logout_claims(&with_nonce, "https://idp", "yingji", 100_000),
            Err(BAD_LOGOUT)
        );
        let mut no_event = ok.clone();
        no_event["events"] = json!({});
        assert_eq!(
            check_logout_claims(&no_event, "https://idp", "yingji", 100_000),
            Err(BAD_LOGOUT)
        );
        assert_eq!(
            check_logout_claims(&ok, "https://idp", "other", 100_000),
            Err(BAD_AUDIENCE)
        );
        assert_eq!(
            check_logout_claims(&ok, "https://idp", "yingji", 0),
            Err(BAD_LOGOUT)
        );
        assert_eq!(cas_service("https://a/cb", "s"), "https://a/cb?state=s");
        assert_eq!(
            cas_service("https://a/cb?x=1", "s"),
            "https://a/cb?x=1&state=s"
        );
        assert_eq!(
            login_page_of("https://yjj.gov.cn:8443/api/v1/cb").as_deref(),
            Some("https://yjj.gov.cn:8443/login")
        );
        assert_eq!(login_page_of("nonsense"), None);
        assert!(local_factor_due(true, false));
        assert!(!local_factor_due(true, true) && !local_factor_due(false, false));
    }
}

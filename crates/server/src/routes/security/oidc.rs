//! OpenID Connect on the wire: discovery, the authorization request, the code exchange (with
//! the PKCE verifier) and the ID token's signature against the provider's JWKS (RS256, ES256;
//! anything else, `none` included, is refused). The claims are checked by
//! `yingji_core::security::sso::check_claims`.

use base64::Engine;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::{MessageDigest, hash};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::sign::Verifier;
use serde::Deserialize;
use serde_json::Value;
use yingji_core::security::sso::{self as rules, OidcSettings};

/// The provider's endpoints (`/.well-known/openid-configuration`).
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    /// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), when the provider has it.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// What the provider is asked: the state, nonce and PKCE challenge of this sign-in.
pub struct AuthRequest<'a> {
    pub state: &'a str,
    pub nonce: &'a str,
    pub challenge: &'a str,
}

/// The HTTP client of the SSO calls: 10 s, no redirects followed.
pub fn client() -> Result<reqwest::Client, &'static str> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|_| rules::PROVIDER_UNREACHABLE)
}

async fn get_json(http: &reqwest::Client, url: &str) -> Result<Value, &'static str> {
    let r = http
        .get(url)
        .send()
        .await
        .map_err(|_| rules::PROVIDER_UNREACHABLE)?;
    if !r.status().is_success() {
        return Err(rules::PROVIDER_ERROR);
    }
    r.json().await.map_err(|_| rules::PROVIDER_ERROR)
}

pub async fn discover(http: &reqwest::Client, issuer: &str) -> Result<Discovery, &'static str> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let d: Discovery =
        serde_json::from_value(get_json(http, &url).await?).map_err(|_| rules::PROVIDER_ERROR)?;
    if d.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err(rules::BAD_ISSUER);
    }
    Ok(d)
}

/// The provider's authorization URL for this sign-in.
pub fn authorize_url(
    d: &Discovery,
    s: &OidcSettings,
    r: &AuthRequest<'_>,
) -> Result<String, &'static str> {
    let url = reqwest::Url::parse_with_params(
        &d.authorization_endpoint,
        &[
            ("response_type", "code"),
            ("client_id", s.client_id.as_str()),
            ("redirect_uri", s.redirect_uri.as_str()),
            ("scope", s.scopes.as_str()),
            ("state", r.state),
            ("nonce", r.nonce),
            ("code_challenge", r.challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .map_err(|_| rules::PROVIDER_ERROR)?;
    Ok(url.into())
}

/// Exchanges `code` (with the PKCE `verifier`) for the ID token (client_secret_basic).
pub async fn exchange(
    http: &reqwest::Client,
    d: &Discovery,
    s: &OidcSettings,
    code: &str,
    verifier: &str,
) -> Result<String, &'static str> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", s.redirect_uri.as_str()),
        ("client_id", s.client_id.as_str()),
        ("code_verifier", verifier),
    ];
    let body = form_body(&form);
    let r = http
        .post(&d.token_endpoint)
        .basic_auth(&s.client_id, Some(&s.client_secret))
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await
        .map_err(|_| rules::PROVIDER_UNREACHABLE)?;
    if r.status().is_client_error() {
        return Err(rules::CODE_REFUSED);
    }
    if !r.status().is_success() {
        return Err(rules::PROVIDER_ERROR);
    }
    let v: Value = r.json().await.map_err(|_| rules::PROVIDER_ERROR)?;
    v["id_token"]
        .as_str()
        .map(str::to_string)
        .ok_or(rules::PROVIDER_ERROR)
}

/// `application/x-www-form-urlencoded` of `pairs`.
fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://x/").expect("a valid URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_string()
}

fn b64(part: &str) -> Result<Vec<u8>, &'static str> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| rules::BAD_TOKEN)
}

/// The claims of `jwt` once its signature verifies with a key of the provider's JWKS.
pub async fn verified_claims(
    http: &reqwest::Client,
    d: &Discovery,
    jwt: &str,
) -> Result<Value, &'static str> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, p, sig] = parts[..] else {
        return Err(rules::BAD_TOKEN);
    };
    let header: Value = serde_json::from_slice(&b64(h)?).map_err(|_| rules::BAD_TOKEN)?;
    let alg = header["alg"].as_str().unwrap_or_default();
    let kid = header["kid"].as_str();
    let jwks = get_json(http, &d.jwks_uri).await?;
    let keys = jwks["keys"].as_array().ok_or(rules::PROVIDER_ERROR)?;
    let kty = match alg {
        "RS256" => "RSA",
        "ES256" => "EC",
        _ => return Err(rules::BAD_SIGNATURE),
    };
    let key = keys
        .iter()
        .filter(|k| k["kty"] == kty)
        .find(|k| kid.is_none() || k["kid"].as_str() == kid)
        .ok_or(rules::BAD_SIGNATURE)?;
    let signed = format!("{h}.{p}");
    let ok = verify(alg, key, signed.as_bytes(), &b64(sig)?).map_err(|_| rules::BAD_SIGNATURE)?;
    if !ok {
        return Err(rules::BAD_SIGNATURE);
    }
    serde_json::from_slice(&b64(p)?).map_err(|_| rules::BAD_TOKEN)
}

type SslResult<T> = Result<T, openssl::error::ErrorStack>;

fn bn(key: &Value, field: &str) -> SslResult<BigNum> {
    let bytes = b64(key[field].as_str().unwrap_or_default()).unwrap_or_default();
    BigNum::from_slice(&bytes)
}

/// Whether `sig` is `alg`'s signature of `data` by JWK `key`.
fn verify(alg: &str, key: &Value, data: &[u8], sig: &[u8]) -> SslResult<bool> {
    if alg == "RS256" {
        let rsa = Rsa::from_public_components(bn(key, "n")?, bn(key, "e")?)?;
        let pkey = PKey::from_rsa(rsa)?;
        let mut v = Verifier::new(MessageDigest::sha256(), &pkey)?;
        v.update(data)?;
        return v.verify(sig);
    }
    // ES256: P-256, the signature as r || s (RFC 7518 3.4).
    if sig.len() != 64 || key["crv"] != "P-256" {
        return Ok(false);
    }
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    let ec = EcKey::from_public_key_affine_coordinates(&group, &*bn(key, "x")?, &*bn(key, "y")?)?;
    let (r, s) = sig.split_at(32);
    let sig = EcdsaSig::from_private_components(BigNum::from_slice(r)?, BigNum::from_slice(s)?)?;
    sig.verify(&hash(MessageDigest::sha256(), data)?, &ec)
}

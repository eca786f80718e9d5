//! 统一身份认证登录: an identity the provider asserted becomes a session of the account it is
//! linked to (linking an unlinked account of that user name, or creating one when allowed), in
//! one transaction with its audit records; a refusal is audited and opens nothing.

use yingji_core::directory::user::UserInput;
use yingji_core::security::sso::{self as rules, Provisioning};
use yingji_store::directory::logins;
use yingji_store::directory::sessions::{self, NewSession};
use yingji_store::directory::users::{self, NewPassword, User};
use yingji_store::security::sso as store;
use yingji_store::{Actor, Store, StoreResult, new_id};

/// Who the provider says signed in.
#[derive(Debug, Clone)]
pub struct Identity {
    /// "oidc" or "cas".
    pub protocol: &'static str,
    /// The configured claim's or attribute's value.
    pub subject: String,
    /// The name the provider gives (`name` claim), for a created account.
    pub display_name: Option<String>,
    /// The provider asserted a multi-factor sign-in (amr/acr).
    pub mfa: bool,
}

/// A sign-in through a provider, from `client`.
#[derive(Debug, Clone)]
pub struct SignIn<'a> {
    pub identity: &'a Identity,
    pub provisioning: &'a Provisioning,
    pub client: &'a str,
    pub session: &'a NewSession,
    /// The argon2 hash of a random password for a created account (nobody knows it).
    pub unusable_hash: &'a str,
}

/// Opens the session of the account `s.identity` names, or answers the refusal's wording
/// (audited, nothing else stored).
pub async fn sign_in(
    store: &Store,
    now: i64,
    s: &SignIn<'_>,
) -> StoreResult<Result<User, &'static str>> {
    let id = s.identity;
    let found = store::account_of(store, &id.subject).await?;
    let (user, linked) = match found {
        Some((uid, linked)) => (Some(users::by_id(store, &uid).await?), linked),
        None => (None, false),
    };
    if user.is_none() && !s.provisioning.create_on_first_login {
        return refuse(store, now, s, rules::UNKNOWN_USER).await;
    }
    if user.as_ref().is_some_and(|u| !u.active) {
        return refuse(store, now, s, rules::ACCOUNT_DISABLED).await;
    }
    let system = Actor {
        user_id: None,
        name: format!("统一身份认证（{}）", rules::protocol_label(id.protocol)),
        ip: s.session.ip.clone(),
    };
    let created = match user {
        Some(_) => None,
        None => {
            let input = UserInput {
                username: id.subject.clone(),
                display_name: id.display_name.clone().unwrap_or(id.subject.clone()),
                phone: None,
                role: s.provisioning.default_role.clone(),
                region_code: Some(s.provisioning.default_region.clone())
                    .filter(|r| !r.trim().is_empty()),
                department_id: None,
                enterprise_id: None,
                insurer_id: None,
                active: Some(true),
            };
            match users::check_user(store, &input).await {
                Ok(c) => Some(c),
                Err(_) => return refuse(store, now, s, rules::UNKNOWN_USER).await,
            }
        }
    };
    let mut tx = store.begin().await?;
    let user_id = if let Some(u) = &user {
        u.id.clone()
    } else if let Some(c) = &created {
        let uid = new_id();
        let password = NewPassword {
            hash: s.unusable_hash,
            must_change: false,
        };
        users::create_in(&mut tx, now, &system, &uid, c, true, password).await?;
        uid
    } else {
        return Ok(Err(rules::UNKNOWN_USER));
    };
    if !linked {
        let summary = rules::link_summary(&id.subject, id.protocol);
        store::link_in(&mut tx, now, &system, &user_id, &id.subject, summary).await?;
    }
    tx.commit().await?;
    let user = users::by_id(store, &user_id).await?;
    let mut tx = store.begin().await?;
    logins::clear_pair_in(&mut tx, &user.username, s.client).await?;
    sessions::create_in(&mut tx, now, &user, s.session).await?;
    let summary = rules::login_summary(&user.username, id.protocol, &id.subject, id.mfa);
    let actor = user.actor(s.session.ip.clone());
    store::record_in(&mut tx, now, &actor, ("sso_login", Some(&user.id)), summary).await?;
    tx.commit().await?;
    Ok(Ok(user))
}

/// Audits a refused sign-in of `s.identity` and answers `reason`.
async fn refuse(
    store: &Store,
    now: i64,
    s: &SignIn<'_>,
    reason: &'static str,
) -> StoreResult<Result<User, &'static str>> {
    let subject = Some(s.identity.subject.as_str());
    failed(
        store,
        now,
        s.identity.protocol,
        subject,
        s.session.ip.clone(),
        reason,
    )
    .await?;
    Ok(Err(reason))
}

/// Audits a sign-in through `protocol` refused with `reason` (bad state, signature, ticket…),
/// with the provider's account when it is known.
pub async fn failed(
    store: &Store,
    now: i64,
    protocol: &str,
    subject: Option<&str>,
    ip: Option<String>,
    reason: &str,
) -> StoreResult<()> {
    let actor = Actor {
        user_id: None,
        name: subject.unwrap_or("-").chars().take(100).collect(),
        ip,
    };
    let summary = rules::failure_summary(protocol, subject, reason);
    let mut tx = store.begin().await?;
    store::record_in(&mut tx, now, &actor, ("sso_login_failed", None), summary).await?;
    tx.commit().await?;
    Ok(())
}

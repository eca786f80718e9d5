//! 统一身份认证登录: an identity the provider asserted becomes a session of the account it is
//! linked to (linking an unlinked account of that user name, or creating one when allowed), in
//! one transaction with its audit records — or, when the account's role requires a second
//! factor the provider did not assert, a pending login waiting for this system's own; a refusal
//! is audited and opens nothing. The provider's back-channel logout ends the sessions it opened.

use yingji_core::directory::user::{CheckedUser, UserInput};
use yingji_core::security::sso::{self as rules, Provisioning};
use yingji_store::directory::logins;
use yingji_store::directory::sessions::{self, NewSession};
use yingji_store::directory::users::{self, NewPassword, User};
use yingji_store::security::{pending, sso as store};
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

/// The account an identity signs in to: an existing one (linked to the provider or not yet),
/// or one to create on this first sign-in.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: Option<User>,
    pub linked: bool,
    pub created: Option<CheckedUser>,
}

impl Account {
    /// The role the session will have.
    pub fn role(&self) -> &str {
        match (&self.user, &self.created) {
            (Some(u), _) => &u.role,
            (None, Some(c)) => c.role.as_str(),
            (None, None) => "",
        }
    }
}

/// What the sign-in opens: the session, or a pending login (its token's digest) whose second
/// factor is due here because the provider asserted none.
#[derive(Debug, Clone, Copy)]
pub enum Opens<'a> {
    Session,
    Pending(&'a str),
}

/// The account `s.identity` names, or the refusal's wording (audited, nothing stored).
pub async fn account(
    store: &Store,
    now: i64,
    s: &SignIn<'_>,
) -> StoreResult<Result<Account, &'static str>> {
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
    Ok(Ok(Account {
        user,
        linked,
        created,
    }))
}

/// Creates or links `account` and opens what `opens` says, with their audit records, in one
/// transaction.
pub async fn sign_in(
    store: &Store,
    now: i64,
    s: &SignIn<'_>,
    account: &Account,
    opens: Opens<'_>,
) -> StoreResult<User> {
    let id = s.identity;
    let system = Actor {
        user_id: None,
        name: format!("统一身份认证（{}）", rules::protocol_label(id.protocol)),
        ip: s.session.ip.clone(),
    };
    let mut tx = store.begin().await?;
    let user_id = match (&account.user, &account.created) {
        (Some(u), _) => u.id.clone(),
        (None, Some(c)) => {
            let uid = new_id();
            let password = NewPassword {
                hash: s.unusable_hash,
                must_change: false,
            };
            users::create_in(&mut tx, now, &system, &uid, c, true, password).await?;
            uid
        }
        (None, None) => return Err(yingji_store::StoreError::NotFound),
    };
    if !account.linked {
        let summary = rules::link_summary(&id.subject, id.protocol);
        store::link_in(&mut tx, now, &system, &user_id, &id.subject, summary).await?;
    }
    let user = users::by_id_in(&mut tx, &user_id).await?;
    match opens {
        Opens::Session => {
            logins::clear_pair_in(&mut tx, &user.username, s.client).await?;
            sessions::create_in(&mut tx, now, &user, s.session).await?;
        }
        Opens::Pending(token_hash) => {
            let expires = now + yingji_core::security::factor::PENDING_MS;
            let sso = s.session.sso.as_ref();
            pending::create_in(&mut tx, now, token_hash, &user.id, (s.client, expires), sso)
                .await?;
        }
    }
    let summary = rules::login_summary(&user.username, id.protocol, &id.subject, id.mfa);
    let actor = user.actor(s.session.ip.clone());
    store::record_in(&mut tx, now, &actor, ("sso_login", Some(&user.id)), summary).await?;
    tx.commit().await?;
    Ok(user)
}

/// Audits a refused sign-in of `s.identity` and answers `reason`.
pub async fn refuse<T>(
    store: &Store,
    now: i64,
    s: &SignIn<'_>,
    reason: &'static str,
) -> StoreResult<Result<T, &'static str>> {
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

/// 单点退出 from the provider (back channel): ends the sessions it opened through `protocol` for
/// its session `sid` (a digest) or, without one, for the account linked to `subject`; each
/// ending is audited as a logout. Answers how many ended.
pub async fn provider_logout(
    store: &Store,
    now: i64,
    protocol: &str,
    (sid, subject): (Option<&str>, Option<&str>),
) -> StoreResult<usize> {
    let user_id = match subject {
        Some(sub) => store::account_of(store, sub).await?.map(|(id, _)| id),
        None => None,
    };
    let mut tx = store.begin().await?;
    let ended = sessions::of_provider_in(&mut tx, protocol, (sid, user_id.as_deref())).await?;
    for (token_hash, user_id) in &ended {
        let user = users::by_id_in(&mut tx, user_id).await?;
        sessions::delete_in(&mut tx, now, token_hash, &user, None).await?;
    }
    tx.commit().await?;
    Ok(ended.len())
}

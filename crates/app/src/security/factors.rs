//! The second factor: enrolling and removing TOTP, recovery codes, and the second step of a
//! login (TOTP, SMS code or recovery code), each in one transaction with its audit record.

use yingji_core::kernel::notify::Message;
use yingji_core::security::factor::{self as rules, Method};
use yingji_store::directory::sessions::{self, NewSession};
use yingji_store::directory::users::User;
use yingji_store::kernel::outbox::{self, Destination};
use yingji_store::security::{factors, pending};
use yingji_store::{Store, StoreResult};

/// Starts a TOTP enrolment with a new secret (unconfirmed until a code proves it).
pub async fn start(store: &Store, now: i64, user: &User, secret: &str) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    factors::start_in(&mut tx, now, &user.id, secret).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms the enrolment (the code matched `step`) and issues recovery codes `hashes`.
pub async fn confirm(
    store: &Store,
    now: i64,
    user: &User,
    ip: Option<String>,
    (secret, step): (&str, i64),
    hashes: &[String],
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    factors::confirm_in(&mut tx, now, user, ip.clone(), secret, step).await?;
    factors::replace_codes_in(&mut tx, now, user, ip, hashes).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the user's TOTP and recovery codes.
pub async fn disable(store: &Store, now: i64, user: &User, ip: Option<String>) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    factors::disable_in(&mut tx, now, user, ip).await?;
    tx.commit().await?;
    Ok(())
}

/// Issues new recovery codes (the old ones stop working).
pub async fn new_codes(
    store: &Store,
    now: i64,
    user: &User,
    ip: Option<String>,
    hashes: &[String],
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    factors::replace_codes_in(&mut tx, now, user, ip, hashes).await?;
    tx.commit().await?;
    Ok(())
}

/// Texts `code` to the user's phone for pending login `pending_hash` (its digest kept).
pub async fn send_sms(
    store: &Store,
    now: i64,
    user: &User,
    pending_hash: &str,
    (phone, code, code_hash): (&str, &str, &str),
) -> StoreResult<()> {
    let msg = Message {
        event: "security.sms_code".into(),
        title: "登录验证码".into(),
        body: rules::sms_body(code),
        link: String::new(),
        subject_id: user.id.clone(),
    };
    let mut tx = store.begin().await?;
    pending::set_sms_in(&mut tx, pending_hash, code_hash, now + rules::SMS_MS).await?;
    let to = Destination::Phone {
        number: phone,
        person: &user.display_name,
    };
    outbox::enqueue(&mut tx, now, to, &msg).await?;
    tx.commit().await?;
    Ok(())
}

/// How the second step was proved.
#[derive(Debug, Clone)]
pub enum Proof {
    /// The TOTP step the code matched.
    Totp(i64),
    /// The digest of a recovery code.
    Recovery(String),
    Sms,
}

impl Proof {
    fn method(&self) -> Method {
        match self {
            Self::Totp(_) => Method::Totp,
            Self::Recovery(_) => Method::Recovery,
            Self::Sms => Method::Sms,
        }
    }
}

/// The second step passed: the proof is spent (a TOTP step or recovery code counts once), the
/// pending login ends and the session opens. False when the proof was already spent.
pub async fn complete(
    store: &Store,
    now: i64,
    user: &User,
    (pending_hash, client): (&str, &str),
    proof: Proof,
    session: &NewSession,
) -> StoreResult<bool> {
    let mut tx = store.begin().await?;
    let fresh = match &proof {
        Proof::Totp(step) => factors::use_step_in(&mut tx, &user.id, *step).await?,
        Proof::Recovery(hash) => factors::use_code_in(&mut tx, now, &user.id, hash).await?,
        Proof::Sms => true,
    };
    if !fresh {
        return Ok(false);
    }
    pending::delete_in(&mut tx, pending_hash).await?;
    let summary = rules::passed_summary(&user.username, proof.method());
    factors::log(
        &mut tx,
        now,
        user,
        session.ip.clone(),
        "security.factor",
        summary,
    )
    .await?;
    yingji_store::directory::logins::clear_pair_in(&mut tx, &user.username, client).await?;
    sessions::create_in(&mut tx, now, user, session).await?;
    tx.commit().await?;
    Ok(true)
}

/// Opens a pending login for `user` (password passed, factor due).
pub async fn begin(
    store: &Store,
    now: i64,
    user: &User,
    pending_hash: &str,
    client: &str,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    pending::create_in(
        &mut tx,
        now,
        pending_hash,
        &user.id,
        (client, now + rules::PENDING_MS),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

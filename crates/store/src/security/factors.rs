//! A user's second factor: the TOTP secret (its own column, base32, sealed at rest with SM4 —
//! ADR 0032; keyed by `user_id` in `sealing::FIELDS`), whether it was confirmed, the last step used (a code counts once), and the
//! hashed single-use recovery codes.

use crate::directory::users::User;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::security::factor as rules;

#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub totp_secret: Option<String>,
    pub totp_confirmed: bool,
    pub totp_last_step: Option<i64>,
}

/// `user_id`'s factor row (None: never enrolled).
pub async fn get(store: &Store, user_id: &str) -> StoreResult<Option<Factor>> {
    let mut q = Sql::new(
        "SELECT totp_secret, totp_confirmed, totp_last_step FROM user_factors WHERE user_id = ",
    );
    q.bind(user_id);
    store
        .fetch_optional(q)
        .await?
        .map(|r| {
            Ok(Factor {
                totp_secret: crate::kernel::keys::open_opt(r.try_get("totp_secret")?),
                totp_confirmed: r.try_get::<i64, _>("totp_confirmed")? != 0,
                totp_last_step: r.try_get("totp_last_step")?,
            })
        })
        .transpose()
}

/// Whether `user_id` has a confirmed TOTP.
pub async fn enrolled(store: &Store, user_id: &str) -> StoreResult<bool> {
    Ok(get(store, user_id)
        .await?
        .is_some_and(|f| f.totp_confirmed && f.totp_secret.is_some()))
}

/// Starts an enrolment: a new unconfirmed secret (a confirmed one stays until confirmed over).
pub async fn start_in(tx: &mut Tx, now: i64, user_id: &str, secret: &str) -> StoreResult<()> {
    let mut del = Sql::new("DELETE FROM user_factors WHERE user_id = ");
    del.bind(user_id)
        .push(" AND totp_confirmed = 0")
        .execute(&mut *tx)
        .await?;
    let mut q = Sql::new(
        "INSERT INTO user_factors (user_id, totp_secret, totp_confirmed, totp_last_step, updated_ms) VALUES ",
    );
    q.values(vec![
        user_id.into(),
        crate::kernel::keys::seal(secret)?.into(),
        0i64.into(),
        None::<i64>.into(),
        now.into(),
    ])
    .push(" ON CONFLICT (user_id) DO NOTHING");
    q.execute(tx).await?;
    Ok(())
}

/// Confirms `user`'s enrolment with `secret` at `step` (the code that proved it), with the
/// audit record.
pub async fn confirm_in(
    tx: &mut Tx,
    now: i64,
    user: &User,
    ip: Option<String>,
    secret: &str,
    step: i64,
) -> StoreResult<()> {
    let mut del = Sql::new("DELETE FROM user_factors WHERE user_id = ");
    del.bind(&user.id).execute(&mut *tx).await?;
    let mut q = Sql::new(
        "INSERT INTO user_factors (user_id, totp_secret, totp_confirmed, totp_last_step, updated_ms) VALUES ",
    );
    q.values(vec![
        user.id.as_str().into(),
        crate::kernel::keys::seal(secret)?.into(),
        1i64.into(),
        step.into(),
        now.into(),
    ]);
    q.execute(&mut *tx).await?;
    log(
        tx,
        now,
        user,
        ip,
        "security.totp_enrol",
        rules::enrolled_summary(&user.username),
    )
    .await
}

/// Removes `user`'s TOTP and recovery codes, with the audit record.
pub async fn disable_in(tx: &mut Tx, now: i64, user: &User, ip: Option<String>) -> StoreResult<()> {
    for table in ["user_factors", "recovery_codes"] {
        let mut del = Sql::new(&format!("DELETE FROM {table} WHERE user_id = "));
        del.bind(&user.id).execute(&mut *tx).await?;
    }
    log(
        tx,
        now,
        user,
        ip,
        "security.totp_disable",
        rules::disabled_summary(&user.username),
    )
    .await
}

/// Records that `user_id` used TOTP step `step`; false when that step (or a later one) was
/// already used (a replay).
pub async fn use_step_in(tx: &mut Tx, user_id: &str, step: i64) -> StoreResult<bool> {
    let mut up = Sql::new("UPDATE user_factors SET totp_last_step = ");
    up.bind(step)
        .push_bind(" WHERE user_id = ", user_id)
        .push_bind(" AND (totp_last_step IS NULL OR totp_last_step < ", step)
        .push(")");
    Ok(up.execute(tx).await? == 1)
}

/// Replaces `user`'s recovery codes with `hashes`, with the audit record.
pub async fn replace_codes_in(
    tx: &mut Tx,
    now: i64,
    user: &User,
    ip: Option<String>,
    hashes: &[String],
) -> StoreResult<()> {
    let mut del = Sql::new("DELETE FROM recovery_codes WHERE user_id = ");
    del.bind(&user.id).execute(&mut *tx).await?;
    for h in hashes {
        let mut q = Sql::new("INSERT INTO recovery_codes (user_id, code_hash, used_ms) VALUES ");
        q.values(vec![
            user.id.as_str().into(),
            h.as_str().into(),
            None::<i64>.into(),
        ]);
        q.execute(&mut *tx).await?;
    }
    log(
        tx,
        now,
        user,
        ip,
        "security.recovery_codes",
        rules::recovery_summary(&user.username),
    )
    .await
}

/// Uses recovery code `hash` of `user_id`; false when unknown or used already.
pub async fn use_code_in(tx: &mut Tx, now: i64, user_id: &str, hash: &str) -> StoreResult<bool> {
    let mut up = Sql::new("UPDATE recovery_codes SET used_ms = ");
    up.bind(now)
        .push_bind(" WHERE user_id = ", user_id)
        .push_bind(" AND code_hash = ", hash)
        .push(" AND used_ms IS NULL");
    Ok(up.execute(tx).await? == 1)
}

/// How many unused recovery codes `user_id` has.
pub async fn codes_left(store: &Store, user_id: &str) -> StoreResult<i64> {
    let mut q =
        Sql::new("SELECT COUNT(*) FROM recovery_codes WHERE used_ms IS NULL AND user_id = ");
    q.bind(user_id);
    store.fetch_i64(q).await
}

/// An audit record of `user`'s own second-factor action.
pub async fn log(
    tx: &mut Tx,
    now: i64,
    user: &User,
    ip: Option<String>,
    action: &'static str,
    summary: String,
) -> StoreResult<()> {
    audit::append(
        tx,
        now,
        &user.actor(ip),
        Change {
            action,
            entity_type: "user",
            entity_id: Some(&user.id),
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

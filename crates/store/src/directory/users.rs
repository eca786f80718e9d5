//! Accounts, their scopes, and browser sessions (API tokens: tokens.rs). Secrets never reach this module in
//! the clear: passwords arrive hashed (argon2id, by the server) and session and API tokens as
//! SHA-256 digests.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::split_codes;
use yingji_core::directory::region::{self, RegionLevel};
use yingji_core::kernel::role::{Role, Scope, ScopeKind};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: String,
    pub role_label: String,
    pub region_code: Option<String>,
    pub department_id: Option<String>,
    pub enterprise_id: Option<String>,
    /// Human description of the scope, e.g. "浔阳区" or "区应急管理局 × 浔阳区".
    pub scope_label: String,
    pub active: bool,
    pub must_change_password: bool,
    pub locked_until_ms: Option<i64>,
    pub created_ms: i64,
    pub updated_ms: i64,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(skip)]
    pub failed_logins: i64,
}

impl User {
    pub fn role(&self) -> Role {
        yingji_core::directory::access::stored_role(&self.role)
    }
    pub fn actor(&self, ip: Option<String>) -> Actor {
        Actor {
            user_id: Some(self.id.clone()),
            name: self.username.clone(),
            ip,
        }
    }
}

const COLUMNS: &str = "u.id, u.username, u.display_name, u.phone, u.password_hash, u.role, u.region_code, u.department_id, u.enterprise_id, u.active, u.must_change_password, u.failed_logins, u.locked_until_ms, u.created_ms, u.updated_ms, r.name AS region_name, d.name AS department_name, e.name AS enterprise_name";
const FROM: &str = " FROM users u LEFT JOIN regions r ON r.code = u.region_code LEFT JOIN departments d ON d.id = u.department_id LEFT JOIN enterprises e ON e.id = u.enterprise_id";

fn from_row(r: &AnyRow) -> StoreResult<User> {
    let role: String = r.try_get("role")?;
    let region_name: Option<String> = r.try_get("region_name")?;
    let department_name: Option<String> = r.try_get("department_name")?;
    let enterprise_name: Option<String> = r.try_get("enterprise_name")?;
    let role_parsed = Role::parse(&role).ok();
    let scope_label = yingji_core::directory::user::scope_label(
        role_parsed.map(|r| r.scope_kind()),
        region_name,
        department_name,
        enterprise_name,
    );
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        phone: r.try_get("phone")?,
        role_label: role_parsed.map(|x| x.label()).unwrap_or("").to_string(),
        role,
        region_code: r.try_get("region_code")?,
        department_id: r.try_get("department_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        scope_label,
        active: r.try_get::<i64, _>("active")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        locked_until_ms: r.try_get("locked_until_ms")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        password_hash: r.try_get("password_hash")?,
        failed_logins: r.try_get("failed_logins")?,
    })
}

pub async fn by_id(store: &Store, id: &str) -> StoreResult<User> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE u.id = "));
    q.bind(id);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn by_username(store: &Store, username: &str) -> StoreResult<Option<User>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE u.username = "));
    q.bind(username);
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn count(store: &Store) -> StoreResult<i64> {
    store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM users"))
        .await
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub q: Option<String>,
    pub role: Option<String>,
}

pub async fn list(store: &Store, f: &UserFilter, page: Page) -> StoreResult<(Vec<User>, i64)> {
    let mut w = Sql::new(&format!("{FROM} WHERE 1 = 1"));
    if let Some(q) = &f.q {
        let like = crate::db::like_contains(q);
        w.push_bind(" AND (u.username LIKE ", like.clone())
            .push(" ESCAPE '\\'")
            .push_bind(" OR u.display_name LIKE ", like)
            .push(" ESCAPE '\\')");
    }
    if let Some(r) = &f.role {
        w.push_bind(" AND u.role = ", r);
    }
    let total = store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*){}", w.text),
            args: w.args.clone(),
        })
        .await?;
    let mut q = Sql {
        text: format!("SELECT {COLUMNS}{} ORDER BY u.username", w.text),
        args: w.args,
    };
    page.push_limit(&mut q);
    Ok((
        store
            .fetch_all(q)
            .await?
            .iter()
            .map(from_row)
            .collect::<StoreResult<_>>()?,
        total,
    ))
}

/// Resolves what a user may see. A user whose scope rows have vanished gets an empty scope.
pub async fn scope_of(store: &Store, user: &User) -> StoreResult<Scope> {
    let nothing = Scope::Enterprise {
        enterprise_id: String::new(),
    };
    async fn region_prefix(store: &Store, code: &Option<String>) -> StoreResult<Option<String>> {
        let Some(code) = code else { return Ok(None) };
        let mut q = Sql::new("SELECT level FROM regions WHERE code = ");
        q.bind(code);
        Ok(match store.fetch_optional(q).await? {
            Some(r) => RegionLevel::parse(&r.try_get::<String, _>("level")?)
                .ok()
                .map(|l| region::scope_prefix(code, l).to_string()),
            None => None,
        })
    }
    Ok(match user.role().scope_kind() {
        ScopeKind::All => Scope::All,
        ScopeKind::Region => match region_prefix(store, &user.region_code).await? {
            Some(prefix) => Scope::Region {
                region_code: user.region_code.clone().unwrap_or_default(),
                prefix,
            },
            None => nothing,
        },
        ScopeKind::Department => {
            let Some(dept_id) = &user.department_id else {
                return Ok(nothing);
            };
            let mut q = Sql::new("SELECT categories, region_code FROM departments WHERE id = ");
            q.bind(dept_id);
            let Some(d) = store.fetch_optional(q).await? else {
                return Ok(nothing);
            };
            // The user's own region narrows the department's (部门 × 区域).
            let region_code = user
                .region_code
                .clone()
                .unwrap_or(d.try_get::<String, _>("region_code")?);
            match region_prefix(store, &Some(region_code.clone())).await? {
                Some(prefix) => Scope::Department {
                    department_id: dept_id.clone(),
                    categories: split_codes(&d.try_get::<String, _>("categories")?),
                    region_code,
                    prefix,
                },
                None => nothing,
            }
        }
        ScopeKind::Enterprise => Scope::Enterprise {
            enterprise_id: user.enterprise_id.clone().unwrap_or_default(),
        },
    })
}

pub use yingji_core::directory::user::UserInput;
use yingji_core::directory::user::{self as rules, CheckedUser, check_user};

async fn check(store: &Store, input: &UserInput) -> StoreResult<CheckedUser> {
    let mut draft = check_user(input);
    let mut missing = Vec::new();
    for (field, table, key, val) in draft.references() {
        let mut q = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE {key} = "));
        q.bind(val);
        if store.fetch_i64(q).await? == 0 {
            missing.push((field, val.to_string()));
        }
    }
    for (field, val) in missing {
        draft.missing_reference(field, &val);
    }
    Ok(draft.finish()?)
}

fn public_json(u: &CheckedUser, active: bool) -> serde_json::Value {
    serde_json::json!({
        "username": u.username, "display_name": u.display_name, "phone": u.phone, "role": u.role.as_str(),
        "region_code": u.region_code, "department_id": u.department_id, "enterprise_id": u.enterprise_id, "active": active,
    })
}

pub async fn create(
    store: &Store,
    now: i64,
    actor: &Actor,
    input: &UserInput,
    password_hash: &str,
    must_change: bool,
) -> StoreResult<User> {
    let c = check(store, input).await?;
    let id = new_id();
    let active = input.active.unwrap_or(true);
    let mut tx = store.begin().await?;
    let mut dup = Sql::new("SELECT COUNT(*) FROM users WHERE username = ");
    dup.bind(&c.username);
    if dup.fetch_one(&mut tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict(
            "username",
            format!("用户名“{}”已存在", c.username),
        ));
    }
    let mut ins = Sql::new(
        "INSERT INTO users (id, username, display_name, phone, password_hash, role, region_code, department_id, enterprise_id, active, must_change_password, failed_logins, locked_until_ms, created_ms, updated_ms) VALUES ",
    );
    ins.values(vec![
        id.as_str().into(),
        c.username.as_str().into(),
        c.display_name.as_str().into(),
        c.phone.clone().into(),
        password_hash.into(),
        c.role.as_str().into(),
        c.region_code.clone().into(),
        c.department_id.clone().into(),
        c.enterprise_id.clone().into(),
        active.into(),
        must_change.into(),
        0i64.into(),
        None::<i64>.into(),
        now.into(),
        now.into(),
    ]);
    ins.execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "create",
            entity_type: "user",
            entity_id: Some(&id),
            summary: rules::created_summary(&c.username, c.role),
            before: None,
            after: Some(public_json(&c, active)),
        },
    )
    .await?;
    tx.commit().await?;
    by_id(store, &id).await
}

pub async fn update(
    store: &Store,
    now: i64,
    actor: &Actor,
    id: &str,
    input: &UserInput,
) -> StoreResult<User> {
    let before = by_id(store, id).await?;
    let c = check(store, input).await?;
    if c.username != before.username {
        return Err(StoreError::invalid("username", rules::USERNAME_FIXED));
    }
    let active = input.active.unwrap_or(before.active);
    let mut tx = store.begin().await?;
    let mut up = Sql::new("UPDATE users SET display_name = ");
    up.bind(&c.display_name)
        .push_bind(", phone = ", c.phone.clone())
        .push_bind(", role = ", c.role.as_str())
        .push_bind(", region_code = ", c.region_code.clone())
        .push_bind(", department_id = ", c.department_id.clone())
        .push_bind(", enterprise_id = ", c.enterprise_id.clone())
        .push_bind(", active = ", active)
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    up.execute(&mut tx).await?;
    // A narrower role or scope, or a disabled account, must take effect now: end its sessions.
    let mut end = Sql::new("DELETE FROM sessions WHERE user_id = ");
    end.bind(id).execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "update",
            entity_type: "user",
            entity_id: Some(id),
            summary: rules::updated_summary(&c.username),
            before: Some(serde_json::to_value(&before).unwrap_or_default()),
            after: Some(public_json(&c, active)),
        },
    )
    .await?;
    tx.commit().await?;
    by_id(store, id).await
}

/// Sets a new password hash and ends every session of the user (revocation on change).
pub async fn set_password(
    store: &Store,
    now: i64,
    actor: &Actor,
    id: &str,
    hash: &str,
    must_change: bool,
    summary: &str,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let mut up = Sql::new("UPDATE users SET password_hash = ");
    up.bind(hash)
        .push_bind(", must_change_password = ", must_change)
        .push(", failed_logins = 0, locked_until_ms = NULL")
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    if up.execute(&mut tx).await? == 0 {
        return Err(StoreError::NotFound);
    }
    let mut end = Sql::new("DELETE FROM sessions WHERE user_id = ");
    end.bind(id).execute(&mut tx).await?;
    // API tokens die with the password that made them (change and reset alike).
    let mut revoke = Sql::new("UPDATE api_tokens SET revoked_ms = ");
    revoke
        .bind(now)
        .push_bind(" WHERE user_id = ", id)
        .push(" AND revoked_ms IS NULL");
    revoke.execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "password",
            entity_type: "user",
            entity_id: Some(id),
            summary: summary.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a failed login; after `max_failures` in a row the account is locked for `lock_ms`.
pub async fn record_login_failure(
    store: &Store,
    now: i64,
    user: &User,
    max_failures: i64,
    lock_ms: i64,
) -> StoreResult<bool> {
    let failures = user.failed_logins + 1;
    let lock = failures >= max_failures;
    let mut tx = store.begin().await?;
    let mut up = Sql::new("UPDATE users SET failed_logins = ");
    up.bind(if lock { 0 } else { failures })
        .push_bind(
            ", locked_until_ms = ",
            if lock {
                Some(now + lock_ms)
            } else {
                user.locked_until_ms
            },
        )
        .push_bind(" WHERE id = ", &user.id);
    up.execute(&mut tx).await?;
    let actor = Actor {
        user_id: None,
        name: user.username.clone(),
        ip: None,
    };
    let summary = rules::login_failure_summary(&user.username, failures, lock);
    audit::append(
        &mut tx,
        now,
        &actor,
        Change {
            action: if lock { "lock" } else { "login_failed" },
            entity_type: "user",
            entity_id: Some(&user.id),
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(lock)
}

// ---- sessions ----

pub async fn create_session(
    store: &Store,
    now: i64,
    user: &User,
    token_hash: &str,
    ttl_ms: i64,
    ip: Option<String>,
    user_agent: Option<String>,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let mut ins = Sql::new(
        "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms, last_seen_ms, ip, user_agent) VALUES ",
    );
    ins.values(vec![
        token_hash.into(),
        user.id.as_str().into(),
        now.into(),
        (now + ttl_ms).into(),
        now.into(),
        ip.clone().into(),
        user_agent
            .map(|u| u.chars().take(200).collect::<String>())
            .into(),
    ]);
    ins.execute(&mut tx).await?;
    let mut up = Sql::new("UPDATE users SET failed_logins = 0, locked_until_ms = NULL WHERE id = ");
    up.bind(&user.id).execute(&mut tx).await?;
    // Expired sessions are swept on login, which keeps the table small without a timer.
    let mut sweep = Sql::new("DELETE FROM sessions WHERE expires_ms < ");
    sweep.bind(now).execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        &user.actor(ip),
        Change {
            action: "login",
            entity_type: "user",
            entity_id: Some(&user.id),
            summary: rules::login_summary(&user.username),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The live session's user, extending its idle expiry.
pub async fn session_user(
    store: &Store,
    now: i64,
    token_hash: &str,
    ttl_ms: i64,
) -> StoreResult<Option<User>> {
    let mut q =
        Sql::new("SELECT user_id, expires_ms, last_seen_ms FROM sessions WHERE token_hash = ");
    q.bind(token_hash);
    let Some(row) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    if row.try_get::<i64, _>("expires_ms")? <= now {
        return Ok(None);
    }
    // Touch at most once a minute so reads do not turn into writes on every request.
    if now - row.try_get::<i64, _>("last_seen_ms")? > 60_000 {
        let mut up = Sql::new("UPDATE sessions SET last_seen_ms = ");
        up.bind(now)
            .push_bind(", expires_ms = ", now + ttl_ms)
            .push_bind(" WHERE token_hash = ", token_hash);
        store.execute(up).await?;
    }
    let user = by_id(store, &row.try_get::<String, _>("user_id")?).await?;
    Ok(user.active.then_some(user))
}

pub async fn delete_session(
    store: &Store,
    now: i64,
    token_hash: &str,
    user: &User,
    ip: Option<String>,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let mut del = Sql::new("DELETE FROM sessions WHERE token_hash = ");
    del.bind(token_hash).execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        &user.actor(ip),
        Change {
            action: "logout",
            entity_type: "user",
            entity_id: Some(&user.id),
            summary: rules::logout_summary(&user.username),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

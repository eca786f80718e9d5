//! Accounts and their scopes (browser sessions: sessions.rs, API tokens: tokens.rs). Secrets
//! never reach this module in the clear: passwords arrive hashed (argon2id, by the server).

use crate::kernel::audit::{self, Change};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx};
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
    /// 所属保险机构 (保险机构人员).
    pub insurer_id: Option<String>,
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
    /// When the password was last set (None: before the password policy existed).
    #[serde(skip)]
    pub password_changed_ms: Option<i64>,
    /// The latest successful login's time and address.
    #[serde(skip)]
    pub last_login_ms: Option<i64>,
    #[serde(skip)]
    pub last_login_ip: Option<String>,
    /// Failed logins (any address) since the latest successful one.
    #[serde(skip)]
    pub failed_since_login: i64,
    /// The login before the latest one, and the failures between them (shown after sign-in).
    #[serde(skip)]
    pub prev_login_ms: Option<i64>,
    #[serde(skip)]
    pub prev_login_ip: Option<String>,
    #[serde(skip)]
    pub failed_before_login: i64,
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

const COLUMNS: &str = "u.id, u.username, u.display_name, u.phone, u.password_hash, u.role, u.region_code, u.department_id, u.enterprise_id, u.insurer_id, u.active, u.must_change_password, u.failed_logins, u.locked_until_ms, u.password_changed_ms, u.last_login_ms, u.last_login_ip, u.failed_since_login, u.prev_login_ms, u.prev_login_ip, u.failed_before_login, u.created_ms, u.updated_ms, r.name AS region_name, d.name AS department_name, e.name AS enterprise_name, i.name AS insurer_name";
const FROM: &str = " FROM users u LEFT JOIN regions r ON r.code = u.region_code LEFT JOIN departments d ON d.id = u.department_id LEFT JOIN enterprises e ON e.id = u.enterprise_id LEFT JOIN credit_insurers i ON i.id = u.insurer_id";

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
        r.try_get("insurer_name")?,
    );
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        phone: crate::kernel::keys::open_opt(r.try_get("phone")?),
        role_label: role_parsed.map(|x| x.label()).unwrap_or("").to_string(),
        role,
        region_code: r.try_get("region_code")?,
        department_id: r.try_get("department_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        insurer_id: r.try_get("insurer_id")?,
        scope_label,
        active: r.try_get::<i64, _>("active")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        locked_until_ms: r.try_get("locked_until_ms")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        password_hash: r.try_get("password_hash")?,
        failed_logins: r.try_get("failed_logins")?,
        password_changed_ms: r.try_get("password_changed_ms")?,
        last_login_ms: r.try_get("last_login_ms")?,
        last_login_ip: r.try_get("last_login_ip")?,
        failed_since_login: r.try_get("failed_since_login")?,
        prev_login_ms: r.try_get("prev_login_ms")?,
        prev_login_ip: r.try_get("prev_login_ip")?,
        failed_before_login: r.try_get("failed_before_login")?,
    })
}

pub async fn by_id(store: &Store, id: &str) -> StoreResult<User> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE u.id = "));
    q.bind(id);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// [`by_id`] inside a transaction (an account created in it).
pub async fn by_id_in(tx: &mut Tx, id: &str) -> StoreResult<User> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE u.id = "));
    q.bind(id);
    from_row(&q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?)
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

/// How many accounts (active or not) hold `role`.
pub async fn count_with_role(store: &Store, role: &str) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM users WHERE role = ");
    q.bind(role);
    store.fetch_i64(q).await
}

/// How many active accounts hold `role` (三员分立 keeps the last one).
pub async fn count_active_with_role_in(tx: &mut Tx, role: &str) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM users WHERE active = 1 AND role = ");
    q.bind(role);
    Ok(q.fetch_one(&mut *tx).await?.try_get::<i64, _>(0)?)
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
/// The security administrator and the auditor read no business records (core decides:
/// [`Scope::for_role`]).
pub async fn scope_of(store: &Store, user: &User) -> StoreResult<Scope> {
    let nothing = Scope::nothing();
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
        ScopeKind::All => Scope::for_role(user.role(), Scope::All),
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
        ScopeKind::Insurer => Scope::Insurer {
            insurer_id: user.insurer_id.clone().unwrap_or_default(),
        },
    })
}

pub use yingji_core::directory::user::UserInput;
use yingji_core::directory::user::{self as rules, CheckedUser};

/// Checks `input` with core and looks up the region, department or enterprise it names: each
/// that does not exist is a field error.
pub async fn check_user(store: &Store, input: &UserInput) -> StoreResult<CheckedUser> {
    let mut draft = rules::check_user(input);
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

/// A phone as an audit snapshot shows it: masked (the log is kept for years and read by the
/// auditor; the number itself is sealed in the row, ADR 0032).
fn snapshot_phone(phone: Option<&str>) -> Option<String> {
    phone.map(yingji_core::kernel::personal::mask_phone)
}

/// The account as the audit record's `before` shows it (the phone masked).
fn before_json(u: &User) -> serde_json::Value {
    let mut v = serde_json::to_value(u).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("phone".into(), snapshot_phone(u.phone.as_deref()).into());
    }
    v
}

fn public_json(u: &CheckedUser, active: bool) -> serde_json::Value {
    serde_json::json!({
        "username": u.username, "display_name": u.display_name, "phone": snapshot_phone(u.phone.as_deref()), "role": u.role.as_str(),
        "region_code": u.region_code, "department_id": u.department_id, "enterprise_id": u.enterprise_id, "insurer_id": u.insurer_id, "active": active,
    })
}

/// A password as it is stored: its argon2id hash, and whether it must be changed at the next
/// login.
#[derive(Debug, Clone, Copy)]
pub struct NewPassword<'a> {
    pub hash: &'a str,
    pub must_change: bool,
}

/// Inserts checked account `id` (its user name must be new) and its audit record.
pub async fn create_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    c: &CheckedUser,
    active: bool,
    password: NewPassword<'_>,
) -> StoreResult<()> {
    let mut dup = Sql::new("SELECT COUNT(*) FROM users WHERE username = ");
    dup.bind(&c.username);
    if dup.fetch_one(&mut *tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict(
            "username",
            rules::username_taken(&c.username),
        ));
    }
    let mut ins = Sql::new(
        "INSERT INTO users (id, username, display_name, phone, password_hash, role, region_code, department_id, enterprise_id, insurer_id, active, must_change_password, failed_logins, locked_until_ms, created_ms, updated_ms, password_changed_ms) VALUES ",
    );
    ins.values(vec![
        id.into(),
        c.username.as_str().into(),
        c.display_name.as_str().into(),
        crate::kernel::keys::seal_opt(c.phone.as_deref())?.into(),
        password.hash.into(),
        c.role.as_str().into(),
        c.region_code.clone().into(),
        c.department_id.clone().into(),
        c.enterprise_id.clone().into(),
        c.insurer_id.clone().into(),
        active.into(),
        password.must_change.into(),
        0i64.into(),
        None::<i64>.into(),
        now.into(),
        now.into(),
        // The age counts from the first password the user chose (set_password_in).
        None::<i64>.into(),
    ]);
    ins.execute(&mut *tx).await?;
    crate::security::passwords::remember_in(tx, now, id, password.hash).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "create",
            entity_type: "user",
            entity_id: Some(id),
            summary: rules::created_summary(&c.username, c.role),
            before: None,
            after: Some(public_json(c, active)),
        },
    )
    .await?;
    Ok(())
}

/// Writes checked account `c` over `before`, ends the account's sessions and writes the audit
/// record.
pub async fn update_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    before: &User,
    c: &CheckedUser,
    active: bool,
) -> StoreResult<()> {
    let id = before.id.as_str();
    let mut up = Sql::new("UPDATE users SET display_name = ");
    up.bind(&c.display_name)
        .push_bind(
            ", phone = ",
            crate::kernel::keys::seal_opt(c.phone.as_deref())?,
        )
        .push_bind(", role = ", c.role.as_str())
        .push_bind(", region_code = ", c.region_code.clone())
        .push_bind(", department_id = ", c.department_id.clone())
        .push_bind(", enterprise_id = ", c.enterprise_id.clone())
        .push_bind(", insurer_id = ", c.insurer_id.clone())
        .push_bind(", active = ", active)
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    up.execute(&mut *tx).await?;
    // A narrower role or scope, or a disabled account, must take effect now: end its sessions.
    let mut end = Sql::new("DELETE FROM sessions WHERE user_id = ");
    end.bind(id).execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "update",
            entity_type: "user",
            entity_id: Some(id),
            summary: rules::updated_summary(&c.username),
            before: Some(before_json(before)),
            after: Some(public_json(c, active)),
        },
    )
    .await?;
    let scope = |r: &Option<String>, d: &Option<String>, e: &Option<String>, i: &Option<String>| {
        [r.clone(), d.clone(), e.clone(), i.clone()]
    };
    let was = scope(
        &before.region_code,
        &before.department_id,
        &before.enterprise_id,
        &before.insurer_id,
    );
    let now_scope = scope(
        &c.region_code,
        &c.department_id,
        &c.enterprise_id,
        &c.insurer_id,
    );
    if before.role != c.role.as_str() || was != now_scope {
        // 等保: a permission change is its own audit record.
        audit::append(
            tx,
            now,
            actor,
            Change {
                action: "permission",
                entity_type: "user",
                entity_id: Some(id),
                summary: yingji_core::security::admins::permission_summary(
                    &c.username,
                    before.role(),
                    c.role,
                ),
                before: Some(serde_json::json!({"role": before.role, "scope": was})),
                after: Some(serde_json::json!({"role": c.role.as_str(), "scope": now_scope})),
            },
        )
        .await?;
    }
    Ok(())
}

/// Sets account `id`'s new password, clears its lock, ends every session of it and revokes its
/// API tokens (they die with the password that made them), with the audit record `summary`.
pub async fn set_password_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    password: NewPassword<'_>,
    summary: String,
) -> StoreResult<()> {
    let mut up = Sql::new("UPDATE users SET password_hash = ");
    up.bind(password.hash)
        .push_bind(", must_change_password = ", password.must_change)
        .push(", failed_logins = 0, locked_until_ms = NULL")
        .push_bind(", updated_ms = ", now)
        .push_bind(", password_changed_ms = ", now)
        .push_bind(" WHERE id = ", id);
    if up.execute(&mut *tx).await? == 0 {
        return Err(StoreError::NotFound);
    }
    crate::security::passwords::remember_in(tx, now, id, password.hash).await?;
    let mut end = Sql::new("DELETE FROM sessions WHERE user_id = ");
    end.bind(id).execute(&mut *tx).await?;
    let mut revoke = Sql::new("UPDATE api_tokens SET revoked_ms = ");
    revoke
        .bind(now)
        .push_bind(" WHERE user_id = ", id)
        .push(" AND revoked_ms IS NULL");
    revoke.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "password",
            entity_type: "user",
            entity_id: Some(id),
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

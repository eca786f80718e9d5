//! Notification channels: the group robots, webhooks, mailboxes and phone lists that 叫应 steps
//! reach besides the in-app messages. A channel belongs to an enterprise, a department or a
//! region (a street's or the district's duty group); a step whose targets name that audience
//! sends to every active channel of it through the outbox.

use crate::kernel::audit::{self, Change};
use crate::monitoring::gateways::resolve_owner;
use crate::prevention::risk_points::{push_scope_on, region_columns};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::notify::{ChannelKind, mask_endpoint};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::Errors;
use yingji_core::monitoring::channel::{
    CheckedChannel, DEPARTMENT_CHANNEL_DENIED, DEPARTMENT_STAFF_OWN_CHANNELS, audience_label,
    channel_created_summary, channel_tested_summary, channel_updated_summary, check_channel,
    test_message,
};

pub use yingji_core::monitoring::channel::ChannelInput;

#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    pub id: String,
    pub name: String,
    pub kind: ChannelKind,
    pub kind_label: String,
    pub endpoint: String,
    /// The secret itself is never shown again.
    pub has_secret: bool,
    pub enterprise_id: Option<String>,
    pub department_id: Option<String>,
    pub region_code: String,
    /// 企业 / 部门 / 街道 / 区县 …: whom the channel speaks for.
    pub audience_label: String,
    pub active: bool,
    pub created_ms: i64,
}

/// What delivery needs of a channel.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub kind: ChannelKind,
    pub endpoint: String,
    pub secret: Option<String>,
    pub active: bool,
}

fn channel_from_row(r: &AnyRow) -> StoreResult<Channel> {
    let kind = ChannelKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(ChannelKind::Webhook);
    let enterprise_id: Option<String> = r.try_get("enterprise_id")?;
    let department_id: Option<String> = r.try_get("department_id")?;
    let region_code: String = r.try_get("region_code")?;
    Ok(Channel {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind,
        kind_label: kind.label().into(),
        endpoint: mask_endpoint(kind, &r.try_get::<String, _>("endpoint")?),
        has_secret: r
            .try_get::<Option<String>, _>("secret")?
            .is_some_and(|s| !s.is_empty()),
        audience_label: audience_label(
            enterprise_id.is_some(),
            department_id.is_some(),
            &region_code,
        )
        .into(),
        enterprise_id,
        department_id,
        region_code,
        active: r.try_get::<i64, _>("active")? != 0,
        created_ms: r.try_get("created_ms")?,
    })
}

/// The owner columns: (enterprise, department, region code, categories).
type Owner = (Option<String>, Option<String>, String, String);

async fn resolve(
    store: &Store,
    scope: &Scope,
    role: Role,
    input: &ChannelInput,
    errs: &mut Errors,
) -> StoreResult<Owner> {
    let wanted_department = match scope {
        Scope::Department { department_id, .. } => Some(department_id.clone()),
        Scope::Enterprise { .. } => None,
        _ if input
            .enterprise_id
            .as_deref()
            .is_some_and(|e| !e.is_empty()) =>
        {
            None
        }
        _ => input.department_id.clone().filter(|d| !d.is_empty()),
    };
    if let Some(dep) = wanted_department {
        if matches!(scope, Scope::Department { .. })
            && input
                .enterprise_id
                .as_deref()
                .is_some_and(|e| !e.is_empty())
        {
            return Err(StoreError::invalid(
                "enterprise_id",
                DEPARTMENT_STAFF_OWN_CHANNELS,
            ));
        }
        if !yingji_core::monitoring::access::may_register_department_channels(role) {
            return Err(StoreError::Forbidden(DEPARTMENT_CHANNEL_DENIED.into()));
        }
        let mut q = Sql::new("SELECT region_code, categories FROM departments WHERE id = ");
        q.bind(&dep);
        let Some(r) = store.fetch_optional(q).await? else {
            return Err(StoreError::invalid(
                "department_id",
                yingji_core::kernel::wording::DEPARTMENT_UNKNOWN,
            ));
        };
        let region: String = r.try_get("region_code")?;
        if !scope.covers_region(&region) && *scope != Scope::All {
            return Err(StoreError::Forbidden(
                yingji_core::kernel::wording::DEPARTMENT_OUTSIDE_SCOPE.into(),
            ));
        }
        return Ok((None, Some(dep), region, r.try_get("categories")?));
    }
    // A street's or district's staff register their own duty group unless they name another.
    let region = input
        .region_code
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| match scope {
            Scope::Region { region_code, .. } => Some(region_code.clone()),
            _ => None,
        });
    let (enterprise, region, categories) = resolve_owner(
        store,
        scope,
        input.enterprise_id.as_deref(),
        region.as_deref(),
        errs,
    )
    .await?;
    Ok((enterprise, None, region, categories))
}

/// A new channel, checked and its owner resolved before the transaction.
pub struct NewChannel {
    checked: CheckedChannel,
    owner: Owner,
}

/// Checks a new channel's input and resolves its owner (the caller's role decided already).
pub async fn check_create(
    store: &Store,
    scope: &Scope,
    role: Role,
    input: &ChannelInput,
) -> StoreResult<NewChannel> {
    let mut errs = Errors::default();
    let checked = check_channel(&mut errs, input);
    if let Some(c) = &checked
        && !yingji_core::monitoring::channel::may_register_kind(role, c.kind)
    {
        return Err(StoreError::Forbidden(
            yingji_core::monitoring::channel::HOTLINE_CHANNEL_DENIED.into(),
        ));
    }
    if checked
        .as_ref()
        .is_some_and(|c| c.kind == ChannelKind::Hotline)
        && input.secret.is_none()
    {
        errs.add(
            "secret",
            yingji_core::monitoring::channel::HOTLINE_SECRET_REQUIRED,
        );
    }
    let owner = resolve(store, scope, role, input, &mut errs).await?;
    match checked {
        Some(checked) if errs.is_empty() => Ok(NewChannel { checked, owner }),
        _ => Err(errs.into_invalid().into()),
    }
}

/// Registers a checked channel inside the caller's transaction; returns its id.
pub async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    input: &ChannelInput,
    new: NewChannel,
) -> StoreResult<String> {
    let NewChannel {
        checked: CheckedChannel { name, kind },
        owner: (enterprise_id, department_id, region_code, categories),
    } = new;
    let id = new_id();
    let [d, s, c, g] = region_columns(&region_code);
    let mut q = Sql::new(
        "INSERT INTO notify_channels (id, name, kind, endpoint, secret, enterprise_id, department_id, region_code, district_code, street_code, community_code, grid_code, categories, active, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        name.clone().into(),
        kind.code().into(),
        input.endpoint.trim().into(),
        input.secret.clone().filter(|s| !s.is_empty()).into(),
        enterprise_id.clone().into(),
        department_id.clone().into(),
        region_code.clone().into(),
        d.into(),
        s.into(),
        c.into(),
        g.into(),
        categories.into(),
        i64::from(input.active).into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "channel.create",
            entity_type: "notify_channel",
            entity_id: Some(&id),
            summary: channel_created_summary(&name, kind),
            before: None,
            after: Some(serde_json::json!({"kind": kind.code(), "endpoint": mask_endpoint(kind, input.endpoint.trim()),
                "enterprise_id": enterprise_id, "department_id": department_id, "region_code": region_code})),
        },
    )
    .await?;
    Ok(id)
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Channel> {
    let mut q = Sql::new("SELECT * FROM notify_channels nc WHERE nc.id = ");
    q.bind(id);
    push_scope_on(&mut q, "nc", scope, Some("department_id"));
    channel_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list(store: &Store, scope: &Scope, page: Page) -> StoreResult<(Vec<Channel>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope_on(&mut w, "nc", scope, Some("department_id"));
    store
        .page_of(
            "SELECT COUNT(*) FROM notify_channels nc",
            "SELECT * FROM notify_channels nc",
            w,
            "nc.created_ms DESC, nc.id",
            page,
            channel_from_row,
        )
        .await
}

/// A channel's change, checked before the transaction: the channel as it was, its checked name
/// and kind, and the address to store (the stored one when the masked one came back).
pub struct ChannelChange {
    before: Channel,
    checked: CheckedChannel,
    endpoint: String,
}

/// Checks a change of a channel the caller sees (the caller's role decided already).
pub async fn check_update(
    store: &Store,
    scope: &Scope,
    id: &str,
    input: &ChannelInput,
) -> StoreResult<ChannelChange> {
    let before = get(store, scope, id).await?;
    let mut errs = Errors::default();
    let Some(checked) = check_channel(&mut errs, input).filter(|_| errs.is_empty()) else {
        return Err(errs.into_invalid().into());
    };
    let endpoint = match self::endpoint(store, id).await? {
        Some(stored) if input.endpoint.trim() == before.endpoint => stored.endpoint,
        _ => input.endpoint.trim().to_string(),
    };
    Ok(ChannelChange {
        before,
        checked,
        endpoint,
    })
}

/// Changes name, address, secret and on/off inside the caller's transaction; the owner stays.
pub async fn update_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    input: &ChannelInput,
    change: ChannelChange,
) -> StoreResult<()> {
    let ChannelChange {
        before,
        checked: CheckedChannel { name, kind },
        endpoint,
    } = change;
    let mut u = Sql::new("UPDATE notify_channels SET updated_ms = ");
    u.bind(now_ms)
        .push_bind(", name = ", &name)
        .push_bind(", kind = ", kind.code())
        .push_bind(", endpoint = ", &endpoint)
        .push_bind(", active = ", i64::from(input.active));
    if let Some(secret) = &input.secret {
        u.push_bind(
            ", secret = ",
            Some(secret.clone()).filter(|s| !s.is_empty()),
        );
    }
    u.push_bind(" WHERE id = ", id);
    u.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "channel.update",
            entity_type: "notify_channel",
            entity_id: Some(id),
            summary: channel_updated_summary(&name),
            before: Some(serde_json::json!({"name": before.name, "kind": before.kind, "endpoint": before.endpoint, "active": before.active})),
            after: Some(serde_json::json!({"name": name, "kind": kind, "endpoint": mask_endpoint(kind, &endpoint), "active": input.active,
                "secret_changed": input.secret.is_some()})),
        },
    )
    .await?;
    Ok(())
}

/// The delivery side: a channel's address and secret, whoever owns it.
pub async fn endpoint(store: &Store, id: &str) -> StoreResult<Option<Endpoint>> {
    let mut q = Sql::new("SELECT kind, endpoint, secret, active FROM notify_channels WHERE id = ");
    q.bind(id);
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    Ok(Some(Endpoint {
        kind: ChannelKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(ChannelKind::Webhook),
        endpoint: r.try_get("endpoint")?,
        secret: r.try_get("secret")?,
        active: r.try_get::<i64, _>("active")? != 0,
    }))
}

/// An active channel a step sends to: (id, kind, name).
pub type Recipient = (String, ChannelKind, String);

/// The active channels of an audience: an enterprise, a region (exact code: the street's or
/// the district's own group) or departments.
pub enum Audience<'a> {
    Enterprise(&'a str),
    Region(&'a str),
    Departments(&'a [String]),
}

pub async fn of_audience(tx: &mut Tx, audience: Audience<'_>) -> StoreResult<Vec<Recipient>> {
    // The hotline connection is no one's duty group.
    let mut q = Sql::new(
        "SELECT id, kind, name FROM notify_channels WHERE active = 1 AND kind <> 'hotline'",
    );
    match audience {
        Audience::Enterprise(e) => {
            q.push_bind(" AND enterprise_id = ", e);
        }
        Audience::Region(code) => {
            q.push(" AND enterprise_id IS NULL AND department_id IS NULL")
                .push_bind(" AND region_code = ", code);
        }
        Audience::Departments(ids) => {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            q.push(" AND department_id IN ").bind_list(ids);
        }
    }
    q.push(" ORDER BY created_ms");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let kind = ChannelKind::parse(&r.try_get::<String, _>("kind")?)
                .unwrap_or(ChannelKind::Webhook);
            Ok((r.try_get("id")?, kind, r.try_get("name")?))
        })
        .collect()
}

/// Queues a test message to a channel inside the caller's transaction, so its owner can see it
/// arrive (or why it did not); returns the delivery's id.
pub async fn send_test_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    c: &Channel,
) -> StoreResult<String> {
    let id = c.id.as_str();
    let msg = test_message(&c.id, &c.name, &actor.name);
    let to = crate::kernel::outbox::Destination::Channel {
        id: &c.id,
        kind: c.kind,
        name: &c.name,
    };
    let delivery = crate::kernel::outbox::enqueue(tx, now_ms, to, &msg).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "channel.test",
            entity_type: "notify_channel",
            entity_id: Some(id),
            summary: channel_tested_summary(&c.name),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(delivery)
}

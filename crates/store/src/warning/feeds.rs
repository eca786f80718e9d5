//! 预警订阅源: feeds (Atom/RSS linking to CAP) of the weather, water and natural-resources bureaus,
//! polled on a schedule by yingji-jobs. This module keeps the feeds, hands a due one to exactly
//! one node (by moving `next_poll_ms` forward with a compare-and-set), and remembers which
//! entries were taken, so a poll fetches only what is new or changed.

use crate::{Actor, Page, Sql, Store, StoreError, StoreResult};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;

use yingji_core::warning::feed::{self as rules, CheckedFeed};
pub use yingji_core::warning::feed::{FeedInput, MAX_INTERVAL_SECS, MIN_INTERVAL_SECS};

#[derive(Debug, Clone, Serialize)]
pub struct Feed {
    pub id: String,
    pub name: String,
    pub url: String,
    pub district_code: String,
    pub interval_secs: i64,
    pub active: bool,
    pub next_poll_ms: i64,
    pub last_polled_ms: Option<i64>,
    pub last_ok_ms: Option<i64>,
    /// Why the last poll failed (unreachable, not a feed …); None when it succeeded.
    pub last_error: Option<String>,
    /// Entries taken in as warnings, and entries refused (their CAP was invalid).
    pub taken: i64,
    pub refused: i64,
}

fn feed_from_row(r: &AnyRow) -> StoreResult<Feed> {
    Ok(Feed {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        url: r.try_get("url")?,
        district_code: r.try_get("district_code")?,
        interval_secs: r.try_get("interval_secs")?,
        active: r.try_get::<i64, _>("active")? == 1,
        next_poll_ms: r.try_get("next_poll_ms")?,
        last_polled_ms: r.try_get("last_polled_ms")?,
        last_ok_ms: r.try_get("last_ok_ms")?,
        last_error: r.try_get("last_error")?,
        taken: r.try_get("taken")?,
        refused: r.try_get("refused")?,
    })
}

fn push_scope(q: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        // Feeds are the bureau's business.
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            q.push(" AND 1 = 0");
        }
        // A district's feeds are seen by its staff; a street's staff see their district's.
        Scope::Region { prefix: p, .. } | Scope::Department { prefix: p, .. } => {
            q.push_bind(
                " AND f.district_code = ",
                p.get(..6).unwrap_or(p).to_string(),
            );
        }
    }
}

async fn audit(
    tx: &mut crate::Tx,
    actor: &Actor,
    now_ms: i64,
    action: &str,
    id: &str,
    summary: String,
) -> StoreResult<()> {
    let change = crate::kernel::audit::Change::of(action, "warning_feed", id, summary);
    crate::kernel::audit::append(tx, now_ms, actor, change).await?;
    Ok(())
}

/// Inserts a checked feed (its first poll due now) and its audit record.
pub async fn create_in(
    tx: &mut crate::Tx,
    actor: &Actor,
    district: &str,
    now_ms: i64,
    id: &str,
    c: &CheckedFeed,
    active: bool,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO warning_feeds (id, name, url, district_code, interval_secs, active, next_poll_ms, taken, refused, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        c.name.clone().into(),
        c.url.clone().into(),
        district.into(),
        c.interval_secs.into(),
        i64::from(active).into(),
        now_ms.into(),
        0i64.into(),
        0i64.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    audit(
        tx,
        actor,
        now_ms,
        "warning_feed.create",
        id,
        rules::created_summary(&c.name, &c.url),
    )
    .await
}

/// Writes a checked feed over feed `id` (polled at once, its ETag forgotten) and its audit
/// record.
pub async fn update_in(
    tx: &mut crate::Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    c: &CheckedFeed,
    active: bool,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE warning_feeds SET name = ");
    u.bind(c.name.clone())
        .push_bind(", url = ", c.url.clone())
        .push_bind(", interval_secs = ", c.interval_secs)
        .push_bind(", active = ", i64::from(active))
        // A changed feed is polled at once.
        .push_bind(", next_poll_ms = ", now_ms)
        .push(", etag = NULL")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    u.execute(&mut *tx).await?;
    audit(
        tx,
        actor,
        now_ms,
        "warning_feed.update",
        id,
        rules::updated_summary(&c.name, active),
    )
    .await
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Feed> {
    let mut q = Sql::new("SELECT * FROM warning_feeds f WHERE f.id = ");
    q.bind(id);
    push_scope(&mut q, scope);
    feed_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list(store: &Store, scope: &Scope, page: Page) -> StoreResult<(Vec<Feed>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    store
        .page_of(
            "SELECT COUNT(*) FROM warning_feeds f",
            "SELECT * FROM warning_feeds f",
            w,
            "f.created_ms, f.id",
            page,
            feed_from_row,
        )
        .await
}

/// Active feeds whose time has come; each is claimed by moving its next poll forward, so a
/// second node asking at the same moment gets none of them.
pub async fn claim_due(store: &Store, now_ms: i64) -> StoreResult<Vec<Feed>> {
    let mut q = Sql::new("SELECT * FROM warning_feeds f WHERE f.active = 1 AND f.next_poll_ms <= ");
    q.bind(now_ms).push(" ORDER BY f.next_poll_ms LIMIT 20");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let f = feed_from_row(&r)?;
        if claim(store, &f, now_ms).await? {
            out.push(f);
        }
    }
    Ok(out)
}

/// Takes a feed for one poll now (also for 立即轮询): false when another node has it.
pub async fn claim(store: &Store, f: &Feed, now_ms: i64) -> StoreResult<bool> {
    let mut u = Sql::new("UPDATE warning_feeds SET next_poll_ms = ");
    u.bind(now_ms + f.interval_secs * 1000)
        .push_bind(", last_polled_ms = ", now_ms)
        .push_bind(" WHERE id = ", f.id.as_str())
        .push_bind(" AND next_poll_ms = ", f.next_poll_ms);
    Ok(store.execute(u).await? == 1)
}

pub async fn etag(store: &Store, id: &str) -> StoreResult<Option<String>> {
    let mut q = Sql::new("SELECT etag FROM warning_feeds WHERE id = ");
    q.bind(id);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => r.try_get(0)?,
        None => None,
    })
}

/// The poll's outcome: `error` None when the feed was read (whatever its entries held).
pub async fn record_poll(
    store: &Store,
    id: &str,
    now_ms: i64,
    error: Option<&str>,
    etag: Option<&str>,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE warning_feeds SET last_error = ");
    u.bind(error.map(str::to_string));
    if error.is_none() {
        u.push_bind(", last_ok_ms = ", now_ms);
        if let Some(t) = etag {
            u.push_bind(", etag = ", t.to_string());
        }
    }
    u.push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    store.execute(u).await?;
    Ok(())
}

/// Whether an entry was already handled in this version (same `updated`).
pub async fn seen(
    store: &Store,
    feed_id: &str,
    entry_id: &str,
    updated: &str,
) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT updated FROM warning_feed_entries WHERE feed_id = ");
    q.bind(feed_id).push_bind(" AND entry_id = ", entry_id);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => r.try_get::<String, _>(0)? == updated,
        None => false,
    })
}

pub enum EntryOutcome<'a> {
    Taken { warning_id: &'a str },
    Refused { error: &'a str },
}

/// Remembers what became of entry `entry_id` (in its version `updated`), and counts it on the
/// feed.
pub async fn record_entry_in(
    tx: &mut crate::Tx,
    feed_id: &str,
    entry_id: &str,
    updated: &str,
    cap_url: &str,
    now_ms: i64,
    outcome: EntryOutcome<'_>,
) -> StoreResult<()> {
    let (status, warning_id, error, counter) = match outcome {
        EntryOutcome::Taken { warning_id } => ("taken", Some(warning_id), None, "taken"),
        EntryOutcome::Refused { error } => ("refused", None, Some(error), "refused"),
    };
    let mut d = Sql::new("DELETE FROM warning_feed_entries WHERE feed_id = ");
    d.bind(feed_id).push_bind(" AND entry_id = ", entry_id);
    d.execute(&mut *tx).await?;
    let mut q = Sql::new(
        "INSERT INTO warning_feed_entries (feed_id, entry_id, updated, cap_url, status, warning_id, error, seen_ms) VALUES ",
    );
    q.values(vec![
        feed_id.into(),
        entry_id.into(),
        updated.into(),
        cap_url.into(),
        status.into(),
        warning_id.map(str::to_string).into(),
        error
            .map(|e| e.chars().take(500).collect::<String>())
            .into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    let mut u = Sql::new(&format!(
        "UPDATE warning_feeds SET {counter} = {counter} + 1 WHERE id = "
    ));
    u.bind(feed_id);
    u.execute(&mut *tx).await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedEntryRecord {
    pub entry_id: String,
    pub updated: String,
    pub cap_url: String,
    /// taken / refused
    pub status: String,
    pub warning_id: Option<String>,
    pub error: Option<String>,
    pub seen_ms: i64,
}

/// The newest entries handled from a feed.
pub async fn entries(store: &Store, scope: &Scope, id: &str) -> StoreResult<Vec<FeedEntryRecord>> {
    get(store, scope, id).await?;
    let mut q = Sql::new("SELECT * FROM warning_feed_entries WHERE feed_id = ");
    q.bind(id)
        .push(" ORDER BY seen_ms DESC, entry_id LIMIT 100");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(FeedEntryRecord {
                entry_id: r.try_get("entry_id")?,
                updated: r.try_get("updated")?,
                cap_url: r.try_get("cap_url")?,
                status: r.try_get("status")?,
                warning_id: r.try_get("warning_id")?,
                error: r.try_get("error")?,
                seen_ms: r.try_get("seen_ms")?,
            })
        })
        .collect()
}

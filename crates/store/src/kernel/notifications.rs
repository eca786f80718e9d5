//! In-app notifications (站内消息): what the escalation steps and work orders tell people.
//! External channels (webhook, SMTP) go through the notifier outbox of a later issue.

use crate::{Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Notification {
    pub id: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_ms: i64,
    pub read_ms: Option<i64>,
}

/// Notifies each user once (duplicates in `user_ids` are dropped).
pub async fn send(
    tx: &mut Tx,
    now_ms: i64,
    user_ids: &[String],
    title: &str,
    body: &str,
    link: Option<&str>,
) -> StoreResult<usize> {
    let mut seen: Vec<&String> = Vec::new();
    for u in user_ids {
        if seen.contains(&u) {
            continue;
        }
        seen.push(u);
        let mut q = Sql::new(
            "INSERT INTO notifications (id, user_id, title, body, link, created_ms, read_ms) VALUES ",
        );
        q.values(vec![
            new_id().into(),
            u.into(),
            title.into(),
            body.into(),
            link.into(),
            now_ms.into(),
            None::<i64>.into(),
        ]);
        q.execute(tx).await?;
    }
    Ok(seen.len())
}

/// The user's latest 100 notifications, unread first (newest first within each), optionally only
/// those whose link opens a page under `link_prefix`; and how many of all are unread.
pub async fn list(
    store: &Store,
    user_id: &str,
    unread_only: bool,
    link_prefix: Option<&str>,
) -> StoreResult<(Vec<Notification>, i64)> {
    let mut q = Sql::new(
        "SELECT id, title, body, link, created_ms, read_ms FROM notifications WHERE user_id = ",
    );
    q.bind(user_id);
    if unread_only {
        q.push(" AND read_ms IS NULL");
    }
    if let Some(p) = link_prefix {
        // The prefixes are core's constants (no LIKE wildcards in them).
        q.push_bind(" AND (link = ", p)
            .push_bind(" OR link LIKE ", format!("{p}/%"))
            .push_bind(" OR link LIKE ", format!("{p}?%"))
            .push(")");
    }
    q.push(
        " ORDER BY CASE WHEN read_ms IS NULL THEN 0 ELSE 1 END, created_ms DESC, id DESC LIMIT 100",
    );
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                body: r.try_get("body")?,
                link: r.try_get("link")?,
                created_ms: r.try_get("created_ms")?,
                read_ms: r.try_get("read_ms")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let mut c = Sql::new("SELECT COUNT(*) FROM notifications WHERE read_ms IS NULL AND user_id = ");
    c.bind(user_id);
    Ok((items, store.fetch_i64(c).await?))
}

/// Marks one (or, with `id = None`, all) of the user's notifications read.
pub async fn mark_read(
    store: &Store,
    user_id: &str,
    id: Option<&str>,
    now_ms: i64,
) -> StoreResult<u64> {
    let mut q = Sql::new("UPDATE notifications SET read_ms = ");
    q.bind(now_ms)
        .push_bind(" WHERE user_id = ", user_id)
        .push(" AND read_ms IS NULL");
    if let Some(id) = id {
        q.push_bind(" AND id = ", id);
    }
    store.execute(q).await
}

//! Durable timers: "do X about Y at time T" rows that survive restarts. The scheduler
//! (crates/jobs) claims due rows; a timer's `fired_ms` is set in the same transaction as its
//! effects, so it fires once even when several nodes poll.

use crate::{Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Timer {
    pub id: String,
    pub kind: String,
    pub subject_id: String,
    pub due_ms: i64,
    pub payload: serde_json::Value,
    pub attempts: i64,
}

/// Schedules a timer inside the caller's transaction.
pub async fn schedule(
    tx: &mut Tx,
    now_ms: i64,
    kind: &str,
    subject_id: &str,
    due_ms: i64,
    payload: serde_json::Value,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO timers (id, kind, subject_id, due_ms, payload, fired_ms, attempts, last_error, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        kind.into(),
        subject_id.into(),
        due_ms.into(),
        payload.to_string().into(),
        None::<i64>.into(),
        0i64.into(),
        None::<String>.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(id)
}

/// Drops the pending timers of a subject whose kind starts with `kind_prefix`.
pub async fn cancel(tx: &mut Tx, subject_id: &str, kind_prefix: &str) -> StoreResult<u64> {
    let mut q = Sql::new("DELETE FROM timers WHERE subject_id = ");
    q.bind(subject_id)
        .push_bind(" AND kind LIKE ", format!("{kind_prefix}%"))
        .push(" AND fired_ms IS NULL");
    q.execute(tx).await
}

/// The due time of the earliest pending timer.
pub async fn next_due(store: &Store) -> StoreResult<Option<i64>> {
    let r = store
        .fetch_optional(Sql::new(
            "SELECT MIN(due_ms) FROM timers WHERE fired_ms IS NULL",
        ))
        .await?;
    Ok(match r {
        Some(r) => r.try_get::<Option<i64>, _>(0)?,
        None => None,
    })
}

/// Up to `limit` timers due at `now_ms`, earliest first.
pub async fn due(store: &Store, now_ms: i64, limit: i64) -> StoreResult<Vec<Timer>> {
    let mut q = Sql::new(
        "SELECT id, kind, subject_id, due_ms, payload, attempts FROM timers WHERE fired_ms IS NULL AND due_ms <= ",
    );
    q.bind(now_ms)
        .push(" ORDER BY due_ms, id")
        .push_bind(" LIMIT ", limit);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Timer {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                subject_id: r.try_get("subject_id")?,
                due_ms: r.try_get("due_ms")?,
                payload: serde_json::from_str(&r.try_get::<String, _>("payload")?)
                    .unwrap_or_default(),
                attempts: r.try_get("attempts")?,
            })
        })
        .collect()
}

/// Marks the timer fired inside the transaction that carries its effects. False when another
/// node got there first (the caller then rolls back).
pub async fn claim(tx: &mut Tx, id: &str, now_ms: i64) -> StoreResult<bool> {
    let mut q = Sql::new("UPDATE timers SET fired_ms = ");
    q.bind(now_ms)
        .push_bind(", attempts = attempts + 1 WHERE id = ", id)
        .push(" AND fired_ms IS NULL");
    Ok(q.execute(tx).await? == 1)
}

/// Records a failed attempt and pushes the timer back (its effects were rolled back).
pub async fn retry_later(
    store: &Store,
    id: &str,
    error: &str,
    next_due_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE timers SET attempts = attempts + 1, last_error = ");
    q.bind(error.chars().take(500).collect::<String>())
        .push_bind(", due_ms = ", next_due_ms)
        .push_bind(" WHERE id = ", id)
        .push(" AND fired_ms IS NULL");
    store.execute(q).await?;
    Ok(())
}

/// Pending timers of a subject (for the UI and tests).
pub async fn pending_for(store: &Store, subject_id: &str) -> StoreResult<Vec<(String, i64)>> {
    let mut q = Sql::new("SELECT kind, due_ms FROM timers WHERE subject_id = ");
    q.bind(subject_id)
        .push(" AND fired_ms IS NULL ORDER BY due_ms");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("kind")?, r.try_get("due_ms")?)))
        .collect()
}

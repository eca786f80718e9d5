//! 群众随手拍: the event behind a tracking code (no login, no scope: the code is the key), its
//! public timeline lines, and the count of wrong phone checks of the reporter's 回访.

use super::events::{COLUMNS, FROM, GridEvent, from_row};
use crate::{Sql, Store, StoreError, StoreResult};
use sqlx::Row;

/// The event filed with this tracking code (upper-cased, 12 characters), or not found.
pub async fn by_tracking(store: &Store, tracking: &str) -> StoreResult<(GridEvent, i64)> {
    let t = tracking.trim().to_ascii_uppercase();
    if t.len() != 12 {
        return Err(StoreError::NotFound);
    }
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS}, e.public_tries AS tries{FROM} WHERE e.tracking_code = "
    ));
    q.bind(&t);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok((from_row(&row)?, row.try_get("tries")?))
}

/// One event by id without a scope (the main event of a merged public report).
pub async fn by_id(store: &Store, id: &str) -> StoreResult<GridEvent> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.id = "));
    q.bind(id);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The public lines of the timeline: (action, at_ms), without actor names or notes.
pub async fn public_steps(store: &Store, id: &str) -> StoreResult<Vec<(String, i64)>> {
    let mut q = Sql::new("SELECT action, at_ms FROM grid_event_steps WHERE event_id = ");
    q.bind(id).push(" AND public = 1 ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("action")?, r.try_get("at_ms")?)))
        .collect()
}

/// Counts one wrong phone check; returns the count after it.
pub async fn count_wrong_try(store: &Store, id: &str) -> StoreResult<i64> {
    let mut q = Sql::new("UPDATE grid_events SET public_tries = public_tries + 1 WHERE id = ");
    q.bind(id);
    store.execute(q).await?;
    let mut q = Sql::new("SELECT public_tries FROM grid_events WHERE id = ");
    q.bind(id);
    store.fetch_i64(q).await
}

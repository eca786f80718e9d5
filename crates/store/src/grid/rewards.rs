//! 有奖举报: the reward of a public event (one row per event), its steps in the caller's
//! transaction with their audit records, the officer's queue, and the wrong claims counted per
//! tracking code.

use super::events::{COLUMNS, FROM, GridEvent, from_row};
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, Val};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::grid::rewards::{WRONG_STEP, status};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Reward {
    pub event_id: String,
    pub district_code: String,
    pub status: String,
    pub truthful: Option<bool>,
    pub verify_note: Option<String>,
    pub verified_by: Option<String>,
    pub verified_ms: Option<i64>,
    pub kind: Option<String>,
    pub row_code: Option<String>,
    pub row_name: Option<String>,
    pub fine_fen: Option<i64>,
    /// 瞒报谎报事故: the verified hidden deaths.
    pub deaths: Option<i64>,
    pub hazard_id: Option<String>,
    pub case_id: Option<String>,
    pub identify_note: Option<String>,
    pub identified_ms: Option<i64>,
    pub amount_fen: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    pub paid_on: Option<String>,
    pub pay_method: Option<String>,
    pub pay_reference: Option<String>,
    pub paid_ms: Option<i64>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

fn reward_row(r: &AnyRow) -> StoreResult<Reward> {
    Ok(Reward {
        event_id: r.try_get("event_id")?,
        district_code: r.try_get("district_code")?,
        status: r.try_get("status")?,
        truthful: r.try_get::<Option<i64>, _>("truthful")?.map(|v| v != 0),
        verify_note: r.try_get("verify_note")?,
        verified_by: r.try_get("verified_by")?,
        verified_ms: r.try_get("verified_ms")?,
        kind: r.try_get("kind")?,
        row_code: r.try_get("row_code")?,
        row_name: r.try_get("row_name")?,
        fine_fen: r.try_get("fine_fen")?,
        deaths: r.try_get("deaths")?,
        hazard_id: r.try_get("hazard_id")?,
        case_id: r.try_get("case_id")?,
        identify_note: r.try_get("identify_note")?,
        identified_ms: r.try_get("identified_ms")?,
        amount_fen: r.try_get("amount_fen")?,
        decided_by: r.try_get("decided_by")?,
        decided_ms: r.try_get("decided_ms")?,
        paid_on: r.try_get("paid_on")?,
        pay_method: r.try_get("pay_method")?,
        pay_reference: r.try_get("pay_reference")?,
        paid_ms: r.try_get("paid_ms")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// A public event with its reward (none before 核查).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    pub event: GridEvent,
    pub reward: Option<Reward>,
}

/// An event by id, unscoped: the use cases check the caller against its district's officers.
pub async fn event(store: &Store, id: &str) -> StoreResult<GridEvent> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.id = "));
    q.bind(id);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// An event by its tracking code (the public's claim).
pub async fn by_tracking(store: &Store, tracking: &str) -> StoreResult<Option<GridEvent>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.tracking_code = "));
    q.bind(tracking);
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn get(store: &Store, event_id: &str) -> StoreResult<Option<Reward>> {
    let mut q = Sql::new("SELECT * FROM grid_rewards WHERE event_id = ");
    q.bind(event_id);
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(reward_row)
        .transpose()
}

pub async fn item(store: &Store, id: &str) -> StoreResult<Item> {
    let event = event(store, id).await?;
    let reward = get(store, id).await?;
    Ok(Item { event, reward })
}

/// The officer's queue: the public events of the districts given (all when `None`), the latest
/// first, with their rewards; `status` "pending" for those not yet verified.
pub async fn queue(
    store: &Store,
    districts: Option<&[String]>,
    status: Option<&str>,
) -> StoreResult<Vec<Item>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS}{FROM} LEFT JOIN grid_rewards w ON w.event_id = e.id WHERE e.source = 'public'"
    ));
    if let Some(d) = districts {
        if d.is_empty() {
            return Ok(Vec::new());
        }
        q.push(" AND e.district_code IN ")
            .bind_list(d.iter().cloned());
    }
    match status {
        Some("pending") => {
            q.push(" AND w.event_id IS NULL");
        }
        Some(s) => {
            q.push_bind(" AND w.status = ", s);
        }
        None => {}
    }
    q.push(" ORDER BY e.created_ms DESC, e.id LIMIT 500");
    let events = store
        .fetch_all(q)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let mut items = Vec::with_capacity(events.len());
    for event in events {
        let reward = get(store, &event.id).await?;
        items.push(Item { event, reward });
    }
    Ok(items)
}

fn audit_change<'a>(action: &'a str, id: &'a str, summary: String) -> Change<'a> {
    Change::of(action, "grid_event", id, summary)
}

/// 核查: the reward's first row (409 when verified already).
pub async fn verify_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    (truthful, note): (bool, &str),
    summary: String,
) -> StoreResult<()> {
    let mut q = Sql::new("SELECT COUNT(*) FROM grid_rewards WHERE event_id = ");
    q.bind(e.id.as_str());
    let n: i64 = q.fetch_one(tx).await?.try_get(0)?;
    if n > 0 {
        return Err(StoreError::conflict("status", WRONG_STEP));
    }
    let st = if truthful {
        status::VERIFIED
    } else {
        status::REJECTED
    };
    let mut q = Sql::new(
        "INSERT INTO grid_rewards (event_id, district_code, status, truthful, verify_note, verified_by, verified_ms, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        e.id.as_str().into(),
        e.district_code.as_str().into(),
        st.into(),
        i64::from(truthful).into(),
        note.into(),
        actor.name.as_str().into(),
        now_ms.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        audit_change("grid.reward_verified", &e.id, summary),
    )
    .await?;
    Ok(())
}

/// One later step: from `from` to `to`, setting the columns (409 when the reward is elsewhere).
pub struct Step<'a> {
    pub from: &'static str,
    pub to: &'static str,
    pub set: Vec<(&'static str, Val)>,
    pub audit: (&'static str, String),
    pub event_id: &'a str,
}

pub async fn step_in(tx: &mut Tx, actor: &Actor, now_ms: i64, s: Step<'_>) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE grid_rewards SET status = ");
    q.bind(s.to);
    for (col, v) in s.set {
        q.push(&format!(", {col} = ")).bind(v);
    }
    q.push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE event_id = ", s.event_id)
        .push_bind(" AND status = ", s.from);
    if q.execute(tx).await? == 0 {
        return Err(StoreError::conflict("status", WRONG_STEP));
    }
    audit::append(
        tx,
        now_ms,
        actor,
        audit_change(s.audit.0, s.event_id, s.audit.1),
    )
    .await?;
    Ok(())
}

/// (failures, locked until) of a tracking code's claims.
pub async fn claim_state(store: &Store, tracking: &str) -> StoreResult<(i64, i64)> {
    let mut q =
        Sql::new("SELECT failures, locked_until_ms FROM grid_reward_claims WHERE tracking_code = ");
    q.bind(tracking);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => (r.try_get(0)?, r.try_get(1)?),
        None => (0, 0),
    })
}

/// Records the claims' state of a tracking code (failures counted, lock set or cleared).
pub async fn set_claim_in(
    tx: &mut Tx,
    now_ms: i64,
    tracking: &str,
    (failures, locked_until_ms): (i64, i64),
) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM grid_reward_claims WHERE tracking_code = ");
    q.bind(tracking);
    q.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO grid_reward_claims (tracking_code, failures, locked_until_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        tracking.into(),
        failures.into(),
        locked_until_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// Rewards paid in a district prefix within [from, to) (ms): (count, sum in 分).
pub async fn paid_in_span(
    store: &Store,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<(i64, i64)> {
    let mut q = Sql::new(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM grid_rewards WHERE status = 'paid' AND district_code LIKE ",
    );
    q.bind(format!("{prefix}%"))
        .push_bind(" AND paid_ms >= ", from)
        .push_bind(" AND paid_ms < ", to);
    let rows = store.fetch_all(q).await?;
    let Some(r) = rows.first() else {
        return Ok((0, 0));
    };
    Ok((r.try_get(0)?, r.try_get(1)?))
}

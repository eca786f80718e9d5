//! 挂牌督办 on durable timers: overdue reminders and the listing ladder (函告→通报→约谈), stepped through `kernel::escalation`.

use crate::kernel::audit::{self, Change};
use crate::kernel::escalation;
use crate::kernel::timers::{HazardOverdue, ListingStep};
use crate::{Actor, Sql, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::prevention::hazard::{self as rules, Status};
use yingji_core::prevention::hazard_ladder::{
    LADDER_ACTOR, OVERDUE_NOTE, SYSTEM_NAME, listing_step_message, listing_step_note,
    listing_step_summary, overdue_message, overdue_summary,
};

use super::{Event, Hazard, event, load_tx};

pub(super) async fn users_where(
    tx: &mut Tx,
    column: &str,
    value: &str,
) -> StoreResult<Vec<String>> {
    let mut q = Sql::new(&format!(
        "SELECT id FROM users WHERE active = 1 AND {column} = "
    ));
    q.bind(value);
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// The people a hazard's reminders go to: the enterprise's users (or the street's staff for a
/// place), the department it was turned over to, and whoever listed it.
pub(super) async fn responsible_users(
    tx: &mut Tx,
    h: &Hazard,
    listed_by: Option<&str>,
) -> StoreResult<Vec<String>> {
    let mut out = match &h.enterprise_id {
        Some(e) => users_where(tx, "enterprise_id", e).await?,
        None => {
            let street = h.region_code.get(..9).unwrap_or("");
            let mut q = Sql::new(
                "SELECT id FROM users WHERE active = 1 AND role = 'street_staff' AND region_code = ",
            );
            q.bind(street);
            q.fetch_all(tx)
                .await?
                .iter()
                .map(|r| r.try_get::<String, _>(0))
                .collect::<Result<_, _>>()?
        }
    };
    if let Some(d) = &h.department_id {
        out.extend(users_where(tx, "department_id", d).await?);
    }
    if let Some(u) = listed_by {
        out.push(u.to_string());
    }
    Ok(out)
}

/// The hazard a timer is about, with what its firing needs; `None` when it is gone.
pub(super) async fn timer_subject(
    tx: &mut Tx,
    hazard_id: &str,
) -> StoreResult<Option<(Hazard, Status, Actor, String)>> {
    let h = match load_tx(tx, hazard_id).await {
        Ok(h) => h,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let status = Status::parse(&h.status).unwrap_or(Status::Closed);
    let link = format!("/hazards/{}", h.id);
    Ok(Some((h, status, Actor::system(LADDER_ACTOR), link)))
}

/// 隐患逾期: the rectification deadline passed without acceptance (in the scheduler's
/// transaction, which has claimed the timer).
pub async fn fire_overdue(
    tx: &mut Tx,
    hazard_id: &str,
    timer: &HazardOverdue,
    now_ms: i64,
) -> StoreResult<()> {
    let Some((h, status, system, link)) = timer_subject(tx, hazard_id).await? else {
        return Ok(());
    };
    let deadline = h.deadline.as_deref().and_then(|d| d.parse().ok());
    // A stale timer (the deadline moved) does nothing; the new one will fire.
    let current = h.deadline.as_deref() == Some(timer.deadline.as_str());
    if !current || !rules::is_overdue(status, deadline, now_ms) || h.overdue {
        return Ok(());
    }
    let mut u = Sql::new("UPDATE hazards SET overdue = 1, updated_ms = ");
    u.bind(now_ms).push_bind(" WHERE id = ", &h.id);
    u.execute(tx).await?;
    event(
        tx,
        Event {
            hazard_id: &h.id,
            code: "overdue",
            from: Some(status),
            to: status,
            actor: &system,
            actor_name: SYSTEM_NAME,
            note: Some(OVERDUE_NOTE),
            data: None,
            attachments: &[],
            at_ms: now_ms,
        },
    )
    .await?;
    let users = responsible_users(tx, &h, None).await?;
    let deadline = h.deadline.clone().unwrap_or_default();
    let msg = overdue_message(&h.id, &h.code, &h.description, &deadline, link);
    escalation::step(tx, now_ms, escalation::Escalation::in_app(msg, users)).await?;
    audit::append(
        tx,
        now_ms,
        &system,
        Change {
            action: "hazard.overdue",
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: overdue_summary(&h.code, &deadline),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// One step (函告 → 通报 → 约谈) of a listed hazard's escalation, due at `due_ms` (in the
/// scheduler's transaction, which has claimed the timer): nothing when the listing is gone or
/// lifted or the hazard is no longer open.
pub async fn fire_listing_step(
    tx: &mut Tx,
    hazard_id: &str,
    due_ms: i64,
    step: &ListingStep,
    now_ms: i64,
) -> StoreResult<()> {
    let Some((h, status, system, link)) = timer_subject(tx, hazard_id).await? else {
        return Ok(());
    };
    let Some(listing) = active_listing(tx, &step.listing_id).await? else {
        return Ok(());
    };
    if !status.is_open() {
        return Ok(());
    }
    let users = responsible_users(tx, &h, listing.listed_by.as_deref()).await?;
    let msg = listing_step_message(
        &h.id,
        &h.code,
        &h.description,
        &step.label,
        &listing.body,
        &listing.deadline,
        link,
    );
    let notified = escalation::step(tx, now_ms, escalation::Escalation::in_app(msg, users))
        .await?
        .notified;
    let fired = FiredStep {
        hazard: &h,
        status,
        system: &system,
        step,
        due_ms,
        now_ms,
        notified,
    };
    record_escalation(tx, &fired).await?;
    record_trail(tx, &fired).await
}

/// What an active listing's step needs: who listed it, the supervising body, the deadline.
struct ActiveListing {
    listed_by: Option<String>,
    body: String,
    deadline: String,
}

/// The listing, if it is still active (not lifted).
async fn active_listing(tx: &mut Tx, listing_id: &str) -> StoreResult<Option<ActiveListing>> {
    let mut l = Sql::new(
        "SELECT status, listed_by, supervising_body, deadline FROM hazard_listings WHERE id = ",
    );
    l.bind(listing_id);
    let Some(lr) = l.fetch_optional(tx).await? else {
        return Ok(None);
    };
    if lr.try_get::<String, _>("status")? != "active" {
        return Ok(None);
    }
    Ok(Some(ActiveListing {
        listed_by: lr.try_get("listed_by")?,
        body: lr.try_get("supervising_body")?,
        deadline: lr.try_get("deadline")?,
    }))
}

/// A listing step fired: the hazard, the system actor, the step and how many were notified.
struct FiredStep<'a> {
    hazard: &'a Hazard,
    status: Status,
    system: &'a Actor,
    step: &'a ListingStep,
    due_ms: i64,
    now_ms: i64,
    notified: usize,
}

/// The step's row among the listing's escalations, and the listing's count and last step.
async fn record_escalation(tx: &mut Tx, f: &FiredStep<'_>) -> StoreResult<()> {
    let (listing_id, code, label) = (
        f.step.listing_id.as_str(),
        f.step.code.as_str(),
        f.step.label.as_str(),
    );
    let mut e = Sql::new(
        "INSERT INTO hazard_escalations (id, listing_id, hazard_id, step_code, step_label, due_ms, fired_ms, notified) VALUES ",
    );
    e.values(vec![
        new_id().into(),
        listing_id.into(),
        f.hazard.id.clone().into(),
        code.into(),
        label.into(),
        f.due_ms.into(),
        f.now_ms.into(),
        (f.notified as i64).into(),
    ]);
    e.execute(tx).await?;
    let mut u = Sql::new("UPDATE hazard_listings SET steps_fired = steps_fired + 1, last_step = ");
    u.bind(label).push_bind(" WHERE id = ", listing_id);
    u.execute(tx).await?;
    Ok(())
}

/// The step's event on the hazard's timeline (督办升级) and its audit record.
async fn record_trail(tx: &mut Tx, f: &FiredStep<'_>) -> StoreResult<()> {
    let (h, code, label) = (f.hazard, f.step.code.as_str(), f.step.label.as_str());
    event(
        tx,
        Event {
            hazard_id: &h.id,
            code: "escalation",
            from: Some(f.status),
            to: f.status,
            actor: f.system,
            actor_name: SYSTEM_NAME,
            note: Some(&listing_step_note(label, f.notified)),
            data: Some(serde_json::json!({"step": code, "label": label})),
            attachments: &[],
            at_ms: f.now_ms,
        },
    )
    .await?;
    audit::append(
        tx,
        f.now_ms,
        f.system,
        Change {
            action: "hazard.escalation",
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: listing_step_summary(&h.code, label),
            before: None,
            after: Some(serde_json::json!({"listing_id": f.step.listing_id, "step": code})),
        },
    )
    .await?;
    Ok(())
}

//! The timer scheduler. Timers are rows (`yingji_store::kernel::timers`); this loop fires the due ones.
//! Each firing is one transaction: claim the row (`fired_ms` set only if still NULL), run the
//! timer's effects, commit. A crash before the commit leaves the timer pending, so it fires
//! after the restart; a second node that claims the same row finds it taken (or, on PostgreSQL,
//! locked: `SKIP LOCKED`) and rolls back.

pub mod audit_syslog;
pub mod feeds;
pub mod idempotency;
pub mod notify;
pub mod trends;

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use yingji_app::credit::rating;
use yingji_core::kernel::clock::SharedClock;
use yingji_store::credit::licences;
use yingji_store::enforcement::cases;
use yingji_store::kernel::timers::{self, Claim, Timer, TimerKind};
use yingji_store::{Store, StoreResult, Tx, monitoring, prevention::hazards, warning::targeting};

/// Longest sleep between polls: bounds how late a timer fires after the clock moves by other
/// means than `wake` (another node's insert, a moved test clock).
pub const MAX_SLEEP: Duration = Duration::from_secs(2);

/// Runs one timer's effects: one arm per kind, and no catch-all, so a new kind does not compile
/// until it is handled here. (Rows of kinds this version does not know never get here:
/// `timers::due` logs and drops them.)
async fn dispatch(tx: &mut Tx, timer: &Timer, now_ms: i64) -> StoreResult<()> {
    let subject = timer.subject_id.as_str();
    match &timer.kind {
        TimerKind::HazardOverdue(p) => hazards::fire_overdue(tx, subject, p, now_ms).await,
        TimerKind::HazardListingStep(p) => {
            hazards::fire_listing_step(tx, subject, timer.due_ms, p, now_ms).await
        }
        TimerKind::AlarmEscalate(p) => monitoring::fire_step(tx, subject, *p, now_ms).await,
        TimerKind::WorkOrderEscalate(p) => {
            targeting::fire_order_step(tx, subject, *p, now_ms).await
        }
        TimerKind::CaseDeadline(p) => cases::fire_deadline(tx, subject, p, now_ms).await,
        TimerKind::LicenceExpiry(p) => licences::fire_expiry(tx, subject, p, now_ms).await,
        TimerKind::CommitmentSweep(p) => {
            yingji_store::credit::commitments::fire_sweep(tx, subject, p, now_ms).await?;
            if p.step != 1 {
                return Ok(());
            }
            rating::after_commitment_sweep_in(tx, subject, &p.day, now_ms).await
        }
        TimerKind::ListingExpiry(p) => {
            yingji_store::credit::listings::fire_expiry(tx, subject, p, now_ms).await?;
            rating::after_listing_change_in(tx, "名单管理期限", now_ms, subject).await
        }
        TimerKind::DutyReportSweep(p) => {
            yingji_store::credit::duty_reports::fire_sweep(tx, subject, p, now_ms).await
        }
        TimerKind::RatingRefresh(_) => rating::fire_refresh_in(tx, now_ms).await,
        TimerKind::DisasterReportDue(p) => {
            yingji_store::disasters::reports_due::fire_due(tx, subject, p, now_ms).await
        }
        TimerKind::ReliefNoticeEnd(p) => {
            yingji_store::disasters::payments::fire_notice_end(tx, subject, p, now_ms).await
        }
        TimerKind::ConsultationActionDue(p) => {
            yingji_store::disasters::consultations_due::fire_due(tx, subject, p, now_ms).await
        }
        TimerKind::GridEventDue(p) => {
            yingji_store::grid::events_due::fire_due(tx, subject, p, now_ms).await
        }
        TimerKind::GridJointPartDue(p) => {
            yingji_store::grid::joint::fire_due(tx, subject, p, now_ms).await
        }
    }
}

/// Fires every timer due now; returns how many fired here.
pub async fn run_due(store: &Store, clock: &SharedClock) -> StoreResult<usize> {
    let mut fired = 0;
    loop {
        let now = clock.now_ms();
        let batch = timers::due(store, now, 50).await?;
        if batch.is_empty() {
            return Ok(fired);
        }
        let mut progressed = false;
        for t in &batch {
            match fire_one(store, t, now).await {
                Ok(Claim::Won) => {
                    fired += 1;
                    progressed = true;
                }
                Ok(Claim::Taken) => progressed = true,
                // Another node is firing it: not progress, or this loop would poll the same
                // row again until that node commits.
                Ok(Claim::Busy) => {}
                Err(e) => {
                    // Effects rolled back; try again later with a growing pause.
                    let backoff = 1000 * (1i64 << t.attempts.clamp(0, 10));
                    tracing::error!(timer = %t.id, kind = t.kind.code().as_str(), error = %e, "timer failed");
                    timers::retry_later(store, &t.id, &e.to_string(), now + backoff).await?;
                }
            }
        }
        if !progressed {
            return Ok(fired);
        }
    }
}

/// Fires one timer in one transaction: claim, effects, commit. A node that dies before the
/// commit leaves the timer pending (the transaction rolls back), so another node fires it.
async fn fire_one(store: &Store, t: &Timer, now_ms: i64) -> StoreResult<Claim> {
    let mut tx = store.begin().await?;
    let claim = timers::claim(&mut tx, &t.id, now_ms).await?;
    if claim != Claim::Won {
        tx.rollback().await?;
        return Ok(claim);
    }
    dispatch(&mut tx, t, now_ms).await?;
    tx.commit().await?;
    Ok(Claim::Won)
}

/// The loop: fires due timers at start (so steps that fell due while down fire at once), then
/// sleeps until the next due time, `MAX_SLEEP`, or `wake`.
pub async fn run(store: Store, clock: SharedClock, wake: Arc<Notify>) {
    if let Err(e) = rating::ensure_refresh(&store, clock.now_ms()).await {
        tracing::error!(error = %e, "scheduling the nightly rating refresh failed");
    }
    loop {
        if let Err(e) = run_due(&store, &clock).await {
            tracing::error!(error = %e, "timer poll failed");
        }
        let sleep = match timers::next_due(&store).await {
            Ok(Some(due)) => Duration::from_millis(
                (due - clock.now_ms()).clamp(20, MAX_SLEEP.as_millis() as i64) as u64,
            ),
            _ => MAX_SLEEP,
        };
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            _ = wake.notified() => {}
        }
    }
}

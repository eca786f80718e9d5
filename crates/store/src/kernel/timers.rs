//! Durable timers: "do X about Y at time T" rows that survive restarts. The scheduler
//! (crates/jobs) claims due rows; a timer's `fired_ms` is set in the same transaction as its
//! effects, so it fires once even when several nodes poll (ADR 0005; on PostgreSQL the claim
//! skips rows another node has locked, ADR 0027).
//!
//! What a timer does is a [`TimerKind`]: one variant per kind, each with its typed payload. The
//! row keeps the kind's code (`hazard.overdue` …) in `kind` and the payload as JSON in `payload`,
//! as they always were, so rows written by earlier versions still parse. A new timer is a new
//! variant (and its [`TimerCode`]); the compiler then shows every match to extend, the
//! scheduler's dispatch among them.

use crate::{Sql, Store, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A hazard's rectification deadline passes (隐患逾期). Stale when the deadline has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardOverdue {
    /// The deadline (YYYY-MM-DD) the timer was set for.
    pub deadline: String,
}

/// One step (函告 → 通报 → 约谈) of a listed hazard's escalation, all scheduled at listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingStep {
    pub listing_id: String,
    pub code: String,
    pub label: String,
    /// Days after the listing's deadline.
    pub days: i64,
}

/// The next 叫应 step of an alarm incident: the number of steps fired when it was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmStep {
    pub step: usize,
}

/// A warning work order's 叫应 deadline: step 1 to the community's staff, step 2 to the street.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderStep {
    pub step: i64,
}

/// A 行政处罚案件's deadline (the decision, the fine's payment) runs out. Stale when the case has
/// moved past the step or the deadline has moved (an approved extension) since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDeadline {
    /// `decision` or `payment` (core::enforcement::case::Deadline).
    pub deadline: String,
    /// The last day (YYYY-MM-DD) the timer was set for.
    pub due: String,
}

/// A licence's expiry reminder (90 days, 30 days, expired). Stale when the licence is gone, no
/// longer confirmed, or its last valid day has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceExpiry {
    /// d90 / d30 / expired (core::credit::licences::Stage).
    pub stage: String,
    /// The last valid day (YYYY-MM-DD) the reminder was set for.
    pub valid_until: String,
}

/// A district's daily 安全承诺 sweep (subject: the district code): step 1 at the deadline flags
/// the enterprises without a commitment for `day` and schedules step 2 and the next day's step 1;
/// step 2 escalates those still missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentSweep {
    /// The day (YYYY-MM-DD) swept.
    pub day: String,
    pub step: i64,
}

/// A district's 履职报告 sweep for one period (subject: the district code): step 1 the day after
/// the due day flags the enterprises without a report and schedules step 2 and the next period's
/// step 1; step 2 escalates those still missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyReportSweep {
    /// The period (2026Q3 or 2026) swept.
    pub period: String,
    pub step: i64,
}

/// A 严重失信主体名单 listing's management period ends (automatic removal). Stale when the case
/// is no longer on the list or its end has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingExpiry {
    /// The day (YYYY-MM-DD) the period ends.
    pub expires_day: String,
}

/// The nightly recompute of every rating (subject: `RATING_REFRESH_SUBJECT`), so records that
/// leave the rating's window change the tier without another event; schedules the next night's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRefresh {
    /// The day (YYYY-MM-DD) the ratings are recomputed as of.
    pub day: String,
}

/// The subject of the one pending [`RatingRefresh`].
pub const RATING_REFRESH_SUBJECT: &str = "credit-ratings";

/// A 灾害过程's next report (初报/续报/核报) is due (subject: the process). Stale when the
/// process's next deadline has moved since (a report filed, the process stable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisasterReportDue {
    /// initial / update / final (core::disasters::reports::ReportKind).
    pub report: String,
    /// The instant after which the report is late.
    pub due_ms: i64,
}

/// A relief payment batch's 公示 ends (subject: the batch): 公示中 → 待发放. Stale when the
/// batch has left 公示 or its end has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReliefNoticeEnd {
    /// The instant the 公示 ends.
    pub notice_end_ms: i64,
}

/// A 会商研判 action's deadline (subject: the action). Stale when the action is done or its
/// deadline has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationActionDue {
    /// The instant after which the action is overdue.
    pub due_ms: i64,
}

/// A grid event's next 督办 card (提醒 / 黄牌 / 红牌) for one of its deadlines (subject: the
/// event). Stale when the event has left the stage or that deadline has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridEventDue {
    /// accept / handle / feedback (core::grid::events_due::Stage).
    pub stage: String,
    /// remind / yellow / red (core::grid::events_due::Card).
    pub card: String,
    /// The deadline the card is about.
    pub due_ms: i64,
}

/// A 大联动 part's deadline (subject: the part). Stale when the part is done or released, or its
/// deadline has moved since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridJointPartDue {
    /// The instant after which the part is overdue.
    pub due_ms: i64,
}

/// What a timer does, with its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimerKind {
    HazardOverdue(HazardOverdue),
    HazardListingStep(ListingStep),
    AlarmEscalate(AlarmStep),
    WorkOrderEscalate(OrderStep),
    CaseDeadline(CaseDeadline),
    LicenceExpiry(LicenceExpiry),
    CommitmentSweep(CommitmentSweep),
    ListingExpiry(ListingExpiry),
    DutyReportSweep(DutyReportSweep),
    RatingRefresh(RatingRefresh),
    DisasterReportDue(DisasterReportDue),
    ReliefNoticeEnd(ReliefNoticeEnd),
    ConsultationActionDue(ConsultationActionDue),
    GridEventDue(GridEventDue),
    GridJointPartDue(GridJointPartDue),
}

/// The kinds of one capability, cancelled together (e.g. every timer of an accepted hazard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Hazard,
    Alarm,
    WorkOrder,
    EnforcementCase,
    Licence,
    CreditCommitment,
    CreditListing,
    CreditDutyReport,
    CreditRating,
    DisasterReport,
    Relief,
    Consultation,
    GridEvent,
}

/// Declares [`TimerCode`] from one list, so its code, family and `ALL` cannot disagree.
macro_rules! timer_codes {
    ($($variant:ident => $code:literal, $family:ident;)+) => {
        /// A timer's kind without its payload: the stored `kind` code, and what `cancel` selects.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TimerCode {
            $($variant),+
        }

        impl TimerCode {
            pub const ALL: &'static [TimerCode] = &[$(Self::$variant),+];

            /// The code stored in `timers.kind`; never change one that deployed rows hold.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            pub fn family(self) -> Family {
                match self {
                    $(Self::$variant => Family::$family),+
                }
            }
        }
    };
}

timer_codes! {
    HazardOverdue => "hazard.overdue", Hazard;
    HazardListingStep => "hazard.listing_step", Hazard;
    AlarmEscalate => "alarm.escalate", Alarm;
    WorkOrderEscalate => "warning.order", WorkOrder;
    CaseDeadline => "enforcement.case_deadline", EnforcementCase;
    LicenceExpiry => "credit.licence_expiry", Licence;
    CommitmentSweep => "credit.commitment_sweep", CreditCommitment;
    ListingExpiry => "credit.listing_expiry", CreditListing;
    DutyReportSweep => "credit.duty_report_sweep", CreditDutyReport;
    RatingRefresh => "credit.rating_refresh", CreditRating;
    DisasterReportDue => "disaster.report_due", DisasterReport;
    ReliefNoticeEnd => "disaster.relief_notice_end", Relief;
    ConsultationActionDue => "disaster.consultation_action_due", Consultation;
    GridEventDue => "grid.event_due", GridEvent;
    GridJointPartDue => "grid.joint_part_due", GridEvent;
}

impl TimerCode {
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl Family {
    pub fn codes(self) -> Vec<TimerCode> {
        TimerCode::ALL
            .iter()
            .copied()
            .filter(|c| c.family() == self)
            .collect()
    }
}

impl TimerKind {
    pub fn code(&self) -> TimerCode {
        match self {
            Self::HazardOverdue(_) => TimerCode::HazardOverdue,
            Self::HazardListingStep(_) => TimerCode::HazardListingStep,
            Self::AlarmEscalate(_) => TimerCode::AlarmEscalate,
            Self::WorkOrderEscalate(_) => TimerCode::WorkOrderEscalate,
            Self::CaseDeadline(_) => TimerCode::CaseDeadline,
            Self::LicenceExpiry(_) => TimerCode::LicenceExpiry,
            Self::CommitmentSweep(_) => TimerCode::CommitmentSweep,
            Self::ListingExpiry(_) => TimerCode::ListingExpiry,
            Self::DutyReportSweep(_) => TimerCode::DutyReportSweep,
            Self::RatingRefresh(_) => TimerCode::RatingRefresh,
            Self::DisasterReportDue(_) => TimerCode::DisasterReportDue,
            Self::ReliefNoticeEnd(_) => TimerCode::ReliefNoticeEnd,
            Self::ConsultationActionDue(_) => TimerCode::ConsultationActionDue,
            Self::GridEventDue(_) => TimerCode::GridEventDue,
            Self::GridJointPartDue(_) => TimerCode::GridJointPartDue,
        }
    }

    /// The payload as stored (a JSON object, keys as serde_json orders them).
    pub fn payload(&self) -> serde_json::Value {
        let v = match self {
            Self::HazardOverdue(p) => serde_json::to_value(p),
            Self::HazardListingStep(p) => serde_json::to_value(p),
            Self::AlarmEscalate(p) => serde_json::to_value(p),
            Self::WorkOrderEscalate(p) => serde_json::to_value(p),
            Self::CaseDeadline(p) => serde_json::to_value(p),
            Self::LicenceExpiry(p) => serde_json::to_value(p),
            Self::CommitmentSweep(p) => serde_json::to_value(p),
            Self::ListingExpiry(p) => serde_json::to_value(p),
            Self::DutyReportSweep(p) => serde_json::to_value(p),
            Self::RatingRefresh(p) => serde_json::to_value(p),
            Self::DisasterReportDue(p) => serde_json::to_value(p),
            Self::ReliefNoticeEnd(p) => serde_json::to_value(p),
            Self::ConsultationActionDue(p) => serde_json::to_value(p),
            Self::GridEventDue(p) => serde_json::to_value(p),
            Self::GridJointPartDue(p) => serde_json::to_value(p),
        };
        v.unwrap_or_default()
    }

    /// Reads a stored row's kind and payload; `Err` names what does not parse.
    pub fn parse(kind: &str, payload: &str) -> Result<Self, String> {
        let code = TimerCode::parse(kind).ok_or_else(|| format!("unknown kind {kind}"))?;
        let v: serde_json::Value =
            serde_json::from_str(payload).map_err(|e| format!("payload of {kind}: {e}"))?;
        let parsed = match code {
            TimerCode::HazardOverdue => serde_json::from_value(v).map(Self::HazardOverdue),
            TimerCode::HazardListingStep => serde_json::from_value(v).map(Self::HazardListingStep),
            TimerCode::AlarmEscalate => serde_json::from_value(v).map(Self::AlarmEscalate),
            TimerCode::WorkOrderEscalate => serde_json::from_value(v).map(Self::WorkOrderEscalate),
            TimerCode::CaseDeadline => serde_json::from_value(v).map(Self::CaseDeadline),
            TimerCode::LicenceExpiry => serde_json::from_value(v).map(Self::LicenceExpiry),
            TimerCode::CommitmentSweep => serde_json::from_value(v).map(Self::CommitmentSweep),
            TimerCode::ListingExpiry => serde_json::from_value(v).map(Self::ListingExpiry),
            TimerCode::DutyReportSweep => serde_json::from_value(v).map(Self::DutyReportSweep),
            TimerCode::RatingRefresh => serde_json::from_value(v).map(Self::RatingRefresh),
            TimerCode::DisasterReportDue => serde_json::from_value(v).map(Self::DisasterReportDue),
            TimerCode::ReliefNoticeEnd => serde_json::from_value(v).map(Self::ReliefNoticeEnd),
            TimerCode::ConsultationActionDue => {
                serde_json::from_value(v).map(Self::ConsultationActionDue)
            }
            TimerCode::GridEventDue => serde_json::from_value(v).map(Self::GridEventDue),
            TimerCode::GridJointPartDue => serde_json::from_value(v).map(Self::GridJointPartDue),
        };
        parsed.map_err(|e| format!("payload of {kind}: {e}"))
    }
}

/// Which pending timers of a subject [`cancel`] drops: one kind, or a capability's family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    Kind(TimerCode),
    Family(Family),
}

impl From<TimerCode> for Selector {
    fn from(c: TimerCode) -> Self {
        Self::Kind(c)
    }
}

impl From<Family> for Selector {
    fn from(f: Family) -> Self {
        Self::Family(f)
    }
}

impl Selector {
    fn codes(self) -> Vec<TimerCode> {
        match self {
            Self::Kind(c) => vec![c],
            Self::Family(f) => f.codes(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timer {
    pub id: String,
    pub kind: TimerKind,
    pub subject_id: String,
    pub due_ms: i64,
    pub attempts: i64,
}

/// Schedules a timer inside the caller's transaction.
pub async fn schedule(
    tx: &mut Tx,
    now_ms: i64,
    kind: &TimerKind,
    subject_id: &str,
    due_ms: i64,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO timers (id, kind, subject_id, due_ms, payload, fired_ms, attempts, last_error, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        kind.code().as_str().into(),
        subject_id.into(),
        due_ms.into(),
        kind.payload().to_string().into(),
        None::<i64>.into(),
        0i64.into(),
        None::<String>.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(id)
}

/// How many timers of one kind are pending for a subject.
pub async fn pending_in(tx: &mut Tx, subject_id: &str, code: TimerCode) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND subject_id = ");
    q.bind(subject_id).push_bind(" AND kind = ", code.as_str());
    Ok(q.fetch_one(tx).await?.try_get(0)?)
}

/// Drops the pending timers of a subject that `which` selects.
pub async fn cancel(tx: &mut Tx, subject_id: &str, which: impl Into<Selector>) -> StoreResult<u64> {
    let codes: Vec<&str> = which
        .into()
        .codes()
        .into_iter()
        .map(TimerCode::as_str)
        .collect();
    let mut q = Sql::new("DELETE FROM timers WHERE subject_id = ");
    q.bind(subject_id)
        .push(" AND kind IN ")
        .bind_list(codes)
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

/// Up to `limit` timers due at `now_ms`, earliest first. A row whose kind or payload does not
/// parse (a kind this version does not know) is logged and marked fired without effects, so it
/// neither fires later nor holds up the rows behind it.
pub async fn due(store: &Store, now_ms: i64, limit: i64) -> StoreResult<Vec<Timer>> {
    loop {
        let mut q = Sql::new(
            "SELECT id, kind, subject_id, due_ms, payload, attempts FROM timers WHERE fired_ms IS NULL AND due_ms <= ",
        );
        q.bind(now_ms)
            .push(" ORDER BY due_ms, id")
            .push_bind(" LIMIT ", limit);
        let mut out = Vec::new();
        let mut dropped = 0;
        for r in store.fetch_all(q).await? {
            let id: String = r.try_get("id")?;
            let kind: String = r.try_get("kind")?;
            let payload: String = r.try_get("payload")?;
            match TimerKind::parse(&kind, &payload) {
                Ok(k) => out.push(Timer {
                    id,
                    kind: k,
                    subject_id: r.try_get("subject_id")?,
                    due_ms: r.try_get("due_ms")?,
                    attempts: r.try_get("attempts")?,
                }),
                Err(why) => {
                    tracing::warn!(timer = %id, kind = %kind, error = %why, "timer of unknown kind dropped");
                    let mut u = Sql::new("UPDATE timers SET fired_ms = ");
                    u.bind(now_ms)
                        .push_bind(", attempts = attempts + 1, last_error = ", why)
                        .push_bind(" WHERE id = ", id)
                        .push(" AND fired_ms IS NULL");
                    store.execute(u).await?;
                    dropped += 1;
                }
            }
        }
        if !out.is_empty() || dropped == 0 {
            return Ok(out);
        }
    }
}

/// What [`claim`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The timer is this transaction's to fire: run its effects, then commit.
    Won,
    /// Another node fired it already (or it was cancelled): roll back.
    Taken,
    /// Another node is firing it right now (PostgreSQL: its row is locked): roll back and leave
    /// it; it is either fired when that transaction commits or due again when it rolls back.
    Busy,
}

/// Marks the timer fired inside the transaction that carries its effects. On PostgreSQL the row
/// is first locked with `FOR UPDATE SKIP LOCKED`, so a node does not queue behind another node's
/// firing of the same timer (it answers `Busy` and moves on); the conditional update then makes
/// the claim exactly once on both backends (SQLite has one writer: the transaction's BEGIN
/// IMMEDIATE already serialises the claimers).
pub async fn claim(tx: &mut Tx, id: &str, now_ms: i64) -> StoreResult<Claim> {
    if crate::Backend::of(tx) == crate::Backend::Postgres {
        let mut lock = Sql::new("SELECT fired_ms FROM timers WHERE id = ");
        lock.bind(id).push(" FOR UPDATE SKIP LOCKED");
        match lock.fetch_optional(tx).await? {
            None => return Ok(Claim::Busy),
            Some(r) if r.try_get::<Option<i64>, _>(0)?.is_some() => return Ok(Claim::Taken),
            Some(_) => {}
        }
    }
    let mut q = Sql::new("UPDATE timers SET fired_ms = ");
    q.bind(now_ms)
        .push_bind(", attempts = attempts + 1 WHERE id = ", id)
        .push(" AND fired_ms IS NULL");
    Ok(if q.execute(tx).await? == 1 {
        Claim::Won
    } else {
        Claim::Taken
    })
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

/// Pending timers of a subject (for the UI and tests): kind code and due time.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Rows as the versions before typed kinds wrote them (kind code, payload text).
    fn stored() -> Vec<(&'static str, String, TimerKind)> {
        vec![
            (
                "hazard.overdue",
                json!({"deadline": "2025-03-01"}).to_string(),
                TimerKind::HazardOverdue(HazardOverdue {
                    deadline: "2025-03-01".into(),
                }),
            ),
            (
                "hazard.listing_step",
                json!({"listing_id": "L1", "code": "letter", "label": "函告", "days": 1})
                    .to_string(),
                TimerKind::HazardListingStep(ListingStep {
                    listing_id: "L1".into(),
                    code: "letter".into(),
                    label: "函告".into(),
                    days: 1,
                }),
            ),
            (
                "alarm.escalate",
                json!({"step": 0}).to_string(),
                TimerKind::AlarmEscalate(AlarmStep { step: 0 }),
            ),
            (
                "alarm.escalate",
                json!({"step": 3}).to_string(),
                TimerKind::AlarmEscalate(AlarmStep { step: 3 }),
            ),
            (
                "warning.order",
                json!({"step": 1}).to_string(),
                TimerKind::WorkOrderEscalate(OrderStep { step: 1 }),
            ),
            (
                "warning.order",
                json!({"step": 2}).to_string(),
                TimerKind::WorkOrderEscalate(OrderStep { step: 2 }),
            ),
        ]
    }

    #[test]
    fn rows_of_earlier_versions_parse_and_are_written_the_same() {
        for (kind, payload, typed) in stored() {
            assert_eq!(
                TimerKind::parse(kind, &payload),
                Ok(typed.clone()),
                "{kind}"
            );
            assert_eq!(typed.code().as_str(), kind);
            assert_eq!(typed.payload().to_string(), payload, "{kind}");
        }
        // Keys in another order, and ones this version does not read, still parse.
        assert!(
            TimerKind::parse(
                "hazard.listing_step",
                r#"{"days":2,"label":"通报","code":"notice","listing_id":"L","extra":1}"#
            )
            .is_ok()
        );
    }

    #[test]
    fn unknown_kinds_and_bad_payloads_are_refused() {
        assert!(TimerKind::parse("test.noop", "{}").is_err());
        assert!(TimerKind::parse("alarm.escalate", "{}").is_err());
        assert!(TimerKind::parse("alarm.escalate", "not json").is_err());
        assert!(TimerKind::parse("hazard.overdue", r#"{"deadline": 1}"#).is_err());
    }

    #[test]
    fn codes_are_distinct_and_belong_to_their_family() {
        for &c in TimerCode::ALL {
            assert_eq!(TimerCode::parse(c.as_str()), Some(c));
            let prefix = match c.family() {
                Family::Hazard => "hazard.",
                Family::Alarm => "alarm.",
                Family::WorkOrder => "warning.",
                Family::EnforcementCase => "enforcement.",
                Family::Licence
                | Family::CreditCommitment
                | Family::CreditListing
                | Family::CreditDutyReport
                | Family::CreditRating => "credit.",
                Family::DisasterReport | Family::Relief | Family::Consultation => "disaster.",
                Family::GridEvent => "grid.",
            };
            assert!(c.as_str().starts_with(prefix), "{c:?}");
        }
        assert_eq!(
            Family::Hazard.codes(),
            vec![TimerCode::HazardOverdue, TimerCode::HazardListingStep]
        );
        assert_eq!(
            Selector::from(Family::WorkOrder).codes(),
            vec![TimerCode::WorkOrderEscalate]
        );
    }
}

//! 许可证照 and the enterprise's proposals: the confirmed licences of an enterprise, the writes
//! (a department's direct edit, a confirmed proposal), the pending proposals the caller may
//! decide, the expiring licences the caller may see, and the expiry reminders on the durable
//! timers (90 days, 30 days, expired) to the enterprise's users and its supervising departments.

use crate::directory::enterprises::{push_categories_on, push_scope};
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::timers::{self, Family, LicenceExpiry, TimerKind};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::licences::{
    CheckedLicence, NOT_PENDING, Stage, day_start_ms, kind_label, reminder_text, reminders,
    status_label,
};
use yingji_core::directory::enterprise::split_codes;
use yingji_core::kernel::clock::today;
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;

/// A licence as stored, with its enterprise's name.
#[derive(Debug, Clone, Serialize)]
pub struct Licence {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub kind: String,
    pub kind_label: String,
    pub number: String,
    pub scope: Option<String>,
    pub issuer: Option<String>,
    pub valid_from: String,
    pub valid_until: String,
    pub status: String,
    pub status_label: String,
    pub updated_by: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

const COLUMNS: &str = "l.id, l.enterprise_id, e.name AS enterprise_name, l.kind, l.number, l.scope, l.issuer, l.valid_from, l.valid_until, l.status, l.updated_by, l.created_ms, l.updated_ms";
const FROM: &str = " FROM credit_licences l JOIN enterprises e ON e.id = l.enterprise_id";

fn from_row(r: &AnyRow) -> StoreResult<Licence> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(Licence {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        kind_label: kind_label(&kind),
        kind,
        number: r.try_get("number")?,
        scope: r.try_get("scope")?,
        issuer: r.try_get("issuer")?,
        valid_from: r.try_get("valid_from")?,
        valid_until: r.try_get("valid_until")?,
        status_label: status_label(&status).into(),
        status,
        updated_by: r.try_get("updated_by")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// The licences of an enterprise (the caller has checked it may see it): the `limit` valid the
/// longest, soonest end first.
pub async fn of_enterprise(
    store: &Store,
    enterprise_id: &str,
    limit: i64,
) -> StoreResult<Vec<Licence>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE l.enterprise_id = "));
    q.bind(enterprise_id)
        .push(" ORDER BY l.valid_until DESC, l.id DESC")
        .push_bind(" LIMIT ", limit);
    let mut out: Vec<Licence> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<_>>()?;
    out.reverse();
    Ok(out)
}

/// A licence of an enterprise the caller may see.
pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Licence> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE l.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Confirmed licences whose last valid day lies in `[from, until]` (either end open), of the
/// enterprises the caller may see, soonest end first.
pub async fn expiring(
    store: &Store,
    scope: &Scope,
    from: Option<Date>,
    until: Option<Date>,
    limit: i64,
) -> StoreResult<Vec<Licence>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS}{FROM} WHERE l.status = 'confirmed'"
    ));
    if let Some(f) = from {
        q.push_bind(" AND l.valid_until >= ", f.to_string());
    }
    if let Some(u) = until {
        q.push_bind(" AND l.valid_until <= ", u.to_string());
    }
    push_scope(&mut q, scope);
    q.push(" ORDER BY l.valid_until, l.id")
        .push_bind(" LIMIT ", limit);
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// Writes a licence as confirmed (a new one when `id` is None) and (re)sets its reminders;
/// answers its id.
pub async fn save_in(
    tx: &mut Tx,
    now: i64,
    by: &str,
    enterprise_id: &str,
    id: Option<&str>,
    l: &CheckedLicence,
) -> StoreResult<String> {
    let id = match id {
        Some(id) => {
            let mut u = Sql::new("UPDATE credit_licences SET kind = ");
            u.bind(l.kind.as_str())
                .push_bind(", number = ", l.number.as_str())
                .push_bind(", scope = ", l.scope.clone())
                .push_bind(", issuer = ", l.issuer.clone())
                .push_bind(", valid_from = ", l.valid_from.to_string())
                .push_bind(", valid_until = ", l.valid_until.to_string())
                .push(", status = 'confirmed'")
                .push_bind(", updated_by = ", by)
                .push_bind(", updated_ms = ", now)
                .push_bind(" WHERE id = ", id)
                .push_bind(" AND enterprise_id = ", enterprise_id);
            if u.execute(tx).await? == 0 {
                return Err(StoreError::NotFound);
            }
            id.to_string()
        }
        None => {
            let id = new_id();
            let mut q = Sql::new(
                "INSERT INTO credit_licences (id, enterprise_id, kind, number, scope, issuer, valid_from, valid_until, status, updated_by, created_ms, updated_ms) VALUES ",
            );
            q.values(vec![
                id.as_str().into(),
                enterprise_id.into(),
                l.kind.as_str().into(),
                l.number.as_str().into(),
                l.scope.clone().into(),
                l.issuer.clone().into(),
                l.valid_from.to_string().into(),
                l.valid_until.to_string().into(),
                "confirmed".into(),
                by.into(),
                now.into(),
                now.into(),
            ]);
            q.execute(tx).await?;
            id
        }
    };
    schedule_reminders_in(tx, now, &id, l.valid_until).await?;
    Ok(id)
}

/// Drops a licence's pending reminders and schedules those still to come.
pub async fn schedule_reminders_in(
    tx: &mut Tx,
    now: i64,
    id: &str,
    valid_until: Date,
) -> StoreResult<()> {
    timers::cancel(tx, id, Family::Licence).await?;
    for (stage, day) in reminders(valid_until, today(now)) {
        let kind = TimerKind::LicenceExpiry(LicenceExpiry {
            stage: stage.as_str().into(),
            valid_until: valid_until.to_string(),
        });
        timers::schedule(tx, now, &kind, id, day_start_ms(day)).await?;
    }
    Ok(())
}

/// A proposal of an enterprise (a licence or its 标准化 grade) waiting for its department.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    /// licence / standardisation
    pub subject: String,
    /// The licence it changes (none: a new one).
    pub target_id: Option<String>,
    /// The proposed input (LicenceInput or StandardisationInput) as JSON.
    pub payload: serde_json::Value,
    /// pending / confirmed / rejected
    pub status: String,
    pub proposed_by: String,
    pub proposed_ms: i64,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    pub reason: Option<String>,
}

const P_COLUMNS: &str = "p.id, p.enterprise_id, e.name AS enterprise_name, p.subject, p.target_id, p.payload, p.status, p.proposed_by, p.proposed_ms, p.decided_by, p.decided_ms, p.reason";
const P_FROM: &str = " FROM credit_proposals p JOIN enterprises e ON e.id = p.enterprise_id";

fn proposal_row(r: &AnyRow) -> StoreResult<Proposal> {
    let raw: String = r.try_get("payload")?;
    Ok(Proposal {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        subject: r.try_get("subject")?,
        target_id: r.try_get("target_id")?,
        payload: serde_json::from_str(&raw).unwrap_or_default(),
        status: r.try_get("status")?,
        proposed_by: r.try_get("proposed_by")?,
        proposed_ms: r.try_get("proposed_ms")?,
        decided_by: r.try_get("decided_by")?,
        decided_ms: r.try_get("decided_ms")?,
        reason: r.try_get("reason")?,
    })
}

/// Records a proposal and its audit record; answers its id.
pub async fn propose_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    p: &NewProposal<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_proposals (id, enterprise_id, subject, target_id, payload, status, proposed_by, proposed_ms) VALUES ",
    );
    q.values(vec![
        id.as_str().into(),
        p.enterprise_id.into(),
        p.subject.into(),
        p.target_id.map(str::to_string).into(),
        p.payload.to_string().into(),
        "pending".into(),
        actor.name.as_str().into(),
        now.into(),
    ]);
    q.execute(tx).await?;
    let mut change = Change::of(p.action, p.entity, &id, p.summary.clone());
    change.after = Some(p.payload.clone());
    audit::append(tx, now, actor, change).await?;
    Ok(id)
}

/// What [`propose_in`] records.
#[derive(Debug, Clone)]
pub struct NewProposal<'a> {
    pub enterprise_id: &'a str,
    pub subject: &'a str,
    pub target_id: Option<&'a str>,
    pub payload: serde_json::Value,
    /// The audit action and entity, and its summary.
    pub action: &'a str,
    pub entity: &'a str,
    pub summary: String,
}

/// A proposal of an enterprise the caller may see.
pub async fn proposal(store: &Store, scope: &Scope, id: &str) -> StoreResult<Proposal> {
    let mut q = Sql::new(&format!("SELECT {P_COLUMNS}{P_FROM} WHERE p.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    proposal_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Proposals of the enterprises the caller may see: pending ones (oldest first), or one
/// enterprise's whole history (newest first).
pub async fn proposals(
    store: &Store,
    scope: &Scope,
    enterprise_id: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<Proposal>> {
    let mut q = Sql::new(&format!("SELECT {P_COLUMNS}{P_FROM} WHERE "));
    match enterprise_id {
        Some(e) => q.push_bind("p.enterprise_id = ", e),
        None => q.push("p.status = 'pending'"),
    };
    push_scope(&mut q, scope);
    q.push(if enterprise_id.is_some() {
        " ORDER BY p.proposed_ms DESC, p.id"
    } else {
        " ORDER BY p.proposed_ms, p.id"
    })
    .push_bind(" LIMIT ", limit);
    store.fetch_all(q).await?.iter().map(proposal_row).collect()
}

/// Marks a pending proposal decided; a conflict when someone decided it meanwhile.
pub async fn decide_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    confirm: bool,
    reason: Option<String>,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE credit_proposals SET status = ");
    u.bind(if confirm { "confirmed" } else { "rejected" })
        .push_bind(", decided_by = ", actor.name.as_str())
        .push_bind(", decided_ms = ", now)
        .push_bind(", reason = ", reason)
        .push_bind(" WHERE id = ", id)
        .push(" AND status = 'pending'");
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("action", NOT_PENDING));
    }
    Ok(())
}

/// Who the expiry reminder acts as.
pub const EXPIRY_ACTOR: &str = "证照到期提醒";

/// A licence's reminder is due (in the scheduler's transaction, which has claimed the timer):
/// nothing when the licence is gone, not confirmed, or its last valid day has moved.
pub async fn fire_expiry(
    tx: &mut Tx,
    licence_id: &str,
    p: &LicenceExpiry,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "SELECT l.enterprise_id, l.kind, l.number, l.valid_until, l.status, e.name, e.categories FROM credit_licences l JOIN enterprises e ON e.id = l.enterprise_id WHERE l.id = ",
    );
    q.bind(licence_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let until: String = r.try_get("valid_until")?;
    let status: String = r.try_get("status")?;
    let Some(stage) = Stage::parse(&p.stage) else {
        return Ok(());
    };
    if status != "confirmed" || until != p.valid_until {
        return Ok(());
    }
    let enterprise_id: String = r.try_get("enterprise_id")?;
    let name: String = r.try_get("name")?;
    let (kind, number): (String, String) = (r.try_get("kind")?, r.try_get("number")?);
    let categories = split_codes(&r.try_get::<String, _>("categories")?);
    let mut d = Sql::new("SELECT d.id FROM departments d WHERE ");
    push_categories_on(&mut d, "d", &categories);
    let departments: Vec<String> = d
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let targets = [
        Target::Enterprise(&enterprise_id),
        Target::Departments(&departments),
    ];
    let audience = escalation::resolve(tx, &targets, false).await?;
    let users = audience.users.iter().map(|u| u.0.clone()).collect();
    let (title, body) = reminder_text(stage, &name, &kind, &number, &until);
    let message = Message {
        event: "credit.licence_expiry".into(),
        title,
        body: body.clone(),
        link: format!("/credit/dossiers/{enterprise_id}"),
        subject_id: licence_id.to_string(),
    };
    escalation::step(tx, now_ms, Escalation::in_app(message, users)).await?;
    let change = Change::of("credit.licence_expiry", "credit_licence", licence_id, body);
    audit::append(tx, now_ms, &Actor::system(EXPIRY_ACTOR), change).await?;
    Ok(())
}

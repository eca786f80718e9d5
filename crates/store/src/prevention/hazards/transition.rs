//! The closed loop: one action at a time (定级, 整改, 验收, 销号 …), checked against the rules in `yingji_core::prevention::hazard` and the actor's standing.

use crate::kernel::audit::{self, Change};
use crate::kernel::timers::{self, Family, HazardOverdue, ListingStep, TimerCode, TimerKind};
use crate::kernel::{attachments, notifications};
use crate::{Sql, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::directory::enterprise::join_codes;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::{
    self as rules, Action, CheckedStep, Grade, HazardFacts, HazardLevel, Listing, Refusal, Status,
    TransferTo, wording,
};

use super::{
    COLUMNS, Event, FROM, Hazard, event, from_row, responsible_users, standing, users_where,
};
use crate::kernel::Ctx;

/// 定级 as recorded: the level, the criteria met and the rectification's terms.
pub(super) struct Graded<'a> {
    pub level: HazardLevel,
    pub criteria: Vec<String>,
    pub grade: Grade,
    pub note: Option<&'a str>,
    pub files: &'a [String],
}

/// 定级: the hazard moves to 整改中 with its deadline, whose overdue timer is scheduled.
pub(super) async fn apply_grade(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    h: &Hazard,
    graded: Graded<'_>,
) -> StoreResult<()> {
    let Graded {
        level,
        criteria,
        grade: g,
        note,
        files,
    } = graded;
    let mut u = Sql::new("UPDATE hazards SET status = ");
    u.bind(Status::Rectifying.as_str())
        .push_bind(", level = ", level.as_str())
        .push_bind(", criteria = ", join_codes(&criteria))
        .push_bind(", deadline = ", g.deadline.to_string())
        .push_bind(", responsible_name = ", &g.responsible_name)
        .push_bind(
            ", responsible_phone = ",
            crate::kernel::keys::seal_opt(g.responsible_phone.as_deref())?,
        )
        .push_bind(", measures = ", g.measures.clone())
        .push_bind(", funds = ", g.funds.clone())
        .push_bind(", graded_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", &h.id);
    u.execute(tx).await?;
    let overdue = TimerKind::HazardOverdue(HazardOverdue {
        deadline: g.deadline.to_string(),
    });
    timers::schedule(
        tx,
        now_ms,
        &overdue,
        &h.id,
        rules::overdue_from_ms(g.deadline),
    )
    .await?;
    let data = serde_json::json!({"level": level.as_str(), "criteria": criteria, "deadline": g.deadline.to_string(), "responsible_name": g.responsible_name, "measures": g.measures, "funds": g.funds});
    event(
        tx,
        Event {
            hazard_id: &h.id,
            code: "grade",
            from: Some(Status::Registered),
            to: Status::Rectifying,
            actor: &ctx.actor,
            actor_name: &ctx.display_name,
            note,
            data: Some(data.clone()),
            attachments: files,
            at_ms: now_ms,
        },
    )
    .await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "hazard.grade",
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: wording::graded(&h.code, level, g.deadline),
            before: Some(serde_json::json!({"status": h.status, "level": h.level})),
            after: Some(data),
        },
    )
    .await?;
    Ok(())
}

pub(super) fn facts(h: &Hazard) -> HazardFacts {
    HazardFacts {
        status: Status::parse(&h.status).unwrap_or(Status::Closed),
        level: HazardLevel::parse(&h.level).unwrap_or(HazardLevel::Major),
        has_enterprise: h.enterprise_id.is_some(),
        reporter_id: None,
        rectifier_id: None,
        has_plan: h.plan.is_some(),
        has_evaluation: h.evaluation.is_some(),
        extension_pending: h
            .extension
            .as_ref()
            .is_some_and(|e| e.get("status").and_then(|s| s.as_str()) == Some("pending")),
        listed: h.listed,
    }
}

pub(super) async fn facts_tx(tx: &mut Tx, h: &Hazard) -> StoreResult<HazardFacts> {
    let mut q = Sql::new("SELECT reporter_id, rectifier_id FROM hazards WHERE id = ");
    q.bind(&h.id);
    let r = q.fetch_one(tx).await?;
    let mut f = facts(h);
    f.reporter_id = r.try_get("reporter_id")?;
    f.rectifier_id = r.try_get("rectifier_id")?;
    Ok(f)
}

pub(super) fn refusal(r: Refusal) -> StoreError {
    match r {
        Refusal::Forbidden(m) => StoreError::Forbidden(m),
        Refusal::Conflict(m) => StoreError::conflict("action", m),
    }
}

pub(super) async fn load_tx(tx: &mut Tx, id: &str) -> StoreResult<Hazard> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE h.id = "));
    q.bind(id);
    from_row(&q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?)
}

/// One step of the loop, checked by `yingji_core::prevention::hazard::check_step`.
pub struct Step<'a> {
    pub id: &'a str,
    pub action: Action,
    pub checked: CheckedStep,
    pub attachments: &'a [String],
}

/// Applies one checked step of the loop inside the caller's transaction, to the hazard as it
/// reads there (the state may have moved since the check); whether the caller may take it is
/// decided by `yingji_core::prevention::hazard::transition`.
pub async fn transition_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, step: Step<'_>) -> StoreResult<()> {
    let Step {
        id,
        action,
        checked,
        attachments,
    } = step;
    let h = load_tx(tx, id).await?;
    let f = facts_tx(tx, &h).await?;
    let cfg = crate::prevention::rules::current_tx(tx, &h.region_code)
        .await?
        .rules
        .hazard;
    let standing = standing(ctx, h.enterprise_id.as_deref());
    let to = rules::transition(&f, action, standing, &ctx.user_id, &cfg).map_err(refusal)?;
    let from = f.status;
    attachments::link(
        tx,
        attachments,
        "hazard",
        &h.id,
        Some(&ctx.user_id),
        "attachments",
    )
    .await?;
    if action == Action::Grade {
        let (level, criteria) = checked.level_met.unwrap_or((HazardLevel::General, vec![]));
        let Some(grade) = checked.grade else {
            return Err(StoreError::invalid(
                "deadline",
                wording::GRADE_NEEDS_DEADLINE,
            ));
        };
        let graded = Graded {
            level,
            criteria,
            grade,
            note: checked.note.as_deref(),
            files: attachments,
        };
        return apply_grade(tx, ctx, now_ms, &h, graded).await;
    }
    let mut set = Sql::new("UPDATE hazards SET updated_ms = ");
    set.bind(now_ms);
    let mut out = Outcome {
        summary: wording::step(&h.code, action),
        data: serde_json::Value::Null,
    };
    let at = At {
        ctx,
        now_ms,
        h: &h,
        from,
    };
    let note = checked.note.clone();
    apply_action(tx, &mut set, &mut out, &at, action, checked, &cfg).await?;
    set.push_bind(", status = ", to.as_str())
        .push_bind(" WHERE id = ", &h.id);
    set.execute(tx).await?;
    record(tx, &at, action, to, note, out, attachments).await?;
    Ok(())
}

/// Who acts on which hazard, when, from which status.
struct At<'a> {
    ctx: &'a Ctx,
    now_ms: i64,
    h: &'a Hazard,
    from: Status,
}

/// What the event and the audit record say about the step.
struct Outcome {
    summary: String,
    data: serde_json::Value,
}

/// The columns an action sets besides the status, and its other writes.
async fn apply_action(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &At<'_>,
    action: Action,
    c: CheckedStep,
    cfg: &rules::HazardConfig,
) -> StoreResult<()> {
    let (ctx, now_ms) = (s.ctx, s.now_ms);
    match action {
        Action::Grade | Action::Reject => {}
        Action::SubmitPlan => {
            set.push_bind(", plan = ", c.plan.clone().unwrap_or_default().to_string());
            out.data = serde_json::json!({"plan": c.plan});
        }
        Action::Evaluate => {
            let e = c.evaluation.unwrap_or_default();
            set.push_bind(", evaluation = ", e.to_string());
            out.data = e;
        }
        Action::SubmitRectification => {
            set.push_bind(", rectifier_id = ", &ctx.user_id);
        }
        Action::Accept => accept(tx, set, out, s).await?,
        Action::RequestExtension => {
            let ext = serde_json::json!({"status": "pending", "deadline": c.new_deadline.map(|d| d.to_string()), "reason": c.note, "requested_by": ctx.display_name, "requested_ms": now_ms});
            set.push_bind(", extension = ", ext.to_string());
            out.data = ext;
        }
        Action::DecideExtension => decide_extension(tx, set, out, s, c.approve, c.note).await?,
        Action::Escalate => {
            let (_, met) = c.level_met.unwrap_or((HazardLevel::Major, vec![]));
            set.push_bind(", level = ", HazardLevel::Major.as_str())
                .push_bind(", criteria = ", join_codes(&met));
            out.data = serde_json::json!({"criteria": met});
        }
        Action::Transfer => transfer(tx, set, out, s, c.transfer_to.as_ref()).await?,
        Action::Dismiss => {
            set.push_bind(", closed_ms = ", now_ms);
        }
        Action::List => {
            let listing = c
                .listing
                .ok_or_else(|| StoreError::invalid("deadline", wording::LISTING_INCOMPLETE))?;
            list(tx, set, out, s, listing, cfg).await?;
        }
    }
    Ok(())
}

/// 验收: closes the hazard (on time or not), cancels its timers, and 摘牌 if it was listed.
async fn accept(tx: &mut Tx, set: &mut Sql, out: &mut Outcome, s: &At<'_>) -> StoreResult<()> {
    let (ctx, now_ms, h) = (s.ctx, s.now_ms, s.h);
    let on_time = h
        .deadline
        .as_deref()
        .is_some_and(|d| rules::today(now_ms).to_string().as_str() <= d);
    set.push_bind(", acceptor_id = ", &ctx.user_id)
        .push_bind(", closed_ms = ", now_ms)
        .push_bind(", closed_on_time = ", on_time)
        .push(", overdue = 0");
    timers::cancel(tx, &h.id, Family::Hazard).await?;
    if h.listed {
        // 摘牌: acceptance ends the listed supervision.
        let mut d = Sql::new("UPDATE hazard_listings SET status = 'delisted', delisted_ms = ");
        d.bind(now_ms)
            .push_bind(" WHERE status = 'active' AND hazard_id = ", &h.id);
        d.execute(&mut *tx).await?;
        set.push(", listed = 0");
        out.summary = wording::accepted_and_delisted(&h.code);
        out.data = serde_json::json!({"delisted": true});
    }
    Ok(())
}

/// 延期审批: an approved extension moves the deadline and its overdue timer.
async fn decide_extension(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &At<'_>,
    approve: bool,
    note: Option<String>,
) -> StoreResult<()> {
    let (ctx, now_ms, h) = (s.ctx, s.now_ms, s.h);
    let mut ext = h.extension.clone().unwrap_or_default();
    ext["status"] = if approve { "approved" } else { "refused" }.into();
    ext["decided_by"] = ctx.display_name.clone().into();
    ext["decision_note"] = note.into();
    set.push_bind(", extension = ", ext.to_string());
    if approve {
        let nd = ext["deadline"].as_str().unwrap_or_default().to_string();
        if let Ok(d) = nd.parse::<jiff::civil::Date>() {
            set.push_bind(", deadline = ", d.to_string());
            set.push_bind(", overdue = ", rules::is_overdue(s.from, Some(d), now_ms));
            timers::cancel(tx, &h.id, TimerCode::HazardOverdue).await?;
            let overdue = TimerKind::HazardOverdue(HazardOverdue {
                deadline: d.to_string(),
            });
            let due = rules::overdue_from_ms(d);
            timers::schedule(tx, now_ms, &overdue, &h.id, due).await?;
        }
        out.summary = wording::extension_decided(&h.code, Some(&nd));
    } else {
        out.summary = wording::extension_decided(&h.code, None);
    }
    out.data = ext;
    Ok(())
}

/// 转办: to another department, whose people are told.
async fn transfer(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &At<'_>,
    dep: Option<&TransferTo>,
) -> StoreResult<()> {
    let (ctx, now_ms, h) = (s.ctx, s.now_ms, s.h);
    set.push_bind(", department_id = ", dep.map(|d| d.id.clone()));
    out.summary = wording::transferred(&h.code, dep.map(|d| d.name.as_str()).unwrap_or(""));
    out.data = serde_json::json!({"department_id": dep.map(|d| &d.id), "department_name": dep.map(|d| &d.name)});
    if let Some(dep) = dep {
        let users = users_where(tx, "department_id", &dep.id).await?;
        let (title, body) = wording::transfer_notice(&h.code, &ctx.display_name, &h.description);
        let link = format!("/hazards/{}", h.id);
        notifications::send(tx, now_ms, &users, &title, &body, Some(&link)).await?;
    }
    Ok(())
}

/// 挂牌督办: the listing row, one timer per escalation step of the district's rules, and the
/// responsible people told.
async fn list(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &At<'_>,
    l: Listing,
    cfg: &rules::HazardConfig,
) -> StoreResult<()> {
    let (ctx, now_ms, h) = (s.ctx, s.now_ms, s.h);
    let lid = new_id();
    let dep_id = match &ctx.scope {
        Scope::Department { department_id, .. } => Some(department_id.clone()),
        _ => None,
    };
    let mut q = Sql::new(
        "INSERT INTO hazard_listings (id, hazard_id, listing_level, supervising_body, department_id, deadline, doc_number, listed_by, listed_by_name, listed_ms, status, steps_fired, last_step, delisted_ms) VALUES ",
    );
    q.values(vec![
        lid.clone().into(),
        h.id.clone().into(),
        l.level.clone().into(),
        l.body.clone().into(),
        dep_id.into(),
        l.deadline.to_string().into(),
        l.doc_number.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        "active".into(),
        0i64.into(),
        None::<String>.into(),
        None::<i64>.into(),
    ]);
    q.execute(&mut *tx).await?;
    for step in &cfg.escalation_steps {
        let due = rules::step_due_ms(l.deadline, step.days_after_deadline);
        let kind = TimerKind::HazardListingStep(ListingStep {
            listing_id: lid.clone(),
            code: step.code.clone(),
            label: step.label.clone(),
            days: step.days_after_deadline,
        });
        timers::schedule(tx, now_ms, &kind, &h.id, due).await?;
    }
    set.push(", listed = 1");
    out.summary = wording::listed(&h.code, &l);
    out.data = serde_json::json!({"listing_id": lid, "listing_level": l.level, "supervising_body": l.body, "doc_number": l.doc_number, "deadline": l.deadline.to_string()});
    let users = responsible_users(tx, h, Some(&ctx.user_id)).await?;
    let (title, body) = wording::listing_notice(&h.code, &l, &h.description);
    let link = format!("/hazards/{}", h.id);
    notifications::send(tx, now_ms, &users, &title, &body, Some(&link)).await?;
    Ok(())
}

/// The step's event on the hazard's timeline and its hash-chained audit record.
async fn record(
    tx: &mut Tx,
    s: &At<'_>,
    action: Action,
    to: Status,
    note: Option<String>,
    out: Outcome,
    attachments: &[String],
) -> StoreResult<()> {
    let (ctx, now_ms, h) = (s.ctx, s.now_ms, s.h);
    let data = (!out.data.is_null()).then_some(out.data);
    event(
        tx,
        Event {
            hazard_id: &h.id,
            code: action.as_str(),
            from: Some(s.from),
            to,
            actor: &ctx.actor,
            actor_name: &ctx.display_name,
            note: note.as_deref(),
            data: data.clone(),
            attachments,
            at_ms: now_ms,
        },
    )
    .await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: &format!("hazard.{}", action.as_str()),
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: wording::with_note(out.summary, note.as_deref()),
            before: Some(serde_json::json!({"status": s.from.as_str(), "level": h.level})),
            after: Some(serde_json::json!({"status": to.as_str(), "data": data})),
        },
    )
    .await?;
    Ok(())
}

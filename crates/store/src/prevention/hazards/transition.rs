//! The closed loop: one action at a time (定级, 整改, 验收, 销号 …), checked against the rules in `yingji_core::prevention::hazard` and the actor's standing.

use crate::kernel::audit::{self, Change};
use crate::kernel::timers::{self, Family, HazardOverdue, ListingStep, TimerCode, TimerKind};
use crate::kernel::{attachments, notifications};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::directory::enterprise::join_codes;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::{Errors, optional_text, phone, required_text};
use yingji_core::prevention::hazard::{
    self as rules, Action, HazardFacts, HazardLevel, PLAN_ITEMS, Refusal, Status,
};
use yingji_core::prevention::hazard_ladder::short;

use super::{
    COLUMNS, FROM, Hazard, TransitionInput, event, from_row, get, responsible_users, standing,
    users_where,
};
use crate::kernel::Ctx;

pub(super) fn check_funds(errs: &mut Errors, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match yingji_core::prevention::risk::Hundredths::parse(v) {
        Some(h) => Some(h.to_string()),
        None => {
            errs.add(
                "funds",
                format!("治理资金“{v}”应为金额（元，至多两位小数）"),
            );
            None
        }
    }
}

#[derive(Clone)]
pub(super) struct Grade {
    deadline: jiff::civil::Date,
    responsible_name: String,
    responsible_phone: Option<String>,
    measures: Option<String>,
    funds: Option<String>,
}

pub(super) fn check_grade(errs: &mut Errors, t: &TransitionInput, now_ms: i64) -> Grade {
    let deadline = match t.deadline.as_deref().filter(|s| !s.is_empty()) {
        None => {
            errs.add("deadline", "定级时须设定整改期限");
            None
        }
        Some(d) => match rules::parse_deadline("deadline", "整改期限", d, now_ms) {
            Ok(d) => Some(d),
            Err(e) => {
                for f in e.0 {
                    errs.add(&f.field, f.message);
                }
                None
            }
        },
    };
    let responsible_name = errs
        .check(
            "responsible_name",
            required_text(
                "整改责任人",
                t.responsible_name.as_deref().unwrap_or(""),
                50,
            ),
        )
        .unwrap_or_default();
    let responsible_phone = errs
        .check(
            "responsible_phone",
            phone("责任人电话", t.responsible_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let measures = errs
        .check(
            "measures",
            optional_text("整改措施", t.measures.as_deref().unwrap_or(""), 4000),
        )
        .flatten();
    let funds = check_funds(errs, t.funds.as_deref());
    Grade {
        deadline: deadline.unwrap_or(jiff::civil::Date::MIN),
        responsible_name,
        responsible_phone,
        measures,
        funds,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn apply_grade(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    h: &Hazard,
    level: HazardLevel,
    criteria: Vec<String>,
    g: Grade,
    note: Option<&str>,
    files: &[String],
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE hazards SET status = ");
    u.bind(Status::Rectifying.as_str())
        .push_bind(", level = ", level.as_str())
        .push_bind(", criteria = ", join_codes(&criteria))
        .push_bind(", deadline = ", g.deadline.to_string())
        .push_bind(", responsible_name = ", &g.responsible_name)
        .push_bind(", responsible_phone = ", g.responsible_phone.clone())
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
        &h.id,
        Action::Grade,
        "grade",
        Some(Status::Registered),
        Status::Rectifying,
        &ctx.actor,
        &ctx.display_name,
        note,
        Some(data.clone()),
        files,
        now_ms,
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
            summary: format!(
                "隐患{}定级为{}，整改期限{}",
                h.code,
                level.label(),
                g.deadline
            ),
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

/// Checks one step of the loop for the caller before the transaction: the hazard must be
/// visible to them and the action's input valid.
pub async fn check_transition(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<Checked> {
    let visible = get(store, &ctx.scope, id).await?;
    check(store, ctx, now_ms, &visible, action, t).await
}

/// Applies one checked step of the loop inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn transition_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    action: Action,
    t: &TransitionInput,
    checked: Checked,
) -> StoreResult<()> {
    // Re-read inside the transaction: the state may have moved since the check.
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
        &t.attachments,
        "hazard",
        &h.id,
        Some(&ctx.user_id),
        "attachments",
    )
    .await?;
    if action == Action::Grade {
        let (level, met) = checked.level_met.unwrap_or((HazardLevel::General, vec![]));
        let g = checked
            .grade
            .unwrap_or_else(|| check_grade(&mut Errors::default(), t, now_ms));
        let note = checked.note.as_deref();
        apply_grade(tx, ctx, now_ms, &h, level, met, g, note, &t.attachments).await?;
        return Ok(());
    }
    let mut set = Sql::new("UPDATE hazards SET updated_ms = ");
    set.bind(now_ms);
    let mut out = Outcome {
        summary: format!("隐患{}：{}", h.code, action.label()),
        data: serde_json::Value::Null,
    };
    let step = Step {
        ctx,
        now_ms,
        h: &h,
        from,
    };
    apply_action(
        tx,
        &mut set,
        &mut out,
        &step,
        action,
        checked.clone(),
        t,
        &cfg,
    )
    .await?;
    set.push_bind(", status = ", to.as_str())
        .push_bind(" WHERE id = ", &h.id);
    set.execute(tx).await?;
    record(tx, &step, action, to, checked.note, out, &t.attachments).await?;
    Ok(())
}

/// An action's input, checked before the transaction (fields named in Chinese).
#[derive(Clone, Default)]
pub struct Checked {
    note: Option<String>,
    grade: Option<Grade>,
    level_met: Option<(HazardLevel, Vec<String>)>,
    plan: Option<serde_json::Value>,
    evaluation: Option<serde_json::Value>,
    new_deadline: Option<jiff::civil::Date>,
    department: Option<crate::directory::departments::Department>,
    listing: Option<(String, String, String, jiff::civil::Date)>,
}

async fn check(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    visible: &Hazard,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<Checked> {
    let mut errs = Errors::default();
    let mut c = Checked {
        note: errs
            .check(
                "note",
                optional_text("说明", t.note.as_deref().unwrap_or(""), 2000),
            )
            .flatten(),
        ..Checked::default()
    };
    let note_given = c.note.is_some();
    match action {
        Action::Grade => {
            c.grade = Some(check_grade(&mut errs, t, now_ms));
            c.level_met = check_level(store, &mut errs, visible, action, t).await?;
        }
        Action::Escalate => {
            c.level_met = check_level(store, &mut errs, visible, action, t).await?;
            if t.findings.is_empty() && !note_given {
                errs.add("note", "升级为重大隐患须说明理由或勾选判定标准条款");
            }
        }
        Action::SubmitPlan => c.plan = Some(check_plan(&mut errs, t)),
        Action::Evaluate => c.evaluation = Some(check_evaluation(&mut errs, ctx, now_ms, t)),
        Action::SubmitRectification if !note_given => errs.add("note", "请填写整改情况说明"),
        Action::Reject if !note_given => errs.add("note", "驳回须填写理由"),
        Action::Dismiss if !note_given => errs.add("note", "不予立案须填写理由"),
        Action::RequestExtension => {
            c.new_deadline = check_extension(&mut errs, visible, now_ms, t);
            if !note_given {
                errs.add("note", "请填写延期理由");
            }
        }
        Action::DecideExtension if t.approve.is_none() => {
            errs.add("approve", "请选择同意或不同意延期")
        }
        Action::Transfer => match t.department_id.as_deref().filter(|s| !s.is_empty()) {
            None => errs.add("department_id", "请选择转办的部门"),
            Some(d) => match crate::directory::departments::get(store, &Scope::All, d).await {
                Ok(dep) => c.department = Some(dep),
                Err(_) => errs.add("department_id", "转办的部门不存在"),
            },
        },
        Action::List => c.listing = check_listing(&mut errs, now_ms, t),
        _ => {}
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    Ok(c)
}

/// 定级 and 升级: the level chosen (or 重大 for 升级) against the findings and the criteria ticked
/// at the report, which keep a hazard 重大.
async fn check_level(
    store: &Store,
    errs: &mut Errors,
    visible: &Hazard,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<Option<(HazardLevel, Vec<String>)>> {
    let criteria = crate::prevention::criteria::active(store).await?;
    let chosen = match (action, t.level.as_deref().filter(|s| !s.is_empty())) {
        (Action::Escalate, _) => HazardLevel::Major,
        (_, None) => HazardLevel::parse(&visible.level).unwrap_or(HazardLevel::General),
        (_, Some(l)) => errs
            .check("level", HazardLevel::parse(l))
            .unwrap_or(HazardLevel::General),
    };
    match rules::level_from_findings(chosen, &criteria, &t.findings) {
        Ok((l, mut met)) => {
            for c in &visible.criteria {
                if !met.contains(c) {
                    met.push(c.clone());
                }
            }
            let l = if met.is_empty() {
                l
            } else {
                HazardLevel::Major
            };
            Ok(Some((l, met)))
        }
        Err(e) => {
            for f in e.0 {
                errs.add(&f.field, f.message);
            }
            Ok(None)
        }
    }
}

fn check_plan(errs: &mut Errors, t: &TransitionInput) -> serde_json::Value {
    let p = t.plan.clone().unwrap_or_default();
    let mut out = serde_json::Map::new();
    for (k, label) in PLAN_ITEMS {
        match p.get(*k).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => errs.add(&format!("plan.{k}"), format!("治理方案须包含“{label}”")),
            Some(v) if v.chars().count() > 4000 => {
                errs.add(&format!("plan.{k}"), format!("“{label}”不能超过4000字"))
            }
            Some(v) => {
                out.insert(k.to_string(), v.into());
            }
        }
    }
    for k in p.keys() {
        if !PLAN_ITEMS.iter().any(|(x, _)| x == k) {
            errs.add(&format!("plan.{k}"), format!("治理方案没有“{k}”这一项"));
        }
    }
    serde_json::Value::Object(out)
}

fn check_evaluation(
    errs: &mut Errors,
    ctx: &Ctx,
    now_ms: i64,
    t: &TransitionInput,
) -> serde_json::Value {
    let who = errs.check(
        "evaluator",
        required_text(
            "评估人（技术人员或专家）",
            t.evaluator.as_deref().unwrap_or(""),
            100,
        ),
    );
    let c = errs.check(
        "conclusion",
        required_text("评估结论", t.conclusion.as_deref().unwrap_or(""), 4000),
    );
    serde_json::json!({"evaluator": who, "conclusion": c, "by": ctx.display_name, "at_ms": now_ms})
}

fn check_extension(
    errs: &mut Errors,
    visible: &Hazard,
    now_ms: i64,
    t: &TransitionInput,
) -> Option<jiff::civil::Date> {
    match t.deadline.as_deref().filter(|s| !s.is_empty()) {
        None => {
            errs.add("deadline", "请填写申请延期至的日期");
            None
        }
        Some(d) => match rules::parse_deadline("deadline", "延期后的整改期限", d, now_ms) {
            Ok(d) => {
                if visible
                    .deadline
                    .as_deref()
                    .is_some_and(|cur| d.to_string().as_str() <= cur)
                {
                    errs.add("deadline", "延期后的整改期限须晚于原期限");
                }
                Some(d)
            }
            Err(e) => {
                errs.add("deadline", e.summary());
                None
            }
        },
    }
}

fn check_listing(
    errs: &mut Errors,
    now_ms: i64,
    t: &TransitionInput,
) -> Option<(String, String, String, jiff::civil::Date)> {
    let lvl = errs.check(
        "listing_level",
        required_text("督办级别", t.listing_level.as_deref().unwrap_or(""), 20),
    );
    let body = errs.check(
        "supervising_body",
        required_text("督办单位", t.supervising_body.as_deref().unwrap_or(""), 100),
    );
    let doc = errs.check(
        "doc_number",
        required_text("督办文号", t.doc_number.as_deref().unwrap_or(""), 100),
    );
    let dl = match t.deadline.as_deref().filter(|s| !s.is_empty()) {
        None => {
            errs.add("deadline", "请填写督办整改期限");
            None
        }
        Some(d) => match rules::parse_deadline("deadline", "督办整改期限", d, now_ms) {
            Ok(d) => Some(d),
            Err(e) => {
                errs.add("deadline", e.summary());
                None
            }
        },
    };
    match (lvl, body, doc, dl) {
        (Some(l), Some(b), Some(d), Some(dl)) => Some((l, b, d, dl)),
        _ => None,
    }
}

/// Who acts on which hazard, when, from which status.
struct Step<'a> {
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
#[allow(clippy::too_many_arguments)]
async fn apply_action(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &Step<'_>,
    action: Action,
    c: Checked,
    t: &TransitionInput,
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
        Action::DecideExtension => {
            decide_extension(tx, set, out, s, t.approve.unwrap_or(false), c.note).await?
        }
        Action::Escalate => {
            let (_, met) = c.level_met.unwrap_or((HazardLevel::Major, vec![]));
            set.push_bind(", level = ", HazardLevel::Major.as_str())
                .push_bind(", criteria = ", join_codes(&met));
            out.data = serde_json::json!({"criteria": met});
        }
        Action::Transfer => transfer(tx, set, out, s, c.department.as_ref()).await?,
        Action::Dismiss => {
            set.push_bind(", closed_ms = ", now_ms);
        }
        Action::List => {
            let listing = c
                .listing
                .ok_or_else(|| StoreError::invalid("deadline", "督办信息不完整"))?;
            list(tx, set, out, s, listing, cfg).await?;
        }
    }
    Ok(())
}

/// 验收: closes the hazard (on time or not), cancels its timers, and 摘牌 if it was listed.
async fn accept(tx: &mut Tx, set: &mut Sql, out: &mut Outcome, s: &Step<'_>) -> StoreResult<()> {
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
        out.summary = format!("隐患{}：验收通过，摘牌销号", h.code);
        out.data = serde_json::json!({"delisted": true});
    }
    Ok(())
}

/// 延期审批: an approved extension moves the deadline and its overdue timer.
async fn decide_extension(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &Step<'_>,
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
        out.summary = format!("隐患{}：同意延期至{nd}", h.code);
    } else {
        out.summary = format!("隐患{}：不同意延期", h.code);
    }
    out.data = ext;
    Ok(())
}

/// 转办: to another department, whose people are told.
async fn transfer(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &Step<'_>,
    dep: Option<&crate::directory::departments::Department>,
) -> StoreResult<()> {
    let (ctx, now_ms, h) = (s.ctx, s.now_ms, s.h);
    set.push_bind(", department_id = ", dep.map(|d| d.id.clone()));
    out.summary = format!(
        "隐患{}转办至{}",
        h.code,
        dep.map(|d| d.name.as_str()).unwrap_or("")
    );
    out.data = serde_json::json!({"department_id": dep.map(|d| &d.id), "department_name": dep.map(|d| &d.name)});
    if let Some(dep) = dep {
        let users = users_where(tx, "department_id", &dep.id).await?;
        notifications::send(
            tx,
            now_ms,
            &users,
            &format!("隐患转办：{}", h.code),
            &format!(
                "{}转办隐患“{}”至贵部门。",
                ctx.display_name,
                short(&h.description)
            ),
            Some(&format!("/hazards/{}", h.id)),
        )
        .await?;
    }
    Ok(())
}

/// 挂牌督办: the listing row, one timer per escalation step of the district's rules, and the
/// responsible people told.
async fn list(
    tx: &mut Tx,
    set: &mut Sql,
    out: &mut Outcome,
    s: &Step<'_>,
    (lvl, body, doc, dl): (String, String, String, jiff::civil::Date),
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
        lvl.clone().into(),
        body.clone().into(),
        dep_id.into(),
        dl.to_string().into(),
        doc.clone().into(),
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
        let due = rules::step_due_ms(dl, step.days_after_deadline);
        let kind = TimerKind::HazardListingStep(ListingStep {
            listing_id: lid.clone(),
            code: step.code.clone(),
            label: step.label.clone(),
            days: step.days_after_deadline,
        });
        timers::schedule(tx, now_ms, &kind, &h.id, due).await?;
    }
    set.push(", listed = 1");
    out.summary = format!("隐患{}挂牌督办（{lvl}，{body}，{doc}，期限{dl}）", h.code);
    out.data = serde_json::json!({"listing_id": lid, "listing_level": lvl, "supervising_body": body, "doc_number": doc, "deadline": dl.to_string()});
    let users = responsible_users(tx, h, Some(&ctx.user_id)).await?;
    notifications::send(
        tx,
        now_ms,
        &users,
        &format!("重大隐患挂牌督办：{}", h.code),
        &format!(
            "{body}对重大隐患“{}”挂牌督办（{doc}），须于{dl}前完成整改。",
            short(&h.description)
        ),
        Some(&format!("/hazards/{}", h.id)),
    )
    .await?;
    Ok(())
}

/// The step's event on the hazard's timeline and its hash-chained audit record.
async fn record(
    tx: &mut Tx,
    s: &Step<'_>,
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
        &h.id,
        action,
        action.as_str(),
        Some(s.from),
        to,
        &ctx.actor,
        &ctx.display_name,
        note.as_deref(),
        data.clone(),
        attachments,
        now_ms,
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
            summary: match &note {
                Some(n) => format!("{}；说明：{}", out.summary, short(n)),
                None => out.summary,
            },
            before: Some(serde_json::json!({"status": s.from.as_str(), "level": h.level})),
            after: Some(serde_json::json!({"status": to.as_str(), "data": data})),
        },
    )
    .await?;
    Ok(())
}

//! Proposing a listing to the department that decides (谁处罚、谁决定) and taking its steps:
//! 告知, 陈述申辩, the decision, publication, 信用修复 and restoration.

use super::require_manager;
use yingji_core::credit::listing_criteria::{Criterion, Subject, default_subjects, detect};
use yingji_core::credit::listings::{
    Facts, NO_QUALIFYING_RECORD, Status, Step, StepInput, check_person_code, check_step, may_take,
    period, step_summary, transition,
};
use yingji_core::kernel::clock::Date;
use yingji_core::kernel::clock::today;
use yingji_store::credit::listing_criteria::{self as records, scope_has_department};
use yingji_store::credit::listings::{self, Case, NewCase, Update};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// A proposal as the API takes it: an entered record, or an enterprise whose accidents qualify.
#[derive(Debug, Clone, Default)]
pub struct ProposalInput {
    pub enterprise_id: Option<String>,
    pub record_id: Option<String>,
    /// The 主要负责人's ID number, when known.
    pub principal_code: Option<String>,
}

/// What a proposal rests on.
struct Basis {
    enterprise_id: Option<String>,
    department_id: String,
    criterion: Criterion,
    basis: String,
    record_id: Option<String>,
    subjects: Vec<Subject>,
}

fn trimmed(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

async fn from_record(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Basis> {
    let r = records::get(store, ctx, id).await.map_err(|e| match e {
        StoreError::NotFound => {
            StoreError::invalid("record_id", "失信认定记录不存在或不在您的管辖范围内")
        }
        e => e,
    })?;
    let criterion = Criterion::parse(&r.criterion)
        .ok_or_else(|| StoreError::invalid("record_id", NO_QUALIFYING_RECORD))?;
    Ok(Basis {
        enterprise_id: r.enterprise_id,
        department_id: r.department_id,
        criterion,
        basis: format!("{} {}", r.occurred_day, r.description),
        record_id: Some(r.id),
        subjects: r.subjects,
    })
}

async fn from_accidents(
    store: &Store,
    ctx: &Ctx,
    id: &str,
    code: Option<&str>,
) -> StoreResult<Basis> {
    let e = enterprises::get_referenced(store, &ctx.scope, id).await?;
    let mut chosen = None;
    for f in detect(&records::accidents(store, &e.id).await?) {
        if !listings::open_on_basis(store, Some(&e.id), f.criterion.as_str(), &f.basis).await? {
            chosen = Some(f);
            break;
        }
    }
    let f = chosen.ok_or_else(|| StoreError::invalid("enterprise_id", NO_QUALIFYING_RECORD))?;
    let department_id = records::deciding_department(store, &e.id, &e.categories, &e.grid_code)
        .await?
        .ok_or_else(|| {
            StoreError::invalid(
                "enterprise_id",
                "未找到作出行政处罚的部门或该企业的监管部门",
            )
        })?;
    Ok(Basis {
        subjects: default_subjects(
            f.criterion,
            &e.name,
            &e.uscc,
            e.principal_name.as_deref(),
            code,
        ),
        enterprise_id: Some(e.id),
        department_id,
        criterion: f.criterion,
        basis: f.basis,
        record_id: None,
    })
}

/// Proposes listing the unit and its 主要负责人 (or the persons the criterion names) to the
/// deciding department. Without a qualifying record: a field error, nothing stored.
pub async fn propose(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ProposalInput,
) -> StoreResult<Case> {
    require_manager(ctx)?;
    let code = check_person_code(input.principal_code.as_deref())?;
    let b = match (trimmed(&input.record_id), trimmed(&input.enterprise_id)) {
        (Some(r), _) => from_record(store, ctx, r).await?,
        (None, Some(e)) => from_accidents(store, ctx, e, code.as_deref()).await?,
        (None, None) => {
            return Err(StoreError::invalid(
                "enterprise_id",
                "请选择企业或失信认定记录",
            ));
        }
    };
    if b.record_id.is_some()
        && listings::open_on_basis(
            store,
            b.enterprise_id.as_deref(),
            b.criterion.as_str(),
            &b.basis,
        )
        .await?
    {
        return Err(StoreError::invalid(
            "record_id",
            "已就该记录提出列入，不能重复提出",
        ));
    }
    if b.subjects.is_empty() {
        return Err(StoreError::invalid("record_id", "该记录没有列明失信主体"));
    }
    let who = b
        .subjects
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let new = NewCase {
        enterprise_id: b.enterprise_id.as_deref(),
        department_id: &b.department_id,
        criterion: b.criterion.as_str(),
        basis: &b.basis,
        record_id: b.record_id.as_deref(),
        proposed_day: &today(now_ms).to_string(),
        subjects: &b.subjects,
        summary: format!(
            "{who}：拟列入严重失信主体名单（{}：{}）",
            b.criterion.label(),
            b.basis
        ),
    };
    let mut tx = store.begin().await?;
    let id = listings::propose_in(&mut tx, ctx, now_ms, &new).await?;
    tx.commit().await?;
    listings::get(store, ctx, &id).await
}

fn day(v: &Option<String>) -> Option<Date> {
    v.as_deref().and_then(|d| d.parse().ok())
}

fn facts(c: &Case) -> Facts {
    Facts {
        status: Status::parse(&c.status),
        notice_day: day(&c.notice_day),
        statement_until: day(&c.statement_until),
        has_statement: c.statement.is_some(),
        listed_day: day(&c.listed_day),
        expires_day: day(&c.expires_day),
        published: c.published_day.is_some(),
        repaired: c.removal_kind.as_deref() == Some("repaired"),
    }
}

/// The columns a step sets, and the day the automatic removal is scheduled for.
fn columns(
    step: &Step,
    today: Date,
    c: &Case,
) -> (Vec<(&'static str, Option<String>)>, Option<Date>) {
    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }
    let t = Some(today.to_string());
    match step {
        Step::Notice {
            number,
            day,
            statement_until,
        } => (
            vec![
                ("notice_number", s(number)),
                ("notice_day", s(&day.to_string())),
                ("statement_until", s(&statement_until.to_string())),
            ],
            None,
        ),
        Step::Statement { text } => (vec![("statement", s(text))], None),
        Step::List { number, day } => {
            let p = period(*day);
            let cols = vec![
                ("decision_number", s(number)),
                ("decided_day", s(&day.to_string())),
                ("listed_day", s(&day.to_string())),
                ("expires_day", s(&p.expires_day.to_string())),
                (
                    "early_removal_eligible_day",
                    s(&p.early_removal_eligible_day.to_string()),
                ),
            ];
            (cols, Some(p.expires_day))
        }
        Step::NotList { reason } => (
            vec![("decided_day", t), ("decision_reason", s(reason))],
            None,
        ),
        Step::Publish => (vec![("published_day", t)], None),
        Step::RequestRepair { reason } => (
            vec![("repair_reason", s(reason)), ("repair_requested_day", t)],
            None,
        ),
        Step::DecideRepair {
            approve: true,
            reason,
        } => (
            vec![
                ("repair_decision", s(reason)),
                ("removed_day", t),
                ("removal_kind", s("repaired")),
            ],
            None,
        ),
        Step::DecideRepair {
            approve: false,
            reason,
        } => (vec![("repair_decision", s(reason))], None),
        Step::Restore { reason } => (
            vec![
                ("restore_reason", s(reason)),
                ("restored_day", t),
                ("removed_day", None),
                ("removal_kind", None),
            ],
            day(&c.expires_day),
        ),
    }
}

/// Takes a step on a case the caller may see.
pub async fn step(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    case_id: &str,
    input: &StepInput,
) -> StoreResult<Case> {
    let case = listings::get(store, ctx, case_id).await?;
    let today = today(now_ms);
    let step = check_step(input, today)?;
    let decider = scope_has_department(&ctx.scope, &case.department_id, &case.department_region);
    may_take(ctx.role, &step, decider).map_err(|m| StoreError::Forbidden(m.into()))?;
    let to = transition(&facts(&case), &step, today).map_err(|(conflict, e)| {
        if conflict {
            StoreError::Conflict {
                field: e.field,
                message: e.message,
            }
        } else {
            StoreError::invalid(&e.field, e.message)
        }
    })?;
    let (cols, expiry) = columns(&step, today, &case);
    let subject = case
        .subjects
        .first()
        .map(|s| s.subject.name.clone())
        .unwrap_or_default();
    let update = Update {
        step: step.code(),
        from: &case.status,
        to: to.as_str(),
        columns: cols,
        summary: step_summary(&subject, &step),
        expiry,
    };
    let mut tx = store.begin().await?;
    listings::step_in(&mut tx, ctx, now_ms, case_id, &update).await?;
    super::rating::after_listing_change_in(&mut tx, &ctx.actor.name, now_ms, case_id).await?;
    tx.commit().await?;
    listings::get(store, ctx, case_id).await
}

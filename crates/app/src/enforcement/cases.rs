//! 行政处罚案件: opening a case (立案) and taking its steps, each in one transaction with its
//! timeline row, deadline timer and audit record. core::enforcement::case decides.

use super::named;
use yingji_core::enforcement::case::{
    self as rules, CaseFacts, CaseState, NOT_A_CASE_FILER, NewCaseInput, Refusal, Standing, Step,
    StepInput, TOO_FEW_INVESTIGATORS,
};
use yingji_core::enforcement::case_input::{FINDING_NOT_FOUND, FINDING_OF_ANOTHER_ENTERPRISE};
use yingji_core::enforcement::case_windows::Windows;
use yingji_core::enforcement::penalty::CaseDays;
use yingji_core::kernel::clock::{Date, today};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::directory::{departments, enterprises};
use yingji_store::enforcement::cases::{self, Case, Investigator, NewCase, StepRow};
use yingji_store::kernel::Ctx;
use yingji_store::prevention::hazards;
use yingji_store::{Store, StoreError, StoreResult};

/// Opens a case for `department` (a department's staff and inspectors: their own).
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    department: Option<&str>,
    enterprise_id: &str,
    input: &NewCaseInput,
) -> StoreResult<Case> {
    if !rules::may_file(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_CASE_FILER.into()));
    }
    rules::check_new_case(input)?;
    let department_id = match (&ctx.scope, department) {
        (Scope::Department { department_id, .. }, _) => department_id.clone(),
        (_, Some(d)) => d.to_string(),
        (_, None) => return Err(StoreError::invalid("department_id", "请选择办案部门")),
    };
    let department = departments::get(store, &ctx.scope, &department_id)
        .await
        .map_err(named("department_id", "办案部门不存在或不在您的管辖范围内"))?;
    let enterprise = enterprises::get(store, &ctx.scope, enterprise_id)
        .await
        .map_err(named("enterprise_id", "当事企业不存在或不在您的管辖范围内"))?;
    check_finding(store, ctx, input, &enterprise.id).await?;
    let investigators = investigators(store, &department.id, &input.investigators).await?;
    let filed = today(now_ms);
    let due = CaseDays::default().decision_due(filed);
    let (filed_text, due_text) = (filed.to_string(), due.to_string());
    let new = NewCase {
        department_id: &department.id,
        enterprise_id: &enterprise.id,
        enterprise_name: &enterprise.name,
        region_code: &enterprise.grid_code,
        title: input.title.trim(),
        facts: input
            .facts
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        legal_basis: input
            .legal_basis
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        source: &input.source,
        source_id: input.source_id.as_deref().filter(|s| !s.trim().is_empty()),
        filed_day: &filed_text,
        decision_due: &due_text,
        investigators: &investigators,
    };
    let summary = rules::filed_summary(new.title, &enterprise.name, due);
    let mut tx = store.begin().await?;
    let id = cases::create_in(&mut tx, ctx, now_ms, &new, summary).await?;
    tx.commit().await?;
    cases::get(store, ctx, &id).await
}

/// A case opened from a finding names the finding's hazard: one the caller sees, of the case's
/// enterprise (a complaint's or a referral's number is free text).
async fn check_finding(
    store: &Store,
    ctx: &Ctx,
    input: &NewCaseInput,
    enterprise_id: &str,
) -> StoreResult<()> {
    let Some(id) = input
        .source_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    else {
        return Ok(());
    };
    if input.source != "finding" {
        return Ok(());
    }
    let hazard = hazards::get(store, &ctx.scope, id)
        .await
        .map_err(named("source_id", FINDING_NOT_FOUND))?;
    if hazard.enterprise_id.as_deref() != Some(enterprise_id) {
        return Err(StoreError::invalid(
            "source_id",
            FINDING_OF_ANOTHER_ENTERPRISE,
        ));
    }
    Ok(())
}

/// The named 承办人: at least two, each a member of the department who may investigate.
async fn investigators(
    store: &Store,
    department_id: &str,
    ids: &[String],
) -> StoreResult<Vec<Investigator>> {
    let members = cases::department_members(store, department_id, ids).await?;
    let ok: Vec<Investigator> = members
        .into_iter()
        .filter(|(_, _, role)| Role::parse(role).is_ok_and(rules::may_investigate))
        .map(|(user_id, name, _)| Investigator { user_id, name })
        .collect();
    let mut wanted = ids.to_vec();
    wanted.sort();
    wanted.dedup();
    if ok.len() < 2 || ok.len() != wanted.len() {
        return Err(StoreError::invalid("investigators", TOO_FEW_INVESTIGATORS));
    }
    Ok(ok)
}

/// Takes a step of a case the caller may see.
pub async fn step(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    case_id: &str,
    step: &str,
    input: &StepInput,
) -> StoreResult<Case> {
    let step = Step::parse(step)?;
    let case = cases::get(store, ctx, case_id).await?;
    let facts = facts(&case)?;
    let ids: Vec<String> = case
        .investigators
        .iter()
        .map(|i| i.user_id.clone())
        .collect();
    let standing = Standing::of(ctx.role, &ctx.user_id, &ids);
    let out =
        rules::check_step(&facts, standing, step, input, today(now_ms)).map_err(|r| match r {
            Refusal::Forbidden(m) => StoreError::Forbidden(m),
            Refusal::WrongState(m) => StoreError::conflict("step", m),
            Refusal::Invalid(i) => StoreError::Invalid(i),
        })?;
    let to = out.to.unwrap_or(facts.state);
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or(out.transfer_reason.as_deref())
        .or(out.window_note.as_deref());
    let row = StepRow {
        step: step.as_str(),
        from: Some(facts.state.as_str()),
        to: to.as_str(),
        note,
    };
    let summary = rules::step_summary(&case.title, step, note);
    let mut tx = store.begin().await?;
    cases::step_in(&mut tx, ctx, now_ms, &case, &row, &out, summary).await?;
    if matches!(step, Step::Decide | Step::Execute) {
        // 信用脸谱: a penalty decision (or its enforcement by the court) changes the rating.
        crate::credit::rating::recompute_in(
            &mut tx,
            &ctx.actor,
            now_ms,
            &case.enterprise_id,
            Some(&case.id),
        )
        .await?;
    }
    tx.commit().await?;
    cases::get(store, ctx, case_id).await
}

/// What the rules read of a stored case.
pub fn facts(c: &Case) -> StoreResult<CaseFacts> {
    let day = |s: &str| -> StoreResult<Date> {
        s.parse()
            .map_err(|_| StoreError::invalid("filed_day", format!("日期“{s}”无效")))
    };
    Ok(CaseFacts {
        state: CaseState::parse(&c.state).unwrap_or(CaseState::Closed),
        filed: day(&c.filed_day)?,
        decision_due: day(&c.decision_due)?,
        extended_until: c.extended_until.as_deref().map(day).transpose()?,
        accident_grade: c.accident_grade.as_deref().and_then(rules::parse_grade),
        aggravated: c.aggravated,
        proposed_fine: c.proposed_fine,
        windows: Windows {
            statement_until: c.statement_until.as_deref().map(day).transpose()?,
            hearing_until: c.hearing_until.as_deref().map(day).transpose()?,
            statement: c.statement.clone(),
            hearing: c.hearing.clone(),
        },
    })
}

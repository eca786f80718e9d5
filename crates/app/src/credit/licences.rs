//! 许可证照 and 标准化等级: an enterprise user's change is a proposal its supervising department
//! confirms (then it is written) or rejects with a reason; a department writes directly. Each
//! in one transaction with its audit record (and the licence's expiry reminders).

use yingji_core::credit::licences::{
    self as rules, LicenceDecisionInput, LicenceInput, NOT_A_LICENCE_KEEPER, NOT_PENDING,
    ONLY_SUPERVISORS, check_decision, check_licence, kind_label, may_decide, may_propose,
};
use yingji_core::credit::standardisation::{
    StandardisationInput, check_standardisation, grade_label,
};
use yingji_store::credit::licences::{self, Licence, NewProposal, Proposal};
use yingji_store::credit::standardisation;
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{Store, StoreError, StoreResult};

/// What a submission did: written at once (a department) or waiting as a proposal.
#[derive(Debug, Clone)]
pub enum Submitted {
    Licence(Box<Licence>),
    Standardisation,
    Proposal(Box<Proposal>),
}

fn keeper(ctx: &Ctx) -> StoreResult<()> {
    if may_propose(ctx.role) || may_decide(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_A_LICENCE_KEEPER.into()))
    }
}

/// Adds (`licence_id` None) or changes a licence of an enterprise the caller may see.
pub async fn submit_licence(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    enterprise_id: &str,
    licence_id: Option<&str>,
    input: &LicenceInput,
) -> StoreResult<Submitted> {
    keeper(ctx)?;
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    if let Some(id) = licence_id {
        let l = licences::get(store, &ctx.scope, id).await?;
        if l.enterprise_id != e.id {
            return Err(StoreError::NotFound);
        }
    }
    let checked = check_licence(input)?;
    let what = format!("{}（{}）", kind_label(&checked.kind), checked.number);
    let mut tx = store.begin().await?;
    if may_decide(ctx.role) {
        let id =
            licences::save_in(&mut tx, now, &ctx.actor.name, &e.id, licence_id, &checked).await?;
        let summary = rules::summary("登记证照", &e.name, &what);
        audit::append(
            &mut tx,
            now,
            &ctx.actor,
            Change::of("credit.licence_save", "credit_licence", &id, summary),
        )
        .await?;
        tx.commit().await?;
        return Ok(Submitted::Licence(Box::new(
            licences::get(store, &ctx.scope, &id).await?,
        )));
    }
    let p = NewProposal {
        enterprise_id: &e.id,
        subject: "licence",
        target_id: licence_id,
        payload: serde_json::to_value(input).unwrap_or_default(),
        action: "credit.licence_propose",
        entity: "credit_proposal",
        summary: rules::summary("申请登记证照", &e.name, &what),
    };
    let id = licences::propose_in(&mut tx, now, &ctx.actor, &p).await?;
    tx.commit().await?;
    Ok(Submitted::Proposal(Box::new(
        licences::proposal(store, &ctx.scope, &id).await?,
    )))
}

/// Sets the 标准化等级 of an enterprise the caller may see.
pub async fn submit_standardisation(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    enterprise_id: &str,
    input: &StandardisationInput,
) -> StoreResult<Submitted> {
    keeper(ctx)?;
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    let checked = check_standardisation(input)?;
    let what = format!(
        "标准化{}（{}）",
        grade_label(checked.grade),
        checked.certificate_number
    );
    let mut tx = store.begin().await?;
    if may_decide(ctx.role) {
        standardisation::save_in(&mut tx, now, &ctx.actor.name, &e.id, &checked).await?;
        super::rating::recompute_in(&mut tx, &ctx.actor, now, &e.id, Some(&e.id)).await?;
        let summary = rules::summary("登记标准化等级", &e.name, &what);
        audit::append(
            &mut tx,
            now,
            &ctx.actor,
            Change::of("credit.standardisation_save", "enterprise", &e.id, summary),
        )
        .await?;
        tx.commit().await?;
        return Ok(Submitted::Standardisation);
    }
    let p = NewProposal {
        enterprise_id: &e.id,
        subject: "standardisation",
        target_id: None,
        payload: serde_json::to_value(input).unwrap_or_default(),
        action: "credit.standardisation_propose",
        entity: "credit_proposal",
        summary: rules::summary("申请登记标准化等级", &e.name, &what),
    };
    let id = licences::propose_in(&mut tx, now, &ctx.actor, &p).await?;
    tx.commit().await?;
    Ok(Submitted::Proposal(Box::new(
        licences::proposal(store, &ctx.scope, &id).await?,
    )))
}

/// 确认 (the proposal's data is written) or 驳回 (with a reason) a pending proposal of an
/// enterprise the caller supervises.
pub async fn decide(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    proposal_id: &str,
    input: &LicenceDecisionInput,
) -> StoreResult<Proposal> {
    if !may_decide(ctx.role) {
        return Err(StoreError::Forbidden(ONLY_SUPERVISORS.into()));
    }
    let (confirm, reason) = check_decision(input)?;
    let p = licences::proposal(store, &ctx.scope, proposal_id).await?;
    if p.status != "pending" {
        return Err(StoreError::conflict("action", NOT_PENDING));
    }
    let mut tx = store.begin().await?;
    licences::decide_in(&mut tx, now, &ctx.actor, &p.id, confirm, reason.clone()).await?;
    let verb = if confirm { "确认" } else { "驳回" };
    if confirm {
        apply_in(&mut tx, now, &p).await?;
        if p.subject == "standardisation" {
            let e = &p.enterprise_id;
            super::rating::recompute_in(&mut tx, &ctx.actor, now, e, Some(e)).await?;
        }
    }
    let summary = rules::summary(
        verb,
        &p.enterprise_name,
        &format!(
            "{}的申请{}",
            subject_label(&p.subject),
            reason.map(|r| format!("：{r}")).unwrap_or_default()
        ),
    );
    let action = if confirm {
        "credit.proposal_confirm"
    } else {
        "credit.proposal_reject"
    };
    audit::append(
        &mut tx,
        now,
        &ctx.actor,
        Change::of(action, "credit_proposal", &p.id, summary),
    )
    .await?;
    tx.commit().await?;
    licences::proposal(store, &ctx.scope, proposal_id).await
}

fn subject_label(subject: &str) -> &'static str {
    if subject == "standardisation" {
        "标准化等级"
    } else {
        "证照"
    }
}

/// Writes a confirmed proposal's data (checked again: the rules may have changed since).
async fn apply_in(tx: &mut yingji_store::Tx, now: i64, p: &Proposal) -> StoreResult<()> {
    let by = p.proposed_by.as_str();
    if p.subject == "standardisation" {
        let input: StandardisationInput = serde_json::from_value(p.payload.clone())
            .map_err(|_| StoreError::invalid("payload", "申请内容无法读取"))?;
        let checked = check_standardisation(&input)?;
        return standardisation::save_in(tx, now, by, &p.enterprise_id, &checked).await;
    }
    let input: LicenceInput = serde_json::from_value(p.payload.clone())
        .map_err(|_| StoreError::invalid("payload", "申请内容无法读取"))?;
    let checked = check_licence(&input)?;
    licences::save_in(
        tx,
        now,
        by,
        &p.enterprise_id,
        p.target_id.as_deref(),
        &checked,
    )
    .await?;
    Ok(())
}

//! 整改复查 from the enforcement side, wired to the hazard closed loop (each finding of an
//! inspection is a hazard): the view of a task's findings with their hazards' state, deadline,
//! rectification and evidence; the enterprise's 提交整改 for a finding (the loop's own step,
//! after 定级 with the 责令限期整改指令书's 整改期限 when the finding was not graded yet, in one
//! transaction); the task's inspector's 复查 (the loop's 验收 or 驳回).

use yingji_core::enforcement::review::{
    self as rules, NO_DEADLINE, NOT_A_FINDING, NOT_ON_TASK, NOT_THE_ENTERPRISE, RectificationInput,
    ReviewInput,
};
use yingji_core::prevention::hazard::{Action, Status, TransitionInput};
use yingji_store::enforcement::draws::TeamMember;
use yingji_store::enforcement::inspections::{self, FindingRow, Record};
use yingji_store::enforcement::receipts::own_enterprise;
use yingji_store::enforcement::review::{self as rows, Order};
use yingji_store::kernel::Ctx;
use yingji_store::prevention::hazards::{self, HazardDetail, HazardEvent, Step};
use yingji_store::{Store, StoreError, StoreResult};

/// One finding under 复查: the finding, its hazard as the caller reads it, the latest
/// rectification submitted and the latest rejection.
#[derive(Debug, Clone)]
pub struct FindingReview {
    pub finding: FindingRow,
    pub hazard: HazardDetail,
    pub rectification: Option<HazardEvent>,
    pub rejection: Option<HazardEvent>,
}

/// A task's 复查: its inspection record, the 责令限期整改指令书 in force and the findings.
#[derive(Debug, Clone)]
pub struct TaskReview {
    pub record: Record,
    pub item_name: String,
    pub team: Vec<TeamMember>,
    pub order: Option<Order>,
    pub findings: Vec<FindingReview>,
}

fn last_of(h: &HazardDetail, action: Action) -> Option<HazardEvent> {
    h.events
        .iter()
        .rev()
        .find(|e| e.action == action.as_str())
        .cloned()
}

async fn finding_review(store: &Store, ctx: &Ctx, f: FindingRow) -> StoreResult<FindingReview> {
    let hazard = hazards::detail(store, ctx, &f.hazard_id).await?;
    Ok(FindingReview {
        rectification: last_of(&hazard, Action::SubmitRectification),
        rejection: last_of(&hazard, Action::Reject),
        finding: f,
        hazard,
    })
}

/// The 复查 view of a task, for whoever reads its inspection record (the enterprise its own).
pub async fn view(store: &Store, ctx: &Ctx, task_id: &str) -> StoreResult<TaskReview> {
    let record = inspections::by_task(store, ctx, task_id).await?;
    let (_, findings, _) = inspections::parts(store, &record.id).await?;
    let mut out = Vec::with_capacity(findings.len());
    for f in findings {
        out.push(finding_review(store, ctx, f).await?);
    }
    let (item_name, team) = rows::item_and_team(store, task_id).await?;
    Ok(TaskReview {
        item_name,
        team,
        order: rows::order_of(store, task_id).await?,
        record,
        findings: out,
    })
}

/// The finding of the task's record that became `hazard_id`, read in the caller's scope.
async fn finding_of(
    store: &Store,
    ctx: &Ctx,
    task_id: &str,
    hazard_id: &str,
) -> StoreResult<(Record, FindingRow)> {
    let record = inspections::by_task(store, ctx, task_id).await?;
    let (_, findings, _) = inspections::parts(store, &record.id).await?;
    let f = findings
        .into_iter()
        .find(|f| f.hazard_id == hazard_id)
        .ok_or_else(|| StoreError::invalid("hazard_id", NOT_A_FINDING))?;
    Ok((record, f))
}

/// The enterprise submits its rectification of a finding (说明 and photos) through the loop's
/// 提交整改; a finding not graded yet is graded first, in the same transaction, with the
/// 整改期限 of the task's 责令限期整改指令书 and the submitter as the person responsible.
pub async fn rectify(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    task_id: &str,
    hazard_id: &str,
    input: &RectificationInput,
) -> StoreResult<FindingReview> {
    if own_enterprise(ctx).is_none() {
        return Err(StoreError::Forbidden(NOT_THE_ENTERPRISE.into()));
    }
    let (_, finding) = finding_of(store, ctx, task_id, hazard_id).await?;
    rules::check_rectification(input)?;
    let hazard = hazards::get(store, &ctx.scope, hazard_id).await?;
    let grade = if hazard.status == Status::Registered.as_str() {
        let order = rows::order_of(store, task_id).await?;
        let Some(deadline) = order.and_then(|o| o.deadline) else {
            return Err(StoreError::conflict("hazard_id", NO_DEADLINE));
        };
        let t = TransitionInput {
            deadline: Some(deadline),
            responsible_name: Some(ctx.display_name.clone()),
            ..TransitionInput::default()
        };
        let checked =
            crate::prevention::hazards::check(store, ctx, now_ms, hazard_id, Action::Grade, &t)
                .await?;
        Some(checked)
    } else {
        None
    };
    let t = TransitionInput {
        note: input.note.clone(),
        attachments: input.attachments.clone(),
        ..TransitionInput::default()
    };
    let action = Action::SubmitRectification;
    let checked =
        crate::prevention::hazards::check(store, ctx, now_ms, hazard_id, action, &t).await?;
    let mut tx = store.begin().await?;
    if let Some(checked) = grade {
        let step = Step {
            id: hazard_id,
            action: Action::Grade,
            checked,
            attachments: &[],
        };
        hazards::transition_in(&mut tx, ctx, now_ms, step).await?;
    }
    let step = Step {
        id: hazard_id,
        action,
        checked,
        attachments: &t.attachments,
    };
    hazards::transition_in(&mut tx, ctx, now_ms, step).await?;
    tx.commit().await?;
    finding_review(store, ctx, finding).await
}

/// The task's inspector's 复查 of a finding: 合格 accepts the rectification (the loop's 验收,
/// the hazard closed), 不合格 rejects it with the opinion (驳回, back to 整改中).
pub async fn review(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    task_id: &str,
    hazard_id: &str,
    input: &ReviewInput,
) -> StoreResult<FindingReview> {
    let task = inspections::task(store, ctx, task_id).await?;
    if !task.team.iter().any(|m| m.user_id == ctx.user_id) {
        return Err(StoreError::Forbidden(NOT_ON_TASK.into()));
    }
    let (_, finding) = finding_of(store, ctx, task_id, hazard_id).await?;
    let accept = rules::check_review(input)?;
    let action = if accept {
        Action::Accept
    } else {
        Action::Reject
    };
    let t = TransitionInput {
        note: input.note.clone().filter(|n| !n.trim().is_empty()),
        ..TransitionInput::default()
    };
    crate::prevention::hazards::transition(store, ctx, now_ms, hazard_id, action, &t).await?;
    finding_review(store, ctx, finding).await
}

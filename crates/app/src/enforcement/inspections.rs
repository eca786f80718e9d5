//! 现场检查: the dossier and checklist of a task, recording the inspection (each finding a
//! hazard of the closed loop, source 执法检查, in the same transaction as the record; the task
//! done) and the signatures of the inspectors and the enterprise's representative.

use yingji_core::enforcement::inspection::{
    self as rules, ALREADY_RECORDED, CheckItem, InspectionInput, NOT_ON_TASK, RECORD_FIRST,
    SIGNATURE_NOT_PNG, SignatureInput, TASK_CANCELLED,
};
use yingji_core::enforcement::joint_record as joint_rules;
use yingji_core::kernel::photo::Size;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::HazardInput;
use yingji_store::enforcement::dossier::{self, Dossier};
use yingji_store::enforcement::inspections::{self, NewFinding, Record};
use yingji_store::enforcement::joint_record;
use yingji_store::enforcement::tasks::Task;
use yingji_store::kernel::{Ctx, attachments};
use yingji_store::prevention::{criteria, hazards};
use yingji_store::{Store, StoreError, StoreResult};

/// The task if the caller is one of its inspectors.
async fn own_task(store: &Store, ctx: &Ctx, task_id: &str) -> StoreResult<Task> {
    let task = inspections::task(store, ctx, task_id).await?;
    let team: Vec<&str> = task.team.iter().map(|m| m.user_id.as_str()).collect();
    if !rules::may_record(&ctx.user_id, &team) {
        return Err(StoreError::Forbidden(NOT_ON_TASK.into()));
    }
    Ok(task)
}

/// The enterprise's dossier, for a task the caller may see.
pub async fn dossier(store: &Store, ctx: &Ctx, task_id: &str) -> StoreResult<Dossier> {
    let task = inspections::task(store, ctx, task_id).await?;
    dossier::of(store, &task.enterprise_id).await
}

/// The checklist of a task: the criteria of the enterprise's industry, then the bureau's items.
pub async fn checklist(store: &Store, ctx: &Ctx, task_id: &str) -> StoreResult<Vec<CheckItem>> {
    let task = inspections::task(store, ctx, task_id).await?;
    checklist_of(store, &task).await
}

async fn checklist_of(store: &Store, task: &Task) -> StoreResult<Vec<CheckItem>> {
    let enterprise = dossier::enterprise(store, &task.enterprise_id).await?;
    let criteria = criteria::active(store).await?;
    if task.kind == "joint" {
        // Each taking part department's items, named by their department.
        let parts = joint_record::parts(store, task).await?;
        let mut list = rules::build_checklist(&criteria, &enterprise.categories, None);
        list.extend(joint_rules::part_lines(&parts));
        return Ok(list);
    }
    let content = inspections::item_content(store, &task.item_id).await?;
    Ok(rules::build_checklist(
        &criteria,
        &enterprise.categories,
        content.as_deref(),
    ))
}

/// Records the inspection of a task: the record, its checklist, a hazard per finding (重大 at
/// once when it meets a criterion) and the task done, all in one transaction; a bad row stores
/// nothing.
pub async fn record(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    task_id: &str,
    input: &InspectionInput,
) -> StoreResult<Record> {
    let task = own_task(store, ctx, task_id).await?;
    match task.status.as_str() {
        "done" => return Err(StoreError::conflict("task_id", ALREADY_RECORDED)),
        "cancelled" => return Err(StoreError::conflict("task_id", TASK_CANCELLED)),
        _ => {}
    }
    let list = checklist_of(store, &task).await?;
    let criteria = criteria::active(store).await?;
    let checked = rules::check_inspection(input, &list, &criteria)?;
    let parts = joint_record::parts(store, &task).await?;
    let attribution = joint_rules::attribute(input, &list, &parts)?;
    let hctx = joint_ctx(store, ctx, &task).await?;
    let ctx = &hctx;
    let mut tx = store.begin().await?;
    let mut hazard_ids = Vec::new();
    for (i, f) in checked.findings.iter().enumerate() {
        let h = HazardInput {
            source: Some("inspection".into()),
            enterprise_id: Some(task.enterprise_id.clone()),
            location: f.location.clone(),
            category: f.category.clone(),
            description: f.description.clone(),
            level: Some(f.level.as_str().into()),
            findings: f.criterion.iter().cloned().collect(),
            attachments: f.photo_ids.clone(),
            ..Default::default()
        };
        let id = hazards::create_in(&mut tx, store, ctx, now_ms, &h)
            .await
            .map_err(|e| in_row(e, i))?;
        hazard_ids.push(id);
    }
    let findings: Vec<NewFinding> = checked
        .findings
        .iter()
        .zip(&hazard_ids)
        .map(|(f, h)| NewFinding {
            criterion_code: f.criterion.as_ref().map(|c| c.code.as_str()),
            category: &f.category,
            description: &f.description,
            location: &f.location,
            level: f.level,
            photo_ids: &f.photo_ids,
            hazard_id: h,
        })
        .collect();
    let id = inspections::record_in(&mut tx, ctx, now_ms, &task, &checked, &findings).await?;
    let joint = task.kind == "joint";
    joint_record::attribute_in(&mut tx, &id, joint, &attribution, &hazard_ids).await?;
    tx.commit().await?;
    inspections::get(store, ctx, &id).await
}

/// On a joint task the team inspects the enterprise for every taking part department: the
/// recorder's department supervises it for this visit (its categories added to the
/// department's), so a department that does not supervise the enterprise alone may record.
async fn joint_ctx(store: &Store, ctx: &Ctx, task: &Task) -> StoreResult<Ctx> {
    let mut c = ctx.clone();
    if let (true, Scope::Department { categories, .. }) = (task.kind == "joint", &mut c.scope) {
        let enterprise = dossier::enterprise(store, &task.enterprise_id).await?;
        for k in enterprise.categories {
            if !categories.contains(&k) {
                categories.push(k);
            }
        }
    }
    Ok(c)
}

/// A hazard's field error, named as the finding's row (attachments → photo_ids).
fn in_row(e: StoreError, i: usize) -> StoreError {
    match e {
        StoreError::Invalid(mut inv) => {
            for f in &mut inv.0 {
                let name = if f.field == "attachments" {
                    "photo_ids"
                } else {
                    f.field.as_str()
                };
                f.field = format!("findings[{i}].{name}");
            }
            StoreError::Invalid(inv)
        }
        e => e,
    }
}

/// Records a signature on a task's inspection: an inspector of the task (drawn) or the
/// enterprise's representative (drawn, or refused with why).
pub async fn sign(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    task_id: &str,
    input: &SignatureInput,
) -> StoreResult<Record> {
    let task = own_task(store, ctx, task_id).await?;
    let record = inspections::by_task(store, ctx, task_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::conflict("task_id", RECORD_FIRST),
            e => e,
        })?;
    let signed = inspections::signatures(store, &record.id).await?;
    let signed: Vec<Option<&str>> = signed.iter().map(|s| s.signer_user_id.as_deref()).collect();
    let team: Vec<(&str, &str)> = task
        .team
        .iter()
        .map(|m| (m.user_id.as_str(), m.name.as_str()))
        .collect();
    let checked = rules::check_signature(input, &team, &signed)?;
    if let Some(image) = &checked.image_id {
        png_of_caller(store, ctx, image).await?;
    }
    let mut tx = store.begin().await?;
    inspections::sign_in(&mut tx, ctx, now_ms, &task, &record.id, &checked).await?;
    tx.commit().await?;
    inspections::get(store, ctx, &record.id).await
}

/// A signature image: a PNG by its content, uploaded by the caller, not linked yet.
pub(super) async fn png_of_caller(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<()> {
    let refused = || StoreError::invalid("image_id", SIGNATURE_NOT_PNG);
    let stored = attachments::get(store, id, Size::Original)
        .await
        .map_err(|_| refused())?;
    let png = stored
        .bytes
        .as_deref()
        .is_some_and(|b| yingji_core::kernel::attachment::sniff(b) == Some("image/png"));
    if !png
        || stored.meta.owner_id.is_some()
        || stored.uploaded_by.as_deref() != Some(ctx.user_id.as_str())
    {
        return Err(refused());
    }
    Ok(())
}

//! 会商研判: hold a meeting (its link checked: the process, warning or incident exists and the
//! caller may see it; departments and owners exist), complete an action (the owner department
//! or person, or the bureau), each in one transaction with its audit record.

use yingji_core::disasters::consultations::{
    Known, LinkKind, MeetingInput, NOT_A_HOST, NOT_THE_OWNER, check_meeting, check_note,
    completed_summary, created_summary, may_complete, may_host,
};
use yingji_core::kernel::role::Scope;
use yingji_store::disasters::consultations::{self as rows, Consultation, NewMeeting};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory, disasters, response, warning};

/// The linked record's name, or a 400 naming the field when it is missing or out of sight.
async fn link_label(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    kind: LinkKind,
    id: &str,
) -> StoreResult<String> {
    let found = match kind {
        LinkKind::Process => disasters::processes::get(store, ctx, id)
            .await
            .map(|p| p.name),
        LinkKind::Warning => warning::get(store, &ctx.scope, id, now_ms)
            .await
            .map(|w| w.headline),
        LinkKind::Incident => response::incidents::get(store, &ctx.scope, id, now_ms)
            .await
            .map(|i| i.title),
    };
    match found {
        Err(StoreError::NotFound | StoreError::Forbidden(_)) => Err(StoreError::invalid(
            kind.field(),
            format!("关联的{}“{id}”不存在或不在您的管辖范围内", kind.label()),
        )),
        other => other,
    }
}

/// Holds a meeting: its actions' deadlines start.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &MeetingInput,
    material: &[String],
) -> StoreResult<Consultation> {
    if !may_host(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_HOST.into()));
    }
    let departments: Vec<(String, String)> = directory::departments::list(store, &ctx.scope)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut named: Vec<String> = input
        .actions
        .iter()
        .filter_map(|a| a.owner_user_id.clone())
        .collect();
    named.extend(input.host_user_id.clone());
    named.retain(|s| !s.trim().is_empty());
    let users = rows::users_named(store, &named).await?;
    let known = Known {
        departments: &departments,
        users: &users,
        caller: (&ctx.user_id, &ctx.display_name),
    };
    let checked = check_meeting(input, &known, now_ms)?;
    let label = link_label(store, ctx, now_ms, checked.link.0, &checked.link.1).await?;
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    let summary = created_summary(
        &checked.kind,
        &checked.topic,
        &format!("{}“{label}”", checked.link.0.label()),
        checked.actions.len(),
    );
    let mut tx = store.begin().await?;
    let id = rows::create_in(
        &mut tx,
        ctx,
        now_ms,
        NewMeeting {
            district: &district,
            checked: &checked,
            link_label: &label,
            material,
            summary,
        },
    )
    .await?;
    tx.commit().await?;
    rows::get(store, ctx, &id).await
}

/// Completes an action of a meeting the caller sees: its deadline timer is cancelled.
pub async fn complete(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    meeting: &str,
    action: &str,
    note: Option<&str>,
) -> StoreResult<Consultation> {
    let m = rows::get(store, ctx, meeting).await?;
    let a = rows::action(store, &m.id, action).await?;
    let department = match &ctx.scope {
        Scope::Department { department_id, .. } => Some(department_id.as_str()),
        _ => None,
    };
    if !may_complete(
        ctx.role,
        &ctx.user_id,
        department,
        a.owner_department_id.as_deref(),
        a.owner_user_id.as_deref(),
    ) {
        return Err(StoreError::Forbidden(NOT_THE_OWNER.into()));
    }
    let note = check_note(note)?;
    let summary = completed_summary(&m.topic, &a.text, now_ms >= a.due_ms);
    let mut tx = store.begin().await?;
    rows::complete_in(&mut tx, ctx, now_ms, &a, note, summary).await?;
    tx.commit().await?;
    rows::get(store, ctx, meeting).await
}

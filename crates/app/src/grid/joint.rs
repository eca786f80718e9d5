//! 大联动: the lead unit (the event's unit) or the duty room turns an event into a joint task
//! with cooperating units' parts and deadlines; each cooperating unit reports its part done;
//! the lead releases a part saying why; 处置完成 waits for every part (`ensure_parts_done_in`).

use super::events::unit_name;
use yingji_core::grid::events::{Status, is_unit};
use yingji_core::grid::joint::{
    self as rules, NOT_A_LEAD, NOT_THE_PART_UNIT, PartInput, PartStatus, check_parts, may_lead,
    part_line,
};
use yingji_store::grid::events::{self as reads, GridEvent};
use yingji_store::grid::joint::{self as store_joint, Finish, NewPart, Part};
use yingji_store::kernel::Ctx;
use yingji_store::{Page, Store, StoreError, StoreResult, Tx};

/// An event's joint task as the caller sees it.
#[derive(Debug, Clone)]
pub struct JointView {
    pub event: GridEvent,
    pub parts: Vec<Part>,
    /// The caller may add parts and release them (the lead unit or the duty room).
    pub may_lead: bool,
    /// The ids of the open parts the caller may report done.
    pub mine: Vec<String>,
}

fn is_part_unit(ctx: &Ctx, p: &Part) -> bool {
    is_unit(
        ctx.role,
        &ctx.scope,
        Some(p.unit_kind.as_str()),
        Some(p.unit_id.as_str()),
    )
}

fn leads(ctx: &Ctx, e: &GridEvent) -> bool {
    may_lead(
        ctx.role,
        &ctx.scope,
        e.unit_kind.as_deref(),
        e.unit_id.as_deref(),
    )
}

impl JointView {
    /// How the caller sees an event's parts.
    pub fn of(ctx: &Ctx, event: GridEvent, parts: Vec<Part>) -> Self {
        let mine = parts
            .iter()
            .filter(|p| p.status == PartStatus::Open.as_str() && is_part_unit(ctx, p))
            .map(|p| p.id.clone())
            .collect();
        Self {
            may_lead: leads(ctx, &event),
            event,
            parts,
            mine,
        }
    }
}

/// The joint task of an event the caller may read (no parts: not a joint task yet).
pub async fn view(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<JointView> {
    let event = reads::get(store, ctx, id).await?;
    let parts = store_joint::parts(store, &event.id).await?;
    Ok(JointView::of(ctx, event, parts))
}

/// Parts may be added or finished while the event is with its unit (待签收 or 处置中).
fn in_progress(e: &GridEvent) -> StoreResult<()> {
    if matches!(
        Status::parse(&e.status),
        Some(Status::Dispatched | Status::Accepted)
    ) {
        return Ok(());
    }
    Err(StoreError::conflict(
        "status",
        format!("事件{}，不能再调整联动任务", e.status_label),
    ))
}

/// Starts the joint task, or adds parts to it: each cooperating unit's part and deadline.
pub async fn start(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &[PartInput],
) -> StoreResult<JointView> {
    let e = reads::get(store, ctx, id).await?;
    if !leads(ctx, &e) {
        return Err(StoreError::Forbidden(NOT_A_LEAD.into()));
    }
    in_progress(&e)?;
    let lead = (e.unit_kind.as_deref(), e.unit_id.as_deref());
    let checked = check_parts(input, lead, now_ms)?;
    let existing = store_joint::parts(store, &e.id).await?;
    let mut names = Vec::with_capacity(checked.len());
    for (i, c) in checked.iter().enumerate() {
        let field = format!("parts[{i}].unit_id");
        if existing
            .iter()
            .any(|p| p.unit_kind == c.unit_kind.as_str() && p.unit_id == c.unit_id)
        {
            return Err(StoreError::invalid(
                &field,
                format!("第{}项的协办单位已在联动任务中", i + 1),
            ));
        }
        let name = unit_name(store, c.unit_kind, &c.unit_id)
            .await
            .map_err(|_| {
                StoreError::invalid(
                    &field,
                    format!("第{}项的协办单位“{}”不存在", i + 1, c.unit_id),
                )
            })?;
        names.push(name);
    }
    let parts: Vec<NewPart<'_>> = checked
        .iter()
        .zip(&names)
        .map(|(c, n)| NewPart {
            unit_kind: c.unit_kind.as_str(),
            unit_id: &c.unit_id,
            unit_name: n,
            task: &c.task,
            due_ms: c.due_ms,
        })
        .collect();
    let lines: Vec<String> = parts
        .iter()
        .map(|p| part_line(p.unit_name, p.task, p.due_ms))
        .collect();
    let lead_name = e.unit_name.clone().unwrap_or_default();
    let summary = rules::started_summary(&e.title, &lead_name, &names);
    let mut tx = store.begin().await?;
    store_joint::start_in(&mut tx, &ctx.actor, now_ms, &e, &parts, (&lines, summary)).await?;
    tx.commit().await?;
    view(store, ctx, id).await
}

async fn part_of(store: &Store, e: &GridEvent, part_id: &str) -> StoreResult<Part> {
    store_joint::parts(store, &e.id)
        .await?
        .into_iter()
        .find(|p| p.id == part_id)
        .ok_or(StoreError::NotFound)
}

/// The cooperating unit reports its part done, with a note and photos.
pub async fn complete(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    (id, part_id): (&str, &str),
    note: &str,
    photos: &[String],
) -> StoreResult<JointView> {
    let e = reads::get(store, ctx, id).await?;
    let part = part_of(store, &e, part_id).await?;
    if !is_part_unit(ctx, &part) {
        return Err(StoreError::Forbidden(NOT_THE_PART_UNIT.into()));
    }
    in_progress(&e)?;
    let note = yingji_core::grid::events::check_text("note", "完成情况", note, 1000)?;
    let f = Finish {
        to: PartStatus::Done,
        note: &note,
        photos,
        record: (
            "联动任务完成",
            "grid.joint_part_done",
            rules::done_summary(&e.title, &part.unit_name),
        ),
    };
    let mut tx = store.begin().await?;
    store_joint::finish_in(&mut tx, &ctx.actor, now_ms, &part, f).await?;
    tx.commit().await?;
    view(store, ctx, id).await
}

/// The lead unit (or the duty room) releases an open part, saying why.
pub async fn waive(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    (id, part_id): (&str, &str),
    reason: &str,
) -> StoreResult<JointView> {
    let e = reads::get(store, ctx, id).await?;
    if !leads(ctx, &e) {
        return Err(StoreError::Forbidden(NOT_A_LEAD.into()));
    }
    let part = part_of(store, &e, part_id).await?;
    in_progress(&e)?;
    let reason = yingji_core::grid::events::check_reason("reason", "不再办理的原因", reason)?;
    let f = Finish {
        to: PartStatus::Waived,
        note: &reason,
        photos: &[],
        record: (
            "联动任务不再办理",
            "grid.joint_part_waived",
            rules::waived_summary(&e.title, &part.unit_name, &reason),
        ),
    };
    let mut tx = store.begin().await?;
    store_joint::finish_in(&mut tx, &ctx.actor, now_ms, &part, f).await?;
    tx.commit().await?;
    view(store, ctx, id).await
}

/// 处置完成 waits for every part: a 409 naming the open ones.
pub async fn ensure_parts_done_in(tx: &mut Tx, event_id: &str) -> StoreResult<()> {
    let open = store_joint::open_units_in(tx, event_id).await?;
    if open.is_empty() {
        return Ok(());
    }
    Err(StoreError::conflict(
        "parts",
        rules::parts_open_message(&open),
    ))
}

/// The joint tasks the caller may read (the duty room: the district's).
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    open: bool,
    mine: bool,
    page: Page,
) -> StoreResult<(Vec<(GridEvent, Vec<Part>)>, i64)> {
    if !yingji_core::grid::events::may_read(ctx.role) {
        return Err(StoreError::Forbidden(
            yingji_core::grid::events::NOT_A_READER.into(),
        ));
    }
    let (events, total) = store_joint::list(store, ctx, (open, mine), page).await?;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let parts = store_joint::parts(store, &e.id).await?;
        out.push((e, parts));
    }
    Ok((out, total))
}

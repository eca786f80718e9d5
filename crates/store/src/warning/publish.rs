//! Authoring warnings: the draft's checks and reads, and the writes of create, approve,
//! publish and cancel inside the use case's transaction (yingji-app `warning::publish`, which
//! renders the CAP message and hands its XML here).

use super::{Warning, bbox, get, polygons_of_regions};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use yingji_core::kernel::geo;
use yingji_core::kernel::role::Scope;
use yingji_core::warning::cap::polygons_of_geojson;
use yingji_core::warning::{self as rules, Step};

use yingji_core::warning::authoring::{self as words, Superseded, check_warning};
pub use yingji_core::warning::authoring::{StepInput, WarningInput};

/// A checked draft with what it was read into: its area, texts, publisher and the warning it
/// updates.
#[derive(Debug, Clone)]
pub struct Draft {
    pub polygons: Vec<geo::Polygon>,
    pub district: String,
    pub bureau: String,
    pub sender: String,
    pub event_label: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
    pub area_desc: String,
    pub effective_ms: i64,
    pub expires_ms: i64,
    pub supersedes: Option<String>,
}

/// Checks a new warning (the author's role, its area, the warning it updates, the regions in
/// scope) and reads what its row is written from.
pub async fn draft(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &WarningInput,
) -> StoreResult<Draft> {
    if !yingji_core::warning::access::may_author_warnings(ctx.role) {
        return Err(StoreError::Forbidden(words::MAY_NOT_AUTHOR.into()));
    }
    let drawn = input.area.as_ref().map(polygons_of_geojson);
    let (superseded, supersedes) = match input.supersedes.as_deref() {
        Some(id) => match get(store, &ctx.scope, id, now_ms).await {
            Ok(w) if w.status == "published" && w.msg_type != "Cancel" => {
                (Superseded::Updatable, Some(w))
            }
            Ok(_) => (Superseded::NotUpdatable, None),
            Err(StoreError::NotFound) => (Superseded::Missing, None),
            Err(e) => return Err(e),
        },
        None => (Superseded::None, None),
    };
    let c = check_warning(input, now_ms, drawn, superseded)?;
    if let Some(code) = input
        .region_codes
        .iter()
        .find(|c| !ctx.scope.covers_region(c))
    {
        return Err(StoreError::Forbidden(words::region_out_of_scope(code)));
    }
    let (mut polygons, names) = polygons_of_regions(store, &input.region_codes).await?;
    polygons.extend(c.drawn);
    let district = crate::directory::regions::district_of_scope(store, &ctx.scope).await?;
    let (bureau, sender) = publisher(store, &district).await?;
    let headline = c
        .headline
        .unwrap_or_else(|| words::default_headline(&bureau, &input.event_code, input.level));
    let area_desc = c
        .area_desc
        .unwrap_or_else(|| words::default_area_desc(&names));
    Ok(Draft {
        polygons,
        district,
        bureau,
        sender,
        event_label: rules::event_label(&input.event_code).into(),
        headline,
        description: c.description,
        instruction: c.instruction,
        area_desc,
        effective_ms: c.effective_ms,
        expires_ms: c.expires_ms,
        supersedes: supersedes.map(|w| w.id),
    })
}

/// Inserts draft `id` and its audit record.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &WarningInput,
    d: &Draft,
) -> StoreResult<()> {
    let b = bbox(&d.polygons);
    let mut q = Sql::new(
        "INSERT INTO warnings (id, identifier, sender, sent_ms, msg_type, cap_status, origin, status, event_code, event_text, level, headline, description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, supersedes, author, author_id, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        // Drafts get their GB/T 35965.1 identifier when published; until then a unique placeholder.
        format!("draft-{id}").into(),
        d.sender.clone().into(),
        None::<i64>.into(),
        if d.supersedes.is_some() {
            "Update"
        } else {
            "Alert"
        }
        .into(),
        "Actual".into(),
        "authored".into(),
        "draft".into(),
        input.event_code.clone().into(),
        d.event_label.clone().into(),
        input.level.into(),
        d.headline.clone().into(),
        d.description.clone().into(),
        d.instruction.clone().into(),
        d.bureau.clone().into(),
        d.area_desc.clone().into(),
        serde_json::to_string(&d.polygons)
            .unwrap_or_default()
            .into(),
        yingji_core::directory::enterprise::join_codes(&input.region_codes).into(),
        b.min_lon.into(),
        b.min_lat.into(),
        b.max_lon.into(),
        b.max_lat.into(),
        d.effective_ms.into(),
        d.expires_ms.into(),
        d.district.clone().into(),
        d.supersedes.clone().into(),
        ctx.display_name.clone().into(),
        Some(ctx.user_id.clone()).into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    log(
        tx,
        &ctx.actor,
        now_ms,
        "warning.create",
        id,
        words::created_summary(&d.headline),
    )
    .await
}

/// The district's issuing bureau and CAP sender, by its rule `warning.publisher` (default: the
/// district's name + 应急管理局, `yjj.{code}@yingji`).
pub(super) async fn publisher(store: &Store, district: &str) -> StoreResult<(String, String)> {
    let p = crate::prevention::rules::current(store, district)
        .await?
        .rules
        .warning
        .publisher;
    let name = crate::directory::regions::get(store, &Scope::All, district)
        .await
        .map(|r| r.name)
        .unwrap_or_else(|_| district.to_string());
    Ok((p.name_for(&name), p.sender_for(district)))
}

pub async fn log(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    action: &str,
    id: &str,
    summary: String,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of(action, "warning", id, summary),
    )
    .await?;
    Ok(())
}

/// Who wrote warning `id` (none for a message taken in).
pub async fn author_of(store: &Store, id: &str) -> StoreResult<Option<String>> {
    let mut q = Sql::new("SELECT author_id FROM warnings WHERE id = ");
    q.bind(id);
    Ok(store
        .fetch_optional(q)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .flatten())
}

fn taken_by_another() -> StoreError {
    StoreError::conflict("action", "预警刚刚被他人处理，请刷新")
}

/// 审核发布: publishes pending warning `id` as CAP message `identifier` (`xml`), supersedes the
/// warning it updates and targets it.
pub async fn approve_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    identifier: String,
    xml: String,
    previous: Option<&str>,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE warnings SET status = 'published', identifier = ");
    u.bind(identifier)
        .push_bind(", sent_ms = ", now_ms)
        .push_bind(", cap_xml = ", xml)
        .push_bind(", approver = ", ctx.display_name.clone())
        .push_bind(", approved_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'pending' AND id = ", id);
    if u.execute(&mut *tx).await? == 0 {
        return Err(taken_by_another());
    }
    if let Some(p) = previous {
        let mut s = Sql::new("UPDATE warnings SET status = 'superseded', updated_ms = ");
        s.bind(now_ms)
            .push_bind(" WHERE status = 'published' AND id = ", p);
        s.execute(&mut *tx).await?;
    }
    crate::warning::targeting::apply(tx, now_ms, id).await?;
    Ok(())
}

/// 解除: the CAP Cancel message `identifier` (`xml`) as a warning of its own, referencing
/// warning `w`, which is cancelled; the Cancel is targeted. Answers the Cancel's id.
pub async fn cancel_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    w: &Warning,
    identifier: String,
    xml: String,
    note: Option<String>,
) -> StoreResult<String> {
    let cid = crate::new_id();
    let cid = cid.as_str();
    let mut ins = Sql::new(
        "INSERT INTO warnings (id, identifier, sender, sent_ms, msg_type, cap_status, origin, status, event_code, event_text, level, headline, description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, cap_xml, supersedes, author, author_id, approver, approved_ms, note, created_ms, updated_ms) \
         SELECT ",
    );
    ins.bind(cid.to_string())
        .push(", ")
        .bind(identifier)
        .push(", sender, ")
        .bind(now_ms)
        .push(", 'Cancel', cap_status, origin, 'published', event_code, event_text, level, ")
        .bind(words::cancel_headline(&w.headline))
        .push(", description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, ")
        .bind(xml)
        .push(", id, ")
        .bind(ctx.display_name.clone())
        .push(", ")
        .bind(ctx.user_id.clone())
        .push(", ")
        .bind(ctx.display_name.clone())
        .push(", ")
        .bind(now_ms)
        .push(", ")
        .bind(note)
        .push(", ")
        .bind(now_ms)
        .push(", ")
        .bind(now_ms)
        .push_bind(" FROM warnings WHERE id = ", w.id.as_str());
    ins.execute(&mut *tx).await?;
    let mut u = Sql::new("UPDATE warnings SET status = 'cancelled', updated_ms = ");
    u.bind(now_ms)
        .push_bind(" WHERE status = 'published' AND id = ", w.id.as_str());
    if u.execute(&mut *tx).await? == 0 {
        return Err(taken_by_another());
    }
    crate::warning::targeting::apply(tx, now_ms, cid).await?;
    Ok(cid.to_string())
}

/// 提交审核 / 退回: moves warning `w` from its status to `next`.
pub async fn step_in(
    tx: &mut Tx,
    now_ms: i64,
    w: &Warning,
    next: &str,
    note: Option<String>,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE warnings SET status = ");
    u.bind(next.to_string())
        .push_bind(", note = ", note)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", w.id.as_str())
        .push_bind(" AND status = ", w.status.clone());
    if u.execute(&mut *tx).await? == 0 {
        return Err(taken_by_another());
    }
    Ok(())
}

/// The audit record of a step on warning `id`.
pub async fn log_step_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    action: &str,
    step: Step,
    headline: &str,
) -> StoreResult<()> {
    log(
        tx,
        actor,
        now_ms,
        &format!("warning.{action}"),
        id,
        words::step_summary(step, headline),
    )
    .await
}

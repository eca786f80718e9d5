//! 汛期三查 and 群测群防 patrol logs: filed on the phone page for a duty object, with photos; an
//! 异常 finding notifies the object's 行政责任人 and 技术责任人 (in the app, and by SMS).

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::warning::targeting::{ProtectedObject, push_region};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::disasters::flood::{self, CheckedPatrol, patrol_kind_label};
use yingji_core::disasters::flood_access as access;
use yingji_core::warning::target::kind_label;

#[derive(Debug, Clone, Serialize)]
pub struct PatrolLog {
    pub id: String,
    pub object_id: String,
    pub object_name: String,
    pub object_kind_label: String,
    pub kind: String,
    pub kind_label: String,
    pub at_ms: i64,
    pub lon: f64,
    pub lat: f64,
    pub place: String,
    /// normal / abnormal
    pub result: String,
    pub finding: Option<String>,
    pub street_code: String,
    pub by_name: String,
    /// Photo attachment ids.
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PatrolFilter {
    pub object_id: Option<String>,
    pub street: Option<String>,
    pub abnormal: bool,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

const SELECT: &str = "SELECT p.*, o.name AS o_name, o.kind AS o_kind FROM flood_patrol_logs p JOIN protected_objects o ON o.id = p.object_id WHERE 1 = 1";

fn log_from_row(r: &sqlx::any::AnyRow, attachments: Vec<String>) -> StoreResult<PatrolLog> {
    let kind: String = r.try_get("kind")?;
    let okind: String = r.try_get("o_kind")?;
    Ok(PatrolLog {
        id: r.try_get("id")?,
        object_id: r.try_get("object_id")?,
        object_name: crate::kernel::keys::open(r.try_get("o_name")?),
        object_kind_label: kind_label(&okind).into(),
        kind_label: patrol_kind_label(&kind).into(),
        kind,
        at_ms: r.try_get("at_ms")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        place: r.try_get("place")?,
        result: r.try_get("result")?,
        finding: r.try_get("finding")?,
        street_code: r.try_get("street_code")?,
        by_name: r.try_get("by_name")?,
        attachments,
    })
}

/// The patrol logs the caller sees, newest first (up to 500).
pub async fn list(store: &Store, ctx: &Ctx, f: &PatrolFilter) -> StoreResult<Vec<PatrolLog>> {
    super::flood::forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(SELECT);
    if let Some(o) = &f.object_id {
        q.push_bind(" AND p.object_id = ", o.as_str());
    }
    if let Some(s) = f.street.as_deref().filter(|s| !s.is_empty()) {
        q.push_bind(" AND p.street_code = ", s);
    }
    if f.abnormal {
        q.push(" AND p.result = 'abnormal'");
    }
    if let Some(t) = f.from_ms {
        q.push_bind(" AND p.at_ms >= ", t);
    }
    if let Some(t) = f.to_ms {
        q.push_bind(" AND p.at_ms < ", t);
    }
    push_region(&mut q, "p", &ctx.scope);
    q.push(" ORDER BY p.at_ms DESC, p.id LIMIT 500");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let id: String = r.try_get("id")?;
        let photos = crate::kernel::attachments::list_for(store, &id)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        out.push(log_from_row(&r, photos)?);
    }
    Ok(out)
}

/// One log the caller sees.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<PatrolLog> {
    super::flood::forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND p.id = ", id);
    push_region(&mut q, "p", &ctx.scope);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let photos = crate::kernel::attachments::list_for(store, id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    log_from_row(&r, photos)
}

/// Writes a checked log for `object` (a duty object the caller sees) with its photos, audits
/// it, and on 异常 tells the 行政 and 技术责任人: the new log's id.
pub async fn file_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    object: &ProtectedObject,
    p: &CheckedPatrol,
    attachments: &[String],
) -> StoreResult<String> {
    super::flood::forbid_unless(access::may_file_patrol(ctx.role))?;
    if !ctx.scope.covers_region(&object.region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    let id = new_id();
    let street = object.region_code.get(..9).unwrap_or(&object.region_code);
    let mut q = Sql::new(
        "INSERT INTO flood_patrol_logs (id, object_id, kind, at_ms, lon, lat, place, result, finding, region_code, street_code, by_user, by_name, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        object.id.as_str().into(),
        p.kind.as_str().into(),
        p.at_ms.into(),
        p.lon.into(),
        p.lat.into(),
        p.place.as_str().into(),
        if p.abnormal { "abnormal" } else { "normal" }.into(),
        p.finding.clone().into(),
        object.region_code.as_str().into(),
        street.into(),
        ctx.user_id.as_str().into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let by = Some(ctx.user_id.as_str());
    crate::kernel::attachments::link(tx, attachments, "flood_patrol_log", &id, by, "attachments")
        .await?;
    let summary = format!(
        "{}：{}（{}）",
        patrol_kind_label(&p.kind),
        object.name,
        if p.abnormal { "异常" } else { "正常" }
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of("flood.patrol", "flood_patrol_log", &id, summary),
    )
    .await?;
    if let (true, Some(finding)) = (p.abnormal, &p.finding) {
        let holders =
            super::flood::holders_in(tx, &object.id, &["administrative", "technical"]).await?;
        let (title, body) =
            flood::abnormal_notice(&object.name, &p.kind, &ctx.display_name, finding);
        let msg = yingji_core::kernel::notify::Message {
            event: "flood.patrol_abnormal".into(),
            title,
            body,
            link: format!("/disasters/flood/patrols?object={}", object.id),
            subject_id: id.clone(),
        };
        let users: Vec<String> = holders.iter().filter_map(|h| h.1.clone()).collect();
        crate::kernel::notifications::send(
            tx,
            now_ms,
            &users,
            &msg.title,
            &msg.body,
            Some(&msg.link),
        )
        .await?;
        let people: Vec<(String, String, Option<String>)> = holders
            .into_iter()
            .map(|(_, u, n, ph)| (u.unwrap_or_default(), n, Some(ph)))
            .collect();
        crate::kernel::outbox::text_people(tx, now_ms, &people, &msg).await?;
    }
    Ok(id)
}

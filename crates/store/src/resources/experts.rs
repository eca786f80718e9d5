//! 专家库: the expert register, with specialities by section.

use super::{
    ResourceFilter, active_of, audit_change, check_region, district_of, forbid_outside,
    forbid_unless_manager, push_active, push_q, push_visible,
};
use crate::kernel::Ctx;
use crate::kernel::audit::Change;
use crate::kernel::keys;
use crate::kernel::rows::{Target, write_row};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::personal::mask_phone;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::experts::{check_expert, expert_status_label, expert_summary};
use yingji_core::resources::register::Register;
use yingji_core::resources::{EXPERT_SECTIONS, cell_of, label};

pub use yingji_core::resources::experts::ExpertInput;

#[derive(Debug, Clone, Serialize)]
pub struct Expert {
    pub id: String,
    pub name: String,
    pub sections: Vec<String>,
    pub section_labels: Vec<String>,
    pub specialties: Vec<String>,
    pub title: String,
    pub employer: String,
    pub phone: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    /// available / dispatched
    pub status: String,
    pub status_label: String,
    pub incident_id: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

pub(super) fn expert_from_row(r: &AnyRow) -> StoreResult<Expert> {
    let sections = split_codes(&r.try_get::<String, _>("sections")?);
    let status: String = r.try_get("status")?;
    Ok(Expert {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        section_labels: sections
            .iter()
            .map(|s| label(EXPERT_SECTIONS, s).to_string())
            .collect(),
        sections,
        specialties: split_codes(&r.try_get::<String, _>("specialties")?),
        title: r.try_get("title")?,
        employer: r.try_get("employer")?,
        phone: keys::open(r.try_get("phone")?),
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        status_label: expert_status_label(&status).into(),
        status,
        incident_id: r.try_get("incident_id")?,
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

pub(super) const EXPERT_COLUMNS: &[&str] = &[
    "id",
    "name",
    "sections",
    "specialties",
    "title",
    "employer",
    "phone",
    "lon",
    "lat",
    "cell",
    "region_code",
    "district_code",
    "status",
    "created_ms",
    "updated_ms",
];

/// Enters an expert (`existing` None) or edits one, in the caller's transaction.
pub async fn save_expert(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &ExpertInput,
) -> StoreResult<String> {
    forbid_unless_manager(ctx)?;
    if let Some(id) = existing {
        let e = get_expert(store, &ctx.scope, id).await?;
        forbid_outside(ctx, &e.region_code, Register::Experts)?;
    }
    let e = check_expert(input)?;
    let region = check_region(store, ctx, "region_code", &input.region_code).await?;
    let id = existing.map_or_else(new_id, str::to_string);
    // Dispatch owns the status.
    let target = Target::of(existing, &["status"]);
    write_row(
        tx,
        "experts",
        EXPERT_COLUMNS,
        vec![
            id.clone().into(),
            e.name.clone().into(),
            join_codes(&e.sections).into(),
            join_codes(&e.specialties).into(),
            e.title.clone().into(),
            e.employer.clone().into(),
            keys::seal(&e.phone)?.into(),
            e.lon.into(),
            e.lat.into(),
            cell_of(e.lon, e.lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            "available".into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    let action = if target.is_insert() {
        "expert.create"
    } else {
        "expert.update"
    };
    let summary = expert_summary(target.is_insert(), &e);
    audit_change(tx, ctx, now_ms, Change {
 after: Some(serde_json::json!({"name": e.name, "sections": e.sections, "specialties": e.specialties, "phone": mask_phone(&e.phone)})),
 ..Change::of(action, "expert", &id, summary)
 })
    .await?;
    Ok(id)
}

pub async fn get_expert(store: &Store, scope: &Scope, id: &str) -> StoreResult<Expert> {
    let mut q = Sql::new("SELECT * FROM experts e WHERE e.id = ");
    q.bind(id);
    push_visible(&mut q, "e", scope);
    expert_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list_experts(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
) -> StoreResult<(Vec<Expert>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "e", scope);
    push_q(&mut w, f, &["e.name", "e.specialties", "e.employer"]);
    push_active(&mut w, "e", f.active);
    if let Some(k) = &f.kind {
        w.push_bind(" AND e.sections LIKE ", format!("%,{k},%"));
    }
    if let Some(s) = &f.status {
        w.push_bind(" AND e.status = ", s.as_str());
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM experts e",
            "SELECT * FROM experts e",
            w,
            "e.name, e.id",
            page,
            expert_from_row,
        )
        .await
}

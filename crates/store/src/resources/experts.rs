//! 专家库: the expert register, with specialities by section.

use super::{
    ResourceFilter, active_of, audit_change, check_region, district_of, forbid_outside,
    forbid_unless_manager, located, push_active, push_q, push_visible, required_phone, text_list,
};
use crate::kernel::Ctx;
use crate::resources::registers::{Target, write_row};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::{Errors, optional_text, required_text};
use yingji_core::resources::{EXPERT_SECTIONS, cell_of, label, one_of};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertInput {
    pub name: String,
    /// natural (自然灾害) / work_safety (安全生产) / rescue (应急救援); one or more.
    pub sections: Vec<String>,
    #[serde(default)]
    pub specialties: Vec<String>,
    /// 职称.
    #[serde(default)]
    pub title: String,
    /// 工作单位.
    pub employer: String,
    pub phone: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
}

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

pub(super) fn expert_status_label(s: &str) -> &'static str {
    if s == "dispatched" {
        "已调派"
    } else {
        "可调用"
    }
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
        phone: r.try_get("phone")?,
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

pub async fn create_expert(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ExpertInput,
) -> StoreResult<Expert> {
    let mut tx = store.begin().await?;
    let id = save_expert(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    get_expert(store, &ctx.scope, &id).await
}

pub async fn update_expert(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ExpertInput,
) -> StoreResult<Expert> {
    let mut tx = store.begin().await?;
    save_expert(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    get_expert(store, &ctx.scope, id).await
}

pub(super) fn check_sections(errs: &mut Errors, input: &[String]) -> Vec<String> {
    let mut sections = Vec::new();
    for (i, s) in input.iter().enumerate() {
        match one_of(EXPERT_SECTIONS, "专家库分类", s) {
            Ok(v) if !sections.contains(&v) => sections.push(v),
            Ok(_) => {}
            Err(m) => errs.add(&format!("sections[{i}]"), m),
        }
    }
    if input.is_empty() {
        errs.add(
            "sections",
            "请至少选择一个专家库分类：自然灾害、安全生产、应急救援",
        );
    }
    sections
}

/// Enters an expert (`existing` None) or edits one, in the caller's transaction.
pub(crate) async fn save_expert(
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
        forbid_outside(ctx, &e.region_code, "专家")?;
    }
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("姓名", &input.name, 30));
    let sections = check_sections(&mut errs, &input.sections);
    let specialties = text_list(&mut errs, "specialties", "专业特长", &input.specialties);
    let title = errs
        .check("title", optional_text("职称", &input.title, 30))
        .flatten()
        .unwrap_or_default();
    let employer = errs.check("employer", required_text("工作单位", &input.employer, 100));
    let tel = required_phone(&mut errs, &input.phone);
    let at = located(&mut errs, input.lon, input.lat);
    let (Some(name), Some(employer), Some(tel), Some((lon, lat)), true) =
        (name, employer, tel, at, errs.is_empty())
    else {
        return Err(errs.into_invalid().into());
    };
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
            name.clone().into(),
            join_codes(&sections).into(),
            join_codes(&specialties).into(),
            title.into(),
            employer.clone().into(),
            tel.into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            "available".into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    let (action, summary) = if target.is_insert() {
        ("expert.create", format!("专家入库：{name}（{employer}）"))
    } else {
        (
            "expert.update",
            format!("修改专家信息：{name}（{employer}）"),
        )
    };
    audit_change(
        tx,
        ctx,
        now_ms,
        action,
        "expert",
        &id,
        summary,
        serde_json::json!({"name": name, "sections": sections, "specialties": specialties}),
    )
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

//! 应急资源: rescue teams, the 专家库, warehouses with their stock lines kept as a ledger, shelters
//! with their occupancy, and the search for what is near a point. Allocation orders are in
//! `allocations`, dispatches to an incident in `dispatches`. Rules are in `yingji_core::resources`.
//!
//! Resources belong to a district and every caller of that district may see them (in an
//! emergency a street needs the district's warehouses); enterprises see none. Writes need a role
//! that manages resources and a region inside the caller's scope.

pub mod allocations;
pub mod registers;

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::resources::registers::{Target, write_row};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::sync::OnceLock;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{
    Errors, latitude, longitude, optional_text, phone, required_text,
};
use yingji_core::resources::{
    self as rules, EXPERT_SECTIONS, MOVEMENT_KINDS, RESERVE_TYPES, SEARCH_RINGS_M, SHELTER_KINDS,
    StockLevel, TEAM_KINDS, TEAM_STATUSES, WAREHOUSE_LEVELS, cell_of, cell_ranges_within,
    distance_m, label, one_of,
};

// ---------------------------------------------------------------------------------------------
// The material catalogue (data/resources/materials.json)

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MaterialCategory {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Material {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Catalogue {
    pub note: String,
    pub categories: Vec<MaterialCategory>,
    pub materials: Vec<Material>,
}

pub fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        serde_json::from_str(include_str!("../../../../data/resources/materials.json"))
            .unwrap_or_else(|_| Catalogue {
                note: String::new(),
                categories: vec![],
                materials: vec![],
            })
    })
}

pub fn material(code: &str) -> Option<&'static Material> {
    catalogue().materials.iter().find(|m| m.code == code)
}

// ---------------------------------------------------------------------------------------------
// Shared checks

pub(crate) fn may_manage(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
    )
}

pub(crate) fn forbid_unless_manager(ctx: &Ctx) -> StoreResult<()> {
    if may_manage(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "只有管理员、局领导、值班员、部门和街道人员可以管理应急资源".into(),
        ))
    }
}

/// Writes reach only records inside the caller's own region (resources are read district-wide,
/// but a street manages its own): checked on the target record, before anything changes.
pub(crate) fn forbid_outside(ctx: &Ctx, region_code: &str, what: &str) -> StoreResult<()> {
    if ctx.scope.covers_region(region_code) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(format!(
            "该{what}不在您的管辖范围内，不能修改"
        )))
    }
}

/// Resources of the caller's district; enterprises see none.
pub(crate) fn push_visible(sql: &mut Sql, alias: &str, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            sql.push_bind(
                &format!(" AND {alias}.district_code = "),
                prefix.get(..6).unwrap_or(prefix).to_string(),
            );
        }
        Scope::Enterprise { .. } => {
            sql.push(" AND 1 = 0");
        }
    }
}

/// A region the caller may place a resource in: it exists and lies inside the caller's scope.
async fn check_region(store: &Store, ctx: &Ctx, field: &str, code: &str) -> StoreResult<String> {
    let code = code.trim();
    if crate::directory::regions::get(store, &Scope::All, code)
        .await
        .is_err()
    {
        return Err(StoreError::invalid(
            field,
            format!("所属区划“{code}”不存在"),
        ));
    }
    if !ctx.scope.covers_region(code) {
        return Err(StoreError::Forbidden("所属区划不在您的管辖范围内".into()));
    }
    Ok(code.to_string())
}

fn located(errs: &mut Errors, lon: f64, lat: f64) -> Option<(f64, f64)> {
    let lon = errs.check("lon", longitude(lon));
    let lat = errs.check("lat", latitude(lat));
    Some((lon?, lat?))
}

fn text_list(errs: &mut Errors, field: &str, label_: &str, items: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in items.iter().enumerate() {
        match required_text(label_, &s.replace(',', "，"), 30) {
            Ok(v) if !out.contains(&v) => out.push(v),
            Ok(_) => {}
            Err(m) => errs.add(&format!("{field}[{i}]"), m),
        }
    }
    if out.len() > 20 {
        errs.add(field, format!("{label_}最多20项"));
    }
    out
}

/// A contact phone that must be given (mobile or fixed line).
fn required_phone(errs: &mut Errors, raw: &str) -> Option<String> {
    let tel = errs.check("phone", phone("联系电话", raw)).flatten();
    if tel.is_none() && !errs.has("phone") {
        errs.add("phone", "联系电话不能为空");
    }
    tel
}

/// The district (first six digits) a region belongs to.
fn district_of(region: &str) -> String {
    region.get(..6).unwrap_or(region).to_string()
}

fn count(errs: &mut Errors, field: &str, label_: &str, v: i64, max: i64) -> i64 {
    if v < 0 {
        errs.add(field, format!("{label_}不能为负数"));
    } else if v > max {
        errs.add(field, format!("{label_}不能超过{max}"));
    }
    v
}

// The audit record's fields one by one, as each register write fills them.
#[allow(clippy::too_many_arguments)]
async fn audit_change(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    summary: String,
    after: serde_json::Value,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action,
            entity_type,
            entity_id: Some(entity_id),
            summary,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    pub q: Option<String>,
    /// team kind, expert section, warehouse level, shelter kind
    pub kind: Option<String>,
    pub status: Option<String>,
    pub warehouse_id: Option<String>,
    pub category: Option<String>,
    /// low (below the minimum) / expiring / expired
    pub alert: Option<String>,
    /// In use (true) or deactivated (false); both when unset.
    pub active: Option<bool>,
}

pub(crate) fn push_active(sql: &mut Sql, alias: &str, active: Option<bool>) {
    match active {
        Some(true) => sql.push(&format!(" AND {alias}.deactivated_ms IS NULL")),
        Some(false) => sql.push(&format!(" AND {alias}.deactivated_ms IS NOT NULL")),
        None => sql,
    };
}

/// Whether a row of a register is in use (its `deactivated_ms` is NULL).
pub(crate) fn active_of(r: &AnyRow) -> StoreResult<bool> {
    Ok(r.try_get::<Option<i64>, _>("deactivated_ms")?.is_none())
}

fn push_q(sql: &mut Sql, f: &ResourceFilter, columns: &[&str]) {
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let like = crate::db::like_contains(q);
        sql.push(" AND (");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push_bind(&format!("{c} LIKE "), like.clone())
                .push(" ESCAPE '\\'");
        }
        sql.push(")");
    }
}

// ---------------------------------------------------------------------------------------------
// Teams

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    pub name: String,
    /// fire / professional / enterprise / social / grassroots / medical
    pub kind: String,
    #[serde(default)]
    pub specialties: Vec<String>,
    pub headcount: i64,
    /// 主要装备, free text.
    #[serde(default)]
    pub equipment: String,
    pub base_address: String,
    pub lon: f64,
    pub lat: f64,
    /// The district or street the team belongs to.
    pub region_code: String,
    pub leader: String,
    pub phone: String,
    /// standby / resting / unavailable (出动 only by dispatch).
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub specialties: Vec<String>,
    pub headcount: i64,
    pub equipment: String,
    pub base_address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub leader: String,
    pub phone: String,
    pub status: String,
    pub status_label: String,
    /// The incident it is out on.
    pub incident_id: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

fn team_from_row(r: &AnyRow) -> StoreResult<Team> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(Team {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind_label: label(TEAM_KINDS, &kind).into(),
        kind,
        specialties: split_codes(&r.try_get::<String, _>("specialties")?),
        headcount: r.try_get("headcount")?,
        equipment: r.try_get("equipment")?,
        base_address: r.try_get("base_address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        leader: r.try_get("leader")?,
        phone: r.try_get("phone")?,
        status_label: label(TEAM_STATUSES, &status).into(),
        status,
        incident_id: r.try_get("incident_id")?,
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

struct CheckedTeam {
    name: String,
    kind: String,
    specialties: Vec<String>,
    headcount: i64,
    equipment: String,
    base_address: String,
    lon: f64,
    lat: f64,
    leader: String,
    phone: String,
    status: String,
}

fn check_team(input: &TeamInput) -> StoreResult<CheckedTeam> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("队伍名称", &input.name, 60));
    let kind = errs.check("kind", one_of(TEAM_KINDS, "队伍类型", &input.kind));
    let specialties = text_list(&mut errs, "specialties", "专长", &input.specialties);
    let headcount = count(&mut errs, "headcount", "队伍人数", input.headcount, 100_000);
    let equipment = errs
        .check(
            "equipment",
            optional_text("主要装备", &input.equipment, 500),
        )
        .flatten()
        .unwrap_or_default();
    let base = errs.check(
        "base_address",
        required_text("驻地", &input.base_address, 200),
    );
    let at = located(&mut errs, input.lon, input.lat);
    let leader = errs.check("leader", required_text("负责人", &input.leader, 30));
    let tel = required_phone(&mut errs, &input.phone);
    let status = input.status.clone().unwrap_or_else(|| "standby".into());
    if !matches!(status.as_str(), "standby" | "resting" | "unavailable") {
        errs.add(
            "status",
            "队伍状态应为：待命、休整、不可用（出动由调派产生）",
        );
    }
    match (name, kind, base, at, leader, tel, errs.is_empty()) {
        (
            Some(name),
            Some(kind),
            Some(base_address),
            Some((lon, lat)),
            Some(leader),
            Some(phone),
            true,
        ) => Ok(CheckedTeam {
            name,
            kind,
            specialties,
            headcount,
            equipment,
            base_address,
            lon,
            lat,
            leader,
            phone,
            status,
        }),
        _ => Err(errs.into_invalid().into()),
    }
}

const TEAM_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "specialties",
    "headcount",
    "equipment",
    "base_address",
    "lon",
    "lat",
    "cell",
    "region_code",
    "district_code",
    "leader",
    "phone",
    "status",
    "created_ms",
    "updated_ms",
];

pub async fn create_team(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &TeamInput,
) -> StoreResult<Team> {
    let mut tx = store.begin().await?;
    let id = save_team(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    get_team(store, &ctx.scope, &id).await
}

pub async fn update_team(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &TeamInput,
) -> StoreResult<Team> {
    let mut tx = store.begin().await?;
    save_team(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    get_team(store, &ctx.scope, id).await
}

/// Registers a team (`existing` None) or edits one, in the caller's transaction; returns its id.
pub(crate) async fn save_team(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &TeamInput,
) -> StoreResult<String> {
    forbid_unless_manager(ctx)?;
    let before = match existing {
        Some(id) => {
            let t = get_team(store, &ctx.scope, id).await?;
            forbid_outside(ctx, &t.region_code, "救援队伍")?;
            Some(t)
        }
        None => None,
    };
    let t = check_team(input)?;
    let region = check_region(store, ctx, "region_code", &input.region_code).await?;
    let id = existing.map_or_else(new_id, str::to_string);
    // A team out on an incident keeps 出动 until it returns.
    let keep: &[&str] = match &before {
        Some(b) if b.status == "dispatched" => &["status"],
        _ => &[],
    };
    let target = Target::of(existing, keep);
    write_row(
        tx,
        "teams",
        TEAM_COLUMNS,
        vec![
            id.clone().into(),
            t.name.clone().into(),
            t.kind.clone().into(),
            join_codes(&t.specialties).into(),
            t.headcount.into(),
            t.equipment.into(),
            t.base_address.into(),
            t.lon.into(),
            t.lat.into(),
            cell_of(t.lon, t.lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            t.leader.into(),
            t.phone.into(),
            t.status.clone().into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    let (action, summary) = if target.is_insert() {
        (
            "team.create",
            format!(
                "登记救援队伍：{}（{}，{}人）",
                t.name,
                label(TEAM_KINDS, &t.kind),
                t.headcount
            ),
        )
    } else {
        ("team.update", format!("修改救援队伍：{}", t.name))
    };
    audit_change(
        tx,
        ctx,
        now_ms,
        action,
        "team",
        &id,
        summary,
        serde_json::json!({"name": t.name, "kind": t.kind, "headcount": t.headcount, "status": t.status}),
    )
    .await?;
    Ok(id)
}

pub async fn get_team(store: &Store, scope: &Scope, id: &str) -> StoreResult<Team> {
    let mut q = Sql::new("SELECT * FROM teams t WHERE t.id = ");
    q.bind(id);
    push_visible(&mut q, "t", scope);
    team_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list_teams(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
) -> StoreResult<(Vec<Team>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "t", scope);
    push_q(&mut w, f, &["t.name", "t.specialties", "t.equipment"]);
    push_active(&mut w, "t", f.active);
    if let Some(k) = &f.kind {
        w.push_bind(" AND t.kind = ", k.as_str());
    }
    if let Some(s) = &f.status {
        w.push_bind(" AND t.status = ", s.as_str());
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM teams t",
            "SELECT * FROM teams t",
            w,
            "t.name, t.id",
            page,
            team_from_row,
        )
        .await
}

// ---------------------------------------------------------------------------------------------
// Experts

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

fn expert_status_label(s: &str) -> &'static str {
    if s == "dispatched" {
        "已调派"
    } else {
        "可调用"
    }
}

fn expert_from_row(r: &AnyRow) -> StoreResult<Expert> {
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

const EXPERT_COLUMNS: &[&str] = &[
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

fn check_sections(errs: &mut Errors, input: &[String]) -> Vec<String> {
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

// ---------------------------------------------------------------------------------------------
// Warehouses and stock

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseInput {
    pub name: String,
    /// district / street / community
    pub level: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub manager: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Warehouse {
    pub id: String,
    pub name: String,
    pub level: String,
    pub level_label: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub manager: String,
    pub phone: String,
    /// Stock lines, those below their minimum, those expired or expiring within 30 days.
    pub lines: i64,
    pub low_lines: i64,
    pub expiring_lines: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

/// The list's select; `warn` is the date (YYYY-MM-DD, computed here, never user input) up to
/// which an expiry counts as 临期.
fn warehouse_select(warn: &str) -> String {
    format!(
        "SELECT w.*, \
        (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id) AS lines, \
        (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id AND s.quantity - s.reserved < s.min_stock) AS low_lines, \
        (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id AND s.expiry_date IS NOT NULL AND s.expiry_date <= '{warn}') AS expiring_lines \
        FROM warehouses w"
    )
}

fn warehouse_from_row(r: &AnyRow) -> StoreResult<Warehouse> {
    let level: String = r.try_get("level")?;
    Ok(Warehouse {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        level_label: label(WAREHOUSE_LEVELS, &level).into(),
        level,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        manager: r.try_get("manager")?,
        phone: r.try_get("phone")?,
        lines: r.try_get("lines")?,
        low_lines: r.try_get("low_lines")?,
        expiring_lines: r.try_get("expiring_lines")?,
        active: active_of(r)?,
    })
}

/// Expiry dates are compared as text (YYYY-MM-DD sorts as dates).
const EXPIRY_WARN_DAYS: i64 = 30;

fn warn_date(now_ms: i64) -> String {
    let today = yingji_core::prevention::hazard::today(now_ms);
    today
        .checked_add(jiff::Span::new().days(EXPIRY_WARN_DAYS))
        .unwrap_or(today)
        .to_string()
}

const WAREHOUSE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "level",
    "address",
    "lon",
    "lat",
    "cell",
    "region_code",
    "district_code",
    "manager",
    "phone",
    "created_ms",
    "updated_ms",
];

pub async fn create_warehouse(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &WarehouseInput,
) -> StoreResult<Warehouse> {
    let mut tx = store.begin().await?;
    let id = save_warehouse(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    get_warehouse(store, &ctx.scope, &id, now_ms).await
}

pub async fn update_warehouse(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &WarehouseInput,
) -> StoreResult<Warehouse> {
    let mut tx = store.begin().await?;
    save_warehouse(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    get_warehouse(store, &ctx.scope, id, now_ms).await
}

/// Registers a warehouse (`existing` None) or edits one, in the caller's transaction.
pub(crate) async fn save_warehouse(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &WarehouseInput,
) -> StoreResult<String> {
    forbid_unless_manager(ctx)?;
    if let Some(id) = existing {
        let w = get_warehouse(store, &ctx.scope, id, now_ms).await?;
        forbid_outside(ctx, &w.region_code, "储备库")?;
    }
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("储备库名称", &input.name, 60));
    let level = errs.check(
        "level",
        one_of(WAREHOUSE_LEVELS, "储备库级别", &input.level),
    );
    let address = errs.check("address", required_text("地址", &input.address, 200));
    let at = located(&mut errs, input.lon, input.lat);
    let manager = errs.check("manager", required_text("管理员", &input.manager, 30));
    let tel = required_phone(&mut errs, &input.phone);
    let (Some(name), Some(level), Some(address), Some((lon, lat)), Some(manager), Some(tel), true) =
        (name, level, address, at, manager, tel, errs.is_empty())
    else {
        return Err(errs.into_invalid().into());
    };
    let region = check_region(store, ctx, "region_code", &input.region_code).await?;
    let id = existing.map_or_else(new_id, str::to_string);
    let target = Target::of(existing, &[]);
    write_row(
        tx,
        "warehouses",
        WAREHOUSE_COLUMNS,
        vec![
            id.clone().into(),
            name.clone().into(),
            level.clone().into(),
            address.into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            manager.into(),
            tel.into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    audit_change(
        tx,
        ctx,
        now_ms,
        if target.is_insert() {
            "warehouse.create"
        } else {
            "warehouse.update"
        },
        "warehouse",
        &id,
        format!(
            "{}储备库：{name}（{}）",
            if target.is_insert() {
                "登记"
            } else {
                "修改"
            },
            label(WAREHOUSE_LEVELS, &level)
        ),
        serde_json::json!({"name": name, "level": level}),
    )
    .await?;
    Ok(id)
}

pub async fn get_warehouse(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<Warehouse> {
    let mut q = Sql::new(&warehouse_select(&warn_date(now_ms)));
    q.push_bind(" WHERE w.id = ", id);
    push_visible(&mut q, "w", scope);
    warehouse_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list_warehouses(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<Warehouse>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "w", scope);
    push_q(&mut w, f, &["w.name", "w.address"]);
    push_active(&mut w, "w", f.active);
    if let Some(k) = &f.kind {
        w.push_bind(" AND w.level = ", k.as_str());
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM warehouses w",
            &warehouse_select(&warn_date(now_ms)),
            w,
            "w.level, w.name, w.id",
            page,
            warehouse_from_row,
        )
        .await
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockInput {
    pub warehouse_id: String,
    /// A code of GET /api/v1/materials.
    pub material_code: String,
    /// physical (实物) / agreement (协议) / capacity (产能)
    #[serde(default = "physical")]
    pub reserve_type: String,
    /// Opening quantity, written to the ledger as 入库.
    #[serde(default)]
    pub quantity: i64,
    #[serde(default)]
    pub min_stock: i64,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// 协议/产能储备的供应单位.
    #[serde(default)]
    pub supplier: Option<String>,
}

fn physical() -> String {
    "physical".into()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StockLine {
    pub id: String,
    pub warehouse_id: String,
    pub warehouse_name: String,
    pub material_code: String,
    pub material_name: String,
    pub category_code: String,
    pub category_name: String,
    pub unit: String,
    pub reserve_type: String,
    pub reserve_type_label: String,
    pub quantity: i64,
    pub reserved: i64,
    pub available: i64,
    pub min_stock: i64,
    /// Available below the minimum.
    pub low: bool,
    pub expiry_date: Option<String>,
    /// expired / expiring
    pub expiry_state: Option<String>,
    pub supplier: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

const STOCK_SELECT: &str =
    "SELECT s.*, w.name AS warehouse_name FROM stock s JOIN warehouses w ON w.id = s.warehouse_id";

fn category_name(code: &str) -> String {
    catalogue()
        .categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

fn stock_from_row(r: &AnyRow, now_ms: i64) -> StoreResult<StockLine> {
    let quantity: i64 = r.try_get("quantity")?;
    let reserved: i64 = r.try_get("reserved")?;
    let min_stock: i64 = r.try_get("min_stock")?;
    let reserve_type: String = r.try_get("reserve_type")?;
    let category_code: String = r.try_get("category_code")?;
    let expiry_date: Option<String> = r.try_get("expiry_date")?;
    let expiry_state = rules::expiry_state(
        expiry_date.as_deref().and_then(|d| d.parse().ok()),
        yingji_core::prevention::hazard::today(now_ms),
        EXPIRY_WARN_DAYS,
    );
    Ok(StockLine {
        id: r.try_get("id")?,
        warehouse_id: r.try_get("warehouse_id")?,
        warehouse_name: r.try_get("warehouse_name")?,
        material_code: r.try_get("material_code")?,
        material_name: r.try_get("material_name")?,
        category_name: category_name(&category_code),
        category_code,
        unit: r.try_get("unit")?,
        reserve_type_label: label(RESERVE_TYPES, &reserve_type).into(),
        reserve_type,
        quantity,
        reserved,
        available: quantity - reserved,
        min_stock,
        low: quantity - reserved < min_stock,
        expiry_date,
        expiry_state: expiry_state.map(str::to_string),
        supplier: r.try_get("supplier")?,
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

pub async fn get_stock(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<StockLine> {
    let mut q = Sql::new(STOCK_SELECT);
    q.push_bind(" WHERE s.id = ", id);
    push_visible(&mut q, "w", scope);
    stock_from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        now_ms,
    )
}

pub async fn list_stock(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<StockLine>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "w", scope);
    push_q(&mut w, f, &["s.material_name", "s.material_code", "w.name"]);
    push_active(&mut w, "s", f.active);
    if let Some(id) = &f.warehouse_id {
        w.push_bind(" AND s.warehouse_id = ", id.as_str());
    }
    if let Some(c) = &f.category {
        w.push_bind(" AND s.category_code = ", c.as_str());
    }
    if let Some(k) = &f.kind {
        w.push_bind(" AND s.reserve_type = ", k.as_str());
    }
    let today = yingji_core::prevention::hazard::today(now_ms).to_string();
    match f.alert.as_deref() {
        Some("low") => {
            w.push(" AND s.quantity - s.reserved < s.min_stock");
        }
        Some("expiring") => {
            w.push(" AND s.expiry_date IS NOT NULL")
                .push_bind(" AND s.expiry_date <= ", warn_date(now_ms));
        }
        Some("expired") => {
            w.push(" AND s.expiry_date IS NOT NULL")
                .push_bind(" AND s.expiry_date < ", today);
        }
        Some(_) => {
            return Err(StoreError::invalid(
                "alert",
                "预警类型应为 low、expiring 或 expired",
            ));
        }
        None => {}
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM stock s JOIN warehouses w ON w.id = s.warehouse_id",
            STOCK_SELECT,
            w,
            "w.name, s.category_code, s.material_code, s.id",
            page,
            |r| stock_from_row(r, now_ms),
        )
        .await
}

fn parse_date(
    field: &str,
    label_: &str,
    raw: Option<&str>,
) -> Result<Option<String>, (String, String)> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<jiff::civil::Date>()
            .map(|d| Some(d.to_string()))
            .map_err(|_| {
                (
                    field.to_string(),
                    format!("{label_}“{s}”格式不正确，应为 2027-06-30"),
                )
            }),
    }
}

pub async fn create_stock(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &StockInput,
) -> StoreResult<StockLine> {
    let mut tx = store.begin().await?;
    let id = insert_stock(&mut tx, store, ctx, now_ms, input).await?;
    tx.commit().await?;
    get_stock(store, &ctx.scope, &id, now_ms).await
}

/// Opens a stock line in the caller's transaction; returns its id.
pub(crate) async fn insert_stock(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &StockInput,
) -> StoreResult<String> {
    forbid_unless_manager(ctx)?;
    let wh = get_warehouse(store, &ctx.scope, &input.warehouse_id, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("warehouse_id", "储备库不存在"),
            e => e,
        })?;
    forbid_outside(ctx, &wh.region_code, "储备库")?;
    let mut errs = Errors::default();
    let m = material(&input.material_code);
    if m.is_none() {
        errs.add(
            "material_code",
            format!("物资编码“{}”不在应急物资目录中", input.material_code),
        );
    }
    let qty = count(&mut errs, "quantity", "数量", input.quantity, 100_000_000);
    let terms = check_terms(
        &mut errs,
        &StockEdit {
            reserve_type: input.reserve_type.clone(),
            min_stock: input.min_stock,
            expiry_date: input.expiry_date.clone(),
            supplier: input.supplier.clone(),
        },
    );
    let (Some(m), Some((reserve, min_stock, expiry, supplier)), true) = (m, terms, errs.is_empty())
    else {
        return Err(errs.into_invalid().into());
    };
    if !wh.active {
        return Err(StoreError::conflict(
            "warehouse_id",
            format!("储备库“{}”已停用", wh.name),
        ));
    }
    let taken = || {
        StoreError::conflict(
            "material_code",
            format!(
                "{}已有“{}”{}的库存行，请在该行办理入库",
                wh.name,
                m.name,
                label(RESERVE_TYPES, &reserve)
            ),
        )
    };
    // Checked in the transaction, so that two rows of one import cannot both open the line
    // (the unique key stays the guard against concurrent requests).
    let mut dup = Sql::new("SELECT COUNT(*) FROM stock WHERE warehouse_id = ");
    dup.bind(wh.id.as_str())
        .push_bind(" AND material_code = ", m.code.as_str())
        .push_bind(" AND reserve_type = ", reserve.as_str());
    if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(taken());
    }
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO stock (id, warehouse_id, material_code, material_name, category_code, unit, reserve_type, quantity, reserved, min_stock, expiry_date, supplier, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        wh.id.clone().into(),
        m.code.clone().into(),
        m.name.clone().into(),
        m.category.clone().into(),
        m.unit.clone().into(),
        reserve.clone().into(),
        0i64.into(),
        0i64.into(),
        min_stock.into(),
        expiry.into(),
        supplier.into(),
        now_ms.into(),
    ]);
    if let Err(e) = q.execute(tx).await {
        return Err(match e {
            StoreError::Db(ref d) if is_unique_violation(d) => taken(),
            e => e,
        });
    }
    if qty > 0 {
        let m = Move {
            stock_id: &id,
            kind: "inbound",
            delta: qty,
            release: 0,
            order_id: None,
            incident_id: None,
            note: Some("建账入库"),
        };
        write_movement(tx, ctx, now_ms, m).await?;
    }
    audit_change(
        tx,
        ctx,
        now_ms,
        "stock.create",
        "stock",
        &id,
        format!("{}建立库存：{} {}{}", wh.name, m.name, qty, m.unit),
        serde_json::json!({"warehouse": wh.name, "material": m.code, "quantity": qty}),
    )
    .await?;
    Ok(id)
}

/// What an edit of a stock line may change: the material and the warehouse make the line, and the
/// quantity moves only by the ledger.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockEdit {
    /// physical (实物) / agreement (协议) / capacity (产能)
    pub reserve_type: String,
    #[serde(default)]
    pub min_stock: i64,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub expiry_date: Option<String>,
    #[serde(default)]
    pub supplier: Option<String>,
}

/// A line's terms, checked: (reserve type, minimum, expiry, supplier).
type Terms = (String, i64, Option<String>, Option<String>);

fn check_terms(errs: &mut Errors, input: &StockEdit) -> Option<Terms> {
    let reserve = errs.check(
        "reserve_type",
        one_of(RESERVE_TYPES, "储备方式", &input.reserve_type),
    );
    let min_stock = count(errs, "min_stock", "最低库存", input.min_stock, 100_000_000);
    let expiry = match parse_date("expiry_date", "有效期", input.expiry_date.as_deref()) {
        Ok(d) => d,
        Err((f, m)) => {
            errs.add(&f, m);
            None
        }
    };
    let supplier = errs
        .check(
            "supplier",
            optional_text("供应单位", input.supplier.as_deref().unwrap_or(""), 100),
        )
        .flatten();
    if matches!(reserve.as_deref(), Some("agreement" | "capacity")) && supplier.is_none() {
        errs.add("supplier", "协议储备和产能储备须填写供应单位");
    }
    reserve.map(|r| (r, min_stock, expiry, supplier))
}

pub async fn update_stock(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &StockEdit,
) -> StoreResult<StockLine> {
    forbid_unless_manager(ctx)?;
    let line = get_stock(store, &ctx.scope, id, now_ms).await?;
    let wh = get_warehouse(store, &ctx.scope, &line.warehouse_id, now_ms).await?;
    forbid_outside(ctx, &wh.region_code, "储备库")?;
    let mut errs = Errors::default();
    let terms = check_terms(&mut errs, input);
    let (Some((reserve, min_stock, expiry, supplier)), true) = (terms, errs.is_empty()) else {
        return Err(errs.into_invalid().into());
    };
    let mut tx = store.begin().await?;
    let mut u = Sql::new("UPDATE stock SET reserve_type = ");
    u.bind(reserve.clone())
        .push_bind(", min_stock = ", min_stock)
        .push_bind(", expiry_date = ", expiry.clone())
        .push_bind(", supplier = ", supplier.clone())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    if let Err(e) = u.execute(&mut tx).await {
        return Err(match e {
            StoreError::Db(ref d) if is_unique_violation(d) => StoreError::conflict(
                "reserve_type",
                format!(
                    "{}已有“{}”{}的库存行",
                    wh.name,
                    line.material_name,
                    label(RESERVE_TYPES, &reserve)
                ),
            ),
            e => e,
        });
    }
    audit_change(
        &mut tx,
        ctx,
        now_ms,
        "stock.update",
        "stock",
        id,
        format!("修改库存：{} {}", wh.name, line.material_name),
        serde_json::json!({"reserve_type": reserve, "min_stock": min_stock, "expiry_date": expiry, "supplier": supplier}),
    )
    .await?;
    tx.commit().await?;
    get_stock(store, &ctx.scope, id, now_ms).await
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .map(|d| d.is_unique_violation())
        .unwrap_or(false)
}

/// One ledger movement on a stock line.
pub(crate) struct Move<'a> {
    pub stock_id: &'a str,
    pub kind: &'a str,
    pub delta: i64,
    /// Reservation released with it (shipping an approved order).
    pub release: i64,
    pub order_id: Option<&'a str>,
    pub incident_id: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Writes one movement and moves the line's quantity by its delta, guarded so that the line never
/// goes below zero nor below what stays reserved. Returns the balance after it, or None when the
/// guard refused (the caller names the line).
pub(crate) async fn write_movement(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    m: Move<'_>,
) -> StoreResult<Option<i64>> {
    let mut u = Sql::new("UPDATE stock SET quantity = quantity + ");
    u.bind(m.delta)
        .push_bind(", reserved = reserved - ", m.release)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", m.stock_id)
        .push_bind(" AND reserved >= ", m.release)
        .push_bind(" AND quantity + ", m.delta)
        .push_bind(" >= reserved - ", m.release)
        .push(" RETURNING quantity");
    let Some(row) = u.fetch_optional(tx).await? else {
        return Ok(None);
    };
    let balance: i64 = row.try_get(0)?;
    let mut q = Sql::new(
        "INSERT INTO stock_movements (id, stock_id, kind, delta, balance_after, at_ms, order_id, incident_id, note, author) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        m.stock_id.into(),
        m.kind.into(),
        m.delta.into(),
        balance.into(),
        now_ms.into(),
        m.order_id.into(),
        m.incident_id.into(),
        m.note.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    Ok(Some(balance))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementInput {
    /// inbound (入库) / outbound (出库) / count (盘点: the counted quantity) / write_off (报损)
    pub kind: String,
    pub quantity: i64,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Movement {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub delta: i64,
    pub balance_after: i64,
    pub at_ms: i64,
    pub order_id: Option<String>,
    pub incident_id: Option<String>,
    pub note: Option<String>,
    pub author: String,
}

/// 入库 / 出库 / 盘点 / 报损 on a line. The delta is computed from the line as read, and the update
/// is a compare-and-set on that reading, so a concurrent change makes this one fail rather than
/// apply a stale 盘点.
pub async fn add_movement(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    stock_id: &str,
    input: &MovementInput,
) -> StoreResult<StockLine> {
    forbid_unless_manager(ctx)?;
    let line = get_stock(store, &ctx.scope, stock_id, now_ms).await?;
    let wh = get_warehouse(store, &ctx.scope, &line.warehouse_id, now_ms).await?;
    forbid_outside(ctx, &wh.region_code, "储备库")?;
    if input.kind == "inbound" && !(line.active && wh.active) {
        return Err(StoreError::conflict(
            "kind",
            "该库存或其储备库已停用，不能入库（可出库、盘点或报损）",
        ));
    }
    let note = optional_text("备注", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| StoreError::invalid("note", m))?;
    if input.kind == "write_off" && note.is_none() {
        return Err(StoreError::invalid("note", "报损须写明原因"));
    }
    let level = StockLevel {
        quantity: line.quantity,
        reserved: line.reserved,
    };
    let field = if input.kind == "count"
        || input.kind == "inbound"
        || input.kind == "outbound"
        || input.kind == "write_off"
    {
        "quantity"
    } else {
        "kind"
    };
    let delta = rules::manual_delta(level, &input.kind, input.quantity)
        .map_err(|m| StoreError::invalid(field, m))?;
    let mut tx = store.begin().await?;
    let mut cas = Sql::new("SELECT quantity, reserved FROM stock WHERE id = ");
    cas.bind(stock_id);
    let now_row = cas.fetch_one(&mut tx).await?;
    let (q_now, r_now): (i64, i64) = (now_row.try_get(0)?, now_row.try_get(1)?);
    if (q_now, r_now) != (line.quantity, line.reserved) {
        return Err(StoreError::conflict(
            "quantity",
            "库存刚刚发生变化，请刷新后重试",
        ));
    }
    if delta != 0 || input.kind == "count" {
        let m = Move {
            stock_id,
            kind: &input.kind,
            delta,
            release: 0,
            order_id: None,
            incident_id: None,
            note: note.as_deref(),
        };
        if write_movement(&mut tx, ctx, now_ms, m).await?.is_none() {
            return Err(StoreError::conflict("quantity", "库存不足"));
        }
    }
    let kind_label = label(MOVEMENT_KINDS, &input.kind);
    audit_change(
        &mut tx,
        ctx,
        now_ms,
        &format!("stock.{}", input.kind),
        "stock",
        stock_id,
        format!(
            "{}：{} {} {}{}（结存 {}）",
            kind_label,
            line.warehouse_name,
            line.material_name,
            if delta >= 0 {
                format!("+{delta}")
            } else {
                delta.to_string()
            },
            line.unit,
            line.quantity + delta
        ),
        serde_json::json!({"kind": input.kind, "delta": delta, "balance": line.quantity + delta}),
    )
    .await?;
    tx.commit().await?;
    get_stock(store, &ctx.scope, stock_id, now_ms).await
}

pub async fn movements(
    store: &Store,
    scope: &Scope,
    stock_id: &str,
    now_ms: i64,
) -> StoreResult<Vec<Movement>> {
    get_stock(store, scope, stock_id, now_ms).await?;
    let mut q = Sql::new("SELECT * FROM stock_movements WHERE stock_id = ");
    q.bind(stock_id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(Movement {
                id: r.try_get("id")?,
                kind_label: label(MOVEMENT_KINDS, &kind).into(),
                kind,
                delta: r.try_get("delta")?,
                balance_after: r.try_get("balance_after")?,
                at_ms: r.try_get("at_ms")?,
                order_id: r.try_get("order_id")?,
                incident_id: r.try_get("incident_id")?,
                note: r.try_get("note")?,
                author: r.try_get("author")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Shelters

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShelterInput {
    pub name: String,
    /// emergency (紧急) / fixed (固定) / central (中心)
    pub kind: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    /// People it can hold.
    pub capacity: i64,
    /// 有效避难面积, m².
    #[serde(default)]
    pub area_m2: i64,
    /// 供水, 供电, 厕所, 医疗点, 物资储备 …
    #[serde(default)]
    pub facilities: Vec<String>,
    pub manager: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Shelter {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub capacity: i64,
    pub area_m2: i64,
    pub facilities: Vec<String>,
    /// open / closed
    pub status: String,
    pub status_label: String,
    pub occupancy: i64,
    pub manager: String,
    pub phone: String,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

fn shelter_from_row(r: &AnyRow) -> StoreResult<Shelter> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(Shelter {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind_label: label(SHELTER_KINDS, &kind).into(),
        kind,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        capacity: r.try_get("capacity")?,
        area_m2: r.try_get("area_m2")?,
        facilities: split_codes(&r.try_get::<String, _>("facilities")?),
        status_label: if status == "open" { "开放" } else { "关闭" }.into(),
        status,
        occupancy: r.try_get("occupancy")?,
        manager: r.try_get("manager")?,
        phone: r.try_get("phone")?,
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

const SHELTER_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "address",
    "lon",
    "lat",
    "cell",
    "region_code",
    "district_code",
    "capacity",
    "area_m2",
    "facilities",
    "status",
    "occupancy",
    "manager",
    "phone",
    "created_ms",
    "updated_ms",
];

pub async fn create_shelter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ShelterInput,
) -> StoreResult<Shelter> {
    let mut tx = store.begin().await?;
    let id = save_shelter(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    get_shelter(store, &ctx.scope, &id).await
}

pub async fn update_shelter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ShelterInput,
) -> StoreResult<Shelter> {
    let mut tx = store.begin().await?;
    save_shelter(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    get_shelter(store, &ctx.scope, id).await
}

/// Registers a shelter (`existing` None) or edits one, in the caller's transaction. Opening,
/// closing and occupancy are movements, never an edit; the capacity cannot fall below those in.
pub(crate) async fn save_shelter(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &ShelterInput,
) -> StoreResult<String> {
    forbid_unless_manager(ctx)?;
    let occupancy = match existing {
        Some(id) => {
            let h = get_shelter(store, &ctx.scope, id).await?;
            forbid_outside(ctx, &h.region_code, "避难场所")?;
            h.occupancy
        }
        None => 0,
    };
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("场所名称", &input.name, 60));
    let kind = errs.check("kind", one_of(SHELTER_KINDS, "场所类型", &input.kind));
    let address = errs.check("address", required_text("地址", &input.address, 200));
    let at = located(&mut errs, input.lon, input.lat);
    if input.capacity <= 0 {
        errs.add("capacity", "可容纳人数应大于0");
    } else if input.capacity < occupancy {
        errs.add(
            "capacity",
            format!("可容纳人数不能少于当前入住人数（{occupancy}人）"),
        );
    }
    let capacity = count(
        &mut errs,
        "capacity",
        "可容纳人数",
        input.capacity,
        10_000_000,
    );
    let area = count(
        &mut errs,
        "area_m2",
        "有效避难面积",
        input.area_m2,
        100_000_000,
    );
    let facilities = text_list(&mut errs, "facilities", "设施", &input.facilities);
    let manager = errs.check("manager", required_text("管理员", &input.manager, 30));
    let tel = required_phone(&mut errs, &input.phone);
    let (Some(name), Some(kind), Some(address), Some((lon, lat)), Some(manager), Some(tel), true) =
        (name, kind, address, at, manager, tel, errs.is_empty())
    else {
        return Err(errs.into_invalid().into());
    };
    let region = check_region(store, ctx, "region_code", &input.region_code).await?;
    let id = existing.map_or_else(new_id, str::to_string);
    let target = Target::of(existing, &["status", "occupancy"]);
    write_row(
        tx,
        "shelters",
        SHELTER_COLUMNS,
        vec![
            id.clone().into(),
            name.clone().into(),
            kind.clone().into(),
            address.into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            capacity.into(),
            area.into(),
            join_codes(&facilities).into(),
            "closed".into(),
            0i64.into(),
            manager.into(),
            tel.into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    audit_change(
        tx,
        ctx,
        now_ms,
        if target.is_insert() {
            "shelter.create"
        } else {
            "shelter.update"
        },
        "shelter",
        &id,
        format!(
            "{}避难场所：{name}（{}，可容纳{capacity}人）",
            if target.is_insert() {
                "登记"
            } else {
                "修改"
            },
            label(SHELTER_KINDS, &kind)
        ),
        serde_json::json!({"name": name, "kind": kind, "capacity": capacity}),
    )
    .await?;
    Ok(id)
}

pub async fn get_shelter(store: &Store, scope: &Scope, id: &str) -> StoreResult<Shelter> {
    let mut q = Sql::new("SELECT * FROM shelters h WHERE h.id = ");
    q.bind(id);
    push_visible(&mut q, "h", scope);
    shelter_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list_shelters(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
) -> StoreResult<(Vec<Shelter>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "h", scope);
    push_q(&mut w, f, &["h.name", "h.address"]);
    push_active(&mut w, "h", f.active);
    if let Some(k) = &f.kind {
        w.push_bind(" AND h.kind = ", k.as_str());
    }
    if let Some(s) = &f.status {
        w.push_bind(" AND h.status = ", s.as_str());
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM shelters h",
            "SELECT * FROM shelters h",
            w,
            "h.name, h.id",
            page,
            shelter_from_row,
        )
        .await
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShelterMovementInput {
    /// open (开放) / close (关闭) / check_in (入住) / check_out (离开)
    pub kind: String,
    #[serde(default)]
    pub people: i64,
    #[serde(default)]
    pub incident_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// 开放 / 关闭 / 入住 / 离开. Occupancy moves by a guarded update, so two check-ins at once can
/// never overfill the shelter and two check-outs can never take it below zero.
pub async fn shelter_movement(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ShelterMovementInput,
) -> StoreResult<Shelter> {
    forbid_unless_manager(ctx)?;
    let s = get_shelter(store, &ctx.scope, id).await?;
    forbid_outside(ctx, &s.region_code, "避难场所")?;
    let note = optional_text("备注", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| StoreError::invalid("note", m))?;
    let open = s.status == "open";
    if !s.active && matches!(input.kind.as_str(), "open" | "check_in") {
        return Err(StoreError::conflict(
            "kind",
            "该避难场所已停用，不能开放或入住",
        ));
    }
    let (sql, people, text) = match input.kind.as_str() {
        "open" | "close" => {
            if (input.kind == "open") == open {
                return Err(StoreError::conflict(
                    "kind",
                    format!("避难场所已{}", s.status_label),
                ));
            }
            if input.kind == "close" && s.occupancy > 0 {
                return Err(StoreError::invalid(
                    "kind",
                    format!("仍有 {} 人安置，须全部离开后才能关闭", s.occupancy),
                ));
            }
            let mut u = Sql::new("UPDATE shelters SET status = ");
            u.bind(if input.kind == "open" {
                "open"
            } else {
                "closed"
            })
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE id = ", id)
            .push_bind(" AND status = ", s.status.clone())
            .push(" RETURNING occupancy");
            (
                u,
                0,
                if input.kind == "open" {
                    "开放".to_string()
                } else {
                    "关闭".to_string()
                },
            )
        }
        "check_in" => {
            rules::check_in(open, s.occupancy, s.capacity, input.people)
                .map_err(|m| StoreError::invalid("people", m))?;
            let mut u = Sql::new("UPDATE shelters SET occupancy = occupancy + ");
            u.bind(input.people)
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE id = ", id)
                .push(" AND status = 'open' AND occupancy + ")
                .bind(input.people)
                .push(" <= capacity RETURNING occupancy");
            (u, input.people, format!("入住 {} 人", input.people))
        }
        "check_out" => {
            rules::check_out(s.occupancy, input.people)
                .map_err(|m| StoreError::invalid("people", m))?;
            let mut u = Sql::new("UPDATE shelters SET occupancy = occupancy - ");
            u.bind(input.people)
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE id = ", id)
                .push_bind(" AND occupancy >= ", input.people)
                .push(" RETURNING occupancy");
            (u, -input.people, format!("离开 {} 人", input.people))
        }
        _ => {
            return Err(StoreError::invalid(
                "kind",
                "操作应为：开放、关闭、入住、离开",
            ));
        }
    };
    let mut sql = sql;
    let mut tx = store.begin().await?;
    let Some(row) = sql.fetch_optional(&mut tx).await? else {
        return Err(StoreError::conflict(
            "people",
            "安置人数刚刚发生变化，请刷新后重试",
        ));
    };
    let after: i64 = row.try_get(0)?;
    let mut q = Sql::new(
        "INSERT INTO shelter_movements (id, shelter_id, kind, people, occupancy_after, at_ms, incident_id, note, author) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        id.into(),
        input.kind.clone().into(),
        people.into(),
        after.into(),
        now_ms.into(),
        input.incident_id.clone().into(),
        note.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(&mut tx).await?;
    audit_change(
        &mut tx,
        ctx,
        now_ms,
        &format!("shelter.{}", input.kind),
        "shelter",
        id,
        format!("{}：{text}，现安置 {after} 人", s.name),
        serde_json::json!({"kind": input.kind, "people": people, "occupancy": after}),
    )
    .await?;
    tx.commit().await?;
    get_shelter(store, &ctx.scope, id).await
}

// ---------------------------------------------------------------------------------------------
// Search: nearest first, by capability or material

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// team / expert / material / shelter
    pub kind: String,
    /// Around this incident's location …
    #[serde(default)]
    pub incident_id: Option<String>,
    /// … or this point.
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// A need as typed: `10 km 内 冲锋舟 ≥ 5`; or just a name or specialty.
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub radius_km: Option<f64>,
    #[serde(default)]
    pub min_qty: Option<i64>,
    /// Only 待命 teams, available experts, open shelters with room (default true).
    #[serde(default)]
    pub available_only: Option<bool>,
    #[serde(default)]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub kind: String,
    pub id: String,
    pub name: String,
    /// Type, specialties or material, for the list.
    pub detail: String,
    pub lon: f64,
    pub lat: f64,
    pub distance_m: i64,
    pub status: String,
    pub status_label: String,
    /// Headcount, available stock, or places left.
    pub quantity: i64,
    pub unit: String,
    pub phone: String,
    /// For materials: the stock line and its warehouse.
    pub stock_id: Option<String>,
    pub warehouse_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResult {
    pub lon: f64,
    pub lat: f64,
    /// The radius searched (metres): the one asked for, or the ring that found enough.
    pub radius_m: i64,
    pub item: Option<String>,
    pub min_qty: i64,
    pub items: Vec<SearchHit>,
}

pub async fn search(
    store: &Store,
    scope: &Scope,
    q: &SearchQuery,
    now_ms: i64,
) -> StoreResult<SearchResult> {
    if !matches!(q.kind.as_str(), "team" | "expert" | "material" | "shelter") {
        return Err(StoreError::invalid(
            "kind",
            "资源类型应为 team、expert、material 或 shelter",
        ));
    }
    let (lon, lat) = match (&q.incident_id, q.lon, q.lat) {
        (Some(id), _, _) => incident_location(store, scope, id, now_ms).await?,
        (None, Some(lon), Some(lat)) => {
            let mut errs = Errors::default();
            located(&mut errs, lon, lat).ok_or_else(|| StoreError::from(errs.into_invalid()))?
        }
        _ => return Err(StoreError::invalid("incident_id", "请给出事件或经纬度")),
    };
    let need = match q.need.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(rules::parse_need(text).map_err(|m| StoreError::invalid("need", m))?),
        None => None,
    };
    let radius = match (q.radius_km, need.as_ref().and_then(|n| n.radius_m)) {
        (Some(r), _) if !(r > 0.0 && r * 1000.0 <= rules::MAX_RADIUS_M) => {
            return Err(StoreError::invalid(
                "radius_km",
                "范围应在 0 到 100 公里之间",
            ));
        }
        (Some(r), _) => Some(r * 1000.0),
        (None, r) => r,
    };
    let min_qty = q
        .min_qty
        .or(need.as_ref().map(|n| n.min_qty))
        .unwrap_or(1)
        .max(1);
    let item = need.map(|n| n.item);
    let limit = q.limit.unwrap_or(10).clamp(1, 100) as usize;
    let available_only = q.available_only.unwrap_or(true);
    if q.kind == "material" && item.is_none() {
        return Err(StoreError::invalid(
            "need",
            "请写明所需物资，例如“冲锋舟 ≥ 5”",
        ));
    }
    let rings: Vec<f64> = match radius {
        Some(r) => vec![r],
        None => SEARCH_RINGS_M.to_vec(),
    };
    let mut hits = Vec::new();
    let mut searched = 0.0;
    for r in rings {
        searched = r;
        hits = search_ring(
            store,
            scope,
            &q.kind,
            (lon, lat),
            r,
            item.as_deref(),
            min_qty,
            available_only,
            limit,
        )
        .await?;
        if radius.is_some() || hits.len() >= limit {
            break;
        }
    }
    hits.truncate(limit);
    Ok(SearchResult {
        lon,
        lat,
        radius_m: searched as i64,
        item,
        min_qty,
        items: hits,
    })
}

/// Where an incident is: its own point, else its enterprise's.
pub async fn incident_location(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<(f64, f64)> {
    let i = crate::response::incidents::get(store, scope, id, now_ms).await?;
    if let (Some(lon), Some(lat)) = (i.lon, i.lat) {
        return Ok((lon, lat));
    }
    if let Some(e) = &i.enterprise_id {
        let mut q = Sql::new("SELECT lon, lat FROM enterprises WHERE id = ");
        q.bind(e.as_str());
        if let Some(r) = store.fetch_optional(q).await? {
            let (lon, lat): (Option<f64>, Option<f64>) = (r.try_get(0)?, r.try_get(1)?);
            if let (Some(lon), Some(lat)) = (lon, lat) {
                return Ok((lon, lat));
            }
        }
    }
    Err(StoreError::invalid(
        "incident_id",
        "该事件没有位置，无法按距离查找资源",
    ))
}

#[allow(clippy::too_many_arguments)]
async fn search_ring(
    store: &Store,
    scope: &Scope,
    kind: &str,
    (lon, lat): (f64, f64),
    radius_m: f64,
    item: Option<&str>,
    min_qty: i64,
    available_only: bool,
    limit: usize,
) -> StoreResult<Vec<SearchHit>> {
    let ranges = cell_ranges_within(lon, lat, radius_m);
    let (table, alias) = match kind {
        "team" => ("teams", "t"),
        "expert" => ("experts", "e"),
        "shelter" => ("shelters", "h"),
        _ => ("warehouses", "w"),
    };
    let mut q = match kind {
        "material" => Sql::new(
            "SELECT s.id AS stock_id, w.id, w.name, w.lon, w.lat, w.phone, s.material_name, s.unit, s.reserve_type, s.quantity - s.reserved AS available \
             FROM stock s JOIN warehouses w ON w.id = s.warehouse_id WHERE (",
        ),
        _ => Sql::new(&format!("SELECT * FROM {table} {alias} WHERE (")),
    };
    for (i, (from, to)) in ranges.into_iter().enumerate() {
        q.push(if i > 0 { " OR " } else { "" })
            .push(alias)
            .push_bind(".cell BETWEEN ", from)
            .push_bind(" AND ", to);
    }
    q.push(")");
    push_visible(&mut q, alias, scope);
    // Deactivated records are not found (nor the lines of a deactivated warehouse).
    push_active(&mut q, alias, Some(true));
    if kind == "material" {
        push_active(&mut q, "s", Some(true));
    }
    let like = item.map(crate::db::like_contains);
    match kind {
        "team" => {
            if let Some(l) = &like {
                q.push_bind(" AND (t.specialties LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR t.equipment LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR t.name LIKE ", l.clone())
                    .push(" ESCAPE '\\')");
            }
            if available_only {
                q.push(" AND t.status = 'standby'");
            }
        }
        "expert" => {
            if let Some(l) = &like {
                q.push_bind(" AND (e.specialties LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR e.name LIKE ", l.clone())
                    .push(" ESCAPE '\\')");
            }
            if available_only {
                q.push(" AND e.status = 'available'");
            }
        }
        "shelter" => {
            if let Some(l) = &like {
                q.push_bind(" AND (h.name LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR h.facilities LIKE ", l.clone())
                    .push(" ESCAPE '\\')");
            }
            if available_only {
                q.push(" AND h.status = 'open'");
            }
            q.push_bind(" AND h.capacity - h.occupancy >= ", min_qty);
        }
        _ => {
            let item = item.unwrap_or("");
            q.push_bind(" AND (s.material_name = ", item)
                .push_bind(" OR s.material_code = ", item)
                .push(")")
                .push_bind(" AND s.quantity - s.reserved >= ", min_qty);
        }
    }
    // Nearest first in the database by a planar distance (degrees of latitude, longitude scaled by
    // cos φ): within 100 km it orders like the great-circle distance to a fraction of a percent,
    // so the rows beyond twice the limit plus a margin cannot be among the nearest. The exact
    // haversine filter and order follow in Rust on the few rows that come back.
    let k = lat.to_radians().cos();
    let r_deg = radius_m / 111_195.0 * 1.01;
    let planar = |q: &mut Sql| {
        q.push("((")
            .push(alias)
            .push_bind(".lon - ", lon)
            .push_bind(") * ", k)
            .push(") * ((")
            .push(alias)
            .push_bind(".lon - ", lon)
            .push_bind(") * ", k)
            .push(") + (")
            .push(alias)
            .push_bind(".lat - ", lat)
            .push(") * (")
            .push(alias)
            .push_bind(".lat - ", lat)
            .push(")");
    };
    q.push(" AND ");
    planar(&mut q);
    q.push_bind(" <= ", r_deg * r_deg).push(" ORDER BY ");
    planar(&mut q);
    q.push_bind(" LIMIT ", (limit * 2 + 10) as i64);
    if store.backend == crate::Backend::Sqlite {
        q.anonymous_placeholders();
    }
    let rows = store.fetch_all(q).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for r in &rows {
        let (plon, plat): (f64, f64) = (r.try_get("lon")?, r.try_get("lat")?);
        let d = distance_m([lon, lat], [plon, plat]);
        if d > radius_m {
            continue;
        }
        let hit = match kind {
            "team" => {
                let t = team_from_row(r)?;
                SearchHit {
                    kind: "team".into(),
                    detail: format!(
                        "{}{}",
                        t.kind_label,
                        if t.specialties.is_empty() {
                            String::new()
                        } else {
                            format!(" · {}", t.specialties.join("、"))
                        }
                    ),
                    id: t.id,
                    name: t.name,
                    lon: plon,
                    lat: plat,
                    distance_m: d.round() as i64,
                    status: t.status,
                    status_label: t.status_label,
                    quantity: t.headcount,
                    unit: "人".into(),
                    phone: t.phone,
                    stock_id: None,
                    warehouse_id: None,
                }
            }
            "expert" => {
                let e = expert_from_row(r)?;
                SearchHit {
                    kind: "expert".into(),
                    detail: format!(
                        "{} · {}",
                        e.section_labels.join("、"),
                        e.specialties.join("、")
                    ),
                    id: e.id,
                    name: format!(
                        "{}{}",
                        e.name,
                        if e.title.is_empty() {
                            String::new()
                        } else {
                            format!("（{}）", e.title)
                        }
                    ),
                    lon: plon,
                    lat: plat,
                    distance_m: d.round() as i64,
                    status: e.status,
                    status_label: e.status_label,
                    quantity: 1,
                    unit: "人".into(),
                    phone: e.phone,
                    stock_id: None,
                    warehouse_id: None,
                }
            }
            "shelter" => {
                let h = shelter_from_row(r)?;
                SearchHit {
                    kind: "shelter".into(),
                    detail: format!(
                        "{} · 可容纳{}人，现安置{}人",
                        h.kind_label, h.capacity, h.occupancy
                    ),
                    quantity: h.capacity - h.occupancy,
                    id: h.id,
                    name: h.name,
                    lon: plon,
                    lat: plat,
                    distance_m: d.round() as i64,
                    status: h.status,
                    status_label: h.status_label,
                    unit: "人".into(),
                    phone: h.phone,
                    stock_id: None,
                    warehouse_id: None,
                }
            }
            _ => {
                let reserve: String = r.try_get("reserve_type")?;
                let warehouse_id: String = r.try_get("id")?;
                SearchHit {
                    kind: "material".into(),
                    id: warehouse_id.clone(),
                    name: r.try_get("name")?,
                    detail: format!(
                        "{} · {}",
                        r.try_get::<String, _>("material_name")?,
                        label(RESERVE_TYPES, &reserve)
                    ),
                    lon: plon,
                    lat: plat,
                    distance_m: d.round() as i64,
                    status: reserve.clone(),
                    status_label: label(RESERVE_TYPES, &reserve).into(),
                    quantity: r.try_get("available")?,
                    unit: r.try_get("unit")?,
                    phone: r.try_get("phone")?,
                    stock_id: Some(r.try_get("stock_id")?),
                    warehouse_id: Some(warehouse_id),
                }
            }
        };
        hits.push(hit);
    }
    hits.sort_by(|a, b| {
        a.distance_m
            .cmp(&b.distance_m)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(hits)
}

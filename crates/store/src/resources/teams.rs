//! 救援队伍: the rescue-team register (one write path for create, edit and import rows).

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
use yingji_core::resources::register::Register;
use yingji_core::resources::teams::{check_team, team_summary};
use yingji_core::resources::{TEAM_KINDS, TEAM_STATUSES, cell_of, label};

pub use yingji_core::resources::teams::TeamInput;

#[derive(Debug, Clone, Serialize)]
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

pub(super) fn team_from_row(r: &AnyRow) -> StoreResult<Team> {
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
        phone: keys::open(r.try_get("phone")?),
        status_label: label(TEAM_STATUSES, &status).into(),
        status,
        incident_id: r.try_get("incident_id")?,
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

pub(super) const TEAM_COLUMNS: &[&str] = &[
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

/// Registers a team (`existing` None) or edits one, in the caller's transaction; returns its id.
pub async fn save_team(
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
            forbid_outside(ctx, &t.region_code, Register::Teams)?;
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
            t.equipment.clone().into(),
            t.base_address.clone().into(),
            t.lon.into(),
            t.lat.into(),
            cell_of(t.lon, t.lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            t.leader.clone().into(),
            keys::seal(&t.phone)?.into(),
            t.status.clone().into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    let action = if target.is_insert() {
        "team.create"
    } else {
        "team.update"
    };
    let summary = team_summary(target.is_insert(), &t);
    audit_change(tx, ctx, now_ms, Change {
 after: Some(serde_json::json!({"name": t.name, "kind": t.kind, "headcount": t.headcount, "status": t.status, "phone": mask_phone(&t.phone)})),
 ..Change::of(action, "team", &id, summary)
 })
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

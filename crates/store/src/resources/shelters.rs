//! 应急避难场所: the shelter register and its occupancy movements.

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
use yingji_core::resources::shelters::{
    self as rules, OCCUPANCY_CHANGED, ShelterChange, ShelterState, check_shelter, movement_summary,
    movement_text, shelter_status_label, shelter_summary,
};
use yingji_core::resources::{SHELTER_KINDS, cell_of, label};

pub use yingji_core::resources::shelters::{ShelterInput, ShelterMovementInput};

#[derive(Debug, Clone, Serialize)]
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

pub(super) fn shelter_from_row(r: &AnyRow) -> StoreResult<Shelter> {
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
        status_label: shelter_status_label(&status).into(),
        status,
        occupancy: r.try_get("occupancy")?,
        manager: r.try_get("manager")?,
        phone: keys::open(r.try_get("phone")?),
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

pub(super) const SHELTER_COLUMNS: &[&str] = &[
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

/// Registers a shelter (`existing` None) or edits one, in the caller's transaction. Opening,
/// closing and occupancy are movements, never an edit; the capacity cannot fall below those in.
pub async fn save_shelter(
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
            forbid_outside(ctx, &h.region_code, Register::Shelters)?;
            h.occupancy
        }
        None => 0,
    };
    let h = check_shelter(input, occupancy)?;
    let region = check_region(store, ctx, "region_code", &input.region_code).await?;
    let id = existing.map_or_else(new_id, str::to_string);
    let target = Target::of(existing, &["status", "occupancy"]);
    write_row(
        tx,
        "shelters",
        SHELTER_COLUMNS,
        vec![
            id.clone().into(),
            h.name.clone().into(),
            h.kind.clone().into(),
            h.address.clone().into(),
            h.lon.into(),
            h.lat.into(),
            cell_of(h.lon, h.lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            h.capacity.into(),
            h.area_m2.into(),
            join_codes(&h.facilities).into(),
            "closed".into(),
            0i64.into(),
            h.manager.clone().into(),
            keys::seal(&h.phone)?.into(),
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
        Change {
            after: Some(
                serde_json::json!({"name": h.name, "kind": h.kind, "capacity": h.capacity, "phone": mask_phone(&h.phone)}),
            ),
            ..Change::of(
                if target.is_insert() {
                    "shelter.create"
                } else {
                    "shelter.update"
                },
                "shelter",
                &id,
                shelter_summary(target.is_insert(), &h),
            )
        },
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

/// A movement of a shelter, checked against the shelter as read.
#[derive(Debug, Clone)]
pub struct CheckedShelterMovement {
    shelter: Shelter,
    m: rules::CheckedMovement,
}

/// Checks 开放 / 关闭 / 入住 / 离开: the caller manages the shelter's region, and the movement
/// fits the shelter as read (`core::resources::shelters::check_movement`).
pub async fn check_shelter_movement(
    store: &Store,
    ctx: &Ctx,
    id: &str,
    input: &ShelterMovementInput,
) -> StoreResult<CheckedShelterMovement> {
    forbid_unless_manager(ctx)?;
    let shelter = get_shelter(store, &ctx.scope, id).await?;
    forbid_outside(ctx, &shelter.region_code, Register::Shelters)?;
    let state = ShelterState {
        active: shelter.active,
        open: shelter.status == "open",
        occupancy: shelter.occupancy,
        capacity: shelter.capacity,
    };
    let m = rules::check_movement(state, input)?;
    Ok(CheckedShelterMovement { shelter, m })
}

/// Writes a checked movement in the caller's transaction. Occupancy moves by a guarded update,
/// so two check-ins at once can never overfill the shelter and two check-outs can never take it
/// below zero.
pub async fn shelter_movement_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    input: &ShelterMovementInput,
    c: &CheckedShelterMovement,
) -> StoreResult<()> {
    let (s, change) = (&c.shelter, c.m.change);
    let Some(row) = guarded_update(s, change, now_ms).fetch_optional(tx).await? else {
        return Err(StoreError::conflict("people", OCCUPANCY_CHANGED));
    };
    let after: i64 = row.try_get(0)?;
    let people = change.people();
    let mut q = Sql::new(
        "INSERT INTO shelter_movements (id, shelter_id, kind, people, occupancy_after, at_ms, incident_id, note, author) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        s.id.clone().into(),
        input.kind.clone().into(),
        people.into(),
        after.into(),
        now_ms.into(),
        input.incident_id.clone().into(),
        c.m.note.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    let text = movement_text(&input.kind, input.people).unwrap_or_default();
    audit_change(
        tx,
        ctx,
        now_ms,
        Change {
            after: Some(
                serde_json::json!({"kind": input.kind, "people": people, "occupancy": after}),
            ),
            ..Change::of(
                &format!("shelter.{}", input.kind),
                "shelter",
                &s.id,
                movement_summary(&s.name, &text, after),
            )
        },
    )
    .await
}

/// The update a movement makes, guarded by the shelter as read (its status for 开放 / 关闭) or by
/// its bounds (capacity, zero), returning the occupancy after it; no row when the guard refused.
fn guarded_update(s: &Shelter, change: ShelterChange, now_ms: i64) -> Sql {
    match change {
        ShelterChange::Open | ShelterChange::Close => {
            let mut u = Sql::new("UPDATE shelters SET status = ");
            u.bind(if change == ShelterChange::Open {
                "open"
            } else {
                "closed"
            })
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE id = ", s.id.clone())
            .push_bind(" AND status = ", s.status.clone())
            .push(" RETURNING occupancy");
            u
        }
        ShelterChange::CheckIn(n) => {
            let mut u = Sql::new("UPDATE shelters SET occupancy = occupancy + ");
            u.bind(n)
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE id = ", s.id.clone())
                .push(" AND status = 'open' AND occupancy + ")
                .bind(n)
                .push(" <= capacity RETURNING occupancy");
            u
        }
        ShelterChange::CheckOut(n) => {
            let mut u = Sql::new("UPDATE shelters SET occupancy = occupancy - ");
            u.bind(n)
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE id = ", s.id.clone())
                .push_bind(" AND occupancy >= ", n)
                .push(" RETURNING occupancy");
            u
        }
    }
}

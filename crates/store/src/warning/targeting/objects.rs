//! 承灾体 (protected objects): the register, personal data masked outside its scope, and the spatial queries a warning area needs.

use crate::kernel::Ctx;
use crate::kernel::keys;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::geo::{Polygon, Ring};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::resources::cell_of;
pub use yingji_core::warning::target::ObjectInput;
use yingji_core::warning::target::object::{
    self, CheckedObject, ResponsibleAccount, check_object, mask_name,
};
use yingji_core::warning::target::{PreparedArea, kind_label, person_type_label};

#[derive(Debug, Clone, Serialize)]
pub struct ProtectedObject {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    /// Masked for a 特殊群体 unless the caller is their grid worker or an administrator.
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub outline: Option<serde_json::Value>,
    pub region_code: String,
    pub responsible_user_id: Option<String>,
    pub responsible_name: String,
    pub responsible_phone: String,
    pub responsible_type: String,
    pub responsible_type_label: String,
    pub personal: bool,
    pub masked: bool,
    /// False once deactivated (停用): kept, but no longer targeted by warnings.
    pub active: bool,
}

pub(super) fn object_from_row(
    r: &AnyRow,
    scope: &Scope,
    role: Role,
) -> StoreResult<ProtectedObject> {
    let kind: String = r.try_get("kind")?;
    let personal = r.try_get::<i64, _>("personal")? == 1;
    let region_code: String = r.try_get("region_code")?;
    let masked =
        personal && !yingji_core::warning::access::sees_personal(scope, role, &region_code);
    let name = keys::open(r.try_get("name")?);
    let address = keys::open(r.try_get("address")?);
    let rtype: String = r.try_get("responsible_type")?;
    Ok(ProtectedObject {
        responsible_type_label: person_type_label(&rtype).into(),
        responsible_type: rtype,
        id: r.try_get("id")?,
        kind_label: kind_label(&kind).into(),
        kind,
        name: if masked { mask_name(&name) } else { name },
        address: if masked {
            object::MASKED_ADDRESS.into()
        } else {
            address
        },
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        outline: r
            .try_get::<Option<String>, _>("outline")?
            .and_then(|s| serde_json::from_str(&s).ok()),
        region_code,
        responsible_user_id: r.try_get("responsible_user_id")?,
        responsible_name: r.try_get("responsible_name")?,
        responsible_phone: keys::open(r.try_get("responsible_phone")?),
        personal,
        masked,
        active: crate::resources::active_of(r)?,
    })
}

pub(crate) fn push_region(q: &mut Sql, alias: &str, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(
                &format!(" AND {alias}.region_code LIKE "),
                format!("{prefix}%"),
            );
        }
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            q.push(" AND 1 = 0");
        }
    }
}

pub async fn get_object(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<ProtectedObject> {
    let mut q = Sql::new("SELECT * FROM protected_objects o WHERE o.id = ");
    q.bind(id);
    push_region(&mut q, "o", &ctx.scope);
    object_from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        &ctx.scope,
        ctx.role,
    )
}

/// Who may register, edit and deactivate 承灾体: the roles that manage an area, inside it.
pub(crate) fn forbid_object_writes(ctx: &Ctx, region_code: &str) -> StoreResult<()> {
    forbid_object_role(ctx)?;
    if !ctx.scope.covers_region(region_code) {
        return Err(StoreError::Forbidden(object::OBJECT_OUTSIDE_SCOPE.into()));
    }
    Ok(())
}

pub(crate) fn forbid_object_role(ctx: &Ctx) -> StoreResult<()> {
    if !yingji_core::warning::access::may_register_objects(ctx.role) {
        return Err(StoreError::Forbidden(object::MAY_NOT_REGISTER.into()));
    }
    Ok(())
}

pub(crate) const OBJECT_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "name",
    "address",
    "lon",
    "lat",
    "cell",
    "region_code",
    "district_code",
    "street_code",
    "responsible_user_id",
    "responsible_name",
    "responsible_phone",
    "responsible_type",
    "personal",
    "note",
    "outline",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "created_ms",
    "updated_ms",
];

/// Registers a 承灾体 (`existing` None) or edits one, in the caller's transaction (the use cases
/// in yingji-app `warning::targeting`, the register import). The fields are checked by
/// `yingji_core::warning::target::check_object`.
pub async fn save_object(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &ObjectInput,
) -> StoreResult<String> {
    may_save(store, ctx, existing).await?;
    let role = match input.responsible_user_id.as_deref() {
        Some(u) => {
            let mut q = Sql::new("SELECT role FROM users WHERE id = ");
            q.bind(u);
            match store.fetch_optional(q).await? {
                Some(r) => Some(r.try_get::<String, _>(0)?),
                None => None,
            }
        }
        None => None,
    };
    let account = match (&input.responsible_user_id, role.as_deref()) {
        (None, _) => ResponsibleAccount::None,
        (Some(_), Some(r)) => ResponsibleAccount::Role(r),
        (Some(_), None) => ResponsibleAccount::Unknown,
    };
    let o = check_object(input, account)?;
    let region = input.region_code.trim();
    if region.len() < 12
        || crate::directory::regions::get(store, &Scope::All, region)
            .await
            .is_err()
    {
        return Err(StoreError::invalid("region_code", object::REGION_UNKNOWN));
    }
    if !ctx.scope.covers_region(region) {
        return Err(StoreError::Forbidden(object::REGION_OUTSIDE_SCOPE.into()));
    }
    let id = existing.map_or_else(new_id, str::to_string);
    let target = crate::kernel::rows::Target::of(existing, &[]);
    let values = object_values(&id, now_ms, input, region, o.clone())?;
    crate::kernel::rows::write_row(tx, "protected_objects", OBJECT_COLUMNS, values, target).await?;
    let change = crate::kernel::audit::Change {
        action: if target.is_insert() {
            "protected_object.create"
        } else {
            "protected_object.update"
        },
        entity_type: "protected_object",
        entity_id: Some(&id),
        summary: object::object_saved(target.is_insert(), &input.kind, &o.name),
        before: None,
        after: None,
    };
    crate::kernel::audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Whether the caller may register a 承灾体, or edit this one (in their area, not masked).
async fn may_save(store: &Store, ctx: &Ctx, existing: Option<&str>) -> StoreResult<()> {
    let Some(id) = existing else {
        return forbid_object_role(ctx);
    };
    let before = get_object(store, ctx, id).await?;
    forbid_object_writes(ctx, &before.region_code)?;
    if before.masked {
        return Err(StoreError::Forbidden(object::PERSONAL_FOR_GRID_ONLY.into()));
    }
    Ok(())
}

/// The row of a checked 承灾体, in `OBJECT_COLUMNS` order. Sealed (ADR 0032): the responsible
/// person's phone always; a 特殊群体's name, address and note (the personal row's own data).
pub(crate) fn object_values(
    id: &str,
    now_ms: i64,
    input: &ObjectInput,
    region: &str,
    o: CheckedObject,
) -> StoreResult<Vec<crate::db::Val>> {
    let personal = input.kind == "special_person";
    let own = |v: String| if personal { keys::seal(&v) } else { Ok(v) };
    let bbox = o
        .outline
        .as_deref()
        .and_then(|p| yingji_core::kernel::geo::BBox::of(&p.concat()));
    Ok(vec![
        id.into(),
        input.kind.clone().into(),
        own(o.name)?.into(),
        own(o.address)?.into(),
        o.lon.into(),
        o.lat.into(),
        cell_of(o.lon, o.lat).into(),
        region.into(),
        region[..6].into(),
        region[..9].into(),
        input.responsible_user_id.clone().into(),
        o.responsible_name.into(),
        keys::seal(&o.responsible_phone)?.into(),
        o.responsible_type.into(),
        personal.into(),
        o.note.map(own).transpose()?.into(),
        o.outline
            .as_deref()
            .map(|p| yingji_core::kernel::geo::polygons_to_geometry(p).to_string())
            .into(),
        bbox.map(|b| b.min_lon).into(),
        bbox.map(|b| b.min_lat).into(),
        bbox.map(|b| b.max_lon).into(),
        bbox.map(|b| b.max_lat).into(),
        now_ms.into(),
        now_ms.into(),
    ])
}

pub async fn list_objects(
    store: &Store,
    scope: &Scope,
    role: Role,
    kind: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<ProtectedObject>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_region(&mut w, "o", scope);
    if let Some(k) = kind {
        w.push_bind(" AND o.kind = ", k);
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM protected_objects o",
            "SELECT * FROM protected_objects o",
            w,
            "o.kind, o.name, o.id",
            page,
            |r| object_from_row(r, scope, role),
        )
        .await
}

/// The objects of `kinds` in `district` inside an area of rings without holes, each ring a
/// polygon of its own (a union) — `yingji bench-targeting` measures this. See
/// [`objects_inside_polygons`].
pub async fn objects_inside(
    tx: &mut Tx,
    rings: &[Ring],
    kinds: &[String],
    district: &str,
) -> StoreResult<Vec<(String, String, String)>> {
    objects_inside_area(tx, &PreparedArea::new(rings), kinds, district).await
}

/// The objects of `kinds` in `district` inside the area — the union of its polygons, each its
/// outer ring less its holes: the search cells the area spans give the candidates through the
/// cell index, a prepared point-in-polygon test decides; objects that are areas are tested whole
/// (an outline wholly in a hole is not inside). Answers (object id, kind, region).
pub async fn objects_inside_polygons(
    tx: &mut Tx,
    polygons: &[Polygon],
    kinds: &[String],
    district: &str,
) -> StoreResult<Vec<(String, String, String)>> {
    objects_inside_area(tx, &PreparedArea::of_polygons(polygons), kinds, district).await
}

pub(super) async fn objects_inside_area(
    tx: &mut Tx,
    area: &PreparedArea,
    kinds: &[String],
    district: &str,
) -> StoreResult<Vec<(String, String, String)>> {
    let mut inside = Vec::new();
    if area.bbox.is_none() || kinds.is_empty() {
        return Ok(inside);
    }
    let mut q = Sql::new(
        "SELECT o.id, o.kind, o.region_code, o.lon, o.lat FROM protected_objects o WHERE o.deactivated_ms IS NULL AND (",
    );
    for (i, (from, to)) in area.cell_ranges().into_iter().enumerate() {
        q.push(if i > 0 { " OR " } else { "" })
            .push_bind("o.cell BETWEEN ", from)
            .push_bind(" AND ", to);
    }
    q.push(") AND o.kind IN ")
        .bind_list(kinds.iter().map(String::as_str))
        .push_bind(" AND o.district_code = ", district);
    for r in q.fetch_all(tx).await? {
        let (lon, lat): (f64, f64) = (r.try_get(3)?, r.try_get(4)?);
        if area.contains(lon, lat) {
            inside.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
        }
    }
    // Objects that are areas: those whose outline's box meets the area's box, tested whole.
    if let Some(b) = area.bbox {
        let mut q = Sql::new(
            "SELECT o.id, o.kind, o.region_code, o.outline FROM protected_objects o WHERE o.deactivated_ms IS NULL AND o.outline IS NOT NULL AND o.district_code = ",
        );
        q.bind(district)
            .push(" AND o.kind IN ")
            .bind_list(kinds.iter().map(String::as_str))
            .push_bind(" AND o.max_lon >= ", b.min_lon)
            .push_bind(" AND o.min_lon <= ", b.max_lon)
            .push_bind(" AND o.max_lat >= ", b.min_lat)
            .push_bind(" AND o.min_lat <= ", b.max_lat);
        for r in q.fetch_all(tx).await? {
            let id: String = r.try_get(0)?;
            if inside.iter().any(|(i, ..)| *i == id) {
                continue;
            }
            let outline = serde_json::from_str::<serde_json::Value>(&r.try_get::<String, _>(3)?)
                .ok()
                .and_then(|v| yingji_core::kernel::geo::polygons_of_geometry(&v).ok())
                .unwrap_or_default();
            if area.touches(&outline) {
                inside.push((id, r.try_get(1)?, r.try_get(2)?));
            }
        }
    }
    Ok(inside)
}

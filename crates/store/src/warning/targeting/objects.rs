//! 承灾体 (protected objects): the register, personal data masked outside its scope, and the spatial queries a warning area needs.

use crate::kernel::Ctx;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::geo::{Polygon, Ring};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{
    Errors, latitude, longitude, optional_text, phone, required_text,
};
use yingji_core::resources::cell_of;
use yingji_core::warning::target::{
    OBJECT_KINDS, PERSON_TYPES, PreparedArea, default_person_type, kind_label, person_type_label,
};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectInput {
    /// dangerous_house / geohazard / waterlogging / school … (GET /api/v1/protected-objects/meta)
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// A point; may be left out when `outline` is given (a point inside it is taken).
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// For an object that is an area (a slope, a site): a GeoJSON Polygon or MultiPolygon
    /// (lon, lat); a warning whose area touches it targets it.
    #[serde(default)]
    pub outline: Option<serde_json::Value>,
    /// The grid (or community) it lies in.
    pub region_code: String,
    /// The responsible person's account, if they have one (they answer on the phone page).
    #[serde(default)]
    pub responsible_user_id: Option<String>,
    pub responsible_name: String,
    pub responsible_phone: String,
    /// grid_worker / community_cadre / street_cadre / unit_head / enterprise_safety / guardian /
    /// other; defaults by the object's kind.
    #[serde(default)]
    pub responsible_type: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

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

pub(super) fn mask_name(n: &str) -> String {
    let mut c = n.chars();
    match c.next() {
        Some(first) => format!("{first}{}", "*".repeat(c.count().clamp(1, 3))),
        None => String::new(),
    }
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
    let name: String = r.try_get("name")?;
    let address: String = r.try_get("address")?;
    let rtype: String = r.try_get("responsible_type")?;
    Ok(ProtectedObject {
        responsible_type_label: person_type_label(&rtype).into(),
        responsible_type: rtype,
        id: r.try_get("id")?,
        kind_label: kind_label(&kind).into(),
        kind,
        name: if masked { mask_name(&name) } else { name },
        address: if masked {
            "（仅网格员可见）".into()
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
        responsible_phone: r.try_get("responsible_phone")?,
        personal,
        masked,
        active: crate::resources::active_of(r)?,
    })
}

pub(super) fn push_region(q: &mut Sql, alias: &str, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(
                &format!(" AND {alias}.region_code LIKE "),
                format!("{prefix}%"),
            );
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
        return Err(StoreError::Forbidden("该承灾体不在您的管辖范围内".into()));
    }
    Ok(())
}

pub(crate) fn forbid_object_role(ctx: &Ctx) -> StoreResult<()> {
    if !yingji_core::warning::access::may_register_objects(ctx.role) {
        return Err(StoreError::Forbidden("您没有登记或修改承灾体的权限".into()));
    }
    Ok(())
}

pub(super) const OBJECT_COLUMNS: &[&str] = &[
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
/// in yingji-app `warning::targeting`, the register import).
pub async fn save_object(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &ObjectInput,
) -> StoreResult<String> {
    if let Some(id) = existing {
        let before = get_object(store, ctx, id).await?;
        forbid_object_writes(ctx, &before.region_code)?;
        if before.masked {
            return Err(StoreError::Forbidden(
                "特殊群体的信息只有其网格员和管理员可以修改".into(),
            ));
        }
    } else {
        forbid_object_role(ctx)?;
    }
    let mut errs = Errors::default();
    if !OBJECT_KINDS.iter().any(|(c, _)| *c == input.kind) {
        errs.add("kind", format!("承灾体类型“{}”无效", input.kind));
    }
    // Unsaid, the person type follows the responsible account's role, else the object's kind.
    let account_role = match input.responsible_user_id.as_deref() {
        Some(u) => {
            let mut q = Sql::new("SELECT role FROM users WHERE id = ");
            q.bind(u);
            match store.fetch_optional(q).await? {
                Some(r) => Some(r.try_get::<String, _>(0)?),
                None => {
                    errs.add("responsible_user_id", "责任人账号不存在");
                    None
                }
            }
        }
        None => None,
    };
    let rtype = input
        .responsible_type
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            match account_role.as_deref() {
                Some("grid_worker") => "grid_worker",
                Some("street_staff") => "street_cadre",
                Some("enterprise_user") => "enterprise_safety",
                _ => default_person_type(&input.kind),
            }
            .to_string()
        });
    if !PERSON_TYPES.iter().any(|(c, _)| *c == rtype) {
        errs.add(
            "responsible_type",
            format!("责任人类型“{rtype}”无效（应为网格员、村（社区）干部、单位负责人等）"),
        );
    }
    let name = errs.check("name", required_text("名称", &input.name, 60));
    let address = errs
        .check("address", optional_text("地址", &input.address, 200))
        .flatten()
        .unwrap_or_default();
    let outline = match &input.outline {
        Some(v) => match yingji_core::warning::cap::polygons_of_geojson(v) {
            Ok(polygons) => Some(polygons),
            Err(m) => {
                errs.add("outline", format!("轮廓：{m}"));
                None
            }
        },
        None => None,
    };
    // Inside the outline, not in a hole of it.
    let inner = outline
        .as_deref()
        .and_then(yingji_core::kernel::geo::area_interior_point);
    let (lon, lat) = match (input.lon, input.lat, inner) {
        (Some(x), Some(y), _) => (
            errs.check("lon", longitude(x)),
            errs.check("lat", latitude(y)),
        ),
        (None, None, Some(p)) => (Some(p[0]), Some(p[1])),
        _ => {
            if !errs.has("outline") {
                errs.add("lon", "请填写位置（经纬度）或轮廓");
            }
            (None, None)
        }
    };
    let rname = errs.check(
        "responsible_name",
        required_text("责任人", &input.responsible_name, 30),
    );
    let rphone = errs
        .check(
            "responsible_phone",
            phone("责任人电话", &input.responsible_phone),
        )
        .flatten();
    if rphone.is_none() && !errs.has("responsible_phone") {
        errs.add("responsible_phone", "责任人电话不能为空");
    }
    let note = errs
        .check(
            "note",
            optional_text("备注", input.note.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    let (Some(name), Some(lon), Some(lat), Some(rname), Some(rphone), true) =
        (name, lon, lat, rname, rphone, errs.is_empty())
    else {
        return Err(errs.into_invalid().into());
    };
    let region = input.region_code.trim();
    if region.len() < 12
        || crate::directory::regions::get(store, &Scope::All, region)
            .await
            .is_err()
    {
        return Err(StoreError::invalid("region_code", "所在社区或网格不存在"));
    }
    if !ctx.scope.covers_region(region) {
        return Err(StoreError::Forbidden("所在区划不在您的管辖范围内".into()));
    }
    let bbox = outline
        .as_deref()
        .and_then(|p| yingji_core::kernel::geo::BBox::of(&p.concat()));
    let id = existing.map_or_else(new_id, str::to_string);
    let target = crate::resources::registers::Target::of(existing, &[]);
    let values = vec![
        id.clone().into(),
        input.kind.clone().into(),
        name.clone().into(),
        address.into(),
        lon.into(),
        lat.into(),
        cell_of(lon, lat).into(),
        region.into(),
        region[..6].into(),
        region[..9].into(),
        input.responsible_user_id.clone().into(),
        rname.into(),
        rphone.into(),
        rtype.into(),
        (input.kind == "special_person").into(),
        note.into(),
        outline
            .as_deref()
            .map(|p| yingji_core::kernel::geo::polygons_to_geometry(p).to_string())
            .into(),
        bbox.map(|b| b.min_lon).into(),
        bbox.map(|b| b.min_lat).into(),
        bbox.map(|b| b.max_lon).into(),
        bbox.map(|b| b.max_lat).into(),
        now_ms.into(),
        now_ms.into(),
    ];
    crate::resources::registers::write_row(tx, "protected_objects", OBJECT_COLUMNS, values, target)
        .await?;
    crate::kernel::audit::append(
        tx,
        now_ms,
        &ctx.actor,
        crate::kernel::audit::Change {
            action: if target.is_insert() {
                "protected_object.create"
            } else {
                "protected_object.update"
            },
            entity_type: "protected_object",
            entity_id: Some(&id),
            // A 特殊群体's name stays out of the audit summary.
            summary: format!(
                "{}承灾体：{}（{}）",
                if target.is_insert() {
                    "登记"
                } else {
                    "修改"
                },
                if input.kind == "special_person" {
                    mask_name(&name)
                } else {
                    name
                },
                kind_label(&input.kind)
            ),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(id)
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

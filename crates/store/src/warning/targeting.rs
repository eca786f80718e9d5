//! 靶向预警: protected objects (承灾体), and the response work orders a published warning creates
//! for those inside its area that its event concerns (rules in `yingji_core::warning::target`). Candidates
//! come from the search cells of the area's bounding box (an index range scan), then an exact
//! point-in-polygon test; an update re-targets the chain (new objects get orders, those no longer
//! inside are released); 解除 closes the open orders. Unacknowledged orders escalate on durable
//! timers: to the community/grid supervisor at the deadline, to the street after that.

use crate::kernel::Ctx;
use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::timers::{self, OrderStep, TimerCode, TimerKind};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::geo::{Polygon, Ring};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{
    Errors, latitude, longitude, optional_text, phone, required_text,
};
use yingji_core::resources::cell_of;
use yingji_core::warning::target::{
    Effectiveness, OBJECT_KINDS, OrderOutcome, PERSON_TYPES, PreparedArea, default_person_type,
    kind_label, person_type_label,
};

// ---------------------------------------------------------------------------------------------
// Protected objects

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

fn mask_name(n: &str) -> String {
    let mut c = n.chars();
    match c.next() {
        Some(first) => format!("{first}{}", "*".repeat(c.count().clamp(1, 3))),
        None => String::new(),
    }
}

/// Whether the caller may see a 特殊群体's personal data: administrators, and the grid workers
/// whose grid holds them.
fn sees_personal(scope: &Scope, role: Role, region_code: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::GridWorker => scope
            .region_prefix()
            .is_some_and(|p| region_code.starts_with(p)),
        _ => false,
    }
}

fn object_from_row(r: &AnyRow, scope: &Scope, role: Role) -> StoreResult<ProtectedObject> {
    let kind: String = r.try_get("kind")?;
    let personal = r.try_get::<i64, _>("personal")? == 1;
    let region_code: String = r.try_get("region_code")?;
    let masked = personal && !sees_personal(scope, role, &region_code);
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

fn push_region(q: &mut Sql, alias: &str, scope: &Scope) {
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

pub async fn create_object(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ObjectInput,
) -> StoreResult<ProtectedObject> {
    let mut tx = store.begin().await?;
    let id = save_object(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    get_object(store, ctx, &id).await
}

pub async fn update_object(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ObjectInput,
) -> StoreResult<ProtectedObject> {
    let mut tx = store.begin().await?;
    save_object(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    get_object(store, ctx, id).await
}

/// A 承灾体 the caller sees.
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
    if !matches!(
        ctx.role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::GridWorker
    ) {
        return Err(StoreError::Forbidden("您没有登记或修改承灾体的权限".into()));
    }
    Ok(())
}

const OBJECT_COLUMNS: &[&str] = &[
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

/// Registers a 承灾体 (`existing` None) or edits one, in the caller's transaction.
pub(crate) async fn save_object(
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
        Some(v) => match crate::warning::polygons_of_geojson(v) {
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

// ---------------------------------------------------------------------------------------------
// Targeting

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

async fn objects_inside_area(
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

/// The first warning of an update chain: orders belong to it, so an update re-targets them.
async fn chain_root(tx: &mut Tx, warning_id: &str) -> StoreResult<String> {
    let mut id = warning_id.to_string();
    for _ in 0..50 {
        let mut q = Sql::new("SELECT supersedes FROM warnings WHERE id = ");
        q.bind(id.as_str());
        match q
            .fetch_optional(tx)
            .await?
            .map(|r| r.try_get::<Option<String>, _>(0))
            .transpose()?
            .flatten()
        {
            Some(p) => id = p,
            None => break,
        }
    }
    Ok(id)
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Targeted {
    pub created: usize,
    pub kept: usize,
    pub released: usize,
    pub closed: usize,
}

/// Applies a published message to the work orders of its chain (in the caller's transaction).
/// An Alert or Update targets; a Cancel closes; a message that is not Actual does nothing.
pub async fn apply(tx: &mut Tx, now_ms: i64, warning_id: &str) -> StoreResult<Targeted> {
    let mut q = Sql::new("SELECT * FROM warnings WHERE id = ");
    q.bind(warning_id);
    let w = q.fetch_one(tx).await?;
    let (msg_type, cap_status): (String, String) =
        (w.try_get("msg_type")?, w.try_get("cap_status")?);
    let chain = chain_root(tx, warning_id).await?;
    let mut out = Targeted::default();
    if cap_status != "Actual" {
        return Ok(out);
    }
    if msg_type == "Cancel" {
        let mut u = Sql::new("UPDATE work_orders SET status = 'closed', closed_ms = ");
        u.bind(now_ms)
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE chain_id = ", chain.as_str())
            .push(" AND status IN ('open', 'acknowledged', 'reported') RETURNING id");
        for r in u.fetch_all(tx).await? {
            let id: String = r.try_get(0)?;
            timers::cancel(tx, &id, TimerCode::WorkOrderEscalate).await?;
            out.closed += 1;
        }
        return Ok(out);
    }
    let district: String = w.try_get("district_code")?;
    let event: String = w.try_get("event_code")?;
    let level: i64 = w.try_get("level")?;
    let polygons = yingji_core::kernel::geo::stored_polygons(&w.try_get::<String, _>("area")?);
    let cfg = crate::prevention::rules::current_tx(tx, &district)
        .await?
        .rules
        .warning;
    let kinds = cfg.kinds_for(&event);
    let inside = objects_inside_polygons(tx, &polygons, &kinds, &district).await?;
    let mut q = Sql::new("SELECT id, object_id, status FROM work_orders WHERE chain_id = ");
    q.bind(chain.as_str());
    let existing: Vec<(String, String, String)> = q
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<StoreResult<_>>()?;
    let due = now_ms + cfg.ack_minutes_for(level) * 60_000;
    let mut created: Vec<(String, String, Vec<String>)> = Vec::new();
    for (object_id, kind, region) in &inside {
        match existing.iter().find(|(_, o, _)| o == object_id) {
            Some((id, _, status)) => {
                // Still inside: the order follows the newest message; a released one comes back.
                let mut u = Sql::new("UPDATE work_orders SET warning_id = ");
                u.bind(warning_id).push_bind(", updated_ms = ", now_ms);
                if status == "released" {
                    u.push_bind(", status = 'open', escalation = 0, due_ms = ", due);
                    let first = TimerKind::WorkOrderEscalate(OrderStep { step: 1 });
                    timers::schedule(tx, now_ms, &first, id, due).await?;
                }
                u.push_bind(" WHERE id = ", id.as_str());
                u.execute(tx).await?;
                out.kept += 1;
            }
            None => {
                let id = new_id();
                let actions = cfg.actions_for(&event, level, kind);
                let mut ins = Sql::new(
                    "INSERT INTO work_orders (id, chain_id, warning_id, object_id, region_code, status, actions, due_ms, escalation, relocated, created_ms, updated_ms) VALUES ",
                );
                ins.values(vec![
                    id.clone().into(),
                    chain.clone().into(),
                    warning_id.into(),
                    object_id.clone().into(),
                    region.clone().into(),
                    "open".into(),
                    join_codes(&actions).into(),
                    due.into(),
                    0i64.into(),
                    0i64.into(),
                    now_ms.into(),
                    now_ms.into(),
                ]);
                ins.execute(tx).await?;
                let first = TimerKind::WorkOrderEscalate(OrderStep { step: 1 });
                timers::schedule(tx, now_ms, &first, &id, due).await?;
                created.push((id, object_id.clone(), actions));
                out.created += 1;
            }
        }
    }
    for (id, object_id, status) in &existing {
        if matches!(status.as_str(), "open" | "acknowledged")
            && !inside.iter().any(|(o, ..)| o == object_id)
        {
            let mut u = Sql::new("UPDATE work_orders SET status = 'released', updated_ms = ");
            u.bind(now_ms).push_bind(" WHERE id = ", id.as_str());
            u.execute(tx).await?;
            timers::cancel(tx, id, TimerCode::WorkOrderEscalate).await?;
            out.released += 1;
        }
    }
    let headline: String = w.try_get("headline")?;
    notify_responsible(tx, now_ms, &headline, cfg.ack_minutes_for(level), &created).await?;
    Ok(out)
}

/// Tells each new order's responsible person: in the app when they have an account, by SMS
/// (through the outbox) when their phone is a mobile. A 特殊群体's name stays out of the text.
async fn notify_responsible(
    tx: &mut Tx,
    now_ms: i64,
    headline: &str,
    minutes: i64,
    created: &[(String, String, Vec<String>)],
) -> StoreResult<()> {
    for chunk in created.chunks(500) {
        let mut q = Sql::new(
            "SELECT id, kind, name, personal, responsible_user_id, responsible_name, responsible_phone FROM protected_objects WHERE id IN ",
        );
        q.bind_list(chunk.iter().map(|(_, o, _)| o.as_str()));
        for r in q.fetch_all(tx).await? {
            let object_id: String = r.try_get(0)?;
            let Some((order_id, _, actions)) = chunk.iter().find(|(_, o, _)| *o == object_id)
            else {
                continue;
            };
            let (kind, name): (String, String) = (r.try_get(1)?, r.try_get(2)?);
            let who = if r.try_get::<i64, _>(3)? == 1 {
                mask_name(&name)
            } else {
                name
            };
            let msg = yingji_core::kernel::notify::Message {
                event: "warning.order".into(),
                title: format!("{headline}：响应工单"),
                body: format!(
                    "请对{}“{who}”{}，并在 {minutes} 分钟内回复“收到”。",
                    kind_label(&kind),
                    actions.join("、")
                ),
                link: "/work-orders".into(),
                subject_id: order_id.clone(),
            };
            let user: Option<String> = r.try_get(4)?;
            if let Some(u) = &user {
                crate::kernel::notifications::send(
                    tx,
                    now_ms,
                    std::slice::from_ref(u),
                    &msg.title,
                    &msg.body,
                    Some(&msg.link),
                )
                .await?;
            }
            let person = (user.unwrap_or_default(), r.try_get(5)?, r.try_get(6)?);
            crate::kernel::outbox::text_people(tx, now_ms, &[person], &msg).await?;
        }
    }
    Ok(())
}

/// An order's deadline passed: if nobody acknowledged it, it goes up a level — step 1 to the
/// community's or street's staff (网格长/社区), step 2 to the street — each with a notification.
pub async fn fire_order_step(
    tx: &mut Tx,
    order_id: &str,
    timer: OrderStep,
    now_ms: i64,
) -> StoreResult<()> {
    let step = timer.step;
    let mut q = Sql::new(
        "SELECT w.status, w.region_code, o.name, o.kind, o.personal, n.headline FROM work_orders w JOIN protected_objects o ON o.id = w.object_id JOIN warnings n ON n.id = w.warning_id WHERE w.id = ",
    );
    q.bind(order_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let status: String = r.try_get(0)?;
    if status != "open" {
        return Ok(());
    }
    let region: String = r.try_get(1)?;
    let (name, kind): (String, String) = (r.try_get(2)?, r.try_get(3)?);
    let personal = r.try_get::<i64, _>(4)? == 1;
    let headline: String = r.try_get(5)?;
    let mut u = Sql::new("UPDATE work_orders SET escalation = ");
    u.bind(step)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", order_id);
    u.execute(tx).await?;
    // Step 1: staff of the community (12 digits) or, without any, of the street; step 2: the
    // street's staff and its duty group's robot or mailbox.
    let street = region.get(..9).unwrap_or(&region).to_string();
    let community = region.get(..12).unwrap_or(&region).to_string();
    let mut audience = escalation::resolve(tx, &[Target::Staff(&community)], false).await?;
    if step >= 2 || audience.users.is_empty() {
        audience = escalation::resolve(tx, &[Target::Staff(&street)], step >= 2).await?;
    }
    let who = if personal { mask_name(&name) } else { name };
    let title = if step >= 2 {
        "预警响应工单逾期未叫应（升级至街道）"
    } else {
        "预警响应工单逾期未叫应"
    };
    let body = format!(
        "{headline}：{}“{who}”的责任人未在时限内确认",
        kind_label(&kind)
    );
    let msg = yingji_core::kernel::notify::Message {
        event: "warning.order.escalate".into(),
        title: title.into(),
        body,
        link: "/work-orders".into(),
        subject_id: order_id.to_string(),
    };
    let mut e = Escalation::to(msg, &audience);
    if step < 2 {
        let cfg = crate::prevention::rules::current_tx(tx, region.get(..6).unwrap_or(&region))
            .await?
            .rules
            .warning;
        let next = TimerKind::WorkOrderEscalate(OrderStep { step: 2 });
        e = e.then(next, now_ms + cfg.street_after_minutes * 60_000);
    }
    escalation::step(tx, now_ms, e).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Orders: the responsible person's answer, and the command view's figures

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkOrder {
    pub id: String,
    pub warning_id: String,
    pub headline: String,
    pub level: i64,
    pub object: ProtectedObject,
    /// open / acknowledged / reported / released / closed
    pub status: String,
    pub status_label: String,
    pub actions: Vec<String>,
    pub due_ms: i64,
    /// 0 none, 1 community/grid supervisor, 2 street.
    pub escalation: i64,
    pub acknowledged_ms: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub on_time: Option<bool>,
    pub overdue: bool,
    pub relocated: i64,
    pub report: Option<serde_json::Value>,
}

fn status_label(s: &str) -> &'static str {
    match s {
        "open" => "待叫应",
        "acknowledged" => "已叫应",
        "reported" => "已反馈",
        "released" => "已移出区域",
        _ => "已关闭",
    }
}

const ORDER_SELECT: &str = "SELECT w.*, n.headline, n.level, o.id AS o_id, o.kind, o.name, o.address, o.lon, o.lat, o.region_code AS o_region, o.responsible_user_id, o.responsible_name, o.responsible_phone, o.responsible_type, o.personal \
    FROM work_orders w JOIN warnings n ON n.id = w.warning_id JOIN protected_objects o ON o.id = w.object_id WHERE 1 = 1";

fn order_from_row(r: &AnyRow, scope: &Scope, role: Role, now_ms: i64) -> StoreResult<WorkOrder> {
    let status: String = r.try_get("status")?;
    let due_ms: i64 = r.try_get("due_ms")?;
    let ack: Option<i64> = r.try_get("acknowledged_ms")?;
    let personal = r.try_get::<i64, _>("personal")? == 1;
    let region: String = r.try_get("o_region")?;
    let masked = personal && !sees_personal(scope, role, &region);
    let kind: String = r.try_get("kind")?;
    let name: String = r.try_get("name")?;
    Ok(WorkOrder {
        id: r.try_get("id")?,
        warning_id: r.try_get("warning_id")?,
        headline: r.try_get("headline")?,
        level: r.try_get("level")?,
        object: ProtectedObject {
            id: r.try_get("o_id")?,
            kind_label: kind_label(&kind).into(),
            kind,
            name: if masked { mask_name(&name) } else { name },
            address: if masked {
                "（仅网格员可见）".into()
            } else {
                r.try_get("address")?
            },
            lon: r.try_get("lon")?,
            lat: r.try_get("lat")?,
            outline: None,
            region_code: region,
            responsible_user_id: r.try_get("responsible_user_id")?,
            responsible_name: r.try_get("responsible_name")?,
            responsible_phone: r.try_get("responsible_phone")?,
            responsible_type_label: person_type_label(&r.try_get::<String, _>("responsible_type")?)
                .into(),
            responsible_type: r.try_get("responsible_type")?,
            personal,
            masked,
            active: true,
        },
        status_label: status_label(&status).into(),
        overdue: status == "open" && now_ms > due_ms,
        status,
        actions: split_codes(&r.try_get::<String, _>("actions")?),
        due_ms,
        escalation: r.try_get("escalation")?,
        on_time: ack.map(|a| a <= due_ms),
        acknowledged_ms: ack,
        acknowledged_by: r.try_get("acknowledged_by")?,
        relocated: r.try_get("relocated")?,
        report: r
            .try_get::<Option<String>, _>("report")?
            .and_then(|s| serde_json::from_str(&s).ok()),
    })
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub warning_id: Option<String>,
    pub status: Option<String>,
    /// Orders of objects the caller is responsible for.
    pub mine: bool,
}

pub async fn list_orders(
    store: &Store,
    ctx: &Ctx,
    f: &OrderFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<WorkOrder>, i64)> {
    let mut w = Sql::new("");
    push_region(&mut w, "w", &ctx.scope);
    if let Some(id) = &f.warning_id {
        let mut tx = store.begin().await?;
        let chain = chain_root(&mut tx, id).await?;
        tx.commit().await?;
        w.push_bind(" AND w.chain_id = ", chain);
    }
    if let Some(s) = &f.status {
        // One status or several, comma-separated (the phone page's 待处理 is open,acknowledged).
        let statuses: Vec<&str> = s
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .collect();
        if !statuses.is_empty() {
            w.push(" AND w.status IN ").bind_list(statuses);
        }
    }
    if f.mine {
        w.push_bind(" AND o.responsible_user_id = ", ctx.user_id.as_str());
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM work_orders w JOIN protected_objects o ON o.id = w.object_id WHERE 1 = 1",
            ORDER_SELECT,
            w,
            "w.status, w.due_ms, w.id",
            page,
            |r| order_from_row(r, &ctx.scope, ctx.role, now_ms),
        )
        .await
}

pub async fn get_order(store: &Store, ctx: &Ctx, id: &str, now_ms: i64) -> StoreResult<WorkOrder> {
    let mut q = Sql::new(ORDER_SELECT);
    q.push_bind(" AND w.id = ", id);
    push_region(&mut q, "w", &ctx.scope);
    order_from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        &ctx.scope,
        ctx.role,
        now_ms,
    )
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderAnswer {
    /// acknowledge (叫应：收到) / report (反馈)
    pub action: String,
    /// 到岗.
    #[serde(default)]
    pub arrived: bool,
    /// 已巡查.
    #[serde(default)]
    pub patrolled: bool,
    /// 已转移人数.
    #[serde(default)]
    pub relocated: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// Photos (attachment ids).
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// 叫应 (acknowledge) and 反馈 (report back): by the object's responsible person, or by staff
/// of its area answering for them.
pub async fn answer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OrderAnswer,
) -> StoreResult<WorkOrder> {
    let order = get_order(store, ctx, id, now_ms).await?;
    let own = order.object.responsible_user_id.as_deref() == Some(ctx.user_id.as_str());
    if !own
        && !matches!(
            ctx.role,
            Role::Admin
                | Role::Commander
                | Role::DutyOfficer
                | Role::StreetStaff
                | Role::GridWorker
        )
    {
        return Err(StoreError::Forbidden("只有责任人或属地人员可以叫应".into()));
    }
    let mut tx = store.begin().await?;
    match input.action.as_str() {
        "acknowledge" => {
            let mut u =
                Sql::new("UPDATE work_orders SET status = 'acknowledged', acknowledged_ms = ");
            u.bind(now_ms)
                .push_bind(", acknowledged_by = ", ctx.display_name.clone())
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE status = 'open' AND id = ", id);
            if u.execute(&mut tx).await? == 0 {
                return Err(StoreError::conflict(
                    "action",
                    format!("工单{}，无需叫应", order.status_label),
                ));
            }
            timers::cancel(&mut tx, id, TimerCode::WorkOrderEscalate).await?;
        }
        "report" => {
            if !(0..=100_000).contains(&input.relocated) {
                return Err(StoreError::invalid("relocated", "转移人数应为 0 至 100000"));
            }
            let note = optional_text("情况说明", input.note.as_deref().unwrap_or(""), 1000)
                .map_err(|m| StoreError::invalid("note", m))?;
            // Photos: uploads of the caller's linked to the order; those of an earlier report stay.
            let mut photos: Vec<String> = crate::kernel::attachments::list_for(store, id)
                .await?
                .into_iter()
                .map(|a| a.id)
                .collect();
            let new: Vec<String> = input
                .attachments
                .iter()
                .filter(|a| !photos.contains(a))
                .cloned()
                .collect();
            crate::kernel::attachments::link(
                &mut tx,
                &new,
                "work_order",
                id,
                Some(&ctx.user_id),
                "attachments",
            )
            .await?;
            photos.extend(new);
            let report = serde_json::json!({"arrived": input.arrived, "patrolled": input.patrolled, "relocated": input.relocated, "note": note, "attachments": photos});
            let mut u = Sql::new("UPDATE work_orders SET status = 'reported', report = ");
            u.bind(report.to_string())
                .push_bind(", relocated = ", input.relocated)
                .push_bind(", reported_ms = ", now_ms)
                .push_bind(", acknowledged_ms = COALESCE(acknowledged_ms, ", now_ms)
                .push(")")
                .push_bind(
                    ", acknowledged_by = COALESCE(acknowledged_by, ",
                    ctx.display_name.clone(),
                )
                .push(")")
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(
                    " WHERE status IN ('open', 'acknowledged', 'reported') AND id = ",
                    id,
                );
            if u.execute(&mut tx).await? == 0 {
                return Err(StoreError::conflict(
                    "action",
                    format!("工单{}，不能反馈", order.status_label),
                ));
            }
            timers::cancel(&mut tx, id, TimerCode::WorkOrderEscalate).await?;
        }
        _ => {
            return Err(StoreError::invalid(
                "action",
                "操作应为 acknowledge（收到）或 report（反馈）",
            ));
        }
    }
    crate::kernel::audit::append(
        &mut tx,
        now_ms,
        &ctx.actor,
        crate::kernel::audit::Change {
            action: if input.action == "report" {
                "work_order.report"
            } else {
                "work_order.acknowledge"
            },
            entity_type: "work_order",
            entity_id: Some(id),
            summary: format!(
                "{}：{}（{}）",
                if input.action == "report" {
                    "工单反馈"
                } else {
                    "叫应"
                },
                order.object.name,
                order.headline
            ),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    get_order(store, ctx, id, now_ms).await
}

/// 叫应 figures of one group of orders: a street, a person type, an object kind.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub relocated: i64,
    #[serde(flatten)]
    pub figures: Effectiveness,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
#[schema(as = TargetingResponse)]
pub struct Response {
    /// Warning chains the figures cover (1 for one warning).
    pub warnings: i64,
    /// Orders still concerning an object (not released by an update).
    pub targeted: i64,
    pub released: i64,
    pub relocated: i64,
    /// on_time / late / never / waiting, 叫应率 and acknowledgement times over all orders.
    #[serde(flatten)]
    pub figures: Effectiveness,
    pub by_street: Vec<Group>,
    pub by_person_type: Vec<Group>,
    pub by_kind: Vec<Group>,
}

const RESPONSE_SELECT: &str = "SELECT w.status, w.due_ms, w.created_ms, w.acknowledged_ms, w.relocated, o.street_code, r.name, o.responsible_type, o.kind, w.chain_id FROM work_orders w JOIN protected_objects o ON o.id = w.object_id LEFT JOIN regions r ON r.code = o.street_code WHERE 1 = 1";

/// Folds order rows (RESPONSE_SELECT) into the figures, overall and by group.
fn figures_of(rows: &[AnyRow], now_ms: i64) -> StoreResult<Response> {
    type Groups = Vec<(Group, Vec<OrderOutcome>)>;
    fn add(groups: &mut Groups, code: &str, name: &str, o: OrderOutcome, relocated: i64) {
        let i = match groups.iter().position(|(g, _)| g.code == code) {
            Some(i) => i,
            None => {
                groups.push((
                    Group {
                        code: code.into(),
                        name: name.into(),
                        ..Default::default()
                    },
                    Vec::new(),
                ));
                groups.len() - 1
            }
        };
        groups[i].0.relocated += relocated;
        groups[i].1.push(o);
    }
    fn finish(mut groups: Groups) -> Vec<Group> {
        groups.sort_by(|a, b| a.0.code.cmp(&b.0.code));
        groups
            .into_iter()
            .map(|(mut g, orders)| {
                g.figures = Effectiveness::of(&orders);
                g
            })
            .collect()
    }
    let mut out = Response::default();
    let (mut all, mut chains) = (Vec::new(), Vec::<String>::new());
    let (mut streets, mut people, mut kinds): (Groups, Groups, Groups) = Default::default();
    for r in rows {
        let status: String = r.try_get(0)?;
        let chain: String = r.try_get(9)?;
        if !chains.contains(&chain) {
            chains.push(chain);
        }
        if status == "released" {
            out.released += 1;
            continue;
        }
        let due_ms: i64 = r.try_get(1)?;
        let o = OrderOutcome {
            due_ms,
            created_ms: r.try_get(2)?,
            acknowledged_ms: r.try_get(3)?,
            decided: now_ms > due_ms || status == "closed",
        };
        let relocated: i64 = r.try_get(4)?;
        out.relocated += relocated;
        let street: String = r.try_get(5)?;
        let street_name = r.try_get::<Option<String>, _>(6)?.unwrap_or_default();
        add(&mut streets, &street, &street_name, o, relocated);
        let ptype: String = r.try_get(7)?;
        add(&mut people, &ptype, person_type_label(&ptype), o, relocated);
        let kind: String = r.try_get(8)?;
        add(&mut kinds, &kind, kind_label(&kind), o, relocated);
        all.push(o);
    }
    out.warnings = chains.len() as i64;
    out.targeted = all.len() as i64;
    out.figures = Effectiveness::of(&all);
    out.by_street = finish(streets);
    out.by_person_type = finish(people);
    out.by_kind = finish(kinds);
    Ok(out)
}

/// The command view's figures for a warning's chain, by street, person type and object kind.
pub async fn response(
    store: &Store,
    ctx: &Ctx,
    warning_id: &str,
    now_ms: i64,
) -> StoreResult<Response> {
    crate::warning::get(store, &ctx.scope, warning_id, now_ms).await?;
    let mut tx = store.begin().await?;
    let chain = chain_root(&mut tx, warning_id).await?;
    tx.commit().await?;
    let mut q = Sql::new(RESPONSE_SELECT);
    q.push_bind(" AND w.chain_id = ", chain);
    push_region(&mut q, "w", &ctx.scope);
    figures_of(&store.fetch_all(q).await?, now_ms)
}

/// 叫应效能分析 after the event: every order created in [from, to) that the caller may see.
pub async fn effectiveness(
    store: &Store,
    ctx: &Ctx,
    from_ms: i64,
    to_ms: i64,
    now_ms: i64,
) -> StoreResult<Response> {
    if to_ms <= from_ms {
        return Err(StoreError::invalid("to", "结束时间应晚于开始时间"));
    }
    let mut q = Sql::new(RESPONSE_SELECT);
    q.push_bind(" AND w.created_ms >= ", from_ms)
        .push_bind(" AND w.created_ms < ", to_ms);
    push_region(&mut q, "w", &ctx.scope);
    figures_of(&store.fetch_all(q).await?, now_ms)
}

//! 应急格 and 安监格: the rows of the overlay grids and their members, read within the caller's
//! scope (a grid worker: the overlays they belong to), written in the caller's transaction with
//! the audit record; and `locate`, the grids containing a point.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::grid::overlays::{
    CheckedOverlay, NOT_A_READER, Neighbour, kind_label, may_read, member_summary, saved_summary,
};
use yingji_core::kernel::geo::{self, Polygon};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub user_id: String,
    pub user_name: String,
    pub added_ms: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Overlay {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub street_code: String,
    pub street_name: String,
    pub boundary: serde_json::Value,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: [f64; 4],
    pub active: bool,
    pub members: Vec<Member>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl Overlay {
    pub fn polygons(&self) -> Vec<Polygon> {
        geo::polygons_of_geometry(&self.boundary).unwrap_or_default()
    }
}

const COLUMNS: &str = "o.id, o.code, o.name, o.kind, o.street_code, o.boundary, o.min_lon, o.min_lat, o.max_lon, o.max_lat, o.active, o.created_ms, o.updated_ms, (SELECT r.name FROM regions r WHERE r.code = o.street_code) AS street_name";

fn from_row(r: &AnyRow) -> StoreResult<Overlay> {
    let kind: String = r.try_get("kind")?;
    let boundary: String = r.try_get("boundary")?;
    Ok(Overlay {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind_label: kind_label(&kind).to_string(),
        kind,
        street_code: r.try_get("street_code")?,
        street_name: r
            .try_get::<Option<String>, _>("street_name")?
            .unwrap_or_default(),
        boundary: serde_json::from_str(&boundary).unwrap_or(serde_json::Value::Null),
        bbox: [
            r.try_get("min_lon")?,
            r.try_get("min_lat")?,
            r.try_get("max_lon")?,
            r.try_get("max_lat")?,
        ],
        active: r.try_get::<i64, _>("active")? != 0,
        members: vec![],
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on `grid_overlays o` to what the caller may read: within their region (the
/// overlay's street inside it, or their region inside the street); a grid worker only the
/// overlays they belong to.
pub fn push_visible(q: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    if yingji_core::grid::overlays::reads_own_only(ctx.role) {
        q.push_bind(
            " AND EXISTS (SELECT 1 FROM grid_overlay_members m WHERE m.overlay_id = o.id AND m.user_id = ",
            ctx.user_id.clone(),
        )
        .push(")");
    }
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(" AND (o.street_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.clone())
                .push(" LIKE o.street_code || '%')");
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct OverlayFilter {
    pub kind: Option<String>,
    pub street: Option<String>,
    /// Only active ones.
    pub active: bool,
}

/// The overlays the caller may read, by code, with their members.
pub async fn list(store: &Store, ctx: &Ctx, f: &OverlayFilter) -> StoreResult<Vec<Overlay>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM grid_overlays o WHERE 1 = 1"
    ));
    push_visible(&mut q, ctx)?;
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        q.push_bind(" AND o.kind = ", k);
    }
    if let Some(s) = f.street.as_deref().filter(|s| !s.is_empty()) {
        q.push_bind(" AND o.street_code LIKE ", format!("{s}%"));
    }
    if f.active {
        q.push(" AND o.active = 1");
    }
    q.push(" ORDER BY o.code LIMIT 5000");
    let mut items: Vec<Overlay> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<_>>()?;
    let members = all_members(
        store,
        &items.iter().map(|o| o.id.clone()).collect::<Vec<_>>(),
    )
    .await?;
    for o in &mut items {
        o.members = members
            .iter()
            .filter(|(id, _)| *id == o.id)
            .map(|(_, m)| m.clone())
            .collect();
    }
    Ok(items)
}

async fn all_members(store: &Store, ids: &[String]) -> StoreResult<Vec<(String, Member)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(
            "SELECT overlay_id, user_id, user_name, added_ms FROM grid_overlay_members WHERE overlay_id IN ",
        );
        q.bind_list(chunk.iter().cloned())
            .push(" ORDER BY added_ms, user_id");
        for r in store.fetch_all(q).await? {
            out.push((
                r.try_get("overlay_id")?,
                Member {
                    user_id: r.try_get("user_id")?,
                    user_name: r.try_get("user_name")?,
                    added_ms: r.try_get("added_ms")?,
                },
            ));
        }
    }
    Ok(out)
}

/// One overlay the caller may read, with its members.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Overlay> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM grid_overlays o WHERE o.id = "
    ));
    q.bind(id);
    push_visible(&mut q, ctx)?;
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let mut o = from_row(&row)?;
    o.members = all_members(store, std::slice::from_ref(&o.id))
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    Ok(o)
}

/// An overlay by id or by code, whoever asks (the use cases check who may change it).
pub async fn find(store: &Store, id_or_code: &str) -> StoreResult<Option<Overlay>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM grid_overlays o WHERE o.id = "
    ));
    q.bind(id_or_code).push_bind(" OR o.code = ", id_or_code);
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The active overlays of a kind (all streets), as the overlap check sees them, in the
/// transaction that writes; `except` left out.
pub async fn neighbours_in(
    tx: &mut Tx,
    kind: &str,
    except: Option<&str>,
) -> StoreResult<Vec<Neighbour>> {
    let mut q =
        Sql::new("SELECT id, code, name, boundary FROM grid_overlays WHERE active = 1 AND kind = ");
    q.bind(kind);
    if let Some(e) = except {
        q.push_bind(" AND id <> ", e);
    }
    let rows = q.fetch_all(tx).await?;
    rows.iter()
        .map(|r| {
            let b: String = r.try_get("boundary")?;
            let v: serde_json::Value = serde_json::from_str(&b).unwrap_or_default();
            Ok(Neighbour {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                polygons: geo::polygons_of_geometry(&v).unwrap_or_default(),
            })
        })
        .collect()
}

/// Whether another overlay has this code.
pub async fn code_taken_in(tx: &mut Tx, code: &str, except: Option<&str>) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT id FROM grid_overlays WHERE code = ");
    q.bind(code);
    if let Some(e) = except {
        q.push_bind(" AND id <> ", e);
    }
    Ok(q.fetch_optional(tx).await?.is_some())
}

/// Writes a new overlay (or, with `before`, its new state) and the audit record; answers its id.
pub async fn save_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedOverlay,
    before: Option<&Overlay>,
) -> StoreResult<String> {
    let b = c.bbox();
    let geometry = c.geometry();
    let id = match before {
        None => {
            let id = new_id();
            let mut q = Sql::new(
                "INSERT INTO grid_overlays (id, code, name, kind, street_code, boundary, min_lon, min_lat, max_lon, max_lat, active, created_ms, updated_ms) VALUES ",
            );
            q.values(vec![
                id.clone().into(),
                c.code.clone().into(),
                c.name.clone().into(),
                c.kind.as_str().into(),
                c.street_code.clone().into(),
                geometry.to_string().into(),
                b[0].into(),
                b[1].into(),
                b[2].into(),
                b[3].into(),
                i64::from(c.active).into(),
                now_ms.into(),
                now_ms.into(),
            ]);
            q.execute(tx).await?;
            id
        }
        Some(o) => {
            let mut q = Sql::new("UPDATE grid_overlays SET code = ");
            q.bind(c.code.clone())
                .push_bind(", name = ", c.name.clone())
                .push_bind(", kind = ", c.kind.as_str())
                .push_bind(", street_code = ", c.street_code.clone())
                .push_bind(", boundary = ", geometry.to_string())
                .push_bind(", min_lon = ", b[0])
                .push_bind(", min_lat = ", b[1])
                .push_bind(", max_lon = ", b[2])
                .push_bind(", max_lat = ", b[3])
                .push_bind(", active = ", i64::from(c.active))
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE id = ", o.id.clone());
            q.execute(tx).await?;
            o.id.clone()
        }
    };
    let (action, before_json) = match before {
        None => ("grid.overlay_create", None),
        Some(o) => (
            "grid.overlay_update",
            Some(
                serde_json::json!({"code": o.code, "name": o.name, "kind": o.kind, "street_code": o.street_code, "active": o.active}),
            ),
        ),
    };
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            before: before_json,
            after: Some(serde_json::json!({
                "code": c.code, "name": c.name, "kind": c.kind.as_str(),
                "street_code": c.street_code, "active": c.active,
            })),
            ..Change::of(
                action,
                "grid_overlay",
                &id,
                saved_summary(before.is_none(), c),
            )
        },
    )
    .await?;
    Ok(id)
}

/// A user as a possible member: (id, display name, role, region code, active).
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub role: String,
    pub region_code: Option<String>,
    pub active: bool,
}

pub async fn candidate(store: &Store, user_id: &str) -> StoreResult<Option<Candidate>> {
    let mut q =
        Sql::new("SELECT id, display_name, role, region_code, active FROM users WHERE id = ");
    q.bind(user_id);
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    Ok(Some(Candidate {
        id: r.try_get("id")?,
        name: r.try_get("display_name")?,
        role: r.try_get("role")?,
        region_code: r.try_get("region_code")?,
        active: r.try_get::<i64, _>("active")? != 0,
    }))
}

/// Adds (or removes) a member with the audit record; adding one already there changes nothing.
pub async fn set_member_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    o: &Overlay,
    user: &Candidate,
    add: bool,
) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT user_id FROM grid_overlay_members WHERE overlay_id = ");
    q.bind(o.id.clone())
        .push_bind(" AND user_id = ", user.id.clone());
    let present = q.fetch_optional(tx).await?.is_some();
    if present == add {
        return Ok(false);
    }
    let mut q = if add {
        let mut q = Sql::new(
            "INSERT INTO grid_overlay_members (overlay_id, user_id, user_name, added_ms) VALUES ",
        );
        q.values(vec![
            o.id.clone().into(),
            user.id.clone().into(),
            user.name.clone().into(),
            now_ms.into(),
        ]);
        q
    } else {
        let mut q = Sql::new("DELETE FROM grid_overlay_members WHERE overlay_id = ");
        q.bind(o.id.clone())
            .push_bind(" AND user_id = ", user.id.clone());
        q
    };
    q.execute(tx).await?;
    let action = if add {
        "grid.overlay_member_add"
    } else {
        "grid.overlay_member_remove"
    };
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({"user_id": user.id, "added": add})),
            ..Change::of(
                action,
                "grid_overlay",
                &o.id,
                member_summary(add, &user.name, &o.kind, &o.name),
            )
        },
    )
    .await?;
    Ok(true)
}

/// A grid containing a point.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GridRef {
    pub kind: String,
    pub kind_label: String,
    pub code: String,
    pub name: String,
    /// The overlay's id (none for a comprehensive grid).
    pub id: Option<String>,
}

/// The grids containing a point: the comprehensive grid (a region of level grid) and at most one
/// active overlay per kind. Whoever asks: callers limit it to what their caller may see.
pub async fn locate(store: &Store, lon: f64, lat: f64) -> StoreResult<Vec<GridRef>> {
    let mut out = Vec::new();
    let mut q = Sql::new(
        "SELECT code, name, boundary FROM regions WHERE level = 'grid' AND boundary IS NOT NULL AND min_lon <= ",
    );
    q.bind(lon)
        .push_bind(" AND max_lon >= ", lon)
        .push_bind(" AND min_lat <= ", lat)
        .push_bind(" AND max_lat >= ", lat)
        .push(" ORDER BY code");
    for r in store.fetch_all(q).await? {
        let text: Option<String> = r.try_get("boundary")?;
        let polygons = text
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| geo::polygons_of_geometry(&v).ok())
            .unwrap_or_default();
        if geo::area_contains(&polygons, lon, lat) {
            out.push(GridRef {
                kind: yingji_core::grid::overlays::COMPREHENSIVE.into(),
                kind_label: yingji_core::grid::overlays::COMPREHENSIVE_LABEL.into(),
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                id: None,
            });
            break;
        }
    }
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM grid_overlays o WHERE o.active = 1 AND o.min_lon <= "
    ));
    q.bind(lon)
        .push_bind(" AND o.max_lon >= ", lon)
        .push_bind(" AND o.min_lat <= ", lat)
        .push_bind(" AND o.max_lat >= ", lat)
        .push(" ORDER BY o.kind, o.code");
    for r in store.fetch_all(q).await? {
        let o = from_row(&r)?;
        if out.iter().any(|g| g.kind == o.kind) {
            continue;
        }
        if geo::area_contains(&o.polygons(), lon, lat) {
            out.push(GridRef {
                kind: o.kind,
                kind_label: o.kind_label,
                code: o.code,
                name: o.name,
                id: Some(o.id),
            });
        }
    }
    Ok(out)
}

/// The overlays a user belongs to (active ones), whoever asks.
pub async fn of_member(store: &Store, user_id: &str) -> StoreResult<Vec<Overlay>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM grid_overlays o JOIN grid_overlay_members m ON m.overlay_id = o.id WHERE o.active = 1 AND m.user_id = "
    ));
    q.bind(user_id).push(" ORDER BY o.kind, o.code");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// The active users of the given roles whose region lies in `street_code`, by name.
pub async fn candidates(
    store: &Store,
    street_code: &str,
    roles: &[&str],
) -> StoreResult<Vec<Candidate>> {
    let mut q = Sql::new(
        "SELECT id, display_name, role, region_code, active FROM users WHERE active = 1 AND region_code LIKE ",
    );
    q.bind(format!("{street_code}%"))
        .push(" AND role IN ")
        .bind_list(roles.iter().copied())
        .push(" ORDER BY display_name, id LIMIT 1000");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Candidate {
                id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                role: r.try_get("role")?,
                region_code: r.try_get("region_code")?,
                active: true,
            })
        })
        .collect()
}

/// 一张图's `grid_overlays` layer: the active overlays in the caller's region (the street inside
/// it, or it inside the street), each a feature with its boundary, classed by kind.
pub async fn map_layer(
    store: &Store,
    scope: &Scope,
    view: Option<&crate::kernel::map::View>,
) -> StoreResult<crate::kernel::map::LayerData> {
    use crate::kernel::map;
    let mut from = Sql::new("FROM grid_overlays o WHERE o.active = 1");
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            from.push_bind(" AND (o.street_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.clone())
                .push(" LIKE o.street_code || '%')");
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            from.push(" AND 1 = 0");
        }
    }
    let layer = map::Layer {
        from,
        lon: "((o.min_lon + o.max_lon) / 2)",
        lat: "((o.min_lat + o.max_lat) / 2)",
        class: "o.kind",
        columns: "o.id, o.name, o.code, o.kind, o.street_code, o.boundary",
    };
    // Areas are few and drawn whole: never counted per cell, never cut by the view.
    let whole = view.map(|v| map::View { bbox: None, ..*v });
    map::run(store, layer, whole.as_ref(), |r| {
        let (_, _, mut p) = map::base(r)?;
        let kind: String = r.try_get("kind")?;
        p.insert("code".into(), r.try_get::<String, _>("code")?.into());
        p.insert("kind_label".into(), kind_label(&kind).into());
        p.insert(
            "street_code".into(),
            r.try_get::<String, _>("street_code")?.into(),
        );
        let boundary: String = r.try_get("boundary")?;
        Ok(serde_json::json!({
            "type": "Feature",
            "geometry": serde_json::from_str::<serde_json::Value>(&boundary).unwrap_or_default(),
            "properties": serde_json::Value::Object(p),
        }))
    })
    .await
}
